//! Issue 19, parts 3 and 4: an entry has one JSON shape in show, list,
//! export and report; every JSON output matches its schema in
//! `docs/schema` (and a wrong document does not); `--json` on symptoms,
//! paths and config show; the man page; completions that know the
//! symptom names, labs and urine words.

use serde_json::{json, Value};

use crate::schema_check::{assert_valid, errors};
use crate::support::*;

/// Run and parse the JSON it prints.
#[track_caller]
fn json_of(env: &TestEnv, args: &[&str]) -> Value {
    let out = env.ok(args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("cls {args:?}: not JSON ({e})\n{out}"))
}

/// A config with a custom symptom and a switched-off rule.
const CONFIG: &str = "[symptoms]\ncustom = [\"tingling\"]\n\n[rules.breathing]\nenabled = false\n";

/// Entries with every kind of field: all measurements, all three labs, a
/// custom symptom, medications with and without a dose, a note with
/// quotes and non-ASCII; one with only a note; one after midnight in lb
/// (a weight with many decimals in kg).
fn every_field(env: &TestEnv) -> Vec<i64> {
    env.write_config(CONFIG);
    vec![
        env.log(&[
            "--date",
            "2026-11-20",
            "--time",
            "07:30",
            "--weight",
            "68.4",
            "--bp",
            "118/76",
            "--standing-bp",
            "104/70",
            "--hr",
            "72",
            "--symptom",
            "thirst,fatigue:1,tingling:3",
            "--urine",
            "less",
            "--urine-ml",
            "900",
            "--lab",
            "hct=44",
            "--lab",
            "hb=14.2",
            "--lab",
            "alb=3.8g/dL",
            "--med",
            "ivig:2g/kg",
            "--med",
            "terbutaline",
            "--note",
            "infusion day; \"quoted\" ✓",
        ]),
        env.log(&["--date", "2026-11-21", "--note", "only a note"]),
        env.log(&[
            "--date",
            "2026-11-22",
            "--time",
            "01:30",
            "--weight",
            "151lb",
        ]),
    ]
}

#[test]
fn an_entry_has_one_json_shape_in_show_list_export_and_report() {
    let env = TestEnv::new();
    let ids = every_field(&env);
    // The harness checks show and list against entry.schema.json.
    let shown: Vec<Value> = ids.iter().map(|&id| env.entry(id)).collect();
    assert_eq!(
        shown[0],
        json!({
            "id": 1, "date": "2026-11-20", "time": "07:30", "utc_offset": "+00:00",
            "weight_kg": 68.4, "systolic": 118, "diastolic": 76,
            "standing_systolic": 104, "standing_diastolic": 70, "heart_rate": 72,
            "urine": "less", "urine_ml": 900,
            "symptoms": {"fatigue": 1, "thirst": 2, "tingling": 3},
            "labs": {"albumin": 38.0, "hematocrit": 44.0, "hemoglobin": 14.2},
            "medications": [{"name": "ivig", "dose": "2g/kg"}, {"name": "terbutaline"}],
            "note": "infusion day; \"quoted\" ✓"
        })
    );
    assert_eq!(
        shown[1],
        json!({"id": 2, "date": "2026-11-21", "time": "08:00", "utc_offset": "+00:00",
               "note": "only a note"}),
        "what was not measured is left out"
    );
    let listed = env.entries();
    assert_eq!(listed, shown, "list --json == show --json");

    let export = json_of(&env, &["export", "--format", "json"]);
    assert_valid("export.schema.json", &export, "cls export --format json");
    assert_eq!(export["entries"], Value::Array(listed.clone()), "export");

    let report = json_of(
        &env,
        &[
            "report",
            "--format",
            "json",
            "--from",
            "2026-11-20",
            "--to",
            TODAY,
        ],
    );
    assert_eq!(report["entries"], Value::Array(listed.clone()), "report");
    // A report of a shorter period has only its entries (by logical day:
    // 01:30 on the 22nd counts for the 21st).
    let report = json_of(
        &env,
        &[
            "report",
            "--format",
            "json",
            "--from",
            "2026-11-22",
            "--to",
            TODAY,
        ],
    );
    assert_eq!(report["entries"], json!([]));

    // Export, then import into an empty diary: the same entries back.
    let file = env.path("diary.json");
    env.cmd(["export", "--output", file.to_str().unwrap()])
        .assert()
        .success();
    let other = TestEnv::new();
    other.write_config(CONFIG);
    other.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(other.entries(), listed);
}

