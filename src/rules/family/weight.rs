//! W1–W4, the weight rules: gain over the baseline (W1, and W2 its larger
//! band), an overnight jump (W3), and a gain that stays up over weeks (W4).
//! The baseline and W4's reference are computed once, in
//! [`crate::rules::baseline`].

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Family, Switch};
use crate::rules::config::RulesConfig;
use crate::rules::day::{dwt, ev, fire, note, r3, skip, sym, threshold, wt, Ctx, Out, EPS};
use crate::rules::describe::{changed, changed_top, gain, Builder};
use crate::rules::index::shift;
use crate::rules::validate::{level, range_f, range_u, Checked, RuleKey};
use crate::rules::{Level, RuleId};

pub(super) const FAMILY: Family = Family {
    validate,
    evaluate,
    describe,
    switches,
};

/// W1: gain over the baseline ≥ max(watch_kg, watch_pct % of baseline).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WeightGain {
    pub enabled: bool,
    pub level: Level,
    pub watch_kg: f64,
    pub watch_pct: f64,
}

impl Default for WeightGain {
    fn default() -> Self {
        WeightGain {
            enabled: true,
            level: Level::Watch,
            watch_kg: 1.0,
            watch_pct: 1.5,
        }
    }
}

/// W2: gain over the baseline ≥ max(warning_kg, warning_pct %).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WeightGainLarge {
    pub enabled: bool,
    pub level: Level,
    pub warning_kg: f64,
    pub warning_pct: f64,
}

impl Default for WeightGainLarge {
    fn default() -> Self {
        WeightGainLarge {
            enabled: true,
            level: Level::Warning,
            warning_kg: 2.0,
            warning_pct: 3.0,
        }
    }
}

/// W3: day weight minus the previous day's ≥ max(watch_kg, watch_pct % of it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OvernightJump {
    pub enabled: bool,
    pub level: Level,
    pub watch_kg: f64,
    pub watch_pct: f64,
}

impl Default for OvernightJump {
    fn default() -> Self {
        OvernightJump {
            enabled: true,
            level: Level::Watch,
            watch_kg: 1.0,
            watch_pct: 1.5,
        }
    }
}

/// W4: the median of the last `recent_days` day weights over a reference
/// weight ≥ max(watch_kg, watch_pct % of it). The reference is
/// `[rules] dry_weight_kg` when set, else the median of the day weights on
/// DATE−`reference_from_days`..DATE−`reference_to_days` (episode days left out).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SustainedGain {
    pub enabled: bool,
    pub level: Level,
    pub watch_kg: f64,
    pub watch_pct: f64,
    /// DATE−(recent_days−1)..DATE.
    pub recent_days: u32,
    /// Day weights needed in those days.
    pub min_recent: u32,
    pub reference_from_days: u32,
    pub reference_to_days: u32,
    /// Day weights needed in the reference days.
    pub min_reference: u32,
}

impl Default for SustainedGain {
    fn default() -> Self {
        SustainedGain {
            enabled: true,
            level: Level::Watch,
            watch_kg: 1.0,
            watch_pct: 1.5,
            recent_days: 3,
            min_recent: 2,
            reference_from_days: 35,
            reference_to_days: 8,
            min_reference: 4,
        }
    }
}

fn validate(c: &RulesConfig, _custom: &[String]) -> Checked {
    let k = |s: &'static str| RuleKey(RuleId::W1, s);
    level(&k("level"), c.weight_gain.level, false)?;
    range_f(&k("watch_kg"), c.weight_gain.watch_kg, 0.0, 20.0)?;
    range_f(&k("watch_pct"), c.weight_gain.watch_pct, 0.0, 30.0)?;
    let k = |s: &'static str| RuleKey(RuleId::W2, s);
    level(&k("level"), c.weight_gain_large.level, false)?;
    // W2 is the larger gain: below W1 it could never fire (W1 holds it).
    range_f(
        &k("warning_kg"),
        c.weight_gain_large.warning_kg,
        c.weight_gain.watch_kg,
        20.0,
    )
    .map_err(|e| e.hint("at or above weight_gain.watch_kg"))?;
    range_f(
        &k("warning_pct"),
        c.weight_gain_large.warning_pct,
        c.weight_gain.watch_pct,
        30.0,
    )
    .map_err(|e| e.hint("at or above weight_gain.watch_pct"))?;
    let k = |s: &'static str| RuleKey(RuleId::W3, s);
    level(&k("level"), c.overnight_jump.level, false)?;
    range_f(&k("watch_kg"), c.overnight_jump.watch_kg, 0.0, 20.0)?;
    range_f(&k("watch_pct"), c.overnight_jump.watch_pct, 0.0, 30.0)?;

    let k = |s: &'static str| RuleKey(RuleId::W4, s);
    let w = &c.sustained_gain;
    level(&k("level"), w.level, false)?;
    range_f(&k("watch_kg"), w.watch_kg, 0.0, 20.0)?;
    range_f(&k("watch_pct"), w.watch_pct, 0.0, 30.0)?;
    range_u(&k("recent_days"), w.recent_days, 1, 14)?;
    range_u(&k("min_recent"), w.min_recent, 1, w.recent_days)?;
    range_u(
        &k("reference_to_days"),
        w.reference_to_days,
        w.recent_days,
        120,
    )
    .map_err(|e| e.hint("at least sustained_gain.recent_days"))?;
    range_u(
        &k("reference_from_days"),
        w.reference_from_days,
        w.reference_to_days,
        180,
    )
    .map_err(|e| e.hint("at least sustained_gain.reference_to_days"))?;
    range_u(
        &k("min_reference"),
        w.min_reference,
        1,
        w.reference_from_days - w.reference_to_days + 1,
    )
}

