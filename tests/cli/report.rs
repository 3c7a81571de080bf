//! `cls report`, `cls card` and `cls meds` end to end: every format on a
//! fixed 90-day diary and a fixed clock, hostile notes, an empty period, a
//! period with an episode, the emergency card with a full and an empty
//! config, medication schedules, and the HTML report printed to PDF by a
//! real headless Chromium.
//!
//! Nothing here depends on which rule fires: the rules engine is checked
//! in its own tests, and these only look at structure and at numbers that
//! come straight from the diary. The one exception is the weight baseline:
//! the report and the card must show the very baseline `cls check`'s weight
//! rules judge against, so those tests compare them with its W1/W2 evidence.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveTime};
use cls::model::{Bp, LabKind, Measurements, Med, Stamp};
use cls::Store;

const NOW: &str = "2026-11-25T08:00:00Z";
const FULL_CONFIG: &str = include_str!("../fixtures/report/full.toml");
const MEDS_CONFIG: &str = include_str!("../fixtures/report/meds.toml");
const HOSTILE: &str = "<script>alert('x')</script> \"quoted\" & <b>bold</b> שלום עולם 🧪 \x1b[2J";

/// A clean temporary diary and config, and a fixed clock (a small private
/// stand-in for the shared test harness).
struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new(config: &str) -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("config.toml"), config).expect("write config");
        Env { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn db(&self) -> PathBuf {
        self.path("diary.sqlite3")
    }

    #[must_use]
    fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_cls"))
            .args(args)
            .env_clear()
            .env("CLS_NOW", NOW)
            .env("TZ", "UTC")
            .env("CLS_DB", self.db())
            .env("CLS_CONFIG", self.path("config.toml"))
            .env("HOME", self.dir.path())
            .env("COLUMNS", "100")
            .current_dir(self.dir.path())
            .output()
            .expect("run cls");
        Run(out)
    }

    /// Like [`Env::run`] at another moment.
    #[must_use]
    fn run_at(&self, now: &str, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_cls"))
            .args(args)
            .env_clear()
            .env("CLS_NOW", now)
            .env("TZ", "UTC")
            .env("CLS_DB", self.db())
            .env("CLS_CONFIG", self.path("config.toml"))
            .env("HOME", self.dir.path())
            .env("COLUMNS", "100")
            .current_dir(self.dir.path())
            .output()
            .expect("run cls");
        Run(out)
    }

    fn store(&self) -> Store {
        Store::open(&self.db()).expect("open diary")
    }
}

struct Run(Output);

impl Run {
    fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }

    fn stdout(&self) -> String {
        String::from_utf8(self.0.stdout.clone()).expect("utf-8 stdout")
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }

    /// Assert exit 0 and return stdout.
    fn ok(&self) -> String {
        assert_eq!(
            self.code(),
            0,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self.stdout()
    }
}

