//! `cls import --from DEVICE` (issue 19): every format from the sample
//! exports in tests/fixtures/devices (written from the vendors' formats, with the
//! awkward parts: newest-first rows, empty cells, `-` placeholders, a
//! trailing section after a blank line, quoted headers, a 0.0 kg weighing,
//! a 0/0 cuff error, pounds, zips), checked through `cls list --json`;
//! re-imports, dry runs, refused files, detection, and typed entries in
//! the same minute.

use serde_json::Value;

use crate::support::{assert_one_line_error, TestEnv};

/// Copy a sample export into the test's folder; returns its name there.
fn fixture(env: &TestEnv, name: &str) -> String {
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/devices")
        .join(name);
    std::fs::copy(&from, env.path(name)).unwrap_or_else(|e| panic!("copy {name}: {e}"));
    name.to_string()
}

/// Each entry as "date time weight bp hr source", oldest first.
fn summary(env: &TestEnv) -> Vec<String> {
    env.entries().iter().map(line).collect()
}

fn line(e: &Value) -> String {
    let opt = |v: &Value| match v {
        Value::Null => "-".to_string(),
        v => v.to_string(),
    };
    let bp = match (&e["systolic"], &e["diastolic"]) {
        (Value::Null, _) => "-".to_string(),
        (s, d) => format!("{s}/{d}"),
    };
    format!(
        "{} {} {} {} {} {}",
        e["date"].as_str().unwrap_or("?"),
        e["time"].as_str().map_or("?", |t| t.get(..5).unwrap_or(t)),
        opt(&e["weight_kg"]),
        bp,
        opt(&e["heart_rate"]),
        e["source"].as_str().unwrap_or("typed"),
    )
}

#[test]
fn a_withings_zip_imports_both_files_merged_and_marked() {
    let env = TestEnv::new();
    let zip = fixture(&env, "withings.zip");
    let out = env.ok(&["import", &zip]);
    assert_eq!(
        out,
        "Withings export (weight.csv and bp.csv from the zip): imported 3 entries\n\
         \x20 readings: 3 weights, 1 blood pressure, 2 heart rates, 2026-11-01 to 2026-11-03\n\
         \x20 merged: readings taken within 10 minutes of each other share an entry\n\
         \x20 skipped 3 unusable readings:\n\
         \x20   weight.csv line 4: weight 0.0 kg is out of range (20–350 kg)\n\
         \x20   bp.csv line 4: BP 0/0 is out of range (systolic must be 40–300 mmHg)\n\
         \x20   bp.csv line 4: heart rate 0 is out of range (20–250 bpm)\n"
    );
    // Newest first in the files, in order in the diary; 07:36's blood
    // pressure and pulse joined 07:30's weight; seconds are dropped.
    assert_eq!(
        summary(&env),
        [
            "2026-11-01 07:30 69.9 - - withings",
            "2026-11-02 07:30 70.05 118/76 64 withings",
            "2026-11-03 07:34 70.2 - 61 withings",
        ]
    );
    let first = env.entries()[0]["id"].as_i64().unwrap();
    let shown = env.ok(&["show", &first.to_string()]);
    assert!(
        shown.contains("  source       Withings Health Mate export\n"),
        "{shown}"
    );
    assert_eq!(env.entry(first)["source"], "withings");
}

#[test]
fn importing_the_same_export_again_imports_nothing_and_says_so() {
    let env = TestEnv::new();
    let zip = fixture(&env, "withings.zip");
    env.ok(&["import", "--from", "withings", &zip]);
    let before = env.diary_snapshot();
    let out = env.ok(&["import", "--from", "withings", &zip]);
    assert!(
        out.starts_with(
            "Withings export (weight.csv and bp.csv from the zip): imported 0 entries: all 6 readings are already in the diary\n"
        ),
        "{out}"
    );
    assert_eq!(env.diary_snapshot(), before, "nothing written");
    // One of the two files alone (an older export): nothing new either.
    let bp = fixture(&env, "withings-bp.csv");
    let out = env.ok(&["import", &bp]);
    assert!(
        out.starts_with(
            "Withings bp.csv: imported 0 entries: all 3 readings are already in the diary\n"
        ),
        "{out}"
    );
    assert_eq!(env.diary_snapshot(), before);
}

