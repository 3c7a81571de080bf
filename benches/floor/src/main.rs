//! The floor for `cls check`: open the diary with rusqlite and run the one
//! indexed query the check needs (the entries of the days the rules look
//! back over, by `date`, with their symptoms), reading every column, and
//! print a count. Whatever `cls check` spends above this is cls's own
//! overhead. The window is `cls::rules::recent_days` with the default rules
//! (the only thing taken from cls): the days cls reads in full. cls also
//! reads a handful of older rows (labs, medications, the last BP readings)
//! with three more small queries; the floor leaves those out, so it is
//! strictly less work than any correct `cls check`.
//!
//! With `--log`, the floor for `cls log`: first add one entry (with a
//! symptom) durably, as cls must (WAL, `synchronous = FULL`, one
//! `BEGIN IMMEDIATE` transaction), then run the same query for the status
//! line. Its fsyncs are the price of never losing an entry.
//!
//! Usage: cls-bench-floor [--log] DIARY DATE   (DATE: YYYY-MM-DD, as "today")
//!        cls-bench-floor --window DATE          (print the window's first day)
//!        cls-bench-floor --query                (print the query)

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

/// The query, shared (as text) with the `sqlite3` row of the benchmark.
const QUERY: &str = "SELECT e.id, e.date, e.time, e.utc, e.utc_offset, e.weight_kg, e.systolic, \
e.diastolic, e.standing_systolic, e.standing_diastolic, e.heart_rate, e.urine, e.urine_ml, e.note, \
s.name, s.severity \
FROM entry e LEFT JOIN symptom s ON s.entry_id = e.id \
WHERE e.date BETWEEN ?1 AND ?2 ORDER BY e.date, e.time, e.id";

/// The first day `cls check` loads when judging `to`.
fn window_start(to: &str) -> Result<String, Box<dyn std::error::Error>> {
    let to: chrono::NaiveDate = to.parse()?;
    let days = cls::rules::recent_days(&cls::rules::RulesConfig::default());
    Ok((to - chrono::Duration::days(days)).to_string())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (log, path, to) = match args[1..] {
        ["--query"] => {
            println!("{QUERY}");
            return Ok(());
        }
        ["--window", to] => {
            println!("{}", window_start(to)?);
            return Ok(());
        }
        ["--log", path, to] => (true, path, to),
        [path, to] => (false, path, to),
        _ => {
            return Err(
                "usage: cls-bench-floor [--log] DIARY DATE | --window DATE | --query".into(),
            )
        }
    };
    let from = window_start(to)?;
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    if log {
        conn.execute_batch("PRAGMA synchronous = FULL")?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO entry (date, time, utc, utc_offset, weight_kg, systolic, diastolic)
             VALUES (?1, '08:00', 0, 0, 68.4, 118, 76)",
            [to],
        )?;
        let id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO symptom (entry_id, name, severity) VALUES (?1, 'thirst', 1)",
            [id],
        )?;
        tx.commit()?;
    }
    let mut stmt = conn.prepare(QUERY)?;
    let mut rows = stmt.query([from.as_str(), to])?;
    let (mut n, mut symptoms, mut weight) = (0u64, 0u64, 0.0f64);
    let mut last_id = i64::MIN;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if id != last_id {
            n += 1;
            last_id = id;
        }
        // Touch every column, as a real reader would.
        let _: (String, String, i64, i64) = (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        weight += r.get::<_, Option<f64>>(5)?.unwrap_or(0.0);
        let _: (
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
        ) = (r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?);
        let _: (Option<String>, Option<i64>, Option<String>) = (r.get(11)?, r.get(12)?, r.get(13)?);
        if let Some(_name) = r.get::<_, Option<String>>(14)? {
            let _: i64 = r.get(15)?;
            symptoms += 1;
        }
    }
    println!("{n} entries, {symptoms} symptoms, weight sum {weight:.1}");
    Ok(())
}
