//! Command orchestration: resolve paths, the clock and the config once, then
//! one `match` over the subcommands. Each subcommand lives in its own file.

// One file per command; none imports another.
mod ack;
mod backup;
mod card;
mod check;
mod demo;
mod doctor;
mod entries;
mod episode;
mod export;
mod hooks;
mod import;
mod log;
mod meds;
mod misc;
mod remind;
mod report;
mod rules;
mod status;
mod tune;

// What commands share: passphrases and keys for encrypted copies (crypt),
// the daily loop of check, log, ack, status and remind (daily), output
// helpers (out), and questions on a terminal (prompt).
mod crypt;
mod daily;
mod out;
mod prompt;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, TimeZone};
use cls::input::{self, InputError};
use cls::{Config, Store};

use crate::cli::{Cli, Command, ConfigCommand, Lazy, RulesArgs, RulesCommand};

/// A usage error found after parsing (exit 2, like clap's own).
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

pub fn usage(msg: impl Into<String>) -> anyhow::Error {
    anyhow!(UsageError(msg.into()))
}

/// Everything a command needs, resolved once: where the files are, the
/// config, and "now".
#[derive(Clone)]
pub struct Ctx {
    pub db: PathBuf,
    pub config_path: PathBuf,
    pub config: Config,
    pub now: DateTime<Local>,
    /// Why the config could not be loaded, for `cls log` only (which then
    /// runs on the built-in defaults, see log.rs); every other command
    /// stops at a broken config.
    pub config_error: Option<std::sync::Arc<anyhow::Error>>,
    /// The diary was made by `cls demo` (set by [`Ctx::for_diary`]).
    pub synthetic: bool,
}

