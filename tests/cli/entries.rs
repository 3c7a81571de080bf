//! `cls list`, `cls show`, `cls edit` and `cls delete`: ranges and order,
//! edits that change only what was given, deletes that need a yes, errors
//! that leave the diary alone, and quiet exits on a closed pipe.

use std::io::Read;
use std::process::Stdio;

use serde_json::{json, Value};

use crate::support::{creation_note, describe, stderr, stdout, TestEnv};

/// The entry ids in a `cls list` table, top to bottom.
fn table_ids(out: &str) -> Vec<i64> {
    out.lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let id = words.next()?.parse().ok()?;
            let date = words.next()?;
            (date.len() == 10 && date.as_bytes()[4] == b'-').then_some(id)
        })
        .collect()
}

fn dates(entries: &[Value]) -> Vec<String> {
    entries
        .iter()
        .map(|e| e["date"].as_str().unwrap().to_string())
        .collect()
}

fn list_json(env: &TestEnv, args: &[&str]) -> Vec<Value> {
    let mut full = vec!["list", "--json"];
    full.extend_from_slice(args);
    serde_json::from_str(&env.ok(&full)).unwrap()
}

/// 25 mornings, 2026-11-01 to 2026-11-25 (today).
fn november(env: &TestEnv) -> Vec<i64> {
    let weights: Vec<f64> = (0..25).map(|i| 68.0 + f64::from(i) / 10.0).collect();
    env.seed_mornings("2026-11-01", &weights)
}

/// The entry with the fields an edit must not touch removed.
fn without(e: &Value, keys: &[&str]) -> Value {
    let mut e = e.as_object().unwrap().clone();
    for k in keys {
        e.remove(*k);
    }
    Value::Object(e)
}

// ---- list -----------------------------------------------------------------

#[test]
fn list_on_an_empty_diary_says_so_and_creates_nothing() {
    let env = TestEnv::new();
    let out = env.run(&["list"]);
    assert_eq!(
        stderr(&out),
        format!(
            "cls: note: no diary at {} yet; 'cls log' creates it ('cls paths' shows where cls looks)\n",
            env.db_path().display()
        )
    );
    let out = stdout(&out);
    assert_eq!(
        out,
        "no entries 2026-11-12 to 2026-11-25 (0 in the diary; add one with 'cls log')\n"
    );
    let out = env.run(&["list", "--all", "--json"]);
    assert_eq!(stdout(&out).trim(), "[]");
    assert!(!env.diary_exists(), "reading must not create the diary");
}

#[test]
fn list_defaults_to_the_last_14_days_newest_last() {
    let env = TestEnv::new();
    let ids = november(&env);
    let out = env.ok(&["list"]);
    assert_eq!(table_ids(&out), ids[11..].to_vec(), "{out}");
    assert!(
        out.ends_with("14 entries, 2026-11-12 to 2026-11-25\n"),
        "{out}"
    );
    let entries = list_json(&env, &[]);
    assert_eq!(entries.len(), 14);
    assert_eq!(entries[0]["date"], json!("2026-11-12"));
    assert_eq!(entries[13]["date"], json!("2026-11-25"));
}

#[test]
fn list_ranges() {
    let env = TestEnv::new();
    november(&env);
    let first_last = |args: &[&str]| {
        let d = dates(&list_json(&env, args));
        (d.len(), d.first().cloned(), d.last().cloned())
    };
    let some = |n: usize, a: &str, b: &str| (n, Some(a.to_string()), Some(b.to_string()));
    assert_eq!(
        first_last(&["--last", "3d"]),
        some(3, "2026-11-23", "2026-11-25")
    );
    assert_eq!(
        first_last(&["--last", "1w"]),
        some(7, "2026-11-19", "2026-11-25")
    );
    assert_eq!(
        first_last(&["--last", "12w"]),
        some(25, "2026-11-01", "2026-11-25")
    );
    assert_eq!(
        first_last(&["--from", "2026-11-05", "--to", "2026-11-07"]),
        some(3, "2026-11-05", "2026-11-07")
    );
    assert_eq!(
        first_last(&["--from", "2026-11-20"]),
        some(6, "2026-11-20", "2026-11-25")
    );
    assert_eq!(
        first_last(&["--to", "2026-11-10"]),
        some(10, "2026-11-01", "2026-11-10")
    );
    assert_eq!(
        first_last(&["--to", "-20d", "--last", "2d"]),
        some(2, "2026-11-04", "2026-11-05")
    );
    assert_eq!(first_last(&["--all"]), some(25, "2026-11-01", "2026-11-25"));
    assert_eq!(
        first_last(&["--all", "--to", "2026-11-02"]),
        some(2, "2026-11-01", "2026-11-02")
    );
    assert_eq!(
        first_last(&["--from", "2026-12-01", "--to", "2026-12-31"]).0,
        0
    );

    let out = env.ok(&["list", "--from", "2025-01-01", "--to", "2025-01-31"]);
    assert_eq!(
        out,
        "no entries 2025-01-01 to 2025-01-31 (25 in the diary; try --last 12w or --all)\n"
    );
    let out = env.ok(&["list", "--all"]);
    assert!(out.ends_with("25 entries, up to 2026-11-25\n"), "{out}");
}

