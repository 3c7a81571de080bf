//! L6–L10, the fluid rules: fainting (L6), low urine (L7), the leak
//! combination of fluid and pressure signs (L8), breathing (L9) and swelling
//! on its own (L10).

use serde::{Deserialize, Serialize};

use super::{Family, Switch};
use crate::model::Severity;
use crate::rules::config::RulesConfig;
use crate::rules::day::{banded, dwt, ev, fire, or3, or_max, skip, sym, Ctx, Out};
use crate::rules::describe::{band_level, changed, Builder, WIN};
use crate::rules::validate::{
    level, opt_level, range_u, severity, Checked, Problem, RuleKey, ValidationError,
};
use crate::rules::{Level, RuleId};

pub(super) const FAMILY: Family = Family {
    validate,
    evaluate,
    describe,
    switches,
};

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

fn validate(c: &RulesConfig, _custom: &[String]) -> Checked {
    let k = |s: &'static str| RuleKey(RuleId::L6, s);
    level(&k("level"), c.syncope.level, false)?;
    severity(&k("min_severity"), c.syncope.min_severity)?;
    let k = |s: &'static str| RuleKey(RuleId::L7, s);
    level(&k("level"), c.low_urine.level, false)?;
    range_u(&k("below_ml"), c.low_urine.below_ml, 1, 5000)?;
    let k = |s: &'static str| RuleKey(RuleId::L8, s);
    level(&k("level"), c.leak_combo.level, false)?;
    severity(&k("min_severity"), c.leak_combo.min_severity)?;
    range_u(&k("max_systolic"), c.leak_combo.max_systolic, 40, 250)?;

    let k = |s: &'static str| RuleKey(RuleId::L9, s);
    let b = &c.breathing;
    opt_level(&k("level"), b.level)?;
    severity(&k("warning_severity"), b.warning_severity)?;
    severity(&k("emergency_severity"), b.emergency_severity)?;
    if b.warning_severity == 0 || b.emergency_severity < b.warning_severity {
        return Err(ValidationError::new(
            &k("warning_severity"),
            Problem::Invalid(format!(
                "must be 1–3 and at most breathing.emergency_severity ({})",
                b.emergency_severity
            )),
        ));
    }
    let k = |s: &'static str| RuleKey(RuleId::L10, s);
    level(&k("level"), c.swelling.level, false)?;
    severity(&k("min_severity"), c.swelling.min_severity)
}

fn evaluate(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) {
    let l7 = urine_and_syncope(ctx, out);
    let sbp_low = out.sbp_low;
    leak_combo(ctx, out, sbp_low, l7);
    breathing_and_swelling(ctx, out);
}

/// L6 and L7. Returns whether L7's condition holds (`None`: no urine data).
fn urine_and_syncope(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) -> Option<bool> {
    let cfg = ctx.cfg;
    let nothing = || format!("nothing logged {}", ctx.in_48h());
    let c = &cfg.syncope;
    if c.enabled {
        match ctx.symptom("fainting") {
            None => skip!(out, RuleId::L6, nothing()),
            Some(s) if s >= c.min_severity => {
                fire!(
                    out,
                    RuleId::L6,
                    c.level,
                    format!(
                        "{} logged at {}{}",
                        sym("fainting", s),
                        ctx.symptom_at("fainting").unwrap_or_default(),
                        ctx.events_suffix()
                    ),
                    ev! {"severity" => s, "at" => ctx.symptom_at("fainting")},
                );
            }
            Some(_) => {}
        }
    }

    let c = &cfg.low_urine;
    let Some(ev) = &ctx.events else {
        if c.enabled {
            skip!(out, RuleId::L7, nothing());
        }
        return None;
    };
    if !ev.urine_logged {
        if c.enabled {
            skip!(
                out,
                RuleId::L7,
                format!("no urine logged {}", ctx.in_window())
            );
        }
        return None;
    }
    let less = ev.urine_less;
    let ml = ev
        .urine_ml
        .and_then(|i| ctx.entry(i).m.urine_ml.map(|ml| (ml, i)))
        .filter(|(ml, _)| *ml < c.below_ml);
    let met = less.is_some() || ml.is_some();
    if c.enabled && met {
        fire!(
            out,
            RuleId::L7,
            c.level,
            {
                let mut parts = Vec::new();
                if let Some(i) = less {
                    parts.push(format!("urine less than usual at {}", ctx.at(i)));
                }
                if let Some((v, i)) = ml {
                    parts.push(format!(
                        "urine {v} mL/24 h at {} is below {}",
                        ctx.at(i),
                        c.below_ml
                    ));
                }
                parts.join("; ")
            },
            ev! {"urine_less" => less.is_some(), "urine_ml" => ml.map(|x| x.0), "below_ml" => c.below_ml},
        );
    }
    Some(met)
}

