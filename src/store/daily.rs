//! The daily loop's rows (schema 4, issue 18): acknowledgements, the level
//! at which hooks last ran on a day, and whether a logical day has an entry
//! and a weight yet (`cls remind`, `cls status`). An older diary read as it
//! is (read-only media) has no such tables: it reads as having none.

use chrono::{DateTime, FixedOffset, NaiveDate};
use rusqlite::{params, OptionalExtension};

use super::{Result, Store};
use crate::ack::{parse_level, seen_from_text, seen_to_text, Ack};
use crate::model::DayStart;
use crate::rules::Level;

/// The first schema version with the daily loop's tables.
const DAILY_SCHEMA: i64 = 4;

/// A new acknowledgement, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAck {
    pub day: NaiveDate,
    pub rule: String,
    pub level: Level,
    pub at: DateTime<FixedOffset>,
    pub note: Option<String>,
    pub seen: Vec<(String, Level)>,
}

/// What a logical day holds so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DayLogged {
    pub entries: u32,
    pub weights: u32,
}

impl Store {
    /// Every acknowledgement made on logical day `day`, oldest first,
    /// lapsed ones included.
    pub fn acks(&self, day: NaiveDate) -> Result<Vec<Ack>> {
        self.acks_between(Some(day), Some(day))
    }

    /// Every acknowledgement made on the logical days `from..=to` (either
    /// end open), by day then in the order they were made, lapsed ones
    /// included (`cls export --format json`).
    pub fn acks_between(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Vec<Ack>> {
        let from = from.map_or_else(|| "0000-00-00".to_string(), |d| d.to_string());
        let to = to.map_or_else(|| "9999-99-99".to_string(), |d| d.to_string());
        let mut out = Vec::new();
        for (id, ack) in self.ack_rows(&from, &to)? {
            match ack {
                Ok(a) => out.push(a),
                // A row that cannot be read (edited by hand) is no ack: the
                // finding then shows as not acknowledged, the safe side. It
                // is said once after the command (an export leaves it out),
                // as an unreadable entry is, and `cls doctor` lists it.
                Err(field) => super::read::note_unreadable(super::read::Unreadable {
                    table: "acknowledgement",
                    id,
                    detail: format!("its {field} is not valid"),
                }),
            }
        }
        Ok(out)
    }

    /// The ack rows of the days `from..=to` (as text), each read into an
    /// [`Ack`] or the name of the field that cannot be.
    fn ack_rows(
        &self,
        from: &str,
        to: &str,
    ) -> Result<Vec<(i64, std::result::Result<Ack, &'static str>)>> {
        if self.schema < DAILY_SCHEMA {
            return Ok(Vec::new());
        }
        let read = self.err("read acknowledgements");
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, day, rule, level, at, note, seen, lapsed FROM ack
                 WHERE day BETWEEN ?1 AND ?2 ORDER BY day, id",
            )
            .map_err(&read)?;
        let rows = stmt
            .query_map([from, to], |r| -> rusqlite::Result<AckText> {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, Option<String>>(7)?,
                ))
            })
            .map_err(&read)?;
        let mut out = Vec::new();
        for row in rows {
            let row = row.map_err(&read)?;
            out.push((row.0, read_ack(row)));
        }
        Ok(out)
    }

    /// Store acknowledgements in one transaction; returns their ids.
    pub fn add_acks(&mut self, acks: &[NewAck]) -> Result<Vec<i64>> {
        self.write("write acknowledgement", |tx| {
            let mut ids = Vec::with_capacity(acks.len());
            for a in acks {
                ids.push(insert_ack(tx, a, None)?);
            }
            Ok(ids)
        })
    }

    /// Mark acknowledgements as lapsed at `at` (those already lapsed keep
    /// their first time).
    pub fn lapse_acks(&mut self, ids: &[i64], at: DateTime<FixedOffset>) -> Result<()> {
        if ids.is_empty() || self.schema < DAILY_SCHEMA {
            return Ok(());
        }
        self.write("record a lapsed acknowledgement", |tx| {
            for id in ids {
                tx.execute(
                    "UPDATE ack SET lapsed = ?2 WHERE id = ?1 AND lapsed IS NULL",
                    params![id, at.to_rfc3339()],
                )?;
            }
            Ok(())
        })
    }

    /// The highest level at which the hooks ran on logical day `day`.
    pub fn hooks_fired(&self, day: NaiveDate) -> Result<Option<Level>> {
        if self.schema < DAILY_SCHEMA {
            return Ok(None);
        }
        let level: Option<String> = self
            .conn
            .query_row(
                "SELECT level FROM hook_fired WHERE day = ?1",
                [day.to_string()],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err("read hook firings"))?;
        Ok(level.as_deref().and_then(parse_level))
    }

    /// Record that the hooks run at `level` on `day`, unless they already
    /// ran at that level or higher: `true` when this call raised it (and the
    /// hooks should run). One write transaction, so that two commands
    /// judging at once never both run the hooks.
    pub fn raise_hooks_fired(
        &mut self,
        day: NaiveDate,
        level: Level,
        at: DateTime<FixedOffset>,
    ) -> Result<bool> {
        self.write("record hook firing", |tx| {
            let before: Option<String> = tx
                .query_row(
                    "SELECT level FROM hook_fired WHERE day = ?1",
                    [day.to_string()],
                    |r| r.get(0),
                )
                .optional()?;
            if before
                .as_deref()
                .and_then(parse_level)
                .is_some_and(|b| b >= level)
            {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO hook_fired (day, level, at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (day) DO UPDATE SET level = excluded.level, at = excluded.at",
                params![day.to_string(), level.as_str(), at.to_rfc3339()],
            )?;
            Ok(true)
        })
    }

    /// How many entries, and entries with a weight, count for logical day
    /// `day`: those of `day` from `start` on and of the next calendar day
    /// before it. One indexed query.
    pub fn day_logged(&self, day: NaiveDate, start: DayStart) -> Result<DayLogged> {
        let start = start.to_string();
        let next = day.succ_opt().unwrap_or(day).to_string();
        self.conn
            .prepare_cached(
                "SELECT count(*), count(weight_kg) FROM entry
                 WHERE (date = ?1 AND time >= ?3) OR (date = ?2 AND time < ?3)",
            )
            .and_then(|mut s| {
                s.query_row(params![day.to_string(), next, start], |r| {
                    Ok(DayLogged {
                        entries: r.get(0)?,
                        weights: r.get(1)?,
                    })
                })
            })
            .map_err(self.err("read the day's entries"))
    }
}

