//! The rule configuration: every threshold, window and level of the default
//! rule set (clinical.md §3), overridable per patient in `[rules.*]` tables,
//! plus patient-defined `[[rules.custom]]` rules.
//!
//! Every table is `#[serde(default, deny_unknown_fields)]`, so a patient only
//! writes the keys they change and a misspelt key is an error, never ignored.
//! [`RulesConfig::validate`] checks what serde cannot (ranges, names, levels)
//! and names the rule and key in its message.

use std::fmt::Display;

use serde::{Deserialize, Serialize};

use super::Level;
use crate::input::WeightUnit;
use crate::model::{DayStart, LabKind, Severity};
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

/// The personal systolic baseline of L1 and L2.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BpBaseline {
    /// Median of up to this many sitting readings before the one judged.
    pub readings: u32,
    /// With fewer, only the absolute limits apply.
    pub min_readings: u32,
    /// Readings older than this (before the one judged) are not used.
    pub max_age_days: u32,
}

impl Default for BpBaseline {
    fn default() -> Self {
        BpBaseline {
            readings: 7,
            min_readings: 3,
            max_age_days: 365,
        }
    }
}

/// L1: systolic ≤ max_systolic, or ≥ drop below the baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Hypotension {
    pub enabled: bool,
    pub level: Level,
    pub max_systolic: u16,
    pub drop: u16,
}

impl Default for Hypotension {
    fn default() -> Self {
        Hypotension {
            enabled: true,
            level: Level::Emergency,
            max_systolic: 90,
            drop: 40,
        }
    }
}

/// L2: systolic ≤ max_systolic, or ≥ drop below the baseline (when L1 did not fire).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LowBp {
    pub enabled: bool,
    pub level: Level,
    pub max_systolic: u16,
    pub drop: u16,
}

impl Default for LowBp {
    fn default() -> Self {
        LowBp {
            enabled: true,
            level: Level::Warning,
            max_systolic: 100,
            drop: 20,
        }
    }
}

/// L3: sitting-to-standing drop, or dizziness when standing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Orthostatic {
    pub enabled: bool,
    pub level: Level,
    pub systolic_drop: u16,
    pub diastolic_drop: u16,
    /// Dizziness at this severity in an entry with a standing reading.
    pub min_severity: Severity,
}

impl Default for Orthostatic {
    fn default() -> Self {
        Orthostatic {
            enabled: true,
            level: Level::Warning,
            systolic_drop: 20,
            diastolic_drop: 10,
            min_severity: 2,
        }
    }
}

/// L4: heart rate / systolic of one entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ShockIndex {
    pub enabled: bool,
    /// Unset: warning or emergency by band; set: every finding at this level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    pub warning_at: f64,
    pub emergency_at: f64,
}

impl Default for ShockIndex {
    fn default() -> Self {
        ShockIndex {
            enabled: true,
            level: None,
            warning_at: 0.9,
            emergency_at: 1.0,
        }
    }
}

/// L5: heart rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Tachycardia {
    pub enabled: bool,
    /// Unset: warning or emergency by band; set: every finding at this level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    pub warning_bpm: u16,
    pub emergency_bpm: u16,
}

impl Default for Tachycardia {
    fn default() -> Self {
        Tachycardia {
            enabled: true,
            level: None,
            warning_bpm: 111,
            emergency_bpm: 131,
        }
    }
}

/// L6: fainting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Syncope {
    pub enabled: bool,
    pub level: Level,
    pub min_severity: Severity,
}

impl Default for Syncope {
    fn default() -> Self {
        Syncope {
            enabled: true,
            level: Level::Emergency,
            min_severity: 1,
        }
    }
}

/// L7: `urine less`, or a 24 h total below `below_ml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LowUrine {
    pub enabled: bool,
    pub level: Level,
    pub below_ml: u32,
}

impl Default for LowUrine {
    fn default() -> Self {
        LowUrine {
            enabled: true,
            level: Level::Warning,
            below_ml: 400,
        }
    }
}

/// L8: (swelling OR W2) AND (dizziness OR systolic ≤ max_systolic OR L7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LeakCombo {
    pub enabled: bool,
    pub level: Level,
    /// For swelling and dizziness.
    pub min_severity: Severity,
    pub max_systolic: u16,
}

