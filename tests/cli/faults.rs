//! `kill -9` at random moments during `cls log`, a large `cls import`,
//! `cls backup` and `cls restore`. Afterwards the diary passes
//! `integrity_check`, every command that exited 0 has its data, and a
//! killed command left all of its change or none of it. The moments are
//! drawn from a fixed seed (reproducible), spread over the command's own
//! measured run time so that kills land before, during and after its
//! transaction.

use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::safety_util::{assert_integrity, big_csv, count, look, Env, Rng};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Exited 0 before the kill.
    Done,
    /// Exited non-zero on its own.
    Failed,
    /// Killed by SIGKILL.
    Killed,
}

/// Start `cls args`, SIGKILL it after `delay` unless it finished.
fn run_and_kill(env: &Env, args: &[&str], delay: Duration) -> Outcome {
    let mut child = env
        .std_cmd()
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn cls");
    let start = Instant::now();
    while start.elapsed() < delay {
        if child.try_wait().expect("try_wait").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_micros(300));
    }
    let _ = child.kill();
    let status = child.wait().expect("wait");
    match (status.code(), status.signal()) {
        (Some(0), _) => Outcome::Done,
        (_, Some(9)) => Outcome::Killed,
        _ => Outcome::Failed,
    }
}

/// How long `args` takes here, to spread the kills over it.
fn measure(env: &Env, args: &[&str]) -> Duration {
    let t = Instant::now();
    env.ok(args);
    t.elapsed()
}

fn random_delay(rng: &mut Rng, span: Duration) -> Duration {
    // 0 .. 1.3 × span: some kills come after the command is done.
    Duration::from_micros(rng.below(span.as_micros() as u64 * 13 / 10 + 1))
}

fn children(db: &Path, note: &str) -> Option<(i64, i64, i64)> {
    let c = look(db);
    let id: i64 = c
        .query_row("SELECT id FROM entry WHERE note = ?1", [note], |r| r.get(0))
        .ok()?;
    let n = |t: &str| -> i64 {
        c.query_row(
            &format!("SELECT count(*) FROM {t} WHERE entry_id = ?1"),
            [id],
            |r| r.get(0),
        )
        .unwrap()
    };
    Some((n("symptom"), n("lab"), n("medication")))
}

