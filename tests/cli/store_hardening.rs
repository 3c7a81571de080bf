//! Issue 14, the storage items: hostile or hand-edited diaries, backups and
//! paths. Every diary here is built with rusqlite the way a person with
//! `sqlite3` (or another program) could have left it; every check goes
//! through the real binary.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::support::*;

const V1: &str = include_str!("../../src/store/sql/0001_init.sql");
const V2: &str = include_str!("../../src/store/sql/0002_lab_or_med.sql");

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

fn set_version(db: &Path, v: i64) {
    Connection::open(db)
        .unwrap()
        .pragma_update(None, "user_version", v)
        .unwrap();
}

fn version(db: &Path) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

/// Files in the diary's folder whose names contain `needle`.
fn files_with(env: &TestEnv, needle: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(env.db_path().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(needle))
        .collect();
    v.sort();
    v
}

/// Run `cls ARGS`, killing it after 20 s: a hang is a failure, not a stuck
/// test run.
fn run_with_timeout(env: &TestEnv, args: &[&str]) -> std::process::Output {
    let mut child = env
        .std_cmd(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            let _ = child.wait();
            panic!("cls {args:?} hung for 20 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

// ---- item 2: a negative user_version ---------------------------------------

#[test]
fn a_negative_schema_version_is_a_damaged_diary_not_a_panic() {
    let env = TestEnv::new();
    env.log(&["--weight", "70"]);
    let bak = env.path("good.bak");
    env.ok(&["backup", bak.to_str().unwrap()]);
    set_version(&env.db_path(), -3);
    let before = env.diary_bytes();
    for args in [
        &["list"][..],
        &["check"],
        &["log", "--weight", "71"],
        &["show", "1"],
    ] {
        let line = env.runtime_error(args, "damaged");
        assert!(line.contains("-3"), "{line}");
    }
    assert_eq!(env.diary_bytes(), before, "nothing was written");
    let out = env.run(&["doctor"]);
    assert_eq!(code(&out), Some(1), "{}", describe(&out));
    let text = stdout(&out);
    assert!(
        text.lines()
            .any(|l| l.starts_with("PROBLEM") && l.contains("schema") && l.contains("-3")),
        "{text}"
    );
    // Restore takes the damaged-diary path: the bytes are kept aside.
    let out = env.ok(&["restore", bak.to_str().unwrap(), "--yes"]);
    assert!(out.contains("damaged diary is kept"), "{out}");
    assert_eq!(env.entries().len(), 1);
}

// ---- item 3: restore verifies the backup's schema --------------------------

#[test]
fn restore_refuses_a_backup_with_a_trigger_of_its_own() {
    let env = TestEnv::new();
    env.log(&["--weight", "70"]);
    let bak = env.path("hostile.bak");
    env.ok(&["backup", bak.to_str().unwrap()]);
    Connection::open(&bak)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER wipe AFTER INSERT ON entry BEGIN DELETE FROM entry; END;
             CREATE VIEW v AS SELECT * FROM entry;",
        )
        .unwrap();
    // Onto a new path: nothing is created.
    let new = env.path("new.sqlite3");
    let line = env.runtime_error(
        &[
            "restore",
            bak.to_str().unwrap(),
            "--yes",
            "--db",
            new.to_str().unwrap(),
        ],
        "trigger 'wipe'",
    );
    assert!(line.contains("never creates"), "{line}");
    assert!(!new.exists());
    // Over the diary: it is left as it was.
    let before = env.diary_snapshot();
    env.runtime_error(&["restore", bak.to_str().unwrap(), "--yes"], "trigger");
    assert_eq!(env.diary_snapshot(), before);
}

/// A backup whose `entry` table has heart_rate and urine_ml swapped: a
/// copy by position turned heart rate 70 into "urine 70 mL". cls refuses
/// the backup (its schema is not cls's), and the diary is unchanged.
#[test]
fn restore_of_a_backup_with_columns_in_another_order_is_refused() {
    let env = TestEnv::new();
    env.log(&["--weight", "71", "--hr", "60"]);
    let bak = env.path("swapped.bak");
    {
        let swapped = V1
            .replace(
                "heart_rate INTEGER CHECK (heart_rate BETWEEN 20 AND 250),",
                "@HR@",
            )
            .replace(
                "urine_ml INTEGER CHECK (urine_ml BETWEEN 0 AND 10000),",
                "heart_rate INTEGER CHECK (heart_rate BETWEEN 20 AND 250),",
            )
            .replace(
                "@HR@",
                "urine_ml INTEGER CHECK (urine_ml BETWEEN 0 AND 10000),",
            );
        assert_ne!(swapped, V1);
        let c = Connection::open(&bak).unwrap();
        c.execute_batch(&swapped).unwrap();
        c.execute_batch(V2).unwrap();
        c.execute_batch(include_str!("../../src/store/sql/0003_real_dates.sql"))
            .unwrap();
        c.pragma_update(None, "user_version", 3).unwrap();
        c.execute(
            "INSERT INTO entry (date, time, utc, utc_offset, weight_kg, heart_rate)
             VALUES ('2026-11-20', '08:00', 1795161600, 0, 70, 70)",
            [],
        )
        .unwrap();
    }
    let before = env.diary_snapshot();
    let line = env.runtime_error(&["restore", bak.to_str().unwrap(), "--yes"], "entry");
    assert!(
        line.contains("not defined the way cls defines it"),
        "{line}"
    );
    assert_eq!(env.diary_snapshot(), before);
    let e = env.entry(1);
    assert_eq!(e["heart_rate"], 60, "{e}");
}

// ---- item 5: --db on something that is not a regular file ------------------

#[cfg(unix)]
#[test]
fn a_device_as_the_diary_is_refused_and_left_alone() {
    let env = TestEnv::new();
    let before = mode(Path::new("/dev/null"));
    for args in [
        &["check", "--db", "/dev/null"][..],
        &["list", "--db", "/dev/null"],
    ] {
        env.runtime_error(args, "character device");
    }
    env.runtime_error(&["log", "--weight", "70", "--db", "/dev/null"], "/dev/null");
    assert_eq!(mode(Path::new("/dev/null")), before);
    assert!(std::fs::symlink_metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device_like());
}

#[cfg(unix)]
trait CharDevice {
    fn is_char_device_like(&self) -> bool;
}

#[cfg(unix)]
impl CharDevice for std::fs::FileType {
    fn is_char_device_like(&self) -> bool {
        std::os::unix::fs::FileTypeExt::is_char_device(self)
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_diary_is_refused_at_once() {
    let env = TestEnv::new();
    let fifo = env.path("pipe");
    let st = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(st.success());
    let f = fifo.to_str().unwrap();
    for args in [
        &["check", "--db", f][..],
        &["log", "--weight", "70", "--db", f],
        &["backup", "--db", f],
    ] {
        let out = run_with_timeout(&env, args);
        assert_one_line_error(&out, 1, "FIFO", args);
    }
    let out = run_with_timeout(&env, &["doctor", "--db", f]);
    assert_eq!(code(&out), Some(1), "{}", describe(&out));
    assert!(stdout(&out).contains("FIFO"), "{}", describe(&out));
    // A FIFO as the backup to restore is refused too.
    let out = run_with_timeout(&env, &["restore", f, "--yes"]);
    assert_eq!(code(&out), Some(1), "{}", describe(&out));
}

// ---- item 6: links are never followed when tightening ----------------------

#[cfg(unix)]
#[test]
fn a_planted_wal_link_is_refused_and_its_target_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    env.log(&["--weight", "70"]);
    let victim = env.path("someone-elses.txt");
    std::fs::write(&victim, "not the patient's").unwrap();
    std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o644)).unwrap();
    let wal = sibling(&env.db_path(), "-wal");
    assert!(!wal.exists());
    std::os::unix::fs::symlink(&victim, &wal).unwrap();
    for args in [&["list"][..], &["check"], &["log", "--weight", "71"]] {
        env.runtime_error(args, "symbolic link");
    }
    assert_eq!(mode(&victim), 0o644);
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "not the patient's"
    );
    let out = env.run(&["doctor"]);
    assert!(
        stdout(&out)
            .lines()
            .any(|l| l.starts_with("PROBLEM") && l.contains("-wal is a symbolic link")),
        "{}",
        describe(&out)
    );
    std::fs::remove_file(&wal).unwrap();
    assert_eq!(env.entries().len(), 1);
}

