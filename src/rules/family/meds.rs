//! M1, the medication rule: a scheduled medication or infusion (config
//! `[[medications]]`, e.g. IVIG every 28 days) whose last recorded dose is
//! overdue. The schedule's type lives here, beside the rule that reads it;
//! the app's config re-exports it.

use serde::{Deserialize, Serialize};

use super::{Family, Switch};
use crate::rules::config::RulesConfig;
use crate::rules::day::{ev, fire, n_days, note, skip, Ctx, Out};
use crate::rules::describe::{changed, Builder};
use crate::rules::index::{days_between, shift};
use crate::rules::validate::{level, Checked, RuleKey};
use crate::rules::{Level, RuleId};

pub(super) const FAMILY: Family = Family {
    validate,
    evaluate,
    describe,
    switches,
};

/// A medication or infusion taken on a schedule (e.g. IVIG every 28 days).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduledMed {
    /// Matches the NAME of `cls log --med NAME[:DOSE]` (case-insensitive).
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose: Option<String>,
    pub every_days: u32,
    /// Days past due before the overdue rule fires.
    #[serde(default = "default_grace")]
    pub grace_days: u32,
}

fn default_grace() -> u32 {
    3
}

/// Largest `every_days + grace_days` a scheduled medication may have
/// (the app's config checks 1–365 and 0–60); M1 needs that much history.
pub(crate) const MAX_MED_INTERVAL_DAYS: i64 = 365 + 60;

/// M1: a scheduled medication (config `[[medications]]`) is overdue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MedOverdue {
    pub enabled: bool,
    pub level: Level,
}

impl Default for MedOverdue {
    fn default() -> Self {
        MedOverdue {
            enabled: true,
            level: Level::Watch,
        }
    }
}

fn validate(c: &RulesConfig, _custom: &[String]) -> Checked {
    level(&RuleKey(RuleId::M1, "level"), c.med_overdue.level, false)
}

/// M1: each scheduled medication's last recorded dose.
fn evaluate(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) {
    let c = &ctx.cfg.med_overdue;
    if !c.enabled {
        return;
    }
    for (m, dates) in ctx.schedule.iter().zip(&ctx.ix.meds) {
        let n = dates.partition_point(|d| *d <= ctx.date);
        let Some(&last) = dates[..n].last() else {
            skip!(
                out,
                RuleId::M1,
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
                RuleId::M1,
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

fn describe(c: &RulesConfig, b: &mut Builder) {
    let m1 = &c.med_overdue;
    let changes = changed(RuleId::M1.name(), m1, &b.defaults.med_overdue);
    b.add(
        RuleId::M1,
        m1.enabled,
        m1.level.to_string(),
        "--med doses, the [[medications]] schedule",
        "a scheduled medication's last recorded dose is more than every_days + grace_days ago"
            .into(),
        changes,
    );
}

fn switches(c: &RulesConfig) -> Vec<Switch> {
    vec![Switch::one(
        RuleId::M1,
        c.med_overdue.enabled,
        c.med_overdue.level,
    )]
}
