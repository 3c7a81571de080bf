//! Parsing and range-checking what a patient types: dates, times, weights,
//! blood pressure, symptoms, labs and medications. Every error is one line
//! that names the flag and the accepted range, so a bad value is rejected
//! before anything is written.

use chrono::{DateTime, Duration, Local, LocalResult, NaiveDate, NaiveTime, Offset, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{Bp, Lab, LabKind, Measurements, Med, Severity, Stamp, Urine, DEFAULT_SEVERITY};
use crate::symptoms;

/// A rejected value: which field, and why (including the accepted range).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct InputError {
    pub field: String,
    pub message: String,
}

impl InputError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            field: field.into(),
            message: message.into(),
        }
    }
}

pub type Result<T> = std::result::Result<T, InputError>;

/// Weight units a patient can type or configure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WeightUnit {
    #[default]
    Kg,
    Lb,
}

pub const KG_PER_LB: f64 = 0.453_592_37;

impl WeightUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            WeightUnit::Kg => "kg",
            WeightUnit::Lb => "lb",
        }
    }

    /// Convert a stored kilogram value for display in this unit.
    pub fn from_kg(self, kg: f64) -> f64 {
        match self {
            WeightUnit::Kg => kg,
            WeightUnit::Lb => kg / KG_PER_LB,
        }
    }
}

pub const WEIGHT_KG: (f64, f64) = (20.0, 350.0);
pub const SYSTOLIC: (u16, u16) = (40, 300);
pub const DIASTOLIC: (u16, u16) = (20, 200);
pub const HEART_RATE: (u16, u16) = (20, 250);
pub const URINE_ML: (u32, u32) = (0, 10_000);
pub const NOTE_MAX_CHARS: usize = 4_000;

/// Parse a date: `YYYY-MM-DD`, `today`, `yesterday`, or `-Nd` (N days ago).
pub fn parse_date(field: &str, s: &str, today: NaiveDate) -> Result<NaiveDate> {
    let t = s.trim().to_ascii_lowercase();
    let bad = || {
        InputError::new(
            field,
            format!("'{s}' is not a date (use YYYY-MM-DD, today, yesterday or -Nd)"),
        )
    };
    match t.as_str() {
        "today" => return Ok(today),
        "yesterday" => return Ok(today - Duration::days(1)),
        _ => {}
    }
    if let Some(n) = t.strip_prefix('-').and_then(|r| r.strip_suffix('d')) {
        let n: i64 = n.parse().map_err(|_| bad())?;
        if !(0..=36_500).contains(&n) {
            return Err(InputError::new(field, format!("'{s}': N must be 0–36500")));
        }
        return Ok(today - Duration::days(n));
    }
    let d = NaiveDate::parse_from_str(&t, "%Y-%m-%d").map_err(|_| bad())?;
    if d.year_ok() {
        Ok(d)
    } else {
        Err(InputError::new(
            field,
            format!("'{s}': year must be 1900–2200"),
        ))
    }
}

trait YearOk {
    fn year_ok(&self) -> bool;
}

impl YearOk for NaiveDate {
    fn year_ok(&self) -> bool {
        use chrono::Datelike;
        (1900..=2200).contains(&self.year())
    }
}

/// Parse `HH:MM` (24-hour clock).
pub fn parse_time(field: &str, s: &str) -> Result<NaiveTime> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| {
        InputError::new(
            field,
            format!("'{s}' is not a time (use HH:MM, 00:00–23:59)"),
        )
    })
}

fn parse_number(field: &str, s: &str, what: &str) -> Result<f64> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| InputError::new(field, format!("'{s}' is not a number ({what})")))?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(InputError::new(
            field,
            format!("'{s}' is not a number ({what})"),
        ))
    }
}

