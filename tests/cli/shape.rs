//! The repository's shape (issue 17), guarded so that it does not drift
//! back: no file under `src/` over 900 lines, SQL and rusqlite only in
//! `src/store/`, and no comment, help text or doc citing the team's notes
//! outside the repository (a reader of the code, or a patient reading `--help`, has
//! only what is here: docs/rules.md, docs/cli.md, the README).

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir` (relative to the repository) with one of `exts`.
fn files(dir: &str, exts: &[&str]) -> Vec<PathBuf> {
    fn walk(p: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(p).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, exts, out);
            } else if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| exts.contains(&e))
            {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join(dir), exts, &mut out);
    out.sort();
    assert!(!out.is_empty(), "no files under {dir}");
    out
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root()).unwrap().display().to_string()
}

#[test]
fn no_source_file_is_over_900_lines() {
    let long: Vec<String> = files("src", &["rs"])
        .iter()
        .filter_map(|p| {
            let n = std::fs::read_to_string(p).unwrap().lines().count();
            (n > 900).then(|| format!("{} ({n} lines)", rel(p)))
        })
        .collect();
    assert!(long.is_empty(), "split these: {long:?}");
}

#[test]
fn sql_and_rusqlite_live_in_the_store() {
    let outside: Vec<String> = files("src", &["rs"])
        .iter()
        .filter(|p| !p.starts_with(root().join("src/store")))
        .filter(|p| std::fs::read_to_string(p).unwrap().contains("rusqlite"))
        .map(|p| rel(p))
        .collect();
    assert!(
        outside.is_empty(),
        "rusqlite outside src/store: {outside:?}"
    );
}

#[test]
fn nothing_cites_notes_outside_the_repository() {
    let notes = [
        "clinical.md",
        "interface.md",
        "interop.md",
        "style.md",
        "engineering.md",
    ];
    // Released migrations (src/store/sql) are never edited, comments
    // included: they are history.
    let mut paths = files("src", &["rs"]);
    paths.extend(files("docs", &["md", "json"]));
    paths.extend(files("examples", &["rs", "toml"]));
    paths.extend(files("tests/cli", &["rs"]));
    paths.extend(["README.md", "CHANGELOG.md"].map(|f| root().join(f)));
    let mut found = Vec::new();
    for p in &paths {
        let text = std::fs::read_to_string(p).unwrap();
        for (i, line) in text.lines().enumerate() {
            // This file names them to look for them.
            if p.ends_with("tests/cli/shape.rs") {
                continue;
            }
            if notes.iter().any(|n| line.contains(n)) {
                found.push(format!("{}:{}: {}", rel(p), i + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "cite docs/ or the README instead:\n{}",
        found.join("\n")
    );
}
