//! The diary on disk: one SQLite file, opened with WAL, `synchronous=FULL`,
//! foreign keys and a busy timeout, migrated at open, and written only inside
//! `BEGIN IMMEDIATE` transactions so that an entry is either all there or not
//! there at all. A new file is created 0600 in a 0700 folder.

pub mod backup;
mod batch;
mod daily;
mod error;
mod file;
pub mod inspect;
mod migrate;
mod read;
mod schema;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::model::{Episode, Measurements, Stamp, Urine};

pub use batch::Batch;
pub use daily::{insert_ack, DayLogged, NewAck};
pub(crate) use error::classify;
pub use error::{Result, StoreError};
pub use file::check_diary_path;
pub(crate) use file::open_immutable;
pub use migrate::{verify_schema, SCHEMA_VERSION};
pub use read::{unreadable_rows, Unreadable};

use error::{cannot_write, is_busy};
use file::{check_header, create_private, tighten_permissions, wal_pending};
use read::{bad_text, is_conversion, note_unreadable, parse_date_col};

/// The schema version that added `entry.source` (sql/0006_source.sql).
const SOURCE_SCHEMA: i64 = 6;

/// How long a writer waits for another `cls` holding the lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// What a diary is opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    Read,
    Write,
}

/// The diary. A concrete type with one backend: there is no trait until a
/// second backend exists.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The diary's schema version: [`SCHEMA_VERSION`], except for an older
    /// diary opened for reading that could not be migrated (read-only media
    /// or file, no room for the backup first): it is read as it is, and
    /// nothing is written to it.
    schema: i64,
    /// The logical day of a full page check that passed at open, to be
    /// recorded with the next write (see [`Store::open_for_day`]).
    checked: Option<NaiveDate>,
}

