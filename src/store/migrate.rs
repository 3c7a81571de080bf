//! Append-only schema migrations, tracked by `PRAGMA user_version`.
//!
//! We do not use rusqlite_migration: it reads `user_version` before opening
//! its transaction, so concurrent first runs race. Here the
//! version is read and the migrations applied inside one `BEGIN IMMEDIATE`,
//! and an existing diary is backed up before its schema changes.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, TransactionBehavior};

/// Each step takes the schema from version `i` to `i + 1`. Never edit a
/// released step; append a new one.
const STEPS: &[&str] = &[
    include_str!("sql/0001_init.sql"),
    include_str!("sql/0002_lab_or_med.sql"),
    include_str!("sql/0003_real_dates.sql"),
    include_str!("sql/0004_daily.sql"),
    include_str!("sql/0005_meta.sql"),
    include_str!("sql/0006_source.sql"),
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i64 = STEPS.len() as i64;

#[derive(Debug)]
pub enum Error {
    Sqlite(rusqlite::Error),
    /// The diary's schema is newer than this binary.
    Newer(i64),
    Backup(std::io::Error),
    /// The schema is not one cls wrote at the version it claims: a negative
    /// or reset `user_version`, or tables that differ from that version's.
    /// Nothing is changed and no backup is left.
    Damaged(String),
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Sqlite(e)
    }
}

/// The diary's schema version (`PRAGMA user_version`; 0 for a new file).
pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Bring the schema up to date. Cheap when it already is: one pragma read.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<(), Error> {
    migrate_steps(conn, path, STEPS)
}

/// [`migrate`] over a given list of steps (tests use a longer list to
/// exercise the backup before a real migration).
fn migrate_steps(conn: &mut Connection, path: &Path, steps: &[&str]) -> Result<(), Error> {
    let latest = steps.len() as i64;
    let v = version(conn)?;
    if v == latest {
        return Ok(());
    }
    if v > latest {
        return Err(Error::Newer(v));
    }
    // No cls writes a negative version (and slicing the steps with it
    // would panic): damaged, whatever else happens.
    if v < 0 {
        return check_claimed_version(conn, steps, v);
    }
    // A file SQLite opened read-only (mode 0400, read-only media) cannot be
    // migrated: say so before making a backup that nothing would follow.
    if conn.is_readonly(rusqlite::MAIN_DB)? {
        return Err(Error::Sqlite(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY),
            Some("the diary is read-only, so its schema cannot be upgraded".into()),
        )));
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Re-read under the write lock: another process may have migrated.
    let v = version(&tx)?;
    if v > latest {
        return Err(Error::Newer(v));
    }
    if v == latest {
        return Ok(());
    }
    // Before anything is written or backed up, and under the write lock
    // (so no concurrent first run is half-way): a migration applied to
    // tables that are not what the version says fails half-way ("duplicate
    // column") or does worse.
    check_claimed_version(&tx, steps, v)?;
    let backup = if v > 0 && path != Path::new(":memory:") {
        Some(backup_before_migration(&tx, path, v)?)
    } else {
        None
    };
    let from = usize::try_from(v).unwrap_or(0);
    let applied = steps[from..]
        .iter()
        .try_for_each(|step| tx.execute_batch(step))
        .and_then(|()| tx.pragma_update(None, "user_version", latest))
        .and_then(|()| tx.commit());
    if let Err(e) = applied {
        // Rolled back: the diary is as it was, so the copy made for this
        // migration is not needed (a migration failing on every run would
        // otherwise leave a new full copy each time). Only our own file.
        if let Some(b) = backup {
            let _ = std::fs::remove_file(b);
        }
        return Err(e.into());
    }
    Ok(())
}

/// Refuse a diary whose `user_version` does not describe its tables.
/// Costs nothing on a new file; otherwise a read of `sqlite_schema` and an
/// in-memory build of the claimed version, only when a migration is due.
fn check_claimed_version(conn: &Connection, steps: &[&str], v: i64) -> Result<(), Error> {
    if v < 0 {
        return Err(Error::Damaged(format!(
            "its schema version is {v}, which no cls ever wrote: the file was damaged or edited"
        )));
    }
    let got = super::schema::shape(conn, "main")?;
    if v == 0 {
        if got.is_empty() {
            return Ok(());
        }
        let known = super::schema::matching_version(steps, &got)
            .map(|k| format!("; they are exactly those of schema version {k}, so its version number was reset"))
            .unwrap_or_default();
        return Err(Error::Damaged(format!(
            "it has tables but no schema version (user_version 0), so cls cannot tell what they hold{known}"
        )));
    }
    match claimed_version_mismatch(conn, steps, "main", v)? {
        None => Ok(()),
        Some(why) => Err(Error::Damaged(why)),
    }
}

/// Why the tables of `db` are not those of schema version `v`, in one line;
/// `None` when they are.
fn claimed_version_mismatch(
    conn: &Connection,
    steps: &[&str],
    db: &str,
    v: i64,
) -> rusqlite::Result<Option<String>> {
    let got = super::schema::shape(conn, db)?;
    let want = super::schema::expected(steps, v)?;
    Ok(super::schema::difference(&got, &want).map(|diff| {
        let known = super::schema::matching_version(steps, &got)
            .map(|k| {
                format!(
                    "; its tables are exactly those of schema version {k} (its version number was changed)"
                )
            })
            .unwrap_or_default();
        format!("it says schema version {v} but {diff}{known}")
    }))
}

