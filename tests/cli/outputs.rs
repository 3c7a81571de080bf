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
