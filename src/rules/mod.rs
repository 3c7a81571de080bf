//! The rules engine: the default SCLS rule set of clinical.md §3 plus the
//! patient's own rules, evaluated day by day.
//!
//! Pure: entries, episodes, the rule configuration and the evaluation date go
//! in; an [`Assessment`] comes out. No I/O, no clock.
//!
//! The promise the engine keeps: it never falsely reassures. Missing or stale
//! data raises `unknown` (rules D1, D2), never `ok`; a rule whose inputs are
//! missing is listed in [`Assessment::skipped`] with the reason, never
//! counted as passing.
//!
//! Files: [`config`] (the `[rules]` TOML and its validation), `index` (the
//! diary indexed once per run), `engine` (the rules), `custom` (patient
//! rules), `describe` (`cls rules`), `backtest`.

mod backtest;
pub mod config;
mod custom;
mod describe;
mod engine;
mod index;
#[cfg(test)]
mod tests;
pub mod tune;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::config::ScheduledMed;
use crate::model::{Entry, Episode};

/// Warning levels, lowest to highest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Ok,
    Unknown,
    Watch,
    Warning,
    Emergency,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::Ok,
        Level::Unknown,
        Level::Watch,
        Level::Warning,
        Level::Emergency,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Ok => "ok",
            Level::Unknown => "unknown",
            Level::Watch => "watch",
            Level::Warning => "warning",
            Level::Emergency => "emergency",
        }
    }

    /// `cls check`'s exit status for this level (docs/cli.md).
    pub fn exit_code(self) -> u8 {
        match self {
            Level::Ok => 0,
            Level::Unknown => 10,
            Level::Watch => 11,
            Level::Warning => 12,
            Level::Emergency => 13,
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

pub use backtest::{
    leads_from_history, score as backtest_score, FALSE_ALARM_AFTER, FALSE_ALARM_BEFORE,
    LEAD_IN_DAYS,
};
pub use config::{
    Albumin, BpBaseline, Breathing, Condition, CustomRule, Hemoconcentration, Hypotension, Labs,
    LeakCombo, LowBp, LowUrine, MedOverdue, NoBaseline, OvernightJump, ProdromeCluster,
    Recruitment, RulesConfig, ShockIndex, Stale, SustainedGain, Swelling, Syncope, Tachycardia,
    Trigger, WeighNow, WeightGain, WeightGainLarge, WeightThirst,
};
pub use describe::describe;

/// One rule that fired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Short id, e.g. "W1" (patient rules use their configured id).
    pub rule: String,
    /// Readable name, e.g. "weight_gain".
    pub name: String,
    pub level: Level,
    /// One line with the numbers behind it.
    pub message: String,
    /// The numbers as data: values, baseline, threshold, dates.
    pub evidence: BTreeMap<String, serde_json::Value>,
}

/// A rule that could not run, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub rule: String,
    pub name: String,
    pub reason: String,
}

/// The result of evaluating one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// The logical day judged.
    pub date: NaiveDate,
    /// The moment judged (local `YYYY-MM-DDTHH:MM:SS`) when the day was
    /// judged as of now; `None` when as of the end of `date`.
    pub as_of: Option<String>,
    /// The highest finding level; `ok` only when nothing fired (D1 and D2
    /// fire at `unknown` whenever data is missing or stale).
    pub level: Level,
    /// Most severe first; within a level, in rule order (D, W, P, L, H, R,
    /// M, then custom rules).
    pub findings: Vec<Finding>,
    /// Enabled rules that could not be decided for lack of data (disabled
    /// rules are not listed).
    pub skipped: Vec<Skipped>,
    /// Things to tell the patient that are not findings ("no weight logged
    /// today: weigh yourself").
    pub notes: Vec<String>,
    /// Rules switched off in the config (ids), so that nobody reads their
    /// silence as "nothing wrong".
    pub disabled: Vec<String>,
}