/// Insert one acknowledgement inside an open transaction, with when it
/// lapsed if it has (import, so that a whole file is one transaction).
pub fn insert_ack(
    tx: &rusqlite::Transaction<'_>,
    a: &NewAck,
    lapsed: Option<DateTime<FixedOffset>>,
) -> rusqlite::Result<i64> {
    tx.execute(
        "INSERT INTO ack (day, rule, level, at, note, seen, lapsed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            a.day.to_string(),
            a.rule,
            a.level.as_str(),
            a.at.to_rfc3339(),
            a.note,
            seen_to_text(&a.seen),
            lapsed.map(|l| l.to_rfc3339())
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// An ack row as stored: id, day, rule, level, at, note, seen, lapsed.
pub(super) type AckText = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
);

/// An ack row read into an [`Ack`], or the name of the field that cannot
/// be (a row edited by hand). The one reading for commands and doctor.
pub(super) fn read_ack(row: AckText) -> std::result::Result<Ack, &'static str> {
    let (id, day, rule, level, at, note, seen, lapsed) = row;
    let moment = |s: &str, field| DateTime::parse_from_rfc3339(s).map_err(|_| field);
    Ok(Ack {
        id,
        day: day.parse::<NaiveDate>().map_err(|_| "day")?,
        rule,
        level: parse_level(&level).ok_or("level")?,
        at: moment(&at, "at")?,
        note,
        seen: seen_from_text(&seen),
        lapsed: lapsed.as_deref().map(|l| moment(l, "lapsed")).transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn acks_round_trip_and_lapse_once() {
        let mut s = Store::open_in_memory().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let ids = s
            .add_acks(&[NewAck {
                day,
                rule: "W1".into(),
                level: Level::Watch,
                at: at("2026-11-25T08:10:00+01:00"),
                note: Some("called Dr Okafor".into()),
                seen: vec![("W1".into(), Level::Watch)],
            }])
            .unwrap();
        let got = s.acks(day).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].id, ids[0]);
        assert_eq!(got[0].at, at("2026-11-25T08:10:00+01:00"));
        assert_eq!(got[0].seen, vec![("W1".to_string(), Level::Watch)]);
        assert!(s.acks(day.succ_opt().unwrap()).unwrap().is_empty());
        s.lapse_acks(&ids, at("2026-11-25T09:00:00+01:00")).unwrap();
        s.lapse_acks(&ids, at("2026-11-25T10:00:00+01:00")).unwrap();
        assert_eq!(
            s.acks(day).unwrap()[0].lapsed,
            Some(at("2026-11-25T09:00:00+01:00"))
        );
    }

    #[test]
    fn hooks_fire_once_per_level_and_only_upwards() {
        let mut s = Store::open_in_memory().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let t = at("2026-11-25T08:00:00+00:00");
        assert!(s.raise_hooks_fired(day, Level::Warning, t).unwrap());
        assert!(!s.raise_hooks_fired(day, Level::Warning, t).unwrap());
        assert!(!s.raise_hooks_fired(day, Level::Watch, t).unwrap());
        assert!(s.raise_hooks_fired(day, Level::Emergency, t).unwrap());
        assert_eq!(s.hooks_fired(day).unwrap(), Some(Level::Emergency));
        let next = day.succ_opt().unwrap();
        assert_eq!(s.hooks_fired(next).unwrap(), None);
        assert!(s.raise_hooks_fired(next, Level::Watch, t).unwrap());
    }
}
