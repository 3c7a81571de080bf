//! Clinically recognisable timelines, day by day.

use super::*;
use crate::model::Urine;
use crate::rules::history;

/// A stable patient: `kg` every morning and BP `sys`/78, HR 72, on the 7
/// days `start`..`start+6`.
fn stable(start: &str, kg: f64, sys: u16) -> B {
    let mut b = B::new();
    let mut date = d(start);
    for _ in 0..7 {
        let m = b.weigh(&date.to_string(), kg);
        m.bp = Some(bp(sys, 78));
        m.heart_rate = Some(72);
        date = date.succ_opt().unwrap();
    }
    b
}

fn levels(b: &B, from: &str, to: &str) -> Vec<Level> {
    let e = b.sorted();
    let diary = Diary {
        entries: &e,
        episodes: &b.episodes,
        schedule: &b.schedule,
    };
    history(&diary, d(from), d(to), &RulesConfig::default())
        .iter()
        .map(|a| a.level)
        .collect()
}

#[test]
fn a_cold_then_a_prodrome_then_a_leak() {
    let mut b = stable("2026-11-10", 70.0, 120);
    // 11-17, 11-18: a cold, weight barely moving: still ok.
    let m = b.weigh("2026-11-17", 70.2);
    m.set_symptom("cold-symptoms", 2);
    m.bp = Some(bp(121, 78));
    let m = b.weigh("2026-11-18", 70.5);
    m.set_symptom("cold-symptoms", 2);
    m.bp = Some(bp(118, 76));
    // 11-19: the prodrome: thirst, aches, tiredness and +0.8 kg, which the
    // cold makes a W1 gain (limit lowered to 0.7 kg).
    let m = b.weigh("2026-11-19", 70.8);
    m.set_symptom("thirst", 2);
    m.set_symptom("muscle-pain", 2);
    m.set_symptom("fatigue", 2);
    m.bp = Some(bp(112, 72));
    // 11-20: the leak: +2.4 kg, swelling, pressure falling, pulse up.
    let m = b.weigh("2026-11-20", 72.4);
    m.set_symptom("swelling", 2);
    m.set_symptom("thirst", 3);
    m.bp = Some(bp(96, 60));
    m.heart_rate = Some(104);

    assert_eq!(
        levels(&b, "2026-11-16", "2026-11-20"),
        [
            Level::Ok,
            Level::Ok,
            Level::Ok,
            Level::Warning,
            Level::Emergency
        ]
    );
    let a = b.eval("2026-11-19");
    assert_eq!(a.level_of("W1"), Some(Level::Watch));
    assert_eq!(a.level_of("P1"), Some(Level::Warning));
    assert_eq!(a.level_of("P2"), Some(Level::Warning));
    let a = b.eval("2026-11-20");
    for r in ["L8", "L4"] {
        assert_eq!(a.level_of(r), Some(Level::Emergency), "{r}: {a:#?}");
    }
    assert_eq!(a.level_of("W2"), Some(Level::Warning));
    assert_eq!(a.level_of("L2"), Some(Level::Warning));
}

#[test]
fn same_day_escalation_from_morning_to_evening() {
    let mut b = stable("2026-11-18", 65.0, 118);
    let m = b.weigh(DAY, 65.3);
    m.bp = Some(bp(116, 76));
    m.heart_rate = Some(76);
    m.set_symptom("fatigue", 1);
    assert_eq!(b.eval(DAY).level, Level::Ok);

    let m = b.at(DAY, "19:00");
    m.set_symptom("dizziness", 2);
    m.bp = Some(bp(88, 55));
    m.heart_rate = Some(112);
    m.urine = Some(Urine::Less);
    let a = b.eval(DAY);
    assert_eq!(a.level, Level::Emergency);
    assert_eq!(a.msg("L1"), "systolic 88 mmHg at 19:00 is at or below 90");
    assert_eq!(a.level_of("L5"), Some(Level::Warning));
    assert_eq!(a.level_of("L7"), Some(Level::Warning));
    assert_eq!(a.level_of("L4"), Some(Level::Emergency));
}