impl Assessment {
    /// What to do when the level is `unknown`, by its cause (clinical.md §3
    /// v2): nothing recent logged, no current weight, or a baseline still
    /// being built. `None` when no `unknown` finding fired.
    pub fn unknown_advice(&self) -> Option<String> {
        let cause = |rule: &str| self.findings.iter().find(|f| f.rule == rule);
        if cause("D2").is_some() {
            return Some(
                "Nothing logged recently: weigh yourself, take your blood pressure and log it now (cls log)."
                    .into(),
            );
        }
        let d1 = cause("D1")?;
        match d1.evidence.get("more_weights_needed").and_then(|v| v.as_u64()) {
            Some(n) => Some(format!(
                "{} {} you a baseline; keep logging each morning (after voiding, before breakfast).",
                crate::render::count(n, "more morning weight", "more morning weights"),
                if n == 1 { "gives" } else { "give" }
            )),
            None => Some(
                "No current weight: weigh yourself now (after voiding, before breakfast), take your blood pressure and log it (cls log)."
                    .into(),
            ),
        }
    }
}

/// A rule switched off in the config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisabledRule {
    pub rule: String,
    pub name: String,
    /// At its configured level it could raise an emergency.
    pub can_emergency: bool,
}

/// "Now", for judging the logical today as of this moment: the local clock
/// (what entries are stamped with) and the instant (for the 24-hour window).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    pub local: NaiveDateTime,
    pub utc: DateTime<Utc>,
}

impl Now {
    /// The logical day this moment belongs to.
    pub fn day(&self, cfg: &RulesConfig) -> NaiveDate {
        cfg.day_start.day_of_datetime(self.local)
    }
}

/// The data the engine reads. `entries` must be sorted by
/// [`crate::model::entry_order`]; it needs at least [`lookback_days`] before
/// the first date evaluated.
#[derive(Debug, Clone, Copy)]
pub struct Diary<'a> {
    pub entries: &'a [Entry],
    pub episodes: &'a [Episode],
    pub schedule: &'a [ScheduledMed],
}

/// How many days before the evaluation date the caller must load.
///
/// With the defaults this is 475: the longest look-back of any rule (a
/// medication given every 365 days with 60 days' grace: 426 days; lab
/// baselines reach 365 days behind a value that counts for 7 days; the BP
/// baseline uses readings up to 365 days old), plus 7 days' margin, plus the
/// warm-up [`history`] evaluates before its first day so that recent
/// emergencies open the recovery window (3 × the 14-day window).
pub fn lookback_days(cfg: &RulesConfig) -> i64 {
    engine::data_days(cfg) + engine::warmup_days(cfg)
}

/// How many days before the first evaluated date every entry is needed.
/// Before that (back to [`lookback_days`]) the rules read only entries with
/// a lab or a medication, the last `bp_baseline.readings` sitting BP
/// readings, and the latest entry, and none of their symptoms (symptoms
/// count for at most the trigger's days, inside this window): see
/// [`crate::Store::entries_for_rules`].
/// Loading only those keeps `cls check` as fast on ten years of diary as on
/// one month.
pub fn recent_days(cfg: &RulesConfig) -> i64 {
    let short = engine::weight_days(cfg)
        .max(i64::from(cfg.trigger.days) + 1)
        .max(i64::from(cfg.recruitment.window_days))
        .max(i64::from(cfg.stale.days));
    engine::warmup_days(cfg) + short + 7
}

/// Evaluate the rules as of the end of logical day `date`.
pub fn evaluate(diary: &Diary<'_>, date: NaiveDate, cfg: &RulesConfig) -> Assessment {
    history(diary, date, date, cfg)
        .pop()
        .expect("history of one day has one assessment")
}

/// Evaluate the rules for `date`: as of `now` when `date` is the logical
/// today of `now`, else as of the end of `date` (what `cls check [--date]`
/// and `cls log`'s status line judge).
pub fn evaluate_at(diary: &Diary<'_>, date: NaiveDate, now: Now, cfg: &RulesConfig) -> Assessment {
    history_at(diary, date, date, Some(now), cfg)
        .pop()
        .expect("history of one day has one assessment")
}

/// [`history`], with the day `to` judged as of `now` when it is the
/// logical today of `now` (so that `check --date D` and the history's line
/// for D always agree).
pub fn history_at(
    diary: &Diary<'_>,
    from: NaiveDate,
    to: NaiveDate,
    now: Option<Now>,
    cfg: &RulesConfig,
) -> Vec<Assessment> {
    let now = now.filter(|n| n.day(cfg) == to);
    engine::run(diary, from, to, from, now, cfg)
        .into_iter()
        .map(|d| d.assessment)
        .collect()
}