/// L8: (swelling OR W2) AND (dizziness OR systolic ≤ limit OR L7).
fn leak_combo(ctx: &Ctx<'_, '_>, out: &mut Out<'_>, sbp_low: Option<bool>, l7: Option<bool>) {
    let c = &ctx.cfg.leak_combo;
    if !c.enabled {
        return;
    }
    let swelling = ctx.symptom("swelling");
    let dizzy = ctx.symptom("dizziness");
    let sw = swelling.map(|s| s >= c.min_severity);
    let dz = dizzy.map(|s| s >= c.min_severity);
    let w2 = ctx.w2_met();
    let fluid = or3(&[sw, w2]);
    let pressure = or3(&[dz, sbp_low, l7]);
    let fluid_parts = || {
        let mut parts = Vec::new();
        if sw == Some(true) {
            parts.push(sym("swelling", swelling.unwrap_or(0)));
        }
        if w2 == Some(true) {
            parts.push(format!(
                "weight {} over your baseline",
                dwt(ctx.cfg, ctx.gain.map_or(0.0, |g| g.kg))
            ));
        }
        parts
    };
    let pressure_parts = || {
        let mut parts = Vec::new();
        if dz == Some(true) {
            parts.push(sym("dizziness", dizzy.unwrap_or(0)));
        }
        if sbp_low == Some(true) {
            parts.push(format!("systolic at or below {}", c.max_systolic));
        }
        if l7 == Some(true) {
            parts.push("low urine".to_string());
        }
        parts
    };
    match (fluid, pressure) {
        (Some(true), Some(true)) => fire!(
            out,
            RuleId::L8,
            c.level,
            format!(
                "{} with {}{}: signs of fluid leaking out of the blood vessels",
                fluid_parts().join(" and "),
                pressure_parts().join(" and "),
                ctx.events_suffix()
            ),
            ev! {
                "swelling" => swelling, "weight_gain_large" => w2, "dizziness" => dizzy,
                "systolic_at_or_below_limit" => sbp_low, "low_urine" => l7, "max_systolic" => c.max_systolic,
            },
        ),
        (Some(false), _) | (_, Some(false)) => {}
        // Undecided: only a skip and perhaps a note, which quiet days drop.
        _ if !out.detail => {}
        (f, p) => {
            let gain_why = if f.is_none() && w2.is_none() {
                format!("weight gain ({})", ctx.gain_missing())
            } else {
                String::new()
            };
            let wanted = [
                (f.is_none() && sw.is_none(), "symptoms"),
                (f.is_none() && w2.is_none(), gain_why.as_str()),
                (p.is_none() && dz.is_none(), "symptoms"),
                (p.is_none() && sbp_low.is_none(), "blood pressure"),
                (p.is_none() && l7.is_none(), "urine"),
            ];
            let mut missing: Vec<&str> = Vec::with_capacity(wanted.len());
            for (is_missing, what) in wanted {
                if is_missing && !missing.contains(&what) {
                    missing.push(what);
                }
            }
            let missing = missing.join(", ");
            if f == Some(true) {
                out.notes.push(format!(
                    "{}: log your blood pressure, urine and any dizziness now (rule L8 could not be checked without {missing})",
                    fluid_parts().join(", ")
                ));
            }
            out.skip(
                RuleId::L8,
                format!("cannot be decided without {missing} {}", ctx.in_48h()),
            );
        }
    }
}