#[test]
fn list_rejects_bad_ranges() {
    let env = TestEnv::new();
    november(&env);
    env.usage_error(
        &["list", "--from", "2026-11-10", "--to", "2026-11-01"],
        "--from",
    );
    env.usage_error(&["list", "--last", "0d"], "--last");
    env.usage_error(&["list", "--last", "5x"], "--last");
    env.usage_error(&["list", "--from", "2026-02-30"], "--from");
    env.usage_error(&["list", "--to", "soon"], "--to");
    // Contradictory flags are clap's (several lines, but exit 2).
    for args in [
        &["list", "--from", "2026-11-01", "--last", "3d"][..],
        &["list", "--all", "--last", "3d"],
        &["list", "--all", "--from", "2026-11-01"],
    ] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}\n{}", describe(&out));
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn list_orders_by_date_and_time_not_by_when_it_was_logged() {
    let env = TestEnv::new();
    let evening = env.log(&["--time", "20:00", "--weight", "68.9"]);
    let older = env.log(&["--date", "-2d", "--weight", "68.0"]);
    let morning = env.log(&["--time", "07:00", "--weight", "68.4"]);
    let yesterday = env.log(&["--date", "yesterday", "--time", "23:59", "--hr", "70"]);
    let want = vec![older, yesterday, morning, evening];
    assert_eq!(table_ids(&env.ok(&["list"])), want);
    let ids: Vec<i64> = env
        .entries()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, want);
}

#[test]
fn list_shows_the_weight_in_the_configured_unit() {
    let env = TestEnv::new();
    env.log(&["--weight", "68.04"]);
    env.write_config("[units]\nweight = \"lb\"\n");
    let out = env.ok(&["list"]);
    assert!(out.contains(" lb ") && out.contains("150.0"), "{out}");
}

// ---- show -----------------------------------------------------------------

