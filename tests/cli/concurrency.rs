//! Several `cls` processes at once on one diary (a cron job and the patient,
//! two terminals), and the privacy of the files: every entry lands, nobody
//! sees "database is locked", and the diary is readable by its owner only.

use std::process::{Child, Stdio};

use crate::support::{describe, TestEnv};

/// Start `n` `cls log` processes at once, entry i with weight 60+i kg, and
/// wait for all of them; assert that each exited 0 quietly.
fn log_concurrently(env: &TestEnv, n: usize, tag: &str) {
    let children: Vec<(usize, Child)> = (0..n)
        .map(|i| {
            let weight = format!("{}", 60 + i);
            let note = format!("{tag} {i}");
            let child = env
                .std_cmd(["log", "--weight", &weight, "--note", &note])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn cls");
            (i, child)
        })
        .collect();
    for (i, child) in children {
        let out = child.wait_with_output().unwrap();
        // Each writer that found no diary may say it created one.
        assert!(
            out.status.success()
                && crate::support::without_creation_note(&out.stderr, &env.db_path()).is_empty(),
            "writer {i} of {n} ({tag}) failed:\n{}",
            describe(&out)
        );
    }
}

/// The notes of every entry, sorted.
fn notes(env: &TestEnv) -> Vec<String> {
    let mut v: Vec<String> = env
        .entries()
        .iter()
        .map(|e| e["note"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

fn expected(n: usize, tag: &str) -> Vec<String> {
    let mut v: Vec<String> = (0..n).map(|i| format!("{tag} {i}")).collect();
    v.sort();
    v
}

#[test]
fn two_concurrent_first_writes_both_land() {
    let env = TestEnv::new();
    log_concurrently(&env, 2, "pair");
    assert_eq!(notes(&env), expected(2, "pair"));
}

#[test]
fn eight_concurrent_first_writes_all_land() {
    // Several rounds, each on a fresh diary: the first open (create, switch
    // to WAL, migrate) is where concurrent runs used to collide.
    for round in 0..3 {
        let env = TestEnv::new();
        let tag = format!("round{round}");
        log_concurrently(&env, 8, &tag);
        let entries = env.entries();
        assert_eq!(notes(&env), expected(8, &tag));
        let mut ids: Vec<i64> = entries.iter().map(|e| e["id"].as_i64().unwrap()).collect();
        ids.sort_unstable();
        assert_eq!(ids, (1..=8).collect::<Vec<_>>(), "distinct ids");
        // Each entry is whole: its weight matches its note.
        for e in &entries {
            let i: f64 = e["note"]
                .as_str()
                .unwrap()
                .rsplit(' ')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            assert_eq!(e["weight_kg"].as_f64(), Some(60.0 + i), "{e}");
        }
        #[cfg(unix)]
        {
            assert_eq!(crate::support::mode(&env.db_path()), 0o600);
            assert_eq!(crate::support::mode(env.db_path().parent().unwrap()), 0o700);
        }
    }
}

#[test]
fn writers_and_readers_together_on_an_existing_diary() {
    let env = TestEnv::new();
    env.seed_mornings("2026-10-01", &[68.0; 40]);
    let readers: Vec<Child> = (0..4)
        .map(|i| {
            let args: &[&str] = match i % 2 {
                0 => &["list", "--all", "--json"],
                _ => &["check", "--json"],
            };
            env.std_cmd(args)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    log_concurrently(&env, 8, "busy");
    for r in readers {
        let out = r.wait_with_output().unwrap();
        assert!(out.stderr.is_empty(), "{}", describe(&out));
        assert!(
            matches!(out.status.code(), Some(0 | 10..=13)),
            "{}",
            describe(&out)
        );
        let _: serde_json::Value = serde_json::from_slice(&out.stdout).expect("whole JSON");
    }
    assert_eq!(env.entries().len(), 48);
}

// ---- privacy --------------------------------------------------------------

#[cfg(unix)]
mod privacy {
    use std::os::unix::fs::PermissionsExt;

    use crate::support::{mode, TestEnv};

    fn chmod(path: &std::path::Path, m: u32) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(m)).unwrap();
    }

    #[test]
    fn a_new_diary_is_0600_in_new_0700_folders_whatever_the_umask() {
        let env = TestEnv::new();
        let db = env.path("a/b/c/diary.sqlite3");
        let script = format!(
            "umask 000; \"$CLS\" --db '{}' log --weight 68",
            db.display()
        );
        let out = env.sh(&script).output().unwrap();
        assert!(out.status.success(), "{}", crate::support::describe(&out));
        assert_eq!(mode(&db), 0o600);
        for dir in ["a", "a/b", "a/b/c"] {
            assert_eq!(mode(&env.path(dir)), 0o700, "{dir}");
        }
        // SQLite's side files, while they exist, are as private.
        for suffix in ["-wal", "-shm"] {
            let side = env.path(&format!("a/b/c/diary.sqlite3{suffix}"));
            if side.exists() {
                assert_eq!(mode(&side), 0o600, "{suffix}");
            }
        }
    }

    #[test]
    fn an_existing_world_readable_diary_is_tightened_on_open() {
        let env = TestEnv::new();
        env.log(&["--weight", "68"]);
        let before = env.diary_snapshot();
        // Any open tightens it, reads included.
        for (args, m) in [
            (&["list"][..], 0o644),
            (&["show", "1"], 0o666),
            (&["log", "--weight", "69"], 0o640),
            (&["check"], 0o604),
        ] {
            chmod(&env.db_path(), m);
            let out = env.run(args);
            assert!(
                matches!(out.status.code(), Some(0 | 10..=13)),
                "{}",
                crate::support::describe(&out)
            );
            assert_eq!(mode(&env.db_path()), 0o600, "after cls {args:?} on {m:o}");
        }
        // Tightening is not a write.
        let snap = env.diary_snapshot().unwrap();
        assert!(snap.contains("[entry] 2 rows"), "{snap} vs {before:?}");
    }

    #[test]
    fn an_empty_file_made_by_the_patient_becomes_a_private_diary() {
        let env = TestEnv::new();
        std::fs::write(env.path("mine.sqlite3"), b"").unwrap();
        chmod(&env.path("mine.sqlite3"), 0o644);
        let p = env.path("mine.sqlite3");
        env.ok(&["--db", p.to_str().unwrap(), "log", "--weight", "68"]);
        assert_eq!(mode(&p), 0o600);
        assert_eq!(
            crate::support::snapshot(&p)
                .unwrap()
                .matches("[entry] 1 rows")
                .count(),
            1
        );
    }
}
