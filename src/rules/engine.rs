//! Evaluation of the default rule set (clinical.md §3) and the patient's
//! custom rules over an [`Index`], one day after another.
//!
//! Every rule either fires (a [`Finding`]), stays quiet because its inputs
//! are there and say "no", or is [`Skipped`] with the reason its inputs are
//! missing. A rule whose inputs are missing never counts as passing.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::{json, Value};

use super::config::{symptom_key, Hemoconcentration, RulesConfig};
use super::custom::{self, Facts, PreparedRule};
use super::index::{days_between, median_of, shift, Day, Index, LabReading};
use super::{Assessment, Diary, Finding, Level, Skipped};
use crate::model::{entry_order, severity_word, Entry, Episode, LabKind, Severity};

/// Tolerance for comparing decimal thresholds with computed differences, so
/// that "exactly at the threshold" fires despite binary floating point.
pub(crate) const EPS: f64 = 1e-9;

/// One evaluated day, with what the backtest also needs to know.
pub(crate) struct DayOut {
    pub assessment: Assessment,
    pub in_recovery: bool,
}

/// Days of data the rules read before the evaluation date (without warm-up).
pub(crate) fn data_days(cfg: &RulesConfig) -> i64 {
    let labs = i64::from(cfg.labs.baseline_days) + i64::from(cfg.labs.valid_days);
    let bp = i64::from(cfg.bp_baseline.max_age_days) + 2;
    let weight = i64::from(cfg.no_baseline.days) + 2;
    let trigger = i64::from(cfg.trigger.days) + 1;
    let med = super::config::MAX_MED_INTERVAL_DAYS + 1;
    labs.max(bp).max(weight).max(trigger).max(med) + 7
}

/// Days evaluated before `from` (and not returned) so that emergencies just
/// before `from` open the recovery window as they would in a full history.
pub(crate) fn warmup_days(cfg: &RulesConfig) -> i64 {
    3 * i64::from(cfg.recruitment.window_days)
}

