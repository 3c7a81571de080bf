//! `cls log`: every flag's happy path, the date and time forms, the
//! confirmation, and every way to get a value wrong. A bad value must be
//! rejected whole (exit 2, one line naming the flag and the range) with
//! nothing written: not the entry, not even an empty diary file.

use serde_json::{json, Value};

use crate::support::{logged_id, TestEnv, TODAY};

/// Log one entry and read it back as JSON.
#[track_caller]
fn log_and_read(env: &TestEnv, args: &[&str]) -> Value {
    let id = env.log(args);
    env.entry(id)
}

/// The entry's symptoms by name (an object of name to severity, absent
/// when none).
fn symptoms(e: &Value) -> Vec<(String, u64)> {
    let Some(map) = e["symptoms"].as_object() else {
        return Vec::new();
    };
    map.iter()
        .map(|(name, sev)| (name.clone(), sev.as_u64().unwrap()))
        .collect()
}

fn s(name: &str, sev: u64) -> (String, u64) {
    (name.to_string(), sev)
}

// ---- happy paths ----------------------------------------------------------

#[test]
fn confirmation_line_has_the_id_then_the_status_line() {
    let env = TestEnv::new();
    let out = env.ok(&[
        "log",
        "--weight",
        "68.4",
        "--bp",
        "118/76",
        "--symptom",
        "thirst",
    ]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "logged entry 1 for 2026-11-25 08:00: weight 68.4 kg, BP 118/76, thirst (moderate)"
    );
    // The level itself belongs to the rules engine; the line's shape is ours.
    // Today's status is judged as of now (rule set v2).
    assert!(
        lines[1].starts_with(&format!("status for {TODAY} as of 08:00: ")),
        "{out}"
    );
    let level = lines[1].trim_start_matches(&format!("status for {TODAY} as of 08:00: "));
    let word = level.split_whitespace().next().unwrap_or_default();
    assert!(
        ["ok", "unknown", "watch", "warning", "emergency"].contains(&word),
        "{out}"
    );

    let out = env.ok(&["log", "--hr", "72"]);
    assert_eq!(logged_id(&out), Some(2), "ids count up: {out}");
}

/// An entry timed later today than now is judged as of its own time in
/// the confirmation: as of now it would not count yet, and a warning's
/// values read "ok" (a mistyped --time). At warning, "What to do" names the
/// patient's team as `cls check` does.
#[test]
fn an_entry_later_today_is_judged_as_of_its_own_time() {
    let env = TestEnv::new();
    env.write_config("[patient.specialist]\nname = \"Dr Okafor\"\nphone = \"+44 20 7946 0999\"\n");
    let days: Vec<&[&str]> = vec![&["--weight", "68.0", "--bp", "118/76", "--hr", "70"]; 10];
    env.log_days("2026-11-15", &days);
    let out = env.ok(&[
        "log", "--weight", "70.2kg", "--bp", "118/76", "--hr", "70", "--time", "08:30",
    ]);
    assert!(
        out.contains(&format!("status for {TODAY} as of 08:30: warning")),
        "{out}"
    );
    assert!(out.contains("What to do (warning): "), "{out}");
    assert!(out.contains("Your SCLS team: Dr Okafor"), "{out}");
}

#[test]
fn weight_units_are_converted_and_stored_in_kg() {
    let env = TestEnv::new();
    for (given, kg) in [
        ("68.4", 68.4),
        ("68.4kg", 68.4),
        ("68.4 KG", 68.4),
        ("150lb", 68.04),
        ("150 lb", 68.04),
        ("150lbs", 68.04),
        ("20", 20.0),
        ("350", 350.0),
    ] {
        let e = log_and_read(&env, &["--weight", given]);
        assert_eq!(e["weight_kg"], json!(kg), "--weight {given}");
    }
}

#[test]
fn weight_without_unit_uses_the_configured_unit() {
    let env = TestEnv::new();
    env.write_config("[units]\nweight = \"lb\"\n");
    let out = env.ok(&["log", "--weight", "150"]);
    assert!(out.contains("weight 150.0 lb"), "shown in lb: {out}");
    let id = logged_id(&out).unwrap();
    assert_eq!(env.entry(id)["weight_kg"], json!(68.04), "stored in kg");
    // An explicit unit still wins over the config.
    let e = log_and_read(&env, &["--weight", "68kg"]);
    assert_eq!(e["weight_kg"], json!(68.0));
    // The range is checked in kg: 800 lb is 363 kg.
    env.usage_error(&["log", "--weight", "800"], "--weight");
}

