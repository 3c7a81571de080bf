//! Backups that can be trusted, and restoring one without losing anything.
//!
//! A backup is taken with SQLite's online backup API inside one read
//! transaction, so it is a consistent snapshot even while another `cls`
//! writes. It is written to a temporary file beside the destination,
//! checked (`integrity_check`, the schema version, and every table's row
//! count equal to the diary's at that snapshot), synced, and only then
//! renamed into place: a backup path either does not exist or holds a
//! verified copy. Backups are single self-contained files (rollback
//! journal, no `-wal`), mode 0600.
//!
//! Restoring first verifies the backup and stages a verified copy beside the
//! diary. Then:
//! - no diary: the staged copy is renamed into place;
//! - a healthy diary: inside one `BEGIN IMMEDIATE` transaction, the current
//!   diary is backed up (kept as a timestamped `.bak`) and its rows are
//!   replaced by the backup's. Renaming over a live SQLite file is one of
//!   the documented ways to corrupt it (another `cls` may hold it open,
//!   with its `-wal` and `-shm`), so the swap happens inside SQLite, where
//!   it is atomic and the WAL stays consistent;
//! - a damaged diary (or one this cls cannot open): its bytes are copied to
//!   a `.damaged.bak`, its `-wal`/`-shm`/`-journal` moved beside that copy
//!   (so that they can never be replayed into the restored file), and the
//!   staged copy renamed over it atomically.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chrono::NaiveDateTime;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use super::{Store, StoreError, SCHEMA_VERSION};
use crate::fsutil;

/// Rows per table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts(pub BTreeMap<String, i64>);

impl Counts {
    pub fn get(&self, table: &str) -> i64 {
        self.0.get(table).copied().unwrap_or(0)
    }
}

/// A backup file that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub path: PathBuf,
    pub schema_version: i64,
    pub counts: Counts,
    pub bytes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path} is not a usable cls backup: {detail}")]
    Invalid { path: String, detail: String },
    #[error("{path} already exists; give another path (nothing was written)")]
    Exists { path: String },
    #[error("{path}: {action}: {source}")]
    Io {
        path: String,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {action}: {source}")]
    Sqlite {
        path: String,
        action: &'static str,
        #[source]
        source: rusqlite::Error,
    },
}

pub type Result<T> = std::result::Result<T, BackupError>;

fn io(path: &Path, action: &'static str) -> impl FnOnce(std::io::Error) -> BackupError {
    let path = path.display().to_string();
    move |source| BackupError::Io {
        path,
        action,
        source,
    }
}

fn sql(path: &Path, action: &'static str) -> impl Fn(rusqlite::Error) -> BackupError {
    let path = path.display().to_string();
    move |e| match super::classify(&path, action, e) {
        StoreError::Sqlite { source, .. } => BackupError::Sqlite {
            path: path.clone(),
            action,
            source,
        },
        other => BackupError::Store(other),
    }
}

/// `<diary>.<suffix>` beside the diary.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// The default backup path: `<diary>.<YYYY-MM-DDTHHMMSS>.bak` beside the
/// diary (`-2`, `-3`... if that name is taken).
pub fn default_path(diary: &Path, now: NaiveDateTime) -> PathBuf {
    stamped_path(diary, now, "bak")
}

fn stamped_path(diary: &Path, now: NaiveDateTime, ext: &str) -> PathBuf {
    let stamp = now.format("%Y-%m-%dT%H%M%S");
    let first = sibling(diary, &format!(".{stamp}.{ext}"));
    if !first.exists() {
        return first;
    }
    (2..)
        .map(|n| sibling(diary, &format!(".{stamp}-{n}.{ext}")))
        .find(|p| !p.exists())
        .expect("some free name")
}

/// The folder the diary lives in (`.` for a bare file name) and its name.
fn folder_and_name(diary: &Path) -> Option<(&Path, String)> {
    let (dir, name) = (diary.parent()?, diary.file_name()?);
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    Some((dir, name.to_string_lossy().into_owned()))
}

/// Backups of `diary` found beside it (ours and the automatic ones before a
/// schema migration), newest first. Copies of a damaged diary kept by a
/// restore are not backups and are left out.
pub fn find_backups(diary: &Path) -> Vec<(PathBuf, SystemTime)> {
    find(diary, false)
}

