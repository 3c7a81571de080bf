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

/// `key = value` for a top-level `[rules]` key that differs from its default.
fn changed_top(key: &str, cur: Option<f64>, def: Option<f64>) -> Vec<String> {
    match (cur, def) {
        (c, d) if c == d => Vec::new(),
        (Some(v), _) => vec![format!("{key} = {}", toml::Value::Float(v))],
        (None, _) => vec![format!("{key} unset")],
    }
}

/// One [`RuleInfo`] per rule, built-in rules first (in clinical.md's order),
/// then the patient's rules. Weights are shown in the configured unit.
pub fn describe(cfg: &RulesConfig) -> Vec<RuleInfo> {
    let d = RulesConfig::default();
    let mut b = Builder { out: Vec::new() };
    let c = cfg;
    let wt = |kg: f64| crate::render::weight(kg, c.unit);
    // "max(1.0 kg, 1.5% of the baseline)"
    let gain = |kg: f64, p: f64, of: &str| format!("max({}, {} of {of})", wt(kg), pct(p));
    let win = "in the 24-hour window";
    let fallback = "with no reading in the window, the latest of the 24 hours before counts";

    let nb = &c.no_baseline;
    let baseline_input = format!("baseline (median of the last {} weighed days)", nb.days);
    b.add(
        "D1",
        "no_baseline",
        nb.enabled,
        nb.level.to_string(),
        "day weights",
        format!(
            "no weight on the day or the day before, or fewer than {} day weights among the {} most recent weighed days in the {} days before it, episode days left out (the baseline is their median); weight rules are then skipped, the others still run; cannot be turned off",
            nb.min_weights, nb.days, nb.lookback_days
        ),
        changed("no_baseline", nb, &d.no_baseline),
    );
    let s = &c.stale;
    b.add(
        "D2",
        "stale",
        s.enabled,
        s.level.to_string(),
        "any diary entry",
        format!(
            "nothing logged in the last {}, the evaluation day included; cannot be turned off",
            crate::render::count(s.days, "day", "days")
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
            "a prodrome-set symptom at severity {} or more {win} and no weight on the day (\"weigh yourself now\")",
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
        &format!("day weight (the day's first), {baseline_input}"),
        format!(
            "the day weight is at least {} over the baseline (lowered by P3 after a trigger); uses the day before's weight until you weigh",
            gain(w1.watch_kg, w1.watch_pct, "the baseline")
        ),
        changed("weight_gain", w1, &d.weight_gain),
    );
    let w2 = &c.weight_gain_large;
    b.add(
        "W2",
        "weight_gain_large",
        w2.enabled,
        w2.level.to_string(),
        &format!("day weight, {baseline_input}"),
        format!(
            "the day weight is at least {} over the baseline; uses the day before's weight until you weigh",
            gain(w2.warning_kg, w2.warning_pct, "the baseline")
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
            "the day weight is at least {} over the previous day's",
            gain(w3.watch_kg, w3.watch_pct, "the previous day's")
        ),
        changed("overnight_jump", w3, &d.overnight_jump),
    );
    let w4 = &c.sustained_gain;
    let over = match c.dry_weight_kg {
        Some(dry) => format!(
            "{} over your dry weight {} (dry_weight_kg)",
            gain(w4.watch_kg, w4.watch_pct, "the dry weight"),
            wt(dry)
        ),
        None => format!(
            "{} over the reference, the median day weight {} to {} days before (at least {} weighed, episode days left out); set dry_weight_kg to measure from your dry weight instead",
            gain(w4.watch_kg, w4.watch_pct, "the reference"),
            w4.reference_from_days,
            w4.reference_to_days,
            w4.min_reference
        ),
    };
    b.add(
        "W4",
        "sustained_gain",
        w4.enabled,
        w4.level.to_string(),
        "day weights, dry weight (dry_weight_kg) when set",
        format!(
            "the median day weight of the last {} days (at least {} weighed) is at least {over}",
            w4.recent_days, w4.min_recent
        ),
        [
            changed("sustained_gain", w4, &d.sustained_gain),
            changed_top("dry_weight_kg", c.dry_weight_kg, d.dry_weight_kg),
        ]
        .concat(),
    );
    let p1 = &c.weight_thirst;
    b.add(
        "P1",
        "weight_thirst",
        p1.enabled,
        p1.level.to_string(),
        "weight gain (W1 or W4), thirst",
        format!(
            "weight gain present (W1 or W4) and thirst at severity {} or more {win}",
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
            "{}; {} with weight gain present (W1 or W4)",
            p2.level,
            p2.level.max(p2.level_with_gain)
        ),
        "prodrome-set symptoms, weight gain (W1 or W4)",
        format!(
            "at least {} distinct symptoms of the prodrome set at severity {} or more {win}: {}",
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
            "{} at severity {} or more on the day or the {} days before: W1 (and so P1 and P2's upgrade) uses {} instead",
            list(&t.symptoms),
            t.min_severity,
            t.days,
            gain(t.watch_kg, t.watch_pct, "the baseline")
        ),
        changed("trigger", t, &d.trigger),
    );
    let bpb = changed("bp_baseline", &c.bp_baseline, &d.bp_baseline);
    let base_text = format!(
        "baseline = median of up to {} earlier sitting readings at most {} days old, needing {}",
        c.bp_baseline.readings, c.bp_baseline.max_age_days, c.bp_baseline.min_readings
    );
    let l1 = &c.hypotension;
    b.add(
        "L1",
        "hypotension",
        l1.enabled,
        l1.level.to_string(),
        "systolic, sitting or standing (the worst reading in the 24-hour window)",
        format!(
            "the lowest systolic {win}, sitting or standing, at or below {}, or the lowest sitting one {} or more below your baseline ({base_text}); {fallback}",
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
        "sitting systolic (the lowest in the 24-hour window)",
        format!(
            "the lowest sitting systolic {win} at or below {}, or {} or more below your baseline, when L1 did not fire ({base_text}); {fallback}",
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
        "sitting and standing BP of one entry, dizziness (any entry in the 24-hour window)",
        format!(
            "any entry {win} whose systolic falls {} or more or diastolic {} or more from sitting to standing, or that has a standing BP and dizziness at severity {} or more",
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
        "heart rate and systolic of one entry (the worst in the 24-hour window)",
        format!(
            "the highest heart rate / systolic of one entry {win} (sitting systolic, else standing) is at least {} (warning) or {} (emergency); {fallback}",
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
        "heart rate (the highest in the 24-hour window)",
        format!(
            "the highest heart rate {win} at least {} bpm (warning) or {} bpm (emergency); {fallback}",
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
        "fainting (the highest severity in the 24-hour window)",
        format!(
            "fainting logged at severity {} or more {win}",
            l6.min_severity
        ),
        changed("syncope", l6, &d.syncope),
    );
    let l7 = &c.low_urine;
    b.add(
        "L7",
        "low_urine",
        l7.enabled,
        l7.level.to_string(),
        "--urine, --urine-ml (24 h totals; the lowest in the 24-hour window)",
        format!(
            "urine 'less' anywhere {win}, or the lowest 24 h total in it below {} mL",
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
        "swelling, weight, dizziness, sitting systolic, urine (24-hour window, highest severities)",
        format!(
            "{win}: (swelling at severity {m} or more, or W2's gain) and (dizziness at {m} or more, or the lowest sitting systolic at or below {}, or L7's low urine)",
            l8.max_systolic,
            m = l8.min_severity
        ),
        changed("leak_combo", l8, &d.leak_combo),
    );
    let l9 = &c.breathing;
    b.add(
        "L9",
        "breathing",
        l9.enabled,
        band_level(l9.level, "warning / emergency"),
        "breathlessness, orthopnea (the highest severity in the 24-hour window)",
        format!(
            "breathlessness or orthopnea {win} at severity {} or more (warning) or {} or more (emergency): fluid may be reaching the lungs",
            l9.warning_severity, l9.emergency_severity
        ),
        changed("breathing", l9, &d.breathing),
    );
    let l10 = &c.swelling;
    b.add(
        "L10",
        "swelling",
        l10.enabled,
        l10.level.to_string(),
        "swelling (the highest severity in the 24-hour window)",
        format!(
            "swelling at severity {} or more {win}, when L8 did not fire",
            l10.min_severity
        ),
        changed("swelling", l10, &d.swelling),
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
            "warning: hemoglobin {} g/dL or hematocrit {} points over your baseline; emergency: hemoglobin at or above {} g/dL, hematocrit at or above {}%, hemoglobin {} g/dL or hematocrit {} points over your baseline ({lab_text})",
            h1.hb_rise_warning,
            h1.hct_rise_warning,
            h1.hb_emergency,
            h1.hct_emergency,
            h1.hb_rise_emergency,
            h1.hct_rise_emergency
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
        "polyuria, breathlessness, orthopnea, day weights",
        format!(
            "only in the recovery window, from an episode's start to {w} days after its end (an open episode keeps it open) and the {w} days after an emergency day outside an episode: emergency on polyuria with breathlessness or orthopnea (severity {m}+ {win}; no weight needed); warning on breathlessness or orthopnea alone; watch when the day weight falls at least {} since the day before, with polyuria",
            gain(r1.loss_kg, r1.loss_pct, "the day before's"),
            w = r1.window_days,
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
