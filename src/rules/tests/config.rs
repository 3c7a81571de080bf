//! The `[rules]` configuration: overrides, disabled rules, level overrides,
//! patient rules, validation messages and the TOML shape.

use std::path::Path;

use super::*;
use crate::config::Config;
use crate::rules::{Condition, CustomRule};

fn parse(text: &str) -> Result<Config, String> {
    Config::from_toml(text, Path::new("t.toml")).map_err(|e| e.to_string())
}

fn rules(text: &str) -> RulesConfig {
    parse(text).expect("valid config").rules
}

fn invalid(text: &str) -> String {
    parse(text).expect_err("must be rejected")
}

#[test]
fn threshold_override_changes_what_fires() {
    let cfg = rules("[rules.weight_gain]\nwatch_kg = 0.5\nwatch_pct = 0.5\n");
    let mut b = steady60();
    b.weigh(DAY, 60.5);
    assert!(b.eval(DAY).get("W1").is_none());
    let a = b.eval_cfg(DAY, &cfg);
    assert_eq!(a.level_of("W1"), Some(Level::Watch));
    assert!(a.msg("W1").contains("; limit +0.5 kg)"));
}

#[test]
fn disabled_rules_neither_fire_nor_skip() {
    let cfg = rules(
        "[rules.weight_gain]\nenabled = false\n[rules.overnight_jump]\nenabled = false\n[rules.hemoconcentration]\nenabled = false\n",
    );
    let mut b = steady60();
    b.weigh(DAY, 61.0);
    let a = b.eval_cfg(DAY, &cfg);
    assert!(a.get("W1").is_none());
    assert!(!a.is_skipped("W1") && !a.is_skipped("H1"));
    assert_eq!(a.level, Level::Ok);
    // W1's threshold still feeds P1 when W1 itself is off.
    b.entries.last_mut().unwrap().m.set_symptom("thirst", 2);
    assert_eq!(b.eval_cfg(DAY, &cfg).level_of("P1"), Some(Level::Warning));
}

#[test]
fn level_overrides_single_and_banded() {
    let cfg =
        rules("[rules.weight_gain]\nlevel = \"warning\"\n[rules.tachycardia]\nlevel = \"watch\"\n");
    let mut b = steady60();
    let m = b.weigh(DAY, 61.0);
    m.heart_rate = Some(140);
    let a = b.eval_cfg(DAY, &cfg);
    assert_eq!(a.level_of("W1"), Some(Level::Warning));
    assert_eq!(a.level_of("L5"), Some(Level::Watch));
    assert_eq!(a.level, Level::Warning);
}

#[test]
fn lowered_w2_level_does_not_hide_w1() {
    let cfg = rules(
        "[rules.weight_gain_large]\nlevel = \"watch\"\n[rules.weight_gain]\nlevel = \"warning\"\n",
    );
    let mut b = steady60();
    b.weigh(DAY, 62.5);
    let a = b.eval_cfg(DAY, &cfg);
    assert_eq!(a.level_of("W1"), Some(Level::Warning));
    assert_eq!(a.level_of("W2"), Some(Level::Watch));
    assert_eq!(a.level, Level::Warning);
}

#[test]
fn beta_agonist_patient_can_move_tachycardia_limits() {
    let cfg = rules("[rules.tachycardia]\nwarning_bpm = 121\nemergency_bpm = 141\n");
    let mut b = steady60();
    let m = b.weigh(DAY, 60.0);
    m.heart_rate = Some(118);
    assert_eq!(b.eval(DAY).level_of("L5"), Some(Level::Warning));
    assert_eq!(b.eval_cfg(DAY, &cfg).level, Level::Ok);
}

const MY_THIRST: &str = r#"
[[rules.custom]]
id = "my_thirst"
level = "watch"
message = "thirst with a small gain: call Dr Lee"
all = [ { weight_gain_kg = 0.5 }, { symptom = "Thirsty", min = 2 } ]
"#;

