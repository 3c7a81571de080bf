//! The diary indexed once for a run of the engine: one slot per logical day
//! (docs/rules.md: a day starts at `day_starts_at`), holding its entries,
//! its day weight, its symptoms at their highest severity and whether it lies
//! inside a recorded episode; plus the readings (BP, heart rate, labs,
//! medications) in time order with running counts per day, so that no day
//! ever re-scans the diary.

use std::ops::Range;

use chrono::{NaiveDate, TimeDelta};

use super::config::RulesConfig;
use super::ScheduledMed;
use crate::model::{Entry, Episode, LabKind, Severity};

/// `date + n` days, saturating at chrono's limits.
pub(crate) fn shift(date: NaiveDate, n: i64) -> NaiveDate {
    TimeDelta::try_days(n)
        .and_then(|d| date.checked_add_signed(d))
        .unwrap_or(if n < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
}

/// Whole days from `a` to `b`.
pub(crate) fn days_between(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days()
}

/// Median; the mean of the middle two when the count is even. `None` when empty.
pub(crate) fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    // The middle value(s) in total order without sorting everything: the
    // engine takes two medians of weeks of weights for every day it
    // evaluates. Same result as sorting (see the test below).
    let n = values.len();
    let (below, &mut upper, _) = values.select_nth_unstable_by(n / 2, f64::total_cmp);
    Some(if n % 2 == 1 {
        upper
    } else {
        let lower = below
            .iter()
            .copied()
            .max_by(f64::total_cmp)
            .unwrap_or(upper);
        (lower + upper) / 2.0
    })
}

/// The median of `values` and how many there were, without allocating for
/// the usual handful (the engine computes a few medians a day).
pub(crate) fn median_of(values: impl Iterator<Item = f64>) -> (Option<f64>, usize) {
    const N: usize = 64;
    let mut buf = [0f64; N];
    let mut n = 0;
    let mut spill: Vec<f64> = Vec::new();
    for v in values {
        if n < N {
            buf[n] = v;
            n += 1;
        } else {
            if spill.is_empty() {
                spill.extend_from_slice(&buf);
            }
            spill.push(v);
        }
    }
    if spill.is_empty() {
        (median(&mut buf[..n]), n)
    } else {
        let k = spill.len();
        (median(&mut spill), k)
    }
}

/// A usable weight: finite and positive (anything else is ignored as missing).
fn usable_weight(e: &Entry) -> Option<f64> {
    e.m.weight_kg.filter(|w| w.is_finite() && *w > 0.0)
}

/// Symptoms at their highest severity over a set of entries, sorted by name,
/// with the entry index where each was highest.
#[derive(Debug, Default, Clone)]
pub(crate) struct SymView<'a> {
    pub list: Vec<(&'a str, Severity, usize)>,
}

impl<'a> SymView<'a> {
    /// Take the highest severity of each symptom of entry `i`.
    pub fn add(&mut self, i: usize, e: &'a Entry) {
        for s in &e.m.symptoms {
            match self
                .list
                .binary_search_by(|(n, _, _)| (*n).cmp(s.name.as_str()))
            {
                Ok(j) => {
                    if s.severity > self.list[j].1 {
                        self.list[j].1 = s.severity;
                        self.list[j].2 = i;
                    }
                }
                Err(j) => self.list.insert(j, (s.name.as_str(), s.severity, i)),
            }
        }
    }

    /// The highest severity of `name`; 0 when not logged.
    pub fn get(&self, name: &str) -> Severity {
        self.list
            .binary_search_by(|(n, _, _)| (*n).cmp(name))
            .map_or(0, |i| self.list[i].1)
    }
}

/// What one logical day holds.
#[derive(Debug, Default)]
pub(crate) struct Day<'a> {
    /// This day's entries, as indices into [`Index::entries`].
    pub range: Range<usize>,
    /// Entry index of the day weight (the earliest entry with a weight).
    pub weight: Option<usize>,
    /// The highest severity of each symptom over the day's entries.
    pub symptoms: SymView<'a>,
    /// Running counts of lab values dated on or before this day.
    pub n_lab: [usize; 3],
    /// The latest day on or before this one with a weight.
    pub last_weight: Option<NaiveDate>,
    /// Inside a recorded episode (its start to its end; an open one onwards).
    pub in_episode: bool,
}

impl Day<'_> {
    pub fn has_entries(&self) -> bool {
        !self.range.is_empty()
    }

    /// The day's highest severity of `name`: `None` when nothing was logged
    /// that day (unknown), `Some(0)` when logged but not this symptom.
    pub fn symptom(&self, name: &str) -> Option<Severity> {
        if !self.has_entries() {
            return None;
        }
        Some(self.symptoms.get(name))
    }
}

static EMPTY_DAY: Day<'static> = Day {
    range: 0..0,
    weight: None,
    symptoms: SymView { list: Vec::new() },
    n_lab: [0; 3],
    last_weight: None,
    in_episode: false,
};