#[test]
fn a_newer_export_adds_only_what_is_new() {
    let env = TestEnv::new();
    let w = fixture(&env, "withings-weight.csv");
    env.ok(&["import", &w]);
    assert_eq!(env.entries().len(), 3);
    // Then the whole zip: the weights are there; the blood pressure and
    // pulses are new, and become entries of their own (the entries
    // already written are never changed).
    let zip = fixture(&env, "withings.zip");
    let out = env.ok(&["import", &zip]);
    assert!(out.contains("imported 2 entries\n"), "{out}");
    assert!(
        out.contains("  already in the diary: 3 readings, skipped\n"),
        "{out}"
    );
    assert_eq!(
        summary(&env),
        [
            "2026-11-01 07:30 69.9 - - withings",
            "2026-11-02 07:30 70.05 - - withings",
            "2026-11-02 07:36 - 118/76 64 withings",
            "2026-11-03 07:34 70.2 - - withings",
            "2026-11-03 07:34 - - 61 withings",
        ]
    );
}

#[test]
fn a_dry_run_counts_and_writes_nothing() {
    let env = TestEnv::new();
    let zip = fixture(&env, "withings.zip");
    let out = env.ok(&["import", "--dry-run", &zip]);
    assert!(
        out.starts_with(
            "dry run: Withings export (weight.csv and bp.csv from the zip): would import 3 entries; nothing was written\n\
             \x20 readings: 3 weights, 1 blood pressure, 2 heart rates, 2026-11-01 to 2026-11-03\n"
        ),
        "{out}"
    );
    assert!(!env.diary_exists(), "a dry run creates no diary");
    env.log(&["--weight", "70"]);
    let before = env.diary_snapshot();
    env.ok(&["import", "--dry-run", &zip]);
    assert_eq!(env.diary_snapshot(), before);
}

#[test]
fn the_device_is_found_from_the_file_without_from() {
    for (file, args, first_line) in [
        (
            "withings-weight.csv",
            &[][..],
            "Withings weight.csv: imported 3 entries",
        ),
        (
            "withings-bp.csv",
            &[],
            "Withings bp.csv: imported 2 entries",
        ),
        (
            "openscale2.csv",
            &[],
            "openScale 2.x CSV: imported 2 entries",
        ),
        (
            "openscale3.csv",
            &["--unit", "lb"],
            "openScale 3.x CSV (WEIGHT in lb): imported 2 entries",
        ),
        (
            "omron.csv",
            &[],
            "OMRON connect CSV report: imported 2 entries",
        ),
        (
            "beurer.csv",
            &[],
            "Beurer HealthManager weight CSV: imported 2 entries",
        ),
        (
            "apple-export.xml",
            &[],
            "Apple Health export.xml: imported 2 entries",
        ),
        (
            "apple-health.zip",
            &[],
            "Apple Health export (export.xml from the zip): imported 2 entries",
        ),
    ] {
        let env = TestEnv::new();
        let f = fixture(&env, file);
        let mut a = vec!["import", f.as_str()];
        a.extend_from_slice(args);
        let out = env.ok(&a);
        assert_eq!(out.lines().next(), Some(first_line), "{file}: {out}");
    }
}

#[test]
fn openscale_2_reads_the_quoted_header_and_both_date_forms() {
    let env = TestEnv::new();
    let f = fixture(&env, "openscale2.csv");
    let out = env.ok(&["import", "--from", "openscale", &f]);
    assert!(
        out.contains("  skipped 1 unusable reading:\n    line 3: weight 0.0 kg is out of range (20–350 kg)\n"),
        "{out}"
    );
    assert_eq!(
        summary(&env),
        [
            "2026-11-01 07:15 70.4 - - openscale",
            "2026-11-03 07:25 70.8 - - openscale",
        ]
    );
}

