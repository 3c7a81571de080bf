//! Device exports in (issue 19): `cls import --from withings|openscale|
//! omron|beurer|apple-health FILE`, or the device found from the file's
//! first bytes.
//!
//! Two steps, so that a refused file never creates or touches a diary:
//!
//! 1. [`read`] turns a file (or the right members of a zip) into
//!    [`Reading`]s, one weight, blood pressure or heart rate each, with the
//!    line it came from. A file that cannot be read as that device's export
//!    (a header that is not the device's, a date or number that is not one)
//!    stops here with its line. A reading that is there but unusable (a
//!    scale's 0.0 kg, a cuff's 0/0, a time in the future) is skipped and
//!    listed instead, as one bad reading among years of good ones should
//!    not keep the rest out. The same reading twice in the file counts once.
//!    Memory grows with the readings kept, never with the file: an Apple
//!    Health export of hundreds of MB is read as a stream.
//! 2. [`apply`] drops the readings the diary already has from the same
//!    device, merges the rest that were taken within [`MERGE_WINDOW_MINUTES`]
//!    of each other into one entry, and writes them in one transaction,
//!    marked with their source. A reading is never merged into an entry the
//!    patient typed: one in the same minute as a typed entry is written as
//!    its own entry and reported.
//!
//! Each format has its file, with its pitfalls; the README's "Importing
//! from your scale or cuff" lists what each device exports.

mod apple;
mod beurer;
mod omron;
mod openscale;
mod text;
mod withings;

pub(crate) use text::{cell, date, datetime, number, split, time, whole, Header, Records};

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Timelike, Utc};

use crate::input::{self, InputError};
use crate::model::{Bp, Measurements, Stamp};
use crate::store::{Batch, Store};

use super::{ImportError, ImportFailure, MAX_IMPORT_BYTES};

/// Readings taken within this many minutes of the first one of a group
/// become one entry (a weight and a blood pressure of the same morning
/// routine), as long as the entry does not already hold that kind.
pub const MERGE_WINDOW_MINUTES: i64 = 10;

/// The devices (apps) whose exports cls reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Device {
    Withings,
    OpenScale,
    Omron,
    Beurer,
    AppleHealth,
}

impl Device {
    pub const ALL: [Device; 5] = [
        Device::Withings,
        Device::OpenScale,
        Device::Omron,
        Device::Beurer,
        Device::AppleHealth,
    ];

    /// The name stored in `entry.source` and given to `--from`.
    pub fn source(self) -> &'static str {
        match self {
            Device::Withings => "withings",
            Device::OpenScale => "openscale",
            Device::Omron => "omron",
            Device::Beurer => "beurer",
            Device::AppleHealth => "apple-health",
        }
    }

    /// The device a stored `source` names.
    pub fn from_source(s: &str) -> Option<Device> {
        Device::ALL.into_iter().find(|d| d.source() == s)
    }

    /// The app's name, as people know it.
    pub fn label(self) -> &'static str {
        match self {
            Device::Withings => "Withings Health Mate",
            Device::OpenScale => "openScale",
            Device::Omron => "OMRON connect",
            Device::Beurer => "Beurer HealthManager",
            Device::AppleHealth => "Apple Health",
        }
    }
}

/// The unit of an openScale 3.x `WEIGHT` column, which the file does not
/// say (`--unit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScaleUnit {
    Kg,
    Lb,
    St,
}

impl ScaleUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            ScaleUnit::Kg => "kg",
            ScaleUnit::Lb => "lb",
            ScaleUnit::St => "st",
        }
    }

    pub fn to_kg(self, v: f64) -> f64 {
        match self {
            ScaleUnit::Kg => v,
            ScaleUnit::Lb => v * input::KG_PER_LB,
            ScaleUnit::St => v * 14.0 * input::KG_PER_LB,
        }
    }
}

/// What a device import needs besides the file.
#[derive(Debug, Clone)]
pub struct DeviceOptions {
    /// Readings dated after tomorrow are skipped (a device clock that is
    /// wrong), as `cls log` refuses them.
    pub today: NaiveDate,
    /// openScale 3.x only.
    pub unit: Option<ScaleUnit>,
}