/// Check that database `db` of `conn` is exactly what cls writes at the
/// version it claims (restore, doctor): `Err` says why not, in one line.
pub fn verify_schema(conn: &Connection, db: &str) -> Result<i64, String> {
    let v: i64 = conn
        .query_row(&format!("PRAGMA \"{db}\".user_version"), [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if v < 1 {
        return Err(format!(
            "its schema version is {v}, which is not a cls diary's"
        ));
    }
    if v > SCHEMA_VERSION {
        return Ok(v);
    }
    match claimed_version_mismatch(conn, STEPS, db, v) {
        Ok(None) => Ok(v),
        Ok(Some(why)) => Err(why),
        Err(e) => Err(e.to_string()),
    }
}

/// Copy the diary, as it is before migrating, to
/// `<diary>.schema-v<N>-<unix time>.bak` (mode 0600), verified like any
/// `cls backup`. Runs inside the migration's write transaction, so the copy
/// is exactly what is about to be migrated.
fn backup_before_migration(conn: &Connection, path: &Path, from: i64) -> Result<PathBuf, Error> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut dest = path.as_os_str().to_owned();
    dest.push(format!(".schema-v{from}-{stamp}.bak"));
    let dest = PathBuf::from(dest);
    crate::store::backup::snapshot(conn, &dest)
        .map_err(|e| Error::Backup(std::io::Error::other(e.to_string())))?;
    Ok(dest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_an_empty_database_once() {
        let mut c = Connection::open_in_memory().unwrap();
        migrate(&mut c, Path::new(":memory:")).unwrap();
        assert_eq!(version(&c).unwrap(), SCHEMA_VERSION);
        // Idempotent.
        migrate(&mut c, Path::new(":memory:")).unwrap();
        let tables: i64 = c
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('entry','symptom','lab','medication','episode')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 5);
    }

    #[test]
    fn refuses_newer() {
        let mut c = Connection::open_in_memory().unwrap();
        c.pragma_update(None, "user_version", SCHEMA_VERSION + 3)
            .unwrap();
        assert!(matches!(
            migrate(&mut c, Path::new(":memory:")),
            Err(Error::Newer(_))
        ));
    }

    #[test]
    fn an_old_diary_is_backed_up_before_it_is_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.sqlite3");
        let mut c = Connection::open(&path).unwrap();
        c.execute_batch("PRAGMA journal_mode = WAL").unwrap();
        // A diary of schema version 1, as cls 0.1 wrote it.
        migrate_steps(&mut c, &path, &STEPS[..1]).unwrap();
        assert_eq!(version(&c).unwrap(), 1);
        c.execute_batch(
            "INSERT INTO entry (id, date, time, utc, utc_offset, weight_kg)
                 VALUES (1, '2026-01-02', '08:00', 1767340800, 0, 70),
                        (2, '2026-01-03', '08:00', 1767427200, 0, 70.2),
                        (3, '2026-01-04', '08:00', 1767513600, 0, 70.1),
                        (4, '2026-01-05', '08:00', 1767600000, 0, 70.3);
             INSERT INTO lab (entry_id, name, value) VALUES (2, 'albumin', 41);
             INSERT INTO medication (entry_id, position, name, dose)
                 VALUES (3, 0, 'ivig', '2 g/kg'), (4, 0, 'theophylline', NULL);
             INSERT INTO lab (entry_id, name, value) VALUES (4, 'hematocrit', 44);",
        )
        .unwrap();
        migrate(&mut c, &path).unwrap();
        assert_eq!(version(&c).unwrap(), SCHEMA_VERSION);
        // Version 2 marks the entries with a lab or a medication, and its
        // partial index finds exactly those.
        let marked: Vec<(i64, i64)> = c
            .prepare("SELECT id, has_lab_or_med FROM entry ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(marked, [(1, 0), (2, 1), (3, 1), (4, 1)]);
        let plan: String = c
            .query_row(
                &format!(
                    "EXPLAIN QUERY PLAN {}",
                    crate::store::read::OLDER_WITH_LAB_OR_MED
                ),
                ["2026-01-01", "2026-01-31"],
                |r| r.get(3),
            )
            .unwrap();
        assert!(plan.contains("entry_with_lab_or_med"), "{plan}");
        let backups = crate::store::backup::find_backups(&path);
        assert_eq!(backups.len(), 1, "{backups:?}");
        let name = backups[0]
            .0
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(name.starts_with("d.sqlite3.schema-v1-"), "{name}");
        let v = crate::store::backup::verify(&backups[0].0).unwrap();
        assert_eq!(v.schema_version, 1);
        assert_eq!(v.counts.get("entry"), 4);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&backups[0].0)
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // Migrating again does nothing and makes no second backup.
        migrate(&mut c, &path).unwrap();
        assert_eq!(crate::store::backup::find_backups(&path).len(), 1);
    }

    #[test]
    fn concurrent_first_runs_all_succeed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.sqlite3");
        let handles: Vec<_> = (0..6)
            .map(|_| {
                let path = path.clone();
                std::thread::spawn(move || crate::store::Store::open(&path).map(|_| ()))
            })
            .collect();
        for h in handles {
            h.join().unwrap().unwrap();
        }
    }
}
