//! The L, H, R and M rules, each just short of and exactly at its
//! threshold, missing inputs, and several rules at once.

use super::*;
use crate::model::{LabKind, Urine};
use crate::rules::ScheduledMed;

// ---- L1, L2 -----------------------------------------------------------------

fn with_bp(sys: u16) -> B {
    let mut b = steady60();
    b.weigh(DAY, 60.0);
    b.at(DAY, "19:00").bp = Some(bp(sys, 60));
    b
}

#[test]
fn l1_l2_absolute_bands() {
    let a = with_bp(101).eval(DAY);
    assert!(a.get("L1").is_none() && a.get("L2").is_none());
    assert_eq!(a.level, Level::Ok);
    let a = with_bp(100).eval(DAY);
    assert_eq!(a.level_of("L2"), Some(Level::Warning));
    assert_eq!(a.msg("L2"), "systolic 100 mmHg at 19:00 is at or below 100");
    let a = with_bp(91).eval(DAY);
    assert_eq!(a.level_of("L2"), Some(Level::Warning));
    assert!(a.get("L1").is_none());
    let a = with_bp(90).eval(DAY);
    assert_eq!(a.level_of("L1"), Some(Level::Emergency));
    assert!(a.get("L2").is_none(), "L2 is L1's lower band");
    assert_eq!(a.msg("L1"), "systolic 90 mmHg at 19:00 is at or below 90");
    assert_eq!(a.level, Level::Emergency);
}

#[test]
fn l1_l2_relative_to_the_median_of_up_to_seven_earlier_readings() {
    let mut b = steady60();
    b.pressures("2026-11-17", &[150, 160, 170, 160, 155, 165, 160, 160]); // 8 readings, last 7 median 160
    b.weigh(DAY, 60.0);
    b.at(DAY, "08:00").bp = Some(bp(141, 80));
    let a = b.eval(DAY);
    assert!(a.get("L2").is_none(), "{a:#?}");
    let mut b2 = b.clone();
    b2.entries.last_mut().unwrap().m.bp = Some(bp(140, 80));
    let a = b2.eval(DAY);
    assert_eq!(a.level_of("L2"), Some(Level::Warning));
    assert_eq!(
        a.msg("L2"),
        "systolic 140 mmHg at 08:00 is 20 below your baseline 160 (median of 7 readings; limit 20 below)"
    );
    b2.entries.last_mut().unwrap().m.bp = Some(bp(121, 80));
    let a = b2.eval(DAY);
    assert_eq!(a.level_of("L2"), Some(Level::Warning));
    assert!(a.get("L1").is_none());
    b2.entries.last_mut().unwrap().m.bp = Some(bp(120, 80));
    let a = b2.eval(DAY);
    assert_eq!(a.level_of("L1"), Some(Level::Emergency));
    assert!(a
        .msg("L1")
        .contains("40 below your baseline 160 (median of 7 readings"));
}

#[test]
fn bp_baseline_needs_three_readings_else_absolute_only_with_a_note() {
    let mut b = steady60();
    b.pressures("2026-11-23", &[160, 160]);
    b.weigh(DAY, 60.0);
    b.at(DAY, "08:00").bp = Some(bp(118, 80));
    let a = b.eval(DAY);
    assert!(a.get("L1").is_none() && a.get("L2").is_none(), "{a:#?}");
    assert!(
        a.notes
            .iter()
            .any(|n| n.contains("no blood-pressure baseline yet (2 of 3")),
        "{:?}",
        a.notes
    );
    b.pressures("2026-11-22", &[160]);
    assert_eq!(b.eval(DAY).level_of("L1"), Some(Level::Emergency));
}

