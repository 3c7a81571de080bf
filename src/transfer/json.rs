//! The JSON format: one versioned document with every entry, episode and
//! acknowledgement.
//!
//! ```json
//! {"format": "cls-diary", "version": 1, "exported_at": "2026-11-25T08:00:00+00:00",
//!  "entries": [
//!   {"id": 1, "date": "2026-11-20", "time": "07:30", "utc_offset": "-05:00",
//!    "weight_kg": 68.4, "systolic": 118, "diastolic": 76, "heart_rate": 72,
//!    "urine": "less", "urine_ml": 900, "symptoms": {"thirst": 2},
//!    "labs": {"hematocrit": 44.0}, "medications": [{"name": "ivig", "dose": "2g/kg"}],
//!    "note": "…"}
//!  ],
//!  "episodes": [{"id": 1, "start": "2026-10-01", "end": "2026-10-05", "hospitalized": true, "note": "…"}],
//!  "acks": [{"id": 1, "day": "2026-11-20", "rule": "W1", "level": "watch",
//!    "at": "2026-11-20T08:10:00-05:00", "note": "…", "seen": {"W1": "watch"},
//!    "lapsed": "2026-11-20T18:02:00-05:00"}]}
//! ```
//!
//! Field names are the CSV columns. A missing key means "not measured".
//! [`JsonEntry`] is the one JSON shape of an entry: `cls show --json`,
//! `cls list --json` and the report's `entries` write it too, and
//! `docs/schema/entry.schema.json` describes it (a test checks all of them
//! against it). `source` names the device an entry was imported from; an
//! entry typed by hand has none.
//! Labs are in their fixed units (hematocrit %, hemoglobin g/dL, albumin
//! g/L). `utc_offset` keeps the moment exact across time zones; without it
//! the time is read as local, like a CSV row. `id` is written for reference
//! and ignored on import. The export writes one entry per line, so an error
//! message's line number points at the entry.
//!
//! `acks` are the acknowledgements of `cls ack` (docs/cli.md: stored in the
//! diary, so backed up and exported): `day` is the logical day it was made
//! on, `seen` every rule at watch or above then, `lapsed` when a command
//! first saw it lapse (missing while it holds). A document without `acks`
//! (older exports) imports as before. The hooks' memory of which level they
//! ran at is not exported: it is the machine's state, not the patient's
//! record.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::io::{BufReader, Read, Write};
use std::rc::Rc;

use serde::de::{self, DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::Number;

use crate::ack::Ack;
use crate::input::InputError;
use crate::model::{Entry, Episode};

use super::{
    check_ack, check_entry, check_episode, format_offset, AckRecord, EpisodeRecord, ImportError,
    ImportFailure, Item, Meter, Metered, Options, RawAck, RawEntry, Record, Sink,
};

/// The `format` value of a cls JSON document.
pub const FORMAT: &str = "cls-diary";
/// The version this cls writes and the newest it reads.
pub const VERSION: i64 = 1;

/// An entry as JSON, the same everywhere (see the module comment). Build
/// one with [`to_json`].
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<i64>,
    date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    utc_offset: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    weight_kg: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    systolic: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    diastolic: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    standing_systolic: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    standing_diastolic: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    heart_rate: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    urine: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    urine_ml: Option<Number>,
    #[serde(default, skip_serializing_if = "Pairs::is_empty")]
    symptoms: Pairs,
    #[serde(default, skip_serializing_if = "Pairs::is_empty")]
    labs: Pairs,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    medications: Vec<JsonMed>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    /// The device export an entry was imported from (schema 6); omitted
    /// for an entry typed by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<String>,
}

/// A JSON object of names and numbers (`symptoms`, `labs`), read as its
/// pairs in file order. A map type would keep only the last of a key given
/// twice, silently; the pairs let the shared check refuse it (one value per
/// name), like `thirst` and `thirsty`.
#[derive(Debug, Default)]
struct Pairs(Vec<(String, Number)>);

