//! The computations behind [`summarize`](super::summarize): day weights as
//! the rules read them, the baseline's band, the weight summary, vitals,
//! the merged daily rows, symptom counts and the episode rows. Plain data
//! in, plain data out; nothing here words or draws anything.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{
    Dated, DayRow, EpisodeRow, Input, Range, Reading, Rise, SymptomRow, Vitals, WeightPoint,
    WeightSummary, LOWEST_READINGS,
};
use crate::model::{DayStart, Entry, Episode, Urine};
use crate::rules::{EpisodeLead, Level, WeightBaseline};

/// Each logical day's day weight as the rules read it (docs/rules.md): the
/// weight of its earliest entry with a usable weight (finite and positive),
/// an entry before `day_start` counting for the day before.
pub fn day_weights(entries: &[Entry], day_start: DayStart) -> BTreeMap<NaiveDate, f64> {
    let mut out = BTreeMap::new();
    for e in entries {
        if let Some(w) = e.m.weight_kg.filter(|w| w.is_finite() && *w > 0.0) {
            out.entry(e.day(day_start)).or_insert(w);
        }
    }
    out
}

/// The lowest and highest of the day weights a baseline is the median of:
/// its `weights` most recent weighed days in `from..=to` outside recorded
/// episodes. `None` without a baseline, or should those day weights not
/// give the baseline's median (the band is then left out rather than drawn
/// around another baseline than the rules').
pub fn baseline_band(
    weights: &BTreeMap<NaiveDate, f64>,
    episodes: &[Episode],
    b: &WeightBaseline,
) -> Option<(f64, f64)> {
    let kg = b.kg?;
    let in_episode = |d: NaiveDate| {
        episodes
            .iter()
            .any(|e| e.start <= d && e.end.is_none_or(|end| d <= end))
    };
    let used: Vec<f64> = weights
        .range(b.from..=b.to)
        .rev()
        .filter(|(d, _)| !in_episode(**d))
        .map(|(_, w)| *w)
        .take(b.weights)
        .collect();
    let same =
        used.len() == b.weights && median(used.clone()).is_some_and(|m| (m - kg).abs() < 1e-9);
    debug_assert!(
        same,
        "the band's days do not give the rules' baseline {b:?}: {used:?}"
    );
    if !same {
        return None;
    }
    let lo = used.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = used.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some((lo, hi))
}

/// The median (the mean of the middle two for an even count).
pub fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

pub(super) fn weight_summary(
    weights: &BTreeMap<NaiveDate, f64>,
    input: &Input<'_>,
    levels: &BTreeMap<NaiveDate, Level>,
) -> Option<WeightSummary> {
    let (from, to) = (input.from, input.to);
    let baselines: BTreeMap<NaiveDate, WeightBaseline> =
        input.baselines.iter().map(|b| (b.date, *b)).collect();
    let baseline = |d: NaiveDate| baselines.get(&d).copied();
    let inside: Vec<Dated> = weights
        .range(from..=to)
        .map(|(d, w)| Dated { date: *d, kg: *w })
        .collect();
    let first = *inside.first()?;
    let last = *inside.last()?;
    // The first day at the extreme, so "lowest on" points at when it began.
    let min = inside
        .iter()
        .copied()
        .reduce(|a, b| if b.kg < a.kg { b } else { a })?;
    let max = inside
        .iter()
        .copied()
        .reduce(|a, b| if b.kg > a.kg { b } else { a })?;
    let mut largest_rise: Option<Rise> = None;
    for (i, a) in inside.iter().enumerate() {
        for b in inside[i + 1..]
            .iter()
            .take_while(|b| (b.date - a.date).num_days() <= 2)
        {
            let kg = b.kg - a.kg;
            if kg > 1e-9 && largest_rise.is_none_or(|r| kg > r.kg + 1e-9) {
                largest_rise = Some(Rise {
                    from: a.date,
                    to: b.date,
                    kg,
                });
            }
        }
    }
    let series = from
        .iter_days()
        .take_while(|d| *d <= to)
        .map(|date| {
            let b = baseline(date);
            let band = b.and_then(|b| baseline_band(weights, input.episodes, &b));
            WeightPoint {
                date,
                kg: weights.get(&date).copied(),
                baseline_kg: b.and_then(|b| b.kg),
                band_low_kg: band.map(|b| b.0),
                band_high_kg: band.map(|b| b.1),
                level: levels.get(&date).copied(),
            }
        })
        .collect();
    Some(WeightSummary {
        baseline_start: baseline(from),
        baseline_end: baseline(to),
        first,
        last,
        min,
        max,
        net_change_kg: last.kg - first.kg,
        largest_rise,
        series,
    })
}

