//! OMRON connect's CSV report (`Your Requested OMRON Report from … .csv`):
//! `Date,Time,Systolic (mmHg),Diastolic (mmHg),Pulse (bpm),Symptoms,
//! Consumed,TruRead,Notes`, dates like `Jan 12 2025`, `-` for an empty
//! cell. Other sections can follow the readings after a blank line, so
//! reading stops at the first blank line.

use std::io::BufRead;

use super::{
    cell, date, error_at, split, time, whole, Collector, Device, DeviceOptions, Header, Parsed,
    Progress, Records,
};
use crate::transfer::ImportFailure;

const DATE_FORMATS: &[&str] = &["%b %d %Y", "%B %d %Y", "%d %b %Y", "%Y-%m-%d", "%m/%d/%Y"];

/// The columns that matter: found by their start, as the units in brackets
/// may differ (a report in other units is found, then refused by
/// [`mmhg`]).
fn columns(cells: &[String]) -> Option<[usize; 5]> {
    let find = |start: &str| {
        cells
            .iter()
            .position(|c| c.to_ascii_lowercase().starts_with(start))
    };
    let date = cells.iter().position(|c| c.eq_ignore_ascii_case("date"))?;
    let time = cells.iter().position(|c| c.eq_ignore_ascii_case("time"))?;
    Some([
        date,
        time,
        find("systolic (")?,
        find("diastolic (")?,
        find("pulse").unwrap_or(usize::MAX),
    ])
}

/// A blood pressure column must be in mmHg: `Systolic (kPa)` is refused,
/// naming its unit.
fn mmhg(pos: super::Pos, name: &str) -> Result<(), ImportFailure> {
    let unit = name
        .split_once('(')
        .map_or("", |(_, u)| u.trim_end_matches(')').trim());
    if unit.eq_ignore_ascii_case("mmHg") {
        return Ok(());
    }
    Err(error_at(
        pos,
        "header",
        format!(
            "'{}' is in '{}', a unit cls does not know: blood pressure must be in mmHg",
            name.escape_debug(),
            unit.escape_debug()
        ),
    )
    .into())
}

pub(super) fn is_header(first: &str) -> bool {
    columns(&split(first, ',')).is_some()
}

pub(super) fn read<R: BufRead>(
    reader: R,
    opts: &DeviceOptions,
    total: u64,
    progress: &mut Progress<'_>,
) -> Result<Parsed, ImportFailure> {
    let mut records = Records::new(reader, None, ',');
    let (pos, first) = records.header()?;
    let cells = split(&first, ',');
    let Some([d, t, sys, dia, pulse]) = columns(&cells) else {
        return Err(error_at(
            pos,
            "header",
            "not an OMRON connect report: it starts with Date,Time,Systolic (mmHg),Diastolic (mmHg),Pulse (bpm),…",
        )
        .into());
    };
    let h = Header::new(cells);
    let name = |i: usize| h.cells.get(i).cloned().unwrap_or_default();
    let (sys_name, dia_name, pulse_name) = (name(sys), name(dia), name(pulse));
    mmhg(pos, &sys_name)?;
    mmhg(pos, &dia_name)?;
    let mut c = Collector::new(opts);
    while let Some((pos, rec)) = records.next_record()? {
        // The readings end at the first blank line.
        if rec.trim().is_empty() {
            break;
        }
        let cells = split(&rec, ',');
        let day = cell(&cells, d)
            .ok_or_else(|| error_at(pos, "Date", "missing: every row needs its date"))?;
        let clock = cell(&cells, t)
            .ok_or_else(|| error_at(pos, "Time", "missing: every row needs its time"))?;
        let at = date(pos, "Date", day, DATE_FORMATS, "Jan 12 2025")?
            .and_time(time(pos, "Time", clock)?);
        let s = cell(&cells, sys)
            .map(|v| whole(pos, &sys_name, v))
            .transpose()?;
        let di = cell(&cells, dia)
            .map(|v| whole(pos, &dia_name, v))
            .transpose()?;
        let bpm = cell(&cells, pulse)
            .map(|v| whole(pos, &pulse_name, v))
            .transpose()?;
        if s.is_none() && di.is_none() && bpm.is_none() {
            continue;
        }
        let Some(stamp) = c.local(pos, at) else {
            continue;
        };
        match (s, di) {
            (Some(s), Some(di)) => c.bp(pos, stamp, s, di, 0),
            (Some(s), None) => c.skip(pos, format!("systolic {s} without a diastolic")),
            (None, Some(di)) => c.skip(pos, format!("diastolic {di} without a systolic")),
            (None, None) => {}
        }
        if let Some(bpm) = bpm {
            c.heart_rate(pos, stamp, bpm, 0);
        }
        progress(records.bytes, total);
    }
    Ok(c.finish(Device::Omron, "OMRON connect CSV report".to_string()))
}