#[test]
fn kill_during_log() {
    let mut rng = Rng::new(0x5eed_0001);
    let env = Env::new();
    let args = |note: &str| -> Vec<String> {
        [
            "log",
            "--weight",
            "70",
            "--bp",
            "118/76",
            "--symptom",
            "thirst,fatigue:1",
            "--lab",
            "hct=44",
            "--med",
            "ivig:2g/kg",
            "--note",
            note,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let span = measure(&env, &["log", "--weight", "70"]);
    let mut outcomes = Vec::new();
    for i in 0..30 {
        let note = format!("kill-{i}");
        let a = args(&note);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        outcomes.push((note, run_and_kill(&env, &a, random_delay(&mut rng, span))));
    }
    assert_integrity(&env.db);
    for (note, outcome) in &outcomes {
        match (outcome, children(&env.db, note)) {
            (_, Some(c)) => assert_eq!(c, (2, 1, 1), "{note}: a partial entry"),
            (Outcome::Done, None) => panic!("{note}: exited 0 but is not in the diary"),
            (_, None) => {}
        }
    }
    let done = outcomes.iter().filter(|(_, o)| *o == Outcome::Done).count();
    let killed = outcomes
        .iter()
        .filter(|(_, o)| *o == Outcome::Killed)
        .count();
    println!("kill_during_log: {done} finished, {killed} killed");
    // The diary works afterwards, without any repair.
    env.ok(&["log", "--weight", "71"]);
    let doctor: serde_json::Value =
        serde_json::from_str(&env.run(&["doctor", "--json"]).stdout).unwrap();
    let integrity = doctor["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "integrity")
        .unwrap()
        .clone();
    assert_eq!(integrity["status"], "ok", "{integrity}");
}

#[test]
fn kill_during_first_run() {
    // A fresh path: creating the file, switching to WAL and migrating.
    let mut rng = Rng::new(0x5eed_0002);
    let template = Env::new();
    let span = measure(&template, &["log", "--weight", "70"]);
    for i in 0..20 {
        let env = Env::new();
        let outcome = run_and_kill(
            &env,
            &["log", "--weight", "70", "--note", "first"],
            random_delay(&mut rng, span),
        );
        if env.db.exists() && fs::metadata(&env.db).unwrap().len() > 0 {
            assert_integrity(&env.db);
        }
        let r = env.run(&["log", "--weight", "71", "--note", "second"]);
        assert_eq!(
            r.code, 0,
            "run {i} after a killed first run ({outcome:?}): {}",
            r.stderr
        );
        let notes = crate::safety_util::notes(&env.db);
        assert!(notes.contains(&"second".to_string()));
        if outcome == Outcome::Done {
            assert!(notes.contains(&"first".to_string()), "run {i}");
        }
    }
}

#[test]
fn kill_during_a_large_import() {
    let mut rng = Rng::new(0x5eed_0003);
    let template = Env::new();
    for d in 1..=3 {
        template.ok(&[
            "log",
            "--date",
            &format!("2026-01-{d:02}"),
            "--weight",
            "70",
        ]);
    }
    let base = fs::read(&template.db).unwrap();
    let csv = template.path("big.csv");
    fs::write(&csv, big_csv(2000, "imported")).unwrap();
    let csv = csv.to_str().unwrap().to_string();
    let span = {
        let env = Env::new();
        fs::create_dir_all(env.db.parent().unwrap()).unwrap();
        fs::write(&env.db, &base).unwrap();
        measure(&env, &["import", &csv])
    };
    let (mut done, mut killed) = (0, 0);
    for i in 0..20 {
        let env = Env::new();
        fs::create_dir_all(env.db.parent().unwrap()).unwrap();
        fs::write(&env.db, &base).unwrap();
        let outcome = run_and_kill(&env, &["import", &csv], random_delay(&mut rng, span));
        assert_integrity(&env.db);
        let n = count(&env.db, "entry");
        match outcome {
            Outcome::Done => {
                done += 1;
                assert_eq!(n, 2003, "run {i}: exited 0");
            }
            _ => {
                killed += 1;
                assert!(
                    n == 3 || n == 2003,
                    "run {i}: a killed import left {n} entries (half an import)"
                );
            }
        }
        // Children are all there or all absent too.
        assert_eq!(count(&env.db, "symptom"), (n - 3) * 2, "run {i}");
        if i % 10 == 0 {
            // Running it again completes it, whatever happened.
            env.ok(&["import", &csv]);
            assert_eq!(count(&env.db, "entry"), 2003);
        }
    }
    println!("kill_during_a_large_import: {done} finished, {killed} killed");
}

#[test]
fn kill_during_backup() {
    let mut rng = Rng::new(0x5eed_0004);
    let env = Env::new();
    let csv = env.path("big.csv");
    fs::write(&csv, big_csv(3000, "b")).unwrap();
    env.ok(&["import", csv.to_str().unwrap()]);
    let diary_before = fs::read(&env.db).unwrap();
    let span = measure(&env, &["backup", env.path("first.bak").to_str().unwrap()]);
    let (mut done, mut killed) = (0, 0);
    for i in 0..20 {
        let dest = env.path(&format!("b{i}.bak"));
        let outcome = run_and_kill(
            &env,
            &["backup", dest.to_str().unwrap()],
            random_delay(&mut rng, span),
        );
        if outcome == Outcome::Done {
            done += 1;
            assert!(dest.exists(), "run {i}: exited 0 without a backup");
        } else {
            killed += 1;
        }
        // A backup path holds a complete, verified copy or nothing.
        if dest.exists() {
            assert_integrity(&dest);
            assert_eq!(count(&dest, "entry"), 3000, "run {i}");
            assert_eq!(count(&dest, "symptom"), 6000, "run {i}");
        }
    }
    println!("kill_during_backup: {done} finished, {killed} killed");
    assert_integrity(&env.db);
    assert_eq!(
        fs::read(&env.db).unwrap(),
        diary_before,
        "backup never changes the diary"
    );
    // Temporary files of killed backups are reported by doctor.
    let partials = fs::read_dir(env.dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".partial-")
        })
        .count();
    println!("kill_during_backup: {partials} partial files left by kills");
}

#[test]
fn kill_during_restore() {
    let mut rng = Rng::new(0x5eed_0005);
    let env = Env::new();
    let csv = env.path("big.csv");
    fs::write(&csv, big_csv(500, "old")).unwrap();
    env.ok(&["import", csv.to_str().unwrap()]);
    let bak = env.path("old.bak");
    env.ok(&["backup", bak.to_str().unwrap()]);
    // The current diary: 2000 other entries.
    let current = {
        let e = Env::new();
        let csv2 = e.path("cur.csv");
        fs::write(&csv2, big_csv(2000, "current")).unwrap();
        e.ok(&["import", csv2.to_str().unwrap()]);
        fs::read(&e.db).unwrap()
    };
    let reset = || {
        for s in ["-wal", "-shm"] {
            let _ = fs::remove_file(format!("{}{s}", env.db.display()));
        }
        fs::write(&env.db, &current).unwrap();
    };
    reset();
    let span = measure(&env, &["restore", bak.to_str().unwrap(), "--yes"]);
    let (mut done, mut killed) = (0, 0);
    for i in 0..15 {
        reset();
        let outcome = run_and_kill(
            &env,
            &["restore", bak.to_str().unwrap(), "--yes"],
            random_delay(&mut rng, span),
        );
        assert_integrity(&env.db);
        let n = count(&env.db, "entry");
        match outcome {
            Outcome::Done => {
                done += 1;
                assert_eq!(n, 500, "run {i}");
            }
            _ => {
                killed += 1;
                assert!(
                    n == 500 || n == 2000,
                    "run {i}: {n} entries: a mix of two diaries"
                );
            }
        }
        assert_eq!(count(&env.db, "symptom"), n * 2, "run {i}");
        // The diary works afterwards.
        env.ok(&["list"]);
    }
    println!("kill_during_restore: {done} finished, {killed} killed");
    // Over a damaged diary: the file is either the damaged one, untouched,
    // or the restored one; never missing, never a mix.
    let garbage = b"garbage, not a diary at all".repeat(200);
    for i in 0..10 {
        for s in ["-wal", "-shm"] {
            let _ = fs::remove_file(format!("{}{s}", env.db.display()));
        }
        fs::write(&env.db, &garbage).unwrap();
        let outcome = run_and_kill(
            &env,
            &["restore", bak.to_str().unwrap(), "--yes"],
            random_delay(&mut rng, span),
        );
        let bytes = fs::read(&env.db).expect("the diary path never stands empty");
        if bytes != garbage {
            assert_integrity(&env.db);
            assert_eq!(count(&env.db, "entry"), 500, "run {i}");
        } else {
            assert_ne!(
                outcome,
                Outcome::Done,
                "run {i}: exited 0 but nothing was restored"
            );
        }
    }
}
