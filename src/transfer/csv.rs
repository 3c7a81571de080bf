//! The CSV format: one row per entry, the columns fixed by docs/cli.md.
//! Lists sit in one cell each (`thirst:2;fatigue:1`, `hematocrit=44`,
//! `ivig:2g/kg;terbutaline`); an empty cell means "not measured". Notes are
//! written byte for byte (quoted when needed), so commas, quotes, newlines
//! and emoji survive a round trip.
//!
//! A CSV row has a local date and time but no UTC offset: on import the
//! time is read in the importing machine's time zone. The JSON format keeps
//! the offset.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::rc::Rc;

use crate::input::InputError;
use crate::model::Entry;

use super::{
    check_entry, ImportError, ImportFailure, Item, Meter, Metered, Options, RawEntry, Record, Sink,
};

/// The header, in this order (docs/cli.md).
pub const COLUMNS: [&str; 14] = [
    "date",
    "time",
    "weight_kg",
    "systolic",
    "diastolic",
    "standing_systolic",
    "standing_diastolic",
    "heart_rate",
    "urine",
    "urine_ml",
    "symptoms",
    "labs",
    "medications",
    "note",
];

/// Write `entries` as CSV with the header.
pub fn write(entries: &[Entry], out: impl Write) -> std::io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
    for e in entries {
        w.write_record(row(e))?;
    }
    w.flush()?;
    Ok(())
}

/// One entry as the 14 cells.
pub fn row(e: &Entry) -> [String; 14] {
    let m = &e.m;
    let opt = |v: Option<String>| v.unwrap_or_default();
    [
        e.stamp.date.to_string(),
        e.stamp.time.format("%H:%M").to_string(),
        opt(m.weight_kg.map(|w| w.to_string())),
        opt(m.bp.map(|b| b.systolic.to_string())),
        opt(m.bp.map(|b| b.diastolic.to_string())),
        opt(m.standing_bp.map(|b| b.systolic.to_string())),
        opt(m.standing_bp.map(|b| b.diastolic.to_string())),
        opt(m.heart_rate.map(|h| h.to_string())),
        opt(m.urine.map(|u| u.as_str().to_string())),
        opt(m.urine_ml.map(|u| u.to_string())),
        m.symptoms
            .iter()
            .map(|s| format!("{}:{}", s.name, s.severity))
            .collect::<Vec<_>>()
            .join(";"),
        m.labs
            .iter()
            .map(|l| format!("{}={}", l.kind.as_str(), l.value))
            .collect::<Vec<_>>()
            .join(";"),
        m.meds
            .iter()
            .map(|x| match &x.dose {
                Some(d) => format!("{}:{d}", x.name),
                None => x.name.clone(),
            })
            .collect::<Vec<_>>()
            .join(";"),
        opt(m.note.clone()),
    ]
}

/// Read and check a CSV file as a stream, handing each row to `sink`.
/// Columns are found by the header, so a hand-made file may leave some out
/// or reorder them; `date` is required and an unknown column is an error
/// (a typo must not drop data).
pub(super) fn stream<R: Read>(
    reader: Metered<R>,
    meter: &Rc<RefCell<Meter>>,
    opts: &Options,
    sink: &mut Sink<'_>,
) -> Result<(), ImportFailure> {
    let mut r = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(reader);
    let result = rows(&mut r, meter, opts, sink);
    if let Err(ImportFailure::Invalid(_)) = &result {
        if meter.borrow().refusal().is_none() {
            // A stray quote earlier or later in the file is the likelier
            // cause of a bad row (and what the patient must fix), so it is
            // reported first, as it was when the whole file was read at
            // once: read on, counting only, to the end.
            let _ = std::io::copy(r.get_mut(), &mut std::io::sink());
        }
    }
    let m = meter.borrow();
    if let Some(refusal) = m.refusal() {
        return Err(refusal.into());
    }
    match (result, m.unclosed_quote()) {
        (Err(ImportFailure::Invalid(_)) | Ok(()), Some(line)) => Err(unclosed_quote(line).into()),
        (result, _) => result,
    }
}

