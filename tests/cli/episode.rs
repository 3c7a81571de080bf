//! `cls episode start|end|list|delete`: recorded attacks. One open episode
//! at a time, ends never before starts (or in the future), and mistakes
//! leave the recorded episodes as they were.

use serde_json::{json, Value};

use crate::support::TestEnv;

fn ep(id: i64, start: &str, end: Option<&str>, hospitalized: bool, note: Option<&str>) -> Value {
    json!({"id": id, "start": start, "end": end, "hospitalized": hospitalized, "note": note})
}

#[test]
fn start_today_by_default() {
    let env = TestEnv::new();
    let out = env.ok(&["episode", "start"]);
    assert_eq!(
        out,
        "started episode 1 on 2026-11-25; the 14 days after it are watched for fluid overload\n"
    );
    assert_eq!(env.episodes(), vec![ep(1, "2026-11-25", None, false, None)]);
    #[cfg(unix)]
    assert_eq!(crate::support::mode(&env.db_path()), 0o600);
}

#[test]
fn start_with_date_hospitalized_and_note() {
    let env = TestEnv::new();
    let out = env.ok(&[
        "episode",
        "start",
        "--date",
        "-3d",
        "--hospitalized",
        "--note",
        "ER, 3 L albumin 🙁",
    ]);
    assert!(
        out.starts_with("started episode 1 on 2026-11-22 (hospitalized);"),
        "{out}"
    );
    assert_eq!(
        env.episodes(),
        vec![ep(1, "2026-11-22", None, true, Some("ER, 3 L albumin 🙁"))]
    );
    env.ok(&["episode", "end", "--date", "yesterday"]);
    env.ok(&["episode", "start", "--date", "2026-11-25"]);
    env.ok(&["episode", "end"]);
    env.ok(&["episode", "start", "--date", "2025-01-31"]);
    let starts: Vec<_> = env
        .episodes()
        .iter()
        .map(|e| e["start"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        starts,
        ["2025-01-31", "2026-11-22", "2026-11-25"],
        "by start date"
    );
}

#[test]
fn only_one_episode_can_be_open() {
    let env = TestEnv::new();
    env.ok(&["episode", "start", "--date", "-2d"]);
    let before = env.diary_snapshot();
    let err = env.usage_error(
        &["episode", "start"],
        "episode 1 (started 2026-11-23) is still open",
    );
    assert!(err.contains("cls episode end"), "{err}");
    env.usage_error(
        &["episode", "start", "--date", "-10d", "--hospitalized"],
        "still open",
    );
    assert_eq!(env.diary_snapshot(), before);
    env.ok(&["episode", "end"]);
    env.ok(&["episode", "start"]);
    assert_eq!(env.episodes().len(), 2);
}

#[test]
fn start_rejects_bad_input_and_writes_nothing() {
    let env = TestEnv::new();
    let long = "x".repeat(4001);
    for (args, flag) in [
        (&["episode", "start", "--date", "2026-11-26"][..], "--date"),
        (&["episode", "start", "--date", "2026-02-30"], "--date"),
        (&["episode", "start", "--date", "soon"], "--date"),
        (&["episode", "start", "--note", &long], "--note"),
    ] {
        env.usage_error(args, flag);
    }
    assert!(!env.diary_exists(), "nothing written, not even the file");
}

#[test]
fn end_the_open_episode() {
    let env = TestEnv::new();
    env.ok(&["episode", "start", "--date", "2026-11-22", "--hospitalized"]);
    let out = env.ok(&["episode", "end"]);
    assert_eq!(out, "ended episode 1 (2026-11-22 to 2026-11-25, 4 days)\n");
    assert_eq!(
        env.episodes(),
        vec![ep(1, "2026-11-22", Some("2026-11-25"), true, None)]
    );
    // Now nothing is open.
    let before = env.diary_snapshot();
    env.usage_error(&["episode", "end"], "no open episode");
    assert_eq!(env.diary_snapshot(), before);
}

#[test]
fn end_on_a_given_date_and_a_one_day_episode() {
    let env = TestEnv::new();
    env.ok(&["episode", "start", "--date", "yesterday"]);
    let out = env.ok(&["episode", "end", "--date", "yesterday"]);
    assert_eq!(out, "ended episode 1 (2026-11-24 to 2026-11-24, 1 day)\n");
    assert_eq!(env.episodes()[0]["end"], json!("2026-11-24"));
}

#[test]
fn end_before_the_start_or_in_the_future_is_rejected() {
    let env = TestEnv::new();
    env.ok(&["episode", "start", "--date", "2026-11-20"]);
    let before = env.diary_snapshot();
    let err = env.usage_error(&["episode", "end", "--date", "2026-11-19"], "--date");
    assert!(
        err.contains("before") && err.contains("2026-11-20"),
        "{err}"
    );
    env.usage_error(&["episode", "end", "--date", "2026-11-26"], "--date");
    env.usage_error(&["episode", "end", "--date", "2027-01-01"], "--date");
    env.usage_error(&["episode", "end", "--date", "2026-02-30"], "--date");
    assert_eq!(env.diary_snapshot(), before);
    assert_eq!(env.episodes()[0]["end"], Value::Null, "still open");
}

#[test]
fn end_by_id_corrects_a_closed_episode() {
    let env = TestEnv::new();
    env.ok(&["episode", "start", "--date", "2026-10-01"]);
    env.ok(&["episode", "end", "--date", "2026-10-03"]);
    env.ok(&["episode", "start", "--date", "2026-11-20"]);
    let out = env.ok(&["episode", "end", "--id", "1", "--date", "2026-10-05"]);
    assert_eq!(out, "ended episode 1 (2026-10-01 to 2026-10-05, 5 days)\n");
    assert_eq!(
        env.episodes(),
        vec![
            ep(1, "2026-10-01", Some("2026-10-05"), false, None),
            ep(2, "2026-11-20", None, false, None),
        ]
    );
    let before = env.diary_snapshot();
    env.runtime_error(&["episode", "end", "--id", "99"], "no episode with id 99");
    env.usage_error(
        &["episode", "end", "--id", "1", "--date", "2026-09-30"],
        "--date",
    );
    assert_eq!(env.diary_snapshot(), before);
}

#[test]
fn end_or_delete_on_a_missing_diary_creates_nothing() {
    let env = TestEnv::new();
    env.usage_error(&["episode", "end"], "no open episode");
    env.runtime_error(&["episode", "end", "--id", "1"], "no episode with id 1");
    env.runtime_error(&["episode", "delete", "1", "--yes"], "no episode with id 1");
    assert_eq!(env.ok(&["episode", "list"]), "no episodes recorded\n");
    assert_eq!(env.ok(&["episode", "list", "--json"]).trim(), "[]");
    assert!(!env.diary_exists());
}

#[test]
fn list_as_text() {
    let env = TestEnv::new();
    env.ok(&[
        "episode",
        "start",
        "--date",
        "2026-10-01",
        "--hospitalized",
        "--note",
        "ICU\n2 days",
    ]);
    env.ok(&["episode", "end", "--date", "2026-10-04"]);
    env.ok(&["episode", "start", "--date", "2026-11-23"]);
    let out = env.ok(&["episode", "list"]);
    assert_eq!(
        out,
        "   1  2026-10-01 to 2026-10-04  4 days, hospitalized  ICU 2 days\n   \
         2  2026-11-23 to ongoing  3 days\n"
    );
}

#[test]
fn delete_needs_yes_without_a_terminal() {
    let env = TestEnv::new();
    env.ok(&["episode", "start", "--date", "-5d"]);
    env.ok(&["episode", "end", "--date", "-4d"]);
    env.ok(&["episode", "start", "--date", "-1d"]);
    let before = env.diary_snapshot();
    env.usage_error(&["episode", "delete", "1"], "--yes");
    env.runtime_error(&["episode", "delete", "9", "--yes"], "no episode with id 9");
    assert_eq!(env.diary_snapshot(), before);
    assert_eq!(
        env.ok(&["episode", "delete", "1", "--yes"]),
        "deleted episode 1\n"
    );
    let left = env.episodes();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["id"], json!(2));
    env.ok(&["episode", "delete", "2", "-y"]);
    assert!(env.episodes().is_empty());
    // Deleting the open one means a new one can start.
    env.ok(&["episode", "start"]);
}

#[test]
fn episodes_and_entries_are_independent() {
    let env = TestEnv::new();
    let id = env.log(&["--weight", "68"]);
    env.ok(&["episode", "start"]);
    env.ok(&["episode", "delete", "1", "--yes"]);
    assert_eq!(env.entries().len(), 1);
    env.ok(&["episode", "start"]);
    env.ok(&["delete", &id.to_string(), "--yes"]);
    assert_eq!(env.episodes().len(), 1);
}

#[test]
fn a_new_episode_cannot_start_inside_an_earlier_one() {
    let env = TestEnv::new();
    env.ok(&["episode", "start", "--date", "2026-11-01"]);
    env.ok(&["episode", "end", "--date", "2026-11-10"]);
    let before = env.diary_snapshot();
    env.usage_error(
        &["episode", "start", "--date", "2026-11-05"],
        "falls inside episode 1",
    );
    assert_eq!(env.diary_snapshot(), before);
    // A relapse on the day it ended, or later, is fine.
    env.ok(&["episode", "start", "--date", "2026-11-10"]);
}
