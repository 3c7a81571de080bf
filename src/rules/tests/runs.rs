//! `history`, `backtest`, `describe`, `lookback_days`, and speed.

use super::*;
use crate::rules::{backtest, describe, history, lookback_days, recent_days};

fn diary_of(b: &B) -> (Vec<Entry>, Vec<Episode>, Vec<ScheduledMed>) {
    (b.sorted(), b.episodes.clone(), b.schedule.clone())
}

#[test]
fn history_matches_evaluate_day_by_day() {
    let mut b = steady60();
    b.weights("2026-11-25", &[60.5, 61.2, 62.4, 61.0]);
    b.entries[8].m.set_symptom("thirst", 2);
    b.entries[9].m.bp = Some(bp(88, 50));
    b.episode(1, "2026-11-27", None);
    let (e, ep, s) = diary_of(&b);
    let diary = Diary {
        entries: &e,
        episodes: &ep,
        schedule: &s,
    };
    let cfg = RulesConfig::default();
    let h = history(&diary, d("2026-11-10"), d("2026-12-05"), &cfg);
    assert_eq!(h.len(), 26);
    for a in &h {
        assert_eq!(a, &evaluate(&diary, a.date, &cfg), "{}", a.date);
    }
    assert!(history(&diary, d("2026-12-05"), d("2026-11-10"), &cfg).is_empty());
}

#[test]
fn history_warms_up_the_recovery_window_before_from() {
    // An emergency (fainting) on 11-20 opens the window; asking for 11-25
    // only must still see it.
    let mut b = steady60();
    b.entries[2].m.set_symptom("fainting", 2);
    b.weigh(DAY, 60.0).set_symptom("breathlessness", 2);
    let (e, ep, s) = diary_of(&b);
    let diary = Diary {
        entries: &e,
        episodes: &ep,
        schedule: &s,
    };
    let h = history(&diary, d(DAY), d(DAY), &RulesConfig::default());
    assert_eq!(h[0].level_of("R1"), Some(Level::Warning));
}

#[test]
fn unsorted_entries_are_handled() {
    let mut b = steady60();
    b.weigh(DAY, 61.0);
    let mut e = b.sorted();
    e.reverse();
    let diary = Diary {
        entries: &e,
        episodes: &[],
        schedule: &[],
    };
    assert_eq!(
        evaluate(&diary, d(DAY), &RulesConfig::default()).level_of("W1"),
        Some(Level::Watch)
    );
}

#[test]
fn lookback_covers_the_longest_rule() {
    let cfg = RulesConfig::default();
    assert_eq!(lookback_days(&cfg), 475);
    let mut c = cfg.clone();
    c.recruitment.window_days = 30;
    assert!(lookback_days(&c) > 475);
}

/// Every day the engine evaluates (today and the 42 warm-up days before
/// it) must find every entry of each window it reads per day: the weight
/// baseline, the trigger, the recovery window and D2's stale window.
#[test]
fn the_full_window_covers_every_per_day_look_back() {
    let cfg = RulesConfig::default();
    // 42 warm-up days + W4's 35-day reference + 1 + 7 days' margin.
    assert_eq!(recent_days(&cfg), 85);
    let warmup = 3 * i64::from(cfg.recruitment.window_days);
    let mut c = cfg.clone();
    c.stale.days = 30;
    assert!(recent_days(&c) >= warmup + 30, "{}", recent_days(&c));
    let mut c = cfg.clone();
    c.no_baseline.lookback_days = 60;
    assert!(recent_days(&c) >= warmup + 62);
}

/// docs/rules.md, "The backtest": a run of alert days broken by one `ok` day gives no lead
/// time; a noise alert a week before does not count as warning.
#[test]
fn backtest_a_broken_run_gives_no_lead() {
    let mut b = B::new();
    b.weights("2026-11-01", &[60.0; 40]); // to 12-10
                                          // 12-02 jumps (watch), 12-03 back to 60 (ok), episode on 12-05.
    b.entries
        .iter_mut()
        .find(|e| e.date() == d("2026-12-02"))
        .unwrap()
        .m
        .weight_kg = Some(61.2);
    b.episode(1, "2026-12-05", Some("2026-12-06"));
    let (e, ep, s) = diary_of(&b);
    let diary = Diary {
        entries: &e,
        episodes: &ep,
        schedule: &s,
    };
    let bt = backtest(&diary, &RulesConfig::default());
    let lead = &bt.episodes[0];
    assert_eq!(lead.lead_days_watch, None, "{bt:#?}");
    assert_eq!(lead.first_alert, None);
    assert_eq!(bt.episodes_with_warning_lead, 0);
    // The alert on 12-02 is inside [start − 7, end + 14]: not a false alarm.
    assert_eq!(bt.false_alarms.watch_days, 0, "{bt:#?}");
}