fn rows<R: Read>(
    r: &mut ::csv::Reader<Metered<R>>,
    meter: &Rc<RefCell<Meter>>,
    opts: &Options,
    sink: &mut Sink<'_>,
) -> Result<(), ImportFailure> {
    let header = r.headers().map_err(|e| csv_failure(&e, 1, meter))?.clone();
    if header.is_empty() || (header.len() == 1 && header[0].trim().is_empty()) {
        return Err(ImportError::whole_file(
            "header",
            format!(
                "the file is empty; expected the header {}",
                COLUMNS.join(",")
            ),
        )
        .into());
    }
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        let Some(known) = COLUMNS.iter().find(|c| c.eq_ignore_ascii_case(name)) else {
            return Err(ImportError::at(
                1,
                InputError::new(
                    "header",
                    format!(
                        "unknown column '{name}' (the columns are {})",
                        COLUMNS.join(",")
                    ),
                ),
            )
            .into());
        };
        if index.insert(known, i).is_some() {
            return Err(ImportError::at(
                1,
                InputError::new("header", format!("column '{known}' appears twice")),
            )
            .into());
        }
    }
    if !index.contains_key("date") {
        return Err(ImportError::at(
            1,
            InputError::new(
                "header",
                format!(
                    "no 'date' column (expected the header {})",
                    COLUMNS.join(",")
                ),
            ),
        )
        .into());
    }

    let mut record = ::csv::StringRecord::new();
    loop {
        let line = r.position().line();
        match r.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_failure(&e, line, meter)),
        }
        let line = record.position().map_or(line, |p| p.line());
        let cell = |name: &str| -> Option<String> {
            index
                .get(name)
                .and_then(|&i| record.get(i))
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        // Whitespace around numbers is forgiven by the parsers; a cell of
        // only spaces is "not measured", except in the note, kept as is.
        let value = |name: &str| cell(name).filter(|v| !v.trim().is_empty());
        let list = |name: &str| -> Vec<String> {
            value(name)
                .map(|v| v.split(';').map(str::to_string).collect())
                .unwrap_or_default()
        };
        let raw = RawEntry {
            date: value("date").unwrap_or_default(),
            time: value("time"),
            utc_offset: None,
            weight_kg: value("weight_kg"),
            systolic: value("systolic"),
            diastolic: value("diastolic"),
            standing_systolic: value("standing_systolic"),
            standing_diastolic: value("standing_diastolic"),
            heart_rate: value("heart_rate"),
            urine: value("urine"),
            urine_ml: value("urine_ml"),
            symptoms: list("symptoms"),
            labs: list("labs"),
            meds: list("medications"),
            note: cell("note"),
        };
        let (stamp, m) = check_entry(&raw, opts).map_err(|e| ImportError::at(line, e))?;
        let bytes = meter.borrow().bytes();
        let record = Record {
            line,
            stamp,
            m,
            source: None,
        };
        sink(Item::Entry(record), bytes)?;
    }
    Ok(())
}

/// The csv reader accepts a quoted cell that is never closed, taking the
/// rest of the file into it: rows would silently vanish into a note. The
/// [`Meter`] finds it (an odd count of quotes); this is the message, at
/// the line where the unclosed one opens.
fn unclosed_quote(line: u64) -> ImportError {
    ImportError::at(
        line,
        InputError::new(
            "row",
            "a \"double quote\" is never closed (a cell holding quotes, commas or line breaks must be in double quotes, with each \" inside written twice: \"5\"\" tall\")",
        ),
    )
}

/// A csv error: the meter's refusal when it stopped the reading, a read
/// error as such, else the row's problem.
fn csv_failure(e: &::csv::Error, fallback_line: u64, meter: &Rc<RefCell<Meter>>) -> ImportFailure {
    if let Some(refusal) = meter.borrow().refusal() {
        return refusal.into();
    }
    if let ::csv::ErrorKind::Io(io) = e.kind() {
        return ImportFailure::Read(std::io::Error::new(io.kind(), io.to_string()));
    }
    csv_error(e, fallback_line).into()
}

fn csv_error(e: &::csv::Error, fallback_line: u64) -> ImportError {
    let line = e.position().map_or(fallback_line, |p| p.line());
    let error = match e.kind() {
        ::csv::ErrorKind::UnequalLengths { expected_len, len, .. } => InputError::new(
            "row",
            format!("{len} cells, but the header has {expected_len} (a comma or quote in a note must be inside \"double quotes\")"),
        ),
        ::csv::ErrorKind::Utf8 { err, .. } => InputError::new(
            "row",
            format!("cell {} is not valid UTF-8 text (save the file as UTF-8)", err.field() + 1),
        ),
        _ => InputError::new("csv", e.to_string()),
    };
    ImportError::at(line, error)
}
