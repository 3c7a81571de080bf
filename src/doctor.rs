//! Health checks for `cls doctor`, as data: a list of results, each `ok`,
//! a warning (something to know that does not make the diary unhealthy:
//! a rule switched off in the config) or a problem, with what to do about it. Nothing here writes: the diary is
//! opened read-only (never migrated, never "repaired"), so doctor can look
//! at a damaged diary and leave it exactly as it was for a recovery.

use crate::render::count;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::NaiveDate;
use serde::Serialize;

use crate::backup;
use crate::config::Config;
use crate::rules::Level;
use crate::store::inspect::{self, Inspector};
use crate::store::SCHEMA_VERSION;
use crate::symptoms;

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    /// Worth knowing, but not a fault: `healthy` stays true.
    Warning,
    Problem,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// A short stable name: config, rules, diary, integrity, schema,
    /// permissions, wal, backup, dates, values, leftovers, temp files.
    pub name: &'static str,
    pub status: Status,
    pub detail: String,
    /// What to do, for a problem or a warning.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Check {
    fn ok(name: &'static str, detail: impl Into<String>) -> Check {
        Check {
            name,
            status: Status::Ok,
            detail: detail.into(),
            fix: None,
        }
    }

    fn problem(name: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
        Check {
            name,
            status: Status::Problem,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }

    fn warning(name: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
        Check {
            name,
            status: Status::Warning,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }
}

/// True when no check found a problem (warnings do not count).
pub fn healthy(checks: &[Check]) -> bool {
    checks.iter().all(|c| c.status != Status::Problem)
}

/// Where to look and what "now" is.
pub struct Inputs<'a> {
    pub db: &'a Path,
    pub config_path: &'a Path,
    /// The config was named with `--config` (a missing file is a problem).
    pub config_explicit: bool,
    pub today: NaiveDate,
    pub now: SystemTime,
}

/// A backup older than this is reported.
pub const BACKUP_MAX_AGE_DAYS: u64 = 30;

/// Run every check.
pub fn run(inp: &Inputs<'_>) -> Vec<Check> {
    let mut out = Vec::new();
    let config = check_config(inp, &mut out);
    if let Some(c) = &config {
        check_rules(c, inp.config_path, &mut out);
    }
    let custom = config.map(|c| c.symptoms.custom).unwrap_or_default();
    let db = inp.db;
    let restore_hint = restore_hint(db);

    // Before anything opens it: a FIFO would block the read forever.
    match crate::fsutil::kind(db) {
        Ok(crate::fsutil::Kind::File | crate::fsutil::Kind::Missing) => {}
        Ok(other) => {
            out.push(Check::problem(
                "diary",
                format!(
                    "{} is {}, not a diary file; cls does not open it",
                    db.display(),
                    other.describe()
                ),
                "give the path of the diary file itself with --db (or CLS_DB)",
            ));
            return out;
        }
        Err(e) => {
            out.push(Check::problem(
                "diary",
                format!("cannot look at {}: {e}", db.display()),
                "check the path given with --db (or CLS_DB)",
            ));
            return out;
        }
    }
    if !db.exists() {
        out.push(Check::ok(
            "diary",
            format!(
                "no diary yet at {} (the first 'cls log' creates it)",
                db.display()
            ),
        ));
        check_permissions(db, inp.config_path, &mut out);
        check_temp_files(inp, &mut out);
        return out;
    }
    let header = check_file(db);
    let readable_header = header.is_ok();
    match header {
        Ok(d) => out.push(Check::ok("diary", d)),
        Err(d) => out.push(Check::problem("diary", d, restore_hint.clone())),
    }
    check_permissions(db, inp.config_path, &mut out);
    if readable_header {
        let mut checks = Vec::new();
        let before = fingerprint(db);
        // With no -wal or -shm beside it no other connection is open, and
        // `immutable=1` reads the file without creating them. If a writer
        // came along meanwhile, look again the ordinary read-only way.
        let quiet = !sibling(db, "-wal").exists() && !sibling(db, "-shm").exists();
        if quiet {
            check_connection(
                Inspector::open(db, true),
                inp,
                &custom,
                &restore_hint,
                &mut checks,
            );
        }
        if !quiet || fingerprint(db) != before || sibling(db, "-wal").exists() {
            checks.clear();
            check_connection(
                Inspector::open(db, false),
                inp,
                &custom,
                &restore_hint,
                &mut checks,
            );
        }
        out.extend(checks);
    }
    check_wal_files(db, &mut out);
    check_backups(inp, &mut out);
    let left = backup::leftovers(db);
    if left.is_empty() {
        out.push(Check::ok(
            "leftovers",
            "no temporary files from an interrupted backup or restore",
        ));
    } else {
        let list: Vec<String> = left.iter().map(|p| p.display().to_string()).collect();
        out.push(Check::problem(
            "leftovers",
            format!(
                "temporary files from an interrupted backup or restore: {}",
                list.join(", ")
            ),
            format!(
                "they are incomplete copies; delete them: rm {}",
                list.join(" ")
            ),
        ));
    }
    check_temp_files(inp, &mut out);
    out
}