/// Parse a weight such as `68.4`, `68.4kg` or `151 lb`; returns kilograms.
pub fn parse_weight(field: &str, s: &str, default_unit: WeightUnit) -> Result<f64> {
    let t = s.trim().to_ascii_lowercase();
    let (num, unit) = if let Some(n) = t.strip_suffix("kg") {
        (n, WeightUnit::Kg)
    } else if let Some(n) = t.strip_suffix("lbs").or_else(|| t.strip_suffix("lb")) {
        (n, WeightUnit::Lb)
    } else {
        (t.as_str(), default_unit)
    };
    let range = "20–350 kg (44–771 lb)";
    let v = parse_number(field, num, range)?;
    let kg = match unit {
        WeightUnit::Kg => v,
        WeightUnit::Lb => v * KG_PER_LB,
    };
    if !(WEIGHT_KG.0..=WEIGHT_KG.1).contains(&kg) {
        return Err(InputError::new(
            field,
            format!(
                "{} {} is out of range: must be {range}",
                num.trim(),
                unit.as_str()
            ),
        ));
    }
    // Keep 0.01 kg resolution: scales show at most 0.1 lb / 0.05 kg.
    Ok((kg * 100.0).round() / 100.0)
}

fn parse_int_in(field: &str, s: &str, what: &str, lo: u16, hi: u16) -> Result<u16> {
    let range = format!("{what} must be {lo}–{hi}");
    let v: i64 = s.trim().parse().map_err(|_| {
        InputError::new(
            field,
            format!("'{}' is not a whole number ({range})", s.trim()),
        )
    })?;
    if v < i64::from(lo) || v > i64::from(hi) {
        return Err(InputError::new(
            field,
            format!("{v} is out of range: {range}"),
        ));
    }
    Ok(v as u16)
}

/// Parse `SYS/DIA` in mmHg, e.g. `118/76`.
pub fn parse_bp(field: &str, s: &str) -> Result<Bp> {
    let Some((sys, dia)) = s.split_once('/') else {
        return Err(InputError::new(
            field,
            format!(
                "'{}' is not a blood pressure (use SYS/DIA, e.g. 118/76)",
                s.trim()
            ),
        ));
    };
    let systolic = parse_int_in(field, sys, "systolic", SYSTOLIC.0, SYSTOLIC.1)?;
    let diastolic = parse_int_in(field, dia, "diastolic", DIASTOLIC.0, DIASTOLIC.1)?;
    if diastolic >= systolic {
        return Err(InputError::new(
            field,
            format!("diastolic {diastolic} must be below systolic {systolic}"),
        ));
    }
    Ok(Bp {
        systolic,
        diastolic,
    })
}

/// Parse a heart rate in beats per minute.
pub fn parse_hr(field: &str, s: &str) -> Result<u16> {
    parse_int_in(field, s, "heart rate", HEART_RATE.0, HEART_RATE.1)
}

pub fn parse_urine(field: &str, s: &str) -> Result<Urine> {
    Urine::parse(s).ok_or_else(|| {
        InputError::new(
            field,
            format!("'{}' is not accepted (use less, normal or more)", s.trim()),
        )
    })
}

/// Parse a 24-hour urine total in mL.
pub fn parse_urine_ml(field: &str, s: &str) -> Result<u32> {
    let t = s.trim().to_ascii_lowercase();
    let t = t.strip_suffix("ml").unwrap_or(&t);
    let v: i64 = t.trim().parse().map_err(|_| {
        InputError::new(
            field,
            format!(
                "'{}' is not a whole number of mL (must be 0–10000)",
                s.trim()
            ),
        )
    })?;
    if v < i64::from(URINE_ML.0) || v > i64::from(URINE_ML.1) {
        return Err(InputError::new(
            field,
            format!("{v} mL is out of range: must be 0–10000 (a 24 h total)"),
        ));
    }
    Ok(v as u32)
}

/// Parse `NAME[:0-3]`, or a comma list of them, into canonical names with
/// severities. Unknown names are an error with a suggestion, and so is a
/// name given twice in the list (see [`EntryLists`]).
pub fn parse_symptoms(field: &str, s: &str, custom: &[String]) -> Result<Vec<(String, Severity)>> {
    let mut lists = EntryLists::default();
    lists.add_symptoms(field, s, custom)?;
    Ok(lists.symptoms.into_iter().map(|g| g.value).collect())
}