#[test]
fn blood_pressure_standing_bp_and_heart_rate() {
    let env = TestEnv::new();
    let e = log_and_read(
        &env,
        &[
            "--bp",
            "118/76",
            "--standing-bp",
            " 100 / 70 ",
            "--hr",
            "72",
        ],
    );
    assert_eq!((&e["systolic"], &e["diastolic"]), (&json!(118), &json!(76)));
    assert_eq!(
        (&e["standing_systolic"], &e["standing_diastolic"]),
        (&json!(100), &json!(70))
    );
    assert_eq!(e["heart_rate"], json!(72));
    assert_eq!(e["weight_kg"], Value::Null, "unmeasured stays empty");
    // The edges of every range are accepted.
    let e = log_and_read(
        &env,
        &["--bp", "300/200", "--standing-bp", "40/20", "--hr", "20"],
    );
    assert_eq!(
        (&e["systolic"], &e["diastolic"]),
        (&json!(300), &json!(200))
    );
    assert_eq!(
        (&e["standing_systolic"], &e["standing_diastolic"]),
        (&json!(40), &json!(20))
    );
    let e = log_and_read(&env, &["--hr", "250"]);
    assert_eq!(e["heart_rate"], json!(250));
}

#[test]
fn symptoms_repeat_and_comma_lists_with_severities() {
    let env = TestEnv::new();
    let e = log_and_read(
        &env,
        &[
            "--symptom",
            "thirst,fatigue:1",
            "--symptom",
            "headache:3",
            "-s",
            "nausea:0",
        ],
    );
    assert_eq!(
        symptoms(&e),
        vec![
            s("fatigue", 1),
            s("headache", 3),
            s("nausea", 0),
            s("thirst", 2)
        ],
        "omitted severity is 2; 0 is kept"
    );
    // The same symptom twice is refused, not resolved (one value per name;
    // more cases in one_value.rs).
    env.usage_error(
        &["log", "--symptom", "thirst:1", "--symptom", "Thirst:3"],
        "--symptom: thirst is given twice (thirst:1 and Thirst:3)",
    );
}

#[test]
fn symptom_aliases_and_spelling_variants_map_to_canonical_names() {
    let env = TestEnv::new();
    for (typed, canonical) in [
        ("myalgia", "muscle-pain"),
        ("edema", "swelling"),
        ("oedema", "swelling"),
        ("dyspnea", "breathlessness"),
        ("syncope", "fainting"),
        ("runny-nose", "cold-symptoms"),
        ("uri", "cold-symptoms"),
        ("sore-throat", "cold-symptoms"),
        ("cough", "cold-symptoms"),
        ("tiredness", "fatigue"),
        ("lightheaded", "dizziness"),
        ("lightheadedness", "dizziness"),
        ("diarrhoea", "diarrhea"),
        ("Abdominal pain", "abdominal-pain"),
        ("abdominal_pain", "abdominal-pain"),
        ("ABDOMINAL-PAIN", "abdominal-pain"),
        ("  Muscle_Pain ", "muscle-pain"),
        ("Runny nose", "cold-symptoms"),
    ] {
        let arg = format!("{typed}:1");
        let e = log_and_read(&env, &["--symptom", &arg]);
        assert_eq!(symptoms(&e), vec![s(canonical, 1)], "--symptom {typed:?}");
    }
}

#[test]
fn every_canonical_symptom_is_accepted_in_one_comma_list() {
    let env = TestEnv::new();
    let all = [
        "thirst",
        "fatigue",
        "weakness",
        "headache",
        "irritability",
        "nausea",
        "vomiting",
        "abdominal-pain",
        "muscle-pain",
        "cold-symptoms",
        "fever",
        "diarrhea",
        "swelling",
        "dizziness",
        "fainting",
        "breathlessness",
        "orthopnea",
        "polyuria",
    ];
    let e = log_and_read(&env, &["--symptom", &all.join(",")]);
    let mut want: Vec<_> = all.iter().map(|n| s(n, 2)).collect();
    want.sort();
    assert_eq!(symptoms(&e), want);
}