/// Temporary files a killed `cls` left while writing a report, card,
/// export or config (`.NAME.cls-PID.tmp`) in the folders doctor knows: the
/// diary's (where its backups are too) and the config's. They are private
/// but may hold health data, and are never used again.
fn check_temp_files(inp: &Inputs<'_>, out: &mut Vec<Check>) {
    let folder = |p: &Path| {
        let dir = p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())
    };
    let mut dirs = vec![folder(inp.db), folder(inp.config_path)];
    dirs.dedup();
    let left: Vec<String> = dirs
        .iter()
        .flat_map(|d| crate::fsutil::temp_files_in(d))
        .map(|p| p.display().to_string())
        .collect();
    if left.is_empty() {
        out.push(Check::ok(
            "temp files",
            "no temporary files from an interrupted report, export or config write",
        ));
    } else {
        out.push(Check::warning(
            "temp files",
            format!(
                "temporary files left by an interrupted report, export or config write: {}",
                left.join(", ")
            ),
            format!(
                "they are unfinished copies (they may hold health data); delete them: rm {}",
                left.join(" ")
            ),
        ));
    }
}

fn check_connection(
    conn: inspect::Result<Inspector>,
    inp: &Inputs<'_>,
    custom: &[String],
    hint: &str,
    out: &mut Vec<Check>,
) {
    match conn {
        Ok(conn) => check_database(&conn, inp, custom, hint, out),
        Err(e) => out.push(Check::problem(
            "integrity",
            format!("cannot open {} read-only: {e}", inp.db.display()),
            hint,
        )),
    }
}

/// Size and modification time, to notice a write while doctor reads.
fn fingerprint(p: &Path) -> Option<(u64, SystemTime)> {
    let m = fs::metadata(p).ok()?;
    Some((m.len(), m.modified().ok()?))
}

fn restore_hint(db: &Path) -> String {
    match backup::find_all_backups(db).first() {
        Some((p, _)) => format!("restore the latest backup: cls restore {} (the current file is kept)", p.display()),
        None => "restore a backup with 'cls restore PATH' (the current file is kept), or recover with sqlite3's .recover".into(),
    }
}

fn check_config(inp: &Inputs<'_>, out: &mut Vec<Check>) -> Option<Config> {
    let p = inp.config_path;
    // With today's date, as every other command loads it (a birth date in
    // the future is an error there, so it must not be "valid" here).
    let today = chrono::DateTime::<chrono::Local>::from(inp.now).date_naive();
    match Config::load_as_of(p, Some(today)) {
        Ok(Some(c)) => {
            out.push(Check::ok("config", format!("{} is valid", p.display())));
            Some(c)
        }
        Ok(None) if inp.config_explicit => {
            out.push(Check::problem(
                "config",
                format!("{} does not exist", p.display()),
                format!(
                    "create it with 'cls config init --config {}', or give the right path",
                    p.display()
                ),
            ));
            None
        }
        Ok(None) => {
            out.push(Check::ok(
                "config",
                format!("no config file at {}: built-in defaults", p.display()),
            ));
            Some(Config::default())
        }
        Err(e) => {
            out.push(Check::problem(
                "config",
                e.to_string(),
                format!(
                    "edit {} at that line (or move it aside to use the defaults; 'cls config init' writes a commented one)",
                    p.display()
                ),
            ));
            None
        }
    }
}