fn date(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn add(store: &mut Store, day: NaiveDate, time: &str, m: &Measurements) {
    let time = NaiveTime::parse_from_str(time, "%H:%M").expect("time");
    let stamp = Stamp {
        date: day,
        time,
        utc: day.and_time(time).and_utc(),
        offset_secs: 0,
    };
    store.insert(&stamp, m).expect("insert");
}

fn bp(s: u16, d: u16) -> Option<Bp> {
    Some(Bp {
        systolic: s,
        diastolic: d,
    })
}

/// The 90 days 2026-08-28 to 2026-11-25: quiet days with small
/// deterministic wobbles, six missed days, IVIG every 28 days, evening BP
/// on some days, a prodrome on 10-08 and 10-09, an attack from 10-10 to
/// 10-14 (hospitalised, labs on 10-11), recovery with polyuria, and a few
/// notes, one of them hostile.
const DAYS_LOGGED: usize = 84;

fn seed_90_days(env: &Env) {
    let mut s = env.store();
    let start = date("2026-08-28");
    let mut rng: u32 = 12345;
    let mut noise = |span: f64| {
        rng = rng.wrapping_mul(1_103_515_245).wrapping_add(12345);
        (f64::from((rng >> 16) & 0x7fff) / 32767.0 - 0.5) * span
    };
    let missed = [
        "2026-09-06",
        "2026-09-19",
        "2026-10-04",
        "2026-10-25",
        "2026-11-08",
        "2026-11-16",
    ];
    let special: &[(&str, f64, u16, u16, u16)] = &[
        ("2026-10-08", 69.1, 110, 72, 82),
        ("2026-10-09", 69.9, 104, 68, 90),
        ("2026-10-10", 71.6, 92, 58, 108),
        ("2026-10-11", 72.3, 86, 54, 118),
        ("2026-10-12", 71.2, 98, 62, 100),
        ("2026-10-13", 70.1, 106, 68, 92),
        ("2026-10-14", 69.2, 112, 72, 84),
        ("2026-10-15", 68.5, 116, 74, 78),
    ];
    for i in 0..90 {
        let day = start + chrono::Duration::days(i);
        let key = day.to_string();
        if missed.contains(&key.as_str()) {
            continue;
        }
        let mut m = Measurements::default();
        match special.iter().find(|x| x.0 == key) {
            Some(&(_, w, sys, dia, hr)) => {
                m.weight_kg = Some(w);
                m.bp = bp(sys, dia);
                m.heart_rate = Some(hr);
            }
            None => {
                m.weight_kg = Some(((68.0 + noise(0.8)) * 10.0).round() / 10.0);
                m.bp = bp((118.0 + noise(10.0)) as u16, (76.0 + noise(8.0)) as u16);
                m.heart_rate = Some((70.0 + noise(8.0)) as u16);
            }
        }
        match key.as_str() {
            "2026-10-08" => {
                m.set_symptom("thirst", 2);
                m.set_symptom("fatigue", 2);
                m.set_symptom("cold-symptoms", 2);
            }
            "2026-10-09" => {
                m.set_symptom("thirst", 3);
                m.set_symptom("fatigue", 2);
                m.set_symptom("muscle-pain", 2);
                m.urine = Some(cls::model::Urine::Less);
            }
            "2026-10-10" => {
                m.set_symptom("swelling", 2);
                m.set_symptom("dizziness", 3);
                m.set_symptom("thirst", 3);
                m.note = Some("Admitted via the ER, IV albumin".into());
            }
            "2026-10-11" => {
                m.set_symptom("swelling", 3);
                m.set_lab(LabKind::Hematocrit, 56.0);
                m.set_lab(LabKind::Albumin, 24.0);
                m.set_lab(LabKind::Hemoglobin, 18.9);
            }
            "2026-10-12" | "2026-10-13" => m.set_symptom("swelling", 2),
            "2026-10-14" | "2026-10-15" => {
                m.set_symptom("polyuria", 2);
                m.set_symptom("fatigue", 1);
            }
            "2026-11-20" => m.note = Some(HOSTILE.into()),
            "2026-09-15" => m.note = Some("Slept badly, long day at work".into()),
            "2026-11-02" => m.set_symptom("headache", 1),
            _ => {}
        }
        if ["2026-09-03", "2026-10-01", "2026-10-29"].contains(&key.as_str()) {
            m.meds.push(Med {
                name: "ivig".into(),
                dose: Some("2g/kg".into()),
            });
            m.note = Some("IVIG infusion at the day unit".into());
        }
        add(&mut s, day, "07:30", &m);
        if i % 5 == 0 || key == "2026-10-11" {
            let evening = Measurements {
                bp: if key == "2026-10-11" {
                    bp(84, 52)
                } else {
                    bp(114, 72)
                },
                standing_bp: (key == "2026-10-11").then_some(Bp {
                    systolic: 76,
                    diastolic: 48,
                }),
                heart_rate: Some(if key == "2026-10-11" { 124 } else { 74 }),
                ..Measurements::default()
            };
            add(&mut s, day, "20:00", &evening);
        }
    }
    let id = s
        .start_episode(date("2026-10-10"), true, Some("ICU two nights"))
        .expect("episode");
    s.end_episode(id, date("2026-10-14")).expect("end episode");
}

/// The display width of a line of the text output: comfy-table measures
/// emoji as two columns.
fn columns(l: &str) -> usize {
    l.chars()
        .map(|c| if u32::from(c) >= 0x1F000 { 2 } else { 1 })
        .sum()
}

fn in_order(s: &str, parts: &[&str]) {
    let mut at = 0;
    for p in parts {
        match s[at..].find(p) {
            Some(i) => at += i + p.len(),
            None => panic!("'{p}' missing or out of order in:\n{s}"),
        }
    }
}

#[test]
fn text_report_defaults_to_90_days_in_order_and_fits_the_width() {
    let env = Env::new(FULL_CONFIG);
    seed_90_days(&env);
    let out = env.run(&["report"]).ok();
    in_order(
        &out,
        &[
            "Alex Example, born 1970-01-31",
            "2026-08-28 to 2026-11-25 (90 days)",
            "2026-11-25 08:00",
            concat!("cls ", env!("CARGO_PKG_VERSION")),
            "Summary",
            &format!("{DAYS_LOGGED} of 90 days (93%)"),
            "Current level",
            "Days at each level",
            "Episodes",
            "1 (started 2026-10-10)",
            "Weight",
            "72.3 kg (2026-10-11)",
            "Largest 2-day rise",
            "Blood pressure and heart rate",
            "84/52",
            "Lab values",
            "hematocrit",
            "Symptoms",
            "Findings",
            "Episodes",
            "2026-10-10",
            "2026-10-14",
            "Medications and infusions",
            "ivig",
            "Daily table",
            "Latest notes",
        ],
    );
    assert!(out.contains('▁') || out.contains('█'), "a sparkline");
    assert!(
        !out.contains('\x1b'),
        "no escape sequence from a note reaches the terminal"
    );
    for l in out.lines() {
        assert!(columns(l) <= 100, "wider than COLUMNS=100: {l}");
    }
}

#[test]
fn every_format_renders_the_same_diary() {
    let env = Env::new(FULL_CONFIG);
    seed_90_days(&env);

    let json: serde_json::Value =
        serde_json::from_str(&env.run(&["report", "--format", "json"]).ok()).expect("json");
    assert_eq!(json["period"]["days"], 90);
    assert_eq!(json["period"]["from"], "2026-08-28");
    assert_eq!(json["summary"]["days_with_entry"], DAYS_LOGGED);
    assert_eq!(json["weight"]["max"]["kg"], 72.3);
    assert_eq!(json["weight"]["max"]["date"], "2026-10-11");
    assert_eq!(json["weight"]["series"].as_array().map(Vec::len), Some(90));
    assert_eq!(json["vitals"]["lowest"][0]["bp"]["systolic"], 84);
    assert_eq!(json["episodes"][0]["length_days"], 5);
    assert_eq!(json["episodes"][0]["hospitalized"], true);
    assert_eq!(
        json["medications"]["doses"].as_array().map(Vec::len),
        Some(3)
    );
    assert_eq!(
        json["medications"]["scheduled"][0]["last_date"],
        "2026-10-29"
    );
    assert_eq!(json["days"].as_array().map(Vec::len), Some(DAYS_LOGGED));
    assert_eq!(json["patient"]["name"], "Alex Example");
    // One verdict per day from the engine, whatever it decides.
    let levels: u64 = json["summary"]["level_days"]
        .as_array()
        .expect("level days")
        .iter()
        .map(|c| c["days"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(levels, 90);

    let csv = env.run(&["report", "--format", "csv"]).ok();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("date,level,weight_kg,bp,standing_bp,heart_rate,urine,urine_ml,symptoms,labs,medications,entries,note")
    );
    assert_eq!(lines.count(), DAYS_LOGGED);
    assert!(csv.contains("2026-10-11,"), "{csv}");
    assert!(
        csv.contains("92/58;") || csv.contains("86/54;84/52"),
        "{csv}"
    );

    let md = env.run(&["report", "--format", "markdown"]).ok();
    in_order(
        &md,
        &[
            "# SCLS symptom diary report",
            "## Summary",
            "## Weight",
            "## Blood pressure and heart rate",
            "## Symptoms",
            "## Findings",
            "## Episodes",
            "## Medications and infusions",
            "## Daily table",
            "| date | level |",
            "## Latest notes",
        ],
    );
    assert!(
        md.contains("&lt;script&gt;") && !md.contains("<script>"),
        "{md}"
    );

    let html = env.run(&["report", "--format", "html"]).ok();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg") && html.contains("@media print"));
}

#[test]
fn html_escapes_hostile_notes() {
    let env = Env::new(FULL_CONFIG);
    seed_90_days(&env);
    let html = env
        .run(&["report", "--format", "html", "--last", "14d"])
        .ok();
    assert!(!html.contains("<script"), "no script element at all");
    assert!(!html.contains("<b>bold"));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;"));
    assert!(html.contains("שלום עולם 🧪"), "RTL text and emoji are kept");
    assert!(!html.contains('\x1b'));
    for external in ["src=", "href=", "url(", "@import"] {
        assert!(!html.contains(external), "self-contained: found {external}");
    }
}

#[test]
fn an_empty_period_says_so_plainly() {
    let env = Env::new(FULL_CONFIG);
    seed_90_days(&env);
    for format in ["text", "markdown", "html"] {
        let out = env
            .run(&[
                "report",
                "--from",
                "2025-01-01",
                "--to",
                "2025-01-31",
                "--format",
                format,
            ])
            .ok();
        assert!(
            out.contains("No diary entries from 2025-01-01 to 2025-01-31"),
            "{format}: {out}"
        );
        assert!(
            !out.contains("Daily table") && !out.contains("<table"),
            "{format}: {out}"
        );
    }
    let csv = env
        .run(&[
            "report",
            "--from",
            "2025-01-01",
            "--to",
            "2025-01-31",
            "--format",
            "csv",
        ])
        .ok();
    assert_eq!(csv.lines().count(), 1, "only the header");

    // A diary that does not exist yet reads as empty and is not created.
    let fresh = Env::new("");
    let out = fresh.run(&["report"]).ok();
    assert!(
        out.contains("No diary entries from 2026-08-28 to 2026-11-25"),
        "{out}"
    );
    assert!(!fresh.db().exists());
}

#[test]
fn a_period_with_an_episode() {
    let env = Env::new(FULL_CONFIG);
    seed_90_days(&env);
    let out = env
        .run(&["report", "--from", "2026-10-01", "--to", "2026-10-31"])
        .ok();
    in_order(
        &out,
        &[
            "2026-10-01 to 2026-10-31 (31 days)",
            "1 (started 2026-10-10)",
            "Range",
            "(2026-10-11)",
            "Lowest readings",
            "2026-10-11 20:00",
            "84/52",
            "76/48",
            "Symptoms",
            "swelling",
            "Episodes",
            "2026-10-10",
            "2026-10-14",
            "yes",
            "ICU two nights",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(
        &env.run(&[
            "report",
            "--from",
            "2026-10-01",
            "--to",
            "2026-10-31",
            "--format",
            "json",
        ])
        .ok(),
    )
    .expect("json");
    let swelling = json["symptoms"]
        .as_array()
        .expect("symptoms")
        .iter()
        .find(|s| s["name"] == "swelling")
        .expect("swelling");
    assert_eq!(
        (swelling["days"].as_u64(), swelling["worst"].as_u64()),
        (Some(4), Some(3))
    );
    assert_eq!(json["labs"].as_array().map(Vec::len), Some(3));
    // A day at watch or above is listed with its findings once the engine
    // raises one; every listed day is at watch or above.
    for d in json["findings"].as_array().expect("findings") {
        assert!(["watch", "warning", "emergency"].contains(&d["level"].as_str().unwrap_or("")));
    }
}

#[test]
fn output_files_are_private_and_take_the_format_from_the_extension() {
    let env = Env::new(FULL_CONFIG);
    seed_90_days(&env);
    for (name, start) in [
        ("r.html", "<!DOCTYPE html>"),
        ("r.md", "# SCLS"),
        ("r.csv", "date,level,"),
        ("r.json", "{"),
        ("r.txt", "SCLS"),
    ] {
        let p = env.path(name);
        let out = env
            .run(&["report", "--output", p.to_str().expect("path")])
            .ok();
        assert!(out.contains("wrote report to"), "{out}");
        let body = std::fs::read_to_string(&p).expect("report file");
        assert!(
            body.starts_with(start),
            "{name}: {}",
            &body[..body.len().min(80)]
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p)
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{name}");
        }
    }
}

#[test]
fn bad_periods_are_usage_errors() {
    let env = Env::new("");
    let r = env.run(&["report", "--from", "2026-11-20", "--to", "2026-11-01"]);
    assert_eq!(r.code(), 2, "{}", r.stderr());
    assert!(r.stderr().contains("--from"), "{}", r.stderr());
    let r = env.run(&["report", "--last", "ninety"]);
    assert_eq!(r.code(), 2);
    assert!(r.stderr().contains("--last"), "{}", r.stderr());
    assert_eq!(
        env.run(&["report", "--last", "30d", "--from", "2026-01-01"])
            .code(),
        2
    );
    assert_eq!(env.run(&["report", "--format", "pdf"]).code(), 2);
}

#[test]
fn card_with_a_full_config() {
    let env = Env::new(FULL_CONFIG);
    seed_90_days(&env);
    let r = env.run(&["card"]);
    // Wrapping does not matter here: compare with single spaces.
    let out = r.ok().split_whitespace().collect::<Vec<_>>().join(" ");
    in_order(
        &out,
        &[
            "EMERGENCY MEDICAL INFORMATION",
            "Alex Example",
            "1970-01-31 (age 56)",
            "Systemic capillary leak syndrome (Clarkson disease)",
            "plasma leaks out of the blood",
            "low albumin",
            "pulmonary oedema",
            "IV fluid",
            "Suspected capillary leak attack. Please contact Dr Lee (below) at once.",
            "Avoid large volumes of IV fluid; see the 2022 IVIG-at-onset letter in my bag.",
            "Dr Lee, Immunology, City Hospital, +1 555 0100",
            "Sam Example (partner), +1 555 0102",
            "IVIG 2 g/kg every 28 days",
            "ivig: last 2026-10-29 (2g/kg)",
            "MGUS IgG kappa",
            "as of 2026-11-25",
            "Today",
            "Usual weight",
            "Usual BP",
            "Last hematocrit",
            "56% on 2026-10-11",
            "Thu 2026-11-19",
            "Wed 2026-11-25",
        ],
    );
    assert!(
        r.stderr().is_empty(),
        "no hints with a full config: {}",
        r.stderr()
    );

    let html = env.run(&["card", "--format", "html"]).ok();
    assert!(html.contains("Suspected capillary leak attack. Please contact Dr Lee (below) at once.\nAvoid large volumes"));
    assert!(!html.contains("<script"));
}

#[test]
fn card_with_an_empty_config_hints_at_each_missing_group() {
    let env = Env::new("");
    seed_90_days(&env);
    let r = env.run(&["card"]);
    let out = r.ok();
    assert!(out.contains("Systemic capillary leak syndrome (Clarkson disease)"));
    assert!(
        out.contains("Usual weight"),
        "baselines still come from the diary: {out}"
    );
    assert!(
        !out.contains("Name ") && !out.contains("CONTACTS") && !out.contains("INSTRUCTIONS"),
        "{out}"
    );
    let err = r.stderr();
    let hints: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("cls: hint: "))
        .collect();
    assert_eq!(hints.len(), 5, "one line per missing group:\n{err}");
    for key in [
        "date_of_birth",
        "[patient.specialist]",
        "[patient.emergency_contact]",
        "emergency_instructions",
        "prophylaxis",
    ] {
        assert!(err.contains(key), "{key}: {err}");
    }
    assert!(err.contains("cls config init"));
}

#[test]
fn meds_shows_overdue_and_not_yet_due_schedules() {
    let env = Env::new(MEDS_CONFIG);
    let mut s = env.store();
    let med = |name: &str, dose: &str| Measurements {
        meds: vec![Med {
            name: name.into(),
            dose: Some(dose.into()),
        }],
        ..Measurements::default()
    };
    add(&mut s, date("2026-10-20"), "09:00", &med("ivig", "2g/kg"));
    add(
        &mut s,
        date("2026-11-22"),
        "09:00",
        &med("terbutaline", "5mg"),
    );
    drop(s);

    let out = env.run(&["meds"]).ok();
    assert!(
        out.contains("8 days overdue (due 2026-11-17, past the 3 days grace)"),
        "{out}"
    );
    assert!(out.contains("due in 4 days (2026-11-29)"), "{out}");
    assert!(out.contains("no dose logged yet"), "{out}");
    assert!(out.contains("cls log --med ivig:2g/kg"), "{out}");

    let json: serde_json::Value =
        serde_json::from_str(&env.run(&["meds", "--json"]).ok()).expect("json");
    assert_eq!(json["date"], "2026-11-25");
    let m = json["medications"].as_array().expect("medications");
    assert_eq!(m[0]["state"], "overdue_past_grace");
    assert_eq!(m[0]["due_in_days"], -8);
    assert_eq!(m[1]["state"], "not_yet_due");
    assert_eq!(m[1]["last_date"], "2026-11-22");
    assert_eq!(m[2]["state"], "not_logged");
}

#[test]
fn meds_without_a_schedule_says_how_to_add_one() {
    let env = Env::new("");
    let out = env.run(&["meds"]).ok();
    assert!(out.contains("no medication schedule"), "{out}");
    assert!(
        out.contains("[[medications]]") && out.contains("every_days = 28"),
        "{out}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&env.run(&["meds", "--json"]).ok()).expect("json");
    assert_eq!(json["medications"], serde_json::json!([]));
}

// ---- the weight baseline is the rules' own ------------------------------------

/// A diary where every way of taking a "usual weight" gives another number:
/// mornings from 11-01, a recorded episode from 11-13 to 11-17 with the leak
/// weights, no weight on 11-20, a gain on 11-25, and a weight logged at
/// 00:30 on 11-25 that counts for 11-24 (logical days) after its morning
/// weight, so it is not 11-24's day weight, nor 11-25's.
fn seed_baseline_diary(env: &crate::support::TestEnv) {
    env.seed_mornings(
        "2026-11-01",
        &[
            70.0, 70.2, 69.8, 70.0, 70.1, 69.9, 70.0, 70.2, 69.8, 70.0, 70.1, // 11-01..11-11
            70.9, // 11-12
            71.5, 73.0, 74.0, 73.0, 72.0, // 11-13..11-17: the episode
            71.2, 70.4, // 11-18, 11-19
        ],
    );
    env.seed_mornings("2026-11-21", &[70.3, 70.2, 70.1, 70.0, 71.9]);
    env.ok(&["episode", "start", "--date", "2026-11-13"]);
    env.ok(&["episode", "end", "--date", "2026-11-17"]);
    env.log(&[
        "--date",
        "2026-11-25",
        "--time",
        "00:30",
        "--weight",
        "75kg",
    ]);
}

/// Stdout of a command that must succeed (the card hints on stderr at the
/// empty patient section).
fn stdout_of(env: &crate::support::TestEnv, args: &[&str]) -> String {
    let out = env.run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}\n{}",
        crate::support::describe(&out)
    );
    crate::support::stdout(&out)
}

fn json_of(env: &crate::support::TestEnv, args: &[&str]) -> serde_json::Value {
    let out = stdout_of(env, args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}):\n{out}"))
}