#[test]
fn openscale_3_needs_the_unit_and_says_so() {
    let env = TestEnv::new();
    let f = fixture(&env, "openscale3.csv");
    for args in [
        &["import", f.as_str()][..],
        &["import", "--from", "openscale", f.as_str()],
        &["import", "--dry-run", f.as_str()],
    ] {
        let err = env.usage_error(args, "--unit");
        assert_eq!(
            err,
            "cls: import openscale3.csv: --unit: openScale 3.x exports do not say whether WEIGHT is in kg, lb or st: add --unit kg, --unit lb or --unit st, as set in the app; nothing was imported"
        );
    }
    assert!(!env.diary_exists(), "a refused file creates no diary");
    env.ok(&["import", "--unit", "lb", &f]);
    // 154.0 lb and 155.2 lb; 07:20:30 is kept to the minute.
    assert_eq!(
        summary(&env),
        [
            "2026-11-01 07:15 69.85 - - openscale",
            "2026-11-02 07:20 70.4 - - openscale",
        ]
    );
    // The wrong unit: 154 st would be 978 kg, out of range, and listed.
    let env = TestEnv::new();
    let out = env.ok(&["import", "--unit", "st", &fixture(&env, "openscale3.csv")]);
    assert!(
        out.starts_with(
            "openScale 3.x CSV (WEIGHT in st): imported 0 entries
  skipped 2 unusable readings:
    line 2: weight 978.0 kg is out of range"
        ),
        "{out}"
    );
    assert!(env.entries().is_empty());
}

#[test]
fn omron_stops_at_the_first_blank_line_and_reads_dashes_as_empty() {
    let env = TestEnv::new();
    let f = fixture(&env, "omron.csv");
    let out = env.ok(&["import", "--from", "omron", &f]);
    // The section after the blank line (with "abc" for a weight) is not
    // read; the row of dashes has nothing to import.
    assert_eq!(
        out,
        "OMRON connect CSV report: imported 2 entries\n\
         \x20 readings: 2 blood pressures, 2 heart rates, 2026-01-10 to 2026-01-12\n\
         \x20 merged: readings taken within 10 minutes of each other share an entry\n\
         \x20 skipped 1 unusable reading:\n\
         \x20   line 3: BP 0/0 is out of range (systolic must be 40–300 mmHg)\n"
    );
    assert_eq!(
        summary(&env),
        [
            "2026-01-10 08:01 - 121/79 52 omron",
            "2026-01-12 08:12 - 114/74 47 omron",
        ]
    );
}

#[test]
fn beurer_reads_semicolons_quotes_and_day_first_dates() {
    let env = TestEnv::new();
    let f = fixture(&env, "beurer.csv");
    let out = env.ok(&["import", "--from", "beurer", &f]);
    assert!(
        out.contains("    line 4: weight 0.0 kg is out of range (20–350 kg)\n"),
        "{out}"
    );
    assert_eq!(
        summary(&env),
        [
            "2026-11-07 15:42 70.0 - - beurer",
            "2026-11-12 08:35 70.2 - - beurer",
        ]
    );
}

#[test]
fn apple_health_pairs_blood_pressure_converts_pounds_and_leaves_out_watch_pulses() {
    for file in ["apple-export.xml", "apple-health.zip"] {
        let env = TestEnv::new();
        let f = fixture(&env, file);
        let out = env.ok(&["import", "--from", "apple-health", &f]);
        let rest: Vec<&str> = out.lines().skip(1).collect();
        assert_eq!(
            rest,
            [
                "  readings: 2 weights, 1 blood pressure, 1 heart rate, 2026-11-01 to 2026-11-02",
                "  merged: readings taken within 10 minutes of each other share an entry",
                "  repeated in the file: 3 readings, counted once",
                "  left out: 2 heart rates not taken with a blood pressure",
                "    (a watch's all-day samples; exercise would read as tachycardia)",
                "  skipped 2 unusable readings:",
                "    line 19: weight 0.0 kg is out of range (20–350 kg)",
                "    line 35: BP 0/0 is out of range (systolic must be 40–300 mmHg)",
            ]
            .map(|l| if file.ends_with(".zip") {
                l.replace("    line ", "    export.xml line ")
            } else {
                l.to_string()
            }),
            "{file}: {out}"
        );
        // The cuff's pulse joined its pressure and the weight 5 minutes
        // before; 154.5 lb is 70.08 kg; the offset is kept.
        assert_eq!(
            summary(&env),
            [
                "2026-11-01 07:30 70.1 117/75 66 apple-health",
                "2026-11-02 07:31 70.08 - - apple-health",
            ],
            "{file}"
        );
        assert_eq!(env.entries()[0]["utc_offset"], "+01:00", "{file}");
        // Again: nothing new.
        let out = env.ok(&["import", &f]);
        assert!(
            out.contains("imported 0 entries: all 4 readings are already in the diary"),
            "{out}"
        );
    }
}

