//! The one integration-test binary for `cls`: every module below
//! drives the real binary through the harness in `support`.

// The harness: TestEnv with a temp HOME, diary and config, a cleared
// environment and a fixed clock. Read its module docs before writing tests.
mod support;

// cls log: every flag, date forms, every bad value.
mod log;

// One value per name per entry: a symptom or lab given twice is refused by
// log, edit and import.
mod one_value;

// cls list/show/edit/delete, check on an empty diary, closed pipes.
mod entries;

// config init/show/path, broken configs, paths and their precedence;
// cls rules and cls doctor on switched-off rules.
mod config;

// --help for every subcommand, exit codes, version, completions.
mod help;

// cls episode start/end/list/delete.
mod episode;

// Concurrent writers and readers; file privacy (0600/0700).
mod concurrency;

// cls report, cls card, cls meds; the printed report in headless Chromium.
mod report;

// Clinical timelines through cls log and cls check (docs/rules.md).
mod timelines;

// Rule set v2 (docs/rules.md): issue 13's timelines and the window edges, from the spec.
mod rules_v2;

// Data safety and portability: export/import, backup/restore, doctor,
// encrypted copies (age), faults (kill -9, disk full, read-only, corruption), many writers at once,
// round trips, parsers under proptest, DST.
mod crypt;
mod dst;
// cls export --format fhir (the schema: .ci/fhir-validate).
mod faults;
mod fhir;
mod parsers;
mod roundtrip;
mod safety;
mod safety_util;
// Issue 14's storage items: hostile diaries, backups and paths.
mod store_hardening;
mod writers;

// cls import --from DEVICE: scale and cuff exports (issue 19).
mod devices;

// cls import as a stream: the size limit, endless inputs, a BOM in JSON,
// all-or-nothing when the diary exists (issue 14, item 10).
mod import_stream;

// The daily loop (issue 18): remind and its unit files, the prompt token,
// escalation hooks, cls ack.
mod daily;

// cls demo: the span it promises, determinism, refusing existing files.
mod demo;

// Issue 16: synthetic demo diaries, the report's backtest section, rules tune.
mod evidence;

// Where --output and other user-named files may go; temp files doctor finds.
mod outputs;

// Escapes, bidi overrides and zero-width characters never reach a terminal raw.
mod terminal;

// One JSON shape for an entry everywhere; outputs checked against
// docs/schema (schema_check is the small validator the harness uses too);
// man page, completions, --json on the small commands.
mod conventions;
mod schema_check;

// The repository's shape (issue 17): file sizes, SQL only in the store,
// no citations of notes outside the repository.
mod shape;

/// A module file that is not declared above would silently never run.
#[test]
fn every_test_file_is_a_module() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli");
    let main = std::fs::read_to_string(dir.join("main.rs")).unwrap();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|e| e == "rs") && stem != "main" {
            assert!(
                main.lines().any(|l| l.starts_with(&format!("mod {stem};"))),
                "tests/cli/{stem}.rs is not declared in tests/cli/main.rs"
            );
        }
    }
}