/// One item of a symptom list: `NAME[:0-3]`.
fn parse_symptom(field: &str, item: &str, custom: &[String]) -> Result<(String, Severity)> {
    let (name, sev) = match item.rsplit_once(':') {
        Some((n, sev)) => (n, Some(sev)),
        None => (item, None),
    };
    let severity = match sev {
        None => DEFAULT_SEVERITY,
        Some(v) => match v.trim().parse::<u8>() {
            Ok(n) if n <= 3 => n,
            _ => {
                return Err(InputError::new(
                    field,
                    format!(
                        "severity '{}' for '{}' is not accepted: must be 0–3 (0 absent, 1 mild, 2 moderate, 3 severe)",
                        v.trim(),
                        name.trim()
                    ),
                ))
            }
        },
    };
    let canonical =
        symptoms::resolve(name, custom).map_err(|e| InputError::new(field, e.to_string()))?;
    Ok((canonical, severity))
}

/// A parsed value with the text it was given as, for messages.
#[derive(Debug, Clone, PartialEq)]
struct Given<T> {
    value: T,
    text: String,
}

/// The symptoms and labs of one entry, gathered from however many flags,
/// comma lists, prompt answers or import cells they arrive in, with one
/// value per name (docs/cli.md, `cls log`). The same
/// symptom or lab twice, also under two aliases (`myalgia` and
/// `muscle-pain`, `hct` and `hematocrit`), is refused naming both: a
/// patient who typed `thirst:3` and `thirst:0` meant one of them, and
/// keeping either would be a guess that can hide or fake an alarm.
///
/// `cls log`, `cls edit`, the prompt and both import formats all build
/// entries through this, so the rule lives in one place.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntryLists {
    symptoms: Vec<Given<(String, Severity)>>,
    labs: Vec<Given<Lab>>,
}

impl EntryLists {
    /// Add a symptom item or a comma list of them (`thirst,fatigue:1`).
    pub fn add_symptoms(&mut self, field: &str, s: &str, custom: &[String]) -> Result<()> {
        for item in s.split(',') {
            let (name, severity) = parse_symptom(field, item, custom)?;
            let text = item.trim().to_string();
            if let Some(first) = self.symptoms.iter().find(|g| g.value.0 == name) {
                return Err(twice(field, &name, &first.text, &text, "symptom"));
            }
            self.symptoms.push(Given {
                value: (name, severity),
                text,
            });
        }
        Ok(())
    }

    /// Add one lab value (`hct=44`).
    pub fn add_lab(&mut self, field: &str, s: &str) -> Result<()> {
        let lab = parse_lab(field, s)?;
        let text = s.trim().to_string();
        if let Some(first) = self.labs.iter().find(|g| g.value.kind == lab.kind) {
            return Err(twice(field, lab.kind.as_str(), &first.text, &text, "lab"));
        }
        self.labs.push(Given { value: lab, text });
        Ok(())
    }

    /// How a symptom (by canonical name) was given, if it was.
    pub fn symptom_given(&self, name: &str) -> Option<&str> {
        self.symptoms
            .iter()
            .find(|g| g.value.0 == name)
            .map(|g| g.text.as_str())
    }

    /// How a lab was given, if it was.
    pub fn lab_given(&self, kind: LabKind) -> Option<&str> {
        self.labs
            .iter()
            .find(|g| g.value.kind == kind)
            .map(|g| g.text.as_str())
    }

    /// Write the values into `m`. A name `m` already holds takes the new
    /// value: that is how `cls edit` changes a severity or a lab.
    pub fn apply_to(&self, m: &mut Measurements) {
        for g in &self.symptoms {
            m.set_symptom(&g.value.0, g.value.1);
        }
        for g in &self.labs {
            m.set_lab(g.value.kind, g.value.value);
        }
    }
}

fn twice(field: &str, name: &str, first: &str, second: &str, what: &str) -> InputError {
    InputError::new(
        field,
        format!("{name} is given twice ({first} and {second}); give each {what} once per entry"),
    )
}

