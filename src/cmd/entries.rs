//! `cls list`, `cls show` and `cls delete`.

use std::io::Write;

use anyhow::Result;
use cls::render;

use super::out;
use super::{confirm, usage, Ctx};
use crate::cli::{DeleteArgs, ListArgs, ShowArgs};

pub fn list(ctx: &Ctx, args: &ListArgs) -> Result<u8> {
    let (from, to) = ctx.range(
        args.from.as_deref(),
        args.to.as_deref(),
        args.last.as_deref(),
        (!args.all).then_some(14),
    )?;
    let store = ctx.open_to_show()?;
    let entries = store.entries(from, Some(to))?;
    let synthetic = store.is_synthetic()?;
    let mut o = anstream::stdout().lock();
    if args.json {
        // The entry's one JSON shape (docs/schema/entry.schema.json).
        let json: Vec<_> = entries.iter().map(cls::transfer::json::to_json).collect();
        serde_json::to_writer_pretty(&mut o, &json)?;
        writeln!(o)?;
        // The JSON stays an array of entries; the note goes beside it.
        if synthetic {
            writeln!(
                std::io::stderr(),
                "cls: note: {}",
                cls::demo::SYNTHETIC_NOTE
            )?;
        }
        return Ok(0);
    }
    if synthetic {
        writeln!(o, "{}", cls::demo::SYNTHETIC_NOTE)?;
    }
    let range = match from {
        Some(f) => format!("{f} to {to}"),
        None => format!("up to {to}"),
    };
    if entries.is_empty() {
        let total = store.count_entries()?;
        writeln!(
            o,
            "no entries {range} ({total} in the diary{})",
            if total == 0 {
                "; add one with 'cls log'"
            } else {
                "; try --last 12w or --all"
            }
        )?;
        return Ok(0);
    }
    let start = ctx.config.rules.day_start;
    // Piped, a fixed width rather than as wide as the longest note.
    let width = out::layout_width();
    let table = render::entries_table(
        &entries,
        ctx.config.units.weight,
        start,
        Some(width),
        args.wide,
    );
    writeln!(o, "{table}")?;
    if entries.iter().any(|e| e.day(start) != e.stamp.date) {
        writeln!(
            o,
            "* logged before {start}: counts for the day before (your day starts at {start})"
        )?;
    }
    let n = entries.len();
    writeln!(o, "{n} entr{}, {range}", if n == 1 { "y" } else { "ies" })?;
    Ok(0)
}

pub fn show(ctx: &Ctx, args: &ShowArgs) -> Result<u8> {
    let store = ctx.open_read()?;
    let e = store.get(args.id)?;
    let mut o = anstream::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut o, &cls::transfer::json::to_json(&e))?;
        writeln!(o)?;
        return Ok(0);
    }
    let unit = ctx.config.units.weight;
    let m = &e.m;
    let offset = chrono::FixedOffset::east_opt(e.stamp.offset_secs)
        .map(|o| o.to_string())
        .unwrap_or_default();
    writeln!(o, "entry {}", e.id)?;
    writeln!(
        o,
        "  when         {} {} (UTC{offset}){}",
        e.stamp.date,
        e.stamp.time.format("%H:%M"),
        render::counted_for(e.stamp.date, e.day(ctx.config.rules.day_start))
    )?;
    let mut line = |k: &str, v: Option<String>| -> std::io::Result<()> {
        match v {
            Some(v) => writeln!(o, "  {k:<12} {v}"),
            None => Ok(()),
        }
    };
    line("weight", m.weight_kg.map(|w| render::weight(w, unit)))?;
    line("BP sitting", m.bp.map(|b| format!("{b} mmHg")))?;
    line("BP standing", m.standing_bp.map(|b| format!("{b} mmHg")))?;
    line("heart rate", m.heart_rate.map(|h| format!("{h} bpm")))?;
    line(
        "symptoms",
        Some(render::symptoms_long(&m.symptoms)).filter(|s| !s.is_empty()),
    )?;
    line("urine", m.urine.map(|u| u.to_string()))?;
    line("urine 24 h", m.urine_ml.map(|u| format!("{u} mL")))?;
    for l in &m.labs {
        line(
            l.kind.as_str(),
            Some(format!("{} {}", l.value, l.kind.unit())),
        )?;
    }
    line(
        "meds",
        Some(render::meds_short(&m.meds)).filter(|s| !s.is_empty()),
    )?;
    line("note", m.note.as_deref().map(render::sanitize))?;
    line(
        "source",
        e.source.as_deref().map(|s| {
            let name = cls::transfer::devices::Device::from_source(s)
                .map_or_else(|| render::sanitize(s), |d| d.label().to_string());
            format!("{name} export")
        }),
    )?;
    Ok(0)
}

pub fn delete(ctx: &Ctx, args: &DeleteArgs) -> Result<u8> {
    let mut store = ctx.open_modify()?;
    let what = match store.get(args.id) {
        Ok(e) => format!(
            "entry {} ({} {}: {})",
            e.id,
            e.stamp.date,
            e.stamp.time.format("%H:%M"),
            render::summary(&e.m, ctx.config.units.weight)
        ),
        // A row no command can read (an impossible date) can still go.
        Err(cls::store::StoreError::Unreadable { id, detail }) => {
            format!("entry {id} (unreadable: {detail})")
        }
        Err(e) => return Err(e.into()),
    };
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            return Err(usage(format!(
                "not deleting {what} without confirmation: add --yes"
            )));
        }
        if !confirm(&format!("Delete {what}?"))? {
            writeln!(std::io::stderr(), "cls: not deleted")?;
            return Ok(1);
        }
    }
    store.delete(args.id)?;
    writeln!(std::io::stdout(), "deleted {what}")?;
    Ok(0)
}

use std::io::IsTerminal;
