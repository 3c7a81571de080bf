//! `cls export`: the diary (or a date range of it) as CSV, JSON or a FHIR
//! bundle, to stdout or to a private file written atomically. CSV holds the
//! entries; JSON also the episodes and the acknowledgements (`cls ack`);
//! FHIR the measurements and symptoms, for a clinic.

use cls::render::count;
use std::io::{self, IsTerminal, Write};

use anyhow::{Context as _, Result};
use cls::input;
use cls::transfer::{self, Format};

use super::{usage, Ctx};
use crate::cli::{ExportArgs, ExportFormat};

pub fn export(ctx: &Ctx, args: &ExportArgs) -> Result<u8> {
    let fhir = args.format == Some(ExportFormat::Fhir);
    let format = args
        .format
        .and_then(|f| match f {
            ExportFormat::Csv => Some(Format::Csv),
            ExportFormat::Json => Some(Format::Json),
            ExportFormat::Fhir => None,
        })
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
    let mut left_out = None;
    match format {
        _ if fhir => left_out = Some(write_fhir(ctx, &store, &entries, &mut buf)?),
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
    if let Some(s) = left_out {
        let mut parts = Vec::new();
        if s.with_medications > 0 {
            parts.push(format!(
                "the medications of {}",
                count(s.with_medications, "entry", "entries")
            ));
        }
        if s.with_note > 0 {
            parts.push(count(s.with_note, "note", "notes"));
        }
        if !episodes.is_empty() {
            parts.push(count(episodes.len(), "episode", "episodes"));
        }
        if !parts.is_empty() {
            writeln!(
                err,
                "cls: note: not in the FHIR bundle: {} (use --format json for everything)",
                parts.join(", ")
            )?;
        }
    } else if format == Format::Csv && !episodes.is_empty() {
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
            let eps = if let Some(s) = left_out {
                format!(
                    " as {} in a FHIR bundle",
                    count(s.observations, "observation", "observations")
                )
            } else if format == Format::Json {
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

/// The FHIR bundle of `entries`, with the patient from the config (none
/// from a `cls demo` diary, whose bundle is marked as test data).
fn write_fhir(
    ctx: &Ctx,
    store: &cls::Store,
    entries: &[cls::Entry],
    buf: &mut Vec<u8>,
) -> Result<transfer::fhir::Summary> {
    let ctx = ctx.for_diary(store)?;
    let patient = &ctx.config.patient;
    let opts = transfer::fhir::Options {
        name: patient.name.clone(),
        birth_date: patient.date_of_birth,
        include_condition: patient.include_condition,
        synthetic: ctx.synthetic,
        exported_at: ctx.now.with_timezone(&chrono::Utc),
    };
    Ok(transfer::fhir::write(entries, &opts, buf)?)
}