#[test]
fn custom_rule_fires_with_its_numbers() {
    let cfg = rules(MY_THIRST);
    let mut b = steady60();
    b.weigh(DAY, 60.5).set_symptom("thirst", 2);
    let a = b.eval_cfg(DAY, &cfg);
    assert_eq!(a.level_of("my_thirst"), Some(Level::Watch), "{a:#?}");
    assert_eq!(
        a.msg("my_thirst"),
        "thirst with a small gain: call Dr Lee (weight +0.5 kg (+0.8%) vs your baseline, thirst (moderate))"
    );
    let mut b = steady60();
    b.weigh(DAY, 60.4).set_symptom("thirst", 2);
    let a = b.eval_cfg(DAY, &cfg);
    assert!(a.get("my_thirst").is_none() && !a.is_skipped("my_thirst"));
}

#[test]
fn custom_rule_with_missing_inputs_is_skipped_not_passed() {
    let cfg = rules(MY_THIRST);
    // Thirst present but no baseline: the answer depends on the weight.
    let mut b = B::new();
    b.weigh(DAY, 60.5).set_symptom("thirst", 3);
    let a = b.eval_cfg(DAY, &cfg);
    assert!(a.get("my_thirst").is_none());
    let s = a
        .skipped
        .iter()
        .find(|s| s.rule == "my_thirst")
        .expect("skipped");
    assert!(s.reason.contains("no weight baseline"), "{}", s.reason);
    // No thirst: the rule is decided (false) whatever the weight.
    let mut b = B::new();
    b.weigh(DAY, 60.5);
    let a = b.eval_cfg(DAY, &cfg);
    assert!(!a.is_skipped("my_thirst"));
}

#[test]
fn custom_any_and_other_conditions() {
    let cfg = rules(
        r#"
[[rules.custom]]
id = "bp-or-labs"
level = "warning"
message = "call the ward"
any = [ { systolic_below = 105 }, { lab = "hb", above = 16.5 }, { heart_rate_above = 100 }, { shock_index_above = 0.8 } ]

[[rules.custom]]
id = "drop"
level = "watch"
message = "weight falling fast"
all = [ { overnight_kg = -1.0 }, { prodrome_count = 1 } ]
"#,
    );
    let mut b = steady60();
    let m = b.weigh(DAY, 60.0);
    m.bp = Some(bp(110, 70));
    m.heart_rate = Some(80);
    let a = b.eval_cfg(DAY, &cfg);
    // HR 80/110 = 0.73; no lab: undecided -> skipped.
    assert!(a.is_skipped("bp-or-labs"), "{a:#?}");
    m_last(&mut b).set_lab(LabKind::Hemoglobin, 16.6);
    let a = b.eval_cfg(DAY, &cfg);
    assert_eq!(a.level_of("bp-or-labs"), Some(Level::Warning));
    assert!(a.msg("bp-or-labs").contains("hemoglobin 16.6 g/dL"));

    let mut b = steady60();
    b.weigh(DAY, 59.0).set_symptom("fatigue", 2);
    assert_eq!(b.eval_cfg(DAY, &cfg).level_of("drop"), Some(Level::Watch));
    let mut b = steady60();
    b.weigh(DAY, 59.1).set_symptom("fatigue", 2);
    assert!(b.eval_cfg(DAY, &cfg).get("drop").is_none());
}

fn m_last(b: &mut B) -> &mut crate::model::Measurements {
    &mut b.entries.last_mut().unwrap().m
}

