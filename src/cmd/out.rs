//! The output helpers every command shares: how wide to lay out text (the
//! one place that reads `COLUMNS` and the terminal size), the colours of the
//! levels, writing a document to `--output` or standard output, and the
//! lines that more than one command prints (the status line, what to do,
//! the medication schedule). Command files import this module, never each
//! other.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anstyle::{AnsiColor, Effects, Style};
use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use cls::report::{med_status, MedStatus};
use cls::rules::Assessment;
use cls::{Level, Store};

use super::Ctx;

// Width.

/// The width when there is no terminal to ask (piped, redirected, a file):
/// wide enough for a table, narrow enough to read and to print.
pub const FIXED_WIDTH: u16 = 100;

/// The terminal's width: `COLUMNS` if set, else the terminal's own, else
/// `None`. A width of 0 (`COLUMNS=0`, or a terminal that reports no size)
/// counts as unknown.
pub fn terminal_width() -> Option<u16> {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|w| *w > 0);
    columns.or_else(|| comfy_table::Table::new().width().filter(|w| *w > 0))
}

/// The width for a table or a report: the terminal's, else [`FIXED_WIDTH`].
pub fn layout_width() -> u16 {
    terminal_width().unwrap_or(FIXED_WIDTH)
}

/// The width to wrap running text to on a terminal, or `None` when stdout
/// is not one: piped text stays one line per item, for grep and scripts.
pub fn wrap_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    terminal_width().map(usize::from)
}

/// The text width for a file.
pub const FILE_WIDTH: u16 = FIXED_WIDTH;

// Colours. `anstream` strips them when stdout is not a terminal or
// `NO_COLOR` is set, so callers can always write styled text.

/// A level's colour.
pub fn level_style(level: Level) -> Style {
    match level {
        Level::Ok => AnsiColor::Green.on_default().effects(Effects::BOLD),
        Level::Unknown => AnsiColor::Cyan.on_default().effects(Effects::BOLD),
        Level::Watch => AnsiColor::Yellow.on_default().effects(Effects::BOLD),
        Level::Warning => AnsiColor::Red.on_default().effects(Effects::BOLD),
        Level::Emergency => AnsiColor::White.on(AnsiColor::Red).effects(Effects::BOLD),
    }
}

/// The level word, styled.
pub fn level_word(l: Level) -> String {
    let s = level_style(l);
    format!("{s}{}{s:#}", l.as_str())
}

/// Dimmed: hints and what was not checked.
pub fn dim() -> Style {
    Style::new().effects(Effects::DIMMED)
}

/// Bold: headings inside running text.
pub fn bold() -> Style {
    Style::new().effects(Effects::BOLD)
}

// Lines and documents.

/// Write to the checked `--output` and say so, or to standard output. A
/// regular file is replaced atomically and private; a device or FIFO (such
/// as `/dev/stdout`) is written in place, without the "wrote" line, which
/// would land in the same stream.
pub fn emit(
    out: &str,
    output: Option<&Path>,
    target: Option<&cls::outfile::Target>,
    what: &str,
) -> Result<()> {
    match (output, target) {
        (Some(p), Some(t)) => {
            t.write(out.as_bytes())
                .with_context(|| format!("cannot write the {what} to {}", p.display()))?;
            if t.is_file() {
                writeln!(std::io::stdout(), "wrote {what} to {}", p.display())?;
            }
        }
        _ => std::io::stdout().lock().write_all(out.as_bytes())?,
    }
    Ok(())
}

/// Every scheduled medication's status as of `date`.
pub fn scheduled(store: &Store, ctx: &Ctx, date: NaiveDate) -> Result<Vec<MedStatus>> {
    ctx.config
        .medications
        .iter()
        .map(|m| Ok(med_status(m, store.last_med(&m.name, date)?, date)))
        .collect()
}

/// What to do: the patient's action plan for the level; for `unknown`, the
/// advice that fits its cause first (docs/rules.md), then the plan's own
/// words when the patient changed them.
pub fn action_for(ctx: &Ctx, a: &Assessment) -> String {
    let plan = ctx.config.actions.for_level(a.level);
    if a.level != Level::Unknown {
        // At watch and warning the patient calls their team: say how.
        let team = &ctx.config.patient.specialist;
        return match (&team.phone, a.level) {
            (Some(phone), Level::Watch | Level::Warning) => format!(
                "{plan} Your SCLS team: {}{}.",
                team.name
                    .as_deref()
                    .map(|n| format!("{n}, "))
                    .unwrap_or_default(),
                // No-break spaces: a wrapped line never splits the number.
                phone.replace(' ', "\u{a0}")
            ),
            _ => plan.to_string(),
        };
    }
    let default = cls::config::Actions::default();
    match a.unknown_advice() {
        Some(advice) if plan == default.unknown => advice,
        Some(advice) => format!("{advice} {plan}"),
        None => plan.to_string(),
    }
}

/// "What to do: ..." with the level's colour.
pub fn action_line(level: Level, action: &str) -> String {
    let s = level_style(level);
    let b = bold();
    format!("{b}What to do{b:#} ({s}{}{s:#}): {action}", level.as_str())
}

/// One line for `cls log` and `cls status`: the level and the most serious finding.
pub fn status_line(a: &Assessment) -> String {
    let top = a.findings.iter().max_by_key(|f| f.level);
    let more = a.findings.len().saturating_sub(1);
    let detail = match top {
        Some(f) => {
            let extra = if more > 0 {
                format!(" (+{more} more)")
            } else {
                String::new()
            };
            format!(
                " — {}{extra}; 'cls check' for details",
                cls::render::sanitize(&f.message)
            )
        }
        None => String::new(),
    };
    let when = match &a.as_of {
        Some(t) => format!("{} as of {}", a.date, t.get(11..16).unwrap_or(t)),
        None => a.date.to_string(),
    };
    format!("status for {when}: {}{detail}", level_word(a.level))
}
