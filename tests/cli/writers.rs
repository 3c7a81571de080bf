//! Many `cls` processes at once: eight writers logging side by side, and
//! eight first runs racing to create the same diary. No errors, no
//! "database is locked", every row present.

use std::sync::Barrier;

use crate::safety_util::{assert_integrity, count, notes, Env};

/// Entries each of the 8 processes logs. 100 as in the issue: 800 process
/// starts, a few seconds on 2 cores.
const PER_WRITER: usize = 100;

#[test]
fn eight_writers_at_once() {
    let env = Env::new();
    env.ok(&["log", "--weight", "70"]);
    let barrier = Barrier::new(8);
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|w| {
                let (env, barrier) = (&env, &barrier);
                s.spawn(move || {
                    barrier.wait();
                    let mut failures = Vec::new();
                    for i in 0..PER_WRITER {
                        let r = env.run(&[
                            "log",
                            "--weight",
                            "70.5",
                            "--symptom",
                            "thirst:1",
                            "--note",
                            &format!("w{w}-{i}"),
                        ]);
                        if r.code != 0 {
                            failures.push(format!("w{w}-{i}: {}", r.stderr.trim()));
                        }
                    }
                    failures
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} failed, e.g. {:?}",
        failures.len(),
        &failures[..failures.len().min(3)]
    );
    assert_integrity(&env.db);
    assert_eq!(count(&env.db, "entry"), 8 * PER_WRITER as i64 + 1);
    assert_eq!(count(&env.db, "symptom"), 8 * PER_WRITER as i64);
    let mut got = notes(&env.db);
    got.sort();
    let mut want: Vec<String> = (0..8)
        .flat_map(|w| (0..PER_WRITER).map(move |i| format!("w{w}-{i}")))
        .collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn eight_first_runs_on_a_fresh_path() {
    for round in 0..5 {
        let env = Env::new();
        let barrier = Barrier::new(8);
        let runs: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|p| {
                    let (env, barrier) = (&env, &barrier);
                    s.spawn(move || {
                        barrier.wait();
                        // Half log, half import: both create and migrate.
                        if p % 2 == 0 {
                            env.run(&["log", "--weight", "70", "--note", &format!("p{p}")])
                        } else {
                            env.cmd()
                                .args(["import", "-", "--format", "csv"])
                                .write_stdin(format!("date,weight_kg,note\n2026-11-0{p},70,p{p}\n"))
                                .output()
                                .unwrap()
                                .into()
                        }
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for (p, r) in runs.iter().enumerate() {
            assert_eq!(r.code, 0, "round {round}, process {p}: {}", r.stderr);
            assert!(!r.stderr.contains("locked"), "{}", r.stderr);
        }
        assert_integrity(&env.db);
        let mut got = notes(&env.db);
        got.sort();
        assert_eq!(
            got,
            (0..8).map(|p| format!("p{p}")).collect::<Vec<_>>(),
            "round {round}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&env.db).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }
}
