//! L1–L5, the pressure and pulse rules: low blood pressure against fixed
//! limits and the personal baseline (L1, and L2 its lower band), an
//! orthostatic drop (L3), the shock index (L4) and a fast pulse (L5).

use serde::{Deserialize, Serialize};

use super::{Family, Switch};
use crate::model::{Entry, Severity};
use crate::rules::config::RulesConfig;
use crate::rules::day::{banded, ev, fire, note, num, r3, skip, sym, Ctx, Evidence, Out, EPS};
use crate::rules::describe::{band_level, changed, Builder, FALLBACK, WIN};
use crate::rules::index::{median_of, shift};
use crate::rules::validate::{level, opt_level, range_f, range_u, severity, Checked, Key, RuleKey};
use crate::rules::{Level, RuleId};

pub(super) const FAMILY: Family = Family {
    validate,
    evaluate,
    describe,
    switches,
};

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

fn validate(c: &RulesConfig, _custom: &[String]) -> Checked {
    let b = &c.bp_baseline;
    range_u(&Key("bp_baseline.readings"), b.readings, 1, 50)?;
    range_u(
        &Key("bp_baseline.min_readings"),
        b.min_readings,
        1,
        b.readings,
    )?;
    range_u(&Key("bp_baseline.max_age_days"), b.max_age_days, 1, 365)?;

    let k = |s: &'static str| RuleKey(RuleId::L1, s);
    level(&k("level"), c.hypotension.level, false)?;
    range_u(&k("max_systolic"), c.hypotension.max_systolic, 40, 250)?;
    range_u(&k("drop"), c.hypotension.drop, 5, 150)?;
    let k = |s: &'static str| RuleKey(RuleId::L2, s);
    level(&k("level"), c.low_bp.level, false)?;
    // L2 is the milder band: inside L1's it could never fire.
    range_u(
        &k("max_systolic"),
        c.low_bp.max_systolic,
        c.hypotension.max_systolic,
        250,
    )
    .map_err(|e| e.hint("at or above hypotension.max_systolic"))?;
    range_u(&k("drop"), c.low_bp.drop, 5, c.hypotension.drop)
        .map_err(|e| e.hint("at most hypotension.drop"))?;

    let k = |s: &'static str| RuleKey(RuleId::L3, s);
    let o = &c.orthostatic;
    level(&k("level"), o.level, false)?;
    range_u(&k("systolic_drop"), o.systolic_drop, 1, 150)?;
    range_u(&k("diastolic_drop"), o.diastolic_drop, 1, 100)?;
    severity(&k("min_severity"), o.min_severity)?;

    let k = |s: &'static str| RuleKey(RuleId::L4, s);
    let s = &c.shock_index;
    opt_level(&k("level"), s.level)?;
    range_f(&k("warning_at"), s.warning_at, 0.3, 3.0)?;
    range_f(&k("emergency_at"), s.emergency_at, s.warning_at, 3.0)
        .map_err(|e| e.hint("at or above warning_at"))?;

    let k = |s: &'static str| RuleKey(RuleId::L5, s);
    let t = &c.tachycardia;
    opt_level(&k("level"), t.level)?;
    range_u(&k("warning_bpm"), t.warning_bpm, 40, 250)?;
    range_u(&k("emergency_bpm"), t.emergency_bpm, t.warning_bpm, 250)
        .map_err(|e| e.hint("at or above warning_bpm"))
}

/// A systolic reading: (mmHg, entry index, standing).
type Sbp = (u16, usize, bool);

/// The systolic readings of one entry: sitting, then standing.
fn sbps(e: &Entry, i: usize) -> impl Iterator<Item = Sbp> {
    let sit =
        e.m.bp
            .filter(|b| b.systolic > 0)
            .map(|b| (b.systolic, i, false));
    let stand =
        e.m.standing_bp
            .filter(|b| b.systolic > 0)
            .map(|b| (b.systolic, i, true));
    sit.into_iter().chain(stand)
}

/// The lowest reading, the earliest of equals.
fn lowest(v: impl Iterator<Item = Sbp>) -> Option<Sbp> {
    v.fold(None, |best: Option<Sbp>, r| match best {
        Some(b) if b.0 <= r.0 => Some(b),
        _ => Some(r),
    })
}

