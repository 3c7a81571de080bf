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
    let v = version(conn)?;
    if v == SCHEMA_VERSION {
        return Ok(());
    }
    if v > SCHEMA_VERSION {
        return Err(Error::Newer(v));
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Re-read under the write lock: another process may have migrated.
    let v = version(&tx)?;
    if v > SCHEMA_VERSION {
        return Err(Error::Newer(v));
    }
    if v == SCHEMA_VERSION {
        return Ok(());
    }
    if v > 0 && path != Path::new(":memory:") {
        backup_before_migration(&tx, path, v)?;
    }
    for step in &STEPS[v as usize..] {
        tx.execute_batch(step)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
}

/// Copy the diary, as it is before migrating, to
/// `<diary>.schema-v<N>-<unix time>.bak` with mode 0600.
fn backup_before_migration(conn: &Connection, path: &Path, from: i64) -> Result<PathBuf, Error> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut dest = path.as_os_str().to_owned();
    dest.push(format!(".schema-v{from}-{stamp}.bak"));
    let dest = PathBuf::from(dest);
    crate::fsutil::create_private_file(&dest).map_err(Error::Backup)?;
    conn.backup(
        rusqlite::MAIN_DB,
        &dest,
        None::<fn(rusqlite::backup::Progress)>,
    )?;
    crate::fsutil::make_private(&dest).map_err(Error::Backup)?;
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
