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
    assert!((bt.false_alarms_per_year - 2.0 * 365.25 / 73.0).abs() < 1e-9);

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

#[test]
fn describe_lists_every_rule_with_current_thresholds() {
    let info = describe(&RulesConfig::default());
    let ids: Vec<&str> = info.iter().map(|r| r.rule.as_str()).collect();
    assert_eq!(
        ids,
        [
            "D1", "D2", "D3", "W1", "W2", "W3", "P1", "P2", "P3", "L1", "L2", "L3", "L4", "L5",
            "L6", "L7", "L8", "H1", "H2", "R1", "M1"
        ]
    );
    assert!(info.iter().all(|r| r.enabled && r.changed.is_empty()));
    let w1 = &info[3];
    assert_eq!(w1.level, "watch");
    assert!(
        w1.fires_when.contains("max(1 kg, 1.5% of the baseline)"),
        "{}",
        w1.fires_when
    );
    assert_eq!(info[8].level, "modifier");
    assert_eq!(info[13].level, "warning / emergency");

    let mut cfg = RulesConfig::default();
    cfg.weight_gain.watch_kg = 1.3;
    cfg.hypotension.enabled = false;
    cfg.tachycardia.level = Some(Level::Watch);
    cfg.bp_baseline.readings = 5;
    cfg.custom.push(crate::rules::CustomRule {
        id: "mine".into(),
        message: "call".into(),
        all: vec![crate::rules::Condition {
            prodrome_count: Some(3),
            ..Default::default()
        }],
        ..Default::default()
    });
    let info = describe(&cfg);
    assert_eq!(info.len(), 22);
    assert!(info[3].fires_when.contains("max(1.3 kg"));
    assert_eq!(info[3].changed, ["weight_gain.watch_kg = 1.3"]);
    assert!(!info[9].enabled);
    assert!(info[9]
        .changed
        .contains(&"hypotension.enabled = false".to_string()));
    assert!(info[9]
        .changed
        .contains(&"bp_baseline.readings = 5".to_string()));
    assert_eq!(info[13].level, "watch (overridden)");
    assert_eq!(info[13].changed, ["tachycardia.level = \"watch\""]);
    assert_eq!(info[21].rule, "mine");
    assert_eq!(
        info[21].fires_when,
        "all of: 3 or more prodrome-set symptoms; says \"call\""
    );
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
    // Generous for unoptimised test builds; a release build takes a few ms.
    assert!(took.as_millis() < 3000, "{took:?}");
    eprintln!("10 years of history: {took:?}");
}

fn shift_days(d: NaiveDate, n: i64) -> NaiveDate {
    d + chrono::TimeDelta::days(n)
}
