//! H1–H2, the lab rules (optional labs): hemoconcentration (H1, hemoglobin
//! or hematocrit up) and low albumin (H2). `[rules.labs]` sets how long a
//! value counts and how far back its baseline reaches.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Family, Switch};
use crate::model::LabKind;
use crate::rules::config::RulesConfig;
use crate::rules::day::{banded, ev, fire, n_days, num, r3, skip, Ctx, Evidence, Out, EPS};
use crate::rules::describe::{band_level, changed, Builder};
use crate::rules::index::LabReading;
use crate::rules::validate::{level, opt_level, range_f, range_u, Checked, Key, RuleKey};
use crate::rules::{Level, RuleId};

pub(super) const FAMILY: Family = Family {
    validate,
    evaluate,
    describe,
    switches,
};

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

fn validate(c: &RulesConfig, _custom: &[String]) -> Checked {
    range_u(&Key("labs.valid_days"), c.labs.valid_days, 1, 60)?;
    range_u(&Key("labs.baseline_days"), c.labs.baseline_days, 7, 365)?;
    let k = |s: &'static str| RuleKey(RuleId::H1, s);
    let h = &c.hemoconcentration;
    opt_level(&k("level"), h.level)?;
    range_f(&k("hb_rise_warning"), h.hb_rise_warning, 0.1, 10.0)?;
    range_f(&k("hct_rise_warning"), h.hct_rise_warning, 0.5, 30.0)?;
    range_f(
        &k("hb_rise_emergency"),
        h.hb_rise_emergency,
        h.hb_rise_warning,
        15.0,
    )
    .map_err(|e| e.hint("at or above hb_rise_warning"))?;
    range_f(
        &k("hct_rise_emergency"),
        h.hct_rise_emergency,
        h.hct_rise_warning,
        40.0,
    )
    .map_err(|e| e.hint("at or above hct_rise_warning"))?;
    range_f(&k("hb_emergency"), h.hb_emergency, 10.0, 25.0)?;
    range_f(&k("hct_emergency"), h.hct_emergency, 30.0, 80.0)?;
    let k = |s: &'static str| RuleKey(RuleId::H2, s);
    let a = &c.albumin;
    level(&k("level"), a.level, false)?;
    level(
        &k("level_with_hemoconcentration"),
        a.level_with_hemoconcentration,
        false,
    )?;
    range_f(&k("below"), a.below, 5.0, 60.0)?;
    range_f(&k("drop"), a.drop, 0.5, 40.0)
}

/// H1's reading of one value: its absolute limit when at or above it, and
/// the band and limit its rise over the baseline reaches.
struct LabHit {
    abs: Option<f64>,
    rise: Option<(Level, f64)>,
}

impl LabHit {
    fn new(kind: LabKind, r: &LabReading, c: &Hemoconcentration) -> LabHit {
        let (abs_lim, rise_w, rise_e) = match kind {
            LabKind::Hemoglobin => (c.hb_emergency, c.hb_rise_warning, Some(c.hb_rise_emergency)),
            _ => (
                c.hct_emergency,
                c.hct_rise_warning,
                Some(c.hct_rise_emergency),
            ),
        };
        let rise = r.baseline.and_then(|(b, _)| {
            let rise = r.value - b;
            match rise_e {
                Some(l) if rise >= l - EPS => Some((Level::Emergency, l)),
                _ if rise >= rise_w - EPS => Some((Level::Warning, rise_w)),
                _ => None,
            }
        });
        LabHit {
            abs: (r.value >= abs_lim - EPS).then_some(abs_lim),
            rise,
        }
    }

    fn band(&self) -> Option<Level> {
        self.abs
            .map(|_| Level::Emergency)
            .max(self.rise.map(|x| x.0))
    }
}

