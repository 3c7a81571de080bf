//! One value per name per entry (docs/cli.md, clinical rule set v2): the
//! same symptom or lab twice in one entry, also under two aliases, is
//! refused naming both, never resolved by keeping one. Through `cls log`,
//! `cls edit` and both import formats; each refusal is one line, exit 2,
//! and leaves the diary exactly as it was (or not created at all).

use std::fs;

use serde_json::json;

use crate::support::{assert_one_line_error, TestEnv};

/// An env with one entry already in the diary, so that "nothing written"
/// means "unchanged", not only "not created".
fn with_an_entry() -> (TestEnv, i64) {
    let env = TestEnv::new();
    let id = env.log(&[
        "--weight",
        "68.0",
        "--symptom",
        "thirst:3,fatigue:1",
        "--lab",
        "hematocrit=50",
    ]);
    (env, id)
}

/// `cls ARGS` is a usage error whose one line is exactly `want`, and the
/// diary is unchanged (or still missing).
#[track_caller]
fn refused(env: &TestEnv, args: &[&str], want: &str) {
    let before = env.diary_snapshot();
    let err = env.usage_error(args, want);
    assert_eq!(err, format!("cls: {want}"), "cls {args:?}");
    assert_eq!(env.diary_snapshot(), before, "cls {args:?} wrote something");
}

#[test]
fn two_symptom_flags_with_one_name_are_refused() {
    let env = TestEnv::new();
    refused(
        &env,
        &["log", "--symptom", "thirst:3", "--symptom", "thirst:0"],
        "--symptom: thirst is given twice (thirst:3 and thirst:0); give each symptom once per entry",
    );
    assert!(
        !env.diary_exists(),
        "a refused first entry creates no diary"
    );
    // The same severity twice is still twice; other values do not help.
    let (env, _) = with_an_entry();
    refused(
        &env,
        &[
            "log",
            "--weight",
            "68.2",
            "-s",
            "fatigue:1",
            "--symptom",
            "headache",
            "--symptom",
            "fatigue:1",
        ],
        "--symptom: fatigue is given twice (fatigue:1 and fatigue:1); give each symptom once per entry",
    );
    assert_eq!(env.entries().len(), 1);
}

#[test]
fn symptom_aliases_and_spellings_count_as_the_same_name() {
    let (env, _) = with_an_entry();
    for (a, b, name) in [
        ("myalgia", "muscle-pain", "muscle-pain"),
        ("muscle_pain:1", "aches:3", "muscle-pain"),
        ("Thirsty", "thirst:1", "thirst"),
        ("cough", "runny nose:1", "cold-symptoms"),
        ("Abdominal pain:2", "abdominal-pain:2", "abdominal-pain"),
    ] {
        refused(
            &env,
            &["log", "--symptom", a, "--symptom", b],
            &format!(
                "--symptom: {name} is given twice ({a} and {b}); give each symptom once per entry"
            ),
        );
    }
    // Custom symptoms from the config follow the same rule.
    env.write_config("[symptoms]\ncustom = [\"joint pain\"]\n");
    refused(
        &env,
        &["log", "--symptom", "joint pain:1", "--symptom", "Joint_Pain:3"],
        "--symptom: joint-pain is given twice (joint pain:1 and Joint_Pain:3); give each symptom once per entry",
    );
    assert_eq!(env.entries().len(), 1);
}

#[test]
fn a_comma_list_that_repeats_a_name_is_refused() {
    let env = TestEnv::new();
    refused(
        &env,
        &["log", "--symptom", "thirst,thirst:1"],
        "--symptom: thirst is given twice (thirst and thirst:1); give each symptom once per entry",
    );
    refused(
        &env,
        &["log", "--symptom", "fatigue:1, tiredness:2 ,headache"],
        "--symptom: fatigue is given twice (fatigue:1 and tiredness:2); give each symptom once per entry",
    );
    // Between a comma list and another flag.
    refused(
        &env,
        &["log", "--symptom", "headache,dizzy:1", "--symptom", "dizziness:3"],
        "--symptom: dizziness is given twice (dizzy:1 and dizziness:3); give each symptom once per entry",
    );
    assert!(!env.diary_exists());
}

#[test]
fn a_lab_given_twice_is_refused_after_its_aliases() {
    let (env, _) = with_an_entry();
    for (a, b, name) in [
        ("hct=40", "hematocrit=41", "hematocrit"),
        ("hematocrit=44", "hematocrit=44", "hematocrit"),
        ("Hb=14.2g/dL", "hemoglobin=14.2", "hemoglobin"),
        ("albumin=38", "alb=3.8g/dL", "albumin"),
    ] {
        refused(
            &env,
            &["log", "--weight", "68.1", "--lab", a, "--lab", b],
            &format!("--lab: {name} is given twice ({a} and {b}); give each lab once per entry"),
        );
    }
    // Different labs are one each, as before.
    let id = env.log(&["--lab", "hct=44", "--lab", "hb=14", "--lab", "alb=38"]);
    assert_eq!(env.entry(id)["labs"].as_object().unwrap().len(), 3);
}