/// Apple Health blood pressure must be in mmHg and heart rate in
/// count/min: anything else is skipped with its unit, never read as them.
#[test]
fn apple_health_skips_blood_pressure_and_heart_rate_in_other_units() {
    let env = TestEnv::new();
    let rec = |ty: &str, unit: &str, at: &str, value: &str| {
        format!(
            " <Record type=\"HKQuantityTypeIdentifier{ty}\" sourceName=\"OMRON connect\" unit=\"{unit}\" startDate=\"2026-11-0{at} +0100\" value=\"{value}\"/>\n"
        )
    };
    let corr = |at: &str, unit: &str, sys: &str, dia: &str| {
        format!(
            " <Correlation type=\"HKCorrelationTypeIdentifierBloodPressure\" sourceName=\"OMRON connect\" startDate=\"2026-11-0{at} +0100\">\n{}{}</Correlation>\n",
            rec("BloodPressureSystolic", unit, at, sys),
            rec("BloodPressureDiastolic", unit, at, dia),
        )
    };
    let xml = [
        "<?xml version=\"1.0\"?>\n<HealthData>\n".to_string(),
        // Lines 3-7: a pulse and a pressure in the right units.
        rec("HeartRate", "count/min", "1 07:35:00", "66"),
        corr("1 07:35:00", "mmHg", "117", "75"),
        // Lines 8-13: a pressure in kPa, and its records on their own.
        corr("2 07:35:00", "kPa", "15.6", "10.0"),
        rec("BloodPressureSystolic", "kPa", "2 07:35:00", "15.6"),
        rec("BloodPressureDiastolic", "kPa", "2 07:35:00", "10.0"),
        // Lines 14-15: a pair outside a correlation, in range as mmHg.
        rec("BloodPressureSystolic", "kPa", "3 07:35:00", "120"),
        rec("BloodPressureDiastolic", "kPa", "3 07:35:00", "80"),
        // Line 16: a pulse per second, next to the good pressure.
        rec("HeartRate", "count/s", "1 07:36:00", "1.1"),
        "</HealthData>\n".to_string(),
    ]
    .concat();
    std::fs::write(env.path("export.xml"), xml).unwrap();
    let out = env.ok(&["import", "export.xml"]);
    assert!(
        out.starts_with("Apple Health export.xml: imported 1 entry\n"),
        "{out}"
    );
    for skipped in [
        "  skipped 3 unusable readings:\n",
        "    line 8: blood pressure in 'kPa', a unit cls does not know (mmHg)\n",
        "    line 14: blood pressure in 'kPa', a unit cls does not know (mmHg)\n",
        "    line 16: heart rate 1.1 in 'count/s', a unit cls does not know (count/min)\n",
    ] {
        assert!(out.contains(skipped), "{skipped}: {out}");
    }
    assert_eq!(summary(&env), ["2026-11-01 07:35 - 117/75 66 apple-health"]);
}