#[test]
fn invalid_configs_name_the_rule_and_key() {
    let e = invalid("[rules.weight_gain]\nwatch_kg = -1.0\n");
    assert!(
        e.ends_with("rules.weight_gain.watch_kg: -1 is out of range: must be 0–20"),
        "{e}"
    );
    let e = invalid(&MY_THIRST.replace("Thirsty", "thrist"));
    assert!(
        e.contains(
            "rules.custom[0] (my_thirst): unknown symptom 'thrist' (did you mean 'thirst'?)"
        ),
        "{e}"
    );
    assert!(e.contains("all[1].symptom"), "{e}");
    let e = invalid("[rules.hypotension]\nlevel = \"ok\"\n");
    assert!(
        e.contains("rules.hypotension.level: 'ok' is not allowed"),
        "{e}"
    );
    let e = invalid("[rules.low_bp]\nlevel = \"unknown\"\n");
    assert!(e.contains("rules.low_bp.level"), "{e}");
    let e = invalid("[rules.stale]\nenabled = false\n");
    assert!(e.contains("rules.stale.enabled: cannot be false"), "{e}");
    let e = invalid("[rules.no_baseline]\nenabled = false\n");
    assert!(e.contains("rules.no_baseline.enabled"), "{e}");
    let e = invalid("[rules.weight_gain]\nwatch_kgs = 1.0\n");
    assert!(e.contains("watch_kgs"), "{e}");
    let e = invalid("[rules.shock_index]\nwarning_at = 1.1\nemergency_at = 1.0\n");
    assert!(
        e.contains("rules.shock_index.emergency_at: 1 is out of range: must be 1.1–3"),
        "{e}"
    );
    // A milder band set inside the graver one could never fire.
    let e = invalid("[rules.weight_gain_large]\nwarning_kg = 0.8\n");
    assert!(
        e.contains("rules.weight_gain_large.warning_kg: 0.8 is out of range: must be 1–20 (at or above weight_gain.watch_kg)"),
        "{e}"
    );
    let e = invalid("[rules.low_bp]\nmax_systolic = 85\n");
    assert!(
        e.contains("rules.low_bp.max_systolic: 85 is out of range: must be 90–250 (at or above hypotension.max_systolic)"),
        "{e}"
    );
    let e = invalid("[rules.low_bp]\ndrop = 45\n");
    assert!(
        e.contains(
            "rules.low_bp.drop: 45 is out of range: must be 5–40 (at most hypotension.drop)"
        ),
        "{e}"
    );
    let e = invalid("[rules.prodrome_cluster]\nsymptoms = [\"fatige\"]\n");
    assert!(
        e.contains("rules.prodrome_cluster.symptoms[0]: unknown symptom 'fatige' (did you mean 'fatigue'?)"),
        "{e}"
    );
    let e = invalid("[rules.prodrome_cluster]\nmin_count = 12\n");
    assert!(
        e.contains("rules.prodrome_cluster.min_count: 12 is out of range: must be 1–11"),
        "{e}"
    );
    let e = invalid("[rules.weight_gain]\nwatch_pct = nan\n");
    assert!(e.contains("rules.weight_gain.watch_pct"), "{e}");
    let e = invalid("[rules.syncope]\nmin_severity = 0\n");
    assert!(
        e.contains("rules.syncope.min_severity: 0 is out of range: must be 1–3"),
        "{e}"
    );
}

#[test]
fn invalid_custom_rules() {
    let base = "[[rules.custom]]\nid = \"x\"\nmessage = \"m\"\n";
    let e = invalid(base);
    assert!(
        e.contains("rules.custom[0] (x): needs at least one condition"),
        "{e}"
    );
    let e = invalid(&format!(
        "{base}all = [ {{ weight_gain_kg = 1.0, symptom = \"thirst\" }} ]\n"
    ));
    assert!(
        e.contains("rules.custom[0] (x).all[0]: one condition per"),
        "{e}"
    );
    let e = invalid(&format!("{base}all = [ {{ }} ]\n"));
    assert!(
        e.contains("rules.custom[0] (x).all[0]: empty condition"),
        "{e}"
    );
    let e = invalid(&format!(
        "{base}any = [ {{ lab = \"sodium\", above = 1.0 }} ]\n"
    ));
    assert!(
        e.contains("rules.custom[0] (x).any[0].lab: unknown lab 'sodium'"),
        "{e}"
    );
    let e = invalid(&format!("{base}any = [ {{ lab = \"hb\" }} ]\n"));
    assert!(e.contains("needs `above = N` or `below = N`"), "{e}");
    let e = invalid(&format!("{base}all = [ {{ systolic_below = 20 }} ]\n"));
    assert!(
        e.contains("rules.custom[0] (x).all[0].systolic_below: 20 is out of range"),
        "{e}"
    );
    let e = invalid(&format!(
        "{base}all = [ {{ weight_gain_kg = 1.0, min = 2 }} ]\n"
    ));
    assert!(e.contains(".min: only allowed with `symptom`"), "{e}");
    let e = invalid(&format!(
        "{base}all = [ {{ symptom = \"thirst\", level = 2 }} ]\n"
    ));
    assert!(e.contains("level"), "{e}");
    let e = invalid(
        "[[rules.custom]]\nid = \"W1\"\nmessage = \"m\"\nall = [ { prodrome_count = 2 } ]\n",
    );
    assert!(e.contains("built-in"), "{e}");
    // v2's rules too, by id and by name.
    for id in ["W4", "l10", "breathing", "swelling"] {
        let e = invalid(&format!(
            "[[rules.custom]]\nid = \"{id}\"\nmessage = \"m\"\nall = [ {{ prodrome_count = 2 }} ]\n"
        ));
        assert!(
            e.contains("is the id or name of a built-in rule"),
            "{id}: {e}"
        );
    }
    let e = invalid("[[rules.custom]]\nmessage = \"m\"\nall = [ { prodrome_count = 2 } ]\n");
    assert!(e.contains("rules.custom[0].id: missing"), "{e}");
    let e = invalid("[[rules.custom]]\nid = \"a\"\nall = [ { prodrome_count = 2 } ]\n");
    assert!(e.contains("rules.custom[0] (a).message: missing"), "{e}");
    let two = "[[rules.custom]]\nid = \"a\"\nmessage = \"m\"\nall = [ { prodrome_count = 2 } ]\n";
    let e = invalid(&format!("{two}{}", two.replace("id = \"a\"", "id = \"A\"")));
    assert!(
        e.contains("rules.custom[1] (A).id: 'A' is used by an earlier custom rule"),
        "{e}"
    );
    let e = invalid("[[rules.custom]]\nid = \"a\"\nlevel = \"ok\"\nmessage = \"m\"\nall = [ { prodrome_count = 2 } ]\n");
    assert!(
        e.contains("rules.custom[0] (a).level: 'ok' is not allowed"),
        "{e}"
    );
}