/// One measured value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Vital {
    WeightKg(f64),
    Bp(Bp),
    HeartRate(u16),
}

impl Vital {
    fn kind(self) -> Kind {
        match self {
            Vital::WeightKg(_) => Kind::Weight,
            Vital::Bp(_) => Kind::Bp,
            Vital::HeartRate(_) => Kind::HeartRate,
        }
    }

    /// The value as an integer key (weights to 0.01 kg).
    fn key(self) -> u64 {
        match self {
            Vital::WeightKg(kg) => (kg * 100.0).round() as u64,
            Vital::Bp(b) => (u64::from(b.systolic) << 16) | u64::from(b.diastolic),
            Vital::HeartRate(h) => u64::from(h),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    Weight,
    Bp,
    HeartRate,
}

/// Where in the export something is: a line, in a member of a zip or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    /// The member of a zip (`weight.csv`), or `None` for a plain file.
    pub file: Option<&'static str>,
    pub line: u64,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.file {
            Some(name) => write!(f, "{name} line {}", self.line),
            None => write!(f, "line {}", self.line),
        }
    }
}

/// One reading, checked and ready to merge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    pub pos: Pos,
    /// To the minute (the diary's resolution).
    pub stamp: Stamp,
    pub vital: Vital,
    /// The app that recorded it, within one Apple Health export (1, 2, …
    /// by first appearance); 0 for the other formats.
    pub app: u32,
}

/// A reading left out, and why ("weight 0.0 kg is out of range …").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub pos: Pos,
    pub reason: String,
}

/// A file read: its readings and what was left out.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub device: Device,
    /// What was read, e.g. "weight.csv and bp.csv from the zip",
    /// "openScale 3.x CSV (WEIGHT in lb)".
    pub what: String,
    pub readings: Vec<Reading>,
    pub skipped: Vec<Skip>,
    /// Readings given twice in the file (same kind, minute and value; for
    /// Apple Health also the same app), counted once.
    pub repeated: usize,
    /// Apple Health heart rates not taken with a blood pressure by the same
    /// app (a watch's all-day samples), left out: see apple.rs.
    pub unpaired_heart_rates: usize,
}

/// An error at a place in the export: "line 5: Weight (kg): …", or
/// "weight.csv line 5: …" inside a zip.
pub(crate) fn error_at(pos: Pos, field: &str, message: impl Into<String>) -> ImportError {
    match pos.file {
        None => ImportError::at(pos.line, InputError::new(field, message)),
        Some(name) => ImportError {
            line: None,
            error: InputError::new(format!("{name} line {}: {field}", pos.line), message),
        },
    }
}

// ---- collecting readings -------------------------------------------------

/// Checks readings as a parser finds them: ranges as in `cls log`, dates
/// not in the future, repeats counted once.
pub(crate) struct Collector<'a> {
    opts: &'a DeviceOptions,
    readings: Vec<Reading>,
    skipped: Vec<Skip>,
    /// (kind, minute, value, app): what was kept so far.
    seen: HashSet<(Kind, i64, u64, u32)>,
    repeated: usize,
}

impl<'a> Collector<'a> {
    pub(crate) fn new(opts: &'a DeviceOptions) -> Self {
        Collector {
            opts,
            readings: Vec::new(),
            skipped: Vec::new(),
            seen: HashSet::new(),
            repeated: 0,
        }
    }

    pub(crate) fn skip(&mut self, pos: Pos, reason: impl Into<String>) {
        self.skipped.push(Skip {
            pos,
            reason: reason.into(),
        });
    }

    /// A local date and time without an offset (every CSV export): the
    /// time zone of this machine, as for a typed entry. `None` (and a
    /// skip) for a date after tomorrow or a time a DST change skipped.
    pub(crate) fn local(&mut self, pos: Pos, at: NaiveDateTime) -> Option<Stamp> {
        let at = to_minute(at);
        if !self.not_future(pos, at.date()) {
            return None;
        }
        match input::local_stamp("time", at.date(), at.time()) {
            Ok(s) => Some(s),
            Err(e) => {
                self.skip(pos, e.message);
                None
            }
        }
    }

