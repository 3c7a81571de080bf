//! `cls import`: read a CSV or JSON file as a stream, checking each row
//! with the same rules as `cls log`, and write it in one transaction (or,
//! with `--dry-run`, only count). A file over the limit
//! ([`transfer::MAX_IMPORT_BYTES`]) is refused before it is read. A
//! progress bar appears on a terminal when it takes more than a moment.

use cls::render::noun;
use std::fs::File;
use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use cls::transfer::{self, Format, Options};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{usage, Ctx};
use crate::cli::ImportArgs;

mod device;

/// Show a progress bar only for imports slower than this.
const BAR_AFTER: Duration = Duration::from_millis(300);

pub fn import(ctx: &Ctx, args: &ImportArgs) -> Result<u8> {
    // A scale's or cuff's export (`--from`, or found from the file).
    if let Some(device) = device::wanted(args) {
        return device::run(ctx, args, device);
    }
    let name = args.file.display().to_string();
    let stdin = args.file == Path::new("-");
    // `export.csv.age` is a CSV file inside.
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
    let opts = Options {
        today: ctx.today(),
        now: ctx.now.fixed_offset(),
        custom_symptoms: ctx.config.symptoms.custom.clone(),
        rules: transfer::known_rules(&ctx.config.rules),
    };
    let refused = |e: transfer::ImportFailure| match e {
        transfer::ImportFailure::Invalid(e) => {
            usage(format!("import {name}: {e}; nothing was imported"))
        }
        other => anyhow::Error::new(other).context(format!("import {name}: nothing was imported")),
    };
    // An encrypted copy (age) is decrypted in memory, under the same size
    // limit, then read like any other file; anything else is streamed. The
    // first bytes tell: stdin's are peeked at without being consumed.
    let head: Vec<u8> = if stdin {
        let mut l = io::stdin().lock();
        let b = l.fill_buf().context("import: cannot read stdin")?;
        b[..b.len().min(64)].to_vec()
    } else {
        let mut h = Vec::with_capacity(64);
        if let Ok(f) = File::open(&args.file) {
            let _ = f.take(64).read_to_end(&mut h);
        }
        h
    };
    let decrypted: Option<Vec<u8>> = if cls::crypt::is_age(&head) {
        let src: Box<dyn Read> = if stdin {
            Box::new(io::stdin().lock())
        } else {
            Box::new(
                File::open(&args.file)
                    .with_context(|| format!("import {name}: cannot read the file"))?,
            )
        };
        let mut bytes = Vec::new();
        src.take(transfer::MAX_IMPORT_BYTES + 1)
            .read_to_end(&mut bytes)
            .with_context(|| format!("import {name}: cannot read the file"))?;
        if bytes.len() as u64 > transfer::MAX_IMPORT_BYTES {
            return Err(refused(transfer::ImportFailure::Invalid(
                transfer::too_large(None),
            )));
        }
        Some(super::crypt::open_bytes(
            &format!("import {name}"),
            bytes,
            &args.decrypt,
        )?)
    } else {
        None
    };
    // A file is measured before it is read: one over the limit is refused
    // at once. A pipe or a device has no size; the stream stops at the
    // limit instead.
    let open = || -> Result<Box<dyn Read + '_>> {
        if let Some(plain) = &decrypted {
            return Ok(Box::new(&plain[..]));
        }
        if stdin {
            return Ok(Box::new(io::stdin().lock()));
        }
        let file = File::open(&args.file)
            .with_context(|| format!("import {name}: cannot read the file"))?;
        let meta = file
            .metadata()
            .with_context(|| format!("import {name}: cannot read the file"))?;
        if meta.is_file() && meta.len() > transfer::MAX_IMPORT_BYTES {
            return Err(refused(transfer::ImportFailure::Invalid(
                transfer::too_large(Some(meta.len())),
            )));
        }
        Ok(Box::new(file))
    };
    let total = if stdin {
        None
    } else {
        std::fs::metadata(&args.file)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len())
    };
    // Into a diary that does not exist yet, a file is checked in a first
    // pass, so that a refused file creates no diary. (From a pipe, which
    // cannot be read twice, the one pass creates it.)
    let store = if args.dry_run {
        ctx.open_read()?
    } else {
        if (!stdin || decrypted.is_some()) && !ctx.db.exists() {
            transfer::check(format, open()?, &opts).map_err(refused)?;
        }
        ctx.open_write()?
    };
    let started = Instant::now();
    let tty = io::stderr().is_terminal();
    let mut bar: Option<ProgressBar> = None;
    let mut progress = |done: u64| {
        let Some(total) = total.filter(|_| tty) else {
            return;
        };
        if bar.is_none() && started.elapsed() >= BAR_AFTER {
            let b = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template(
                "importing {bar:40} {binary_bytes}/{binary_total_bytes}",
            ) {
                b.set_style(style);
            }
            bar = Some(b);
        }
        if let Some(b) = &bar {
            b.set_position(done);
        }
    };
    let result = open().and_then(|r| {
        transfer::import(&store, format, r, &opts, args.dry_run, &mut progress).map_err(refused)
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let out = result?;

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
    if out.acks_imported + out.acks_skipped > 0 {
        line.push_str(&format!(
            "; acknowledgements: {imported} {}, {skipped} {} {}",
            out.acks_imported,
            out.acks_skipped,
            noun(out.acks_skipped, "duplicate", "duplicates")
        ));
    }
    if args.dry_run {
        line = format!("dry run: {line}; nothing was written");
    }
    writeln!(io::stdout(), "{line}")?;
    Ok(0)
}