impl Pairs {
    /// Sorted by name, as the export has always written them.
    fn sorted(mut pairs: Vec<(String, Number)>) -> Pairs {
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        Pairs(pairs)
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Pairs {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

impl<'de> Deserialize<'de> for Pairs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Pairs, D::Error> {
        struct PairsVisitor;
        impl<'de> Visitor<'de> for PairsVisitor {
            type Value = Pairs;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pairs, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry::<String, Number>()? {
                    pairs.push(pair);
                }
                Ok(Pairs(pairs))
            }
        }
        d.deserialize_map(PairsVisitor)
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonMed {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dose: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonEpisode {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<i64>,
    start: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    end: Option<String>,
    #[serde(default)]
    hospitalized: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonAck {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<i64>,
    day: String,
    rule: String,
    level: String,
    at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default)]
    seen: Levels,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lapsed: Option<String>,
}

/// `seen`: a JSON object of rule ids and levels, read as its pairs in file
/// order (a rule given twice is refused by the check, not dropped).
#[derive(Debug, Default)]
struct Levels(Vec<(String, String)>);

impl Serialize for Levels {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

impl<'de> Deserialize<'de> for Levels {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Levels, D::Error> {
        struct LevelsVisitor;
        impl<'de> Visitor<'de> for LevelsVisitor {
            type Value = Levels;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of rule ids to levels")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Levels, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry::<String, String>()? {
                    pairs.push(pair);
                }
                Ok(Levels(pairs))
            }
        }
        d.deserialize_map(LevelsVisitor)
    }
}

fn ack_to_json(a: &Ack) -> JsonAck {
    JsonAck {
        id: Some(a.id),
        day: a.day.to_string(),
        rule: a.rule.clone(),
        level: a.level.as_str().to_string(),
        at: a.at.to_rfc3339(),
        note: a.note.clone(),
        seen: Levels(
            a.seen
                .iter()
                .map(|(r, l)| (r.clone(), l.as_str().to_string()))
                .collect(),
        ),
        lapsed: a.lapsed.map(|l| l.to_rfc3339()),
    }
}

fn number_f64(v: f64) -> Number {
    Number::from_f64(v).unwrap_or_else(|| Number::from(0))
}

/// The JSON shape of a stored entry: every value exactly as stored (never
/// rounded), so that export then import gives back the same diary.
pub fn to_json(e: &Entry) -> JsonEntry {
    let m = &e.m;
    JsonEntry {
        id: Some(e.id),
        date: e.stamp.date.to_string(),
        time: Some(e.stamp.time.format("%H:%M").to_string()),
        utc_offset: Some(format_offset(e.stamp.offset_secs)),
        weight_kg: m.weight_kg.map(number_f64),
        systolic: m.bp.map(|b| b.systolic.into()),
        diastolic: m.bp.map(|b| b.diastolic.into()),
        standing_systolic: m.standing_bp.map(|b| b.systolic.into()),
        standing_diastolic: m.standing_bp.map(|b| b.diastolic.into()),
        heart_rate: m.heart_rate.map(Number::from),
        urine: m.urine.map(|u| u.as_str().to_string()),
        urine_ml: m.urine_ml.map(Number::from),
        symptoms: Pairs::sorted(
            m.symptoms
                .iter()
                .map(|s| (s.name.clone(), Number::from(s.severity)))
                .collect(),
        ),
        labs: Pairs::sorted(
            m.labs
                .iter()
                .map(|l| (l.kind.as_str().to_string(), number_f64(l.value)))
                .collect(),
        ),
        medications: m
            .meds
            .iter()
            .map(|x| JsonMed {
                name: x.name.clone(),
                dose: x.dose.clone(),
            })
            .collect(),
        note: m.note.clone(),
        source: e.source.clone(),
    }
}

/// Write the whole document, one entry, episode or acknowledgement per
/// line.
pub fn write(
    entries: &[Entry],
    episodes: &[Episode],
    acks: &[Ack],
    exported_at: &str,
    mut out: impl Write,
) -> std::io::Result<()> {
    // Written by hand so that "format" comes first and each entry is one
    // line (error messages on import point at it).
    write!(
        out,
        "{{\"format\": \"{FORMAT}\", \"version\": {VERSION}, \"exported_at\": {},\n\"entries\": [",
        serde_json::to_string(exported_at)?
    )?;
    for (i, e) in entries.iter().enumerate() {
        let sep = if i == 0 { "\n" } else { ",\n" };
        write!(out, "{sep}{}", serde_json::to_string(&to_json(e))?)?;
    }
    write!(out, "\n],\n\"episodes\": [")?;
    for (i, e) in episodes.iter().enumerate() {
        let sep = if i == 0 { "\n" } else { ",\n" };
        let j = JsonEpisode {
            id: Some(e.id),
            start: e.start.to_string(),
            end: e.end.map(|d| d.to_string()),
            hospitalized: e.hospitalized,
            note: e.note.clone(),
        };
        write!(out, "{sep}{}", serde_json::to_string(&j)?)?;
    }
    write!(out, "\n],\n\"acks\": [")?;
    for (i, a) in acks.iter().enumerate() {
        let sep = if i == 0 { "\n" } else { ",\n" };
        write!(out, "{sep}{}", serde_json::to_string(&ack_to_json(a))?)?;
    }
    writeln!(out, "\n]}}")?;
    out.flush()
}

/// The keys of a document, for serde's "unknown field" message.
const FIELDS: &[&str] = &[
    "format",
    "version",
    "exported_at",
    "entries",
    "episodes",
    "acks",
];

/// Counts the line breaks serde_json has consumed: it reads a byte at a
/// time (from a buffer below), so after an entry the count is the line the
/// entry ends on.
struct Lines<R> {
    inner: R,
    breaks: Rc<Cell<u64>>,
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let k = buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        self.breaks.set(self.breaks.get() + k);
        Ok(n)
    }
}

/// What the streaming visitors share: the options, where checked rows go,
/// the line count, and the first problem (serde's own error type cannot
/// carry ours, so a visitor stores it here and stops serde with a
/// placeholder).
struct Doc<'a, 's> {
    opts: &'a Options,
    sink: &'a mut Sink<'s>,
    breaks: Rc<Cell<u64>>,
    meter: &'a Rc<RefCell<Meter>>,
    failure: Option<ImportFailure>,
}

impl Doc<'_, '_> {
    fn fail<E: de::Error>(&mut self, f: impl Into<ImportFailure>) -> E {
        self.failure = Some(f.into());
        E::custom("stopped")
    }

