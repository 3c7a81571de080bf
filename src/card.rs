//! `cls card`: a one-page emergency card for emergency-room staff who have
//! never heard of SCLS. [`build`] gathers the data (who, what the disease
//! is, whom to call, the patient's own instructions, treatment, baselines,
//! the last week and today's level); [`text`] and [`html`] lay it out.
//!
//! The patient's emergency instructions are printed verbatim from the
//! config and never generated: cls states facts about the disease and the
//! diary, not medical orders. Missing config fields are left out, and
//! [`missing`] says which ones so the command can hint how to add them.

use crate::render::sanitize;
use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate};
use comfy_table::{presets, ContentArrangement, LineStyle, Table, TableStyle};
use serde::Serialize;

use crate::config::{Contact, Patient, ScheduledMed};
use crate::input::WeightUnit;
use crate::model::{Bp, DayStart, Entry, Episode, LabKind};
use crate::render;
use crate::report::html::esc;
use crate::report::{day_weights, lab_value, median, MedStatus};
use crate::rules::{Assessment, Finding, Level, WeightBaseline};

pub const CONDITION: &str = "Systemic capillary leak syndrome (Clarkson disease)";

/// A plain description for staff who do not know the disease, from the
/// team's clinical notes (shared/clinical.md).
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

/// "Dr Lee, +1 555 0100 (immunology)".
fn contact_line(c: &Contact) -> String {
    let mut s = c.name.clone().unwrap_or_default();
    if let Some(p) = &c.phone {
        if !s.is_empty() {
            s.push_str(", ");
        }
        s.push_str(p);
    }
    if let Some(r) = &c.role {
        s.push_str(&format!(" ({r})"));
    }
    s
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

/// The card as plain text, at most `width` columns.
pub fn text(c: &Card, width: u16) -> String {
    let width = width.max(40);
    let mut o = String::new();
    let rule = "═".repeat(usize::from(width).min(72));
    if c.synthetic {
        let _ = writeln!(o, "{SYNTHETIC_BANNER}");
    }
    let _ = writeln!(o, "{rule}\nEMERGENCY MEDICAL INFORMATION\n{rule}");
    let mut who = Vec::new();
    if let Some(n) = &c.name {
        who.push(("Name".to_string(), sanitize(n)));
    }
    if let Some(d) = c.date_of_birth {
        let age = c.age.map(|a| format!(" (age {a})")).unwrap_or_default();
        who.push(("Born".to_string(), format!("{d}{age}")));
    }
    who.push(("Condition".to_string(), CONDITION.to_string()));
    kv(&mut o, who, width);
    o.push('\n');
    for l in wrap(&c.description, usize::from(width)) {
        let _ = writeln!(o, "{l}");
    }
    if let Some(i) = &c.instructions {
        let _ = writeln!(
            o,
            "\nTHE PATIENT'S EMERGENCY INSTRUCTIONS (written with their specialist)"
        );
        for l in i.lines() {
            let _ = writeln!(o, "  {}", sanitize(l));
        }
    }
    let mut contacts = Vec::new();
    for (k, c) in [
        ("Specialist", &c.specialist),
        ("Doctor", &c.clinician),
        ("Emergency contact", &c.emergency_contact),
    ] {
        if let Some(c) = c {
            contacts.push((k.to_string(), sanitize(&contact_line(c))));
        }
    }
    if !contacts.is_empty() {
        let _ = writeln!(o, "\nCONTACTS");
        kv(&mut o, contacts, width);
    }
    let mut treat = Vec::new();
    if let Some(p) = &c.prophylaxis {
        treat.push(("Prophylaxis".to_string(), sanitize(p)));
    }
    for d in &c.last_doses {
        treat.push(("Last dose".to_string(), sanitize(&dose_line(d))));
    }
    if let Some(n) = &c.notes {
        treat.push(("Notes".to_string(), sanitize(n)));
    }
    if !treat.is_empty() {
        let _ = writeln!(o, "\nTREATMENT");
        kv(&mut o, treat, width);
    }
    let _ = writeln!(o, "\nFROM THE PATIENT'S DIARY (as of {})", c.date);
    let mut status = vec![("Today".to_string(), level_line(c))];
    let (shown, more) = shown_findings(c);
    for f in shown {
        status.push((String::new(), sanitize(&f.message)));
    }
    if more > 0 {
        status.push((String::new(), more_line(more)));
    }
    status.extend(baseline_lines(c));
    kv(&mut o, status, width);
    let mut t = Table::new();
    t.load_style(TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─')));
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_width(width);
    t.set_header(vec![
        "day".to_string(),
        c.unit.as_str().to_string(),
        "BP".into(),
        "HR".into(),
    ]);
    for d in &c.recent {
        t.add_row(vec![
            d.date.format("%a %Y-%m-%d").to_string(),
            d.weight_kg
                .map(|w| crate::report::num_weight(w, c.unit))
                .unwrap_or_else(|| "–".into()),
            day_bps(&d.bp),
            day_hrs(&d.heart_rate),
        ]);
    }
    o.push('\n');
    for l in t.lines() {
        let _ = writeln!(o, "{}", l.trim_end());
    }
    let foot = format!(
        "Printed {} by the patient with cls {} from their own diary. Not a diagnosis.",
        c.generated.format("%Y-%m-%d %H:%M"),
        c.version
    );
    o.push('\n');
    for l in wrap(&foot, usize::from(width)) {
        let _ = writeln!(o, "{l}");
    }
    o
}

fn kv(o: &mut String, rows: Vec<(String, String)>, width: u16) {
    let mut t = Table::new();
    t.load_style(presets::NOTHING);
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_width(width);
    for (k, v) in rows {
        t.add_row(vec![k, v]);
    }
    for l in t.lines() {
        let _ = writeln!(o, "{}", l.trim_end());
    }
}

fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for w in s.split_whitespace() {
        if !cur.is_empty() && cur.chars().count() + 1 + w.chars().count() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(w);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// The banner of a card made from a demo diary.
pub const SYNTHETIC_BANNER: &str =
    "SYNTHETIC DEMO DIARY: made up by 'cls demo'; not a patient's card";

const CARD_CSS: &str = r#"
.synthetic{border:3px solid #000;padding:6px 10px;font-weight:700;font-size:15px;text-align:center;margin:0 0 10px}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;background:#e9edf1;color:#1c2530;font:13px/1.4 "Helvetica Neue",Helvetica,Arial,"Liberation Sans","DejaVu Sans",sans-serif}
main{max-width:780px;margin:24px auto;background:#fff;box-shadow:0 1px 5px rgba(0,0,0,.12)}
.top{background:#b3261e;color:#fff;padding:12px 22px;display:flex;justify-content:space-between;align-items:center}
.top h1{margin:0;font-size:21px;letter-spacing:.06em}
.top .date{font-size:11.5px;opacity:.9;text-align:right}
.who{padding:12px 22px 6px;display:flex;gap:24px;align-items:baseline;flex-wrap:wrap}
.who .name{font-size:24px;font-weight:700}
.who .dob{font-size:15px}
.body{padding:0 22px 14px}
.cond{border:2px solid #b3261e;border-radius:5px;padding:8px 12px;margin:6px 0 10px}
.cond h2{margin:0 0 3px;font-size:16px;color:#b3261e}
.cond p{margin:0}
h3{font-size:11.5px;text-transform:uppercase;letter-spacing:.07em;color:#1d5b86;margin:10px 0 4px;
border-bottom:1.5px solid #1d5b86;padding-bottom:1px}
.instr{white-space:pre-wrap;font-size:14px;font-weight:600;background:#fff8e1;border-left:5px solid #c79100;
padding:7px 11px;margin:0}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:0 20px}
dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:2px 10px}
dt{color:#5d6b79;font-size:11.5px;padding-top:1px}
dd{margin:0}
.phone{font-weight:700;font-size:14px;white-space:nowrap}
.level{display:inline-block;padding:1px 8px;border-radius:3px;color:#fff;font-weight:700;letter-spacing:.05em}
.lvl-ok{background:#2e7d32}.lvl-unknown{background:#7b8c99}.lvl-watch{background:#c79100}
.lvl-warning{background:#e0620d}.lvl-emergency{background:#b3261e}
ul.findings{margin:3px 0 0;padding-left:18px}
ul.findings li.more{list-style:none;color:#5d6b79;font-style:italic}
table{border-collapse:collapse;width:100%;font-size:12px}
th{text-align:left;color:#5d6b79;font-weight:600;font-size:11px;border-bottom:1.5px solid #1c2530;padding:2px 6px}
td{border-bottom:1px solid #d9e0e7;padding:2px 6px}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.foot{font-size:10.5px;color:#5d6b79;border-top:1px solid #d9e0e7;padding:6px 22px 10px}
@page{margin:10mm}
@media print{body{background:#fff}main{max-width:none;margin:0;box-shadow:none}main{break-inside:avoid}}
"#;

/// The printed page's room in CSS pixels (96 a inch) less the 10 mm
/// margins: the width of A4 and the height of Letter, the smaller of each,
/// so that what fits fits both.
const PAGE_WIDTH: f64 = 718.0;
/// Letter's 979 px less 4% for fonts wider than the estimate's.
const PAGE_HEIGHT: f64 = 940.0;

/// The smallest zoom the card shrinks to: text at about 8 px, still legible
/// on paper. Below it the card would rather take a second page.
pub const MIN_ZOOM: f64 = 0.6;

/// Lines of `text` in a box `width` px wide at `font` px. A character is
/// taken as 0.5 of the font size (Helvetica's and Liberation Sans's
/// average is a little less), 0.6 in bold; a line is counted whole.
fn lines(text: &str, width: f64, font: f64, bold: bool) -> f64 {
    let em = if bold { 0.6 } else { 0.5 };
    let per_line = (width / (font * em)).max(8.0);
    text.lines()
        .map(|l| (l.chars().count() as f64 / per_line).ceil().max(1.0))
        .sum::<f64>()
        .max(1.0)
}

/// The card's printed height in px at zoom 1 on a page `width` px wide,
/// from its texts and [`CARD_CSS`]'s sizes. An estimate, on the long side:
/// the print test checks it against Chromium.
fn height(c: &Card, width: f64) -> f64 {
    let inner = width - 44.0;
    let col = (inner - 20.0) / 2.0;
    let h3 = 34.0;
    let line = 13.0 * 1.4;
    // The red bar, the name line, the condition box.
    let mut h = 56.0 + 52.0;
    h += 40.0 + 22.0 + lines(&c.description, inner - 28.0, 13.0, false) * line;
    if let Some(i) = &c.instructions {
        h += h3 + 16.0 + lines(i, inner - 27.0, 14.0, true) * 14.0 * 1.4;
    }
    // The two columns: the taller decides. A definition list's value
    // column is the column less its label (about 110 px).
    let dd = col - 110.0;
    let mut left = 0.0;
    let contacts = [&c.specialist, &c.clinician, &c.emergency_contact];
    if contacts.iter().any(|x| x.is_some()) {
        left += h3;
        for ct in contacts.into_iter().flatten() {
            let name = format!(
                "{} ({})",
                ct.name.as_deref().unwrap_or(""),
                ct.role.as_deref().unwrap_or("")
            );
            left += lines(&name, dd, 13.0, false) * line + 2.0;
            if ct.phone.is_some() {
                left += 14.0 * 1.4;
            }
        }
    }
    let mut treat: Vec<String> = c.last_doses.iter().map(dose_line).collect();
    treat.extend(c.prophylaxis.clone());
    treat.extend(c.notes.clone());
    if !treat.is_empty() {
        left += h3
            + treat
                .iter()
                .map(|t| lines(t, dd, 13.0, false) * line + 2.0)
                .sum::<f64>();
    }
    let mut right = h3 + 26.0 + line + 4.0;
    let (shown, more) = shown_findings(c);
    for f in shown {
        right += lines(&f.message, col - 18.0, 13.0, false) * line;
    }
    if more > 0 {
        right += line;
    }
    let base = baseline_lines(c);
    if !base.is_empty() {
        right += 6.0;
        for (_, v) in base {
            right += lines(&v, dd, 13.0, false) * line + 2.0;
        }
    }
    h += f64::max(left, right);
    // The 7-day table: a row is one line unless a day's readings wrap in
    // their quarter of the width.
    h += h3 + 22.0;
    for d in &c.recent {
        let cell = lines(&day_bps(&d.bp), inner / 4.0 - 12.0, 12.0, false).max(lines(
            &day_hrs(&d.heart_rate),
            inner / 4.0 - 12.0,
            12.0,
            false,
        ));
        h += 5.0 + cell * 12.0 * 1.4;
    }
    // The footer.
    h + 60.0
}

/// The zoom that puts the card on one printed page: 1 when it fits, else
/// the largest that does (the lines wrap less as the page gets wider in
/// the card's own pixels), down to [`MIN_ZOOM`].
pub fn zoom(c: &Card) -> f64 {
    let mut z: f64 = 1.0;
    while z > MIN_ZOOM + 1e-9 {
        if z * height(c, PAGE_WIDTH / z) <= PAGE_HEIGHT {
            return z;
        }
        z -= 0.025;
    }
    MIN_ZOOM
}

/// Whether the card fits one page at [`MIN_ZOOM`] or larger.
pub fn fits_one_page(c: &Card) -> bool {
    MIN_ZOOM * height(c, PAGE_WIDTH / MIN_ZOOM) <= PAGE_HEIGHT
}

/// The card as one self-contained HTML page (one printed A4 or Letter
/// page): findings and readings capped, then shrunk to fit (see [`zoom`]).
pub fn html(c: &Card) -> String {
    let mut o = String::with_capacity(16 * 1024);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Emergency card{}</title>\n\
<style>{CARD_CSS}@media print{{main{{zoom:{zoom:.3}}}}}\n</style>\n</head>\n<body>\n<main>\n",
        c.name.as_deref().map(|n| format!(" – {}", esc(n))).unwrap_or_default(),
        zoom = zoom(c)
    );
    if c.synthetic {
        // Printed with the card: a border and bold text, no background.
        let _ = writeln!(
            o,
            "<p class=\"synthetic\" role=\"note\">{}</p>",
            esc(SYNTHETIC_BANNER)
        );
    }
    let _ = write!(
        o,
        "<div class=\"top\"><h1>EMERGENCY MEDICAL INFORMATION</h1><div class=\"date\">printed {}<br>from the patient's diary</div></div>\n<div class=\"who\">",
        c.generated.format("%Y-%m-%d")
    );
    if let Some(n) = &c.name {
        let _ = write!(o, "<span class=\"name\"><bdi>{}</bdi></span>", esc(n));
    }
    if let Some(d) = c.date_of_birth {
        let age = c.age.map(|a| format!(" (age {a})")).unwrap_or_default();
        let _ = write!(o, "<span class=\"dob\">born {d}{age}</span>");
    }
    let _ = write!(
        o,
        "</div>\n<div class=\"body\">\n<div class=\"cond\"><h2>{}</h2><p>{}</p></div>\n",
        esc(&c.condition),
        esc(&c.description)
    );
    if let Some(i) = &c.instructions {
        let _ = write!(
            o,
            "<h3>The patient's emergency instructions (written with their specialist)</h3>\n<p class=\"instr\" dir=\"auto\">{}</p>\n",
            esc_multiline(i)
        );
    }
    o.push_str("<div class=\"cols\">\n<div>\n");
    let contacts: Vec<(&str, &Contact)> = [
        ("Specialist", &c.specialist),
        ("Doctor", &c.clinician),
        ("Emergency contact", &c.emergency_contact),
    ]
    .into_iter()
    .filter_map(|(k, c)| c.as_ref().map(|c| (k, c)))
    .collect();
    if !contacts.is_empty() {
        o.push_str("<h3>Contacts</h3>\n<dl>\n");
        for (k, ct) in contacts {
            let mut v = ct
                .name
                .as_deref()
                .map(|n| format!("<bdi>{}</bdi>", esc(n)))
                .unwrap_or_default();
            if let Some(r) = &ct.role {
                let _ = write!(v, " ({})", esc(r));
            }
            if let Some(p) = &ct.phone {
                let _ = write!(v, "<br><span class=\"phone\">{}</span>", esc(p));
            }
            let _ = writeln!(o, "<dt>{k}</dt><dd>{v}</dd>");
        }
        o.push_str("</dl>\n");
    }
    if c.prophylaxis.is_some() || !c.last_doses.is_empty() || c.notes.is_some() {
        o.push_str("<h3>Treatment</h3>\n<dl>\n");
        if let Some(p) = &c.prophylaxis {
            let _ = writeln!(o, "<dt>Prophylaxis</dt><dd><bdi>{}</bdi></dd>", esc(p));
        }
        for d in &c.last_doses {
            let _ = writeln!(
                o,
                "<dt>Last dose</dt><dd><bdi>{}</bdi></dd>",
                esc(&dose_line(d))
            );
        }
        if let Some(n) = &c.notes {
            let _ = writeln!(o, "<dt>Notes</dt><dd>{}</dd>", esc_multiline(n));
        }
        o.push_str("</dl>\n");
    }
    o.push_str("</div>\n<div>\n");
    let _ = write!(
        o,
        "<h3>From the diary, {}</h3>\n<p>Today: <span class=\"level {}\">{}</span> {}</p>\n",
        c.date,
        match c.level {
            Level::Ok => "lvl-ok",
            Level::Unknown => "lvl-unknown",
            Level::Watch => "lvl-watch",
            Level::Warning => "lvl-warning",
            Level::Emergency => "lvl-emergency",
        },
        c.level.as_str().to_uppercase(),
        esc(level_meaning(c.level))
    );
    let (shown, more) = shown_findings(c);
    if !shown.is_empty() {
        o.push_str("<ul class=\"findings\">\n");
        for f in shown {
            let _ = writeln!(o, "<li><bdi>{}</bdi></li>", esc(&f.message));
        }
        if more > 0 {
            let _ = writeln!(o, "<li class=\"more\">{}</li>", esc(&more_line(more)));
        }
        o.push_str("</ul>\n");
    }
    let base = baseline_lines(c);
    if !base.is_empty() {
        o.push_str("<dl style=\"margin-top:6px\">\n");
        for (k, v) in base {
            let _ = writeln!(o, "<dt>{}</dt><dd>{}</dd>", esc(&k), esc(&v));
        }
        o.push_str("</dl>\n");
    }
    let _ = write!(
        o,
        "</div>\n</div>\n<h3>The last 7 days</h3>\n<table>\n<thead><tr><th>Day</th><th class=\"n\">Weight ({})</th>\
<th class=\"n\">BP (mmHg)</th><th class=\"n\">Heart rate</th></tr></thead>\n<tbody>\n",
        c.unit.as_str()
    );
    for d in &c.recent {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            d.date.format("%a %Y-%m-%d"),
            d.weight_kg
                .map(|w| crate::report::num_weight(w, c.unit))
                .unwrap_or_else(|| "–".into()),
            day_bps(&d.bp),
            day_hrs(&d.heart_rate)
        );
    }
    let _ = write!(
        o,
        "</tbody>\n</table>\n</div>\n<div class=\"foot\">Printed {} by the patient with cls {} from their own \
home diary. The level is from cls's warning rules and is not a diagnosis; the instructions above are the \
patient's own, agreed with their specialist.</div>\n</main>\n</body>\n</html>\n",
        c.generated.format("%Y-%m-%d %H:%M"),
        esc(&c.version)
    );
    o
}

/// Escape text keeping its line breaks (shown by `white-space: pre-wrap`
/// or as `<br>`).
fn esc_multiline(s: &str) -> String {
    s.lines().map(esc).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
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
        let t = text(&c, 80);
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
        let h = html(&c);
        assert!(h.contains("Call Dr Lee at once.\n  Avoid large IV volumes; &lt;see letter&gt;."));
        assert!(h.contains("Alex &lt;Example&gt;") && !h.contains("<Example>"));
        assert!(!h.contains("<script") && !h.contains("src=") && !h.contains("href="));
        let t = text(&c, 80);
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
        let t = text(&c, 80);
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
        let t = text(&c, 80);
        assert_eq!(
            t.matches(&c.findings[0].message).count(),
            MAX_FINDINGS,
            "{t}"
        );
        assert!(
            t.contains("+7 more findings in the patient's report (cls report)"),
            "{t}"
        );
        let h = html(&c);
        assert!(h.contains("<li class=\"more\">+7 more findings"), "{h}");
        c.findings.truncate(5);
        assert!(text(&c, 80).contains("+1 more finding in"));

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
        assert!(html(&c).contains("@media print{main{zoom:1.000}}"));
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
