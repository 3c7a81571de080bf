//! Patient-defined rules (`[[rules.custom]]`): a list of conditions joined by
//! `all` (AND) and `any` (OR), evaluated with three-valued logic. A condition
//! whose input is missing is "undecided"; when the rule's outcome depends on
//! an undecided condition the rule is reported as skipped, never as passing.

//!
//! This file holds them whole: their `[[rules.custom]]` table, its
//! validation, their evaluation and their description.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::config::symptom_key;
use super::day::{Ctx, Out};
use super::index::{lab_slot, SymView};
use super::validate::{
    level, range_f, range_u, resolve_symptom, severity, Checked, Problem, ValidationError,
};
use super::{Finding, Level, RuleId, Skipped};
use crate::model::{severity_word, LabKind, Severity, DEFAULT_SEVERITY};

/// A patient-defined rule: fires when every `all` condition holds and (if
/// `any` is given) at least one `any` condition holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CustomRule {
    pub id: String,
    pub enabled: bool,
    pub level: Level,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub all: Vec<Condition>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub any: Vec<Condition>,
}

impl Default for CustomRule {
    fn default() -> Self {
        CustomRule {
            id: String::new(),
            enabled: true,
            level: Level::Watch,
            message: String::new(),
            all: Vec::new(),
            any: Vec::new(),
        }
    }
}

/// One condition of a custom rule; exactly one kind per condition. Positive
/// kg/% values mean "at least this gain", negative ones "at least this loss".
/// `*_below`/`*_above` are strict.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Condition {
    /// Day weight vs the 7-day baseline, kg.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_gain_kg: Option<f64>,
    /// Day weight vs the 7-day baseline, % of the baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_gain_pct: Option<f64>,
    /// Day weight vs the previous day's, kg.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overnight_kg: Option<f64>,
    /// Day weight vs the previous day's, % of that.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overnight_pct: Option<f64>,
    /// A symptom (canonical, alias or custom name) at severity ≥ `min`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub symptom: Option<String>,
    /// With `symptom`; default 2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<Severity>,
    /// At least this many distinct prodrome-set symptoms present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prodrome_count: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub systolic_below: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub systolic_above: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heart_rate_above: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shock_index_above: Option<f64>,
    /// A lab (`hemoglobin`, `hb`, `hematocrit`, `hct`, `albumin`) with `above` or `below`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lab: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub above: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub below: Option<f64>,
}

impl Condition {
    /// The keys that choose this condition's kind (exactly one must be set).
    pub(crate) fn kinds(&self) -> Vec<&'static str> {
        let mut k = Vec::new();
        let mut add = |set: bool, name: &'static str| {
            if set {
                k.push(name);
            }
        };
        add(self.weight_gain_kg.is_some(), "weight_gain_kg");
        add(self.weight_gain_pct.is_some(), "weight_gain_pct");
        add(self.overnight_kg.is_some(), "overnight_kg");
        add(self.overnight_pct.is_some(), "overnight_pct");
        add(self.symptom.is_some(), "symptom");
        add(self.prodrome_count.is_some(), "prodrome_count");
        add(self.systolic_below.is_some(), "systolic_below");
        add(self.systolic_above.is_some(), "systolic_above");
        add(self.heart_rate_above.is_some(), "heart_rate_above");
        add(self.shock_index_above.is_some(), "shock_index_above");
        add(self.lab.is_some(), "lab");
        k
    }
}

/// Every key a condition may have, for error messages.
const CONDITION_KINDS: &str = "weight_gain_kg, weight_gain_pct, overnight_kg, overnight_pct, \
     symptom (+ min), prodrome_count, systolic_below, systolic_above, heart_rate_above, \
     shock_index_above, lab (+ above or below)";