    /// A date and time with its UTC offset (Apple Health).
    pub(crate) fn offset(&mut self, pos: Pos, at: DateTime<chrono::FixedOffset>) -> Option<Stamp> {
        let local = to_minute(at.naive_local());
        if !self.not_future(pos, local.date()) {
            return None;
        }
        let offset_secs = at.offset().local_minus_utc();
        let utc = local - Duration::seconds(i64::from(offset_secs));
        Some(Stamp {
            date: local.date(),
            time: local.time(),
            utc: DateTime::<Utc>::from_naive_utc_and_offset(utc, Utc),
            offset_secs,
        })
    }

    fn not_future(&mut self, pos: Pos, date: NaiveDate) -> bool {
        let limit = self.opts.today + Duration::days(1);
        if date > limit {
            self.skip(
                pos,
                format!("{date} is in the future (is the device's clock right?)"),
            );
            return false;
        }
        true
    }

    pub(crate) fn weight_kg(&mut self, pos: Pos, stamp: Stamp, kg: f64, app: u32) {
        let (lo, hi) = input::WEIGHT_KG;
        if !(lo..=hi).contains(&kg) {
            let shown = (kg * 100.0).round() / 100.0;
            self.skip(
                pos,
                format!("weight {shown:.1} kg is out of range ({lo}–{hi} kg)"),
            );
            return;
        }
        let kg = (kg * 100.0).round() / 100.0;
        self.keep(pos, stamp, Vital::WeightKg(kg), app);
    }

    pub(crate) fn bp(&mut self, pos: Pos, stamp: Stamp, sys: i64, dia: i64, app: u32) {
        let (s_lo, s_hi) = input::SYSTOLIC;
        let (d_lo, d_hi) = input::DIASTOLIC;
        let why = if !(i64::from(s_lo)..=i64::from(s_hi)).contains(&sys) {
            format!("systolic must be {s_lo}–{s_hi}")
        } else if !(i64::from(d_lo)..=i64::from(d_hi)).contains(&dia) {
            format!("diastolic must be {d_lo}–{d_hi}")
        } else if dia >= sys {
            "diastolic must be below systolic".to_string()
        } else {
            let bp = Bp {
                systolic: sys as u16,
                diastolic: dia as u16,
            };
            return self.keep(pos, stamp, Vital::Bp(bp), app);
        };
        self.skip(pos, format!("BP {sys}/{dia} is out of range ({why} mmHg)"));
    }

    pub(crate) fn heart_rate(&mut self, pos: Pos, stamp: Stamp, bpm: i64, app: u32) {
        let (lo, hi) = input::HEART_RATE;
        match u16::try_from(bpm) {
            Ok(h) if (lo..=hi).contains(&h) => self.keep(pos, stamp, Vital::HeartRate(h), app),
            _ => self.skip(
                pos,
                format!("heart rate {bpm} is out of range ({lo}–{hi} bpm)"),
            ),
        }
    }

    fn keep(&mut self, pos: Pos, stamp: Stamp, vital: Vital, app: u32) {
        let key = (vital.kind(), stamp.utc.timestamp(), vital.key(), app);
        if !self.seen.insert(key) {
            self.repeated += 1;
            return;
        }
        self.readings.push(Reading {
            pos,
            stamp,
            vital,
            app,
        });
    }

    pub(crate) fn finish(self, device: Device, what: String) -> Parsed {
        Parsed {
            device,
            what,
            readings: self.readings,
            skipped: self.skipped,
            repeated: self.repeated,
            unpaired_heart_rates: 0,
        }
    }
}

/// Seconds dropped: entries are kept to the minute.
fn to_minute(at: NaiveDateTime) -> NaiveDateTime {
    at.with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(at)
}

// ---- files and zips ------------------------------------------------------

/// The first bytes of a zip archive.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// What the first bytes of a file say it is, if it is a device export.
pub fn detect(path: &Path) -> std::io::Result<Option<Device>> {
    let mut head = Vec::with_capacity(8192);
    File::open(path)?.take(8192).read_to_end(&mut head)?;
    if head.starts_with(ZIP_MAGIC) {
        let Ok(zip) = zip::ZipArchive::new(File::open(path)?) else {
            return Ok(None);
        };
        return Ok(zip_device(&zip));
    }
    Ok(detect_text(&head))
}