/// Text with its line breaks and runs of spaces made single spaces.
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The weight-rule finding (W1 or W2) of `cls check --date D --json`.
fn weight_finding(check: &serde_json::Value) -> Option<&serde_json::Value> {
    check["findings"]
        .as_array()?
        .iter()
        .find(|f| f["rule"] == "W1" || f["rule"] == "W2")
}

/// `cls report` and `cls card` show the weight baseline the weight rules
/// judge against (docs/rules.md), whatever the config says: before
/// this, each kept a private median of the 7 calendar days before (the
/// report: 70.25 on 11-25 and 72.0 on 11-19, with the episode's leak
/// weights; the card: 70.3 whatever `no_baseline.days` said), and the
/// report took a weight logged after midnight as the next day's.
#[test]
fn report_and_card_show_the_rules_weight_baseline() {
    let mut env = crate::support::TestEnv::new();
    env.set_now("2026-11-25T12:00:00Z");
    env.write_config("[rules.no_baseline]\ndays = 5\n");
    seed_baseline_diary(&env);

    // B for 11-25 from the 5 most recent weighed days before it:
    // 70.0 70.1 70.2 70.3 (11-24..11-21; none on 11-20) and 70.4 (11-19).
    let check = env.check(Some("2026-11-25"));
    let w1 = weight_finding(&check).unwrap_or_else(|| panic!("W1 fires: {check}"));
    assert_eq!(w1["evidence"]["baseline_kg"], 70.2, "{w1}");
    assert_eq!(w1["evidence"]["baseline_weights"], 5, "{w1}");
    assert_eq!(w1["evidence"]["weight_kg"], 71.9, "{w1}");

    let report = json_of(&env, &["report", "--last", "14d", "--format", "json"]);
    let w = &report["weight"];
    assert_eq!(w["baseline_end"]["kg"], 70.2, "{w}");
    assert_eq!(w["baseline_end"]["weights"], 5, "{w}");
    assert_eq!(w["series"][13]["baseline_kg"], 70.2, "{w}");
    // The usual range drawn around it: those same five days.
    assert_eq!(
        (
            &w["series"][13]["band_low_kg"],
            &w["series"][13]["band_high_kg"]
        ),
        (&serde_json::json!(70.0), &serde_json::json!(70.4))
    );
    // 11-25's day weight is its 08:00 one; the 00:30 entry belongs to 11-24.
    assert_eq!(w["last"]["kg"], 71.9, "{w}");
    let days = report["days"].as_array().expect("days");
    let last = days.last().expect("a day");
    assert_eq!(
        (&last["date"], &last["weight_kg"], &last["entries"]),
        (
            &serde_json::json!("2026-11-25"),
            &serde_json::json!(71.9),
            &serde_json::json!(1)
        )
    );
    let before = &days[days.len() - 2];
    assert_eq!(
        (&before["weight_kg"], &before["entries"]),
        (&serde_json::json!(70.0), &serde_json::json!(2))
    );

    let text = flat(&env.ok(&["report", "--last", "14d"]));
    assert!(
        text.contains("70.2 kg before 2026-11-25 (median of the last 5 weighed days)"),
        "{text}"
    );
    assert!(!text.contains("7-day"), "{text}");

    let card = json_of(&env, &["card", "--format", "json"]);
    assert_eq!(card["baseline"]["weight"]["kg"], 70.2, "{card}");
    assert_eq!(card["baseline"]["weight"]["weights"], 5, "{card}");
    let card = flat(&stdout_of(&env, &["card"]));
    assert!(
        card.contains("Usual weight 70.2 kg (median of the last 5 weighed days outside attacks)"),
        "{card}"
    );

    // With the default 7 days: 70.0 70.1 70.2 70.3 70.4 71.2 (11-18), then
    // 70.9 (11-12): the episode's 71.5..74.0 are left out.
    env.write_config("");
    let check = env.check(Some("2026-11-25"));
    let w1 = weight_finding(&check).unwrap_or_else(|| panic!("W1 fires: {check}"));
    assert_eq!(w1["evidence"]["baseline_kg"], 70.3, "{w1}");
    let card = json_of(&env, &["card", "--format", "json"]);
    assert_eq!(card["baseline"]["weight"]["kg"], 70.3, "{card}");
    let report = json_of(
        &env,
        &[
            "report",
            "--from",
            "2026-11-12",
            "--to",
            "2026-11-25",
            "--format",
            "json",
        ],
    );
    let series = report["weight"]["series"].as_array().expect("series");
    // 11-19: 71.2 (11-18), then 70.9 70.1 70.0 69.8 70.2 70.0 (11-12..11-07).
    assert_eq!(series[7]["date"], "2026-11-19");
    assert_eq!(series[7]["baseline_kg"], 70.1, "{}", series[7]);
    // Every day a weight rule fired on, the report's baseline for the
    // weight judged is the one the rule used.
    let mut compared = 0;
    for p in series {
        let day = p["date"].as_str().expect("date");
        let check = env.check(Some(day));
        let Some(f) = weight_finding(&check) else {
            continue;
        };
        let judged = f["evidence"]["weight_date"].as_str().expect("weight_date");
        let q = series
            .iter()
            .find(|q| q["date"] == judged)
            .expect("the weight judged is in the period");
        assert_eq!(
            f["evidence"]["baseline_kg"].as_f64(),
            q["baseline_kg"]
                .as_f64()
                .map(|b| (b * 1000.0).round() / 1000.0),
            "{day}: {f}"
        );
        compared += 1;
    }
    assert!(
        compared >= 5,
        "the leak and the gain fire W1/W2: {compared}"
    );
}

