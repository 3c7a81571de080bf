//! Text from files, the config and the diary never reaches a terminal raw
//! (issue 14 item 7): escapes, bidirectional overrides and zero-width
//! characters are shown as U+FFFD by the one sanitiser, while an export to
//! a file or pipe stays byte-exact.

use std::fs;

use crate::support::*;

/// The dangerous characters every test here plants: an OSC title change,
/// a screen clear, a right-to-left override and a zero-width space.
const NASTY: &str = "a\u{1b}]0;pwned\u{7}b\u{1b}[2J\u{202E}cba\u{200B}d";

fn assert_clean(what: &str, text: &str) {
    for bad in ['\u{1b}', '\u{7}', '\u{202E}', '\u{200B}'] {
        assert!(!text.contains(bad), "{what} shows {bad:?} raw:\n{text:?}");
    }
}

#[test]
fn import_errors_show_cells_and_headers_sanitised() {
    let env = TestEnv::new();
    let header = env.path("header.csv");
    fs::write(
        &header,
        format!("date,time,weight_kg,{NASTY}\n2026-11-20,08:00,68,x\n"),
    )
    .unwrap();
    let err = env.usage_error(&["import", "header.csv"], "unknown column");
    assert_clean("an unknown header", &err);
    assert!(err.contains('\u{FFFD}'), "{err}");
    let cell = env.path("cell.csv");
    fs::write(
        &cell,
        format!("date,time,weight_kg\n2026-11-20,08:00,68{NASTY}\n"),
    )
    .unwrap();
    let out = env.run(&["import", "cell.csv"]);
    assert_eq!(code(&out), Some(2), "{}", describe(&out));
    assert_clean("a bad cell", &stderr(&out));
    let json = env.path("bad.json");
    fs::write(&json, format!("{{\"{NASTY}\": 1}}")).unwrap();
    let out = env.run(&["import", "bad.json"]);
    assert_ne!(code(&out), Some(0), "{}", describe(&out));
    assert_clean("a JSON import error", &stderr(&out));
    assert!(!env.diary_exists());
}

#[test]
fn symptoms_shows_config_names_sanitised() {
    let env = TestEnv::new();
    env.write_config("[symptoms]\ncustom = [\"rash\\u001b[31m\", \"itch\\u202Ehcti\"]\n");
    let out = env.run(&["symptoms"]);
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert_clean("cls symptoms", &all);
    // A config that accepts such names shows them marked.
    if code(&out) == Some(0) {
        assert!(all.contains("rash\u{FFFD}[31m"), "{all}");
    }
}

#[test]
fn list_show_and_check_show_notes_sanitised() {
    let env = TestEnv::new();
    let id = env.log(&["--weight", "68.4", "--note", NASTY]);
    let id_text = id.to_string();
    for args in [vec!["list"], vec!["list", "--all"], vec!["show", &id_text]] {
        let out = env.ok(&args);
        assert_clean(&format!("{args:?}"), &out);
        assert!(out.contains('\u{FFFD}'), "{args:?}: {out}");
    }
    // The diary keeps the note exactly.
    assert_eq!(env.entry(id)["note"], NASTY);
    // A custom rule's text from the config, in check.
    let toml_nasty = NASTY
        .replace('\u{1b}', "\\u001b")
        .replace('\u{7}', "\\u0007");
    env.write_config(&format!(
        "[[rules.custom]]\nid = \"odd\"\nlevel = \"watch\"\nmessage = \"m{toml_nasty}\"\nall = [ {{ weight_gain_kg = 0 }} ]\n"
    ));
    let out = env.run(&["check"]);
    assert_clean("cls check", &format!("{}{}", stdout(&out), stderr(&out)));
}

/// On a terminal (`script` gives the command one) the export is
/// sanitised; into a pipe it is byte-exact.
#[test]
fn export_sanitises_for_a_terminal_only() {
    let env = TestEnv::new();
    env.log(&["--weight", "68.4", "--note", NASTY]);
    let piped = env.run(&["export"]);
    assert!(stdout(&piped).contains(NASTY), "{}", describe(&piped));
    let tty = env
        .sh("script -qec '\"$CLS\" export' /dev/null")
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&tty.stdout).into_owned();
    assert!(shown.contains("68.4"), "{}", describe(&tty));
    assert_clean("export on a terminal", &shown);
    // --output /dev/tty is a terminal too.
    let tty = env
        .sh("script -qec '\"$CLS\" export --output /dev/tty' /dev/null")
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&tty.stdout).into_owned();
    assert!(shown.contains("68.4"), "{}", describe(&tty));
    assert_clean("export --output /dev/tty", &shown);
}
