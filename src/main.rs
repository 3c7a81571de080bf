//! The `cls` binary: parse the command line, run it, turn the result into an
//! exit status. Errors are one line on stderr, never a panic or backtrace.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};

fn main() -> ExitCode {
    // `Cli::parse()`, but the parser's tables are left for the process exit
    // to free: dropping them cost more than a third of the parse.
    let mut command = cli::Cli::command();
    let mut matches = command.get_matches_mut();
    // Asked before the matches are taken apart below. A global argument's
    // source is carried up from the subcommand, so `cls check --config X`
    // counts as typed too.
    let config_typed = matches.value_source("config") == Some(ValueSource::CommandLine);
    let cli = cli::Cli::from_arg_matches_mut(&mut matches)
        .unwrap_or_else(|e| e.format(&mut command).exit());
    std::mem::forget((command, matches));
    match cmd::run(cli, config_typed) {
        Ok(code) => ExitCode::from(code),
        Err(err) => cmd::report_error(&err),
    }
}