/// "kg" as a word (not inside "background").
fn mentions_kg(s: &str) -> bool {
    s.match_indices("kg").any(|(i, _)| {
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        !word(s[..i].chars().next_back()) && !word(s[i + 2..].chars().next())
    })
}

/// Everything about weight in the report and the card is in `[units]
/// weight`: the baseline, the day weights, the findings, the CSV column.
#[test]
fn report_and_card_weights_follow_the_unit() {
    let mut env = crate::support::TestEnv::new();
    env.set_now("2026-11-25T12:00:00Z");
    env.write_config("[units]\nweight = \"lb\"\n\n[rules.no_baseline]\ndays = 5\n");
    seed_baseline_diary(&env);

    // 70.2 kg = 154.8 lb; 71.9 kg = 158.5 lb.
    let text = env.ok(&["report", "--last", "14d"]);
    let flat_text = flat(&text);
    assert!(
        flat_text.contains("154.8 lb before 2026-11-25 (median of the last 5 weighed days)"),
        "{text}"
    );
    assert!(flat_text.contains("158.5 lb"), "{text}");
    assert!(!mentions_kg(&text), "a weight in kg:\n{text}");
    for format in ["markdown", "html"] {
        let out = env.ok(&["report", "--last", "14d", "--format", format]);
        assert!(out.contains("154.8 lb"), "{format}: {out}");
        assert!(!mentions_kg(&out), "{format}: a weight in kg:\n{out}");
    }
    let csv = env.ok(&["report", "--last", "14d", "--format", "csv"]);
    assert!(csv.starts_with("date,level,weight_lb,"), "{csv}");
    assert!(csv.contains("\n2026-11-25,watch,158.5,"), "{csv}");

    let card = stdout_of(&env, &["card"]);
    assert!(
        flat(&card)
            .contains("Usual weight 154.8 lb (median of the last 5 weighed days outside attacks)"),
        "{card}"
    );
    assert!(!mentions_kg(&card), "a weight in kg:\n{card}");
    let html = stdout_of(&env, &["card", "--format", "html"]);
    assert!(
        html.contains("Weight (lb)") && !mentions_kg(&html),
        "{html}"
    );
    assert!(mentions_kg("68.0 kg") && !mentions_kg("background"));
}

