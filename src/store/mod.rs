//! The diary on disk: one SQLite file, opened with WAL, `synchronous=FULL`,
//! foreign keys and a busy timeout, migrated at open, and written only inside
//! `BEGIN IMMEDIATE` transactions so that an entry is either all there or not
//! there at all. A new file is created 0600 in a 0700 folder.

mod daily;
mod migrate;
mod schema;

use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveTime};
use rusqlite::{params, Connection, ErrorCode, OptionalExtension, TransactionBehavior};

use crate::model::{
    Bp, Entry, Episode, Lab, LabKind, Measurements, Med, Stamp, SymptomEntry, Urine,
};

pub use daily::{insert_ack, DayLogged, NewAck};
pub use migrate::{verify_schema, SCHEMA_VERSION};

/// How long a writer waits for another `cls` holding the lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("diary {path} is not a cls diary or is damaged ({detail}); nothing was changed. Run 'cls doctor --db {path}' or restore a backup with 'cls restore'")]
    Corrupt { path: String, detail: String },
    #[error("diary {path} has schema version {found}, newer than this cls understands ({supported}); upgrade cls, nothing was changed")]
    NewerSchema {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error(
        "diary {path} is busy (another cls is writing); try again in a moment, nothing was written"
    )]
    Busy { path: String },
    #[error("diary {path}: cannot write ({detail}): is the disk full? Nothing was written; free some space and try again")]
    WriteFailed { path: String, detail: String },
    #[error("diary {path} is read-only ({detail}); nothing was written")]
    ReadOnly { path: String, detail: String },
    #[error("{path} is {kind}, not a diary file; cls neither opens nor changes it (nothing was changed). Give the path of the diary itself")]
    NotAFile { path: String, kind: &'static str },
    #[error("{path} is {kind} where SQLite keeps the diary's journal; cls does not follow or change it, as someone who can write to that folder may have put it there: remove it and run 'cls doctor' (nothing was changed)")]
    NotAJournal { path: String, kind: &'static str },
    #[error("no entry with id {0} (see 'cls list')")]
    NoEntry(i64),
    #[error("entry {id} cannot be read ({detail}); delete it with 'cls delete {id} --yes', or see 'cls doctor'")]
    Unreadable { id: i64, detail: String },
    #[error("no episode with id {0} (see 'cls episode list')")]
    NoEpisode(i64),
    #[error("diary {path}: {action}: {source}")]
    Sqlite {
        path: String,
        action: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    #[error("diary {path}: {action}: {source}")]
    Io {
        path: String,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
}

pub type Result<T> = std::result::Result<T, StoreError>;

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
}

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The entries of some days with a lab or a medication, by schema 2's
/// partial index `entry_with_lab_or_med`.
pub(crate) const OLDER_WITH_LAB_OR_MED: &str =
    "SELECT id FROM entry WHERE has_lab_or_med = 1 AND date BETWEEN ?1 AND ?2";

/// What a diary is opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    Read,
    Write,
}

/// The table a child row of [`Store::load`] comes from.
const SYMPTOM: u8 = 0;
const LAB: u8 = 1;
const MED: u8 = 2;

/// How [`Store::load`] reads the children of the entries it finds by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ByIdChildren {
    /// Their symptoms too (not only labs and medications).
    symptoms: bool,
    /// Read the children of every id from the first to the last when they
    /// span at most this many ids; past that, seek each id.
    max_span: u64,
}

impl ByIdChildren {
    const ALL: ByIdChildren = ByIdChildren {
        symptoms: true,
        max_span: 0,
    };
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

    /// The underlying connection, for modules (backup, doctor) that need
    /// SQLite itself.
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
        // busy timeout, when several first runs race (engineering.md): retry.
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
    pub fn write<T>(
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
        tx.commit().map_err(|e| classify(&path, action, e))?;
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
        self.write("write entry", |tx| insert_entry(tx, stamp, m))
    }