impl Default for LeakCombo {
    fn default() -> Self {
        LeakCombo {
            enabled: true,
            level: Level::Emergency,
            min_severity: 2,
            max_systolic: 100,
        }
    }
}

/// L9: breathlessness or orthopnea.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Breathing {
    pub enabled: bool,
    /// Unset: warning or emergency by band; set: every finding at this level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// Either symptom at this severity → warning.
    pub warning_severity: Severity,
    /// Either symptom at this severity → emergency.
    pub emergency_severity: Severity,
}

impl Default for Breathing {
    fn default() -> Self {
        Breathing {
            enabled: true,
            level: None,
            warning_severity: 2,
            emergency_severity: 3,
        }
    }
}

/// L10: swelling on its own (when L8 does not fire).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Swelling {
    pub enabled: bool,
    pub level: Level,
    pub min_severity: Severity,
}

impl Default for Swelling {
    fn default() -> Self {
        Swelling {
            enabled: true,
            level: Level::Watch,
            min_severity: 2,
        }
    }
}

/// Lab windows shared by H1 and H2.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Labs {
    /// A lab value counts on its day and the `valid_days − 1` days after.
    pub valid_days: u32,
    /// The baseline is the median of earlier values up to this many days older.
    pub baseline_days: u32,
}

impl Default for Labs {
    fn default() -> Self {
        Labs {
            valid_days: 7,
            baseline_days: 365,
        }
    }
}

/// H1: hemoglobin / hematocrit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Hemoconcentration {
    pub enabled: bool,
    /// Unset: warning or emergency by band; set: every finding at this level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// g/dL above the baseline → warning.
    pub hb_rise_warning: f64,
    /// Hematocrit points above the baseline → warning.
    pub hct_rise_warning: f64,
    /// g/dL above the baseline → emergency.
    pub hb_rise_emergency: f64,
    /// Hematocrit points above the baseline → emergency.
    pub hct_rise_emergency: f64,
    /// Hemoglobin at or above, g/dL → emergency.
    pub hb_emergency: f64,
    /// Hematocrit at or above, % → emergency.
    pub hct_emergency: f64,
}

impl Default for Hemoconcentration {
    fn default() -> Self {
        Hemoconcentration {
            enabled: true,
            level: None,
            hb_rise_warning: 1.5,
            hct_rise_warning: 5.0,
            hb_rise_emergency: 3.0,
            hct_rise_emergency: 9.0,
            hb_emergency: 18.0,
            hct_emergency: 55.0,
        }
    }
}

/// H2: albumin, g/L.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Albumin {
    pub enabled: bool,
    pub level: Level,
    /// The level when H1 fires at warning or above at the same time.
    pub level_with_hemoconcentration: Level,
    /// Albumin below this, g/L.
    pub below: f64,
    /// g/L below the baseline.
    pub drop: f64,
}

impl Default for Albumin {
    fn default() -> Self {
        Albumin {
            enabled: true,
            level: Level::Warning,
            level_with_hemoconcentration: Level::Emergency,
            below: 30.0,
            drop: 5.0,
        }
    }
}

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

/// Ids and names of the built-in rules (custom ids may not reuse them).
pub(crate) const BUILTIN: &[(&str, &str)] = &[
    ("D1", "no_baseline"),
    ("D2", "stale"),
    ("D3", "weigh_now"),
    ("W1", "weight_gain"),
    ("W2", "weight_gain_large"),
    ("W3", "overnight_jump"),
    ("W4", "sustained_gain"),
    ("P1", "weight_thirst"),
    ("P2", "prodrome_cluster"),
    ("P3", "trigger"),
    ("L1", "hypotension"),
    ("L2", "low_bp"),
    ("L3", "orthostatic"),
    ("L4", "shock_index"),
    ("L5", "tachycardia"),
    ("L6", "syncope"),
    ("L7", "low_urine"),
    ("L8", "leak_combo"),
    ("L9", "breathing"),
    ("L10", "swelling"),
    ("H1", "hemoconcentration"),
    ("H2", "albumin"),
    ("R1", "recruitment"),
    ("M1", "med_overdue"),
];

/// Largest `every_days + grace_days` a scheduled medication may have
/// (`config.rs` checks 1–365 and 0–60); M1 needs that much history.
pub(crate) const MAX_MED_INTERVAL_DAYS: i64 = 365 + 60;

