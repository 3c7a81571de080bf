//! The diary indexed once for a run of the engine: one slot per calendar day
//! (day weight, the day's symptoms at their highest severity, urine), plus
//! the readings (BP, heart rate, labs, medications) in time order with
//! running counts per day, so that "the latest reading dated DATE or DATE−1"
//! is an O(1) look-up and no day ever re-scans the diary.

use std::ops::Range;

use chrono::{NaiveDate, TimeDelta};

use super::config::RulesConfig;
use crate::config::ScheduledMed;
use crate::model::{Entry, LabKind, Severity, Urine};

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
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
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

/// What one calendar day holds.
#[derive(Debug, Default)]
pub(crate) struct Day<'a> {
    /// This day's entries, as indices into [`Index::entries`].
    pub range: Range<usize>,
    /// Entry index of the day weight (the earliest entry with a weight).
    pub weight: Option<usize>,
    /// The highest severity of each symptom over the day's entries, sorted by
    /// name, with the entry index where it was highest.
    pub symptoms: Vec<(&'a str, Severity, usize)>,
    /// An entry with `urine less`.
    pub urine_less: Option<usize>,
    /// The entry with the lowest `urine_ml`.
    pub urine_ml: Option<usize>,
    /// Any urine observation (`--urine` of any kind, or `--urine-ml`).
    pub urine_logged: bool,
    /// Running counts of readings dated on or before this day.
    pub n_bp: usize,
    pub n_hr: usize,
    pub n_hr_bp: usize,
    pub n_standing: usize,
    pub n_lab: [usize; 3],
    /// The latest day on or before this one with a weight.
    pub last_weight: Option<NaiveDate>,
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
        Some(
            self.symptoms
                .binary_search_by(|(n, _, _)| (*n).cmp(name))
                .map_or(0, |i| self.symptoms[i].1),
        )
    }

    pub fn has_urine(&self) -> bool {
        self.urine_logged
    }
}

static EMPTY_DAY: Day<'static> = Day {
    range: 0..0,
    weight: None,
    symptoms: Vec::new(),
    urine_less: None,
    urine_ml: None,
    urine_logged: false,
    n_bp: 0,
    n_hr: 0,
    n_hr_bp: 0,
    n_standing: 0,
    n_lab: [0; 3],
    last_weight: None,
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
    /// True when the whole diary (not just up to the last day) is empty.
    pub diary_empty: bool,
    /// The first indexed day; entries before it are not indexed per day.
    pub base: NaiveDate,
    pub days: Vec<Day<'a>>,
    /// Entry indices, in time order, of sitting BP / HR / both / standing BP.
    pub bp: Vec<usize>,
    pub hr: Vec<usize>,
    pub hr_bp: Vec<usize>,
    pub standing: Vec<usize>,
    pub labs: [Vec<LabReading>; 3],
    /// Per scheduled medication: the dates it was recorded, ascending.
    pub meds: Vec<Vec<NaiveDate>>,
}

impl<'a> Index<'a> {
    /// Index `entries` (sorted) for evaluating days `base + lookback ..= to`.
    pub fn build(
        all: &'a [Entry],
        base: NaiveDate,
        to: NaiveDate,
        schedule: &[ScheduledMed],
        cfg: &RulesConfig,
    ) -> Index<'a> {
        let end = all.partition_point(|e| e.date() <= to);
        let entries = &all[..end];
        let start = entries.partition_point(|e| e.date() < base);
        let n_days = usize::try_from(days_between(base, to) + 1).unwrap_or(0);
        let mut days: Vec<Day<'a>> = Vec::with_capacity(n_days);
        days.resize_with(n_days, Day::default);

        let mut ix = Index {
            entries,
            diary_empty: all.is_empty(),
            base,
            days: Vec::new(),
            bp: Vec::new(),
            hr: Vec::new(),
            hr_bp: Vec::new(),
            standing: Vec::new(),
            labs: [Vec::new(), Vec::new(), Vec::new()],
            meds: Vec::new(),
        };

        let mut i = start;
        let mut last_weight = entries[..start]
            .iter()
            .rev()
            .find(|e| usable_weight(e).is_some())
            .map(Entry::date);
        for (k, day) in days.iter_mut().enumerate() {
            let date = shift(base, k as i64);
            let first = i;
            while i < entries.len() && entries[i].date() == date {
                let e = &entries[i];
                if day.weight.is_none() && usable_weight(e).is_some() {
                    day.weight = Some(i);
                }
                for s in &e.m.symptoms {
                    match day
                        .symptoms
                        .binary_search_by(|(n, _, _)| (*n).cmp(s.name.as_str()))
                    {
                        Ok(j) => {
                            if s.severity > day.symptoms[j].1 {
                                day.symptoms[j].1 = s.severity;
                                day.symptoms[j].2 = i;
                            }
                        }
                        Err(j) => day.symptoms.insert(j, (s.name.as_str(), s.severity, i)),
                    }
                }
                day.urine_logged |= e.m.urine.is_some() || e.m.urine_ml.is_some();
                if e.m.urine == Some(Urine::Less) && day.urine_less.is_none() {
                    day.urine_less = Some(i);
                }
                if let Some(ml) = e.m.urine_ml {
                    if day
                        .urine_ml
                        .is_none_or(|j| ml < entries[j].m.urine_ml.unwrap_or(u32::MAX))
                    {
                        day.urine_ml = Some(i);
                    }
                }
                let sbp_ok = e.m.bp.is_some_and(|b| b.systolic > 0);
                if sbp_ok {
                    ix.bp.push(i);
                }
                if e.m.heart_rate.is_some() {
                    ix.hr.push(i);
                    if sbp_ok {
                        ix.hr_bp.push(i);
                    }
                }
                if e.m.standing_bp.is_some() {
                    ix.standing.push(i);
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
            day.n_bp = ix.bp.len();
            day.n_hr = ix.hr.len();
            day.n_hr_bp = ix.hr_bp.len();
            day.n_standing = ix.standing.len();
            day.n_lab = [ix.labs[0].len(), ix.labs[1].len(), ix.labs[2].len()];
        }
        ix.days = days;

        // Lab baselines: the median of earlier values within baseline_days.
        let window = i64::from(cfg.labs.baseline_days);
        for list in &mut ix.labs {
            let mut lo = 0;
            for p in 0..list.len() {
                let date = entries[list[p].entry].date();
                while lo < p && days_between(entries[list[lo].entry].date(), date) > window {
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
                    .filter(|e| {
                        e.m.meds
                            .iter()
                            .any(|x| x.name.trim().eq_ignore_ascii_case(name))
                    })
                    .map(Entry::date)
                    .collect();
                dates.dedup();
                dates
            })
            .collect();
        ix
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

    /// The latest reading of `list` (with running count `n` on DATE) dated
    /// DATE or DATE−1.
    pub fn latest(list: &[usize], n: usize, entries: &[Entry], date: NaiveDate) -> Option<usize> {
        let i = *list[..n].last()?;
        (entries[i].date() >= shift(date, -1)).then_some(i)
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
        let age = days_between(self.entries[r.entry].date(), date);
        (age < i64::from(valid_days)).then_some(r)
    }

    /// The last entry dated on or before `date` (over everything loaded).
    pub fn last_entry_on_or_before(&self, date: NaiveDate) -> Option<&Entry> {
        let n = self.entries.partition_point(|e| e.date() <= date);
        n.checked_sub(1).map(|i| &self.entries[i])
    }
}
