//! `cls demo`: the span and counts it promises, determinism by seed, refusal
//! to touch an existing file, and data that `cls log` itself would accept.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// A private test environment (tests/cli/support.rs is being written on
/// another branch): an empty HOME, fixed clock and time zone, and the diary
/// and config inside a temporary folder.
struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("diary.sqlite3")
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_cls"));
        c.env_clear()
            .env("HOME", self.dir.path())
            .env("CLS_DB", self.db())
            .env("CLS_CONFIG", self.dir.path().join("config.toml"))
            .env("CLS_NOW", "2026-11-25T08:00:00Z")
            .env("TZ", "UTC")
            .args(args);
        c
    }

    fn stdout(&self, args: &[&str]) -> String {
        let out = self
            .cmd(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.stdout(args)).unwrap()
    }
}

fn files_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_one_day_demo_says_one_entry() {
    let env = Env::new();
    let out = env.stdout(&["demo", "--days", "1"]);
    assert_eq!(
        out.lines().next().unwrap(),
        format!(
            "wrote 1 entry and 0 episodes, 2026-11-25 to 2026-11-25, to {}",
            env.db().display()
        )
    );
}

#[test]
fn a_short_span_has_a_morning_entry_most_days() {
    let env = Env::new();
    let out = env.stdout(&["demo", "--days", "30"]);
    let entries = env.json(&["list", "--all", "--json"]);
    let entries = entries.as_array().unwrap();
    let first_line = out.lines().next().unwrap();
    assert_eq!(
        first_line,
        format!(
            "wrote {} entries and 0 episodes, 2026-10-27 to 2026-11-25, to {}",
            entries.len(),
            env.db().display()
        )
    );
    assert!(
        out.contains(&format!("cls check --db {}", env.db().display())),
        "{out}"
    );
    assert!(out.contains("cls check --backtest --db"), "{out}");
    let days: BTreeSet<&str> = entries
        .iter()
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    // About a tenth of days are missed (docs/rules.md), never the first
    // or the last.
    assert!((24..=30).contains(&days.len()), "{}", days.len());
    assert_eq!(days.first(), Some(&"2026-10-27"));
    assert_eq!(days.last(), Some(&"2026-11-25"));
    let weighed = entries
        .iter()
        .filter(|e| e["weight_kg"].is_number())
        .count();
    assert!((22..=30).contains(&weighed), "{weighed} weighed days");
}

#[test]
fn a_year_spans_its_days_and_its_episodes() {
    let env = Env::new();
    let out = env.stdout(&["demo", "--years", "1", "--end", "2026-06-30"]);
    let entries = env.json(&["list", "--all", "--json"]);
    let days: BTreeSet<&str> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    assert!((310..=365).contains(&days.len()), "{}", days.len());
    assert_eq!(days.first(), Some(&"2025-07-01"));
    assert_eq!(days.last(), Some(&"2026-06-30"));
    let episodes = env.json(&["episode", "list", "--json"]);
    let n = episodes.as_array().unwrap().len();
    assert!((0..=3).contains(&n), "{n} episodes in a year");
    assert!(out.contains(&format!(" and {n} episode")), "{out}");
    assert!(out.contains("2025-07-01 to 2026-06-30"), "{out}");
}

#[test]
fn the_same_seed_gives_the_same_diary() {
    let (a, b, c) = (Env::new(), Env::new(), Env::new());
    a.stdout(&["demo", "--days", "200", "--seed", "9"]);
    b.stdout(&["demo", "--days", "200", "--seed", "9"]);
    c.stdout(&["demo", "--days", "200", "--seed", "10"]);
    let list = |e: &Env| e.stdout(&["list", "--all", "--json"]);
    assert_eq!(list(&a), list(&b));
    assert_ne!(list(&a), list(&c));
    let eps = |e: &Env| e.stdout(&["episode", "list", "--json"]);
    assert_eq!(eps(&a), eps(&b));
}

