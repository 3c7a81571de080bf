//! `cls card`: a one-page emergency card for emergency-room staff who have
//! never heard of SCLS. [`build`] gathers the data (who, what the disease
//! is, whom to call, the patient's own instructions, treatment, baselines,
//! the last week and today's level) into a [`Card`], which serializes to
//! JSON as it is; [`text`] and [`html`] lay it out. The wording both
//! layouts share (a dose, a level, the baselines, the capped findings and
//! readings) is here, so the two cannot drift apart.
//!
//! The patient's emergency instructions are printed verbatim from the
//! config and never generated: cls states facts about the disease and the
//! diary, not medical orders. Missing config fields are left out, and
//! [`missing`] says which ones so the command can hint how to add them.

pub mod html;
pub mod text;

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate};
use serde::Serialize;

use crate::config::{Contact, Patient, ScheduledMed};
use crate::input::WeightUnit;
use crate::model::{Bp, DayStart, Entry, Episode, LabKind};
use crate::render;
use crate::report::{day_weights, lab_value, median, MedStatus};
use crate::rules::{Assessment, Finding, Level, WeightBaseline};

pub const CONDITION: &str = "Systemic capillary leak syndrome (Clarkson disease)";

/// A plain description for staff who do not know the disease, from the
/// team's clinical notes.
pub const DESCRIPTION: &str = "A rare disease with sudden attacks in which plasma leaks out of the blood \
vessels into the tissues. An attack brings low blood pressure, up to shock; hemoconcentration (high \
hematocrit and hemoglobin); low albumin; and fast swelling of the face and limbs. The lungs are usually \
spared during the leak phase. Attacks often start with flu-like symptoms, thirst and weight gain. In the \
recovery phase, days later, the fluid returns to the circulation, with a danger of fluid overload and \
pulmonary oedema. Please ask the patient's specialist before giving large volumes of IV fluid.";

/// Everything [`build`] reads.
pub struct Input<'a> {
    pub patient: &'a Patient,
    /// The diary was made by `cls demo`: the card says so in a banner, and
    /// shows no name, birth date, contact or instruction from `patient`.
    pub synthetic: bool,
    /// Recent entries (a year is plenty), sorted by
    /// [`crate::model::entry_order`].
    pub entries: &'a [Entry],
    /// Recorded episodes: their days are left out of the baselines.
    pub episodes: &'a [Episode],
    /// The rules' weight baseline for `date`
    /// ([`crate::rules::weight_baselines`]): the usual weight.
    pub weight_baseline: WeightBaseline,
    /// Where a logical day starts (the rules' `day_start`).
    pub day_start: DayStart,
    /// The scheduled medications as of `date`.
    pub scheduled: Vec<MedStatus>,
    /// The last dose of medications named in the prophylaxis text but not
    /// scheduled: (name, date, dose).
    pub prophylaxis_doses: Vec<(String, NaiveDate, Option<String>)>,
    /// The engine's verdict for `date`.
    pub today: &'a Assessment,
    pub date: NaiveDate,
    pub generated: DateTime<FixedOffset>,
    pub version: &'a str,
    pub unit: WeightUnit,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    /// A synthetic demo diary's card (only present, as `true`, for one).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub synthetic: bool,
    pub generated: DateTime<FixedOffset>,
    pub version: String,
    pub unit: WeightUnit,
    pub date: NaiveDate,
    pub name: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub age: Option<i32>,
    pub condition: String,
    pub description: String,
    pub specialist: Option<Contact>,
    pub clinician: Option<Contact>,
    pub emergency_contact: Option<Contact>,
    /// Verbatim from the config.
    pub instructions: Option<String>,
    pub prophylaxis: Option<String>,
    pub notes: Option<String>,
    pub last_doses: Vec<LastDose>,
    pub baseline: Baseline,
    /// The 7 logical days up to and including `date`, oldest first.
    pub recent: Vec<CardDay>,
    pub level: Level,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastDose {
    pub name: String,
    pub date: Option<NaiveDate>,
    pub dose: Option<String>,
    /// From the schedule, when the medication is scheduled.
    pub every_days: Option<u32>,
    pub next: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Baseline {
    /// The rules' weight baseline for `date`: the median of the day weights
    /// of the last `no_baseline.days` weighed days before it, outside
    /// recorded episodes (`kg` is `None` with too few of them).
    pub weight: WeightBaseline,
    /// Median systolic and diastolic of the last (up to) 7 sitting
    /// readings before `date`, outside recorded episodes.
    pub bp: Option<Bp>,
    pub heart_rate: Option<u16>,
    pub bp_readings: usize,
    /// The latest value of each lab, with its date.
    pub labs: Vec<(LabKind, f64, NaiveDate)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardDay {
    pub date: NaiveDate,
    /// The day weight, as the rules read it.
    pub weight_kg: Option<f64>,
    pub bp: Vec<Bp>,
    pub heart_rate: Vec<u16>,
}

/// A config field group the card would show but is not set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Identity,
    Specialist,
    EmergencyContact,
    Instructions,
    Prophylaxis,
}

impl Missing {
    /// One line saying how to fill it in.
    pub fn hint(self) -> &'static str {
        match self {
            Missing::Identity => "no name or date of birth on the card: set name and date_of_birth under [patient]",
            Missing::Specialist => "no specialist on the card: set name and phone under [patient.specialist]",
            Missing::EmergencyContact => {
                "no emergency contact on the card: set name and phone under [patient.emergency_contact]"
            }
            Missing::Instructions => {
                "no emergency instructions on the card: write them with your specialist as emergency_instructions under [patient]"
            }
            Missing::Prophylaxis => {
                "no treatment on the card: set prophylaxis under [patient], or add your infusions as [[medications]]"
            }
        }
    }
}