#[test]
fn bp_latest_reading_only_counts_for_the_day_and_the_day_before() {
    let mut b = steady60();
    b.at("2026-11-23", "08:00").bp = Some(bp(85, 50));
    b.weigh(DAY, 60.0);
    let a = b.eval(DAY);
    assert!(a.get("L1").is_none());
    assert!(a.is_skipped("L1") && a.is_skipped("L2") && a.is_skipped("L4"));
    assert_eq!(b.eval("2026-11-24").level_of("L1"), Some(Level::Emergency));
    // v2: the worst reading of the day counts; a better evening reading
    // never erases the morning's 85, and the message names both.
    let mut b = with_bp(85);
    b.at(DAY, "21:00").bp = Some(bp(118, 70));
    let a = b.eval(DAY);
    assert_eq!(a.level_of("L1"), Some(Level::Emergency), "{a:#?}");
    assert!(
        a.msg("L1").contains("latest 118 at 21:00"),
        "{}",
        a.msg("L1")
    );
}

// ---- L3 -----------------------------------------------------------------------

#[test]
fn l3_orthostatic_drop_and_dizziness() {
    let make = |stand: Bp, dizzy: u8| {
        let mut b = steady60();
        let m = b.weigh(DAY, 60.0);
        m.bp = Some(bp(130, 80));
        m.standing_bp = Some(stand);
        if dizzy > 0 {
            m.set_symptom("dizziness", dizzy);
        }
        b.eval(DAY)
    };
    assert!(make(bp(111, 71), 0).get("L3").is_none());
    let a = make(bp(110, 75), 0);
    assert_eq!(a.level_of("L3"), Some(Level::Warning));
    assert_eq!(
        a.msg("L3"),
        "standing blood pressure 110/75 at 07:00 is 20/5 below sitting 130/80 (limit 20/10)"
    );
    assert_eq!(make(bp(125, 70), 0).level_of("L3"), Some(Level::Warning));
    assert!(make(bp(125, 71), 1).get("L3").is_none());
    assert_eq!(make(bp(125, 71), 2).level_of("L3"), Some(Level::Warning));
    let a = steady60().eval(DAY);
    assert!(a.is_skipped("L3"));
}

// ---- L4, L5 -------------------------------------------------------------------

fn pulse(hr: u16, sys: u16) -> Assessment {
    let mut b = steady60();
    let m = b.weigh(DAY, 60.0);
    m.bp = Some(bp(sys, 70));
    m.heart_rate = Some(hr);
    b.eval(DAY)
}

#[test]
fn l4_shock_index_bands() {
    assert!(pulse(107, 120).get("L4").is_none()); // 0.89
    let a = pulse(108, 120); // 0.90
    assert_eq!(a.level_of("L4"), Some(Level::Warning));
    assert_eq!(
        a.msg("L4"),
        "shock index 0.90 (heart rate 108 / systolic 120) at 07:00 is at or above 0.9"
    );
    assert_eq!(pulse(109, 110).level_of("L4"), Some(Level::Warning)); // 0.99
    assert_eq!(pulse(110, 110).level_of("L4"), Some(Level::Emergency)); // 1.0
}

#[test]
fn l5_tachycardia_bands() {
    assert!(pulse(110, 140).get("L5").is_none());
    assert_eq!(pulse(111, 140).level_of("L5"), Some(Level::Warning));
    assert_eq!(pulse(130, 150).level_of("L5"), Some(Level::Warning));
    let a = pulse(131, 150);
    assert_eq!(a.level_of("L5"), Some(Level::Emergency));
    assert_eq!(
        a.msg("L5"),
        "heart rate 131 bpm at 07:00 is at or above 131"
    );
}

// ---- L6, L7 -------------------------------------------------------------------

#[test]
fn l6_fainting_at_any_severity() {
    let mut b = steady60();
    b.weigh(DAY, 60.0).set_symptom("fainting", 1);
    let a = b.eval(DAY);
    assert_eq!(a.level_of("L6"), Some(Level::Emergency));
    assert_eq!(a.msg("L6"), "fainting (mild) logged at 07:00");
    let mut b = steady60();
    b.weigh(DAY, 60.0).set_symptom("fainting", 0);
    assert!(b.eval(DAY).get("L6").is_none());
}

