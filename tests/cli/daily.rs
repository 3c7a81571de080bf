//! Issue 18, the daily loop, through the binary with CLS_NOW: `cls remind`
//! (and its unit files), `cls status --prompt`, escalation hooks and
//! `cls ack`.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::{code, describe, stderr, stdout, TestEnv};

/// Seven ordinary mornings before [`crate::support::TODAY`]: a weight
/// baseline of 68.0 kg.
fn with_baseline(env: &TestEnv) {
    let days: Vec<&[&str]> = vec![&["--weight", "68.0", "--bp", "118/76", "--hr", "70"]; 7];
    env.log_days("2026-11-18", &days);
}

/// A config with one hook per `(on, file)` that appends its stdin and a
/// line `=== LEVEL DATE` to `file`.
fn hooks_config(env: &TestEnv, hooks: &[(&str, &Path)]) {
    let mut text = String::new();
    for (on, file) in hooks {
        text.push_str(&format!(
            "[[hooks]]\non = \"{on}\"\nrun = [\"sh\", \"-c\", 'cat >> \"$0\"; printf \"=== %s %s\\n\" \"$CLS_LEVEL\" \"$CLS_DATE\" >> \"$0\"', '{}']\ntimeout_s = 10\n\n",
            file.display()
        ));
    }
    env.write_config(&text);
}

/// What a hook file recorded: one (document, "LEVEL DATE") per firing.
fn firings(file: &Path) -> Vec<(serde_json::Value, String)> {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let mut out = Vec::new();
    let mut doc = String::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("=== ") {
            let v = serde_json::from_str(&doc)
                .unwrap_or_else(|e| panic!("hook stdin is not JSON ({e}):\n{doc}"));
            out.push((v, rest.to_string()));
            doc.clear();
        } else {
            doc.push_str(line);
            doc.push('\n');
        }
    }
    out
}

// ---- item 1: cls remind ---------------------------------------------------------

#[test]
fn remind_says_so_until_today_has_a_weight_across_the_day_cutoff() {
    let mut env = TestEnv::new();
    let remind = |env: &TestEnv| {
        let out = env.run(&["remind"]);
        assert!(stderr(&out).is_empty(), "{}", describe(&out));
        (code(&out), stdout(&out))
    };
    let (c, line) = remind(&env);
    assert_eq!(c, Some(10));
    assert!(
        line.starts_with("cls: nothing logged today (Wed 25 Nov)"),
        "{line}"
    );
    assert_eq!(line.lines().count(), 1);
    assert!(!env.diary_exists(), "remind never creates the diary");
    // Symptoms only: still no weight.
    env.log(&["--symptom", "fatigue:1"]);
    let (c, line) = remind(&env);
    assert_eq!(c, Some(10));
    assert!(line.contains("no weight logged today"), "{line}");
    env.log(&["--weight", "68.2"]);
    assert_eq!(remind(&env), (Some(0), String::new()));
    // 02:00 the next morning is still the logical 25th.
    env.set_now("2026-11-26T02:00:00Z");
    assert_eq!(remind(&env), (Some(0), String::new()));
    // From 04:00 it is the 26th, with nothing logged.
    env.set_now("2026-11-26T04:00:00Z");
    let (c, line) = remind(&env);
    assert_eq!(c, Some(10));
    assert!(line.contains("(Thu 26 Nov)"), "{line}");
    // An entry at 03:30 on the 27th counts for the 26th.
    env.log(&[
        "--date",
        "2026-11-27",
        "--time",
        "03:30",
        "--weight",
        "68.1",
    ]);
    assert_eq!(remind(&env), (Some(0), String::new()));
    // --notify without notify-send on PATH: the same line and status.
    env.set_now("2026-11-28T09:00:00Z");
    let empty = env.root().to_path_buf();
    env.set_env("PATH", empty);
    let out = env.run(&["remind", "--notify"]);
    assert_eq!(code(&out), Some(10), "{}", describe(&out));
    assert!(stderr(&out).is_empty(), "{}", describe(&out));
}

