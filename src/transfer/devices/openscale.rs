//! openScale (Android), two generations:
//!
//! - 2.x writes a quoted header sorted alphabetically (`"biceps","bone",…,
//!   "dateTime",…,"weight"`), `dateTime` as `dd.MM.yyyy HH:mm` (converters
//!   write `yyyy-MM-dd HH:mm`; both are read) and the weight in kg.
//! - 3.x (the 2025 rewrite) writes `DATE,TIME,<type keys…>,WEIGHT` with ISO
//!   dates, and accepts a `dateTime` column too. Its WEIGHT is in the unit
//!   set in the app (kg, lb or st), which the file does not say: the
//!   patient gives it with `--unit`, and cls never guesses.
//!
//! Headerless files from openScale 1.x are not read (their columns are not
//! documented well enough to map them safely).

use std::io::BufRead;

use super::{
    cell, date, datetime, error_at, number, split, time, Collector, Device, DeviceOptions, Header,
    Parsed, Pos, Progress, Records,
};
use crate::transfer::{ImportError, ImportFailure};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    Two,
    Three,
}

fn version(cells: &[String]) -> Option<Version> {
    let has = |name: &str| cells.iter().any(|c| c == name);
    if has("WEIGHT") && ((has("DATE") && has("TIME")) || has("dateTime")) {
        Some(Version::Three)
    } else if has("weight") && has("dateTime") {
        Some(Version::Two)
    } else {
        None
    }
}

pub(super) fn is_header(first: &str) -> bool {
    version(&split(first, ',')).is_some()
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
    let Some(version) = version(&cells) else {
        return Err(error_at(
            pos,
            "header",
            "not an openScale export: openScale 2.x starts with \"biceps\",\"bone\",… including \"dateTime\" and \"weight\"; 3.x with DATE,TIME,…,WEIGHT (files without a header, from openScale 1.x, are not read)",
        )
        .into());
    };
    let unit = match (version, opts.unit) {
        (Version::Two, _) => super::ScaleUnit::Kg,
        (Version::Three, Some(u)) => u,
        (Version::Three, None) => {
            return Err(ImportError::whole_file(
                "--unit",
                "openScale 3.x exports do not say whether WEIGHT is in kg, lb or st: add --unit kg, --unit lb or --unit st, as set in the app",
            )
            .into())
        }
    };
    let h = Header::new(cells);
    let weight = match version {
        Version::Two => h.require(pos, "weight", "an openScale export")?,
        Version::Three => h.require(pos, "WEIGHT", "an openScale export")?,
    };
    let date_time = h.cells.iter().position(|c| c == "dateTime");
    let (d_col, t_col) = (
        h.cells.iter().position(|c| c == "DATE"),
        h.cells.iter().position(|c| c == "TIME"),
    );
    let mut c = Collector::new(opts);
    while let Some((pos, rec)) = records.next_record()? {
        let cells = split(&rec, ',');
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let at = match (date_time, d_col, t_col) {
            (_, Some(d), Some(t)) if version == Version::Three => {
                let d = cell(&cells, d)
                    .ok_or_else(|| error_at(pos, "DATE", "missing: every row needs its date"))?;
                let t = cell(&cells, t)
                    .ok_or_else(|| error_at(pos, "TIME", "missing: every row needs its time"))?;
                date(pos, "DATE", d, &["%Y-%m-%d"], "2025-03-01")?.and_time(time(pos, "TIME", t)?)
            }
            (Some(dt), _, _) => {
                let v = cell(&cells, dt).ok_or_else(|| {
                    error_at(
                        pos,
                        "dateTime",
                        "missing: every row needs its date and time",
                    )
                })?;
                datetime(
                    pos,
                    "dateTime",
                    v,
                    &[
                        "%d.%m.%Y %H:%M",
                        "%d.%m.%Y %H:%M:%S",
                        "%Y-%m-%d %H:%M",
                        "%Y-%m-%d %H:%M:%S",
                    ],
                    "01.03.2018 12:45 or 2018-03-01 12:45",
                )?
            }
            _ => return Err(missing_date(pos).into()),
        };
        if let Some(v) = cell(&cells, weight) {
            let field = &h.cells[weight];
            let kg = unit.to_kg(number(pos, field, v)?);
            if let Some(stamp) = c.local(pos, at) {
                c.weight_kg(pos, stamp, kg, 0);
            }
        }
        progress(records.bytes, total);
    }
    let what = match version {
        Version::Two => "openScale 2.x CSV".to_string(),
        Version::Three => format!("openScale 3.x CSV (WEIGHT in {})", unit.as_str()),
    };
    Ok(c.finish(Device::OpenScale, what))
}

fn missing_date(pos: Pos) -> ImportError {
    error_at(
        pos,
        "header",
        "no DATE and TIME (or dateTime) columns, so rows have no date",
    )
}