/// Which field groups are missing from the config.
pub fn missing(p: &Patient, schedule: &[ScheduledMed]) -> Vec<Missing> {
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
    let mut v = Vec::new();
    if blank(&p.name) || p.date_of_birth.is_none() {
        v.push(Missing::Identity);
    }
    if p.specialist.is_empty() {
        v.push(Missing::Specialist);
    }
    if p.emergency_contact.is_empty() {
        v.push(Missing::EmergencyContact);
    }
    if blank(&p.emergency_instructions) {
        v.push(Missing::Instructions);
    }
    if blank(&p.prophylaxis) && schedule.is_empty() {
        v.push(Missing::Prophylaxis);
    }
    v
}

/// Medication names from the diary that the prophylaxis text mentions as a
/// word ("IVIG 2 g/kg every 4 weeks" mentions "ivig").
pub fn mentioned_meds<'a>(
    prophylaxis: &str,
    names: impl IntoIterator<Item = &'a String>,
) -> Vec<String> {
    let words: Vec<String> = prophylaxis
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    names
        .into_iter()
        .filter(|n| words.iter().any(|w| w == *n))
        .cloned()
        .collect()
}

fn contact(c: &Contact) -> Option<Contact> {
    (!c.is_empty()).then(|| c.clone())
}

pub fn build(input: &Input<'_>) -> Card {
    // A demo never carries the patient's details, whatever the caller passes.
    let blank = Patient::default();
    let p = if input.synthetic {
        &blank
    } else {
        input.patient
    };
    let date = input.date;
    let ds = input.day_start;
    // The usual values come from the days before today outside recorded
    // episodes, so an attack does not inflate them. The usual weight is the
    // rules' baseline, given in `input`.
    let in_episode = |d: NaiveDate| {
        input
            .episodes
            .iter()
            .any(|e| e.start <= d && d <= e.end.unwrap_or(date))
    };
    let before: Vec<&Entry> = input
        .entries
        .iter()
        .filter(|e| e.day(ds) < date && !in_episode(e.day(ds)))
        .collect();

    let weights = day_weights(input.entries, ds);
    let sitting: Vec<(Bp, Option<u16>)> = before
        .iter()
        .rev()
        .filter_map(|e| e.m.bp.map(|b| (b, e.m.heart_rate)))
        .take(7)
        .collect();
    let med_u16 =
        |v: Vec<u16>| median(v.into_iter().map(f64::from).collect()).map(|m| m.round() as u16);
    let bp = match (
        med_u16(sitting.iter().map(|x| x.0.systolic).collect()),
        med_u16(sitting.iter().map(|x| x.0.diastolic).collect()),
    ) {
        (Some(s), Some(d)) => Some(Bp {
            systolic: s,
            diastolic: d,
        }),
        _ => None,
    };
    let hr_values: Vec<u16> = before
        .iter()
        .rev()
        .filter_map(|e| e.m.heart_rate)
        .take(7)
        .collect();
    let labs = LabKind::ALL
        .into_iter()
        .filter_map(|k| {
            input
                .entries
                .iter()
                .rev()
                .filter(|e| e.day(ds) <= date)
                .find_map(|e| e.m.lab(k).map(|v| (k, v, e.date())))
        })
        .collect();

    let recent = (0..7)
        .rev()
        .map(|i| {
            let d = date - Duration::days(i);
            let day: Vec<&Entry> = input.entries.iter().filter(|e| e.day(ds) == d).collect();
            CardDay {
                date: d,
                weight_kg: weights.get(&d).copied(),
                bp: day.iter().filter_map(|e| e.m.bp).collect(),
                heart_rate: day.iter().filter_map(|e| e.m.heart_rate).collect(),
            }
        })
        .collect();

    let mut last_doses: Vec<LastDose> = input
        .scheduled
        .iter()
        .map(|m| LastDose {
            name: m.name.clone(),
            date: m.last_date,
            dose: m.last_dose.clone(),
            every_days: Some(m.every_days),
            next: Some(m.describe()),
        })
        .collect();
    for (name, d, dose) in &input.prophylaxis_doses {
        if !last_doses.iter().any(|l| l.name.eq_ignore_ascii_case(name)) {
            last_doses.push(LastDose {
                name: name.clone(),
                date: Some(*d),
                dose: dose.clone(),
                every_days: None,
                next: None,
            });
        }
    }

    let text = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let mut findings = input.today.findings.clone();
    findings.sort_by_key(|f| std::cmp::Reverse(f.level));
    for f in &mut findings {
        f.message = for_staff(&f.message);
    }
    Card {
        synthetic: input.synthetic,
        generated: input.generated,
        version: input.version.to_string(),
        unit: input.unit,
        date,
        name: text(&p.name),
        date_of_birth: p.date_of_birth,
        age: p.date_of_birth.map(|b| age(b, date)),
        condition: CONDITION.into(),
        description: DESCRIPTION.into(),
        specialist: contact(&p.specialist),
        clinician: contact(&p.clinician),
        emergency_contact: contact(&p.emergency_contact),
        // Verbatim: only surrounding blank lines are dropped.
        instructions: p
            .emergency_instructions
            .as_deref()
            .map(|s| s.trim_matches('\n').trim_end().to_string())
            .filter(|s| !s.trim().is_empty()),
        prophylaxis: text(&p.prophylaxis),
        notes: text(&p.notes),
        last_doses,
        baseline: Baseline {
            weight: input.weight_baseline,
            bp,
            heart_rate: med_u16(hr_values),
            bp_readings: sitting.len(),
            labs,
        },
        recent,
        level: input.today.level,
        findings,
    }
}