#[test]
fn remind_install_writes_user_units_that_parse_and_enables_nothing() {
    let env = TestEnv::new();
    let out = env.ok(&["remind", "install", "--at", "07:45"]);
    let dir = env.home().join(".config/systemd/user");
    let service = std::fs::read_to_string(dir.join("cls-remind.service")).unwrap();
    let timer = std::fs::read_to_string(dir.join("cls-remind.timer")).unwrap();
    assert!(
        out.contains("systemctl --user enable --now cls-remind.timer"),
        "{out}"
    );
    assert!(timer.contains("OnCalendar=*-*-* 07:45:00"), "{timer}");
    assert!(timer.contains("Persistent=true"), "{timer}");
    assert!(timer.contains("WantedBy=timers.target"), "{timer}");
    let exec = service
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .unwrap();
    assert!(
        exec.starts_with(crate::support::cls_bin().to_str().unwrap()),
        "{exec}"
    );
    assert!(
        exec.contains(&format!("--db {}", env.db_path().display())),
        "the diary given by CLS_DB: {exec}"
    );
    assert!(exec.ends_with("remind --notify"), "{exec}");
    assert!(service.contains("SuccessExitStatus=10"), "{service}");
    // Nothing enabled: no wants link, no other file.
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["cls-remind.service", "cls-remind.timer"]);
    // The units parse: systemd-analyze (installed by .ci/run) says nothing.
    if which("systemd-analyze") {
        let out = std::process::Command::new("systemd-analyze")
            .arg("verify")
            .arg(dir.join("cls-remind.timer"))
            .arg(dir.join("cls-remind.service"))
            .output()
            .unwrap();
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "systemd-analyze verify:\n{}",
            describe(&out)
        );
    } else {
        eprintln!("systemd-analyze not installed: unit files checked by content only");
    }
    // Installing again replaces our own files; a foreign file is kept.
    env.ok(&["remind", "install"]);
    let timer = std::fs::read_to_string(dir.join("cls-remind.timer")).unwrap();
    assert!(timer.contains("OnCalendar=*-*-* 08:30:00"), "{timer}");
    // The cron line instead: minute hour, this binary, and nothing written.
    let cron = env.ok(&["remind", "install", "--cron", "--at", "06:05"]);
    assert!(cron.starts_with("5 6 * * * /"), "{cron}");
    assert!(cron.trim_end().ends_with("remind --notify"), "{cron}");
    assert_eq!(cron.lines().count(), 1);
    // Uninstall refuses while enabled, then removes exactly our files.
    std::fs::create_dir(dir.join("timers.target.wants")).unwrap();
    std::os::unix::fs::symlink(
        dir.join("cls-remind.timer"),
        dir.join("timers.target.wants/cls-remind.timer"),
    )
    .unwrap();
    env.runtime_error(&["remind", "uninstall"], "systemctl --user disable --now");
    std::fs::remove_dir_all(dir.join("timers.target.wants")).unwrap();
    let out = env.ok(&["remind", "uninstall"]);
    assert!(out.contains("removed"), "{out}");
    assert!(!dir.join("cls-remind.timer").exists());
    assert!(!dir.join("cls-remind.service").exists());
    std::fs::write(dir.join("cls-remind.timer"), "[Timer]\n").unwrap();
    env.runtime_error(&["remind", "install"], "was not written by cls");
    env.ok(&["remind", "uninstall"]);
    assert!(dir.join("cls-remind.timer").exists(), "not ours: kept");
    assert!(!env.diary_exists());
}

