//! D1–D3, the data rules: no weight baseline, nothing logged recently, and
//! prodrome symptoms without a weight. D1 and D2 are what keep missing data
//! from ever reading as `ok`: they raise `unknown`, and cannot be turned off.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{Family, Switch};
use crate::model::{DayStart, Severity};
use crate::rules::config::RulesConfig;
use crate::rules::day::{ev, fire, n_days, note, sym, wt, Ctx, Out};
use crate::rules::describe::{changed, Builder, WIN};
use crate::rules::index::{days_between, shift};
use crate::rules::validate::{
    level, range_f, range_u, severity, Checked, Key, Problem, RuleKey, ValidationError,
};
use crate::rules::{Level, RuleId};

pub(super) const FAMILY: Family = Family {
    validate,
    evaluate,
    describe,
    switches,
};

/// D1. Always on: missing data must never read as `ok`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NoBaseline {
    /// Must stay `true` (validation refuses `false`).
    pub enabled: bool,
    pub level: Level,
    /// The baseline is the median of the day weights of this many most
    /// recent weighed days before the weight's day...
    pub days: u32,
    /// ...looking back at most this many days, and leaving out the days of
    /// recorded episodes.
    pub lookback_days: u32,
    /// Day weights needed.
    pub min_weights: u32,
}

impl Default for NoBaseline {
    fn default() -> Self {
        NoBaseline {
            enabled: true,
            level: Level::Unknown,
            days: 7,
            lookback_days: 28,
            min_weights: 4,
        }
    }
}

/// D2. Always on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Stale {
    /// Must stay `true` (validation refuses `false`).
    pub enabled: bool,
    pub level: Level,
    /// Fires when nothing is logged in the last `days` days (DATE included).
    pub days: u32,
}

impl Default for Stale {
    fn default() -> Self {
        Stale {
            enabled: true,
            level: Level::Unknown,
            days: 2,
        }
    }
}

/// D3.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WeighNow {
    pub enabled: bool,
    pub level: Level,
    pub min_severity: Severity,
}

impl Default for WeighNow {
    fn default() -> Self {
        WeighNow {
            enabled: true,
            level: Level::Watch,
            min_severity: 2,
        }
    }
}

fn validate(c: &RulesConfig, _custom: &[String]) -> Checked {
    let k = |s: &'static str| RuleKey(RuleId::D1, s);
    // D1, D2: never off.
    if !c.no_baseline.enabled {
        return Err(ValidationError::new(
            &k("enabled"),
            Problem::AlwaysOn("without a weight baseline cls cannot say 'ok'"),
        ));
    }
    level(&k("level"), c.no_baseline.level, true)?;
    range_u(&k("days"), c.no_baseline.days, 2, 60)?;
    range_u(
        &k("lookback_days"),
        c.no_baseline.lookback_days,
        c.no_baseline.days,
        120,
    )
    .map_err(|e| e.hint("at least no_baseline.days"))?;
    range_u(
        &k("min_weights"),
        c.no_baseline.min_weights,
        1,
        c.no_baseline.days,
    )?;
    // The top-level keys, checked here so that errors keep their order.
    if let Some(w) = c.dry_weight_kg {
        let (lo, hi) = crate::input::WEIGHT_KG;
        range_f(&Key("dry_weight_kg"), w, lo, hi)?;
    }
    if let Some(s) = &c.day_starts_at {
        DayStart::parse(s)
            .map_err(|e| ValidationError::new(&Key("day_starts_at"), Problem::Invalid(e)))?;
    }
    let k = |s: &'static str| RuleKey(RuleId::D2, s);
    if !c.stale.enabled {
        return Err(ValidationError::new(
            &k("enabled"),
            Problem::AlwaysOn("missing data must never read as 'ok'"),
        ));
    }
    level(&k("level"), c.stale.level, true)?;
    range_u(&k("days"), c.stale.days, 1, 30)?;

    let k = |s: &'static str| RuleKey(RuleId::D3, s);
    level(&k("level"), c.weigh_now.level, false)?;
    severity(&k("min_severity"), c.weigh_now.min_severity)
}

/// D1, D2, D3 and the "weigh yourself" note.
fn evaluate(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) {
    let cfg = ctx.cfg;
    let date = ctx.date;

    // D2 (always on): nothing logged in the last `days` days.
    let s = &cfg.stale;
    let window = i64::from(s.days);
    let logged = (0..window).any(|k| ctx.ix.day(shift(date, -k)).has_entries());
    if !logged {
        fire!(out, RuleId::D2, s.level, {
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
            RuleId::D1,
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
            RuleId::D1,
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
                RuleId::D3,
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

fn describe(c: &RulesConfig, b: &mut Builder) {
    let nb = &c.no_baseline;
    let changes = changed(RuleId::D1.name(), nb, &b.defaults.no_baseline);
    b.add(
        RuleId::D1,
        nb.enabled,
        nb.level.to_string(),
        "day weights",
        format!(
            "no weight on the day or the day before, or fewer than {} day weights among the {} most recent weighed days in the {} days before it, episode days left out (the baseline is their median); weight rules are then skipped, the others still run; cannot be turned off",
            nb.min_weights, nb.days, nb.lookback_days
        ),
        changes,
    );
    let s = &c.stale;
    let changes = changed(RuleId::D2.name(), s, &b.defaults.stale);
    b.add(
        RuleId::D2,
        s.enabled,
        s.level.to_string(),
        "any diary entry",
        format!(
            "nothing logged in the last {}, the evaluation day included; cannot be turned off",
            crate::render::count(s.days, "day", "days")
        ),
        changes,
    );
    let w = &c.weigh_now;
    let changes = changed(RuleId::D3.name(), w, &b.defaults.weigh_now);
    b.add(
        RuleId::D3,
        w.enabled,
        w.level.to_string(),
        "prodrome-set symptoms, weight",
        format!(
            "a prodrome-set symptom at severity {} or more {WIN} and no weight on the day (\"weigh yourself now\")",
            w.min_severity
        ),
        changes,
    );
}

fn switches(c: &RulesConfig) -> Vec<Switch> {
    vec![
        Switch {
            rule: RuleId::D1,
            enabled: c.no_baseline.enabled,
            can_emergency: false,
        },
        Switch {
            rule: RuleId::D2,
            enabled: c.stale.enabled,
            can_emergency: false,
        },
        Switch::one(RuleId::D3, c.weigh_now.enabled, c.weigh_now.level),
    ]
}