/// L9 (breathing) and L10 (swelling on its own, when L8 did not fire).
fn breathing_and_swelling(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) {
    let cfg = ctx.cfg;
    let c = &cfg.breathing;
    if c.enabled {
        let b = ctx.symptom("breathlessness");
        let o = ctx.symptom("orthopnea");
        match or_max(b, o) {
            None => skip!(
                out,
                RuleId::L9,
                format!("no symptoms logged {}", ctx.in_48h())
            ),
            Some(worst) if worst >= c.warning_severity => {
                let band = if worst >= c.emergency_severity {
                    Level::Emergency
                } else {
                    Level::Warning
                };
                fire!(
                    out,
                    RuleId::L9,
                    banded(c.level, band),
                    {
                        let mut parts = Vec::new();
                        for (name, s) in [("breathlessness", b), ("orthopnea", o)] {
                            if let Some(s) = s.filter(|s| *s >= c.warning_severity) {
                                parts.push(format!(
                                    "{} at {}",
                                    sym(name, s),
                                    ctx.symptom_at(name).unwrap_or_default()
                                ));
                            }
                        }
                        format!(
                            "{}{}: fluid may be reaching the lungs",
                            parts.join(" and "),
                            ctx.events_suffix()
                        )
                    },
                    ev! {"breathlessness" => b, "orthopnea" => o,
                    "warning_severity" => c.warning_severity, "emergency_severity" => c.emergency_severity},
                );
            }
            Some(_) => {}
        }
    }
    let c = &cfg.swelling;
    if c.enabled {
        match ctx.symptom("swelling") {
            None => skip!(
                out,
                RuleId::L10,
                format!("no symptoms logged {}", ctx.in_48h())
            ),
            Some(s) if s >= c.min_severity && out.fired(RuleId::L8).is_none() => {
                fire!(
                    out,
                    RuleId::L10,
                    c.level,
                    format!(
                        "{} at {}{}: log your weight, blood pressure and urine now",
                        sym("swelling", s),
                        ctx.symptom_at("swelling").unwrap_or_default(),
                        ctx.events_suffix()
                    ),
                    ev! {"severity" => s, "min_severity" => c.min_severity},
                );
            }
            Some(_) => {}
        }
    }
}

fn describe(c: &RulesConfig, b: &mut Builder) {
    let l6 = &c.syncope;
    let changes = changed(RuleId::L6.name(), l6, &b.defaults.syncope);
    b.add(
        RuleId::L6,
        l6.enabled,
        l6.level.to_string(),
        "fainting (the highest severity in the 24-hour window)",
        format!(
            "fainting logged at severity {} or more {WIN}",
            l6.min_severity
        ),
        changes,
    );
    let l7 = &c.low_urine;
    let changes = changed(RuleId::L7.name(), l7, &b.defaults.low_urine);
    b.add(
        RuleId::L7,
        l7.enabled,
        l7.level.to_string(),
        "--urine, --urine-ml (24 h totals; the lowest in the 24-hour window)",
        format!(
            "urine 'less' anywhere {WIN}, or the lowest 24 h total in it below {} mL",
            l7.below_ml
        ),
        changes,
    );
    let l8 = &c.leak_combo;
    let changes = changed(RuleId::L8.name(), l8, &b.defaults.leak_combo);
    b.add(
        RuleId::L8,
        l8.enabled,
        l8.level.to_string(),
        "swelling, weight, dizziness, sitting systolic, urine (24-hour window, highest severities)",
        format!(
            "{WIN}: (swelling at severity {m} or more, or W2's gain) and (dizziness at {m} or more, or the lowest sitting systolic at or below {}, or L7's low urine)",
            l8.max_systolic,
            m = l8.min_severity
        ),
        changes,
    );
    let l9 = &c.breathing;
    let changes = changed(RuleId::L9.name(), l9, &b.defaults.breathing);
    b.add(
        RuleId::L9,
        l9.enabled,
        band_level(l9.level, "warning / emergency"),
        "breathlessness, orthopnea (the highest severity in the 24-hour window)",
        format!(
            "breathlessness or orthopnea {WIN} at severity {} or more (warning) or {} or more (emergency): fluid may be reaching the lungs",
            l9.warning_severity, l9.emergency_severity
        ),
        changes,
    );
    let l10 = &c.swelling;
    let changes = changed(RuleId::L10.name(), l10, &b.defaults.swelling);
    b.add(
        RuleId::L10,
        l10.enabled,
        l10.level.to_string(),
        "swelling (the highest severity in the 24-hour window)",
        format!(
            "swelling at severity {} or more {WIN}, when L8 did not fire",
            l10.min_severity
        ),
        changes,
    );
}

fn switches(c: &RulesConfig) -> Vec<Switch> {
    vec![
        Switch::one(RuleId::L6, c.syncope.enabled, c.syncope.level),
        Switch::one(RuleId::L7, c.low_urine.enabled, c.low_urine.level),
        Switch::one(RuleId::L8, c.leak_combo.enabled, c.leak_combo.level),
        Switch::banded(RuleId::L9, c.breathing.enabled, c.breathing.level),
        Switch::one(RuleId::L10, c.swelling.enabled, c.swelling.level),
    ]
}
