//! Replaying the diary against the rules: how many days before each recorded
//! episode the rules first raised `watch` and `warning`, and how often they
//! raised `warning` or above when no episode followed (false alarms).

use chrono::NaiveDate;

use super::engine;
use super::index::{days_between, shift};
use super::{Backtest, Diary, EpisodeLead, Level, RulesConfig};

/// An alert counts as an episode's early warning when it falls in the
/// `LEAD_IN_DAYS` days before the episode's start (or on the start date);
/// alerts in that lead-in are not false alarms.
pub const LEAD_IN_DAYS: i64 = 7;

/// An episode without an end date is taken to last this many days after its
/// start, for false-alarm counting.
const OPEN_EPISODE_DAYS: i64 = 7;

/// The lead time the rules gave before one episode, given each day's level.
fn lead(ep: &super::Episode, level_on: &impl Fn(NaiveDate) -> Option<Level>) -> EpisodeLead {
    let window = (0..=LEAD_IN_DAYS).rev().map(|k| shift(ep.start, -k));
    let first_at = |min: Level| {
        window
            .clone()
            .find(|d| level_on(*d).is_some_and(|l| l >= min))
    };
    let watch = first_at(Level::Watch);
    let warning = first_at(Level::Warning);
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
    let dates = diary.entries.iter().map(|e| e.date());
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
            false_alarm_days: 0,
            false_alarms_per_year: 0.0,
        };
    };
    // Only the levels are read: no day needs its findings' text.
    let days = engine::run(diary, from, to, NaiveDate::MAX, None, cfg);
    let level_on = |d: NaiveDate| -> Option<Level> {
        let k = usize::try_from(days_between(from, d)).ok()?;
        days.get(k).map(|x| x.assessment.level)
    };

    let mut episodes: Vec<&super::Episode> = diary.episodes.iter().collect();
    episodes.sort_by_key(|e| (e.start, e.id));
    let leads = episodes.iter().map(|ep| lead(ep, &level_on)).collect();

    let excused = |d: NaiveDate| {
        episodes.iter().any(|ep| {
            let end = ep.end.unwrap_or_else(|| shift(ep.start, OPEN_EPISODE_DAYS));
            d >= shift(ep.start, -LEAD_IN_DAYS) && d <= end.max(ep.start)
        })
    };
    let false_alarm_days = days
        .iter()
        .filter(|x| {
            x.assessment.level >= Level::Warning && !x.in_recovery && !excused(x.assessment.date)
        })
        .count();
    let years = days.len() as f64 / 365.25;
    Backtest {
        from: Some(from),
        to: Some(to),
        days: days.len(),
        episodes: leads,
        false_alarm_days,
        false_alarms_per_year: if years > 0.0 {
            false_alarm_days as f64 / years
        } else {
            0.0
        },
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