/// docs/rules.md, "The backtest": the days after a false emergency are counted, not
/// excused as a recovery window.
#[test]
fn backtest_counts_the_days_after_a_false_emergency() {
    let mut b = B::new();
    b.weights("2026-11-01", &[60.0; 40]);
    b.entries
        .iter_mut()
        .find(|e| e.date() == d("2026-11-20"))
        .unwrap()
        .m
        .set_symptom("fainting", 2);
    // Breathlessness the day after: R1's window after the emergency.
    b.entries
        .iter_mut()
        .find(|e| e.date() == d("2026-11-21"))
        .unwrap()
        .m
        .set_symptom("breathlessness", 2);
    let (e, ep, s) = diary_of(&b);
    let diary = Diary {
        entries: &e,
        episodes: &ep,
        schedule: &s,
    };
    let bt = backtest(&diary, &RulesConfig::default());
    assert_eq!(bt.false_alarms.emergency_days, 1, "{bt:#?}");
    // 11-21: L9 and R1 warnings, counted.
    assert_eq!(bt.false_alarms.warning_days, 1, "{bt:#?}");
    assert_eq!(bt.false_alarm_days, 2);
}

#[test]
fn backtest_lead_times_and_false_alarms() {
    // 60 kg for a month; a gain begins 3 days before an episode on 12-20
    // (watch, then warning), plus one low blood pressure on 12-05.
    let mut b = B::new();
    b.weights("2026-11-20", &[60.0; 27]); // to 12-16
    b.weights("2026-12-17", &[61.0, 61.2, 62.5, 63.0, 61.0, 60.0]); // 12-17..12-22
    b.weights("2026-12-23", &[60.0; 40]);
    b.entries
        .iter_mut()
        .find(|e| e.date() == d("2026-12-05"))
        .unwrap()
        .m
        .bp = Some(bp(98, 60));
    b.episode(7, "2026-12-20", Some("2026-12-22"));
    let (e, ep, s) = diary_of(&b);
    let diary = Diary {
        entries: &e,
        episodes: &ep,
        schedule: &s,
    };
    let bt = backtest(&diary, &RulesConfig::default());
    assert_eq!(bt.from, Some(d("2026-11-20")));
    assert_eq!(bt.to, Some(d("2027-01-31")));
    assert_eq!(bt.days, 73);
    assert_eq!(bt.episodes.len(), 1);
    let lead = &bt.episodes[0];
    assert_eq!(lead.first_alert, Some(d("2026-12-17")));
    assert_eq!(lead.lead_days_watch, Some(3));
    assert_eq!(lead.lead_days_warning, Some(1));
    // 98 mmHg on 12-05 is judged on 12-05 and on 12-06 (a reading counts
    // for the day after too): two false-alarm days.
    assert_eq!(bt.false_alarm_days, 2, "{bt:#?}");
    assert_eq!(bt.false_alarms.warning_days, 2, "{bt:#?}");
    assert_eq!(bt.false_alarms.watch_days, 0, "{bt:#?}");
    assert!((bt.false_alarms_per_year - 2.0 * 365.25 / 73.0).abs() < 1e-9);
    assert_eq!(bt.episodes_with_warning_lead, 1);

    let empty = backtest(
        &Diary {
            entries: &[],
            episodes: &ep,
            schedule: &[],
        },
        &RulesConfig::default(),
    );
    assert_eq!(empty.days, 0);
    assert_eq!(empty.episodes[0].first_alert, None);
}