    /// Replace an entry's time and contents, keeping its id.
    pub fn replace(&mut self, id: i64, stamp: &Stamp, m: &Measurements) -> Result<()> {
        let found = self.write("edit entry", |tx| {
            let n = tx.execute("DELETE FROM entry WHERE id = ?1", [id])?;
            if n == 0 {
                return Ok(false);
            }
            insert_entry_with_id(tx, Some(id), stamp, m)?;
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

    pub fn get(&self, id: i64) -> Result<Entry> {
        let mut v = self.load(None, &[id], ByIdChildren::ALL)?;
        v.pop().ok_or_else(|| {
            match unreadable_rows()
                .into_iter()
                .find(|u| u.table == "entry" && u.id == id)
            {
                Some(u) => StoreError::Unreadable {
                    id,
                    detail: u.detail,
                },
                None => StoreError::NoEntry(id),
            }
        })
    }

    /// Entries dated `from..=to` (either end open), ordered by date, time, id.
    pub fn entries(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Vec<Entry>> {
        let from = from.map_or_else(|| "0000-00-00".to_string(), |d| d.to_string());
        let to = to.map_or_else(|| "9999-99-99".to_string(), |d| d.to_string());
        self.load(Some((&from, &to)), &[], ByIdChildren::ALL)
    }

    /// The entries the rules engine reads for days from `recent`: every
    /// entry dated `recent..=to`, and of those dated `long..recent` only the
    /// ones the long-window rules read (a lab or a medication, the last
    /// `bp_readings` with a sitting BP, and the latest one), without their
    /// symptoms. Ordered like [`Store::entries`].
    ///
    /// Its cost follows the window, not the diary, and hardly the older
    /// days either: their latest entries are read newest first until the
    /// BP readings are found, those with a lab or a medication come from a
    /// partial index, and their labs and medications by those entries' id
    /// range (not by reading every lab and medication ever logged).
    pub fn entries_for_rules(
        &self,
        long: NaiveDate,
        recent: NaiveDate,
        to: NaiveDate,
        bp_readings: u32,
    ) -> Result<Vec<Entry>> {
        let before = recent.pred_opt().unwrap_or(recent);
        // Days in `long..recent`: the ids of their entries span about
        // this many times the entries a day (ids follow dates).
        let days = u64::try_from((before - long).num_days() + 1).unwrap_or(0);
        let (long, before) = (long.to_string(), before.to_string());
        let read = self.err("read entries");
        let mut ids: Vec<i64> = Vec::new();
        if long <= before {
            // The latest older entry, then back to the last `bp_readings`
            // with a sitting BP: newest first, and no further.
            let mut stmt = self
                .conn
                .prepare_cached(
                    "SELECT id, systolic IS NOT NULL FROM entry WHERE date BETWEEN ?1 AND ?2
                     ORDER BY date DESC, time DESC, id DESC",
                )
                .map_err(&read)?;
            let mut rows = stmt.query([&long, &before]).map_err(&read)?;
            let mut readings = 0;
            while ids.is_empty() || readings < bp_readings {
                let Some(r) = rows.next().map_err(&read)? else {
                    break;
                };
                let has_bp: bool = r.get(1).map_err(&read)?;
                if ids.is_empty() || has_bp {
                    ids.push(r.get(0).map_err(&read)?);
                }
                readings += u32::from(has_bp);
            }
            drop(rows);
            ids.extend(self.older_with_lab_or_med(&long, &before)?);
            ids.sort_unstable();
            ids.dedup();
        }
        let (recent, to) = (recent.to_string(), to.to_string());
        // No rule reads symptoms before `recent` (they count for a day or
        // two), so the older entries come without them. Their labs and
        // medications come by id range while that range is about as wide
        // as the older days' entries would be at a few a day.
        let children = ByIdChildren {
            symptoms: false,
            max_span: 4 * days + 64,
        };
        self.load(Some((&recent, &to)), &ids, children)
    }

    /// The ids of the entries dated `long..=before` that have a lab or a
    /// medication: a short walk of schema v2's partial index. An older
    /// diary read as it is (one that could not be migrated) has no such
    /// index: then every entry of those days is scanned for its id range,
    /// and the labs and medications of that range are matched against them.
    fn older_with_lab_or_med(&self, long: &str, before: &str) -> Result<Vec<i64>> {
        let read = self.err("read entries");
        let ids_of = |sql: &str, args: &[&dyn rusqlite::ToSql]| -> Result<Vec<i64>> {
            let mut stmt = self.conn.prepare_cached(sql).map_err(&read)?;
            let rows = stmt.query_map(args, |r| r.get(0)).map_err(&read)?;
            rows.collect::<rusqlite::Result<_>>().map_err(&read)
        };
        if self.schema >= 2 {
            return ids_of(OLDER_WITH_LAB_OR_MED, &[&long, &before]);
        }
        let mut old = ids_of(
            "SELECT id FROM entry WHERE date BETWEEN ?1 AND ?2",
            &[&long, &before],
        )?;
        old.sort_unstable();
        let (Some(&lo), Some(&hi)) = (old.first(), old.last()) else {
            return Ok(old);
        };
        let with = ids_of(
            "SELECT entry_id FROM lab WHERE entry_id BETWEEN ?1 AND ?2
             UNION SELECT entry_id FROM medication WHERE entry_id BETWEEN ?1 AND ?2",
            &[&lo, &hi],
        )?;
        Ok(with
            .into_iter()
            .filter(|id| old.binary_search(id).is_ok())
            .collect())
    }

    pub fn count_entries(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT count(*) FROM entry", [], |r| r.get(0))
            .map_err(self.err("count entries"))
    }

    /// The entries dated `dates` (inclusive) and those with the ids `ids`
    /// (sorted, and dated outside `dates`), with their symptoms, labs and medications,
    /// ordered by date, time, id. Two statements, one for the entries and
    /// one for their children: every prepared statement costs about as much
    /// as reading a hundred rows.
    fn load(
        &self,
        dates: Option<(&str, &str)>,
        ids: &[i64],
        by_id_children: ByIdChildren,
    ) -> Result<Vec<Entry>> {
        debug_assert!(ids.is_sorted(), "load: ids must be sorted");
        const COLUMNS: &str = "e.id, e.date, e.time, e.utc, e.utc_offset, e.weight_kg, e.systolic,
            e.diastolic, e.standing_systolic, e.standing_diastolic, e.heart_rate, e.urine,
            e.urine_ml, e.note";
        let read = self.err("read entries");
        // Ids are integers from the diary itself, so listing them in the SQL
        // text is safe; it lets SQLite seek each one by its key.
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let by_id = (!ids.is_empty()).then(|| format!("IN ({list})"));
        let mut args: Vec<&dyn rusqlite::ToSql> = Vec::new();
        let mut parts = Vec::new();
        if let Some((from, to)) = &dates {
            args.extend([from as &dyn rusqlite::ToSql, to]);
            parts.push(format!(
                "SELECT {COLUMNS} FROM entry e WHERE e.date BETWEEN ?1 AND ?2"
            ));
        }
        if let Some(by_id) = &by_id {
            parts.push(format!("SELECT {COLUMNS} FROM entry e WHERE e.id {by_id}"));
        }
        if parts.is_empty() {
            return Ok(Vec::new());
        }
        // One part comes in order from the date index; two are merged here.
        let sql = match parts.as_slice() {
            [one] => format!("{one} ORDER BY e.date, e.time, e.id"),
            _ => parts.join(" UNION ALL "),
        };
        let mut stmt = self.conn.prepare_cached(&sql).map_err(&read)?;
        let mut entries: Vec<Entry> = Vec::new();
        let mut rows = stmt.query(&args[..]).map_err(&read)?;
        while let Some(r) = rows.next().map_err(&read)? {
            match row_to_entry(r) {
                Ok(e) => entries.push(e),
                // A hand-edited impossible date or time: one bad row must
                // not stop every command. Its children are left out too
                // (they have no loaded entry to belong to).
                Err(e) if is_conversion(&e) => note_unreadable(Unreadable {
                    table: "entry",
                    id: r.get(0).map_err(&read)?,
                    detail: entry_problem(r, &e),
                }),
                Err(e) => return Err(read(e)),
            }
        }
        drop(rows);
        if entries.is_empty() {
            return Ok(entries);
        }
        if parts.len() > 1 {
            entries.sort_by(crate::model::entry_order);
        }
        let index: HashMap<i64, usize> =
            entries.iter().enumerate().map(|(i, e)| (e.id, i)).collect();

        // The children of the dated entries by a range of entry ids when
        // those ids are dense, as they are when ids grow with time: one
        // short scan of each child table's primary key, in proportion to
        // the window. Looking them up by date instead seeks once per entry
        // in each child table, three seeks per entry that mostly find
        // nothing; that stays the fallback when an old entry was moved
        // into the window (`cls edit --date`) and the range would be wide.
        //
        // The children of the entries found by id come by the range of
        // those ids: few rows, as the ids are the older days' entries with
        // a lab or a medication, and no temporary table for an id list.
        //
        // Ids are integers from the diary itself and go into the SQL text;
        // only the dated filter's fallback reads the dates `?1`/`?2`.
        let mut dated: Option<String> = None;
        let mut dated_range = None;
        let mut by_date = false;
        let (mut lo, mut hi) = (i64::MAX, i64::MIN);
        let mut n = 0u64;
        if dates.is_some() {
            let dated_entries = entries.iter().filter(|e| ids.binary_search(&e.id).is_err());
            for e in dated_entries {
                (lo, hi, n) = (lo.min(e.id), hi.max(e.id), n + 1);
            }
        }
        // Every entry may be one found by id (a diary that stopped before
        // the dated days): then there is no dated filter.
        if n > 0 {
            let allowance = 4 * n + 64;
            if span(lo, hi).is_some_and(|s| s <= allowance) {
                dated_range = Some((lo, hi, allowance));
                dated = Some(format!("x.entry_id BETWEEN {lo} AND {hi}"));
            } else {
                by_date = true;
                dated = Some(
                    "x.entry_id IN (SELECT id FROM entry WHERE date BETWEEN ?1 AND ?2)".into(),
                );
            }
        }
        let mut by_id = None;
        let mut merged = None;
        if let (Some(&first), Some(&last)) = (ids.first(), ids.last()) {
            let narrow = span(first, last).is_some_and(|s| s <= by_id_children.max_span);
            by_id = Some(if narrow {
                format!("x.entry_id BETWEEN {first} AND {last}")
            } else {
                format!("x.entry_id IN ({list})")
            });
            // Both ranges short and close together, as when ids follow
            // dates: one range for both, as OR'd ranges cost more to plan
            // and run than the few rows between them.
            if let (true, Some((lo, hi, allowance))) = (narrow, dated_range) {
                let (a, b) = (first.min(lo), last.max(hi));
                if span(a, b).is_some_and(|s| s <= allowance + by_id_children.max_span) {
                    merged = Some(format!("x.entry_id BETWEEN {a} AND {b}"));
                }
            }
        }
        // One SELECT per child table, in one statement (each statement, and
        // each SELECT in it, costs about as much to prepare as reading a
        // hundred rows), its filters OR'd: a row is read once even when the
        // two ranges overlap (ids logged out of date order). SQLite runs OR'd
        // filters as a multi-index OR, dearer than one range, which is why
        // ranges close together are merged first. Per row: its
        // entry, its table, its name, a number (severity, value or
        // position) and a medication's dose.
        let all: Vec<&str> = match &merged {
            Some(m) => vec![m.as_str()],
            None => dated.iter().chain(&by_id).map(String::as_str).collect(),
        };
        let dated_only: Vec<&str> = dated.iter().map(String::as_str).collect();
        let symptom_filters = if by_id_children.symptoms {
            &all
        } else {
            &dated_only
        };
        let mut selects = Vec::new();
        if !symptom_filters.is_empty() {
            selects.push(format!(
                "SELECT x.entry_id, {SYMPTOM}, x.name, x.severity, NULL FROM symptom x WHERE {}",
                symptom_filters.join(" OR ")
            ));
        }
        if !all.is_empty() {
            let filter = all.join(" OR ");
            selects.push(format!(
                "SELECT x.entry_id, {LAB}, x.name, x.value, NULL FROM lab x WHERE {filter}"
            ));
            selects.push(format!(
                "SELECT x.entry_id, {MED}, x.name, x.position, x.dose \
                 FROM medication x WHERE {filter}"
            ));
        }
        if selects.is_empty() {
            return Ok(entries);
        }
        // The entry a child row belongs to: one of those loaded, and for a
        // symptom, one whose symptoms were asked for.
        let owner = |r: &rusqlite::Row<'_>| -> rusqlite::Result<Option<usize>> {
            let id: i64 = r.get(0)?;
            let symptom = r.get::<_, u8>(1)? == SYMPTOM;
            Ok(index
                .get(&id)
                .copied()
                .filter(|_| !symptom || by_id_children.symptoms || ids.binary_search(&id).is_err()))
        };
        // Medications in their logged order: (entry, position, medication).
        let mut meds: Vec<(usize, i64, Med)> = Vec::new();
        let mut stmt = self
            .conn
            .prepare_cached(&selects.join(" UNION ALL "))
            .map_err(&read)?;
        // The dates are read only by the dated filter's fallback, which
        // every statement that has a dated filter contains.
        let params = if by_date { &args[..] } else { &[] };
        let mut rows = stmt.query(params).map_err(&read)?;
        while let Some(r) = rows.next().map_err(&read)? {
            let Some(i) = owner(r).map_err(&read)? else {
                continue;
            };
            let name = text_col(r, 2).map_err(&read)?;
            match r.get::<_, u8>(1).map_err(&read)? {
                SYMPTOM => entries[i].m.symptoms.push(SymptomEntry {
                    name: name.to_string(),
                    severity: r.get(3).map_err(&read)?,
                }),
                LAB => {
                    if let Some(kind) = LabKind::parse(name) {
                        entries[i].m.set_lab(kind, r.get(3).map_err(&read)?);
                    }
                }
                _ => meds.push((
                    i,
                    r.get(3).map_err(&read)?,
                    Med {
                        name: name.to_string(),
                        dose: r.get(4).map_err(&read)?,
                    },
                )),
            }
        }
        // Rows come in key order, which is the order wanted; sorting makes
        // it so whatever plan SQLite picks.
        for e in &mut entries {
            let symptoms = &mut e.m.symptoms;
            if !symptoms.is_sorted_by(|a, b| a.name <= b.name) {
                symptoms.sort_by(|a, b| a.name.cmp(&b.name));
            }
        }
        if !meds.is_sorted_by_key(|&(i, position, _)| (i, position)) {
            meds.sort_by_key(|&(i, position, _)| (i, position));
        }
        for (i, _, med) in meds {
            entries[i].m.meds.push(med);
        }
        Ok(entries)
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

/// Mark the diary as made by `cls demo`, inside the transaction that
/// writes its entries (see [`Store::is_synthetic`]).
pub fn mark_synthetic(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('synthetic', 'demo')",
        [],
    )?;
    Ok(())
}

/// Insert one episode inside an open transaction.
pub fn insert_episode(tx: &rusqlite::Transaction<'_>, e: &Episode) -> rusqlite::Result<i64> {
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

/// Insert one entry inside an open transaction (also used by import, so
/// that a whole file is one transaction).
pub fn insert_entry(
    tx: &rusqlite::Transaction<'_>,
    stamp: &Stamp,
    m: &Measurements,
) -> rusqlite::Result<i64> {
    insert_entry_with_id(tx, None, stamp, m)
}

fn insert_entry_with_id(
    tx: &rusqlite::Transaction<'_>,
    id: Option<i64>,
    stamp: &Stamp,
    m: &Measurements,
) -> rusqlite::Result<i64> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO entry (id, date, time, utc, utc_offset, weight_kg, systolic, diastolic,
            standing_systolic, standing_diastolic, heart_rate, urine, urine_ml, note,
            has_lab_or_med)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
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

fn conversion_error(
    col: usize,
    e: impl std::error::Error + Send + Sync + 'static,
) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, Box::new(e))
}

/// A stored date or time that does not have the schema's shape.
#[derive(Debug, thiserror::Error)]
#[error("'{0}' is not a stored date (YYYY-MM-DD) or time (HH:MM)")]
struct BadStamp(String);

/// The digits of `b` as a number, if all are ASCII digits.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// Parse a stored `YYYY-MM-DD` directly: this runs for every entry loaded,
/// and chrono's general format parser costs several times more.
fn parse_ymd(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(
        i32::try_from(digits(&b[..4])?).ok()?,
        digits(&b[5..7])?,
        digits(&b[8..])?,
    )
}

/// Parse a stored `HH:MM` directly (see [`parse_ymd`]).
fn parse_hm(s: &str) -> Option<NaiveTime> {
    let b = s.as_bytes();
    if b.len() != 5 || b[2] != b':' {
        return None;
    }
    NaiveTime::from_hms_opt(digits(&b[..2])?, digits(&b[3..])?, 0)
}

/// A text column read without copying it.
fn text_col<'r>(r: &'r rusqlite::Row<'_>, col: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(col)?
        .as_str()
        .map_err(|e| conversion_error(col, e))
}

fn parse_date_col(r: &rusqlite::Row<'_>, col: usize) -> rusqlite::Result<NaiveDate> {
    let s = text_col(r, col)?;
    parse_ymd(s).ok_or_else(|| conversion_error(col, BadStamp(s.to_string())))
}

fn bp(sys: Option<u16>, dia: Option<u16>) -> Option<Bp> {
    match (sys, dia) {
        (Some(systolic), Some(diastolic)) => Some(Bp {
            systolic,
            diastolic,
        }),
        _ => None,
    }
}

/// `hi - lo` as a count, when `lo <= hi`.
fn span(lo: i64, hi: i64) -> Option<u64> {
    hi.checked_sub(lo).and_then(|s| u64::try_from(s).ok())
}

fn row_to_entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    let time = text_col(r, 2)?;
    let time = parse_hm(time).ok_or_else(|| conversion_error(2, BadStamp(time.to_string())))?;
    let utc: i64 = r.get(3)?;
    let utc = DateTime::from_timestamp(utc, 0)
        .ok_or_else(|| rusqlite::Error::IntegralValueOutOfRange(3, utc))?;
    let urine = match r.get_ref(11)? {
        rusqlite::types::ValueRef::Null => None,
        _ => Urine::parse(text_col(r, 11)?),
    };
    Ok(Entry {
        id: r.get(0)?,
        stamp: Stamp {
            date: parse_date_col(r, 1)?,
            time,
            utc,
            offset_secs: r.get(4)?,
        },
        m: Measurements {
            weight_kg: r.get(5)?,
            bp: bp(r.get(6)?, r.get(7)?),
            standing_bp: bp(r.get(8)?, r.get(9)?),
            heart_rate: r.get(10)?,
            urine,
            urine_ml: r.get(12)?,
            symptoms: Vec::new(),
            labs: Vec::<Lab>::new(),
            meds: Vec::new(),
            note: r.get(13)?,
        },
    })
}

/// A stored row that no command can read: a hand-edited impossible date or
/// time. Every read skips it and it is reported once per command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// "entry" or "episode".
    pub table: &'static str,
    pub id: i64,
    /// What is wrong with it, control characters escaped.
    pub detail: String,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} cannot be read ({}) and was left out; see 'cls doctor'",
            self.table, self.id, self.detail
        )
    }
}