/// The sitting systolic baseline before entry `i`: (median, readings).
fn sbp_baseline(ctx: &Ctx<'_, '_>, i: usize) -> (Option<(f64, usize)>, usize) {
    let b = &ctx.cfg.bp_baseline;
    let ix = ctx.ix;
    let n = ix.bp.partition_point(|&j| j < i);
    let oldest = shift(ix.lday(i), -i64::from(b.max_age_days));
    let (m, have) = median_of(
        ix.bp[..n]
            .iter()
            .rev()
            .take_while(|&&j| ix.lday(j) >= oldest)
            .take(b.readings as usize)
            .filter_map(|&j| ix.entries[j].m.bp.map(|bp| f64::from(bp.systolic))),
    );
    let base = m
        .filter(|_| have >= b.min_readings as usize)
        .map(|m| (m, have));
    (base, have)
}

fn evaluate(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) {
    out.sbp_low = bp_rules(ctx, out);
    orthostatic(ctx, out);
    pulse_rules(ctx, out);
}

/// L1 and L2 on the worst reading of the window. Returns whether the lowest
/// sitting systolic is ≤ L8's limit (`None` when there is no sitting
/// reading).
#[allow(clippy::too_many_lines)]
fn bp_rules(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) -> Option<bool> {
    let cfg = ctx.cfg;
    let (c1, c2) = (&cfg.hypotension, &cfg.low_bp);
    let any_bp = |e: &Entry| sbps(e, 0).next().is_some();
    let all = ctx.readings(any_bp);
    if all.is_empty() {
        if out.detail {
            let reason = format!("no blood pressure logged {}", ctx.in_48h());
            if c1.enabled {
                out.skip(RuleId::L1, &reason);
            }
            if c2.enabled {
                out.skip(RuleId::L2, reason);
            }
        }
        return None;
    }
    let abs_low =
        lowest(all.iter().flat_map(|&i| sbps(ctx.entry(i), i))).expect("readings have a systolic");
    let sitting = ctx.readings(|e| e.m.bp.is_some_and(|b| b.systolic > 0));
    let sit_low = lowest(
        sitting
            .iter()
            .flat_map(|&i| sbps(ctx.entry(i), i).filter(|r| !r.2)),
    );
    // The baseline is taken before the first sitting reading judged, so the
    // window's own readings never become each other's baseline: a second,
    // lower reading must not lift the first one's alarm (docs/rules.md says
    // "before it"; we read it as "before the window").
    let (base, base_have) = match (sit_low, sitting.first()) {
        (Some(_), Some(&first)) => sbp_baseline(ctx, first),
        _ => (None, 0),
    };
    if base.is_none() && sit_low.is_some() && (c1.enabled || c2.enabled) {
        note!(out, format!(
            "no blood-pressure baseline yet ({base_have} of {} earlier sitting readings): systolic judged by the fixed limits only",
            cfg.bp_baseline.min_readings
        ));
    }
    // (reading, baseline, readings, drop) for the relative limits.
    let rel = match (sit_low, base) {
        (Some(r), Some((b, n))) => Some((r, b, n, b - f64::from(r.0))),
        _ => None,
    };
    let latest = *all.last().expect("not empty");
    let word = |r: Sbp| if r.2 { "standing systolic" } else { "systolic" };
    let latest_tail = |worst: usize| -> String {
        if latest == worst {
            return String::new();
        }
        let e = ctx.entry(latest);
        let v = e.m.bp.or(e.m.standing_bp).map_or(0, |b| b.systolic);
        format!("; latest {v} at {}", ctx.at(latest))
    };
    let text = |max: u16, drop: u16, abs: Option<Sbp>| -> (String, Evidence) {
        let mut parts = Vec::new();
        let mut worst = None;
        if let Some(r) = abs.filter(|r| r.0 <= max) {
            parts.push(format!(
                "{} {} mmHg at {} is at or below {max}",
                word(r),
                r.0,
                ctx.at(r.1)
            ));
            worst = Some(r);
        }
        if let Some((r, b, n, d)) = rel.filter(|x| x.3 >= f64::from(drop) - EPS) {
            if worst.is_some_and(|w| w.1 == r.1 && !w.2) {
                parts[0].push_str(&format!(
                    ", and {} below your baseline {} (median of {})",
                    num(d),
                    num(b),
                    crate::render::count(n, "reading", "readings")
                ));
            } else {
                parts.push(format!(
                    "systolic {} mmHg at {} is {} below your baseline {} (median of {}; limit {drop} below)",
                    r.0,
                    ctx.at(r.1),
                    num(d),
                    num(b),
                    crate::render::count(n, "reading", "readings")
                ));
            }
            worst = worst.or(Some(r));
        }
        let w = worst.expect("a limit was reached");
        let msg = format!("{}{}", parts.join("; "), latest_tail(w.1));
        let e = ctx.entry(w.1);
        let l = ctx.entry(latest);
        let evidence = ev! {
            "systolic" => w.0, "standing" => w.2, "entry_id" => e.id, "at" => ctx.at(w.1),
            "max_systolic" => max, "drop_limit" => drop,
            "baseline" => rel.map(|x| x.1), "baseline_readings" => rel.map(|x| x.2),
            "below_baseline" => rel.map(|x| r3(x.3)),
            "readings" => all.len(), "latest_entry_id" => l.id, "latest_at" => ctx.at(latest),
        };
        (msg, evidence)
    };
    let hit = |max: u16, drop: u16, abs: Option<Sbp>| {
        abs.is_some_and(|r| r.0 <= max) || rel.is_some_and(|x| x.3 >= f64::from(drop) - EPS)
    };
    // L1 reads standing readings too; L2 sitting ones only.
    if c1.enabled && hit(c1.max_systolic, c1.drop, Some(abs_low)) {
        fire!(
            out,
            RuleId::L1,
            c1.level,
            text(c1.max_systolic, c1.drop, Some(abs_low))
        );
    }
    // L2 is L1's lower band: not repeated when L1 already says as much.
    let shadowed = out.fired(RuleId::L1).is_some_and(|l| l >= c2.level);
    if c2.enabled && !shadowed {
        if sit_low.is_none() {
            skip!(
                out,
                RuleId::L2,
                format!("no sitting blood pressure logged {}", ctx.in_48h())
            );
        } else if hit(c2.max_systolic, c2.drop, sit_low) {
            fire!(
                out,
                RuleId::L2,
                c2.level,
                text(c2.max_systolic, c2.drop, sit_low)
            );
        }
    }
    sit_low.map(|r| r.0 <= cfg.leak_combo.max_systolic)
}

