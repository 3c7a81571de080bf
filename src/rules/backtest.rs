//! Replaying the diary against the rules (docs/rules.md, "The backtest"): per
//! recorded episode, the lead time (the unbroken run of alert days that ends
//! on the day before its start, or on its start day); and every day at
//! `watch` or above outside the episodes' windows, per level, as false
//! alarms. Nothing is excused: a noise alert a week before an episode gives
//! no credit when an `ok` day breaks the run, and the days after a false
//! emergency count like any other.

use chrono::NaiveDate;

use super::engine;
use super::index::{days_between, shift};
use super::{Backtest, Diary, EpisodeLead, FalseAlarms, Level, RulesConfig};

/// The longest lead time counted (a run of alert days is followed back at
/// most this far); also the days a report evaluates before its period so
/// that its lead times equal the backtest's. Days in the
/// [`FALSE_ALARM_BEFORE`] days before an episode are not false alarms.
pub const LEAD_IN_DAYS: i64 = 14;

/// Days before an episode's start that are not false alarms (docs/rules.md).
pub const FALSE_ALARM_BEFORE: i64 = 7;

/// Days after an episode's end that are not false alarms (recovery).
pub const FALSE_ALARM_AFTER: i64 = 14;

/// The first day of the unbroken run of days at `min` or above that ends on
/// the day before `start`, or on `start` itself; `None` when neither is an
/// alert day. Followed back at most [`LEAD_IN_DAYS`].
fn run_start(
    start: NaiveDate,
    min: Level,
    level_on: &impl Fn(NaiveDate) -> Option<Level>,
) -> Option<NaiveDate> {
    let alert = |d: NaiveDate| level_on(d).is_some_and(|l| l >= min);
    let end = [shift(start, -1), start].into_iter().find(|d| alert(*d))?;
    let mut first = end;
    while days_between(first, start) < LEAD_IN_DAYS && alert(shift(first, -1)) {
        first = shift(first, -1);
    }
    Some(first)
}

/// The lead time the rules gave before one episode, given each day's level.
fn lead(ep: &super::Episode, level_on: &impl Fn(NaiveDate) -> Option<Level>) -> EpisodeLead {
    let watch = run_start(ep.start, Level::Watch, level_on);
    let warning = run_start(ep.start, Level::Warning, level_on);
    EpisodeLead {
        episode_id: ep.id,
        start: ep.start,
        lead_days_watch: watch.map(|d| days_between(d, ep.start)),
        lead_days_warning: warning.map(|d| days_between(d, ep.start)),
        first_alert: watch,
    }
}

/// Lead times from assessments already computed (e.g. a report's history,
/// which should start [`LEAD_IN_DAYS`] before the first episode shown), so
/// that the engine does not run twice over the same days.
pub fn leads_from_history(
    history: &[super::Assessment],
    episodes: &[super::Episode],
) -> Vec<EpisodeLead> {
    let level_on = |d: NaiveDate| -> Option<Level> {
        history
            .binary_search_by_key(&d, |a| a.date)
            .ok()
            .map(|i| history[i].level)
    };
    let mut episodes: Vec<&super::Episode> = episodes.iter().collect();
    episodes.sort_by_key(|e| (e.start, e.id));
    episodes.iter().map(|ep| lead(ep, &level_on)).collect()
}

pub(crate) fn run(diary: &Diary<'_>, cfg: &RulesConfig) -> Backtest {
    let ds = cfg.day_start;
    let dates = diary.entries.iter().map(|e| e.day(ds));
    let (Some(from), Some(to)) = (dates.clone().min(), dates.max()) else {
        return Backtest {
            from: None,
            to: None,
            days: 0,
            episodes: diary
                .episodes
                .iter()
                .map(|e| no_lead(e.id, e.start))
                .collect(),
            false_alarms: FalseAlarms::default(),
            false_alarm_days: 0,
            false_alarms_per_year: 0.0,
            episodes_with_warning_lead: 0,
        };
    };
    // Only the levels are read: no day needs its findings' text.
    let days = engine::run(diary, from, to, NaiveDate::MAX, None, cfg);
    let levels: Vec<Level> = days.iter().map(|x| x.assessment.level).collect();
    score(from, &levels, from, diary.episodes, diary.episodes)
}

/// The backtest's numbers from each day's level: `levels[k]` is the level
/// of day `first + k`. Lead times for `measured` episodes; false alarms are
/// counted on the days from `count_from` on, outside the windows of every
/// episode in `all` (an episode just after the days counted still excuses
/// the week before it). A report passes its lead-in days before
/// `count_from` so that lead times equal the backtest's; the tuner replays
/// the whole diary.
pub fn score(
    first: NaiveDate,
    levels: &[Level],
    count_from: NaiveDate,
    measured: &[super::Episode],
    all: &[super::Episode],
) -> Backtest {
    let Some(to) = levels.len().checked_sub(1).map(|n| shift(first, n as i64)) else {
        return Backtest {
            from: None,
            to: None,
            days: 0,
            episodes: measured.iter().map(|e| no_lead(e.id, e.start)).collect(),
            false_alarms: FalseAlarms::default(),
            false_alarm_days: 0,
            false_alarms_per_year: 0.0,
            episodes_with_warning_lead: 0,
        };
    };
    let level_on = |d: NaiveDate| -> Option<Level> {
        let k = usize::try_from(days_between(first, d)).ok()?;
        levels.get(k).copied()
    };

    let mut episodes: Vec<&super::Episode> = measured.iter().collect();
    episodes.sort_by_key(|e| (e.start, e.id));
    let leads: Vec<EpisodeLead> = episodes.iter().map(|ep| lead(ep, &level_on)).collect();

    // [start − 7, end + 14]; an open episode runs to the end of the data.
    let excused = |d: NaiveDate| {
        all.iter().any(|ep| {
            let end = ep.end.unwrap_or(to).max(ep.start);
            d >= shift(ep.start, -FALSE_ALARM_BEFORE) && d <= shift(end, FALSE_ALARM_AFTER)
        })
    };
    let count_from = count_from.max(first);
    let counted = usize::try_from(days_between(first, count_from)).unwrap_or(0);
    let counted = levels.get(counted..).unwrap_or(&[]);
    let years = counted.len() as f64 / 365.25;
    let per_year = |n: usize| if years > 0.0 { n as f64 / years } else { 0.0 };
    let mut fa = FalseAlarms::default();
    for (k, level) in counted.iter().enumerate() {
        if excused(shift(count_from, k as i64)) {
            continue;
        }
        match level {
            Level::Watch => fa.watch_days += 1,
            Level::Warning => fa.warning_days += 1,
            Level::Emergency => fa.emergency_days += 1,
            Level::Ok | Level::Unknown => {}
        }
    }
    fa.watch_per_year = per_year(fa.watch_days);
    fa.warning_per_year = per_year(fa.warning_days);
    fa.emergency_per_year = per_year(fa.emergency_days);
    let warning_or_above = fa.warning_days + fa.emergency_days;
    Backtest {
        from: Some(count_from),
        to: Some(to),
        days: counted.len(),
        episodes_with_warning_lead: leads
            .iter()
            .filter(|l| l.lead_days_warning.is_some_and(|d| d >= 1))
            .count(),
        episodes: leads,
        false_alarms: fa,
        false_alarm_days: warning_or_above,
        false_alarms_per_year: per_year(warning_or_above),
    }
}

fn no_lead(id: i64, start: NaiveDate) -> EpisodeLead {
    EpisodeLead {
        episode_id: id,
        start,
        lead_days_watch: None,
        lead_days_warning: None,
        first_alert: None,
    }
}
