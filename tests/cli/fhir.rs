//! `cls export --format fhir` end to end: the bundle's structure, codes,
//! units and offsets, ids that survive a re-export, the patient from the
//! config (none from a demo diary), --from/--to, what is left out, and the
//! refusals. The schema itself is checked offline by `.ci/fhir-validate`.

use serde_json::Value;

use crate::support::{describe, stdout, TestEnv};

/// Export as FHIR to stdout and parse it; stderr may carry the note on
/// what is left out.
#[track_caller]
fn bundle(env: &TestEnv, extra: &[&str]) -> Value {
    let mut args = vec!["export", "--format", "fhir"];
    args.extend_from_slice(extra);
    let out = env.run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}: {}", describe(&out)))
}

fn resources<'a>(b: &'a Value, kind: &str) -> Vec<&'a Value> {
    b["entry"]
        .as_array()
        .expect("entry")
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == kind)
        .collect()
}

fn by_code<'a>(b: &'a Value, code: &str) -> Vec<&'a Value> {
    resources(b, "Observation")
        .into_iter()
        .filter(|r| r["code"]["coding"][0]["code"] == code)
        .collect()
}

/// Entries on both sides of New York's spring change and on the repeated
/// hour of the autumn one.
fn new_york() -> TestEnv {
    let mut env = TestEnv::new();
    env.set_tz("America/New_York");
    env.write_config("[symptoms]\ncustom = [\"palpitations\"]\n");
    env.log(&[
        "--date",
        "2026-03-07",
        "--time",
        "07:30",
        "--weight",
        "68.4",
        "--bp",
        "118/76",
        "--standing-bp",
        "96/70",
        "--hr",
        "72",
        "--symptom",
        "thirst:2,breathlessness:0,palpitations:1",
        "--lab",
        "hematocrit=47",
        "--lab",
        "albumin=31.5",
        "--lab",
        "hemoglobin=15.2",
        "--urine-ml",
        "650",
        "--urine",
        "less",
    ]);
    env.log(&[
        "--date",
        "2026-03-09",
        "--time",
        "07:30",
        "--weight",
        "69.0",
    ]);
    env.log(&["--date", "2026-11-01", "--time", "01:30", "--hr", "88"]);
    env
}

#[test]
fn the_bundle_has_codes_units_offsets_and_an_anonymous_patient() {
    let env = new_york();
    let b = bundle(&env, &[]);
    assert_eq!(b["resourceType"], "Bundle");
    assert_eq!(b["type"], "collection");
    assert_eq!(b["timestamp"], "2026-11-25T08:00:00Z");

    // No name or birth date in the config: none in the bundle.
    let patients = resources(&b, "Patient");
    assert_eq!(patients.len(), 1);
    let keys: Vec<&String> = patients[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "resourceType"]);
    assert!(resources(&b, "Condition").is_empty());
    let patient_url = format!("urn:uuid:{}", patients[0]["id"].as_str().unwrap());

    // Each value once, in its unit, at the entry's offset.
    let one = |code: &str| {
        let v = by_code(&b, code);
        assert_eq!(v.len(), 1, "{code}");
        v[0].clone()
    };
    let weights = by_code(&b, "29463-7");
    assert_eq!(weights.len(), 2);
    assert_eq!(weights[0]["effectiveDateTime"], "2026-03-07T07:30:00-05:00");
    assert_eq!(weights[1]["effectiveDateTime"], "2026-03-09T07:30:00-04:00");
    assert_eq!(weights[1]["valueQuantity"]["value"], 69.0);
    assert_eq!(weights[1]["valueQuantity"]["code"], "kg");
    let hr = by_code(&b, "8867-4");
    // 01:30 on 1 November happens twice; cls takes the earlier (EDT).
    assert_eq!(hr[1]["effectiveDateTime"], "2026-11-01T01:30:00-04:00");
    assert_eq!(hr[0]["valueQuantity"]["code"], "/min");
    assert_eq!(one("42908-4")["valueQuantity"]["value"], 47.0);
    assert_eq!(one("718-7")["valueQuantity"]["code"], "g/dL");
    assert_eq!(one("1751-7")["valueQuantity"]["value"], 3.15, "31.5 g/L");
    assert_eq!(one("9192-6")["valueQuantity"]["value"], 0.65, "650 mL");
    assert_eq!(one("9192-6")["valueQuantity"]["code"], "L/d");
    let panels = by_code(&b, "85354-9");
    assert_eq!(panels.len(), 2, "sitting and standing");
    assert_eq!(
        panels[1]["extension"][0]["valueCodeableConcept"]["coding"][0]["code"],
        "10904000"
    );
    assert_eq!(panels[1]["component"][0]["valueQuantity"]["value"], 96);
    assert_eq!(
        panels[1]["component"][1]["code"]["coding"][0]["code"],
        "8462-4"
    );
    assert_eq!(
        one("267036007")["valueInteger"],
        0,
        "breathlessness 0 is kept"
    );
    assert_eq!(one("80313002")["code"]["text"], "palpitations");
    let thirst: Vec<&Value> = resources(&b, "Observation")
        .into_iter()
        .filter(|r| r["code"]["text"] == "thirst")
        .collect();
    assert!(thirst[0]["code"]["coding"].is_null(), "no unverified code");
    assert_eq!(thirst[0]["valueInteger"], 2);

    for r in resources(&b, "Observation") {
        assert_eq!(r["status"], "final");
        assert_eq!(r["subject"]["reference"], patient_url.as_str());
        assert!(r["meta"].is_null(), "not marked as test data");
    }
    for e in b["entry"].as_array().unwrap() {
        assert_eq!(
            e["fullUrl"],
            format!("urn:uuid:{}", e["resource"]["id"].as_str().unwrap())
        );
    }
}

