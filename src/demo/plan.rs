//! The made-up patient's calendar, planned before any entry is written:
//! which days belong to an attack (prodrome, leak, recovery) and how each
//! attack differs, which are ordinary days that look alarming (colds,
//! salty meals, hot days), and which mornings go unlogged.

use chrono::{Datelike, Duration, NaiveDate};

use super::rng::Rng;
use super::{round1, Options};
use crate::model::Bp;

/// Where a day sits in the made-up patient's life.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Phase {
    Normal,
    /// Day `k` of a cold.
    Cold(u8),
    /// The morning after a salty meal: water kept, a little thirsty.
    Salty,
    /// A hot day: thirsty, tired, a lower pressure; no attack.
    Hot,
    /// Day `k` of `of` prodrome days before attack `a`.
    Prodrome {
        a: usize,
        k: u8,
        of: u8,
    },
    /// Day `k` of `of` leak days (the recorded episode starts on k = 0).
    Leak {
        a: usize,
        k: u8,
        of: u8,
    },
    /// Day `k` of `of` recovery days.
    Recovery {
        a: usize,
        k: u8,
        of: u8,
    },
}

impl Phase {
    pub(super) fn in_attack(self) -> bool {
        matches!(
            self,
            Phase::Prodrome { .. } | Phase::Leak { .. } | Phase::Recovery { .. }
        )
    }

    /// A day an ordinary false-alarm day may replace.
    fn is_plain(self) -> bool {
        self == Phase::Normal
    }
}

#[derive(Debug, Clone)]
pub(super) struct Attack {
    /// Weight above baseline at the end of the prodrome, kg (about 0 for
    /// the fifth of attacks without a gain).
    pub(super) prodrome_gain: f64,
    /// Weight above baseline at the end of the leak, kg.
    pub(super) peak_gain: f64,
    /// Thirst in the prodrome (missing in about a fifth of attacks).
    pub(super) thirst: bool,
    pub(super) hospitalized: bool,
    pub(super) breathless: bool,
    pub(super) after_cold: bool,
    /// Albumin measured in the leak, g/L (some leaks only).
    pub(super) albumin: Option<f64>,
    /// Blood pressure and hematocrit on the first leak day.
    pub(super) arrival: Option<(Bp, Option<f64>)>,
}

/// Plan the attacks: a mean gap of a year over `attacks_per_year`, spread
/// from 0.3 to 1.7 times that, never closer than a month after the last
/// one's recovery. Marks their days in `phase`.
pub(super) fn plan_attacks(rng: &mut Rng, phase: &mut [Phase], opts: &Options) -> Vec<Attack> {
    let ndays = phase.len();
    let rate = opts.attacks_per_year.clamp(0.1, 12.0);
    let gap = 365.25 / rate;
    let mut attacks: Vec<Attack> = Vec::new();
    let mut t = (gap * rng.uniform(0.1, 1.0)) as usize;
    loop {
        // Some attacks come with no prodrome at all; most with 1–2 days.
        let pro = if rng.chance(0.12) {
            0
        } else if rng.chance(0.15) {
            3
        } else {
            rng.int(1, 2) as u8
        };
        let leak = rng.int(2, 4) as u8;
        let rec = rng.int(5, 9) as u8;
        let len = usize::from(pro + leak + rec);
        if t + len > ndays {
            break;
        }
        // A fifth of prodromes bring no weight gain, a fifth no thirst.
        let prodrome_gain = if pro == 0 || rng.chance(0.2) {
            rng.uniform(-0.2, 0.3)
        } else {
            rng.uniform(0.7, 2.2)
        };
        let a = attacks.len();
        attacks.push(Attack {
            prodrome_gain,
            peak_gain: prodrome_gain.max(0.0) + rng.uniform(1.5, 3.5),
            thirst: pro > 0 && !rng.chance(0.2),
            hospitalized: rng.chance(0.5),
            breathless: rng.chance(0.25),
            after_cold: false,
            albumin: rng.chance(0.4).then(|| round1(rng.uniform(18.0, 30.0))),
            arrival: None,
        });
        let mut d = t;
        for k in 0..pro {
            phase[d] = Phase::Prodrome { a, k, of: pro };
            d += 1;
        }
        for k in 0..leak {
            phase[d] = Phase::Leak { a, k, of: leak };
            d += 1;
        }
        for k in 0..rec {
            phase[d] = Phase::Recovery { a, k, of: rec };
            d += 1;
        }
        // A third of attacks follow an upper-respiratory infection.
        if rng.chance(0.35) {
            attacks[a].after_cold = true;
            let len = rng.int(2, 4) as usize;
            for (k, i) in (t.saturating_sub(len)..t).enumerate() {
                if phase[i] == Phase::Normal {
                    phase[i] = Phase::Cold(k as u8);
                }
            }
        }
        t = (d + 30).max(t + (gap * rng.uniform(0.3, 1.7)) as usize);
    }
    attacks
}

/// Colds (about three a year), salty meals (about one a month) and, in
/// June to August, hot days: the ordinary days that set off alarms.
pub(super) fn plan_ordinary(rng: &mut Rng, phase: &mut [Phase], first: NaiveDate) {
    let ndays = phase.len();
    let mut t = rng.int(10, 120) as usize;
    while t < ndays {
        let len = rng.int(3, 6) as usize;
        let end = (t + len).min(ndays);
        let clear = (t.saturating_sub(3)..(end + 3).min(ndays)).all(|i| phase[i] == Phase::Normal);
        if clear {
            for (k, p) in phase[t..end].iter_mut().enumerate() {
                *p = Phase::Cold(k as u8);
            }
        }
        t = end + rng.int(60, 180) as usize;
    }
    for (i, p) in phase.iter_mut().enumerate() {
        let month = (first + Duration::days(i as i64)).month();
        let hot = if (6..=8).contains(&month) { 0.12 } else { 0.0 };
        if !p.is_plain() {
            continue;
        }
        if rng.chance(1.0 / 30.0) {
            *p = Phase::Salty;
        } else if rng.chance(hot) {
            *p = Phase::Hot;
        }
    }
}

/// Days without a morning entry (about a tenth): a few holidays a year
/// away from the diary, and single forgotten days. The first and last days
/// always have one, so the diary spans what `cls demo` says.
pub(super) fn plan_missed(rng: &mut Rng, phase: &[Phase]) -> Vec<bool> {
    let ndays = phase.len();
    let mut missed = vec![false; ndays];
    let mut t = rng.int(30, 200) as usize;
    while t < ndays {
        let len = rng.int(2, 6) as usize;
        for m in missed.iter_mut().skip(t).take(len) {
            *m = true;
        }
        t += len + rng.int(90, 240) as usize;
    }
    for (i, m) in missed.iter_mut().enumerate() {
        let p = match phase[i] {
            // Too ill, or in hospital, to log every day.
            Phase::Leak { k, .. } if k > 0 => 0.25,
            Phase::Prodrome { .. } => 0.1,
            _ => 0.07,
        };
        if rng.chance(p) {
            *m = true;
        }
    }
    if let Some(m) = missed.first_mut() {
        *m = false;
    }
    if let Some(m) = missed.last_mut() {
        *m = false;
    }
    missed
}
