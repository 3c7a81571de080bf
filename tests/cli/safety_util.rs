//! A small private harness for the data-safety tests (safety, faults,
//! writers, roundtrip, dst): a temporary home with its own diary and
//! config, the real `cls` binary with a clean environment and a fixed
//! clock, and helpers to look inside the diary with SQLite directly.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Output, Stdio};

use rusqlite::Connection;

pub const NOW: &str = "2026-11-25T08:00:00Z";

/// The time zone used for DST tests: the real zone when tzdata is
/// installed, else the equivalent POSIX rule (the same in 2026), so the
/// tests need no system package.
pub fn new_york() -> &'static str {
    if Path::new("/usr/share/zoneinfo/America/New_York").exists() {
        "America/New_York"
    } else {
        "EST5EDT,M3.2.0,M11.1.0"
    }
}

pub struct Env {
    pub dir: tempfile::TempDir,
    pub home: PathBuf,
    pub db: PathBuf,
    pub config: PathBuf,
    pub tz: String,
    pub now: String,
}

impl Env {
    pub fn new() -> Env {
        Env::with_tz("UTC")
    }

    pub fn with_tz(tz: &str) -> Env {
        let dir = tempfile::tempdir().expect("tempdir");
        let home = dir.path().join("home");
        fs::create_dir_all(&home).unwrap();
        let config = dir.path().join("config.toml");
        fs::write(&config, "").unwrap();
        // Private, as `cls config init` writes it (doctor warns otherwise).
        #[cfg(unix)]
        fs::set_permissions(&config, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
        Env {
            db: dir.path().join("data").join("diary.sqlite3"),
            home,
            config,
            tz: tz.to_string(),
            now: NOW.to_string(),
            dir,
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `cls` with a clean environment: temp HOME, this diary and config,
    /// a fixed clock and time zone.
    pub fn std_cmd(&self) -> StdCommand {
        let mut c = StdCommand::new(env!("CARGO_BIN_EXE_cls"));
        c.env_clear()
            .env("HOME", &self.home)
            .env("CLS_DB", &self.db)
            .env("CLS_CONFIG", &self.config)
            .env("CLS_NOW", &self.now)
            .env("TZ", &self.tz)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        c
    }

    pub fn cmd(&self) -> assert_cmd::Command {
        assert_cmd::Command::from_std(self.std_cmd())
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let out = self.std_cmd().args(args).output().expect("run cls");
        Run::from(out)
    }

    /// Run and require exit 0.
    pub fn ok(&self, args: &[&str]) -> Run {
        let r = self.run(args);
        assert_eq!(r.code, 0, "cls {args:?} failed:\n{}", r.stderr);
        r
    }

    pub fn conn(&self) -> Connection {
        Connection::open(&self.db).expect("open diary")
    }

    pub fn count(&self, table: &str) -> i64 {
        count(&self.db, table)
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Assert that stdout contains `needle`, showing stdout when it does not.
    #[track_caller]
    pub fn assert_stdout_has(&self, needle: &str) {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}:\n{}",
            self.stdout
        );
    }
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Open a diary to look inside without changing anything, and without
/// creating `-wal`/`-shm` (which a full or read-only filesystem refuses):
/// `immutable=1` when no WAL is pending, plain read-only otherwise.
pub fn look(db: &Path) -> Connection {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    let pending = fs::metadata(PathBuf::from(wal)).is_ok_and(|m| m.len() > 0);
    let abs = fs::canonicalize(db).expect("diary exists");
    let uri = format!(
        "file:{}?mode=ro{}",
        abs.display(),
        if pending { "" } else { "&immutable=1" }
    );
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI;
    let c = Connection::open_with_flags(uri, flags).expect("open");
    c.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
    c
}

/// Row count of a table, read without changing anything.
pub fn count(db: &Path, table: &str) -> i64 {
    look(db)
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .expect("count")
}

/// `PRAGMA integrity_check` is "ok".
pub fn assert_integrity(db: &Path) {
    let c = look(db);
    let r: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(r, "ok", "{}", db.display());
    let fk: i64 = c
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk, 0, "orphan rows in {}", db.display());
}

/// Notes present in the diary.
pub fn notes(db: &Path) -> Vec<String> {
    let c = look(db);
    let mut s = c
        .prepare("SELECT note FROM entry WHERE note IS NOT NULL")
        .unwrap();
    let v: Vec<String> = s
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    v
}

/// A tiny deterministic generator (xorshift), so fault tests are
/// reproducible without a dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}

/// True when this process runs as root (where chmod proves nothing).
pub fn is_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

/// A mount made by a test (tmpfs or read-only bind), unmounted on drop.
pub struct Mount {
    pub target: PathBuf,
}

impl Mount {
    /// `mount args...`; None (with the reason) when not permitted.
    pub fn new(target: &Path, args: &[&str]) -> Result<Mount, String> {
        if !is_root() {
            return Err("not running as root".into());
        }
        let out = StdCommand::new("mount")
            .args(args)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if out.status.success() {
            Ok(Mount {
                target: target.to_path_buf(),
            })
        } else {
            Err(format!(
                "mount {args:?} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }

    pub fn remount(&self, args: &[&str]) -> Result<(), String> {
        let out = StdCommand::new("mount")
            .args(args)
            .output()
            .map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = StdCommand::new("umount")
            .arg("-l")
            .arg(&self.target)
            .status();
    }
}

/// A CSV file of `n` daily entries ending at `last`, each with every kind of
/// value, and `tag` in every note so that files can be told apart.
pub fn big_csv(n: usize, tag: &str) -> String {
    let last = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let mut s = String::from(
        "date,time,weight_kg,systolic,diastolic,standing_systolic,standing_diastolic,heart_rate,urine,urine_ml,symptoms,labs,medications,note\n",
    );
    for i in 0..n {
        let d = last - chrono::Duration::days(i as i64);
        s.push_str(&format!(
            "{d},07:{:02},{:.1},{},{},{},{},{},normal,{},thirst:{};fatigue:1,hematocrit={},ivig:2g/kg,\"{tag} {i}, \"\"quoted\"\"\"\n",
            i % 60,
            60.0 + (i % 200) as f64 / 10.0,
            110 + i % 20,
            70 + i % 10,
            100 + i % 20,
            65 + i % 10,
            60 + i % 40,
            1000 + i % 900,
            i % 4,
            38 + i % 10,
        ));
    }
    s
}