/// Check one `[[rules.custom]]` rule, the `i`-th; `earlier` holds the
/// lower-cased ids of the rules before it.
pub(super) fn validate_custom(
    i: usize,
    r: &CustomRule,
    custom: &[String],
    earlier: &[String],
) -> Checked {
    let invalid = |key: &str, text: String| Err(ValidationError::new(&key, Problem::Invalid(text)));
    let id = r.id.trim();
    if id.is_empty() {
        return invalid(
            &format!("rules.custom[{i}].id"),
            "missing: give the rule a short id, e.g. id = \"my_rule\"".into(),
        );
    }
    let at = format!("rules.custom[{i}] ({id})");
    if !id
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-')
        || id != r.id
    {
        return invalid(
            &format!("{at}.id"),
            "use only letters, digits, '_' and '-'".into(),
        );
    }
    let lower = id.to_ascii_lowercase();
    if RuleId::is_taken(&lower) {
        return invalid(
            &format!("{at}.id"),
            format!("'{id}' is the id or name of a built-in rule"),
        );
    }
    if earlier.contains(&lower) {
        return invalid(
            &format!("{at}.id"),
            format!("'{id}' is used by an earlier custom rule"),
        );
    }
    level(&format!("{at}.level"), r.level, false)?;
    if r.message.trim().is_empty() {
        return invalid(
            &format!("{at}.message"),
            "missing: say what the patient should know or do".into(),
        );
    }
    if r.all.is_empty() && r.any.is_empty() {
        return invalid(
            &at,
            "needs at least one condition in `all = [...]` or `any = [...]`".into(),
        );
    }
    for (list, conds) in [("all", &r.all), ("any", &r.any)] {
        for (j, cond) in conds.iter().enumerate() {
            validate_condition(cond, custom).map_err(|e| match e.problem {
                // A symptom name: a whole sentence, said of the rule.
                Problem::UnknownSymptom(s) => ValidationError::new(
                    &at,
                    Problem::UnknownSymptom(format!("{s} in {list}[{j}].symptom")),
                ),
                problem => ValidationError {
                    key: format!("{at}.{list}[{j}]{}", e.key),
                    problem,
                },
            })?;
        }
    }
    Ok(())
}

/// Errors carry the key relative to the condition (".min", or "" for the
/// condition as a whole); symptom-name errors are
/// [`Problem::UnknownSymptom`] sentences.
fn validate_condition(c: &Condition, custom: &[String]) -> Checked {
    let invalid = |key: &str, text: String| Err(ValidationError::new(&key, Problem::Invalid(text)));
    let kinds = c.kinds();
    match kinds.len() {
        0 => return invalid("", format!("empty condition: use one of {CONDITION_KINDS}")),
        1 => {}
        _ => {
            return invalid(
                "",
                format!(
                    "one condition per {{ }}, found {}: split them into separate conditions",
                    kinds.join(", ")
                ),
            )
        }
    }
    if c.min.is_some() && c.symptom.is_none() {
        return invalid(".min", "only allowed with `symptom`".into());
    }
    if (c.above.is_some() || c.below.is_some()) && c.lab.is_none() {
        return invalid(
            ".above/below",
            "only allowed with `lab` (use systolic_below, heart_rate_above, ...)".into(),
        );
    }
    let f = |key: &str, v: f64, lo: f64, hi: f64| range_f(&format!(".{key}"), v, lo, hi);
    if let Some(v) = c.weight_gain_kg {
        f("weight_gain_kg", v, -20.0, 20.0)?;
    }
    if let Some(v) = c.weight_gain_pct {
        f("weight_gain_pct", v, -30.0, 30.0)?;
    }
    if let Some(v) = c.overnight_kg {
        f("overnight_kg", v, -20.0, 20.0)?;
    }
    if let Some(v) = c.overnight_pct {
        f("overnight_pct", v, -30.0, 30.0)?;
    }
    if let Some(s) = &c.symptom {
        resolve_symptom(s, custom)
            .map_err(|e| ValidationError::new(&".symptom", Problem::UnknownSymptom(e)))?;
        if let Some(m) = c.min {
            severity(&".min", m)?;
        }
    }
    if let Some(n) = c.prodrome_count {
        range_u(&".prodrome_count", n, 1, 20)?;
    }
    for (key, v) in [
        ("systolic_below", c.systolic_below),
        ("systolic_above", c.systolic_above),
    ] {
        if let Some(v) = v {
            range_u(&format!(".{key}"), v, 40, 300)?;
        }
    }
    if let Some(v) = c.heart_rate_above {
        range_u(&".heart_rate_above", v, 20, 250)?;
    }
    if let Some(v) = c.shock_index_above {
        f("shock_index_above", v, 0.1, 5.0)?;
    }
    if let Some(name) = &c.lab {
        let Some(kind) = LabKind::parse(name) else {
            return invalid(
                ".lab",
                format!("unknown lab '{name}': use hemoglobin (hb), hematocrit (hct) or albumin"),
            );
        };
        let (lo, hi) = kind.range();
        match (c.above, c.below) {
            (None, None) => return invalid(".lab", "needs `above = N` or `below = N`".into()),
            (Some(_), Some(_)) => {
                return invalid(
                    ".lab",
                    "give `above` or `below`, not both (use two conditions)".into(),
                )
            }
            (Some(v), None) => f("above", v, lo, hi)?,
            (None, Some(v)) => f("below", v, lo, hi)?,
        }
    }
    Ok(())
}

