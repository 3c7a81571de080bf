//! `cls export`: the diary (or a date range of it) as CSV or JSON, to stdout
//! or to a private file written atomically. CSV holds the entries; JSON
//! also the episodes and the acknowledgements (`cls ack`).

use cls::render::count;
use std::io::{self, IsTerminal, Write};

use anyhow::{Context as _, Result};
use cls::input;
use cls::transfer::{self, Format};

use super::{usage, Ctx};
use crate::cli::ExportArgs;

pub fn export(ctx: &Ctx, args: &ExportArgs) -> Result<u8> {
    let format = args
        .format
        .map(Format::from)
        .or_else(|| {
            let out = args.output.as_deref()?;
            Format::from_path(&cls::crypt::without_age_extension(out))
        })
        .unwrap_or(Format::Csv);
    let from = args
        .from
        .as_deref()
        .map(|f| input::parse_date("--from", f, ctx.today()))
        .transpose()?;
    let to = args
        .to
        .as_deref()
        .map(|t| input::parse_date("--to", t, ctx.today()))
        .transpose()?;
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(usage("--from: must not be after --to"));
        }
    }
    let lock = super::crypt::lock(&args.encrypt)?;
    let output = super::crypt::output(lock.as_ref(), args.output.as_deref())?;
    let target = ctx.check_output(output.as_deref())?;

    let store = ctx.open_to_show()?;
    let (entries, episodes) = transfer::select(&store, from, to)?;
    let mut buf = Vec::new();
    match format {
        Format::Csv => transfer::csv::write(&entries, &mut buf)?,
        Format::Json => {
            let acks = transfer::select_acks(&store, from, to)?;
            transfer::json::write(&entries, &episodes, &acks, &ctx.now.to_rfc3339(), &mut buf)?;
        }
    }
    if let Some(l) = &lock {
        buf = cls::crypt::encrypt(&buf, l)?;
    }
    let mut err = io::stderr().lock();
    if format == Format::Csv && !episodes.is_empty() {
        writeln!(
            err,
            "cls: note: {} episode(s) not included: CSV holds entries only (use --format json for everything, acknowledgements too)",
            episodes.len()
        )?;
    }
    match (&output, &target) {
        (Some(path), Some(target)) => {
            target
                .write(&buf)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let eps = if format == Format::Json {
                format!(" and {}", count(episodes.len(), "episode", "episodes"))
            } else {
                String::new()
            };
            writeln!(
                err,
                "exported {}{eps} to {}",
                count(entries.len(), "entry", "entries"),
                path.display()
            )?;
        }
        // A terminal shows the text, so it is sanitised like all terminal
        // text; a pipe or file gets the exact bytes (the round trip).
        _ if lock.is_none() && io::stdout().is_terminal() => io::stdout()
            .lock()
            .write_all(cls::render::sanitize_lines(&String::from_utf8_lossy(&buf)).as_bytes())?,
        _ => io::stdout().lock().write_all(&buf)?,
    }
    Ok(0)
}
