//! What the rules read, loaded in one call. A command says which days it
//! judges; the rules say how far back they look ([`rules::lookback_days`],
//! [`rules::recent_days`]); the store reads just that. No command negotiates
//! windows between the rules and the store, or builds a [`Diary`] by hand.

use chrono::{Duration, NaiveDate};

use crate::config::{Config, ScheduledMed};
use crate::model::{Entry, Episode};
use crate::rules::{self, Diary};
use crate::store::{Result, Store};

/// The days a command judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judged {
    /// The logical days `from..=to` (check and its history, log, status,
    /// ack, remind, card, report): every entry the rules read for them,
    /// from the look-back before `from` on, and every episode.
    Days { from: NaiveDate, to: NaiveDate },
    /// Every entry dated in the range (either end open) and the episodes
    /// starting in it: the backtest and `rules tune`, which score the whole
    /// span.
    Span {
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    },
}

impl Judged {
    /// One logical day.
    pub fn day(date: NaiveDate) -> Self {
        Judged::Days {
            from: date,
            to: date,
        }
    }
}

/// The rules' input, owned: the entries (in [`crate::model::entry_order`]),
/// the episodes and the medication schedule.
#[derive(Debug, Clone, Default)]
pub struct ForRules {
    pub entries: Vec<Entry>,
    pub episodes: Vec<Episode>,
    pub schedule: Vec<ScheduledMed>,
}

impl ForRules {
    /// The view the rules engine reads.
    pub fn diary(&self) -> Diary<'_> {
        Diary {
            entries: &self.entries,
            episodes: &self.episodes,
            schedule: &self.schedule,
        }
    }
}

/// Load what the rules need to judge `judged` under `config`.
pub fn load_for_rules(store: &Store, config: &Config, judged: Judged) -> Result<ForRules> {
    let schedule = config.medications.clone();
    match judged {
        Judged::Days { from, to } => {
            let cfg = &config.rules;
            let days = |n| from - Duration::days(n);
            // Logical day `to` runs into the next calendar day (before
            // `day_starts_at`).
            let to = to.succ_opt().unwrap_or(to);
            let entries = store.entries_for_rules(
                days(rules::lookback_days(cfg)),
                days(rules::recent_days(cfg)),
                to,
                cfg.bp_baseline.readings,
            )?;
            Ok(ForRules {
                entries,
                episodes: store.episodes()?,
                schedule,
            })
        }
        Judged::Span { from, to } => {
            let entries = store.entries(from, to)?;
            let episodes = store
                .episodes()?
                .into_iter()
                .filter(|e| from.is_none_or(|f| e.start >= f) && to.is_none_or(|t| e.start <= t))
                .collect();
            Ok(ForRules {
                entries,
                episodes,
                schedule,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveTime, TimeZone, Utc};

    use super::*;
    use crate::model::{Measurements, Stamp};

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn diary() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        for (date, time) in [
            ("2026-05-01", "08:00"),
            ("2026-06-01", "08:00"),
            // Before 04:00: counts for 1 June.
            ("2026-06-02", "02:00"),
            ("2026-06-03", "08:00"),
        ] {
            let date = day(date);
            let time = NaiveTime::parse_from_str(time, "%H:%M").unwrap();
            let stamp = Stamp {
                date,
                time,
                utc: Utc.from_utc_datetime(&date.and_time(time)),
                offset_secs: 0,
            };
            let m = Measurements {
                weight_kg: Some(68.0),
                ..Measurements::default()
            };
            store.insert(&stamp, &m).unwrap();
        }
        store.start_episode(day("2026-01-10"), false, None).unwrap();
        store.start_episode(day("2026-06-20"), true, None).unwrap();
        store
    }

    fn dates(input: &ForRules) -> Vec<String> {
        let e = &input.entries;
        e.iter()
            .map(|e| format!("{} {}", e.stamp.date, e.stamp.time.format("%H:%M")))
            .collect()
    }

    #[test]
    fn days_load_the_judged_day_into_the_next_morning_and_every_episode() {
        let config = Config::default();
        let input = load_for_rules(&diary(), &config, Judged::day(day("2026-06-01"))).unwrap();
        assert_eq!(
            dates(&input),
            ["2026-05-01 08:00", "2026-06-01 08:00", "2026-06-02 02:00"]
        );
        assert_eq!(input.episodes.len(), 2, "{:?}", input.episodes);
        assert_eq!(input.schedule, config.medications);
        assert_eq!(input.diary().entries.len(), 3);
    }

    #[test]
    fn a_span_loads_its_entries_and_the_episodes_starting_in_it() {
        let span = Judged::Span {
            from: Some(day("2026-06-01")),
            to: Some(day("2026-06-30")),
        };
        let input = load_for_rules(&diary(), &Config::default(), span).unwrap();
        assert_eq!(input.entries.len(), 3, "{:?}", dates(&input));
        let starts: Vec<NaiveDate> = input.episodes.iter().map(|e| e.start).collect();
        assert_eq!(starts, [day("2026-06-20")]);

        let whole = Judged::Span {
            from: None,
            to: None,
        };
        let input = load_for_rules(&diary(), &Config::default(), whole).unwrap();
        assert_eq!((input.entries.len(), input.episodes.len()), (4, 2));
    }
}
