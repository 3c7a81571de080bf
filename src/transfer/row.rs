//! Checking one row of an import, CSV or JSON alike, with the same parsers
//! and ranges as `cls log`: the text of an entry or an episode in, a
//! checked [`Record`] or [`EpisodeRecord`] out, or the field at fault.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, Utc};

use super::Options;
use crate::input::{self, EntryLists, InputError, WeightUnit};
use crate::model::{Bp, Episode, Measurements, Stamp};
use crate::rules::Level;
use crate::store::NewAck;

/// One row as text, before checking: what a CSV row or a JSON entry holds.
/// Lists are already split into items (`name[:severity]`, `name=value`,
/// `name[:dose]`).
#[derive(Debug, Clone, Default)]
pub(crate) struct RawEntry {
    pub date: String,
    pub time: Option<String>,
    pub utc_offset: Option<String>,
    pub weight_kg: Option<String>,
    pub systolic: Option<String>,
    pub diastolic: Option<String>,
    pub standing_systolic: Option<String>,
    pub standing_diastolic: Option<String>,
    pub heart_rate: Option<String>,
    pub urine: Option<String>,
    pub urine_ml: Option<String>,
    pub symptoms: Vec<String>,
    pub labs: Vec<String>,
    pub meds: Vec<String>,
    pub note: Option<String>,
}

/// Entries without a time get the same default as a past day in `cls log`.
const DEFAULT_TIME: (u32, u32) = (8, 0);

/// Check a row with the same parsers (and so the same ranges and messages)
/// as `cls log`.
pub(crate) fn check_entry(
    raw: &RawEntry,
    opts: &Options,
) -> Result<(Stamp, Measurements), InputError> {
    let date = check_date("date", &raw.date, opts.today)?;
    let time = match &raw.time {
        Some(t) => input::parse_time("time", t)?,
        None => NaiveTime::from_hms_opt(DEFAULT_TIME.0, DEFAULT_TIME.1, 0).expect("valid time"),
    };
    let stamp = match &raw.utc_offset {
        Some(o) => {
            let offset = parse_offset("utc_offset", o)?;
            let utc = date.and_time(time) - Duration::seconds(i64::from(offset.local_minus_utc()));
            Stamp {
                date,
                time,
                utc: DateTime::<Utc>::from_naive_utc_and_offset(utc, Utc),
                offset_secs: offset.local_minus_utc(),
            }
        }
        // Without an offset (every CSV row) the time is local here, with the
        // same DST rules as `cls log`: a skipped time is refused, a repeated
        // one takes the earlier instant.
        None => input::local_stamp("time", date, time)?,
    };

    let mut m = Measurements::default();
    if let Some(w) = &raw.weight_kg {
        m.weight_kg = Some(input::parse_weight("weight_kg", w, WeightUnit::Kg)?);
    }
    m.bp = check_bp("systolic", "diastolic", &raw.systolic, &raw.diastolic)?;
    m.standing_bp = check_bp(
        "standing_systolic",
        "standing_diastolic",
        &raw.standing_systolic,
        &raw.standing_diastolic,
    )?;
    if let Some(hr) = &raw.heart_rate {
        m.heart_rate = Some(input::parse_hr("heart_rate", hr)?);
    }
    if let Some(u) = &raw.urine {
        m.urine = Some(input::parse_urine("urine", u)?);
    }
    if let Some(ml) = &raw.urine_ml {
        m.urine_ml = Some(input::parse_urine_ml("urine_ml", ml)?);
    }
    // One value per name, as in `cls log`: `thirst:2;thirsty:1` is refused.
    let mut lists = EntryLists::default();
    for item in &raw.symptoms {
        if item.contains(',') {
            return Err(InputError::new(
                "symptoms",
                format!("'{item}': separate symptoms with ';' (e.g. thirst:2;fatigue:1)"),
            ));
        }
        lists.add_symptoms("symptoms", item, &opts.custom_symptoms)?;
    }
    for item in &raw.labs {
        lists.add_lab("labs", item)?;
    }
    lists.apply_to(&mut m);
    for item in &raw.meds {
        m.meds.push(input::parse_med("medications", item)?);
    }
    if let Some(n) = &raw.note {
        m.note = Some(input::check_note("note", n)?);
    }
    if m.is_empty() {
        return Err(InputError::new(
            "row",
            "nothing recorded: a row needs at least one value besides date and time",
        ));
    }
    Ok((stamp, m))
}

