//! Taking the diary elsewhere and bringing it back: export to CSV (the
//! columns fixed in docs/cli.md) or to a versioned JSON document that also
//! carries episodes and acknowledgements, and import of either.
//!
//! Import streams: [`import`] reads the file a row at a time, checks each
//! with the same parsers and ranges as `cls log` and writes it inside one
//! `BEGIN IMMEDIATE` transaction, skipping rows identical to entries already
//! in the diary or earlier in the file; the first bad row (named by its
//! line) rolls everything back. A crash, a full disk or a busy diary leaves
//! the diary exactly as it was. Memory does not grow with the file, which
//! may be at most [`MAX_IMPORT_BYTES`]. [`check`] is the same pass without
//! a diary (so a refused file creates none); [`parse`] and [`apply`] are
//! the in-memory two steps, for tests.

pub mod csv;
pub mod devices;
pub mod fhir;
pub mod json;
mod row;

use std::cell::RefCell;
use std::collections::HashSet;
use std::io::Read;
use std::path::Path;
use std::rc::Rc;

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::ack::Ack;
use crate::input::InputError;
use crate::model::{Entry, Episode, Measurements, Stamp};
use crate::store::{self, Batch, NewAck, Store};

pub(crate) use row::{check_ack, check_entry, check_episode, format_offset, RawAck, RawEntry};

/// The file formats `cls export` writes and `cls import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    /// The format a file name implies by its extension, if any.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// What an import needs to know besides the file: "today" (entries may be
/// at most one day ahead, as in `cls log`), the patient's own symptom
/// names, and the rule ids an acknowledgement may name (the built-in rules
/// and the patient's own: [`known_rules`]).
#[derive(Debug, Clone)]
pub struct Options {
    /// The logical today: entries at most one day after it.
    pub today: NaiveDate,
    /// Now: an acknowledgement's moments must not be after it.
    pub now: DateTime<FixedOffset>,
    pub custom_symptoms: Vec<String>,
    pub rules: Vec<String>,
}

/// The rule ids of a rules config: the built-in rules and the patient's own.
pub fn known_rules(cfg: &crate::rules::RulesConfig) -> Vec<String> {
    crate::rules::describe(cfg)
        .into_iter()
        .map(|r| r.rule)
        .collect()
}

/// One checked entry, ready to insert.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Where it starts in the file (1-based), for messages.
    pub line: u64,
    pub stamp: Stamp,
    pub m: Measurements,
    /// The device export it came from (a JSON export of imported entries
    /// carries it); `None` for a typed entry.
    pub source: Option<String>,
}

/// One checked episode, ready to insert.
#[derive(Debug, Clone, PartialEq)]
pub struct EpisodeRecord {
    pub line: u64,
    pub episode: Episode,
}

/// One checked acknowledgement, ready to insert, with when it lapsed if
/// it has.
#[derive(Debug, Clone, PartialEq)]
pub struct AckRecord {
    pub line: u64,
    pub ack: NewAck,
    pub lapsed: Option<DateTime<FixedOffset>>,
}

/// A whole file, checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    pub entries: Vec<Record>,
    pub episodes: Vec<EpisodeRecord>,
    pub acks: Vec<AckRecord>,
}

/// Why a file was rejected: the line where the first problem is (when
/// there is one) and the problem, in the same words as `cls log`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{error}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct ImportError {
    pub line: Option<u64>,
    /// The problem (not a `source`: it is part of this message already).
    pub error: InputError,
}

impl ImportError {
    pub fn at(line: u64, error: InputError) -> Self {
        ImportError {
            line: Some(line),
            error,
        }
    }

    pub fn whole_file(field: &str, message: impl Into<String>) -> Self {
        ImportError {
            line: None,
            error: InputError::new(field, message),
        }
    }
}

/// The largest file `cls import` reads: 200 MB (200,000,000 bytes), about
/// two million CSV rows, centuries of daily entries. A larger file is
/// refused before it is read (or, from a pipe or a device, as soon as it
/// passes the limit): it is not a diary export, and memory stays bounded.
pub const MAX_IMPORT_BYTES: u64 = 200_000_000;