#[test]
fn custom_symptoms_from_the_config_are_accepted() {
    let env = TestEnv::new();
    env.write_config("[symptoms]\ncustom = [\"joint pain\", \"rash\"]\n");
    let e = log_and_read(
        &env,
        &["--symptom", "Joint_Pain:3,rash", "--symptom", "thirst:1"],
    );
    assert_eq!(
        symptoms(&e),
        vec![s("joint-pain", 3), s("rash", 2), s("thirst", 1)]
    );
    // Without the config they are unknown again.
    env.write_config("");
    env.usage_error(&["log", "--symptom", "rash"], "unknown symptom 'rash'");
}

#[test]
fn urine_and_urine_ml() {
    let env = TestEnv::new();
    for (given, want) in [("less", "less"), ("Normal", "normal"), (" MORE ", "more")] {
        let e = log_and_read(&env, &["--urine", given]);
        assert_eq!(e["urine"], json!(want), "--urine {given:?}");
    }
    for (given, want) in [
        ("900", 900),
        ("900ml", 900),
        ("1200 mL", 1200),
        ("0", 0),
        ("10000", 10000),
    ] {
        let e = log_and_read(&env, &["--urine-ml", given]);
        assert_eq!(e["urine_ml"], json!(want), "--urine-ml {given:?}");
    }
}

#[test]
fn labs_with_names_abbreviations_and_units() {
    let env = TestEnv::new();
    let e = log_and_read(
        &env,
        &[
            "--lab",
            "hematocrit=44",
            "--lab",
            "hemoglobin=14.2",
            "--lab",
            "albumin=38",
        ],
    );
    assert_eq!(
        e["labs"],
        json!({"hemoglobin": 14.2, "hematocrit": 44.0, "albumin": 38.0})
    );
    for (given, kind, value) in [
        ("hct=44%", "hematocrit", 44.0),
        ("Hematocrit = 44 %", "hematocrit", 44.0),
        ("Hb=14.2g/dL", "hemoglobin", 14.2),
        ("hgb=9.5", "hemoglobin", 9.5),
        ("albumin=38g/L", "albumin", 38.0),
        // g/dL is converted to the stored g/L.
        ("albumin=3.8g/dL", "albumin", 38.0),
        ("alb=2.2 g/dl", "albumin", 22.0),
        // ... without binary noise: 1.56 * 10 is 15.600000000000001 in f64.
        ("albumin=1.56g/dL", "albumin", 15.6),
        ("albumin=1.63g/dL", "albumin", 16.3),
        ("albumin=5", "albumin", 5.0),
        ("albumin=60", "albumin", 60.0),
    ] {
        let e = log_and_read(&env, &["--lab", given]);
        assert_eq!(e["labs"], json!({kind: value}), "--lab {given:?}");
    }
}

#[test]
fn medications_keep_their_order_and_doses() {
    let env = TestEnv::new();
    let e = log_and_read(
        &env,
        &[
            "--med",
            "IVIG:2g/kg",
            "--med",
            "theophylline:300mg",
            "--med",
            "terbutaline",
        ],
    );
    assert_eq!(
        e["medications"],
        json!([
            {"name": "ivig", "dose": "2g/kg"},
            {"name": "theophylline", "dose": "300mg"},
            {"name": "terbutaline"}
        ])
    );
}

#[test]
fn notes_round_trip_byte_for_byte() {
    let env = TestEnv::new();
    for note in [
        "slept badly 🙂 'single' \"double\" `back`",
        "'; DROP TABLE entry;--",
        "100% _under_ \\back\\slash",
        "line one\nline two\ttabbed",
        "مرحبا שלום 你好 👩‍👩‍👧",
        "escape \u{1b}[2J here",
    ] {
        let e = log_and_read(&env, &["--note", note]);
        assert_eq!(e["note"], json!(note));
    }
    // The longest note allowed, in multi-byte characters.
    let long = "é".repeat(4000);
    let e = log_and_read(&env, &["--note", &long]);
    assert_eq!(e["note"].as_str().unwrap().chars().count(), 4000);
    // Terminal escapes are neutralised when shown, not when stored.
    let out = env.ok(&["list", "--all"]);
    assert!(!out.contains('\u{1b}'), "no raw escape on screen: {out}");
}

