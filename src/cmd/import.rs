//! `cls import`: check a whole CSV or JSON file with the same rules as
//! `cls log`, then write it in one transaction (or, with `--dry-run`, only
//! count). A progress bar appears on a terminal when writing takes more
//! than a moment.

use cls::render::noun;
use std::io::{self, IsTerminal, Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use cls::transfer::{self, Format, Options};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{usage, Ctx};
use crate::cli::ImportArgs;

/// Show a progress bar only for imports slower than this.
const BAR_AFTER: Duration = Duration::from_millis(300);

pub fn import(ctx: &Ctx, args: &ImportArgs) -> Result<u8> {
    let name = args.file.display().to_string();
    let stdin = args.file == Path::new("-");
    let inside = cls::crypt::without_age_extension(&args.file);
    let format = match args.format.map(Format::from).or_else(|| Format::from_path(&inside)) {
        Some(f) => f,
        None if stdin => return Err(usage("import from stdin: add --format csv or --format json")),
        None => {
            return Err(usage(format!(
                "import {name}: cannot tell the format from the file name; add --format csv or --format json"
            )))
        }
    };
    let bytes = if stdin {
        let mut b = Vec::new();
        io::stdin()
            .read_to_end(&mut b)
            .context("import: cannot read stdin")?;
        b
    } else {
        std::fs::read(&args.file).with_context(|| format!("import {name}: cannot read the file"))?
    };
    let bytes = super::crypt::open_bytes(&format!("import {name}"), bytes, &args.decrypt)?;
    let opts = Options {
        today: ctx.today(),
        custom_symptoms: ctx.config.symptoms.custom.clone(),
    };
    let plan = transfer::parse(format, &bytes, &opts)
        .map_err(|e| usage(format!("import {name}: {e}; nothing was imported")))?;

    let store = if args.dry_run {
        ctx.open_read()?
    } else {
        ctx.open_write()?
    };
    let started = Instant::now();
    let tty = io::stderr().is_terminal();
    let mut bar: Option<ProgressBar> = None;
    let mut progress = |done: usize, total: usize| {
        if !tty {
            return;
        }
        if bar.is_none() && started.elapsed() >= BAR_AFTER {
            let b = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template("importing {bar:40} {pos}/{len} rows") {
                b.set_style(style);
            }
            bar = Some(b);
        }
        if let Some(b) = &bar {
            b.set_position(done as u64);
        }
    };
    let result = transfer::apply(&store, &plan, args.dry_run, &mut progress);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let out = result.with_context(|| format!("import {name}: nothing was imported"))?;

    let (imported, skipped) = if args.dry_run {
        ("would import", "skip")
    } else {
        ("imported", "skipped")
    };
    let mut line = format!(
        "{imported} {}, {skipped} {} {}",
        out.imported,
        out.skipped,
        noun(out.skipped, "duplicate", "duplicates")
    );
    if out.episodes_imported + out.episodes_skipped > 0 {
        line.push_str(&format!(
            "; episodes: {imported} {}, {skipped} {} {}",
            out.episodes_imported,
            out.episodes_skipped,
            noun(out.episodes_skipped, "duplicate", "duplicates")
        ));
    }
    if args.dry_run {
        line = format!("dry run: {line}; nothing was written");
    }
    writeln!(io::stdout(), "{line}")?;
    Ok(0)
}