/// L3: any entry of the window with a standing reading.
fn orthostatic(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) {
    let c = &ctx.cfg.orthostatic;
    if !c.enabled {
        return;
    }
    let standing = ctx.readings(|e| e.m.standing_bp.is_some());
    if standing.is_empty() {
        skip!(
            out,
            RuleId::L3,
            format!("no standing blood pressure logged {}", ctx.in_48h()),
        );
        return;
    }
    // (entry, systolic drop, diastolic drop, dizziness, drop hit, dizzy hit)
    let judged: Vec<_> = standing
        .iter()
        .map(|&i| {
            let e = ctx.entry(i);
            let stand = e.m.standing_bp.expect("filtered on a standing BP");
            let drops = e.m.bp.map(|sit| {
                (
                    i32::from(sit.systolic) - i32::from(stand.systolic),
                    i32::from(sit.diastolic) - i32::from(stand.diastolic),
                )
            });
            let dizzy = e.m.symptom("dizziness").unwrap_or(0);
            let drop_hit = drops.is_some_and(|(ds, dd)| {
                ds >= i32::from(c.systolic_drop) || dd >= i32::from(c.diastolic_drop)
            });
            (i, drops, dizzy, drop_hit, dizzy >= c.min_severity)
        })
        .collect();
    let hit = judged
        .iter()
        .filter(|j| j.3 || j.4)
        .max_by_key(|j| (j.1.map_or(i32::MIN, |d| d.0), j.2));
    let Some(&(i, drops, dizzy, drop_hit, dizzy_hit)) = hit else {
        if judged.iter().all(|j| j.1.is_none()) {
            skip!(
                out,
                RuleId::L3,
                format!(
                    "the standing reading at {} has no sitting reading to compare with",
                    ctx.at(standing[standing.len() - 1])
                ),
            );
        }
        return;
    };
    let e = ctx.entry(i);
    let stand = e.m.standing_bp.expect("filtered on a standing BP");
    fire!(
        out,
        RuleId::L3,
        c.level,
        {
            let mut parts = Vec::new();
            if let (true, Some(sit), Some((ds, dd))) = (drop_hit, e.m.bp, drops) {
                parts.push(format!(
                    "standing blood pressure {stand} at {} is {ds}/{dd} below sitting {sit} (limit {}/{})",
                    ctx.at(i),
                    c.systolic_drop,
                    c.diastolic_drop
                ));
            }
            if dizzy_hit {
                parts.push(format!(
                    "{} when standing at {}",
                    sym("dizziness", dizzy),
                    ctx.at(i)
                ));
            }
            parts.join("; ")
        },
        ev! {
            "entry_id" => e.id, "at" => ctx.at(i),
            "sitting" => e.m.bp.map(|b| b.to_string()), "standing" => stand.to_string(),
            "systolic_drop" => drops.map(|x| x.0), "diastolic_drop" => drops.map(|x| x.1),
            "dizziness" => dizzy, "standing_readings" => standing.len(),
        },
    );
}

