//! The D, W and P rules, each just short of and exactly at its threshold,
//! with missing inputs (the L, H, R and M rules are in `signs`).

use super::*;

// ---- D1, D2, D3 and the weight fallback ------------------------------------

#[test]
fn empty_diary_is_unknown_never_ok() {
    let a = B::new().eval(DAY);
    assert_eq!(a.level, Level::Unknown);
    assert_eq!(a.msg("D2"), "the diary has no entries yet");
    assert_eq!(a.level_of("D1"), Some(Level::Unknown));
    assert!(a.is_skipped("W1") && a.is_skipped("L1"));
}

#[test]
fn d2_stale_data_is_unknown_with_days_since_last_entry() {
    let mut b = B::new();
    b.weights("2026-11-14", &[60.0; 7]); // last entry 11-20
    let a = b.eval(DAY);
    assert_eq!(
        a.msg("D2"),
        "nothing logged on 2026-11-25 or the day before; last entry 2026-11-20, 5 days ago"
    );
    assert_eq!(a.level, Level::Unknown);
    // An entry the day before is enough for D2.
    b.at("2026-11-24", "20:00").note = Some("tired".into());
    assert!(b.eval(DAY).get("D2").is_none());
}

#[test]
fn d1_no_baseline_with_counts_and_window() {
    let mut b = B::new();
    b.weights("2026-11-23", &[60.0, 60.0]);
    b.weigh(DAY, 60.0);
    let a = b.eval(DAY);
    assert_eq!(
        a.msg("D1"),
        "no weight baseline yet: 2 of the 4 morning weights needed in 2026-10-28..2026-11-24; \
         1 more morning weight gives you one"
    );
    assert_eq!(a.level, Level::Unknown);
    for r in ["W1", "W2", "P1"] {
        assert!(a.is_skipped(r), "{r} must be skipped: {a:#?}");
    }
    // W3 needs no baseline: it runs.
    assert!(!a.is_skipped("W3"));
    // Exactly 4 weights make a baseline.
    b.weigh("2026-11-18", 60.0);
    b.weigh("2026-11-19", 60.0);
    let a = b.eval(DAY);
    assert!(a.get("D1").is_none(), "{a:#?}");
    assert_eq!(a.level, Level::Ok);
}

#[test]
fn baseline_is_the_median_of_day_weights_using_the_first_weight_of_each_day() {
    // Day weights 60, 61, 62, 63 -> median 61.5 (mean of the middle two).
    // The evening 50 kg on 11-24 is not that day's weight (it would make
    // the median 60.5).
    let mut b = B::new();
    b.weights("2026-11-21", &[60.0, 61.0, 62.0, 63.0]);
    b.at("2026-11-24", "20:00").weight_kg = Some(50.0);
    let mut b1 = b.clone();
    b1.weigh(DAY, 62.4);
    assert!(b1.eval(DAY).get("W1").is_none());
    let mut b2 = b.clone();
    b2.weigh(DAY, 62.5);
    let a = b2.eval(DAY);
    assert_eq!(a.level_of("W1"), Some(Level::Watch), "{a:#?}");
    assert!(a.msg("W1").contains("baseline 61.5 kg"), "{}", a.msg("W1"));
    // Today's first weight is the day weight, not a later one.
    let mut b3 = b.clone();
    b3.at(DAY, "06:00").weight_kg = Some(62.5);
    b3.at(DAY, "09:00").weight_kg = Some(61.0);
    assert!(b3.eval(DAY).msg("W1").starts_with("weight 62.5 kg"));
}