#[test]
fn a_source_is_refused_on_import_until_the_diary_can_keep_it() {
    let env = TestEnv::new();
    let file = env.path("in.json");
    let doc = |source: &str| {
        format!(
            "{{\"format\": \"cls-diary\", \"version\": 1, \"entries\": [\n\
             {{\"date\": \"2026-11-20\", \"weight_kg\": 68.4, \"source\": {source}}}\n]}}\n"
        )
    };
    // null is a hand entry, as the schema says.
    std::fs::write(&file, doc("null")).unwrap();
    env.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(env.entries().len(), 1);
    let before = env.diary_snapshot();
    std::fs::write(&file, doc("\"omron\"")).unwrap();
    let err = env.usage_error(&["import", file.to_str().unwrap()], "source");
    assert!(err.contains("line 2"), "{err}");
    assert_eq!(env.diary_snapshot(), before, "nothing written");
}

#[test]
fn check_json_matches_its_schema_at_every_level() {
    let mut env = TestEnv::new();
    env.write_config(CONFIG);
    // Nothing logged: unknown (D2). The harness checks the schema.
    let v = env.check(None);
    assert_eq!(v["level"], "unknown");
    assert_eq!(v["findings"][0]["rule"], "D2");
    assert_eq!(v["disabled"], json!(["L9"]));
    // A weight but no baseline: unknown (D1, its cause in the evidence).
    env.log(&["--date", "2026-11-24", "--weight", "68.0", "--bp", "118/76"]);
    let v = env.check(None);
    assert_eq!(v["level"], "unknown");
    assert_eq!(v["findings"][0]["evidence"]["cause"], "no_baseline");
    assert!(!v["skipped"].as_array().unwrap().is_empty(), "{v:#}");
    // A baseline: ok, with no finding.
    let days: Vec<&[&str]> = vec![&["--weight", "68.0", "--bp", "118/76", "--hr", "70"]; 7];
    env.log_days("2026-11-17", &days);
    let v = env.check(Some("2026-11-24"));
    assert_eq!(v["level"], "ok", "{v:#}");
    assert_eq!(
        v["as_of"],
        Value::Null,
        "a past day is judged as of its end"
    );
    // A gain: watch, then acknowledged (the level stays).
    env.log(&["--weight", "69.4", "--bp", "117/75", "--hr", "70"]);
    assert_eq!(env.check(None)["level"], "watch");
    env.set_now("2026-11-25T08:10:00Z");
    env.ok(&["ack", "--note", "called the team"]);
    let v = env.check(None);
    assert_eq!(v["level"], "watch");
    assert!(v["as_of"].is_string());
    let acked: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("acknowledged").is_some())
        .collect();
    assert!(!acked.is_empty(), "{v:#}");
    // The acknowledgement travels in the export, which matches its schema.
    let export = json_of(&env, &["export", "--format", "json"]);
    assert_eq!(export["acks"][0]["note"], "called the team", "{export:#}");
    assert_valid("export.schema.json", &export, "export with acks");
    // Fainting: emergency.
    env.log(&["--symptom", "fainting:3", "--bp", "82/50", "--hr", "128"]);
    let v = env.check(None);
    assert_eq!(v["level"], "emergency", "{v:#}");
}

