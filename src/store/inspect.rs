//! Read-only looks into a diary for `cls doctor`, as plain data: what
//! SQLite says of its pages, its schema version and shape, and the rows
//! whose values `cls log` would have refused. Opened read-only (never
//! migrated, never "repaired"), so a damaged diary is left exactly as it
//! was for a recovery; the judging and the wording stay in `doctor`.

use std::fs;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::input::{DIASTOLIC, HEART_RATE, SYSTOLIC, URINE_ML, WEIGHT_KG};
use crate::model::LabKind;

/// A query that failed; shown as SQLite's own message.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct InspectError(#[from] rusqlite::Error);

pub type Result<T> = std::result::Result<T, InspectError>;

/// A diary opened read-only for inspection.
pub struct Inspector {
    conn: Connection,
}

impl Inspector {
    /// Open `db` read-only. With `immutable`, without locks and without
    /// creating a `-wal` or `-shm` (exact only while no other connection
    /// has the file open).
    pub fn open(db: &Path, immutable: bool) -> Result<Inspector> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let abs = fs::canonicalize(db).unwrap_or_else(|_| db.to_path_buf());
        // In a URI, '%', '?' and '#' in the path must be escaped.
        let path = abs
            .to_string_lossy()
            .replace('%', "%25")
            .replace('?', "%3f")
            .replace('#', "%23");
        let uri = if immutable {
            format!("file:{path}?mode=ro&immutable=1")
        } else {
            format!("file:{path}?mode=ro")
        };
        let conn = Connection::open_with_flags(uri, flags)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        Ok(Inspector { conn })
    }

    /// `PRAGMA integrity_check(max)`: its problems, none when it is ok.
    pub fn integrity_problems(&self, max: u32) -> Result<Vec<String>> {
        Ok(super::backup::integrity_problems(&self.conn, max)?)
    }

    /// `PRAGMA user_version`: the schema version cls wrote.
    pub fn user_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Tables and indexes other than SQLite's own (0 when unreadable).
    pub fn object_count(&self) -> i64 {
        self.conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE substr(name, 1, 7) <> 'sqlite_'",
                [],
                |r| r.get(0),
            )
            .unwrap_or(0)
    }

    /// Whether the tables are exactly what cls writes at their version
    /// (see [`super::verify_schema`]); why not, if not.
    pub fn verify_schema(&self) -> std::result::Result<(), String> {
        super::verify_schema(&self.conn, "main").map(|_| ())
    }

    /// The entries dated after `limit`, by date then id.
    pub fn entries_after(&self, limit: &str) -> Result<Vec<i64>> {
        self.ids(
            "SELECT id FROM entry WHERE date > ?1 ORDER BY date, id",
            &[&limit],
        )
    }

    /// The entries with a value outside the ranges `cls log` accepts
    /// (the same constants), a local time that disagrees with the UTC
    /// instant, or a symptom or lab out of its range; by id.
    pub fn entries_out_of_range(&self) -> Result<Vec<i64>> {
        let labs = LabKind::ALL
            .iter()
            .map(|k| {
                let (lo, hi) = k.range();
                format!(
                    "(name = '{}' AND value NOT BETWEEN {lo} AND {hi})",
                    k.as_str()
                )
            })
            .collect::<Vec<_>>()
            .join("\n             OR ");
        let sql = format!(
            "SELECT id FROM entry WHERE
                weight_kg NOT BETWEEN {w0} AND {w1}
             OR systolic NOT BETWEEN {s0} AND {s1} OR diastolic NOT BETWEEN {d0} AND {d1}
             OR standing_systolic NOT BETWEEN {s0} AND {s1} OR standing_diastolic NOT BETWEEN {d0} AND {d1}
             OR diastolic >= systolic OR standing_diastolic >= standing_systolic
             OR heart_rate NOT BETWEEN {h0} AND {h1} OR urine_ml NOT BETWEEN {u0} AND {u1}
             OR urine NOT IN ('less', 'normal', 'more')
             OR strftime('%Y-%m-%d %H:%M', utc + utc_offset, 'unixepoch') IS NOT date || ' ' || time
             OR id IN (SELECT entry_id FROM symptom WHERE severity NOT BETWEEN 0 AND 3)
             OR id IN (SELECT entry_id FROM lab WHERE {labs})
             ORDER BY id",
            w0 = WEIGHT_KG.0,
            w1 = WEIGHT_KG.1,
            s0 = SYSTOLIC.0,
            s1 = SYSTOLIC.1,
            d0 = DIASTOLIC.0,
            d1 = DIASTOLIC.1,
            h0 = HEART_RATE.0,
            h1 = HEART_RATE.1,
            u0 = URINE_ML.0,
            u1 = URINE_ML.1,
        );
        self.ids(&sql, &[])
    }

    /// Rows whose entry does not exist (`PRAGMA foreign_key_check`; 0 when
    /// unreadable).
    pub fn orphan_rows(&self) -> i64 {
        self.conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap_or(0)
    }

    /// Every stored symptom name with its number of rows, by name (the
    /// rows that can be read).
    pub fn symptom_counts(&self) -> Vec<(String, i64)> {
        let mut out = Vec::new();
        if let Ok(mut stmt) = self
            .conn
            .prepare("SELECT name, count(*) FROM symptom GROUP BY name ORDER BY name")
        {
            if let Ok(rows) =
                stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            {
                out.extend(rows.flatten());
            }
        }
        out
    }

    /// (Schema 2 on.) The entries whose mark for having a lab or a
    /// medication is wrong, by id.
    pub fn wrongly_marked(&self) -> Result<Vec<i64>> {
        self.ids(
            "SELECT id FROM entry WHERE has_lab_or_med IS NOT
                (id IN (SELECT entry_id FROM lab UNION SELECT entry_id FROM medication))
             ORDER BY id",
            &[],
        )
    }

    /// The entries with an impossible date or time, which every read skips
    /// (see [`super::Unreadable`]): the same tests as schema v3's triggers.
    /// By id; none when unreadable.
    pub fn unreadable_entries(&self) -> Vec<i64> {
        self.ids(
            "SELECT id FROM entry WHERE date(date, '+0 days') IS NOT date
                OR time NOT BETWEEN '00:00' AND '23:59' ORDER BY id",
            &[],
        )
        .unwrap_or_default()
    }

    /// The episodes with an impossible start or end date, by id; none
    /// when unreadable.
    pub fn unreadable_episodes(&self) -> Vec<i64> {
        self.ids(
            "SELECT id FROM episode WHERE date(start_date, '+0 days') IS NOT start_date
                OR (end_date IS NOT NULL AND date(end_date, '+0 days') IS NOT end_date) ORDER BY id",
            &[],
        )
        .unwrap_or_default()
    }

    /// The acknowledgements that every command leaves out as unreadable
    /// (a row edited by hand), by id; none before schema 4 made the table.
    pub fn unreadable_acks(&self) -> Result<Vec<i64>> {
        let has_table: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ack')",
            [],
            |r| r.get(0),
        )?;
        if !has_table {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare("SELECT id, day, rule, level, at, note, seen, lapsed FROM ack ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let row: super::daily::AckText = row?;
            if super::daily::read_ack(row.clone()).is_err() {
                out.push(row.0);
            }
        }
        Ok(out)
    }

    fn ids(&self, sql: &str, params: &[&dyn rusqlite::ToSql]) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt.query_map(params, |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lab ranges in the SQL are the model's, whatever they are.
    #[test]
    fn lab_ranges_come_from_the_model() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("d.sqlite3");
        let mut s = super::super::Store::open(&db).unwrap();
        let stamp =
            crate::input::local_stamp("t", "2026-01-01".parse().unwrap(), "08:00".parse().unwrap())
                .unwrap();
        let mut ids = Vec::new();
        for kind in LabKind::ALL {
            let (lo, hi) = kind.range();
            for (v, bad) in [(lo, false), (hi, false)] {
                let mut m = crate::Measurements::default();
                m.set_lab(kind, v);
                let id = s.insert(&stamp, &m).unwrap();
                if bad {
                    ids.push(id);
                }
            }
        }
        // Out of range only by hand (the schema refuses it): one past each end.
        let i = Inspector::open(&db, false).unwrap();
        assert_eq!(i.entries_out_of_range().unwrap(), ids);
        drop(i);
        let c = Connection::open(&db).unwrap();
        c.execute_batch("PRAGMA ignore_check_constraints = ON")
            .unwrap();
        let mut bad = Vec::new();
        for kind in LabKind::ALL {
            let (lo, hi) = kind.range();
            for v in [lo - 0.5, hi + 0.5] {
                c.execute(
                    "INSERT INTO entry (date, time, utc, utc_offset, has_lab_or_med) VALUES ('2026-01-01', '08:00', ?1, ?2, 1)",
                    [stamp.utc.timestamp(), i64::from(stamp.offset_secs)],
                )
                .unwrap();
                let id = c.last_insert_rowid();
                c.execute(
                    "INSERT INTO lab (entry_id, name, value) VALUES (?1, ?2, ?3)",
                    rusqlite::params![id, kind.as_str(), v],
                )
                .unwrap();
                bad.push(id);
            }
        }
        drop(c);
        let i = Inspector::open(&db, false).unwrap();
        assert_eq!(i.entries_out_of_range().unwrap(), bad);
    }
}