impl Store {
    /// Open the diary at `path`, creating it (and its folder) if missing, and
    /// bring its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        check_diary_path(path)?;
        create_private(path)?;
        let store = Store::open_at(path, Use::Write)?;
        // Never write into a damaged file: an insert that happens to miss the
        // damaged pages would succeed and change the file that `cls doctor`
        // and a recovery need untouched. A few milliseconds for years of
        // entries.
        store.check_pages()?;
        Ok(store)
    }

    /// [`Store::open`] for `cls log`, whose cost must not grow with the
    /// diary: the full page check runs at most once per logical `day`.
    /// Once it has passed, the day is recorded in the `meta` table with
    /// the next write (in its transaction: no write of its own), and later
    /// opens that day check only what is cheap:
    ///
    /// - the header and the length against the page count it states (at
    ///   every open, see `file::check_header`): a foreign or truncated file;
    /// - every page this write reads, as SQLite reads it, with
    ///   `cell_size_check` on: a damaged page on the way to the new rows
    ///   fails the write, which is rolled back.
    ///
    /// Damage that appears during the day on a page the write does not
    /// read is found by the next day's first write (or `cls doctor`); until
    /// then the write leaves that page as it is.
    pub fn open_for_day(path: &Path, day: NaiveDate) -> Result<Store> {
        check_diary_path(path)?;
        create_private(path)?;
        let mut store = Store::open_at(path, Use::Write)?;
        if store.pages_checked()? == Some(day) {
            store
                .conn
                .pragma_update(None, "cell_size_check", true)
                .map_err(store.err("check"))?;
        } else {
            store.check_pages()?;
            store.checked = Some(day);
        }
        Ok(store)
    }

    /// The logical day of the last full page check recorded by
    /// [`Store::open_for_day`].
    fn pages_checked(&self) -> Result<Option<NaiveDate>> {
        let day: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'pages_checked'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err("check"))?;
        Ok(day.and_then(|d| d.parse().ok()))
    }

    /// [`Store::quick_check`] without re-evaluating every stored row's CHECK
    /// constraints: the page and b-tree structure, which is what shows a
    /// damaged file before a write. The row-by-row CHECKs are ~85% of
    /// quick_check's cost, which grows with the diary (about 12 ms of every
    /// `cls log` on ten years, against about 2 ms for the pages alone),
    /// and they guard values that the schema already checked on the way in.
    fn check_pages(&self) -> Result<()> {
        let set = |on: bool| {
            self.conn
                .pragma_update(None, "ignore_check_constraints", on)
                .map_err(self.err("check"))
        };
        set(true)?;
        let checked = self.quick_check();
        // Back on before anything else runs on this connection, whatever
        // the check said: every write after this must be checked.
        set(false)?;
        checked
    }

    /// `PRAGMA quick_check`: the structure of every page, without the
    /// (slower) index cross-checks of `integrity_check`.
    pub fn quick_check(&self) -> Result<()> {
        let problems: Vec<String> = (|| {
            let mut stmt = self.conn.prepare("PRAGMA quick_check(3)")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect::<rusqlite::Result<Vec<String>>>()
        })()
        .map_err(self.err("check"))?;
        if problems.len() == 1 && problems[0] == "ok" {
            Ok(())
        } else {
            Err(StoreError::Corrupt {
                path: self.display(),
                detail: format!("quick_check: {}", problems.join("; ")),
            })
        }
    }

    /// Open a diary that must already exist; for read-only commands, call
    /// [`Store::open_or_empty`] instead so that a missing diary is not
    /// created just by looking. Its schema is brought up to date when it
    /// can be; an older diary that cannot be migrated (read-only media or
    /// file, no room for the backup first) is read as it is.
    pub fn open_existing(path: &Path) -> Result<Store> {
        Store::open_at(path, Use::Read)
    }

    fn open_at(path: &Path, usage: Use) -> Result<Store> {
        let display = path.display().to_string();
        // Before anything opens or changes it: a FIFO would block the open
        // forever, and a device or a link's target is not ours to chmod.
        if !check_diary_path(path)? {
            return Err(StoreError::Io {
                path: display,
                action: "open",
                source: std::io::ErrorKind::NotFound.into(),
            });
        }
        check_header(path)?;
        tighten_permissions(path)?;
        let conn = Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(&display, "open", e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            schema: SCHEMA_VERSION,
            checked: None,
        };
        if let Err(e) = store.configure() {
            // On a read-only filesystem or folder SQLite cannot create the
            // -shm that WAL needs. Nobody can write there, so reading the
            // file as immutable is exact as long as no WAL is pending; any
            // write then fails as read-only, naming the diary.
            if !cannot_write(&e) || wal_pending(path) {
                return Err(e);
            }
            store.conn = open_immutable(path).map_err(|_| e)?;
        }
        store.migrate(usage)?;
        Ok(store)
    }

    /// Bring the schema up to date. For reading, an older diary that
    /// cannot be written (or backed up first) is read as it is; a damaged
    /// one says so, whatever failed first.
    fn migrate(&mut self, usage: Use) -> Result<()> {
        let display = self.display();
        let Err(e) = migrate::migrate(&mut self.conn, &self.path) else {
            return Ok(());
        };
        let err = match e {
            migrate::Error::Sqlite(e) => classify(&display, "migrate", e),
            migrate::Error::Newer(found) => {
                return Err(StoreError::NewerSchema {
                    path: display,
                    found,
                    supported: SCHEMA_VERSION,
                })
            }
            migrate::Error::Damaged(detail) => {
                return Err(StoreError::Corrupt {
                    path: display,
                    detail,
                })
            }
            migrate::Error::Backup(e) => StoreError::Io {
                path: display,
                action: "back up before migrating",
                source: e,
            },
        };
        if let Err(corrupt @ StoreError::Corrupt { .. }) = self.quick_check() {
            return Err(corrupt);
        }
        let unwritable = matches!(
            err,
            StoreError::ReadOnly { .. } | StoreError::WriteFailed { .. } | StoreError::Io { .. }
        ) || cannot_write(&err);
        match migrate::version(&self.conn) {
            Ok(found)
                if usage == Use::Read && unwritable && (1..SCHEMA_VERSION).contains(&found) =>
            {
                self.schema = found;
                Ok(())
            }
            _ => Err(err),
        }
    }

    /// Open the diary if it exists; otherwise an empty in-memory diary, so a
    /// read (`cls check` on a fresh machine) does not create files.
    pub fn open_or_empty(path: &Path) -> Result<Store> {
        if check_diary_path(path)? {
            Store::open_existing(path)
        } else {
            let mut s = Store::open_in_memory()?;
            s.path = path.to_path_buf();
            Ok(s)
        }
    }

    /// An empty, migrated diary in memory (tests, examples).
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory().map_err(|e| classify(":memory:", "open", e))?;
        let mut store = Store {
            conn,
            path: PathBuf::from(":memory:"),
            schema: SCHEMA_VERSION,
            checked: None,
        };
        store
            .conn
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;")
            .map_err(|e| classify(":memory:", "configure", e))?;
        migrate::migrate(&mut store.conn, Path::new(":memory:")).map_err(|e| match e {
            migrate::Error::Sqlite(e) => classify(":memory:", "migrate", e),
            _ => unreachable!("in-memory diaries start empty"),
        })?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The underlying connection, for tests that reach SQLite itself (a
    /// page limit to fill the "disk"). Everything else in cls goes through
    /// the store's own functions: no SQL lives outside `src/store/`.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn display(&self) -> String {
        self.path.display().to_string()
    }

    fn err(&self, action: &'static str) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |e| classify(&self.display(), action, e)
    }

    fn configure(&mut self) -> Result<()> {
        let path = self.display();
        self.conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| classify(&path, "configure", e))?;
        // Switching a fresh file to WAL can return BUSY at once, ignoring the
        // busy timeout, when several first runs race: retry.
        let mut tries = 0;
        loop {
            let r: rusqlite::Result<String> =
                self.conn
                    .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0));
            match r {
                Ok(_) => break,
                Err(e) if is_busy(&e) && tries < 100 => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(e) => return Err(classify(&path, "open", e)),
            }
        }
        self.conn
            // temp_store: sorts and temporary tables stay in memory rather
            // than in files under /var/tmp or /tmp, where health data would
            // outlive the command on a shared disk.
            .execute_batch(
                "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;",
            )
            .map_err(|e| classify(&path, "configure", e))?;
        Ok(())
    }

    /// Run `f` inside one `BEGIN IMMEDIATE` transaction: all of it commits or
    /// none of it does.
    fn write<T>(
        &mut self,
        action: &'static str,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T> {
        let path = self.display();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(&path, action, e))?;
        let out = f(&tx).map_err(|e| classify(&path, action, e))?;
        if let Some(day) = self.checked {
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('pages_checked', ?1)",
                [day.to_string()],
            )
            .map_err(|e| classify(&path, action, e))?;
        }
        tx.commit().map_err(|e| classify(&path, action, e))?;
        self.checked = None;
        Ok(out)
    }

    /// True when `cls demo` made this diary: the `synthetic` key of the
    /// `meta` table. An older diary read without migrating has no such
    /// table and is not synthetic.
    pub fn is_synthetic(&self) -> Result<bool> {
        let found = self
            .conn
            .query_row("SELECT 1 FROM meta WHERE key = 'synthetic'", [], |_| Ok(()));
        match found {
            Ok(()) => Ok(true),
            Err(rusqlite::Error::QueryReturnedNoRows) => Ok(false),
            Err(_) if self.schema < SCHEMA_VERSION => Ok(false),
            Err(e) => Err(classify(&self.display(), "read", e)),
        }
    }

    /// Add one entry; returns its id.
    pub fn insert(&mut self, stamp: &Stamp, m: &Measurements) -> Result<i64> {
        self.write("write entry", |tx| {
            insert_entry_with_id(tx, None, stamp, m, None)
        })
    }

    /// Replace an entry's time and contents, keeping its id.
    pub fn replace(&mut self, id: i64, stamp: &Stamp, m: &Measurements) -> Result<()> {
        let found = self.write("edit entry", |tx| {
            // An edited device reading still came from that device.
            let source: Option<Option<String>> = tx
                .query_row("SELECT source FROM entry WHERE id = ?1", [id], |r| r.get(0))
                .optional()?;
            let Some(source) = source else {
                return Ok(false);
            };
            tx.execute("DELETE FROM entry WHERE id = ?1", [id])?;
            insert_entry_with_id(tx, Some(id), stamp, m, source.as_deref())?;
            Ok(true)
        })?;
        if found {
            Ok(())
        } else {
            Err(StoreError::NoEntry(id))
        }
    }

    pub fn delete(&mut self, id: i64) -> Result<()> {
        let n = self.write("delete entry", |tx| {
            tx.execute("DELETE FROM entry WHERE id = ?1", [id])
        })?;
        if n == 0 {
            Err(StoreError::NoEntry(id))
        } else {
            Ok(())
        }
    }

    /// The most recent entry on or before `date` whose medications include
    /// `name` (case-insensitive), with that dose.
    pub fn last_med(
        &self,
        name: &str,
        on_or_before: NaiveDate,
    ) -> Result<Option<(NaiveDate, Option<String>)>> {
        self.conn
            .query_row(
                "SELECT e.date, m.dose FROM medication m JOIN entry e ON e.id = m.entry_id
                 WHERE m.name = lower(?1) AND e.date <= ?2
                 ORDER BY e.date DESC, e.time DESC LIMIT 1",
                params![name.trim(), on_or_before.to_string()],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)),
            )
            .optional()
            .map_err(self.err("read medications"))
            .map(|o| o.and_then(|(d, dose)| d.parse().ok().map(|d| (d, dose))))
    }

    // ---- episodes -------------------------------------------------------

    pub fn episodes(&self) -> Result<Vec<Episode>> {
        let read = self.err("read episodes");
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, start_date, end_date, hospitalized, note FROM episode ORDER BY start_date, id",
            )
            .map_err(&read)?;
        let episode = |r: &rusqlite::Row<'_>| -> rusqlite::Result<Episode> {
            Ok(Episode {
                id: r.get(0)?,
                start: parse_date_col(r, 1)?,
                end: match r.get_ref(2)? {
                    rusqlite::types::ValueRef::Null => None,
                    _ => Some(parse_date_col(r, 2)?),
                },
                hospitalized: r.get::<_, i64>(3)? != 0,
                note: r.get(4)?,
            })
        };
        let mut v = Vec::new();
        let mut rows = stmt.query([]).map_err(&read)?;
        while let Some(r) = rows.next().map_err(&read)? {
            match episode(r) {
                Ok(e) => v.push(e),
                Err(e) if is_conversion(&e) => note_unreadable(Unreadable {
                    table: "episode",
                    id: r.get(0).map_err(&read)?,
                    detail: bad_text(r, &[(1, "start date"), (2, "end date")], &e),
                }),
                Err(e) => return Err(read(e)),
            }
        }
        Ok(v)
    }

    pub fn start_episode(
        &mut self,
        start: NaiveDate,
        hospitalized: bool,
        note: Option<&str>,
    ) -> Result<i64> {
        self.write("start episode", |tx| {
            tx.execute(
                "INSERT INTO episode (start_date, hospitalized, note) VALUES (?1, ?2, ?3)",
                params![start.to_string(), i64::from(hospitalized), note],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// Insert a complete episode (import, demo).
    pub fn insert_episode(&mut self, e: &Episode) -> Result<i64> {
        self.write("write episode", |tx| insert_episode(tx, e))
    }

    pub fn end_episode(&mut self, id: i64, end: NaiveDate) -> Result<()> {
        let n = self.write("end episode", |tx| {
            tx.execute(
                "UPDATE episode SET end_date = ?2 WHERE id = ?1",
                params![id, end.to_string()],
            )
        })?;
        if n == 0 {
            Err(StoreError::NoEpisode(id))
        } else {
            Ok(())
        }
    }

    pub fn delete_episode(&mut self, id: i64) -> Result<()> {
        let n = self.write("delete episode", |tx| {
            tx.execute("DELETE FROM episode WHERE id = ?1", [id])
        })?;
        if n == 0 {
            Err(StoreError::NoEpisode(id))
        } else {
            Ok(())
        }
    }
}

/// Insert one episode inside an open transaction.
fn insert_episode(tx: &rusqlite::Transaction<'_>, e: &Episode) -> rusqlite::Result<i64> {
    tx.execute(
        "INSERT INTO episode (start_date, end_date, hospitalized, note) VALUES (?1, ?2, ?3, ?4)",
        params![
            e.start.to_string(),
            e.end.map(|d| d.to_string()),
            i64::from(e.hospitalized),
            e.note
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

fn insert_entry_with_id(
    tx: &rusqlite::Transaction<'_>,
    id: Option<i64>,
    stamp: &Stamp,
    m: &Measurements,
    source: Option<&str>,
) -> rusqlite::Result<i64> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO entry (id, date, time, utc, utc_offset, weight_kg, systolic, diastolic,
            standing_systolic, standing_diastolic, heart_rate, urine, urine_ml, note,
            has_lab_or_med, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?;
    stmt.execute(params![
        id,
        stamp.date.to_string(),
        stamp.time.format("%H:%M").to_string(),
        stamp.utc.timestamp(),
        stamp.offset_secs,
        m.weight_kg,
        m.bp.map(|b| b.systolic),
        m.bp.map(|b| b.diastolic),
        m.standing_bp.map(|b| b.systolic),
        m.standing_bp.map(|b| b.diastolic),
        m.heart_rate,
        m.urine.map(Urine::as_str),
        m.urine_ml,
        m.note,
        // Schema v2's mark, which the rules' index of older days reads.
        !(m.labs.is_empty() && m.meds.is_empty()),
        source,
    ])?;
    let id = tx.last_insert_rowid();
    let mut stmt =
        tx.prepare_cached("INSERT INTO symptom (entry_id, name, severity) VALUES (?1, ?2, ?3)")?;
    for s in &m.symptoms {
        stmt.execute(params![id, s.name, s.severity])?;
    }
    let mut stmt =
        tx.prepare_cached("INSERT INTO lab (entry_id, name, value) VALUES (?1, ?2, ?3)")?;
    for l in &m.labs {
        stmt.execute(params![id, l.kind.as_str(), l.value])?;
    }
    let mut stmt = tx.prepare_cached(
        "INSERT INTO medication (entry_id, position, name, dose) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, med) in m.meds.iter().enumerate() {
        stmt.execute(params![id, i as i64, med.name, med.dose])?;
    }
    Ok(id)
}

#[cfg(test)]
mod tests;
