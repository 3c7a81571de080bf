//! `cls import` reads its file as a stream (issue 14, item 10): a file over
//! the 200 MB limit is refused before it is read, an endless input
//! (`/dev/zero`) ends promptly with a one-line error instead of growing
//! until memory runs out, a JSON file may start with a UTF-8 byte order
//! mark like a CSV one, and a bad row anywhere still leaves the diary as it
//! was. (Duplicates within one file: safety.rs.)

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::{assert_one_line_error, describe, TestEnv};

/// Run `cls ARGS`, killing it after `limit`: an endless read must not hang
/// the test suite, it must fail it.
fn run_within(env: &TestEnv, args: &[&str], limit: Duration) -> Output {
    let mut cmd: Command = env.std_cmd(args);
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start cls");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait for cls").is_some() {
            return child.wait_with_output().expect("read output");
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().expect("read output");
            panic!(
                "cls {args:?} still running after {limit:?}\n{}",
                describe(&out)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_file_over_200_mb_is_refused_before_it_is_read() {
    let env = TestEnv::new();
    env.log(&["--weight", "68.4"]);
    let before = env.diary_snapshot();
    // Sparse: 200 MB and one byte of nothing, no disk used.
    let big = env.path("big.csv");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(200_000_001).unwrap();
    drop(f);
    for args in [
        &["import", "big.csv"][..],
        &["import", "--dry-run", "big.csv"],
    ] {
        let started = Instant::now();
        let out = run_within(&env, args, Duration::from_secs(60));
        let err = assert_one_line_error(&out, 2, "", args);
        assert_eq!(
            err,
            "cls: import big.csv: file: the file is 201 MB; cls imports at most 200 MB at a time \
             (split it, or import a diary export); nothing was imported"
        );
        // Refused from its size: not read, so at once.
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    }
    assert_eq!(env.diary_snapshot(), before);
}

#[test]
fn dev_zero_ends_promptly_with_one_line_in_both_formats() {
    if !std::path::Path::new("/dev/zero").exists() {
        return;
    }
    let env = TestEnv::new();
    for (format, want) in [
        (
            "csv",
            "cls: import /dev/zero: line 1: row: longer than 1 MB without a line break; \
             this is not a CSV diary file; nothing was imported",
        ),
        (
            "json",
            "cls: import /dev/zero: line 1: json: expected value; nothing was imported",
        ),
    ] {
        let args = ["import", "/dev/zero", "--format", format];
        let out = run_within(&env, &args, Duration::from_secs(30));
        let err = assert_one_line_error(&out, 2, "", &args);
        assert_eq!(err, want);
    }
    assert!(!env.diary_exists(), "a refused import creates no diary");
}

#[test]
fn a_json_export_with_a_byte_order_mark_imports_like_a_csv_one() {
    let env = TestEnv::new();
    env.log(&[
        "--weight",
        "68.4",
        "--bp",
        "118/76",
        "--symptom",
        "thirst:1",
    ]);
    env.log(&["--date", "2026-11-24", "--weight", "68.0"]);
    for format in ["json", "csv"] {
        let plain = env.path(&format!("d.{format}"));
        let out = env.run(&[
            "export",
            "--format",
            format,
            "--output",
            plain.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(std::fs::read(&plain).unwrap());
        let bom = env.path(&format!("bom.{format}"));
        std::fs::write(&bom, bytes).unwrap();
        let other = env.path(&format!("other-{format}.sqlite3"));
        let db = other.to_str().unwrap();
        let out = env.run(&["--db", db, "import", bom.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{format}\n{}", describe(&out));
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "imported 2, skipped 0 duplicates\n",
            "{format}"
        );
    }
}

#[test]
fn a_bad_last_row_leaves_an_existing_diary_unchanged() {
    // Into an existing diary the file is read once, rows written as they
    // come inside one transaction: the bad row at the end rolls back the
    // thousand before it.
    let env = TestEnv::new();
    env.log(&["--weight", "68.4"]);
    let before = env.diary_snapshot();
    let mut csv = String::from("date,time,weight_kg,note\n");
    for i in 0..1000 {
        csv.push_str(&format!("2024-01-01,08:00,70,row {i}\n"));
    }
    csv.push_str("2024-01-02,08:00,700,too heavy\n");
    std::fs::write(env.path("rows.csv"), &csv).unwrap();
    let err = env.usage_error(&["import", "rows.csv"], "line 1002");
    assert!(err.contains("weight_kg: 700 kg is out of range"), "{err}");
    assert_eq!(env.diary_snapshot(), before);
    // From stdin (one pass, no size known) the same.
    let out = env
        .cmd(["import", "-", "--format", "csv"])
        .write_stdin(csv)
        .output()
        .unwrap();
    assert_one_line_error(&out, 2, "line 1002", &["import", "-"]);
    assert_eq!(env.diary_snapshot(), before);
}