/// The rows skipped by reads in this process. Process-wide rather than per
/// [`Store`], so that the binary reports them once after any command,
/// without every command file having to ask.
static UNREADABLE: std::sync::Mutex<Vec<Unreadable>> = std::sync::Mutex::new(Vec::new());

fn note_unreadable(u: Unreadable) {
    let mut v = UNREADABLE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !v.iter().any(|x| x.table == u.table && x.id == u.id) {
        v.push(u);
    }
}

/// The rows skipped so far, in the order met.
pub fn unreadable_rows() -> Vec<Unreadable> {
    UNREADABLE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
}

/// Errors that come from one row's stored values, not from SQLite.
fn is_conversion(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::FromSqlConversionFailure(..)
            | rusqlite::Error::IntegralValueOutOfRange(..)
            | rusqlite::Error::InvalidColumnType(..)
    )
}

/// What is wrong with an entry row that did not convert.
fn entry_problem(r: &rusqlite::Row<'_>, e: &rusqlite::Error) -> String {
    bad_text(r, &[(1, "date"), (2, "time")], e)
}

/// The first of `cols` that is not a real date or time, named and quoted
/// with control characters escaped; else the conversion error itself.
fn bad_text(r: &rusqlite::Row<'_>, cols: &[(usize, &str)], e: &rusqlite::Error) -> String {
    for &(col, what) in cols {
        let Ok(rusqlite::types::ValueRef::Text(t)) = r.get_ref(col) else {
            continue;
        };
        let t = String::from_utf8_lossy(t);
        let real = if what.contains("time") {
            parse_hm(&t).is_some()
        } else {
            parse_ymd(&t).is_some()
        };
        if !real {
            return format!("its {what} '{}' is not a real {what}", t.escape_debug());
        }
    }
    e.to_string().escape_debug().to_string()
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// Map SQLite's errors onto the ones a patient can act on. Public so that
/// modules writing through [`Store::connection`] (import, backup) report
/// the same way.
pub fn classify(path: &str, action: &'static str, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy {
            path: path.to_string(),
        },
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_string(),
            detail: e.to_string(),
        },
        // A full disk shows up as SQLITE_FULL, or (tmpfs, growing -shm) as
        // an I/O error: either way the transaction was rolled back.
        Some(ErrorCode::DiskFull | ErrorCode::SystemIoFailure) => StoreError::WriteFailed {
            path: path.to_string(),
            detail: e.to_string(),
        },
        Some(ErrorCode::ReadOnly) => StoreError::ReadOnly {
            path: path.to_string(),
            detail: e.to_string(),
        },
        _ => StoreError::Sqlite {
            path: path.to_string(),
            action,
            source: e,
        },
    }
}

