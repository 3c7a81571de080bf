//! `cls export`: the diary (or a date range of it) as CSV or JSON, to stdout
//! or to a private file written atomically.

use cls::render::count;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use cls::input;
use cls::transfer::{self, Format};

use super::{usage, Ctx};
use crate::cli::ExportArgs;

pub fn export(ctx: &Ctx, args: &ExportArgs) -> Result<u8> {
    let format = args
        .format
        .map(Format::from)
        .or_else(|| args.output.as_deref().and_then(Format::from_path))
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
    if let Some(out) = &args.output {
        if is_diary_file(out, &ctx.db) {
            return Err(usage(format!(
                "--output {}: that is the diary itself; choose another file",
                out.display()
            )));
        }
    }

    let store = ctx.open_to_show()?;
    let (entries, episodes) = transfer::select(&store, from, to)?;
    let mut buf = Vec::new();
    match format {
        Format::Csv => transfer::csv::write(&entries, &mut buf)?,
        Format::Json => {
            transfer::json::write(&entries, &episodes, &ctx.now.to_rfc3339(), &mut buf)?;
        }
    }
    let mut err = io::stderr().lock();
    if format == Format::Csv && !episodes.is_empty() {
        writeln!(
            err,
            "cls: note: {} episode(s) not included: CSV holds entries only (use --format json for everything)",
            episodes.len()
        )?;
    }
    match &args.output {
        None => io::stdout().lock().write_all(&buf)?,
        Some(path) => {
            cls::fsutil::write_private(path, &buf)
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
    }
    Ok(0)
}

/// True when `out` names the diary or one of its SQLite side files, so an
/// export can never overwrite the diary.
pub fn is_diary_file(out: &Path, diary: &Path) -> bool {
    let canon = |p: &Path| -> Option<PathBuf> {
        if let Ok(c) = std::fs::canonicalize(p) {
            return Some(c);
        }
        let parent = p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        Some(std::fs::canonicalize(parent).ok()?.join(p.file_name()?))
    };
    let (Some(out), Some(diary)) = (canon(out), canon(diary)) else {
        return false;
    };
    ["", "-wal", "-shm", "-journal"].iter().any(|suffix| {
        let mut d = diary.as_os_str().to_owned();
        d.push(suffix);
        out.as_os_str() == d
    })
}