impl Ctx {
    /// This context for reading `store`. For a diary `cls demo` made, it is
    /// marked synthetic and leaves out the patient's identity, contacts and
    /// instructions from the config (docs/rules.md, "The demo diary"): a
    /// demo's outputs never print a real name, phone number or action plan
    /// over invented vitals.
    pub fn for_diary(&self, store: &Store) -> Result<std::borrow::Cow<'_, Ctx>> {
        if !store.is_synthetic()? {
            return Ok(std::borrow::Cow::Borrowed(self));
        }
        let mut ctx = self.clone();
        ctx.config.patient = cls::config::Patient::default();
        ctx.config.actions = cls::config::Actions::default();
        ctx.synthetic = true;
        Ok(std::borrow::Cow::Owned(ctx))
    }

    /// The logical today (docs/rules.md): before `day_starts_at` (04:00),
    /// the calendar's yesterday. Relative dates (`today`, `yesterday`,
    /// `-3d`) count from it.
    pub fn today(&self) -> NaiveDate {
        self.rules_now().day(&self.config.rules)
    }

    /// The calendar date of now (what an entry logged now is stamped with).
    pub fn calendar_today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    /// "Now" as the rules read it.
    pub fn rules_now(&self) -> cls::rules::Now {
        cls::rules::Now {
            local: self.now.naive_local(),
            utc: self.now.with_timezone(&chrono::Utc),
        }
    }

    /// A `--date` for judging (check, card): the logical today at the
    /// latest; a later one is a usage error that says until when.
    pub fn judged_date(&self, flag: &str, value: Option<&str>) -> Result<NaiveDate> {
        let date = self.date(flag, value)?;
        let today = self.today();
        if date > today {
            let start = self.config.rules.day_start;
            let until = if self.calendar_today() > today {
                format!(" (your day starts at {start}: until then, today is still {today})")
            } else {
                String::new()
            };
            return Err(usage(format!(
                "{flag}: {date} is in the future; the latest day that can be judged is today, {today}{until}"
            )));
        }
        Ok(date)
    }

    /// Parse an optional date flag, defaulting to today.
    pub fn date(&self, flag: &str, value: Option<&str>) -> Result<NaiveDate> {
        match value {
            None => Ok(self.today()),
            Some(v) => Ok(input::parse_date(flag, v, self.today())?),
        }
    }

    /// Resolve `--from`/`--to`/`--last` once for every command that takes a
    /// range: `--to` defaults to today; without `--from` or `--last`, the
    /// range is the last `default_days` (or open at the start when `None`).
    pub fn range(
        &self,
        from: Option<&str>,
        to: Option<&str>,
        last: Option<&str>,
        default_days: Option<i64>,
    ) -> Result<(Option<NaiveDate>, NaiveDate)> {
        let to = self.date("--to", to)?;
        let days_back = |days: i64| to - chrono::Duration::days(days - 1);
        let from = match (from, last) {
            (Some(f), _) => Some(input::parse_date("--from", f, self.today())?),
            (None, Some(l)) => Some(input::parse_span("--last", l)?.start(to)),
            (None, None) => default_days.map(days_back),
        };
        if let Some(f) = from.filter(|f| *f > to) {
            return Err(usage(format!("--from: {f} is after --to {to}")));
        }
        Ok((from, to))
    }

    /// Open the diary for writing, creating it on first use. Creating it
    /// is said once, on stderr: a mistyped `--db` or `CLS_DB` must not
    /// silently start a second diary.
    pub fn open_write(&self) -> Result<Store> {
        self.open_writing(Store::open)
    }

    /// [`Ctx::open_write`] for `cls log`: the full page check at most once
    /// per logical day ([`Store::open_for_day`]), so that logging stays as
    /// quick on ten years as on one month.
    pub fn open_log(&self) -> Result<Store> {
        self.open_writing(|db| Store::open_for_day(db, self.today()))
    }

    fn open_writing(&self, open: impl FnOnce(&Path) -> cls::store::Result<Store>) -> Result<Store> {
        let existed = std::fs::symlink_metadata(&self.db).is_ok();
        let store = open(&self.db)?;
        if !existed {
            let _ = writeln!(
                io::stderr(),
                "cls: note: created a new diary at {}",
                self.db.display()
            );
        }
        Ok(store)
    }

    /// Open the diary for a command that shows or copies it (list, report,
    /// export, card): a missing diary reads as empty, and says so on
    /// stderr, like `cls check`, so that a mistyped `--db` is not taken
    /// for an empty diary. (Stderr, because stdout may be CSV or JSON.)
    pub fn open_to_show(&self) -> Result<Store> {
        if std::fs::symlink_metadata(&self.db).is_err() {
            let _ = writeln!(
                io::stderr(),
                "cls: note: no diary at {} yet; 'cls log' creates it ('cls paths' shows where cls looks)",
                self.db.display()
            );
        }
        self.open_read()
    }

    /// Open the diary to change rows that must already exist (edit, delete,
    /// episode end): a missing diary reads as empty, so the command fails
    /// with "no such id" instead of creating an empty diary as a side effect.
    pub fn open_modify(&self) -> Result<Store> {
        if self.db.exists() {
            self.open_write()
        } else {
            self.open_read()
        }
    }

    /// Open the diary for reading; a missing diary reads as empty and is not
    /// created.
    pub fn open_read(&self) -> Result<Store> {
        Ok(Store::open_or_empty(&self.db)?)
    }

    /// Refuse an `--output` that is the diary, one of its side files or any
    /// SQLite database ([`cls::outfile::check`]), before any work is done.
    /// `None` means standard output.
    pub fn check_output(&self, output: Option<&Path>) -> Result<Option<cls::outfile::Target>> {
        output
            .map(|out| {
                cls::outfile::check(out, &self.db).map_err(|e| usage(format!("--output {e}")))
            })
            .transpose()
    }
}

/// The global flags as the patient gave them (flag or environment
/// variable), before any default is filled in.
pub struct Given {
    pub db: Option<PathBuf>,
    pub config: Option<PathBuf>,
    /// `--config` was on the command line (not only in `CLS_CONFIG`): only
    /// then must the file exist.
    pub config_typed: bool,
}

