//! The built-in rules, one file per family (docs/rules.md). Each family
//! holds, side by side, its `[rules.*]` tables with their defaults, their
//! validation, the evaluation of its rules on one day, and their
//! description for `cls rules`.
//!
//! Adding a rule: its [`super::RuleId`], its table in its family's file (and
//! a field of [`super::RulesConfig`]), and the family's four functions.
//! Families run in the order of [`FAMILIES`], which is rule order: a later
//! family may read what an earlier one fired ([`super::day::Out::fired`]).

pub(super) mod data;
pub(super) mod fluid;
pub(super) mod labs;
pub(super) mod meds;
pub(super) mod pressure;
pub(super) mod prodrome;
pub(super) mod recovery;
pub(super) mod weight;

use super::config::RulesConfig;
use super::day::{Ctx, Out};
use super::describe::Builder;
use super::validate::Checked;
use super::{Level, RuleId};

/// A family's four parts.
pub(super) struct Family {
    /// Check its tables (serde has checked the types): the first bad key.
    pub(super) validate: fn(&RulesConfig, &[String]) -> Checked,
    /// Evaluate its rules on one day.
    pub(super) evaluate: fn(&Ctx<'_, '_>, &mut Out<'_>),
    /// Describe its rules for `cls rules`.
    pub(super) describe: fn(&RulesConfig, &mut Builder),
    /// Its rules' on/off switches.
    pub(super) switches: fn(&RulesConfig) -> Vec<Switch>,
}

/// The families, in rule order: D, W, P, L1–L5, L6–L10, H, R, M.
pub(super) const FAMILIES: [Family; 8] = [
    data::FAMILY,
    weight::FAMILY,
    prodrome::FAMILY,
    pressure::FAMILY,
    fluid::FAMILY,
    labs::FAMILY,
    recovery::FAMILY,
    meds::FAMILY,
];

/// A rule's switch: whether it is on, and whether at its configured level
/// (or levels) it could raise an emergency.
pub(super) struct Switch {
    pub(super) rule: RuleId,
    pub(super) enabled: bool,
    pub(super) can_emergency: bool,
}

impl Switch {
    /// A rule with one level.
    pub(super) fn one(rule: RuleId, enabled: bool, level: Level) -> Switch {
        Switch {
            rule,
            enabled,
            can_emergency: level == Level::Emergency,
        }
    }

    /// A rule with bands up to emergency, unless overridden to one level.
    pub(super) fn banded(rule: RuleId, enabled: bool, level: Option<Level>) -> Switch {
        Switch {
            rule,
            enabled,
            can_emergency: level.is_none_or(|l| l == Level::Emergency),
        }
    }
}