#[test]
fn a_demo_diary_matches_the_schemas_everywhere() {
    let env = TestEnv::new();
    env.ok(&["demo", "--days", "120", "--seed", "3"]);
    // list --json says "synthetic" on stderr, so not env.entries().
    let out = env.run(&["list", "--all", "--json"]);
    let entries: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(entries.len() > 100, "{}", entries.len());
    for e in &entries {
        assert_valid("entry.schema.json", e, "cls list --json");
    }
    for key in [
        "medications",
        "labs",
        "symptoms",
        "note",
        "standing_systolic",
    ] {
        assert!(
            entries.iter().any(|e| e.get(key).is_some()),
            "the demo has no {key}"
        );
    }
    let v = env.check(None);
    assert_eq!(v["synthetic"], true);
    let report = json_of(&env, &["report", "--format", "json", "--last", "30d"]);
    for e in report["entries"].as_array().unwrap() {
        assert_valid("entry.schema.json", e, "report entry");
    }
    let export = json_of(&env, &["export", "--format", "json"]);
    assert_valid("export.schema.json", &export, "export");
    // Every day of the history too (one check --json document a day).
    for day in ["2026-08-01", "2026-09-15", "2026-10-30"] {
        env.check(Some(day));
    }
}

/// A valid document, changed in one place, fails its schema.
#[test]
fn a_wrong_document_fails_its_schema() {
    let env = TestEnv::new();
    let ids = every_field(&env);
    let entry = env.entry(ids[0]);
    let changed = |f: &dyn Fn(&mut serde_json::Map<String, Value>)| {
        let mut e = entry.as_object().unwrap().clone();
        f(&mut e);
        Value::Object(e)
    };
    let wrong_entries = [
        (
            "the old bp object",
            changed(&|e| {
                e.insert("bp".into(), json!({"systolic": 118, "diastolic": 76}));
            }),
        ),
        (
            "systolic without diastolic",
            changed(&|e| {
                e.remove("diastolic");
            }),
        ),
        (
            "a string for a number",
            changed(&|e| {
                e.insert("systolic".into(), json!("118"));
            }),
        ),
        (
            "a severity of 4",
            changed(&|e| {
                e["symptoms"]["thirst"] = json!(4);
            }),
        ),
        (
            "symptoms as a list",
            changed(&|e| {
                e.insert(
                    "symptoms".into(),
                    json!([{"name": "thirst", "severity": 2}]),
                );
            }),
        ),
        (
            "an unknown lab",
            changed(&|e| {
                e["labs"]["sodium"] = json!(140);
            }),
        ),
        (
            "no date",
            changed(&|e| {
                e.remove("date");
            }),
        ),
        (
            "a time with seconds",
            changed(&|e| {
                e.insert("time".into(), json!("07:30:00"));
            }),
        ),
        (
            "a null weight",
            changed(&|e| {
                e.insert("weight_kg".into(), Value::Null);
            }),
        ),
        (
            "urine 'little'",
            changed(&|e| {
                e.insert("urine".into(), json!("little"));
            }),
        ),
        (
            "a weight out of range",
            changed(&|e| {
                e.insert("weight_kg".into(), json!(19.9));
            }),
        ),
    ];
    for (what, doc) in &wrong_entries {
        assert!(
            !errors("entry.schema.json", doc).is_empty(),
            "{what} passed:\n{doc:#}"
        );
    }

    let check = env.check(None);
    assert_eq!(check["level"], "unknown");
    let changed = |f: &dyn Fn(&mut Value)| {
        let mut c = check.clone();
        f(&mut c);
        c
    };
    let wrong_checks = [
        ("ok with a finding", changed(&|c| c["level"] = json!("ok"))),
        ("a level 'fine'", changed(&|c| c["level"] = json!("fine"))),
        (
            "watch without a watch finding",
            changed(&|c| c["level"] = json!("watch")),
        ),
        (
            "unknown without a finding",
            changed(&|c| c["findings"] = json!([])),
        ),
        (
            "no disabled list",
            changed(&|c| {
                c.as_object_mut().unwrap().remove("disabled");
            }),
        ),
        (
            "a finding without its message",
            changed(&|c| {
                c["findings"][0].as_object_mut().unwrap().remove("message");
            }),
        ),
        (
            "D1 or D2 without their evidence",
            changed(&|c| {
                c["findings"][0]["evidence"] = json!({});
            }),
        ),
        (
            "an acknowledged emergency",
            changed(&|c| {
                c["level"] = json!("emergency");
                c["findings"][0]["level"] = json!("emergency");
                c["findings"][0]["acknowledged"] =
                    json!({"at": "2026-11-25T08:00:00+00:00", "note": null});
            }),
        ),
        (
            "synthetic: false",
            changed(&|c| c["synthetic"] = json!(false)),
        ),
    ];
    assert!(errors("check.schema.json", &check).is_empty());
    for (what, doc) in &wrong_checks {
        assert!(
            !errors("check.schema.json", doc).is_empty(),
            "{what} passed:\n{doc:#}"
        );
    }
}

