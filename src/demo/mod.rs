//! A synthetic diary for `cls demo` and the benchmark: a made-up patient's
//! mornings, evenings, IVIG infusions, colds and about 1.2 attacks a year,
//! shaped after the course of the disease and made as untidy as
//! docs/rules.md ("The demo diary") asks, so that it does not flatter the
//! rules: a bathroom scale with an SD of about 0.55 kg, a tenth of mornings
//! missed (holidays, forgotten days, too ill to log), evening entries (some
//! after midnight, counting for the day before), salty meals and hot days
//! that look like a prodrome, and attacks that differ: a fifth without a
//! weight gain, a fifth without thirst, some with no prodrome at all, leak
//! systolic 70–95, albumin measured in some.
//!
//! Pure: the same span and seed always give the same diary, on every
//! platform. The generator is a hand-rolled splitmix64 and uses only
//! IEEE-exact arithmetic (no `ln`/`cos`), so a seed means the same numbers
//! everywhere; no `rand` dependency is needed for made-up data.
//!
//! [`generate_with`] first plans the calendar (`demo/plan.rs`: attacks,
//! ordinary alarming days, missed mornings), then writes each day's
//! entries from it; the random numbers are in `demo/rng.rs`.

mod plan;
mod rng;

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveTime};

use crate::model::{Bp, Episode, LabKind, Measurements, Med, Urine};
use plan::{plan_attacks, plan_missed, plan_ordinary, Phase};
use rng::Rng;

/// What every output made from a demo diary says (issue 16).
pub const SYNTHETIC: &str = "synthetic demo diary";

/// The same as one line of explanation.
pub const SYNTHETIC_NOTE: &str =
    "synthetic demo diary: made up by 'cls demo', not a patient's data";

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

/// How the made-up patient's life goes; `Default` is the demo
/// patient of docs/rules.md (about 1.2 attacks a year).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// The mean number of attacks a year (0.1–12); fewer for a patient on
    /// well-timed IVIG [S 7].
    pub attacks_per_year: f64,
}

/// The attack rate `cls demo` uses unless told otherwise (Gousseff 2011:
/// median 1.23 a year).
pub const DEFAULT_ATTACKS_PER_YEAR: f64 = 1.2;

impl Default for Options {
    fn default() -> Self {
        Options {
            attacks_per_year: DEFAULT_ATTACKS_PER_YEAR,
        }
    }
}

/// Day-to-day scale noise, kg (docs/rules.md: a real bathroom scale and
/// the body's daily swing give an SD of about 0.5–0.7 kg).
const SCALE_SD_KG: f64 = 0.55;

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

/// Generate a diary covering `first..=last` (an empty one if `first > last`)
/// with the default [`Options`].
pub fn generate(first: NaiveDate, last: NaiveDate, seed: u64) -> Demo {
    generate_with(first, last, seed, &Options::default())
}