/// Run one command. `config_typed`: `--config` was typed on the command
/// line (clap's `ValueSource::CommandLine`), not only set in `CLS_CONFIG`.
pub fn run(cli: Cli, config_typed: bool) -> Result<u8> {
    let Cli {
        db,
        config,
        command,
    } = cli;
    let given = Given {
        db,
        config,
        config_typed,
    };
    match command {
        // Needs neither the diary nor the config.
        Command::Completions { shell } => misc::completions(shell).map(|()| 0),
        Command::Man { subcommand } => misc::man(&subcommand),
        // The prompt token never prints an error message: `cls:?` instead.
        Command::Status(a) if a.prompt => Ok(status::prompt(&given, &a)),
        // Only the paths.
        Command::Paths { json } => {
            let (db, config_path, _) = resolve_paths(&given)?;
            misc::paths(&db, &config_path, json).map(|()| 0)
        }
        Command::Config(ConfigCommand::Path) => {
            let (_, config_path, _) = resolve_paths(&given)?;
            writeln!(io::stdout(), "{}", config_path.display())?;
            Ok(0)
        }
        Command::Config(ConfigCommand::Init { force }) => {
            let (db, config_path, _) = resolve_paths(&given)?;
            misc::config_init(&config_path, &db, force).map(|()| 0)
        }
        // Doctor reads the config itself, so that a broken one is reported
        // rather than stopping it.
        Command::Doctor(a) => {
            let (db, config_path, explicit) = resolve_paths(&given)?;
            doctor::doctor(&db, &config_path, explicit, now()?, &a)
        }
        // A typo in the config must not cost a morning entry: `log` still
        // saves it, then reports the error (log.rs).
        Command::Log(a) => with_ctx(&given, BrokenConfig, |c| log::log(c, &a)),
        Command::Check(a) => with_ctx(&given, Strict, |c| check::check(c, &a)),
        Command::Status(a) => with_ctx(&given, Strict, |c| status::status(c, &a)),
        Command::Ack(a) => with_ctx(&given, Strict, |c| ack::ack(c, &a)),
        Command::Remind(a) => with_ctx(&given, Strict, |c| remind::remind(c, &given, &a)),
        Command::Hooks(h) => with_ctx(&given, Strict, |c| hooks::run(c, h)),
        Command::Report(a) => with_ctx(&given, Strict, |c| report::report(c, &a)),
        Command::Card(a) => with_ctx(&given, Strict, |c| card::card(c, &a)),
        Command::Meds(a) => with_ctx(&given, Strict, |c| meds::meds(c, &a)),
        Command::List(a) => with_ctx(&given, Strict, |c| entries::list(c, &a)),
        // `show` and `delete` of an unreadable row say so themselves.
        Command::Show(a) => with_ctx(&given, Named("entry", a.id), |c| entries::show(c, &a)),
        Command::Edit(a) => with_ctx(&given, Strict, |c| log::edit(c, &a)),
        Command::Delete(a) => with_ctx(&given, Named("entry", a.id), |c| entries::delete(c, &a)),
        Command::Episode(e) => {
            let named = match &e {
                crate::cli::EpisodeCommand::Delete { id, .. } => Named("episode", *id),
                _ => Strict,
            };
            with_ctx(&given, named, |c| episode::run(c, e))
        }
        Command::Rules(Lazy(RulesArgs {
            command: Some(RulesCommand::Tune(a)),
            ..
        })) => with_ctx(&given, Strict, |c| tune::tune(c, &a)),
        Command::Rules(a) => with_ctx(&given, Strict, |c| rules::rules(c, &a)),
        Command::Symptoms { json } => with_ctx(&given, Strict, |c| misc::symptoms(c, json)),
        Command::Config(ConfigCommand::Show { json }) => {
            with_ctx(&given, Strict, |c| misc::config_show(c, json))
        }
        Command::Export(a) => with_ctx(&given, Strict, |c| export::export(c, &a)),
        Command::Import(a) => with_ctx(&given, Strict, |c| import::import(c, &a)),
        Command::Backup(a) => with_ctx(&given, Strict, |c| backup::backup(c, &a)),
        Command::Restore(a) => with_ctx(&given, Strict, |c| backup::restore(c, &a)),
        Command::Demo(a) => with_ctx(&given, Strict, |c| demo::demo(c, &a)),
    }
}

