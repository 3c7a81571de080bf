//! Reading entries back: by date, by id, and the rules' window, with their
//! symptoms, labs and medications; stored rows that do not convert are
//! skipped and reported (see [`Unreadable`]).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveTime};

use super::{Result, Store, StoreError};
use crate::model::{Bp, Entry, Lab, LabKind, Measurements, Med, Stamp, SymptomEntry, Urine};

/// The entries of some days with a lab or a medication, by schema 2's
/// partial index `entry_with_lab_or_med`.
pub(crate) const OLDER_WITH_LAB_OR_MED: &str =
    "SELECT id FROM entry WHERE has_lab_or_med = 1 AND date BETWEEN ?1 AND ?2";

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
        // `source` came with schema 6; an older diary read as it is has none.
        let source = if self.schema >= super::SOURCE_SCHEMA {
            "e.source"
        } else {
            "NULL"
        };
        let columns = format!(
            "e.id, e.date, e.time, e.utc, e.utc_offset, e.weight_kg, e.systolic,
            e.diastolic, e.standing_systolic, e.standing_diastolic, e.heart_rate, e.urine,
            e.urine_ml, e.note, {source}"
        );
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
                "SELECT {columns} FROM entry e WHERE e.date BETWEEN ?1 AND ?2"
            ));
        }
        if let Some(by_id) = &by_id {
            parts.push(format!("SELECT {columns} FROM entry e WHERE e.id {by_id}"));
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
pub(super) fn parse_ymd(s: &str) -> Option<NaiveDate> {
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
pub(super) fn parse_hm(s: &str) -> Option<NaiveTime> {
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

pub(super) fn parse_date_col(r: &rusqlite::Row<'_>, col: usize) -> rusqlite::Result<NaiveDate> {
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
        source: r.get(14)?,
    })
}

/// A stored row that no command can read: a hand-edited impossible date or
/// time. Every read skips it and it is reported once per command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// "entry", "episode" or "acknowledgement".
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

pub(super) fn note_unreadable(u: Unreadable) {
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
pub(super) fn is_conversion(e: &rusqlite::Error) -> bool {
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
pub(super) fn bad_text(
    r: &rusqlite::Row<'_>,
    cols: &[(usize, &str)],
    e: &rusqlite::Error,
) -> String {
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