/// The device a text export's first bytes belong to.
fn detect_text(head: &[u8]) -> Option<Device> {
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with("<?xml") || text.starts_with('<') {
        return text.contains("<HealthData").then_some(Device::AppleHealth);
    }
    let first = text.lines().next().unwrap_or("");
    Device::ALL.into_iter().find(|d| match d {
        Device::Withings => withings::is_header(first),
        Device::OpenScale => openscale::is_header(first),
        Device::Omron => omron::is_header(first),
        Device::Beurer => beurer::is_header(first),
        Device::AppleHealth => false,
    })
}

/// The device a zip's members belong to.
fn zip_device<R: Read + Seek>(zip: &zip::ZipArchive<R>) -> Option<Device> {
    if apple::member(zip).is_some() {
        return Some(Device::AppleHealth);
    }
    if withings::members(zip).iter().any(Option::is_some) {
        return Some(Device::Withings);
    }
    None
}

/// Bytes read out of a total, for a progress bar.
pub type Progress<'a> = dyn FnMut(u64, u64) + 'a;

/// Read a device export: a plain file, or a zip holding one. `device`
/// is what `--from` said, or `None` to tell from the file. Nothing is
/// written anywhere.
pub fn read(
    path: &Path,
    device: Option<Device>,
    opts: &DeviceOptions,
    progress: &mut Progress<'_>,
) -> Result<Parsed, ImportFailure> {
    let mut head = Vec::with_capacity(8192);
    File::open(path)
        .and_then(|f| f.take(8192).read_to_end(&mut head))
        .map_err(ImportFailure::Read)?;
    if head.starts_with(ZIP_MAGIC) {
        return read_zip(path, device, opts, progress);
    }
    let found = detect_text(&head);
    let device = match (device, found) {
        (Some(d), _) => d,
        (None, Some(d)) => d,
        (None, None) => {
            return Err(ImportError::whole_file(
                "file",
                "not an export cls can tell (Withings, openScale, OMRON connect, Beurer HealthManager or Apple Health); name it with --from",
            )
            .into())
        }
    };
    check_unit(device, opts)?;
    let file = File::open(path).map_err(ImportFailure::Read)?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    if device != Device::AppleHealth && total > MAX_IMPORT_BYTES {
        return Err(super::too_large(Some(total)).into());
    }
    let reader = BufReader::with_capacity(1 << 16, file);
    match device {
        Device::Withings => withings::read_one(reader, None, opts, total, progress),
        Device::OpenScale => openscale::read(reader, opts, total, progress),
        Device::Omron => omron::read(reader, opts, total, progress),
        Device::Beurer => beurer::read(reader, opts, total, progress),
        Device::AppleHealth => apple::read(reader, None, opts, total, progress),
    }
}

/// `--unit` is for openScale 3.x, whose file does not say its unit.
fn check_unit(device: Device, opts: &DeviceOptions) -> Result<(), ImportError> {
    if opts.unit.is_some() && device != Device::OpenScale {
        return Err(ImportError::whole_file(
            "--unit",
            format!(
                "only openScale 3.x exports need a unit; {} exports say theirs",
                device.label()
            ),
        ));
    }
    Ok(())
}

