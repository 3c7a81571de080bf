//! Encrypted copies (issue 14, "Encrypted copies"): `backup --encrypt` and
//! `export --encrypt` write age files that `restore` and `import` open with
//! an identity or a passphrase, and nothing readable is left behind.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use age::secrecy::ExposeSecret;

use crate::support::{describe, stderr, stdout, TestEnv};

/// A note that must never appear in an encrypted file.
const SECRET_NOTE: &str = "visited Dr Okafor about the leak";

/// A small diary: two mornings, one with the secret note, and an episode.
fn diary(env: &TestEnv) {
    env.log(&[
        "--date",
        "2026-11-20",
        "--weight",
        "68.4",
        "--bp",
        "118/76",
        "--note",
        SECRET_NOTE,
    ]);
    env.log(&[
        "--date",
        "2026-11-21",
        "--weight",
        "69.1",
        "--symptom",
        "thirst:2",
    ]);
    env.ok(&["episode", "start", "--date", "2026-11-21"]);
}

/// A fresh age key: the identity file (as `age-keygen -o` writes it, mode
/// 0600) and the public key.
fn key(env: &TestEnv, name: &str) -> (PathBuf, String) {
    let id = age::x25519::Identity::generate();
    let public = id.to_public().to_string();
    let path = env.path(name);
    let text = format!(
        "# created: 2026-11-25T08:00:00Z\n# public key: {public}\n{}\n",
        id.to_string().expose_secret()
    );
    private_file(&path, &text);
    (path, public)
}

fn private_file(path: &Path, text: &str) {
    let mut o = fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path).unwrap().write_all(text.as_bytes()).unwrap();
}

/// Everything in the diary's folder but the diary, its side files and the
/// backups named `keep`: what an encrypted backup or restore left behind.
fn litter(env: &TestEnv, keep: &[&Path]) -> Vec<String> {
    let db = env.db_path();
    let mut out: Vec<String> = fs::read_dir(db.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            !keep.contains(&p.as_path())
                && !["diary.sqlite3", "diary.sqlite3-wal", "diary.sqlite3-shm"]
                    .contains(&n.as_ref())
        })
        .map(|p| p.display().to_string())
        .collect();
    out.sort();
    out
}

fn assert_no_plaintext(path: &Path) {
    let bytes = fs::read(path).unwrap();
    assert!(
        bytes.starts_with(b"age-encryption.org/v1\n"),
        "{} is not an age file",
        path.display()
    );
    for needle in [
        SECRET_NOTE.as_bytes(),
        b"Okafor",
        b"SQLite format 3",
        b"68.4",
    ] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "{} contains {:?}",
            path.display(),
            String::from_utf8_lossy(needle)
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", path.display());
    }
}

/// The entries as a CSV export plus the episodes (without ids): equal for
/// the same diary.
fn content(env: &TestEnv) -> (String, Vec<serde_json::Value>) {
    let mut episodes = env.episodes();
    for e in &mut episodes {
        e.as_object_mut().unwrap().remove("id");
    }
    (stdout(&env.run(&["export"])), episodes)
}

