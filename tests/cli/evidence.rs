//! Issue 16, honest evidence: a demo diary is marked synthetic and every
//! output made from it says so, without the patient's details from the
//! config; the backtest and the report's "How the rules did" section on it;
//! `cls rules tune` and its `--write`.

use crate::support::{describe, stderr, stdout, TestEnv};

/// A config with a real patient's details: none of them may appear in an
/// output made from a demo diary.
const IDENTITY: &str = r#"# Dr Okafor's plan, 2026-10
[patient]
name = "Zed Realname"
date_of_birth = 1961-04-09
emergency_instructions = "Zed's own plan: call the ward first"
prophylaxis = "IVIG 2 g/kg every 4 weeks"

[patient.specialist]
name = "Dr Okafor"
phone = "+44 20 7946 0999"

[patient.emergency_contact]
name = "Ann Realname"
phone = "+44 7700 900123"

[rules.weight_gain]
# agreed at the last visit
watch_kg = 1.0   # W1, kg
watch_pct = 1.5

[rules.hypotension]
max_systolic = 90 # left as it is
"#;

const SECRETS: &[&str] = &[
    "Zed",
    "Realname",
    "1961-04-09",
    "Okafor",
    "7946",
    "900123",
    "call the ward first",
];

/// A short demo with a few attacks (`rules tune` replays it a few hundred
/// times, and test builds are unoptimised), with the identity config.
fn demo_env() -> TestEnv {
    let env = TestEnv::new();
    env.write_config(IDENTITY);
    env.ok(&["demo", "--days", "240", "--attacks-per-year", "5"]);
    assert!(!env.episodes().is_empty(), "the demo has episodes");
    env
}

fn assert_marked_and_anonymous(what: &str, text: &str) {
    assert!(
        text.to_lowercase().contains("synthetic demo diary")
            || text.contains("\"synthetic\": true")
            || text.contains("synthetic_demo_diary"),
        "{what} does not say it is a synthetic demo diary:\n{text}"
    );
    for s in SECRETS {
        assert!(
            !text.contains(s),
            "{what} shows '{s}' from the config:\n{text}"
        );
    }
}

#[test]
fn every_output_of_a_demo_diary_says_synthetic_and_shows_no_identity() {
    let env = demo_env();
    let outputs: &[&[&str]] = &[
        &["check"],
        &["check", "--json"],
        &["check", "--date", "2026-11-20"],
        &["check", "--history", "--last", "14d"],
        &["check", "--history", "--last", "14d", "--json"],
        &["check", "--backtest"],
        &["check", "--backtest", "--json"],
        &["report", "--last", "8m"],
        &["report", "--last", "8m", "--format", "markdown"],
        &["report", "--last", "8m", "--format", "html"],
        &["report", "--last", "8m", "--format", "csv"],
        &["report", "--last", "8m", "--format", "json"],
        &["card"],
        &["card", "--format", "html"],
        &["card", "--format", "json"],
        &["list"],
        &["rules", "tune"],
        &["rules", "tune", "--json"],
    ];
    for args in outputs {
        let out = env.run(args);
        assert!(
            matches!(out.status.code(), Some(0 | 10..=13)),
            "{args:?}\n{}",
            describe(&out)
        );
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert_marked_and_anonymous(&format!("cls {}", args.join(" ")), &all);
    }
    // The JSON list stays an array of entries; the note goes to stderr.
    let out = env.run(&["list", "--json"]);
    assert!(serde_json::from_str::<serde_json::Value>(&stdout(&out))
        .unwrap()
        .is_array());
    assert!(
        stderr(&out).contains("synthetic demo diary"),
        "{}",
        describe(&out)
    );
    // The printed banners: a bordered paragraph, not a screen-only style.
    let html = env.ok(&["report", "--last", "8m", "--format", "html"]);
    assert!(html.contains("<p class=\"synthetic\""), "{html}");
    assert!(!html.contains("@media screen"), "the banner must print");
    let card = env.ok(&["card", "--format", "html"]);
    assert!(card.contains("<p class=\"synthetic\""));
}

#[test]
fn a_real_diary_says_nothing_of_the_kind_and_keeps_its_patient() {
    let env = TestEnv::new();
    env.write_config(IDENTITY);
    env.seed_mornings("2026-11-10", &[70.0; 16]);
    for args in [
        &["check"][..],
        &["check", "--backtest"],
        &["list"],
        &["report"],
        &["card"],
    ] {
        let out = env.run(args);
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(!all.contains("synthetic"), "{args:?}: {all}");
    }
    assert!(env.ok(&["report"]).contains("Zed Realname"));
    let check = env.ok(&["check", "--json"]);
    assert!(!check.contains("\"synthetic\""), "{check}");
}

