//! Help, version and completions. The list of subcommands is read from
//! `cls --help` itself, so a subcommand added later is held to the same
//! standard (its own `--help` with examples) without editing this file.

use crate::support::{describe, stdout, TestEnv};

/// The exit statuses `cls --help` and `cls check --help` must document.
const EXIT_CODE_LINES: &[&str] = &[
    "0   ok",
    "1   runtime error",
    "2   usage error",
    "10  check: unknown",
    "11  check: watch",
    "12  check: warning",
    "13  check: emergency",
];

/// The names in the "Commands:" section of a help text (without `help`).
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| l.trim() != "Commands:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_string)
        .collect()
}

/// Every subcommand path (`["episode", "start"]`, ...), found by walking the
/// help texts.
fn all_subcommands(env: &TestEnv) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let mut todo = vec![Vec::<String>::new()];
    while let Some(path) = todo.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let help = env.ok(&args);
        for name in subcommands(&help) {
            let mut child = path.clone();
            child.push(name);
            todo.push(child.clone());
            found.push(child);
        }
    }
    found.sort();
    found
}

#[test]
fn every_subcommand_has_help_with_examples() {
    let env = TestEnv::new();
    let all = all_subcommands(&env);
    // The walk found the commands we know of (and will find new ones).
    for known in [
        "log",
        "check",
        "list",
        "show",
        "edit",
        "delete",
        "episode start",
        "episode end",
        "episode list",
        "episode delete",
        "rules",
        "symptoms",
        "config init",
        "config show",
        "config path",
        "paths",
        "completions",
    ] {
        assert!(
            all.iter().any(|p| p.join(" ") == known),
            "{known} not found in {all:?}"
        );
    }
    let mut missing = Vec::new();
    for path in &all {
        for flag in ["--help", "-h"] {
            let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
            args.push(flag);
            let out = env.ok(&args);
            assert!(out.contains("Usage: cls"), "cls {args:?}:\n{out}");
            if !out.contains("Examples:") {
                missing.push(args.join(" "));
            }
        }
    }
    assert!(missing.is_empty(), "no Examples in: {missing:#?}");
    assert!(!env.diary_exists(), "help must not touch the diary");
}

#[test]
fn help_documents_the_exit_codes() {
    let env = TestEnv::new();
    for args in [
        &["--help"][..],
        &["check", "--help"],
        &["check", "-h"],
        &["help", "check"],
    ] {
        let out = env.ok(args);
        assert!(out.contains("Exit status:"), "cls {args:?}:\n{out}");
        for line in EXIT_CODE_LINES {
            assert!(out.contains(line), "cls {args:?} lacks {line:?}:\n{out}");
        }
    }
}

#[test]
fn help_works_without_a_usable_config_or_home() {
    let mut env = TestEnv::new();
    env.write_config("this is not toml");
    env.unset_env("HOME");
    env.ok(&["--help"]);
    env.ok(&["log", "--help"]);
    env.ok(&["help", "episode", "start"]);
    env.ok(&["--version"]);
}

#[test]
fn version() {
    let env = TestEnv::new();
    let want = format!("cls {}\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(env.ok(&["--version"]), want);
    assert_eq!(env.ok(&["-V"]), want);
}

#[test]
fn completions_for_every_shell() {
    let env = TestEnv::new();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef cls"),
        ("fish", "complete -c cls"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion"),
    ] {
        let out = env.ok(&["completions", shell]);
        assert!(out.contains(marker), "{shell}: no {marker:?}");
        for sub in ["log", "check", "episode", "weight", "symptom"] {
            assert!(out.contains(sub), "{shell} completion lacks {sub}");
        }
    }
    let out = env.run(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert!(!env.diary_exists());
}

#[test]
fn no_or_unknown_subcommand_is_a_usage_error() {
    let env = TestEnv::new();
    for args in [&[][..], &["lgo"], &["log", "--frobnicate"]] {
        let out = env.run(args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "cls {args:?}\n{}",
            describe(&out)
        );
        assert!(stdout(&out).is_empty(), "cls {args:?}\n{}", describe(&out));
    }
    let out = env.run(&["lgo"]);
    assert!(
        crate::support::stderr(&out).contains("'lgo'"),
        "{}",
        describe(&out)
    );
}