/// A date in an import file: `YYYY-MM-DD` only (no `today` or `-3d`: a file
/// means the same tomorrow), at most one day ahead as in `cls log`.
pub(crate) fn check_date(field: &str, s: &str, today: NaiveDate) -> Result<NaiveDate, InputError> {
    let t = s.trim();
    let iso = t.len() == 10
        && t.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !iso {
        return Err(InputError::new(
            field,
            format!("'{t}' is not a date (use YYYY-MM-DD)"),
        ));
    }
    let d = input::parse_date(field, t, today)?;
    let limit = today + Duration::days(1);
    if d > limit {
        return Err(InputError::new(
            field,
            format!("{d} is in the future: entries can be at most one day ahead ({limit})"),
        ));
    }
    Ok(d)
}

fn check_bp(
    sys_field: &str,
    dia_field: &str,
    sys: &Option<String>,
    dia: &Option<String>,
) -> Result<Option<Bp>, InputError> {
    match (sys, dia) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(InputError::new(
            dia_field,
            format!("missing: {sys_field} and {dia_field} go together (both or neither)"),
        )),
        (None, Some(_)) => Err(InputError::new(
            sys_field,
            format!("missing: {sys_field} and {dia_field} go together (both or neither)"),
        )),
        (Some(s), Some(d)) => {
            input::parse_bp(sys_field, &format!("{}/{}", s.trim(), d.trim())).map(Some)
        }
    }
}

/// Format an offset as `+01:00` (or `+00:19:32` for the odd historic zone).
pub(crate) fn format_offset(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    if s == 0 {
        format!("{sign}{h:02}:{m:02}")
    } else {
        format!("{sign}{h:02}:{m:02}:{s:02}")
    }
}

/// Parse `±HH:MM[:SS]` (or `Z`), at most 18 hours either way.
pub(crate) fn parse_offset(field: &str, s: &str) -> Result<FixedOffset, InputError> {
    let t = s.trim();
    let bad = || {
        InputError::new(
            field,
            format!("'{t}' is not a UTC offset (use +HH:MM or -HH:MM, at most 18 hours)"),
        )
    };
    if t.eq_ignore_ascii_case("z") {
        return Ok(FixedOffset::east_opt(0).expect("zero offset"));
    }
    let (sign, rest) = match t.as_bytes().first() {
        Some(b'+') => (1, &t[1..]),
        Some(b'-') => (-1, &t[1..]),
        _ => return Err(bad()),
    };
    let parts: Vec<&str> = rest.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.len() != 2 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    let n = |i: usize| {
        parts
            .get(i)
            .map_or(Ok(0), |p| p.parse::<i32>())
            .map_err(|_| bad())
    };
    let (h, m, sec) = (n(0)?, n(1)?, n(2)?);
    if m > 59 || sec > 59 {
        return Err(bad());
    }
    let secs = sign * (h * 3600 + m * 60 + sec);
    if secs.abs() > 18 * 3600 {
        return Err(bad());
    }
    FixedOffset::east_opt(secs).ok_or_else(bad)
}

/// Check an episode's fields.
pub(crate) fn check_episode(
    start: &str,
    end: Option<&str>,
    hospitalized: bool,
    note: Option<&str>,
    opts: &Options,
) -> Result<Episode, InputError> {
    let start = check_date("start", start, opts.today)?;
    let end = end.map(|e| check_date("end", e, opts.today)).transpose()?;
    if let Some(end) = end {
        if end < start {
            return Err(InputError::new(
                "end",
                format!("{end} is before the start {start}"),
            ));
        }
    }
    let note = note.map(|n| input::check_note("note", n)).transpose()?;
    Ok(Episode {
        id: 0,
        start,
        end,
        hospitalized,
        note,
    })
}

/// One acknowledgement as text, before checking.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawAck {
    pub day: String,
    pub rule: String,
    pub level: String,
    pub at: String,
    pub note: Option<String>,
    /// Rule and level pairs, in file order.
    pub seen: Vec<(String, String)>,
    pub lapsed: Option<String>,
}

