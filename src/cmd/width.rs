//! How wide to lay out text: the one place that reads `COLUMNS` and the
//! terminal size, so every table and paragraph fits the same way.

use std::io::IsTerminal;

/// The width when there is no terminal to ask (piped, redirected, a file):
/// wide enough for a table, narrow enough to read and to print.
pub const FIXED: u16 = 100;

/// The terminal's width: `COLUMNS` if set, else the terminal's own, else
/// `None`. A width of 0 (`COLUMNS=0`, or a terminal that reports no size)
/// counts as unknown.
pub fn terminal() -> Option<u16> {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|w| *w > 0);
    columns.or_else(|| comfy_table::Table::new().width().filter(|w| *w > 0))
}

/// The width for a table or a report: the terminal's, else [`FIXED`].
pub fn layout() -> u16 {
    terminal().unwrap_or(FIXED)
}

/// The width to wrap running text to on a terminal, or `None` when stdout
/// is not one: piped text stays one line per item, for grep and scripts.
pub fn wrap() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    terminal().map(usize::from)
}
