//! Where `--output` (and the other user-named files) may go: never over the
//! diary, its side files or a backup (issue 14 item 1); devices, FIFOs and
//! symbolic links (item 4); leftover temporary files (item 11).

use std::fs;

use crate::support::*;

/// A diary with one entry, and one backup of it beside it.
fn diary_with_backup() -> (TestEnv, std::path::PathBuf) {
    let env = TestEnv::new();
    env.log(&["--weight", "68.4", "--bp", "118/76"]);
    let bak = env.path("data/diary.sqlite3.mine.bak");
    env.ok(&["backup", bak.to_str().unwrap()]);
    (env, bak)
}

/// Every spelling of the diary, its side files and its backup, for every
/// command that writes a file: refused with exit 2, nothing changed.
#[test]
fn no_output_lands_on_the_diary_its_side_files_or_a_backup() {
    let (env, bak) = diary_with_backup();
    let db = env.db_path();
    // A -wal and -shm as an open connection would leave them.
    let wal = env.path("data/diary.sqlite3-wal");
    let shm = env.path("data/diary.sqlite3-shm");
    fs::write(&wal, b"").unwrap();
    fs::write(&shm, b"").unwrap();
    // A hard link and a symbolic link to the diary are the diary too.
    let hard = env.path("hard.sqlite3");
    fs::hard_link(&db, &hard).unwrap();
    let soft = env.path("soft.sqlite3");
    std::os::unix::fs::symlink(&db, &soft).unwrap();
    let targets = [
        db.display().to_string(),
        "data/../data/./diary.sqlite3".to_string(),
        hard.display().to_string(),
        soft.display().to_string(),
        wal.display().to_string(),
        shm.display().to_string(),
        // Not there yet: the same folder and name is still the side file.
        "data/diary.sqlite3-journal".to_string(),
        bak.display().to_string(),
    ];
    let before = env.diary_snapshot();
    let bak_before = fs::read(&bak).unwrap();
    for t in &targets {
        for args in [
            vec!["report", "--output", t],
            vec!["report", "--format", "csv", "--output", t],
            vec!["card", "--output", t],
            vec!["export", "--output", t],
        ] {
            let err = env.usage_error(&args, "--output");
            assert!(
                err.contains("diary") || err.contains("SQLite database"),
                "{args:?}: {err}"
            );
        }
    }
    // backup onto the diary is refused as such; onto another existing file
    // (the backup) as "already exists".
    let out = env.run(&["backup", db.to_str().unwrap()]);
    assert_eq!(code(&out), Some(2), "{}", describe(&out));
    assert!(
        stderr(&out).contains("the diary itself"),
        "{}",
        describe(&out)
    );
    let out = env.run(&["backup", bak.to_str().unwrap()]);
    assert_eq!(code(&out), Some(1), "{}", describe(&out));
    assert!(
        stderr(&out).contains("already exists"),
        "{}",
        describe(&out)
    );
    for t in [db.to_str().unwrap(), bak.to_str().unwrap()] {
        // config init --force with CLS_CONFIG on the diary or a backup.
        let mut e2 = TestEnv::new();
        e2.set_env("CLS_DB", &db);
        e2.set_env("CLS_CONFIG", t);
        let out = e2.run(&["config", "init", "--force"]);
        assert_eq!(code(&out), Some(2), "{}", describe(&out));
    }
    assert_eq!(env.diary_snapshot(), before, "the diary is unchanged");
    assert_eq!(
        fs::read(&bak).unwrap(),
        bak_before,
        "the backup is unchanged"
    );
    assert!(!env.path("data/diary.sqlite3-journal").exists());
    // An ordinary file beside the diary is fine.
    let ok = env.run(&["report", "--output", "data/report.txt"]);
    assert_eq!(code(&ok), Some(0), "{}", describe(&ok));
    assert!(fs::read_to_string(env.path("data/report.txt"))
        .unwrap()
        .contains("68.4"));
}

fn is_char_device(p: &std::path::Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    fs::symlink_metadata(p)
        .unwrap()
        .file_type()
        .is_char_device()
}

/// `--output /dev/null` writes in place: /dev/null is still the character
/// device afterwards (before, a temporary file was renamed over it).
#[test]
fn output_to_dev_null_leaves_the_device_in_place() {
    let env = TestEnv::new();
    env.log(&["--weight", "68.4"]);
    for args in [
        ["report", "--output", "/dev/null"],
        ["card", "--output", "/dev/null"],
        ["export", "--output", "/dev/null"],
    ] {
        let out = env.run(&args);
        assert_eq!(code(&out), Some(0), "{args:?}: {}", describe(&out));
        assert!(
            is_char_device(std::path::Path::new("/dev/null")),
            "{args:?}"
        );
    }
    let r = env.run(&["report", "--output", "/dev/null"]);
    assert_eq!(stdout(&r), "", "no 'wrote report' line for a device");
    assert!(fs::read_dir("/dev")
        .unwrap()
        .flatten()
        .all(|e| !e.file_name().to_string_lossy().ends_with(".tmp")));
}