// ---- real-browser check ------------------------------------------------------

/// Find a program on PATH, or fail with how to install it.
fn need(program: &str) -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(program))
            .find(|p| p.is_file())
    });
    found.unwrap_or_else(|| {
        panic!(
            "{program} is needed to check the printed report: install the Debian packages \
             'chromium' and 'poppler-utils' (apt-get install -y chromium poppler-utils)"
        )
    })
}

/// Run a command with a time limit, failing the test when it is exceeded.
fn run_limited(mut cmd: Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!(
                "{cmd:?} took longer than {limit:?}; stderr:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn chromium(env: &Env, profile: &str, extra: &[String], page: &Path) -> Output {
    let mut cmd = Command::new(need("chromium"));
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-pdf-header-footer",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", env.path(profile).display()))
    .args(extra)
    .arg(format!("file://{}", page.display()))
    .env("HOME", env.dir.path());
    let out = run_limited(cmd, Duration::from_secs(120));
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The PDF's text and page count (pdftotext separates pages with form
/// feeds).
fn pdf_text(pdf: &Path) -> (String, usize) {
    let out = run_limited(
        {
            let mut c = Command::new(need("pdftotext"));
            c.args(["-layout"]).arg(pdf).arg("-");
            c
        },
        Duration::from_secs(60),
    );
    assert!(out.status.success(), "pdftotext failed");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let pages = text.trim_end_matches('\u{c}').matches('\u{c}').count() + 1;
    (text, pages)
}