/// What [`with_ctx`] lets pass that would otherwise be reported.
enum Tolerate {
    /// Nothing.
    Strict,
    /// A config that cannot be loaded: the command runs on the built-in
    /// defaults and gets the error in [`Ctx::config_error`] (`cls log`).
    BrokenConfig,
    /// An unreadable row the command names itself (`show`, `delete`).
    Named(&'static str, i64),
}
use Tolerate::{BrokenConfig, Named, Strict};

/// Resolve the paths, the clock and the config, run `command` on them, then
/// report the rows a read had to skip.
fn with_ctx(
    given: &Given,
    tolerate: Tolerate,
    command: impl FnOnce(&Ctx) -> Result<u8>,
) -> Result<u8> {
    let (db, config_path, explicit_config) = resolve_paths(given)?;
    let now = now()?;
    let (config, config_error) = match load_config(&config_path, explicit_config, now.date_naive())
    {
        Ok(c) => (c, None),
        Err(e) if matches!(tolerate, BrokenConfig) => {
            (Config::default(), Some(std::sync::Arc::new(e)))
        }
        Err(e) => return Err(e),
    };
    let ctx = Ctx {
        db,
        config_path,
        config,
        now,
        config_error,
        synthetic: false,
    };
    let result = command(&ctx);
    // Rows a read had to skip (a hand-edited impossible date): one line
    // each, whatever the command, so that nothing is left out silently.
    let named = match tolerate {
        Named(table, id) => Some((table, id)),
        _ => None,
    };
    let mut err = io::stderr().lock();
    for u in cls::store::unreadable_rows() {
        if Some((u.table, u.id)) != named {
            let _ = writeln!(err, "cls: {u}");
        }
    }
    result
}

/// Flag beats environment variable beats the platform default. The third
/// value: the config path was typed as `--config` (so the file must exist).
fn resolve_paths(given: &Given) -> Result<(PathBuf, PathBuf, bool)> {
    let dirs = || {
        // Without HOME, `directories` falls back to the password database,
        // which can silently put a patient's diary somewhere unexpected.
        #[cfg(unix)]
        if std::env::var_os("HOME").is_none_or(|h| h.is_empty()) {
            return Err(anyhow!(
                "HOME is not set, so cls cannot find your data folder; set HOME, or give --db and --config"
            ));
        }
        directories::ProjectDirs::from("", "", "cls").ok_or_else(|| {
            anyhow!("cannot find your home folder to keep the diary in; set HOME, or give --db and --config")
        })
    };
    let db = match &given.db {
        Some(p) if p.as_os_str().is_empty() => return Err(usage("--db: the path is empty")),
        Some(p) => p.clone(),
        None => dirs()?.data_dir().join("diary.sqlite3"),
    };
    let (config, explicit) = match &given.config {
        Some(p) if p.as_os_str().is_empty() => return Err(usage("--config: the path is empty")),
        // Only a path typed as --config must exist; CLS_CONFIG may name a
        // file not yet written (load_config says so on stderr).
        Some(p) => (p.clone(), given.config_typed),
        None => (dirs()?.config_dir().join("config.toml"), false),
    };
    Ok((db, config, explicit))
}

/// A missing default config means built-in defaults; a missing file the
/// user named is an error.
fn load_config(path: &Path, explicit: bool, today: NaiveDate) -> Result<Config> {
    match Config::load_as_of(path, Some(today))? {
        Some(c) => Ok(c),
        None if explicit => Err(anyhow!(
            "config {}: no such file (run 'cls config init --config {}' to create one)",
            path.display(),
            path.display()
        )),
        None => {
            if std::env::var_os("CLS_CONFIG").is_some() {
                let _ = writeln!(
                    io::stderr(),
                    "cls: note: config {} (from CLS_CONFIG) does not exist; using the built-in defaults",
                    path.display()
                );
            }
            Ok(Config::default())
        }
    }
}

/// The current time, or `CLS_NOW` (RFC 3339, or a local
/// `YYYY-MM-DDTHH:MM[:SS]`): part of the contract, for tests, acceptance
/// scenarios and scripts. Text output on a terminal says so once on stderr,
/// so that a stale `CLS_NOW` left in a shell is noticed. Not when stderr is
/// captured (scripts, tests): there it would turn every one-line error into
/// two lines. Nor with JSON output.
fn now() -> Result<DateTime<Local>> {
    let Ok(v) = std::env::var("CLS_NOW") else {
        return Ok(Local::now());
    };
    if io::stderr().is_terminal() && !json_output() {
        let _ = writeln!(
            io::stderr(),
            "cls: note: clock fixed by CLS_NOW={} (unset it)",
            cls::render::sanitize(&v)
        );
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(&v) {
        return Ok(t.with_timezone(&Local));
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(&v, fmt) {
            return Local
                .from_local_datetime(&n)
                .earliest()
                .ok_or_else(|| anyhow!("CLS_NOW: {v} does not exist in the local time zone"));
        }
    }
    Err(anyhow!("CLS_NOW: cannot parse '{v}'"))
}

/// True when the command prints JSON (`--json`, `--format json`) or a
/// prompt token (`--prompt`, which runs with every shell prompt).
fn json_output() -> bool {
    // args_os: an argument that is not UTF-8 must not panic here (the
    // prompt token would print a backtrace); such an argument is no flag.
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    args.iter().enumerate().any(|(i, a)| {
        a == "--json"
            || a == "--prompt"
            || a == "--format=json"
            || (a == "--format" && args.get(i + 1).is_some_and(|v| v == "json"))
    })
}

/// Ask yes/no on a terminal. Without a terminal the answer is "no", and the
/// caller says to use --yes.
pub fn confirm(question: &str) -> Result<bool> {
    if !io::stdin().is_terminal() {
        return Ok(false);
    }
    prompt::Prompter::new()?.confirm(question)
}

/// An error and its causes as one line, `context: cause: cause`, like
/// anyhow's `{:#}`, but a cause that its context already quotes at its end
/// (`diary D: open: disk I/O error` over `disk I/O error`) is not repeated.
fn one_line(err: &anyhow::Error) -> String {
    let mut msg = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if msg.ends_with(&format!(": {text}")) {
            continue;
        }
        if !msg.is_empty() {
            msg.push_str(": ");
        }
        msg.push_str(&text);
    }
    msg.replace('\n', " ")
}

/// Print an error as one line and pick the exit status: 2 for bad input,
/// 0 (silently) for a closed pipe, 1 otherwise.
pub fn report_error(err: &anyhow::Error) -> ExitCode {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<io::Error>() {
            if e.kind() == io::ErrorKind::BrokenPipe {
                return ExitCode::SUCCESS;
            }
        }
        if let Some(e) = cause.downcast_ref::<serde_json::Error>() {
            if e.io_error_kind() == Some(io::ErrorKind::BrokenPipe) {
                return ExitCode::SUCCESS;
            }
        }
    }
    let is_usage = err
        .chain()
        .any(|c| c.is::<InputError>() || c.is::<UsageError>());
    // Errors quote files (an import's cells and headers, a config's text)
    // and paths: never let them send escapes to the terminal.
    let _ = writeln!(
        io::stderr(),
        "cls: {}",
        cls::render::sanitize(&one_line(err))
    );
    ExitCode::from(if is_usage { 2 } else { 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_is_one_line_and_says_each_cause_once() {
        let io = io::Error::new(io::ErrorKind::ReadOnlyFilesystem, "Read-only file system");
        let store = cls::store::StoreError::Io {
            path: "/m/diary.sqlite3".into(),
            action: "make private (chmod 600)",
            source: io,
        };
        let err = anyhow::Error::new(store).context("cannot open\nthe diary");
        assert_eq!(
            one_line(&err),
            "cannot open the diary: diary /m/diary.sqlite3: make private (chmod 600): \
             Read-only file system"
        );
        let plain = anyhow::anyhow!("disk full").context("write entry");
        assert_eq!(one_line(&plain), "write entry: disk full");
    }
}
