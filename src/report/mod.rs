//! `cls report`: a period of the diary summarised for the patient's doctor.
//!
//! [`summarize`] turns diary data, together with the rules engine's verdicts,
//! into a [`Report`]: plain data that serializes to JSON as it is. The
//! renderers ([`text`], [`markdown`], [`html`], [`csv`]) turn a `Report` into
//! a document and compute nothing medical themselves.
//!
//! Nothing here prints, reads the clock or evaluates a rule: the caller runs
//! [`crate::rules::history`], [`crate::rules::backtest`] and
//! [`crate::rules::weight_baselines`] and passes their results in, so a
//! report can never disagree with `cls check`. Days are logical days
//! (clinical.md §3: an entry before `day_starts_at` counts for the day
//! before), as the rules read them.

pub mod csv;
pub mod html;
pub mod markdown;
pub mod text;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime};
use serde::Serialize;

use crate::config::{Patient, ScheduledMed};
use crate::input::WeightUnit;
use crate::model::{
    Bp, DayStart, Entry, Episode, Lab, LabKind, Med, Severity, SymptomEntry, Urine,
};
use crate::rules::{
    Assessment, Backtest, EpisodeLead, FalseAlarms, Finding, Level, WeightBaseline,
};

/// How many of the latest notes the report repeats in full.
pub const LATEST_NOTES: usize = 10;

/// How many of the lowest blood-pressure readings the report lists.
pub const LOWEST_READINGS: usize = 3;

/// Everything [`summarize`] reads. `entries` must be sorted by
/// [`crate::model::entry_order`] and may start before `from` (the weight
/// baselines' days before the period are read for their usual range).
pub struct Input<'a> {
    pub entries: &'a [Entry],
    /// Every recorded episode; those overlapping the period are reported.
    pub episodes: &'a [Episode],
    /// [`crate::rules::history`] for `from..=to`.
    pub history: &'a [Assessment],
    /// [`crate::rules::weight_baselines`] for `from..=to`: the weight
    /// baseline of every day, exactly the `B` the weight rules use.
    pub baselines: &'a [WeightBaseline],
    /// Where a logical day starts (the rules' `day_start`).
    pub day_start: DayStart,
    /// Lead times from [`crate::rules::backtest`], matched by episode id.
    pub leads: &'a [EpisodeLead],
    /// The scheduled medications as of `to` (see [`med_status`]).
    pub scheduled: Vec<MedStatus>,
    pub patient: &'a Patient,
    /// The diary was made by `cls demo`: every format says so.
    pub synthetic: bool,
    /// [`crate::rules::backtest_score`] over the period (lead-in days
    /// included for the lead times), when episodes overlap it.
    pub rules_on_history: Option<Backtest>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub generated: DateTime<FixedOffset>,
    pub version: &'a str,
    pub unit: WeightUnit,
}

/// The whole report. Weights are in kg; `unit` is only how to show them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// A synthetic demo diary (only present, as `true`, for one).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub synthetic: bool,
    pub patient: PatientHeader,
    pub period: Period,
    pub generated: DateTime<FixedOffset>,
    pub version: String,
    pub unit: WeightUnit,
    pub summary: Summary,
    pub weight: Option<WeightSummary>,
    pub vitals: Option<Vitals>,
    pub labs: Vec<LabReading>,
    pub symptoms: Vec<SymptomRow>,
    pub findings: Vec<FindingDay>,
    pub episodes: Vec<EpisodeRow>,
    /// How the rules did on this history; `None` without an episode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules_on_history: Option<RulesOnHistory>,
    pub medications: Medications,
    pub days: Vec<DayRow>,
    /// Newest first, at most [`LATEST_NOTES`].
    pub notes: Vec<NoteRow>,
}

impl Report {
    /// True when the period has no diary entry at all.
    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }
}

/// The backtest's numbers (clinical.md §4) on the report's period: how
/// many of its episodes the rules warned of, and their false alarms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RulesOnHistory {
    /// The days counted for false alarms.
    pub days: usize,
    pub episodes: usize,
    /// Episodes with at least one day of warning (or of watch) before
    /// they started.
    pub episodes_with_warning_lead: usize,
    pub episodes_with_watch_lead: usize,
    /// Days at each level outside [start − 7, end + 14] of every episode.
    pub false_alarms: FalseAlarms,
}