#[test]
fn a_re_export_gives_the_same_ids_and_an_edit_keeps_them() {
    let mut env = new_york();
    let urls = |b: &Value| -> Vec<String> {
        b["entry"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["fullUrl"].as_str().unwrap().to_string())
            .collect()
    };
    let first = bundle(&env, &[]);
    env.set_now("2026-11-28T09:00:00Z");
    let again = bundle(&env, &[]);
    assert_ne!(first["timestamp"], again["timestamp"]);
    assert_eq!(urls(&first), urls(&again));
    let mut unique = urls(&first);
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), urls(&first).len(), "no id twice");

    // A corrected weight is the same observation, with the new value.
    let id = env.entries()[1]["id"].as_i64().unwrap().to_string();
    env.ok(&["edit", &id, "--weight", "69.2"]);
    let edited = bundle(&env, &[]);
    assert_eq!(urls(&first), urls(&edited));
    assert_eq!(
        by_code(&edited, "29463-7")[1]["valueQuantity"]["value"],
        69.2
    );
}

#[test]
fn from_and_to_pick_days() {
    let env = new_york();
    let b = bundle(&env, &["--from", "2026-03-08", "--to", "2026-03-31"]);
    let obs = resources(&b, "Observation");
    assert_eq!(obs.len(), 1);
    assert_eq!(obs[0]["effectiveDateTime"], "2026-03-09T07:30:00-04:00");
    let b = bundle(&env, &["--from", "2026-12-01"]);
    assert!(resources(&b, "Observation").is_empty());
    assert_eq!(
        resources(&b, "Patient").len(),
        1,
        "a patient even when empty"
    );
    env.usage_error(
        &[
            "export",
            "--format",
            "fhir",
            "--from",
            "2026-04-01",
            "--to",
            "2026-03-01",
        ],
        "--from",
    );
}

#[test]
fn the_patient_and_condition_come_from_the_config() {
    let env = TestEnv::new();
    env.write_config(
        "[patient]\nname = \"Alex Example\"\ndate_of_birth = 1970-01-31\ninclude_condition = true\n",
    );
    env.log(&["--weight", "68.4"]);
    let b = bundle(&env, &[]);
    let p = resources(&b, "Patient")[0];
    assert_eq!(p["name"][0]["text"], "Alex Example");
    assert_eq!(p["birthDate"], "1970-01-31");
    let c = resources(&b, "Condition");
    assert_eq!(c.len(), 1);
    assert_eq!(
        c[0]["code"]["coding"][0]["system"],
        "http://hl7.org/fhir/sid/icd-10"
    );
    assert_eq!(c[0]["code"]["coding"][0]["code"], "I78.8");
    assert_eq!(c[0]["clinicalStatus"]["coding"][0]["code"], "active");
    assert_eq!(
        c[0]["subject"]["reference"],
        format!("urn:uuid:{}", p["id"].as_str().unwrap())
    );
}

#[test]
fn a_demo_diary_has_no_identity_and_is_marked_as_test_data() {
    let env = TestEnv::new();
    env.write_config("[patient]\nname = \"Alex Example\"\ninclude_condition = true\n");
    env.ok(&["demo", "--days", "30", "--end", "2026-11-24"]);
    let b = bundle(&env, &[]);
    assert!(!b.to_string().contains("Alex"));
    assert!(resources(&b, "Condition").is_empty());
    assert_eq!(b["meta"]["security"][0]["code"], "HTEST");
    assert!(resources(&b, "Observation").len() > 30);
    for e in b["entry"].as_array().unwrap() {
        assert_eq!(e["resource"]["meta"]["security"][0]["code"], "HTEST");
    }
}

#[test]
fn the_file_is_private_and_what_is_left_out_is_said() {
    let env = TestEnv::new();
    env.log(&[
        "--weight",
        "68.4",
        "--med",
        "ivig:2g/kg",
        "--note",
        "a private thought",
    ]);
    env.ok(&["episode", "start", "--date", "2026-11-20"]);
    let out = env.run(&["export", "--format", "fhir", "--output", "clinic.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err,
        "cls: note: not in the FHIR bundle: the medications of 1 entry, 1 note, 1 episode (use --format json for everything)\n\
         exported 1 entry as 1 observation in a FHIR bundle to clinic.json\n"
    );
    let path = env.path("clinic.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("private thought") && !text.contains("ivig"));
    let b: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(by_code(&b, "29463-7").len(), 1);
}

#[test]
fn refusals_write_nothing() {
    let env = TestEnv::new();
    env.log(&["--weight", "68.4"]);
    let before = env.diary_snapshot();
    let diary = env.db_path();

    // Never over the diary.
    env.usage_error(
        &[
            "export",
            "--format",
            "fhir",
            "--output",
            diary.to_str().unwrap(),
        ],
        "--output",
    );
    assert_eq!(env.diary_snapshot(), before);

    // A bad config key stops before anything is written.
    env.write_config("[patient]\ninclude_condition = \"yes\"\n");
    let err = env.runtime_error(
        &["export", "--format", "fhir", "--output", "clinic.json"],
        "include_condition",
    );
    assert!(err.contains("config "), "{err}");
    assert!(!env.path("clinic.json").exists());
    env.write_config("");

    // cls import does not read FHIR: refused by name, or as not a cls export.
    let out = env.run(&["import", "--format", "fhir", "x.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid value 'fhir'"));
    let out = env.run(&["export", "--format", "fhir", "--output", "clinic.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let err = env.usage_error(&["import", "clinic.json"], "clinic.json");
    assert!(err.contains("format: this is a FHIR resource"), "{err}");
    assert_eq!(env.diary_snapshot(), before);
}
