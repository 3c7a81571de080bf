//! The `cls` binary: parse the command line, run it, turn the result into an
//! exit status. Errors are one line on stderr, never a panic or backtrace.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => cmd::report_error(&err),
    }
}