/// Resolve a configured symptom name the way the diary stores it. The custom
/// list is not needed here: an unknown name was rejected by `validate`, and
/// custom names are stored normalized.
pub(crate) fn symptom_key(name: &str) -> String {
    symptoms::resolve(name, &[]).unwrap_or_else(|_| symptoms::normalize(name))
}

/// A key under `[rules]`, shown as `rules.<key>`.
struct Key(&'static str);

impl Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "rules.{}", self.0)
    }
}

/// Formats a range error the same way everywhere.
fn out_of_range<T: std::fmt::Display>(key: &dyn Display, v: T, lo: T, hi: T) -> String {
    format!("{key}: {v} is out of range: must be {lo}–{hi}")
}

fn range_f(key: &dyn Display, v: f64, lo: f64, hi: f64) -> Result<(), String> {
    if (lo..=hi).contains(&v) {
        Ok(())
    } else {
        Err(out_of_range(key, v, lo, hi))
    }
}

fn range_u<T: PartialOrd + std::fmt::Display + Copy>(
    key: &dyn Display,
    v: T,
    lo: T,
    hi: T,
) -> Result<(), String> {
    if v >= lo && v <= hi {
        Ok(())
    } else {
        Err(out_of_range(key, v, lo, hi))
    }
}

fn severity(key: &dyn Display, v: Severity) -> Result<(), String> {
    range_u(key, v, 1, 3)
}

/// A rule's level may not be `ok` (that would hide it; use `enabled =
/// false`), and only the data rules D1/D2 may use `unknown`.
fn level(key: &dyn Display, v: Level, allow_unknown: bool) -> Result<(), String> {
    match v {
        Level::Ok => Err(format!(
            "{key}: 'ok' is not allowed: a rule that fires must raise the level (use enabled = false to turn a rule off)"
        )),
        Level::Unknown if !allow_unknown => Err(format!(
            "{key}: 'unknown' is reserved for missing data: use watch, warning or emergency"
        )),
        _ => Ok(()),
    }
}

fn opt_level(key: &dyn Display, v: Option<Level>) -> Result<(), String> {
    v.map_or(Ok(()), |l| level(key, l, false))
}

fn symptom_list(key: &dyn Display, list: &[String], custom: &[String]) -> Result<(), String> {
    if list.is_empty() {
        return Err(format!("{key}: must list at least one symptom"));
    }
    let mut seen = Vec::new();
    for (i, s) in list.iter().enumerate() {
        let name = resolve_symptom(s, custom).map_err(|e| format!("{key}[{i}]: {e}"))?;
        if seen.contains(&name) {
            return Err(format!("{key}[{i}]: '{s}' is listed twice (as '{name}')"));
        }
        seen.push(name);
    }
    Ok(())
}

/// `resolve` with a one-line message: "unknown symptom 'x' (did you mean 'y'?)".
fn resolve_symptom(s: &str, custom: &[String]) -> Result<String, String> {
    symptoms::resolve(s, custom).map_err(|e| {
        if e.given.is_empty() {
            return "empty symptom name".to_string();
        }
        match e.suggestion {
            Some(sug) => format!("unknown symptom '{}' (did you mean '{sug}'?)", e.given),
            None => format!(
                "unknown symptom '{}' (see 'cls symptoms', or declare it under [symptoms] custom)",
                e.given
            ),
        }
    })
}