/// One warning per rule switched off in the config, those that could raise
/// an emergency first: their silence must not read as "nothing wrong".
fn check_rules(config: &Config, path: &Path, out: &mut Vec<Check>) {
    let mut off = config.rules.disabled();
    if off.is_empty() {
        out.push(Check::ok("rules", "every rule is switched on"));
        return;
    }
    let levels = crate::rules::describe(&config.rules);
    // Stable: rule order within each group.
    off.sort_by_key(|r| !r.can_emergency);
    for r in off {
        let builtin = r.rule != r.name;
        let (what, section) = if builtin {
            (
                format!("rule {} {}", r.rule, r.name),
                format!("[rules.{}]", r.name),
            )
        } else {
            (
                format!("your rule {}", r.rule),
                format!("[[rules.custom]] id = \"{}\"", r.rule),
            )
        };
        // The highest level it raises, from what `cls rules` shows.
        let level = if r.can_emergency {
            Some(Level::Emergency)
        } else {
            levels.iter().find(|i| i.rule == r.rule).and_then(|i| {
                Level::ALL
                    .into_iter()
                    .rev()
                    .find(|l| i.level.contains(l.as_str()))
            })
        };
        let consequence = match level {
            Some(l) => format!("cls will not raise its {l}"),
            // P3, a modifier.
            None => "a cold or fever will not lower W1's limit".to_string(),
        };
        out.push(Check::warning(
            "rules",
            format!("{what} is switched off in your config: {consequence}"),
            format!(
                "unless your clinician agreed to this, remove `enabled = false` under {section} in {}",
                path.display()
            ),
        ));
    }
}

