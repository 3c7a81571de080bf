//! The config file and the file locations: `cls config init|show|path`,
//! `cls paths`, what a broken config does (stops everything before the diary
//! is touched), flag-beats-environment-beats-default for `--db` and
//! `--config`, and what `cls rules` and `cls doctor` say about the rules a
//! config changes or switches off.

use crate::support::{describe, stderr, stdout, TestEnv};

/// The commented default that `cls config init` must write.
const DEFAULT_TOML: &str = include_str!("../../examples/config.toml");

// ---- config init ----------------------------------------------------------

#[test]
fn config_init_writes_the_commented_default_privately() {
    let env = TestEnv::without_config();
    let out = env.ok(&["config", "init"]);
    let path = env.config_path();
    assert_eq!(out, format!("wrote {}\n", path.display()));
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text, DEFAULT_TOML);
    assert!(
        text.lines().filter(|l| l.starts_with('#')).count() > 20,
        "commented"
    );
    #[cfg(unix)]
    assert_eq!(crate::support::mode(&path), 0o600);
    // It parses, and it is the defaults.
    let shown = env.ok(&["config", "show"]);
    assert!(
        shown.starts_with(&format!("# effective config from {}\n", path.display())),
        "{shown}"
    );
    assert!(shown.contains("weight = \"kg\""), "{shown}");
    env.log(&["--weight", "68.4"]);
}