#[test]
fn a_bad_file_fails_whole_with_its_line_and_writes_nothing() {
    let env = TestEnv::new();
    env.log(&["--weight", "70"]);
    let before = env.diary_snapshot();
    let cases: [(&str, &str, &str); 6] = [
        (
            "weight.csv",
            "Date,\"Weight (kg)\",Comments\n\"2026-11-03 07:00:00\",70.1,\n\"2026-11-02 07:00:00\",heavy,\n",
            "cls: import weight.csv: line 3: Weight (kg): 'heavy' is not a number; nothing was imported",
        ),
        (
            "bp.csv",
            "Date,\"Heart rate\",Systolic,Diastolic,Comments\n\"2026-11-03 07:00:00\",60,120,80,\n\"03/11/2026 07:00\",60,120,80,\n",
            "cls: import bp.csv: line 3: Date: '03/11/2026 07:00' is not a date and time like 2025-10-02 07:34:49; nothing was imported",
        ),
        (
            "omron.csv",
            "Date,Time,Systolic (mmHg),Diastolic (mmHg),Pulse (bpm),Symptoms,Consumed,TruRead,Notes\nJan 12 2026,08:12,114,74,47,-,-,-,-\nJan 13 2026,8h12,114,74,47,-,-,-,-\n",
            "cls: import omron.csv: line 3: Time: '8h12' is not a time like 08:12; nothing was imported",
        ),
        (
            "export.xml",
            "<?xml version=\"1.0\"?>\n<HealthData>\n <Record type=\"HKQuantityTypeIdentifierBodyMass\" unit=\"kg\" startDate=\"2026-11-01 07:00:00 +0000\" value=\"70\"/>\n <Record type=\"HKQuantityTypeIdentifierBodyMass\" unit=\"kg\" startDate=\"2026-11-02 07:00:00 +0000\" value=\"7O\"/>\n</HealthData>\n",
            "cls: import export.xml: line 4: HKQuantityTypeIdentifierBodyMass value: '7O' is not a number; nothing was imported",
        ),
        (
            "cut.xml",
            "<?xml version=\"1.0\"?>\n<HealthData>\n <Record type=\"HKQuantityTypeIdentifierBodyMass\" unit=\"kg\" startDate=\"2026-11-01 07:00:00 +0000\" value=\"70\"/>\n <Record type=\"HKQuantityType",
            "cls: import cut.xml: line 4: xml: not well-formed XML",
        ),
        (
            "notes.csv",
            "date,whatever\n2026-11-01,1\n",
            "cls: import notes.csv: line 1: header: not an openScale export",
        ),
    ];
    for (name, text, want) in cases {
        std::fs::write(env.path(name), text).unwrap();
        let args: Vec<&str> = if name == "notes.csv" {
            vec!["import", "--from", "openscale", name]
        } else {
            vec!["import", name]
        };
        let out = env.run(&args);
        let err = assert_one_line_error(&out, 2, "nothing was imported", &args);
        assert!(err.starts_with(want), "{name}:\n{err}\nwant: {want}");
        assert_eq!(env.diary_snapshot(), before, "{name}: nothing written");
    }
}

/// A `"` inside a note (`after 5" of snow`) is text: the rows after it
/// are read, not swallowed into the note.
#[test]
fn a_stray_quote_in_a_note_keeps_the_rows_after_it() {
    let env = TestEnv::new();
    std::fs::write(
        env.path("weight.csv"),
        "Date,\"Weight (kg)\",\"Fat mass (kg)\",\"Bone mass (kg)\",\"Muscle mass (kg)\",\"Hydration (kg)\",Comments\n\
         \"2026-11-03 07:34:49\",70.20,,,,,after 5\" of snow\n\
         \"2026-11-02 07:30:10\",70.05,,,,,\n\
         \"2026-11-01 07:31:00\",0.00,,,,,\n\
         \"2026-11-01 07:30:00\",69.90,,,,,\"after \"\"coffee\"\", honest\"\n",
    )
    .unwrap();
    let out = env.ok(&["import", "weight.csv"]);
    assert!(
        out.starts_with("Withings weight.csv: imported 3 entries\n"),
        "{out}"
    );
    assert!(
        out.ends_with("  skipped 1 unusable reading:\n    line 4: weight 0.0 kg is out of range (20–350 kg)\n"),
        "{out}"
    );
    assert_eq!(
        summary(&env),
        [
            "2026-11-01 07:30 69.9 - - withings",
            "2026-11-02 07:30 70.05 - - withings",
            "2026-11-03 07:34 70.2 - - withings",
        ]
    );
    let env = TestEnv::new();
    std::fs::write(
        env.path("omron.csv"),
        "Date,Time,Systolic (mmHg),Diastolic (mmHg),Pulse (bpm),Symptoms,Consumed,TruRead,Notes\n\
         Jan 12 2026,08:12,114,74,47,-,-,-,cuff 5\" lower\n\
         Jan 11 2026,08:05,0,0,-,-,-,-,Err cuff\n\
         Jan 10 2026,08:01,121,79,52,-,-,Off,\"cold, tired\"\n",
    )
    .unwrap();
    let out = env.ok(&["import", "omron.csv"]);
    assert!(
        out.ends_with("  skipped 1 unusable reading:\n    line 3: BP 0/0 is out of range (systolic must be 40–300 mmHg)\n"),
        "{out}"
    );
    assert_eq!(
        summary(&env),
        [
            "2026-01-10 08:01 - 121/79 52 omron",
            "2026-01-12 08:12 - 114/74 47 omron",
        ]
    );
}