/// Parse `NAME=VALUE[UNIT]` for hemoglobin (g/dL), hematocrit (%) or albumin
/// (g/L; a `g/dL` suffix is converted).
pub fn parse_lab(field: &str, s: &str) -> Result<Lab> {
    let Some((name, value)) = s.split_once('=') else {
        return Err(InputError::new(
            field,
            format!(
                "'{}' is not a lab value (use NAME=VALUE, e.g. hematocrit=44 or albumin=38)",
                s.trim()
            ),
        ));
    };
    let kind = LabKind::parse(name).ok_or_else(|| {
        InputError::new(
            field,
            format!(
                "unknown lab '{}' (known: hemoglobin g/dL, hematocrit %, albumin g/L)",
                name.trim()
            ),
        )
    })?;
    let v = value.trim().to_ascii_lowercase();
    let v = v.replace(' ', "");
    let (num, factor) = match kind {
        LabKind::Hemoglobin => (v.strip_suffix("g/dl").unwrap_or(&v), 1.0),
        LabKind::Hematocrit => (v.strip_suffix('%').unwrap_or(&v), 1.0),
        LabKind::Albumin => {
            if let Some(n) = v.strip_suffix("g/dl") {
                (n, 10.0)
            } else {
                (v.strip_suffix("g/l").unwrap_or(&v), 1.0)
            }
        }
    };
    let (lo, hi) = kind.range();
    let range = format!("{kind} must be {lo}–{hi} {}", kind.unit());
    let raw = parse_number(field, num, &range)?;
    // Round away the binary noise of the g/dL conversion (1.56 * 10 is
    // 15.600000000000001), which would otherwise be stored and shown.
    let value = if factor == 1.0 {
        raw
    } else {
        (raw * factor * 1000.0).round() / 1000.0
    };
    if !(lo..=hi).contains(&value) {
        return Err(InputError::new(
            field,
            format!("{kind} {value} {} is out of range: {range}", kind.unit()),
        ));
    }
    Ok(Lab { kind, value })
}

/// Parse `NAME[:DOSE]`, e.g. `ivig:2g/kg` or `theophylline:300mg`.
pub fn parse_med(field: &str, s: &str) -> Result<Med> {
    let (name, dose) = match s.split_once(':') {
        Some((n, d)) => (n.trim(), Some(d.trim())),
        None => (s.trim(), None),
    };
    if name.is_empty() {
        return Err(InputError::new(
            field,
            "medication name is empty (use NAME[:DOSE])",
        ));
    }
    if name.len() > 100 || dose.is_some_and(|d| d.len() > 100) {
        return Err(InputError::new(
            field,
            "name and dose must be at most 100 characters each",
        ));
    }
    if name.contains(';') || dose.is_some_and(|d| d.contains(';')) {
        return Err(InputError::new(field, "';' is not allowed in a medication"));
    }
    Ok(Med {
        name: name.to_lowercase(),
        dose: dose.filter(|d| !d.is_empty()).map(str::to_string),
    })
}

/// Check a free-text note: any text up to a limit, but no NUL bytes.
pub fn check_note(field: &str, s: &str) -> Result<String> {
    if s.contains('\0') {
        return Err(InputError::new(field, "the note contains a NUL character"));
    }
    if s.chars().count() > NOTE_MAX_CHARS {
        return Err(InputError::new(
            field,
            format!("the note is too long: at most {NOTE_MAX_CHARS} characters"),
        ));
    }
    Ok(s.to_string())
}

/// A span typed as `--last`: days and weeks are days; months and years are
/// calendar months (`12m` to 2026-12-06 starts on 2025-12-07, not 360 days
/// back).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Days(i64),
    Months(u32),
}

impl Span {
    /// The first day of the span that ends on (and includes) `to`.
    pub fn start(self, to: NaiveDate) -> NaiveDate {
        let back = match self {
            Span::Days(n) => to.checked_sub_signed(chrono::TimeDelta::days(n)),
            Span::Months(n) => to.checked_sub_months(chrono::Months::new(n)),
        };
        back.and_then(|d| d.succ_opt()).unwrap_or(NaiveDate::MIN)
    }
}

/// Parse `14d`, `12w`, `6m` (calendar months), `1y` (12 months).
pub fn parse_span(field: &str, s: &str) -> Result<Span> {
    let t = s.trim().to_ascii_lowercase();
    let bad = || {
        InputError::new(
            field,
            format!("'{s}' is not a span (use e.g. 14d, 12w, 6m or 1y; 1 day to 100 years)"),
        )
    };
    // Split off the last character, not byte: `3é` must be an error, not
    // a panic; and a huge N must not overflow.
    let Some(unit) = t.chars().last().filter(|_| t.chars().count() >= 2) else {
        return Err(bad());
    };
    let n: i64 = t[..t.len() - unit.len_utf8()].parse().map_err(|_| bad())?;
    let span = match unit {
        'd' => Span::Days(n),
        'w' => Span::Days(n.checked_mul(7).ok_or_else(bad)?),
        'm' => Span::Months(u32::try_from(n).map_err(|_| bad())?),
        'y' => Span::Months(
            u32::try_from(n)
                .ok()
                .and_then(|n| n.checked_mul(12))
                .ok_or_else(bad)?,
        ),
        _ => return Err(bad()),
    };
    let ok = match span {
        Span::Days(d) => (1..=36_500).contains(&d),
        Span::Months(m) => (1..=1_200).contains(&m),
    };
    if ok {
        Ok(span)
    } else {
        Err(bad())
    }
}