/// The report's "How the rules did" section scores a period from day
/// levels: lead times read the lead-in days before the period, false alarms
/// only the period's days, and an episode after the period still excuses
/// the week before it.
#[test]
fn backtest_score_counts_only_the_period_with_lead_in() {
    use crate::rules::backtest_score;
    let first = d("2026-11-01");
    // 11-01..11-30: watch on 11-03 (before the period), warning on 11-10
    // and 11-11 (lead of the episode on 11-12), watch on 11-27 (7 days
    // before an episode on 12-04, after the period).
    let mut levels = vec![Level::Ok; 30];
    let at = |s: &str| (d(s) - first).num_days() as usize;
    levels[at("2026-11-03")] = Level::Watch;
    levels[at("2026-11-10")] = Level::Warning;
    levels[at("2026-11-11")] = Level::Warning;
    levels[at("2026-11-27")] = Level::Watch;
    let ep = |id, start: &str, end: &str| Episode {
        id,
        start: d(start),
        end: Some(d(end)),
        hospitalized: false,
        note: None,
    };
    let inside = vec![ep(1, "2026-11-12", "2026-11-12")];
    let mut all = inside.clone();
    all.push(ep(2, "2026-12-04", "2026-12-06"));
    let b = backtest_score(first, &levels, d("2026-11-10"), &inside, &all);
    assert_eq!(b.from, Some(d("2026-11-10")));
    assert_eq!(b.days, 21);
    assert_eq!(b.episodes.len(), 1);
    assert_eq!(b.episodes[0].lead_days_warning, Some(2));
    assert_eq!(b.episodes_with_warning_lead, 1);
    // 11-03 is before the period; 11-10/11 lie in episode 1's window and
    // 11-27 in episode 2's.
    assert_eq!(b.false_alarms.watch_days, 0, "{b:#?}");
    assert_eq!(b.false_alarms.warning_days, 0, "{b:#?}");
    // Without episode 2, 11-27 is a false watch day.
    let b = backtest_score(first, &levels, d("2026-11-10"), &inside, &inside);
    assert_eq!(b.false_alarms.watch_days, 1, "{b:#?}");
    assert!((b.false_alarms.watch_per_year - 365.25 / 21.0).abs() < 1e-9);
    // No days at all.
    let none = backtest_score(first, &[], first, &inside, &inside);
    assert_eq!((none.days, none.episodes.len()), (0, 1));
}

/// The rule of `describe`'s output with this id.
fn info<'a>(all: &'a [crate::rules::RuleInfo], id: &str) -> &'a crate::rules::RuleInfo {
    all.iter()
        .find(|r| r.rule == id)
        .unwrap_or_else(|| panic!("{id} not described"))
}