fn which(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

// ---- item 2: the prompt token ------------------------------------------------------

#[test]
fn the_prompt_token_follows_the_day() {
    let mut env = TestEnv::new();
    let prompt = |env: &TestEnv, extra: &[&str]| {
        let mut args = vec!["status", "--prompt"];
        args.extend_from_slice(extra);
        env.ok(&args)
    };
    assert_eq!(prompt(&env, &[]), "cls:log!\n");
    with_baseline(&env);
    assert_eq!(prompt(&env, &[]), "cls:log!\n", "nothing logged today yet");
    env.log(&["--weight", "68.1", "--bp", "117/75", "--hr", "70"]);
    assert_eq!(prompt(&env, &[]), "cls:ok\n");
    assert_eq!(prompt(&env, &["--quiet-ok"]), "");
    env.log(&["--bp", "95/65"]);
    assert_eq!(prompt(&env, &[]), "cls:WARNING\n");
    env.ok(&["ack", "--note", "called Dr Okafor"]);
    assert_eq!(prompt(&env, &[]), "cls:warning(ack)\n");
    env.log(&["--bp", "85/60"]);
    assert_eq!(prompt(&env, &[]), "cls:EMERGENCY\n");
    // `cls status` without --prompt: one line and check's exit status.
    let out = env.run(&["status"]);
    assert_eq!(code(&out), Some(13), "{}", describe(&out));
    assert_eq!(stdout(&out).lines().count(), 1);
    // Any error: the token cls:?, exit 1, never a message.
    env.write_config("this is [not toml");
    let out = env.run(&["status", "--prompt"]);
    assert_eq!(code(&out), Some(1), "{}", describe(&out));
    assert_eq!(stdout(&out), "cls:?\n");
    assert!(stderr(&out).is_empty(), "{}", describe(&out));
    env.write_config("");
    env.set_now("not a time");
    let out = env.run(&["status", "--prompt"]);
    assert_eq!((code(&out), stdout(&out)), (Some(1), "cls:?\n".to_string()));
    assert!(stderr(&out).is_empty(), "{}", describe(&out));
}

// ---- item 3: hooks -------------------------------------------------------------

#[test]
fn a_hook_fires_once_per_level_rise_with_the_check_document() {
    let env = TestEnv::new();
    let warning = env.path("warning.log");
    let emergency = env.path("emergency.log");
    with_baseline(&env);
    hooks_config(&env, &[("warning", &warning), ("emergency", &emergency)]);
    // ok: below both.
    env.log(&["--weight", "68.1", "--bp", "117/75", "--hr", "70"]);
    assert_eq!(env.check(None)["level"], "ok");
    assert!(firings(&warning).is_empty());
    // ok -> warning: the warning hook fires once, from `cls log`.
    env.log(&["--bp", "95/65"]);
    let fired = firings(&warning);
    assert_eq!(fired.len(), 1);
    assert_eq!(fired[0].1, "warning 2026-11-25");
    assert_eq!(fired[0].0["level"], "warning");
    assert_eq!(fired[0].0["date"], "2026-11-25");
    assert!(fired[0].0["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "L2"));
    assert!(fired[0].0["action"].is_string());
    // Not again on the next checks that day.
    assert_eq!(env.check(None)["level"], "warning");
    assert_eq!(code(&env.run(&["check"])), Some(12));
    assert_eq!(firings(&warning).len(), 1);
    assert!(firings(&emergency).is_empty(), "below its `on`: never");
    // warning -> emergency: both fire, once.
    env.log(&["--bp", "85/60"]);
    assert_eq!(env.check(None)["level"], "emergency");
    let fired = firings(&warning);
    assert_eq!(fired.len(), 2);
    assert_eq!(fired[1].1, "emergency 2026-11-25");
    assert_eq!(firings(&emergency).len(), 1);
    // A past day never fires hooks.
    env.check(Some("2026-11-20"));
    assert_eq!(firings(&warning).len(), 2);
}

#[test]
fn a_hook_that_hangs_is_killed_at_its_timeout_and_the_entry_is_saved() {
    let env = TestEnv::new();
    with_baseline(&env);
    env.write_config(
        "[[hooks]]\non = \"watch\"\nrun = [\"sh\", \"-c\", \"sleep 60; sleep 60\"]\ntimeout_s = 1\n",
    );
    let start = Instant::now();
    let out = env.run(&["log", "--weight", "70.5"]);
    let took = start.elapsed();
    assert_eq!(code(&out), Some(0), "{}", describe(&out));
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert!(
        took >= Duration::from_secs(1),
        "waited for the timeout: {took:?}"
    );
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("cls: hook 1 (sh) was still running after 1 s"),
        "{err}"
    );
    // The confirmation came first, and the entry is there.
    assert!(
        stdout(&out).starts_with("logged entry 8 "),
        "{}",
        describe(&out)
    );
    assert_eq!(env.entries().len(), 8);
    // `cls check` keeps its exit status.
    let out = env.run(&["check"]);
    assert_eq!(code(&out), Some(12), "{}", describe(&out));
}

#[test]
fn a_hook_that_does_not_exist_or_fails_gives_one_line_and_changes_nothing_else() {
    let env = TestEnv::new();
    with_baseline(&env);
    env.write_config(
        "[[hooks]]\non = \"watch\"\nrun = [\"cls-no-such-hook\", \"{level}\"]\n\n\
         [[hooks]]\non = \"warning\"\nrun = [\"sh\", \"-c\", \"exit 3\"]\n",
    );
    let out = env.run(&["log", "--weight", "69.4"]);
    assert_eq!(code(&out), Some(0), "{}", describe(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("cls: hook 1 (cls-no-such-hook) could not be started: no program"),
        "{err}"
    );
    let out = env.run(&["check", "--json"]);
    assert_eq!(code(&out), Some(11), "once per level: {}", describe(&out));
    assert!(stderr(&out).is_empty(), "{}", describe(&out));
    serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("JSON untouched");
    let out = env.run(&["log", "--bp", "95/65"]);
    assert_eq!(code(&out), Some(0), "{}", describe(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(
        err.contains("cls: hook 2 (sh) failed with exit status 3"),
        "{err}"
    );
}

#[test]
fn hooks_are_checked_when_the_config_loads_and_the_examples_are_valid() {
    let env = TestEnv::new();
    env.write_config("[[hooks]]\non = \"warning\"\nrun = \"notify-send cls\"\n");
    env.runtime_error(&["check"], "expected a sequence");
    env.write_config("[[hooks]]\non = \"warning\"\nrun = [\"x\", \"{levle}\"]\n");
    let line = env.runtime_error(&["check"], "hooks[0].run");
    assert!(line.contains("{levle}"), "{line}");
    env.write_config("[[hooks]]\non = \"ok\"\nrun = [\"x\"]\n");
    env.runtime_error(&["check"], "hooks[0].on");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let example = std::fs::read_to_string(root.join("examples/hooks.toml")).unwrap();
    env.write_config(&example);
    env.ok(&["rules"]);
    // The commented hook in the default config is valid once uncommented.
    let default = std::fs::read_to_string(root.join("examples/config.toml")).unwrap();
    let hook: String = default
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .skip_while(|l| !l.starts_with("[[hooks]]"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(hook.contains("notify-send"), "{hook}");
    env.write_config(&hook);
    env.ok(&["rules"]);
}

#[test]
fn hooks_test_runs_each_hook_with_a_sample_and_records_nothing() {
    let env = TestEnv::new();
    let file = env.path("test.log");
    hooks_config(&env, &[("warning", &file)]);
    let out = env.ok(&["hooks", "test"]);
    assert!(out.contains("hook 1 at warning"), "{out}");
    let fired = firings(&file);
    assert_eq!(fired.len(), 1);
    assert_eq!(fired[0].1, "warning 2026-11-25");
    assert_eq!(fired[0].0["findings"][0]["rule"], "TEST");
    env.ok(&["hooks", "test", "--level", "emergency"]);
    assert_eq!(firings(&file)[1].1, "emergency 2026-11-25");
    assert!(!env.diary_exists());
}

// ---- item 4: cls ack --------------------------------------------------------------

#[test]
fn an_ack_shows_in_check_and_never_changes_the_level_or_exit_status() {
    let mut env = TestEnv::new();
    with_baseline(&env);
    env.log(&["--weight", "69.4", "--bp", "117/75", "--hr", "70"]);
    let before = env.check(None);
    assert_eq!(before["level"], "watch");
    env.set_now("2026-11-25T08:10:00Z");
    let out = env.ok(&["ack", "--note", "called Dr Okafor"]);
    assert!(out.starts_with("acknowledged W1 (watch)"), "{out}");
    let after = env.check(None);
    assert_eq!(after["level"], "watch", "the level stays");
    for f in after["findings"].as_array().unwrap() {
        if f["level"] == "watch" {
            assert_eq!(f["acknowledged"]["at"], "2026-11-25T08:10:00+00:00", "{f}");
            assert_eq!(f["acknowledged"]["note"], "called Dr Okafor", "{f}");
        } else {
            assert!(f.get("acknowledged").is_none(), "{f}");
        }
    }
    let out = env.run(&["check"]);
    assert_eq!(code(&out), Some(11));
    assert!(
        stdout(&out).contains("(acknowledged 08:10: called Dr Okafor)"),
        "{}",
        describe(&out)
    );
    let list = env.ok(&["ack", "--list"]);
    assert!(list.contains("08:10  W1"), "{list}");
    // Naming a rule that is not firing is a usage error.
    env.usage_error(&["ack", "L2"], "L2 is not firing now");
    env.usage_error(&["ack", "D1"], "D1");
}

#[test]
fn an_ack_lapses_at_the_day_cutoff() {
    let mut env = TestEnv::new();
    with_baseline(&env);
    env.log(&["--weight", "69.4", "--bp", "117/75", "--hr", "70"]);
    env.ok(&["ack", "W1"]);
    let acked = |v: &serde_json::Value| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f.get("acknowledged").is_some())
    };
    env.set_now("2026-11-26T03:59:00Z");
    let v = env.check(None);
    assert_eq!(v["date"], "2026-11-25");
    assert!(acked(&v), "still the logical 25th: {v}");
    env.set_now("2026-11-26T04:00:00Z");
    let v = env.check(None);
    assert_eq!(v["date"], "2026-11-26");
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "W1"),
        "yesterday's weight carried over: {v}"
    );
    assert!(!acked(&v), "a new day: {v}");
    assert!(env
        .ok(&["ack", "--list"])
        .starts_with("no acknowledgements today"));
}

#[test]
fn an_ack_lapses_when_a_new_rule_fires_and_stays_lapsed() {
    let mut env = TestEnv::new();
    let file = env.path("watch.log");
    with_baseline(&env);
    hooks_config(&env, &[("watch", &file)]);
    env.log(&["--weight", "69.4", "--bp", "117/75", "--hr", "70"]);
    assert_eq!(firings(&file).len(), 1, "ok -> watch");
    env.set_now("2026-11-25T08:10:00Z");
    env.ok(&["ack"]);
    // A new rule at the same level (L10, swelling): the ack lapses, and
    // the hooks, which the ack kept quiet, speak again.
    env.set_now("2026-11-25T09:00:00Z");
    env.log(&["--symptom", "swelling:2"]);
    let v = env.check(None);
    assert_eq!(v["level"], "watch");
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "L10"));
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f.get("acknowledged").is_none()),
        "{v}"
    );
    let list = env.ok(&["ack", "--list"]);
    assert!(list.contains("(lapsed 09:00)"), "{list}");
    // Acked again, the hooks stay quiet; a higher level makes it lapse.
    env.ok(&["ack", "--note", "nurse line"]);
    assert!(env.check(None)["findings"][0].get("acknowledged").is_some());
    env.log(&["--symptom", "breathlessness:2"]);
    let v = env.check(None);
    assert_eq!(v["level"], "warning");
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f.get("acknowledged").is_none()),
        "{v}"
    );
    let levels: Vec<String> = firings(&file).into_iter().map(|f| f.1).collect();
    assert_eq!(levels, ["watch 2026-11-25", "warning 2026-11-25"]);
}