#[test]
fn config_init_refuses_to_overwrite_without_force() {
    let env = TestEnv::without_config();
    env.ok(&["config", "init"]);
    let mine = "[units]\nweight = \"lb\"\n";
    env.write_config(mine);
    let err = env.runtime_error(&["config", "init"], "already exists");
    assert!(
        err.contains(&env.config_path().display().to_string()),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(env.config_path()).unwrap(), mine);

    env.ok(&["config", "init", "--force"]);
    assert_eq!(
        std::fs::read_to_string(env.config_path()).unwrap(),
        DEFAULT_TOML
    );
    // No temporary files are left next to it.
    let names: Vec<_> = std::fs::read_dir(env.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn config_init_repairs_a_broken_config_with_force() {
    let env = TestEnv::new();
    env.write_config("[units]\nwieght = \"kg\"\n");
    env.runtime_error(&["list"], "wieght");
    env.runtime_error(&["config", "init"], "already exists");
    env.ok(&["config", "init", "--force"]);
    env.ok(&["config", "show"]);
}

#[test]
fn config_init_writes_where_the_flag_says_creating_private_folders() {
    let env = TestEnv::without_config();
    let nested = env.path("cfg/cls/config.toml");
    env.ok(&["--config", nested.to_str().unwrap(), "config", "init"]);
    assert_eq!(std::fs::read_to_string(&nested).unwrap(), DEFAULT_TOML);
    assert!(!env.config_path().exists(), "not where CLS_CONFIG points");
    #[cfg(unix)]
    {
        assert_eq!(crate::support::mode(&nested), 0o600);
        assert_eq!(crate::support::mode(&env.path("cfg/cls")), 0o700);
    }
}

// ---- config show ----------------------------------------------------------

#[test]
fn config_show_prints_the_effective_config() {
    let env = TestEnv::new();
    env.write_config(
        "[units]\nweight = \"lb\"\n[symptoms]\ncustom = [\"joint pain\"]\n\
         [[medications]]\nname = \"ivig\"\ndose = \"2g/kg\"\nevery_days = 28\n",
    );
    let out = env.ok(&["config", "show"]);
    for want in [
        "weight = \"lb\"",
        "custom = [\"joint pain\"]",
        "[[medications]]",
        "every_days = 28",
        "grace_days = 3", // a default filled in
        "[actions]",
    ] {
        assert!(out.contains(want), "{want:?} missing from:\n{out}");
    }
    // What it prints is itself a valid config.
    let body: String = out.lines().skip(1).map(|l| format!("{l}\n")).collect();
    env.write_config(&body);
    assert_eq!(env.ok(&["config", "show"]), out);
}

#[test]
fn a_missing_config_from_the_environment_means_defaults_with_a_note() {
    let env = TestEnv::without_config();
    let out = env.run(&["config", "show"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("cls: note: config "), "{err}");
    assert!(
        err.contains("CLS_CONFIG") && err.contains("defaults"),
        "{err}"
    );
    assert!(stdout(&out).contains("(missing: built-in defaults)"));
    // Logging works on the defaults.
    let out = env.run(&["log", "--weight", "68"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert!(
        !env.config_path().exists(),
        "a config is never written unasked"
    );
}

#[test]
fn a_missing_config_named_by_the_flag_is_an_error() {
    let env = TestEnv::new();
    let missing = env.path("nope.toml");
    let m = missing.to_str().unwrap();
    for args in [
        &["--config", m, "list"][..],
        &["list", "--config", m],
        &[&format!("--config={m}"), "check"],
        &["--config", m, "config", "show"],
    ] {
        let err = env.runtime_error(args, "no such file");
        assert!(err.contains(m), "{err}");
        assert!(err.contains("cls config init"), "{err}");
    }
    assert!(!env.diary_exists());
    assert!(!missing.exists());
}

// ---- broken configs -------------------------------------------------------

/// A broken config, and what the one-line error must name.
const BROKEN: &[(&str, &[&str])] = &[
    // unknown keys, at every level
    ("[units]\nwieght = \"kg\"\n", &["line 2", "wieght"]),
    ("colour = true\n", &["line 1", "colour"]),
    ("[unit]\nweight = \"kg\"\n", &["line 1", "unit"]),
    (
        "[patient.specialist]\nemail = \"x@y\"\n",
        &["line 2", "email"],
    ),
    ("[rules]\nweight_gain = 1\n", &["line 2", "weight_gain"]),
    // wrong types
    ("[units]\nweight = 5\n", &["line 2", "weight"]),
    ("units = 5\n", &["line 1", "units"]),
    ("[symptoms]\ncustom = \"rash\"\n", &["line 2", "custom"]),
    ("[actions]\nwarning = 3\n", &["line 2", "warning"]),
    (
        "[[medications]]\nname = \"ivig\"\nevery_days = \"28\"\n",
        &["line 3", "every_days"],
    ),
    // bad values
    (
        "[units]\nweight = \"stone\"\n",
        &["line 2", "weight", "stone"],
    ),
    (
        "[patient]\ndate_of_birth = 1970-01-32\n",
        &["line 2", "date_of_birth"],
    ),
    (
        "[[medications]]\nname = \"ivig\"\nevery_days = 0\n",
        &["every_days", "1–365"],
    ),
    (
        "[[medications]]\nname = \"ivig\"\nevery_days = 28\ngrace_days = 61\n",
        &["grace_days", "0–60"],
    ),
    (
        "[[medications]]\nname = \" \"\nevery_days = 28\n",
        &["name"],
    ),
    (
        "[[medications]]\nname = \"ivig\"\n",
        &["line 1", "every_days"],
    ),
    (
        "[symptoms]\ncustom = [\"thirst\"]\n",
        &["symptoms.custom[0]", "thirst"],
    ),
    (
        "[symptoms]\ncustom = [\"ok\", \"  \"]\n",
        &["symptoms.custom[1]", "empty"],
    ),
    (
        "[symptoms]\ncustom = [\"rash;itch\"]\n",
        &["symptoms.custom[0]", "rash;itch", "';'"],
    ),
    // not TOML at all
    ("[units\nweight = \"kg\"\n", &["line 1"]),
    ("[units]\nweight = \"kg\"\n[units]\n", &["line 3"]),
    ("weight = \n", &["line 1"]),
];

#[test]
fn a_broken_config_stops_every_command_but_log_before_the_diary_is_created() {
    let env = TestEnv::new();
    let path = env.config_path().display().to_string();
    for (text, needles) in BROKEN {
        env.write_config(text);
        let err = env.runtime_error(&["check"], &format!("config {path}: "));
        for n in *needles {
            assert!(
                err.contains(n),
                "config {text:?}: {err:?} should name {n:?}"
            );
        }
        assert!(
            !env.diary_exists(),
            "config {text:?}: the diary was created"
        );
        // The config itself is never rewritten.
        assert_eq!(std::fs::read_to_string(env.config_path()).unwrap(), *text);
    }
}

#[test]
fn a_config_that_is_not_text_or_not_a_file_is_a_clear_error() {
    let env = TestEnv::new();
    std::fs::write(env.config_path(), b"[units]\nweight = \"\xff\"\n").unwrap();
    env.runtime_error(&["list"], "not valid UTF-8");
    let dir = env.path("a-folder");
    std::fs::create_dir(&dir).unwrap();
    env.runtime_error(&["--config", dir.to_str().unwrap(), "list"], "cannot read");
    assert!(!env.diary_exists());
}

#[test]
fn a_broken_config_never_opens_an_existing_diary() {
    let env = TestEnv::new();
    env.log(&["--weight", "68.4"]);
    let before = env.diary_snapshot();
    env.write_config("[units]\nweight = \"stone\"\n");
    for args in [
        &["list"][..],
        &["show", "1"],
        &["edit", "1", "--weight", "70"],
        &["delete", "1", "--yes"],
        &["check"],
        &["episode", "start"],
        &["symptoms"],
        &["config", "show"],
    ] {
        let err = env.runtime_error(args, "stone");
        assert!(err.contains("line 1") || err.contains("line 2"), "{err}");
    }
    assert_eq!(env.diary_snapshot(), before);

    // Proof it is not even opened: a damaged diary is not what gets
    // reported, and a world-readable one is not tightened (opening does).
    std::fs::write(env.db_path(), b"not a database at all, just text......").unwrap();
    env.runtime_error(&["list"], "stone");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(env.db_path(), std::fs::Permissions::from_mode(0o644)).unwrap();
        env.runtime_error(&["check"], "stone");
        assert_eq!(crate::support::mode(&env.db_path()), 0o644);
    }
}

#[test]
fn paths_and_init_work_even_when_the_config_is_broken() {
    // They are how a patient finds and repairs the file.
    let env = TestEnv::new();
    env.write_config("[units]\nweight = \"stone\"\n");
    let out = env.ok(&["paths"]);
    assert!(
        out.contains(&env.config_path().display().to_string()),
        "{out}"
    );
    env.ok(&["config", "path"]);
    env.ok(&["completions", "bash"]);
}

#[test]
fn an_empty_config_file_means_the_defaults() {
    let env = TestEnv::new();
    for text in ["", "\n\n", "# only a comment\n"] {
        env.write_config(text);
        let out = env.ok(&["config", "show"]);
        assert!(out.contains("weight = \"kg\""), "{out}");
    }
}

// ---- what the config switches off: cls rules and cls doctor ---------------

#[test]
fn rules_shows_the_configured_thresholds_units_and_switched_off_rules() {
    let env = TestEnv::new();
    env.write_config(
        "[units]\nweight = \"lb\"\n\
         [diary]\nday_starts_at = \"05:30\"\n\
         [rules]\ndry_weight_kg = 70.5\n\
         [rules.breathing]\nenabled = false\n",
    );
    let json: serde_json::Value = serde_json::from_str(&env.ok(&["rules", "--json"])).unwrap();
    let rules = json.as_array().unwrap();
    let rule = |id: &str| {
        rules
            .iter()
            .find(|r| r["rule"] == id)
            .unwrap_or_else(|| panic!("{id} missing: {json}"))
    };
    let ids: Vec<&str> = rules.iter().map(|r| r["rule"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "D1", "D2", "D3", "W1", "W2", "W3", "W4", "P1", "P2", "P3", "L1", "L2", "L3", "L4",
            "L5", "L6", "L7", "L8", "L9", "L10", "H1", "H2", "R1", "M1"
        ]
    );
    let w4 = rule("W4");
    let fires = w4["fires_when"].as_str().unwrap();
    assert!(
        fires.contains("max(2.2 lb, 1.5% of the dry weight) over your dry weight 155.4 lb"),
        "{fires}"
    );
    assert_eq!(w4["changed"], serde_json::json!(["dry_weight_kg = 70.5"]));
    assert!(rule("W1")["fires_when"]
        .as_str()
        .unwrap()
        .contains("max(2.2 lb, 1.5% of the baseline)"));
    assert_eq!(rule("L9")["enabled"], false);
    assert_eq!(rule("L10")["enabled"], true);

    let text = env.ok(&["rules"]);
    assert!(
        text.contains("disabled in your config: L9 breathing\n"),
        "{text}"
    );
    assert!(
        text.contains("days start at 05:30: an entry before 05:30 counts for the day before"),
        "{text}"
    );
    assert!(
        !text.contains("\nL9 breathing ·"),
        "not in the list: {text}"
    );
    assert!(text.contains("\nL10 swelling ·"), "{text}");
}

/// `cls rules` at 80 columns is a block per rule with "fires when" wrapped
/// under its label, not a table of 10-line cells (#15: 378 lines before);
/// from 140 columns a table; piped, 100 columns.
#[test]
fn rules_fit_the_terminal_as_a_list_and_as_a_table() {
    let mut env = TestEnv::new();
    for (columns, widest) in [("80", 80), ("0", 100), ("160", 160)] {
        env.set_env("COLUMNS", columns);
        let text = env.ok(&["rules"]);
        for l in text.lines().filter(|l| !l.starts_with("config: ")) {
            let w = l.chars().count();
            assert!(w <= widest, "COLUMNS={columns}: {w} columns: {l}");
        }
        if columns == "160" {
            assert!(text.contains("fires when") && text.contains("─"), "{text}");
            continue;
        }
        assert!(text.lines().count() < 200, "COLUMNS={columns}: {text}");
        assert!(
            text.starts_with("D1 no_baseline · unknown · default\n  fires when: "),
            "{text}"
        );
        assert!(
            text.contains(
                "\nW1 weight_gain · watch · default\n  fires when: the day weight is at least"
            ),
            "{text}"
        );
    }
}

#[test]
fn doctor_warns_about_each_switched_off_rule_emergency_first() {
    let env = TestEnv::new();
    env.write_config(
        "[rules.low_urine]\nenabled = false\n\
         [rules.hypotension]\nenabled = false\n",
    );
    let out = env.run(&["doctor"]);
    let text = stdout(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a warning is not a failure\n{}",
        describe(&out)
    );
    let l1 = "WARNING  rules        rule L1 hypotension is switched off in your config: \
              cls will not raise its emergency";
    let l7 = "WARNING  rules        rule L7 low_urine is switched off in your config: \
              cls will not raise its warning";
    let (Some(at1), Some(at7)) = (text.find(l1), text.find(l7)) else {
        panic!("{text}");
    };
    assert!(at1 < at7, "emergency-capable rules first:\n{text}");
    assert!(
        text.contains(&format!(
            "fix: unless your clinician agreed to this, remove `enabled = false` under [rules.hypotension] in {}",
            env.config_path().display()
        )),
        "{text}"
    );
    assert!(!text.contains("PROBLEM"), "{text}");
    assert!(text.ends_with("no problems found; 2 warnings\n"), "{text}");

    let json: serde_json::Value = serde_json::from_str(&env.ok(&["doctor", "--json"])).unwrap();
    assert_eq!(json["healthy"], true);
    let warnings: Vec<&str> = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "warning")
        .map(|c| c["detail"].as_str().unwrap())
        .collect();
    assert_eq!(warnings.len(), 2, "{json}");
    assert!(warnings[0].starts_with("rule L1 hypotension"), "{json}");

    // Switched back on: no warning.
    env.write_config("[rules.hypotension]\nenabled = true\n");
    let text = env.ok(&["doctor"]);
    assert!(
        text.contains("ok       rules        every rule is switched on"),
        "{text}"
    );
    assert!(!text.contains("WARNING"), "{text}");
}

// ---- where files live -----------------------------------------------------

#[cfg(target_os = "linux")]
#[test]
fn default_paths_live_under_home() {
    let mut env = TestEnv::new();
    env.unset_env("CLS_DB");
    env.unset_env("CLS_CONFIG");
    let home = env.home().display().to_string();
    let out = env.ok(&["paths"]);
    assert_eq!(
        out,
        format!("diary:  {home}/.local/share/cls/diary.sqlite3\nconfig: {home}/.config/cls/config.toml\n")
    );
    assert_eq!(
        env.ok(&["config", "path"]),
        format!("{home}/.config/cls/config.toml\n")
    );
    // A missing default config is silently the defaults, and the first
    // write creates the diary there, privately, and says where.
    let db = env.home().join(".local/share/cls/diary.sqlite3");
    let out = env.run(&["log", "--weight", "68"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(stderr(&out), crate::support::creation_note(&db));
    assert!(db.exists());
    #[cfg(unix)]
    {
        assert_eq!(crate::support::mode(&db), 0o600);
        assert_eq!(crate::support::mode(db.parent().unwrap()), 0o700);
    }
}

#[test]
fn without_home_given_paths_still_work() {
    // (Never run cls here without CLS_DB: with HOME unset, the platform
    // default falls back to the real user's home folder.)
    let mut env = TestEnv::new();
    env.unset_env("HOME");
    env.log(&["--weight", "68"]);
    assert!(env.diary_exists());
    let db = env.path("x.sqlite3");
    env.ok(&["--db", db.to_str().unwrap(), "log", "--weight", "68"]);
    assert!(db.exists());
}

#[test]
fn paths_follow_the_environment_and_the_flag_wins() {
    let env = TestEnv::new();
    let out = env.ok(&["paths"]);
    assert_eq!(
        out,
        format!(
            "diary:  {}\nconfig: {}\n",
            env.db_path().display(),
            env.config_path().display()
        )
    );
    let db = env.path("flag.sqlite3");
    let cfg = env.path("flag.toml");
    let (db, cfg) = (db.to_str().unwrap(), cfg.to_str().unwrap());
    let out = env.ok(&["--db", db, "--config", cfg, "paths"]);
    assert_eq!(out, format!("diary:  {db}\nconfig: {cfg}\n"));
    let out = env.ok(&["paths", "--db", db]);
    assert_eq!(
        out,
        format!("diary:  {db}\nconfig: {}\n", env.config_path().display())
    );
    assert_eq!(
        env.ok(&["--config", cfg, "config", "path"]),
        format!("{cfg}\n")
    );
    // Empty paths are mistakes, not "the current folder".
    for args in [&["--db", "", "paths"][..], &["--config", "", "paths"]] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}\n{}", describe(&out));
    }
}

#[test]
fn writes_go_to_the_flags_diary_not_the_environments() {
    let env = TestEnv::new();
    let flag_db = env.path("elsewhere/flag.sqlite3");
    let f = flag_db.to_str().unwrap();
    let out = env.ok(&["--db", f, "log", "--weight", "68.4"]);
    assert!(out.starts_with("logged entry 1"), "{out}");
    assert!(flag_db.exists());
    assert!(!env.diary_exists(), "CLS_DB's diary was written");
    // Reads follow the flag too (CLS_DB's diary does not exist, and says so).
    let out = env.run(&["list", "--all", "--json"]);
    assert_eq!(stdout(&out).trim(), "[]");
    assert!(stderr(&out).contains("no diary at"), "{}", describe(&out));
    let listed = env.ok(&["--db", f, "list", "--all", "--json"]);
    assert!(listed.contains("68.4"), "{listed}");
    let id_in_env = env.log(&["--weight", "70"]);
    assert_eq!(id_in_env, 1, "the two diaries are separate");
    env.ok(&["--db", f, "delete", "1", "--yes"]);
    assert_eq!(env.entries().len(), 1, "delete went to the flag's diary");
}

#[test]
fn the_config_flag_beats_the_environment() {
    let env = TestEnv::new();
    env.write_config("[units]\nweight = \"lb\"\n");
    let kg = env.path("kg.toml");
    std::fs::write(&kg, "[units]\nweight = \"kg\"\n").unwrap();
    let out = env.ok(&["--config", kg.to_str().unwrap(), "log", "--weight", "68"]);
    assert!(out.contains("weight 68.0 kg"), "{out}");
    let out = env.ok(&["log", "--weight", "150"]);
    assert!(out.contains("weight 150.0 lb"), "{out}");
    let e = env.entries();
    assert_eq!(e[0]["weight_kg"], serde_json::json!(68.0));
    assert_eq!(e[1]["weight_kg"], serde_json::json!(68.04));
}

/// docs/cli.md: under `CLS_NOW`, text output says the clock is fixed once
/// on stderr, so a stale one left in a shell is noticed. Only on a terminal:
/// captured stderr keeps every error to one line, and JSON is for scripts.
#[test]
fn a_fixed_clock_is_said_once_on_a_terminal() {
    let env = TestEnv::new();
    let out = env.run(&["check"]);
    assert!(!stderr(&out).contains("clock fixed"), "{}", describe(&out));
    // `script` (util-linux, on every Debian) gives the command a terminal.
    let on_tty = |cmd: &str| {
        let out = env
            .sh(&format!("script -qec '\"$CLS\" {cmd}' /dev/null"))
            .output()
            .expect("run script");
        stdout(&out)
    };
    let text = on_tty("check");
    assert_eq!(
        text.matches("clock fixed by CLS_NOW=2026-11-25T08:00:00Z")
            .count(),
        1,
        "{text}"
    );
    // One line within 80 columns, even with a full offset in the value.
    let note = text.lines().find(|l| l.contains("clock fixed")).unwrap();
    let wide = note.replace("08:00:00Z", "08:00:00+01:00");
    assert!(wide.trim_end().chars().count() <= 80, "{wide}");
    assert!(text.contains("unknown"), "{text}");
    assert!(!on_tty("check --json").contains("clock fixed"));
}

// ---- names, dates and rules a config must not accept (issue 14, item 11) --

#[test]
fn custom_symptoms_that_could_not_be_logged_are_refused_naming_the_key() {
    let env = TestEnv::new();
    let path = env.config_path().display().to_string();
    for (text, needles) in [
        // "a:b" would read as symptom "a" at severity "b".
        (
            "[symptoms]\ncustom = [\"a:b\"]\n",
            &["line 2", "symptoms.custom[0]", "'a:b'", "':'"][..],
        ),
        // Names ignore case and separators: the second is the first again.
        (
            "[symptoms]\ncustom = [\"Joint pain\", \"joint-PAIN\"]\n",
            &["symptoms.custom[1]", "custom[0] 'Joint pain'"],
        ),
        (
            "[symptoms]\ncustom = [\"rash\", \"RASH\"]\n",
            &["symptoms.custom[1]", "'RASH'"],
        ),
        // A case variant of a canonical name stays refused.
        (
            "[symptoms]\ncustom = [\"Thirst\"]\n",
            &["symptoms.custom[0]", "already a known symptom"],
        ),
    ] {
        env.write_config(text);
        let err = env.runtime_error(&["check"], &format!("config {path}: "));
        for n in needles {
            assert!(err.contains(n), "{text:?}: {err:?} should name {n:?}");
        }
    }
    assert!(!env.diary_exists());
    // Distinct names are still fine, and loggable as written.
    env.write_config("[symptoms]\ncustom = [\"joint pain\", \"rash\"]\n");
    env.log(&["--symptom", "Joint_Pain:2,rash"]);
}

#[test]
fn a_date_of_birth_in_the_future_is_refused_not_printed_as_a_negative_age() {
    let env = TestEnv::new();
    let path = env.config_path().display().to_string();
    env.write_config("[patient]\nname = \"A\"\ndate_of_birth = 2999-01-31\n");
    for args in [&["card"][..], &["check"], &["report"]] {
        let err = env.runtime_error(args, &format!("config {path}: "));
        assert!(
            err.contains("line 3")
                && err.contains("patient.date_of_birth: 2999-01-31 is in the future"),
            "{err}"
        );
    }
    // Doctor, which reads a broken config rather than stop at it, says so.
    let out = env.run(&["doctor"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        stdout(&out).contains("patient.date_of_birth: 2999-01-31 is in the future"),
        "{}",
        describe(&out)
    );
    env.write_config("[patient]\ndate_of_birth = \"1850-01-31\"\n");
    env.runtime_error(
        &["card"],
        "patient.date_of_birth: 1850-01-31 is before 1900",
    );
    // Today itself (the clock is CLS_NOW) is a valid birth date; the card
    // says age 0.
    env.write_config("[patient]\nname = \"A\"\ndate_of_birth = 2026-11-25\n");
    let out = env.run(&["card"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert!(
        stdout(&out).contains("2026-11-25 (age 0)"),
        "{}",
        describe(&out)
    );
}

#[test]
fn all_and_any_in_one_custom_rule_mean_every_all_and_at_least_one_any() {
    // Documented (examples/config.toml, README), so kept and pinned down:
    // all = AND, any = OR, both = (AND of all) AND (OR of any).
    let env = TestEnv::new();
    env.write_config(
        r#"[[rules.custom]]
id = "thirsty_and_fast"
level = "watch"
message = "thirst with a fast pulse or a low pressure"
all = [ { symptom = "thirst", min = 2 } ]
any = [ { heart_rate_above = 110 }, { systolic_below = 95 } ]
"#,
    );
    let fired = |v: &serde_json::Value| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "thirsty_and_fast")
    };
    // `all` alone is not enough...
    env.log(&[
        "--symptom",
        "thirst:2",
        "--hr",
        "80",
        "--bp",
        "120/80",
        "--weight",
        "68",
    ]);
    assert!(!fired(&env.check(None)));
    // ...one `any` with `all` fires...
    env.log(&["--symptom", "thirst:2", "--hr", "115"]);
    assert!(fired(&env.check(None)));
    // ...and `any` without `all` does not.
    let env2 = TestEnv::new();
    env2.write_config(&std::fs::read_to_string(env.config_path()).unwrap());
    env2.log(&["--hr", "115", "--bp", "90/60", "--weight", "68"]);
    assert!(!fired(&env2.check(None)));
    // `cls rules` says both parts.
    let rules = env.ok(&["rules", "--json"]);
    assert!(
        rules.contains("all of: thirst") && rules.contains("; and any of: heart rate"),
        "{rules}"
    );
}

// ---- a broken config does not cost a morning entry (issue 14, item 12) ----

#[test]
fn log_saves_the_entry_when_the_config_is_broken_and_says_so() {
    let env = TestEnv::new();
    let path = env.config_path().display().to_string();
    // A typo: "stone" is not a unit.
    env.write_config("[units]\nweight = \"stone\"\n");
    let out = env.run(&[
        "log",
        "--weight",
        "151lb",
        "--bp",
        "118/76",
        "--symptom",
        "thirst:2",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert_eq!(
        stdout(&out),
        "logged entry 1 for 2026-11-25 08:00: weight 68.5 kg, BP 118/76, thirst (moderate)\n\
         status for 2026-11-25: unknown — your config cannot be read, so the rules were not run; \
         fix it, then run 'cls check'\n"
    );
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!("cls: config {path}: line 2"))
            && err.contains("stone")
            && err.trim_end().ends_with(
                "; entry 1 WAS saved (do not log it again): fix the config, then run 'cls check'"
            ),
        "{err}"
    );
    // It is in the diary, in kg from the lb given.
    env.write_config("");
    let e = &env.entries()[0];
    assert_eq!(e["weight_kg"], 68.49);
    assert_eq!(e["symptoms"], serde_json::json!({"thirst": 2}));

    // `check` still refuses with the file, line and key.
    env.write_config("[units]\nweight = \"stone\"\n");
    let err = env.runtime_error(&["check"], &format!("config {path}: line 2"));
    assert!(err.contains("stone") && !err.contains("saved"), "{err}");
}

#[test]
fn log_with_a_broken_config_refuses_only_what_the_config_would_decide() {
    let env = TestEnv::new();
    let path = env.config_path().display().to_string();
    env.write_config("[symptoms]\ncustom = [\"joint pain\"]\n[rules.no_such_rule]\n");
    // A bare number is kg or lb by the config: ambiguous now.
    let err = env.usage_error(&["log", "--weight", "68.4"], "--weight");
    assert_eq!(
        err,
        format!(
            "cls: --weight: '68.4' has no unit and config {path} (which sets it) cannot be read; \
             write 68.4kg or 68.4lb"
        )
    );
    // The config's own symptoms are unknown without it.
    let err = env.usage_error(
        &["log", "--weight", "68.4kg", "--symptom", "joint pain"],
        "--symptom",
    );
    assert!(
        err.contains("unknown symptom 'joint pain'") && err.contains("cannot be read"),
        "{err}"
    );
    assert!(!env.diary_exists(), "nothing was written");
    // A unit written out, built-in symptoms, no weight at all: saved.
    for args in [
        &["log", "--weight", "68.4 kg"][..],
        &["log", "--symptom", "fatigue:1"],
        &["log", "--bp", "110/70"],
    ] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
        assert!(
            stdout(&out).starts_with("logged entry"),
            "{}",
            describe(&out)
        );
        assert!(stderr(&out).contains("WAS saved"), "{}", describe(&out));
    }
    // A config named with --config that does not exist is unreadable too.
    env.write_config("");
    let out = env.run(&["--config", "nope.toml", "log", "--weight", "70kg"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(stderr(&out).contains("no such file") && stderr(&out).contains("WAS saved"));
    assert_eq!(env.entries().len(), 4);
}
