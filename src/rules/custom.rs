//! Patient-defined rules (`[[rules.custom]]`): a list of conditions joined by
//! `all` (AND) and `any` (OR), evaluated with three-valued logic. A condition
//! whose input is missing is "undecided"; when the rule's outcome depends on
//! an undecided condition the rule is reported as skipped, never as passing.

use chrono::NaiveDate;
use serde_json::json;

use super::config::{symptom_key, Condition, CustomRule};
use super::index::{lab_slot, SymView};
use super::{Finding, Level, Skipped};
use crate::model::{severity_word, LabKind, Severity, DEFAULT_SEVERITY};

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
    const EPS: f64 = super::engine::EPS;
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
