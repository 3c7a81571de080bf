//! Apple Health's `export.xml` (alone, or inside the export zip as
//! `apple_health_export/export.xml`), read as a stream with quick-xml:
//! exports run to hundreds of MB, and only the readings kept stay in
//! memory.
//!
//! Each reading is a `<Record type unit value startDate sourceName …>` with
//! dates like `2020-10-30 14:20:39 +1100` (the offset is kept). cls reads:
//!
//! - `HKQuantityTypeIdentifierBodyMass` in kg, lb, st or g;
//! - blood pressure: a `<Correlation type="HKCorrelationTypeIdentifierBloodPressure">`
//!   holding one `…BloodPressureSystolic` and one `…Diastolic` record in
//!   mmHg (the same records also appear on their own, outside it: those are
//!   paired by app and time, and count once);
//! - `HKQuantityTypeIdentifierHeartRate` (count/min), **only when the same
//!   app recorded a blood pressure within [`super::MERGE_WINDOW_MINUTES`]**:
//!   the pulse a cuff measures with the pressure. A watch samples heart
//!   rate all day, during exercise too, and cls's tachycardia rule judges
//!   the highest heart rate of the day: a run at 150 bpm would read as an
//!   emergency. Those samples are counted and left out, and the import says
//!   so.
//!
//! Everything else (steps, sleep, workouts, …) is skipped without being
//! kept. The same reading twice (type, time, value and app) counts once.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Read, Seek};

use chrono::{DateTime, FixedOffset};
use quick_xml::events::{BytesStart, Event};

use super::{
    error_at, number, Collector, Device, DeviceOptions, Parsed, Pos, Progress, ScaleUnit,
    MERGE_WINDOW_MINUTES,
};
use crate::transfer::{ImportError, ImportFailure};

const BODY_MASS: &[u8] = b"HKQuantityTypeIdentifierBodyMass";
const HEART_RATE: &[u8] = b"HKQuantityTypeIdentifierHeartRate";
const SYSTOLIC: &[u8] = b"HKQuantityTypeIdentifierBloodPressureSystolic";
const DIASTOLIC: &[u8] = b"HKQuantityTypeIdentifierBloodPressureDiastolic";
const BP_CORRELATION: &[u8] = b"HKCorrelationTypeIdentifierBloodPressure";

/// The index of `export.xml` in an Apple Health zip.
pub(super) fn member<R: Read + Seek>(zip: &zip::ZipArchive<R>) -> Option<usize> {
    let name = zip
        .file_names()
        .find(|n| *n == "export.xml" || n.ends_with("/export.xml"))?
        .to_string();
    zip.index_for_name(&name)
}

/// A reader that counts the line breaks and bytes quick-xml has consumed,
/// so that each element can be named by its line.
struct Counted<R> {
    inner: R,
    lines: u64,
    bytes: u64,
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.lines += newlines(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        // The bytes being consumed are at the front of the buffer; asking
        // for it again reads nothing new.
        if let Ok(b) = self.inner.fill_buf() {
            let n = amt.min(b.len());
            self.lines += newlines(&b[..n]);
        }
        self.bytes += amt as u64;
        self.inner.consume(amt);
    }
}

fn newlines(b: &[u8]) -> u64 {
    b.iter().filter(|&&c| c == b'\n').count() as u64
}

/// What one `<Record>` of a kind cls reads holds.
struct Rec<'a> {
    kind: &'a [u8],
    unit: Option<Vec<u8>>,
    value: Option<Vec<u8>>,
    start: Option<Vec<u8>>,
    app: Option<Vec<u8>>,
}

/// A heart rate waiting to learn whether its app took a blood pressure
/// near it: kept small, as a watch writes hundreds of thousands.
#[derive(Debug, Clone, Copy)]
struct Pulse {
    utc: i64,
    offset: i32,
    app: u32,
    bpm: u16,
    line: u64,
}

/// One half of a blood pressure met outside a correlation.
#[derive(Debug, Default)]
struct Halves {
    sys: Option<i64>,
    dia: Option<i64>,
    pos: Option<Pos>,
    offset: i32,
    /// A unit other than mmHg, if a half had one.
    unknown_unit: Option<String>,
}

/// The correlation being read.
struct Corr {
    pos: Pos,
    start: Option<DateTime<FixedOffset>>,
    app: u32,
    sys: Option<i64>,
    dia: Option<i64>,
    /// A unit other than mmHg, if a half had one.
    unknown_unit: Option<String>,
}