#[test]
fn an_emergency_cannot_be_acknowledged() {
    let env = TestEnv::new();
    with_baseline(&env);
    env.log(&["--weight", "69.4", "--bp", "85/60"]);
    let before = env.diary_snapshot();
    let line = env.usage_error(&["ack"], "an emergency cannot be acknowledged");
    assert!(line.contains("L1"), "{line}");
    env.usage_error(&["ack", "W1", "--note", "x"], "emergency");
    assert_eq!(env.diary_snapshot(), before, "nothing written");
    assert_eq!(env.check(None)["level"], "emergency");
    // Nothing to acknowledge on an empty diary, and no diary created.
    let fresh = TestEnv::new();
    let out = fresh.ok(&["ack"]);
    assert!(out.starts_with("nothing to acknowledge"), "{out}");
    assert!(!fresh.diary_exists());
}

#[test]
fn acks_are_kept_in_the_diary_and_its_backups() {
    let env = TestEnv::new();
    with_baseline(&env);
    env.log(&["--weight", "69.4"]);
    env.ok(&["ack", "--note", "called Dr Okafor"]);
    let backup = env.path("b.sqlite3");
    env.ok(&["backup", backup.to_str().unwrap()]);
    let c = rusqlite::Connection::open(&backup).unwrap();
    let notes: Vec<String> = c
        .prepare("SELECT rule || ' ' || note FROM ack ORDER BY rule")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(notes, ["W1 called Dr Okafor", "W3 called Dr Okafor"]);
}