/// A quoted note never closed would hold every row after it: the file is
/// refused, naming the line the quote opened on.
#[test]
fn a_quote_never_closed_refuses_the_file_and_writes_nothing() {
    let env = TestEnv::new();
    env.log(&["--weight", "70"]);
    let before = env.diary_snapshot();
    let cases: [(&str, &str, &str); 2] = [
        (
            "omron.csv",
            "Date,Time,Systolic (mmHg),Diastolic (mmHg),Pulse (bpm),Symptoms,Consumed,TruRead,Notes\n\
             Jan 12 2026,08:12,114,74,47,-,-,-,-\n\
             Jan 11 2026,08:05,118,76,50,-,-,-,\"cuff lower\n\
             Jan 10 2026,08:01,121,79,52,-,-,-,-\n",
            "cls: import omron.csv: line 3: row: a quote opened here is never closed; nothing was imported",
        ),
        (
            "weight.csv",
            "Date,\"Weight (kg)\",Comments\n\
             \"2026-11-03 07:00:00\",70.1,\"after snow\n\
             \"2026-11-02 07:00:00\",70.0,\n",
            "cls: import weight.csv: line 2: row: a quote opened here is never closed (the quote on line 3",
        ),
    ];
    for (name, text, want) in cases {
        std::fs::write(env.path(name), text).unwrap();
        let args = ["import", name];
        let out = env.run(&args);
        let err = assert_one_line_error(&out, 2, "nothing was imported", &args);
        assert!(err.starts_with(want), "{name}:\n{err}\nwant: {want}");
        assert_eq!(env.diary_snapshot(), before, "{name}: nothing written");
    }
}

#[test]
fn a_refused_file_creates_no_diary() {
    let env = TestEnv::new();
    std::fs::write(
        env.path("weight.csv"),
        "Date,\"Weight (kg)\"\n\"2026-11-03 07:00:00\",70.1\n\"yesterday\",70\n",
    )
    .unwrap();
    env.usage_error(&["import", "weight.csv"], "line 3: Date");
    assert!(!env.diary_exists());
}

#[test]
fn the_wrong_device_or_unit_is_refused() {
    let env = TestEnv::new();
    let f = fixture(&env, "omron.csv");
    let err = env.usage_error(&["import", "--from", "withings", &f], "line 1: header");
    assert!(
        err.contains("is not the header of a Withings weight.csv"),
        "{err}"
    );
    // Blood pressure in another unit than mmHg: the header is refused.
    let kpa = std::fs::read_to_string(env.path(&f)).unwrap().replacen(
        "Systolic (mmHg),Diastolic (mmHg)",
        "Systolic (kPa),Diastolic (kPa)",
        1,
    );
    std::fs::write(env.path("omron-kpa.csv"), kpa).unwrap();
    for args in [
        &["import", "omron-kpa.csv"][..],
        &["import", "--from", "omron", "omron-kpa.csv"],
    ] {
        let err = env.usage_error(args, "line 1: header");
        assert_eq!(
            err,
            "cls: import omron-kpa.csv: line 1: header: 'Systolic (kPa)' is in 'kPa', a unit cls does not know: blood pressure must be in mmHg; nothing was imported"
        );
    }
    let err = env.usage_error(&["import", "--unit", "kg", &f], "--unit");
    assert!(
        err.contains("only openScale 3.x exports need a unit"),
        "{err}"
    );
    let zip = fixture(&env, "withings.zip");
    let err = env.usage_error(&["import", "--from", "apple-health", &zip], "zip");
    assert!(
        err.contains("a zip without an Apple Health export.xml"),
        "{err}"
    );
    let err = env.usage_error(&["import", "--from", "omron", "-"], "import -");
    assert!(err.contains("read from a file"), "{err}");
    assert!(!env.diary_exists());
}

