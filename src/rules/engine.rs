//! Evaluation of the default rule set (clinical.md §3) and the patient's
//! custom rules over an [`Index`], one day after another.
//!
//! Every rule either fires (a [`Finding`]), stays quiet because its inputs
//! are there and say "no", or is [`Skipped`] with the reason its inputs are
//! missing. A rule whose inputs are missing never counts as passing.

use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeDelta};
use serde_json::{json, Value};

use super::config::{symptom_key, Hemoconcentration, RulesConfig};
use super::custom::{self, Facts, PreparedRule};
use super::index::{days_between, median_of, shift, Index, LabReading, SymView};
use super::{Assessment, Diary, Finding, Level, Now, Skipped};
use crate::model::{entry_order, severity_word, Entry, Episode, LabKind, Severity, Urine};

/// Tolerance for comparing decimal thresholds with computed differences, so
/// that "exactly at the threshold" fires despite binary floating point.
pub(crate) const EPS: f64 = 1e-9;

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
    let med = super::config::MAX_MED_INTERVAL_DAYS + 1;
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
        let recovery = recovery_source(diary.episodes, last_emergency, date, cfg);
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

/// See [`super::weight_baselines`].
pub(crate) fn weight_baselines(
    diary: &Diary<'_>,
    from: NaiveDate,
    to: NaiveDate,
    cfg: &RulesConfig,
) -> Vec<super::WeightBaseline> {
    if from > to {
        return Vec::new();
    }
    let mut sorted: Vec<Entry>;
    let entries: &[Entry] = if diary
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
        .map(|date| {
            let (m, n) = ix.weight_baseline(date, nb.days, nb.lookback_days);
            super::WeightBaseline {
                date,
                kg: m.filter(|_| n >= nb.min_weights as usize),
                weights: n,
                from: shift(date, -i64::from(nb.lookback_days)),
                to: shift(date, -1),
            }
        })
        .collect()
}

/// Symptom names resolved once per run.
struct Prepared {
    prodrome: Vec<String>,
    trigger: Vec<String>,
    custom: Vec<PreparedRule>,
}

impl Prepared {
    fn new(cfg: &RulesConfig) -> Prepared {
        // Resolved and de-duplicated (an alias and its canonical name count once).
        let keys = |v: &[String]| {
            let mut k: Vec<String> = Vec::with_capacity(v.len());
            for name in v.iter().map(|s| symptom_key(s)) {
                if !k.contains(&name) {
                    k.push(name);
                }
            }
            k
        };
        Prepared {
            prodrome: keys(&cfg.prodrome_cluster.symptoms),
            trigger: keys(&cfg.trigger.symptoms),
            custom: cfg.custom.iter().map(PreparedRule::new).collect(),
        }
    }
}

/// Why DATE is in a recovery window.
#[derive(Debug, Clone, Copy)]
enum Recovery {
    Episode { id: i64, start: NaiveDate },
    Emergency(NaiveDate),
}

/// The recovery window (clinical.md §3, v2): from an episode's start to
/// `window_days` after its end (an open episode keeps it open), or the
/// `window_days` after an emergency day outside an episode.
fn recovery_source(
    episodes: &[Episode],
    last_emergency: Option<NaiveDate>,
    date: NaiveDate,
    cfg: &RulesConfig,
) -> Option<Recovery> {
    let w = i64::from(cfg.recruitment.window_days);
    let ep = episodes
        .iter()
        .filter(|e| e.start <= date && e.end.is_none_or(|end| days_between(end, date) <= w))
        .max_by_key(|e| e.start)
        .map(|e| {
            (
                e.start,
                Recovery::Episode {
                    id: e.id,
                    start: e.start,
                },
            )
        });
    let em = last_emergency
        .filter(|d| (1..=w).contains(&days_between(*d, date)))
        .map(|d| (d, Recovery::Emergency(d)));
    match (ep, em) {
        (Some(a), Some(b)) => Some(if b.0 > a.0 { b.1 } else { a.1 }),
        (a, b) => a.or(b).map(|x| x.1),
    }
}

type Evidence = BTreeMap<String, Value>;

macro_rules! ev {
    ($($k:expr => $v:expr),* $(,)?) => {{
        let mut m = Evidence::new();
        $( m.insert($k.to_string(), json!($v)); )*
        m
    }};
}

/// Findings, skips and notes collected for one day.
///
/// Most evaluated days are read only for their level: the warm-up before a
/// history, a report's lead-in, every day of a backtest. On those "quiet"
/// days (`detail` false) only `fired` is kept, and the `fire!`, `skip!` and
/// `note!` macros do not even evaluate their text: formatting and JSON
/// were most of the engine's time.
struct Out<'x> {
    detail: bool,
    /// Every rule that fired and its level, on quiet and detailed days alike,
    /// so that the day's level and [`Out::fired`] never depend on `detail`.
    fired: Vec<(&'x str, Level)>,
    findings: Vec<Finding>,
    skipped: Vec<Skipped>,
    notes: Vec<String>,
}

impl<'x> Out<'x> {
    fn new(detail: bool) -> Out<'x> {
        // A quiet day allocates only if something fires.
        let cap = |n| if detail { n } else { 0 };
        Out {
            detail,
            fired: Vec::with_capacity(cap(4)),
            findings: Vec::with_capacity(cap(4)),
            skipped: Vec::with_capacity(cap(8)),
            notes: Vec::new(),
        }
    }

    /// Call through `fire!`, which skips the text on quiet days.
    fn fire(
        &mut self,
        rule: &'x str,
        name: &str,
        level: Level,
        message: String,
        evidence: Evidence,
    ) {
        self.fire_level(rule, level);
        self.findings.push(Finding {
            rule: rule.into(),
            name: name.into(),
            level,
            message,
            evidence,
        });
    }

    fn fire_level(&mut self, rule: &'x str, level: Level) {
        self.fired.push((rule, level));
    }

    /// Call through `skip!`.
    fn skip(&mut self, rule: &str, name: &str, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            rule: rule.into(),
            name: name.into(),
            reason: reason.into(),
        });
    }

    fn fired(&self, rule: &str) -> Option<Level> {
        self.fired.iter().filter(|f| f.0 == rule).map(|f| f.1).max()
    }

    fn level(&self) -> Level {
        self.fired.iter().map(|f| f.1).max().unwrap_or(Level::Ok)
    }
}

/// `fire!(out, rule, name, level, message, evidence)`, or with one
/// expression giving `(message, evidence)` when they are built together.
/// `level` is always evaluated (once); the text only on detailed days.
macro_rules! fire {
    ($out:ident, $rule:expr, $name:expr, $level:expr, $message:expr, $evidence:expr $(,)?) => {{
        let level: Level = $level;
        if $out.detail {
            $out.fire($rule, $name, level, $message, $evidence);
        } else {
            $out.fire_level($rule, level);
        }
    }};
    ($out:ident, $rule:expr, $name:expr, $level:expr, $text:expr $(,)?) => {{
        let level: Level = $level;
        if $out.detail {
            let (message, evidence): (String, Evidence) = $text;
            $out.fire($rule, $name, level, message, evidence);
        } else {
            $out.fire_level($rule, level);
        }
    }};
}

/// `out.skip(..)` on detailed days; `reason` is not evaluated on quiet ones.
macro_rules! skip {
    ($out:ident, $rule:expr, $name:expr, $reason:expr $(,)?) => {
        if $out.detail {
            $out.skip($rule, $name, $reason);
        }
    };
}

/// A note on detailed days; `text` is not evaluated on quiet ones.
macro_rules! note {
    ($out:ident, $text:expr $(,)?) => {
        if $out.detail {
            $out.notes.push($text);
        }
    };
}

/// Rounded for evidence: computed differences carry binary noise
/// (1.4000000000000057) that helps nobody reading the JSON.
fn r3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// "1 day", "5 days".
fn n_days(n: i64) -> String {
    crate::render::count(n, "day", "days")
}

/// A weight in the configured unit: "70.0 kg", "154.3 lb".
fn wt(cfg: &RulesConfig, kg: f64) -> String {
    format!("{:.1} {}", cfg.unit.from_kg(kg), cfg.unit.as_str())
}

/// A signed weight change in the configured unit: "+1.4 kg".
fn dwt(cfg: &RulesConfig, kg: f64) -> String {
    format!("{:+.1} {}", cfg.unit.from_kg(kg), cfg.unit.as_str())
}

/// A number without a needless ".0" (baselines may be a mean of two).
fn num(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

fn sym(name: &str, s: Severity) -> String {
    format!("{name} ({})", severity_word(s))
}

/// The weight the weight rules judge: DATE's day weight, else DATE−1's
/// (carry-over, clinical.md §3 v2).
#[derive(Debug, Clone, Copy)]
struct WeightDay {
    date: NaiveDate,
    kg: f64,
    entry: usize,
    /// True when DATE had no weight and DATE−1's is used.
    yesterday: bool,
}

#[derive(Debug, Clone, Copy)]
struct Gain {
    baseline: f64,
    n: usize,
    kg: f64,
    pct: f64,
}

/// W4's inputs: the recent median against the reference.
#[derive(Debug, Clone, Copy)]
struct Sustained {
    recent: f64,
    recent_n: usize,
    reference: f64,
    /// `None` when the reference is the configured dry weight.
    reference_n: Option<usize>,
    kg: f64,
    pct: f64,
    threshold: f64,
}

/// A gain threshold, the larger of kg and % of the reference weight.
fn threshold(kg: f64, pct: f64, reference: f64) -> f64 {
    kg.max(pct / 100.0 * reference)
}

/// A trigger symptom that lowered W1's threshold: (name, severity, date).
type TriggerHit<'x> = (&'x str, Severity, NaiveDate);