/// [`find_backups`] and the encrypted ones (`.bak.age`), newest first: what
/// counts for "when was the last backup".
pub fn find_all_backups(diary: &Path) -> Vec<(PathBuf, SystemTime)> {
    find(diary, true)
}

fn find(diary: &Path, encrypted_too: bool) -> Vec<(PathBuf, SystemTime)> {
    let Some((dir, name)) = folder_and_name(diary) else {
        return Vec::new();
    };
    let prefix = format!("{name}.");
    let mut out: Vec<(PathBuf, SystemTime)> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            let plain = n.ends_with(".bak") && !n.ends_with(".damaged.bak");
            let age = encrypted_too && n.ends_with(".bak.age");
            let ours = n.starts_with(&prefix) && (plain || age);
            let modified = e.metadata().ok()?.modified().ok()?;
            ours.then(|| (e.path(), modified))
        })
        .collect();
    out.sort_by_key(|b| std::cmp::Reverse(b.1));
    out
}

/// Temporary files a killed backup or restore may have left beside `diary`.
pub fn leftovers(diary: &Path) -> Vec<PathBuf> {
    let Some((dir, name)) = folder_and_name(diary) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(&name) && (n.contains(".partial-") || n.contains(".restore-"))
        })
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

/// Row counts of every table in `schema` ("main" or an attached name).
fn counts_in(conn: &Connection, schema: &str) -> rusqlite::Result<Counts> {
    let tables: Vec<String> = {
        let mut stmt = conn.prepare(&format!(
            "SELECT name FROM \"{schema}\".sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
        ))?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut counts = BTreeMap::new();
    for t in tables {
        let n: i64 = conn.query_row(
            &format!("SELECT count(*) FROM \"{schema}\".{}", quote(&t)),
            [],
            |r| r.get(0),
        )?;
        counts.insert(t, n);
    }
    Ok(Counts(counts))
}

/// The column names of `table` in database `db`, in their order.
fn columns(conn: &Connection, db: &str, table: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA \"{db}\".table_info({})", quote(table)))?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(1))?;
    rows.collect()
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// `PRAGMA integrity_check`, as a list of problems (empty when ok).
pub fn integrity_problems(conn: &Connection, max: u32) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA integrity_check({max})"))?;
    let rows: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(if rows.len() == 1 && rows[0] == "ok" {
        Vec::new()
    } else {
        rows
    })
}

/// Back up the open diary to `dest`, which must not exist.
pub fn backup(store: &Store, dest: &Path) -> Result<Verified> {
    snapshot(&store.conn, dest)
}

/// Copy the main database of `src` to `dest` (which must not exist) as one
/// consistent snapshot, verify the copy, and rename it into place. Uses the
/// caller's transaction if one is open (the migration's, a restore's), or
/// opens a read transaction of its own.
pub fn snapshot(src: &Connection, dest: &Path) -> Result<Verified> {
    // SQLite refuses to back up from a connection in a write transaction
    // (backup_step returns BUSY). A second, read-only connection sees what
    // that transaction is about to change, and nobody else can write while
    // it holds the lock.
    let state = src
        .transaction_state(Some(rusqlite::MAIN_DB))
        .map_err(sql(Path::new("the diary"), "back up"))?;
    if state == rusqlite::TransactionState::Write {
        let path = src
            .path()
            .filter(|p| !p.is_empty())
            .ok_or_else(|| BackupError::Invalid {
                path: "the diary".into(),
                detail: "an in-memory diary cannot be backed up while it is being written".into(),
            })?;
        let reader = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sql(Path::new(path), "open"))?;
        reader
            .busy_timeout(Duration::from_secs(5))
            .map_err(sql(Path::new(path), "open"))?;
        return snapshot(&reader, dest);
    }
    if dest.exists() {
        return Err(BackupError::Exists {
            path: dest.display().to_string(),
        });
    }
    let tmp = sibling(dest, &format!(".partial-{}", std::process::id()));
    let result = snapshot_to(src, dest, &tmp);
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
        let _ = fs::remove_file(sibling(&tmp, "-journal"));
    }
    result
}

