//! The per-day context every rule reads ([`Ctx`], built once a day by
//! [`build_ctx`]), what the rules of a day write into ([`Out`], through the
//! `fire!`, `skip!` and `note!` macros), and the small helpers every family
//! uses to word its findings.

use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeDelta};
use serde_json::Value;

use super::baseline;
use super::config::{symptom_key, RulesConfig};
use super::custom::PreparedRule;
use super::family::prodrome;
use super::family::recovery::Recovery;
use super::index::{shift, Index, SymView};
use super::{Finding, Level, Now, RuleId, ScheduledMed, Skipped};
use crate::model::{severity_word, Entry, Severity, Urine};

/// Tolerance for comparing decimal thresholds with computed differences, so
/// that "exactly at the threshold" fires despite binary floating point.
pub(super) const EPS: f64 = 1e-9;

/// Symptom names resolved once per run.
pub(super) struct Prepared {
    pub(super) prodrome: Vec<String>,
    pub(super) trigger: Vec<String>,
    pub(super) custom: Vec<PreparedRule>,
}

impl Prepared {
    pub(super) fn new(cfg: &RulesConfig) -> Prepared {
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

pub(super) type Evidence = BTreeMap<String, Value>;

/// `ev! {"key" => value, ...}`: evidence from JSON-able values.
macro_rules! ev {
    ($($k:expr => $v:expr),* $(,)?) => {{
        let mut m = $crate::rules::day::Evidence::new();
        $( m.insert($k.to_string(), serde_json::json!($v)); )*
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
pub(super) struct Out<'x> {
    pub(super) detail: bool,
    /// Every rule that fired and its level, on quiet and detailed days alike,
    /// so that the day's level and [`Out::fired`] never depend on `detail`.
    pub(super) fired: Vec<(&'x str, Level)>,
    pub(super) findings: Vec<Finding>,
    pub(super) skipped: Vec<Skipped>,
    pub(super) notes: Vec<String>,
    /// Whether the lowest sitting systolic of the window is at or below
    /// L8's limit (`None`: no sitting reading): found by the pressure rules,
    /// read by L8.
    pub(super) sbp_low: Option<bool>,
}

impl<'x> Out<'x> {
    pub(super) fn new(detail: bool) -> Out<'x> {
        // A quiet day allocates only if something fires.
        let cap = |n| if detail { n } else { 0 };
        Out {
            detail,
            fired: Vec::with_capacity(cap(4)),
            findings: Vec::with_capacity(cap(4)),
            skipped: Vec::with_capacity(cap(8)),
            notes: Vec::new(),
            sbp_low: None,
        }
    }

    /// Call through `fire!`, which skips the text on quiet days.
    pub(super) fn fire(&mut self, rule: RuleId, level: Level, message: String, evidence: Evidence) {
        self.fire_level(rule.code(), level);
        self.findings.push(Finding {
            rule: rule.code().into(),
            name: rule.name().into(),
            level,
            message,
            evidence,
        });
    }

    pub(super) fn fire_level(&mut self, rule: &'x str, level: Level) {
        self.fired.push((rule, level));
    }

    /// Call through `skip!`.
    pub(super) fn skip(&mut self, rule: RuleId, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            rule: rule.code().into(),
            name: rule.name().into(),
            reason: reason.into(),
        });
    }

    pub(super) fn fired(&self, rule: RuleId) -> Option<Level> {
        self.fired
            .iter()
            .filter(|f| f.0 == rule.code())
            .map(|f| f.1)
            .max()
    }

    pub(super) fn level(&self) -> Level {
        self.fired.iter().map(|f| f.1).max().unwrap_or(Level::Ok)
    }
}

/// `fire!(out, rule, level, message, evidence)` with a [`RuleId`], or with
/// one expression giving `(message, evidence)` when they are built together.
/// `level` is always evaluated (once); the text only on detailed days.
macro_rules! fire {
    ($out:ident, $rule:expr, $level:expr, $message:expr, $evidence:expr $(,)?) => {{
        let level: $crate::rules::Level = $level;
        let rule: $crate::rules::RuleId = $rule;
        if $out.detail {
            $out.fire(rule, level, $message, $evidence);
        } else {
            $out.fire_level(rule.code(), level);
        }
    }};
    ($out:ident, $rule:expr, $level:expr, $text:expr $(,)?) => {{
        let level: $crate::rules::Level = $level;
        let rule: $crate::rules::RuleId = $rule;
        if $out.detail {
            let (message, evidence): (String, $crate::rules::day::Evidence) = $text;
            $out.fire(rule, level, message, evidence);
        } else {
            $out.fire_level(rule.code(), level);
        }
    }};
}

/// `out.skip(rule, reason)` on detailed days; `reason` is not evaluated on
/// quiet ones.
macro_rules! skip {
    ($out:ident, $rule:expr, $reason:expr $(,)?) => {
        if $out.detail {
            $out.skip($rule, $reason);
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
pub(super) fn r3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// "1 day", "5 days".
pub(super) fn n_days(n: i64) -> String {
    crate::render::count(n, "day", "days")
}

/// A weight in the configured unit: "70.0 kg", "154.3 lb".
pub(super) fn wt(cfg: &RulesConfig, kg: f64) -> String {
    format!("{:.1} {}", cfg.unit.from_kg(kg), cfg.unit.as_str())
}

/// A signed weight change in the configured unit: "+1.4 kg".
pub(super) fn dwt(cfg: &RulesConfig, kg: f64) -> String {
    format!("{:+.1} {}", cfg.unit.from_kg(kg), cfg.unit.as_str())
}

/// A number without a needless ".0" (baselines may be a mean of two).
pub(super) fn num(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

pub(super) fn sym(name: &str, s: Severity) -> String {
    format!("{name} ({})", severity_word(s))
}

/// The weight the weight rules judge: DATE's day weight, else DATE−1's
/// (carry-over, docs/rules.md).
#[derive(Debug, Clone, Copy)]
pub(super) struct WeightDay {
    pub(super) date: NaiveDate,
    pub(super) kg: f64,
    pub(super) entry: usize,
    /// True when DATE had no weight and DATE−1's is used.
    pub(super) yesterday: bool,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Gain {
    pub(super) baseline: f64,
    pub(super) n: usize,
    pub(super) kg: f64,
    pub(super) pct: f64,
}

/// W4's inputs: the recent median against the reference.
#[derive(Debug, Clone, Copy)]
pub(super) struct Sustained {
    pub(super) recent: f64,
    pub(super) recent_n: usize,
    pub(super) reference: f64,
    /// `None` when the reference is the configured dry weight.
    pub(super) reference_n: Option<usize>,
    pub(super) kg: f64,
    pub(super) pct: f64,
    pub(super) threshold: f64,
}

/// A gain threshold, the larger of kg and % of the reference weight.
pub(super) fn threshold(kg: f64, pct: f64, reference: f64) -> f64 {
    kg.max(pct / 100.0 * reference)
}

/// A trigger symptom that lowered W1's threshold: (name, severity, date).
pub(super) type TriggerHit<'x> = (&'x str, Severity, NaiveDate);

/// The events of the window: symptoms at their highest severity, and urine.
pub(super) struct Events<'a> {
    pub(super) syms: SymView<'a>,
    pub(super) urine_less: Option<usize>,
    /// The entry with the lowest `urine_ml`.
    pub(super) urine_ml: Option<usize>,
    pub(super) urine_logged: bool,
    /// True when the window itself had no entry and these are the 24 hours
    /// before it (a decision of ours: docs/rules.md gives readings that
    /// fallback; an empty window must not make symptoms unknown when
    /// yesterday's are there).
    pub(super) fallback: bool,
}

impl<'a> Events<'a> {
    pub(super) fn of(entries: &'a [Entry], idx: &[usize], fallback: bool) -> Events<'a> {
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
pub(super) struct Ctx<'x, 'a> {
    pub(super) ix: &'x Index<'a>,
    pub(super) cfg: &'x RulesConfig,
    pub(super) prep: &'x Prepared,
    pub(super) date: NaiveDate,
    /// Judged as of a moment (`cls check` now) rather than the day's end.
    pub(super) now: Option<Now>,
    /// `date` formatted once (most days print it in several skip reasons);
    /// empty on quiet days, which print nothing.
    pub(super) ds: String,
    /// The 24-hour window's entries, in time order (as of the end of a past
    /// day: that logical day's entries).
    pub(super) win: Vec<usize>,
    /// The 24 hours before it (the day before), for readings the window lacks.
    pub(super) before: Vec<usize>,
    /// Symptoms and urine of the window (or of the 24 hours before it when
    /// the window is empty); `None` when both are empty.
    pub(super) events: Option<Events<'a>>,
    pub(super) weight: Option<WeightDay>,
    /// Baseline days looked at and day weights found: (from, to, found).
    pub(super) baseline_window: (NaiveDate, NaiveDate, usize),
    pub(super) gain: Option<Gain>,
    /// W1's threshold in kg and the trigger that lowered it.
    pub(super) w1: Option<(f64, Option<TriggerHit<'x>>)>,
    pub(super) w2: Option<f64>,
    /// The weight day's change from the day before: (previous kg, change kg).
    pub(super) overnight: Option<(f64, f64)>,
    /// W4, when its inputs are there.
    pub(super) w4: Option<Sustained>,
    /// Why W4 could not be judged.
    pub(super) w4_missing: Option<String>,
    /// The scheduled medications (M1), in the index's order.
    pub(super) schedule: &'x [ScheduledMed],
    /// Why the day is in a recovery window (R1 runs only then).
    pub(super) recovery: Option<Recovery>,
}

impl Ctx<'_, '_> {
    pub(super) fn entry(&self, i: usize) -> &Entry {
        &self.ix.entries[i]
    }

    /// When an entry was taken, as short as is unambiguous: "07:30" on
    /// DATE itself, else "22:00 on 2026-11-24".
    pub(super) fn at(&self, i: usize) -> String {
        let e = self.entry(i);
        let t = e.stamp.time.format("%H:%M");
        if e.stamp.date == self.date {
            t.to_string()
        } else {
            format!("{t} on {}", e.stamp.date)
        }
    }

    /// "in the last 24 hours" or "on 2026-11-25": where the window is.
    pub(super) fn in_window(&self) -> String {
        match self.now {
            Some(_) => "in the last 24 hours".into(),
            None => format!("on {}", self.ds),
        }
    }

    /// The window and the span before it, for skip reasons.
    pub(super) fn in_48h(&self) -> String {
        match self.now {
            Some(_) => "in the last 48 hours".into(),
            None => format!("on {} or the day before", self.ds),
        }
    }

    pub(super) fn w1_met(&self) -> Option<bool> {
        Some(self.gain?.kg >= self.w1.as_ref()?.0 - EPS)
    }

    pub(super) fn w2_met(&self) -> Option<bool> {
        Some(self.gain?.kg >= self.w2? - EPS)
    }

    pub(super) fn w4_met(&self) -> Option<bool> {
        self.w4.map(|s| s.kg >= s.threshold - EPS)
    }

    /// "Weight gain present" (docs/rules.md): W1 or W4, by their
    /// thresholds (W2's gain is above W1's).
    pub(super) fn gain_present(&self) -> Option<bool> {
        or3(&[self.w1_met(), self.w2_met(), self.w4_met()])
    }

    /// Severity in the window (`None` when nothing was logged there).
    pub(super) fn symptom(&self, name: &str) -> Option<Severity> {
        self.events.as_ref().map(|e| e.syms.get(name))
    }

    /// Where the events come from, for messages: "" for the window itself,
    /// " in the 24 hours before" when it was empty.
    pub(super) fn events_suffix(&self) -> String {
        match &self.events {
            Some(e) if e.fallback => match self.now {
                Some(_) => " (logged 24–48 hours ago; nothing logged since)".into(),
                None => format!(" on {}", shift(self.date, -1)),
            },
            _ => String::new(),
        }
    }

    /// The entry where `name` was at its highest in the window.
    pub(super) fn symptom_at(&self, name: &str) -> Option<String> {
        let ev = self.events.as_ref()?;
        let i = ev
            .syms
            .list
            .binary_search_by(|(n, _, _)| (*n).cmp(name))
            .ok()?;
        Some(self.at(ev.syms.list[i].2))
    }

    /// The prodrome-set symptoms present (≥ min) in the window, by name.
    pub(super) fn prodrome(&self, min: Severity) -> Vec<(&str, Severity)> {
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
    pub(super) fn readings(&self, has: impl Fn(&Entry) -> bool) -> Vec<usize> {
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

    pub(super) fn no_weight_reason(&self) -> String {
        format!("no weight logged on {} or the day before", self.ds)
    }

    pub(super) fn no_baseline_reason(&self) -> String {
        let (from, to, have) = self.baseline_window;
        format!(
            "no weight baseline ({have} of the {} day weights needed in {from}..{to})",
            self.cfg.no_baseline.min_weights
        )
    }

    /// Why the gain over the baseline is unknown.
    pub(super) fn gain_missing(&self) -> String {
        if self.weight.is_none() {
            self.no_weight_reason()
        } else {
            self.no_baseline_reason()
        }
    }

    pub(super) fn weight_phrase(&self, w: &WeightDay) -> String {
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

    pub(super) fn gain_phrase(&self, g: &Gain) -> String {
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

    pub(super) fn weight_evidence(&self, g: &Gain, thr: f64) -> Evidence {
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
pub(super) fn windows(
    ix: &Index<'_>,
    date: NaiveDate,
    now: Option<Now>,
) -> (Vec<usize>, Vec<usize>) {
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

/// What the day is judged from, besides the index and the configuration.
pub(super) struct DayInput<'x> {
    pub(super) prep: &'x Prepared,
    pub(super) schedule: &'x [ScheduledMed],
    pub(super) date: NaiveDate,
    pub(super) now: Option<Now>,
    pub(super) recovery: Option<Recovery>,
    pub(super) detail: bool,
}

/// Compute once what the rules of one day read.
pub(super) fn build_ctx<'x, 'a>(
    ix: &'x Index<'a>,
    input: DayInput<'x>,
    cfg: &'x RulesConfig,
) -> Ctx<'x, 'a> {
    let DayInput {
        prep,
        schedule,
        date,
        now,
        recovery,
        detail,
    } = input;
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

    // Baseline B of the weight's day.
    let b = baseline::of_day(ix, weight.map_or(date, |w| w.date), cfg);
    let (from, to, have) = (b.from, b.to, b.weights);
    let gain = match (weight, b.kg) {
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
        schedule,
        recovery,
    };

    // P3: a trigger within DATE−days..DATE lowers W1's threshold.
    let t = &cfg.trigger;
    let trigger = prodrome::trigger_hit(ix, prep, date, cfg);
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
    let reference = baseline::reference(ix, date, cfg);
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

/// A band rule's level: the override when set, else the band.
pub(super) fn banded(overridden: Option<Level>, band: Level) -> Level {
    overridden.unwrap_or(band)
}

/// Kleene OR of three-valued facts.
pub(super) fn or3(xs: &[Option<bool>]) -> Option<bool> {
    if xs.contains(&Some(true)) {
        Some(true)
    } else if xs.contains(&None) {
        None
    } else {
        Some(false)
    }
}

pub(super) fn or_max(a: Option<Severity>, b: Option<Severity>) -> Option<Severity> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    }
}

pub(super) use {ev, fire, note, skip};