#[test]
fn every_flag_at_once() {
    let env = TestEnv::new();
    let e = log_and_read(
        &env,
        &[
            "--date",
            "2026-11-24",
            "--time",
            "07:15",
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
            "--med",
            "ivig:2g/kg",
            "--note",
            "all of it",
        ],
    );
    assert_eq!(
        e,
        json!({
            "id": 1,
            "date": "2026-11-24",
            "time": "07:15",
            "utc_offset": "+00:00",
            "weight_kg": 68.4,
            "systolic": 118,
            "diastolic": 76,
            "standing_systolic": 104,
            "standing_diastolic": 70,
            "heart_rate": 72,
            "urine": "less",
            "urine_ml": 900,
            "symptoms": {"fatigue": 1, "thirst": 2},
            "labs": {"hematocrit": 44.0},
            "medications": [{"name": "ivig", "dose": "2g/kg"}],
            "note": "all of it"
        })
    );
}

// ---- dates and times ------------------------------------------------------

#[test]
fn date_forms_and_default_times() {
    let mut env = TestEnv::new();
    // Not 08:00, so that "now" and the 08:00 default for past days differ.
    env.set_now("2026-11-25T14:37:45Z");
    for (date, want_date, want_time) in [
        (None, "2026-11-25", "14:37"),
        (Some("today"), "2026-11-25", "14:37"),
        (Some("TODAY"), "2026-11-25", "14:37"),
        (Some("-0d"), "2026-11-25", "14:37"),
        (Some("yesterday"), "2026-11-24", "08:00"),
        (Some("-3d"), "2026-11-22", "08:00"),
        (Some("2026-11-01"), "2026-11-01", "08:00"),
        (Some("2025-02-28"), "2025-02-28", "08:00"),
        // One day ahead is allowed (time zones, travel).
        (Some("2026-11-26"), "2026-11-26", "14:37"),
    ] {
        let mut args = vec!["--weight", "68"];
        if let Some(d) = date {
            args.extend(["--date", d]);
        }
        let e = log_and_read(&env, &args);
        assert_eq!(
            (e["date"].as_str().unwrap(), e["time"].as_str().unwrap()),
            (want_date, want_time),
            "--date {date:?}"
        );
    }
    let e = log_and_read(
        &env,
        &["--date", "yesterday", "--time", "21:05", "--hr", "70"],
    );
    assert_eq!(
        (e["date"].as_str(), e["time"].as_str()),
        (Some("2026-11-24"), Some("21:05"))
    );
    assert_eq!(e["utc_offset"], json!("+00:00"));
}

#[test]
fn local_time_zone_decides_today_and_the_offset() {
    let mut env = TestEnv::new();
    env.set_tz("America/New_York");
    // 03:00 UTC on the 25th is still the evening of the 24th in New York.
    env.set_now("2026-11-25T03:00:00Z");
    let e = log_and_read(&env, &["--weight", "68"]);
    assert_eq!(e["date"], json!("2026-11-24"));
    assert_eq!(e["time"], json!("22:00"));
    assert_eq!(e["utc_offset"], json!("-05:00"));
}

#[test]
fn daylight_saving_gaps_are_rejected_and_repeats_take_the_earlier_time() {
    let mut env = TestEnv::new();
    env.set_tz("America/New_York");
    env.set_now("2026-11-25T12:00");
    let err = env.usage_error(
        &[
            "log",
            "--date",
            "2026-03-08",
            "--time",
            "02:30",
            "--weight",
            "68",
        ],
        "--time",
    );
    assert!(err.contains("does not exist"), "{err}");
    assert!(!env.diary_exists());
    // 01:30 on 2026-11-01 happens twice; the first one is EDT (-4 h).
    let e = log_and_read(
        &env,
        &["--date", "2026-11-01", "--time", "01:30", "--weight", "68"],
    );
    assert_eq!(e["utc_offset"], json!("-04:00"));
}

// ---- bad input ------------------------------------------------------------