/// The schemas are themselves valid draft 2020-12 documents for any
/// validator: only known keywords (the small validator panics on others),
/// and each refers only to files that exist.
#[test]
fn every_schema_file_is_used_and_loads() {
    let mut names: Vec<String> = std::fs::read_dir(crate::schema_check::dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "check.schema.json",
            "entry.schema.json",
            "export.schema.json"
        ]
    );
    for name in &names {
        let s = crate::schema_check::load(name);
        assert_eq!(
            s["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{name}"
        );
        assert_eq!(s["$id"], json!(name));
    }
}

// ---- --json on the small commands -------------------------------------------

#[test]
fn symptoms_paths_and_config_show_speak_json() {
    let env = TestEnv::new();
    env.write_config(CONFIG);
    let v = json_of(&env, &["symptoms", "--json"]);
    let list = v["symptoms"].as_array().unwrap();
    let thirst = list.iter().find(|s| s["name"] == "thirst").unwrap();
    assert_eq!(thirst["prodrome"], true, "{thirst}");
    assert!(thirst["aliases"]
        .as_array()
        .unwrap()
        .contains(&json!("thirsty")));
    assert!(list.iter().any(|s| s["name"] == "fainting"));
    assert_eq!(v["custom"], json!(["tingling"]));
    assert_eq!(v["severity"]["default"], 2);
    assert_eq!(
        v["severity"]["levels"][3],
        json!({"value": 3, "word": "severe"})
    );
    // The text lists the same names.
    let text = env.ok(&["symptoms"]);
    for s in list {
        assert!(text.contains(s["name"].as_str().unwrap()), "{s}");
    }

    let v = json_of(&env, &["paths", "--json"]);
    assert_eq!(
        v,
        json!({"diary": env.db_path().to_str().unwrap(), "config": env.config_path().to_str().unwrap()})
    );

    let v = json_of(&env, &["config", "show", "--json"]);
    assert_eq!(v["source"], json!(env.config_path().to_str().unwrap()));
    assert_eq!(v["exists"], true);
    assert_eq!(v["config"]["symptoms"]["custom"], json!(["tingling"]));
    assert_eq!(v["config"]["rules"]["breathing"]["enabled"], false);
    let missing = TestEnv::without_config();
    // (stderr notes the missing file.)
    let out = missing.run(&["config", "show", "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["exists"], false);
    assert!(!missing.diary_exists(), "reading creates nothing");
    assert!(!env.diary_exists());

    for cmd in ["symptoms", "paths", "config show"] {
        let mut args: Vec<&str> = cmd.split(' ').collect();
        args.push("--help");
        let help = env.ok(&args);
        assert!(help.contains("--json"), "cls {cmd} --help:\n{help}");
    }
}

// ---- man page -----------------------------------------------------------------

#[test]
fn man_prints_one_roff_page_with_every_subcommand() {
    let env = TestEnv::new();
    let page = env.ok(&["man"]);
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq") || page.starts_with(".TH"),
        "{}",
        &page[..200]
    );
    assert!(page.contains(".TH cls 1"), "{}", &page[..300]);
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH OPTIONS",
        ".SH COMMANDS",
        ".SH EXAMPLES",
    ] {
        assert!(
            page.contains(&format!("\n{section}\n")),
            "{section} missing"
        );
    }
    for sub in [
        "log",
        "check",
        "status",
        "ack",
        "report",
        "list",
        "edit",
        "export",
        "import",
        "backup",
        "restore",
        "doctor",
        "completions",
        "man",
        "demo",
        "episode start",
        "config show",
    ] {
        assert!(
            page.contains(&format!(".SS \"cls {sub}\"")),
            "cls {sub} missing"
        );
    }
    // Examples stay laid out as in --help, and the exit statuses are there.
    assert!(page.contains(".nf\n"), "examples are not filled");
    assert!(page.contains("13  check: emergency"), "exit statuses");
    assert!(!env.diary_exists());

    let log = env.ok(&["man", "log"]);
    assert!(
        log.contains(".TH cls\\-log 1") || log.contains(".TH cls-log 1"),
        "{}",
        &log[..300]
    );
    assert!(log.contains("\\-\\-symptom"), "{log}");
    assert!(!log.contains(".SS \"cls check\""), "one subcommand only");
    let start = env.ok(&["man", "episode", "start"]);
    assert!(start.contains("cls\\-episode\\-start") || start.contains("cls-episode-start"));

    let err = env.usage_error(&["man", "lgo"], "no subcommand 'lgo'");
    assert!(err.contains("log, "), "{err}");
}

