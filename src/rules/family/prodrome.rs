//! P1–P3, the prodrome rules: weight gain with thirst (P1), a cluster of
//! prodrome symptoms (P2, whose symptom list is "the prodrome set"
//! everywhere), and a trigger such as a cold that lowers W1's threshold (P3,
//! a modifier that never fires on its own).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Family, Switch};
use crate::model::Severity;
use crate::rules::config::RulesConfig;
use crate::rules::day::{
    dwt, ev, fire, r3, skip, sym, wt, Ctx, Evidence, Out, Prepared, TriggerHit,
};
use crate::rules::describe::{changed, gain, list, Builder, WIN};
use crate::rules::index::{shift, Index};
use crate::rules::validate::{level, range_f, range_u, severity, symptom_list, Checked, RuleKey};
use crate::rules::{Level, RuleId};
use crate::symptoms;

pub(super) const FAMILY: Family = Family {
    validate,
    evaluate,
    describe,
    switches,
};

/// P1: weight gain (W1 or W4) and thirst.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WeightThirst {
    pub enabled: bool,
    pub level: Level,
    pub min_severity: Severity,
}

impl Default for WeightThirst {
    fn default() -> Self {
        WeightThirst {
            enabled: true,
            level: Level::Warning,
            min_severity: 2,
        }
    }
}

/// P2: several prodrome symptoms at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProdromeCluster {
    pub enabled: bool,
    pub level: Level,
    /// The level when W1's gain is also met.
    pub level_with_gain: Level,
    pub min_count: u32,
    pub min_severity: Severity,
    /// The prodrome set (also used by D3 and custom `prodrome_count`).
    pub symptoms: Vec<String>,
}

impl Default for ProdromeCluster {
    fn default() -> Self {
        ProdromeCluster {
            enabled: true,
            level: Level::Watch,
            level_with_gain: Level::Warning,
            min_count: 2,
            min_severity: 2,
            symptoms: symptoms::PRODROME
                .iter()
                .map(|s| (*s).to_string())
                .collect(),
        }
    }
}

/// P3: a trigger (a cold, fever) lowers W1's threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Trigger {
    pub enabled: bool,
    /// W1's thresholds while a trigger is present.
    pub watch_kg: f64,
    pub watch_pct: f64,
    /// Trigger symptoms count on DATE−days..DATE.
    pub days: u32,
    pub min_severity: Severity,
    pub symptoms: Vec<String>,
}

impl Default for Trigger {
    fn default() -> Self {
        Trigger {
            enabled: true,
            watch_kg: 0.7,
            watch_pct: 1.0,
            days: 2,
            min_severity: 2,
            symptoms: vec!["cold-symptoms".into(), "fever".into()],
        }
    }
}

fn validate(c: &RulesConfig, custom: &[String]) -> Checked {
    let k = |s: &'static str| RuleKey(RuleId::P1, s);
    level(&k("level"), c.weight_thirst.level, false)?;
    severity(&k("min_severity"), c.weight_thirst.min_severity)?;

    let k = |s: &'static str| RuleKey(RuleId::P2, s);
    let p = &c.prodrome_cluster;
    level(&k("level"), p.level, false)?;
    level(&k("level_with_gain"), p.level_with_gain, false)?;
    severity(&k("min_severity"), p.min_severity)?;
    symptom_list(&k("symptoms"), &p.symptoms, custom)?;
    range_u(&k("min_count"), p.min_count, 1, p.symptoms.len() as u32)?;

    let k = |s: &'static str| RuleKey(RuleId::P3, s);
    let t = &c.trigger;
    range_f(&k("watch_kg"), t.watch_kg, 0.0, 20.0)?;
    range_f(&k("watch_pct"), t.watch_pct, 0.0, 30.0)?;
    range_u(&k("days"), t.days, 0, 14)?;
    severity(&k("min_severity"), t.min_severity)?;
    symptom_list(&k("symptoms"), &t.symptoms, custom)
}

/// P3: the worst trigger symptom within DATE−days..DATE (the latest day
/// that has one), which lowers W1's threshold.
pub(in crate::rules) fn trigger_hit<'x>(
    ix: &Index<'_>,
    prep: &'x Prepared,
    date: NaiveDate,
    cfg: &RulesConfig,
) -> Option<TriggerHit<'x>> {
    let t = &cfg.trigger;
    if !t.enabled {
        return None;
    }
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
}

/// P1 and P2.
fn evaluate(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) {
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
            None => skip!(out, RuleId::P1, gain_missing()),
            Some(false) => {}
            Some(true) => match ctx.symptom("thirst") {
                None => skip!(
                    out,
                    RuleId::P1,
                    format!("no symptoms logged {}", ctx.in_48h())
                ),
                Some(s) if s >= p1.min_severity => {
                    fire!(
                        out,
                        RuleId::P1,
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
                RuleId::P2,
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
                    RuleId::P2,
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

fn describe(c: &RulesConfig, b: &mut Builder) {
    let p1 = &c.weight_thirst;
    let changes = changed(RuleId::P1.name(), p1, &b.defaults.weight_thirst);
    b.add(
        RuleId::P1,
        p1.enabled,
        p1.level.to_string(),
        "weight gain (W1 or W4), thirst",
        format!(
            "weight gain present (W1 or W4) and thirst at severity {} or more {WIN}",
            p1.min_severity
        ),
        changes,
    );
    let p2 = &c.prodrome_cluster;
    let changes = changed(RuleId::P2.name(), p2, &b.defaults.prodrome_cluster);
    b.add(
        RuleId::P2,
        p2.enabled,
        format!(
            "{}; {} with weight gain present (W1 or W4)",
            p2.level,
            p2.level.max(p2.level_with_gain)
        ),
        "prodrome-set symptoms, weight gain (W1 or W4)",
        format!(
            "at least {} distinct symptoms of the prodrome set at severity {} or more {WIN}: {}",
            p2.min_count,
            p2.min_severity,
            list(&p2.symptoms)
        ),
        changes,
    );
    let t = &c.trigger;
    let changes = changed(RuleId::P3.name(), t, &b.defaults.trigger);
    b.add(
        RuleId::P3,
        t.enabled,
        "modifier".into(),
        "trigger symptoms",
        format!(
            "{} at severity {} or more on the day or the {} days before: W1 (and so P1 and P2's upgrade) uses {} instead",
            list(&t.symptoms),
            t.min_severity,
            t.days,
            gain(c, t.watch_kg, t.watch_pct, "the baseline")
        ),
        changes,
    );
}

fn switches(c: &RulesConfig) -> Vec<Switch> {
    let p2 = &c.prodrome_cluster;
    vec![
        Switch::one(RuleId::P1, c.weight_thirst.enabled, c.weight_thirst.level),
        Switch::one(RuleId::P2, p2.enabled, p2.level_with_gain.max(p2.level)),
        Switch {
            rule: RuleId::P3,
            enabled: c.trigger.enabled,
            can_emergency: false,
        },
    ]
}
