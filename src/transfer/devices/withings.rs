//! Withings Health Mate: the data export is a zip holding `weight.csv`
//! (`Date,"Weight (kg)",…`) and `bp.csv` (`Date,"Heart rate",Systolic,
//! Diastolic,Comments`), rows newest first, dates like
//! `"2025-10-02 07:34:49"` in local time without an offset, and empty cells
//! for what was not measured (a Body Cardio scale writes a heart rate with
//! no blood pressure). Either file also imports on its own.

use std::io::{BufRead, BufReader, Read, Seek};

use super::{
    cell, datetime, error_at, number, split, whole, zip_error, Collector, Device, DeviceOptions,
    Header, Parsed, Progress, Records,
};
use crate::transfer::{ImportError, ImportFailure, MAX_IMPORT_BYTES};

const DATE_FORMATS: &[&str] = &["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"];
const DATE_SHAPE: &str = "2025-10-02 07:34:49";

/// Which of the two files a header belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    Weight,
    Bp,
}

fn which(cells: &[String]) -> Option<Which> {
    let h = Header::new(cells.to_vec());
    if !cells
        .first()
        .is_some_and(|c| c.eq_ignore_ascii_case("date"))
    {
        return None;
    }
    if weight_column(&h).is_some() {
        return Some(Which::Weight);
    }
    let bp = ["heart rate", "systolic", "diastolic"]
        .iter()
        .all(|n| h.find(n).is_some());
    bp.then_some(Which::Bp)
}

/// The weight column and its unit: `Weight (kg)`, or `(lb)` from an
/// account set to pounds.
fn weight_column(h: &Header) -> Option<(usize, super::ScaleUnit)> {
    [
        ("weight (kg)", super::ScaleUnit::Kg),
        ("weight (lb)", super::ScaleUnit::Lb),
        ("weight (st)", super::ScaleUnit::St),
    ]
    .into_iter()
    .find_map(|(name, unit)| h.find(name).map(|i| (i, unit)))
}

pub(super) fn is_header(first: &str) -> bool {
    which(&split(first, ',')).is_some()
}

/// One file, plain (`file` is `None`) or from the zip.
pub(super) fn read_one<R: BufRead>(
    reader: R,
    file: Option<&'static str>,
    opts: &DeviceOptions,
    total: u64,
    progress: &mut Progress<'_>,
) -> Result<Parsed, ImportFailure> {
    let mut c = Collector::new(opts);
    let which = read_into(&mut c, reader, file, 0, total, progress)?;
    let what = match which {
        Which::Weight => "Withings weight.csv",
        Which::Bp => "Withings bp.csv",
    };
    Ok(c.finish(Device::Withings, what.to_string()))
}

/// The indices of `weight.csv` and `bp.csv` in a zip (at any depth).
pub(super) fn members<R: Read + Seek>(zip: &zip::ZipArchive<R>) -> [Option<usize>; 2] {
    let find = |want: &str| {
        let name = zip
            .file_names()
            .find(|n| n.rsplit('/').next() == Some(want))?
            .to_string();
        zip.index_for_name(&name)
    };
    [find("weight.csv"), find("bp.csv")]
}

/// Both files of a Withings zip, the one after the other.
pub(super) fn read_zip<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    opts: &DeviceOptions,
    progress: &mut Progress<'_>,
) -> Result<Parsed, ImportFailure> {
    let found = members(zip);
    let mut total = 0;
    for i in found.iter().flatten() {
        total += zip.by_index(*i).map_err(zip_error)?.size();
    }
    if total > MAX_IMPORT_BYTES {
        return Err(crate::transfer::too_large(Some(total)).into());
    }
    let mut c = Collector::new(opts);
    let mut read = Vec::new();
    let mut done = 0;
    for (i, name) in found.iter().zip(["weight.csv", "bp.csv"]) {
        let Some(i) = i else { continue };
        let member = zip.by_index(*i).map_err(zip_error)?;
        let size = member.size();
        let reader = BufReader::with_capacity(1 << 16, member.take(MAX_IMPORT_BYTES + 1));
        read_into(&mut c, reader, Some(name), done, total, progress)?;
        done += size;
        read.push(name);
    }
    Ok(c.finish(
        Device::Withings,
        format!("Withings export ({} from the zip)", read.join(" and ")),
    ))
}