/// The longest line a CSV file may have (a row holds at most a 4,000
/// character note and a few short lists). Without it, a file with no line
/// break (`/dev/zero`) would be buffered whole as one row.
pub const MAX_CSV_LINE_BYTES: u64 = 1_000_000;

/// Why an import stopped: the file is not acceptable (exit 2, names the
/// line), it could not be read, or the diary could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ImportFailure {
    #[error("{0}")]
    Invalid(#[from] ImportError),
    #[error("cannot read the file: {0}")]
    Read(#[source] std::io::Error),
    #[error("{0}")]
    Store(#[from] store::StoreError),
}

/// One checked row of a file, handed on as soon as it is read.
pub(crate) enum Item {
    Entry(Record),
    Episode(EpisodeRecord),
    Ack(AckRecord),
}

/// What is done with each checked item; gets the bytes read so far too.
pub(crate) type Sink<'a> = dyn FnMut(Item, u64) -> Result<(), ImportFailure> + 'a;

/// Counts what passes through a reader: bytes against
/// [`MAX_IMPORT_BYTES`] and, for CSV, line lengths and double quotes (a
/// quote never closed would take the rest of the file into one cell; in
/// well-formed CSV every cell's quotes pair up).
#[derive(Debug, Default)]
pub(crate) struct Meter {
    bytes: u64,
    limit: u64,
    too_large: bool,
    csv: bool,
    line: u64,
    line_len: u64,
    long_line: Option<u64>,
    quote_open: bool,
    quote_line: u64,
}

impl Meter {
    /// The file-level refusal the meter has seen, if any: more than
    /// [`MAX_IMPORT_BYTES`], or a CSV line longer than [`MAX_CSV_LINE_BYTES`].
    pub(crate) fn refusal(&self) -> Option<ImportError> {
        if self.too_large {
            return Some(too_large_input(self.limit, None));
        }
        self.long_line.map(|line| {
            ImportError::at(
                line,
                InputError::new(
                    "row",
                    format!(
                        "longer than {} MB without a line break; this is not a CSV diary file",
                        MAX_CSV_LINE_BYTES / 1_000_000
                    ),
                ),
            )
        })
    }

    /// The line where a double quote opens that is never closed, once the
    /// whole file has been read.
    pub(crate) fn unclosed_quote(&self) -> Option<u64> {
        self.quote_open.then_some(self.quote_line)
    }

    pub(crate) fn bytes(&self) -> u64 {
        self.bytes
    }
}

/// "the file is 201 MB; cls imports at most 200 MB", with its size when
/// known.
pub fn too_large(size: Option<u64>) -> ImportError {
    too_large_input(MAX_IMPORT_BYTES, size)
}

fn too_large_input(limit: u64, size: Option<u64>) -> ImportError {
    let limit = limit.div_ceil(1_000_000);
    let what = match size {
        Some(n) => format!("the file is {} MB", n.div_ceil(1_000_000)),
        None => format!("the input is larger than {limit} MB"),
    };
    ImportError::whole_file(
        "file",
        format!(
            "{what}; cls imports at most {limit} MB at a time (split it, or import a diary export)"
        ),
    )
}

/// A reader that feeds a [`Meter`] and stops with an error at its limits.
pub(crate) struct Metered<R> {
    inner: R,
    meter: Rc<RefCell<Meter>>,
}

impl<R: Read> Read for Metered<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut m = self.meter.borrow_mut();
        m.bytes += n as u64;
        if m.bytes > m.limit {
            m.too_large = true;
        } else if m.csv {
            for &b in &buf[..n] {
                match b {
                    b'\n' => {
                        m.line += 1;
                        m.line_len = 0;
                        continue;
                    }
                    b'"' => {
                        m.quote_open = !m.quote_open;
                        if m.quote_open {
                            m.quote_line = m.line;
                        }
                    }
                    _ => {}
                }
                m.line_len += 1;
                if m.line_len > MAX_CSV_LINE_BYTES {
                    m.long_line = Some(m.line);
                    break;
                }
            }
        }
        if m.too_large || m.long_line.is_some() {
            return Err(std::io::Error::other("import limit reached"));
        }
        Ok(n)
    }
}

