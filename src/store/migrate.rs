//! Append-only schema migrations, tracked by `PRAGMA user_version`.
//!
//! We do not use rusqlite_migration: it reads `user_version` before opening
//! its transaction, so concurrent first runs race (engineering.md). Here the
//! version is read and the migrations applied inside one `BEGIN IMMEDIATE`,
//! and an existing diary is backed up before its schema changes.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, TransactionBehavior};

/// Each step takes the schema from version `i` to `i + 1`. Never edit a
/// released step; append a new one.
const STEPS: &[&str] = &[include_str!("sql/0001_init.sql")];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i64 = STEPS.len() as i64;

#[derive(Debug)]
pub enum Error {
    Sqlite(rusqlite::Error),
    /// The diary's schema is newer than this binary.
    Newer(i64),
    Backup(std::io::Error),
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Sqlite(e)
    }
}

fn version(conn: &Connection) -> rusqlite::Result<i64> {
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
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Re-read under the write lock: another process may have migrated.
    let v = version(&tx)?;
    if v > latest {
        return Err(Error::Newer(v));
    }
    if v == latest {
        return Ok(());
    }
    if v > 0 && path != Path::new(":memory:") {
        backup_before_migration(&tx, path, v)?;
    }
    for step in &steps[v as usize..] {
        tx.execute_batch(step)?;
    }
    tx.pragma_update(None, "user_version", latest)?;
    tx.commit()?;
    Ok(())
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
    crate::backup::snapshot(conn, &dest)
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
        use crate::model::{Measurements, Stamp};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.sqlite3");
        {
            let mut s = crate::store::Store::open(&path).unwrap();
            let date = chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
            let time = chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap();
            let stamp = Stamp {
                date,
                time,
                utc: date.and_time(time).and_utc(),
                offset_secs: 0,
            };
            let m = Measurements {
                weight_kg: Some(70.0),
                ..Measurements::default()
            };
            s.insert(&stamp, &m).unwrap();
        }
        // A future step 2, as a real release would append it.
        let steps = [STEPS[0], "ALTER TABLE entry ADD COLUMN mood TEXT;"];
        let mut c = Connection::open(&path).unwrap();
        migrate_steps(&mut c, &path, &steps).unwrap();
        assert_eq!(version(&c).unwrap(), 2);
        let n: i64 = c
            .query_row("SELECT count(*) FROM entry WHERE mood IS NULL", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(n, 1);
        let backups = crate::backup::find_backups(&path);
        assert_eq!(backups.len(), 1, "{backups:?}");
        let name = backups[0]
            .0
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(name.starts_with("d.sqlite3.schema-v1-"), "{name}");
        let v = crate::backup::verify(&backups[0].0).unwrap();
        assert_eq!(v.schema_version, 1);
        assert_eq!(v.counts.get("entry"), 1);
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
        migrate_steps(&mut c, &path, &steps).unwrap();
        assert_eq!(crate::backup::find_backups(&path).len(), 1);
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
