//! The rule configuration: every threshold, window and level of the default
//! rule set (docs/rules.md), overridable per patient in `[rules.*]` tables,
//! plus patient-defined `[[rules.custom]]` rules.
//!
//! Every table is `#[serde(default, deny_unknown_fields)]`, so a patient only
//! writes the keys they change and a misspelt key is an error, never ignored.
//! Each table is defined, with its default and its checks, in its rule's
//! family ([`super::family`]); [`RulesConfig::validate`] runs the families'
//! checks in rule order and returns the first [`ValidationError`], which
//! names the key.

use serde::{Deserialize, Serialize};

pub use super::custom::{Condition, CustomRule};
pub use super::family::data::{NoBaseline, Stale, WeighNow};
pub use super::family::fluid::{Breathing, LeakCombo, LowUrine, Swelling, Syncope};
pub use super::family::labs::{Albumin, Hemoconcentration, Labs};
pub use super::family::meds::MedOverdue;
pub use super::family::pressure::{
    BpBaseline, Hypotension, LowBp, Orthostatic, ShockIndex, Tachycardia,
};
pub use super::family::prodrome::{ProdromeCluster, Trigger, WeightThirst};
pub use super::family::recovery::Recruitment;
pub use super::family::weight::{OvernightJump, SustainedGain, WeightGain, WeightGainLarge};
use super::family::FAMILIES;
use super::validate::ValidationError;
use super::DisabledRule;
use crate::input::WeightUnit;
use crate::model::DayStart;
use crate::symptoms;

/// Thresholds, windows and levels of every rule, overridable per patient.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RulesConfig {
    /// The clinician's target ("dry") weight in kg: W4's reference when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dry_weight_kg: Option<f64>,
    /// Accepted here too; `[diary] day_starts_at` is where it belongs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day_starts_at: Option<String>,
    /// When a logical day starts: `[diary] day_starts_at`, resolved by
    /// [`crate::Config`] (not a `[rules]` key).
    #[serde(skip)]
    pub day_start: DayStart,
    /// The unit weights are shown in (`[units] weight`), resolved by
    /// [`crate::Config`].
    #[serde(skip)]
    pub unit: WeightUnit,
    /// D1: no weight baseline (also owns the baseline window for W1, W2, P1).
    pub no_baseline: NoBaseline,
    /// D2: nothing logged recently.
    pub stale: Stale,
    /// D3: prodrome symptoms today but no weight today.
    pub weigh_now: WeighNow,
    /// W1.
    pub weight_gain: WeightGain,
    /// W2.
    pub weight_gain_large: WeightGainLarge,
    /// W3.
    pub overnight_jump: OvernightJump,
    /// W4.
    pub sustained_gain: SustainedGain,
    /// P1.
    pub weight_thirst: WeightThirst,
    /// P2 (its symptom list is "the prodrome set" everywhere).
    pub prodrome_cluster: ProdromeCluster,
    /// P3 (a modifier of W1).
    pub trigger: Trigger,
    /// The systolic baseline used by L1 and L2.
    pub bp_baseline: BpBaseline,
    /// L1.
    pub hypotension: Hypotension,
    /// L2.
    pub low_bp: LowBp,
    /// L3.
    pub orthostatic: Orthostatic,
    /// L4.
    pub shock_index: ShockIndex,
    /// L5.
    pub tachycardia: Tachycardia,
    /// L6.
    pub syncope: Syncope,
    /// L7.
    pub low_urine: LowUrine,
    /// L8.
    pub leak_combo: LeakCombo,
    /// L9.
    pub breathing: Breathing,
    /// L10.
    pub swelling: Swelling,
    /// How long a lab value counts and how far back its baseline reaches (H1, H2).
    pub labs: Labs,
    /// H1.
    pub hemoconcentration: Hemoconcentration,
    /// H2.
    pub albumin: Albumin,
    /// R1.
    pub recruitment: Recruitment,
    /// M1.
    pub med_overdue: MedOverdue,
    /// Patient-defined rules.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub custom: Vec<CustomRule>,
}

/// Resolve a configured symptom name the way the diary stores it. The custom
/// list is not needed here: an unknown name was rejected by `validate`, and
/// custom names are stored normalized.
pub(crate) fn symptom_key(name: &str) -> String {
    symptoms::resolve(name, &[]).unwrap_or_else(|_| symptoms::normalize(name))
}

impl RulesConfig {
    /// The rules switched off in this config, in rule order, then the
    /// patient's rules.
    pub fn disabled(&self) -> Vec<DisabledRule> {
        let mut out: Vec<DisabledRule> = FAMILIES
            .iter()
            .flat_map(|f| (f.switches)(self))
            .filter(|s| !s.enabled)
            .map(|s| DisabledRule {
                rule: s.rule.code().into(),
                name: s.rule.name().into(),
                can_emergency: s.can_emergency,
            })
            .collect();
        out.extend(
            self.custom
                .iter()
                .filter(|c| !c.enabled)
                .map(|c| DisabledRule {
                    rule: c.id.clone(),
                    name: c.id.clone(),
                    can_emergency: c.level == super::Level::Emergency,
                }),
        );
        out
    }

    /// Checks serde cannot express, family by family in rule order, then the
    /// patient's rules: the first failure, naming its key.
    pub fn validate(&self, custom_symptoms: &[String]) -> Result<(), ValidationError> {
        for f in &FAMILIES {
            (f.validate)(self, custom_symptoms)?;
        }
        let mut ids: Vec<String> = Vec::new();
        for (i, rule) in self.custom.iter().enumerate() {
            super::custom::validate_custom(i, rule, custom_symptoms, &ids)?;
            ids.push(rule.id.to_ascii_lowercase());
        }
        Ok(())
    }
}
