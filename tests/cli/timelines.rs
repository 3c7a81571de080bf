//! Clinical timelines a clinician would recognise, driven through the real
//! binary: `cls log` day by day, then `cls check` (level, exit status and the
//! numbers in the explanation). The expected behaviour is docs/rules.md.

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// "Now" for every timeline: the evening of 2026-11-25 (UTC).
const NOW: &str = "2026-11-25T20:00:00Z";

struct Diary {
    dir: TempDir,
}

impl Diary {
    fn new() -> Self {
        Diary {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn cls(&self) -> Command {
        let mut c = Command::cargo_bin("cls").unwrap();
        c.env_clear()
            .env("HOME", self.dir.path())
            .env("CLS_DB", self.dir.path().join("diary.sqlite3"))
            .env("CLS_CONFIG", self.dir.path().join("config.toml"))
            .env("CLS_NOW", NOW)
            .env("TZ", "UTC")
            .env("NO_COLOR", "1");
        c
    }

    fn config(&self, toml: &str) {
        std::fs::write(self.dir.path().join("config.toml"), toml).unwrap();
    }

    /// Log an entry `days_ago` days before today at `time`.
    fn log(&self, days_ago: i64, time: &str, args: &[&str]) {
        let date = format!("-{days_ago}d");
        let out = self
            .cls()
            .args(["log", "--date", &date, "--time", time])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "cls log {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Mornings `from..=to` days ago with the same weight and BP.
    fn mornings(&self, from: i64, to: i64, weight: &str, bp: &str) {
        for d in (to..=from).rev() {
            self.log(d, "07:30", &["--weight", weight, "--bp", bp, "--hr", "70"]);
        }
    }

    /// A week of steady mornings before today: baseline 68.0 kg, 118/76.
    fn baseline_week(&self) {
        for (d, w) in [
            (7, "67.9"),
            (6, "68.1"),
            (5, "68.0"),
            (4, "67.8"),
            (3, "68.2"),
            (2, "68.0"),
            (1, "68.0"),
        ] {
            self.log(d, "07:30", &["--weight", w, "--bp", "118/76", "--hr", "70"]);
        }
    }

    /// `cls check --json` as of today: (exit status, parsed output).
    fn check(&self) -> (i32, Value) {
        self.check_args(&[])
    }

    fn check_args(&self, extra: &[&str]) -> (i32, Value) {
        let out = self
            .cls()
            .args(["check", "--json"])
            .args(extra)
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "check --json is not JSON ({e}): {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.code().unwrap(), v)
    }

    fn check_text(&self) -> (i32, String) {
        let out = self.cls().arg("check").output().unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap(),
        )
    }
}

fn level(v: &Value) -> &str {
    v["level"].as_str().unwrap()
}

/// Rule ids of the findings at or above `min`.
fn fired(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

fn assert_level(d: &Diary, want: &str, code: i32) -> Value {
    let (c, v) = d.check();
    assert_eq!(level(&v), want, "{v:#}");
    assert_eq!(c, code, "{v:#}");
    v
}

#[test]
fn empty_diary_is_unknown_never_ok() {
    let d = Diary::new();
    let v = assert_level(&d, "unknown", 10);
    assert!(fired(&v).contains(&"D2".to_string()), "{v:#}");
}

#[test]
fn a_steady_week_is_ok() {
    let d = Diary::new();
    d.baseline_week();
    d.log(
        0,
        "07:30",
        &["--weight", "68.2", "--bp", "117/75", "--hr", "72"],
    );
    let (code, text) = d.check_text();
    assert_eq!(code, 0, "{text}");
    assert!(text.starts_with("ok"), "{text}");
    assert!(text.contains("What to do"), "{text}");
}

#[test]
fn stale_data_is_unknown() {
    let d = Diary::new();
    for days in 3..=10 {
        d.log(days, "07:30", &["--weight", "68.0", "--bp", "118/76"]);
    }
    let v = assert_level(&d, "unknown", 10);
    assert!(fired(&v).contains(&"D2".to_string()), "{v:#}");
}

#[test]
fn no_baseline_is_unknown_but_never_hides_an_alarm() {
    let d = Diary::new();
    d.log(0, "07:30", &["--weight", "68.0", "--bp", "118/76"]);
    let v = assert_level(&d, "unknown", 10);
    assert!(fired(&v).contains(&"D1".to_string()), "{v:#}");

    d.log(0, "19:00", &["--bp", "86/55"]);
    let v = assert_level(&d, "emergency", 13);
    assert!(fired(&v).contains(&"L1".to_string()), "{v:#}");
}

#[test]
fn weight_gain_with_thirst_is_a_warning_with_its_numbers() {
    let d = Diary::new();
    d.baseline_week();
    d.log(
        0,
        "07:30",
        &["--weight", "69.4", "--bp", "118/76", "--symptom", "thirst"],
    );
    let v = assert_level(&d, "warning", 12);
    let f = fired(&v);
    assert!(f.contains(&"P1".to_string()), "{v:#}");
    assert!(f.contains(&"W1".to_string()), "{v:#}");
    let (code, text) = d.check_text();
    assert_eq!(code, 12);
    assert!(text.starts_with("warning"), "{text}");
    assert!(text.contains("69.4") && text.contains("68.0"), "{text}");
    assert!(
        text.contains("SCLS team"),
        "the action plan is printed: {text}"
    );
}

#[test]
fn weight_gain_alone_is_watch_and_just_below_is_ok() {
    let d = Diary::new();
    d.baseline_week();
    // Baseline 68.0 kg: the threshold is max(1.0 kg, 1.5% = 1.02 kg).
    d.log(0, "07:30", &["--weight", "69.1", "--bp", "118/76"]);
    let v = assert_level(&d, "watch", 11);
    assert!(fired(&v).contains(&"W1".to_string()), "{v:#}");

    let d = Diary::new();
    d.baseline_week();
    d.log(0, "07:30", &["--weight", "69.0", "--bp", "118/76"]);
    assert_level(&d, "ok", 0);
}

#[test]
fn large_gain_is_a_warning() {
    let d = Diary::new();
    d.baseline_week();
    d.log(0, "07:30", &["--weight", "70.1", "--bp", "118/76"]);
    let v = assert_level(&d, "warning", 12);
    assert!(fired(&v).contains(&"W2".to_string()), "{v:#}");
}

#[test]
fn weight_in_pounds_is_judged_the_same() {
    let d = Diary::new();
    d.config("[units]\nweight = \"lb\"\n");
    for days in (1..=7).rev() {
        d.log(days, "07:30", &["--weight", "150", "--bp", "118/76"]);
    }
    // 153.5 lb is +1.6 kg over 68.0 kg.
    d.log(
        0,
        "07:30",
        &["--weight", "153.5", "--bp", "118/76", "--symptom", "thirst"],
    );
    assert_level(&d, "warning", 12);
}

#[test]
fn a_hot_day_thirst_alone_stays_quiet() {
    let d = Diary::new();
    d.baseline_week();
    d.log(
        0,
        "07:30",
        &["--weight", "68.1", "--bp", "120/78", "--symptom", "thirst"],
    );
    assert_level(&d, "ok", 0);
}

#[test]
fn a_salty_meal_stays_quiet() {
    let d = Diary::new();
    d.baseline_week();
    d.log(0, "07:30", &["--weight", "68.6", "--bp", "121/78"]);
    assert_level(&d, "ok", 0);
}

#[test]
fn a_slow_drift_stays_quiet() {
    let d = Diary::new();
    for days in (0..=14).rev() {
        let w = format!("{:.1}", 68.0 + 0.1 * f64::from(14 - days as i32));
        d.log(days, "07:30", &["--weight", &w, "--bp", "118/76"]);
    }
    assert_level(&d, "ok", 0);
}

#[test]
fn a_beta_agonists_fast_pulse_stays_quiet() {
    let d = Diary::new();
    for days in (1..=7).rev() {
        d.log(
            days,
            "07:30",
            &["--weight", "68.0", "--bp", "125/80", "--hr", "104"],
        );
    }
    d.log(
        0,
        "07:30",
        &["--weight", "68.1", "--bp", "125/80", "--hr", "105"],
    );
    assert_level(&d, "ok", 0);
}

#[test]
fn a_hypertensive_patient_falling_to_normal_is_an_emergency() {
    let d = Diary::new();
    d.mornings(7, 1, "80.0", "160/95");
    d.log(0, "07:30", &["--weight", "80.2", "--bp", "118/76"]);
    let v = assert_level(&d, "emergency", 13);
    assert!(fired(&v).contains(&"L1".to_string()), "{v:#}");
}

#[test]
fn same_day_escalation_from_morning_to_evening() {
    let d = Diary::new();
    d.baseline_week();
    d.log(0, "07:30", &["--weight", "68.2", "--bp", "116/74"]);
    assert_level(&d, "ok", 0);
    d.log(
        0,
        "19:00",
        &["--bp", "88/58", "--hr", "118", "--symptom", "dizziness"],
    );
    let v = assert_level(&d, "emergency", 13);
    assert!(fired(&v).contains(&"L1".to_string()), "{v:#}");
}

#[test]
fn a_cold_then_a_prodrome_then_a_leak() {
    let d = Diary::new();
    d.mornings(10, 4, "68.0", "118/76");
    // A cold: on its own, nothing to warn about.
    d.log(
        3,
        "07:30",
        &[
            "--weight",
            "68.1",
            "--bp",
            "118/76",
            "--symptom",
            "cold-symptoms",
        ],
    );
    d.log(
        2,
        "07:30",
        &[
            "--weight",
            "68.0",
            "--bp",
            "117/76",
            "--symptom",
            "runny-nose",
        ],
    );
    // A small gain during the cold already counts (threshold lowered).
    d.log(1, "07:30", &["--weight", "68.8", "--bp", "116/75"]);
    let (_, v) = d.check_args(&["--date", "yesterday"]);
    assert_eq!(level(&v), "watch", "{v:#}");
    // The prodrome: gain, thirst, fatigue, aches.
    d.log(
        0,
        "07:30",
        &[
            "--weight",
            "69.3",
            "--bp",
            "112/72",
            "--symptom",
            "thirst,fatigue,myalgia",
        ],
    );
    let v = assert_level(&d, "warning", 12);
    assert!(fired(&v).contains(&"P1".to_string()), "{v:#}");
    // The leak begins: swelling with low pressure.
    d.log(
        0,
        "18:00",
        &["--bp", "96/62", "--symptom", "swelling", "--urine", "less"],
    );
    let v = assert_level(&d, "emergency", 13);
    assert!(fired(&v).contains(&"L8".to_string()), "{v:#}");
}

#[test]
fn fluid_overload_in_the_recovery_window_is_an_emergency() {
    let d = Diary::new();
    d.mornings(12, 6, "68.0", "118/76");
    d.log(
        5,
        "07:30",
        &["--weight", "71.0", "--bp", "92/60", "--symptom", "swelling"],
    );
    d.cls()
        .args(["episode", "start", "--date", "-5d", "--hospitalized"])
        .assert()
        .success();
    d.log(4, "07:30", &["--weight", "72.0", "--bp", "100/65"]);
    d.log(3, "07:30", &["--weight", "71.5", "--bp", "110/70"]);
    d.log(2, "07:30", &["--weight", "70.8", "--bp", "115/74"]);
    d.log(
        1,
        "07:30",
        &[
            "--weight",
            "70.0",
            "--bp",
            "118/76",
            "--symptom",
            "polyuria",
        ],
    );
    d.log(
        0,
        "07:30",
        &[
            "--weight",
            "68.6",
            "--bp",
            "124/80",
            "--symptom",
            "polyuria,breathlessness",
        ],
    );
    let v = assert_level(&d, "emergency", 13);
    assert!(fired(&v).contains(&"R1".to_string()), "{v:#}");
}

#[test]
fn leak_phase_signs_each_raise_the_alarm() {
    let cases: &[(&[&str], &str, &str)] = &[
        (&["--bp", "95/60"], "warning", "L2"),
        (
            &["--bp", "120/80", "--standing-bp", "96/72"],
            "warning",
            "L3",
        ),
        (&["--bp", "105/70", "--hr", "110"], "emergency", "L4"),
        (&["--bp", "120/80", "--hr", "135"], "emergency", "L5"),
        (&["--symptom", "fainting:1"], "emergency", "L6"),
        (&["--urine", "less"], "warning", "L7"),
        (&["--urine-ml", "350"], "warning", "L7"),
    ];
    for (args, want, rule) in cases {
        let d = Diary::new();
        d.baseline_week();
        let mut a = vec!["--weight", "68.1"];
        a.extend_from_slice(args);
        d.log(0, "07:30", &a);
        let (_, v) = d.check();
        assert_eq!(level(&v), *want, "{args:?}: {v:#}");
        assert!(fired(&v).contains(&rule.to_string()), "{args:?}: {v:#}");
    }
}

#[test]
fn hemoconcentration_against_the_patients_own_labs() {
    let d = Diary::new();
    d.baseline_week();
    d.log(30, "09:00", &["--lab", "hematocrit=41"]);
    d.log(20, "09:00", &["--lab", "hematocrit=42"]);
    d.log(
        0,
        "07:30",
        &[
            "--weight",
            "68.1",
            "--bp",
            "118/76",
            "--lab",
            "hematocrit=48",
        ],
    );
    let v = assert_level(&d, "warning", 12);
    assert!(fired(&v).contains(&"H1".to_string()), "{v:#}");
    d.log(0, "12:00", &["--lab", "hematocrit=56"]);
    assert_level(&d, "emergency", 13);
}

#[test]
fn prodrome_symptoms_without_a_weight_ask_for_one() {
    let d = Diary::new();
    d.baseline_week();
    d.log(0, "07:30", &["--symptom", "thirst"]);
    let v = assert_level(&d, "watch", 11);
    assert!(fired(&v).contains(&"D3".to_string()), "{v:#}");
}

#[test]
fn json_carries_findings_skipped_rules_and_the_action() {
    let d = Diary::new();
    d.baseline_week();
    d.log(0, "07:30", &["--weight", "69.4", "--symptom", "thirst"]);
    let (_, v) = d.check();
    assert_eq!(v["date"], "2026-11-25");
    for f in v["findings"].as_array().unwrap() {
        assert!(
            f["rule"].is_string() && f["level"].is_string() && f["message"].is_string(),
            "{f}"
        );
    }
    let skipped = v["skipped"].as_array().unwrap();
    assert!(
        skipped
            .iter()
            .any(|s| s["rule"] == "H1" && s["reason"].is_string()),
        "no lab in the diary: H1 is reported as skipped: {v:#}"
    );
    assert!(v["action"].as_str().unwrap().contains("SCLS team"));
}

#[test]
fn log_ends_with_the_days_status() {
    let d = Diary::new();
    d.baseline_week();
    let out = d
        .cls()
        .args(["log", "--weight", "69.4", "--symptom", "thirst"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert!(
        lines.next().unwrap().starts_with("logged entry 8 "),
        "{text}"
    );
    assert!(lines.next().unwrap().contains("warning"), "{text}");
}

#[test]
fn history_and_backtest_run_over_a_range() {
    let d = Diary::new();
    d.baseline_week();
    d.log(0, "07:30", &["--weight", "69.4", "--symptom", "thirst"]);
    let out = d
        .cls()
        .args(["check", "--history", "--last", "10d", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let days = v["days"].as_array().unwrap();
    // The diary starts 7 days back: --last 10d starts at its first entry,
    // not with three "unknown" days before the diary existed.
    assert_eq!(days.len(), 8, "{v:#}");
    assert_eq!(days.last().unwrap()["level"], "warning");
    let out = d
        .cls()
        .args(["check", "--backtest", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// On an 80-column terminal each day of `--history` is wrapped under its
/// message, rule ids at the end; piped, a day is one line (#15).
#[test]
fn history_wraps_under_the_message_on_a_terminal() {
    let mut env = crate::support::TestEnv::new();
    env.seed_mornings("2026-11-10", &[68.0; 14]);
    env.log(&[
        "--weight",
        "70.4",
        "--symptom",
        "thirst:3,fatigue:3,muscle-pain:2",
    ]);
    env.set_env("COLUMNS", "80");
    let screen = env.on_terminal("check --history --last 3d", &[]);
    let lines: Vec<&str> = screen
        .lines()
        .filter(|l| !l.starts_with("cls: note"))
        .collect();
    assert!(lines.iter().all(|l| l.chars().count() <= 80), "{screen}");
    let today = lines
        .iter()
        .position(|l| l.starts_with("2026-11-25  warning    "))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(lines[today + 1].starts_with(&" ".repeat(23)), "{screen}");
    assert!(screen.contains(",P2") || screen.contains("P2,"), "{screen}");
    let piped = env.ok(&["check", "--history", "--last", "3d"]);
    let day = piped
        .lines()
        .find(|l| l.starts_with("2026-11-25"))
        .expect("today");
    assert!(day.len() > 80 && day.ends_with(']'), "{piped}");
}