pub(super) fn read<R: BufRead>(
    reader: R,
    file: Option<&'static str>,
    opts: &DeviceOptions,
    total: u64,
    progress: &mut Progress<'_>,
) -> Result<Parsed, ImportFailure> {
    let mut xml = quick_xml::Reader::from_reader(Counted {
        inner: reader,
        lines: 0,
        bytes: 0,
    });
    let mut buf = Vec::with_capacity(4096);
    let mut c = Collector::new(opts);
    let mut apps: HashMap<Vec<u8>, u32> = HashMap::new();
    let mut pulses: Vec<Pulse> = Vec::new();
    let mut halves: HashMap<(i64, u32), Halves> = HashMap::new();
    // Blood pressures from correlations, by (minute, app), to tell a lone
    // half that repeats one of them from one that lacks its other half.
    let mut paired: HashSet<(i64, u32)> = HashSet::new();
    let mut corr: Option<Corr> = None;
    let mut seen_root = false;
    let mut events = 0u64;
    loop {
        let event = xml.read_event_into(&mut buf);
        let pos = Pos {
            file,
            line: xml.get_ref().lines + 1,
        };
        let (start, empty) = match event {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) => {
                if e.name().as_ref() == b"Correlation" {
                    if let Some(k) = corr.take() {
                        finish_correlation(&mut c, k, &mut paired);
                    }
                }
                buf.clear();
                continue;
            }
            Ok(Event::Eof) => break,
            Ok(_) => {
                buf.clear();
                continue;
            }
            Err(e) => {
                return Err(error_at(
                    pos,
                    "xml",
                    format!("not well-formed XML ({e}); is the export complete?"),
                )
                .into())
            }
        };
        events += 1;
        if events.is_multiple_of(4096) {
            progress(xml.get_ref().bytes, total);
        }
        match start.name().as_ref() {
            b"HealthData" => seen_root = true,
            b"Record" => {
                let Some(rec) = record(&start, pos)? else {
                    buf.clear();
                    continue;
                };
                let app = app_id(&mut apps, rec.app.as_deref());
                handle(&mut c, rec, pos, app, &mut corr, &mut pulses, &mut halves)?;
            }
            b"Correlation" if !empty => {
                let mut ty = None;
                let mut start_date = None;
                let mut app = None;
                for a in start.attributes().with_checks(false).flatten() {
                    match a.key.as_ref() {
                        b"type" => ty = Some(a.value.into_owned()),
                        b"startDate" => start_date = Some(a.value.into_owned()),
                        b"sourceName" => app = Some(a.value.into_owned()),
                        _ => {}
                    }
                }
                if ty.as_deref() == Some(BP_CORRELATION) {
                    let start = start_date
                        .map(|s| apple_date(pos, "Correlation startDate", &s))
                        .transpose()?;
                    corr = Some(Corr {
                        pos,
                        start,
                        app: app_id(&mut apps, app.as_deref()),
                        sys: None,
                        dia: None,
                        unknown_unit: None,
                    });
                }
            }
            _ => {}
        }
        buf.clear();
    }
    if !seen_root {
        return Err(ImportError::whole_file(
            "xml",
            "no <HealthData> element: not an Apple Health export.xml",
        )
        .into());
    }
    // Blood pressures met as loose halves: a pair makes a reading (counted
    // once with the correlation that holds it); a half alone repeats a
    // correlation's, or lacks its other half.
    let mut loose: Vec<((i64, u32), Halves)> = halves.into_iter().collect();
    loose.sort_by_key(|((utc, app), h)| (h.pos.map(|p| p.line), *utc, *app));
    for ((utc, app), h) in loose {
        let pos = h.pos.unwrap_or(Pos { file, line: 0 });
        if paired.contains(&(utc, app)) {
            c.repeated += 1;
            continue;
        }
        if let Some(unit) = &h.unknown_unit {
            c.skip(pos, unknown_bp_unit(unit));
            continue;
        }
        match (h.sys, h.dia) {
            (Some(s), Some(d)) => {
                if let Some(stamp) = stamp_of(utc, h.offset) {
                    c.bp(pos, stamp, s, d, app);
                }
            }
            (Some(s), None) => c.skip(
                pos,
                format!("systolic {s} without a diastolic at the same time"),
            ),
            (None, Some(d)) => c.skip(
                pos,
                format!("diastolic {d} without a systolic at the same time"),
            ),
            (None, None) => {}
        }
    }
    // Heart rates: only those an app took with a blood pressure.
    let mut bp_times: HashMap<u32, Vec<i64>> = HashMap::new();
    for r in &c.readings {
        if matches!(r.vital, super::Vital::Bp(_)) {
            bp_times
                .entry(r.app)
                .or_default()
                .push(r.stamp.utc.timestamp());
        }
    }
    for v in bp_times.values_mut() {
        v.sort_unstable();
    }
    let window = MERGE_WINDOW_MINUTES * 60;
    let mut unpaired = 0;
    for p in pulses {
        let near = bp_times.get(&p.app).is_some_and(|ts| {
            let i = ts.partition_point(|&t| t < p.utc - window);
            ts.get(i).is_some_and(|&t| t <= p.utc + window)
        });
        if !near {
            unpaired += 1;
            continue;
        }
        if let Some(stamp) = stamp_of(p.utc, p.offset) {
            c.heart_rate(Pos { file, line: p.line }, stamp, i64::from(p.bpm), p.app);
        }
    }
    progress(xml.get_ref().bytes, total);
    let what = match file {
        Some(_) => "Apple Health export (export.xml from the zip)",
        None => "Apple Health export.xml",
    };
    let mut parsed = c.finish(Device::AppleHealth, what.to_string());
    parsed.unpaired_heart_rates = unpaired;
    Ok(parsed)
}