#[test]
fn encrypted_backup_restores_with_the_identity() {
    let env = TestEnv::new();
    diary(&env);
    let before = content(&env);
    let (identity, public) = key(&env, "me.key");

    let out = env.ok(&["backup", "--encrypt", "--recipient", &public]);
    let file = env
        .db_path()
        .with_file_name("diary.sqlite3.2026-11-25T080000.bak.age");
    assert!(out.contains(&file.display().to_string()), "{out}");
    assert!(out.contains("2 entries and 1 episode"), "{out}");
    assert!(
        out.contains("the copy is encrypted (age) to 1 age key"),
        "{out}"
    );
    assert_no_plaintext(&file);
    assert_eq!(litter(&env, &[&file]), Vec::<String>::new());

    // Doctor counts an encrypted backup as a backup.
    let out = env.run(&["doctor"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("latest backup") && text.contains(".bak.age"),
        "{text}"
    );
    assert!(!text.contains("no backup found"), "{text}");

    // Same second again: a new name, never an overwrite.
    let out = env.ok(&["backup", "--encrypt", "--recipient", &public]);
    assert!(out.contains("2026-11-25T080000-2.bak.age"), "{out}");

    // Change the diary, then restore the encrypted backup.
    env.log(&["--weight", "75"]);
    env.ok(&["episode", "end", "--date", "2026-11-24"]);
    assert_ne!(content(&env), before);
    let out = env.ok(&[
        "restore",
        file.to_str().unwrap(),
        "--identity",
        identity.to_str().unwrap(),
        "--yes",
    ]);
    assert!(out.contains("restored 2 entries and 1 episode"), "{out}");
    assert_eq!(content(&env), before);
    // Only the kept diary was added: no decrypted copy left behind.
    let left = litter(&env, &[&file]);
    assert!(
        left.iter()
            .all(|p| p.ends_with(".bak") || p.ends_with(".bak.age")),
        "{left:?}"
    );

    // Onto a new path (no diary yet) as well.
    let mut fresh = TestEnv::new();
    fresh.set_env("CLS_DB", env.path("elsewhere/diary.sqlite3"));
    fresh.ok(&[
        "restore",
        file.to_str().unwrap(),
        "--identity",
        identity.to_str().unwrap(),
        "--yes",
    ]);
    let names: Vec<_> = fs::read_dir(env.path("elsewhere"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["diary.sqlite3".to_string()]);
}

#[test]
fn encrypted_export_round_trips_through_import_csv_and_json() {
    let env = TestEnv::new();
    diary(&env);
    let (identity, public) = key(&env, "me.key");
    let (_, clinic) = key(&env, "clinic.key");
    let recipients = env.path("recipients.txt");
    fs::write(
        &recipients,
        format!("# me\n{public}\n\n# the clinic\n{clinic}\n"),
    )
    .unwrap();
    let plain_csv = stdout(&env.run(&["export"]));

    for (format, name) in [("csv", "out.csv"), ("json", "out.json")] {
        let out = env.run(&[
            "export",
            "--encrypt",
            "--recipients-file",
            recipients.to_str().unwrap(),
            "--output",
            name,
        ]);
        assert!(out.status.success(), "{}", describe(&out));
        let file = env.path(&format!("{name}.age"));
        let told = format!(" to {name}.age");
        assert!(stderr(&out).contains(&told), "{}", describe(&out));
        assert!(!env.path(name).exists(), "no plaintext {name}");
        assert_no_plaintext(&file);

        let other = TestEnv::new();
        let out = other.ok(&[
            "import",
            file.to_str().unwrap(),
            "--identity",
            identity.to_str().unwrap(),
        ]);
        assert!(out.starts_with("imported 2, skipped 0"), "{format}: {out}");
        assert_eq!(stdout(&other.run(&["export"])), plain_csv, "{format}");
        if format == "json" {
            assert_eq!(other.episodes().len(), 1);
        }
    }

    // To stdout when it is not a terminal: the bytes are the age file.
    let out = env.run(&["export", "--encrypt", "--recipient", &public]);
    assert!(out.status.success(), "{}", describe(&out));
    assert!(out.stdout.starts_with(b"age-encryption.org/v1\n"));
    let other = TestEnv::new();
    let args = ["import", "-", "--format", "csv", "--identity"];
    let out = other
        .cmd(args.iter().copied().chain([identity.to_str().unwrap()]))
        .write_stdin(out.stdout)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", describe(&out));
    assert_eq!(stdout(&other.run(&["export"])), plain_csv);
}

#[test]
fn the_wrong_identity_fails_and_nothing_is_written() {
    let env = TestEnv::new();
    diary(&env);
    let (_, public) = key(&env, "me.key");
    let (stranger, _) = key(&env, "stranger.key");
    let backup = env.path("copy.bak");
    env.ok(&[
        "backup",
        backup.to_str().unwrap(),
        "--encrypt",
        "--recipient",
        &public,
    ]);
    let backup = env.path("copy.bak.age");
    let export = env.path("out.json.age");
    let out = env.run(&[
        "export",
        "--encrypt",
        "--recipient",
        &public,
        "--output",
        export.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", describe(&out));
    env.log(&["--weight", "70"]);
    let before = env.diary_snapshot();

    let err = env.runtime_error(
        &[
            "restore",
            backup.to_str().unwrap(),
            "--identity",
            stranger.to_str().unwrap(),
            "--yes",
        ],
        "none of the given identities can open it",
    );
    assert!(err.contains("copy.bak.age"), "{err}");
    env.runtime_error(
        &[
            "import",
            export.to_str().unwrap(),
            "--identity",
            stranger.to_str().unwrap(),
        ],
        "nothing was written",
    );
    assert_eq!(env.diary_snapshot(), before);
    assert_eq!(litter(&env, &[]), Vec::<String>::new());

    // Onto a missing diary: none is created.
    let mut fresh = TestEnv::new();
    fresh.set_env("CLS_DB", env.path("new/diary.sqlite3"));
    let args = [
        "restore",
        backup.to_str().unwrap(),
        "--identity",
        stranger.to_str().unwrap(),
        "--yes",
    ];
    fresh.runtime_error(&args, "none of the given identities");
    assert!(!env.path("new/diary.sqlite3").exists());

    // A changed file is refused the same way, with the right key.
    let mine = env.path("me.key");
    let mut bytes = fs::read(&export).unwrap();
    let n = bytes.len() - 20;
    bytes[n] ^= 0x40;
    let tampered = env.path("tampered.json.age");
    fs::write(&tampered, bytes).unwrap();
    env.runtime_error(
        &[
            "import",
            tampered.to_str().unwrap(),
            "--identity",
            mine.to_str().unwrap(),
        ],
        "not a readable age file",
    );
    assert_eq!(env.diary_snapshot(), before);
}

#[test]
fn a_passphrase_from_a_file_round_trips() {
    let env = TestEnv::new();
    diary(&env);
    let before = content(&env);
    let pass = env.path("pass.txt");
    private_file(&pass, "correct horse battery staple\n");
    let wrong = env.path("wrong.txt");
    private_file(&wrong, "correct horse battery stable\n");

    let out = env.ok(&[
        "backup",
        "--encrypt",
        "--passphrase-file",
        pass.to_str().unwrap(),
    ]);
    assert!(
        out.contains("the copy is encrypted (age) with a passphrase"),
        "{out}"
    );
    let file = env
        .db_path()
        .with_file_name("diary.sqlite3.2026-11-25T080000.bak.age");
    assert_no_plaintext(&file);
    let out = env.run(&[
        "export",
        "--encrypt",
        "--passphrase-file",
        pass.to_str().unwrap(),
        "-o",
        "out.csv",
    ]);
    assert!(out.status.success(), "{}", describe(&out));
    let csv = env.path("out.csv.age");
    assert_no_plaintext(&csv);

    env.log(&["--weight", "80"]);
    let changed = env.diary_snapshot();
    let f = file.to_str().unwrap();
    env.runtime_error(
        &[
            "restore",
            f,
            "--passphrase-file",
            wrong.to_str().unwrap(),
            "--yes",
        ],
        "wrong passphrase",
    );
    // Without a terminal and without the file: say how.
    env.usage_error(&["restore", f, "--yes"], "--passphrase-file");
    // A key is not a passphrase.
    let (identity, _) = key(&env, "me.key");
    env.usage_error(
        &[
            "restore",
            f,
            "--identity",
            identity.to_str().unwrap(),
            "--yes",
        ],
        "locked with a passphrase",
    );
    assert_eq!(env.diary_snapshot(), changed);

    env.ok(&[
        "restore",
        f,
        "--passphrase-file",
        pass.to_str().unwrap(),
        "--yes",
    ]);
    assert_eq!(content(&env), before);

    let other = TestEnv::new();
    let out = other.ok(&[
        "import",
        csv.to_str().unwrap(),
        "--passphrase-file",
        pass.to_str().unwrap(),
    ]);
    assert!(out.starts_with("imported 2"), "{out}");
}

#[test]
fn encrypt_needs_a_key_or_a_terminal_and_keys_are_checked() {
    let env = TestEnv::new();
    diary(&env);
    let data = env.db_path().parent().unwrap().to_path_buf();
    let count = || fs::read_dir(&data).unwrap().count();
    let files = count();

    // No key and stdin is not a terminal: a one-line usage error.
    env.usage_error(&["backup", "--encrypt"], "--recipient");
    env.usage_error(&["export", "--encrypt", "-o", "x.csv"], "--recipient");
    // Key flags need --encrypt.
    let (identity, public) = key(&env, "me.key");
    let out = env.run(&["backup", "--recipient", &public]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    // A mistyped key, a secret key given as a recipient (never echoed).
    env.usage_error(
        &["backup", "--encrypt", "--recipient", "age1oops"],
        "'age1oops'",
    );
    let secret = fs::read_to_string(&identity).unwrap();
    let secret = secret.lines().last().unwrap();
    let err = env.usage_error(
        &["backup", "--encrypt", "--recipient", secret],
        "secret key",
    );
    assert!(!err.contains("AGE-SECRET-KEY-1"), "{err}");
    let err = env.usage_error(
        &[
            "backup",
            "--encrypt",
            "--recipients-file",
            identity.to_str().unwrap(),
        ],
        "line 3",
    );
    assert!(!err.contains("AGE-SECRET-KEY-1"), "{err}");
    assert_eq!(count(), files, "nothing written");
    assert!(!env.path("x.csv").exists() && !env.path("x.csv.age").exists());

    // An encrypted file without --identity says to give it; a public key
    // is not an identity.
    let out = env.run(&["export", "--encrypt", "--recipient", &public, "-o", "e.csv"]);
    assert!(out.status.success(), "{}", describe(&out));
    env.usage_error(&["import", "e.csv.age"], "--identity");
    let pubfile = env.path("public.txt");
    fs::write(&pubfile, format!("{public}\n")).unwrap();
    env.usage_error(
        &[
            "import",
            "e.csv.age",
            "--identity",
            pubfile.to_str().unwrap(),
        ],
        "public key",
    );
}

#[test]
fn an_armored_file_is_read_too() {
    let env = TestEnv::new();
    diary(&env);
    let (identity, public) = key(&env, "me.key");
    let csv = env.run(&["export"]).stdout;
    let recipient: age::x25519::Recipient = public.parse().unwrap();
    let mut armored = Vec::new();
    {
        let w =
            age::armor::ArmoredWriter::wrap_output(&mut armored, age::armor::Format::AsciiArmor)
                .unwrap();
        let e = age::Encryptor::with_recipients(std::iter::once(&recipient as _)).unwrap();
        let mut s = e.wrap_output(w).unwrap();
        s.write_all(&csv).unwrap();
        s.finish().unwrap().finish().unwrap();
    }
    let file = env.path("armored.csv.age");
    fs::write(&file, armored).unwrap();
    let other = TestEnv::new();
    let out = other.ok(&[
        "import",
        file.to_str().unwrap(),
        "--identity",
        identity.to_str().unwrap(),
    ]);
    assert!(out.starts_with("imported 2"), "{out}");
}