pub(crate) fn lab_slot(kind: LabKind) -> usize {
    match kind {
        LabKind::Hemoglobin => 0,
        LabKind::Hematocrit => 1,
        LabKind::Albumin => 2,
    }
}

/// One lab reading with its baseline (median of earlier values).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LabReading {
    pub entry: usize,
    pub value: f64,
    /// (median, number of values).
    pub baseline: Option<(f64, usize)>,
}

pub(crate) struct Index<'a> {
    /// Every entry dated on or before the last day indexed (sorted).
    pub entries: &'a [Entry],
    /// The logical day of each entry (parallel to `entries`, ascending).
    pub ldays: Vec<NaiveDate>,
    /// True when the whole diary (not just up to the last day) is empty.
    pub diary_empty: bool,
    /// The first indexed day; entries before it are not indexed per day.
    pub base: NaiveDate,
    pub days: Vec<Day<'a>>,
    /// Entry indices, in time order, of sitting BP readings (for baselines).
    pub bp: Vec<usize>,
    pub labs: [Vec<LabReading>; 3],
    /// Per scheduled medication: the dates it was recorded, ascending.
    pub meds: Vec<Vec<NaiveDate>>,
}

impl<'a> Index<'a> {
    /// Index `entries` (sorted; entries after "now" already cut off) for
    /// evaluating logical days `base + lookback ..= to`.
    pub fn build(
        all: &'a [Entry],
        base: NaiveDate,
        to: NaiveDate,
        schedule: &[ScheduledMed],
        episodes: &[Episode],
        cfg: &RulesConfig,
    ) -> Index<'a> {
        let ds = cfg.day_start;
        // Sorted by local date and time, so logical days ascend too.
        let end = all.partition_point(|e| e.day(ds) <= to);
        let entries = &all[..end];
        let ldays: Vec<NaiveDate> = entries.iter().map(|e| e.day(ds)).collect();
        let start = ldays.partition_point(|d| *d < base);
        let n_days = usize::try_from(days_between(base, to) + 1).unwrap_or(0);
        let mut days: Vec<Day<'a>> = Vec::with_capacity(n_days);
        days.resize_with(n_days, Day::default);

        for ep in episodes {
            let last = ep.end.unwrap_or(to).min(to);
            let (a, b) = (
                days_between(base, ep.start).max(0),
                days_between(base, last),
            );
            for k in a..=b {
                if let Some(d) = usize::try_from(k).ok().and_then(|k| days.get_mut(k)) {
                    d.in_episode = true;
                }
            }
        }

        let mut ix = Index {
            entries,
            ldays: Vec::new(),
            diary_empty: all.is_empty(),
            base,
            days: Vec::new(),
            bp: Vec::new(),
            labs: [Vec::new(), Vec::new(), Vec::new()],
            meds: Vec::new(),
        };

        let mut i = start;
        let mut last_weight = entries[..start]
            .iter()
            .rev()
            .find(|e| usable_weight(e).is_some())
            .map(|e| e.day(ds));
        for (k, day) in days.iter_mut().enumerate() {
            let date = shift(base, k as i64);
            let first = i;
            while i < entries.len() && ldays[i] == date {
                let e = &entries[i];
                if day.weight.is_none() && usable_weight(e).is_some() {
                    day.weight = Some(i);
                }
                day.symptoms.add(i, e);
                if e.m.bp.is_some_and(|b| b.systolic > 0) {
                    ix.bp.push(i);
                }
                for l in &e.m.labs {
                    if l.value.is_finite() {
                        ix.labs[lab_slot(l.kind)].push(LabReading {
                            entry: i,
                            value: l.value,
                            baseline: None,
                        });
                    }
                }
                i += 1;
            }
            day.range = first..i;
            if day.weight.is_some() {
                last_weight = Some(date);
            }
            day.last_weight = last_weight;
            day.n_lab = [ix.labs[0].len(), ix.labs[1].len(), ix.labs[2].len()];
        }
        ix.days = days;

        // Lab baselines: the median of earlier values within baseline_days.
        let window = i64::from(cfg.labs.baseline_days);
        for list in &mut ix.labs {
            let mut lo = 0;
            for p in 0..list.len() {
                let date = ldays[list[p].entry];
                while lo < p && days_between(ldays[list[lo].entry], date) > window {
                    lo += 1;
                }
                let mut vals: Vec<f64> = list[lo..p].iter().map(|r| r.value).collect();
                let n = vals.len();
                list[p].baseline = median(&mut vals).map(|m| (m, n));
            }
        }