#[test]
fn a_reading_in_the_minute_of_a_typed_entry_is_kept_apart_and_reported() {
    let env = TestEnv::new();
    let typed = env.log(&["--date", "2026-11-02", "--time", "07:36", "--bp", "120/80"]);
    let zip = fixture(&env, "withings.zip");
    let out = env.ok(&["import", &zip]);
    assert!(
        out.ends_with(&format!(
            "  1 new entry is in the same minute as one you typed, kept apart\n    (not merged; compare them with cls show):\n    2026-11-02 07:36 beside entry {typed}\n"
        )),
        "{out}"
    );
    // The typed entry is unchanged; the device's is its own entry.
    assert_eq!(
        summary(&env),
        [
            "2026-11-01 07:30 69.9 - - withings",
            "2026-11-02 07:30 70.05 118/76 64 withings",
            "2026-11-02 07:36 - 120/80 - typed",
            "2026-11-03 07:34 70.2 - 61 withings",
        ]
    );
}

#[test]
fn a_json_export_keeps_the_source_and_csv_and_json_imports_are_unchanged() {
    let env = TestEnv::new();
    env.ok(&["import", &fixture(&env, "beurer.csv")]);
    env.log(&["--weight", "71"]);
    for args in [
        ["export", "--format", "json", "--output", "all.json"],
        ["export", "--format", "csv", "--output", "all.csv"],
    ] {
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
    }
    let other = TestEnv::new();
    std::fs::copy(env.path("all.json"), other.path("all.json")).unwrap();
    std::fs::copy(env.path("all.csv"), other.path("all.csv")).unwrap();
    let out = other.ok(&["import", "all.json"]);
    assert_eq!(out, "imported 3, skipped 0 duplicates\n");
    assert_eq!(summary(&other), summary(&env));
    // CSV has fixed columns and no source: its rows match as duplicates.
    let out = other.ok(&["import", "all.csv"]);
    assert_eq!(out, "imported 0, skipped 3 duplicates\n");
    std::fs::write(
        other.path("bad.json"),
        "{\"format\":\"cls-diary\",\"version\":1,\"entries\":[\n{\"date\":\"2026-11-01\",\"weight_kg\":70,\"source\":\"Scale!\"}]}",
    )
    .unwrap();
    let err = other.usage_error(&["import", "bad.json"], "line 2: source");
    assert!(err.contains("is not a device name"), "{err}");
}

#[test]
fn many_unusable_readings_are_all_counted_and_named_by_line() {
    let env = TestEnv::new();
    let mut csv = String::from("Date,\"Weight (kg)\",Comments\n");
    // Line 2: a good one; lines 3-16: fourteen zero weighings; line 17: a
    // scale whose clock is a year ahead.
    csv.push_str("\"2026-11-20 07:00:00\",70.3,\n");
    for day in 1..=14 {
        csv.push_str(&format!("\"2026-10-{day:02} 07:00:00\",0.0,\n"));
    }
    csv.push_str("\"2027-11-20 07:00:00\",70.1,\n");
    std::fs::write(env.path("weight.csv"), csv).unwrap();
    let out = env.ok(&["import", "weight.csv"]);
    assert_eq!(
        out,
        "Withings weight.csv: imported 1 entry\n\
         \x20 readings: 1 weight, on 2026-11-20\n\
         \x20 skipped 15 unusable readings:\n\
         \x20   line 3: weight 0.0 kg is out of range (20–350 kg)\n\
         \x20   line 4: weight 0.0 kg is out of range (20–350 kg)\n\
         \x20   line 5: weight 0.0 kg is out of range (20–350 kg)\n\
         \x20   line 6: weight 0.0 kg is out of range (20–350 kg)\n\
         \x20   line 7: weight 0.0 kg is out of range (20–350 kg)\n\
         \x20   line 8: weight 0.0 kg is out of range (20–350 kg)\n\
         \x20   line 9: weight 0.0 kg is out of range (20–350 kg)\n\
         \x20   line 10: weight 0.0 kg is out of range (20–350 kg)\n\
         \x20   line 11: weight 0.0 kg is out of range (20–350 kg)\n\
         \x20   line 12: weight 0.0 kg is out of range (20–350 kg)\n\
         \x20   and 5 more: line 13, line 14, line 15, line 16, line 17\n"
    );
    assert!(out.lines().all(|l| l.chars().count() <= 80), "{out}");
    assert_eq!(summary(&env), ["2026-11-20 07:00 70.3 - - withings"]);
}