/// Each case: the arguments after `cls log`, the flag the error must name,
/// and another piece the message must contain (the range, or the reason).
const BAD: &[(&[&str], &str, &str)] = &[
    // weight
    (&["--weight", "19.9"], "--weight", "20–350 kg"),
    (&["--weight", "350.1"], "--weight", "20–350 kg"),
    (&["--weight", "-5"], "--weight", "20–350 kg"),
    (&["--weight", "0"], "--weight", "20–350 kg"),
    (&["--weight", "abc"], "--weight", "20–350 kg"),
    (&["--weight", ""], "--weight", "20–350 kg"),
    (&["--weight", "68,4"], "--weight", "20–350 kg"),
    (&["--weight", "nan"], "--weight", "20–350 kg"),
    (&["--weight", "inf"], "--weight", "20–350 kg"),
    (&["--weight", "1e400"], "--weight", "20–350 kg"),
    (&["--weight", "800lb"], "--weight", "20–350 kg"),
    (&["--weight", "68st"], "--weight", "20–350 kg"),
    // blood pressure, sitting and standing
    (&["--bp", "118"], "--bp", "SYS/DIA"),
    (&["--bp", ""], "--bp", "SYS/DIA"),
    (&["--bp", "39/20"], "--bp", "systolic must be 40–300"),
    (&["--bp", "301/80"], "--bp", "systolic must be 40–300"),
    (&["--bp", "120/19"], "--bp", "diastolic must be 20–200"),
    (&["--bp", "250/201"], "--bp", "diastolic must be 20–200"),
    (&["--bp", "80/90"], "--bp", "below systolic"),
    (&["--bp", "80/80"], "--bp", "below systolic"),
    (&["--bp", "a/b"], "--bp", "40–300"),
    (&["--bp", "118.5/76"], "--bp", "40–300"),
    (&["--bp", "118/76/50"], "--bp", "20–200"),
    (&["--bp", "-118/76"], "--bp", "40–300"),
    (&["--standing-bp", "90"], "--standing-bp", "SYS/DIA"),
    (
        &["--standing-bp", "30/20"],
        "--standing-bp",
        "systolic must be 40–300",
    ),
    (
        &["--standing-bp", "70/75"],
        "--standing-bp",
        "below systolic",
    ),
    // heart rate
    (&["--hr", "19"], "--hr", "20–250"),
    (&["--hr", "251"], "--hr", "20–250"),
    (&["--hr", "72.5"], "--hr", "20–250"),
    (&["--hr", "-72"], "--hr", "20–250"),
    (&["--hr", "fast"], "--hr", "20–250"),
    (&["--hr", ""], "--hr", "20–250"),
    // urine
    (&["--urine", "little"], "--urine", "less, normal or more"),
    (&["--urine", ""], "--urine", "less, normal or more"),
    (&["--urine-ml", "-1"], "--urine-ml", "0–10000"),
    (&["--urine-ml", "10001"], "--urine-ml", "0–10000"),
    (&["--urine-ml", "1.5"], "--urine-ml", "0–10000"),
    (&["--urine-ml", "lots"], "--urine-ml", "0–10000"),
    (&["--urine-ml", "2L"], "--urine-ml", "0–10000"),
    // labs
    (&["--lab", "hematocrit=9.9"], "--lab", "10–80 %"),
    (&["--lab", "hematocrit=80.1"], "--lab", "10–80 %"),
    (&["--lab", "hct=0.44"], "--lab", "10–80 %"),
    (&["--lab", "albumin=4.9"], "--lab", "5–60 g/L"),
    (&["--lab", "albumin=61"], "--lab", "5–60 g/L"),
    (&["--lab", "albumin=7g/dL"], "--lab", "5–60 g/L"),
    (&["--lab", "albumin=0.4g/dL"], "--lab", "5–60 g/L"),
    (&["--lab", "hemoglobin=2.9"], "--lab", "3–25 g/dL"),
    (&["--lab", "hemoglobin=25.1"], "--lab", "3–25 g/dL"),
    (&["--lab", "hemoglobin=142g/L"], "--lab", "3–25 g/dL"),
    (&["--lab", "sodium=140"], "--lab", "unknown lab 'sodium'"),
    (&["--lab", "hct"], "--lab", "NAME=VALUE"),
    (&["--lab", "hct="], "--lab", "10–80 %"),
    (&["--lab", "hct=high"], "--lab", "10–80 %"),
    (&["--lab", "=44"], "--lab", "unknown lab"),
    // symptoms
    (&["--symptom", "thirst:4"], "--symptom", "0–3"),
    (&["--symptom", "thirst:-1"], "--symptom", "0–3"),
    (&["--symptom", "thirst:x"], "--symptom", "0–3"),
    (&["--symptom", "thirst:"], "--symptom", "0–3"),
    (&["--symptom", "thirst:1.5"], "--symptom", "0–3"),
    (&["--symptom", "thirst,fatigue:9"], "--symptom", "0–3"),
    (
        &["--symptom", "thrist"],
        "--symptom",
        "did you mean 'thirst'",
    ),
    (
        &["--symptom", "fatige:2"],
        "--symptom",
        "did you mean 'fatigue'",
    ),
    (
        &["--symptom", "thirst,dizzyness"],
        "--symptom",
        "did you mean 'dizziness'",
    ),
    (
        &["--symptom", "xyzzy"],
        "--symptom",
        "unknown symptom 'xyzzy'",
    ),
    (&["--symptom", ""], "--symptom", "empty symptom"),
    (&["--symptom", "   "], "--symptom", "empty symptom"),
    (&["--symptom", ":2"], "--symptom", "empty symptom"),
    (
        &["--symptom", "thirst,,fatigue"],
        "--symptom",
        "empty symptom",
    ),
    (&["--symptom", "thirst,"], "--symptom", "empty symptom"),
    // medications
    (&["--med", ":5mg"], "--med", "name is empty"),
    (&["--med", ""], "--med", "name is empty"),
    (&["--med", "a;b"], "--med", "';'"),
    // dates and times
    (
        &["--date", "2026-11-27", "--weight", "68"],
        "--date",
        "future",
    ),
    (
        &["--date", "2027-01-01", "--weight", "68"],
        "--date",
        "future",
    ),
    (
        &["--date", "2026-02-30", "--weight", "68"],
        "--date",
        "YYYY-MM-DD",
    ),
    (
        &["--date", "2026-13-01", "--weight", "68"],
        "--date",
        "YYYY-MM-DD",
    ),
    (
        &["--date", "tomorrow", "--weight", "68"],
        "--date",
        "YYYY-MM-DD",
    ),
    (
        &["--date", "26-1-1", "--weight", "68"],
        "--date",
        "1900–2200",
    ),
    (&["--date", "3d", "--weight", "68"], "--date", "YYYY-MM-DD"),
    (&["--date", "", "--weight", "68"], "--date", "YYYY-MM-DD"),
    (
        &["--date", "-99999d", "--weight", "68"],
        "--date",
        "0–36500",
    ),
    (
        &["--date", "1899-12-31", "--weight", "68"],
        "--date",
        "1900",
    ),
    (
        &["--time", "25:00", "--weight", "68"],
        "--time",
        "00:00–23:59",
    ),
    (
        &["--time", "12:60", "--weight", "68"],
        "--time",
        "00:00–23:59",
    ),
    (&["--time", "7", "--weight", "68"], "--time", "00:00–23:59"),
    (
        &["--time", "noon", "--weight", "68"],
        "--time",
        "00:00–23:59",
    ),
    (&["--time", "", "--weight", "68"], "--time", "00:00–23:59"),
    // no values at all, and no terminal to ask on
    (&[], "nothing to log", "--weight"),
    (
        &["--date", "yesterday", "--time", "08:00"],
        "nothing to log",
        "--weight",
    ),
];

