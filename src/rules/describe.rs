//! `cls rules`: every rule with its inputs and, in words, when it fires with
//! the thresholds currently configured, plus the keys changed from the
//! defaults.

use serde::Serialize;

use super::config::RulesConfig;
use super::custom::describe_condition;
use super::{Level, RuleInfo};

/// `section.key = value` for every key of `cur` that differs from `def`.
fn changed<T: Serialize>(section: &str, cur: &T, def: &T) -> Vec<String> {
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

fn pct(x: f64) -> String {
    format!("{x}%")
}

fn band_level(overridden: Option<Level>, bands: &str) -> String {
    match overridden {
        Some(l) => format!("{l} (overridden)"),
        None => bands.to_string(),
    }
}

fn list(v: &[String]) -> String {
    v.join(", ")
}

struct Builder {
    out: Vec<RuleInfo>,
}

impl Builder {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        rule: &str,
        name: &str,
        enabled: bool,
        level: String,
        inputs: &str,
        fires_when: String,
        changed: Vec<String>,
    ) {
        self.out.push(RuleInfo {
            rule: rule.into(),
            name: name.into(),
            enabled,
            level,
            inputs: inputs.into(),
            fires_when,
            changed,
        });
    }
}

/// One [`RuleInfo`] per rule, built-in rules first (in clinical.md's order),
/// then the patient's rules.
pub fn describe(cfg: &RulesConfig) -> Vec<RuleInfo> {
    let d = RulesConfig::default();
    let mut b = Builder { out: Vec::new() };
    let c = cfg;

    let nb = &c.no_baseline;
    b.add(
        "D1",
        "no_baseline",
        true,
        nb.level.to_string(),
        "morning weights",
        format!(
            "no weight on the day or the day before, or fewer than {} day weights in the {} days before it (the baseline is their median); weight rules are then skipped, the others still run; cannot be turned off",
            nb.min_weights, nb.days
        ),
        changed("no_baseline", nb, &d.no_baseline),
    );
    let s = &c.stale;
    b.add(
        "D2",
        "stale",
        true,
        s.level.to_string(),
        "any diary entry",
        format!(
            "nothing logged in the last {} day(s), the evaluation day included; cannot be turned off",
            s.days
        ),
        changed("stale", s, &d.stale),
    );
    let w = &c.weigh_now;
    b.add(
        "D3",
        "weigh_now",
        w.enabled,
        w.level.to_string(),
        "prodrome-set symptoms, weight",
        format!(
            "a prodrome-set symptom at severity {} or more is logged on the day and there is no weight that day (\"weigh yourself now\")",
            w.min_severity
        ),
        changed("weigh_now", w, &d.weigh_now),
    );
    let w1 = &c.weight_gain;
    b.add(
        "W1",
        "weight_gain",
        w1.enabled,
        w1.level.to_string(),
        "day weight (the day's first), 7-day baseline",
        format!(
            "the day weight is at least max({} kg, {} of the baseline) over the baseline (lowered by P3 after a trigger); uses the day before's weight until you weigh",
            w1.watch_kg,
            pct(w1.watch_pct)
        ),
        changed("weight_gain", w1, &d.weight_gain),
    );
    let w2 = &c.weight_gain_large;
    b.add(
        "W2",
        "weight_gain_large",
        w2.enabled,
        w2.level.to_string(),
        "day weight, 7-day baseline",
        format!(
            "the day weight is at least max({} kg, {} of the baseline) over the baseline",
            w2.warning_kg,
            pct(w2.warning_pct)
        ),
        changed("weight_gain_large", w2, &d.weight_gain_large),
    );
    let w3 = &c.overnight_jump;
    b.add(
        "W3",
        "overnight_jump",
        w3.enabled,
        w3.level.to_string(),
        "day weights of two days in a row",
        format!(
            "the day weight is at least max({} kg, {} of the previous day's) over the previous day's",
            w3.watch_kg,
            pct(w3.watch_pct)
        ),
        changed("overnight_jump", w3, &d.overnight_jump),
    );
    let p1 = &c.weight_thirst;
    b.add(
        "P1",
        "weight_thirst",
        p1.enabled,
        p1.level.to_string(),
        "day weight, baseline, thirst",
        format!(
            "W1's weight gain is met and thirst is at severity {} or more",
            p1.min_severity
        ),
        changed("weight_thirst", p1, &d.weight_thirst),
    );
    let p2 = &c.prodrome_cluster;
    b.add(
        "P2",
        "prodrome_cluster",
        p2.enabled,
        format!(
            "{}; {} with W1's gain",
            p2.level,
            p2.level.max(p2.level_with_gain)
        ),
        "prodrome-set symptoms",
        format!(
            "at least {} distinct symptoms of the prodrome set at severity {} or more: {}",
            p2.min_count,
            p2.min_severity,
            list(&p2.symptoms)
        ),
        changed("prodrome_cluster", p2, &d.prodrome_cluster),
    );
    let t = &c.trigger;
    b.add(
        "P3",
        "trigger",
        t.enabled,
        "modifier".into(),
        "trigger symptoms",
        format!(
            "{} at severity {} or more within the last {} days: W1 (and so P1 and P2's upgrade) uses max({} kg, {}) instead",
            list(&t.symptoms),
            t.min_severity,
            t.days,
            t.watch_kg,
            pct(t.watch_pct)
        ),
        changed("trigger", t, &d.trigger),
    );
    let bpb = changed("bp_baseline", &c.bp_baseline, &d.bp_baseline);
    let base_text = format!(
        "baseline = median of up to {} earlier sitting readings (at most {} days old), needing {}",
        c.bp_baseline.readings, c.bp_baseline.max_age_days, c.bp_baseline.min_readings
    );
    let l1 = &c.hypotension;
    b.add(
        "L1",
        "hypotension",
        l1.enabled,
        l1.level.to_string(),
        "latest sitting systolic (the day or the day before)",
        format!(
            "systolic at or below {}, or {} or more below your baseline ({base_text})",
            l1.max_systolic, l1.drop
        ),
        [changed("hypotension", l1, &d.hypotension), bpb.clone()].concat(),
    );
    let l2 = &c.low_bp;
    b.add(
        "L2",
        "low_bp",
        l2.enabled,
        l2.level.to_string(),
        "latest sitting systolic (the day or the day before)",
        format!(
            "systolic at or below {}, or {} or more below your baseline, when L1 did not fire ({base_text})",
            l2.max_systolic, l2.drop
        ),
        [changed("low_bp", l2, &d.low_bp), bpb].concat(),
    );
    let l3 = &c.orthostatic;
    b.add(
        "L3",
        "orthostatic",
        l3.enabled,
        l3.level.to_string(),
        "sitting and standing BP of one entry, dizziness",
        format!(
            "in the latest entry with a standing BP, systolic falls {} or more or diastolic {} or more on standing, or dizziness is at severity {} or more",
            l3.systolic_drop, l3.diastolic_drop, l3.min_severity
        ),
        changed("orthostatic", l3, &d.orthostatic),
    );
    let l4 = &c.shock_index;
    b.add(
        "L4",
        "shock_index",
        l4.enabled,
        band_level(l4.level, "warning / emergency"),
        "heart rate and systolic of one entry",
        format!(
            "heart rate / systolic is at least {} (warning) or {} (emergency)",
            l4.warning_at, l4.emergency_at
        ),
        changed("shock_index", l4, &d.shock_index),
    );
    let l5 = &c.tachycardia;
    b.add(
        "L5",
        "tachycardia",
        l5.enabled,
        band_level(l5.level, "warning / emergency"),
        "latest heart rate (the day or the day before)",
        format!(
            "heart rate at least {} bpm (warning) or {} bpm (emergency)",
            l5.warning_bpm, l5.emergency_bpm
        ),
        changed("tachycardia", l5, &d.tachycardia),
    );
    let l6 = &c.syncope;
    b.add(
        "L6",
        "syncope",
        l6.enabled,
        l6.level.to_string(),
        "fainting",
        format!("fainting logged at severity {} or more", l6.min_severity),
        changed("syncope", l6, &d.syncope),
    );
    let l7 = &c.low_urine;
    b.add(
        "L7",
        "low_urine",
        l7.enabled,
        l7.level.to_string(),
        "--urine, --urine-ml (24 h total)",
        format!(
            "urine 'less', or the day's lowest 24 h total below {} mL",
            l7.below_ml
        ),
        changed("low_urine", l7, &d.low_urine),
    );
    let l8 = &c.leak_combo;
    b.add(
        "L8",
        "leak_combo",
        l8.enabled,
        l8.level.to_string(),
        "swelling, weight, dizziness, systolic, urine",
        format!(
            "(swelling at severity {m} or more, or W2's gain) and (dizziness at {m} or more, or systolic at or below {}, or L7's low urine)",
            l8.max_systolic,
            m = l8.min_severity
        ),
        changed("leak_combo", l8, &d.leak_combo),
    );
    let labs = changed("labs", &c.labs, &d.labs);
    let lab_text = format!(
        "a value counts for {} days; baseline = median of earlier values in the {} days before it",
        c.labs.valid_days, c.labs.baseline_days
    );
    let h1 = &c.hemoconcentration;
    b.add(
        "H1",
        "hemoconcentration",
        h1.enabled,
        band_level(h1.level, "warning / emergency"),
        "hemoglobin, hematocrit (optional labs)",
        format!(
            "warning: hemoglobin {} g/dL or hematocrit {} points over your baseline; emergency: hemoglobin at or above {} g/dL, hematocrit at or above {}%, or hemoglobin {} g/dL over your baseline ({lab_text})",
            h1.hb_rise_warning, h1.hct_rise_warning, h1.hb_emergency, h1.hct_emergency, h1.hb_rise_emergency
        ),
        [changed("hemoconcentration", h1, &d.hemoconcentration), labs.clone()].concat(),
    );
    let h2 = &c.albumin;
    b.add(
        "H2",
        "albumin",
        h2.enabled,
        format!(
            "{}; {} with H1",
            h2.level,
            h2.level.max(h2.level_with_hemoconcentration)
        ),
        "albumin (optional lab)",
        format!(
            "albumin below {} g/L or {} g/L below your baseline ({lab_text})",
            h2.below, h2.drop
        ),
        [changed("albumin", h2, &d.albumin), labs].concat(),
    );
    let r1 = &c.recruitment;
    b.add(
        "R1",
        "recruitment",
        r1.enabled,
        band_level(r1.level, "watch / warning / emergency"),
        "day weights, polyuria, breathlessness, orthopnea",
        format!(
            "only in the {} days after an episode's start or an emergency day: emergency when the weight falls at least max({} kg, {}) in a day with polyuria and breathlessness or orthopnea (severity {m}+); warning on breathlessness or orthopnea alone; watch on the weight loss with polyuria",
            r1.window_days,
            r1.loss_kg,
            pct(r1.loss_pct),
            m = r1.min_severity
        ),
        changed("recruitment", r1, &d.recruitment),
    );
    let m1 = &c.med_overdue;
    b.add(
        "M1",
        "med_overdue",
        m1.enabled,
        m1.level.to_string(),
        "--med doses, the [[medications]] schedule",
        "a scheduled medication's last recorded dose is more than every_days + grace_days ago"
            .into(),
        changed("med_overdue", m1, &d.med_overdue),
    );

    for r in &c.custom {
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
        b.add(
            &r.id,
            &r.id,
            r.enabled,
            r.level.to_string(),
            "patient rule",
            format!("{}; says \"{}\"", when.join("; and "), r.message),
            Vec::new(),
        );
    }
    b.out
}