#[test]
fn an_existing_file_is_refused_and_left_alone() {
    let env = Env::new();
    // A real diary with one entry...
    env.cmd(&["log", "--weight", "68.4", "--bp", "118/76"])
        .assert()
        .success();
    let before = std::fs::read(env.db()).unwrap();
    let names = files_in(env.dir.path());
    let out = env
        .cmd(&["demo", "--years", "2"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(&env.db().display().to_string()), "{err}");
    assert!(err.contains("already exists"), "{err}");
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read(env.db()).unwrap(), before);
    assert_eq!(
        files_in(env.dir.path()),
        names,
        "no WAL or other file was made"
    );
    assert_eq!(
        env.json(&["list", "--all", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // ...and any other file, which is not even opened.
    let other = env.dir.path().join("notes.txt");
    std::fs::write(&other, "my own notes").unwrap();
    env.cmd(&["demo", "--db", other.to_str().unwrap()])
        .assert()
        .code(1);
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "my own notes");
}

#[test]
fn bad_flags_are_usage_errors_and_write_nothing() {
    let env = Env::new();
    for args in [
        &["demo", "--years", "0"][..],
        &["demo", "--days", "0"],
        &["demo", "--years", "2", "--days", "5"],
        &["demo", "--end", "2027-01-01"],
        &["demo", "--seed", "x"],
    ] {
        env.cmd(args).assert().code(2);
        assert!(!env.db().exists(), "{args:?}");
    }
}

#[test]
fn the_default_diary_is_written_only_when_missing() {
    let env = Env::new();
    let mut c = env.cmd(&["demo", "--days", "3"]);
    c.env_remove("CLS_DB");
    let out = String::from_utf8(c.assert().success().get_output().stdout.clone()).unwrap();
    let default = env.dir.path().join(".local/share/cls/diary.sqlite3");
    assert!(default.exists());
    assert!(out.contains(&default.display().to_string()), "{out}");
    assert!(out.contains("default diary"), "{out}");
    let mut c = env.cmd(&["demo", "--days", "3"]);
    c.env_remove("CLS_DB");
    c.assert().code(1);
}

/// The flags `cls log` would need to write this entry.
fn log_args(e: &Value) -> Vec<String> {
    let mut a = vec![
        "log".to_string(),
        "--date".into(),
        e["date"].as_str().unwrap().into(),
        "--time".into(),
        e["time"].as_str().unwrap().into(),
    ];
    if let Some(w) = e["weight_kg"].as_f64() {
        a.extend(["--weight".into(), w.to_string()]);
    }
    if e["systolic"].is_number() {
        a.extend([
            "--bp".into(),
            format!("{}/{}", e["systolic"], e["diastolic"]),
        ]);
    }
    if e["standing_systolic"].is_number() {
        a.extend([
            "--standing-bp".into(),
            format!("{}/{}", e["standing_systolic"], e["standing_diastolic"]),
        ]);
    }
    if let Some(hr) = e["heart_rate"].as_u64() {
        a.extend(["--hr".into(), hr.to_string()]);
    }
    if let Some(u) = e["urine"].as_str() {
        a.extend(["--urine".into(), u.into()]);
    }
    if let Some(ml) = e["urine_ml"].as_u64() {
        a.extend(["--urine-ml".into(), ml.to_string()]);
    }
    let none = serde_json::Map::new();
    for (name, sev) in e["symptoms"].as_object().unwrap_or(&none) {
        a.extend(["--symptom".into(), format!("{name}:{sev}")]);
    }
    for (kind, value) in e["labs"].as_object().unwrap_or(&none) {
        a.extend(["--lab".into(), format!("{kind}={value}")]);
    }
    for m in e["medications"].as_array().into_iter().flatten() {
        let dose = m["dose"]
            .as_str()
            .map(|d| format!(":{d}"))
            .unwrap_or_default();
        a.extend([
            "--med".into(),
            format!("{}{dose}", m["name"].as_str().unwrap()),
        ]);
    }
    if let Some(n) = e["note"].as_str() {
        a.extend(["--note".into(), n.into()]);
    }
    a
}

#[test]
fn every_kind_of_entry_goes_through_cls_log_unchanged() {
    let demo = Env::new();
    demo.stdout(&["demo", "--years", "1", "--seed", "5"]);
    let entries = demo.json(&["list", "--all", "--json"]);
    let episodes = demo.json(&["episode", "list", "--json"]);
    let ep = &episodes[0];
    let (start, end) = (ep["start"].as_str().unwrap(), ep["end"].as_str().unwrap());
    // A prodrome, a leak and a recovery; an infusion day; some quiet days.
    let mut picked: Vec<&Value> = Vec::new();
    let mut ivig = false;
    for e in entries.as_array().unwrap() {
        let d = e["date"].as_str().unwrap();
        let near_episode = d <= end && days_between(d, start) <= 3;
        let infusion = !ivig && e["medications"].is_array();
        ivig |= infusion;
        if near_episode || infusion || d.ends_with("-01") {
            picked.push(e);
        }
    }
    assert!(ivig && picked.len() > 20, "{}", picked.len());
    assert!(picked.iter().any(|e| e["labs"].is_object()));

    let copy = Env::new();
    for e in &picked {
        let args = log_args(e);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        copy.cmd(&args).assert().success();
    }
    let strip = |v: &Value| {
        let mut v = v.clone();
        v.as_object_mut().unwrap().remove("id");
        v
    };
    let again = copy.json(&["list", "--all", "--json"]);
    let again: Vec<Value> = again.as_array().unwrap().iter().map(strip).collect();
    let picked: Vec<Value> = picked.into_iter().map(strip).collect();
    assert_eq!(again, picked);
}

/// Days from `a` to `b` if `a` is before `b`, else 0 (dates as YYYY-MM-DD).
fn days_between(a: &str, b: &str) -> i64 {
    let p = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    (p(b) - p(a)).num_days().max(0)
}

#[test]
fn a_demo_reaching_before_1900_is_refused_with_the_range() {
    // Issue 14, item 11: `--end 1900-01-01` used to write 1899 dates that
    // `cls import` then refused.
    let env = Env::new();
    let out = env.cmd(&["demo", "--end", "1900-01-01"]).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.ends_with(
            "\ncls: --end: 1 year ending 1900-01-01 would start on 1899-01-02; a diary holds dates from 1900-01-01 on (choose a later --end or fewer days)\n"
        ),
        "{err}"
    );
    assert!(!env.db().exists());
    let out = env
        .cmd(&["demo", "--end", "1900-06-30", "--days", "200"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("200 days ending 1900-06-30 would start on 1899-12-13"),
        "{err}"
    );
    // The earliest possible demo is written, exported and imported again.
    env.stdout(&["demo", "--end", "1900-12-31", "--days", "365"]);
    let csv = env.dir.path().join("old.csv");
    env.stdout(&["export", "--output", csv.to_str().unwrap()]);
    let other = env.dir.path().join("other.sqlite3");
    env.cmd(&[
        "--db",
        other.to_str().unwrap(),
        "import",
        csv.to_str().unwrap(),
    ])
    .assert()
    .success();
}
