//! The harness every `tests/cli/*.rs` module uses: a [`TestEnv`] gives each
//! test its own temporary HOME, diary and config, a cleared environment and a
//! fixed clock, so that tests never see the developer's real diary, never
//! depend on the day they run, and can run in parallel.
//!
//! Typical use:
//!
//! ```ignore
//! let env = TestEnv::new();
//! let id = env.log(&["--weight", "68.4", "--bp", "118/76"]);
//! let before = env.diary_snapshot();
//! let err = env.usage_error(&["log", "--weight", "19"], "--weight");
//! assert!(err.contains("20–350 kg"));
//! assert_eq!(env.diary_snapshot(), before, "nothing written");
//! ```
//!
//! Running the binary: [`TestEnv::cmd`] (an `assert_cmd::Command` to adjust
//! further), [`TestEnv::run`] (the `Output`, minus the one "created a new
//! diary" note of a first write; [`TestEnv::run_raw`] keeps it), and the
//! asserting shortcuts
//! [`TestEnv::ok`], [`TestEnv::usage_error`] and [`TestEnv::runtime_error`].
//! Reading the diary back: [`TestEnv::entries`], [`TestEnv::entry`],
//! [`TestEnv::episodes`] (through `cls --json`), [`TestEnv::check`] (`cls
//! check --json`, with its exit status checked against the level; all four
//! also check the output against its JSON Schema in `docs/schema`) and
//! [`TestEnv::diary_snapshot`] (straight from SQLite, to prove "nothing
//! changed"). Writing many days: [`TestEnv::log_days`]
//! (through `cls log`, a few weeks) or [`TestEnv::seed_mornings`] (through
//! the library in one transaction, thousands of rows).

#![allow(dead_code)] // Not every module uses every helper.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Output;

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use serde_json::Value;

/// The clock every command sees unless a test changes it
/// ([`TestEnv::set_now`]): a Wednesday morning, 08:00 UTC.
pub const DEFAULT_NOW: &str = "2026-11-25T08:00:00Z";

/// The local date of [`DEFAULT_NOW`] under the default `TZ=UTC`.
pub const TODAY: &str = "2026-11-25";

/// The `cls` binary cargo built for this test run.
pub fn cls_bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_cls"))
}

/// One isolated world for `cls`: a temporary folder holding `home/`,
/// `data/diary.sqlite3` and `config.toml`, plus the environment and clock
/// given to every command. Dropping it deletes the folder.
pub struct TestEnv {
    dir: tempfile::TempDir,
    now: String,
    tz: String,
    /// Overrides applied after the defaults: `Some` sets, `None` removes.
    env: Vec<(OsString, Option<OsString>)>,
}

impl Default for TestEnv {
    fn default() -> Self {
        Self::new()
    }
}

impl TestEnv {
    /// A fresh world with an empty config file (an empty file means the
    /// built-in defaults, and keeps stderr free of the "config does not
    /// exist" note) and no diary yet: the diary's folder does not exist, so
    /// the first write must create it.
    pub fn new() -> Self {
        let env = Self::without_config();
        env.write_config("");
        env
    }

