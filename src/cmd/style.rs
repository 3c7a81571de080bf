//! Colours for levels. `anstream` strips them when stdout is not a terminal
//! or `NO_COLOR` is set, so callers can always write styled text.

use anstyle::{AnsiColor, Effects, Style};
use cls::Level;

pub fn level(level: Level) -> Style {
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
    let s = level(l);
    format!("{s}{}{s:#}", l.as_str())
}

pub fn dim() -> Style {
    Style::new().effects(Effects::DIMMED)
}

pub fn bold() -> Style {
    Style::new().effects(Effects::BOLD)
}
