//! What the schema of each version looks like, and whether a database has
//! exactly that: the tables, their columns and constraints, the indexes and
//! triggers cls creates, and nothing else (no view, no trigger of its own).
//!
//! The known shape of version N is built by running the first N migration
//! steps on an empty in-memory database, so it can never drift from the
//! migrations. A diary or backup matches when every object's SQL text (as
//! SQLite stores it in `sqlite_schema`, whitespace collapsed) is the same.
//! Comparing the text, not only column names, also catches a column order
//! that differs, a weaker CHECK or a missing `STRICT`.
//!
//! This runs where trust is needed and cost does not matter: before a
//! migration, on a backup being restored, and in `cls doctor`; never on
//! the ordinary open of a current diary.

use std::collections::BTreeMap;

use rusqlite::Connection;

/// One schema object: (type, name) → its SQL text, whitespace collapsed.
pub type Shape = BTreeMap<(String, String), String>;

/// The objects of database `db` ("main" or an attached name), apart from
/// SQLite's own (`sqlite_*`: autoindexes, `sqlite_sequence`, statistics).
pub fn shape(conn: &Connection, db: &str) -> rusqlite::Result<Shape> {
    let mut stmt = conn.prepare(&format!(
        "SELECT type, name, sql FROM \"{db}\".sqlite_schema WHERE substr(name, 1, 7) <> 'sqlite_'"
    ))?;
    let rows = stmt.query_map([], |r| {
        let sql: Option<String> = r.get(2)?;
        Ok((
            (r.get::<_, String>(0)?, r.get::<_, String>(1)?),
            collapse(sql.as_deref().unwrap_or("")),
        ))
    })?;
    rows.collect()
}

fn collapse(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The shape cls gives a database at `version` (1..=latest).
pub fn expected(steps: &[&str], version: i64) -> rusqlite::Result<Shape> {
    let conn = Connection::open_in_memory()?;
    let n = usize::try_from(version).unwrap_or(0).min(steps.len());
    for step in &steps[..n] {
        conn.execute_batch(step)?;
    }
    shape(&conn, "main")
}

/// `None` when `got` is exactly `want`; otherwise the first difference, in
/// a few words for a one-line error.
pub fn difference(got: &Shape, want: &Shape) -> Option<String> {
    // What cls never creates, first: it is the dangerous part.
    for (ty, name) in got.keys() {
        if !want.contains_key(&(ty.clone(), name.clone())) {
            return Some(match ty.as_str() {
                "trigger" => format!("it has a trigger '{name}' that cls never creates"),
                "view" => format!("it has a view '{name}' that cls never creates"),
                _ => format!("it has a {ty} '{name}' that cls never creates"),
            });
        }
    }
    for ((ty, name), sql) in want {
        match got.get(&(ty.clone(), name.clone())) {
            None => return Some(format!("its {ty} '{name}' is missing")),
            Some(s) if s != sql => {
                return Some(format!(
                    "its {ty} '{name}' is not defined the way cls defines it (columns, their order or constraints differ)"
                ))
            }
            Some(_) => {}
        }
    }
    None
}

/// The version (1..=latest) whose shape `got` is exactly, if any.
pub fn matching_version(steps: &[&str], got: &Shape) -> Option<i64> {
    (1..=steps.len() as i64)
        .rev()
        .find(|&v| expected(steps, v).is_ok_and(|w| difference(got, &w).is_none()))
}