    /// Like [`TestEnv::new`] but no config file is written: `CLS_CONFIG`
    /// names a file that does not exist.
    pub fn without_config() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("cls-test-")
            .tempdir()
            .expect("create a temporary folder");
        std::fs::create_dir(dir.path().join("home")).expect("create temp HOME");
        TestEnv {
            dir,
            now: DEFAULT_NOW.to_string(),
            tz: "UTC".to_string(),
            env: Vec::new(),
        }
    }

    /// The temporary folder; put extra files here.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the temporary folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// `HOME` for every command.
    pub fn home(&self) -> PathBuf {
        self.path("home")
    }

    /// `CLS_DB` for every command (inside a folder that starts missing).
    pub fn db_path(&self) -> PathBuf {
        self.path("data/diary.sqlite3")
    }

    /// `CLS_CONFIG` for every command.
    pub fn config_path(&self) -> PathBuf {
        self.path("config.toml")
    }

    /// Change the clock (`CLS_NOW`): RFC 3339, or local `YYYY-MM-DDTHH:MM`.
    pub fn set_now(&mut self, now: &str) {
        self.now = now.to_string();
    }

    /// Change the time zone (`TZ`), e.g. `America/New_York`.
    pub fn set_tz(&mut self, tz: &str) {
        self.tz = tz.to_string();
    }

    /// Set an environment variable for every later command (overrides the
    /// defaults, e.g. `CLS_DB`).
    pub fn set_env(&mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) {
        self.env
            .push((key.as_ref().to_owned(), Some(value.as_ref().to_owned())));
    }

    /// Remove an environment variable (even a default such as `CLS_CONFIG`)
    /// for every later command.
    pub fn unset_env(&mut self, key: impl AsRef<OsStr>) {
        self.env.push((key.as_ref().to_owned(), None));
    }

    /// Write the config file (`CLS_CONFIG`), private (0600) like the one
    /// `cls config init` writes: `cls doctor` warns about one others can read.
    pub fn write_config(&self, text: &str) {
        std::fs::write(self.config_path(), text).expect("write config");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(self.config_path(), std::fs::Permissions::from_mode(0o600))
                .expect("make config private");
        }
    }

    /// A command for the real `cls` binary with a cleared environment:
    /// `HOME`, `CLS_DB`, `CLS_CONFIG`, `CLS_NOW`, `TZ=UTC`, `COLUMNS=100`,
    /// `NO_COLOR=1`, `PATH`, then the overrides; run in the temporary folder.
    /// Stdin is not a terminal.
    pub fn cmd<I, S>(&self, args: I) -> assert_cmd::Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        assert_cmd::Command::from_std(self.std_cmd(args))
    }

    /// [`TestEnv::cmd`] as a plain `std::process::Command`, for tests that
    /// need the child process itself (pipes, concurrency, signals).
    pub fn std_cmd<I, S>(&self, args: I) -> std::process::Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = std::process::Command::new(cls_bin());
        cmd.args(args);
        self.apply_env(&mut cmd);
        cmd
    }

    /// `sh -c SCRIPT` with the same environment as [`TestEnv::cmd`], and
    /// `$CLS` set to the `cls` binary: for pipelines such as
    /// `"$CLS" list --all | head -1`.
    pub fn sh(&self, script: &str) -> std::process::Command {
        let mut cmd = std::process::Command::new("sh");
        cmd.arg("-c").arg(script);
        self.apply_env(&mut cmd);
        cmd.env("CLS", cls_bin());
        cmd
    }

    fn apply_env(&self, cmd: &mut std::process::Command) {
        cmd.env_clear()
            .env("HOME", self.home())
            .env("CLS_DB", self.db_path())
            .env("CLS_CONFIG", self.config_path())
            .env("CLS_NOW", &self.now)
            .env("TZ", &self.tz)
            .env("COLUMNS", "100")
            .env("NO_COLOR", "1")
            .current_dir(self.root());
        // For `sh` and the processes it starts.
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        for (k, v) in &self.env {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
    }

    /// Run `cls ARGS` and return what happened, without asserting anything,
    /// except that the one note the first write to this world's diary gives
    /// ("cls: note: created a new diary at PATH", exactly, with
    /// [`TestEnv::db_path`] or the `--db` in ARGS) is taken out of stderr,
    /// so that every other check of stderr stays exact.
    /// [`TestEnv::run_raw`] keeps it.
    #[must_use]
    pub fn run(&self, args: &[&str]) -> Output {
        let mut out = self.run_raw(args);
        // The diary is CLS_DB's, or the one named by --db.
        let mut db = self.db_path();
        for (i, a) in args.iter().enumerate() {
            if let Some(p) = a.strip_prefix("--db=") {
                db = PathBuf::from(p);
            } else if *a == "--db" {
                if let Some(p) = args.get(i + 1) {
                    db = self.root().join(p);
                }
            }
        }
        out.stderr = without_creation_note(&out.stderr, &db);
        out
    }

    /// Run `cls ARGS` and return exactly what happened.
    #[must_use]
    pub fn run_raw(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("run cls")
    }

    /// Run `cls ARGS`, assert exit 0 and an empty stderr, return stdout.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.code() == Some(0) && out.stderr.is_empty(),
            "cls {args:?} should succeed quietly\n{}",
            describe(&out)
        );
        stdout(&out)
    }

    /// Run `cls ARGS` and assert a usage error: exit 2, nothing on stdout,
    /// and stderr exactly one line starting `cls: ` that contains `needle`
    /// (usually the flag). Returns that line (without the newline).
    #[track_caller]
    pub fn usage_error(&self, args: &[&str], needle: &str) -> String {
        let out = self.run(args);
        assert_one_line_error(&out, 2, needle, args)
    }

    /// Run `cls ARGS` and assert a runtime error: exit 1, nothing on stdout,
    /// and stderr exactly one line starting `cls: ` that contains `needle`.
    #[track_caller]
    pub fn runtime_error(&self, args: &[&str], needle: &str) -> String {
        let out = self.run(args);
        assert_one_line_error(&out, 1, needle, args)
    }

    /// Run `cls ARGS` (one shell-quoted string) on a pseudo-terminal
    /// (util-linux `script`) `COLUMNS` wide, with `TERM=xterm`, and type
    /// `chunks` into it with a pause after each, so that each lands at its
    /// own question as a person's typing would. Returns what the terminal
    /// showed.
    pub fn on_terminal(&self, args: &str, chunks: &[&str]) -> String {
        use std::io::Write as _;
        use std::process::Stdio;
        let mut child = self
            .sh(&format!(
                r#"exec script -qec "exec \"$CLS\" {args}" /dev/null"#
            ))
            .env("TERM", "xterm")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run script(1) from util-linux");
        let mut stdin = child.stdin.take().expect("stdin");
        std::thread::sleep(std::time::Duration::from_millis(800));
        for c in chunks {
            stdin.write_all(c.as_bytes()).expect("type");
            stdin.flush().expect("flush");
            std::thread::sleep(std::time::Duration::from_millis(400));
        }
        drop(stdin);
        let out = child.wait_with_output().expect("wait");
        String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
    }

    /// `cls log ARGS`, asserted to succeed; returns the new entry's id (from
    /// the confirmation line "logged entry N for ...").
    #[track_caller]
    pub fn log(&self, args: &[&str]) -> i64 {
        let mut full = vec!["log"];
        full.extend_from_slice(args);
        let out = self.ok(&full);
        logged_id(&out).unwrap_or_else(|| panic!("no 'logged entry N' in:\n{out}"))
    }

    /// Log one entry per day at 08:00 starting on `first` (`YYYY-MM-DD`):
    /// day i gets `--date first+i --time 08:00` plus `days[i]`. An empty
    /// slice skips that day (nothing logged). Returns the ids, aligned with
    /// `days` (`None` for skipped days). Each day is one `cls log` process,
    /// so keep this to a few weeks; use [`TestEnv::seed_mornings`] for more.
    ///
    /// ```ignore
    /// env.log_days("2026-11-20", &[
    ///     &["--weight", "68.0", "--bp", "118/76"],
    ///     &[],                                   // nothing on the 21st
    ///     &["--weight", "69.6", "--symptom", "thirst:2"],
    /// ]);
    /// ```
    #[track_caller]
    pub fn log_days(&self, first: &str, days: &[&[&str]]) -> Vec<Option<i64>> {
        let first = date(first);
        days.iter()
            .enumerate()
            .map(|(i, args)| {
                if args.is_empty() {
                    return None;
                }
                let d = (first + chrono::Duration::days(i as i64)).to_string();
                let mut full = vec!["--date", d.as_str(), "--time", "08:00"];
                full.extend_from_slice(args);
                Some(self.log(&full))
            })
            .collect()
    }

    /// Write one 08:00 UTC entry per day from `first`, with the given weights
    /// (kg) and a fixed 118/76 blood pressure, straight through the library
    /// in one transaction: thousands of rows in milliseconds. Stamps are UTC
    /// (offset 0), matching the default `TZ=UTC`. Creates the diary if
    /// needed. Returns the ids.
    pub fn seed_mornings(&self, first: &str, weights_kg: &[f64]) -> Vec<i64> {
        let first = date(first);
        let mut store = cls::Store::open(&self.db_path()).expect("open diary to seed");
        store
            .write("seed", |tx| {
                let mut ids = Vec::with_capacity(weights_kg.len());
                for (i, w) in weights_kg.iter().enumerate() {
                    let day = first + chrono::Duration::days(i as i64);
                    let time = NaiveTime::from_hms_opt(8, 0, 0).unwrap();
                    let stamp = cls::model::Stamp {
                        date: day,
                        time,
                        utc: Utc.from_utc_datetime(&day.and_time(time)),
                        offset_secs: 0,
                    };
                    let m = cls::Measurements {
                        weight_kg: Some(*w),
                        bp: Some(cls::model::Bp {
                            systolic: 118,
                            diastolic: 76,
                        }),
                        ..Default::default()
                    };
                    ids.push(cls::store::insert_entry(tx, &stamp, &m)?);
                }
                Ok(ids)
            })
            .expect("seed entries")
    }

    /// `cls check --json [--date DATE]`: asserts it printed one JSON object
    /// with `date`, `level` and `findings`, nothing on stderr, and an exit
    /// status that matches the level (0 ok, 10 unknown, 11 watch, 12
    /// warning, 13 emergency). Returns the object.
    #[track_caller]
    pub fn check(&self, date: Option<&str>) -> Value {
        let mut args = vec!["check", "--json"];
        if let Some(d) = date {
            args.extend(["--date", d]);
        }
        let out = self.run(&args);
        let v: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("cls {args:?}: not JSON ({e})\n{}", describe(&out)));
        assert!(out.stderr.is_empty(), "cls {args:?}\n{}", describe(&out));
        assert!(
            v["date"].is_string() && v["findings"].is_array(),
            "cls {args:?}: {v}"
        );
        let want = match v["level"].as_str() {
            Some("ok") => 0,
            Some("unknown") => 10,
            Some("watch") => 11,
            Some("warning") => 12,
            Some("emergency") => 13,
            other => panic!("cls {args:?}: unknown level {other:?}"),
        };
        assert_eq!(
            out.status.code(),
            Some(want),
            "cls {args:?}: exit status does not match the level\n{}",
            describe(&out)
        );
        crate::schema_check::assert_valid("check.schema.json", &v, "cls check --json");
        v
    }

    /// Every entry, oldest first, as `cls list --all --json` prints them.
    #[track_caller]
    pub fn entries(&self) -> Vec<Value> {
        let out = self.ok(&["list", "--all", "--json"]);
        match serde_json::from_str(&out) {
            Ok(Value::Array(v)) => {
                for e in &v {
                    crate::schema_check::assert_valid("entry.schema.json", e, "cls list --json");
                }
                v
            }
            other => panic!("cls list --json is not an array: {other:?}\n{out}"),
        }
    }

    /// One entry as `cls show ID --json` prints it.
    #[track_caller]
    pub fn entry(&self, id: i64) -> Value {
        let out = self.ok(&["show", &id.to_string(), "--json"]);
        let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("bad JSON ({e}):\n{out}"));
        crate::schema_check::assert_valid("entry.schema.json", &v, "cls show --json");
        v
    }

    /// Every episode, as `cls episode list --json` prints them.
    #[track_caller]
    pub fn episodes(&self) -> Vec<Value> {
        let out = self.ok(&["episode", "list", "--json"]);
        match serde_json::from_str(&out) {
            Ok(Value::Array(v)) => v,
            other => panic!("cls episode list --json is not an array: {other:?}\n{out}"),
        }
    }

    /// True once the diary file exists.
    pub fn diary_exists(&self) -> bool {
        self.db_path().exists()
    }

    /// The raw bytes of the diary file, or `None` when it does not exist.
    pub fn diary_bytes(&self) -> Option<Vec<u8>> {
        std::fs::read(self.db_path()).ok()
    }

    /// Every row of every table of the diary (read with SQLite directly, not
    /// through `cls`), sorted, plus the schema version: equal snapshots mean
    /// nothing was written. `None` when the diary does not exist.
    pub fn diary_snapshot(&self) -> Option<String> {
        snapshot(&self.db_path())
    }
}