fn read_zip(
    path: &Path,
    device: Option<Device>,
    opts: &DeviceOptions,
    progress: &mut Progress<'_>,
) -> Result<Parsed, ImportFailure> {
    let file = File::open(path).map_err(ImportFailure::Read)?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| {
        ImportError::whole_file(
            "file",
            format!("starts like a zip but cannot be read as one ({e})"),
        )
    })?;
    let found = zip_device(&zip);
    let device = match (device, found) {
        (Some(d @ (Device::Withings | Device::AppleHealth)), Some(f)) if d == f => d,
        (None, Some(f)) => f,
        (Some(d), _) => {
            return Err(ImportError::whole_file(
                "file",
                format!(
                    "a zip without {}; cls reads zips from Withings (weight.csv, bp.csv) and Apple Health (export.xml): unzip it and import the file",
                    match d {
                        Device::AppleHealth => "an Apple Health export.xml",
                        Device::Withings => "Withings' weight.csv or bp.csv",
                        _ => "a file cls can import",
                    }
                ),
            )
            .into())
        }
        (None, None) => {
            return Err(ImportError::whole_file(
                "file",
                "a zip without Withings' weight.csv or bp.csv or an Apple Health export.xml",
            )
            .into())
        }
    };
    check_unit(device, opts)?;
    match device {
        Device::AppleHealth => {
            let index = apple::member(&zip).unwrap_or(0);
            let member = zip.by_index(index).map_err(zip_error)?;
            let total = member.size();
            let reader = BufReader::with_capacity(1 << 16, member);
            apple::read(reader, Some("export.xml"), opts, total, progress)
        }
        _ => withings::read_zip(&mut zip, opts, progress),
    }
}

pub(crate) fn zip_error(e: zip::result::ZipError) -> ImportFailure {
    match e {
        zip::result::ZipError::Io(e) => ImportFailure::Read(e),
        other => {
            ImportError::whole_file("file", format!("cannot be read as a zip ({other})")).into()
        }
    }
}

// ---- merging and writing -------------------------------------------------

/// What a device import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Entries written.
    pub entries: usize,
    pub weights: usize,
    pub bps: usize,
    pub heart_rates: usize,
    /// Readings the diary already had from this device.
    pub already: usize,
    /// The first and last dates written.
    pub range: Option<(NaiveDate, NaiveDate)>,
    /// New entries at the same minute as a typed entry: (their date and
    /// time, the typed entry's id). Written as their own entries, never
    /// merged into the typed one.
    pub beside_typed: Vec<(NaiveDateTime, i64)>,
}

/// One entry to write: the merged readings.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub stamp: Stamp,
    pub m: Measurements,
    /// The minutes of its readings, for the typed-entry check.
    pub minutes: Vec<i64>,
}

/// Group readings (any order) taken within [`MERGE_WINDOW_MINUTES`] of the
/// first of the group into one entry each, a kind at most once per entry.
pub fn merge(mut readings: Vec<Reading>) -> Vec<Merged> {
    readings.sort_by_key(|r| (r.stamp.utc, r.vital.kind(), r.pos.line));
    let window = MERGE_WINDOW_MINUTES * 60;
    let mut out: Vec<Merged> = Vec::new();
    for r in readings {
        let t = r.stamp.utc.timestamp();
        let joins = out.last().is_some_and(|g| {
            t - g.stamp.utc.timestamp() <= window && !has_kind(&g.m, r.vital.kind())
        });
        if !joins {
            out.push(Merged {
                stamp: r.stamp,
                m: Measurements::default(),
                minutes: Vec::new(),
            });
        }
        let g = out.last_mut().expect("a group was just pushed");
        match r.vital {
            Vital::WeightKg(kg) => g.m.weight_kg = Some(kg),
            Vital::Bp(b) => g.m.bp = Some(b),
            Vital::HeartRate(h) => g.m.heart_rate = Some(h),
        }
        g.minutes.push(t);
    }
    out
}

fn has_kind(m: &Measurements, k: Kind) -> bool {
    match k {
        Kind::Weight => m.weight_kg.is_some(),
        Kind::Bp => m.bp.is_some(),
        Kind::HeartRate => m.heart_rate.is_some(),
    }
}

/// Write a read export into the diary in one transaction (`BEGIN
/// IMMEDIATE`; with `dry_run`, the same counting and nothing written).
///
/// A reading is already in the diary when an entry from the same device
/// holds the same value and starts at most [`MERGE_WINDOW_MINUTES`] before
/// it (the entry it was merged into): re-importing an export, or a newer
/// export that repeats the old one, adds only what is new.
pub fn apply(store: &Store, parsed: &Parsed, dry_run: bool) -> Result<Outcome, ImportFailure> {
    store.insert_batch("import", dry_run, |batch| write(batch, parsed))
}