/// L4 and L5 on the worst reading of the window.
fn pulse_rules(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) {
    // An entry's shock index: its HR over its sitting systolic, or its
    // standing one when it has no sitting reading.
    let si_of = |e: &Entry| -> Option<(f64, u16, u16)> {
        let hr = e.m.heart_rate.filter(|h| *h > 0)?;
        let sbp =
            e.m.bp
                .or(e.m.standing_bp)
                .map(|b| b.systolic)
                .filter(|s| *s > 0)?;
        Some((f64::from(hr) / f64::from(sbp), hr, sbp))
    };
    let latest_tail =
        |list: &[usize], worst: usize, what: &dyn Fn(&Entry) -> String| match list.last() {
            Some(&l) if l != worst => format!("; latest {} at {}", what(ctx.entry(l)), ctx.at(l)),
            _ => String::new(),
        };
    let c = &ctx.cfg.shock_index;
    if c.enabled {
        let list = ctx.readings(|e| si_of(e).is_some());
        let worst = list
            .iter()
            .map(|&i| (i, si_of(ctx.entry(i)).expect("filtered")))
            .fold(
                None,
                |best: Option<(usize, (f64, u16, u16))>, x| match best {
                    Some(b) if b.1 .0 >= x.1 .0 => Some(b),
                    _ => Some(x),
                },
            );
        match worst {
            None => skip!(
                out,
                RuleId::L4,
                format!(
                    "no heart rate and blood pressure in one entry {}",
                    ctx.in_48h()
                ),
            ),
            Some((i, (si, hr, sbp))) => {
                let band = if si >= c.emergency_at - EPS {
                    Some((Level::Emergency, c.emergency_at))
                } else if si >= c.warning_at - EPS {
                    Some((Level::Warning, c.warning_at))
                } else {
                    None
                };
                if let Some((band, limit)) = band {
                    let e = ctx.entry(i);
                    fire!(
                        out,
                        RuleId::L4,
                        banded(c.level, band),
                        format!(
                            "shock index {si:.2} (heart rate {hr} / systolic {sbp}) at {} is at or above {limit}{}",
                            ctx.at(i),
                            latest_tail(&list, i, &|e: &Entry| si_of(e).map_or(String::new(), |x| format!("{:.2}", x.0)))
                        ),
                        ev! {"shock_index" => r3(si), "heart_rate" => hr, "systolic" => sbp, "entry_id" => e.id,
                        "at" => ctx.at(i), "limit" => limit, "readings" => list.len()},
                    );
                }
            }
        }
    }
    let c = &ctx.cfg.tachycardia;
    if c.enabled {
        let list = ctx.readings(|e| e.m.heart_rate.is_some());
        let worst = list
            .iter()
            .map(|&i| (i, ctx.entry(i).m.heart_rate.unwrap_or(0)))
            .fold(None, |best: Option<(usize, u16)>, x| match best {
                Some(b) if b.1 >= x.1 => Some(b),
                _ => Some(x),
            });
        match worst {
            None => skip!(
                out,
                RuleId::L5,
                format!("no heart rate logged {}", ctx.in_48h()),
            ),
            Some((i, hr)) => {
                let band = if hr >= c.emergency_bpm {
                    Some((Level::Emergency, c.emergency_bpm))
                } else if hr >= c.warning_bpm {
                    Some((Level::Warning, c.warning_bpm))
                } else {
                    None
                };
                if let Some((band, limit)) = band {
                    let e = ctx.entry(i);
                    fire!(
                        out,
                        RuleId::L5,
                        banded(c.level, band),
                        format!(
                            "heart rate {hr} bpm at {} is at or above {limit}{}",
                            ctx.at(i),
                            latest_tail(&list, i, &|e: &Entry| e
                                .m
                                .heart_rate
                                .unwrap_or(0)
                                .to_string())
                        ),
                        ev! {"heart_rate" => hr, "entry_id" => e.id, "at" => ctx.at(i), "limit" => limit, "readings" => list.len()},
                    );
                }
            }
        }
    }
}