/// The events of the window: symptoms at their highest severity, and urine.
struct Events<'a> {
    syms: SymView<'a>,
    urine_less: Option<usize>,
    /// The entry with the lowest `urine_ml`.
    urine_ml: Option<usize>,
    urine_logged: bool,
    /// True when the window itself had no entry and these are the 24 hours
    /// before it (a decision of ours: clinical.md gives readings that
    /// fallback; an empty window must not make symptoms unknown when
    /// yesterday's are there).
    fallback: bool,
}

impl<'a> Events<'a> {
    fn of(entries: &'a [Entry], idx: &[usize], fallback: bool) -> Events<'a> {
        let mut ev = Events {
            syms: SymView::default(),
            urine_less: None,
            urine_ml: None,
            urine_logged: false,
            fallback,
        };
        for &i in idx {
            let e = &entries[i];
            ev.syms.add(i, e);
            ev.urine_logged |= e.m.urine.is_some() || e.m.urine_ml.is_some();
            if e.m.urine == Some(Urine::Less) && ev.urine_less.is_none() {
                ev.urine_less = Some(i);
            }
            if let Some(ml) = e.m.urine_ml {
                if ev
                    .urine_ml
                    .is_none_or(|j| ml < entries[j].m.urine_ml.unwrap_or(u32::MAX))
                {
                    ev.urine_ml = Some(i);
                }
            }
        }
        ev
    }
}

/// Everything the rules of one day read, computed once.
struct Ctx<'x, 'a> {
    ix: &'x Index<'a>,
    cfg: &'x RulesConfig,
    prep: &'x Prepared,
    date: NaiveDate,
    /// Judged as of a moment (`cls check` now) rather than the day's end.
    now: Option<Now>,
    /// `date` formatted once (most days print it in several skip reasons);
    /// empty on quiet days, which print nothing.
    ds: String,
    /// The 24-hour window's entries, in time order (as of the end of a past
    /// day: that logical day's entries).
    win: Vec<usize>,
    /// The 24 hours before it (the day before), for readings the window lacks.
    before: Vec<usize>,
    /// Symptoms and urine of the window (or of the 24 hours before it when
    /// the window is empty); `None` when both are empty.
    events: Option<Events<'a>>,
    weight: Option<WeightDay>,
    /// Baseline days looked at and day weights found: (from, to, found).
    baseline_window: (NaiveDate, NaiveDate, usize),
    gain: Option<Gain>,
    /// W1's threshold in kg and the trigger that lowered it.
    w1: Option<(f64, Option<TriggerHit<'x>>)>,
    w2: Option<f64>,
    /// The weight day's change from the day before: (previous kg, change kg).
    overnight: Option<(f64, f64)>,
    /// W4, when its inputs are there.
    w4: Option<Sustained>,
    /// Why W4 could not be judged.
    w4_missing: Option<String>,
}

impl Ctx<'_, '_> {
    fn entry(&self, i: usize) -> &Entry {
        &self.ix.entries[i]
    }

    /// When an entry was taken, as short as is unambiguous: "07:30" on
    /// DATE itself, else "22:00 on 2026-11-24".
    fn at(&self, i: usize) -> String {
        let e = self.entry(i);
        let t = e.stamp.time.format("%H:%M");
        if e.stamp.date == self.date {
            t.to_string()
        } else {
            format!("{t} on {}", e.stamp.date)
        }
    }

    /// "in the last 24 hours" or "on 2026-11-25": where the window is.
    fn in_window(&self) -> String {
        match self.now {
            Some(_) => "in the last 24 hours".into(),
            None => format!("on {}", self.ds),
        }
    }

    /// The window and the span before it, for skip reasons.
    fn in_48h(&self) -> String {
        match self.now {
            Some(_) => "in the last 48 hours".into(),
            None => format!("on {} or the day before", self.ds),
        }
    }

    fn w1_met(&self) -> Option<bool> {
        Some(self.gain?.kg >= self.w1.as_ref()?.0 - EPS)
    }

    fn w2_met(&self) -> Option<bool> {
        Some(self.gain?.kg >= self.w2? - EPS)
    }

    fn w4_met(&self) -> Option<bool> {
        self.w4.map(|s| s.kg >= s.threshold - EPS)
    }

    /// "Weight gain present" (clinical.md §3 v2): W1 or W4, by their
    /// thresholds (W2's gain is above W1's).
    fn gain_present(&self) -> Option<bool> {
        or3(&[self.w1_met(), self.w2_met(), self.w4_met()])
    }

    /// Severity in the window (`None` when nothing was logged there).
    fn symptom(&self, name: &str) -> Option<Severity> {
        self.events.as_ref().map(|e| e.syms.get(name))
    }

    /// Where the events come from, for messages: "" for the window itself,
    /// " in the 24 hours before" when it was empty.
    fn events_suffix(&self) -> String {
        match &self.events {
            Some(e) if e.fallback => match self.now {
                Some(_) => " (logged 24–48 hours ago; nothing logged since)".into(),
                None => format!(" on {}", shift(self.date, -1)),
            },
            _ => String::new(),
        }
    }

    /// The entry where `name` was at its highest in the window.
    fn symptom_at(&self, name: &str) -> Option<String> {
        let ev = self.events.as_ref()?;
        let i = ev
            .syms
            .list
            .binary_search_by(|(n, _, _)| (*n).cmp(name))
            .ok()?;
        Some(self.at(ev.syms.list[i].2))
    }

    /// The prodrome-set symptoms present (≥ min) in the window, by name.
    fn prodrome(&self, min: Severity) -> Vec<(&str, Severity)> {
        let Some(ev) = &self.events else {
            return Vec::new();
        };
        self.prep
            .prodrome
            .iter()
            .filter_map(|n| {
                Some(ev.syms.get(n))
                    .filter(|s| *s >= min)
                    .map(|s| (n.as_str(), s))
            })
            .collect()
    }

    /// The readings a rule judges: every entry of the window that `has` one;
    /// when there is none, the most recent of the 24 hours before, alone.
    fn readings(&self, has: impl Fn(&Entry) -> bool) -> Vec<usize> {
        let v: Vec<usize> = self
            .win
            .iter()
            .copied()
            .filter(|&i| has(self.entry(i)))
            .collect();
        if !v.is_empty() {
            return v;
        }
        self.before
            .iter()
            .rev()
            .copied()
            .find(|&i| has(self.entry(i)))
            .into_iter()
            .collect()
    }

    fn no_weight_reason(&self) -> String {
        format!("no weight logged on {} or the day before", self.ds)
    }

    fn no_baseline_reason(&self) -> String {
        let (from, to, have) = self.baseline_window;
        format!(
            "no weight baseline ({have} of the {} day weights needed in {from}..{to})",
            self.cfg.no_baseline.min_weights
        )
    }

    /// Why the gain over the baseline is unknown.
    fn gain_missing(&self) -> String {
        if self.weight.is_none() {
            self.no_weight_reason()
        } else {
            self.no_baseline_reason()
        }
    }

    fn weight_phrase(&self, w: &WeightDay) -> String {
        if w.yesterday {
            let now = if self.now.is_some() {
                "; weigh yourself now"
            } else {
                ""
            };
            format!(
                "yesterday's weight {} ({}{now})",
                wt(self.cfg, w.kg),
                w.date
            )
        } else {
            format!("weight {}", wt(self.cfg, w.kg))
        }
    }

    fn gain_phrase(&self, g: &Gain) -> String {
        let w = self
            .weight
            .map(|w| self.weight_phrase(&w))
            .unwrap_or_default();
        format!(
            "{w} is {} ({:+.1}%) over your baseline {} (median of the last {} weighed days)",
            dwt(self.cfg, g.kg),
            g.pct,
            wt(self.cfg, g.baseline),
            g.n
        )
    }