fn app_id(apps: &mut HashMap<Vec<u8>, u32>, name: Option<&[u8]>) -> u32 {
    let name = name.unwrap_or(b"");
    if let Some(&id) = apps.get(name) {
        return id;
    }
    let id = apps.len() as u32 + 1;
    apps.insert(name.to_vec(), id);
    id
}

/// The attributes of a `<Record>` of a type cls reads; `None` for any
/// other type, found from its first attribute without reading the rest.
fn record<'a>(start: &BytesStart<'_>, pos: Pos) -> Result<Option<Rec<'a>>, ImportError> {
    let mut rec = Rec {
        kind: b"",
        unit: None,
        value: None,
        start: None,
        app: None,
    };
    for a in start.attributes().with_checks(false) {
        let a = a.map_err(|e| {
            error_at(
                pos,
                "xml",
                format!("a Record's attributes cannot be read ({e})"),
            )
        })?;
        match a.key.as_ref() {
            b"type" => {
                rec.kind = match a.value.as_ref() {
                    BODY_MASS => BODY_MASS,
                    HEART_RATE => HEART_RATE,
                    SYSTOLIC => SYSTOLIC,
                    DIASTOLIC => DIASTOLIC,
                    _ => return Ok(None),
                };
            }
            b"unit" => rec.unit = Some(a.value.into_owned()),
            b"value" => rec.value = Some(a.value.into_owned()),
            b"startDate" => rec.start = Some(a.value.into_owned()),
            b"sourceName" => rec.app = Some(a.value.into_owned()),
            _ => {}
        }
    }
    Ok((!rec.kind.is_empty()).then_some(rec))
}