/// The header and the length, read directly (not through SQLite).
fn check_file(db: &Path) -> Result<String, String> {
    let mut f = fs::File::open(db).map_err(|e| format!("cannot read {}: {e}", db.display()))?;
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    if len == 0 {
        return Ok(format!(
            "{} is empty (created, not yet written)",
            db.display()
        ));
    }
    let mut h = [0u8; 100];
    if f.read_exact(&mut h).is_err() {
        return Err(format!(
            "{} is {len} bytes: too short to be an SQLite database (truncated?)",
            db.display()
        ));
    }
    if &h[..16] != b"SQLite format 3\0" {
        return Err(format!(
            "{} does not start with an SQLite header: it is damaged or not a diary",
            db.display()
        ));
    }
    let be32 = |i: usize| u32::from_be_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
    let page = match u16::from_be_bytes([h[16], h[17]]) {
        1 => 65_536,
        p => u64::from(p),
    };
    let pages = u64::from(be32(28));
    let wal_len = fs::metadata(sibling(db, "-wal"))
        .map(|m| m.len())
        .unwrap_or(0);
    if pages > 0 && be32(24) == be32(92) && wal_len == 0 && len < pages * page {
        return Err(format!(
            "{} is {len} bytes but its header says {} ({pages} pages of {page}): it was truncated",
            db.display(),
            pages * page
        ));
    }
    Ok(format!(
        "{} is an SQLite database ({len} bytes)",
        db.display()
    ))
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

fn check_database(
    conn: &Inspector,
    inp: &Inputs<'_>,
    custom: &[String],
    hint: &str,
    out: &mut Vec<Check>,
) {
    match conn.integrity_problems(10) {
        Ok(p) if p.is_empty() => out.push(Check::ok("integrity", "integrity_check: ok")),
        Ok(p) => {
            out.push(Check::problem(
                "integrity",
                format!("integrity_check found damage: {}", p.join("; ")),
                hint,
            ));
            return;
        }
        Err(e) => {
            out.push(Check::problem(
                "integrity",
                format!("cannot check: {e}"),
                hint,
            ));
            return;
        }
    }
    let version: i64 = match conn.user_version() {
        Ok(v) => v,
        Err(e) => {
            out.push(Check::problem(
                "schema",
                format!("cannot read the version: {e}"),
                hint,
            ));
            return;
        }
    };
    let tables: i64 = conn.object_count();
    if version < 0 || (version == 0 && tables > 0) {
        out.push(Check::problem(
            "schema",
            format!(
                "schema version {version} with {tables} tables and indexes: no cls writes that, so the diary was damaged or edited; cls will not open it"
            ),
            hint,
        ));
        return;
    }
    if (1..=SCHEMA_VERSION).contains(&version) {
        if let Err(why) = conn.verify_schema() {
            out.push(Check::problem(
                "schema",
                format!("the diary's tables are not what cls writes: {why}"),
                hint,
            ));
            return;
        }
    }
    if version == SCHEMA_VERSION {
        out.push(Check::ok(
            "schema",
            format!("schema version {version} (current)"),
        ));
    } else if version > SCHEMA_VERSION {
        out.push(Check::problem(
            "schema",
            format!(
                "schema version {version} is newer than this cls understands ({SCHEMA_VERSION})"
            ),
            "upgrade cls (the diary was written by a newer version)",
        ));
        return;
    } else if version == 0 {
        out.push(Check::ok(
            "schema",
            "not initialised yet (the first 'cls log' sets it up)",
        ));
        return;
    } else {
        out.push(Check::ok(
            "schema",
            format!("schema version {version}; upgraded to {SCHEMA_VERSION} the next time cls opens it (after an automatic backup)"),
        ));
    }
    check_dates(conn, inp.today, out);
    check_values(conn, custom, version, out);
}

fn id_list(ids: &[i64]) -> String {
    let mut s: Vec<String> = ids.iter().take(10).map(i64::to_string).collect();
    if ids.len() > 10 {
        s.push(format!("and {} more", ids.len() - 10));
    }
    s.join(", ")
}

fn check_dates(conn: &Inspector, today: NaiveDate, out: &mut Vec<Check>) {
    let limit = (today + chrono::Duration::days(1)).to_string();
    match conn.entries_after(&limit) {
        Ok(v) if v.is_empty() => out.push(Check::ok("dates", "no entries dated in the future")),
        Ok(v) => out.push(Check::problem(
            "dates",
            format!(
                "{} dated after {limit}: {}",
                count(v.len(), "entry", "entries"),
                id_list(&v)
            ),
            format!(
                "correct the date with 'cls edit {} --date YYYY-MM-DD' (or 'cls delete ID')",
                v[0]
            ),
        )),
        Err(e) => out.push(Check::problem(
            "dates",
            format!("cannot read entries: {e}"),
            "run 'cls doctor' again; if it persists, restore a backup",
        )),
    }
}

/// Values the schema should have refused, checked again with the same
/// ranges as `cls log` (a diary edited by hand, or written by a buggy
/// version), entries whose UTC instant disagrees with their local time,
/// orphans, and symptoms that no longer resolve (a custom symptom removed
/// from the config: rules would not read it), and (schema 2 on) entries
/// whose mark for having a lab or a medication is wrong, which would hide
/// those from the rules' look-back.
fn check_values(conn: &Inspector, custom: &[String], version: i64, out: &mut Vec<Check>) {
    let bad = match conn.entries_out_of_range() {
        Ok(v) => v,
        Err(e) => {
            out.push(Check::problem(
                "values",
                format!("cannot read entries: {e}"),
                "restore a backup",
            ));
            return;
        }
    };
    let orphans: i64 = conn.orphan_rows();
    let unknown: Vec<(String, i64)> = conn
        .symptom_counts()
        .into_iter()
        .filter(|(name, _)| symptoms::resolve(name, custom).is_err())
        .collect();
    let mut problems = Vec::new();
    let mut fixes = Vec::new();
    let unmarked = match version {
        2.. => conn.wrongly_marked().unwrap_or_else(|e| {
            problems.push(format!("cannot check which entries have labs: {e}"));
            fixes.push("restore a backup".to_string());
            Vec::new()
        }),
        _ => Vec::new(),
    };
    if !unmarked.is_empty() {
        problems.push(format!(
            "{} wrongly marked as having a lab or medication or not (the rules may miss them): {}",
            count(unmarked.len(), "entry", "entries"),
            id_list(&unmarked)
        ));
        fixes.push(
            "copy the diary into a new one, which marks every entry again: 'cls export --format json \
             --output all.json', then 'cls import all.json --db NEW.sqlite3'"
                .to_string(),
        );
    }
    // The rows every command skips (see store::Unreadable): the same
    // tests as schema v3's triggers.
    let unreadable = conn.unreadable_entries();
    if !unreadable.is_empty() {
        problems.push(format!(
            "{} with an impossible date or time, which every command leaves out: {}",
            count(unreadable.len(), "entry", "entries"),
            unreadable
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
        fixes.push(format!(
            "note its values (sqlite3 DIARY \"SELECT * FROM entry WHERE id = {0}\"), then 'cls delete {0} --yes' and log it again",
            unreadable[0]
        ));
    }
    let bad_episodes = conn.unreadable_episodes();
    if !bad_episodes.is_empty() {
        problems.push(format!(
            "{} with an impossible date, which every command leaves out: {}",
            count(bad_episodes.len(), "episode", "episodes"),
            bad_episodes
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
        fixes.push(format!(
            "delete it with 'cls episode delete {}' and start it again with the right date",
            bad_episodes[0]
        ));
    }
    match conn.unreadable_acks() {
        Ok(acks) if !acks.is_empty() => {
            problems.push(format!(
                "{} that cannot be read, which every command leaves out (the findings show as not acknowledged): {}",
                count(acks.len(), "acknowledgement", "acknowledgements"),
                id_list(&acks)
            ));
            fixes.push(format!(
                "delete it (sqlite3 DIARY \"DELETE FROM ack WHERE id = {}\") and acknowledge again with 'cls ack'",
                acks[0]
            ));
        }
        Ok(_) => {}
        Err(e) => {
            problems.push(format!("cannot read acknowledgements: {e}"));
            fixes.push("restore a backup".to_string());
        }
    }
    if !bad.is_empty() {
        problems.push(format!(
            "{} with impossible values: {}",
            count(bad.len(), "entry", "entries"),
            id_list(&bad)
        ));
        fixes.push(format!(
            "check them with 'cls show {}' and correct with 'cls edit'",
            bad[0]
        ));
    }
    if orphans > 0 {
        problems.push(count(
            orphans,
            "row refers to an entry that does not exist",
            "rows refer to entries that do not exist",
        ));
        fixes.push("restore a backup".to_string());
    }
    if !unknown.is_empty() {
        let names: Vec<String> = unknown
            .iter()
            .map(|(n, c)| format!("'{n}' ({})", count(*c, "entry", "entries")))
            .collect();
        problems.push(format!(
            "symptoms the config does not know (the rules do not read them): {}",
            names.join(", ")
        ));
        fixes.push("add them back under [symptoms] custom in the config".to_string());
    }
    if problems.is_empty() {
        out.push(Check::ok(
            "values",
            "every value within the ranges cls log accepts",
        ));
    } else {
        out.push(Check::problem(
            "values",
            problems.join("; "),
            fixes.join("; "),
        ));
    }
}

fn check_permissions(db: &Path, config: &Path, out: &mut Vec<Check>) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut loose = Vec::new();
        let mut fixes = Vec::new();
        let before = out.len();
        let dir = db
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if let Ok(m) = fs::metadata(dir) {
            let mode = m.permissions().mode() & 0o777;
            if mode & 0o022 != 0 {
                // Worse than reading: whoever can write there can plant a
                // `-wal` link or swap the diary for a file of their own.
                out.push(Check::problem(
                    "permissions",
                    format!(
                        "others can write to the diary's folder {} ({mode:03o}): they could replace the diary or plant files beside it",
                        dir.display()
                    ),
                    format!("chmod 700 {} (or move the diary to a private folder)", dir.display()),
                ));
            } else if mode & 0o077 != 0 {
                loose.push(format!("folder {} is {mode:03o}", dir.display()));
                fixes.push(format!("chmod 700 {}", dir.display()));
            }
        }
        for f in [sibling(db, "-wal"), sibling(db, "-shm")] {
            if let Ok(
                k @ (crate::fsutil::Kind::Symlink
                | crate::fsutil::Kind::Folder
                | crate::fsutil::Kind::Special(_)),
            ) = crate::fsutil::kind(&f)
            {
                out.push(Check::problem(
                    "permissions",
                    format!(
                        "{} is {}: cls refuses to open the diary while it is there",
                        f.display(),
                        k.describe()
                    ),
                    format!(
                        "if you did not make it, someone who can write to the folder did: remove it (rm {}) and chmod 700 {}",
                        f.display(),
                        dir.display()
                    ),
                ));
            }
        }
        // The config holds the emergency card's name, birth date and
        // contacts. A warning, not a problem: it is the user's own file,
        // often written by hand under umask 022.
        if let Ok(m) = fs::symlink_metadata(config) {
            let mode = m.permissions().mode() & 0o777;
            if m.is_file() && mode & 0o044 != 0 {
                out.push(Check::warning(
                    "permissions",
                    format!(
                        "others can read your config {} ({mode:03o}), which may hold your name, birth date and contacts",
                        config.display()
                    ),
                    format!("chmod 600 {}", config.display()),
                ));
            }
        }
        let mut files = vec![db.to_path_buf(), sibling(db, "-wal"), sibling(db, "-shm")];
        files.extend(backup::find_all_backups(db).into_iter().map(|(p, _)| p));
        for f in files {
            if let Ok(m) = fs::symlink_metadata(&f) {
                let mode = m.permissions().mode() & 0o777;
                if mode & 0o077 != 0 {
                    loose.push(format!("{} is {mode:03o}", f.display()));
                    fixes.push(format!("chmod 600 {}", f.display()));
                }
            }
        }
        if loose.is_empty() {
            if out.len() == before {
                out.push(Check::ok(
                    "permissions",
                    "the diary, its folder and backups are private to you",
                ));
            }
        } else {
            out.push(Check::problem(
                "permissions",
                format!("others can read your health data: {}", loose.join(", ")),
                fixes.join("; "),
            ));
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (db, config);
        out.push(Check::ok("permissions", "not checked on this system"));
    }
}

fn check_wal_files(db: &Path, out: &mut Vec<Check>) {
    let wal = fs::metadata(sibling(db, "-wal")).map(|m| m.len()).ok();
    let journal = sibling(db, "-journal");
    if journal.exists() {
        out.push(Check::problem(
            "wal",
            format!("{} is present: a write was interrupted", journal.display()),
            "run 'cls backup' (any command that writes rolls it back); never delete it by hand",
        ));
        return;
    }
    const LARGE: u64 = 64 << 20;
    match wal {
        None => out.push(Check::ok("wal", "no write-ahead log pending (all changes are in the diary file)")),
        Some(n) if n < LARGE => out.push(Check::ok(
            "wal",
            format!("write-ahead log {n} bytes (normal; never delete -wal or -shm files by hand)"),
        )),
        Some(n) => out.push(Check::problem(
            "wal",
            format!("the write-ahead log is large ({} MB)", n >> 20),
            "close other programs that have the diary open; the next 'cls log' folds it into the diary",
        )),
    }
}

fn check_backups(inp: &Inputs<'_>, out: &mut Vec<Check>) {
    match backup::find_all_backups(inp.db).first() {
        None => out.push(Check::problem(
            "backup",
            format!("no backup found beside {}", inp.db.display()),
            "run 'cls backup', and copy the .bak file to another disk",
        )),
        Some((p, when)) => {
            let age = inp.now.duration_since(*when).unwrap_or_default().as_secs() / 86_400;
            if age > BACKUP_MAX_AGE_DAYS {
                out.push(Check::problem(
                    "backup",
                    format!(
                        "the latest backup is {} old: {}",
                        count(age, "day", "days"),
                        p.display()
                    ),
                    "run 'cls backup'",
                ));
            } else {
                out.push(Check::ok(
                    "backup",
                    format!(
                        "latest backup {} ({} old)",
                        p.display(),
                        count(age, "day", "days")
                    ),
                ));
            }
        }
    }
}