fn snapshot_to(src: &Connection, dest: &Path, tmp: &Path) -> Result<Verified> {
    let _ = fs::remove_file(tmp);
    drop(fsutil::create_private_file(tmp).map_err(io(tmp, "create"))?);
    let src_path = PathBuf::from(src.path().unwrap_or("the diary"));
    let src_err = sql(&src_path, "back up");
    let own_txn = src.is_autocommit();
    if own_txn {
        // A read transaction pins one snapshot: the counts below and the
        // pages copied are the same state, whatever other writers do.
        src.execute_batch("BEGIN DEFERRED").map_err(&src_err)?;
    }
    let copied = (|| -> Result<(Counts, i64)> {
        let counts = counts_in(src, "main").map_err(&src_err)?;
        let version = user_version(src).map_err(&src_err)?;
        let mut dst = Connection::open(tmp).map_err(sql(tmp, "open"))?;
        {
            let b = Backup::new(src, &mut dst).map_err(sql(tmp, "back up"))?;
            let mut waited = Duration::ZERO;
            loop {
                // All pages in one step: the source's read lock (already
                // held by our transaction) is never released half-way.
                match b.step(-1).map_err(sql(tmp, "back up"))? {
                    StepResult::Done => break,
                    StepResult::More => {}
                    StepResult::Busy | StepResult::Locked if waited < Duration::from_secs(5) => {
                        std::thread::sleep(Duration::from_millis(20));
                        waited += Duration::from_millis(20);
                    }
                    _ => {
                        return Err(BackupError::Store(StoreError::Busy {
                            path: "the diary".into(),
                        }))
                    }
                }
            }
        }
        // One self-contained file: no -wal to lose when it is copied.
        let _: String = dst
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
            .map_err(sql(tmp, "configure"))?;
        dst.close().map_err(|(_, e)| sql(tmp, "close")(e))?;
        Ok((counts, version))
    })();
    if own_txn {
        let _ = src.execute_batch("COMMIT");
    }
    let (counts, version) = copied?;

    let v = verify_file(tmp)?;
    if v.counts != counts || v.schema_version != version {
        return Err(BackupError::Invalid {
            path: tmp.display().to_string(),
            detail: format!(
                "the copy does not match the diary (rows {:?} vs {:?})",
                v.counts.0, counts.0
            ),
        });
    }
    fs::File::open(tmp)
        .and_then(|f| f.sync_all())
        .map_err(io(tmp, "sync"))?;
    if dest.exists() {
        return Err(BackupError::Exists {
            path: dest.display().to_string(),
        });
    }
    fs::rename(tmp, dest).map_err(io(dest, "rename into place"))?;
    sync_dir(dest);
    Ok(Verified {
        path: dest.to_path_buf(),
        ..v
    })
}

/// Make a rename durable.
fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

/// Check that `path` is a complete, undamaged cls diary this binary can
/// read, without changing it or leaving anything beside it, and that its
/// schema is exactly what cls writes at its version: no trigger, view or
/// table of its own, the columns in cls's order with cls's constraints. A
/// backup is a file anyone could have handed over; restoring installs it.
pub fn verify(path: &Path) -> Result<Verified> {
    let v = verify_file(path)?;
    let conn = open_source(path).map_err(|e| BackupError::Invalid {
        path: path.display().to_string(),
        detail: e.to_string(),
    })?;
    super::verify_schema(&conn, "main").map_err(|detail| BackupError::Invalid {
        path: path.display().to_string(),
        detail,
    })?;
    Ok(v)
}

/// Open a file to read it only, creating nothing beside it. With no
/// `-wal`, `-shm` or `-journal` beside it nothing is pending and
/// `immutable=1` reads it without the `-wal`/`-shm` that a read-only open
/// of a WAL-mode file would leave behind. Otherwise (another program has it
/// open, or a write was interrupted) an ordinary read-only open, which
/// reads those files; they were there before and are left as they were.
fn open_source(path: &Path) -> rusqlite::Result<Connection> {
    let quiet = ["-wal", "-shm", "-journal"]
        .iter()
        .all(|s| matches!(fsutil::kind(&sibling(path, s)), Ok(fsutil::Kind::Missing)));
    let conn = if quiet {
        super::open_immutable(path)?
    } else {
        Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?
    };
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.execute_batch("PRAGMA temp_store = MEMORY")?;
    Ok(conn)
}