#[test]
fn l7_low_urine_less_or_lowest_ml() {
    let mut b = steady60();
    urine(b.weigh(DAY, 60.0), Urine::Less);
    assert_eq!(b.eval(DAY).level_of("L7"), Some(Level::Warning));

    let mut b = steady60();
    b.weigh(DAY, 60.0).urine_ml = Some(400);
    let a = b.eval(DAY);
    assert!(a.get("L7").is_none() && !a.is_skipped("L7"));
    b.at(DAY, "20:00").urine_ml = Some(399);
    let a = b.eval(DAY);
    assert_eq!(a.level_of("L7"), Some(Level::Warning));
    assert!(a
        .msg("L7")
        .contains("urine 399 mL/24 h at 20:00 is below 400"));

    let mut b = steady60();
    urine(b.weigh(DAY, 60.0), Urine::Normal);
    assert!(b.eval(DAY).get("L7").is_none());
    let mut b = steady60();
    b.weigh(DAY, 60.0);
    assert!(b.eval(DAY).is_skipped("L7"));
}

// ---- L8 -----------------------------------------------------------------------

#[test]
fn l8_leak_combo() {
    // swelling + dizziness
    let mut b = with_bp(120);
    let m = b.weigh(DAY, 60.0);
    m.set_symptom("swelling", 2);
    m.set_symptom("dizziness", 2);
    let a = b.eval(DAY);
    assert_eq!(a.level_of("L8"), Some(Level::Emergency), "{a:#?}");
    assert!(
        a.msg("L8").contains("swelling (moderate)") && a.msg("L8").contains("dizziness (moderate)")
    );

    // swelling + systolic at 100 (L2 fires too)
    let mut b = with_bp(100);
    b.weigh(DAY, 60.0).set_symptom("swelling", 2);
    assert_eq!(b.eval(DAY).level_of("L8"), Some(Level::Emergency));
    // swelling + systolic 101: no
    let mut b = with_bp(101);
    let m = b.weigh(DAY, 60.0);
    m.set_symptom("swelling", 2);
    m.urine = Some(Urine::Normal);
    let a = b.eval(DAY);
    assert!(a.get("L8").is_none() && !a.is_skipped("L8"), "{a:#?}");

    // W2 gain + low urine, no swelling
    let mut b = steady60();
    let m = b.weigh(DAY, 62.0);
    m.bp = Some(bp(120, 80));
    urine(m, Urine::Less);
    let a = b.eval(DAY);
    assert_eq!(a.level_of("L8"), Some(Level::Emergency));
    assert_eq!(a.level, Level::Emergency);

    // mild swelling does not count
    let mut b = with_bp(95);
    b.weigh(DAY, 60.0).set_symptom("swelling", 1);
    assert!(b.eval(DAY).get("L8").is_none());
}

#[test]
fn l8_undecided_is_skipped_with_a_note_when_fluid_signs_are_present() {
    let mut b = steady60();
    b.weigh(DAY, 60.0).set_symptom("swelling", 3);
    let a = b.eval(DAY);
    assert!(a.get("L8").is_none());
    let s = a
        .skipped
        .iter()
        .find(|s| s.rule == "L8")
        .expect("L8 skipped");
    assert!(
        s.reason.contains("blood pressure") && s.reason.contains("urine"),
        "{}",
        s.reason
    );
    assert!(a.notes.iter().any(|n| n.contains("L8")), "{:?}", a.notes);
}

// ---- H1, H2 ------------------------------------------------------------------

fn labs(history: &[(&str, LabKind, f64)], today: &[(LabKind, f64)]) -> Assessment {
    let mut b = steady60();
    for (date, k, v) in history {
        lab(b.at(date, "10:00"), *k, *v);
    }
    let m = b.weigh(DAY, 60.0);
    for (k, v) in today {
        lab(m, *k, *v);
    }
    b.eval(DAY)
}