#[test]
fn describe_lists_every_rule_with_current_thresholds() {
    let all = describe(&RulesConfig::default());
    let ids: Vec<&str> = all.iter().map(|r| r.rule.as_str()).collect();
    assert_eq!(
        ids,
        [
            "D1", "D2", "D3", "W1", "W2", "W3", "W4", "P1", "P2", "P3", "L1", "L2", "L3", "L4",
            "L5", "L6", "L7", "L8", "L9", "L10", "H1", "H2", "R1", "M1"
        ]
    );
    // Every built-in rule, by the same id and name as validation knows it.
    let builtin: Vec<(&str, &str)> = all
        .iter()
        .map(|r| (r.rule.as_str(), r.name.as_str()))
        .collect();
    let mut known: Vec<(&str, &str)> = crate::rules::RuleId::ALL
        .iter()
        .map(|r| (r.code(), r.name()))
        .collect();
    known.sort();
    let mut described = builtin.clone();
    described.sort();
    assert_eq!(described, known);
    assert!(all.iter().all(|r| r.enabled && r.changed.is_empty()));

    let w1 = info(&all, "W1");
    assert_eq!(w1.level, "watch");
    assert!(
        w1.fires_when
            .contains("at least max(1.0 kg, 1.5% of the baseline) over the baseline"),
        "{}",
        w1.fires_when
    );
    assert!(
        w1.inputs
            .contains("baseline (median of the last 7 weighed days)"),
        "{}",
        w1.inputs
    );
    let d1 = &info(&all, "D1").fires_when;
    assert!(
        d1.contains("fewer than 4 day weights among the 7 most recent weighed days in the 28 days before it, episode days left out"),
        "{d1}"
    );
    let w4 = info(&all, "W4");
    assert_eq!(w4.level, "watch");
    assert_eq!(
        w4.fires_when,
        "the median day weight of the last 3 days (at least 2 weighed) is at least \
         max(1.0 kg, 1.5% of the reference) over the reference, the median day weight \
         35 to 8 days before (at least 4 weighed, episode days left out); set \
         dry_weight_kg to measure from your dry weight instead"
    );
    assert!(info(&all, "P1")
        .fires_when
        .contains("weight gain present (W1 or W4)"));
    assert_eq!(
        info(&all, "P2").level,
        "watch; warning with weight gain present (W1 or W4)"
    );
    assert_eq!(info(&all, "P3").level, "modifier");
    let l1 = &info(&all, "L1").fires_when;
    assert!(
        l1.contains(
            "the lowest systolic in the 24-hour window, sitting or standing, at or below 90"
        ) && l1.contains("the lowest sitting one 40 or more below your baseline"),
        "{l1}"
    );
    assert!(info(&all, "L2")
        .fires_when
        .contains("lowest sitting systolic"));
    assert!(info(&all, "L3")
        .fires_when
        .starts_with("any entry in the 24-hour window"));
    assert_eq!(info(&all, "L4").level, "warning / emergency");
    let l9 = info(&all, "L9");
    assert_eq!(l9.level, "warning / emergency");
    assert!(
        l9.fires_when
            .contains("at severity 2 or more (warning) or 3 or more (emergency)"),
        "{}",
        l9.fires_when
    );
    let l10 = info(&all, "L10");
    assert_eq!(l10.level, "watch");
    assert!(l10.fires_when.ends_with("when L8 did not fire"));
    assert!(info(&all, "H1")
        .fires_when
        .contains("hemoglobin 3 g/dL or hematocrit 9 points over your baseline"));
    let r1 = &info(&all, "R1").fires_when;
    assert!(
        r1.contains("from an episode's start to 14 days after its end")
            && r1.contains("no weight needed")
            && r1.contains("max(1.0 kg, 1.5% of the day before's)"),
        "{r1}"
    );

    let mut cfg = RulesConfig::default();
    cfg.weight_gain.watch_kg = 1.3;
    cfg.hypotension.enabled = false;
    cfg.tachycardia.level = Some(Level::Watch);
    cfg.bp_baseline.readings = 5;
    cfg.no_baseline.lookback_days = 42;
    cfg.sustained_gain.recent_days = 4;
    cfg.dry_weight_kg = Some(68.0);
    cfg.breathing.enabled = false;
    cfg.swelling.min_severity = 3;
    cfg.hemoconcentration.hct_rise_emergency = 10.0;
    cfg.custom.push(crate::rules::CustomRule {
        id: "mine".into(),
        message: "call".into(),
        all: vec![crate::rules::Condition {
            prodrome_count: Some(3),
            ..Default::default()
        }],
        ..Default::default()
    });
    let all = describe(&cfg);
    assert_eq!(all.len(), 25);
    let w1 = info(&all, "W1");
    assert!(w1.fires_when.contains("max(1.3 kg"), "{}", w1.fires_when);
    assert_eq!(w1.changed, ["weight_gain.watch_kg = 1.3"]);
    assert_eq!(info(&all, "D1").changed, ["no_baseline.lookback_days = 42"]);
    assert!(info(&all, "D1")
        .fires_when
        .contains("in the 42 days before it"));
    let w4 = info(&all, "W4");
    assert_eq!(
        w4.changed,
        ["sustained_gain.recent_days = 4", "dry_weight_kg = 68.0"]
    );
    assert_eq!(
        w4.fires_when,
        "the median day weight of the last 4 days (at least 2 weighed) is at least \
         max(1.0 kg, 1.5% of the dry weight) over your dry weight 68.0 kg (dry_weight_kg)"
    );
    let l1 = info(&all, "L1");
    assert!(!l1.enabled);
    assert!(l1
        .changed
        .contains(&"hypotension.enabled = false".to_string()));
    assert!(l1.changed.contains(&"bp_baseline.readings = 5".to_string()));
    let l5 = info(&all, "L5");
    assert_eq!(l5.level, "watch (overridden)");
    assert_eq!(l5.changed, ["tachycardia.level = \"watch\""]);
    let l9 = info(&all, "L9");
    assert!(!l9.enabled);
    assert_eq!(l9.changed, ["breathing.enabled = false"]);
    assert_eq!(info(&all, "L10").changed, ["swelling.min_severity = 3"]);
    assert_eq!(
        info(&all, "H1").changed,
        ["hemoconcentration.hct_rise_emergency = 10.0"]
    );
    // The disabled rules are the ones the config lists as switched off.
    let off: Vec<&str> = all
        .iter()
        .filter(|r| !r.enabled)
        .map(|r| r.rule.as_str())
        .collect();
    let switched_off: Vec<String> = cfg.disabled().into_iter().map(|r| r.rule).collect();
    assert_eq!(off, ["L1", "L9"]);
    assert_eq!(off, switched_off);
    let mine = &all[24];
    assert_eq!(mine.rule, "mine");
    assert_eq!(
        mine.fires_when,
        "all of: 3 or more prodrome-set symptoms; says \"call\""
    );
}