/// Check an acknowledgement: a day as an entry's date, a rule this cls or
/// the patient's config knows, `watch` or `warning` (the levels `cls ack`
/// takes), RFC 3339 times, and `seen` as the diary stores it.
pub(crate) fn check_ack(
    raw: &RawAck,
    opts: &Options,
) -> Result<(NewAck, Option<DateTime<FixedOffset>>), InputError> {
    let day = check_date("day", &raw.day, opts.today)?;
    // An acknowledgement holds only on its own day: one dated after today
    // would silence tomorrow's findings before the patient has seen them.
    if day > opts.today {
        return Err(InputError::new(
            "day",
            format!(
                "{day} is after today ({}): an acknowledgement is made on its day",
                opts.today
            ),
        ));
    }
    // A rule this cls or config no longer has cannot cover a finding, so on
    // a past day it is kept as history (an export from before a custom rule
    // was removed must import again); on today, an unknown rule is a typo.
    let past = day < opts.today;
    let known = |field: &str, rule: &str| {
        if opts.rules.iter().any(|r| r == rule) || (past && is_rule_id(rule)) {
            Ok(rule.to_string())
        } else {
            Err(InputError::new(
                field,
                format!(
                    "unknown rule '{rule}' (not a rule of this cls or of your config; 'cls rules' lists them)"
                ),
            ))
        }
    };
    let rule = known("rule", &raw.rule)?;
    let level = match raw.level.as_str() {
        "watch" => Level::Watch,
        "warning" => Level::Warning,
        other => {
            return Err(InputError::new(
                "level",
                format!("'{other}' cannot be acknowledged (watch or warning)"),
            ))
        }
    };
    let at = check_moment("at", &raw.at, opts)?;
    // Made on its logical day: that calendar day, or before the day's start
    // on the next one. An old moment on today's date would hold today.
    let made_on = at.date_naive();
    if made_on < day || made_on > day + Duration::days(1) {
        return Err(InputError::new(
            "at",
            format!(
                "{} is not on the day it acknowledges ({day})",
                at.to_rfc3339()
            ),
        ));
    }
    let lapsed = raw
        .lapsed
        .as_deref()
        .map(|l| check_moment("lapsed", l, opts))
        .transpose()?;
    if let Some(l) = lapsed.filter(|l| *l < at) {
        return Err(InputError::new(
            "lapsed",
            format!(
                "{} is before the acknowledgement ({})",
                l.to_rfc3339(),
                at.to_rfc3339()
            ),
        ));
    }
    let note = raw
        .note
        .as_deref()
        .map(|n| input::check_note("note", n))
        .transpose()?;
    let mut seen = Vec::with_capacity(raw.seen.len());
    for (r, l) in &raw.seen {
        let r = known("seen", r)?;
        let l = match l.as_str() {
            "watch" => Level::Watch,
            "warning" => Level::Warning,
            "emergency" => Level::Emergency,
            other => {
                return Err(InputError::new(
                    "seen",
                    format!("{r}: '{other}' is not a level at which a rule alerts (watch, warning or emergency)"),
                ))
            }
        };
        if seen.iter().any(|(s, _): &(String, Level)| *s == r) {
            return Err(InputError::new("seen", format!("{r} is given twice")));
        }
        seen.push((r, l));
    }
    // The diary keeps `seen` as "RULE:level" words, at most 4,000 characters.
    if crate::ack::seen_to_text(&seen).chars().count() > 4000 {
        return Err(InputError::new(
            "seen",
            "too long (at most 4,000 characters)",
        ));
    }
    Ok((
        NewAck {
            day,
            rule,
            level,
            at,
            note,
            seen,
        },
        lapsed,
    ))
}

/// How far ahead of this machine's clock a moment from another machine may
/// be (clocks drift); anything later has not happened yet.
const CLOCK_SKEW_MINUTES: i64 = 10;

/// An RFC 3339 moment (`2026-11-25T08:10:00+01:00`) that has happened: not
/// after `now` (give or take [`CLOCK_SKEW_MINUTES`]).
fn check_moment(field: &str, s: &str, opts: &Options) -> Result<DateTime<FixedOffset>, InputError> {
    let t = s.trim();
    let at = DateTime::parse_from_rfc3339(t).map_err(|_| {
        InputError::new(
            field,
            format!("'{t}' is not a time (use RFC 3339, e.g. 2026-11-25T08:10:00+01:00)"),
        )
    })?;
    if at > opts.now + Duration::minutes(CLOCK_SKEW_MINUTES) {
        return Err(InputError::new(
            field,
            format!(
                "{} is in the future (now is {})",
                at.to_rfc3339(),
                opts.now.to_rfc3339()
            ),
        ));
    }
    Ok(at)
}

/// The shape of a rule id as the diary keeps it: 1–100 letters, digits,
/// `_` or `-` (so it stays one word in `seen`).
fn is_rule_id(rule: &str) -> bool {
    (1..=100).contains(&rule.len())
        && rule
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}