fn cannot_write(e: &StoreError) -> bool {
    match e {
        StoreError::ReadOnly { .. } => true,
        StoreError::Sqlite { source, .. } => {
            source.sqlite_error_code() == Some(ErrorCode::CannotOpen)
        }
        _ => false,
    }
}

fn wal_pending(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    fs::metadata(PathBuf::from(wal)).is_ok_and(|m| m.len() > 0)
}

/// Open read-only with `immutable=1`: no locks, no -wal or -shm (also
/// used by the backup module to read a backup without touching it).
pub(crate) fn open_immutable(path: &Path) -> rusqlite::Result<Connection> {
    let abs = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    // In a URI, '%', '?' and '#' in the path must be escaped.
    let p = abs
        .to_string_lossy()
        .replace('%', "%25")
        .replace('?', "%3f")
        .replace('#', "%23");
    let conn = Connection::open_with_flags(
        format!("file:{p}?mode=ro&immutable=1"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
            | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX
            | rusqlite::OpenFlags::SQLITE_OPEN_URI,
    )?;
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;")?;
    Ok(conn)
}

/// Refuse a file that is not SQLite before SQLite touches it, so that it is
/// never overwritten or "repaired" into an empty diary.
fn check_header(path: &Path) -> Result<()> {
    let display = path.display().to_string();
    let mut f = fs::File::open(path).map_err(|e| StoreError::Io {
        path: display.clone(),
        action: "open",
        source: e,
    })?;
    let mut head = [0u8; 16];
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) => {
                return Err(StoreError::Io {
                    path: display,
                    action: "read",
                    source: e,
                })
            }
        }
    }
    // An empty file is a diary we created and have not yet initialised.
    if n == 0 {
        return Ok(());
    }
    if n < head.len() || &head != SQLITE_HEADER {
        return Err(StoreError::Corrupt {
            path: display,
            detail: "the file does not start with an SQLite header".into(),
        });
    }
    check_length(path, &mut f).map_err(|detail| StoreError::Corrupt {
        path: display,
        detail,
    })
}