#[test]
fn d3_prodrome_symptom_without_todays_weight_asks_to_weigh() {
    let mut b = steady60();
    b.at(DAY, "09:00").set_symptom("fatigue", 2);
    let a = b.eval(DAY);
    assert_eq!(a.level_of("D3"), Some(Level::Watch));
    assert!(
        a.msg("D3").contains("weigh yourself now"),
        "{}",
        a.msg("D3")
    );
    assert!(
        a.notes
            .iter()
            .any(|n| n.contains("no weight logged on 2026-11-25")),
        "{:?}",
        a.notes
    );
    // Mild does not count; a weight today silences it.
    let mut b = steady60();
    b.at(DAY, "09:00").set_symptom("fatigue", 1);
    assert!(b.eval(DAY).get("D3").is_none());
    let mut b = steady60();
    b.weigh(DAY, 60.0).set_symptom("fatigue", 2);
    assert!(b.eval(DAY).get("D3").is_none());
}

#[test]
fn no_weight_today_uses_yesterdays_and_says_so() {
    // Baseline 60 on 11-17..23, 61.5 on 11-24, nothing weighed on 11-25.
    let mut b = B::new();
    b.weights("2026-11-17", &[60.0; 7]);
    b.weigh("2026-11-24", 61.5);
    let yesterday = b.eval("2026-11-24");
    assert_eq!(yesterday.level_of("W1"), Some(Level::Watch));
    b.at(DAY, "08:00").bp = Some(bp(120, 80));
    let a = b.eval(DAY);
    assert_eq!(a.level_of("W1"), Some(Level::Watch), "{a:#?}");
    assert!(
        a.msg("W1")
            .starts_with("yesterday's weight 61.5 kg (2026-11-24)"),
        "{}",
        a.msg("W1")
    );
    assert!(
        a.notes.iter().any(|n| n.contains("used the day before's")),
        "{:?}",
        a.notes
    );
    // No entry at all today still keeps the alarm (and D2 stays quiet).
    let mut b = B::new();
    b.weights("2026-11-17", &[60.0; 7]);
    b.weigh("2026-11-24", 61.5);
    let a = b.eval(DAY);
    assert_eq!(a.level_of("W1"), Some(Level::Watch));
    assert!(a.get("D2").is_none());
}

#[test]
fn no_weight_for_two_days_is_unknown() {
    let mut b = B::new();
    b.weights("2026-11-16", &[60.0; 7]); // last weight 11-22
    b.at("2026-11-24", "08:00").bp = Some(bp(120, 80));
    b.at(DAY, "08:00").bp = Some(bp(120, 80));
    let a = b.eval(DAY);
    assert_eq!(a.level, Level::Unknown, "{a:#?}");
    assert_eq!(
        a.msg("D1"),
        "no current weight: nothing weighed on 2026-11-25 or the day before; last weight 2026-11-22, 3 days ago"
    );
    assert!(a.is_skipped("W1") && a.is_skipped("W3"));
}

// ---- W1, W2, W3 ------------------------------------------------------------

#[test]
fn w1_kg_form_below_and_at() {
    let mut b = steady60();
    b.weigh(DAY, 60.9);
    assert!(b.eval(DAY).get("W1").is_none());
    let mut b = steady60();
    b.weigh(DAY, 61.0);
    let a = b.eval(DAY);
    assert_eq!(a.level_of("W1"), Some(Level::Watch));
    assert_eq!(a.level, Level::Watch);
    assert_eq!(
        a.msg("W1"),
        "weight 61.0 kg is +1.0 kg (+1.7%) over your baseline 60.0 kg (median of the last 7 weighed days; limit +1.0 kg)"
    );
    let ev = &a.get("W1").unwrap().evidence;
    assert_eq!(ev["baseline_kg"], 60.0);
    assert_eq!(ev["threshold_kg"], 1.0);
    // v2: up to 28 days back for the 7 most recent weighed days.
    assert_eq!(ev["baseline_from"], "2026-10-28");
}

#[test]
fn w1_pct_form_below_and_at() {
    let mut b = steady100();
    b.weigh(DAY, 101.4); // +1.4 < 1.5% of 100
    assert!(b.eval(DAY).get("W1").is_none());
    let mut b = steady100();
    b.weigh(DAY, 101.5);
    let a = b.eval(DAY);
    assert_eq!(a.level_of("W1"), Some(Level::Watch), "{a:#?}");
    assert!(a.msg("W1").contains("; limit +1.5 kg)"));
}