        // Medication dates, over every loaded entry (a dose may be long ago).
        ix.meds = schedule
            .iter()
            .map(|m| {
                let name = m.name.trim();
                let mut dates: Vec<NaiveDate> = entries
                    .iter()
                    .zip(&ldays)
                    .filter(|(e, _)| {
                        e.m.meds
                            .iter()
                            .any(|x| x.name.trim().eq_ignore_ascii_case(name))
                    })
                    .map(|(_, d)| *d)
                    .collect();
                dates.dedup();
                dates
            })
            .collect();
        ix.ldays = ldays;
        ix
    }

    /// The logical day of entry `i`.
    pub fn lday(&self, i: usize) -> NaiveDate {
        self.ldays[i]
    }

    /// The index of the first entry of logical day `date` or later.
    pub fn first_from(&self, date: NaiveDate) -> usize {
        self.ldays.partition_point(|d| *d < date)
    }

    /// The median of the day weights of the most recent `want` weighed days
    /// before `date`, looking back at most `lookback` days and leaving out
    /// episode days, and how many there were.
    pub fn weight_baseline(
        &self,
        date: NaiveDate,
        want: u32,
        lookback: u32,
    ) -> (Option<f64>, usize) {
        median_of(
            (1..=i64::from(lookback))
                .map(|k| shift(date, -k))
                .filter(|d| !self.day(*d).in_episode)
                .filter_map(|d| self.weight(d).map(|w| w.0))
                .take(want as usize),
        )
    }

    /// The median of the day weights on `from..=to` (episode days left out
    /// when `skip_episodes`), and how many there were.
    pub fn weights_median(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        skip_episodes: bool,
    ) -> (Option<f64>, usize) {
        let n = days_between(from, to).max(-1) + 1;
        // The days' slots by position, not each day by date: this runs for
        // every day the engine evaluates, over weeks of days each time, and
        // date arithmetic per day was most of its cost. A day outside the
        // indexed range has no weight, as `day()` says.
        let first = days_between(self.base, from);
        median_of((first..first + n).filter_map(|k| {
            let day = self.days.get(usize::try_from(k).ok()?)?;
            if skip_episodes && day.in_episode {
                return None;
            }
            usable_weight(&self.entries[day.weight?])
        }))
    }

    /// The slot of `date`; an empty day outside the indexed range.
    pub fn day(&self, date: NaiveDate) -> &Day<'a> {
        let k = days_between(self.base, date);
        usize::try_from(k)
            .ok()
            .and_then(|k| self.days.get(k))
            .unwrap_or(&EMPTY_DAY)
    }

    /// Day weight of `date`: (kg, entry index).
    pub fn weight(&self, date: NaiveDate) -> Option<(f64, usize)> {
        let i = self.day(date).weight?;
        usable_weight(&self.entries[i]).map(|w| (w, i))
    }

    /// The latest value of a lab dated within `valid_days` up to `date`.
    pub fn latest_lab(
        &self,
        kind: LabKind,
        date: NaiveDate,
        valid_days: u32,
    ) -> Option<&LabReading> {
        let slot = lab_slot(kind);
        let n = self.day(date).n_lab[slot];
        let r = self.labs[slot][..n].last()?;
        let age = days_between(self.ldays[r.entry], date);
        (age < i64::from(valid_days)).then_some(r)
    }

    /// The worst value of a lab dated within `valid_days` up to `date`: the
    /// one with the highest `key`, the latest of equals (so with nothing
    /// abnormal, the latest). A later normal value never hides an earlier
    /// abnormal one while that still counts.
    pub fn worst_lab<K: Ord>(
        &self,
        kind: LabKind,
        date: NaiveDate,
        valid_days: u32,
        key: impl Fn(&LabReading) -> K,
    ) -> Option<&LabReading> {
        let slot = lab_slot(kind);
        let n = self.day(date).n_lab[slot];
        let mut worst: Option<(&LabReading, K)> = None;
        for r in self.labs[slot][..n].iter().rev() {
            if days_between(self.ldays[r.entry], date) >= i64::from(valid_days) {
                break;
            }
            let k = key(r);
            if worst.as_ref().is_none_or(|(_, w)| k > *w) {
                worst = Some((r, k));
            }
        }
        worst.map(|(r, _)| r)
    }

    /// The last entry dated on or before `date` (over everything loaded).
    pub fn last_entry_on_or_before(&self, date: NaiveDate) -> Option<usize> {
        let n = self.ldays.partition_point(|d| *d <= date);
        n.checked_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `median` computed before it selected instead of sorting.
    fn sorted_median(values: &[f64]) -> Option<f64> {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        (n > 0).then(|| {
            if n % 2 == 1 {
                v[n / 2]
            } else {
                (v[n / 2 - 1] + v[n / 2]) / 2.0
            }
        })
    }

    #[test]
    fn the_median_by_selection_is_the_median_by_sorting() {
        // A fixed pseudo-random walk of weights, with repeats, every length
        // from 0 to 80 (past the 64 kept without allocating).
        let mut x: u64 = 42;
        let mut all = Vec::new();
        for _ in 0..80 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            all.push(60.0 + f64::from((x >> 40) as u32 % 40) / 10.0);
        }
        for n in 0..=all.len() {
            let mut v = all[..n].to_vec();
            assert_eq!(median(&mut v), sorted_median(&all[..n]), "n = {n}");
            let (m, k) = median_of(all[..n].iter().copied());
            assert_eq!((m, k), (sorted_median(&all[..n]), n), "n = {n}");
        }
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }
}