/// A condition with its names resolved.
#[derive(Debug, Clone)]
enum Cond {
    GainKg(f64),
    GainPct(f64),
    OvernightKg(f64),
    OvernightPct(f64),
    Symptom {
        key: String,
        min: Severity,
    },
    Prodrome(u32),
    SystolicBelow(u16),
    SystolicAbove(u16),
    HeartRateAbove(u16),
    ShockIndexAbove(f64),
    Lab {
        kind: LabKind,
        above: Option<f64>,
        below: Option<f64>,
    },
    /// Not valid (the config was not validated): never decided.
    Invalid,
}

impl Cond {
    fn new(c: &Condition) -> Cond {
        if c.kinds().len() != 1 {
            return Cond::Invalid;
        }
        if let Some(v) = c.weight_gain_kg {
            Cond::GainKg(v)
        } else if let Some(v) = c.weight_gain_pct {
            Cond::GainPct(v)
        } else if let Some(v) = c.overnight_kg {
            Cond::OvernightKg(v)
        } else if let Some(v) = c.overnight_pct {
            Cond::OvernightPct(v)
        } else if let Some(s) = &c.symptom {
            Cond::Symptom {
                key: symptom_key(s),
                min: c.min.unwrap_or(DEFAULT_SEVERITY),
            }
        } else if let Some(n) = c.prodrome_count {
            Cond::Prodrome(n)
        } else if let Some(v) = c.systolic_below {
            Cond::SystolicBelow(v)
        } else if let Some(v) = c.systolic_above {
            Cond::SystolicAbove(v)
        } else if let Some(v) = c.heart_rate_above {
            Cond::HeartRateAbove(v)
        } else if let Some(v) = c.shock_index_above {
            Cond::ShockIndexAbove(v)
        } else {
            match c.lab.as_deref().and_then(LabKind::parse) {
                Some(kind) if c.above.is_some() != c.below.is_some() => Cond::Lab {
                    kind,
                    above: c.above,
                    below: c.below,
                },
                _ => Cond::Invalid,
            }
        }
    }
}

/// A condition in words, for `cls rules`.
pub(crate) fn describe_condition(c: &Condition) -> String {
    let signed = |what: &str, v: f64, unit: &str| {
        if v < 0.0 {
            format!("{what} loss of at least {}{unit}", -v)
        } else {
            format!("{what} gain of at least {v}{unit}")
        }
    };
    match Cond::new(c) {
        Cond::GainKg(v) => signed("weight", v, " kg over the baseline"),
        Cond::GainPct(v) => signed("weight", v, "% over the baseline"),
        Cond::OvernightKg(v) => signed("overnight", v, " kg"),
        Cond::OvernightPct(v) => signed("overnight", v, "%"),
        Cond::Symptom { key, min } => format!("{key} at severity {min} or more"),
        Cond::Prodrome(n) => format!("{n} or more prodrome-set symptoms"),
        Cond::SystolicBelow(v) => format!("systolic below {v}"),
        Cond::SystolicAbove(v) => format!("systolic above {v}"),
        Cond::HeartRateAbove(v) => format!("heart rate above {v}"),
        Cond::ShockIndexAbove(v) => format!("shock index above {v}"),
        Cond::Lab { kind, above, below } => match (above, below) {
            (Some(a), _) => format!("{kind} above {a} {}", kind.unit()),
            (_, Some(b)) => format!("{kind} below {b} {}", kind.unit()),
            _ => format!("{kind} (no limit)"),
        },
        Cond::Invalid => "an invalid condition".into(),
    }
}