/// Read and check a file as a stream, handing each checked row to `sink`
/// as soon as it is read; stops at the first problem.
fn stream(
    format: Format,
    reader: impl Read,
    opts: &Options,
    sink: &mut Sink<'_>,
) -> Result<(), ImportFailure> {
    stream_at_most(format, reader, opts, MAX_IMPORT_BYTES, sink)
}

/// [`stream`] with another limit than [`MAX_IMPORT_BYTES`] (for tests).
fn stream_at_most(
    format: Format,
    reader: impl Read,
    opts: &Options,
    limit: u64,
    sink: &mut Sink<'_>,
) -> Result<(), ImportFailure> {
    let meter = Rc::new(RefCell::new(Meter {
        limit,
        csv: format == Format::Csv,
        line: 1,
        ..Meter::default()
    }));
    let reader = Metered {
        inner: reader,
        meter: Rc::clone(&meter),
    };
    match format {
        Format::Csv => csv::stream(reader, &meter, opts, sink),
        Format::Json => json::stream(reader, &meter, opts, sink),
    }
}

/// Check a whole file as a stream, keeping nothing: the rows it holds (for
/// a first pass before a diary is created). Memory does not grow with the
/// file.
pub fn check(format: Format, reader: impl Read, opts: &Options) -> Result<usize, ImportFailure> {
    let mut rows = 0;
    stream(format, reader, opts, &mut |_, _| {
        rows += 1;
        Ok(())
    })?;
    Ok(rows)
}

/// Read and check a whole file into memory. Nothing is written. (For tests
/// and small files; `cls import` streams with [`import`].)
pub fn parse(format: Format, bytes: &[u8], opts: &Options) -> Result<Plan, ImportError> {
    let mut plan = Plan::default();
    let result = stream(format, bytes, opts, &mut |item, _| {
        match item {
            Item::Entry(r) => plan.entries.push(r),
            Item::Episode(e) => plan.episodes.push(e),
            Item::Ack(a) => plan.acks.push(a),
        }
        Ok(())
    });
    match result {
        Ok(()) => Ok(plan),
        Err(ImportFailure::Invalid(e)) => Err(e),
        Err(other) => Err(ImportError::whole_file("file", other.to_string())),
    }
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    pub imported: usize,
    pub skipped: usize,
    pub episodes_imported: usize,
    pub episodes_skipped: usize,
    pub acks_imported: usize,
    pub acks_skipped: usize,
}

/// Which rows are already there: the diary's and those imported so far.
///
/// An entry is kept as a 128-bit hash of its key, so that the memory an
/// import needs does not grow by the size of each row; a hash seen before
/// is confirmed against the diary's rows of that date (this transaction's
/// own included) before a row is skipped, so a collision can never drop an
/// entry. Episodes and acknowledgements are few and kept whole.
struct Seen {
    entries: HashSet<u128>,
    episodes: HashSet<String>,
    acks: HashSet<String>,
    /// The keys of one day's entries in the diary, read to confirm a
    /// repeated hash; files are mostly in date order, so one day is read
    /// once, not once per row.
    day: Option<(NaiveDate, HashSet<String>)>,
}

impl Seen {
    fn new(store: &Store) -> store::Result<Seen> {
        let mut entries = HashSet::new();
        // A year at a time, so that a large diary is never all in memory.
        let year = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1);
        let mut ranges = vec![(None, year(1900).and_then(|d| d.pred_opt()))];
        ranges.extend((1900..=2200).map(|y| (year(y), year(y + 1).and_then(|d| d.pred_opt()))));
        ranges.push((year(2201), None));
        for (from, to) in ranges {
            for e in store.entries(from, to)? {
                entries.insert(hash128(&entry_key(&e.stamp, &e.m)));
            }
        }
        let episodes = store.episodes()?.iter().map(episode_key).collect();
        let acks = store
            .acks_between(None, None)?
            .iter()
            .map(|a| ack_key(a.day, &a.rule, &a.at))
            .collect();
        Ok(Seen {
            entries,
            episodes,
            acks,
            day: None,
        })
    }

    /// True when this entry is already in the diary or was imported
    /// earlier from the same file. `confirm`: check a repeated hash
    /// against the diary (false in a dry run, where nothing is written to
    /// compare with).
    fn entry(&mut self, store: &Store, r: &Record, confirm: bool) -> store::Result<bool> {
        let key = entry_key(&r.stamp, &r.m);
        let date = r.stamp.date;
        if self.entries.insert(hash128(&key)) {
            // New: it is about to be written, so it joins the day read.
            if let Some((day, keys)) = &mut self.day {
                if *day == date {
                    keys.insert(key);
                }
            }
            return Ok(false);
        }
        if !confirm {
            return Ok(true);
        }
        if self.day.as_ref().is_none_or(|(day, _)| *day != date) {
            let keys = store
                .entries(Some(date), Some(date))?
                .iter()
                .map(|e| entry_key(&e.stamp, &e.m))
                .collect();
            self.day = Some((date, keys));
        }
        // Present: a duplicate. Absent (two rows whose hashes collide): it
        // is written, and so joins the day.
        Ok(self.day.as_mut().is_some_and(|(_, keys)| !keys.insert(key)))
    }

    fn episode(&mut self, e: &Episode) -> bool {
        !self.episodes.insert(episode_key(e))
    }

    fn ack(&mut self, a: &NewAck) -> bool {
        !self.acks.insert(ack_key(a.day, &a.rule, &a.at))
    }
}

