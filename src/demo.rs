//! A synthetic diary for `cls demo` and the benchmark: a made-up patient's
//! mornings, evenings, IVIG infusions, colds and about two attacks a year,
//! shaped after `clinical.md` (a 1–2 day prodrome of weight gain, thirst and
//! fatigue; a leak with swelling, low blood pressure, a fast pulse, a high
//! hematocrit and little urine; then a recovery with polyuria and the weight
//! falling back to baseline).
//!
//! Pure: the same span and seed always give the same diary, on every
//! platform. The generator is a hand-rolled splitmix64 and uses only
//! IEEE-exact arithmetic (no `ln`/`cos`), so a seed means the same numbers
//! everywhere; no `rand` dependency is needed for made-up data.

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveTime};

use crate::model::{Bp, Episode, LabKind, Measurements, Med, Urine};

/// The seed `cls demo` uses unless told otherwise.
pub const DEFAULT_SEED: u64 = 42;

/// One generated entry: the patient's local date and time and what was
/// recorded. The caller turns date and time into a [`crate::model::Stamp`]
/// in its own time zone.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoEntry {
    pub date: NaiveDate,
    pub time: NaiveTime,
    pub m: Measurements,
}

/// A generated diary: entries sorted by date and time, and the recorded
/// episodes (ids are 0; the store assigns them).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Demo {
    pub entries: Vec<DemoEntry>,
    pub episodes: Vec<Episode>,
}

/// The first day of a diary of `years` whole years ending on `end`
/// (2016-11-26 for ten years ending 2026-11-25). `None` when out of range.
pub fn years_back(end: NaiveDate, years: u32) -> Option<NaiveDate> {
    end.checked_sub_months(Months::new(years.checked_mul(12)?))?
        .succ_opt()
}

/// splitmix64 (Steele, Lea, Flood 2014): tiny, fast and good enough for
/// made-up data.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1), 53 bits.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi).
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform integer in lo..=hi.
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi);
        let n = (hi - lo + 1) as u64;
        lo + (self.next_u64() % n) as i64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Roughly normal with mean 0 and standard deviation 1 (Irwin–Hall: the
    /// sum of 12 uniforms minus 6), bounded to ±6. Exact arithmetic only.
    fn normal(&mut self) -> f64 {
        (0..12).map(|_| self.unit()).sum::<f64>() - 6.0
    }

    /// Noise within ±`half` (triangular: small values are commoner).
    fn noise(&mut self, half: f64) -> f64 {
        (self.unit() + self.unit() - 1.0) * half
    }
}

/// Where a day sits in the made-up patient's life.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    Normal,
    /// Day `k` of a cold.
    Cold(u8),
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
    fn in_attack(self) -> bool {
        matches!(
            self,
            Phase::Prodrome { .. } | Phase::Leak { .. } | Phase::Recovery { .. }
        )
    }
}

#[derive(Debug, Clone)]
struct Attack {
    /// Weight above baseline at the end of the prodrome, kg.
    prodrome_gain: f64,
    /// Weight above baseline at the end of the leak, kg.
    peak_gain: f64,
    hospitalized: bool,
    breathless: bool,
    after_cold: bool,
    /// Blood pressure and hematocrit on the first leak day.
    arrival: Option<(Bp, f64)>,
}

/// How the patient might sum up an episode; the numbers are filled in.
const HOSPITAL_NOTES: &[&str] = &[
    "admitted via ER; IVIG at onset, fluids kept low",
    "ICU 2 nights; albumin given; showed the emergency card",
    "admitted to the ward; legs very swollen",
];

const HOME_NOTES: &[&str] = &[
    "called the SCLS team early; bed rest, seen in ER and sent home",
    "milder one; ER check, home the same night",
    "day-unit visit, no admission",
];

const DAY_NOTES: &[&str] = &[
    "slept badly",
    "long walk yesterday",
    "salty dinner last night",
    "busy week at work",
    "scale batteries replaced",
    "travelled yesterday",
];

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn clamp_u16(x: f64, lo: u16, hi: u16) -> u16 {
    x.round().clamp(f64::from(lo), f64::from(hi)) as u16
}