/// The lines past the tenth skipped reading wrap within 80 columns, piped
/// or not.
#[test]
fn a_long_list_of_skipped_lines_wraps_within_80_columns() {
    let env = TestEnv::new();
    let mut csv = String::from("Date,\"Weight (kg)\",Comments\n");
    for day in 1..=60 {
        csv.push_str(&format!("\"2026-10-01 07:{:02}:00\",0.0,\n", day - 1));
    }
    std::fs::write(env.path("weight.csv"), csv).unwrap();
    let out = env.ok(&["import", "weight.csv"]);
    let rest: Vec<&str> = out.lines().skip(12).collect();
    assert_eq!(
        rest,
        [
            "    and 50 more: line 12, line 13, line 14, line 15, line 16, line 17, line",
            "    18, line 19, line 20, line 21, line 22, line 23, line 24, line 25, line",
            "    26, line 27, line 28, line 29, line 30, line 31, line 32, line 33, line",
            "    34, line 35, line 36, line 37, line 38, line 39, line 40, line 41, line",
            "    42, line 43, line 44, line 45, line 46, line 47, line 48, line 49, line",
            "    50, line 51, …",
        ],
        "{out}"
    );
    assert!(out.lines().all(|l| l.chars().count() <= 80), "{out}");
}

#[test]
fn a_time_skipped_by_daylight_saving_is_skipped_and_listed() {
    let mut env = TestEnv::new();
    env.set_tz("America/New_York");
    std::fs::write(
        env.path("weight.csv"),
        "Date,\"Weight (kg)\",Comments\n\"2026-03-08 02:30:00\",70.3,\n\"2026-03-08 07:30:00\",70.1,\n",
    )
    .unwrap();
    let out = env.ok(&["import", "weight.csv"]);
    assert!(
        out.contains("    line 2: 2026-03-08 02:30 does not exist in the local time zone"),
        "{out}"
    );
    assert_eq!(summary(&env), ["2026-03-08 07:30 70.1 - - withings"]);
}

#[test]
fn an_edited_device_entry_keeps_its_source() {
    let env = TestEnv::new();
    env.ok(&["import", &fixture(&env, "beurer.csv")]);
    let id = env.entries()[0]["id"].as_i64().unwrap();
    env.ok(&["edit", &id.to_string(), "--symptom", "thirst:1"]);
    let e = env.entry(id);
    assert_eq!(e["source"], "beurer");
    assert_eq!(e["weight_kg"], 70.0);
}

/// On an 80-column terminal the first line wraps at words (piped, it stays
/// one line for scripts, as the tests above read it); every line fits.
#[test]
fn the_summary_fits_an_80_column_terminal() {
    let env = TestEnv::new();
    let f = fixture(&env, "apple-health.zip");
    let out = env
        .sh(&format!(
            r#"exec script -qec "exec \"$CLS\" import --dry-run {f}" /dev/null"#
        ))
        .env("COLUMNS", "80")
        .env("TERM", "xterm")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run script(1) from util-linux");
    let screen = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
    assert!(
        screen.contains(
            "\ndry run: Apple Health export (export.xml from the zip): would import 2 entries;\n  nothing was written\n"
        ),
        "{screen}"
    );
    // (The CLS_NOW note is the tests' own clock, never a patient's screen.)
    for line in screen.lines().filter(|l| !l.contains("CLS_NOW")) {
        assert!(line.chars().count() <= 80, "{line:?} in:\n{screen}");
    }
    assert!(!env.db_path().exists(), "a dry run writes nothing");
}
