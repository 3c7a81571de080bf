//! Plain diary data: entries, measurements, symptoms, labs, medications and
//! episodes. No I/O lives here; parsing of user input is in [`crate::input`].

use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// A blood-pressure reading in mmHg.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bp {
    pub systolic: u16,
    pub diastolic: u16,
}

impl fmt::Display for Bp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.systolic, self.diastolic)
    }
}

/// How much the patient urinated compared with usual.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Urine {
    Less,
    Normal,
    More,
}

impl Urine {
    pub const ALL: [Urine; 3] = [Urine::Less, Urine::Normal, Urine::More];

    pub fn as_str(self) -> &'static str {
        match self {
            Urine::Less => "less",
            Urine::Normal => "normal",
            Urine::More => "more",
        }
    }

    pub fn parse(s: &str) -> Option<Urine> {
        Urine::ALL
            .into_iter()
            .find(|u| u.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl fmt::Display for Urine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Symptom severity, 0 (absent) to 3 (severe).
pub type Severity = u8;

/// The severity recorded when the patient names a symptom without a number.
pub const DEFAULT_SEVERITY: Severity = 2;

/// Words for a severity, as shown to patients.
pub fn severity_word(s: Severity) -> &'static str {
    match s {
        0 => "absent",
        1 => "mild",
        2 => "moderate",
        _ => "severe",
    }
}

/// One symptom recorded in an entry, by canonical (or configured custom) name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SymptomEntry {
    pub name: String,
    pub severity: Severity,
}

/// The laboratory values `cls` understands, each in one fixed unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LabKind {
    /// Hemoglobin, g/dL.
    Hemoglobin,
    /// Hematocrit, %.
    Hematocrit,
    /// Albumin, g/L.
    Albumin,
}

impl LabKind {
    pub const ALL: [LabKind; 3] = [LabKind::Hemoglobin, LabKind::Hematocrit, LabKind::Albumin];

    pub fn as_str(self) -> &'static str {
        match self {
            LabKind::Hemoglobin => "hemoglobin",
            LabKind::Hematocrit => "hematocrit",
            LabKind::Albumin => "albumin",
        }
    }

    /// The unit values are stored and shown in.
    pub fn unit(self) -> &'static str {
        match self {
            LabKind::Hemoglobin => "g/dL",
            LabKind::Hematocrit => "%",
            LabKind::Albumin => "g/L",
        }
    }

    /// Accepted range, in [`LabKind::unit`].
    pub fn range(self) -> (f64, f64) {
        match self {
            LabKind::Hemoglobin => (3.0, 25.0),
            LabKind::Hematocrit => (10.0, 80.0),
            LabKind::Albumin => (5.0, 60.0),
        }
    }

    /// Canonical name or a common abbreviation.
    pub fn parse(s: &str) -> Option<LabKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "hemoglobin" | "haemoglobin" | "hb" | "hgb" => Some(LabKind::Hemoglobin),
            "hematocrit" | "haematocrit" | "hct" => Some(LabKind::Hematocrit),
            "albumin" | "alb" => Some(LabKind::Albumin),
            _ => None,
        }
    }
}

impl fmt::Display for LabKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One lab value, already converted to the kind's unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Lab {
    pub kind: LabKind,
    pub value: f64,
}

/// A medication or infusion taken, with a free-form dose (`2g/kg`, `300mg`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Med {
    pub name: String,
    pub dose: Option<String>,
}

/// Everything measured or felt at one moment. All fields are optional because
/// a patient logs what they have; rules skip what is missing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Measurements {
    pub weight_kg: Option<f64>,
    pub bp: Option<Bp>,
    pub standing_bp: Option<Bp>,
    pub heart_rate: Option<u16>,
    pub urine: Option<Urine>,
    /// A 24-hour total in millilitres.
    pub urine_ml: Option<u32>,
    /// Sorted by name, one per name.
    pub symptoms: Vec<SymptomEntry>,
    /// Sorted by kind, one per kind.
    pub labs: Vec<Lab>,
    /// In the order given.
    pub meds: Vec<Med>,
    pub note: Option<String>,
}

impl Measurements {
    /// True when nothing at all was recorded.
    pub fn is_empty(&self) -> bool {
        self == &Measurements::default()
    }