    fn weight_evidence(&self, g: &Gain, thr: f64) -> Evidence {
        let w = self.weight.expect("gain implies a weight");
        let (from, to, _) = self.baseline_window;
        ev! {
            "weight_kg" => w.kg,
            "weight_date" => w.date.to_string(),
            "weight_is_yesterdays" => w.yesterday,
            "entry_id" => self.entry(w.entry).id,
            "baseline_kg" => r3(g.baseline),
            "baseline_weights" => g.n,
            "baseline_from" => from.to_string(),
            "baseline_to" => to.to_string(),
            "gain_kg" => r3(g.kg),
            "gain_pct" => r3(g.pct),
            "threshold_kg" => r3(thr),
        }
    }
}

/// The window and the span before it: as of `now`, the 24 hours before it
/// and the 24 before those; as of the end of a day, that logical day and
/// the day before.
fn windows(ix: &Index<'_>, date: NaiveDate, now: Option<Now>) -> (Vec<usize>, Vec<usize>) {
    match now {
        None => {
            let day = ix.day(date).range.clone();
            let prev = ix.day(shift(date, -1)).range.clone();
            (day.collect(), prev.collect())
        }
        Some(n) => {
            let day = TimeDelta::hours(24);
            let (a, b) = (n.utc - day, n.utc - day - day);
            let mut win = Vec::new();
            let mut before = Vec::new();
            // 48 hours reach back at most three logical days.
            for i in ix.first_from(shift(date, -3))..ix.entries.len() {
                let t = ix.entries[i].stamp.utc;
                if t > n.utc {
                    continue;
                }
                if t > a {
                    win.push(i);
                } else if t > b {
                    before.push(i);
                }
            }
            (win, before)
        }
    }
}

#[allow(clippy::too_many_lines)]
fn build_ctx<'x, 'a>(
    ix: &'x Index<'a>,
    prep: &'x Prepared,
    date: NaiveDate,
    now: Option<Now>,
    detail: bool,
    cfg: &'x RulesConfig,
) -> Ctx<'x, 'a> {
    let yesterday = shift(date, -1);
    let weight = ix
        .weight(date)
        .map(|(kg, entry)| WeightDay {
            date,
            kg,
            entry,
            yesterday: false,
        })
        .or_else(|| {
            ix.weight(yesterday).map(|(kg, entry)| WeightDay {
                date: yesterday,
                kg,
                entry,
                yesterday: true,
            })
        });

    // Baseline B: the 7 most recent weighed days before the weight's day,
    // within 28 days, episode days left out.
    let ref_day = weight.map_or(date, |w| w.date);
    let nb = &cfg.no_baseline;
    let (from, to) = (
        shift(ref_day, -i64::from(nb.lookback_days)),
        shift(ref_day, -1),
    );
    let (median_kg, have) = ix.weight_baseline(ref_day, nb.days, nb.lookback_days);
    let baseline = median_kg.filter(|_| have >= nb.min_weights as usize);
    let gain = match (weight, baseline) {
        (Some(w), Some(b)) => Some(Gain {
            baseline: b,
            n: have,
            kg: w.kg - b,
            pct: (w.kg - b) / b * 100.0,
        }),
        _ => None,
    };

    let (win, before) = windows(ix, date, now);
    let events = if !win.is_empty() {
        Some(Events::of(ix.entries, &win, false))
    } else if !before.is_empty() {
        Some(Events::of(ix.entries, &before, true))
    } else {
        None
    };

    let mut ctx = Ctx {
        ix,
        cfg,
        prep,
        date,
        now,
        ds: if detail {
            date.to_string()
        } else {
            String::new()
        },
        win,
        before,
        events,
        weight,
        baseline_window: (from, to, have),
        gain,
        w1: None,
        w2: None,
        overnight: None,
        w4: None,
        w4_missing: None,
    };

    // P3: a trigger within DATE−days..DATE lowers W1's threshold.
    let t = &cfg.trigger;
    let trigger = if t.enabled {
        (0..=i64::from(t.days)).find_map(|k| {
            let d = shift(date, -k);
            let day = ix.day(d);
            prep.trigger
                .iter()
                .filter_map(|n| {
                    day.symptom(n)
                        .filter(|s| *s >= t.min_severity)
                        .map(|s| (n.as_str(), s, d))
                })
                .max_by_key(|x| x.1)
        })
    } else {
        None
    };
    if let Some(g) = gain {
        let w = &cfg.weight_gain;
        let normal = threshold(w.watch_kg, w.watch_pct, g.baseline);
        let w1 = match trigger {
            // A trigger only ever lowers the threshold.
            Some(tr) => (
                normal.min(threshold(t.watch_kg, t.watch_pct, g.baseline)),
                Some(tr),
            ),
            None => (normal, None),
        };
        ctx.w1 = Some(w1);
        let w = &cfg.weight_gain_large;
        ctx.w2 = Some(threshold(w.warning_kg, w.warning_pct, g.baseline));
    }
    ctx.overnight = weight.and_then(|w| {
        let (prev, _) = ix.weight(shift(w.date, -1))?;
        Some((prev, w.kg - prev))
    });

    // W4: the recent days' median against the dry weight or the reference.
    let s = &cfg.sustained_gain;
    let recent_from = shift(date, 1 - i64::from(s.recent_days));
    let (recent, recent_n) = ix.weights_median(recent_from, date, false);
    let recent = recent.filter(|_| recent_n >= s.min_recent as usize);
    let reference = match cfg.dry_weight_kg {
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
    };
    match (recent, reference) {
        (Some(r), Ok((reference, reference_n))) => {
            ctx.w4 = Some(Sustained {
                recent: r,
                recent_n,
                reference,
                reference_n,
                kg: r - reference,
                pct: (r - reference) / reference * 100.0,
                threshold: threshold(s.watch_kg, s.watch_pct, reference),
            });
        }
        (None, _) if detail => {
            ctx.w4_missing = Some(format!(
                "{recent_n} of the {} day weights needed on {recent_from}..{date}",
                s.min_recent
            ));
        }
        (_, Err(why)) if detail => ctx.w4_missing = Some(why),
        _ => {}
    }
    ctx
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
    let ctx = build_ctx(ix, prep, date, now, detail, cfg);
    let mut out = Out::new(detail);

    data_rules(&ctx, &mut out);
    weight_rules(&ctx, &mut out);
    prodrome_rules(&ctx, &mut out);
    let sbp_low = bp_rules(&ctx, &mut out);
    orthostatic(&ctx, &mut out);
    pulse_rules(&ctx, &mut out);
    let l7 = urine_and_syncope(&ctx, &mut out);
    leak_combo(&ctx, &mut out, sbp_low, l7);
    breathing_and_swelling(&ctx, &mut out);
    lab_rules(&ctx, &mut out);
    if let Some(r) = recovery {
        recruitment(&ctx, &mut out, r);
    }
    med_overdue(&ctx, diary, &mut out);
    custom_rules(&ctx, &mut out);

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

/// D1, D2, D3 and the "weigh yourself" note.
fn data_rules(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) {
    let cfg = ctx.cfg;
    let date = ctx.date;

    // D2 (always on): nothing logged in the last `days` days.
    let s = &cfg.stale;
    let window = i64::from(s.days);
    let logged = (0..window).any(|k| ctx.ix.day(shift(date, -k)).has_entries());
    if !logged {
        fire!(out, "D2", "stale", s.level, {
            let span = match s.days {
                1 => format!("on {date}"),
                2 => format!("on {date} or the day before"),
                n => format!("in the {n} days {}..{date}", shift(date, 1 - window)),
            };
            let (message, last) = match ctx.ix.last_entry_on_or_before(date) {
                Some(i) => {
                    let d = ctx.ix.lday(i);
                    let ago = days_between(d, date);
                    (
                        format!("nothing logged {span}; last entry {d}, {} ago", n_days(ago)),
                        json!(d.to_string()),
                    )
                }
                None if ctx.ix.diary_empty => {
                    ("the diary has no entries yet".to_string(), Value::Null)
                }
                None => (
                    format!("the diary has no entries on or before {date}"),
                    Value::Null,
                ),
            };
            (message, ev! {"days" => s.days, "last_entry" => last})
        });
    }

    // D1 (always on): no current weight, or no baseline for it.
    let nb = &cfg.no_baseline;
    if ctx.weight.is_none() {
        let last = ctx.ix.day(date).last_weight;
        fire!(
            out,
            "D1",
            "no_baseline",
            nb.level,
            {
                let tail = match last {
                    Some(d) => format!("; last weight {d}, {} ago", n_days(days_between(d, date))),
                    None => "; no weight in the diary".to_string(),
                };
                format!("no current weight: nothing weighed on {date} or the day before{tail}")
            },
            ev! {"last_weight_date" => last.map(|d| d.to_string()), "cause" => "no_weight"},
        );
    } else if ctx.gain.is_none() {
        let (from, to, have) = ctx.baseline_window;
        // The weight judged (today's, or yesterday's carried over) joins the
        // baseline of the days after it.
        let more = (nb.min_weights as usize)
            .saturating_sub(have)
            .saturating_sub(1)
            .max(1);
        fire!(
            out,
            "D1",
            "no_baseline",
            nb.level,
            format!(
                "no weight baseline yet: {have} of the {} morning weights needed in {from}..{to}; {} {} you one",
                nb.min_weights,
                crate::render::count(more, "more morning weight", "more morning weights"),
                if more == 1 { "gives" } else { "give" }
            ),
            ev! {"have" => have, "need" => nb.min_weights, "from" => from.to_string(), "to" => to.to_string(),
            "more_weights_needed" => more, "cause" => "no_baseline"},
        );
    }

    // D3: prodrome symptoms in the window and no weight on DATE.
    if ctx.ix.day(date).weight.is_none() {
        let present = ctx.prodrome(cfg.weigh_now.min_severity);
        if cfg.weigh_now.enabled && !present.is_empty() {
            fire!(
                out,
                "D3",
                "weigh_now",
                cfg.weigh_now.level,
                {
                    let list: Vec<String> = present.iter().map(|(n, s)| sym(n, *s)).collect();
                    format!(
                        "{} logged{} but no weight on {date}: weigh yourself now",
                        list.join(", "),
                        ctx.events_suffix()
                    )
                },
                ev! {"symptoms" => present.iter().map(|(n, s)| json!({"name": n, "severity": s})).collect::<Vec<_>>()},
            );
        }
        note!(out, match (ctx.weight, ctx.now) {
            (Some(w), Some(_)) if w.yesterday => format!(
                "no weight logged on {date} yet: the weight rules used yesterday's ({}); weigh yourself now (after voiding, before breakfast) and log it",
                wt(cfg, w.kg)
            ),
            (_, Some(_)) => format!("no weight logged on {date}: weigh yourself now (after voiding, before breakfast) and log it"),
            (Some(w), None) if w.yesterday => format!(
                "no weight logged on {date}: the weight rules used the day before's ({})",
                wt(cfg, w.kg)
            ),
            (_, None) => format!("no weight logged on {date}"),
        });
    }
}

/// W1, W2, W3, W4 and the P3 note.
fn weight_rules(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) {
    let cfg = ctx.cfg;
    let (w1c, w2c, w3c) = (
        &cfg.weight_gain,
        &cfg.weight_gain_large,
        &cfg.overnight_jump,
    );

    if let (Some(g), Some((thr1, trig)), Some(thr2)) = (ctx.gain, &ctx.w1, ctx.w2) {
        if let Some((name, s, d)) = trig {
            note!(
                out,
                format!(
                    "{} on {d}: a trigger, so the weight-gain limit is lowered to +{} (rule P3)",
                    sym(name, *s),
                    wt(cfg, *thr1)
                )
            );
        }
        let w2 = w2c.enabled && g.kg >= thr2 - EPS;
        if w2 {
            fire!(
                out,
                "W2",
                "weight_gain_large",
                w2c.level,
                format!(
                    "{}; limit +{})",
                    ctx.gain_phrase(&g).trim_end_matches(')'),
                    wt(cfg, thr2)
                ),
                {
                    let mut e = ctx.weight_evidence(&g, thr2);
                    e.insert("threshold_pct".into(), json!(w2c.warning_pct));
                    e
                },
            );
        }
        // W1 is W2's lower band: not repeated when W2 already says as much.
        let shadowed = w2 && w2c.level >= w1c.level;
        if w1c.enabled && g.kg >= thr1 - EPS && !shadowed {
            fire!(out, "W1", "weight_gain", w1c.level, {
                let mut e = ctx.weight_evidence(&g, *thr1);
                let mut msg = format!(
                    "{}; limit +{}",
                    ctx.gain_phrase(&g).trim_end_matches(')'),
                    wt(cfg, *thr1)
                );
                if let Some((name, _, d)) = trig {
                    msg.push_str(&format!(", lowered after {name} on {d}"));
                    e.insert(
                        "trigger".into(),
                        json!({"symptom": name, "date": d.to_string()}),
                    );
                }
                msg.push(')');
                (msg, e)
            });
        }
    } else if out.detail {
        let reason = ctx.gain_missing();
        if w1c.enabled {
            out.skip("W1", "weight_gain", &reason);
        }
        if w2c.enabled {
            out.skip("W2", "weight_gain_large", &reason);
        }
    }

    if w3c.enabled {
        match (ctx.weight, ctx.overnight) {
            (None, _) => skip!(out, "W3", "overnight_jump", ctx.no_weight_reason()),
            (Some(w), None) => skip!(
                out,
                "W3",
                "overnight_jump",
                format!(
                    "no weight on {} to compare {}'s with",
                    shift(w.date, -1),
                    w.date
                ),
            ),
            (Some(w), Some((prev, change))) => {
                let thr = threshold(w3c.watch_kg, w3c.watch_pct, prev);
                if change >= thr - EPS {
                    fire!(out, "W3", "overnight_jump", w3c.level, {
                        let pct = change / prev * 100.0;
                        let since = if w.yesterday {
                            format!("since {} on {}", wt(cfg, prev), shift(w.date, -1))
                        } else {
                            format!("since yesterday's {}", wt(cfg, prev))
                        };
                        (
                            format!(
                                "{} is {} ({pct:+.1}%) {since} (limit +{})",
                                ctx.weight_phrase(&w),
                                dwt(cfg, change),
                                wt(cfg, thr)
                            ),
                            ev! {
                                "weight_kg" => w.kg, "weight_date" => w.date.to_string(),
                                "previous_kg" => prev, "change_kg" => r3(change), "change_pct" => r3(pct),
                                "threshold_kg" => r3(thr), "entry_id" => ctx.entry(w.entry).id,
                            },
                        )
                    });
                }
            }
        }
    }

    let w4c = &cfg.sustained_gain;
    if w4c.enabled {
        match ctx.w4 {
            None => {
                if let Some(why) = &ctx.w4_missing {
                    skip!(out, "W4", "sustained_gain", why.clone());
                }
            }
            Some(s) if s.kg >= s.threshold - EPS => {
                fire!(out, "W4", "sustained_gain", w4c.level, {
                    let reference = match s.reference_n {
                        None => format!("your dry weight {}", wt(cfg, s.reference)),
                        Some(n) => format!(
                            "your reference {} (median of {n} day weights {}..{})",
                            wt(cfg, s.reference),
                            shift(ctx.date, -i64::from(w4c.reference_from_days)),
                            shift(ctx.date, -i64::from(w4c.reference_to_days))
                        ),
                    };
                    (
                        format!(
                            "your weight has stayed up: median {} of the last {} weighed days is {} ({:+.1}%) over {reference} (limit +{})",
                            wt(cfg, s.recent),
                            s.recent_n,
                            dwt(cfg, s.kg),
                            s.pct,
                            wt(cfg, s.threshold)
                        ),
                        ev! {
                            "recent_median_kg" => r3(s.recent), "recent_weights" => s.recent_n,
                            "reference_kg" => r3(s.reference), "reference_is_dry_weight" => s.reference_n.is_none(),
                            "reference_weights" => s.reference_n,
                            "gain_kg" => r3(s.kg), "gain_pct" => r3(s.pct), "threshold_kg" => r3(s.threshold),
                        },
                    )
                });
            }
            Some(_) => {}
        }
    }
}

/// P1 and P2.
fn prodrome_rules(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) {
    let cfg = ctx.cfg;
    let gain = ctx.gain_present();
    // The gain in words: long for P1 ("weight 69.4 kg is +1.4 kg (+2.1%)
    // over your baseline ..."), short for P2 ("weight +1.4 kg over ...").
    let gain_words = |long: bool| -> String {
        match (ctx.gain, ctx.w4) {
            (Some(g), _) if ctx.w1_met() == Some(true) => {
                if long {
                    ctx.gain_phrase(&g)
                } else {
                    format!(
                        "weight {} over your baseline {}",
                        dwt(ctx.cfg, g.kg),
                        wt(ctx.cfg, g.baseline)
                    )
                }
            }
            (_, Some(s)) => format!(
                "weight staying {} over your reference {} (W4)",
                dwt(ctx.cfg, s.kg),
                wt(ctx.cfg, s.reference)
            ),
            _ => String::new(),
        }
    };
    // Why "weight gain present" is undecided: the parts that are unknown.
    let gain_missing = || -> String {
        let mut why = Vec::new();
        if ctx.w1_met().is_none() {
            why.push(ctx.gain_missing());
        }
        if let (None, Some(w)) = (ctx.w4_met(), &ctx.w4_missing) {
            why.push(format!("sustained gain (W4): {w}"));
        }
        why.join("; ")
    };
    let p1 = &cfg.weight_thirst;
    if p1.enabled {
        match gain {
            None => skip!(out, "P1", "weight_thirst", gain_missing()),
            Some(false) => {}
            Some(true) => match ctx.symptom("thirst") {
                None => skip!(
                    out,
                    "P1",
                    "weight_thirst",
                    format!("no symptoms logged {}", ctx.in_48h())
                ),
                Some(s) if s >= p1.min_severity => {
                    fire!(
                        out,
                        "P1",
                        "weight_thirst",
                        p1.level,
                        format!(
                            "{}, with {}{}",
                            gain_words(true),
                            sym("thirst", s),
                            ctx.events_suffix()
                        ),
                        {
                            let mut e = match ctx.gain {
                                Some(g) => {
                                    ctx.weight_evidence(&g, ctx.w1.as_ref().map_or(0.0, |w| w.0))
                                }
                                None => Evidence::new(),
                            };
                            e.insert("thirst".into(), json!(s));
                            e.insert("w1_met".into(), json!(ctx.w1_met()));
                            e.insert("w4_met".into(), json!(ctx.w4_met()));
                            e
                        },
                    );
                }
                Some(_) => {}
            },
        }
    }

    let p2 = &cfg.prodrome_cluster;
    if p2.enabled {
        if ctx.events.is_none() {
            skip!(
                out,
                "P2",
                "prodrome_cluster",
                format!("no symptoms logged {}", ctx.in_48h()),
            );
        } else {
            let present = ctx.prodrome(p2.min_severity);
            if present.len() >= p2.min_count as usize && !present.is_empty() {
                let level = match gain {
                    Some(true) => p2.level.max(p2.level_with_gain),
                    Some(false) | None => p2.level,
                };
                fire!(
                    out,
                    "P2",
                    "prodrome_cluster",
                    level,
                    {
                        let list: Vec<String> = present.iter().map(|(n, s)| sym(n, *s)).collect();
                        let mut msg = format!(
                            "{} prodrome symptoms{}: {}",
                            present.len(),
                            ctx.events_suffix(),
                            list.join(", ")
                        );
                        match gain {
                            Some(true) => {
                                msg.push_str(&format!(", with {}", gain_words(false)));
                            }
                            // Only a missing weight or baseline is worth
                            // weighing for; W4's reference takes weeks.
                            Some(false) | None if ctx.w1_met().is_some() => {}
                            Some(false) => {}
                            None => msg.push_str(&format!(
                                "; weight gain unknown ({}): weigh yourself",
                                ctx.gain_missing()
                            )),
                        }
                        msg
                    },
                    ev! {
                        "symptoms" => present.iter().map(|(n, s)| json!({"name": n, "severity": s})).collect::<Vec<_>>(),
                        "count" => present.len(), "min_count" => p2.min_count,
                        "weight_gain_met" => gain, "gain_kg" => ctx.gain.map(|g| r3(g.kg)),
                    },
                );
            }
        }
    }
}

/// A systolic reading: (mmHg, entry index, standing).
type Sbp = (u16, usize, bool);

/// The systolic readings of one entry: sitting, then standing.
fn sbps(e: &Entry, i: usize) -> impl Iterator<Item = Sbp> {
    let sit =
        e.m.bp
            .filter(|b| b.systolic > 0)
            .map(|b| (b.systolic, i, false));
    let stand =
        e.m.standing_bp
            .filter(|b| b.systolic > 0)
            .map(|b| (b.systolic, i, true));
    sit.into_iter().chain(stand)
}

/// The lowest reading, the earliest of equals.
fn lowest(v: impl Iterator<Item = Sbp>) -> Option<Sbp> {
    v.fold(None, |best: Option<Sbp>, r| match best {
        Some(b) if b.0 <= r.0 => Some(b),
        _ => Some(r),
    })
}

/// The sitting systolic baseline before entry `i`: (median, readings).
fn sbp_baseline(ctx: &Ctx<'_, '_>, i: usize) -> (Option<(f64, usize)>, usize) {
    let b = &ctx.cfg.bp_baseline;
    let ix = ctx.ix;
    let n = ix.bp.partition_point(|&j| j < i);
    let oldest = shift(ix.lday(i), -i64::from(b.max_age_days));
    let (m, have) = median_of(
        ix.bp[..n]
            .iter()
            .rev()
            .take_while(|&&j| ix.lday(j) >= oldest)
            .take(b.readings as usize)
            .filter_map(|&j| ix.entries[j].m.bp.map(|bp| f64::from(bp.systolic))),
    );
    let base = m
        .filter(|_| have >= b.min_readings as usize)
        .map(|m| (m, have));
    (base, have)
}

/// L1 and L2 on the worst reading of the window. Returns whether the lowest
/// sitting systolic is ≤ L8's limit (`None` when there is no sitting
/// reading).
#[allow(clippy::too_many_lines)]
fn bp_rules(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) -> Option<bool> {
    let cfg = ctx.cfg;
    let (c1, c2) = (&cfg.hypotension, &cfg.low_bp);
    let any_bp = |e: &Entry| sbps(e, 0).next().is_some();
    let all = ctx.readings(any_bp);
    if all.is_empty() {
        if out.detail {
            let reason = format!("no blood pressure logged {}", ctx.in_48h());
            if c1.enabled {
                out.skip("L1", "hypotension", &reason);
            }
            if c2.enabled {
                out.skip("L2", "low_bp", reason);
            }
        }
        return None;
    }
    let abs_low =
        lowest(all.iter().flat_map(|&i| sbps(ctx.entry(i), i))).expect("readings have a systolic");
    let sitting = ctx.readings(|e| e.m.bp.is_some_and(|b| b.systolic > 0));
    let sit_low = lowest(
        sitting
            .iter()
            .flat_map(|&i| sbps(ctx.entry(i), i).filter(|r| !r.2)),
    );
    // The baseline is taken before the first sitting reading judged, so the
    // window's own readings never become each other's baseline: a second,
    // lower reading must not lift the first one's alarm (clinical.md says
    // "before it"; we read it as "before the window").
    let (base, base_have) = match (sit_low, sitting.first()) {
        (Some(_), Some(&first)) => sbp_baseline(ctx, first),
        _ => (None, 0),
    };
    if base.is_none() && sit_low.is_some() && (c1.enabled || c2.enabled) {
        note!(out, format!(
            "no blood-pressure baseline yet ({base_have} of {} earlier sitting readings): systolic judged by the fixed limits only",
            cfg.bp_baseline.min_readings
        ));
    }
    // (reading, baseline, readings, drop) for the relative limits.
    let rel = match (sit_low, base) {
        (Some(r), Some((b, n))) => Some((r, b, n, b - f64::from(r.0))),
        _ => None,
    };
    let latest = *all.last().expect("not empty");
    let word = |r: Sbp| if r.2 { "standing systolic" } else { "systolic" };
    let latest_tail = |worst: usize| -> String {
        if latest == worst {
            return String::new();
        }
        let e = ctx.entry(latest);
        let v = e.m.bp.or(e.m.standing_bp).map_or(0, |b| b.systolic);
        format!("; latest {v} at {}", ctx.at(latest))
    };
    let text = |max: u16, drop: u16, abs: Option<Sbp>| -> (String, Evidence) {
        let mut parts = Vec::new();
        let mut worst = None;
        if let Some(r) = abs.filter(|r| r.0 <= max) {
            parts.push(format!(
                "{} {} mmHg at {} is at or below {max}",
                word(r),
                r.0,
                ctx.at(r.1)
            ));
            worst = Some(r);
        }
        if let Some((r, b, n, d)) = rel.filter(|x| x.3 >= f64::from(drop) - EPS) {
            if worst.is_some_and(|w| w.1 == r.1 && !w.2) {
                parts[0].push_str(&format!(
                    ", and {} below your baseline {} (median of {})",
                    num(d),
                    num(b),
                    crate::render::count(n, "reading", "readings")
                ));
            } else {
                parts.push(format!(
                    "systolic {} mmHg at {} is {} below your baseline {} (median of {}; limit {drop} below)",
                    r.0,
                    ctx.at(r.1),
                    num(d),
                    num(b),
                    crate::render::count(n, "reading", "readings")
                ));
            }
            worst = worst.or(Some(r));
        }
        let w = worst.expect("a limit was reached");
        let msg = format!("{}{}", parts.join("; "), latest_tail(w.1));
        let e = ctx.entry(w.1);
        let l = ctx.entry(latest);
        let evidence = ev! {
            "systolic" => w.0, "standing" => w.2, "entry_id" => e.id, "at" => ctx.at(w.1),
            "max_systolic" => max, "drop_limit" => drop,
            "baseline" => rel.map(|x| x.1), "baseline_readings" => rel.map(|x| x.2),
            "below_baseline" => rel.map(|x| r3(x.3)),
            "readings" => all.len(), "latest_entry_id" => l.id, "latest_at" => ctx.at(latest),
        };
        (msg, evidence)
    };
    let hit = |max: u16, drop: u16, abs: Option<Sbp>| {
        abs.is_some_and(|r| r.0 <= max) || rel.is_some_and(|x| x.3 >= f64::from(drop) - EPS)
    };
    // L1 reads standing readings too; L2 sitting ones only.
    if c1.enabled && hit(c1.max_systolic, c1.drop, Some(abs_low)) {
        fire!(
            out,
            "L1",
            "hypotension",
            c1.level,
            text(c1.max_systolic, c1.drop, Some(abs_low))
        );
    }
    // L2 is L1's lower band: not repeated when L1 already says as much.
    let shadowed = out.fired("L1").is_some_and(|l| l >= c2.level);
    if c2.enabled && !shadowed {
        if sit_low.is_none() {
            skip!(
                out,
                "L2",
                "low_bp",
                format!("no sitting blood pressure logged {}", ctx.in_48h())
            );
        } else if hit(c2.max_systolic, c2.drop, sit_low) {
            fire!(
                out,
                "L2",
                "low_bp",
                c2.level,
                text(c2.max_systolic, c2.drop, sit_low)
            );
        }
    }
    sit_low.map(|r| r.0 <= cfg.leak_combo.max_systolic)
}

/// L3: any entry of the window with a standing reading.
fn orthostatic(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) {
    let c = &ctx.cfg.orthostatic;
    if !c.enabled {
        return;
    }
    let standing = ctx.readings(|e| e.m.standing_bp.is_some());
    if standing.is_empty() {
        skip!(
            out,
            "L3",
            "orthostatic",
            format!("no standing blood pressure logged {}", ctx.in_48h()),
        );
        return;
    }
    // (entry, systolic drop, diastolic drop, dizziness, drop hit, dizzy hit)
    let judged: Vec<_> = standing
        .iter()
        .map(|&i| {
            let e = ctx.entry(i);
            let stand = e.m.standing_bp.expect("filtered on a standing BP");
            let drops = e.m.bp.map(|sit| {
                (
                    i32::from(sit.systolic) - i32::from(stand.systolic),
                    i32::from(sit.diastolic) - i32::from(stand.diastolic),
                )
            });
            let dizzy = e.m.symptom("dizziness").unwrap_or(0);
            let drop_hit = drops.is_some_and(|(ds, dd)| {
                ds >= i32::from(c.systolic_drop) || dd >= i32::from(c.diastolic_drop)
            });
            (i, drops, dizzy, drop_hit, dizzy >= c.min_severity)
        })
        .collect();
    let hit = judged
        .iter()
        .filter(|j| j.3 || j.4)
        .max_by_key(|j| (j.1.map_or(i32::MIN, |d| d.0), j.2));
    let Some(&(i, drops, dizzy, drop_hit, dizzy_hit)) = hit else {
        if judged.iter().all(|j| j.1.is_none()) {
            skip!(
                out,
                "L3",
                "orthostatic",
                format!(
                    "the standing reading at {} has no sitting reading to compare with",
                    ctx.at(standing[standing.len() - 1])
                ),
            );
        }
        return;
    };
    let e = ctx.entry(i);
    let stand = e.m.standing_bp.expect("filtered on a standing BP");
    fire!(
        out,
        "L3",
        "orthostatic",
        c.level,
        {
            let mut parts = Vec::new();
            if let (true, Some(sit), Some((ds, dd))) = (drop_hit, e.m.bp, drops) {
                parts.push(format!(
                    "standing blood pressure {stand} at {} is {ds}/{dd} below sitting {sit} (limit {}/{})",
                    ctx.at(i),
                    c.systolic_drop,
                    c.diastolic_drop
                ));
            }
            if dizzy_hit {
                parts.push(format!(
                    "{} when standing at {}",
                    sym("dizziness", dizzy),
                    ctx.at(i)
                ));
            }
            parts.join("; ")
        },
        ev! {
            "entry_id" => e.id, "at" => ctx.at(i),
            "sitting" => e.m.bp.map(|b| b.to_string()), "standing" => stand.to_string(),
            "systolic_drop" => drops.map(|x| x.0), "diastolic_drop" => drops.map(|x| x.1),
            "dizziness" => dizzy, "standing_readings" => standing.len(),
        },
    );
}

/// A band rule's level: the override when set, else the band.
fn banded(overridden: Option<Level>, band: Level) -> Level {
    overridden.unwrap_or(band)
}

/// L4 and L5 on the worst reading of the window.
fn pulse_rules(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) {
    // An entry's shock index: its HR over its sitting systolic, or its
    // standing one when it has no sitting reading.
    let si_of = |e: &Entry| -> Option<(f64, u16, u16)> {
        let hr = e.m.heart_rate.filter(|h| *h > 0)?;
        let sbp =
            e.m.bp
                .or(e.m.standing_bp)
                .map(|b| b.systolic)
                .filter(|s| *s > 0)?;
        Some((f64::from(hr) / f64::from(sbp), hr, sbp))
    };
    let latest_tail =
        |list: &[usize], worst: usize, what: &dyn Fn(&Entry) -> String| match list.last() {
            Some(&l) if l != worst => format!("; latest {} at {}", what(ctx.entry(l)), ctx.at(l)),
            _ => String::new(),
        };
    let c = &ctx.cfg.shock_index;
    if c.enabled {
        let list = ctx.readings(|e| si_of(e).is_some());
        let worst = list
            .iter()
            .map(|&i| (i, si_of(ctx.entry(i)).expect("filtered")))
            .fold(
                None,
                |best: Option<(usize, (f64, u16, u16))>, x| match best {
                    Some(b) if b.1 .0 >= x.1 .0 => Some(b),
                    _ => Some(x),
                },
            );
        match worst {
            None => skip!(
                out,
                "L4",
                "shock_index",
                format!(
                    "no heart rate and blood pressure in one entry {}",
                    ctx.in_48h()
                ),
            ),
            Some((i, (si, hr, sbp))) => {
                let band = if si >= c.emergency_at - EPS {
                    Some((Level::Emergency, c.emergency_at))
                } else if si >= c.warning_at - EPS {
                    Some((Level::Warning, c.warning_at))
                } else {
                    None
                };
                if let Some((band, limit)) = band {
                    let e = ctx.entry(i);
                    fire!(
                        out,
                        "L4",
                        "shock_index",
                        banded(c.level, band),
                        format!(
                            "shock index {si:.2} (heart rate {hr} / systolic {sbp}) at {} is at or above {limit}{}",
                            ctx.at(i),
                            latest_tail(&list, i, &|e: &Entry| si_of(e).map_or(String::new(), |x| format!("{:.2}", x.0)))
                        ),
                        ev! {"shock_index" => r3(si), "heart_rate" => hr, "systolic" => sbp, "entry_id" => e.id,
                        "at" => ctx.at(i), "limit" => limit, "readings" => list.len()},
                    );
                }
            }
        }
    }
    let c = &ctx.cfg.tachycardia;
    if c.enabled {
        let list = ctx.readings(|e| e.m.heart_rate.is_some());
        let worst = list
            .iter()
            .map(|&i| (i, ctx.entry(i).m.heart_rate.unwrap_or(0)))
            .fold(None, |best: Option<(usize, u16)>, x| match best {
                Some(b) if b.1 >= x.1 => Some(b),
                _ => Some(x),
            });
        match worst {
            None => skip!(
                out,
                "L5",
                "tachycardia",
                format!("no heart rate logged {}", ctx.in_48h()),
            ),
            Some((i, hr)) => {
                let band = if hr >= c.emergency_bpm {
                    Some((Level::Emergency, c.emergency_bpm))
                } else if hr >= c.warning_bpm {
                    Some((Level::Warning, c.warning_bpm))
                } else {
                    None
                };
                if let Some((band, limit)) = band {
                    let e = ctx.entry(i);
                    fire!(
                        out,
                        "L5",
                        "tachycardia",
                        banded(c.level, band),
                        format!(
                            "heart rate {hr} bpm at {} is at or above {limit}{}",
                            ctx.at(i),
                            latest_tail(&list, i, &|e: &Entry| e
                                .m
                                .heart_rate
                                .unwrap_or(0)
                                .to_string())
                        ),
                        ev! {"heart_rate" => hr, "entry_id" => e.id, "at" => ctx.at(i), "limit" => limit, "readings" => list.len()},
                    );
                }
            }
        }
    }
}

/// L6 and L7. Returns whether L7's condition holds (`None`: no urine data).
fn urine_and_syncope(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) -> Option<bool> {
    let cfg = ctx.cfg;
    let nothing = || format!("nothing logged {}", ctx.in_48h());
    let c = &cfg.syncope;
    if c.enabled {
        match ctx.symptom("fainting") {
            None => skip!(out, "L6", "syncope", nothing()),
            Some(s) if s >= c.min_severity => {
                fire!(
                    out,
                    "L6",
                    "syncope",
                    c.level,
                    format!(
                        "{} logged at {}{}",
                        sym("fainting", s),
                        ctx.symptom_at("fainting").unwrap_or_default(),
                        ctx.events_suffix()
                    ),
                    ev! {"severity" => s, "at" => ctx.symptom_at("fainting")},
                );
            }
            Some(_) => {}
        }
    }

    let c = &cfg.low_urine;
    let Some(ev) = &ctx.events else {
        if c.enabled {
            skip!(out, "L7", "low_urine", nothing());
        }
        return None;
    };
    if !ev.urine_logged {
        if c.enabled {
            skip!(
                out,
                "L7",
                "low_urine",
                format!("no urine logged {}", ctx.in_window())
            );
        }
        return None;
    }
    let less = ev.urine_less;
    let ml = ev
        .urine_ml
        .and_then(|i| ctx.entry(i).m.urine_ml.map(|ml| (ml, i)))
        .filter(|(ml, _)| *ml < c.below_ml);
    let met = less.is_some() || ml.is_some();
    if c.enabled && met {
        fire!(
            out,
            "L7",
            "low_urine",
            c.level,
            {
                let mut parts = Vec::new();
                if let Some(i) = less {
                    parts.push(format!("urine less than usual at {}", ctx.at(i)));
                }
                if let Some((v, i)) = ml {
                    parts.push(format!(
                        "urine {v} mL/24 h at {} is below {}",
                        ctx.at(i),
                        c.below_ml
                    ));
                }
                parts.join("; ")
            },
            ev! {"urine_less" => less.is_some(), "urine_ml" => ml.map(|x| x.0), "below_ml" => c.below_ml},
        );
    }
    Some(met)
}

/// Kleene OR of three-valued facts.
fn or3(xs: &[Option<bool>]) -> Option<bool> {
    if xs.contains(&Some(true)) {
        Some(true)
    } else if xs.contains(&None) {
        None
    } else {
        Some(false)
    }
}

/// L8: (swelling OR W2) AND (dizziness OR systolic ≤ limit OR L7).
fn leak_combo(ctx: &Ctx<'_, '_>, out: &mut Out<'_>, sbp_low: Option<bool>, l7: Option<bool>) {
    let c = &ctx.cfg.leak_combo;
    if !c.enabled {
        return;
    }
    let swelling = ctx.symptom("swelling");
    let dizzy = ctx.symptom("dizziness");
    let sw = swelling.map(|s| s >= c.min_severity);
    let dz = dizzy.map(|s| s >= c.min_severity);
    let w2 = ctx.w2_met();
    let fluid = or3(&[sw, w2]);
    let pressure = or3(&[dz, sbp_low, l7]);
    let fluid_parts = || {
        let mut parts = Vec::new();
        if sw == Some(true) {
            parts.push(sym("swelling", swelling.unwrap_or(0)));
        }
        if w2 == Some(true) {
            parts.push(format!(
                "weight {:+.1} kg over your baseline",
                ctx.gain.map_or(0.0, |g| g.kg)
            ));
        }
        parts
    };
    let pressure_parts = || {
        let mut parts = Vec::new();
        if dz == Some(true) {
            parts.push(sym("dizziness", dizzy.unwrap_or(0)));
        }
        if sbp_low == Some(true) {
            parts.push(format!("systolic at or below {}", c.max_systolic));
        }
        if l7 == Some(true) {
            parts.push("low urine".to_string());
        }
        parts
    };
    match (fluid, pressure) {
        (Some(true), Some(true)) => fire!(
            out,
            "L8",
            "leak_combo",
            c.level,
            format!(
                "{} with {}{}: signs of fluid leaking out of the blood vessels",
                fluid_parts().join(" and "),
                pressure_parts().join(" and "),
                ctx.events_suffix()
            ),
            ev! {
                "swelling" => swelling, "weight_gain_large" => w2, "dizziness" => dizzy,
                "systolic_at_or_below_limit" => sbp_low, "low_urine" => l7, "max_systolic" => c.max_systolic,
            },
        ),
        (Some(false), _) | (_, Some(false)) => {}
        // Undecided: only a skip and perhaps a note, which quiet days drop.
        _ if !out.detail => {}
        (f, p) => {
            let gain_why = if f.is_none() && w2.is_none() {
                format!("weight gain ({})", ctx.gain_missing())
            } else {
                String::new()
            };
            let wanted = [
                (f.is_none() && sw.is_none(), "symptoms"),
                (f.is_none() && w2.is_none(), gain_why.as_str()),
                (p.is_none() && dz.is_none(), "symptoms"),
                (p.is_none() && sbp_low.is_none(), "blood pressure"),
                (p.is_none() && l7.is_none(), "urine"),
            ];
            let mut missing: Vec<&str> = Vec::with_capacity(wanted.len());
            for (is_missing, what) in wanted {
                if is_missing && !missing.contains(&what) {
                    missing.push(what);
                }
            }
            let missing = missing.join(", ");
            if f == Some(true) {
                out.notes.push(format!(
                    "{}: log your blood pressure, urine and any dizziness now (rule L8 could not be checked without {missing})",
                    fluid_parts().join(", ")
                ));
            }
            out.skip(
                "L8",
                "leak_combo",
                format!("cannot be decided without {missing} {}", ctx.in_48h()),
            );
        }
    }
}

/// L9 (breathing) and L10 (swelling on its own, when L8 did not fire).
fn breathing_and_swelling(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) {
    let cfg = ctx.cfg;
    let c = &cfg.breathing;
    if c.enabled {
        let b = ctx.symptom("breathlessness");
        let o = ctx.symptom("orthopnea");
        match or_max(b, o) {
            None => skip!(
                out,
                "L9",
                "breathing",
                format!("no symptoms logged {}", ctx.in_48h())
            ),
            Some(worst) if worst >= c.warning_severity => {
                let band = if worst >= c.emergency_severity {
                    Level::Emergency
                } else {
                    Level::Warning
                };
                fire!(
                    out,
                    "L9",
                    "breathing",
                    banded(c.level, band),
                    {
                        let mut parts = Vec::new();
                        for (name, s) in [("breathlessness", b), ("orthopnea", o)] {
                            if let Some(s) = s.filter(|s| *s >= c.warning_severity) {
                                parts.push(format!(
                                    "{} at {}",
                                    sym(name, s),
                                    ctx.symptom_at(name).unwrap_or_default()
                                ));
                            }
                        }
                        format!(
                            "{}{}: fluid may be reaching the lungs",
                            parts.join(" and "),
                            ctx.events_suffix()
                        )
                    },
                    ev! {"breathlessness" => b, "orthopnea" => o,
                    "warning_severity" => c.warning_severity, "emergency_severity" => c.emergency_severity},
                );
            }
            Some(_) => {}
        }
    }
    let c = &cfg.swelling;
    if c.enabled {
        match ctx.symptom("swelling") {
            None => skip!(
                out,
                "L10",
                "swelling",
                format!("no symptoms logged {}", ctx.in_48h())
            ),
            Some(s) if s >= c.min_severity && out.fired("L8").is_none() => {
                fire!(
                    out,
                    "L10",
                    "swelling",
                    c.level,
                    format!(
                        "{} at {}{}: log your weight, blood pressure and urine now",
                        sym("swelling", s),
                        ctx.symptom_at("swelling").unwrap_or_default(),
                        ctx.events_suffix()
                    ),
                    ev! {"severity" => s, "min_severity" => c.min_severity},
                );
            }
            Some(_) => {}
        }
    }
}

/// H1's reading of one value: its absolute limit when at or above it, and
/// the band and limit its rise over the baseline reaches.
struct LabHit {
    abs: Option<f64>,
    rise: Option<(Level, f64)>,
}

impl LabHit {
    fn new(kind: LabKind, r: &LabReading, c: &Hemoconcentration) -> LabHit {
        let (abs_lim, rise_w, rise_e) = match kind {
            LabKind::Hemoglobin => (c.hb_emergency, c.hb_rise_warning, Some(c.hb_rise_emergency)),
            _ => (
                c.hct_emergency,
                c.hct_rise_warning,
                Some(c.hct_rise_emergency),
            ),
        };
        let rise = r.baseline.and_then(|(b, _)| {
            let rise = r.value - b;
            match rise_e {
                Some(l) if rise >= l - EPS => Some((Level::Emergency, l)),
                _ if rise >= rise_w - EPS => Some((Level::Warning, rise_w)),
                _ => None,
            }
        });
        LabHit {
            abs: (r.value >= abs_lim - EPS).then_some(abs_lim),
            rise,
        }
    }

    fn band(&self) -> Option<Level> {
        self.abs
            .map(|_| Level::Emergency)
            .max(self.rise.map(|x| x.0))
    }
}

/// H1 and H2.
fn lab_rules(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) {
    let cfg = ctx.cfg;
    let valid = cfg.labs.valid_days;
    let ix = ctx.ix;
    let c = &cfg.hemoconcentration;
    if c.enabled {
        let hb = ix.latest_lab(LabKind::Hemoglobin, ctx.date, valid);
        let hct = ix.latest_lab(LabKind::Hematocrit, ctx.date, valid);
        if hb.is_none() && hct.is_none() {
            skip!(
                out,
                "H1",
                "hemoconcentration",
                format!(
                    "no hemoglobin or hematocrit in the {} up to {}",
                    n_days(i64::from(valid)),
                    ctx.ds
                ),
            );
        } else {
            let labs = [(LabKind::Hemoglobin, hb), (LabKind::Hematocrit, hct)];
            let band = labs
                .iter()
                .filter_map(|(kind, r)| LabHit::new(*kind, (*r)?, c).band())
                .max();
            if let Some(b) = band {
                fire!(out, "H1", "hemoconcentration", banded(c.level, b), {
                    let mut parts = Vec::new();
                    let mut evidence = Evidence::new();
                    for (kind, r) in labs {
                        let Some(r) = r else { continue };
                        let hit = LabHit::new(kind, r, c);
                        let e = ctx.entry(r.entry);
                        let unit = kind.unit();
                        let rise = r.baseline.map(|(b, _)| r.value - b);
                        let mut why = Vec::new();
                        if let Some(lim) = hit.abs {
                            why.push(format!("at or above {}", num(lim)));
                        }
                        if let (Some((_, lim)), Some(rise), Some((b, n))) =
                            (hit.rise, rise, r.baseline)
                        {
                            why.push(format!(
                                "{:+.1} over your baseline {} (median of {}; limit +{})",
                                rise,
                                num(b),
                                crate::render::count(n, "value", "values"),
                                num(lim)
                            ));
                        }
                        evidence.insert(
                            kind.as_str().into(),
                            json!({"value": r.value, "date": e.date().to_string(), "entry_id": e.id,
                                   "baseline": r.baseline.map(|x| x.0), "baseline_values": r.baseline.map(|x| x.1), "rise": rise.map(r3)}),
                        );
                        if !why.is_empty() {
                            let shown = if unit == "%" {
                                format!("{}%", num(r.value))
                            } else {
                                format!("{} {unit}", num(r.value))
                            };
                            parts.push(format!(
                                "{kind} {shown} on {} is {}",
                                e.date(),
                                why.join(" and ")
                            ));
                        }
                    }
                    (parts.join("; "), evidence)
                });
            }
        }
    }

    let c = &cfg.albumin;
    if c.enabled {
        match ix.latest_lab(LabKind::Albumin, ctx.date, valid) {
            None => skip!(
                out,
                "H2",
                "albumin",
                format!(
                    "no albumin in the {} up to {}",
                    n_days(i64::from(valid)),
                    ctx.ds
                ),
            ),
            Some(r) => {
                let e = ctx.entry(r.entry);
                let drop = r.baseline.map(|(b, _)| b - r.value);
                let below = r.value < c.below;
                let dropped = drop.is_some_and(|d| d >= c.drop - EPS);
                if below || dropped {
                    let h1 = out.fired("H1").filter(|l| *l >= Level::Warning);
                    let level = if h1.is_some() {
                        c.level.max(c.level_with_hemoconcentration)
                    } else {
                        c.level
                    };
                    fire!(
                        out,
                        "H2",
                        "albumin",
                        level,
                        {
                            let mut why = Vec::new();
                            if below {
                                why.push(format!("below {}", num(c.below)));
                            }
                            if let (true, Some(d), Some((b, n))) = (dropped, drop, r.baseline) {
                                why.push(format!(
                                    "{} below your baseline {} (median of {}; limit {})",
                                    num(d),
                                    num(b),
                                    crate::render::count(n, "value", "values"),
                                    num(c.drop)
                                ));
                            }
                            let mut msg = format!(
                                "albumin {} g/L on {} is {}",
                                num(r.value),
                                e.date(),
                                why.join(" and ")
                            );
                            if h1.is_some() {
                                msg.push_str(", with hemoconcentration (H1)");
                            }
                            msg
                        },
                        ev! {"value" => r.value, "date" => e.date().to_string(), "entry_id" => e.id,
                        "baseline" => r.baseline.map(|x| x.0), "drop" => drop.map(r3), "below" => c.below, "with_h1" => h1.is_some()},
                    );
                }
            }
        }
    }
}

/// R1, only inside the recovery window.
fn recruitment(ctx: &Ctx<'_, '_>, out: &mut Out<'_>, source: Recovery) {
    let c = &ctx.cfg.recruitment;
    if !c.enabled {
        return;
    }
    let why = || match source {
        Recovery::Episode { start, .. } => {
            format!("recovery window after the episode that started {start}")
        }
        Recovery::Emergency(d) => format!("recovery window after the emergency on {d}"),
    };
    let min = c.min_severity;
    let breath_sev = or_max(ctx.symptom("breathlessness"), ctx.symptom("orthopnea"));
    let poly_sev = ctx.symptom("polyuria");
    let breath = breath_sev.map(|s| s >= min);
    let poly = poly_sev.map(|s| s >= min);
    let loss = ctx
        .overnight
        .map(|(prev, change)| -change >= threshold(c.loss_kg, c.loss_pct, prev) - EPS);
    let and3 = |xs: [Option<bool>; 3]| -> Option<bool> {
        if xs.contains(&Some(false)) {
            Some(false)
        } else if xs.contains(&None) {
            None
        } else {
            Some(true)
        }
    };
    // v2: the emergency band needs no weight.
    let bands = [
        (Level::Emergency, and3([poly, breath, Some(true)])),
        (Level::Warning, breath),
        (Level::Watch, and3([loss, poly, Some(true)])),
    ];
    let fired = bands.iter().position(|(_, b)| *b == Some(true));
    let undecided_above = bands[..fired.unwrap_or(bands.len())]
        .iter()
        .any(|(_, b)| b.is_none());
    match fired {
        Some(k) => {
            let band = bands[k].0;
            fire!(out, "R1", "recruitment", banded(c.level, band), {
                let mut parts = Vec::new();
                if loss == Some(true) {
                    let (prev, change) = ctx.overnight.unwrap_or((0.0, 0.0));
                    let w = ctx
                        .weight
                        .map(|w| ctx.weight_phrase(&w))
                        .unwrap_or_default();
                    parts.push(format!(
                        "{w} is {} since the day before ({})",
                        dwt(ctx.cfg, change),
                        wt(ctx.cfg, prev)
                    ));
                }
                if poly == Some(true) {
                    parts.push(sym("polyuria", poly_sev.unwrap_or(0)));
                }
                if breath == Some(true) {
                    let b = ctx.symptom("breathlessness").unwrap_or(0);
                    let o = ctx.symptom("orthopnea").unwrap_or(0);
                    if b >= min {
                        parts.push(sym("breathlessness", b));
                    }
                    if o >= min {
                        parts.push(sym("orthopnea", o));
                    }
                }
                let tail = match band {
                    Level::Emergency => {
                        ": fluid returning to the vessels may be flooding the lungs"
                    }
                    Level::Warning => ": breathlessness while fluid returns to the vessels",
                    _ => ": fluid is returning to the vessels; watch your breathing",
                };
                let why = why();
                (
                    format!("{why}: {}{}{tail}", parts.join(", "), ctx.events_suffix()),
                    ev! {
                        "window" => why, "loss" => loss, "polyuria" => poly_sev, "breathlessness" => ctx.symptom("breathlessness"),
                        "orthopnea" => ctx.symptom("orthopnea"), "change_kg" => ctx.overnight.map(|x| r3(x.1)),
                        "episode_id" => match source { Recovery::Episode { id, .. } => Some(id), Recovery::Emergency(_) => None },
                    },
                )
            });
            if undecided_above {
                note!(out, format!(
                    "{}: weigh yourself now and log polyuria: a fast weight loss with breathlessness is an emergency (rule R1)",
                    why()
                ));
            }
        }
        None if undecided_above && out.detail => {
            let mut missing = Vec::new();
            if ctx.events.is_none() {
                missing.push(format!("no symptoms logged {}", ctx.in_48h()));
            }
            if loss.is_none() {
                missing.push(match ctx.weight {
                    None => ctx.no_weight_reason(),
                    Some(w) => format!(
                        "no weight on {} to compare {}'s with",
                        shift(w.date, -1),
                        w.date
                    ),
                });
            }
            out.skip(
                "R1",
                "recruitment",
                format!("{}: {}", why(), missing.join("; ")),
            );
        }
        None => {}
    }
}

fn or_max(a: Option<Severity>, b: Option<Severity>) -> Option<Severity> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    }
}

/// M1: each scheduled medication's last recorded dose.
fn med_overdue(ctx: &Ctx<'_, '_>, diary: &Diary<'_>, out: &mut Out<'_>) {
    let c = &ctx.cfg.med_overdue;
    if !c.enabled {
        return;
    }
    for (m, dates) in diary.schedule.iter().zip(&ctx.ix.meds) {
        let n = dates.partition_point(|d| *d <= ctx.date);
        let Some(&last) = dates[..n].last() else {
            skip!(
                out,
                "M1",
                "med_overdue",
                format!(
                    "{}: no dose recorded up to {} in the loaded diary, so cls cannot tell when it is due (log the last one with --med {})",
                    m.name, ctx.date, m.name
                ),
            );
            continue;
        };
        let ago = days_between(last, ctx.date);
        let every = i64::from(m.every_days);
        let grace = i64::from(m.grace_days);
        if ago > every + grace {
            fire!(
                out,
                "M1",
                "med_overdue",
                c.level,
                format!(
                    "{} last given {last}, {} ago; due every {} (+{} grace), overdue by {}",
                    m.name,
                    n_days(ago),
                    n_days(every),
                    n_days(grace),
                    n_days(ago - every - grace)
                ),
                ev! {"medication" => m.name, "last" => last.to_string(), "days_ago" => ago,
                "every_days" => every, "grace_days" => grace, "overdue_days" => ago - every - grace},
            );
        } else if ago >= every {
            note!(out, format!(
                "{} was due on {} (every {every} days, last given {last}); the overdue alert comes after {grace} days' grace",
                m.name,
                shift(last, every)
            ));
        }
    }
}

/// Patient-defined rules.
fn custom_rules<'x>(ctx: &Ctx<'x, '_>, out: &mut Out<'x>) {
    if ctx.prep.custom.is_empty() {
        return;
    }
    let ix = ctx.ix;
    let lab = |k: LabKind| {
        ix.latest_lab(k, ctx.date, ctx.cfg.labs.valid_days)
            .map(|r| r.value)
    };
    // The worst of the window's readings, as the default rules judge them.
    let sbp: Vec<u16> = ctx
        .readings(|e| e.m.bp.is_some_and(|b| b.systolic > 0))
        .iter()
        .filter_map(|&i| ctx.entry(i).m.bp.map(|b| b.systolic))
        .collect();
    let heart_rate = ctx
        .readings(|e| e.m.heart_rate.is_some())
        .iter()
        .filter_map(|&i| ctx.entry(i).m.heart_rate)
        .max();
    let shock_index = ctx
        .readings(|e| e.m.heart_rate.is_some() && e.m.bp.is_some_and(|b| b.systolic > 0))
        .iter()
        .filter_map(|&i| {
            let e = ctx.entry(i);
            Some(f64::from(e.m.heart_rate?) / f64::from(e.m.bp?.systolic))
        })
        .max_by(f64::total_cmp);
    let facts = Facts {
        date: ctx.date,
        gain: ctx.gain.map(|g| (g.kg, g.pct)),
        gain_missing: ctx.gain_missing(),
        overnight: ctx.overnight.map(|(prev, ch)| (ch, ch / prev * 100.0)),
        symptoms: ctx.events.as_ref().map(|e| &e.syms),
        prodrome: &ctx.prep.prodrome,
        prodrome_min: ctx.cfg.prodrome_cluster.min_severity,
        systolic_low: sbp.iter().copied().min(),
        systolic_high: sbp.iter().copied().max(),
        heart_rate,
        shock_index,
        labs: [
            lab(LabKind::Hemoglobin),
            lab(LabKind::Hematocrit),
            lab(LabKind::Albumin),
        ],
        valid_days: ctx.cfg.labs.valid_days,
    };
    for rule in &ctx.prep.custom {
        match custom::evaluate(rule, &facts) {
            custom::Outcome::Fired(f) => {
                out.fire_level(rule.id(), f.level);
                if out.detail {
                    out.findings.push(f);
                }
            }
            custom::Outcome::Skipped(s) => {
                if out.detail {
                    out.skipped.push(s);
                }
            }
            custom::Outcome::Quiet => {}
        }
    }
}
