//! R1, the recovery rule: fluid coming back into the vessels after an
//! attack, judged only inside the recovery window that follows an episode
//! or an emergency day.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Family, Switch};
use crate::model::{Episode, Severity};
use crate::rules::config::RulesConfig;
use crate::rules::day::{
    banded, dwt, ev, fire, note, or_max, r3, sym, threshold, wt, Ctx, Out, EPS,
};
use crate::rules::describe::{band_level, changed, gain, Builder, WIN};
use crate::rules::index::{days_between, shift};
use crate::rules::validate::{opt_level, range_f, range_u, severity, Checked, RuleKey};
use crate::rules::{Level, RuleId};

pub(super) const FAMILY: Family = Family {
    validate,
    evaluate,
    describe,
    switches,
};

/// R1: fluid coming back into the vessels after an attack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Recruitment {
    pub enabled: bool,
    /// Unset: watch, warning or emergency by band; set: every finding at this level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// The recovery window: from an episode's start to this many days after
    /// its end (an open episode keeps it open), and this many days after an
    /// emergency day outside an episode.
    pub window_days: u32,
    /// 24 h weight loss ≥ max(loss_kg, loss_pct %).
    pub loss_kg: f64,
    pub loss_pct: f64,
    /// For polyuria, breathlessness and orthopnea.
    pub min_severity: Severity,
}

impl Default for Recruitment {
    fn default() -> Self {
        Recruitment {
            enabled: true,
            level: None,
            window_days: 14,
            loss_kg: 1.0,
            loss_pct: 1.5,
            min_severity: 2,
        }
    }
}

/// Why DATE is in a recovery window.
#[derive(Debug, Clone, Copy)]
pub(in crate::rules) enum Recovery {
    Episode { id: i64, start: NaiveDate },
    Emergency(NaiveDate),
}

/// The recovery window (docs/rules.md): from an episode's start to
/// `window_days` after its end (an open episode keeps it open), or the
/// `window_days` after an emergency day outside an episode.
pub(in crate::rules) fn source(
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

fn validate(c: &RulesConfig, _custom: &[String]) -> Checked {
    let k = |s: &'static str| RuleKey(RuleId::R1, s);
    let r = &c.recruitment;
    opt_level(&k("level"), r.level)?;
    range_u(&k("window_days"), r.window_days, 1, 90)?;
    range_f(&k("loss_kg"), r.loss_kg, 0.0, 20.0)?;
    range_f(&k("loss_pct"), r.loss_pct, 0.0, 30.0)?;
    severity(&k("min_severity"), r.min_severity)
}

/// R1, only inside the recovery window.
fn evaluate(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) {
    let Some(source) = ctx.recovery else {
        return;
    };
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
            fire!(out, RuleId::R1, banded(c.level, band), {
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
            out.skip(RuleId::R1, format!("{}: {}", why(), missing.join("; ")));
        }
        None => {}
    }
}

fn describe(c: &RulesConfig, b: &mut Builder) {
    let r1 = &c.recruitment;
    let changes = changed(RuleId::R1.name(), r1, &b.defaults.recruitment);
    b.add(
        RuleId::R1,
        r1.enabled,
        band_level(r1.level, "watch / warning / emergency"),
        "polyuria, breathlessness, orthopnea, day weights",
        format!(
            "only in the recovery window, from an episode's start to {w} days after its end (an open episode keeps it open) and the {w} days after an emergency day outside an episode: emergency on polyuria with breathlessness or orthopnea (severity {m}+ {WIN}; no weight needed); warning on breathlessness or orthopnea alone; watch when the day weight falls at least {} since the day before, with polyuria",
            gain(c, r1.loss_kg, r1.loss_pct, "the day before's"),
            w = r1.window_days,
            m = r1.min_severity
        ),
        changes,
    );
}

fn switches(c: &RulesConfig) -> Vec<Switch> {
    vec![Switch::banded(
        RuleId::R1,
        c.recruitment.enabled,
        c.recruitment.level,
    )]
}