/// Generate a diary covering `first..=last` (an empty one if `first > last`).
pub fn generate_with(first: NaiveDate, last: NaiveDate, seed: u64, opts: &Options) -> Demo {
    let ndays = usize::try_from((last - first).num_days() + 1).unwrap_or(0);
    let mut rng = Rng(seed);
    let mut demo = Demo::default();
    if ndays == 0 {
        return demo;
    }

    // ---- plan the attacks, ordinary days and gaps ------------------------
    let mut phase = vec![Phase::Normal; ndays];
    let mut attacks = plan_attacks(&mut rng, &mut phase, opts);
    plan_ordinary(&mut rng, &mut phase, first);
    let missed = plan_missed(&mut rng, &phase);

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
        // An ordinary evening: a reading now and then.
        let plain_evening = |rng: &mut Rng| {
            rng.chance(0.12).then(|| {
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
                e
            })
        };

        match ph {
            Phase::Normal => {
                if rng.chance(0.04) {
                    m.set_symptom("headache", if rng.chance(0.2) { 2 } else { 1 });
                }
                if rng.chance(0.06) {
                    m.set_symptom("fatigue", if rng.chance(0.15) { 2 } else { 1 });
                }
                if rng.chance(0.01) {
                    m.set_symptom("irritability", 1);
                }
                if rng.chance(0.03) {
                    m.note = Some(
                        DAY_NOTES[rng.int(0, DAY_NOTES.len() as i64 - 1) as usize].to_string(),
                    );
                }
                evening = plain_evening(&mut rng);
            }
            Phase::Salty => {
                gain = rng.uniform(0.6, 1.6);
                m.set_symptom(
                    "thirst",
                    if rng.chance(0.15) {
                        2
                    } else {
                        rng.int(0, 1) as u8
                    },
                );
                if rng.chance(0.5) {
                    m.note = Some("salty dinner last night".to_string());
                }
                evening = plain_evening(&mut rng);
            }
            Phase::Hot => {
                gain = -rng.uniform(0.0, 0.6);
                m.set_symptom("thirst", 2);
                m.set_symptom("fatigue", rng.int(1, 2) as u8);
                if rng.chance(0.3) {
                    m.set_symptom("dizziness", 1);
                }
                if rng.chance(0.2) {
                    m.set_symptom("headache", 2);
                }
                if rng.chance(0.3) {
                    m.note = Some("hot day".to_string());
                }
                sys -= 8.0;
                hr += 6.0;
                evening = plain_evening(&mut rng);
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
                let share = f64::from(k + 1) / f64::from(of);
                gain = at.prodrome_gain * share * rng.uniform(0.85, 1.1);
                if at.thirst {
                    m.set_symptom("thirst", if last { rng.int(2, 3) as u8 } else { 2 });
                }
                m.set_symptom("fatigue", rng.int(1, if last { 3 } else { 2 }) as u8);
                for (name, p) in [
                    ("muscle-pain", 0.5),
                    ("headache", 0.3),
                    ("nausea", 0.25),
                    ("weakness", 0.3),
                    ("abdominal-pain", 0.2),
                ] {
                    if rng.chance(p) {
                        m.set_symptom(name, rng.int(1, 2) as u8);
                    }
                }
                // Mostly a pressure a little down and a pulse a little up;
                // in some attacks the last prodrome day already shows the
                // leak starting.
                if last && rng.chance(0.3) {
                    sys = sys0 - rng.uniform(14.0, 24.0);
                    hr = hr0 + rng.uniform(18.0, 30.0);
                } else {
                    sys = sys0 - rng.uniform(0.0, 10.0);
                    hr = hr0 + rng.uniform(4.0, 16.0);
                }
                dia = dia0 - rng.uniform(2.0, 8.0);
                if rng.chance(0.5) {
                    let mut e = Measurements {
                        bp: Some(bp(sys - 2.0, dia - 2.0)),
                        heart_rate: Some(clamp_u16(hr + 3.0, 40, 200)),
                        note: (last && rng.chance(0.5))
                            .then(|| "feels like an attack coming".to_string()),
                        ..Measurements::default()
                    };
                    if at.thirst {
                        e.set_symptom("thirst", 3);
                    }
                    e.set_symptom("fatigue", 2);
                    evening = Some(e);
                }
            }
            Phase::Leak { a, k, of } => {
                let at = &mut attacks[a];
                gain = at.prodrome_gain.max(0.0)
                    + (at.peak_gain - at.prodrome_gain.max(0.0)) * f64::from(k + 1) / f64::from(of);
                m.set_symptom("swelling", if k == 0 { rng.int(1, 2) as u8 } else { 3 });
                m.set_symptom("dizziness", rng.int(1, 3) as u8);
                m.set_symptom("fatigue", 3);
                if at.thirst {
                    m.set_symptom("thirst", 2);
                }
                if rng.chance(0.5) {
                    m.set_symptom("weakness", 2);
                }
                if rng.chance(0.3) {
                    m.set_symptom("abdominal-pain", 2);
                }
                if rng.chance(0.8) {
                    m.urine = Some(Urine::Less);
                }
                // docs/rules.md, "The demo diary": leak systolic 70–95.
                sys = rng.uniform(70.0, 95.0);
                dia = sys * rng.uniform(0.55, 0.65);
                hr = rng.uniform(100.0, 135.0);
                standing = None;
                if k < 2 && (at.hospitalized || rng.chance(0.4)) {
                    m.set_lab(LabKind::Hematocrit, round1(rng.uniform(50.0, 60.0)));
                    m.set_lab(LabKind::Hemoglobin, round1(rng.uniform(16.5, 20.0)));
                }
                if k == 1 || (k == 0 && of == 1) {
                    if let Some(alb) = at.albumin {
                        m.set_lab(LabKind::Albumin, alb);
                    }
                }
                if k == 0 {
                    at.arrival = Some((bp(sys, dia), m.lab(LabKind::Hematocrit)));
                }
                if k == 0 && at.hospitalized {
                    m.note = Some("in hospital".to_string());
                }
                if rng.chance(0.6) {
                    let s = rng.uniform(72.0, 95.0);
                    let mut e = Measurements {
                        bp: Some(bp(s, s * 0.6)),
                        heart_rate: Some(clamp_u16(rng.uniform(105.0, 130.0), 40, 200)),
                        ..Measurements::default()
                    };
                    if rng.chance(0.7) {
                        e.urine = Some(Urine::Less);
                    }
                    evening = Some(e);
                }
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
                if k < 2 && rng.chance(0.6) {
                    evening = Some(Measurements {
                        bp: Some(bp(sys + 2.0, dia + 1.0)),
                        heart_rate: Some(clamp_u16(hr, 40, 200)),
                        urine: Some(Urine::More),
                        ..Measurements::default()
                    });
                }
            }
        }

        let weight = baseline + gain + SCALE_SD_KG * rng.normal();
        if missed[i] {
            // Now and then a missed morning is made up in the evening,
            // weighed after a day's food and drink (heavier).
            if rng.chance(0.3) {
                let mut e = evening.take().unwrap_or_default();
                e.weight_kg = Some(round1(weight + rng.uniform(0.4, 1.2)));
                e.bp.get_or_insert(bp(sys, dia));
                e.symptoms.clone_from(&m.symptoms);
                evening = Some(e);
            } else if rng.chance(0.7) {
                evening = None;
            }
        } else {
            // Some days the scale is skipped but not the cuff.
            if !rng.chance(0.03) {
                m.weight_kg = Some(round1(weight));
            }
            m.bp = Some(bp(sys, dia));
            m.heart_rate = Some(clamp_u16(hr, 40, 200));
            if let Some((ds, dd)) = standing {
                m.standing_bp = Some(bp(sys - ds, dia - dd));
            }
            // Mostly before breakfast; sometimes a late morning.
            let t = if rng.chance(0.1) {
                time(&mut rng, 9 * 60, 10 * 60 + 45)
            } else {
                time(&mut rng, 7 * 60, 8 * 60 + 30)
            };
            demo.entries.push(DemoEntry { date, time: t, m });
        }

        // IVIG every 28 days at the day unit, with bloods taken first;
        // postponed while an attack is under way or the patient is away.
        if i >= next_ivig && !ph.in_attack() && !missed[i] {
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
                time: time(&mut rng, 11 * 60, 12 * 60 + 30),
                m: e,
            });
            next_ivig = i + 28;
        }
        if let Some(e) = evening.filter(|e| !e.is_empty()) {
            // Some evening entries are made after midnight: stamped the next
            // calendar day before 04:00, they count for this one.
            if i + 1 < ndays && rng.chance(0.15) {
                demo.entries.push(DemoEntry {
                    date: date + Duration::days(1),
                    time: time(&mut rng, 5, 100),
                    m: e,
                });
            } else {
                demo.entries.push(DemoEntry {
                    date,
                    time: time(&mut rng, 20 * 60, 23 * 60 + 30),
                    m: e,
                });
            }
        }
    }
    // A late morning can come after the infusion's entry.
    demo.entries.sort_by_key(|e| (e.date, e.time));

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
            match at.arrival {
                Some((bp, Some(hct))) => {
                    note = format!("{note}; BP {bp}, Hct {hct}% on the first day");
                }
                Some((bp, None)) => note = format!("{note}; BP {bp} on the first day"),
                None => {}
            }
            if let Some(alb) = at.albumin {
                note = format!("{note}; albumin {alb} g/L");
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

    fn noon() -> NaiveTime {
        NaiveTime::from_hms_opt(12, 0, 0).unwrap()
    }

    /// The morning entry of a day with a weight, if the patient made one.
    fn morning(demo: &Demo, date: NaiveDate) -> Option<&Measurements> {
        demo.entries
            .iter()
            .find(|e| {
                e.date == date
                    && e.time >= NaiveTime::from_hms_opt(4, 0, 0).unwrap()
                    && e.time < noon()
                    && e.m.bp.is_some()
            })
            .map(|e| &e.m)
    }

    fn in_episode_window(demo: &Demo, date: NaiveDate) -> bool {
        demo.episodes.iter().any(|e| {
            date >= e.start - Duration::days(5) && date <= e.end.unwrap() + Duration::days(3)
        })
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
    fn about_a_tenth_of_mornings_missed_some_entries_after_midnight() {
        let demo = decade();
        let days = (d("2026-11-25") - d("2016-11-26")).num_days() + 1;
        assert_eq!(days, 3652);
        let mornings = (0..days)
            .filter(|i| morning(&demo, d("2016-11-26") + Duration::days(*i)).is_some())
            .count() as f64;
        let missed = 1.0 - mornings / days as f64;
        assert!(
            (0.07..=0.14).contains(&missed),
            "{missed} of mornings missed"
        );
        // The first and last days always have an entry.
        assert_eq!(demo.entries.first().unwrap().date, d("2016-11-26"));
        assert_eq!(demo.entries.last().unwrap().date, d("2026-11-25"));
        assert!(demo
            .entries
            .windows(2)
            .all(|w| (w[0].date, w[0].time) <= (w[1].date, w[1].time)));
        let four = NaiveTime::from_hms_opt(4, 0, 0).unwrap();
        let after_midnight = demo.entries.iter().filter(|e| e.time < four).count();
        assert!((20..=200).contains(&after_midnight), "{after_midnight}");
        let evenings = demo
            .entries
            .iter()
            .filter(|e| e.time >= NaiveTime::from_hms_opt(19, 0, 0).unwrap())
            .count() as i64;
        assert!(evenings > days / 20 && evenings < days / 3, "{evenings}");
        // A few missed mornings are made up in the evening, heavier.
        assert!(demo
            .entries
            .iter()
            .any(|e| e.time >= noon() && e.m.weight_kg.is_some()));
    }

    /// docs/rules.md: day-to-day scale noise with an SD of 0.5–0.7 kg,
    /// measured on consecutive quiet mornings (no symptom, away from any
    /// episode): the SD of the differences over √2.
    #[test]
    fn scale_noise_sd_is_half_a_kilo_or_more() {
        let demo = decade();
        let quiet = |date: NaiveDate| -> Option<f64> {
            let m = morning(&demo, date)?;
            (m.symptoms.is_empty() && !in_episode_window(&demo, date)).then_some(m.weight_kg?)
        };
        let diffs: Vec<f64> = (1..3652)
            .filter_map(|i| {
                let day = d("2016-11-26") + Duration::days(i);
                Some(quiet(day)? - quiet(day - Duration::days(1))?)
            })
            .collect();
        assert!(diffs.len() > 1500, "{}", diffs.len());
        let n = diffs.len() as f64;
        let mean = diffs.iter().sum::<f64>() / n;
        let var = diffs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let sd = (var / 2.0).sqrt();
        assert!((0.5..=0.7).contains(&sd), "scale noise SD {sd:.3} kg");
    }

    #[test]
    fn about_one_attack_a_year_and_the_rate_is_an_option() {
        let demo = decade();
        let n = demo.episodes.len();
        assert!((8..=17).contains(&n), "{n} episodes in 10 years");
        assert!(demo.episodes.iter().any(|e| e.hospitalized));
        assert!(demo.episodes.iter().any(|e| !e.hospitalized));
        for e in &demo.episodes {
            let end = e.end.unwrap();
            assert!(e.start >= d("2016-11-26") && end <= d("2026-11-25"));
            assert!((end - e.start).num_days() >= 6, "{e:?}");
            assert!(e.note.is_some());
        }
        let few = generate_with(
            d("2016-11-26"),
            d("2026-11-25"),
            DEFAULT_SEED,
            &Options {
                attacks_per_year: 0.3,
            },
        );
        assert!(
            (1..=6).contains(&few.episodes.len()),
            "{}",
            few.episodes.len()
        );
        let many = generate_with(
            d("2016-11-26"),
            d("2026-11-25"),
            DEFAULT_SEED,
            &Options {
                attacks_per_year: 4.0,
            },
        );
        assert!(many.episodes.len() > 25, "{}", many.episodes.len());
        // A one-month diary may have none; a short one never panics.
        let short = generate(d("2026-11-01"), d("2026-11-25"), 1);
        assert!(short.entries.len() >= 20);
        assert!(generate(d("2026-11-25"), d("2026-11-24"), 1)
            .entries
            .is_empty());
    }

    /// The demo must not flatter the rules (docs/rules.md): across many
    /// attacks, about a fifth without thirst or without a gain in the
    /// prodrome, some with no prodrome at all; leak systolic 70–95;
    /// albumin in some leaks.
    #[test]
    fn attacks_vary_like_real_ones() {
        let mut total = 0;
        let mut no_thirst = 0;
        let mut no_gain = 0;
        let mut no_prodrome = 0;
        let mut albumin = 0;
        let mut below_85 = 0;
        for seed in 1..=8 {
            let demo = generate(d("2016-11-26"), d("2026-11-25"), seed);
            for ep in &demo.episodes {
                total += 1;
                let day_before = ep.start - Duration::days(1);
                let before: Vec<&Measurements> = demo
                    .entries
                    .iter()
                    .filter(|e| e.date == day_before || e.date == ep.start - Duration::days(2))
                    .map(|e| &e.m)
                    .collect();
                if !before
                    .iter()
                    .any(|m| m.symptom("thirst").is_some_and(|s| s >= 2))
                {
                    no_thirst += 1;
                }
                if !before.iter().any(|m| m.symptom("fatigue").is_some()) {
                    no_prodrome += 1;
                }
                // Baseline: quiet mornings a week or two before.
                let mut w: Vec<f64> = (6..=14)
                    .filter_map(|k| morning(&demo, ep.start - Duration::days(k))?.weight_kg)
                    .collect();
                w.sort_by(f64::total_cmp);
                if let (Some(base), Some(m)) = (w.get(w.len() / 2), morning(&demo, day_before)) {
                    if m.weight_kg.is_some_and(|x| x - base < 0.5) {
                        no_gain += 1;
                    }
                }
                let leak: Vec<&Measurements> = demo
                    .entries
                    .iter()
                    .filter(|e| e.date >= ep.start && e.date < ep.start + Duration::days(2))
                    .filter(|e| e.m.symptom("swelling").is_some())
                    .map(|e| &e.m)
                    .collect();
                for m in &leak {
                    let s = m.bp.unwrap().systolic;
                    assert!((70..=95).contains(&s), "leak systolic {s}");
                    below_85 += usize::from(s < 85);
                }
                if leak.iter().any(|m| m.lab(LabKind::Albumin).is_some()) {
                    albumin += 1;
                }
                let end = ep.end.unwrap();
                assert!(demo.entries.iter().any(|e| e.date > ep.start
                    && e.date <= end
                    && e.m.symptom("polyuria").is_some()));
            }
        }
        let share = |n: usize| n as f64 / total as f64;
        assert!(total > 60, "{total}");
        assert!(
            (0.15..=0.45).contains(&share(no_thirst)),
            "no thirst {no_thirst}/{total}"
        );
        assert!(
            (0.05..=0.25).contains(&share(no_prodrome)),
            "no prodrome {no_prodrome}/{total}"
        );
        assert!(
            (0.15..=0.5).contains(&share(no_gain)),
            "no gain {no_gain}/{total}"
        );
        assert!(
            (0.2..=0.6).contains(&share(albumin)),
            "albumin {albumin}/{total}"
        );
        assert!(below_85 > total / 2, "{below_85}");
    }

    /// Ordinary days set off alarms too: salty meals, hot days.
    #[test]
    fn ordinary_false_alarm_days_are_there() {
        let demo = decade();
        let noted = |s: &str| {
            demo.entries
                .iter()
                .filter(|e| e.m.note.as_deref() == Some(s))
                .count()
        };
        assert!(noted("salty dinner last night") > 20);
        assert!(noted("hot day") > 5);
        let thirsty_quiet = demo
            .entries
            .iter()
            .filter(|e| !in_episode_window(&demo, e.date))
            .filter(|e| e.m.symptom("thirst").is_some_and(|s| s >= 2))
            .count();
        assert!(thirsty_quiet > 50, "{thirsty_quiet}");
    }

    #[test]
    fn ivig_about_every_28_days() {
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
        assert!((110..=131).contains(&days.len()), "{}", days.len());
        assert!(days
            .windows(2)
            .all(|w| (28..=50).contains(&(w[1] - w[0]).num_days())));
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
        let store = crate::Store::open_in_memory().unwrap();
        store
            .insert_batch("demo", false, |b| {
                for e in &demo.entries {
                    let stamp = crate::model::Stamp {
                        date: e.date,
                        time: e.time,
                        utc: e.date.and_time(e.time).and_utc(),
                        offset_secs: 0,
                    };
                    b.entry(&stamp, &e.m)?;
                }
                for ep in &demo.episodes {
                    b.episode(ep)?;
                }
                Ok::<_, crate::store::StoreError>(())
            })
            .unwrap();
        assert_eq!(store.count_entries().unwrap() as usize, demo.entries.len());
        assert_eq!(store.episodes().unwrap().len(), demo.episodes.len());
    }
}