#[test]
fn every_bad_value_is_rejected_with_one_line_naming_the_flag_and_nothing_is_created() {
    let env = TestEnv::new();
    for (args, flag, detail) in BAD {
        let mut full = vec!["log"];
        full.extend_from_slice(args);
        let err = env.usage_error(&full, flag);
        assert!(
            err.contains(detail),
            "cls {full:?}: {err:?} should contain {detail:?}"
        );
        assert!(
            !env.diary_exists() && !env.db_path().parent().unwrap().exists(),
            "cls {full:?} created the diary"
        );
    }
}

#[test]
fn a_bad_value_among_good_ones_writes_nothing_to_an_existing_diary() {
    let env = TestEnv::new();
    env.log(&["--weight", "68.4", "--bp", "118/76", "--symptom", "thirst"]);
    let before = env.diary_snapshot().unwrap();
    let good: &[[&str; 2]] = &[
        ["--weight", "68.4"],
        ["--bp", "118/76"],
        ["--symptom", "fatigue:1"],
        ["--lab", "hct=44"],
        ["--med", "ivig:2g/kg"],
        ["--note", "partly good"],
    ];
    for (args, flag, _) in BAD.iter().step_by(3).filter(|c| !c.0.is_empty()) {
        // Flags that take one value cannot be given twice: leave out the
        // good value of any flag the bad case already uses.
        let good: Vec<&str> = good
            .iter()
            .filter(|[f, _]| !args.contains(f))
            .flatten()
            .copied()
            .collect();
        // The bad value comes first, or last.
        for bad_first in [true, false] {
            let mut full = vec!["log"];
            if bad_first {
                full.extend_from_slice(args);
                full.extend_from_slice(&good);
            } else {
                full.extend_from_slice(&good);
                full.extend_from_slice(args);
            }
            env.usage_error(&full, flag);
        }
    }
    assert_eq!(env.diary_snapshot().unwrap(), before, "the diary changed");
    assert_eq!(env.entries().len(), 1);
}