fn verify_file(path: &Path) -> Result<Verified> {
    let invalid = |detail: String| BackupError::Invalid {
        path: path.display().to_string(),
        detail,
    };
    // Before opening it: a FIFO would block the open forever.
    if !fs::metadata(path).map_err(io(path, "open"))?.is_file() {
        return Err(invalid("it is not a regular file".into()));
    }
    let mut f = fs::File::open(path).map_err(io(path, "open"))?;
    let bytes = f.metadata().map_err(io(path, "read"))?.len();
    let mut head = [0u8; 16];
    if f.read_exact(&mut head).is_err() || &head != b"SQLite format 3\0" {
        return Err(invalid("it is not an SQLite database".into()));
    }
    drop(f);
    let conn = open_source(path).map_err(|e| invalid(e.to_string()))?;
    let problems = integrity_problems(&conn, 5).map_err(|e| invalid(e.to_string()))?;
    if !problems.is_empty() {
        return Err(invalid(format!("integrity_check: {}", problems.join("; "))));
    }
    let version = user_version(&conn).map_err(|e| invalid(e.to_string()))?;
    if version > SCHEMA_VERSION {
        return Err(invalid(format!(
            "its schema version {version} is newer than this cls ({SCHEMA_VERSION}); upgrade cls"
        )));
    }
    let counts = counts_in(&conn, "main").map_err(|e| invalid(e.to_string()))?;
    if version < 1 || !counts.0.contains_key("entry") {
        return Err(invalid(
            "it is an SQLite database but not a cls diary".into(),
        ));
    }
    Ok(Verified {
        path: path.to_path_buf(),
        schema_version: version,
        counts,
        bytes,
    })
}

/// What a restore did.
#[derive(Debug, Clone)]
pub struct Restored {
    /// The backup that is now the diary.
    pub from: Verified,
    /// Where the diary as it was is kept (none if there was no diary).
    pub kept: Option<PathBuf>,
    /// True when the old diary was damaged (kept as raw bytes, unverified).
    pub was_damaged: bool,
}

/// Replace the diary at `diary` by the backup at `backup`, keeping the
/// current diary. `now` names the kept copy.
pub fn restore(diary: &Path, backup: &Path, now: NaiveDateTime) -> Result<Restored> {
    if let (Ok(a), Ok(b)) = (fs::canonicalize(diary), fs::canonicalize(backup)) {
        if a == b {
            return Err(BackupError::Invalid {
                path: backup.display().to_string(),
                detail: "it is the diary itself".into(),
            });
        }
    }
    // A device, FIFO or link at the diary's path is refused, not "restored
    // over" (a damaged diary's bytes are copied aside first).
    super::check_diary_path(diary)?;
    let from = verify(backup)?;
    if let Some(dir) = diary
        .parent()
        .filter(|p| !p.as_os_str().is_empty() && !p.exists())
    {
        let mut b = fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        b.create(dir).map_err(io(dir, "create folder"))?;
    }

    // A verified copy of the backup beside the diary, at this cls's schema.
    let staged = sibling(diary, &format!(".restore-{}", std::process::id()));
    let _ = fs::remove_file(&staged);
    let result = (|| {
        {
            let src = open_source(backup).map_err(sql(backup, "open"))?;
            snapshot(&src, &staged)?;
        }
        // Brings an older backup up to date (a no-op at the same version);
        // opened for writing, so that a migration that fails stops here.
        drop(Store::open(&staged)?);
        if !diary.exists() {
            fs::rename(&staged, diary).map_err(io(diary, "move the restored diary into place"))?;
            sync_dir(diary);
            return Ok(Restored {
                from: from.clone(),
                kept: None,
                was_damaged: false,
            });
        }
        match Store::open_existing(diary).and_then(|s| s.quick_check().map(|()| s)) {
            Ok(store) => replace_rows(&store, &staged, now).map(|kept| Restored {
                from: from.clone(),
                kept: Some(kept),
                was_damaged: false,
            }),
            Err(StoreError::Busy { path }) => Err(BackupError::Store(StoreError::Busy { path })),
            Err(_) => swap_damaged(diary, &staged, now).map(|kept| Restored {
                from: from.clone(),
                kept: Some(kept),
                was_damaged: true,
            }),
        }
    })();
    // Also the copy that migrating an older backup made of the staged file:
    // the backup itself is that copy.
    let migrated_from = find_backups(&staged).into_iter().map(|(p, _)| p);
    for p in [
        staged.clone(),
        sibling(&staged, "-wal"),
        sibling(&staged, "-shm"),
        sibling(&staged, "-journal"),
    ]
    .into_iter()
    .chain(migrated_from)
    {
        let _ = fs::remove_file(p);
    }
    result
}