#[cfg(unix)]
#[test]
fn doctor_flags_a_folder_others_can_write_and_a_config_others_can_read() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    env.log(&["--weight", "70"]);
    env.ok(&["backup"]);
    let dir = env.db_path().parent().unwrap().to_path_buf();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o733)).unwrap();
    std::fs::set_permissions(env.config_path(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = env.run(&["doctor"]);
    let text = stdout(&out);
    assert_eq!(code(&out), Some(1), "{}", describe(&out));
    assert!(
        text.lines()
            .any(|l| l.starts_with("PROBLEM")
                && l.contains("others can write to the diary's folder")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("WARNING") && l.contains("others can read your config")),
        "{text}"
    );
}

// ---- item 8: hand-edited impossible dates ----------------------------------

/// A schema-2 diary with good entries 1 and 4, entry 2 on 2026-02-30,
/// entry 3 at 29:59, entry 5 on 2026-19-39 and episode 1 from 2026-02-30.
fn diary_with_impossible_dates(db: &Path) {
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    let c = Connection::open(db).unwrap();
    c.execute_batch(V1).unwrap();
    c.execute_batch(V2).unwrap();
    c.execute_batch(
        "PRAGMA user_version = 2;
         INSERT INTO entry (id, date, time, utc, utc_offset, weight_kg) VALUES
            (1, '2026-11-23', '08:00', 1795420800, 0, 70),
            (2, '2026-02-30', '08:00', 1795507200, 0, 71),
            (3, '2026-11-24', '29:59', 1795507200, 0, 72),
            (4, '2026-11-25', '08:00', 1795593600, 0, 70.5),
            (5, '2026-19-39', '08:00', 1795593600, 0, 70.5);
         INSERT INTO symptom (entry_id, name, severity) VALUES (2, 'thirst', 2);
         INSERT INTO episode (id, start_date, hospitalized) VALUES (1, '2026-02-30', 1);",
    )
    .unwrap();
}

#[test]
fn impossible_dates_are_kept_skipped_and_reported_by_id() {
    let env = TestEnv::new();
    diary_with_impossible_dates(&env.db_path());
    // Every read works on the rest and names each skipped row on stderr.
    let out = env.run(&["check"]);
    assert!(
        matches!(code(&out), Some(0 | 10..=13)),
        "check still judges: {}",
        describe(&out)
    );
    let once = |out: &std::process::Output, needle: &str| {
        assert_eq!(
            stderr(out)
                .lines()
                .filter(|l| l.starts_with("cls: ") && l.contains(needle))
                .count(),
            1,
            "{needle}\n{}",
            describe(out)
        );
    };
    // check reads its window: the row in it that cannot be read, and the
    // episodes.
    once(
        &out,
        "entry 3 cannot be read (its time '29:59' is not a real time)",
    );
    once(
        &out,
        "episode 1 cannot be read (its start date '2026-02-30'",
    );
    // The migration to the current version kept them (and made its backup).
    assert_eq!(version(&env.db_path()), cls::store::SCHEMA_VERSION);
    assert_eq!(files_with(&env, ".schema-v2-").len(), 1);
    let out = env.run(&["list", "--all", "--json"]);
    assert_eq!(code(&out), Some(0), "{}", describe(&out));
    once(
        &out,
        "entry 2 cannot be read (its date '2026-02-30' is not a real date)",
    );
    once(&out, "entry 3 cannot be read");
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2);
    // Doctor lists each.
    let out = env.run(&["doctor"]);
    let text = stdout(&out);
    assert!(
        text.contains(
            "3 entries with an impossible date or time, which every command leaves out: 2, 3, 5"
        ),
        "{text}"
    );
    assert!(text.contains("1 episode with an impossible date"), "{text}");
    // show explains in one line; delete works.
    let line = env.runtime_error(&["show", "5"], "'2026-19-39' is not a real date");
    assert!(line.contains("cls delete 5"), "{line}");
    for id in ["2", "3", "5"] {
        let out = env.run(&["delete", id, "--yes"]);
        assert_eq!(code(&out), Some(0), "{}", describe(&out));
        assert!(
            stdout(&out).contains(&format!("deleted entry {id} (unreadable")),
            "{}",
            describe(&out)
        );
    }
    env.ok(&["episode", "delete", "1", "--yes"]);
    assert!(env.run(&["check"]).stderr.is_empty());
    // From v3 on the schema refuses such rows.
    let c = Connection::open(env.db_path()).unwrap();
    for sql in [
        "INSERT INTO entry (date, time, utc, utc_offset) VALUES ('2026-02-30', '08:00', 0, 0)",
        "INSERT INTO entry (date, time, utc, utc_offset) VALUES ('2026-02-28', '24:00', 0, 0)",
        "UPDATE entry SET date = '2026-19-39' WHERE id = 1",
        "INSERT INTO episode (start_date) VALUES ('2026-04-31')",
    ] {
        assert!(c.execute(sql, []).is_err(), "{sql}");
    }
}