/// Two independent 64-bit SipHashes (fixed keys, so the same in every run).
fn hash128(s: &str) -> u128 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let half = |salt: u8| {
        let mut h = DefaultHasher::new();
        salt.hash(&mut h);
        s.hash(&mut h);
        h.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

/// Write one checked item, or count it as a duplicate.
fn put(
    batch: &mut Batch<'_>,
    seen: &mut Seen,
    out: &mut Outcome,
    item: &Item,
) -> store::Result<()> {
    match item {
        Item::Entry(r) => {
            if seen.entry(batch.store(), r, !batch.dry_run())? {
                out.skipped += 1;
            } else {
                batch.entry_from(&r.stamp, &r.m, r.source.as_deref())?;
                out.imported += 1;
            }
        }
        Item::Episode(r) => {
            if seen.episode(&r.episode) {
                out.episodes_skipped += 1;
            } else {
                batch.episode(&r.episode)?;
                out.episodes_imported += 1;
            }
        }
        Item::Ack(r) => {
            if seen.ack(&r.ack) {
                out.acks_skipped += 1;
            } else {
                batch.ack(&r.ack, r.lapsed)?;
                out.acks_imported += 1;
            }
        }
    }
    Ok(())
}

/// Read, check and write a file in one transaction, as a stream: memory
/// does not grow with the file (only by a hash per row, to find
/// duplicates). All or nothing: the first bad row, a read error or a
/// diary error rolls everything back. A row identical to an entry already
/// in the diary (same date, time and contents), or to an earlier row of
/// the same file, is skipped and counted. With `dry_run` the same checking
/// and counting happens and nothing is written.
///
/// `progress(bytes)` is called after each row with the bytes read so far.
pub fn import(
    store: &Store,
    format: Format,
    reader: impl Read,
    opts: &Options,
    dry_run: bool,
    progress: &mut dyn FnMut(u64),
) -> Result<Outcome, ImportFailure> {
    // The duplicate check reads inside the batch's transaction, so that a
    // concurrent `cls log` cannot slip in between.
    store.insert_batch("import", dry_run, |batch| {
        let mut seen = Seen::new(batch.store())?;
        let mut out = Outcome::default();
        stream(format, reader, opts, &mut |item, bytes| {
            put(batch, &mut seen, &mut out, &item)?;
            progress(bytes);
            Ok(())
        })?;
        Ok(out)
    })
}

/// Write a checked file ([`parse`]) into the diary in one transaction,
/// skipping duplicates as [`import`] does. With `dry_run`, the same
/// counting happens and nothing is written.
///
/// `progress(done, total)` is called after each row, for a progress bar.
pub fn apply(
    store: &Store,
    plan: &Plan,
    dry_run: bool,
    progress: &mut dyn FnMut(usize, usize),
) -> store::Result<Outcome> {
    store.insert_batch("import", dry_run, |batch| {
        let mut seen = Seen::new(batch.store())?;
        let mut out = Outcome::default();
        let total = plan.entries.len() + plan.episodes.len() + plan.acks.len();
        let items = plan
            .entries
            .iter()
            .cloned()
            .map(Item::Entry)
            .chain(plan.episodes.iter().cloned().map(Item::Episode))
            .chain(plan.acks.iter().cloned().map(Item::Ack));
        for (i, item) in items.enumerate() {
            put(batch, &mut seen, &mut out, &item)?;
            progress(i + 1, total);
        }
        Ok(out)
    })
}

/// What makes two entries "the same": the local date and time and every
/// value. The UTC offset is left out on purpose: a CSV row has none, and the
/// same morning entry exported as CSV and imported again must match.
fn entry_key(stamp: &Stamp, m: &Measurements) -> String {
    // Measurements keep symptoms and labs sorted, so the serialization is
    // canonical; floats are written shortest-exact.
    serde_json::to_string(&(stamp.date, stamp.time, m)).unwrap_or_default()
}

fn episode_key(e: &Episode) -> String {
    serde_json::to_string(&(e.start, e.end, e.hospitalized, &e.note)).unwrap_or_default()
}

/// What makes two acknowledgements "the same": the day, the rule and the
/// moment it was made (whether it has lapsed since may differ between an
/// old export and the diary).
fn ack_key(day: NaiveDate, rule: &str, at: &DateTime<FixedOffset>) -> String {
    format!("{day} {rule} {}", at.to_rfc3339())
}

/// The acknowledgements an export writes: those made on the logical days
/// `from..=to`.
pub fn select_acks(
    store: &Store,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> store::Result<Vec<Ack>> {
    store.acks_between(from, to)
}

/// The entries and episodes an export writes: entries dated `from..=to`
/// and the episodes that overlap that range.
pub fn select(
    store: &Store,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> store::Result<(Vec<Entry>, Vec<Episode>)> {
    let entries = store.entries(from, to)?;
    let episodes = store
        .episodes()?
        .into_iter()
        .filter(|e| to.is_none_or(|to| e.start <= to))
        .filter(|e| from.is_none_or(|from| e.end.is_none_or(|end| end >= from)))
        .collect();
    Ok((entries, episodes))
}

#[cfg(test)]
mod tests {
    use super::row::{check_date, parse_offset};
    use super::*;

    #[test]
    fn offsets_round_trip() {
        for secs in [0, 3600, -18000, 19800, 1172, -64800, 64800, -16200] {
            let s = format_offset(secs);
            assert_eq!(
                parse_offset("o", &s).unwrap().local_minus_utc(),
                secs,
                "{s}"
            );
        }
        for bad in [
            "",
            "1",
            "+1",
            "+01",
            "+01:0",
            "+19:00",
            "01:00",
            "+01:60",
            "+01:00:00:00",
            "+aa:bb",
        ] {
            assert!(parse_offset("o", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_must_be_iso_and_not_far_ahead() {
        let today: NaiveDate = "2026-11-25".parse().unwrap();
        assert!(check_date("date", "2026-11-26", today).is_ok());
        let e = check_date("date", "2026-11-27", today).unwrap_err();
        assert!(e.message.contains("future"), "{e}");
        for bad in [
            "today",
            "-3d",
            "2026-2-1",
            "2026-02-30",
            "20261125",
            "1800-01-01",
        ] {
            assert!(check_date("date", bad, today).is_err(), "{bad}");
        }
    }

    fn opts() -> Options {
        Options {
            today: "2026-11-25".parse().unwrap(),
            now: DateTime::parse_from_rfc3339("2026-11-25T12:00:00Z").unwrap(),
            custom_symptoms: vec!["joint pain".into()],
            rules: known_rules(&crate::rules::RulesConfig::default()),
        }
    }

    #[test]
    fn a_csv_row_with_a_name_twice_is_refused_with_its_line() {
        for (cell, want) in [
            (
                "thirst:2;thirst:1",
                "symptoms: thirst is given twice (thirst:2 and thirst:1)",
            ),
            (
                "myalgia:1;muscle-pain:3",
                "symptoms: muscle-pain is given twice (myalgia:1 and muscle-pain:3)",
            ),
            (
                "joint pain:1;joint_pain:2",
                "symptoms: joint-pain is given twice",
            ),
        ] {
            let csv = format!("date,symptoms\n2026-11-01,fatigue:1\n2026-11-02,{cell}\n");
            let e = parse(Format::Csv, csv.as_bytes(), &opts()).unwrap_err();
            assert_eq!(e.line, Some(3), "{cell}: {e}");
            assert!(
                e.to_string().starts_with(&format!("line 3: {want}")),
                "{cell}: {e}"
            );
        }
        let csv = "date,labs\n2026-11-01,hct=40;hematocrit=41\n";
        let e = parse(Format::Csv, csv.as_bytes(), &opts()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 2: labs: hematocrit is given twice (hct=40 and hematocrit=41); give each lab once per entry"
        );
    }

    #[test]
    fn a_json_entry_with_a_name_twice_is_refused_even_as_a_repeated_key() {
        let doc = |entry: &str| {
            format!("{{\"format\":\"cls-diary\",\"version\":1,\"entries\":[\n{{\"date\":\"2026-11-01\",\"weight_kg\":70}},\n{entry}]}}")
        };
        for (entry, want) in [
            // A map would keep the last key silently.
            (
                r#"{"date":"2026-11-02","symptoms":{"thirst":2,"thirst":1}}"#,
                "line 3: symptoms: thirst is given twice (thirst:2 and thirst:1)",
            ),
            (
                r#"{"date":"2026-11-02","symptoms":{"thirsty":2,"Thirst":1}}"#,
                "line 3: symptoms: thirst is given twice (thirsty:2 and Thirst:1)",
            ),
            (
                r#"{"date":"2026-11-02","labs":{"hematocrit":44,"hematocrit":45}}"#,
                "line 3: labs: hematocrit is given twice (hematocrit=44 and hematocrit=45)",
            ),
            (
                r#"{"date":"2026-11-02","labs":{"hct":44,"hematocrit":45}}"#,
                "line 3: labs: hematocrit is given twice (hct=44 and hematocrit=45)",
            ),
        ] {
            let e = parse(Format::Json, doc(entry).as_bytes(), &opts()).unwrap_err();
            assert!(e.to_string().starts_with(want), "{entry}: {e}");
        }
        // Different names still import, and the pairs are not a map only
        // in name: a list is refused as before.
        let ok =
            doc(r#"{"date":"2026-11-02","symptoms":{"thirst":2,"fatigue":1},"labs":{"hct":44}}"#);
        let plan = parse(Format::Json, ok.as_bytes(), &opts()).unwrap();
        assert_eq!(plan.entries[1].m.symptom("fatigue"), Some(1));
        let bad = doc(r#"{"date":"2026-11-02","symptoms":["thirst"]}"#);
        let e = parse(Format::Json, bad.as_bytes(), &opts()).unwrap_err();
        assert!(e.to_string().contains("expected a map"), "{e}");
    }

    #[test]
    fn an_endless_input_stops_at_the_limit_in_both_formats() {
        let prefix: [&[u8]; 2] = [
            b"date,note\n",
            b"{\"format\":\"cls-diary\",\"version\":1,\"entries\":[{\"date\":\"2026-11-01\",\"note\":\"",
        ];
        for (format, prefix) in [Format::Csv, Format::Json].into_iter().zip(prefix) {
            // Valid so far, and never ending: short CSV rows, or a JSON
            // string that never closes.
            let rows: Box<dyn Read> = match format {
                Format::Csv => Box::new(Endless(b"2026-11-01,a\n")),
                Format::Json => Box::new(std::io::repeat(b'a')),
            };
            let input = std::io::Cursor::new(prefix).chain(rows);
            let mut n = 0;
            let e = stream_at_most(format, input, &opts(), 100_000, &mut |_, _| {
                n += 1;
                Ok(())
            })
            .unwrap_err();
            assert_eq!(
                e.to_string(),
                "file: the input is larger than 1 MB; cls imports at most 1 MB at a time (split it, or import a diary export)",
                "{format:?}"
            );
        }
    }

    /// The same bytes over and over.
    struct Endless(&'static [u8]);
    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            Ok(n)
        }
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::from_path(Path::new("a/b.CSV")), Some(Format::Csv));
        assert_eq!(Format::from_path(Path::new("b.json")), Some(Format::Json));
        assert_eq!(Format::from_path(Path::new("b.txt")), None);
        assert_eq!(Format::from_path(Path::new("b")), None);
    }
}