#[test]
fn custom_symptoms_from_the_config_are_accepted() {
    let cfg = rules(
        "[symptoms]\ncustom = [\"joint pain\"]\n[[rules.custom]]\nid = \"joints\"\nmessage = \"joints again\"\nall = [ { symptom = \"joint_pain\", min = 3 } ]\n",
    );
    let mut b = steady60();
    b.weigh(DAY, 60.0).set_symptom("joint-pain", 3);
    assert_eq!(b.eval_cfg(DAY, &cfg).level_of("joints"), Some(Level::Watch));
}

#[test]
fn the_example_config_documents_every_default() {
    // Uncommenting every `# key = value` line of the rules section must give
    // the defaults again: the documented values are the real ones.
    let text = crate::config::DEFAULT_TOML;
    let section = text
        .split("# ==== rules ====")
        .nth(1)
        .expect("the example has a rules section");
    let uncommented: String = section
        .lines()
        .map(|l| {
            let body = l.strip_prefix("# ").unwrap_or("");
            let is_key = body.split_once(" = ").is_some_and(|(k, _)| {
                !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            });
            if is_key && !l.contains("not set by default") {
                body.to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let n = uncommented
        .lines()
        .filter(|l| l.contains(" = ") && !l.starts_with('#'))
        .count();
    assert!(n > 60, "only {n} keys uncommented");
    let cfg = rules(&uncommented);
    assert_eq!(cfg, RulesConfig::default());
    assert_eq!(rules(section), RulesConfig::default());
    // And the ## example rule is valid.
    let example: String = section
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .collect::<Vec<_>>()
        .join("\n");
    let cfg = rules(&example);
    assert_eq!(cfg.custom.len(), 1);
    assert_eq!(cfg.custom[0].id, "my_thirst");
}

#[test]
fn full_config_round_trips_through_toml() {
    let mut cfg = Config::default();
    cfg.rules.weight_gain.watch_kg = 1.2;
    cfg.rules.tachycardia.level = Some(Level::Watch);
    cfg.rules.hypotension.enabled = false;
    cfg.rules.custom.push(CustomRule {
        id: "mine".into(),
        level: Level::Warning,
        message: "call".into(),
        all: vec![
            Condition {
                weight_gain_pct: Some(1.0),
                ..Condition::default()
            },
            Condition {
                symptom: Some("thirst".into()),
                min: Some(3),
                ..Condition::default()
            },
        ],
        any: vec![Condition {
            lab: Some("albumin".into()),
            below: Some(32.0),
            ..Condition::default()
        }],
        ..CustomRule::default()
    });
    let text = cfg.to_toml();
    let back = parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(back, cfg);
    let text = toml::to_string_pretty(&cfg).unwrap();
    assert!(text.contains("[rules.weight_gain]"), "{text}");
    assert_eq!(toml::from_str::<Config>(&text).unwrap(), cfg);
    // Defaults round-trip too.
    let d = Config::default();
    assert_eq!(parse(&d.to_toml()).unwrap(), d);
}