// ---- item 9: a schema version that does not describe the tables ------------

#[test]
fn a_version_1_label_on_current_tables_is_explained_once_without_backups() {
    let env = TestEnv::new();
    env.log(&["--weight", "70"]);
    set_version(&env.db_path(), 1);
    let before = env.diary_bytes();
    for _ in 0..2 {
        let line = env.runtime_error(&["list"], "says schema version 1");
        let current = format!(
            "exactly those of schema version {}",
            cls::store::SCHEMA_VERSION
        );
        assert!(line.contains(&current), "{line}");
        assert!(line.len() < 400, "{line}");
    }
    assert_eq!(env.diary_bytes(), before);
    assert_eq!(
        files_with(&env, ".bak"),
        Vec::<String>::new(),
        "no copies left"
    );
    let out = env.run(&["doctor"]);
    assert!(
        stdout(&out)
            .lines()
            .any(|l| l.starts_with("PROBLEM") && l.contains("schema")),
        "{}",
        describe(&out)
    );
}

#[test]
fn tables_without_a_schema_version_are_explained_in_one_short_line() {
    let env = TestEnv::new();
    env.log(&["--weight", "70"]);
    set_version(&env.db_path(), 0);
    let line = env.runtime_error(&["log", "--weight", "71"], "no schema version");
    assert!(line.len() < 400, "{} chars: {line}", line.len());
    assert!(!line.contains("CREATE TABLE"), "{line}");
    assert_eq!(files_with(&env, ".bak"), Vec::<String>::new());
}