#[test]
fn h1_hemoglobin_and_hematocrit() {
    use LabKind::*;
    let hist = [
        ("2026-09-01", Hemoglobin, 14.0),
        ("2026-10-01", Hemoglobin, 14.0),
        ("2026-11-01", Hemoglobin, 14.0),
    ];
    assert!(labs(&hist, &[(Hemoglobin, 15.4)]).get("H1").is_none());
    let a = labs(&hist, &[(Hemoglobin, 15.5)]);
    assert_eq!(a.level_of("H1"), Some(Level::Warning));
    assert_eq!(
        a.msg("H1"),
        "hemoglobin 15.5 g/dL on 2026-11-25 is +1.5 over your baseline 14 (median of 3 values; limit +1.5)"
    );
    assert_eq!(
        labs(&hist, &[(Hemoglobin, 16.9)]).level_of("H1"),
        Some(Level::Warning)
    );
    assert_eq!(
        labs(&hist, &[(Hemoglobin, 17.0)]).level_of("H1"),
        Some(Level::Emergency)
    );
    // Absolute limits apply without a baseline.
    assert!(labs(&[], &[(Hemoglobin, 17.9)]).get("H1").is_none());
    assert_eq!(
        labs(&[], &[(Hemoglobin, 18.0)]).level_of("H1"),
        Some(Level::Emergency)
    );
    assert!(labs(&[], &[(Hematocrit, 54.9)]).get("H1").is_none());
    assert_eq!(
        labs(&[], &[(Hematocrit, 55.0)]).level_of("H1"),
        Some(Level::Emergency)
    );
    let hh = [("2026-10-01", Hematocrit, 40.0)];
    assert!(labs(&hh, &[(Hematocrit, 44.9)]).get("H1").is_none());
    assert_eq!(
        labs(&hh, &[(Hematocrit, 45.0)]).level_of("H1"),
        Some(Level::Warning)
    );
}

#[test]
fn h1_labs_count_for_seven_days_and_old_baselines_expire() {
    use LabKind::*;
    let mut b = steady60();
    lab(b.at("2026-11-19", "10:00"), Hemoglobin, 18.5); // DATE-6: counts
    b.weigh(DAY, 60.0);
    assert_eq!(b.eval(DAY).level_of("H1"), Some(Level::Emergency));
    let mut b = steady60();
    lab(b.at("2026-11-18", "10:00"), Hemoglobin, 18.5); // DATE-7: expired
    b.weigh(DAY, 60.0);
    let a = b.eval(DAY);
    assert!(a.get("H1").is_none() && a.is_skipped("H1"));
    // A baseline value older than 365 days is ignored.
    let a = labs(&[("2025-11-01", Hemoglobin, 12.0)], &[(Hemoglobin, 14.0)]);
    assert!(a.get("H1").is_none(), "{a:#?}");
}

/// Each value counts for its 7 days: a later normal value does not clear
/// an earlier abnormal one, and the message names both.
#[test]
fn a_later_normal_lab_does_not_clear_an_earlier_abnormal_one() {
    use LabKind::*;
    let mut b = steady60();
    lab(b.at("2026-11-22", "10:00"), Hematocrit, 56.0);
    let m = b.weigh(DAY, 60.0);
    lab(m, Hematocrit, 42.0);
    let a = b.eval(DAY);
    assert_eq!(a.level_of("H1"), Some(Level::Emergency));
    assert_eq!(
        a.msg("H1"),
        "hematocrit 56% on 2026-11-22 is at or above 55; latest 42% on 2026-11-25"
    );
    let mut b = steady60();
    lab(b.at("2026-11-23", "10:00"), Albumin, 25.0);
    let m = b.weigh(DAY, 60.0);
    lab(m, Albumin, 38.0);
    let a = b.eval(DAY);
    assert_eq!(a.level_of("H2"), Some(Level::Warning));
    assert_eq!(
        a.msg("H2"),
        "albumin 25 g/L on 2026-11-23 is below 30; latest 38 g/L on 2026-11-25"
    );
    // Seven days on, the abnormal value no longer counts: the latest alone.
    let mut b = steady60();
    lab(b.at("2026-11-18", "10:00"), Hematocrit, 56.0);
    let m = b.weigh(DAY, 60.0);
    lab(m, Hematocrit, 42.0);
    assert!(b.eval(DAY).get("H1").is_none());
}

