//! The one weight baseline B (D1, W1, W2, P1, the custom rules, and the
//! report's and the card's baseline column) and W4's reference weight
//! (docs/rules.md, "Baselines"). Nothing else computes either.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::config::RulesConfig;
use super::index::{shift, Index};
use super::Diary;
use crate::model::entry_order;

/// The weight baseline B the weight rules use for one logical day
/// (docs/rules.md): the median of the day weights of the
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

/// Baseline B for a weight on `date`: the 7 most recent weighed days before
/// it, within 28 days, episode days left out (with the defaults).
pub(super) fn of_day(ix: &Index<'_>, date: NaiveDate, cfg: &RulesConfig) -> WeightBaseline {
    let nb = &cfg.no_baseline;
    let (m, n) = ix.weight_baseline(date, nb.days, nb.lookback_days);
    WeightBaseline {
        date,
        kg: m.filter(|_| n >= nb.min_weights as usize),
        weights: n,
        from: shift(date, -i64::from(nb.lookback_days)),
        to: shift(date, -1),
    }
}

/// W4's reference weight on `date`: `dry_weight_kg` when set (`None` day
/// weights), else the median of the day weights on DATE−`reference_from_days`
/// ..DATE−`reference_to_days`, episode days left out, with how many there
/// were; the reason when there are too few.
pub(super) fn reference(
    ix: &Index<'_>,
    date: NaiveDate,
    cfg: &RulesConfig,
) -> Result<(f64, Option<usize>), String> {
    let s = &cfg.sustained_gain;
    match cfg.dry_weight_kg {
        Some(dry) => Ok((dry, None)),
        None => {
            let (rf, rt) = (
                shift(date, -i64::from(s.reference_from_days)),
                shift(date, -i64::from(s.reference_to_days)),
            );
            let (m, n) = ix.weights_median(rf, rt, true);
            match m.filter(|_| n >= s.min_reference as usize) {
                Some(m) => Ok((m, Some(n))),
                None => Err(format!(
                    "no reference weight: {n} of the {} day weights needed on {rf}..{rt} (or set dry_weight_kg)",
                    s.min_reference
                )),
            }
        }
    }
}

/// The rules' own weight baseline for every logical day of `from..=to`:
/// the one source for `cls report` and `cls card`, so that they never keep
/// a private one. `diary.entries` needs the days of [`super::recent_days`]
/// before `from`.
pub fn weight_baselines(
    diary: &Diary<'_>,
    from: NaiveDate,
    to: NaiveDate,
    cfg: &RulesConfig,
) -> Vec<WeightBaseline> {
    if from > to {
        return Vec::new();
    }
    let mut sorted: Vec<crate::model::Entry>;
    let entries: &[crate::model::Entry] = if diary
        .entries
        .is_sorted_by(|a, b| entry_order(a, b) != std::cmp::Ordering::Greater)
    {
        diary.entries
    } else {
        sorted = diary.entries.to_vec();
        sorted.sort_by(entry_order);
        &sorted
    };
    let nb = &cfg.no_baseline;
    let base = shift(from, -i64::from(nb.lookback_days) - 1);
    let ix = Index::build(entries, base, to, &[], diary.episodes, cfg);
    from.iter_days()
        .take_while(|d| *d <= to)
        .map(|date| of_day(&ix, date, cfg))
        .collect()
}