impl RulesConfig {
    /// The rules switched off in this config, in rule order.
    pub fn disabled(&self) -> Vec<super::DisabledRule> {
        let e = |l: Level| l == Level::Emergency;
        let band = |l: Option<Level>| l.is_none_or(e);
        let list: [(&str, &str, bool, bool); 24] = [
            (
                "D3",
                "weigh_now",
                self.weigh_now.enabled,
                e(self.weigh_now.level),
            ),
            (
                "W1",
                "weight_gain",
                self.weight_gain.enabled,
                e(self.weight_gain.level),
            ),
            (
                "W2",
                "weight_gain_large",
                self.weight_gain_large.enabled,
                e(self.weight_gain_large.level),
            ),
            (
                "W3",
                "overnight_jump",
                self.overnight_jump.enabled,
                e(self.overnight_jump.level),
            ),
            (
                "W4",
                "sustained_gain",
                self.sustained_gain.enabled,
                e(self.sustained_gain.level),
            ),
            (
                "P1",
                "weight_thirst",
                self.weight_thirst.enabled,
                e(self.weight_thirst.level),
            ),
            (
                "P2",
                "prodrome_cluster",
                self.prodrome_cluster.enabled,
                e(self
                    .prodrome_cluster
                    .level_with_gain
                    .max(self.prodrome_cluster.level)),
            ),
            ("P3", "trigger", self.trigger.enabled, false),
            (
                "L1",
                "hypotension",
                self.hypotension.enabled,
                e(self.hypotension.level),
            ),
            ("L2", "low_bp", self.low_bp.enabled, e(self.low_bp.level)),
            (
                "L3",
                "orthostatic",
                self.orthostatic.enabled,
                e(self.orthostatic.level),
            ),
            (
                "L4",
                "shock_index",
                self.shock_index.enabled,
                band(self.shock_index.level),
            ),
            (
                "L5",
                "tachycardia",
                self.tachycardia.enabled,
                band(self.tachycardia.level),
            ),
            ("L6", "syncope", self.syncope.enabled, e(self.syncope.level)),
            (
                "L7",
                "low_urine",
                self.low_urine.enabled,
                e(self.low_urine.level),
            ),
            (
                "L8",
                "leak_combo",
                self.leak_combo.enabled,
                e(self.leak_combo.level),
            ),
            (
                "L9",
                "breathing",
                self.breathing.enabled,
                band(self.breathing.level),
            ),
            (
                "L10",
                "swelling",
                self.swelling.enabled,
                e(self.swelling.level),
            ),
            (
                "H1",
                "hemoconcentration",
                self.hemoconcentration.enabled,
                band(self.hemoconcentration.level),
            ),
            (
                "H2",
                "albumin",
                self.albumin.enabled,
                e(self
                    .albumin
                    .level
                    .max(self.albumin.level_with_hemoconcentration)),
            ),
            (
                "R1",
                "recruitment",
                self.recruitment.enabled,
                band(self.recruitment.level),
            ),
            (
                "M1",
                "med_overdue",
                self.med_overdue.enabled,
                e(self.med_overdue.level),
            ),
            ("D1", "no_baseline", self.no_baseline.enabled, false),
            ("D2", "stale", self.stale.enabled, false),
        ];
        let mut out: Vec<super::DisabledRule> = list
            .iter()
            .filter(|r| !r.2)
            .map(|r| super::DisabledRule {
                rule: r.0.into(),
                name: r.1.into(),
                can_emergency: r.3,
            })
            .collect();
        out.extend(
            self.custom
                .iter()
                .filter(|c| !c.enabled)
                .map(|c| super::DisabledRule {
                    rule: c.id.clone(),
                    name: c.id.clone(),
                    can_emergency: e(c.level),
                }),
        );
        out
    }