fn handle(
    c: &mut Collector<'_>,
    rec: Rec<'_>,
    pos: Pos,
    app: u32,
    corr: &mut Option<Corr>,
    pulses: &mut Vec<Pulse>,
    halves: &mut HashMap<(i64, u32), Halves>,
) -> Result<(), ImportError> {
    let name = String::from_utf8_lossy(rec.kind).into_owned();
    let Some(value) = &rec.value else {
        return Err(error_at(pos, &format!("{name} value"), "missing"));
    };
    let value = number(
        pos,
        &format!("{name} value"),
        &String::from_utf8_lossy(value),
    )?;
    let Some(start) = &rec.start else {
        return Err(error_at(pos, &format!("{name} startDate"), "missing"));
    };
    let at = apple_date(pos, &format!("{name} startDate"), start)?;
    let unit = rec.unit.as_deref().map(String::from_utf8_lossy);
    match rec.kind {
        BODY_MASS => {
            let kg = match unit.as_deref() {
                Some("kg") => value,
                Some("lb") => ScaleUnit::Lb.to_kg(value),
                Some("st") => ScaleUnit::St.to_kg(value),
                Some("g") => value / 1000.0,
                other => {
                    c.skip(
                        pos,
                        format!(
                            "weight {value} in '{}', a unit cls does not know (kg, lb, st or g)",
                            other.unwrap_or("").escape_debug()
                        ),
                    );
                    return Ok(());
                }
            };
            if let Some(stamp) = c.offset(pos, at) {
                c.weight_kg(pos, stamp, kg, app);
            }
        }
        HEART_RATE => {
            if unit.as_deref() != Some("count/min") {
                c.skip(
                    pos,
                    format!(
                        "heart rate {value} in '{}', a unit cls does not know (count/min)",
                        unit.as_deref().unwrap_or("").escape_debug()
                    ),
                );
                return Ok(());
            }
            if let Some(stamp) = c.offset(pos, at) {
                let bpm = value.round();
                if !(f64::from(u16::MIN)..=f64::from(u16::MAX)).contains(&bpm) {
                    let (lo, hi) = crate::input::HEART_RATE;
                    c.skip(
                        pos,
                        format!("heart rate {value} is out of range ({lo}–{hi} bpm)"),
                    );
                    return Ok(());
                }
                pulses.push(Pulse {
                    utc: stamp.utc.timestamp(),
                    offset: stamp.offset_secs,
                    app,
                    bpm: bpm as u16,
                    line: pos.line,
                });
            }
        }
        // Systolic or diastolic.
        kind => {
            let v = value.round() as i64;
            let systolic = kind == SYSTOLIC;
            let unknown_unit = match unit.as_deref() {
                Some("mmHg") => None,
                other => Some(other.unwrap_or("").to_string()),
            };
            if let Some(k) = corr {
                if k.unknown_unit.is_none() {
                    k.unknown_unit = unknown_unit;
                }
                if systolic {
                    k.sys = Some(v);
                } else {
                    k.dia = Some(v);
                }
                if k.start.is_none() {
                    k.start = Some(at);
                }
                return Ok(());
            }
            let Some(stamp) = c.offset(pos, at) else {
                return Ok(());
            };
            let h = halves.entry((stamp.utc.timestamp(), app)).or_default();
            h.pos.get_or_insert(pos);
            h.offset = stamp.offset_secs;
            if h.unknown_unit.is_none() {
                h.unknown_unit = unknown_unit;
            }
            if systolic {
                h.sys = Some(v);
            } else {
                h.dia = Some(v);
            }
        }
    }
    Ok(())
}

fn finish_correlation(c: &mut Collector<'_>, k: Corr, paired: &mut HashSet<(i64, u32)>) {
    let Some(at) = k.start else {
        c.skip(k.pos, "a blood pressure without a date");
        return;
    };
    let Some(stamp) = c.offset(k.pos, at) else {
        return;
    };
    // Its records met again on their own count once, usable or not.
    paired.insert((stamp.utc.timestamp(), k.app));
    if let Some(unit) = &k.unknown_unit {
        c.skip(k.pos, unknown_bp_unit(unit));
        return;
    }
    match (k.sys, k.dia) {
        (Some(s), Some(d)) => c.bp(k.pos, stamp, s, d, k.app),
        (Some(s), None) => c.skip(k.pos, format!("systolic {s} without a diastolic")),
        (None, Some(d)) => c.skip(k.pos, format!("diastolic {d} without a systolic")),
        (None, None) => c.skip(k.pos, "a blood pressure without values"),
    }
}

/// Why a blood pressure in another unit than mmHg is skipped.
fn unknown_bp_unit(unit: &str) -> String {
    format!(
        "blood pressure in '{}', a unit cls does not know (mmHg)",
        unit.escape_debug()
    )
}

/// `2020-10-30 14:20:39 +1100`.
fn apple_date(pos: Pos, field: &str, s: &[u8]) -> Result<DateTime<FixedOffset>, ImportError> {
    let t = String::from_utf8_lossy(s);
    DateTime::parse_from_str(t.trim(), "%Y-%m-%d %H:%M:%S %z").map_err(|_| {
        error_at(
            pos,
            field,
            format!(
                "'{}' is not a date like 2020-10-30 14:20:39 +1100",
                t.escape_debug()
            ),
        )
    })
}

/// A stamp from a UTC instant and the offset then.
fn stamp_of(utc: i64, offset: i32) -> Option<crate::model::Stamp> {
    let u = DateTime::from_timestamp(utc, 0)?;
    let local = u.naive_utc() + chrono::Duration::seconds(i64::from(offset));
    Some(crate::model::Stamp {
        date: local.date(),
        time: local.time(),
        utc: u,
        offset_secs: offset,
    })
}