/// What [`TestEnv::diary_snapshot`] does, for any SQLite file.
pub fn snapshot(path: &Path) -> Option<String> {
    if !path.exists() {
        return None;
    }
    let conn = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .expect("open diary for a snapshot");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("read user_version");
    let mut out = format!("user_version {version}\n");
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("list tables");
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let cells: Vec<String> = (0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect();
                Ok(cells.join(" | "))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.sort();
        out.push_str(&format!("[{t}] {} rows\n", rows.len()));
        for r in rows {
            out.push_str(&r);
            out.push('\n');
        }
    }
    Some(out)
}

/// The note a command gives when it creates the diary at `db`.
pub fn creation_note(db: &Path) -> String {
    format!("cls: note: created a new diary at {}\n", db.display())
}

/// `stderr` without the line [`creation_note`] (at most once: a second
/// one would be a bug the test should see).
pub fn without_creation_note(stderr: &[u8], db: &Path) -> Vec<u8> {
    let text = String::from_utf8_lossy(stderr);
    let note = creation_note(db);
    match text.find(&note) {
        Some(i) if i == 0 || text[..i].ends_with('\n') => {
            let mut rest = text[..i].to_string();
            rest.push_str(&text[i + note.len()..]);
            rest.into_bytes()
        }
        _ => stderr.to_vec(),
    }
}