/// Keep what the browser made when `CLS_TEST_ARTIFACTS` names a folder, to
/// look at by eye.
fn keep(p: &Path) {
    if let Some(dir) = std::env::var_os("CLS_TEST_ARTIFACTS") {
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::copy(p, Path::new(&dir).join(p.file_name().expect("file name")));
    }
}

#[test]
fn html_report_and_card_print_cleanly_in_chromium() {
    let env = Env::new(FULL_CONFIG);
    seed_90_days(&env);
    let html = env.path("report.html");
    let _ = env
        .run(&[
            "report",
            "--format",
            "html",
            "--output",
            html.to_str().expect("path"),
        ])
        .ok();
    keep(&html);

    let pdf = env.path("report.pdf");
    chromium(
        &env,
        "profile-pdf",
        &[format!("--print-to-pdf={}", pdf.display())],
        &html,
    );
    keep(&pdf);
    let (text, pages) = pdf_text(&pdf);
    assert!((2..=6).contains(&pages), "{pages} pages:\n{text}");
    for needle in [
        "Alex Example",
        "2026-08-28 to 2026-11-25",
        "72.3 kg",
        "Summary",
        "Weight",
        "Blood pressure and heart rate",
        "Findings",
        "Episodes",
        "Daily table",
        "page 1 of",
    ] {
        // Headings are upper-cased by the style sheet.
        assert!(
            text.to_lowercase().contains(&needle.to_lowercase()),
            "'{needle}' not in the PDF:\n{text}"
        );
    }

    let png = env.path("report.png");
    chromium(
        &env,
        "profile-png",
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1100,1500".into(),
        ],
        &html,
    );
    keep(&png);
    let bytes = std::fs::read(&png).expect("screenshot");
    assert!(
        bytes.starts_with(b"\x89PNG") && bytes.len() > 20_000,
        "{} bytes",
        bytes.len()
    );

    let card = env.path("card.html");
    let _ = env
        .run(&["card", "--output", card.to_str().expect("path")])
        .ok();
    keep(&card);
    let card_pdf = env.path("card.pdf");
    chromium(
        &env,
        "profile-card",
        &[format!("--print-to-pdf={}", card_pdf.display())],
        &card,
    );
    keep(&card_pdf);
    let (text, pages) = pdf_text(&card_pdf);
    assert_eq!(pages, 1, "the card is one page:\n{text}");
    assert!(text.contains("EMERGENCY MEDICAL INFORMATION") && text.contains("Alex Example"));
    assert!(text.contains("+1 555 0100"));
}