#[test]
fn w2_kg_and_pct_forms_and_w1_not_repeated() {
    let mut b = steady60();
    b.weigh(DAY, 61.9);
    let a = b.eval(DAY);
    assert!(a.get("W2").is_none());
    assert_eq!(a.level, Level::Watch);
    let mut b = steady60();
    b.weigh(DAY, 62.0);
    let a = b.eval(DAY);
    assert_eq!(a.level_of("W2"), Some(Level::Warning));
    assert!(a.get("W1").is_none(), "W1 is W2's lower band: {a:#?}");
    assert_eq!(a.level, Level::Warning);

    let mut b = steady100();
    b.weigh(DAY, 102.9);
    assert!(b.eval(DAY).get("W2").is_none());
    let mut b = steady100();
    b.weigh(DAY, 103.0);
    assert_eq!(b.eval(DAY).level_of("W2"), Some(Level::Warning));
}

#[test]
fn w3_overnight_kg_and_pct_forms() {
    // Baseline includes yesterday; a jump today vs yesterday.
    let mut b = B::new();
    b.weights("2026-11-18", &[60.5, 60.5, 60.5, 60.5, 60.5, 60.5, 59.6]);
    b.weigh(DAY, 60.5); // +0.9 overnight
    assert!(b.eval(DAY).get("W3").is_none());
    let mut b = B::new();
    b.weights("2026-11-18", &[60.5, 60.5, 60.5, 60.5, 60.5, 60.5, 59.5]);
    b.weigh(DAY, 60.5); // +1.0 overnight, no gain over the baseline
    let a = b.eval(DAY);
    assert_eq!(a.level_of("W3"), Some(Level::Watch), "{a:#?}");
    assert!(a.get("W1").is_none());
    assert_eq!(
        a.msg("W3"),
        "weight 60.5 kg is +1.0 kg (+1.7%) since yesterday's 59.5 kg (limit +1.0 kg)"
    );

    let mut b = B::new();
    b.weights(
        "2026-11-18",
        &[100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 99.0],
    );
    b.weigh(DAY, 100.4); // +1.4 < 1.485
    assert!(b.eval(DAY).get("W3").is_none());
    let mut b = B::new();
    b.weights(
        "2026-11-18",
        &[100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 99.0],
    );
    b.weigh(DAY, 100.5); // +1.5 >= 1.485
    assert_eq!(b.eval(DAY).level_of("W3"), Some(Level::Watch));
}

#[test]
fn w3_skipped_without_the_previous_day() {
    let mut b = B::new();
    b.weights("2026-11-18", &[60.0; 6]); // up to 11-23
    b.weigh(DAY, 60.0);
    let a = b.eval(DAY);
    assert!(a.is_skipped("W3"), "{a:#?}");
    assert!(a
        .skipped
        .iter()
        .any(|s| s.reason.contains("no weight on 2026-11-24")));
}

// ---- P1, P2, P3 -----------------------------------------------------------

#[test]
fn p1_weight_and_thirst_message() {
    let mut b = B::new();
    b.weights("2026-11-18", &[68.0; 7]);
    b.weigh(DAY, 69.4).set_symptom("thirst", 2);
    let a = b.eval(DAY);
    assert_eq!(a.level_of("P1"), Some(Level::Warning));
    assert_eq!(a.level, Level::Warning);
    assert_eq!(
        a.msg("P1"),
        "weight 69.4 kg is +1.4 kg (+2.1%) over your baseline 68.0 kg (median of the last 7 weighed days), with thirst (moderate)"
    );
    // Mild thirst does not count.
    let mut b = B::new();
    b.weights("2026-11-18", &[68.0; 7]);
    b.weigh(DAY, 69.4).set_symptom("thirst", 1);
    assert!(b.eval(DAY).get("P1").is_none());
    // Thirst without gain is not P1.
    let mut b = steady60();
    b.weigh(DAY, 60.9).set_symptom("thirst", 3);
    assert!(b.eval(DAY).get("P1").is_none());
}