/// Parse a `YYYY-MM-DD` date (panics on a bad one: it is a test typo).
pub fn date(s: &str) -> NaiveDate {
    s.parse()
        .unwrap_or_else(|e| panic!("bad test date {s:?}: {e}"))
}

/// The id in a "logged entry N for ..." confirmation.
pub fn logged_id(stdout: &str) -> Option<i64> {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("logged entry "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

/// Stdout as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Stderr as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The exit code (`None` when killed by a signal).
pub fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

/// Exit status, stdout and stderr, for assertion messages.
pub fn describe(out: &Output) -> String {
    format!(
        "[exit status: {:?}]\n--- stdout ---\n{}--- stderr ---\n{}",
        out.status.code(),
        stdout(out),
        stderr(out)
    )
}

/// Assert an error the way the contract wants it: the exit code, nothing on
/// stdout, and stderr exactly one line `cls: ...` containing `needle`.
/// Returns the line.
#[track_caller]
pub fn assert_one_line_error(out: &Output, want_code: i32, needle: &str, args: &[&str]) -> String {
    let err = stderr(out);
    let ctx = || format!("cls {args:?}\n{}", describe(out));
    assert_eq!(out.status.code(), Some(want_code), "exit code: {}", ctx());
    assert!(out.stdout.is_empty(), "stdout should be empty: {}", ctx());
    assert!(
        err.ends_with('\n') && err.matches('\n').count() == 1,
        "stderr should be exactly one line: {}",
        ctx()
    );
    assert!(
        err.starts_with("cls: "),
        "stderr should start 'cls: ': {}",
        ctx()
    );
    assert!(
        err.contains(needle),
        "stderr should contain {needle:?}: {}",
        ctx()
    );
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "no panic: {}",
        ctx()
    );
    err.trim_end().to_string()
}

/// The permission bits of a file or folder.
#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("stat {}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}