fn age(born: NaiveDate, on: NaiveDate) -> i32 {
    let mut a = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        a -= 1;
    }
    a
}

/// How many findings the card lists, most severe first; the rest are
/// counted ("+3 more in the report"), so the card stays one page.
pub const MAX_FINDINGS: usize = 4;

/// How many readings of one day the 7-day table lists before it sums them
/// up (an attack day can have a dozen).
pub const MAX_READINGS: usize = 3;

/// A finding's message, written for the patient ("your baseline", "weigh
/// yourself now"), said to hospital staff: about the patient, in the third
/// person, without the advice to the patient.
pub fn for_staff(message: &str) -> String {
    let mut m = message.to_string();
    for advice in ["; weigh yourself now", ": weigh yourself now"] {
        m = m.replace(advice, "");
    }
    let words: Vec<String> = m
        .split(' ')
        .map(|w| {
            let core = w.trim_matches(|c: char| !c.is_alphanumeric());
            let head = &w[..w.find(core).unwrap_or(0)];
            let tail = &w[head.len() + core.len()..];
            let swap = match core {
                "your" => "the patient's",
                "Your" => "The patient's",
                "you" => "the patient",
                "You" => "The patient",
                "yourself" => "the patient",
                _ => return w.to_string(),
            };
            format!("{head}{swap}{tail}")
        })
        .collect();
    words
        .join(" ")
        .replace("log the patient's", "check the patient's")
}