impl RulesOnHistory {
    fn of(b: &Backtest) -> RulesOnHistory {
        RulesOnHistory {
            days: b.days,
            episodes: b.episodes.len(),
            episodes_with_warning_lead: b.episodes_with_warning_lead,
            episodes_with_watch_lead: b
                .episodes
                .iter()
                .filter(|l| l.lead_days_watch.is_some_and(|d| d >= 1))
                .count(),
            false_alarms: b.false_alarms.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatientHeader {
    pub name: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub days_with_entry: usize,
    pub entries: usize,
    /// Days with an entry as a percentage of the days in the period.
    pub adherence_pct: f64,
    pub first_entry: Option<NaiveDate>,
    pub last_entry: Option<NaiveDate>,
    /// The engine's level as of the end of the period's last day.
    pub current_level: Option<Level>,
    /// Days at each level, lowest level first; levels with no day left out.
    pub level_days: Vec<LevelDays>,
    /// Episodes overlapping the period.
    pub episodes: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LevelDays {
    pub level: Level,
    pub days: usize,
}

/// A value on a day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Dated {
    pub date: NaiveDate,
    pub kg: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rise {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub kg: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightSummary {
    /// The rules' weight baseline for the period's first day (the median of
    /// the day weights of the last `no_baseline.days` weighed days before
    /// it, episodes left out; `kg` is `None` with too few of them).
    pub baseline_start: Option<WeightBaseline>,
    /// The same for the period's last day.
    pub baseline_end: Option<WeightBaseline>,
    pub first: Dated,
    pub last: Dated,
    pub min: Dated,
    pub max: Dated,
    /// `last - first`.
    pub net_change_kg: f64,
    /// The largest rise from one day weight to one a day or two later;
    /// `None` when the weight never rose.
    pub largest_rise: Option<Rise>,
    /// One point for every day of the period, for charts.
    pub series: Vec<WeightPoint>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WeightPoint {
    pub date: NaiveDate,
    /// The day weight (the logical day's first weight), as the rules read it.
    pub kg: Option<f64>,
    /// The rules' weight baseline for the day (see [`WeightBaseline`]).
    pub baseline_kg: Option<f64>,
    /// Lowest and highest of the day weights that baseline is the median
    /// of: the usual range.
    pub band_low_kg: Option<f64>,
    pub band_high_kg: Option<f64>,
    pub level: Option<Level>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Range {
    pub min: u16,
    pub max: u16,
    pub readings: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Reading {
    pub date: NaiveDate,
    pub time: NaiveTime,
    pub bp: Option<Bp>,
    pub standing_bp: Option<Bp>,
    pub heart_rate: Option<u16>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vitals {
    pub systolic: Option<Range>,
    pub diastolic: Option<Range>,
    pub standing_systolic: Option<Range>,
    pub standing_diastolic: Option<Range>,
    pub heart_rate: Option<Range>,
    /// The lowest sitting readings by systolic pressure, lowest first.
    pub lowest: Vec<Reading>,
    /// The lowest standing reading, if any.
    pub lowest_standing: Option<Reading>,
    /// Every reading with a blood pressure or heart rate, oldest first.
    pub readings: Vec<Reading>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LabReading {
    pub date: NaiveDate,
    pub kind: LabKind,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SymptomRow {
    pub name: String,
    /// Days on which it was present (severity 1 or more).
    pub days: usize,
    pub mild: usize,
    pub moderate: usize,
    pub severe: usize,
    pub worst: Severity,
    /// The first day at its worst.
    pub worst_date: NaiveDate,
    pub last_date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingDay {
    pub date: NaiveDate,
    pub level: Level,
    /// Highest level first.
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EpisodeRow {
    pub id: i64,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    /// Days from start to end (or to the period's end when still open),
    /// both counted.
    pub length_days: i64,
    pub hospitalized: bool,
    pub note: Option<String>,
    pub first_alert: Option<NaiveDate>,
    pub lead_days_watch: Option<i64>,
    pub lead_days_warning: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Medications {
    pub scheduled: Vec<MedStatus>,
    /// Every dose logged in the period, oldest first.
    pub doses: Vec<Dose>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dose {
    pub date: NaiveDate,
    pub time: NaiveTime,
    pub name: String,
    pub dose: Option<String>,
}

/// Where a scheduled medication stands on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MedState {
    /// No dose of it in the diary.
    NotLogged,
    /// The next dose is due later.
    NotYetDue,
    DueToday,
    /// Past due, within the grace days.
    Overdue,
    /// Past due by more than the grace days.
    OverduePastGrace,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MedStatus {
    pub name: String,
    /// The scheduled dose from the config.
    pub dose: Option<String>,
    pub every_days: u32,
    pub grace_days: u32,
    pub as_of: NaiveDate,
    pub last_date: Option<NaiveDate>,
    /// The dose logged with the last one.
    pub last_dose: Option<String>,
    pub days_since: Option<i64>,
    pub next_due: Option<NaiveDate>,
    /// Days until due; negative when overdue.
    pub due_in_days: Option<i64>,
    pub state: MedState,
}

impl MedStatus {
    /// The name with its scheduled dose, and the last dose with its date
    /// ("2026-11-01 2g/kg (24 days ago)"), each piece of diary text passed
    /// through `esc` for the output format.
    pub fn cells(&self, esc: impl Fn(&str) -> String) -> (String, String) {
        let name = match &self.dose {
            Some(d) => format!("{} {}", esc(&self.name), esc(d)),
            None => esc(&self.name),
        };
        let last = match (self.last_date, self.days_since) {
            (Some(d), Some(n)) => format!(
                "{d}{} ({} ago)",
                self.last_dose
                    .as_deref()
                    .map(|x| format!(" {}", esc(x)))
                    .unwrap_or_default(),
                days(n)
            ),
            _ => "none logged".into(),
        };
        (name, last)
    }

    /// "due in 5 days (2026-11-30)", "3 days overdue (due 2026-11-22)"...
    pub fn describe(&self) -> String {
        match (self.state, self.next_due, self.due_in_days) {
            (MedState::NotLogged, ..) => "no dose logged yet".into(),
            (MedState::DueToday, ..) => "due today".into(),
            (MedState::NotYetDue, Some(d), Some(n)) => format!("due in {} ({d})", days(n)),
            (MedState::Overdue | MedState::OverduePastGrace, Some(d), Some(n)) => {
                let grace = if self.state == MedState::OverduePastGrace {
                    format!(", past the {} grace", days(i64::from(self.grace_days)))
                } else {
                    String::new()
                };
                format!("{} overdue (due {d}{grace})", days(-n))
            }
            _ => String::new(),
        }
    }

    /// "every 28 days".
    pub fn schedule(&self) -> String {
        format!("every {}", days(i64::from(self.every_days)))
    }
}

/// "1 day", "5 days".
pub fn days(n: i64) -> String {
    crate::render::count(n, "day", "days")
}

/// Where `med` stands on `as_of`, given its last logged dose (from
/// [`crate::Store::last_med`]).
pub fn med_status(
    med: &ScheduledMed,
    last: Option<(NaiveDate, Option<String>)>,
    as_of: NaiveDate,
) -> MedStatus {
    let (last_date, last_dose) = match last {
        Some((d, dose)) => (Some(d), dose),
        None => (None, None),
    };
    let next_due = last_date.map(|d| d + Duration::days(i64::from(med.every_days)));
    let due_in_days = next_due.map(|d| (d - as_of).num_days());
    let state = match due_in_days {
        None => MedState::NotLogged,
        Some(n) if n > 0 => MedState::NotYetDue,
        Some(0) => MedState::DueToday,
        Some(n) if -n <= i64::from(med.grace_days) => MedState::Overdue,
        Some(_) => MedState::OverduePastGrace,
    };
    MedStatus {
        name: med.name.clone(),
        dose: med.dose.clone(),
        every_days: med.every_days,
        grace_days: med.grace_days,
        as_of,
        last_date,
        last_dose,
        days_since: last_date.map(|d| (as_of - d).num_days()),
        next_due,
        due_in_days,
        state,
    }
}

/// One row of the daily table: everything logged on a day, merged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayRow {
    /// The logical day.
    pub date: NaiveDate,
    pub level: Option<Level>,
    pub entries: usize,
    /// The day weight (the day's first weight), as the rules read it.
    pub weight_kg: Option<f64>,
    /// Sitting readings in time order.
    pub bp: Vec<Bp>,
    pub standing_bp: Vec<Bp>,
    pub heart_rate: Vec<u16>,
    /// `less` if any entry said less, else the last said.
    pub urine: Option<Urine>,
    /// The day's lowest 24 h total.
    pub urine_ml: Option<u32>,
    /// The highest severity of each symptom that day, by name.
    pub symptoms: Vec<SymptomEntry>,
    pub labs: Vec<Lab>,
    pub meds: Vec<Med>,
    pub notes: Vec<String>,
}

impl DayRow {
    /// The day's highest severity of a symptom, if logged.
    pub fn symptom_severity(&self, name: &str) -> Option<Severity> {
        self.symptoms
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.severity)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoteRow {
    pub date: NaiveDate,
    pub time: NaiveTime,
    pub text: String,
}

/// Build the report. Pure: the same input always gives the same report.
pub fn summarize(input: &Input<'_>) -> Report {
    let (from, to) = (input.from, input.to);
    let ds = input.day_start;
    let in_period: Vec<&Entry> = input
        .entries
        .iter()
        .filter(|e| (from..=to).contains(&e.day(ds)))
        .collect();
    let levels: BTreeMap<NaiveDate, Level> = input
        .history
        .iter()
        .filter(|a| a.date >= from && a.date <= to)
        .map(|a| (a.date, a.level))
        .collect();
    let weights = day_weights(input.entries, ds);
    let days = day_rows(&in_period, ds, &weights, &levels);
    let episodes = episode_rows(input.episodes, input.leads, from, to);

    let period_days = (to - from).num_days() + 1;
    let level_days = Level::ALL
        .into_iter()
        .map(|level| LevelDays {
            level,
            days: levels.values().filter(|l| **l == level).count(),
        })
        .filter(|c| c.days > 0)
        .collect();
    let summary = Summary {
        days_with_entry: days.len(),
        entries: in_period.len(),
        adherence_pct: if period_days > 0 {
            days.len() as f64 * 100.0 / period_days as f64
        } else {
            0.0
        },
        first_entry: days.first().map(|d| d.date),
        last_entry: days.last().map(|d| d.date),
        current_level: levels.get(&to).copied(),
        level_days,
        episodes: episodes.len(),
    };

    Report {
        synthetic: input.synthetic,
        // A demo never shows the patient's identity (the caller passes an
        // empty patient too; this holds regardless).
        patient: PatientHeader {
            name: input.patient.name.clone().filter(|_| !input.synthetic),
            date_of_birth: input.patient.date_of_birth.filter(|_| !input.synthetic),
        },
        period: Period {
            from,
            to,
            days: period_days,
        },
        generated: input.generated,
        version: input.version.to_string(),
        unit: input.unit,
        summary,
        weight: weight_summary(&weights, input, &levels),
        vitals: vitals(&in_period),
        labs: in_period
            .iter()
            .flat_map(|e| {
                e.m.labs.iter().map(|l| LabReading {
                    date: e.date(),
                    kind: l.kind,
                    value: l.value,
                })
            })
            .collect(),
        symptoms: symptom_rows(&days),
        findings: input
            .history
            .iter()
            .filter(|a| a.date >= from && a.date <= to && a.level >= Level::Watch)
            .map(|a| {
                let mut findings = a.findings.clone();
                findings.sort_by(|x, y| y.level.cmp(&x.level).then_with(|| x.rule.cmp(&y.rule)));
                FindingDay {
                    date: a.date,
                    level: a.level,
                    findings,
                }
            })
            .collect(),
        rules_on_history: input
            .rules_on_history
            .as_ref()
            .filter(|b| !b.episodes.is_empty())
            .map(RulesOnHistory::of),
        episodes,
        medications: Medications {
            scheduled: input.scheduled.clone(),
            doses: in_period
                .iter()
                .flat_map(|e| {
                    e.m.meds.iter().map(|m| Dose {
                        date: e.date(),
                        time: e.stamp.time,
                        name: m.name.clone(),
                        dose: m.dose.clone(),
                    })
                })
                .collect(),
        },
        notes: in_period
            .iter()
            .rev()
            .filter_map(|e| {
                let text = e.m.note.as_deref()?.trim();
                (!text.is_empty()).then(|| NoteRow {
                    date: e.date(),
                    time: e.stamp.time,
                    text: text.to_string(),
                })
            })
            .take(LATEST_NOTES)
            .collect(),
        days,
    }
}

/// Each logical day's day weight as the rules read it (clinical.md §3): the
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

fn weight_summary(
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

fn vitals(entries: &[&Entry]) -> Option<Vitals> {
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

fn day_rows(
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

fn symptom_rows(days: &[DayRow]) -> Vec<SymptomRow> {
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

fn episode_rows(
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

// ---- shared wording for the renderers ------------------------------------

/// The report's title.
pub const TITLE: &str = "SCLS symptom diary report";

/// What the report is, in one line, for its footer.
pub const DISCLAIMER: &str =
    "Kept by the patient at home and summarised by cls. The levels come from cls's \
warning rules, which are not a diagnosis; the patient's own care plan comes first.";

/// The heading of the backtest section.
pub const RULES_HEADING: &str = "How the rules did on this history";

/// The backtest section as sentences, the same in every format:
/// episodes warned of, then false alarms, then how they were counted.
pub fn rules_lines(h: &RulesOnHistory) -> Vec<String> {
    let fa = &h.false_alarms;
    let n = h.episodes;
    vec![
        format!(
            "Episodes: {n}. With at least one day of warning before the start: {} of {n}; \
             with at least one day of watch: {} of {n}.",
            h.episodes_with_warning_lead, h.episodes_with_watch_lead
        ),
        format!(
            "False alarms (days at watch or above outside {} days before to {} days after \
             an episode, over {}): watch {} ({:.1} a year), warning {} ({:.1} a year), \
             emergency {} ({:.1} a year).",
            crate::rules::FALSE_ALARM_BEFORE,
            crate::rules::FALSE_ALARM_AFTER,
            days(h.days as i64),
            fa.watch_days,
            fa.watch_per_year,
            fa.warning_days,
            fa.warning_per_year,
            fa.emergency_days,
            fa.emergency_per_year
        ),
        "Counted as 'cls check --backtest' counts them: a lead time is the unbroken run of \
         alert days up to the start; a short period gives rough yearly rates."
            .to_string(),
    ]
}

/// The banner of a report made from a demo diary.
pub const SYNTHETIC_BANNER: &str =
    "SYNTHETIC DEMO DIARY: made up by 'cls demo'; not a patient's data";

/// "72.4" in the report's unit.
pub fn num_weight(kg: f64, unit: WeightUnit) -> String {
    format!("{:.1}", unit.from_kg(kg))
}

/// "+1.4 kg" / "-0.3 kg" / "±0.0 kg".
pub fn delta_weight(kg: f64, unit: WeightUnit) -> String {
    let v = unit.from_kg(kg);
    if v.abs() < 0.05 {
        format!("±0.0 {}", unit.as_str())
    } else {
        format!("{v:+.1} {}", unit.as_str())
    }
}

/// "2026-08-28 to 2026-11-25 (90 days)".
pub fn period_line(p: &Period) -> String {
    format!("{} to {} ({})", p.from, p.to, days(p.days))
}

/// "Alex Example, born 1970-01-31" or whatever of it is known.
pub fn patient_line(p: &PatientHeader) -> Option<String> {
    match (&p.name, p.date_of_birth) {
        (Some(n), Some(d)) => Some(format!("{n}, born {d}")),
        (Some(n), None) => Some(n.clone()),
        (None, Some(d)) => Some(format!("born {d}")),
        (None, None) => None,
    }
}

/// The weight baselines at the period's start and end (one when the period
/// is one day), each with what it is: its label ("median of the last 7
/// weighed days"), or why there is none.
pub fn baseline_ends(w: &WeightSummary) -> Vec<(NaiveDate, Option<f64>, String)> {
    let mut v: Vec<(NaiveDate, Option<f64>, String)> = Vec::new();
    for b in [&w.baseline_start, &w.baseline_end].into_iter().flatten() {
        if v.iter().any(|x| x.0 == b.date) {
            continue;
        }
        let note = match b.kg {
            Some(_) => b.label(),
            None => format!(
                "too few weighed days: {} in the {} before",
                b.weights,
                days((b.to - b.from).num_days() + 1)
            ),
        };
        v.push((b.date, b.kg, note));
    }
    v
}

/// The baseline line of the weight section: "68.0 kg before 2026-11-12;
/// 68.2 kg before 2026-11-25 (median of the last 7 weighed days)", each
/// end with its own note when they differ.
pub fn baseline_line(w: &WeightSummary, unit: WeightUnit) -> String {
    let ends = baseline_ends(w);
    if ends.is_empty() {
        return "none".into();
    }
    let value = |d: NaiveDate, kg: Option<f64>| match kg {
        Some(kg) => format!("{} before {d}", crate::render::weight(kg, unit)),
        None => format!("none before {d}"),
    };
    if ends.windows(2).all(|p| p[0].2 == p[1].2) && ends.iter().all(|e| e.1.is_some()) {
        let values: Vec<String> = ends.iter().map(|e| value(e.0, e.1)).collect();
        format!("{} ({})", values.join("; "), ends[0].2)
    } else {
        ends.iter()
            .map(|e| format!("{} ({})", value(e.0, e.1), e.2))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// "84 of 90 days (93%)".
pub fn adherence_line(r: &Report) -> String {
    format!(
        "{} of {} ({:.0}%), {}",
        r.summary.days_with_entry,
        days(r.period.days),
        r.summary.adherence_pct,
        crate::render::count(r.summary.entries, "entry", "entries")
    )
}

/// "ok 70, watch 8, warning 5" (or "no assessment").
pub fn level_days_line(r: &Report) -> String {
    if r.summary.level_days.is_empty() {
        return "no assessment".into();
    }
    r.summary
        .level_days
        .iter()
        .map(|c| format!("{} {}", c.level, c.days))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "1 (started 2026-10-12)" or "none".
pub fn episodes_line(r: &Report) -> String {
    if r.episodes.is_empty() {
        return "none recorded".into();
    }
    let starts: Vec<String> = r.episodes.iter().map(|e| e.start.to_string()).collect();
    format!("{} (started {})", r.episodes.len(), starts.join(", "))
}

/// "3 d" / "none" for a lead time.
pub fn lead_line(e: &EpisodeRow) -> String {
    let f = |d: Option<i64>| d.map_or_else(|| "none".to_string(), |d| format!("{d} d"));
    match e.first_alert {
        Some(first) => format!(
            "first alert {first}; watch {}, warning {}",
            f(e.lead_days_watch),
            f(e.lead_days_warning)
        ),
        None => "no alert before it".into(),
    }
}

/// "118/76, 104/70".
pub fn bps(v: &[Bp]) -> String {
    v.iter().map(Bp::to_string).collect::<Vec<_>>().join(", ")
}

/// "72, 80".
pub fn hrs(v: &[u16]) -> String {
    v.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
}

/// "84–132".
pub fn range_line(r: &Range) -> String {
    if r.min == r.max {
        r.min.to_string()
    } else {
        format!("{}–{}", r.min, r.max)
    }
}

/// "12 mild, 3 moderate, 1 severe", leaving out zeros.
pub fn severity_counts(s: &SymptomRow) -> String {
    let mut v = Vec::new();
    for (n, w) in [
        (s.mild, "mild"),
        (s.moderate, "moderate"),
        (s.severe, "severe"),
    ] {
        if n > 0 {
            v.push(format!("{n} {w}"));
        }
    }
    v.join(", ")
}

/// A lab value with its unit: "47 %", "3.4 g/dL".
pub fn lab_value(kind: LabKind, value: f64) -> String {
    let v = if value.fract().abs() < 1e-9 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    };
    if kind.unit() == "%" {
        format!("{v}%")
    } else {
        format!("{v} {}", kind.unit())
    }
}

/// The medication names in a period, for matching prophylaxis text.
pub fn med_names(entries: &[Entry]) -> BTreeSet<String> {
    entries
        .iter()
        .flat_map(|e| e.m.meds.iter().map(|m| m.name.clone()))
        .collect()
}

/// Shorten text to `n` characters with an ellipsis.
pub fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n.saturating_sub(1)).collect::<String>() + "…"
    }
}

#[cfg(test)]
pub(crate) mod testdata;

#[cfg(test)]
mod tests {
    use super::testdata::*;
    use super::*;

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

    #[test]
    fn an_entry_after_midnight_belongs_to_the_day_before() {
        let mut d = sample_diary();
        d.entries.push(entry(100, "2026-11-13", "00:30", |m| {
            m.weight_kg = Some(75.0);
            m.set_symptom("thirst", 2);
        }));
        d.entries.sort_by(crate::model::entry_order);
        d.baselines = sample_baselines(&d.entries, &d.episodes);
        let r = summarize(&d.input());
        let day = |s: &str| r.days.iter().find(|x| x.date == date(s)).unwrap();
        assert_eq!(day("2026-11-12").entries, 2);
        assert_eq!(day("2026-11-12").weight_kg, Some(68.0), "its first weight");
        assert_eq!(day("2026-11-12").symptom_severity("thirst"), Some(2));
        assert_eq!(day("2026-11-13").entries, 1);
        assert_eq!(
            day("2026-11-13").weight_kg,
            Some(67.8),
            "not the 00:30 weight"
        );
        assert_eq!(r.summary.days_with_entry, 13);
        assert_eq!(r.weight.as_ref().unwrap().max.kg, 71.2);
    }

    #[test]
    fn the_baseline_line_says_what_each_baseline_is() {
        let mut w = sample_report().weight.unwrap();
        let lb = WeightUnit::Lb;
        assert_eq!(
            baseline_line(&w, WeightUnit::Kg),
            "68.0 kg before 2026-11-12; 68.2 kg before 2026-11-25 (median of the last 7 weighed days)"
        );
        let start = w.baseline_start.as_mut().unwrap();
        (start.kg, start.weights) = (Some(68.1), 5);
        assert_eq!(
            baseline_line(&w, lb),
            "150.1 lb before 2026-11-12 (median of the last 5 weighed days); \
             150.4 lb before 2026-11-25 (median of the last 7 weighed days)"
        );
        let start = w.baseline_start.as_mut().unwrap();
        (start.kg, start.weights) = (None, 3);
        assert_eq!(
            baseline_line(&w, WeightUnit::Kg),
            "none before 2026-11-12 (too few weighed days: 3 in the 28 days before); \
             68.2 kg before 2026-11-25 (median of the last 7 weighed days)"
        );
        // A one-day period has one baseline.
        w.baseline_start = w.baseline_end;
        assert_eq!(
            baseline_line(&w, WeightUnit::Kg),
            "68.2 kg before 2026-11-25 (median of the last 7 weighed days)"
        );
    }

    #[test]
    fn summary_counts_days_levels_and_episodes() {
        let d = sample_diary();
        let r = summarize(&d.input());
        assert_eq!(r.period.days, 14);
        assert_eq!(r.summary.days_with_entry, 13);
        assert_eq!(r.summary.entries, 14);
        assert!((r.summary.adherence_pct - 13.0 * 100.0 / 14.0).abs() < 1e-9);
        assert_eq!(r.summary.current_level, Some(Level::Watch));
        let total: usize = r.summary.level_days.iter().map(|c| c.days).sum();
        assert_eq!(total, 14);
        assert_eq!(r.summary.episodes, 1);
        assert_eq!(r.episodes[0].length_days, 4);
        assert_eq!(r.episodes[0].lead_days_warning, Some(1));
    }

    #[test]
    fn weight_numbers() {
        let d = sample_diary();
        let r = summarize(&d.input());
        let w = r.weight.unwrap();
        assert_eq!(w.first.kg, 68.0);
        assert_eq!(w.max.kg, 71.2);
        assert_eq!(w.max.date, date("2026-11-17"));
        assert_eq!(w.min.kg, 67.6);
        let rise = w.largest_rise.unwrap();
        assert_eq!(
            (rise.from, rise.to),
            (date("2026-11-15"), date("2026-11-17"))
        );
        assert!((rise.kg - 2.8).abs() < 1e-9, "{rise:?}");
        // The lookback week before the period gives a starting baseline.
        let start = w.baseline_start.unwrap();
        assert_eq!((start.kg, start.weights), (Some(68.0), 7));
        assert_eq!(start.label(), "median of the last 7 weighed days");
        // The episode (11-17 to 11-20) is left out: 67.6 68.0 68.1 68.2
        // 68.4 68.6 69.6 (a calendar week would give 68.4).
        let end = w.baseline_end.unwrap();
        assert_eq!((end.kg, end.weights), (Some(68.2), 7));
        let last = w.series.last().unwrap();
        assert_eq!(last.baseline_kg, Some(68.2));
        assert_eq!(
            (last.band_low_kg, last.band_high_kg),
            (Some(67.6), Some(69.6))
        );
        assert_eq!(w.series.len(), 14);
        assert!(
            w.series.iter().any(|p| p.kg.is_none()),
            "a missed day stays a gap"
        );
        assert!((w.net_change_kg - (w.last.kg - w.first.kg)).abs() < 1e-12);
    }

    #[test]
    fn the_baseline_is_the_one_the_weight_rules_judge_against() {
        let d = sample_diary();
        let input = d.input();
        let cfg = crate::rules::RulesConfig::default();
        let diary = crate::rules::Diary {
            entries: &d.entries,
            episodes: &d.episodes,
            schedule: &[],
        };
        let history = crate::rules::history(&diary, input.from, input.to, &cfg);
        let r = summarize(&Input {
            history: &history,
            ..input
        });
        let w = r.weight.unwrap();
        let r3 = |x: f64| (x * 1000.0).round() / 1000.0;
        let mut checked = 0;
        for f in history
            .iter()
            .flat_map(|a| &a.findings)
            .filter(|f| f.rule == "W1" || f.rule == "W2")
        {
            let day = date(f.evidence["weight_date"].as_str().unwrap());
            let p = w.series.iter().find(|p| p.date == day).unwrap();
            assert_eq!(
                f.evidence["baseline_kg"].as_f64(),
                p.baseline_kg.map(r3),
                "{day}: {f:?}"
            );
            checked += 1;
        }
        assert!(checked >= 2, "W1/W2 fire on the sample's leak: {history:?}");
    }

    #[test]
    fn vitals_symptoms_findings_and_meds() {
        let d = sample_diary();
        let r = summarize(&d.input());
        let v = r.vitals.unwrap();
        assert_eq!(v.lowest[0].bp.unwrap().systolic, 88);
        assert_eq!(v.lowest.len(), LOWEST_READINGS);
        assert_eq!(v.systolic.unwrap().min, 88);
        assert_eq!(v.lowest_standing.unwrap().standing_bp.unwrap().systolic, 80);

        let thirst = r.symptoms.iter().find(|s| s.name == "thirst").unwrap();
        assert_eq!(thirst.worst, 3);
        assert_eq!(thirst.days, thirst.mild + thirst.moderate + thirst.severe);
        // Most frequent first.
        assert!(r.symptoms.windows(2).all(|w| w[0].days >= w[1].days));

        // Only days at watch or above, with their findings, highest first.
        assert!(r.findings.iter().all(|f| f.level >= Level::Watch));
        assert_eq!(r.findings.len(), 4);
        let top = r
            .findings
            .iter()
            .find(|f| f.level == Level::Emergency)
            .unwrap();
        assert!(top.findings.windows(2).all(|w| w[0].level >= w[1].level));

        assert_eq!(r.medications.doses.len(), 1);
        assert_eq!(r.medications.scheduled[0].state, MedState::NotYetDue);
        assert_eq!(r.labs.len(), 2);
    }

    #[test]
    fn daily_rows_merge_a_days_entries() {
        let d = sample_diary();
        let r = summarize(&d.input());
        let day = r.days.iter().find(|d| d.entries == 2).unwrap();
        assert_eq!(day.bp.len(), 2);
        assert_eq!(day.weight_kg, Some(71.2), "the morning weight");
        assert_eq!(
            day.symptom_severity("thirst"),
            Some(3),
            "the worst of the day"
        );
        assert_eq!(
            r.notes.first().unwrap().date,
            date("2026-11-24"),
            "newest note first"
        );
    }

    #[test]
    fn an_empty_period_is_empty() {
        let d = sample_diary();
        let mut input = d.input();
        input.from = date("2025-01-01");
        input.to = date("2025-01-31");
        input.history = &[];
        let r = summarize(&input);
        assert!(r.is_empty());
        assert!(r.weight.is_none() && r.vitals.is_none());
        assert!(r.symptoms.is_empty() && r.findings.is_empty() && r.episodes.is_empty());
        assert_eq!(r.summary.adherence_pct, 0.0);
        assert_eq!(r.summary.current_level, None);
    }

    #[test]
    fn med_status_states() {
        let med = ScheduledMed {
            name: "ivig".into(),
            dose: Some("2g/kg".into()),
            every_days: 28,
            grace_days: 3,
        };
        let today = date("2026-11-25");
        let s = med_status(&med, None, today);
        assert_eq!(s.state, MedState::NotLogged);
        assert_eq!(s.describe(), "no dose logged yet");
        let s = med_status(&med, Some((date("2026-11-20"), None)), today);
        assert_eq!(
            (s.state, s.days_since, s.due_in_days),
            (MedState::NotYetDue, Some(5), Some(23))
        );
        assert_eq!(s.describe(), "due in 23 days (2026-12-18)");
        let s = med_status(&med, Some((date("2026-10-28"), None)), today);
        assert_eq!(s.state, MedState::DueToday);
        let s = med_status(&med, Some((date("2026-10-26"), None)), today);
        assert_eq!(s.state, MedState::Overdue);
        assert_eq!(s.describe(), "2 days overdue (due 2026-11-23)");
        let s = med_status(
            &med,
            Some((date("2026-10-20"), Some("1g/kg".into()))),
            today,
        );
        assert_eq!(s.state, MedState::OverduePastGrace);
        assert_eq!(
            s.describe(),
            "8 days overdue (due 2026-11-17, past the 3 days grace)"
        );
        assert_eq!(s.last_dose.as_deref(), Some("1g/kg"));
    }

    #[test]
    fn words() {
        assert_eq!(delta_weight(1.44, WeightUnit::Kg), "+1.4 kg");
        assert_eq!(delta_weight(-0.01, WeightUnit::Kg), "±0.0 kg");
        assert_eq!(lab_value(LabKind::Hematocrit, 47.0), "47%");
        assert_eq!(lab_value(LabKind::Albumin, 31.5), "31.5 g/L");
        assert_eq!(truncate("abcdef", 4), "abc…");
    }
}