#[test]
fn edit_refuses_a_name_twice_in_its_flags_but_replaces_stored_values() {
    let (env, id) = with_an_entry();
    let sid = id.to_string();
    refused(
        &env,
        &["edit", &sid, "--symptom", "thirst:1", "--symptom", "thirsty:2"],
        "--symptom: thirst is given twice (thirst:1 and thirsty:2); give each symptom once per entry",
    );
    refused(
        &env,
        &["edit", &sid, "--symptom", "nausea,nausea:0"],
        "--symptom: nausea is given twice (nausea and nausea:0); give each symptom once per entry",
    );
    refused(
        &env,
        &["edit", &sid, "--lab", "hct=40", "--lab", "hematocrit=41"],
        "--lab: hematocrit is given twice (hct=40 and hematocrit=41); give each lab once per entry",
    );
    // Setting and removing one name in one edit is the same conflict.
    refused(
        &env,
        &["edit", &sid, "--symptom", "thirst:1", "--remove-symptom", "Thirsty"],
        "--remove-symptom: thirst is also given with --symptom (thirst:1); set it or remove it, not both",
    );
    refused(
        &env,
        &[
            "edit",
            &sid,
            "--lab",
            "hct=44",
            "--remove-lab",
            "hematocrit",
        ],
        "--remove-lab: hematocrit is also given with --lab (hct=44); set it or remove it, not both",
    );
    // One new value for a name the entry already has replaces it.
    env.ok(&["edit", &sid, "--symptom", "thirsty:1", "--lab", "hct=44"]);
    let e = env.entry(id);
    assert_eq!(e["symptoms"], json!({"fatigue": 1, "thirst": 1}));
    assert_eq!(e["labs"], json!({"hematocrit": 44.0}));
}

/// `cls import FILE` of `text` is refused with one line holding `want` and
/// ending "nothing was imported"; the diary is unchanged.
#[track_caller]
fn import_refused(env: &TestEnv, name: &str, text: &str, want: &str) {
    let file = env.path(name);
    fs::write(&file, text).unwrap();
    let file = file.to_str().unwrap();
    let before = env.diary_snapshot();
    let args = ["import", file];
    let out = env.run(&args);
    let err = assert_one_line_error(&out, 2, want, &args);
    assert_eq!(
        err,
        format!("cls: import {file}: {want}; nothing was imported")
    );
    assert_eq!(env.diary_snapshot(), before, "{name}: the diary changed");
}

#[test]
fn a_csv_row_that_repeats_a_name_rejects_the_file_with_its_line() {
    let env = TestEnv::new();
    let head = "date,time,weight_kg,symptoms,labs\n2026-11-20,08:00,68.0,fatigue:1,hct=44\n";
    import_refused(
        &env,
        "a.csv",
        &format!("{head}2026-11-21,08:00,68.1,thirst:2;thirst:1,\n"),
        "line 3: symptoms: thirst is given twice (thirst:2 and thirst:1); give each symptom once per entry",
    );
    assert!(!env.diary_exists(), "a refused import creates no diary");
    let (env, _) = with_an_entry();
    import_refused(
        &env,
        "b.csv",
        &format!("{head}2026-11-21,08:00,68.1,,\n2026-11-22,08:00,68.2,myalgia:1;fatigue;muscle-pain:2,\n"),
        "line 4: symptoms: muscle-pain is given twice (myalgia:1 and muscle-pain:2); give each symptom once per entry",
    );
    import_refused(
        &env,
        "c.csv",
        &format!("{head}2026-11-21,08:00,68.1,thirst,hct=40;hematocrit=41\n"),
        "line 3: labs: hematocrit is given twice (hct=40 and hematocrit=41); give each lab once per entry",
    );
    // The good rows alone import.
    let file = env.path("good.csv");
    fs::write(&file, head).unwrap();
    env.ok(&["import", file.to_str().unwrap()]);
}

#[test]
fn a_json_entry_that_repeats_a_name_rejects_the_file_with_its_line() {
    let (env, _) = with_an_entry();
    let doc = |entry: &str| {
        format!(
            "{{\"format\": \"cls-diary\", \"version\": 1,\n\"entries\": [\n\
             {{\"date\": \"2026-11-20\", \"weight_kg\": 68.0}},\n{entry}\n]}}\n"
        )
    };
    // A repeated key, which a JSON map would otherwise keep the last of.
    import_refused(
        &env,
        "a.json",
        &doc(r#"{"date": "2026-11-21", "symptoms": {"thirst": 2, "thirst": 1}}"#),
        "line 4: symptoms: thirst is given twice (thirst:2 and thirst:1); give each symptom once per entry",
    );
    import_refused(
        &env,
        "b.json",
        &doc(r#"{"date": "2026-11-21", "symptoms": {"edema": 1, "swelling": 3}}"#),
        "line 4: symptoms: swelling is given twice (edema:1 and swelling:3); give each symptom once per entry",
    );
    import_refused(
        &env,
        "c.json",
        &doc(r#"{"date": "2026-11-21", "labs": {"hct": 40, "hematocrit": 41}}"#),
        "line 4: labs: hematocrit is given twice (hct=40 and hematocrit=41); give each lab once per entry",
    );
}
