//! Evaluation of the default rule set (docs/rules.md) and the patient's
//! custom rules over an [`Index`], one day after another: each day's
//! context is built once ([`super::day`]), then every family evaluates its
//! rules in rule order ([`super::family::FAMILIES`]), then the custom rules.
//!
//! Every rule either fires (a [`super::Finding`]), stays quiet because its
//! inputs are there and say "no", or is [`super::Skipped`] with the reason
//! its inputs are missing. A rule whose inputs are missing never counts as
//! passing.

use chrono::NaiveDate;

use super::config::RulesConfig;
use super::day::{build_ctx, DayInput, Out, Prepared};
use super::family::recovery::{self, Recovery};
use super::family::FAMILIES;
use super::index::{days_between, shift, Index};
use super::{Assessment, Diary, Level, Now};
use crate::model::{entry_order, Entry};

/// One evaluated day, with what the backtest also needs to know.
pub(crate) struct DayOut {
    pub assessment: Assessment,
    /// Read by the tests (the backtest no longer excuses recovery days).
    #[cfg_attr(not(test), allow(dead_code))]
    pub in_recovery: bool,
}

/// Days of data the rules read before the evaluation date (without warm-up).
pub(crate) fn data_days(cfg: &RulesConfig) -> i64 {
    let labs = i64::from(cfg.labs.baseline_days) + i64::from(cfg.labs.valid_days);
    let bp = i64::from(cfg.bp_baseline.max_age_days) + 2;
    let weight = weight_days(cfg);
    let trigger = i64::from(cfg.trigger.days) + 1;
    let med = super::family::meds::MAX_MED_INTERVAL_DAYS + 1;
    labs.max(bp).max(weight).max(trigger).max(med) + 7
}

/// Days of day weights the weight rules read before the evaluation date:
/// the baseline of yesterday's weight (carry-over) and W4's reference.
pub(crate) fn weight_days(cfg: &RulesConfig) -> i64 {
    (i64::from(cfg.no_baseline.lookback_days) + 2)
        .max(i64::from(cfg.sustained_gain.reference_from_days) + 1)
}

/// Days evaluated before `from` (and not returned) so that emergencies just
/// before `from` open the recovery window as they would in a full history.
pub(crate) fn warmup_days(cfg: &RulesConfig) -> i64 {
    3 * i64::from(cfg.recruitment.window_days)
}

/// Evaluate every logical day of `from..=to` in one pass, each as of its
/// end; with `now`, the day `to` is judged as of that moment instead (and
/// entries stamped after it are not read).
///
/// Days before `detail_from` are quiet: their assessment has the level but
/// no findings, skips or notes (the warm-up before `from` always is).
pub(crate) fn run(
    diary: &Diary<'_>,
    from: NaiveDate,
    to: NaiveDate,
    detail_from: NaiveDate,
    now: Option<Now>,
    cfg: &RulesConfig,
) -> Vec<DayOut> {
    if from > to {
        return Vec::new();
    }
    let owned: Vec<Entry>;
    let mut entries: &[Entry] = if diary
        .entries
        .is_sorted_by(|a, b| entry_order(a, b) != std::cmp::Ordering::Greater)
    {
        diary.entries
    } else {
        let mut v = diary.entries.to_vec();
        v.sort_by(entry_order);
        owned = v;
        &owned
    };
    if let Some(n) = now {
        // Entries stamped after the moment judged are not read.
        let end = entries.partition_point(|e| e.stamp.date.and_time(e.stamp.time) <= n.local);
        entries = &entries[..end];
    }
    let ds = cfg.day_start;
    let start = match entries.first() {
        Some(e) if e.day(ds) < from => shift(from, -warmup_days(cfg)).max(e.day(ds)),
        _ => from,
    };
    let base = shift(start, -data_days(cfg));
    let ix = Index::build(entries, base, to, diary.schedule, diary.episodes, cfg);
    let prep = Prepared::new(cfg);

    let mut out = Vec::with_capacity(usize::try_from(days_between(from, to) + 1).unwrap_or(0));
    let mut last_emergency: Option<NaiveDate> = None;
    let mut date = start;
    loop {
        let recovery = recovery::source(diary.episodes, last_emergency, date, cfg);
        // The warm-up is read only for its emergencies.
        let detail = date >= from && date >= detail_from;
        let moment = now.filter(|_| date == to);
        let assessment = eval_day(&ix, diary, &prep, date, moment, recovery, detail, cfg);
        // An emergency day outside an episode opens a recovery window for the
        // days after it (inside one, the episode's own window covers them).
        if assessment.level == Level::Emergency && !ix.day(date).in_episode {
            last_emergency = Some(date);
        }
        if date >= from {
            out.push(DayOut {
                assessment,
                in_recovery: recovery.is_some(),
            });
        }
        match date.succ_opt() {
            Some(next) if date < to => date = next,
            _ => break,
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn eval_day(
    ix: &Index<'_>,
    diary: &Diary<'_>,
    prep: &Prepared,
    date: NaiveDate,
    now: Option<Now>,
    recovery: Option<Recovery>,
    detail: bool,
    cfg: &RulesConfig,
) -> Assessment {
    let input = DayInput {
        prep,
        schedule: diary.schedule,
        date,
        now,
        recovery,
        detail,
    };
    let ctx = build_ctx(ix, input, cfg);
    let mut out = Out::new(detail);
    for family in &FAMILIES {
        (family.evaluate)(&ctx, &mut out);
    }
    super::custom::evaluate_all(&ctx, &mut out);

    let level = out.level();
    // Most severe first; rule order within a level.
    out.findings.sort_by_key(|f| std::cmp::Reverse(f.level));
    Assessment {
        date,
        as_of: if detail {
            now.map(|n| n.local.format("%Y-%m-%dT%H:%M:%S").to_string())
        } else {
            None
        },
        level,
        findings: out.findings,
        skipped: out.skipped,
        notes: out.notes,
        disabled: if detail {
            cfg.disabled().into_iter().map(|d| d.rule).collect()
        } else {
            Vec::new()
        },
    }
}