#[test]
fn h2_albumin_and_its_upgrade_with_h1() {
    use LabKind::*;
    assert!(labs(&[], &[(Albumin, 30.0)]).get("H2").is_none());
    let a = labs(&[], &[(Albumin, 29.9)]);
    assert_eq!(a.level_of("H2"), Some(Level::Warning));
    assert_eq!(a.msg("H2"), "albumin 29.9 g/L on 2026-11-25 is below 30");
    let base = [("2026-10-01", Albumin, 40.0)];
    assert!(labs(&base, &[(Albumin, 35.1)]).get("H2").is_none());
    assert_eq!(
        labs(&base, &[(Albumin, 35.0)]).level_of("H2"),
        Some(Level::Warning)
    );
    let a = labs(&base, &[(Albumin, 35.0), (Hemoglobin, 18.0)]);
    assert_eq!(a.level_of("H2"), Some(Level::Emergency));
    assert!(a.msg("H2").ends_with("with hemoconcentration (H1)"));
    assert!(labs(&[], &[]).is_skipped("H2"));
}

// ---- R1 ---------------------------------------------------------------------

fn recovering(loss: f64, poly: u8, breath: u8, ortho: u8) -> Assessment {
    let mut b = steady60();
    b.episode(1, "2026-11-15", Some("2026-11-20"));
    b.entries[6].m.weight_kg = Some(62.0); // yesterday
    let m = b.weigh(DAY, 62.0 - loss);
    for (n, s) in [
        ("polyuria", poly),
        ("breathlessness", breath),
        ("orthopnea", ortho),
    ] {
        if s > 0 {
            m.set_symptom(n, s);
        }
    }
    b.eval(DAY)
}

#[test]
fn r1_bands_in_the_recovery_window() {
    let a = recovering(1.0, 2, 2, 0);
    assert_eq!(a.level_of("R1"), Some(Level::Emergency), "{a:#?}");
    assert!(a
        .msg("R1")
        .starts_with("recovery window after the episode that started 2026-11-15"));
    assert_eq!(
        recovering(1.0, 2, 0, 2).level_of("R1"),
        Some(Level::Emergency)
    );
    // v2: polyuria with breathlessness is an emergency without a weight loss.
    assert_eq!(
        recovering(0.9, 2, 2, 0).level_of("R1"),
        Some(Level::Emergency)
    );
    assert_eq!(
        recovering(0.0, 0, 2, 0).level_of("R1"),
        Some(Level::Warning)
    );
    assert_eq!(recovering(1.0, 2, 0, 0).level_of("R1"), Some(Level::Watch));
    assert_eq!(recovering(1.0, 1, 1, 1).level_of("R1"), None);
}

#[test]
fn r1_only_in_the_window() {
    let mut b = steady60();
    b.episode(1, "2026-11-01", Some("2026-11-10")); // DATE is end + 15
    let m = b.weigh(DAY, 58.0);
    m.set_symptom("polyuria", 3);
    m.set_symptom("breathlessness", 2);
    let a = b.eval(DAY);
    assert!(a.get("R1").is_none() && !a.is_skipped("R1"), "{a:#?}");
    let mut b2 = b.clone();
    b2.episodes[0].end = Some(d("2026-11-11")); // end + 14: inside
    assert_eq!(b2.eval(DAY).level_of("R1"), Some(Level::Emergency));
    // v2: an open episode keeps the window open, however long ago it began.
    let mut b3 = b.clone();
    b3.episodes[0].end = None;
    b3.episodes[0].start = d("2026-10-20");
    assert_eq!(b3.eval(DAY).level_of("R1"), Some(Level::Emergency));
}