    /// Checks serde cannot express; the message names the rule and key.
    pub fn validate(&self, custom_symptoms: &[String]) -> Result<(), String> {
        let c = self;
        // Built only into an error message: validation runs on every start.
        let k = |s: &'static str| Key(s);

        // D1, D2: never off.
        if !c.no_baseline.enabled {
            return Err(format!(
                "{}: cannot be false: without a weight baseline cls cannot say 'ok'",
                k("no_baseline.enabled")
            ));
        }
        level(&k("no_baseline.level"), c.no_baseline.level, true)?;
        range_u(&k("no_baseline.days"), c.no_baseline.days, 2, 60)?;
        range_u(
            &k("no_baseline.lookback_days"),
            c.no_baseline.lookback_days,
            c.no_baseline.days,
            120,
        )
        .map_err(|e| format!("{e} (at least no_baseline.days)"))?;
        range_u(
            &k("no_baseline.min_weights"),
            c.no_baseline.min_weights,
            1,
            c.no_baseline.days,
        )?;
        if let Some(w) = c.dry_weight_kg {
            let (lo, hi) = crate::input::WEIGHT_KG;
            range_f(&k("dry_weight_kg"), w, lo, hi)?;
        }
        if let Some(s) = &c.day_starts_at {
            DayStart::parse(s).map_err(|e| format!("{}: {e}", k("day_starts_at")))?;
        }
        if !c.stale.enabled {
            return Err(format!(
                "{}: cannot be false: missing data must never read as 'ok'",
                k("stale.enabled")
            ));
        }
        level(&k("stale.level"), c.stale.level, true)?;
        range_u(&k("stale.days"), c.stale.days, 1, 30)?;

        level(&k("weigh_now.level"), c.weigh_now.level, false)?;
        severity(&k("weigh_now.min_severity"), c.weigh_now.min_severity)?;

        level(&k("weight_gain.level"), c.weight_gain.level, false)?;
        range_f(
            &k("weight_gain.watch_kg"),
            c.weight_gain.watch_kg,
            0.0,
            20.0,
        )?;
        range_f(
            &k("weight_gain.watch_pct"),
            c.weight_gain.watch_pct,
            0.0,
            30.0,
        )?;
        level(
            &k("weight_gain_large.level"),
            c.weight_gain_large.level,
            false,
        )?;
        range_f(
            &k("weight_gain_large.warning_kg"),
            c.weight_gain_large.warning_kg,
            0.0,
            20.0,
        )?;
        range_f(
            &k("weight_gain_large.warning_pct"),
            c.weight_gain_large.warning_pct,
            0.0,
            30.0,
        )?;
        level(&k("overnight_jump.level"), c.overnight_jump.level, false)?;
        range_f(
            &k("overnight_jump.watch_kg"),
            c.overnight_jump.watch_kg,
            0.0,
            20.0,
        )?;
        range_f(
            &k("overnight_jump.watch_pct"),
            c.overnight_jump.watch_pct,
            0.0,
            30.0,
        )?;

        let w = &c.sustained_gain;
        level(&k("sustained_gain.level"), w.level, false)?;
        range_f(&k("sustained_gain.watch_kg"), w.watch_kg, 0.0, 20.0)?;
        range_f(&k("sustained_gain.watch_pct"), w.watch_pct, 0.0, 30.0)?;
        range_u(&k("sustained_gain.recent_days"), w.recent_days, 1, 14)?;
        range_u(
            &k("sustained_gain.min_recent"),
            w.min_recent,
            1,
            w.recent_days,
        )?;
        range_u(
            &k("sustained_gain.reference_to_days"),
            w.reference_to_days,
            w.recent_days,
            120,
        )
        .map_err(|e| format!("{e} (at least sustained_gain.recent_days)"))?;
        range_u(
            &k("sustained_gain.reference_from_days"),
            w.reference_from_days,
            w.reference_to_days,
            180,
        )
        .map_err(|e| format!("{e} (at least sustained_gain.reference_to_days)"))?;
        range_u(
            &k("sustained_gain.min_reference"),
            w.min_reference,
            1,
            w.reference_from_days - w.reference_to_days + 1,
        )?;

        level(&k("weight_thirst.level"), c.weight_thirst.level, false)?;
        severity(
            &k("weight_thirst.min_severity"),
            c.weight_thirst.min_severity,
        )?;

        let p = &c.prodrome_cluster;
        level(&k("prodrome_cluster.level"), p.level, false)?;
        level(
            &k("prodrome_cluster.level_with_gain"),
            p.level_with_gain,
            false,
        )?;
        severity(&k("prodrome_cluster.min_severity"), p.min_severity)?;
        symptom_list(
            &k("prodrome_cluster.symptoms"),
            &p.symptoms,
            custom_symptoms,
        )?;
        range_u(
            &k("prodrome_cluster.min_count"),
            p.min_count,
            1,
            p.symptoms.len() as u32,
        )?;

        let t = &c.trigger;
        range_f(&k("trigger.watch_kg"), t.watch_kg, 0.0, 20.0)?;
        range_f(&k("trigger.watch_pct"), t.watch_pct, 0.0, 30.0)?;
        range_u(&k("trigger.days"), t.days, 0, 14)?;
        severity(&k("trigger.min_severity"), t.min_severity)?;
        symptom_list(&k("trigger.symptoms"), &t.symptoms, custom_symptoms)?;

        let b = &c.bp_baseline;
        range_u(&k("bp_baseline.readings"), b.readings, 1, 50)?;
        range_u(
            &k("bp_baseline.min_readings"),
            b.min_readings,
            1,
            b.readings,
        )?;
        range_u(&k("bp_baseline.max_age_days"), b.max_age_days, 1, 365)?;

        level(&k("hypotension.level"), c.hypotension.level, false)?;
        range_u(
            &k("hypotension.max_systolic"),
            c.hypotension.max_systolic,
            40,
            250,
        )?;
        range_u(&k("hypotension.drop"), c.hypotension.drop, 5, 150)?;
        level(&k("low_bp.level"), c.low_bp.level, false)?;
        range_u(&k("low_bp.max_systolic"), c.low_bp.max_systolic, 40, 250)?;
        range_u(&k("low_bp.drop"), c.low_bp.drop, 5, 150)?;

        let o = &c.orthostatic;
        level(&k("orthostatic.level"), o.level, false)?;
        range_u(&k("orthostatic.systolic_drop"), o.systolic_drop, 1, 150)?;
        range_u(&k("orthostatic.diastolic_drop"), o.diastolic_drop, 1, 100)?;
        severity(&k("orthostatic.min_severity"), o.min_severity)?;

        let s = &c.shock_index;
        opt_level(&k("shock_index.level"), s.level)?;
        range_f(&k("shock_index.warning_at"), s.warning_at, 0.3, 3.0)?;
        range_f(
            &k("shock_index.emergency_at"),
            s.emergency_at,
            s.warning_at,
            3.0,
        )
        .map_err(|e| format!("{e} (at or above warning_at)"))?;

        let t = &c.tachycardia;
        opt_level(&k("tachycardia.level"), t.level)?;
        range_u(&k("tachycardia.warning_bpm"), t.warning_bpm, 40, 250)?;
        range_u(
            &k("tachycardia.emergency_bpm"),
            t.emergency_bpm,
            t.warning_bpm,
            250,
        )
        .map_err(|e| format!("{e} (at or above warning_bpm)"))?;

        level(&k("syncope.level"), c.syncope.level, false)?;
        severity(&k("syncope.min_severity"), c.syncope.min_severity)?;
        level(&k("low_urine.level"), c.low_urine.level, false)?;
        range_u(&k("low_urine.below_ml"), c.low_urine.below_ml, 1, 5000)?;
        level(&k("leak_combo.level"), c.leak_combo.level, false)?;
        severity(&k("leak_combo.min_severity"), c.leak_combo.min_severity)?;
        range_u(
            &k("leak_combo.max_systolic"),
            c.leak_combo.max_systolic,
            40,
            250,
        )?;

        let b = &c.breathing;
        opt_level(&k("breathing.level"), b.level)?;
        severity(&k("breathing.warning_severity"), b.warning_severity)?;
        severity(&k("breathing.emergency_severity"), b.emergency_severity)?;
        if b.warning_severity == 0 || b.emergency_severity < b.warning_severity {
            return Err(format!(
                "{}: must be 1–3 and at most breathing.emergency_severity ({})",
                k("breathing.warning_severity"),
                b.emergency_severity
            ));
        }
        level(&k("swelling.level"), c.swelling.level, false)?;
        severity(&k("swelling.min_severity"), c.swelling.min_severity)?;

        range_u(&k("labs.valid_days"), c.labs.valid_days, 1, 60)?;
        range_u(&k("labs.baseline_days"), c.labs.baseline_days, 7, 365)?;
        let h = &c.hemoconcentration;
        opt_level(&k("hemoconcentration.level"), h.level)?;
        range_f(
            &k("hemoconcentration.hb_rise_warning"),
            h.hb_rise_warning,
            0.1,
            10.0,
        )?;
        range_f(
            &k("hemoconcentration.hct_rise_warning"),
            h.hct_rise_warning,
            0.5,
            30.0,
        )?;
        range_f(
            &k("hemoconcentration.hb_rise_emergency"),
            h.hb_rise_emergency,
            h.hb_rise_warning,
            15.0,
        )
        .map_err(|e| format!("{e} (at or above hb_rise_warning)"))?;
        range_f(
            &k("hemoconcentration.hct_rise_emergency"),
            h.hct_rise_emergency,
            h.hct_rise_warning,
            40.0,
        )
        .map_err(|e| format!("{e} (at or above hct_rise_warning)"))?;
        range_f(
            &k("hemoconcentration.hb_emergency"),
            h.hb_emergency,
            10.0,
            25.0,
        )?;
        range_f(
            &k("hemoconcentration.hct_emergency"),
            h.hct_emergency,
            30.0,
            80.0,
        )?;
        let a = &c.albumin;
        level(&k("albumin.level"), a.level, false)?;
        level(
            &k("albumin.level_with_hemoconcentration"),
            a.level_with_hemoconcentration,
            false,
        )?;
        range_f(&k("albumin.below"), a.below, 5.0, 60.0)?;
        range_f(&k("albumin.drop"), a.drop, 0.5, 40.0)?;

        let r = &c.recruitment;
        opt_level(&k("recruitment.level"), r.level)?;
        range_u(&k("recruitment.window_days"), r.window_days, 1, 90)?;
        range_f(&k("recruitment.loss_kg"), r.loss_kg, 0.0, 20.0)?;
        range_f(&k("recruitment.loss_pct"), r.loss_pct, 0.0, 30.0)?;
        severity(&k("recruitment.min_severity"), r.min_severity)?;

        level(&k("med_overdue.level"), c.med_overdue.level, false)?;

        let mut ids: Vec<String> = Vec::new();
        for (i, rule) in c.custom.iter().enumerate() {
            validate_custom(i, rule, custom_symptoms, &ids)?;
            ids.push(rule.id.to_ascii_lowercase());
        }
        Ok(())
    }
}