fn range(values: impl Iterator<Item = u16>) -> Option<Range> {
    let v: Vec<u16> = values.collect();
    Some(Range {
        min: *v.iter().min()?,
        max: *v.iter().max()?,
        readings: v.len(),
    })
}

pub(super) fn vitals(entries: &[&Entry]) -> Option<Vitals> {
    let readings: Vec<Reading> = entries
        .iter()
        .filter(|e| e.m.bp.is_some() || e.m.standing_bp.is_some() || e.m.heart_rate.is_some())
        .map(|e| Reading {
            date: e.date(),
            time: e.stamp.time,
            bp: e.m.bp,
            standing_bp: e.m.standing_bp,
            heart_rate: e.m.heart_rate,
        })
        .collect();
    if readings.is_empty() {
        return None;
    }
    let sit = || readings.iter().filter_map(|r| r.bp);
    let stand = || readings.iter().filter_map(|r| r.standing_bp);
    let mut lowest: Vec<Reading> = readings
        .iter()
        .filter(|r| r.bp.is_some())
        .copied()
        .collect();
    lowest.sort_by_key(|r| (r.bp.map(|b| (b.systolic, b.diastolic)), r.date, r.time));
    lowest.truncate(LOWEST_READINGS);
    let lowest_standing = readings
        .iter()
        .filter(|r| r.standing_bp.is_some())
        .min_by_key(|r| {
            (
                r.standing_bp.map(|b| (b.systolic, b.diastolic)),
                r.date,
                r.time,
            )
        })
        .copied();
    Some(Vitals {
        systolic: range(sit().map(|b| b.systolic)),
        diastolic: range(sit().map(|b| b.diastolic)),
        standing_systolic: range(stand().map(|b| b.systolic)),
        standing_diastolic: range(stand().map(|b| b.diastolic)),
        heart_rate: range(readings.iter().filter_map(|r| r.heart_rate)),
        lowest,
        lowest_standing,
        readings,
    })
}

pub(super) fn day_rows(
    entries: &[&Entry],
    ds: DayStart,
    weights: &BTreeMap<NaiveDate, f64>,
    levels: &BTreeMap<NaiveDate, Level>,
) -> Vec<DayRow> {
    let mut rows: Vec<DayRow> = Vec::new();
    for e in entries {
        let day = e.day(ds);
        if rows.last().is_none_or(|r| r.date != day) {
            rows.push(DayRow {
                date: day,
                level: levels.get(&day).copied(),
                entries: 0,
                weight_kg: weights.get(&day).copied(),
                bp: Vec::new(),
                standing_bp: Vec::new(),
                heart_rate: Vec::new(),
                urine: None,
                urine_ml: None,
                symptoms: Vec::new(),
                labs: Vec::new(),
                meds: Vec::new(),
                notes: Vec::new(),
            });
        }
        let Some(row) = rows.last_mut() else {
            continue;
        };
        let m = &e.m;
        row.entries += 1;
        row.bp.extend(m.bp);
        row.standing_bp.extend(m.standing_bp);
        row.heart_rate.extend(m.heart_rate);
        if let Some(u) = m.urine {
            if row.urine != Some(Urine::Less) {
                row.urine = Some(u);
            }
        }
        if let Some(ml) = m.urine_ml {
            row.urine_ml = Some(row.urine_ml.map_or(ml, |x| x.min(ml)));
        }
        for s in &m.symptoms {
            match row.symptoms.binary_search_by(|x| x.name.cmp(&s.name)) {
                Ok(i) => row.symptoms[i].severity = row.symptoms[i].severity.max(s.severity),
                Err(i) => row.symptoms.insert(i, s.clone()),
            }
        }
        for l in &m.labs {
            match row.labs.iter_mut().find(|x| x.kind == l.kind) {
                Some(x) => x.value = l.value,
                None => row.labs.push(*l),
            }
        }
        row.meds.extend(m.meds.iter().cloned());
        if let Some(n) = m.note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            row.notes.push(n.to_string());
        }
    }
    rows
}