#[test]
fn show_prints_every_recorded_field() {
    let env = TestEnv::new();
    let id = env.log(&[
        "--date",
        "yesterday",
        "--time",
        "07:45",
        "--weight",
        "68.4",
        "--bp",
        "118/76",
        "--standing-bp",
        "104/70",
        "--hr",
        "72",
        "--symptom",
        "thirst,fatigue:1",
        "--urine",
        "less",
        "--urine-ml",
        "900",
        "--lab",
        "albumin=3.8g/dL",
        "--med",
        "ivig:2g/kg",
        "--note",
        "tired \u{1b}[2J",
    ]);
    let out = env.ok(&["show", &id.to_string()]);
    assert_eq!(
        out,
        "entry 1
  when         2026-11-24 07:45 (UTC+00:00)
  weight       68.4 kg
  BP sitting   118/76 mmHg
  BP standing  104/70 mmHg
  heart rate   72 bpm
  symptoms     fatigue (mild), thirst (moderate)
  urine        less
  urine 24 h   900 mL
  albumin      38 g/L
  meds         ivig 2g/kg
  note         tired \u{FFFD}[2J
"
    );
    let e = env.entry(id);
    assert_eq!(e["id"], json!(id));
    assert_eq!(
        e["note"],
        json!("tired \u{1b}[2J"),
        "JSON keeps the raw text"
    );
    assert_eq!(e["labs"], json!({"albumin": 38.0}));
}

#[test]
fn show_leaves_out_what_was_not_measured() {
    let env = TestEnv::new();
    let id = env.log(&["--hr", "70"]);
    let out = env.ok(&["show", &id.to_string()]);
    assert_eq!(
        out,
        "entry 1\n  when         2026-11-25 08:00 (UTC+00:00)\n  heart rate   70 bpm\n"
    );
}

#[test]
fn show_a_missing_entry_is_a_one_line_error() {
    let env = TestEnv::new();
    env.runtime_error(&["show", "1"], "no entry with id 1");
    assert!(!env.diary_exists(), "show must not create the diary");
    env.log(&["--weight", "68"]);
    env.runtime_error(&["show", "99"], "no entry with id 99");
    env.runtime_error(&["show", "0", "--json"], "no entry with id 0");
    let out = env.run(&["show", "abc"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
}

// ---- edit -----------------------------------------------------------------

fn full_entry(env: &TestEnv) -> i64 {
    env.log(&[
        "--date",
        "yesterday",
        "--weight",
        "68.4",
        "--bp",
        "118/76",
        "--standing-bp",
        "104/70",
        "--hr",
        "72",
        "--symptom",
        "thirst,fatigue:1",
        "--urine",
        "less",
        "--urine-ml",
        "900",
        "--lab",
        "hct=44",
        "--lab",
        "albumin=38",
        "--med",
        "ivig:2g/kg",
        "--med",
        "terbutaline",
        "--note",
        "before",
    ])
}

#[test]
fn edit_changes_only_the_given_fields() {
    let env = TestEnv::new();
    let id = full_entry(&env);
    let other = env.log(&["--weight", "70"]);
    let other_before = env.entry(other);
    let before = env.entry(id);
    let sid = id.to_string();

    let out = env.ok(&["edit", &sid, "--weight", "68.1"]);
    assert!(
        out.starts_with("updated entry 1 for 2026-11-24 08:00: weight 68.1 kg, "),
        "{out}"
    );
    assert!(out
        .lines()
        .nth(1)
        .unwrap()
        .starts_with("status for 2026-11-24: "));
    let after = env.entry(id);
    assert_eq!(after["weight_kg"], json!(68.1));
    assert_eq!(
        without(&after, &["weight_kg"]),
        without(&before, &["weight_kg"])
    );

    // Symptoms merge: a new one is added, a given one is updated.
    env.ok(&["edit", &sid, "--symptom", "fatigue:3,headache:1"]);
    let e = env.entry(id);
    assert_eq!(
        e["symptoms"],
        json!({"fatigue": 3, "headache": 1, "thirst": 2})
    );
    assert_eq!(without(&e, &["symptoms"]), without(&after, &["symptoms"]));

    // Several fields in one go.
    env.ok(&[
        "edit",
        &sid,
        "--bp",
        "110/70",
        "--lab",
        "hct=47",
        "--med",
        "prednisone:20mg",
        "--note",
        "after",
    ]);
    let e2 = env.entry(id);
    assert_eq!(
        (&e2["systolic"], &e2["diastolic"]),
        (&json!(110), &json!(70))
    );
    assert_eq!(e2["labs"], json!({"hematocrit": 47.0, "albumin": 38.0}));
    assert_eq!(
        e2["medications"].as_array().unwrap().len(),
        3,
        "a med is added: {e2}"
    );
    assert_eq!(e2["note"], json!("after"));
    assert_eq!(
        without(
            &e2,
            &["systolic", "diastolic", "labs", "medications", "note"]
        ),
        without(
            &e,
            &["systolic", "diastolic", "labs", "medications", "note"]
        )
    );

    assert_eq!(
        env.entry(other),
        other_before,
        "the other entry is untouched"
    );
}

#[test]
fn edit_can_move_an_entry_in_time_and_keeps_its_id() {
    let env = TestEnv::new();
    let id = env.log(&["--weight", "68.4"]);
    env.ok(&["edit", &id.to_string(), "--date", "-3d", "--time", "07:45"]);
    let e = env.entry(id);
    assert_eq!(
        (e["date"].as_str(), e["time"].as_str()),
        (Some("2026-11-22"), Some("07:45"))
    );
    assert_eq!(e["utc_offset"], json!("+00:00"));
    assert_eq!(e["weight_kg"], json!(68.4));
    assert_eq!(env.entries().len(), 1);
    // A time alone keeps the date.
    env.ok(&["edit", &id.to_string(), "--time", "06:00"]);
    assert_eq!(env.entry(id)["date"], json!("2026-11-22"));
}

#[test]
fn edit_removes_symptoms_labs_and_meds() {
    let env = TestEnv::new();
    let id = full_entry(&env);
    let sid = id.to_string();
    let before = env.entry(id);
    env.ok(&[
        "edit",
        &sid,
        "--remove-symptom",
        "Thirsty", // an alias of thirst
        "--remove-lab",
        "hct",
        "--remove-med",
        "IVIG",
    ]);
    let e = env.entry(id);
    assert_eq!(e["symptoms"], json!({"fatigue": 1}));
    assert_eq!(e["labs"], json!({"albumin": 38.0}));
    assert_eq!(e["medications"], json!([{"name": "terbutaline"}]));
    assert_eq!(
        without(&e, &["symptoms", "labs", "medications"]),
        without(&before, &["symptoms", "labs", "medications"])
    );
}

#[test]
fn edit_clears_whole_fields() {
    let env = TestEnv::new();
    let id = full_entry(&env);
    let sid = id.to_string();
    // A cleared field is left out of the JSON, as anything not measured.
    for (field, keys) in [
        ("weight", &["weight_kg"][..]),
        ("bp", &["systolic", "diastolic"]),
        ("standing-bp", &["standing_systolic", "standing_diastolic"]),
        ("hr", &["heart_rate"]),
        ("urine", &["urine"]),
        ("urine-ml", &["urine_ml"]),
        ("symptoms", &["symptoms"]),
        ("labs", &["labs"]),
        ("meds", &["medications"]),
    ] {
        let before = env.entry(id);
        for key in keys {
            assert!(before.get(key).is_some(), "{field} was set");
        }
        env.ok(&["edit", &sid, "--clear", field]);
        let after = env.entry(id);
        for key in keys {
            assert!(after.get(key).is_none(), "--clear {field}: {after}");
        }
        assert_eq!(
            without(&after, keys),
            without(&before, keys),
            "--clear {field}"
        );
    }
    // Only the note is left: clearing it too would leave nothing.
    let before = env.diary_snapshot();
    let err = env.usage_error(&["edit", &sid, "--clear-note"], "empty");
    assert!(err.contains("cls delete 1"), "{err}");
    assert_eq!(env.diary_snapshot(), before);
    env.ok(&["edit", &sid, "--clear-note", "--hr", "70"]);
    let e = env.entry(id);
    assert_eq!(
        (e["note"].clone(), e["heart_rate"].clone()),
        (Value::Null, json!(70))
    );
    env.ok(&["edit", &sid, "--note", "x"]);
    env.ok(&["edit", &sid, "--clear", "note"]);
    assert_eq!(env.entry(id)["note"], Value::Null);
}

#[test]
fn edit_with_nothing_to_change_is_a_usage_error() {
    let env = TestEnv::new();
    let id = env.log(&["--weight", "68.4", "--symptom", "thirst"]);
    let sid = id.to_string();
    let before = env.diary_snapshot();
    env.usage_error(&["edit", &sid], "nothing to change in entry 1");
    // Values identical to what is stored change nothing either.
    env.usage_error(&["edit", &sid, "--weight", "68.4"], "nothing to change");
    env.usage_error(
        &["edit", &sid, "--symptom", "thirst:2"],
        "nothing to change",
    );
    env.usage_error(
        &["edit", &sid, "--date", "today", "--time", "08:00"],
        "nothing to change",
    );
    assert_eq!(env.diary_snapshot(), before);
}

#[test]
fn edit_with_a_bad_value_changes_nothing() {
    let env = TestEnv::new();
    let id = full_entry(&env);
    let sid = id.to_string();
    let before = env.diary_snapshot().unwrap();
    for (args, flag) in [
        (&["--weight", "19"][..], "--weight"),
        (&["--weight", "68.1", "--bp", "80/90"], "--bp"),
        (&["--standing-bp", "1/2"], "--standing-bp"),
        (&["--hr", "300"], "--hr"),
        (&["--urine-ml", "-5"], "--urine-ml"),
        (&["--urine", "some"], "--urine"),
        (&["--lab", "hct=90"], "--lab"),
        (&["--symptom", "fatigue:4"], "--symptom"),
        (&["--symptom", "thrist"], "did you mean 'thirst'"),
        (&["--med", ":1mg"], "--med"),
        (&["--date", "2026-11-27"], "--date"),
        (&["--date", "2026-02-30"], "--date"),
        (&["--time", "24:00"], "--time"),
        (
            &["--weight", "68.1", "--remove-symptom", "headache"],
            "--remove-symptom",
        ),
        (&["--remove-symptom", "thrist"], "did you mean 'thirst'"),
        (&["--remove-lab", "hemoglobin"], "--remove-lab"),
        (&["--remove-lab", "sodium"], "--remove-lab"),
        (&["--remove-med", "aspirin"], "--remove-med"),
        (&["--note", &"x".repeat(4001)], "--note"),
    ] {
        let mut full = vec!["edit", sid.as_str()];
        full.extend_from_slice(args);
        env.usage_error(&full, flag);
    }
    let out = env.run(&["edit", &sid, "--clear", "colour"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert_eq!(env.diary_snapshot().unwrap(), before, "the entry changed");
}

#[test]
fn edit_a_missing_entry_is_a_one_line_runtime_error() {
    let env = TestEnv::new();
    env.runtime_error(&["edit", "1", "--weight", "68"], "no entry with id 1");
    assert!(
        !env.diary_exists(),
        "a failed edit must not create the diary"
    );
    env.log(&["--weight", "68"]);
    let before = env.diary_snapshot();
    env.runtime_error(&["edit", "2", "--weight", "70"], "no entry with id 2");
    assert_eq!(env.diary_snapshot(), before);
}

// ---- delete ---------------------------------------------------------------

#[test]
fn delete_with_yes_removes_only_that_entry() {
    let env = TestEnv::new();
    let a = env.log(&["--date", "yesterday", "--weight", "68.0"]);
    let b = full_entry(&env);
    let keep = env.entry(a);
    let out = env.ok(&["delete", &b.to_string(), "--yes"]);
    assert!(
        out.starts_with(&format!(
            "deleted entry {b} (2026-11-24 08:00: weight 68.4 kg"
        )),
        "{out}"
    );
    assert_eq!(env.entries(), vec![keep]);
    env.runtime_error(&["show", &b.to_string()], "no entry with id");
    // Symptoms, labs and meds went with it.
    let snap = env.diary_snapshot().unwrap();
    assert!(snap.contains("[symptom] 0 rows"), "{snap}");
    assert!(snap.contains("[lab] 0 rows"), "{snap}");
    assert!(snap.contains("[medication] 0 rows"), "{snap}");
    env.ok(&["delete", &a.to_string(), "-y"]);
    assert!(env.entries().is_empty());
}

#[test]
fn delete_without_yes_and_no_terminal_deletes_nothing() {
    let env = TestEnv::new();
    let id = env.log(&["--weight", "68.0"]);
    let before = env.diary_snapshot();
    let err = env.usage_error(&["delete", &id.to_string()], "--yes");
    assert!(err.contains("not deleting entry 1"), "{err}");
    assert_eq!(env.diary_snapshot(), before);
}

#[test]
fn delete_a_missing_entry_is_a_one_line_runtime_error() {
    let env = TestEnv::new();
    env.runtime_error(&["delete", "1", "--yes"], "no entry with id 1");
    assert!(
        !env.diary_exists(),
        "a failed delete must not create the diary"
    );
    env.log(&["--weight", "68"]);
    let before = env.diary_snapshot();
    env.runtime_error(&["delete", "7", "--yes"], "no entry with id 7");
    env.runtime_error(&["delete", "7"], "no entry with id 7");
    assert_eq!(env.diary_snapshot(), before);
}

// ---- check on nothing -----------------------------------------------------

#[test]
fn check_on_an_empty_diary_is_unknown_never_ok() {
    let env = TestEnv::new();
    let out = env.run(&["check"]);
    assert_eq!(out.status.code(), Some(10), "{}", describe(&out));
    assert!(stdout(&out).starts_with("unknown"), "{}", describe(&out));
    let v = env.check(None);
    assert_eq!(v["date"], json!("2026-11-25"));
    assert_eq!(v["level"], json!("unknown"));
    let v = env.check(Some("yesterday"));
    assert_eq!(v["date"], json!("2026-11-24"));
    assert_eq!(v["level"], json!("unknown"));
    assert!(!env.diary_exists(), "check must not create the diary");
}

/// Entries only from before the days `check` reads in full (older than
/// about two months): the older-days path with no recent entry at all.
#[test]
fn check_on_a_diary_that_stopped_months_ago_is_unknown_never_ok() {
    let env = TestEnv::new();
    env.log(&[
        "--date",
        "2026-08-01",
        "--weight",
        "68",
        "--bp",
        "118/76",
        "--lab",
        "hematocrit=44",
        "--med",
        "ivig:2g/kg",
    ]);
    env.log(&["--date", "2026-08-02", "--weight", "68.2"]);
    let v = env.check(None);
    assert_eq!(v["level"], json!("unknown"), "{v}");
    let out = env.run(&["check"]);
    assert_eq!(out.status.code(), Some(10), "{}", describe(&out));
    assert!(stdout(&out).starts_with("unknown"), "{}", describe(&out));
    let v = env.check(Some("2026-08-03"));
    assert_ne!(v["level"], json!("ok"), "{v}");
}

// ---- closed pipes ---------------------------------------------------------

/// Enough entries that the output overflows any pipe buffer, so `cls` must
/// still be writing when the reader goes away.
fn big_diary() -> TestEnv {
    let env = TestEnv::new();
    let weights: Vec<f64> = (0..1500)
        .map(|i| 60.0 + f64::from(i % 100) / 10.0)
        .collect();
    env.seed_mornings("2022-10-17", &weights);
    env
}

#[test]
fn a_closed_pipe_exits_quietly() {
    let env = big_diary();
    for args in [&["list", "--all"][..], &["list", "--all", "--json"]] {
        let mut child = env
            .std_cmd(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn cls");
        // Read a little, then hang up while cls is still writing.
        let mut out = child.stdout.take().unwrap();
        let mut first = [0u8; 64];
        out.read_exact(&mut first).unwrap();
        drop(out);
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "cls {args:?}: {err}");
        assert_eq!(err, "", "cls {args:?} complained about the pipe");
    }
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_in_a_shell_pipeline_exits_quietly() {
    let env = big_diary();
    let out = env
        .sh(r#"{ "$CLS" list --all; echo "cls exit $?" >&2; } | head -1"#)
        .output()
        .unwrap();
    assert_eq!(stdout(&out).lines().count(), 1, "{}", describe(&out));
    assert_eq!(stderr(&out), "cls exit 0\n", "{}", describe(&out));
}

#[test]
fn check_keeps_its_exit_status_when_the_reader_hangs_up() {
    let env = TestEnv::new();
    // An empty diary is `unknown` (10); a reader that reads nothing must not
    // turn that into exit 0.
    let mut child = env
        .std_cmd(["check"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn cls");
    drop(child.stdout.take());
    assert_eq!(child.wait().unwrap().code(), Some(10));
}

#[test]
fn an_empty_note_alone_is_not_an_entry() {
    let env = TestEnv::new();
    env.usage_error(&["log", "--note", ""], "nothing to log");
    env.usage_error(&["log", "--note", "   "], "nothing to log");
    assert!(!env.diary_exists());
    // In `cls edit`, an empty note clears the note.
    let id = env.log(&["--weight", "68.0", "--note", "first"]);
    env.ok(&["edit", &id.to_string(), "--note", ""]);
    assert!(env.entry(id)["note"].is_null(), "{}", env.entry(id));
}

#[cfg(unix)]
#[test]
fn without_home_the_default_paths_are_a_clear_error() {
    let mut env = TestEnv::new();
    env.unset_env("HOME");
    env.unset_env("CLS_DB");
    env.runtime_error(&["check"], "HOME is not set");
    // Explicit paths need no HOME.
    let db = env.db_path();
    let out = env.run(&["--db", db.to_str().unwrap(), "check"]);
    assert_eq!(out.status.code(), Some(10), "{}", describe(&out));
}

#[test]
fn check_on_a_missing_diary_says_there_is_none_and_creates_nothing() {
    let env = TestEnv::new();
    let out = env.run(&["check"]);
    assert_eq!(out.status.code(), Some(10), "{}", describe(&out));
    let text = stdout(&out);
    assert!(text.starts_with("unknown"), "{text}");
    assert!(text.contains("there is no diary at"), "{text}");
    assert!(!env.diary_exists());
}

/// Issue 15: `cls list` is compact at 80 columns: no rule between rows, no
/// empty column, and a symptom name is never split inside; `--wide` shows
/// every column.
#[test]
fn list_is_compact_and_never_splits_a_symptom_name() {
    let mut env = TestEnv::new();
    env.set_env("COLUMNS", "80");
    env.log(&["--weight", "70", "--bp", "118/76"]);
    env.log(&[
        "--symptom",
        "cold-symptoms:1,abdominal-pain:2,thirst,fatigue:1",
        "--note",
        "feels like an attack is coming, called the team at eight",
    ]);
    let out = env.ok(&["list"]);
    assert!(out.lines().all(|l| l.chars().count() <= 80), "{out}");
    assert!(
        out.contains("cold-symptoms:1") && out.contains("abdominal-pain:2"),
        "{out}"
    );
    assert!(!out.contains("meds") && !out.contains("urine"), "{out}");
    // Rules: above and below the header, and at the end; none between rows.
    let rules = out.lines().filter(|l| l.starts_with('─')).count();
    assert_eq!(rules, 3, "{out}");
    let wide = env.ok(&["list", "--wide"]);
    assert!(wide.contains("meds") && wide.contains("urine"), "{wide}");
    assert!(
        wide.lines()
            .any(|l| l.contains("feels like an attack is coming, called the team at eight")),
        "{wide}"
    );
}

// ---- a mistyped --db is noticed (issue 14, item 13) ------------------------

#[test]
fn the_first_write_to_a_new_diary_says_so_once() {
    let env = TestEnv::new();
    let db = env.db_path();
    let out = env.run_raw(&["log", "--weight", "68.4"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(stderr(&out), creation_note(&db));
    let out = env.run_raw(&["log", "--weight", "68.5"]);
    assert_eq!(stderr(&out), "", "only the write that creates it");
    // A typo in --db (or CLS_DB) would otherwise start a second diary
    // silently; every command that creates one says so.
    let typo = env.path("data/dairy.sqlite3");
    let t = typo.to_str().unwrap();
    for args in [
        &["--db", t, "log", "--weight", "68"][..],
        &["--db", t, "episode", "start"],
    ] {
        let _ = std::fs::remove_file(&typo);
        let out = env.run_raw(args);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
        assert_eq!(stderr(&out), creation_note(&typo), "{args:?}");
    }
    let csv = env.path("rows.csv");
    std::fs::write(&csv, "date,weight_kg\n2026-11-20,68\n").unwrap();
    let other = env.path("other.sqlite3");
    let out = env.run_raw(&[
        "--db",
        other.to_str().unwrap(),
        "import",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(stderr(&out), creation_note(&other));
    let out = env.run_raw(&[
        "--db",
        other.to_str().unwrap(),
        "import",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(stderr(&out), "");
}

#[test]
fn reading_a_diary_that_does_not_exist_says_no_diary_at_path() {
    let env = TestEnv::new();
    env.log(&["--weight", "68.4"]);
    let typo = env.path("data/dairy.sqlite3");
    let t = typo.to_str().unwrap();
    let note = format!(
        "cls: note: no diary at {t} yet; 'cls log' creates it ('cls paths' shows where cls looks)\n"
    );
    for args in [
        &["list"][..],
        &["list", "--json"],
        &["report"],
        &["report", "--format", "json"],
        &["export"],
        &["export", "--format", "json"],
        &["card"],
    ] {
        let mut full = vec!["--db", t];
        full.extend_from_slice(args);
        let out = env.run_raw(&full);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
        let err = stderr(&out);
        assert!(
            err.starts_with(&note),
            "{args:?} should say there is no diary\n{}",
            describe(&out)
        );
        // On the real diary, no such note.
        let out = env.run_raw(args);
        assert!(!stderr(&out).contains("no diary"), "{}", describe(&out));
    }
    assert!(!typo.exists(), "reading never creates it");
}

/// `--clear symptoms --symptom thirst:2` replaces the list with thirst; the
/// new value was silently dropped when the clear ran after it.
#[test]
fn edit_clear_then_set_replaces_the_list() {
    let env = TestEnv::new();
    let id = env.log(&["--symptom", "fatigue:1,headache", "--lab", "hct=40"]);
    let sid = id.to_string();
    env.ok(&["edit", &sid, "--clear", "symptoms", "--symptom", "thirst:2"]);
    env.ok(&["edit", &sid, "--clear", "labs", "--lab", "albumin=35"]);
    let e = env.entry(id);
    assert_eq!(e["symptoms"], json!({"thirst": 2}), "{e:#}");
    assert_eq!(e["labs"], json!({"albumin": 35.0}), "{e:#}");
}