    /// Severity of a symptom in this entry, if recorded.
    pub fn symptom(&self, name: &str) -> Option<Severity> {
        self.symptoms
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.severity)
    }

    pub fn lab(&self, kind: LabKind) -> Option<f64> {
        self.labs.iter().find(|l| l.kind == kind).map(|l| l.value)
    }

    /// Add or replace a symptom, keeping the list sorted and unique.
    ///
    /// Replacing is deliberate here (code building entries, `cls edit`
    /// changing a severity). What a patient types or imports goes through
    /// [`crate::input::EntryLists`] first, which refuses a name given twice
    /// instead of letting the last one win.
    pub fn set_symptom(&mut self, name: &str, severity: Severity) {
        match self
            .symptoms
            .binary_search_by(|s| s.name.as_str().cmp(name))
        {
            Ok(i) => self.symptoms[i].severity = severity,
            Err(i) => self.symptoms.insert(
                i,
                SymptomEntry {
                    name: name.to_string(),
                    severity,
                },
            ),
        }
    }

    /// Add or replace a lab value, keeping the list sorted and unique. As
    /// with [`Measurements::set_symptom`], input is checked for a lab given
    /// twice before it gets here.
    pub fn set_lab(&mut self, kind: LabKind, value: f64) {
        match self.labs.binary_search_by(|l| l.kind.cmp(&kind)) {
            Ok(i) => self.labs[i].value = value,
            Err(i) => self.labs.insert(i, Lab { kind, value }),
        }
    }
}

/// When an entry was taken: the patient's local date and time (what the rules
/// use, so an entry's day never shifts) plus the UTC instant and the offset in
/// force then (so the moment stays unambiguous across DST and travel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub date: NaiveDate,
    pub time: NaiveTime,
    pub utc: DateTime<Utc>,
    /// Seconds east of UTC.
    pub offset_secs: i32,
}

/// One diary entry as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub id: i64,
    #[serde(flatten)]
    pub stamp: Stamp,
    #[serde(flatten)]
    pub m: Measurements,
}

impl Entry {
    pub fn date(&self) -> NaiveDate {
        self.stamp.date
    }

    /// The logical day this entry counts for.
    pub fn day(&self, start: DayStart) -> NaiveDate {
        start.day_of(self.stamp.date, self.stamp.time)
    }
}

/// A capillary-leak attack as recorded by the patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Episode {
    pub id: i64,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub hospitalized: bool,
    pub note: Option<String>,
}

/// When a logical day starts (docs/rules.md, `[diary] day_starts_at`): an
/// entry whose clock time is before it counts for the day before. Derived
/// when reading, so the stored date and time stay what the patient gave.
/// `00:00` turns logical days off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DayStart(pub NaiveTime);

impl Default for DayStart {
    fn default() -> Self {
        DayStart(NaiveTime::from_hms_opt(4, 0, 0).expect("04:00 is a time"))
    }
}

impl DayStart {
    /// `HH:MM`, from `00:00` to `12:00` (a day cannot start in the afternoon).
    pub fn parse(s: &str) -> Result<DayStart, String> {
        let t = NaiveTime::parse_from_str(s.trim(), "%H:%M")
            .map_err(|_| format!("'{s}' is not a time like \"04:00\" (HH:MM, 00:00–12:00)"))?;
        if t > NaiveTime::from_hms_opt(12, 0, 0).expect("noon is a time") {
            return Err(format!(
                "'{s}' is out of range: a day starts between 00:00 and 12:00"
            ));
        }
        Ok(DayStart(t))
    }

    /// The logical day a clock time on `date` counts for.
    pub fn day_of(self, date: NaiveDate, time: NaiveTime) -> NaiveDate {
        if time < self.0 {
            date.pred_opt().unwrap_or(date)
        } else {
            date
        }
    }

    /// The logical day of an instant given as local date and time.
    pub fn day_of_datetime(self, t: chrono::NaiveDateTime) -> NaiveDate {
        self.day_of(t.date(), t.time())
    }

    pub fn is_off(self) -> bool {
        self.0 == NaiveTime::MIN
    }
}

impl fmt::Display for DayStart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%H:%M"))
    }
}

/// Sort key for entries: local date, local time, then id (stable when the
/// clock was stepped back).
pub fn entry_order(a: &Entry, b: &Entry) -> std::cmp::Ordering {
    (a.stamp.date, a.stamp.time, a.id).cmp(&(b.stamp.date, b.stamp.time, b.id))
}