/// The card of an emergency day with more than ten findings, printed by
/// Chromium on A4 and on Letter, is one page in both, with the findings
/// capped, and the same with emergency instructions of 25 long lines: it
/// shrinks rather than breaks (#15).
#[test]
fn the_card_of_an_emergency_day_prints_on_one_page_in_a4_and_letter() {
    let long: String = (1..=25)
        .map(|i| {
            format!(
                "{i}. Give albumin and call the specialist on the number below before any \
                 fluid bolus; keep the fluid balance chart.\n"
            )
        })
        .collect();
    let long_config = FULL_CONFIG.replace(
        "Suspected capillary leak attack. Please contact Dr Lee (below) at once.",
        long.trim_end(),
    );
    for (name, config) in [("full", FULL_CONFIG), ("long", long_config.as_str())] {
        let env = Env::new(config);
        seed_90_days(&env);
        // More of the attack's evening: every sign at once.
        let mut s = env.store();
        let mut m = Measurements {
            weight_kg: Some(72.9),
            bp: bp(82, 50),
            heart_rate: Some(128),
            urine: Some(cls::model::Urine::Less),
            ..Measurements::default()
        };
        for (symptom, severity) in [
            ("swelling", 3),
            ("dizziness", 3),
            ("thirst", 3),
            ("fatigue", 3),
        ] {
            m.set_symptom(symptom, severity);
        }
        add(&mut s, date("2026-10-11"), "21:00", &m);
        drop(s);
        let now = "2026-10-11T22:00:00Z";
        let json: serde_json::Value =
            serde_json::from_str(&env.run_at(now, &["card", "--format", "json"]).ok())
                .expect("json");
        let findings = json["findings"].as_array().expect("findings").len();
        assert_eq!(json["level"], "emergency");
        assert!(findings >= 10, "{findings} findings");

        let card = env.path("card.html");
        let _ = env
            .run_at(now, &["card", "--output", card.to_str().expect("path")])
            .ok();
        let html = std::fs::read_to_string(&card).expect("card");
        assert!(
            html.contains(&format!("+{} more findings", findings - 4)),
            "{html}"
        );
        for size in ["A4", "letter"] {
            let page = env.path(&format!("card-{name}-{size}.html"));
            std::fs::write(
                &page,
                html.replace(
                    "</head>",
                    &format!("<style>@page{{size:{size}}}</style></head>"),
                ),
            )
            .expect("write");
            let pdf = env.path(&format!("card-{name}-{size}.pdf"));
            chromium(
                &env,
                &format!("profile-{name}-{size}"),
                &[format!("--print-to-pdf={}", pdf.display())],
                &page,
            );
            keep(&pdf);
            let (text, pages) = pdf_text(&pdf);
            assert_eq!(pages, 1, "{name} card on {size}: {pages} pages:\n{text}");
            for needle in [
                "EMERGENCY MEDICAL INFORMATION",
                "+1 555 0100",
                "THE LAST 7 DAYS",
            ] {
                assert!(
                    text.to_uppercase().contains(&needle.to_uppercase()),
                    "{needle} on {size}:\n{text}"
                );
            }
            assert!(
                !text.contains("your ") && !text.contains("yourself"),
                "{text}"
            );
        }
    }
}