/// A file shorter than its header says was truncated (a bad copy, a full
/// disk while copying). SQLite would read the missing pages as zeros and
/// might write over them; refuse instead. Skipped while a non-empty `-wal`
/// or a `-journal` is beside the file: after a crash mid-checkpoint the file
/// can be short until SQLite finishes the checkpoint from the WAL.
fn check_length(path: &Path, f: &mut fs::File) -> std::result::Result<(), String> {
    let sibling = |suffix: &str| {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        fs::metadata(PathBuf::from(p)).map(|m| m.len()).ok()
    };
    if sibling("-wal").is_some_and(|l| l > 0) || sibling("-journal").is_some() {
        return Ok(());
    }
    let mut h = [0u8; 100];
    use std::io::Seek;
    if f.seek(std::io::SeekFrom::Start(0)).is_err() || f.read_exact(&mut h).is_err() {
        return Err("the file is shorter than an SQLite header (truncated)".into());
    }
    let be32 = |i: usize| u32::from_be_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
    let page_size = match u16::from_be_bytes([h[16], h[17]]) {
        1 => 65_536,
        p => u64::from(p),
    };
    let pages = u64::from(be32(28));
    // The page count is only meaningful when "version-valid-for" matches the
    // change counter (https://www.sqlite.org/fileformat2.html#in_header_database_size).
    if pages == 0 || be32(24) != be32(92) || page_size < 512 {
        return Ok(());
    }
    let len = f.metadata().map(|m| m.len()).unwrap_or(u64::MAX);
    if len < pages * page_size {
        return Err(format!(
            "the file is {len} bytes but its header says {} ({pages} pages): it was truncated",
            pages * page_size
        ));
    }
    Ok(())
}

/// Create the diary's folder (0700) and an empty file (0600) if missing.
fn create_private(path: &Path) -> Result<()> {
    let display = path.display().to_string();
    let io = |action: &'static str| {
        let display = display.clone();
        move |source| StoreError::Io {
            path: display,
            action,
            source,
        }
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.exists() {
            let mut b = fs::DirBuilder::new();
            b.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
            b.create(parent).map_err(io("create folder"))?;
        }
    }
    let mut o = fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    match o.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io("create")(e)),
    }
}

/// True when a diary file is at `path`, false when nothing is; an error for
/// anything else (a device, a FIFO, a folder, a symbolic link), found with
/// `lstat` before anything opens or changes it. A link is refused too:
/// SQLite keeps `-wal` and `-shm` beside the file the link points to, where
/// cls would not look for them.
pub fn check_diary_path(path: &Path) -> Result<bool> {
    match crate::fsutil::kind(path) {
        Ok(crate::fsutil::Kind::Missing) => Ok(false),
        Ok(crate::fsutil::Kind::File) => Ok(true),
        Ok(other) => Err(StoreError::NotAFile {
            path: path.display().to_string(),
            kind: other.describe(),
        }),
        Err(source) => Err(StoreError::Io {
            path: path.display().to_string(),
            action: "look at",
            source,
        }),
    }
}