/// [`apply`]'s work inside its one transaction.
fn write(batch: &mut Batch<'_>, parsed: &Parsed) -> Result<Outcome, ImportFailure> {
    let store = batch.store();
    let mut out = Outcome::default();
    let source = parsed.device.source();
    let (Some(first), Some(last)) = (
        parsed.readings.iter().map(|r| r.stamp.date).min(),
        parsed.readings.iter().map(|r| r.stamp.date).max(),
    ) else {
        return Ok(out);
    };
    // The diary's entries around the readings' dates (a day either side,
    // for other offsets and the window across midnight).
    let existing = store.entries(first.pred_opt(), last.succ_opt())?;
    let mut device_values: HashMap<(Kind, u64), Vec<i64>> = HashMap::new();
    let mut typed: HashMap<i64, i64> = HashMap::new();
    for e in &existing {
        let t = e.stamp.utc.timestamp();
        match e.source.as_deref() {
            Some(s) if s == source => {
                for v in vitals(&e.m) {
                    device_values
                        .entry((v.kind(), v.key()))
                        .or_default()
                        .push(t);
                }
            }
            Some(_) => {}
            None => {
                typed.entry(t).or_insert(e.id);
            }
        }
    }
    let window = MERGE_WINDOW_MINUTES * 60;
    let new: Vec<Reading> = parsed
        .readings
        .iter()
        .filter(|r| {
            let t = r.stamp.utc.timestamp();
            let seen = device_values
                .get(&(r.vital.kind(), r.vital.key()))
                .is_some_and(|ts| ts.iter().any(|&s| s <= t && t - s <= window));
            if seen {
                out.already += 1;
            }
            !seen
        })
        .copied()
        .collect();
    for g in merge(new) {
        if let Some((&minute, &id)) = g.minutes.iter().find_map(|m| typed.get_key_value(m)) {
            let at = DateTime::from_timestamp(minute + i64::from(g.stamp.offset_secs), 0)
                .map_or(g.stamp.date.and_time(g.stamp.time), |d| d.naive_utc());
            out.beside_typed.push((at, id));
        }
        batch.entry_from(&g.stamp, &g.m, Some(source))?;
        out.entries += 1;
        out.weights += usize::from(g.m.weight_kg.is_some());
        out.bps += usize::from(g.m.bp.is_some());
        out.heart_rates += usize::from(g.m.heart_rate.is_some());
        out.range = Some(match out.range {
            None => (g.stamp.date, g.stamp.date),
            Some((a, b)) => (a.min(g.stamp.date), b.max(g.stamp.date)),
        });
    }
    Ok(out)
}