#[test]
fn hypertensive_patient_falling_to_118_is_an_emergency() {
    let mut b = B::new();
    let sys = [158, 162, 160, 155, 165, 161, 159];
    let mut date = d("2026-11-18");
    for s in sys {
        let m = b.weigh(&date.to_string(), 82.0);
        m.bp = Some(bp(s, 95));
        date = date.succ_opt().unwrap();
    }
    let m = b.weigh(DAY, 82.1);
    m.bp = Some(bp(118, 80));
    let a = b.eval(DAY);
    assert_eq!(a.level, Level::Emergency, "{a:#?}");
    assert_eq!(
        a.msg("L1"),
        "systolic 118 mmHg at 07:00 is 42 below your baseline 160 (median of 7 readings; limit 40 below)"
    );
    // The fixed limits alone would have said nothing.
    let mut c = RulesConfig::default();
    c.hypotension.drop = 150;
    c.low_bp.drop = 150;
    assert_eq!(b.eval_cfg(DAY, &c).level, Level::Ok);
}

#[test]
fn fluid_overload_in_the_recovery_window() {
    // Episode 11-14..11-18 (hospital). Back home, the oedema resorbs:
    // weight falls with polyuria (watch), then orthopnea joins: emergency.
    let mut b = stable("2026-11-07", 68.0, 115);
    b.episode(3, "2026-11-14", Some("2026-11-18"));
    let kgs = [
        ("2026-11-19", 75.0),
        ("2026-11-20", 74.6),
        ("2026-11-21", 74.0),
        ("2026-11-22", 73.7),
        ("2026-11-23", 73.1),
        ("2026-11-24", 72.0),
    ];
    for (date, kg) in kgs {
        let m = b.weigh(date, kg);
        m.bp = Some(bp(112, 70));
        m.set_symptom("polyuria", 2);
    }
    let m = b.weigh(DAY, 70.8);
    m.bp = Some(bp(110, 70));
    m.set_symptom("polyuria", 3);
    m.set_symptom("orthopnea", 2);
    let yesterday = b.eval("2026-11-24");
    assert_eq!(
        yesterday.level_of("R1"),
        Some(Level::Watch),
        "{yesterday:#?}"
    );
    let a = b.eval(DAY);
    assert_eq!(a.level_of("R1"), Some(Level::Emergency), "{a:#?}");
    assert_eq!(a.level, Level::Emergency);
    assert!(
        a.msg("R1").contains("-1.2 kg since the day before"),
        "{}",
        a.msg("R1")
    );
    assert!(a.msg("R1").contains("orthopnea (moderate)"));
}

#[test]
fn quiet_days_stay_ok() {
    // A salty meal: +0.6 kg overnight.
    let mut b = stable("2026-11-18", 70.0, 120);
    let m = b.weigh(DAY, 70.6);
    m.bp = Some(bp(122, 80));
    let a = b.eval(DAY);
    assert_eq!(a.level, Level::Ok, "{a:#?}");

    // A hot day: thirst alone.
    let mut b = stable("2026-11-18", 70.0, 120);
    let m = b.weigh(DAY, 69.8);
    m.set_symptom("thirst", 2);
    m.bp = Some(bp(118, 78));
    assert_eq!(b.eval(DAY).level, Level::Ok);

    // A beta-agonist's fast pulse: HR 105, SBP 125 (shock index 0.84).
    let mut b = stable("2026-11-18", 70.0, 124);
    let m = b.weigh(DAY, 70.1);
    m.bp = Some(bp(125, 80));
    m.heart_rate = Some(105);
    assert_eq!(b.eval(DAY).level, Level::Ok);
}

#[test]
fn a_slow_drift_never_reaches_w1_but_w4_catches_it() {
    // +0.1 kg a day for six weeks: each day is only +0.4 kg over the median
    // of the week before (W1 never fires), but the weight has stayed up
    // against the reference of days −35..−8: v2's W4 says watch.
    let mut b = B::new();
    let mut date = d("2026-10-15");
    for k in 0..42 {
        let m = b.weigh(&date.to_string(), 70.0 + 0.1 * f64::from(k));
        m.bp = Some(bp(120, 78));
        date = date.succ_opt().unwrap();
    }
    let lv = levels(&b, "2026-10-22", "2026-11-25");
    assert!(lv.iter().all(|l| *l <= Level::Watch), "{lv:?}");
    assert_eq!(lv[0], Level::Ok, "{lv:?}");
    assert_eq!(*lv.last().unwrap(), Level::Watch, "{lv:?}");
    let a = b.eval("2026-11-25");
    assert!(a.get("W1").is_none() && a.get("W4").is_some(), "{a:#?}");
    // But the same patient without a week of weights is unknown, not ok.
    assert_eq!(levels(&b, "2026-10-15", "2026-10-15"), [Level::Unknown]);
}