/// A day's readings for the 7-day table: all of them up to
/// [`MAX_READINGS`], else the lowest, the last and how many.
fn day_bps(v: &[Bp]) -> String {
    if v.len() <= MAX_READINGS {
        return crate::report::bps(v);
    }
    let low = v.iter().min_by_key(|b| b.systolic).expect("not empty");
    let last = v.last().expect("not empty");
    format!("lowest {low}, last {last} ({} readings)", v.len())
}

/// A day's pulses, like [`day_bps`] with the highest.
fn day_hrs(v: &[u16]) -> String {
    if v.len() <= MAX_READINGS {
        return crate::report::hrs(v);
    }
    let high = v.iter().max().expect("not empty");
    let last = v.last().expect("not empty");
    format!("highest {high}, last {last} ({})", v.len())
}

/// The findings the card lists, and how many it leaves to the report.
fn shown_findings(c: &Card) -> (&[Finding], usize) {
    let n = c.findings.len().min(MAX_FINDINGS);
    (&c.findings[..n], c.findings.len() - n)
}

/// "+3 more findings in the patient's report (cls report)".
fn more_line(n: usize) -> String {
    format!(
        "+{} in the patient's report (cls report)",
        crate::render::count(n, "more finding", "more findings")
    )
}

fn dose_line(d: &LastDose) -> String {
    let mut s = d.name.clone();
    match d.date {
        Some(date) => {
            let _ = write!(s, ": last {date}");
            if let Some(x) = &d.dose {
                let _ = write!(s, " ({x})");
            }
        }
        None => s.push_str(": no dose in the diary"),
    }
    if let Some(e) = d.every_days {
        let _ = write!(s, "; every {}", crate::report::days(i64::from(e)));
    }
    if let Some(n) = d.next.as_deref().filter(|_| d.date.is_some()) {
        let _ = write!(s, ", {n}");
    }
    s
}

/// What a level means, for staff who do not know cls.
fn level_meaning(l: Level) -> &'static str {
    match l {
        Level::Ok => "(no warning signs in the diary)",
        Level::Unknown => "(not enough recent diary data to judge)",
        Level::Watch => "(early signs: watch)",
        Level::Warning => "(warning signs of an attack)",
        Level::Emergency => "(emergency signs)",
    }
}

fn level_line(c: &Card) -> String {
    format!(
        "{} {}",
        c.level.as_str().to_uppercase(),
        level_meaning(c.level)
    )
}

fn baseline_lines(c: &Card) -> Vec<(String, String)> {
    let b = &c.baseline;
    let mut v = Vec::new();
    if let Some(w) = b.weight.kg {
        v.push((
            "Usual weight".into(),
            format!(
                "{} ({} outside attacks)",
                render::weight(w, c.unit),
                b.weight.label()
            ),
        ));
    }
    if let Some(bp) = b.bp {
        let hr = b
            .heart_rate
            .map(|h| format!(", heart rate {h}"))
            .unwrap_or_default();
        v.push((
            "Usual BP".into(),
            format!(
                "{bp} mmHg{hr} (median of the last {} outside attacks)",
                crate::render::count(b.bp_readings, "reading", "readings")
            ),
        ));
    }
    for (k, val, d) in &b.labs {
        v.push((
            format!("Last {k}"),
            format!("{} on {d}", lab_value(*k, *val)),
        ));
    }
    v
}