#[test]
fn p1_symptoms_from_any_entry_of_the_day_at_their_max() {
    let mut b = B::new();
    b.weights("2026-11-18", &[68.0; 7]);
    b.weigh(DAY, 69.4).set_symptom("thirst", 1);
    b.at(DAY, "18:00").set_symptom("thirst", 3);
    b.at(DAY, "21:00").set_symptom("thirst", 1);
    let a = b.eval(DAY);
    assert!(
        a.msg("P1").ends_with("with thirst (severe)"),
        "{}",
        a.msg("P1")
    );
}

#[test]
fn p2_cluster_below_at_and_with_gain() {
    let mut b = steady60();
    let m = b.weigh(DAY, 60.0);
    m.set_symptom("fatigue", 2);
    m.set_symptom("headache", 1);
    m.set_symptom("fever", 3); // a trigger, not a member
    assert!(b.eval(DAY).get("P2").is_none());

    let mut b = steady60();
    let m = b.weigh(DAY, 60.0);
    m.set_symptom("fatigue", 2);
    m.set_symptom("muscle-pain", 3);
    let a = b.eval(DAY);
    assert_eq!(a.level_of("P2"), Some(Level::Watch));
    assert_eq!(
        a.msg("P2"),
        "2 prodrome symptoms: fatigue (moderate), muscle-pain (severe)"
    );

    let mut b = steady60();
    let m = b.weigh(DAY, 61.0);
    m.set_symptom("fatigue", 2);
    m.set_symptom("nausea", 2);
    let a = b.eval(DAY);
    assert_eq!(a.level_of("P2"), Some(Level::Warning));
    assert!(a
        .msg("P2")
        .contains("with weight +1.0 kg over your baseline"));
}

#[test]
fn p2_without_baseline_stays_watch_and_says_weight_unknown() {
    let mut b = B::new();
    let m = b.at(DAY, "08:00");
    m.set_symptom("nausea", 2);
    m.set_symptom("dizziness", 2);
    let a = b.eval(DAY);
    assert_eq!(a.level_of("P2"), Some(Level::Watch));
    assert!(
        a.msg("P2").contains("weight gain unknown"),
        "{}",
        a.msg("P2")
    );
}

#[test]
fn p3_trigger_lowers_w1_within_two_days_only() {
    // +0.8 kg at 60: below 1.0, above the lowered max(0.7, 0.6).
    let mut b = steady60();
    b.weigh(DAY, 60.8);
    assert!(b.eval(DAY).get("W1").is_none());

    let mut b = steady60();
    b.entries[5].m.set_symptom("cold-symptoms", 2); // 2026-11-23 = DATE-2
    b.weigh(DAY, 60.8);
    let a = b.eval(DAY);
    assert_eq!(a.level_of("W1"), Some(Level::Watch), "{a:#?}");
    assert!(
        a.msg("W1")
            .contains("lowered after cold-symptoms on 2026-11-23"),
        "{}",
        a.msg("W1")
    );
    assert!(a.notes.iter().any(|n| n.contains("P3")));

    let mut b = steady60();
    b.entries[4].m.set_symptom("fever", 3); // DATE-3: too old
    b.weigh(DAY, 60.8);
    assert!(b.eval(DAY).get("W1").is_none());

    let mut b = steady60();
    b.weigh(DAY, 60.6).set_symptom("fever", 2); // +0.6 < 0.7
    assert!(b.eval(DAY).get("W1").is_none());
}

#[test]
fn p3_lowered_w1_feeds_p1() {
    let mut b = steady60();
    let m = b.weigh(DAY, 60.7);
    m.set_symptom("cold-symptoms", 2);
    m.set_symptom("thirst", 2);
    let a = b.eval(DAY);
    assert_eq!(a.level_of("P1"), Some(Level::Warning), "{a:#?}");
}