#[test]
fn the_report_tells_how_the_rules_did_when_episodes_exist() {
    let env = demo_env();
    for (format, needle) in [
        ("text", "How the rules did on this history"),
        ("markdown", "## How the rules did on this history"),
        ("html", "<h2>How the rules did on this history</h2>"),
        ("json", "\"rules_on_history\""),
    ] {
        let out = env.ok(&["report", "--last", "8m", "--format", format]);
        assert!(out.contains(needle), "{format}:\n{out}");
        if format != "json" {
            assert!(out.contains("False alarms"), "{format}");
            assert!(out.contains("a year"), "{format}");
        }
    }
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["report", "--last", "8m", "--format", "json"])).unwrap();
    let h = &v["rules_on_history"];
    assert!(h["episodes"].as_u64().unwrap() >= 1, "{h}");
    assert!(h["false_alarms"]["watch_days"].is_u64(), "{h}");
    // A period without an episode has no such section.
    let quiet = TestEnv::new();
    quiet.seed_mornings("2026-11-10", &[70.0; 16]);
    let out = quiet.ok(&["report", "--format", "json"]);
    assert!(!out.contains("rules_on_history"), "{out}");
}

#[test]
fn the_backtest_of_a_ten_year_demo_is_believable() {
    let env = TestEnv::new();
    env.ok(&["demo", "--years", "10"]);
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["check", "--backtest", "--json"])).unwrap();
    assert_eq!(v["synthetic"], true);
    let episodes = v["episodes"].as_array().unwrap();
    assert!((8..=17).contains(&episodes.len()), "{}", episodes.len());
    let fa = &v["false_alarms"];
    assert!(fa["watch_per_year"].as_f64().unwrap() > 5.0, "{fa}");
    assert!(fa["warning_per_year"].as_f64().unwrap() > 0.5, "{fa}");
    // Not every episode is caught a day ahead.
    let warned = v["episodes_with_warning_lead"].as_u64().unwrap() as usize;
    assert!(warned < episodes.len(), "{warned} of {}", episodes.len());
}

#[test]
fn rules_tune_needs_episodes() {
    let env = TestEnv::new();
    env.seed_mornings("2026-11-10", &[70.0; 16]);
    let out = env.run(&["rules", "tune"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(stderr(&out).contains("episode"), "{}", describe(&out));
}

#[test]
fn rules_tune_write_changes_only_the_chosen_keys() {
    let env = demo_env();
    let table = env.ok(&["rules", "tune"]);
    assert!(table.contains("now"), "{table}");
    assert!(
        table.lines().any(|l| l.trim_start().starts_with("1 ")),
        "{table}"
    );
    // Without a terminal and without --yes, nothing is written.
    let out = env.run(&["rules", "tune", "--write"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert_eq!(
        std::fs::read_to_string(env.config_path()).unwrap(),
        IDENTITY
    );

    let out = env.ok(&["rules", "tune", "--write", "1", "--yes"]);
    assert!(out.contains("changes to"), "{out}");
    let after = std::fs::read_to_string(env.config_path()).unwrap();
    // Every line of the old config is still there but the tuned values;
    // every new line is a tuned key, its table's header or blank.
    let tuned_key = |l: &str| {
        ["watch_kg", "watch_pct", "min_count"]
            .iter()
            .any(|k| l.starts_with(k))
    };
    let tuned_table = |l: &str| {
        [
            "[rules.overnight_jump]",
            "[rules.sustained_gain]",
            "[rules.trigger]",
            "[rules.prodrome_cluster]",
        ]
        .contains(&l)
    };
    for l in IDENTITY.lines().filter(|l| !tuned_key(l)) {
        assert!(after.lines().any(|a| a == l), "lost '{l}':\n{after}");
    }
    for l in after.lines().filter(|l| !IDENTITY.lines().any(|o| o == *l)) {
        assert!(
            tuned_key(l) || tuned_table(l) || l.is_empty(),
            "unexpected '{l}':\n{after}"
        );
    }
    // A changed value keeps its own comment.
    assert!(after.contains("# W1, kg"), "{after}");
    assert_ne!(after, IDENTITY);
    // What was written loads, and `cls rules` shows it as changed.
    let rules = env.ok(&["rules"]);
    assert!(
        rules.contains("W1") || rules.contains("weight_gain"),
        "{rules}"
    );
    // The same row again: nothing left to change.
    let again = env.ok(&["rules", "tune", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert!(v["current"]["thresholds"].is_object(), "{v}");
}