/// The page reads cleanly to groff (no warnings), when groff is installed.
#[test]
fn man_page_renders_without_groff_warnings() {
    let env = TestEnv::new();
    let page = env.ok(&["man"]);
    let Ok(mut child) = std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    else {
        eprintln!("groff is not installed: skipped");
        return;
    };
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(page.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let warnings = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && warnings.is_empty(), "{warnings}");
}

// ---- completions ----------------------------------------------------------------

#[test]
fn completions_offer_symptom_names_labs_and_urine_words() {
    let env = TestEnv::new();
    for shell in ["bash", "zsh", "fish"] {
        let script = env.ok(&["completions", shell]);
        for word in [
            "thirst",
            "fatigue",
            "abdominal-pain",
            "breathlessness",
            "fainting",
            "less",
            "normal",
            "more",
            "hematocrit=",
            "albumin=",
        ] {
            assert!(script.contains(word), "{shell}: no {word}");
        }
    }
    // bash offers them after --symptom and --urine, in the log and edit cases.
    let bash = env.ok(&["completions", "bash"]);
    let symptom_case = bash
        .split("--symptom)")
        .nth(1)
        .expect("a --symptom case")
        .split(";;")
        .next()
        .unwrap();
    assert!(symptom_case.contains("thirst fatigue"), "{symptom_case}");
    let urine_case = bash
        .split("--urine)")
        .nth(1)
        .unwrap()
        .split(";;")
        .next()
        .unwrap();
    assert!(urine_case.contains("less normal more"), "{urine_case}");

    // The hints limit nothing: severities, aliases and custom symptoms
    // still parse, and a wrong name gets cls's own message.
    env.write_config(CONFIG);
    let id = env.log(&[
        "--symptom",
        "thirst:2",
        "-s",
        "myalgia:1",
        "--symptom",
        "tingling",
        "--urine",
        "LESS",
    ]);
    let e = env.entry(id);
    assert_eq!(
        e["symptoms"],
        json!({"thirst": 2, "muscle-pain": 1, "tingling": 2})
    );
    assert_eq!(e["urine"], "less");
    let before = env.diary_snapshot();
    let err = env.usage_error(&["log", "--symptom", "thirts"], "--symptom");
    assert!(err.contains("thirts"), "{err}");
    assert!(!err.contains("possible values"), "{err}");
    assert_eq!(env.diary_snapshot(), before);
    // And --help does not list every symptom after the flag.
    let help = env.ok(&["log", "--help"]);
    assert!(!help.contains("possible values"), "{help}");
}