/// The healthy-diary path: one write transaction that keeps a verified
/// backup of the current rows, then replaces them with the staged copy's.
fn replace_rows(store: &Store, staged: &Path, now: NaiveDateTime) -> Result<PathBuf> {
    let conn = &store.conn;
    let diary = store.path();
    let err = sql(diary, "restore");
    conn.execute(
        "ATTACH DATABASE ?1 AS restore_src",
        [staged.to_string_lossy()],
    )
    .map_err(&err)?;
    let result = (|| {
        let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate).map_err(&err)?;
        let kept = snapshot(conn, &default_path(diary, now))?;
        let version: i64 = conn
            .query_row("PRAGMA restore_src.user_version", [], |r| r.get(0))
            .map_err(&err)?;
        if version != user_version(conn).map_err(&err)? {
            return Err(BackupError::Invalid {
                path: staged.display().to_string(),
                detail: "schema versions differ after migration".into(),
            });
        }
        let src_counts = counts_in(conn, "restore_src").map_err(&err)?;
        // Checked at COMMIT, so the order of tables does not matter.
        conn.execute_batch("PRAGMA defer_foreign_keys = ON")
            .map_err(&err)?;
        for table in kept.counts.0.keys().rev() {
            conn.execute(&format!("DELETE FROM main.{}", quote(table)), [])
                .map_err(&err)?;
        }
        // By column name, never by position: a table whose columns come in
        // another order must not put a heart rate into the urine column.
        // (verify() refuses such a backup already; this holds regardless.)
        for table in src_counts.0.keys() {
            let cols = columns(conn, "main", table).map_err(&err)?;
            let theirs = columns(conn, "restore_src", table).map_err(&err)?;
            if cols.is_empty() || !cols.iter().all(|c| theirs.contains(c)) {
                return Err(BackupError::Invalid {
                    path: staged.display().to_string(),
                    detail: format!("its table '{table}' lacks columns of the diary's"),
                });
            }
            let list = cols.iter().map(|c| quote(c)).collect::<Vec<_>>().join(", ");
            conn.execute(
                &format!(
                    "INSERT INTO main.{t} ({list}) SELECT {list} FROM restore_src.{t}",
                    t = quote(table)
                ),
                [],
            )
            .map_err(&err)?;
        }
        if counts_in(conn, "main").map_err(&err)? != src_counts {
            return Err(BackupError::Invalid {
                path: staged.display().to_string(),
                detail: "row counts differ after copying".into(),
            });
        }
        tx.commit().map_err(&err)?;
        Ok(kept.path)
    })();
    let _ = conn.execute("DETACH DATABASE restore_src", []);
    result
}

