//! Beurer HealthManager's CSV export: `;`-separated, cells quoted
//! (`"12.02.2021";"08:35";"70.2";…`), the header `WeightDate;Time;kg;BMI;
//! Body fat;Water;Muscles;Bones;Medication;Comment` (seen both quoted and
//! not), rows newest first, weight in kg, a blank line at the end.

use std::io::BufRead;

use super::{
    cell, date, error_at, number, split, time, Collector, Device, DeviceOptions, Header, Parsed,
    Progress, Records,
};
use crate::transfer::ImportFailure;

fn columns(cells: &[String]) -> Option<[usize; 3]> {
    let h = Header::new(cells.to_vec());
    Some([h.find("WeightDate")?, h.find("Time")?, h.find("kg")?])
}

pub(super) fn is_header(first: &str) -> bool {
    columns(&split(first, ';')).is_some()
}

pub(super) fn read<R: BufRead>(
    reader: R,
    opts: &DeviceOptions,
    total: u64,
    progress: &mut Progress<'_>,
) -> Result<Parsed, ImportFailure> {
    let mut records = Records::new(reader, None, ';');
    let (pos, first) = records.header()?;
    let Some([d, t, kg]) = columns(&split(&first, ';')) else {
        return Err(error_at(
            pos,
            "header",
            "not a Beurer HealthManager weight export: it starts with WeightDate;Time;kg;…",
        )
        .into());
    };
    let mut c = Collector::new(opts);
    while let Some((pos, rec)) = records.next_record()? {
        let cells = split(&rec, ';');
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let day = cell(&cells, d)
            .ok_or_else(|| error_at(pos, "WeightDate", "missing: every row needs its date"))?;
        let clock = cell(&cells, t)
            .ok_or_else(|| error_at(pos, "Time", "missing: every row needs its time"))?;
        let at = date(pos, "WeightDate", day, &["%d.%m.%Y"], "12.02.2021")?
            .and_time(time(pos, "Time", clock)?);
        if let Some(v) = cell(&cells, kg) {
            let w = number(pos, "kg", v)?;
            if let Some(stamp) = c.local(pos, at) {
                c.weight_kg(pos, stamp, w, 0);
            }
        }
        progress(records.bytes, total);
    }
    Ok(c.finish(
        Device::Beurer,
        "Beurer HealthManager weight CSV".to_string(),
    ))
}