    fn entry(&mut self, raw: &RawValue) -> Result<(), ImportFailure> {
        let line = self.start_line(raw);
        let mut j: JsonEntry = serde_json::from_str(raw.get()).map_err(|e| syntax(&e, line))?;
        let source = j
            .source
            .take()
            .map(|s| check_source(&s))
            .transpose()
            .map_err(|e| ImportError::at(line, e))?;
        let raw_entry = from_json(j).map_err(|e| ImportError::at(line, e))?;
        let (stamp, m) =
            check_entry(&raw_entry, self.opts).map_err(|e| ImportError::at(line, e))?;
        let bytes = self.meter.borrow().bytes();
        let record = Record {
            line,
            stamp,
            m,
            source,
        };
        (self.sink)(Item::Entry(record), bytes)
    }

    fn episode(&mut self, raw: &RawValue) -> Result<(), ImportFailure> {
        let line = self.start_line(raw);
        let j: JsonEpisode = serde_json::from_str(raw.get()).map_err(|e| syntax(&e, line))?;
        let episode = check_episode(
            &j.start,
            j.end.as_deref(),
            j.hospitalized,
            j.note.as_deref(),
            self.opts,
        )
        .map_err(|e| ImportError::at(line, e))?;
        let bytes = self.meter.borrow().bytes();
        (self.sink)(Item::Episode(EpisodeRecord { line, episode }), bytes)
    }

    fn ack(&mut self, raw: &RawValue) -> Result<(), ImportFailure> {
        let line = self.start_line(raw);
        let j: JsonAck = serde_json::from_str(raw.get()).map_err(|e| syntax(&e, line))?;
        let raw_ack = RawAck {
            day: j.day,
            rule: j.rule,
            level: j.level,
            at: j.at,
            note: j.note,
            seen: j.seen.0,
            lapsed: j.lapsed,
        };
        let (ack, lapsed) = check_ack(&raw_ack, self.opts).map_err(|e| ImportError::at(line, e))?;
        let bytes = self.meter.borrow().bytes();
        (self.sink)(Item::Ack(AckRecord { line, ack, lapsed }), bytes)
    }

    /// The line a value just read starts on: the line it ends on, less the
    /// line breaks inside it.
    fn start_line(&self, raw: &RawValue) -> u64 {
        let inside = raw.get().bytes().filter(|&b| b == b'\n').count() as u64;
        1 + self.breaks.get().saturating_sub(inside)
    }
}

/// The whole document: an object whose entries and episodes are checked
/// and handed on one at a time, never held together.
struct Top<'d, 'a, 's>(&'d mut Doc<'a, 's>);