/// The damaged-diary path. The order matters for a crash at any point:
/// first a copy of the damaged bytes, then its journal files moved away
/// (they must never be replayed into the restored file), then one atomic
/// rename over it. The diary path never stands empty.
fn swap_damaged(diary: &Path, staged: &Path, now: NaiveDateTime) -> Result<PathBuf> {
    let kept = stamped_path(diary, now, "damaged.bak");
    let tmp = sibling(&kept, &format!(".partial-{}", std::process::id()));
    {
        let mut out = fsutil::create_private_file(&tmp).map_err(io(&tmp, "create"))?;
        let mut inp = fs::File::open(diary).map_err(io(diary, "read"))?;
        std::io::copy(&mut inp, &mut out).map_err(io(&tmp, "copy"))?;
        out.sync_all().map_err(io(&tmp, "sync"))?;
    }
    fs::rename(&tmp, &kept).map_err(io(&kept, "rename"))?;
    for suffix in ["-wal", "-shm", "-journal"] {
        let from = sibling(diary, suffix);
        if from.exists() {
            fs::rename(&from, sibling(&kept, suffix)).map_err(io(&from, "move aside"))?;
        }
    }
    fs::rename(staged, diary).map_err(io(diary, "move the restored diary into place"))?;
    sync_dir(diary);
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Measurements, Stamp};
    use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};

    fn stamp(day: u32) -> Stamp {
        let date = NaiveDate::from_ymd_opt(2026, 10, day).unwrap();
        let time = NaiveTime::from_hms_opt(7, 30, 0).unwrap();
        Stamp {
            date,
            time,
            utc: Utc.from_utc_datetime(&date.and_time(time)),
            offset_secs: 0,
        }
    }

    fn m(w: f64) -> Measurements {
        let mut m = Measurements {
            weight_kg: Some(w),
            ..Measurements::default()
        };
        m.set_symptom("thirst", 2);
        m
    }

    fn now() -> NaiveDateTime {
        "2026-11-25T08:00:00".parse().unwrap()
    }

    #[test]
    fn backup_is_verified_private_and_self_contained() {
        let dir = tempfile::tempdir().unwrap();
        let diary = dir.path().join("diary.sqlite3");
        let mut s = Store::open(&diary).unwrap();
        for d in 1..=20 {
            s.insert(&stamp(d), &m(60.0 + f64::from(d))).unwrap();
        }
        let dest = default_path(&diary, now());
        assert!(dest
            .to_string_lossy()
            .ends_with("diary.sqlite3.2026-11-25T080000.bak"));
        let v = backup(&s, &dest).unwrap();
        assert_eq!(v.counts.get("entry"), 20);
        assert_eq!(v.counts.get("symptom"), 20);
        // The file is complete without a -wal beside it.
        assert!(!sibling(&dest, "-wal").exists());
        let c = Connection::open(&dest).unwrap();
        let mode: String = c
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&dest).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        // Never overwrites; the next default name is free.
        assert!(matches!(backup(&s, &dest), Err(BackupError::Exists { .. })));
        assert_ne!(default_path(&diary, now()), dest);
        assert_eq!(find_backups(&diary).len(), 1);
        assert!(leftovers(&diary).is_empty());
    }

    #[test]
    fn restore_replaces_rows_and_keeps_the_old_diary() {
        let dir = tempfile::tempdir().unwrap();
        let diary = dir.path().join("diary.sqlite3");
        let mut s = Store::open(&diary).unwrap();
        s.insert(&stamp(1), &m(61.0)).unwrap();
        let b = backup(&s, &dir.path().join("one.bak")).unwrap();
        s.insert(&stamp(2), &m(62.0)).unwrap();
        s.insert(&stamp(3), &m(63.0)).unwrap();
        // Another connection stays open, as another cls would.
        let r = restore(&diary, &b.path, now()).unwrap();
        assert!(!r.was_damaged);
        assert_eq!(s.count_entries().unwrap(), 1);
        let kept = verify(r.kept.as_ref().unwrap()).unwrap();
        assert_eq!(kept.counts.get("entry"), 3);
        assert!(leftovers(&diary).is_empty());
    }

    #[test]
    fn restore_over_a_damaged_diary_moves_it_aside() {
        let dir = tempfile::tempdir().unwrap();
        let diary = dir.path().join("diary.sqlite3");
        let b = {
            let mut s = Store::open(&diary).unwrap();
            s.insert(&stamp(1), &m(61.0)).unwrap();
            backup(&s, &dir.path().join("one.bak")).unwrap()
        };
        fs::write(&diary, b"garbage, not a database").unwrap();
        let r = restore(&diary, &b.path, now()).unwrap();
        assert!(r.was_damaged);
        assert_eq!(
            fs::read(r.kept.unwrap()).unwrap(),
            b"garbage, not a database"
        );
        assert_eq!(Store::open(&diary).unwrap().count_entries().unwrap(), 1);
    }

    #[test]
    fn verify_refuses_what_is_not_a_diary() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.bak");
        fs::write(&p, b"hello").unwrap();
        assert!(matches!(verify(&p), Err(BackupError::Invalid { .. })));
        let p = dir.path().join("other.sqlite3");
        Connection::open(&p)
            .unwrap()
            .execute_batch("CREATE TABLE t(x)")
            .unwrap();
        let e = verify(&p).unwrap_err().to_string();
        assert!(e.contains("not a cls diary"), "{e}");
    }
}