#[test]
fn describe_shows_weights_in_the_configured_unit() {
    let cfg = RulesConfig {
        unit: crate::input::WeightUnit::Lb,
        dry_weight_kg: Some(68.0),
        ..Default::default()
    };
    let all = describe(&cfg);
    for (id, want) in [
        ("W1", "max(2.2 lb, 1.5% of the baseline)"),
        ("W2", "max(4.4 lb, 3% of the baseline)"),
        ("W3", "max(2.2 lb, 1.5% of the previous day's)"),
        ("W4", "over your dry weight 149.9 lb (dry_weight_kg)"),
        ("P3", "max(1.5 lb, 1% of the baseline)"),
        ("R1", "max(2.2 lb, 1.5% of the day before's)"),
    ] {
        let f = &info(&all, id).fires_when;
        assert!(f.contains(want), "{id}: {f}");
        assert!(!f.contains(" kg,") && !f.contains(" kg)"), "{id}: {f}");
    }
    // The config keys stay in kg, as they are written.
    assert_eq!(info(&all, "W4").changed, ["dry_weight_kg = 68.0"]);
}

/// Ten years of daily data from 2016-01-01: a morning weight, BP and heart
/// rate; every fifth evening symptoms, and a hemoglobin every 30 days. One
/// episode, on 2020-03-01.
pub(super) fn ten_years() -> (Vec<Entry>, Vec<Episode>) {
    let mut entries = Vec::new();
    let start = d("2016-01-01");
    let mut date = start;
    let mut id = 0;
    for k in 0..3650 {
        for (time, morning) in [("07:00", true), ("20:00", false)] {
            if !morning && k % 5 != 0 {
                continue;
            }
            id += 1;
            let t = chrono::NaiveTime::parse_from_str(time, "%H:%M").unwrap();
            let mut m = Measurements::default();
            if morning {
                m.weight_kg = Some(70.0 + (k % 7) as f64 * 0.2);
                m.bp = Some(bp(115 + (k % 11) as u16, 75));
                m.heart_rate = Some(70);
            } else {
                m.set_symptom("fatigue", (k % 4) as u8);
                m.set_symptom("thirst", 1);
                if k % 30 == 0 {
                    m.set_lab(LabKind::Hemoglobin, 14.0 + (k % 3) as f64 * 0.3);
                }
            }
            entries.push(Entry {
                id,
                stamp: Stamp {
                    date,
                    time: t,
                    utc: chrono::Utc.from_utc_datetime(&date.and_time(t)),
                    offset_secs: 0,
                },
                m,
            });
        }
        date = date.succ_opt().unwrap();
    }
    let episodes = vec![Episode {
        id: 1,
        start: d("2020-03-01"),
        end: None,
        hospitalized: false,
        note: None,
    }];
    (entries, episodes)
}

/// Ten years of daily data (two entries a day) in one `history` call.
#[test]
fn ten_years_of_history_is_fast() {
    let (entries, episodes) = ten_years();
    let start = d("2016-01-01");
    let diary = Diary {
        entries: &entries,
        episodes: &episodes,
        schedule: &[],
    };
    let cfg = RulesConfig::default();
    let t = std::time::Instant::now();
    let h = history(&diary, start, shift_days(start, 3649), &cfg);
    let took = t.elapsed();
    assert_eq!(h.len(), 3650);
    assert!(h
        .windows(2)
        .all(|w| w[1].date == w[0].date.succ_opt().unwrap()));
    // No time limit here: on a 2-core machine shared with other builds an
    // unoptimised build took 3.3 s against the 3 s once asserted, while the
    // code had got faster. Speed is measured by benches/run (instruction
    // counts, which load does not move); this only shows the time.
    eprintln!("10 years of history: {took:?}");
}

fn shift_days(d: NaiveDate, n: i64) -> NaiveDate {
    d + chrono::TimeDelta::days(n)
}