impl<'de> Visitor<'de> for Top<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a cls export (a JSON object)")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.0.fail(ImportError::whole_file(
            "format",
            "a JSON array is not a cls export ('cls list --json' is for reading; \
             make a file to import with 'cls export --format json')",
        )))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let doc = self.0;
        let mut format: Option<Option<String>> = None;
        let mut version: Option<Option<i64>> = None;
        let mut seen: Vec<String> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                return Err(A::Error::custom(format!("duplicate field `{key}`")));
            }
            match key.as_str() {
                "format" => {
                    let f = map.next_value::<Option<String>>()?;
                    check_format(f.as_deref()).map_err(|e| doc.fail::<A::Error>(e))?;
                    format = Some(f);
                }
                "version" => {
                    let v = map.next_value::<Option<i64>>()?;
                    check_version(v).map_err(|e| doc.fail::<A::Error>(e))?;
                    version = Some(v);
                }
                "exported_at" => {
                    map.next_value::<Option<String>>()?;
                }
                "entries" => map.next_value_seed(List {
                    doc: &mut *doc,
                    kind: Kind::Entries,
                })?,
                "episodes" => map.next_value_seed(List {
                    doc: &mut *doc,
                    kind: Kind::Episodes,
                })?,
                "acks" => map.next_value_seed(List {
                    doc: &mut *doc,
                    kind: Kind::Acks,
                })?,
                // `cls export --format fhir` writes a FHIR Bundle; say so
                // rather than list the keys a cls export has.
                "resourceType" => {
                    return Err(doc.fail(ImportError::whole_file(
                        "format",
                        "this is a FHIR resource (cls export --format fhir, for a clinic); \
                         cls import reads its own CSV and JSON exports only",
                    )))
                }
                other => return Err(A::Error::unknown_field(other, FIELDS)),
            }
            seen.push(key);
        }
        // Keys may come in any order (`jq -S` sorts them), so a missing
        // format or version is only known here; every row read so far was
        // written inside the import's transaction, which this rolls back.
        check_format(format.flatten().as_deref()).map_err(|e| doc.fail::<A::Error>(e))?;
        check_version(version.flatten()).map_err(|e| doc.fail::<A::Error>(e))?;
        Ok(())
    }
}

/// Which list a [`List`] reads.
#[derive(Clone, Copy)]
enum Kind {
    Entries,
    Episodes,
    Acks,
}

/// `entries`, `episodes` or `acks`: each element is read as raw text (one
/// at a time), then checked and handed on.
struct List<'d, 'a, 's> {
    doc: &'d mut Doc<'a, 's>,
    kind: Kind,
}

impl<'de> DeserializeSeed<'de> for List<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for List<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            let done = match self.kind {
                Kind::Entries => self.doc.entry(&raw),
                Kind::Episodes => self.doc.episode(&raw),
                Kind::Acks => self.doc.ack(&raw),
            };
            done.map_err(|e| self.doc.fail::<A::Error>(e))?;
        }
        Ok(())
    }
}

fn check_format(format: Option<&str>) -> Result<(), ImportError> {
    match format {
        Some(FORMAT) => Ok(()),
        Some(other) => Err(ImportError::whole_file(
            "format",
            format!("'{other}' is not a cls diary export (expected \"format\": \"{FORMAT}\")"),
        )),
        None => Err(ImportError::whole_file(
            "format",
            format!("missing: a cls export starts with {{\"format\": \"{FORMAT}\", \"version\": {VERSION}, ...}}"),
        )),
    }
}

fn check_version(version: Option<i64>) -> Result<(), ImportError> {
    match version {
        Some(v) if (1..=VERSION).contains(&v) => Ok(()),
        Some(v) if v > VERSION => Err(ImportError::whole_file(
            "version",
            format!("{v} is newer than this cls reads ({VERSION}); upgrade cls"),
        )),
        Some(v) => Err(ImportError::whole_file(
            "version",
            format!("{v} is not a valid version"),
        )),
        None => Err(ImportError::whole_file("version", "missing")),
    }
}