// ---- acknowledgements in the JSON export --------------------------------------------

/// A diary with a watch day, acknowledged at 08:10, and a second ack made
/// after a new rule fired (so the first has lapsed): both kinds travel.
fn acked_diary(env: &mut TestEnv) {
    with_baseline(env);
    env.log(&["--weight", "69.4", "--bp", "117/75", "--hr", "70"]);
    env.set_now("2026-11-25T08:10:00Z");
    env.ok(&["ack", "--note", "called Dr Okafor"]);
    env.set_now("2026-11-25T09:00:00Z");
    env.log(&["--symptom", "swelling:2"]);
    env.check(None);
    env.ok(&["ack", "L10"]);
}

fn export_json(env: &TestEnv, name: &str) -> (std::path::PathBuf, serde_json::Value) {
    let file = env.path(name);
    let out = env.run(&["export", "--output", file.to_str().unwrap()]);
    assert_eq!(code(&out), Some(0), "{}", describe(&out));
    let text = std::fs::read_to_string(&file).unwrap();
    (file, serde_json::from_str(&text).unwrap())
}

#[test]
fn acks_are_in_the_json_export_and_import_brings_them_back() {
    let mut env = TestEnv::new();
    acked_diary(&mut env);
    let (file, doc) = export_json(&env, "diary.json");
    let acks = doc["acks"].as_array().expect("an acks list");
    let rules: Vec<&str> = acks.iter().map(|a| a["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["W1", "W3", "L10"], "{doc}");
    let w1 = &acks[0];
    assert_eq!(w1["day"], "2026-11-25");
    assert_eq!(w1["level"], "watch");
    assert_eq!(w1["at"], "2026-11-25T08:10:00+00:00");
    assert_eq!(w1["note"], "called Dr Okafor");
    assert_eq!(
        w1["seen"],
        serde_json::json!({"W1": "watch", "W3": "watch"})
    );
    assert_eq!(
        w1["lapsed"], "2026-11-25T09:00:00+00:00",
        "L10 fired after it"
    );
    assert!(
        acks[2].get("lapsed").is_none(),
        "the L10 ack holds: {}",
        acks[2]
    );
    assert!(acks[2].get("note").is_none());

    // Into an empty diary: the same diary, acks and their lapses included.
    let mut other = TestEnv::new();
    other.set_now("2026-11-25T09:00:00Z");
    let out = other.run(&["import", file.to_str().unwrap()]);
    assert_eq!(code(&out), Some(0), "{}", describe(&out));
    assert!(
        stdout(&out).ends_with("; acknowledgements: imported 3, skipped 0 duplicates\n"),
        "{}",
        describe(&out)
    );
    let (_, again) = export_json(&other, "again.json");
    assert_eq!(
        again, doc,
        "export -> import -> export is the same document"
    );
    let list = other.ok(&["ack", "--list"]);
    assert!(
        list.contains("08:10  W1") && list.contains("(lapsed 09:00)"),
        "{list}"
    );
    let v = other.check(None);
    let l10 = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "L10")
        .unwrap();
    assert_eq!(
        l10["acknowledged"]["at"], "2026-11-25T09:00:00+00:00",
        "{v}"
    );

    // Into the diary they came from: every one is already there.
    let before = env.diary_snapshot();
    let out = env.ok(&["import", file.to_str().unwrap()]);
    assert!(
        out.ends_with("; acknowledgements: imported 0, skipped 3 duplicates\n"),
        "{out}"
    );
    assert_eq!(env.diary_snapshot(), before);

    // A date range exports the acks of its days only.
    let out = env.ok(&["export", "--format", "json", "--to", "2026-11-24"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["acks"], serde_json::json!([]));
}

#[test]
fn an_export_without_acks_still_imports_and_csv_stays_entries_only() {
    let mut env = TestEnv::new();
    acked_diary(&mut env);
    let (_, mut doc) = export_json(&env, "diary.json");
    // An export from before acks were exported has no such key.
    doc.as_object_mut().unwrap().remove("acks");
    let old = env.path("old.json");
    std::fs::write(&old, serde_json::to_string(&doc).unwrap()).unwrap();
    let other = TestEnv::new();
    let out = other.ok(&["import", old.to_str().unwrap()]);
    assert_eq!(out, "imported 9, skipped 0 duplicates\n");
    assert!(other
        .ok(&["ack", "--list"])
        .starts_with("no acknowledgements today"));
    // CSV: the entry columns as before, nothing about acks.
    let csv = env.ok(&["export", "--format", "csv"]);
    assert!(csv.starts_with("date,time,weight_kg,"), "{csv}");
    assert!(!csv.contains("Okafor"), "{csv}");
}

#[test]
fn a_bad_ack_rejects_the_whole_file_naming_its_line_and_field() {
    let env = TestEnv::new();
    with_baseline(&env);
    let before = env.diary_snapshot();
    let good = r#"{"day": "2026-11-25", "rule": "W1", "level": "watch", "at": "2026-11-25T07:50:00+00:00", "seen": {"W1": "watch"}}"#;
    let cases: &[(&str, &str, &str)] = &[
        (
            r#""rule": "W1""#,
            r#""rule": "W99""#,
            "rule: unknown rule 'W99'",
        ),
        (r#""rule": "W1""#, r#""rule": """#, "rule: unknown rule ''"),
        (r#""rule": "W1""#, r#""rule": 7"#, "line 6: json"),
        (
            r#""at": "2026-11-25T07:50:00+00:00""#,
            r#""at": "08:10""#,
            "at: '08:10' is not a time",
        ),
        (
            r#""at": "2026-11-25T07:50:00+00:00""#,
            r#""at": "2026-12-25T08:10:00+00:00""#,
            "at: 2026-12-25T08:10:00+00:00 is in the future (now is 2026-11-25T08:00:00",
        ),
        // Later today than now (beyond ten minutes of clock drift): it
        // has not happened yet.
        (
            r#""at": "2026-11-25T07:50:00+00:00""#,
            r#""at": "2026-11-25T08:20:00+00:00""#,
            "at: 2026-11-25T08:20:00+00:00 is in the future",
        ),
        // An old moment on today's ack would make it hold today.
        (
            r#""at": "2026-11-25T07:50:00+00:00""#,
            r#""at": "2020-01-01T08:00:00+00:00""#,
            "at: 2020-01-01T08:00:00+00:00 is not on the day it acknowledges (2026-11-25)",
        ),
        (r#""day": "2026-11-25""#, r#""day": "2026-11-31""#, "day: "),
        // Dated tomorrow, it would silence tomorrow's findings.
        (
            r#""day": "2026-11-25""#,
            r#""day": "2026-11-26""#,
            "day: 2026-11-26 is after today (2026-11-25)",
        ),
        (
            r#""seen""#,
            r#""lapsed": "2026-11-26T08:00:00+00:00", "seen""#,
            "lapsed: 2026-11-26T08:00:00+00:00 is in the future",
        ),
        (
            r#""level": "watch""#,
            r#""level": "emergency""#,
            "level: 'emergency' cannot be acknowledged",
        ),
        (
            r#"{"W1": "watch"}"#,
            r#"{"W1": "loud"}"#,
            "seen: W1: 'loud' is not a level",
        ),
        (
            r#"{"W1": "watch"}"#,
            r#"{"Z": "watch"}"#,
            "seen: unknown rule 'Z'",
        ),
        (
            r#""seen""#,
            r#""lapsed": "2026-11-25T07:40:00+00:00", "seen""#,
            "lapsed: 2026-11-25T07:40:00+00:00 is before",
        ),
        (
            r#""seen""#,
            r#""colour": "red", "seen""#,
            "unknown field `colour`",
        ),
    ];
    for (from, to, want) in cases {
        let bad = good.replacen(from, to, 1);
        assert_ne!(bad, good, "{from}");
        // An entry and an episode come first: they are rolled back too.
        let doc = format!(
            "{{\"format\": \"cls-diary\", \"version\": 1,\n\"entries\": [\n{}\n],\n\"acks\": [\n{bad}\n],\n\"episodes\": [{}]}}\n",
            r#"{"date": "2026-11-25", "time": "07:30", "weight_kg": 68.2}"#,
            r#"{"start": "2026-10-01", "end": "2026-10-03"}"#
        );
        std::fs::write(env.path("bad.json"), &doc).unwrap();
        let line = env.usage_error(&["import", env.path("bad.json").to_str().unwrap()], want);
        if !want.starts_with("line") {
            assert!(line.contains("line 6: "), "{line}");
        }
        assert!(line.ends_with("; nothing was imported"), "{line}");
        assert_eq!(env.diary_snapshot(), before, "nothing written for {want}");
    }
}

#[test]
fn an_ack_of_the_patients_own_rule_imports_only_where_that_rule_exists() {
    let env = TestEnv::new();
    let doc = r#"{"format": "cls-diary", "version": 1, "entries": [], "acks": [
{"day": "2026-11-25", "rule": "my_thirst", "level": "watch", "at": "2026-11-25T07:50:00+00:00", "seen": {"my_thirst": "watch"}}
]}"#;
    let file = env.path("acks.json");
    std::fs::write(&file, doc).unwrap();
    let file = file.to_str().unwrap();
    env.usage_error(&["import", file], "line 2: rule: unknown rule 'my_thirst'");
    assert!(!env.diary_exists(), "a refused import creates no diary");
    env.write_config(
        "[[rules.custom]]\nid = \"my_thirst\"\nlevel = \"watch\"\nmessage = \"thirst: call Dr Lee\"\nall = [ { symptom = \"thirst\", min = 2 } ]\n",
    );
    let out = env.run(&["import", file]);
    assert_eq!(
        stdout(&out),
        "imported 0, skipped 0 duplicates; acknowledgements: imported 1, skipped 0 duplicates\n",
        "{}",
        describe(&out)
    );
    let list = env.ok(&["ack", "--list"]);
    assert!(list.contains("07:50  my_thirst"), "{list}");
}

/// A whole-diary export must import again after a custom rule is gone
/// from the config: its acks of past days are history (no finding of a
/// rule that no longer exists can be covered). Today's would be a typo.
#[test]
fn a_past_ack_of_a_rule_no_longer_in_the_config_still_imports() {
    let env = TestEnv::new();
    let doc = r#"{"format": "cls-diary", "version": 1, "entries": [], "acks": [
{"day": "2026-11-20", "rule": "my_thirst", "level": "watch", "at": "2026-11-20T07:50:00+00:00", "seen": {"my_thirst": "watch", "W1": "watch"}}
]}"#;
    let file = env.path("acks.json");
    std::fs::write(&file, doc).unwrap();
    let out = env.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(
        out,
        "imported 0, skipped 0 duplicates; acknowledgements: imported 1, skipped 0 duplicates\n"
    );
    // A rule id that could not be one (a space would break `seen`) is
    // still refused, past day or not.
    let bad = doc.replace("\"rule\": \"my_thirst\"", "\"rule\": \"my thirst\"");
    std::fs::write(&file, bad).unwrap();
    let other = TestEnv::new();
    other.usage_error(
        &["import", file.to_str().unwrap()],
        "line 2: rule: unknown rule 'my thirst'",
    );
    assert!(!other.diary_exists());
}

/// An acknowledgement edited by hand into something unreadable is no ack:
/// the finding shows unacknowledged, an export leaves it out and says so
/// once on stderr (as an unreadable entry), and doctor names it.
#[test]
fn an_unreadable_ack_is_left_out_said_and_named_by_doctor() {
    let mut env = TestEnv::new();
    acked_diary(&mut env);
    let conn = rusqlite::Connection::open(env.db_path()).unwrap();
    let id: i64 = conn
        .query_row("SELECT id FROM ack WHERE rule = 'L10'", [], |r| r.get(0))
        .unwrap();
    conn.execute(
        "UPDATE ack SET at = 'not a time, by hand!' WHERE id = ?1",
        [id],
    )
    .unwrap();
    drop(conn);
    let said = format!(
        "acknowledgement {id} cannot be read (its at is not valid) and was left out; see 'cls doctor'"
    );
    let out = env.run(&["export", "--format", "json"]);
    assert_eq!(code(&out), Some(0), "{}", describe(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let acks = v["acks"].as_array().unwrap();
    assert!(
        !acks.is_empty() && acks.iter().all(|a| a["rule"] != "L10"),
        "{v}"
    );
    assert_eq!(stderr(&out).matches(&said).count(), 1, "{}", describe(&out));
    let out = env.run(&["check", "--json"]);
    assert_eq!(stderr(&out).matches(&said).count(), 1, "{}", describe(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let l10 = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "L10")
        .unwrap();
    assert!(l10.get("acknowledged").is_none(), "{v}");
    let out = env.run(&["doctor"]);
    assert!(
        stdout(&out).contains(&format!(
            "1 acknowledgement that cannot be read, which every command leaves out (the findings show as not acknowledged): {id}"
        )),
        "{}",
        describe(&out)
    );
}