/// A custom rule ready to evaluate.
#[derive(Debug, Clone)]
pub(crate) struct PreparedRule {
    id: String,
    enabled: bool,
    level: Level,
    message: String,
    all: Vec<Cond>,
    any: Vec<Cond>,
}

impl PreparedRule {
    pub fn new(r: &CustomRule) -> PreparedRule {
        PreparedRule {
            id: r.id.clone(),
            enabled: r.enabled,
            level: r.level,
            message: r.message.clone(),
            all: r.all.iter().map(Cond::new).collect(),
            any: r.any.iter().map(Cond::new).collect(),
        }
    }
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// What the conditions can read on one day.
pub(crate) struct Facts<'x, 'a> {
    pub date: NaiveDate,
    /// Gain over the baseline: (kg, % of baseline).
    pub gain: Option<(f64, f64)>,
    pub gain_missing: String,
    /// Change since the previous day: (kg, %).
    pub overnight: Option<(f64, f64)>,
    /// The window's symptoms (`None` when nothing was logged there).
    pub symptoms: Option<&'x SymView<'a>>,
    pub prodrome: &'x [String],
    pub prodrome_min: Severity,
    /// The lowest and highest sitting systolic of the window.
    pub systolic_low: Option<u16>,
    pub systolic_high: Option<u16>,
    pub heart_rate: Option<u16>,
    pub shock_index: Option<f64>,
    pub labs: [Option<f64>; 3],
    pub valid_days: u32,
}

pub(crate) enum Outcome {
    Fired(Finding),
    Skipped(Skipped),
    Quiet,
}

/// Positive `limit`: at least this gain; negative: at least this loss.
fn signed_at_least(value: f64, limit: f64) -> bool {
    const EPS: f64 = super::day::EPS;
    if limit >= 0.0 {
        value >= limit - EPS
    } else {
        value <= limit + EPS
    }
}

/// (decided value, text: what was seen when decided, what is missing when not).
fn check(c: &Cond, f: &Facts<'_, '_>) -> (Option<bool>, String) {
    let none_day = || format!("symptoms logged in the 48 hours up to {}", f.date);
    match c {
        Cond::GainKg(l) | Cond::GainPct(l) => match f.gain {
            None => (None, f.gain_missing.clone()),
            Some((kg, pct)) => {
                let pct_form = matches!(c, Cond::GainPct(_));
                let v = if pct_form { pct } else { kg };
                (
                    Some(signed_at_least(v, *l)),
                    format!("weight {kg:+.1} kg ({pct:+.1}%) vs your baseline"),
                )
            }
        },
        Cond::OvernightKg(l) | Cond::OvernightPct(l) => match f.overnight {
            None => (None, "a weight on two days in a row".into()),
            Some((kg, pct)) => {
                let v = if matches!(c, Cond::OvernightPct(_)) {
                    pct
                } else {
                    kg
                };
                (
                    Some(signed_at_least(v, *l)),
                    format!("weight {kg:+.1} kg ({pct:+.1}%) since the day before"),
                )
            }
        },
        Cond::Symptom { key, min } => match f.symptoms.map(|d| d.get(key)) {
            None => (None, none_day()),
            Some(s) => (Some(s >= *min), format!("{key} ({})", severity_word(s))),
        },
        Cond::Prodrome(n) => match f.symptoms {
            None => (None, none_day()),
            Some(d) => {
                let count = f
                    .prodrome
                    .iter()
                    .filter(|p| d.get(p) >= f.prodrome_min)
                    .count();
                (
                    Some(count >= *n as usize),
                    format!("{count} prodrome symptoms"),
                )
            }
        },
        Cond::SystolicBelow(l) | Cond::SystolicAbove(l) => {
            match if matches!(c, Cond::SystolicBelow(_)) {
                f.systolic_low
            } else {
                f.systolic_high
            } {
                None => (
                    None,
                    format!("a blood pressure on {} or the day before", f.date),
                ),
                Some(s) => {
                    let met = if matches!(c, Cond::SystolicBelow(_)) {
                        s < *l
                    } else {
                        s > *l
                    };
                    (Some(met), format!("systolic {s}"))
                }
            }
        }
        Cond::HeartRateAbove(l) => match f.heart_rate {
            None => (
                None,
                format!("a heart rate on {} or the day before", f.date),
            ),
            Some(h) => (Some(h > *l), format!("heart rate {h}")),
        },
        Cond::ShockIndexAbove(l) => match f.shock_index {
            None => (
                None,
                format!(
                    "a heart rate and blood pressure in one entry on {} or the day before",
                    f.date
                ),
            ),
            Some(si) => (Some(si > *l), format!("shock index {si:.2}")),
        },
        Cond::Lab { kind, above, below } => match f.labs[lab_slot(*kind)] {
            None => (
                None,
                format!(
                    "{kind} in the last {}",
                    crate::render::count(f.valid_days, "day", "days")
                ),
            ),
            Some(v) => {
                let met = above.is_some_and(|a| v > a) || below.is_some_and(|b| v < b);
                (Some(met), format!("{kind} {v} {}", kind.unit()))
            }
        },
        Cond::Invalid => (None, "a valid condition (check the config)".into()),
    }
}

/// Kleene AND (`is_and`) or OR over the checked conditions.
fn combine(results: &[(Option<bool>, String)], is_and: bool) -> Option<bool> {
    let (dominant, other) = if is_and { (false, true) } else { (true, false) };
    if results.iter().any(|r| r.0 == Some(dominant)) {
        Some(dominant)
    } else if results.iter().any(|r| r.0.is_none()) {
        None
    } else {
        Some(other)
    }
}

pub(crate) fn evaluate(rule: &PreparedRule, f: &Facts<'_, '_>) -> Outcome {
    if !rule.enabled {
        return Outcome::Quiet;
    }
    let all: Vec<_> = rule.all.iter().map(|c| check(c, f)).collect();
    let any: Vec<_> = rule.any.iter().map(|c| check(c, f)).collect();
    let a = if all.is_empty() {
        Some(true)
    } else {
        combine(&all, true)
    };
    let o = if any.is_empty() {
        Some(true)
    } else {
        combine(&any, false)
    };
    let result = combine(&[(a, String::new()), (o, String::new())], true);
    match result {
        Some(true) => {
            let seen: Vec<&str> = all
                .iter()
                .chain(&any)
                .filter(|r| r.0 == Some(true))
                .map(|r| r.1.as_str())
                .collect();
            Outcome::Fired(Finding {
                rule: rule.id.clone(),
                name: rule.id.clone(),
                level: rule.level,
                message: format!("{} ({})", rule.message.trim(), seen.join(", ")),
                evidence: [
                    ("custom".to_string(), json!(true)),
                    ("matched".to_string(), json!(seen)),
                ]
                .into_iter()
                .collect(),
            })
        }
        Some(false) => Outcome::Quiet,
        None => {
            let mut missing: Vec<&str> = all
                .iter()
                .chain(&any)
                .filter(|r| r.0.is_none())
                .map(|r| r.1.as_str())
                .collect();
            missing.dedup();
            Outcome::Skipped(Skipped {
                rule: rule.id.clone(),
                name: rule.id.clone(),
                reason: format!("cannot be decided without {}", missing.join("; ")),
            })
        }
    }
}

/// Patient-defined rules.
pub(super) fn evaluate_all<'x>(ctx: &Ctx<'x, '_>, out: &mut Out<'x>) {
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
        match evaluate(rule, &facts) {
            Outcome::Fired(f) => {
                out.fire_level(rule.id(), f.level);
                if out.detail {
                    out.findings.push(f);
                }
            }
            Outcome::Skipped(s) => {
                if out.detail {
                    out.skipped.push(s);
                }
            }
            Outcome::Quiet => {}
        }
    }
}