/// Read and check a JSON document as a stream, handing each entry and
/// episode to `sink`. A UTF-8 byte order mark at the start is skipped (as
/// the CSV reader does): some editors on Windows write one.
pub(super) fn stream<R: Read>(
    reader: Metered<R>,
    meter: &Rc<RefCell<Meter>>,
    opts: &Options,
    sink: &mut Sink<'_>,
) -> Result<(), ImportFailure> {
    let mut buffered = BufReader::new(reader);
    let mut head = Vec::with_capacity(3);
    (&mut buffered)
        .take(3)
        .read_to_end(&mut head)
        .map_err(|e| read_failure(e, meter))?;
    if head == b"\xEF\xBB\xBF" {
        head.clear();
    }
    let breaks = Rc::new(Cell::new(0));
    let lines = Lines {
        inner: std::io::Cursor::new(head).chain(buffered),
        breaks: Rc::clone(&breaks),
    };
    let mut doc = Doc {
        opts,
        sink,
        breaks,
        meter,
        failure: None,
    };
    let mut de = serde_json::Deserializer::from_reader(lines);
    let result = de.deserialize_any(Top(&mut doc)).and_then(|()| de.end());
    match (result, doc.failure) {
        (Ok(()), _) => Ok(()),
        (Err(_), Some(f)) => Err(f),
        (Err(e), None) => Err(match meter.borrow().refusal() {
            Some(refusal) => refusal.into(),
            None if e.is_io() => ImportFailure::Read(std::io::Error::other(e.to_string())),
            None => syntax(&e, 1).into(),
        }),
    }
}

fn read_failure(e: std::io::Error, meter: &Rc<RefCell<Meter>>) -> ImportFailure {
    match meter.borrow().refusal() {
        Some(refusal) => refusal.into(),
        None => ImportFailure::Read(e),
    }
}

/// A serde error inside a value that starts on `base_line`.
fn syntax(e: &serde_json::Error, base_line: u64) -> ImportError {
    let line = base_line + (e.line() as u64).saturating_sub(1);
    // serde's message ends with " at line L column C"; we give our own line.
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    ImportError::at(line, InputError::new("json", msg))
}

/// An entry's `source`: a short lowercase name such as `withings`, as
/// `cls import --from` writes it (the schema allows 1–40 characters).
fn check_source(s: &str) -> Result<String, InputError> {
    let ok = (1..=40).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(s.to_string())
    } else {
        Err(InputError::new(
            "source",
            format!(
                "'{}' is not a device name (lowercase letters, digits and '-', e.g. withings)",
                s.escape_debug()
            ),
        ))
    }
}

/// Turn typed JSON values into the text the shared checks read. Names that
/// hold a list separator are refused here, so that they cannot be split
/// into something else.
fn from_json(j: JsonEntry) -> Result<RawEntry, InputError> {
    let num = |n: Option<Number>| n.map(|n| n.to_string());
    let mut symptoms = Vec::new();
    for (name, sev) in j.symptoms.0 {
        if name.contains([':', ',', ';']) {
            return Err(InputError::new(
                "symptoms",
                format!("unknown symptom '{name}'"),
            ));
        }
        symptoms.push(format!("{name}:{sev}"));
    }
    let mut labs = Vec::new();
    for (name, value) in j.labs.0 {
        if name.contains('=') {
            return Err(InputError::new("labs", format!("unknown lab '{name}'")));
        }
        labs.push(format!("{name}={value}"));
    }
    let mut meds = Vec::new();
    for m in j.medications {
        if m.name.contains(':') {
            return Err(InputError::new(
                "medications",
                format!("'{}': ':' is not allowed in a medication name", m.name),
            ));
        }
        meds.push(match m.dose {
            Some(d) => format!("{}:{d}", m.name),
            None => m.name,
        });
    }
    Ok(RawEntry {
        date: j.date,
        time: j.time,
        utc_offset: j.utc_offset,
        weight_kg: num(j.weight_kg),
        systolic: num(j.systolic),
        diastolic: num(j.diastolic),
        standing_systolic: num(j.standing_systolic),
        standing_diastolic: num(j.standing_diastolic),
        heart_rate: num(j.heart_rate),
        urine: j.urine,
        urine_ml: num(j.urine_ml),
        symptoms,
        labs,
        meds,
        note: j.note,
    })
}
