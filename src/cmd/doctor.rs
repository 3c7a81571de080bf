//! `cls doctor`: run the health checks and print each as `ok`, a warning or
//! a problem, with its fix. Exit 0 when there is no problem (warnings
//! included), 1 otherwise. It loads the config
//! itself (a broken config is one of the things it reports) and never
//! changes any file.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use chrono::{DateTime, Local};
use cls::doctor::{self, Inputs, Status};

use super::out;
use crate::cli::DoctorArgs;

pub fn doctor(
    db: &Path,
    config: &Path,
    config_explicit: bool,
    now: DateTime<Local>,
    args: &DoctorArgs,
) -> Result<u8> {
    let checks = doctor::run(&Inputs {
        db,
        config_path: config,
        config_explicit,
        today: now.date_naive(),
        now: now.into(),
    });
    let healthy = doctor::healthy(&checks);
    let mut o = anstream::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(
            &mut o,
            &serde_json::json!({"healthy": healthy, "checks": checks}),
        )?;
        writeln!(o)?;
    } else {
        let ok = anstyle::AnsiColor::Green
            .on_default()
            .effects(anstyle::Effects::BOLD);
        let bad = anstyle::AnsiColor::Red
            .on_default()
            .effects(anstyle::Effects::BOLD);
        let warn = anstyle::AnsiColor::Yellow
            .on_default()
            .effects(anstyle::Effects::BOLD);
        // On a terminal, details and fixes wrap under the detail column.
        let width = out::wrap_width();
        let wrap = |line: &str, indent| cls::render::wrap(line, 0, indent, width);
        for c in &checks {
            // Details quote the diary's rows and the config's values.
            let detail = cls::render::sanitize(&c.detail);
            let fix = c.fix.as_deref().map(cls::render::sanitize);
            let line = match c.status {
                Status::Ok => format!("{ok}ok{ok:#}       {:<12} {detail}", c.name),
                Status::Warning => format!("{warn}WARNING{warn:#}  {:<12} {detail}", c.name),
                Status::Problem => format!("{bad}PROBLEM{bad:#}  {:<12} {detail}", c.name),
            };
            writeln!(o, "{}", wrap(&line, 22))?;
            if let (Status::Warning | Status::Problem, Some(fix)) = (c.status, &fix) {
                let dim = out::dim();
                let line = format!("         {dim}{:<12}{dim:#} fix: {fix}", "");
                writeln!(o, "{}", wrap(&line, 27))?;
            }
        }
        let count = |s: Status| checks.iter().filter(|c| c.status == s).count();
        let (problems, warnings) = (count(Status::Problem), count(Status::Warning));
        let warnings_text = cls::render::count(warnings, "warning", "warnings");
        match (problems, warnings) {
            (0, 0) => writeln!(o, "all {} checks ok", checks.len())?,
            (0, _) => writeln!(o, "no problems found; {warnings_text}")?,
            (n, 0) => writeln!(o, "{n} problem{} found", if n == 1 { "" } else { "s" })?,
            (n, _) => writeln!(
                o,
                "{n} problem{} found; {warnings_text}",
                if n == 1 { "" } else { "s" }
            )?,
        }
    }
    Ok(u8::from(!healthy))
}