/// The banner of a card made from a demo diary.
pub const SYNTHETIC_BANNER: &str =
    "SYNTHETIC DEMO DIARY: made up by 'cls demo'; not a patient's card";

#[cfg(test)]
mod tests {
    use super::html::{fits_one_page, zoom, MIN_ZOOM};
    use super::*;
    use crate::report::testdata::*;

    fn full_patient() -> Patient {
        Patient {
            name: Some("Alex <Example>".into()),
            date_of_birth: Some(date("1970-01-31")),
            specialist: Contact {
                name: Some("Dr Lee, Immunology".into()),
                phone: Some("+1 555 0100".into()),
                role: None,
            },
            clinician: Contact::default(),
            emergency_contact: Contact {
                name: Some("Sam".into()),
                phone: Some("+1 555 0102".into()),
                role: Some("partner".into()),
            },
            emergency_instructions: Some(
                "\nCall Dr Lee at once.\n  Avoid large IV volumes; <see letter>.\n".into(),
            ),
            prophylaxis: Some("IVIG 2 g/kg every 28 days".into()),
            notes: Some("MGUS IgG kappa".into()),
            include_condition: false,
        }
    }

    fn card(patient: &Patient) -> Card {
        let d = sample_diary();
        let input = d.input();
        let today = d.history.last().unwrap().clone();
        build(&Input {
            synthetic: false,
            patient,
            entries: &d.entries,
            episodes: &d.episodes,
            weight_baseline: *d.baselines.last().unwrap(),
            day_start: DayStart::default(),
            scheduled: input.scheduled.clone(),
            prophylaxis_doses: vec![],
            today: &today,
            date: date("2026-11-25"),
            generated: input.generated,
            version: "0.1.0",
            unit: WeightUnit::Kg,
        })
    }

    #[test]
    fn builds_baselines_and_the_last_week() {
        let c = card(&full_patient());
        assert_eq!(c.age, Some(56));
        assert_eq!(c.recent.len(), 7);
        assert_eq!(c.recent[0].date, date("2026-11-19"));
        assert!(
            c.recent.iter().any(|d| d.weight_kg.is_none()),
            "11-20 was not logged"
        );
        assert_eq!(c.baseline.weight.date, date("2026-11-25"));
        assert_eq!(c.baseline.weight.weights, 7);
        // The episode (11-17 to 11-20) is left out: 67.6 68.0 68.1 68.2 68.4 68.6 69.6.
        assert_eq!(c.baseline.weight.kg, Some(68.2));
        let t = text::render(&c, 80);
        assert!(
            t.contains("68.2 kg (median of the last 7 weighed days outside attacks)"),
            "{t}"
        );
        assert_eq!(c.baseline.labs.len(), 2);
        assert_eq!(c.last_doses[0].date, Some(date("2026-11-22")));
        assert_eq!(c.level, Level::Watch);
    }

    #[test]
    fn instructions_are_verbatim_and_escaped() {
        let c = card(&full_patient());
        assert_eq!(
            c.instructions.as_deref(),
            Some("Call Dr Lee at once.\n  Avoid large IV volumes; <see letter>.")
        );
        let h = html::render(&c);
        assert!(h.contains("Call Dr Lee at once.\n  Avoid large IV volumes; &lt;see letter&gt;."));
        assert!(h.contains("Alex &lt;Example&gt;") && !h.contains("<Example>"));
        assert!(!h.contains("<script") && !h.contains("src=") && !h.contains("href="));
        let t = text::render(&c, 80);
        assert!(t.contains("  Avoid large IV volumes; <see letter>."), "{t}");
        assert!(t.contains(CONDITION));
        for l in t.lines() {
            assert!(l.chars().count() <= 80, "wider than 80 columns: {l}");
        }
    }