/// `--output /dev/stdout` (a link to the process's own standard output)
/// writes the report there, like leaving out `--output`.
#[test]
fn output_to_dev_stdout_writes_to_standard_output() {
    let env = TestEnv::new();
    env.log(&["--weight", "68.4"]);
    let plain = env.ok(&["report"]);
    let out = env.run(&["report", "--output", "/dev/stdout", "--format", "text"]);
    assert_eq!(code(&out), Some(0), "{}", describe(&out));
    assert_eq!(stdout(&out), plain);
    assert!(fs::symlink_metadata("/dev/stdout")
        .unwrap()
        .file_type()
        .is_symlink());
}

/// A FIFO is written in place: the reader gets the report, and the FIFO is
/// still a FIFO (before, the reader waited forever on a FIFO that had been
/// replaced by a regular file).
#[test]
fn output_to_a_fifo_feeds_its_reader() {
    use std::os::unix::fs::FileTypeExt;
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let env = TestEnv::new();
    env.log(&["--weight", "68.4"]);
    let fifo = env.path("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let mut reader = Command::new("cat")
        .arg(&fifo)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let out = env.run(&["export", "--output", fifo.to_str().unwrap()]);
    let started = Instant::now();
    while reader.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(10) {
            reader.kill().unwrap();
            panic!("the FIFO's reader never got the export\n{}", describe(&out));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let got = reader.wait_with_output().unwrap();
    assert_eq!(code(&out), Some(0), "{}", describe(&out));
    let text = String::from_utf8(got.stdout).unwrap();
    assert!(text.starts_with("date,time,weight_kg"), "{text}");
    assert!(text.contains(",68.4,"), "{text}");
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

/// A symbolic link to a file (or to nothing) is refused: neither the link
/// nor the file it points to changes. A folder is refused too.
#[test]
fn output_onto_a_symlink_or_folder_is_refused() {
    let env = TestEnv::new();
    env.log(&["--weight", "68.4"]);
    let real = env.path("real.txt");
    fs::write(&real, "keep me").unwrap();
    let link = env.path("link.txt");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let dangling = env.path("dangling.txt");
    std::os::unix::fs::symlink(env.path("nowhere/x.txt"), &dangling).unwrap();
    for cmd in ["report", "card", "export"] {
        let err = env.usage_error(&[cmd, "--output", "link.txt"], "symbolic link");
        assert!(err.contains("link.txt"), "{err}");
        env.usage_error(&[cmd, "--output", "dangling.txt"], "symbolic link");
        env.usage_error(&[cmd, "--output", "home"], "is a folder");
    }
    assert_eq!(fs::read_to_string(&real).unwrap(), "keep me");
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(!env.path("nowhere").exists());
    // A regular file is replaced as before (atomically, private).
    let file = env.path("report.txt");
    fs::write(&file, "old").unwrap();
    let out = env.run(&["report", "--output", "report.txt"]);
    assert_eq!(code(&out), Some(0), "{}", describe(&out));
    assert!(fs::read_to_string(&file).unwrap().contains("68.4"));
    assert_eq!(mode(&file) & 0o777, 0o600);
}

/// A `--output` killed between writing its temporary file and renaming it
/// leaves `.NAME.cls-PID.tmp` (older versions: `.NAME.PID.tmp`); doctor
/// names each one beside the diary or the config, as a warning.
#[test]
fn doctor_names_temporary_files_a_killed_write_left() {
    let env = TestEnv::new();
    env.log(&["--weight", "68.4"]);
    let clean = env.run(&["doctor"]);
    assert!(
        stdout(&clean).contains("ok       temp files"),
        "{}",
        describe(&clean)
    );
    let beside_diary = env.path("data/.report.html.4242.tmp");
    let beside_config = env.path(".config.toml.cls-77.tmp");
    fs::write(&beside_diary, "half a report").unwrap();
    fs::write(&beside_config, "half a config").unwrap();
    // Not ours: left alone.
    fs::write(env.path("data/.notes.tmp"), "x").unwrap();
    let out = env.run(&["doctor"]);
    let text = stdout(&out);
    assert_eq!(
        code(&out),
        code(&clean),
        "a warning only\n{}",
        describe(&out)
    );
    assert!(text.contains("WARNING  temp files"), "{text}");
    assert!(text.contains(".report.html.4242.tmp"), "{text}");
    assert!(text.contains(".config.toml.cls-77.tmp"), "{text}");
    assert!(!text.contains(".notes.tmp"), "{text}");
    assert!(beside_diary.exists(), "doctor changes nothing");
}
