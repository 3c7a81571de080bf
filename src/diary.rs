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