pub(super) fn symptom_rows(days: &[DayRow]) -> Vec<SymptomRow> {
    let mut by_name: BTreeMap<&str, SymptomRow> = BTreeMap::new();
    for d in days {
        for s in d.symptoms.iter().filter(|s| s.severity > 0) {
            let row = by_name.entry(&s.name).or_insert_with(|| SymptomRow {
                name: s.name.clone(),
                days: 0,
                mild: 0,
                moderate: 0,
                severe: 0,
                worst: 0,
                worst_date: d.date,
                last_date: d.date,
            });
            row.days += 1;
            match s.severity {
                1 => row.mild += 1,
                2 => row.moderate += 1,
                _ => row.severe += 1,
            }
            if s.severity > row.worst {
                row.worst = s.severity;
                row.worst_date = d.date;
            }
            row.last_date = d.date;
        }
    }
    let mut rows: Vec<SymptomRow> = by_name.into_values().collect();
    rows.sort_by(|a, b| {
        b.days
            .cmp(&a.days)
            .then(b.worst.cmp(&a.worst))
            .then_with(|| a.name.cmp(&b.name))
    });
    rows
}

pub(super) fn episode_rows(
    episodes: &[Episode],
    leads: &[EpisodeLead],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<EpisodeRow> {
    episodes
        .iter()
        .filter(|e| e.start <= to && e.end.is_none_or(|end| end >= from))
        .map(|e| {
            let lead = leads.iter().find(|l| l.episode_id == e.id);
            EpisodeRow {
                id: e.id,
                start: e.start,
                end: e.end,
                length_days: (e.end.unwrap_or(to).max(e.start) - e.start).num_days() + 1,
                hospitalized: e.hospitalized,
                note: e.note.clone(),
                first_alert: lead.and_then(|l| l.first_alert),
                lead_days_watch: lead.and_then(|l| l.lead_days_watch),
                lead_days_warning: lead.and_then(|l| l.lead_days_warning),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testdata::*;
    use super::*;
    use chrono::NaiveTime;

    #[test]
    fn median_of_values() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }

    #[test]
    fn the_day_weight_is_the_first_of_the_logical_day() {
        let entries = vec![
            entry(1, "2026-11-01", "07:00", |m| m.weight_kg = Some(68.0)),
            entry(2, "2026-11-01", "21:00", |m| m.weight_kg = Some(69.0)),
            // 00:30 counts for the day before, after its evening.
            entry(3, "2026-11-02", "00:30", |m| m.weight_kg = Some(70.0)),
            entry(4, "2026-11-02", "07:30", |m| m.weight_kg = Some(68.2)),
            // A day whose only weight was logged after midnight.
            entry(5, "2026-11-04", "01:00", |m| m.weight_kg = Some(68.4)),
            // Not a usable weight: ignored, as by the rules.
            entry(6, "2026-11-04", "07:00", |m| m.weight_kg = Some(f64::NAN)),
            entry(7, "2026-11-04", "08:00", |m| m.weight_kg = Some(68.1)),
        ];
        let w = day_weights(&entries, DayStart::default());
        let got: Vec<(String, f64)> = w.iter().map(|(d, w)| (d.to_string(), *w)).collect();
        assert_eq!(
            got,
            [
                ("2026-11-01".to_string(), 68.0),
                ("2026-11-02".to_string(), 68.2),
                ("2026-11-03".to_string(), 68.4),
                ("2026-11-04".to_string(), 68.1),
            ]
        );
        // day_starts_at = 00:00 turns logical days off.
        let off = DayStart(NaiveTime::MIN);
        assert_eq!(
            day_weights(&entries, off).get(&date("2026-11-02")),
            Some(&70.0)
        );
    }
}