/// W1, W2, W3, W4 and the P3 note.
fn evaluate(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) {
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
                RuleId::W2,
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
            fire!(out, RuleId::W1, w1c.level, {
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
            out.skip(RuleId::W1, &reason);
        }
        if w2c.enabled {
            out.skip(RuleId::W2, &reason);
        }
    }

    if w3c.enabled {
        match (ctx.weight, ctx.overnight) {
            (None, _) => skip!(out, RuleId::W3, ctx.no_weight_reason()),
            (Some(w), None) => skip!(
                out,
                RuleId::W3,
                format!(
                    "no weight on {} to compare {}'s with",
                    shift(w.date, -1),
                    w.date
                ),
            ),
            (Some(w), Some((prev, change))) => {
                let thr = threshold(w3c.watch_kg, w3c.watch_pct, prev);
                if change >= thr - EPS {
                    fire!(out, RuleId::W3, w3c.level, {
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
                    skip!(out, RuleId::W4, why.clone());
                }
            }
            Some(s) if s.kg >= s.threshold - EPS => {
                fire!(out, RuleId::W4, w4c.level, {
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

fn describe(c: &RulesConfig, b: &mut Builder) {
    let baseline_input = format!(
        "baseline (median of the last {} weighed days)",
        c.no_baseline.days
    );
    let w1 = &c.weight_gain;
    let changes = changed(RuleId::W1.name(), w1, &b.defaults.weight_gain);
    b.add(
        RuleId::W1,
        w1.enabled,
        w1.level.to_string(),
        &format!("day weight (the day's first), {baseline_input}"),
        format!(
            "the day weight is at least {} over the baseline (lowered by P3 after a trigger); uses the day before's weight until you weigh",
            gain(c, w1.watch_kg, w1.watch_pct, "the baseline")
        ),
        changes,
    );
    let w2 = &c.weight_gain_large;
    let changes = changed(RuleId::W2.name(), w2, &b.defaults.weight_gain_large);
    b.add(
        RuleId::W2,
        w2.enabled,
        w2.level.to_string(),
        &format!("day weight, {baseline_input}"),
        format!(
            "the day weight is at least {} over the baseline; uses the day before's weight until you weigh",
            gain(c, w2.warning_kg, w2.warning_pct, "the baseline")
        ),
        changes,
    );
    let w3 = &c.overnight_jump;
    let changes = changed(RuleId::W3.name(), w3, &b.defaults.overnight_jump);
    b.add(
        RuleId::W3,
        w3.enabled,
        w3.level.to_string(),
        "day weights of two days in a row",
        format!(
            "the day weight is at least {} over the previous day's",
            gain(c, w3.watch_kg, w3.watch_pct, "the previous day's")
        ),
        changes,
    );
    let w4 = &c.sustained_gain;
    let over = match c.dry_weight_kg {
        Some(dry) => format!(
            "{} over your dry weight {} (dry_weight_kg)",
            gain(c, w4.watch_kg, w4.watch_pct, "the dry weight"),
            crate::rules::describe::wt(c, dry)
        ),
        None => format!(
            "{} over the reference, the median day weight {} to {} days before (at least {} weighed, episode days left out); set dry_weight_kg to measure from your dry weight instead",
            gain(c, w4.watch_kg, w4.watch_pct, "the reference"),
            w4.reference_from_days,
            w4.reference_to_days,
            w4.min_reference
        ),
    };
    let changes = [
        changed(RuleId::W4.name(), w4, &b.defaults.sustained_gain),
        changed_top("dry_weight_kg", c.dry_weight_kg, b.defaults.dry_weight_kg),
    ]
    .concat();
    b.add(
        RuleId::W4,
        w4.enabled,
        w4.level.to_string(),
        "day weights, dry weight (dry_weight_kg) when set",
        format!(
            "the median day weight of the last {} days (at least {} weighed) is at least {over}",
            w4.recent_days, w4.min_recent
        ),
        changes,
    );
}

fn switches(c: &RulesConfig) -> Vec<Switch> {
    vec![
        Switch::one(RuleId::W1, c.weight_gain.enabled, c.weight_gain.level),
        Switch::one(
            RuleId::W2,
            c.weight_gain_large.enabled,
            c.weight_gain_large.level,
        ),
        Switch::one(RuleId::W3, c.overnight_jump.enabled, c.overnight_jump.level),
        Switch::one(RuleId::W4, c.sustained_gain.enabled, c.sustained_gain.level),
    ]
}