/// Evaluate every day in `from..=to` in one pass (empty when `from > to`).
///
/// The diary is indexed once; days before `from` (up to 3 recovery windows)
/// are evaluated but not returned, so that an emergency just before `from`
/// opens the recovery window exactly as in a longer history.
pub fn history(
    diary: &Diary<'_>,
    from: NaiveDate,
    to: NaiveDate,
    cfg: &RulesConfig,
) -> Vec<Assessment> {
    history_detail_from(diary, from, from, to, cfg)
}

/// [`history`] for callers that read only the level of the first days: the
/// days in `from..detail_from` come with their `level` but with empty
/// `findings`, `skipped` and `notes`, which are not even built (most of the
/// engine's time). Days from `detail_from` on are exactly as [`history`]
/// gives them.
///
/// For a report whose lead-in days only count towards episodes' lead times
/// (see [`leads_from_history`]).
pub fn history_detail_from(
    diary: &Diary<'_>,
    from: NaiveDate,
    detail_from: NaiveDate,
    to: NaiveDate,
    cfg: &RulesConfig,
) -> Vec<Assessment> {
    engine::run(diary, from, to, detail_from, None, cfg)
        .into_iter()
        .map(|d| d.assessment)
        .collect()
}

/// The weight baseline B the weight rules use for one logical day
/// (clinical.md §3 v2): the median of the day weights of the
/// `no_baseline.days` most recent weighed days before it, looking back at
/// most `no_baseline.lookback_days`, episode days left out.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WeightBaseline {
    pub date: NaiveDate,
    /// `None` with fewer than `no_baseline.min_weights` day weights.
    pub kg: Option<f64>,
    /// Day weights found.
    pub weights: usize,
    /// The days looked at: `from..=to` (the day before `date`).
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl WeightBaseline {
    /// "median of the last 7 weighed days" (the label every screen uses).
    pub fn label(&self) -> String {
        format!(
            "median of the last {}",
            crate::render::count(self.weights, "weighed day", "weighed days")
        )
    }
}

/// The rules' own weight baseline for every logical day of `from..=to`:
/// the one source for `cls report` and `cls card`, so that they never keep
/// a private one. `diary.entries` needs the days of [`recent_days`] before
/// `from`.
pub fn weight_baselines(
    diary: &Diary<'_>,
    from: NaiveDate,
    to: NaiveDate,
    cfg: &RulesConfig,
) -> Vec<WeightBaseline> {
    engine::weight_baselines(diary, from, to, cfg)
}

/// Per-episode lead time and the false-alarm rate, for tuning thresholds
/// (clinical.md §4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backtest {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub days: usize,
    pub episodes: Vec<EpisodeLead>,
    /// Episodes with at least one day of warning lead (sensitivity).
    pub episodes_with_warning_lead: usize,
    /// Days at watch or above outside [episode start − 7, end + 14], per level.
    pub false_alarms: FalseAlarms,
    /// Days at warning or above among them.
    pub false_alarm_days: usize,
    pub false_alarms_per_year: f64,
}

/// False-alarm days by level, and per year of diary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FalseAlarms {
    pub watch_days: usize,
    pub warning_days: usize,
    pub emergency_days: usize,
    pub watch_per_year: f64,
    pub warning_per_year: f64,
    pub emergency_per_year: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpisodeLead {
    pub episode_id: i64,
    pub start: NaiveDate,
    /// Days from the first day of the unbroken run of watch (or higher)
    /// days that ends on the day before the start (or on the start day) to
    /// the start; `None` when there is no such run.
    pub lead_days_watch: Option<i64>,
    /// The same for warning or higher.
    pub lead_days_warning: Option<i64>,
    pub first_alert: Option<NaiveDate>,
}

/// Replay the whole loaded diary (first to last entry) and measure, per
/// episode, how early the rules warned, and how many days outside episodes
/// were at warning or above. See [`LEAD_IN_DAYS`].
pub fn backtest(diary: &Diary<'_>, cfg: &RulesConfig) -> Backtest {
    backtest::run(diary, cfg)
}

/// One rule as `cls rules` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleInfo {
    pub rule: String,
    pub name: String,
    pub enabled: bool,
    /// Its level (or "modifier", "unknown" for D rules; levels by band for
    /// rules with several).
    pub level: String,
    pub inputs: String,
    pub fires_when: String,
    /// Config keys whose value differs from the default, as `key = value`
    /// with the key relative to `[rules]` (e.g. `weight_gain.watch_kg = 1.2`;
    /// L1/L2 also list `bp_baseline.*`, H1/H2 `labs.*`).
    pub changed: Vec<String>,
}