/// Turn a local date and time into a [`Stamp`] in the local time zone. A time
/// that does not exist (skipped by a DST change) is an error; an ambiguous
/// one (repeated) takes the earlier instant.
pub fn local_stamp(field: &str, date: NaiveDate, time: NaiveTime) -> Result<Stamp> {
    let naive = date.and_time(time);
    let dt: DateTime<Local> = match Local.from_local_datetime(&naive) {
        LocalResult::Single(d) => d,
        LocalResult::Ambiguous(a, b) => a.min(b),
        LocalResult::None => {
            return Err(InputError::new(
                field,
                format!(
                    "{date} {} does not exist in the local time zone (skipped by a daylight-saving change)",
                    time.format("%H:%M")
                ),
            ))
        }
    };
    Ok(Stamp {
        date,
        time,
        utc: dt.with_timezone(&Utc),
        offset_secs: dt.offset().fix().local_minus_utc(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn dates() {
        let today = d("2026-11-25");
        assert_eq!(parse_date("--date", "today", today).unwrap(), today);
        assert_eq!(
            parse_date("--date", "Yesterday", today).unwrap(),
            d("2026-11-24")
        );
        assert_eq!(parse_date("--date", "-3d", today).unwrap(), d("2026-11-22"));
        assert_eq!(parse_date("--date", "-0d", today).unwrap(), today);
        assert_eq!(
            parse_date("--date", "2026-02-28", today).unwrap(),
            d("2026-02-28")
        );
        for bad in [
            "2026-02-30",
            "26-1-1",
            "",
            "-d",
            "-xd",
            "3d",
            "tomorrow",
            "-99999d",
        ] {
            let e = parse_date("--date", bad, today).unwrap_err();
            assert_eq!(e.field, "--date", "{bad}");
        }
    }

    #[test]
    fn times() {
        assert_eq!(
            parse_time("--time", "07:30").unwrap(),
            NaiveTime::from_hms_opt(7, 30, 0).unwrap()
        );
        assert!(parse_time("--time", "24:00").is_err());
        assert!(parse_time("--time", "7").is_err());
    }

    #[test]
    fn weights_in_both_units() {
        assert_eq!(
            parse_weight("--weight", "68.4", WeightUnit::Kg).unwrap(),
            68.4
        );
        assert_eq!(
            parse_weight("--weight", "68.4kg", WeightUnit::Lb).unwrap(),
            68.4
        );
        assert_eq!(
            parse_weight("--weight", "150 lb", WeightUnit::Kg).unwrap(),
            68.04
        );
        assert_eq!(
            parse_weight("--weight", "150", WeightUnit::Lb).unwrap(),
            68.04
        );
        assert_eq!(
            parse_weight("--weight", "20", WeightUnit::Kg).unwrap(),
            20.0
        );
        assert_eq!(
            parse_weight("--weight", "350", WeightUnit::Kg).unwrap(),
            350.0
        );
        for bad in ["19.9", "350.1", "-5", "abc", "", "nan", "inf", "800lb"] {
            let e = parse_weight("--weight", bad, WeightUnit::Kg).unwrap_err();
            assert!(e.to_string().contains("20–350 kg"), "{bad}: {e}");
        }
    }

    #[test]
    fn blood_pressure() {
        assert_eq!(
            parse_bp("--bp", "118/76").unwrap(),
            Bp {
                systolic: 118,
                diastolic: 76
            }
        );
        assert_eq!(parse_bp("--bp", " 300 / 199 ").unwrap().systolic, 300);
        for (bad, want) in [
            ("118", "SYS/DIA"),
            ("39/20", "systolic must be 40–300"),
            ("301/80", "systolic must be 40–300"),
            ("120/19", "diastolic must be 20–200"),
            ("80/90", "below systolic"),
            ("80/80", "below systolic"),
            ("a/b", "systolic"),
        ] {
            let e = parse_bp("--bp", bad).unwrap_err();
            assert!(e.to_string().contains(want), "{bad}: {e}");
        }
    }

    #[test]
    fn heart_rate_and_urine() {
        assert_eq!(parse_hr("--hr", "72").unwrap(), 72);
        assert!(parse_hr("--hr", "19").is_err());
        assert!(parse_hr("--hr", "251").is_err());
        assert!(parse_hr("--hr", "72.5").is_err());
        assert_eq!(parse_urine("--urine", "LESS").unwrap(), Urine::Less);
        assert!(parse_urine("--urine", "little").is_err());
        assert_eq!(parse_urine_ml("--urine-ml", "350ml").unwrap(), 350);
        assert!(parse_urine_ml("--urine-ml", "-1").is_err());
        assert!(parse_urine_ml("--urine-ml", "10001").is_err());
    }

    #[test]
    fn symptom_lists() {
        let s = parse_symptoms("--symptom", "thirst,fatigue:1", &[]).unwrap();
        assert_eq!(s, vec![("thirst".into(), 2), ("fatigue".into(), 1)]);
        let s = parse_symptoms("--symptom", "Abdominal pain:3", &[]).unwrap();
        assert_eq!(s, vec![("abdominal-pain".into(), 3)]);
        let e = parse_symptoms("--symptom", "thirst:4", &[]).unwrap_err();
        assert!(e.to_string().contains("0–3"), "{e}");
        let e = parse_symptoms("--symptom", "thirst,thrist", &[]).unwrap_err();
        assert!(e.to_string().contains("did you mean 'thirst'"), "{e}");
        assert!(parse_symptoms("--symptom", "", &[]).is_err());
        assert!(parse_symptoms("--symptom", "thirst:", &[]).is_err());
    }

    #[test]
    fn a_symptom_given_twice_is_refused_naming_both() {
        let e = parse_symptoms("--symptom", "thirst,thirst:1", &[]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--symptom: thirst is given twice (thirst and thirst:1); give each symptom once per entry"
        );
        // Across flags, after aliases and spelling variants.
        let mut l = EntryLists::default();
        l.add_symptoms("--symptom", "thirst:3", &[]).unwrap();
        let e = l.add_symptoms("--symptom", " Thirst:0 ", &[]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--symptom: thirst is given twice (thirst:3 and Thirst:0); give each symptom once per entry"
        );
        let mut l = EntryLists::default();
        l.add_symptoms("--symptom", "myalgia", &[]).unwrap();
        let e = l
            .add_symptoms("--symptom", "muscle_pain:1", &[])
            .unwrap_err();
        assert!(
            e.message
                .starts_with("muscle-pain is given twice (myalgia and muscle_pain:1)"),
            "{e}"
        );
        // The same value twice is still twice.
        assert!(parse_symptoms("--symptom", "fatigue:1,tiredness:1", &[]).is_err());
        // Custom symptoms too.
        let custom = vec!["joint pain".to_string()];
        let e = parse_symptoms("symptoms", "joint pain:2,Joint_Pain:3", &custom).unwrap_err();
        assert_eq!(e.field, "symptoms");
        assert!(e.message.starts_with("joint-pain is given twice"), "{e}");
        // Different names are fine, and a failed add leaves the rest as it was.
        assert_eq!(
            l.symptom_given("muscle-pain"),
            Some("myalgia"),
            "the first stays"
        );
        l.add_symptoms("--symptom", "thirst,fatigue:1", &[])
            .unwrap();
        let mut m = Measurements::default();
        l.apply_to(&mut m);
        assert_eq!(m.symptom("muscle-pain"), Some(2));
        assert_eq!(m.symptom("fatigue"), Some(1));
    }

    #[test]
    fn a_lab_given_twice_is_refused_naming_both() {
        let mut l = EntryLists::default();
        l.add_lab("--lab", "hct=40").unwrap();
        l.add_lab("--lab", "albumin=38").unwrap();
        let e = l.add_lab("--lab", "hematocrit=41").unwrap_err();
        assert_eq!(
            e.to_string(),
            "--lab: hematocrit is given twice (hct=40 and hematocrit=41); give each lab once per entry"
        );
        let e = l.add_lab("--lab", "alb=3.8g/dL").unwrap_err();
        assert!(e.message.starts_with("albumin is given twice"), "{e}");
        // A bad value is reported as bad, not as a duplicate.
        let e = l.add_lab("--lab", "hct=99").unwrap_err();
        assert!(e.message.contains("out of range"), "{e}");
        assert_eq!(l.lab_given(LabKind::Hematocrit), Some("hct=40"));
        assert_eq!(l.lab_given(LabKind::Hemoglobin), None);
    }

    #[test]
    fn applying_replaces_what_an_entry_already_has() {
        // `cls edit 42 --symptom thirst:1` changes the stored thirst:3.
        let mut m = Measurements::default();
        m.set_symptom("thirst", 3);
        m.set_lab(LabKind::Hematocrit, 50.0);
        let mut l = EntryLists::default();
        l.add_symptoms("--symptom", "thirsty:1", &[]).unwrap();
        l.add_lab("--lab", "hct=44").unwrap();
        l.apply_to(&mut m);
        assert_eq!(m.symptom("thirst"), Some(1));
        assert_eq!(m.lab(LabKind::Hematocrit), Some(44.0));
        assert_eq!((m.symptoms.len(), m.labs.len()), (1, 1));
    }

    #[test]
    fn labs() {
        let l = parse_lab("--lab", "hematocrit=44").unwrap();
        assert_eq!((l.kind, l.value), (LabKind::Hematocrit, 44.0));
        let l = parse_lab("--lab", "hct=44%").unwrap();
        assert_eq!(l.value, 44.0);
        let l = parse_lab("--lab", "albumin=3.8g/dL").unwrap();
        assert_eq!((l.kind, l.value), (LabKind::Albumin, 38.0));
        let l = parse_lab("--lab", "albumin=38").unwrap();
        assert_eq!(l.value, 38.0);
        let l = parse_lab("--lab", "Hb=14.2g/dL").unwrap();
        assert_eq!((l.kind, l.value), (LabKind::Hemoglobin, 14.2));
        for bad in [
            "hematocrit=90",
            "albumin=70",
            "hemoglobin=2",
            "sodium=140",
            "hct",
            "hct=x",
        ] {
            assert!(parse_lab("--lab", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn meds() {
        let m = parse_med("--med", "IVIG:2g/kg").unwrap();
        assert_eq!(m.name, "ivig");
        assert_eq!(m.dose.as_deref(), Some("2g/kg"));
        assert_eq!(parse_med("--med", "terbutaline").unwrap().dose, None);
        assert!(parse_med("--med", ":5mg").is_err());
    }

    #[test]
    fn spans() {
        assert_eq!(parse_span("--last", "30d").unwrap(), Span::Days(30));
        assert_eq!(parse_span("--last", "12w").unwrap(), Span::Days(84));
        assert_eq!(parse_span("--last", "6m").unwrap(), Span::Months(6));
        assert_eq!(parse_span("--last", "1y").unwrap(), Span::Months(12));
        let to = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        // Calendar months, not 30-day blocks; the span includes `to`.
        assert_eq!(
            Span::Months(12).start(to),
            NaiveDate::from_ymd_opt(2025, 12, 7).unwrap()
        );
        assert_eq!(
            Span::Days(30).start(to),
            NaiveDate::from_ymd_opt(2026, 11, 7).unwrap()
        );
        assert!(parse_span("--last", "1201m").is_err());
        assert!(parse_span("--last", "0d").is_err());
        assert!(parse_span("--last", "d").is_err());
        assert!(parse_span("--last", "5x").is_err());
        // Found by the property tests: a multi-byte last character, overflow.
        assert!(parse_span("--last", "\u{85e}").is_err());
        assert!(parse_span("--last", "3é").is_err());
        assert!(parse_span("--last", "99999999999999999y").is_err());
    }

    #[test]
    fn notes() {
        assert!(check_note("--note", "fine 🙂 'quoted', \"x\"").is_ok());
        assert!(check_note("--note", "a\0b").is_err());
        assert!(check_note("--note", &"x".repeat(NOTE_MAX_CHARS + 1)).is_err());
    }
}
