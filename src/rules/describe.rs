//! `cls rules`: every rule with its inputs and, in words, when it fires with
//! the thresholds currently configured, plus the keys changed from the
//! defaults. Each family describes its own rules ([`super::family`]); this
//! file holds what they share and the patient's rules.

use serde::Serialize;

use super::config::RulesConfig;
use super::custom::describe_condition;
use super::family::FAMILIES;
use super::{Level, RuleId, RuleInfo};

/// "in the 24-hour window", as the rules' texts say it.
pub(super) const WIN: &str = "in the 24-hour window";
/// How the reading rules fall back when the window has no reading.
pub(super) const FALLBACK: &str =
    "with no reading in the window, the latest of the 24 hours before counts";

/// `section.key = value` for every key of `cur` that differs from `def`.
pub(super) fn changed<T: Serialize>(section: &str, cur: &T, def: &T) -> Vec<String> {
    let (Ok(toml::Value::Table(cur)), Ok(toml::Value::Table(def))) =
        (toml::Value::try_from(cur), toml::Value::try_from(def))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in &cur {
        if def.get(k) != Some(v) {
            out.push(format!("{section}.{k} = {v}"));
        }
    }
    for k in def.keys() {
        if !cur.contains_key(k) {
            out.push(format!("{section}.{k} unset"));
        }
    }
    out
}

/// `key = value` for a top-level `[rules]` key that differs from its default.
pub(super) fn changed_top(key: &str, cur: Option<f64>, def: Option<f64>) -> Vec<String> {
    match (cur, def) {
        (c, d) if c == d => Vec::new(),
        (Some(v), _) => vec![format!("{key} = {}", toml::Value::Float(v))],
        (None, _) => vec![format!("{key} unset")],
    }
}

pub(super) fn pct(x: f64) -> String {
    format!("{x}%")
}

pub(super) fn band_level(overridden: Option<Level>, bands: &str) -> String {
    match overridden {
        Some(l) => format!("{l} (overridden)"),
        None => bands.to_string(),
    }
}

pub(super) fn list(v: &[String]) -> String {
    v.join(", ")
}

/// A weight in the configured unit.
pub(super) fn wt(c: &RulesConfig, kg: f64) -> String {
    crate::render::weight(kg, c.unit)
}

/// "max(1.0 kg, 1.5% of the baseline)"
pub(super) fn gain(c: &RulesConfig, kg: f64, p: f64, of: &str) -> String {
    format!("max({}, {} of {of})", wt(c, kg), pct(p))
}

/// The rules described so far, and the defaults to tell changed keys by.
pub(super) struct Builder {
    pub(super) out: Vec<RuleInfo>,
    pub(super) defaults: RulesConfig,
}

impl Builder {
    pub(super) fn add(
        &mut self,
        rule: RuleId,
        enabled: bool,
        level: String,
        inputs: &str,
        fires_when: String,
        changed: Vec<String>,
    ) {
        self.out.push(RuleInfo {
            rule: rule.code().into(),
            name: rule.name().into(),
            enabled,
            level,
            inputs: inputs.into(),
            fires_when,
            changed,
        });
    }
}

/// One [`RuleInfo`] per rule, built-in rules first (in rule order), then
/// the patient's rules. Weights are shown in the configured unit.
pub fn describe(cfg: &RulesConfig) -> Vec<RuleInfo> {
    let mut b = Builder {
        out: Vec::new(),
        defaults: RulesConfig::default(),
    };
    for f in &FAMILIES {
        (f.describe)(cfg, &mut b);
    }
    for r in &cfg.custom {
        let cond = |v: &[super::Condition]| -> String {
            v.iter()
                .map(describe_condition)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut when = Vec::new();
        if !r.all.is_empty() {
            when.push(format!("all of: {}", cond(&r.all)));
        }
        if !r.any.is_empty() {
            when.push(format!("any of: {}", cond(&r.any)));
        }
        b.out.push(RuleInfo {
            rule: r.id.clone(),
            name: r.id.clone(),
            enabled: r.enabled,
            level: r.level.to_string(),
            inputs: "patient rule".into(),
            fires_when: format!("{}; says \"{}\"", when.join("; and "), r.message),
            changed: Vec::new(),
        });
    }
    b.out
}