/// Remove group and other permissions from the diary and its WAL files: the
/// diary is private health data. Never through a link: a `-wal` or `-shm`
/// that is not a regular file is refused before SQLite could open it.
fn tighten_permissions(path: &Path) -> Result<()> {
    let mut files = vec![path.to_path_buf()];
    for suffix in ["-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let p = PathBuf::from(p);
        match crate::fsutil::kind(&p) {
            Ok(crate::fsutil::Kind::File | crate::fsutil::Kind::Missing) => files.push(p),
            Ok(other) => {
                return Err(StoreError::NotAJournal {
                    path: p.display().to_string(),
                    kind: other.describe(),
                })
            }
            Err(source) => {
                return Err(StoreError::Io {
                    path: p.display().to_string(),
                    action: "look at",
                    source,
                })
            }
        }
    }
    for f in files {
        match crate::fsutil::make_private(&f) {
            Ok(()) => {}
            // Read-only media (a copy on a USB stick): its modes cannot
            // change, nor can anything be written there; reading goes on,
            // and `cls doctor` shows the modes.
            Err(e) if e.kind() == std::io::ErrorKind::ReadOnlyFilesystem => {}
            Err(source) => {
                return Err(StoreError::Io {
                    path: f.display().to_string(),
                    action: "make private (chmod 600)",
                    source,
                })
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};

    fn stamp(date: &str, time: &str) -> Stamp {
        let date: NaiveDate = date.parse().unwrap();
        let time = NaiveTime::parse_from_str(time, "%H:%M").unwrap();
        Stamp {
            date,
            time,
            utc: Utc.from_utc_datetime(&date.and_time(time)),
            offset_secs: 0,
        }
    }

    fn sample() -> Measurements {
        let mut m = Measurements {
            weight_kg: Some(68.4),
            bp: Some(Bp {
                systolic: 118,
                diastolic: 76,
            }),
            standing_bp: Some(Bp {
                systolic: 110,
                diastolic: 70,
            }),
            heart_rate: Some(72),
            urine: Some(Urine::Less),
            urine_ml: Some(900),
            note: Some("slept badly; 'quoted' \"text\" 🙂".into()),
            meds: vec![
                Med {
                    name: "ivig".into(),
                    dose: Some("2g/kg".into()),
                },
                Med {
                    name: "terbutaline".into(),
                    dose: None,
                },
            ],
            ..Measurements::default()
        };
        m.set_symptom("thirst", 2);
        m.set_symptom("fatigue", 1);
        m.set_lab(LabKind::Hematocrit, 44.0);
        m.set_lab(LabKind::Albumin, 38.0);
        m
    }

    /// `entries_for_rules` loads a subset of the long window; the rules must
    /// reach exactly the same verdicts as on every entry, on daily and on
    /// sparse diaries.
    #[test]
    fn the_rules_window_gives_the_same_verdicts_as_every_entry() {
        use crate::rules::{self, Diary, RulesConfig};
        let last: NaiveDate = "2026-11-25".parse().unwrap();
        let first: NaiveDate = "2023-11-25".parse().unwrap();
        let demo = crate::demo::generate(first, last, 7);
        let cfg = RulesConfig::default();
        let schedule = vec![crate::config::ScheduledMed {
            name: "ivig".into(),
            dose: None,
            every_days: 28,
            grace_days: 3,
        }];
        // Shuffled: ids no longer follow dates (entries logged late or
        // imported), so the id-range shortcuts must fall back. Late: a few
        // entries logged long after their day, so the id ranges of the
        // window and of the older days overlap.
        for (every, shuffled, late) in [
            (1usize, false, false),
            (5, false, false),
            (1, true, false),
            (1, false, true),
        ] {
            let mut order: Vec<usize> = (0..demo.entries.len()).collect();
            if shuffled {
                order.sort_by_key(|i| (i * 7919) % demo.entries.len());
            }
            if late {
                order.sort_by_key(|i| i % 97 == 0);
            }
            let mut s = Store::open_in_memory().unwrap();
            s.write("seed", |tx| {
                for &i in &order {
                    let e = &demo.entries[i];
                    if i % every == 0 {
                        let stamp = crate::input::local_stamp("t", e.date, e.time).unwrap();
                        insert_entry(tx, &stamp, &e.m)?;
                    }
                }
                for ep in &demo.episodes {
                    insert_episode(tx, ep)?;
                }
                Ok(())
            })
            .unwrap();
            let episodes = s.episodes().unwrap();
            let mut fewer = false;
            let mut date = first + chrono::Duration::days(30);
            while date <= last {
                let back = |n| date - chrono::Duration::days(n);
                let all = s
                    .entries(Some(back(rules::lookback_days(&cfg))), Some(date))
                    .unwrap();
                let for_rules = |s: &Store| {
                    s.entries_for_rules(
                        back(rules::lookback_days(&cfg)),
                        back(rules::recent_days(&cfg)),
                        date,
                        cfg.bp_baseline.readings,
                    )
                    .unwrap()
                };
                let some = for_rules(&s);
                // A schema-1 diary (read-only media) has no index of the
                // entries with a lab or a medication: its scan finds the same.
                if chrono::Datelike::ordinal(&date).is_multiple_of(15) {
                    s.schema = 1;
                    assert_eq!(for_rules(&s), some, "schema 1, {date}");
                    s.schema = SCHEMA_VERSION;
                }
                assert!(some.len() <= all.len());
                fewer |= some.len() * 2 < all.len();
                // Whole entries, children once each (the older ones without
                // symptoms): by one id range for the window and the older
                // days when ids follow dates, and id by id where shuffled
                // or late ids make the ranges too wide.
                if chrono::Datelike::ordinal(&date).is_multiple_of(30) {
                    let recent = back(rules::recent_days(&cfg));
                    for e in &some {
                        let mut want = s.get(e.id).unwrap();
                        if e.date() < recent {
                            want.m.symptoms.clear();
                        }
                        assert_eq!(e, &want, "shuffled {shuffled}, late {late}, {date}");
                    }
                }
                let verdict = |entries: &[Entry]| {
                    let d = Diary {
                        entries,
                        episodes: &episodes,
                        schedule: &schedule,
                    };
                    rules::evaluate(&d, date, &cfg)
                };
                assert_eq!(
                    verdict(&all),
                    verdict(&some),
                    "every {every}th entry, shuffled {shuffled}, late {late}, {date}"
                );
                date += chrono::Duration::days(3);
            }
            assert!(fewer, "the long window was never thinned");
        }
    }

    #[test]
    fn round_trip_on_a_file_with_private_modes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/diary.sqlite3");
        let id = {
            let mut s = Store::open(&path).unwrap();
            s.insert(&stamp("2026-11-20", "07:30"), &sample()).unwrap()
        };
        let s = Store::open(&path).unwrap();
        let e = s.get(id).unwrap();
        assert_eq!(e.m, sample());
        assert_eq!(e.stamp, stamp("2026-11-20", "07:30"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(path.parent().unwrap()), 0o700);
        }
    }

    #[test]
    fn loose_permissions_are_tightened() {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("diary.sqlite3");
            drop(Store::open(&path).unwrap());
            fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
            drop(Store::open(&path).unwrap());
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
    }

    #[test]
    fn ranges_order_and_delete() {
        let mut s = Store::open_in_memory().unwrap();
        let b = s
            .insert(&stamp("2026-11-21", "20:00"), &Measurements::default())
            .unwrap();
        let a = s.insert(&stamp("2026-11-21", "07:00"), &sample()).unwrap();
        let c = s.insert(&stamp("2026-11-22", "07:00"), &sample()).unwrap();
        let ids: Vec<i64> = s
            .entries(None, None)
            .unwrap()
            .iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(ids, vec![a, b, c]);
        let d: NaiveDate = "2026-11-21".parse().unwrap();
        assert_eq!(s.entries(Some(d), Some(d)).unwrap().len(), 2);
        s.delete(a).unwrap();
        assert!(matches!(s.delete(a), Err(StoreError::NoEntry(_))));
        assert!(matches!(s.get(a), Err(StoreError::NoEntry(_))));
        // Children went with it.
        let n: i64 = s
            .connection()
            .query_row(
                "SELECT count(*) FROM symptom WHERE entry_id = ?1",
                [a],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 0);
    }

    #[test]
    fn opening_for_writing_checks_pages_and_keeps_check_constraints() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("diary.sqlite3");
        {
            let mut s = Store::open(&path).unwrap();
            let mut m = sample();
            m.note = Some("x".repeat(3000));
            for d in 1..=9 {
                s.insert(&stamp(&format!("2026-11-0{d}"), "07:00"), &m)
                    .unwrap();
            }
            // The pages-only check left CHECK constraints on for writes.
            let mut bad = sample();
            bad.weight_kg = Some(500.0);
            assert!(s.insert(&stamp("2026-11-10", "07:00"), &bad).is_err());
            assert!(s
                .connection()
                .execute("UPDATE entry SET systolic = 10 WHERE id = 1", [])
                .is_err());
        }
        let mut s = Store::open(&path).unwrap();
        let mut bad = sample();
        bad.weight_kg = Some(500.0);
        assert!(s.insert(&stamp("2026-11-10", "07:00"), &bad).is_err());
        drop(s);
        // A zeroed page is still found before anything is written.
        let mut bytes = fs::read(&path).unwrap();
        assert!(bytes.len() > 4 * 4096);
        bytes[4096..8192].fill(0);
        fs::write(&path, &bytes).unwrap();
        let e = Store::open(&path).err().unwrap();
        assert!(matches!(e, StoreError::Corrupt { .. }), "{e}");
        assert_eq!(fs::read(&path).unwrap(), bytes);
    }

    #[test]
    fn stored_dates_and_times_parse_strictly() {
        assert_eq!(
            parse_ymd("2026-02-28"),
            NaiveDate::from_ymd_opt(2026, 2, 28)
        );
        assert_eq!(parse_hm("07:05"), NaiveTime::from_hms_opt(7, 5, 0));
        for bad in [
            "2026-02-30",
            "2026-2-28",
            "2026/02/28",
            "2026-02-2x",
            "",
            "+026-02-28",
        ] {
            assert_eq!(parse_ymd(bad), None, "{bad}");
        }
        for bad in ["24:00", "7:05", "07-05", "07:60", "0a:00"] {
            assert_eq!(parse_hm(bad), None, "{bad}");
        }
    }

    #[test]
    fn children_load_whether_ids_follow_dates_or_not() {
        let mut s = Store::open_in_memory().unwrap();
        let day = |i: i64| {
            let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(i);
            stamp(&d.to_string(), "07:00")
        };
        // Entry 1 first sits long ago, later moved into the window below.
        let old = s.insert(&day(0), &sample()).unwrap();
        for i in 1..300 {
            let mut m = Measurements {
                weight_kg: Some(60.0 + i as f64 / 10.0),
                ..Measurements::default()
            };
            if i % 7 == 0 {
                m.set_symptom("headache", 1);
            }
            s.insert(&day(i), &m).unwrap();
        }
        let window = |s: &Store| s.entries(Some(day(290).date), Some(day(299).date)).unwrap();
        // Dense ids: read by id range.
        let dense = window(&s);
        assert_eq!(dense.len(), 10);
        for e in &dense {
            assert_eq!(e, &s.get(e.id).unwrap());
        }
        assert_eq!(dense.iter().filter(|e| !e.m.symptoms.is_empty()).count(), 1);
        // Sparse ids (entry 1 edited into the window): read by date.
        s.replace(old, &day(295), &sample()).unwrap();
        let sparse = window(&s);
        assert_eq!(sparse.len(), 11);
        let moved = sparse.iter().find(|e| e.id == old).unwrap();
        assert_eq!(moved.m, sample());
        for e in &sparse {
            assert_eq!(e, &s.get(e.id).unwrap());
        }
    }

    /// Each entry `entries_for_rules` returns is the stored entry, children
    /// once each (older ones without symptoms), also when an older entry's
    /// id sits among the recent ones (logged late with `--date`).
    #[test]
    fn rules_entries_come_whole_and_once_whatever_their_ids() {
        let mut s = Store::open_in_memory().unwrap();
        let day = |i: i64| {
            let d = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Duration::days(i);
            stamp(&d.to_string(), "07:00")
        };
        let mut late = Vec::new();
        for i in 0..=420 {
            if i == 410 || i == 415 {
                late.push(s.insert(&day(100 + i / 100), &sample()).unwrap());
            }
            let mut m = Measurements {
                weight_kg: Some(60.0),
                ..Measurements::default()
            };
            if i % 50 == 0 {
                m = sample();
            }
            s.insert(&day(i), &m).unwrap();
        }
        let recent = day(400).date;
        let check = |s: &mut Store, late: &[i64]| {
            let got = s
                .entries_for_rules(day(0).date, recent, day(420).date, 7)
                .unwrap();
            s.schema = 1;
            let scanned = s.entries_for_rules(day(0).date, recent, day(420).date, 7);
            s.schema = SCHEMA_VERSION;
            assert_eq!(scanned.unwrap(), got, "schema 1");
            for id in late {
                assert!(got.iter().any(|e| e.id == *id), "late entry {id} missing");
            }
            assert_eq!(
                got.iter().filter(|e| e.m.meds.len() == 2).count(),
                8 + late.len() + 1
            );
            for e in &got {
                let mut want = s.get(e.id).unwrap();
                if e.date() < recent {
                    want.m.symptoms.clear();
                }
                assert_eq!(e, &want, "entry {}", e.id);
            }
        };
        // The older entries' ids span about as many ids as the older days
        // hold: their children come by id range.
        check(&mut s, &late);
        // Two thousand entries dated after the window, then one more late
        // entry: now the ids span far more, and are sought one by one.
        for i in 0..2000 {
            s.insert(&day(500 + i), &Measurements::default()).unwrap();
        }
        late.push(s.insert(&day(105), &sample()).unwrap());
        check(&mut s, &late);
    }

    #[test]
    fn an_older_diary_that_cannot_be_written_is_read_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.sqlite3");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(include_str!("sql/0001_init.sql")).unwrap();
            c.execute_batch(
                "PRAGMA user_version = 1;
                 INSERT INTO entry (id, date, time, utc, utc_offset, weight_kg)
                     VALUES (1, '2026-05-04', '08:00', 1777881600, 0, 70),
                            (2, '2026-11-20', '08:00', 1795161600, 0, 70);
                 INSERT INTO lab (entry_id, name, value) VALUES (1, 'albumin', 41);",
            )
            .unwrap();
        }
        // What SQLite does with a file it may not write (mode 0400 for a
        // user who is not root): the connection is read-only.
        let read_only = || Store {
            conn: Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .unwrap(),
            path: path.clone(),
            schema: SCHEMA_VERSION,
        };
        let mut s = read_only();
        s.migrate(Use::Read).unwrap();
        assert_eq!(s.schema, 1);
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let got = s
            .entries_for_rules(d("2025-11-01"), d("2026-11-01"), d("2026-11-25"), 7)
            .unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].m.lab(LabKind::Albumin), Some(41.0));
        // Writing needs the migration: refused, naming the diary.
        let e = read_only().migrate(Use::Write).unwrap_err();
        assert!(matches!(e, StoreError::ReadOnly { .. }), "{e}");
        // And no backup was made for a migration that could not happen.
        assert!(crate::backup::find_backups(&path).is_empty());
    }

    #[test]
    fn entries_with_a_lab_or_a_medication_are_marked_on_every_write() {
        let mut s = Store::open_in_memory().unwrap();
        let marked = |s: &Store, id: i64| -> i64 {
            s.conn
                .query_row(
                    "SELECT has_lab_or_med FROM entry WHERE id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .unwrap()
        };
        let plain = Measurements {
            weight_kg: Some(70.0),
            ..Measurements::default()
        };
        let mut lab_only = plain.clone();
        lab_only.set_lab(LabKind::Albumin, 40.0);
        let mut med_only = plain.clone();
        med_only.meds.push(Med {
            name: "ivig".into(),
            dose: None,
        });
        let at = stamp("2026-11-20", "07:00");
        let a = s.insert(&at, &plain).unwrap();
        let b = s.insert(&at, &lab_only).unwrap();
        let c = s.insert(&at, &med_only).unwrap();
        assert_eq!([marked(&s, a), marked(&s, b), marked(&s, c)], [0, 1, 1]);
        // `cls edit` rewrites the entry whole, mark included.
        s.replace(b, &at, &plain).unwrap();
        s.replace(a, &at, &sample()).unwrap();
        assert_eq!([marked(&s, a), marked(&s, b), marked(&s, c)], [1, 0, 1]);
    }

    #[test]
    fn replace_keeps_the_id() {
        let mut s = Store::open_in_memory().unwrap();
        let id = s.insert(&stamp("2026-11-21", "07:00"), &sample()).unwrap();
        let mut m = sample();
        m.weight_kg = Some(70.0);
        m.symptoms.clear();
        s.replace(id, &stamp("2026-11-21", "08:00"), &m).unwrap();
        let e = s.get(id).unwrap();
        assert_eq!(e.m, m);
        assert_eq!(e.stamp.time, NaiveTime::from_hms_opt(8, 0, 0).unwrap());
        assert!(matches!(
            s.replace(999, &e.stamp, &m),
            Err(StoreError::NoEntry(999))
        ));
    }

    #[test]
    fn check_constraints_back_up_the_parser() {
        let mut s = Store::open_in_memory().unwrap();
        let mut m = sample();
        m.weight_kg = Some(500.0);
        assert!(s.insert(&stamp("2026-11-21", "07:00"), &m).is_err());
        let mut m = sample();
        m.bp = Some(Bp {
            systolic: 80,
            diastolic: 90,
        });
        assert!(s.insert(&stamp("2026-11-21", "07:00"), &m).is_err());
        let mut m = sample();
        m.symptoms[0].severity = 4;
        assert!(s.insert(&stamp("2026-11-21", "07:00"), &m).is_err());
        // Nothing half-written: the failed inserts left no entry behind.
        assert_eq!(s.count_entries().unwrap(), 0);
    }

    #[test]
    fn episodes_round_trip() {
        let mut s = Store::open_in_memory().unwrap();
        let d: NaiveDate = "2026-10-01".parse().unwrap();
        let id = s.start_episode(d, true, Some("ER visit")).unwrap();
        s.end_episode(id, d + chrono::Duration::days(4)).unwrap();
        let eps = s.episodes().unwrap();
        assert_eq!(eps.len(), 1);
        assert!(eps[0].hospitalized);
        assert_eq!(eps[0].end, Some(d + chrono::Duration::days(4)));
        // An end before the start is refused by the schema.
        assert!(s.end_episode(id, d - chrono::Duration::days(1)).is_err());
        assert!(matches!(
            s.end_episode(99, d),
            Err(StoreError::NoEpisode(99))
        ));
    }

    #[test]
    fn last_med_finds_the_latest_dose() {
        let mut s = Store::open_in_memory().unwrap();
        s.insert(&stamp("2026-10-01", "09:00"), &sample()).unwrap();
        s.insert(&stamp("2026-10-29", "09:00"), &sample()).unwrap();
        let d: NaiveDate = "2026-11-25".parse().unwrap();
        let (when, dose) = s.last_med("IVIG", d).unwrap().unwrap();
        assert_eq!(when, "2026-10-29".parse::<NaiveDate>().unwrap());
        assert_eq!(dose.as_deref(), Some("2g/kg"));
        assert!(s.last_med("prednisone", d).unwrap().is_none());
    }

    #[test]
    fn garbage_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("diary.sqlite3");
        fs::write(&path, b"this is not a database at all, just text").unwrap();
        let before = fs::read(&path).unwrap();
        let e = Store::open(&path).err().unwrap();
        assert!(matches!(e, StoreError::Corrupt { .. }), "{e}");
        assert!(e.to_string().contains("cls doctor"));
        assert_eq!(fs::read(&path).unwrap(), before);
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("diary.sqlite3");
        drop(Store::open(&path).unwrap());
        {
            let c = Connection::open(&path).unwrap();
            c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        let e = Store::open(&path).err().unwrap();
        assert!(matches!(e, StoreError::NewerSchema { .. }), "{e}");
        assert!(e.to_string().contains("upgrade cls"));
    }

    /// Sorts and temporary tables never go to files in /var/tmp or /tmp,
    /// where health data would outlive the command.
    #[test]
    fn temporary_data_stays_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("diary.sqlite3");
        let temp_store = |s: &Store| -> i64 {
            s.conn
                .query_row("PRAGMA temp_store", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(temp_store(&Store::open(&path).unwrap()), 2);
        assert_eq!(temp_store(&Store::open_existing(&path).unwrap()), 2);
        assert_eq!(temp_store(&Store::open_in_memory().unwrap()), 2);
        let immutable = open_immutable(&path).unwrap();
        let t: i64 = immutable
            .query_row("PRAGMA temp_store", [], |r| r.get(0))
            .unwrap();
        assert_eq!(t, 2);
    }

    #[test]
    fn reading_a_missing_diary_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope/diary.sqlite3");
        let s = Store::open_or_empty(&path).unwrap();
        assert_eq!(s.count_entries().unwrap(), 0);
        assert!(!path.exists());
        assert!(!path.parent().unwrap().exists());
    }
}