/// Evaluate every day of `from..=to` in one pass.
///
/// Days before `detail_from` are quiet: their assessment has the level but
/// no findings, skips or notes (the warm-up before `from` always is).
pub(crate) fn run(
    diary: &Diary<'_>,
    from: NaiveDate,
    to: NaiveDate,
    detail_from: NaiveDate,
    cfg: &RulesConfig,
) -> Vec<DayOut> {
    if from > to {
        return Vec::new();
    }
    let owned: Vec<Entry>;
    let entries: &[Entry] = if diary
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
    let start = match entries.first() {
        Some(e) if e.date() < from => shift(from, -warmup_days(cfg)).max(e.date()),
        _ => from,
    };
    let base = shift(start, -data_days(cfg));
    let ix = Index::build(entries, base, to, diary.schedule, cfg);
    let prep = Prepared::new(cfg);

    let mut out = Vec::with_capacity(usize::try_from(days_between(from, to) + 1).unwrap_or(0));
    let mut last_emergency: Option<NaiveDate> = None;
    let mut date = start;
    loop {
        let recovery = recovery_source(diary.episodes, last_emergency, date, cfg);
        // The warm-up is read only for its emergencies.
        let detail = date >= from && date >= detail_from;
        let assessment = eval_day(&ix, diary, &prep, date, recovery, detail, cfg);
        if assessment.level == Level::Emergency {
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

/// The recovery window: the start date of an episode and the `window_days`
/// after it, or the `window_days` after an emergency day.
fn recovery_source(
    episodes: &[Episode],
    last_emergency: Option<NaiveDate>,
    date: NaiveDate,
    cfg: &RulesConfig,
) -> Option<Recovery> {
    let w = i64::from(cfg.recruitment.window_days);
    let ep = episodes
        .iter()
        .filter(|e| (0..=w).contains(&days_between(e.start, date)))
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

fn kg(x: f64) -> String {
    format!("{x:.1}")
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

fn at(e: &Entry) -> String {
    format!("{} {}", e.date(), e.stamp.time.format("%H:%M"))
}

/// The weight the weight rules judge: DATE's day weight, else DATE−1's.
#[derive(Debug, Clone, Copy)]
struct WeightDay {
    date: NaiveDate,
    kg: f64,
    entry: usize,
    /// True when DATE had no weight and DATE−1's is used.
    yesterday: bool,
}

impl WeightDay {
    fn phrase(&self) -> String {
        if self.yesterday {
            format!("yesterday's weight {} kg ({})", kg(self.kg), self.date)
        } else {
            format!("weight {} kg", kg(self.kg))
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Gain {
    baseline: f64,
    n: usize,
    kg: f64,
    pct: f64,
}

/// A gain threshold, the larger of kg and % of the reference weight.
fn threshold(kg: f64, pct: f64, reference: f64) -> f64 {
    kg.max(pct / 100.0 * reference)
}

/// A trigger symptom that lowered W1's threshold: (name, severity, date).
type TriggerHit<'x> = (&'x str, Severity, NaiveDate);

/// Everything the rules of one day read, computed once.
struct Ctx<'x, 'a> {
    ix: &'x Index<'a>,
    cfg: &'x RulesConfig,
    prep: &'x Prepared,
    date: NaiveDate,
    /// `date` formatted once (most days print it in several skip reasons);
    /// empty on quiet days, which print nothing.
    ds: String,
    weight: Option<WeightDay>,
    /// Baseline window and what was found there: (from, to, values found).
    baseline_window: (NaiveDate, NaiveDate, usize),
    gain: Option<Gain>,
    /// W1's threshold in kg and the trigger that lowered it.
    w1: Option<(f64, Option<TriggerHit<'x>>)>,
    w2: Option<f64>,
    /// The weight day's change from the day before: (previous kg, change kg).
    overnight: Option<(f64, f64)>,
    /// The day symptoms are read from: DATE, or DATE−1 when DATE has no entries.
    sday: Option<(NaiveDate, &'x Day<'a>)>,
    /// The latest sitting BP reading dated DATE or DATE−1 (entry index).
    bp: Option<usize>,
    /// Its baseline: (median, readings used), when enough readings.
    sbp_base: Option<(f64, usize)>,
    sbp_base_have: usize,
}

impl Ctx<'_, '_> {
    fn entry(&self, i: usize) -> &Entry {
        &self.ix.entries[i]
    }

    fn w1_met(&self) -> Option<bool> {
        Some(self.gain?.kg >= self.w1.as_ref()?.0 - EPS)
    }

    fn w2_met(&self) -> Option<bool> {
        Some(self.gain?.kg >= self.w2? - EPS)
    }

    /// Severity on the symptom day (`None` when nothing was logged).
    fn symptom(&self, name: &str) -> Option<Severity> {
        self.sday.and_then(|(_, d)| d.symptom(name))
    }

    /// " on 2026-11-24" when symptoms come from DATE−1, else "".
    fn sday_suffix(&self) -> String {
        match self.sday {
            Some((d, _)) if d != self.date => format!(" on {d}"),
            _ => String::new(),
        }
    }

    /// The prodrome-set symptoms present (≥ min) on `day`, by name.
    fn prodrome_on(&self, day: &Day<'_>, min: Severity) -> Vec<(&str, Severity)> {
        self.prep
            .prodrome
            .iter()
            .filter_map(|n| {
                day.symptom(n)
                    .filter(|s| *s >= min)
                    .map(|s| (n.as_str(), s))
            })
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

    fn gain_phrase(&self, g: &Gain) -> String {
        let w = self.weight.map(|w| w.phrase()).unwrap_or_default();
        format!(
            "{w} is {:+.1} kg ({:+.1}%) over your {}-day baseline {} kg",
            g.kg,
            g.pct,
            self.cfg.no_baseline.days,
            kg(g.baseline)
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

fn build_ctx<'x, 'a>(
    ix: &'x Index<'a>,
    prep: &'x Prepared,
    date: NaiveDate,
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

    // Baseline: median of day weights in the `days` days before the weight's day.
    let ref_day = weight.map_or(date, |w| w.date);
    let nb = &cfg.no_baseline;
    let (from, to) = (shift(ref_day, -i64::from(nb.days)), shift(ref_day, -1));
    let (median_kg, have) = median_of(
        (1..=i64::from(nb.days)).filter_map(|k| ix.weight(shift(ref_day, -k)).map(|w| w.0)),
    );
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

    let mut ctx = Ctx {
        ix,
        cfg,
        prep,
        date,
        ds: if detail {
            date.to_string()
        } else {
            String::new()
        },
        weight,
        baseline_window: (from, to, have),
        gain,
        w1: None,
        w2: None,
        overnight: None,
        sday: None,
        bp: None,
        sbp_base: None,
        sbp_base_have: 0,
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

    ctx.sday = if ix.day(date).has_entries() {
        Some((date, ix.day(date)))
    } else if ix.day(yesterday).has_entries() {
        Some((yesterday, ix.day(yesterday)))
    } else {
        None
    };

    let n = ix.day(date).n_bp;
    ctx.bp = Index::latest(&ix.bp, n, ix.entries, date);
    if ctx.bp.is_some() {
        let b = &cfg.bp_baseline;
        let judged = &ix.entries[ix.bp[n - 1]];
        let oldest = shift(judged.date(), -i64::from(b.max_age_days));
        let (m, have) = median_of(
            ix.bp[..n - 1]
                .iter()
                .rev()
                .map(|&i| &ix.entries[i])
                .take_while(|e| e.date() >= oldest)
                .take(b.readings as usize)
                .filter_map(|e| e.m.bp.map(|bp| f64::from(bp.systolic))),
        );
        ctx.sbp_base_have = have;
        if have >= b.min_readings as usize {
            ctx.sbp_base = m.map(|m| (m, have));
        }
    }
    ctx
}

fn eval_day(
    ix: &Index<'_>,
    diary: &Diary<'_>,
    prep: &Prepared,
    date: NaiveDate,
    recovery: Option<Recovery>,
    detail: bool,
    cfg: &RulesConfig,
) -> Assessment {
    let ctx = build_ctx(ix, prep, date, detail, cfg);
    let mut out = Out::new(detail);

    data_rules(&ctx, &mut out);
    weight_rules(&ctx, &mut out);
    prodrome_rules(&ctx, &mut out);
    let sbp_low = bp_rules(&ctx, &mut out);
    orthostatic(&ctx, &mut out);
    pulse_rules(&ctx, &mut out);
    let l7 = urine_and_syncope(&ctx, &mut out);
    leak_combo(&ctx, &mut out, sbp_low, l7);
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
        level,
        findings: out.findings,
        skipped: out.skipped,
        notes: out.notes,
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
                Some(e) => {
                    let ago = days_between(e.date(), date);
                    (
                        format!(
                            "nothing logged {span}; last entry {}, {} ago",
                            e.date(),
                            n_days(ago)
                        ),
                        json!(e.date().to_string()),
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
            ev! {"last_weight_date" => last.map(|d| d.to_string())},
        );
    } else if ctx.gain.is_none() {
        let (from, to, have) = ctx.baseline_window;
        fire!(
            out,
            "D1",
            "no_baseline",
            nb.level,
            format!(
                "no weight baseline: {have} of the {} morning weights needed in {from}..{to}",
                nb.min_weights
            ),
            ev! {"have" => have, "need" => nb.min_weights, "from" => from.to_string(), "to" => to.to_string()},
        );
    }

    // D3: prodrome symptoms logged on DATE and no weight on DATE.
    let today = ctx.ix.day(date);
    if today.weight.is_none() {
        let present = ctx.prodrome_on(today, cfg.weigh_now.min_severity);
        if cfg.weigh_now.enabled && !present.is_empty() {
            fire!(
                out,
                "D3",
                "weigh_now",
                cfg.weigh_now.level,
                {
                    let list: Vec<String> = present.iter().map(|(n, s)| sym(n, *s)).collect();
                    format!(
                        "{} logged on {date} but no weight on {date}: weigh yourself now",
                        list.join(", ")
                    )
                },
                ev! {"symptoms" => present.iter().map(|(n, s)| json!({"name": n, "severity": s})).collect::<Vec<_>>()},
            );
        }
        note!(out, match ctx.weight {
            Some(w) if w.yesterday => format!(
                "no weight logged on {date} yet: the weight rules used yesterday's ({} kg); weigh yourself now (after voiding, before breakfast) and log it",
                kg(w.kg)
            ),
            _ => format!("no weight logged on {date}: weigh yourself now (after voiding, before breakfast) and log it"),
        });
    }
}

/// W1, W2, W3 and the P3 note.
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
                    "{} on {d}: a trigger, so the weight-gain limit is lowered to +{} kg (rule P3)",
                    sym(name, *s),
                    kg(*thr1)
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
                format!("{} (limit +{} kg)", ctx.gain_phrase(&g), kg(thr2)),
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
                let mut msg = format!("{} (limit +{} kg", ctx.gain_phrase(&g), kg(*thr1));
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
                            format!("since {} kg on {}", kg(prev), shift(w.date, -1))
                        } else {
                            format!("since yesterday's {} kg", kg(prev))
                        };
                        (
                            format!(
                                "{} is {change:+.1} kg ({pct:+.1}%) {since} (limit +{} kg)",
                                w.phrase(),
                                kg(thr)
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
}

/// P1 and P2.
fn prodrome_rules(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) {
    let cfg = ctx.cfg;
    let p1 = &cfg.weight_thirst;
    if p1.enabled {
        match ctx.w1_met() {
            None => skip!(out, "P1", "weight_thirst", ctx.gain_missing()),
            Some(false) => {}
            Some(true) => match ctx.symptom("thirst") {
                None => skip!(
                    out,
                    "P1",
                    "weight_thirst",
                    "no symptoms logged with the weight"
                ),
                Some(s) if s >= p1.min_severity => {
                    let g = ctx.gain.expect("w1 implies a gain");
                    fire!(
                        out,
                        "P1",
                        "weight_thirst",
                        p1.level,
                        format!(
                            "{}, with {}{}",
                            ctx.gain_phrase(&g),
                            sym("thirst", s),
                            ctx.sday_suffix()
                        ),
                        {
                            let mut e =
                                ctx.weight_evidence(&g, ctx.w1.as_ref().map_or(0.0, |w| w.0));
                            e.insert("thirst".into(), json!(s));
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
        match ctx.sday {
            None => skip!(
                out,
                "P2",
                "prodrome_cluster",
                format!("no symptoms logged on {} or the day before", ctx.ds),
            ),
            Some((_, day)) => {
                let present = ctx.prodrome_on(day, p2.min_severity);
                if present.len() >= p2.min_count as usize && !present.is_empty() {
                    let gain = ctx.w1_met();
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
                            let list: Vec<String> =
                                present.iter().map(|(n, s)| sym(n, *s)).collect();
                            let mut msg = format!(
                                "{} prodrome symptoms{}: {}",
                                present.len(),
                                ctx.sday_suffix(),
                                list.join(", ")
                            );
                            match gain {
                                Some(true) => {
                                    let g = ctx.gain.expect("w1 implies a gain");
                                    msg.push_str(&format!(
                                        ", with weight {:+.1} kg over your baseline",
                                        g.kg
                                    ));
                                }
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
}

/// L1 and L2. Returns whether the judged systolic is ≤ L8's limit (`None`
/// when there is no reading).
fn bp_rules(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) -> Option<bool> {
    let cfg = ctx.cfg;
    let (c1, c2) = (&cfg.hypotension, &cfg.low_bp);
    let Some(i) = ctx.bp else {
        if out.detail {
            let reason = format!("no blood pressure logged on {} or the day before", ctx.ds);
            if c1.enabled {
                out.skip("L1", "hypotension", &reason);
            }
            if c2.enabled {
                out.skip("L2", "low_bp", reason);
            }
        }
        return None;
    };
    let e = ctx.entry(i);
    let bp = e.m.bp.expect("indexed readings have a BP");
    let sbp = f64::from(bp.systolic);
    if ctx.sbp_base.is_none() && (c1.enabled || c2.enabled) {
        note!(out, format!(
            "no blood-pressure baseline yet ({} of {} earlier sitting readings): systolic {} judged by the fixed limits only",
            ctx.sbp_base_have, cfg.bp_baseline.min_readings, bp.systolic
        ));
    }
    let below = ctx.sbp_base.map(|(b, n)| (b, n, b - sbp));
    // (at or below `max`, `drop` or more below the baseline)
    let judge = |max: u16, drop: u16| -> (bool, bool) {
        let abs = bp.systolic <= max;
        let rel = below.is_some_and(|(_, _, d)| d >= f64::from(drop) - EPS);
        (abs, rel)
    };
    let text = |max: u16, drop: u16| -> (String, Evidence) {
        let (abs, rel) = judge(max, drop);
        let head = format!("systolic {} mmHg at {}", bp.systolic, at(e));
        let msg = match below {
            Some((b, n, d)) if rel && abs => format!(
                "{head} is at or below {max}, and {} below your baseline {} (median of {n} readings)",
                num(d),
                num(b)
            ),
            Some((b, n, d)) if rel => format!(
                "{head} is {} below your baseline {} (median of {n} readings; limit {drop} below)",
                num(d),
                num(b)
            ),
            _ => format!("{head} is at or below {max}"),
        };
        let evidence = ev! {
            "systolic" => bp.systolic, "diastolic" => bp.diastolic, "entry_id" => e.id,
            "at" => at(e), "max_systolic" => max, "drop_limit" => drop,
            "baseline" => below.map(|x| x.0), "baseline_readings" => below.map(|x| x.1),
            "below_baseline" => below.map(|x| r3(x.2)),
        };
        (msg, evidence)
    };
    let hit = |max: u16, drop: u16| {
        let (abs, rel) = judge(max, drop);
        abs || rel
    };
    if c1.enabled && hit(c1.max_systolic, c1.drop) {
        fire!(
            out,
            "L1",
            "hypotension",
            c1.level,
            text(c1.max_systolic, c1.drop)
        );
    }
    // L2 is L1's lower band: not repeated when L1 already says as much.
    let shadowed = out.fired("L1").is_some_and(|l| l >= c2.level);
    if c2.enabled && !shadowed && hit(c2.max_systolic, c2.drop) {
        fire!(
            out,
            "L2",
            "low_bp",
            c2.level,
            text(c2.max_systolic, c2.drop)
        );
    }
    Some(bp.systolic <= cfg.leak_combo.max_systolic)
}

/// L3: the latest entry with a standing reading, dated DATE or DATE−1.
fn orthostatic(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) {
    let c = &ctx.cfg.orthostatic;
    if !c.enabled {
        return;
    }
    let ix = ctx.ix;
    let Some(i) = Index::latest(
        &ix.standing,
        ix.day(ctx.date).n_standing,
        ix.entries,
        ctx.date,
    ) else {
        skip!(
            out,
            "L3",
            "orthostatic",
            format!(
                "no standing blood pressure logged on {} or the day before",
                ctx.ds
            ),
        );
        return;
    };
    let e = ctx.entry(i);
    let stand =
        e.m.standing_bp
            .expect("indexed readings have a standing BP");
    let dizzy = e.m.symptom("dizziness").unwrap_or(0);
    let dizzy_hit = dizzy >= c.min_severity;
    // Sitting minus standing, systolic and diastolic.
    let drops = e.m.bp.map(|sit| {
        (
            i32::from(sit.systolic) - i32::from(stand.systolic),
            i32::from(sit.diastolic) - i32::from(stand.diastolic),
        )
    });
    let drop_hit = drops.is_some_and(|(ds, dd)| {
        ds >= i32::from(c.systolic_drop) || dd >= i32::from(c.diastolic_drop)
    });
    if drops.is_none() && !dizzy_hit {
        skip!(
            out,
            "L3",
            "orthostatic",
            format!(
                "the standing reading at {} has no sitting reading to compare with",
                at(e)
            ),
        );
        return;
    }
    if drop_hit || dizzy_hit {
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
                        at(e),
                        c.systolic_drop,
                        c.diastolic_drop
                    ));
                }
                if dizzy_hit {
                    parts.push(format!(
                        "{} when standing at {}",
                        sym("dizziness", dizzy),
                        at(e)
                    ));
                }
                parts.join("; ")
            },
            ev! {
                "entry_id" => e.id, "at" => at(e),
                "sitting" => e.m.bp.map(|b| b.to_string()), "standing" => stand.to_string(),
                "systolic_drop" => drops.map(|x| x.0), "diastolic_drop" => drops.map(|x| x.1),
                "dizziness" => dizzy,
            },
        );
    }
}

/// A band rule's level: the override when set, else the band.
fn banded(overridden: Option<Level>, band: Level) -> Level {
    overridden.unwrap_or(band)
}

/// L4 and L5.
fn pulse_rules(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) {
    let ix = ctx.ix;
    let day = ix.day(ctx.date);
    let c = &ctx.cfg.shock_index;
    if c.enabled {
        match Index::latest(&ix.hr_bp, day.n_hr_bp, ix.entries, ctx.date) {
            None => skip!(
                out,
                "L4",
                "shock_index",
                format!(
                    "no heart rate and blood pressure in one entry on {} or the day before",
                    ctx.ds
                ),
            ),
            Some(i) => {
                let e = ctx.entry(i);
                let (hr, sbp) = (
                    e.m.heart_rate.unwrap_or(0),
                    e.m.bp.map_or(0, |b| b.systolic),
                );
                let si = f64::from(hr) / f64::from(sbp);
                let band = if si >= c.emergency_at - EPS {
                    Some((Level::Emergency, c.emergency_at))
                } else if si >= c.warning_at - EPS {
                    Some((Level::Warning, c.warning_at))
                } else {
                    None
                };
                if let Some((band, limit)) = band {
                    fire!(
                        out,
                        "L4",
                        "shock_index",
                        banded(c.level, band),
                        format!(
                            "shock index {si:.2} (heart rate {hr} / systolic {sbp}) at {} is at or above {limit}",
                            at(e)
                        ),
                        ev! {"shock_index" => r3(si), "heart_rate" => hr, "systolic" => sbp, "entry_id" => e.id, "at" => at(e), "limit" => limit},
                    );
                }
            }
        }
    }
    let c = &ctx.cfg.tachycardia;
    if c.enabled {
        match Index::latest(&ix.hr, day.n_hr, ix.entries, ctx.date) {
            None => skip!(
                out,
                "L5",
                "tachycardia",
                format!("no heart rate logged on {} or the day before", ctx.ds),
            ),
            Some(i) => {
                let e = ctx.entry(i);
                let hr = e.m.heart_rate.unwrap_or(0);
                let band = if hr >= c.emergency_bpm {
                    Some((Level::Emergency, c.emergency_bpm))
                } else if hr >= c.warning_bpm {
                    Some((Level::Warning, c.warning_bpm))
                } else {
                    None
                };
                if let Some((band, limit)) = band {
                    fire!(
                        out,
                        "L5",
                        "tachycardia",
                        banded(c.level, band),
                        format!("heart rate {hr} bpm at {} is at or above {limit}", at(e)),
                        ev! {"heart_rate" => hr, "entry_id" => e.id, "at" => at(e), "limit" => limit},
                    );
                }
            }
        }
    }
}

/// L6 and L7. Returns whether L7's condition holds (`None`: no urine data).
fn urine_and_syncope(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) -> Option<bool> {
    let cfg = ctx.cfg;
    let nothing = || format!("nothing logged on {} or the day before", ctx.ds);
    let c = &cfg.syncope;
    if c.enabled {
        match ctx.symptom("fainting") {
            None => skip!(out, "L6", "syncope", nothing()),
            Some(s) if s >= c.min_severity => {
                let (d, _) = ctx.sday.expect("a severity implies a day");
                fire!(
                    out,
                    "L6",
                    "syncope",
                    c.level,
                    format!("{} logged on {d}", sym("fainting", s)),
                    ev! {"severity" => s, "date" => d.to_string()},
                );
            }
            Some(_) => {}
        }
    }

    let c = &cfg.low_urine;
    let Some((d, day)) = ctx.sday else {
        if c.enabled {
            skip!(out, "L7", "low_urine", nothing());
        }
        return None;
    };
    if !day.has_urine() {
        if c.enabled {
            skip!(out, "L7", "low_urine", format!("no urine logged on {d}"));
        }
        return None;
    }
    let less = day.urine_less.map(|i| ctx.entry(i));
    let ml = day
        .urine_ml
        .map(|i| ctx.entry(i))
        .and_then(|e| e.m.urine_ml.map(|ml| (ml, e)))
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
                if let Some(e) = less {
                    parts.push(format!("urine less than usual at {}", at(e)));
                }
                if let Some((v, e)) = ml {
                    parts.push(format!(
                        "urine {v} mL/24 h at {} is below {}",
                        at(e),
                        c.below_ml
                    ));
                }
                parts.join("; ")
            },
            ev! {"urine_less" => less.is_some(), "urine_ml" => ml.map(|x| x.0), "below_ml" => c.below_ml, "date" => d.to_string()},
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
            let s = ctx
                .bp
                .and_then(|i| ctx.entry(i).m.bp)
                .map_or(0, |b| b.systolic);
            parts.push(format!("systolic {s} at or below {}", c.max_systolic));
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
                ctx.sday_suffix()
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
                format!(
                    "cannot be decided without {missing} on {} or the day before",
                    ctx.ds
                ),
            );
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
            _ => (c.hct_emergency, c.hct_rise_warning, None),
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
                                "{:+.1} over your baseline {} (median of {n} values; limit +{})",
                                rise,
                                num(b),
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
                                    "{} below your baseline {} (median of {n} values; limit {})",
                                    num(d),
                                    num(b),
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
    let bands = [
        (Level::Emergency, and3([loss, poly, breath])),
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
                    let w = ctx.weight.map(|w| w.phrase()).unwrap_or_default();
                    parts.push(format!(
                        "{w} is {change:+.1} kg since the day before ({} kg)",
                        kg(prev)
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
                    format!("{why}: {}{}{tail}", parts.join(", "), ctx.sday_suffix()),
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
            if ctx.sday.is_none() {
                missing.push(format!(
                    "no symptoms logged on {} or the day before",
                    ctx.ds
                ));
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
    let day = ix.day(ctx.date);
    let hr_bp = Index::latest(&ix.hr_bp, day.n_hr_bp, ix.entries, ctx.date).map(|i| ctx.entry(i));
    let lab = |k: LabKind| {
        ix.latest_lab(k, ctx.date, ctx.cfg.labs.valid_days)
            .map(|r| r.value)
    };
    let facts = Facts {
        date: ctx.date,
        gain: ctx.gain.map(|g| (g.kg, g.pct)),
        gain_missing: ctx.gain_missing(),
        overnight: ctx.overnight.map(|(prev, ch)| (ch, ch / prev * 100.0)),
        sday: ctx.sday.map(|(_, d)| d),
        prodrome: &ctx.prep.prodrome,
        prodrome_min: ctx.cfg.prodrome_cluster.min_severity,
        systolic: ctx.bp.and_then(|i| ctx.entry(i).m.bp).map(|b| b.systolic),
        heart_rate: Index::latest(&ix.hr, day.n_hr, ix.entries, ctx.date)
            .and_then(|i| ctx.entry(i).m.heart_rate),
        shock_index: hr_bp
            .and_then(|e| Some(f64::from(e.m.heart_rate?) / f64::from(e.m.bp?.systolic))),
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