fn validate_custom(
    i: usize,
    r: &CustomRule,
    custom: &[String],
    earlier: &[String],
) -> Result<(), String> {
    let id = r.id.trim();
    if id.is_empty() {
        return Err(format!(
            "rules.custom[{i}].id: missing: give the rule a short id, e.g. id = \"my_rule\""
        ));
    }
    let at = format!("rules.custom[{i}] ({id})");
    if !id
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-')
        || id != r.id
    {
        return Err(format!("{at}.id: use only letters, digits, '_' and '-'"));
    }
    let lower = id.to_ascii_lowercase();
    if BUILTIN
        .iter()
        .any(|(rid, name)| rid.eq_ignore_ascii_case(&lower) || *name == lower)
    {
        return Err(format!(
            "{at}.id: '{id}' is the id or name of a built-in rule"
        ));
    }
    if earlier.contains(&lower) {
        return Err(format!("{at}.id: '{id}' is used by an earlier custom rule"));
    }
    level(&format!("{at}.level"), r.level, false)?;
    if r.message.trim().is_empty() {
        return Err(format!(
            "{at}.message: missing: say what the patient should know or do"
        ));
    }
    if r.all.is_empty() && r.any.is_empty() {
        return Err(format!(
            "{at}: needs at least one condition in `all = [...]` or `any = [...]`"
        ));
    }
    for (list, conds) in [("all", &r.all), ("any", &r.any)] {
        for (j, cond) in conds.iter().enumerate() {
            validate_condition(cond, custom).map_err(|e| {
                if e.starts_with("unknown symptom") || e.starts_with("empty symptom") {
                    format!("{at}: {e} in {list}[{j}].symptom")
                } else {
                    format!("{at}.{list}[{j}]{e}")
                }
            })?;
        }
    }
    Ok(())
}