fn bp(sys: f64, dia: f64) -> Bp {
    let systolic = clamp_u16(sys, 60, 200);
    // Keep a plausible pulse pressure; the store requires dia < sys.
    let diastolic = clamp_u16(dia, 35, 130).min(systolic - 20);
    Bp {
        systolic,
        diastolic,
    }
}

fn time(rng: &mut Rng, from_min: i64, to_min: i64) -> NaiveTime {
    let m = rng.int(from_min, to_min);
    NaiveTime::from_hms_opt((m / 60) as u32, (m % 60) as u32, 0).expect("minutes within a day")
}

/// Generate a diary covering `first..=last` (an empty one if `first > last`).
pub fn generate(first: NaiveDate, last: NaiveDate, seed: u64) -> Demo {
    let ndays = usize::try_from((last - first).num_days() + 1).unwrap_or(0);
    let mut rng = Rng(seed);
    let mut demo = Demo::default();
    if ndays == 0 {
        return demo;
    }

    // ---- plan the attacks and colds -------------------------------------
    let mut phase = vec![Phase::Normal; ndays];
    let mut attacks: Vec<Attack> = Vec::new();
    // About two a year: first within ~half a year, then every 110–250 days.
    let mut t = rng.int(20, 200) as usize;
    loop {
        let pro = rng.int(1, 2) as u8;
        let leak = rng.int(2, 4) as u8;
        let rec = rng.int(5, 9) as u8;
        let len = usize::from(pro + leak + rec);
        if t + len > ndays {
            break;
        }
        let prodrome_gain = rng.uniform(1.5, 2.5);
        let a = attacks.len();
        attacks.push(Attack {
            prodrome_gain,
            peak_gain: prodrome_gain + rng.uniform(1.5, 3.5),
            hospitalized: rng.chance(0.5),
            breathless: rng.chance(0.25),
            after_cold: false,
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
        t = d + rng.int(110, 250) as usize;
    }
    // About three other colds a year, away from attacks.
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

    // ---- the patient ------------------------------------------------------
    let home = rng.uniform(62.0, 80.0);
    let mut baseline = home;
    let sys0 = rng.uniform(110.0, 124.0);
    let dia0 = rng.uniform(70.0, 80.0);
    let hr0 = rng.uniform(64.0, 76.0);
    let hct0 = rng.uniform(40.0, 44.0);
    let mut next_ivig = rng.int(0, 27) as usize;

    for (i, &ph) in phase.iter().enumerate() {
        let date = first + Duration::days(i as i64);
        // Slow drift with a pull back home: a few kg over the years.
        baseline += 0.03 * rng.normal() + 0.003 * (home - baseline);

        let mut m = Measurements::default();
        let mut evening: Option<Measurements> = None;
        let mut sys = sys0 + 5.0 * rng.normal();
        let mut dia = dia0 + 4.0 * rng.normal();
        let mut hr = hr0 + 4.0 * rng.normal();
        let mut gain = 0.0;
        let mut standing: Option<(f64, f64)> = rng
            .chance(0.1)
            .then(|| (rng.uniform(2.0, 10.0), rng.uniform(0.0, 5.0)));

        match ph {
            Phase::Normal => {
                if rng.chance(0.04) {
                    m.set_symptom("headache", if rng.chance(0.2) { 2 } else { 1 });
                }
                if rng.chance(0.06) {
                    m.set_symptom("fatigue", 1);
                }
                if rng.chance(0.01) {
                    m.set_symptom("irritability", 1);
                }
                if rng.chance(0.03) {
                    m.note = Some(
                        DAY_NOTES[rng.int(0, DAY_NOTES.len() as i64 - 1) as usize].to_string(),
                    );
                }
                if rng.chance(0.12) {
                    let mut e = Measurements {
                        bp: Some(bp(
                            sys0 - 4.0 + 5.0 * rng.normal(),
                            dia0 - 2.0 + 4.0 * rng.normal(),
                        )),
                        heart_rate: Some(clamp_u16(hr0 + 3.0 + 4.0 * rng.normal(), 40, 200)),
                        ..Measurements::default()
                    };
                    if rng.chance(0.2) {
                        e.set_symptom("headache", 1);
                    }
                    evening = Some(e);
                }
            }
            Phase::Cold(k) => {
                m.set_symptom(
                    "cold-symptoms",
                    if k == 0 || rng.chance(0.3) { 1 } else { 2 },
                );
                if rng.chance(0.4) {
                    m.set_symptom("fatigue", 1);
                }
                if k == 1 && rng.chance(0.25) {
                    m.set_symptom("fever", 1);
                }
                if rng.chance(0.3) {
                    m.set_symptom("headache", 1);
                }
                hr += 4.0;
            }
            Phase::Prodrome { a, k, of } => {
                let at = &attacks[a];
                let last = k + 1 == of;
                gain = at.prodrome_gain * if last { 1.0 } else { rng.uniform(0.5, 0.65) };
                m.set_symptom("thirst", if last { 3 } else { 2 });
                m.set_symptom("fatigue", 2);
                if rng.chance(0.7) {
                    m.set_symptom("muscle-pain", if last { 2 } else { 1 });
                }
                if rng.chance(0.3) {
                    m.set_symptom("headache", 1);
                }
                if rng.chance(0.2) {
                    m.set_symptom("nausea", 1);
                }
                sys = sys0 - rng.uniform(6.0, 14.0);
                dia = dia0 - rng.uniform(3.0, 8.0);
                hr = rng.uniform(85.0, 98.0);
                let mut e = Measurements {
                    bp: Some(bp(sys - 4.0, dia - 2.0)),
                    heart_rate: Some(clamp_u16(hr + 4.0, 40, 200)),
                    note: last
                        .then(|| "feels like an attack coming; called the SCLS team".to_string()),
                    ..Measurements::default()
                };
                e.set_symptom("thirst", 3);
                e.set_symptom("fatigue", if last { 3 } else { 2 });
                evening = Some(e);
            }
            Phase::Leak { a, k, of } => {
                let at = &mut attacks[a];
                gain = at.prodrome_gain
                    + (at.peak_gain - at.prodrome_gain) * f64::from(k + 1) / f64::from(of);
                m.set_symptom("swelling", if k == 0 { 2 } else { 3 });
                m.set_symptom("dizziness", if rng.chance(0.5) { 3 } else { 2 });
                m.set_symptom("fatigue", 3);
                m.set_symptom("thirst", 2);
                if rng.chance(0.5) {
                    m.set_symptom("weakness", 2);
                }
                if rng.chance(0.3) {
                    m.set_symptom("abdominal-pain", 2);
                }
                m.urine = Some(Urine::Less);
                sys = rng.uniform(85.0, 95.0);
                dia = rng.uniform(52.0, 58.0);
                hr = rng.uniform(115.0, 132.0);
                standing = None;
                if k < 2 {
                    m.set_lab(LabKind::Hematocrit, round1(rng.uniform(52.0, 58.0)));
                    m.set_lab(LabKind::Hemoglobin, round1(rng.uniform(17.0, 19.5)));
                }
                if k == 0 {
                    at.arrival = Some((bp(sys, dia), m.lab(LabKind::Hematocrit).unwrap_or(0.0)));
                }
                if k == 0 && at.hospitalized {
                    m.note = Some("in hospital".to_string());
                }
                evening = Some(Measurements {
                    bp: Some(bp(rng.uniform(84.0, 96.0), rng.uniform(50.0, 58.0))),
                    heart_rate: Some(clamp_u16(rng.uniform(112.0, 130.0), 40, 200)),
                    urine: Some(Urine::Less),
                    ..Measurements::default()
                });
            }
            Phase::Recovery { a, k, of } => {
                let at = &attacks[a];
                // Fastest loss first: the leaked fluid comes back and leaves.
                let left = 1.0 - f64::from(k + 1) / f64::from(of);
                gain = at.peak_gain * left * left.sqrt();
                let back = f64::from(k + 1) / f64::from(of);
                sys = 98.0 + (sys0 - 98.0) * back + 3.0 * rng.normal();
                dia = 62.0 + (dia0 - 62.0) * back + 3.0 * rng.normal();
                hr = 100.0 + (hr0 - 100.0) * back + 3.0 * rng.normal();
                if k < 3 {
                    m.set_symptom("polyuria", 3 - k);
                    m.urine = Some(Urine::More);
                }
                if k < 2 {
                    m.set_symptom("swelling", 2 - k);
                }
                m.set_symptom("fatigue", if k < 3 { 2 } else { 1 });
                if at.breathless && k < 2 {
                    m.set_symptom("breathlessness", 2);
                    if k == 0 {
                        m.set_symptom("orthopnea", 2);
                        m.note = Some("short of breath lying down; called the team".to_string());
                    }
                }
                standing = None;
                if k < 2 {
                    evening = Some(Measurements {
                        bp: Some(bp(sys + 2.0, dia + 1.0)),
                        heart_rate: Some(clamp_u16(hr, 40, 200)),
                        urine: Some(Urine::More),
                        ..Measurements::default()
                    });
                }
            }
        }

        m.weight_kg = Some(round1(baseline + gain + rng.noise(0.3)));
        m.bp = Some(bp(sys, dia));
        m.heart_rate = Some(clamp_u16(hr, 40, 200));
        if let Some((ds, dd)) = standing {
            m.standing_bp = Some(bp(sys - ds, dia - dd));
        }
        demo.entries.push(DemoEntry {
            date,
            time: time(&mut rng, 7 * 60, 8 * 60 + 30),
            m,
        });

        // IVIG every 28 days at the day unit, with bloods taken first;
        // postponed while an attack is under way.
        if i >= next_ivig && !ph.in_attack() {
            let mut e = Measurements {
                meds: vec![Med {
                    name: "ivig".to_string(),
                    dose: Some("2g/kg".to_string()),
                }],
                note: rng.chance(0.2).then(|| "infusion went fine".to_string()),
                ..Measurements::default()
            };
            e.set_lab(LabKind::Hematocrit, round1(hct0 + rng.noise(1.5)));
            e.set_lab(LabKind::Albumin, round1(rng.uniform(38.0, 44.0)));
            demo.entries.push(DemoEntry {
                date,
                time: time(&mut rng, 10 * 60, 12 * 60),
                m: e,
            });
            next_ivig = i + 28;
        }
        if let Some(e) = evening {
            demo.entries.push(DemoEntry {
                date,
                time: time(&mut rng, 20 * 60, 22 * 60),
                m: e,
            });
        }
    }

    // ---- the recorded episodes -------------------------------------------
    for (i, ph) in phase.iter().enumerate() {
        if let Phase::Leak { a, k: 0, of } = *ph {
            let at = &attacks[a];
            let start = first + Duration::days(i as i64);
            // The patient closes the episode once the weight is back.
            let rec_days = phase[i + usize::from(of)..]
                .iter()
                .take_while(|p| matches!(p, Phase::Recovery { a: b, .. } if *b == a))
                .count();
            let notes = if at.hospitalized {
                HOSPITAL_NOTES
            } else {
                HOME_NOTES
            };
            let mut note = notes[(start.ordinal() as usize + a) % notes.len()].to_string();
            if let Some((bp, hct)) = at.arrival {
                note = format!("{note}; BP {bp}, Hct {hct}% on the first day");
            }
            if at.after_cold {
                note = format!("after a cold; {note}");
            }
            demo.episodes.push(Episode {
                id: 0,
                start,
                end: Some(start + Duration::days(i64::from(of) + rec_days as i64 - 1)),
                hospitalized: at.hospitalized,
                note: Some(note),
            });
        }
    }
    demo
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input;
    use crate::symptoms;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn decade() -> Demo {
        generate(d("2016-11-26"), d("2026-11-25"), DEFAULT_SEED)
    }

    fn morning(demo: &Demo, date: NaiveDate) -> &Measurements {
        &demo
            .entries
            .iter()
            .find(|e| e.date == date && e.time < NaiveTime::from_hms_opt(9, 0, 0).unwrap())
            .unwrap()
            .m
    }

    #[test]
    fn years_back_counts_whole_years() {
        assert_eq!(years_back(d("2026-11-25"), 10), Some(d("2016-11-26")));
        assert_eq!(years_back(d("2026-11-25"), 1), Some(d("2025-11-26")));
        // From a leap day, the month end is clamped.
        assert_eq!(years_back(d("2028-02-29"), 1), Some(d("2027-03-01")));
    }

    #[test]
    fn same_seed_same_diary_other_seed_other_diary() {
        let a = generate(d("2025-01-01"), d("2026-12-31"), 7);
        let b = generate(d("2025-01-01"), d("2026-12-31"), 7);
        let c = generate(d("2025-01-01"), d("2026-12-31"), 8);
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn one_morning_entry_a_day_in_order() {
        let demo = decade();
        let days = (d("2026-11-25") - d("2016-11-26")).num_days() + 1;
        assert_eq!(days, 3652);
        let lo = NaiveTime::from_hms_opt(7, 0, 0).unwrap();
        let hi = NaiveTime::from_hms_opt(8, 30, 0).unwrap();
        let mornings: Vec<_> = demo
            .entries
            .iter()
            .filter(|e| e.time >= lo && e.time <= hi)
            .collect();
        assert_eq!(mornings.len() as i64, days);
        for (i, e) in mornings.iter().enumerate() {
            assert_eq!(e.date, d("2016-11-26") + Duration::days(i as i64));
            assert!(e.m.weight_kg.is_some() && e.m.bp.is_some() && e.m.heart_rate.is_some());
        }
        assert!(demo
            .entries
            .windows(2)
            .all(|w| (w[0].date, w[0].time) <= (w[1].date, w[1].time)));
        // Some evenings too, but not most days.
        let extra = demo.entries.len() as i64 - days;
        assert!(extra > days / 10 && extra < days / 2, "{extra}");
    }

    #[test]
    fn about_two_attacks_a_year_inside_the_span() {
        let demo = decade();
        let n = demo.episodes.len();
        assert!((14..=26).contains(&n), "{n} episodes in 10 years");
        assert!(demo.episodes.iter().any(|e| e.hospitalized));
        assert!(demo.episodes.iter().any(|e| !e.hospitalized));
        for e in &demo.episodes {
            let end = e.end.unwrap();
            assert!(e.start >= d("2016-11-26") && end <= d("2026-11-25"));
            assert!((end - e.start).num_days() >= 6, "{e:?}");
            assert!(e.note.is_some());
        }
        // A one-month diary may have none; a short one never panics.
        let short = generate(d("2026-11-01"), d("2026-11-25"), 1);
        assert_eq!(
            short
                .entries
                .iter()
                .filter(|e| e.m.weight_kg.is_some())
                .count(),
            25
        );
        assert!(generate(d("2026-11-25"), d("2026-11-24"), 1)
            .entries
            .is_empty());
    }

    #[test]
    fn attacks_look_like_scls() {
        let demo = decade();
        for ep in &demo.episodes {
            let before = morning(&demo, ep.start - Duration::days(1));
            let leak = morning(&demo, ep.start);
            // Baseline: the median morning weight a week before the prodrome.
            let mut w: Vec<f64> = (4..=10)
                .map(|k| {
                    morning(&demo, ep.start - Duration::days(k))
                        .weight_kg
                        .unwrap()
                })
                .collect();
            w.sort_by(f64::total_cmp);
            let base = w[3];
            let gained = before.weight_kg.unwrap() - base;
            assert!(
                (1.0..=3.2).contains(&gained),
                "prodrome gain {gained} before {}",
                ep.start
            );
            assert!(before.symptom("thirst").unwrap() >= 2);
            assert!(before.symptom("fatigue").unwrap() >= 2);
            let bp = leak.bp.unwrap();
            assert!((85..=95).contains(&bp.systolic), "{bp}");
            assert!(leak.heart_rate.unwrap() >= 115);
            assert!(leak.symptom("swelling").unwrap() >= 2);
            assert_eq!(leak.urine, Some(Urine::Less));
            let hct = leak.lab(LabKind::Hematocrit).unwrap();
            assert!((52.0..=58.0).contains(&hct));
            // Recovery: polyuria the day after the leak ends, and the weight
            // back near baseline by the episode's end.
            let end = ep.end.unwrap();
            assert!(demo
                .entries
                .iter()
                .any(|e| e.date > ep.start && e.date <= end && e.m.symptom("polyuria").is_some()));
            let back = morning(&demo, end).weight_kg.unwrap() - base;
            assert!(
                back.abs() < 1.0,
                "weight {back} off baseline at the end of {}",
                ep.start
            );
        }
        assert!(demo
            .entries
            .iter()
            .any(|e| e.m.symptom("breathlessness").is_some()));
        assert!(demo
            .entries
            .iter()
            .any(|e| e.m.symptom("cold-symptoms").is_some()));
    }

    #[test]
    fn ivig_every_28_days() {
        let demo = decade();
        let days: Vec<NaiveDate> = demo
            .entries
            .iter()
            .filter(|e| {
                e.m.meds
                    .iter()
                    .any(|m| m.name == "ivig" && m.dose.as_deref() == Some("2g/kg"))
            })
            .map(|e| e.date)
            .collect();
        assert!((120..=131).contains(&days.len()), "{}", days.len());
        assert!(days
            .windows(2)
            .all(|w| (28..=45).contains(&(w[1] - w[0]).num_days())));
    }

    #[test]
    fn every_value_is_one_cls_log_accepts() {
        let demo = generate(d("2000-01-01"), d("2029-12-31"), 12345);
        for e in &demo.entries {
            let m = &e.m;
            if let Some(w) = m.weight_kg {
                assert!((input::WEIGHT_KG.0..=input::WEIGHT_KG.1).contains(&w));
                assert_eq!(
                    input::parse_weight("w", &w.to_string(), input::WeightUnit::Kg).unwrap(),
                    w
                );
            }
            for b in [m.bp, m.standing_bp].into_iter().flatten() {
                assert_eq!(input::parse_bp("bp", &b.to_string()).unwrap(), b);
            }
            if let Some(hr) = m.heart_rate {
                assert_eq!(input::parse_hr("hr", &hr.to_string()).unwrap(), hr);
            }
            for s in &m.symptoms {
                assert!(symptoms::CANONICAL.contains(&s.name.as_str()), "{}", s.name);
                assert!(s.severity <= 3);
            }
            for l in &m.labs {
                let (lo, hi) = l.kind.range();
                assert!((lo..=hi).contains(&l.value));
            }
            for med in &m.meds {
                let s = format!("{}:{}", med.name, med.dose.as_deref().unwrap_or(""));
                assert_eq!(&input::parse_med("med", &s).unwrap(), med);
            }
            if let Some(n) = &m.note {
                input::check_note("note", n).unwrap();
            }
            assert!(!m.is_empty());
        }
    }

    #[test]
    fn the_store_accepts_it_all() {
        let demo = generate(d("2024-01-01"), d("2026-11-25"), 3);
        let mut store = crate::Store::open_in_memory().unwrap();
        store
            .write("demo", |tx| {
                for e in &demo.entries {
                    let stamp = crate::model::Stamp {
                        date: e.date,
                        time: e.time,
                        utc: e.date.and_time(e.time).and_utc(),
                        offset_secs: 0,
                    };
                    crate::store::insert_entry(tx, &stamp, &e.m)?;
                }
                for ep in &demo.episodes {
                    crate::store::insert_episode(tx, ep)?;
                }
                Ok(())
            })
            .unwrap();
        assert_eq!(store.count_entries().unwrap() as usize, demo.entries.len());
        assert_eq!(store.episodes().unwrap().len(), demo.episodes.len());
    }
}