/// H1 and H2.
fn evaluate(ctx: &Ctx<'_, '_>, out: &mut Out<'_>) {
    let cfg = ctx.cfg;
    let valid = cfg.labs.valid_days;
    let ix = ctx.ix;
    let c = &cfg.hemoconcentration;
    if c.enabled {
        let worst = |kind| ix.worst_lab(kind, ctx.date, valid, |r| LabHit::new(kind, r, c).band());
        let hb = worst(LabKind::Hemoglobin);
        let hct = worst(LabKind::Hematocrit);
        if hb.is_none() && hct.is_none() {
            skip!(
                out,
                RuleId::H1,
                format!(
                    "no hemoglobin or hematocrit in the {} up to {}",
                    n_days(i64::from(valid)),
                    ctx.ds
                ),
            );
        } else {
            let labs = [(LabKind::Hemoglobin, hb), (LabKind::Hematocrit, hct)];
            let band = labs
                .iter()
                .filter_map(|(kind, r)| LabHit::new(*kind, (*r)?, c).band())
                .max();
            if let Some(b) = band {
                fire!(out, RuleId::H1, banded(c.level, b), {
                    let mut parts = Vec::new();
                    let mut evidence = Evidence::new();
                    for (kind, r) in labs {
                        let Some(r) = r else { continue };
                        let hit = LabHit::new(kind, r, c);
                        let e = ctx.entry(r.entry);
                        let unit = kind.unit();
                        let rise = r.baseline.map(|(b, _)| r.value - b);
                        let mut why = Vec::new();
                        if let Some(lim) = hit.abs {
                            why.push(format!("at or above {}", num(lim)));
                        }
                        if let (Some((_, lim)), Some(rise), Some((b, n))) =
                            (hit.rise, rise, r.baseline)
                        {
                            why.push(format!(
                                "{:+.1} over your baseline {} (median of {}; limit +{})",
                                rise,
                                num(b),
                                crate::render::count(n, "value", "values"),
                                num(lim)
                            ));
                        }
                        evidence.insert(
                            kind.as_str().into(),
                            json!({"value": r.value, "date": e.date().to_string(), "entry_id": e.id,
                                   "baseline": r.baseline.map(|x| x.0), "baseline_values": r.baseline.map(|x| x.1), "rise": rise.map(r3)}),
                        );
                        if !why.is_empty() {
                            let shown = if unit == "%" {
                                format!("{}%", num(r.value))
                            } else {
                                format!("{} {unit}", num(r.value))
                            };
                            parts.push(format!(
                                "{kind} {shown} on {} is {}{}",
                                e.date(),
                                why.join(" and "),
                                latest_tail(ctx, kind, r)
                            ));
                        }
                    }
                    (parts.join("; "), evidence)
                });
            }
        }
    }

    let c = &cfg.albumin;
    if c.enabled {
        let low = |r: &LabReading| {
            r.value < c.below || r.baseline.is_some_and(|(b, _)| b - r.value >= c.drop - EPS)
        };
        match ix.worst_lab(LabKind::Albumin, ctx.date, valid, low) {
            None => skip!(
                out,
                RuleId::H2,
                format!(
                    "no albumin in the {} up to {}",
                    n_days(i64::from(valid)),
                    ctx.ds
                ),
            ),
            Some(r) => {
                let e = ctx.entry(r.entry);
                let drop = r.baseline.map(|(b, _)| b - r.value);
                let below = r.value < c.below;
                let dropped = drop.is_some_and(|d| d >= c.drop - EPS);
                if below || dropped {
                    let h1 = out.fired(RuleId::H1).filter(|l| *l >= Level::Warning);
                    let level = if h1.is_some() {
                        c.level.max(c.level_with_hemoconcentration)
                    } else {
                        c.level
                    };
                    fire!(
                        out,
                        RuleId::H2,
                        level,
                        {
                            let mut why = Vec::new();
                            if below {
                                why.push(format!("below {}", num(c.below)));
                            }
                            if let (true, Some(d), Some((b, n))) = (dropped, drop, r.baseline) {
                                why.push(format!(
                                    "{} below your baseline {} (median of {}; limit {})",
                                    num(d),
                                    num(b),
                                    crate::render::count(n, "value", "values"),
                                    num(c.drop)
                                ));
                            }
                            let mut msg = format!(
                                "albumin {} g/L on {} is {}{}",
                                num(r.value),
                                e.date(),
                                why.join(" and "),
                                latest_tail(ctx, LabKind::Albumin, r)
                            );
                            if h1.is_some() {
                                msg.push_str(", with hemoconcentration (H1)");
                            }
                            msg
                        },
                        ev! {"value" => r.value, "date" => e.date().to_string(), "entry_id" => e.id,
                        "baseline" => r.baseline.map(|x| x.0), "drop" => drop.map(r3), "below" => c.below, "with_h1" => h1.is_some()},
                    );
                }
            }
        }
    }
}

/// "; latest 42% on 2026-11-25" when the value judged is not the latest
/// of its lab in the window (a later value does not clear an earlier one).
fn latest_tail(ctx: &Ctx<'_, '_>, kind: LabKind, judged: &LabReading) -> String {
    match ctx.ix.latest_lab(kind, ctx.date, ctx.cfg.labs.valid_days) {
        Some(l) if l.entry != judged.entry => {
            let value = if kind.unit() == "%" {
                format!("{}%", num(l.value))
            } else {
                format!("{} {}", num(l.value), kind.unit())
            };
            format!("; latest {value} on {}", ctx.entry(l.entry).date())
        }
        _ => String::new(),
    }
}

fn describe(c: &RulesConfig, b: &mut Builder) {
    let d = &b.defaults;
    let labs = changed("labs", &c.labs, &d.labs);
    let lab_text = format!(
        "each value counts for {} days, the worst of them judged; baseline = median of earlier values in the {} days before it",
        c.labs.valid_days, c.labs.baseline_days
    );
    let h1 = &c.hemoconcentration;
    let changes = [
        changed(RuleId::H1.name(), h1, &d.hemoconcentration),
        labs.clone(),
    ]
    .concat();
    b.add(
        RuleId::H1,
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
        changes,
    );
    let h2 = &c.albumin;
    let changes = [changed(RuleId::H2.name(), h2, &b.defaults.albumin), labs].concat();
    b.add(
        RuleId::H2,
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
        changes,
    );
}

fn switches(c: &RulesConfig) -> Vec<Switch> {
    let h2 = &c.albumin;
    vec![
        Switch::banded(
            RuleId::H1,
            c.hemoconcentration.enabled,
            c.hemoconcentration.level,
        ),
        Switch::one(
            RuleId::H2,
            h2.enabled,
            h2.level.max(h2.level_with_hemoconcentration),
        ),
    ]
}