    #[test]
    fn missing_groups() {
        assert!(missing(&full_patient(), &[]).is_empty());
        let all = missing(&Patient::default(), &[]);
        assert_eq!(all.len(), 5);
        let c = card(&Patient::default());
        let t = text::render(&c, 80);
        assert!(
            !t.contains("CONTACTS") && !t.contains("INSTRUCTIONS"),
            "{t}"
        );
        // The scheduled infusion still shows.
        assert!(t.contains("TREATMENT") && t.contains("ivig"), "{t}");
    }

    #[test]
    fn findings_are_said_to_staff_in_the_third_person() {
        assert_eq!(
            for_staff(
                "yesterday's weight 64.8 kg (2026-05-10; weigh yourself now) is +1.5 kg over your baseline 63.3 kg"
            ),
            "yesterday's weight 64.8 kg (2026-05-10) is +1.5 kg over the patient's baseline 63.3 kg"
        );
        assert_eq!(
            for_staff("your weight has stayed up: over your reference (your dry weight)"),
            "the patient's weight has stayed up: over the patient's reference (the patient's dry weight)"
        );
        assert_eq!(
            for_staff("thirst logged but no weight on 2026-05-11: weigh yourself now"),
            "thirst logged but no weight on 2026-05-11"
        );
        assert_eq!(
            for_staff("low BP: log your weight, blood pressure and urine now"),
            "low BP: check the patient's weight, blood pressure and urine now"
        );
        assert_eq!(for_staff("young, yours"), "young, yours");
    }

    #[test]
    fn findings_and_readings_are_capped() {
        let mut c = card(&full_patient());
        let f = c.findings[0].clone();
        c.findings = vec![f; 11];
        let t = text::render(&c, 80);
        assert_eq!(
            t.matches(&c.findings[0].message).count(),
            MAX_FINDINGS,
            "{t}"
        );
        assert!(
            t.contains("+7 more findings in the patient's report (cls report)"),
            "{t}"
        );
        let h = html::render(&c);
        assert!(h.contains("<li class=\"more\">+7 more findings"), "{h}");
        c.findings.truncate(5);
        assert!(text::render(&c, 80).contains("+1 more finding in"));

        let b = |s| Bp {
            systolic: s,
            diastolic: 50,
        };
        assert_eq!(day_bps(&[b(90), b(80), b(85)]), "90/50, 80/50, 85/50");
        assert_eq!(
            day_bps(&[b(90), b(80), b(85), b(88)]),
            "lowest 80/50, last 88/50 (4 readings)"
        );
        assert_eq!(day_hrs(&[100, 130, 120, 110]), "highest 130, last 110 (4)");
    }

    #[test]
    fn the_card_shrinks_to_fit_one_page() {
        let mut c = card(&full_patient());
        assert!((zoom(&c) - 1.0).abs() < 1e-9, "{}", zoom(&c));
        assert!(html::render(&c).contains("@media print{main{zoom:1.000}}"));
        c.instructions =
            Some("Give albumin and call the specialist before any fluid bolus.\n".repeat(30));
        let z = zoom(&c);
        assert!((MIN_ZOOM..1.0).contains(&z), "{z}");
        assert!(fits_one_page(&c));
        c.instructions = Some("Give albumin.\n".repeat(200));
        assert!(!fits_one_page(&c));
        assert!((zoom(&c) - MIN_ZOOM).abs() < 1e-9);
    }

    #[test]
    fn prophylaxis_names_match_whole_words() {
        let names = [
            "ivig".to_string(),
            "iv".to_string(),
            "terbutaline".to_string(),
        ];
        assert_eq!(
            mentioned_meds("IVIG 2 g/kg every 28 days", &names),
            vec!["ivig".to_string()]
        );
    }
}