/// Errors start with ".key: ..." (appended to the condition's path), except
/// symptom-name errors which are whole sentences.
fn validate_condition(c: &Condition, custom: &[String]) -> Result<(), String> {
    let kinds = c.kinds();
    match kinds.len() {
        0 => return Err(format!(": empty condition: use one of {CONDITION_KINDS}")),
        1 => {}
        _ => {
            return Err(format!(
                ": one condition per {{ }}, found {}: split them into separate conditions",
                kinds.join(", ")
            ))
        }
    }
    if c.min.is_some() && c.symptom.is_none() {
        return Err(".min: only allowed with `symptom`".into());
    }
    if (c.above.is_some() || c.below.is_some()) && c.lab.is_none() {
        return Err(
            ".above/below: only allowed with `lab` (use systolic_below, heart_rate_above, ...)"
                .into(),
        );
    }
    let f =
        |key: &str, v: f64, lo: f64, hi: f64| range_f(&format!(".{key}"), v, lo, hi).map(|_| ());
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
        resolve_symptom(s, custom)?;
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
            return Err(format!(
                ".lab: unknown lab '{name}': use hemoglobin (hb), hematocrit (hct) or albumin"
            ));
        };
        let (lo, hi) = kind.range();
        match (c.above, c.below) {
            (None, None) => return Err(".lab: needs `above = N` or `below = N`".into()),
            (Some(_), Some(_)) => {
                return Err(".lab: give `above` or `below`, not both (use two conditions)".into())
            }
            (Some(v), None) => f("above", v, lo, hi)?,
            (None, Some(v)) => f("below", v, lo, hi)?,
        }
    }
    Ok(())
}