#[test]
fn r1_window_opens_after_an_emergency_day() {
    let mut b = steady60();
    b.entries[2].m.set_symptom("fainting", 2); // 2026-11-20: emergency (L6)
    b.weigh(DAY, 60.0).set_symptom("breathlessness", 2);
    let a = b.eval(DAY);
    assert_eq!(a.level_of("R1"), Some(Level::Warning), "{a:#?}");
    assert!(a.msg("R1").contains("after the emergency on 2026-11-20"));
}

// ---- M1 ---------------------------------------------------------------------

fn ivig(last: &str) -> B {
    let mut b = steady60();
    b.schedule.push(ScheduledMed {
        name: "IVIG".into(),
        dose: Some("2g/kg".into()),
        every_days: 28,
        grace_days: 3,
    });
    b.at(last, "10:00").meds.push(crate::model::Med {
        name: "ivig".into(),
        dose: None,
    });
    b.weigh(DAY, 60.0);
    b
}

#[test]
fn m1_overdue_after_grace() {
    let a = ivig("2026-10-01").eval(DAY);
    assert_eq!(a.level_of("M1"), Some(Level::Watch));
    assert_eq!(
        a.msg("M1"),
        "IVIG last given 2026-10-01, 55 days ago; due every 28 days (+3 days grace), overdue by 24 days"
    );
    // 31 days: within grace (a note); 32: overdue by 1.
    let a = ivig("2026-10-25").eval(DAY);
    assert!(a.get("M1").is_none());
    assert!(
        a.notes
            .iter()
            .any(|n| n.contains("IVIG was due on 2026-11-22")),
        "{:?}",
        a.notes
    );
    assert!(ivig("2026-10-24")
        .eval(DAY)
        .msg("M1")
        .ends_with("overdue by 1 day"));
    assert!(ivig("2026-11-20").eval(DAY).get("M1").is_none());
}

#[test]
fn m1_never_recorded_is_skipped() {
    let mut b = ivig("2026-11-20");
    b.entries.retain(|e| e.m.meds.is_empty());
    let a = b.eval(DAY);
    assert!(a.get("M1").is_none());
    let s = a.skipped.iter().find(|s| s.rule == "M1").expect("skipped");
    assert!(
        s.reason.starts_with("IVIG: no dose recorded"),
        "{}",
        s.reason
    );
}

// ---- several at once ---------------------------------------------------------

#[test]
fn several_findings_and_the_overall_level() {
    let mut b = B::new();
    b.weights("2026-11-18", &[68.0; 7]);
    let m = b.weigh(DAY, 70.5);
    m.set_symptom("thirst", 3);
    m.set_symptom("fatigue", 2);
    m.set_symptom("swelling", 2);
    m.bp = Some(bp(88, 55));
    m.heart_rate = Some(115);
    let a = b.eval(DAY);
    let mut rules = a.rules();
    rules.sort_unstable();
    assert_eq!(
        rules,
        ["L1", "L4", "L5", "L8", "P1", "P2", "W2", "W3"],
        "{a:#?}"
    );
    assert_eq!(a.level, Level::Emergency);
    // Most severe first.
    assert_eq!(a.findings[0].level, Level::Emergency);
    assert!(a.findings.windows(2).all(|w| w[0].level >= w[1].level));
}

#[test]
fn unknown_never_masks_a_higher_finding() {
    // No baseline, but a fainting episode: emergency, with D1 listed.
    let mut b = B::new();
    b.at(DAY, "09:00").set_symptom("fainting", 2);
    let a = b.eval(DAY);
    assert_eq!(a.level, Level::Emergency);
    assert_eq!(a.level_of("D1"), Some(Level::Unknown));
}

#[test]
fn custom_symptoms_and_aliases_in_entries_are_harmless() {
    let mut b = steady60();
    let m = b.weigh(DAY, 60.0);
    m.set_symptom("joint-pain", 3);
    assert_eq!(b.eval(DAY).level, Level::Ok);
}