fn describe(c: &RulesConfig, b: &mut Builder) {
    let d = &b.defaults;
    let bpb = changed("bp_baseline", &c.bp_baseline, &d.bp_baseline);
    let base_text = format!(
        "baseline = median of up to {} earlier sitting readings at most {} days old, needing {}",
        c.bp_baseline.readings, c.bp_baseline.max_age_days, c.bp_baseline.min_readings
    );
    let l1 = &c.hypotension;
    let changes = [changed(RuleId::L1.name(), l1, &d.hypotension), bpb.clone()].concat();
    b.add(
        RuleId::L1,
        l1.enabled,
        l1.level.to_string(),
        "systolic, sitting or standing (the worst reading in the 24-hour window)",
        format!(
            "the lowest systolic {WIN}, sitting or standing, at or below {}, or the lowest sitting one {} or more below your baseline ({base_text}); {FALLBACK}",
            l1.max_systolic, l1.drop
        ),
        changes,
    );
    let d = &b.defaults;
    let l2 = &c.low_bp;
    let changes = [changed(RuleId::L2.name(), l2, &d.low_bp), bpb].concat();
    b.add(
        RuleId::L2,
        l2.enabled,
        l2.level.to_string(),
        "sitting systolic (the lowest in the 24-hour window)",
        format!(
            "the lowest sitting systolic {WIN} at or below {}, or {} or more below your baseline, when L1 did not fire ({base_text}); {FALLBACK}",
            l2.max_systolic, l2.drop
        ),
        changes,
    );
    let l3 = &c.orthostatic;
    let changes = changed(RuleId::L3.name(), l3, &b.defaults.orthostatic);
    b.add(
        RuleId::L3,
        l3.enabled,
        l3.level.to_string(),
        "sitting and standing BP of one entry, dizziness (any entry in the 24-hour window)",
        format!(
            "any entry {WIN} whose systolic falls {} or more or diastolic {} or more from sitting to standing, or that has a standing BP and dizziness at severity {} or more",
            l3.systolic_drop, l3.diastolic_drop, l3.min_severity
        ),
        changes,
    );
    let l4 = &c.shock_index;
    let changes = changed(RuleId::L4.name(), l4, &b.defaults.shock_index);
    b.add(
        RuleId::L4,
        l4.enabled,
        band_level(l4.level, "warning / emergency"),
        "heart rate and systolic of one entry (the worst in the 24-hour window)",
        format!(
            "the highest heart rate / systolic of one entry {WIN} (sitting systolic, else standing) is at least {} (warning) or {} (emergency); {FALLBACK}",
            l4.warning_at, l4.emergency_at
        ),
        changes,
    );
    let l5 = &c.tachycardia;
    let changes = changed(RuleId::L5.name(), l5, &b.defaults.tachycardia);
    b.add(
        RuleId::L5,
        l5.enabled,
        band_level(l5.level, "warning / emergency"),
        "heart rate (the highest in the 24-hour window)",
        format!(
            "the highest heart rate {WIN} at least {} bpm (warning) or {} bpm (emergency); {FALLBACK}",
            l5.warning_bpm, l5.emergency_bpm
        ),
        changes,
    );
}

fn switches(c: &RulesConfig) -> Vec<Switch> {
    vec![
        Switch::one(RuleId::L1, c.hypotension.enabled, c.hypotension.level),
        Switch::one(RuleId::L2, c.low_bp.enabled, c.low_bp.level),
        Switch::one(RuleId::L3, c.orthostatic.enabled, c.orthostatic.level),
        Switch::banded(RuleId::L4, c.shock_index.enabled, c.shock_index.level),
        Switch::banded(RuleId::L5, c.tachycardia.enabled, c.tachycardia.level),
    ]
}