#[test]
fn a_note_over_the_limit_is_rejected() {
    // (A NUL in a note cannot be tested here: the OS passes arguments as C
    // strings, so it never reaches cls from the command line. The unit test
    // of `input::check_note` covers it for the prompts.)
    let env = TestEnv::new();
    let long = "é".repeat(4001);
    let err = env.usage_error(&["log", "--weight", "68", "--note", &long], "--note");
    assert!(err.contains("4000"), "{err}");
    assert!(!env.diary_exists());
}

#[test]
fn clap_level_mistakes_exit_2_and_write_nothing() {
    let env = TestEnv::new();
    for args in [
        &["log", "--weight"][..],
        &["log", "--wieght", "68"],
        &["log", "--weight", "68", "extra"],
        &["log", "--symptom"],
    ] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(2), "cls {args:?}");
        assert!(out.stdout.is_empty());
        assert!(!env.diary_exists());
    }
}

#[test]
fn a_future_date_is_checked_against_the_local_day() {
    let mut env = TestEnv::new();
    env.set_tz("Pacific/Kiritimati"); // UTC+14
    env.set_now("2026-11-25T12:00:00Z"); // already the 26th there
    let e = log_and_read(&env, &["--date", "2026-11-27", "--weight", "68"]);
    assert_eq!(e["date"], json!("2026-11-27"));
    env.usage_error(&["log", "--date", "2026-11-28", "--weight", "68"], "--date");
}

/// The questions edit like a shell: Ctrl-U clears what was typed, and a
/// refused value is asked again on an empty line, not with the bad text
/// still in it (#15).
#[test]
fn the_questions_edit_like_a_shell_and_ask_again_empty() {
    let env = TestEnv::new();
    let screen = env.on_terminal(
        "log",
        &[
            "68.4abc\x15", // Ctrl-U: the line is empty again
            "69.1\r",
            "120/8x\r", // refused
            "120/80\r", // typed on an empty line
            "\x01\r",   // Ctrl-A types nothing: heart rate skipped
            "\r",
            "\r",
            "\r",
            "\r",
        ],
    );
    assert!(screen.contains("✗"), "{screen}");
    let entries = env.entries();
    assert_eq!(entries.len(), 1, "{screen}");
    assert_eq!(entries[0]["weight_kg"], json!(69.1), "{screen}");
    assert_eq!(
        (&entries[0]["systolic"], &entries[0]["diastolic"]),
        (&json!(120), &json!(80)),
        "{screen}"
    );
    assert_eq!(entries[0]["heart_rate"], Value::Null, "{screen}");
}

/// Esc cancels at any question, and nothing is written.
#[test]
fn esc_cancels_the_questions() {
    let env = TestEnv::new();
    let screen = env.on_terminal("log", &["68.4\r", "\x1b"]);
    assert!(
        screen.contains("cancelled; nothing was written"),
        "{screen}"
    );
    assert!(!env.diary_exists(), "{screen}");
}
