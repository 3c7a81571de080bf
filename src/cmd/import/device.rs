//! `cls import --from DEVICE FILE` (or a device export found from its
//! first bytes): read the export, then write it in one transaction, and say
//! what was imported, merged, already there, skipped (with lines), and
//! which new entries sit in the same minute as a typed one. The file is
//! read and checked before the diary is opened, so a refused file creates
//! nothing. A progress bar appears on a terminal when it takes a while.

use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;
use cls::render::noun;
use cls::transfer::devices::{self, Device, DeviceOptions, Outcome, Parsed, MERGE_WINDOW_MINUTES};
use cls::transfer::ImportFailure;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::ImportArgs;
use crate::cmd::{usage, Ctx};

/// Show a progress bar only for imports slower than this.
const BAR_AFTER: Duration = Duration::from_millis(300);

/// Skipped readings listed one per line; past this, only their lines.
const LIST_SKIPPED: usize = 10;
/// Line numbers listed after that.
const LIST_LINES: usize = 40;

/// The device to read when this import is a device import: `Some(None)`
/// means "find it from the file". `None`: a cls CSV or JSON export.
pub fn wanted(args: &ImportArgs) -> Option<Option<Device>> {
    if let Some(d) = args.from {
        return Some(Some(d.into()));
    }
    if args.format.is_some() || args.file == Path::new("-") {
        return None;
    }
    if args.unit.is_some() {
        return Some(None);
    }
    if let Ok(Some(d)) = devices::detect(&args.file) {
        return Some(Some(d));
    }
    // A zip or an XML file is never a cls export: say what cls can read.
    let ext = args
        .file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    matches!(ext.as_deref(), Some("zip" | "xml")).then_some(None)
}

pub fn run(ctx: &Ctx, args: &ImportArgs, device: Option<Device>) -> Result<u8> {
    let name = args.file.display().to_string();
    if args.file == Path::new("-") {
        return Err(usage(
            "import -: a device export is read from a file (a zip cannot be read from a pipe); give its path",
        ));
    }
    let refused = |e: ImportFailure| match e {
        ImportFailure::Invalid(e) => usage(format!("import {name}: {e}; nothing was imported")),
        other => anyhow::Error::new(other).context(format!("import {name}: nothing was imported")),
    };
    let opts = DeviceOptions {
        today: ctx.today(),
        unit: args.unit.map(Into::into),
    };
    let started = Instant::now();
    let tty = io::stderr().is_terminal();
    let mut bar: Option<ProgressBar> = None;
    let mut progress = |done: u64, total: u64| {
        if !tty || total == 0 {
            return;
        }
        if bar.is_none() && started.elapsed() >= BAR_AFTER {
            let b = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            if let Ok(style) =
                ProgressStyle::with_template("reading {bar:40} {binary_bytes}/{binary_total_bytes}")
            {
                b.set_style(style);
            }
            bar = Some(b);
        }
        if let Some(b) = &bar {
            b.set_position(done.min(total));
        }
    };
    let parsed = devices::read(&args.file, device, &opts, &mut progress);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let parsed = parsed.map_err(refused)?;
    let store = if args.dry_run {
        ctx.open_read()?
    } else {
        ctx.open_write()?
    };
    let out = devices::apply(&store, &parsed, args.dry_run).map_err(refused)?;
    let text = report(&parsed, &out, args.dry_run);
    io::stdout().write_all(text.as_bytes())?;
    Ok(0)
}

/// What the import did, for people: the first line says how many entries
/// and from what; the rest only what happened.
fn report(parsed: &Parsed, out: &Outcome, dry_run: bool) -> String {
    let mut s = String::new();
    let verb = if dry_run { "would import" } else { "imported" };
    let lead = if dry_run { "dry run: " } else { "" };
    let _ = write!(
        s,
        "{lead}{}: {verb} {} {}",
        parsed.what,
        out.entries,
        noun(out.entries, "entry", "entries")
    );
    if out.entries == 0 && out.already > 0 && parsed.readings.len() == out.already {
        let _ = write!(
            s,
            ": all {} {} already in the diary",
            out.already,
            noun(out.already, "reading is", "readings are")
        );
    }
    if dry_run {
        s.push_str("; nothing was written");
    }
    // On a terminal the first line wraps at words, as `cls log`'s does.
    let mut s = cls::render::wrap(&s, 0, 2, crate::cmd::out::wrap_width());
    s.push('\n');
    if out.entries > 0 {
        let mut kinds = Vec::new();
        for (n, one, many) in [
            (out.weights, "weight", "weights"),
            (out.bps, "blood pressure", "blood pressures"),
            (out.heart_rates, "heart rate", "heart rates"),
        ] {
            if n > 0 {
                kinds.push(format!("{n} {}", noun(n, one, many)));
            }
        }
        let range = match out.range {
            Some((a, b)) if a == b => format!(", on {a}"),
            Some((a, b)) => format!(", {a} to {b}"),
            None => String::new(),
        };
        let _ = writeln!(s, "  readings: {}{range}", kinds.join(", "));
        let readings = out.weights + out.bps + out.heart_rates;
        if readings > out.entries {
            let _ = writeln!(
                s,
                "  merged: readings taken within {MERGE_WINDOW_MINUTES} minutes of each other share an entry"
            );
        }
    }
    if out.already > 0 && out.entries > 0 {
        let _ = writeln!(
            s,
            "  already in the diary: {} {}, skipped",
            out.already,
            noun(out.already, "reading", "readings")
        );
    }
    if parsed.repeated > 0 {
        let _ = writeln!(
            s,
            "  repeated in the file: {} {}, counted once",
            parsed.repeated,
            noun(parsed.repeated, "reading", "readings")
        );
    }
    if parsed.unpaired_heart_rates > 0 {
        let n = parsed.unpaired_heart_rates;
        let _ = writeln!(
            s,
            "  left out: {n} heart {} not taken with a blood pressure\n    (a watch's all-day samples; exercise would read as tachycardia)",
            noun(n, "rate", "rates")
        );
    }
    if !parsed.skipped.is_empty() {
        let n = parsed.skipped.len();
        let _ = writeln!(
            s,
            "  skipped {n} unusable {}:",
            noun(n, "reading", "readings")
        );
        for k in parsed.skipped.iter().take(LIST_SKIPPED) {
            let _ = writeln!(s, "    {}: {}", k.pos, k.reason);
        }
        if n > LIST_SKIPPED {
            let rest: Vec<String> = parsed.skipped[LIST_SKIPPED..]
                .iter()
                .take(LIST_LINES)
                .map(|k| k.pos.to_string())
                .collect();
            let more = if n - LIST_SKIPPED > LIST_LINES {
                ", …"
            } else {
                ""
            };
            let text = format!("and {} more: {}{more}", n - LIST_SKIPPED, rest.join(", "));
            // Wrapped piped or not: 74 columns after the indent.
            let _ = writeln!(s, "    {}", cls::render::wrap(&text, 4, 4, Some(78)));
        }
    }
    if !out.beside_typed.is_empty() {
        let n = out.beside_typed.len();
        let _ = writeln!(
            s,
            "  {n} new {} in the same minute as one you typed, kept apart\n    (not merged; compare them with cls show):",
            noun(n, "entry is", "entries are"),
        );
        for (at, id) in out.beside_typed.iter().take(LIST_SKIPPED) {
            let _ = writeln!(s, "    {} beside entry {id}", at.format("%Y-%m-%d %H:%M"));
        }
        if n > LIST_SKIPPED {
            let _ = writeln!(s, "    and {} more", n - LIST_SKIPPED);
        }
    }
    s
}