// ---- item 11: restore leaves nothing beside its source ---------------------

#[test]
fn restore_leaves_no_wal_or_shm_beside_its_source() {
    let env = TestEnv::new();
    env.log(&["--weight", "70"]);
    // A plain copy of a diary: a WAL-mode file, as a USB copy would be.
    let copy = env.path("copy.sqlite3");
    std::fs::copy(env.db_path(), &copy).unwrap();
    let c = copy.to_str().unwrap();
    let other = env.path("other/diary.sqlite3");
    env.ok(&["restore", c, "--yes", "--db", other.to_str().unwrap()]);
    env.log(&["--weight", "71"]);
    env.ok(&["restore", c, "--yes"]);
    for s in ["-wal", "-shm", "-journal"] {
        assert!(!sibling(&copy, s).exists(), "{s} left beside the source");
    }
    assert_eq!(env.entries().len(), 1);
}

// ---- issue 17: cls log checks every page once per logical day --------------

/// The logical day of `cls log`'s last full page check, as recorded.
fn pages_checked(db: &Path) -> Option<String> {
    Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT value FROM meta WHERE key = 'pages_checked'",
            [],
            |r| r.get(0),
        )
        .ok()
}

/// `cls log` reads every page before its first write of a logical day
/// (and records the day with that write); later logs that day check only
/// the header, the length and the pages the write itself reads. Damage on
/// an old page is therefore refused again on the next logical day, before
/// anything is written, and never written over meanwhile.
#[test]
fn log_checks_every_page_again_on_a_new_logical_day() {
    let mut env = TestEnv::new();
    let db = env.db_path();
    // Nine years of mornings, made through the library (no check recorded).
    env.seed_mornings("2017-11-01", &[70.0; 3300]);
    assert_eq!(pages_checked(&db), None);
    env.set_now("2026-11-25T08:00:00Z");
    env.log(&["--weight", "70.2"]);
    assert_eq!(pages_checked(&db).as_deref(), Some("2026-11-25"));
    env.set_now("2026-11-25T12:00:00Z");
    env.log(&["--weight", "70.3"]);
    assert_eq!(pages_checked(&db).as_deref(), Some("2026-11-25"));

    // Fold the WAL into the file, then zero the page that holds the
    // second morning's date: years older than anything a log reads.
    Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    let mut bytes = std::fs::read(&db).unwrap();
    let page = 4096;
    let hit = bytes
        .chunks(page)
        .enumerate()
        .skip(1)
        .find(|(_, p)| p.windows(10).any(|w| w == b"2017-11-02"))
        .map(|(i, _)| i)
        .expect("a page with an old date");
    bytes[hit * page..(hit + 1) * page].fill(0);
    std::fs::write(&db, &bytes).unwrap();

    // Still the same logical day: the write reads none of that page, and
    // leaves it as it is.
    env.set_now("2026-11-25T18:00:00Z");
    env.log(&["--weight", "70.4"]);
    Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    let now = std::fs::read(&db).unwrap();
    assert!(
        now[hit * page..(hit + 1) * page].iter().all(|&b| b == 0),
        "the damaged page was written over"
    );

    // The next logical day: every page is read first, and nothing is
    // written. (The same log went through a moment ago with the same
    // damage: what refuses it now is the day's full check.)
    env.set_now("2026-11-26T08:00:00Z");
    let before = std::fs::read(&db).unwrap();
    let out = env.run(&["log", "--weight", "70.5"]);
    let line = assert_one_line_error(&out, 1, "cls doctor", &["log", "--weight", "70.5"]);
    assert!(line.contains("is not a cls diary or is damaged"), "{line}");
    assert_eq!(std::fs::read(&db).unwrap(), before, "the diary changed");
    assert_eq!(pages_checked(&db).as_deref(), Some("2026-11-25"));
}