/// JSON for people carries numbers as measured: no `3.4000000000000057`
/// nor `4.897` % (#15); the export keeps the diary's exact values.
#[test]
fn json_reports_round_numbers_to_what_was_measured() {
    let env = Env::new(FULL_CONFIG);
    seed_90_days(&env);
    let now = "2026-10-11T22:00:00Z";
    for args in [
        &["report", "--format", "json"][..],
        &["card", "--format", "json"],
        &["check", "--json"],
        &["check", "--history", "--last", "30d", "--json"],
    ] {
        let out = env.run_at(now, args).0;
        let json = String::from_utf8(out.stdout).expect("utf-8");
        assert!(json.contains("_kg"), "{args:?}: {json}");
        let v: serde_json::Value = serde_json::from_str(&json).expect("json");
        let long = numbers(&v)
            .into_iter()
            .find(|n| n.split_once('.').is_some_and(|(_, frac)| frac.len() > 2));
        assert_eq!(long, None, "{args:?} has a long number");
    }
}

/// Every number in a JSON document, as written.
fn numbers(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::Number(n) => vec![n.to_string()],
        serde_json::Value::Array(a) => a.iter().flat_map(numbers).collect(),
        serde_json::Value::Object(o) => o.values().flat_map(numbers).collect(),
        _ => Vec::new(),
    }
}