fn vitals(m: &Measurements) -> impl Iterator<Item = Vital> {
    m.weight_kg
        .map(Vital::WeightKg)
        .into_iter()
        .chain(m.bp.map(Vital::Bp))
        .chain(m.heart_rate.map(Vital::HeartRate))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(s: &str) -> Stamp {
        let at = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        Stamp {
            date: at.date(),
            time: at.time(),
            utc: at.and_utc(),
            offset_secs: 0,
        }
    }

    fn reading(at: &str, vital: Vital, line: u64) -> Reading {
        Reading {
            pos: Pos { file: None, line },
            stamp: stamp(at),
            vital,
            app: 0,
        }
    }

    #[test]
    fn readings_within_the_window_merge_one_kind_each() {
        let bp = Vital::Bp(Bp {
            systolic: 118,
            diastolic: 76,
        });
        let merged = merge(vec![
            // Newest first, as Withings writes them.
            reading("2026-11-02 07:40", Vital::WeightKg(70.1), 1),
            reading("2026-11-01 07:41", Vital::HeartRate(64), 2),
            reading("2026-11-01 07:30", Vital::WeightKg(70.0), 3),
            reading("2026-11-01 07:35", bp, 4),
            // 11 minutes after the first of its group: its own entry.
            reading("2026-11-01 07:41", Vital::WeightKg(70.2), 5),
        ]);
        let got: Vec<(String, Measurements)> = merged
            .iter()
            .map(|g| (format!("{} {}", g.stamp.date, g.stamp.time), g.m.clone()))
            .collect();
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0].0, "2026-11-01 07:30:00");
        assert_eq!(got[0].1.weight_kg, Some(70.0));
        assert_eq!(got[0].1.bp.map(|b| b.systolic), Some(118));
        assert_eq!(got[0].1.heart_rate, None, "07:41 is past the window");
        assert_eq!(got[1].0, "2026-11-01 07:41:00");
        assert_eq!(got[1].1.heart_rate, Some(64));
        assert_eq!(got[1].1.weight_kg, Some(70.2));
        assert_eq!(got[2].1.weight_kg, Some(70.1));
    }

    #[test]
    fn a_second_weight_in_the_window_is_its_own_entry() {
        let merged = merge(vec![
            reading("2026-11-01 07:30", Vital::WeightKg(70.0), 1),
            reading("2026-11-01 07:31", Vital::WeightKg(70.4), 2),
        ]);
        assert_eq!(merged.len(), 2);
    }

    #[test]
    fn cells_split_with_quotes_and_doubled_quotes() {
        assert_eq!(
            split(r#""a,b",c,"say ""hi""",,-"#, ','),
            vec!["a,b", "c", "say \"hi\"", "", "-"]
        );
        assert_eq!(
            split(r#""12.02.2021";"08:35""#, ';'),
            vec!["12.02.2021", "08:35"]
        );
    }

    #[test]
    fn numbers_take_a_decimal_comma_and_refuse_words() {
        let pos = Pos {
            file: None,
            line: 3,
        };
        assert_eq!(number(pos, "kg", "72,5").unwrap(), 72.5);
        assert_eq!(number(pos, "kg", " 72.5 ").unwrap(), 72.5);
        let e = number(pos, "kg", "heavy").unwrap_err();
        assert_eq!(e.to_string(), "line 3: kg: 'heavy' is not a number");
        assert!(whole(pos, "Systolic", "120.5").is_err());
        assert_eq!(whole(pos, "Systolic", "120").unwrap(), 120);
    }

    #[test]
    fn stones_and_pounds_convert_to_kg() {
        assert!((ScaleUnit::St.to_kg(11.0) - 69.85).abs() < 0.01);
        assert!((ScaleUnit::Lb.to_kg(154.0) - 69.85).abs() < 0.01);
        assert_eq!(ScaleUnit::Kg.to_kg(70.0), 70.0);
    }

    #[test]
    fn text_exports_are_told_apart_by_their_header() {
        let cases: [(&str, Option<Device>); 9] = [
            ("Date,\"Weight (kg)\",\"Fat mass (kg)\",\"Bone mass (kg)\",\"Muscle mass (kg)\",\"Hydration (kg)\",Comments\n", Some(Device::Withings)),
            ("Date,\"Heart rate\",Systolic,Diastolic,Comments\n", Some(Device::Withings)),
            ("\"biceps\",\"bone\",\"caliper1\",\"caliper2\",\"caliper3\",\"calories\",\"chest\",\"comment\",\"dateTime\",\"fat\",\"hip\",\"lbm\",\"muscle\",\"neck\",\"thigh\",\"visceralFat\",\"waist\",\"water\",\"weight\"\n", Some(Device::OpenScale)),
            ("DATE,TIME,BMI,BODY_FAT,WATER,WEIGHT\n", Some(Device::OpenScale)),
            ("Date,Time,Systolic (mmHg),Diastolic (mmHg),Pulse (bpm),Symptoms,Consumed,TruRead,Notes\n", Some(Device::Omron)),
            ("\u{feff}WeightDate;Time;kg;BMI;Body fat;Water;Muscles;Bones;Medication;Comment\n", Some(Device::Beurer)),
            ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE HealthData [\n]>\n<HealthData locale=\"en_US\">\n", Some(Device::AppleHealth)),
            ("date,time,weight_kg,systolic,diastolic\n", None),
            ("<?xml version=\"1.0\"?><svg/>", None),
        ];
        for (head, want) in cases {
            assert_eq!(detect_text(head.as_bytes()), want, "{head}");
        }
    }
}