fn read_into<R: BufRead>(
    c: &mut Collector<'_>,
    reader: R,
    file: Option<&'static str>,
    done_before: u64,
    total: u64,
    progress: &mut Progress<'_>,
) -> Result<Which, ImportFailure> {
    let mut records = Records::new(reader, file, ',');
    let Some((pos, first)) = records.next_record()? else {
        return Err(error_at(
            super::Pos { file, line: 1 },
            "header",
            "the file is empty; a Withings weight.csv or bp.csv starts with a Date column",
        )
        .into());
    };
    let cells = split(&first, ',');
    let Some(which) = which(&cells) else {
        return Err(error_at(
            pos,
            "header",
            format!(
                "'{}' is not the header of a Withings weight.csv (Date,\"Weight (kg)\",…) or bp.csv (Date,\"Heart rate\",Systolic,Diastolic,…)",
                first.chars().take(80).collect::<String>().escape_debug()
            ),
        )
        .into());
    };
    let h = Header::new(cells);
    let date = 0;
    match which {
        Which::Weight => {
            let (w, unit) = weight_column(&h).expect("the header has a weight column");
            let field = h.cells[w].clone();
            while let Some((pos, rec)) = records.next_record()? {
                let cells = split(&rec, ',');
                let Some(at) = row_time(pos, &cells, date)? else {
                    continue;
                };
                if let Some(v) = cell(&cells, w) {
                    let kg = unit.to_kg(number(pos, &field, v)?);
                    if let Some(stamp) = c.local(pos, at) {
                        c.weight_kg(pos, stamp, kg, 0);
                    }
                }
                progress(done_before + records.bytes, total);
            }
        }
        Which::Bp => {
            let hr = h.require(pos, "Heart rate", "a Withings bp.csv")?;
            let sys = h.require(pos, "Systolic", "a Withings bp.csv")?;
            let dia = h.require(pos, "Diastolic", "a Withings bp.csv")?;
            while let Some((pos, rec)) = records.next_record()? {
                let cells = split(&rec, ',');
                let Some(at) = row_time(pos, &cells, date)? else {
                    continue;
                };
                let bpm = cell(&cells, hr)
                    .map(|v| whole(pos, "Heart rate", v))
                    .transpose()?;
                let s = cell(&cells, sys)
                    .map(|v| whole(pos, "Systolic", v))
                    .transpose()?;
                let d = cell(&cells, dia)
                    .map(|v| whole(pos, "Diastolic", v))
                    .transpose()?;
                if bpm.is_none() && s.is_none() && d.is_none() {
                    continue;
                }
                let Some(stamp) = c.local(pos, at) else {
                    continue;
                };
                match (s, d) {
                    (Some(s), Some(d)) => c.bp(pos, stamp, s, d, 0),
                    (Some(s), None) => c.skip(pos, format!("systolic {s} without a diastolic")),
                    (None, Some(d)) => c.skip(pos, format!("diastolic {d} without a systolic")),
                    (None, None) => {}
                }
                if let Some(bpm) = bpm {
                    c.heart_rate(pos, stamp, bpm, 0);
                }
                progress(done_before + records.bytes, total);
            }
        }
    }
    Ok(which)
}

/// The row's date and time; `None` for an empty row.
fn row_time(
    pos: super::Pos,
    cells: &[String],
    date: usize,
) -> Result<Option<chrono::NaiveDateTime>, ImportError> {
    if cells.iter().all(|c| c.is_empty()) {
        return Ok(None);
    }
    let Some(d) = cell(cells, date) else {
        return Err(error_at(
            pos,
            "Date",
            "missing: every row needs its date and time",
        ));
    };
    datetime(pos, "Date", d, DATE_FORMATS, DATE_SHAPE).map(Some)
}
