//! A small fixed diary for the report's unit and snapshot tests: two weeks
//! with an episode in the middle, a missed day, hostile notes, and
//! hand-written assessments, so that these tests never depend on which rule
//! fires. The weight baselines are the rules' own
//! ([`crate::rules::weight_baselines`] with the default config), as in
//! `cls report`.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime};

use super::{med_status, summarize, Input, Report};
use crate::config::{Patient, ScheduledMed};
use crate::input::WeightUnit;
use crate::model::{Bp, DayStart, Entry, Episode, LabKind, Measurements, Med, Stamp};
use crate::rules::{Assessment, Diary, EpisodeLead, Finding, Level, RulesConfig, WeightBaseline};

/// The sample's period.
pub const FROM: &str = "2026-11-12";
pub const TO: &str = "2026-11-25";

pub fn date(s: &str) -> NaiveDate {
    s.parse().expect("test date")
}

pub fn entry(id: i64, day: &str, time: &str, f: impl FnOnce(&mut Measurements)) -> Entry {
    let date = date(day);
    let time = NaiveTime::parse_from_str(time, "%H:%M").expect("test time");
    let mut m = Measurements::default();
    f(&mut m);
    Entry {
        id,
        stamp: Stamp {
            date,
            time,
            utc: date.and_time(time).and_utc(),
            offset_secs: 0,
        },
        m,
        source: None,
    }
}

pub fn bp(s: u16, d: u16) -> Option<Bp> {
    Some(Bp {
        systolic: s,
        diastolic: d,
    })
}

pub fn finding(rule: &str, name: &str, level: Level, message: &str) -> Finding {
    Finding {
        rule: rule.into(),
        name: name.into(),
        level,
        message: message.into(),
        evidence: BTreeMap::new(),
    }
}

pub const HOSTILE_NOTE: &str =
    "ER visit <script>alert(\"x\")</script> & 'fluids' | *3 L* [link](javascript:x)";
pub const RTL_NOTE: &str = "back to normal — عادت الأمور 🙂";
pub const ESCAPE_NOTE: &str = "felt fine \x1b[2J\x1b[31mred\u{202E}txet";

pub struct SampleDiary {
    pub entries: Vec<Entry>,
    pub episodes: Vec<Episode>,
    pub history: Vec<Assessment>,
    /// [`sample_baselines`] of the entries and episodes above.
    pub baselines: Vec<WeightBaseline>,
    pub leads: Vec<EpisodeLead>,
    /// The backtest's numbers over the history, as `cls report` passes them.
    pub rules_on_history: Option<crate::rules::Backtest>,
    pub patient: Patient,
    pub schedule: Vec<ScheduledMed>,
}

impl SampleDiary {
    pub fn input(&self) -> Input<'_> {
        let to = date(TO);
        Input {
            entries: &self.entries,
            episodes: &self.episodes,
            history: &self.history,
            baselines: &self.baselines,
            day_start: DayStart::default(),
            leads: &self.leads,
            scheduled: self
                .schedule
                .iter()
                .map(|m| {
                    let last = self.entries.iter().rev().find_map(|e| {
                        e.m.meds
                            .iter()
                            .find(|x| x.name == m.name)
                            .map(|x| (e.date(), x.dose.clone()))
                    });
                    med_status(m, last, to)
                })
                .collect(),
            patient: &self.patient,
            synthetic: false,
            rules_on_history: self.rules_on_history.clone(),
            from: date(FROM),
            to,
            generated: DateTime::parse_from_rfc3339("2026-11-25T08:00:00+00:00")
                .expect("test time"),
            version: "0.1.0",
            unit: WeightUnit::Kg,
        }
    }
}

/// The report of [`sample_diary`].
pub fn sample_report() -> Report {
    summarize(&sample_diary().input())
}

/// The rules' weight baselines (default config) for the sample's period.
/// `entries` must be sorted by [`crate::model::entry_order`].
pub fn sample_baselines(entries: &[Entry], episodes: &[Episode]) -> Vec<WeightBaseline> {
    let diary = Diary {
        entries,
        episodes,
        schedule: &[],
    };
    crate::rules::weight_baselines(&diary, date(FROM), date(TO), &RulesConfig::default())
}

/// Two weeks (2026-11-12 to 2026-11-25) after a quiet lookback week: a
/// prodrome from the 15th, an episode from the 17th to the 20th with low
/// blood pressure and swelling, the 20th not logged, an IVIG infusion on the
/// 22nd.
pub fn sample_diary() -> SampleDiary {
    let mut entries = Vec::new();
    let mut id = 0;
    let mut add = |day: &str, time: &str, f: &dyn Fn(&mut Measurements)| {
        id += 1;
        entries.push(entry(id, day, time, f));
    };
    for (i, w) in [67.8, 68.0, 68.2, 68.0, 67.9, 68.1, 68.0]
        .iter()
        .enumerate()
    {
        let day = (date("2026-11-05") + Duration::days(i as i64)).to_string();
        add(&day, "07:30", &|m| {
            m.weight_kg = Some(*w);
            m.bp = bp(118, 76);
            m.heart_rate = Some(70);
        });
    }
    add("2026-11-12", "07:30", &|m| {
        m.weight_kg = Some(68.0);
        m.bp = bp(118, 76);
        m.heart_rate = Some(70);
    });
    add("2026-11-13", "07:30", &|m| {
        m.weight_kg = Some(67.8);
        m.bp = bp(120, 78);
        m.heart_rate = Some(72);
        m.note = Some(ESCAPE_NOTE.into());
    });
    add("2026-11-14", "07:30", &|m| {
        m.weight_kg = Some(67.6);
        m.bp = bp(116, 74);
        m.heart_rate = Some(68);
        m.set_symptom("thirst", 1);
    });
    add("2026-11-15", "07:30", &|m| {
        m.weight_kg = Some(68.4);
        m.bp = bp(112, 72);
        m.heart_rate = Some(78);
        m.set_symptom("thirst", 2);
        m.set_symptom("fatigue", 2);
        m.set_symptom("cold-symptoms", 2);
    });
    add("2026-11-16", "07:30", &|m| {
        m.weight_kg = Some(69.6);
        m.bp = bp(104, 68);
        m.heart_rate = Some(88);
        m.set_symptom("thirst", 3);
        m.set_symptom("fatigue", 2);
        m.set_symptom("muscle-pain", 2);
        m.set_lab(LabKind::Hematocrit, 52.0);
    });
    add("2026-11-17", "07:00", &|m| {
        m.weight_kg = Some(71.2);
        m.bp = bp(96, 62);
        m.heart_rate = Some(104);
        m.set_symptom("thirst", 2);
        m.set_symptom("swelling", 2);
        m.set_symptom("dizziness", 2);
    });
    add("2026-11-17", "19:00", &|m| {
        m.weight_kg = Some(71.9);
        m.bp = bp(88, 56);
        m.standing_bp = bp(80, 50);
        m.heart_rate = Some(112);
        m.set_symptom("thirst", 3);
        m.note = Some(HOSTILE_NOTE.into());
    });
    add("2026-11-18", "08:00", &|m| {
        m.weight_kg = Some(70.8);
        m.bp = bp(98, 64);
        m.heart_rate = Some(96);
        m.set_symptom("swelling", 3);
        m.set_lab(LabKind::Albumin, 28.0);
    });
    add("2026-11-19", "08:00", &|m| {
        m.weight_kg = Some(69.6);
        m.bp = bp(108, 70);
        m.heart_rate = Some(84);
        m.set_symptom("polyuria", 2);
        m.set_symptom("fatigue", 1);
    });
    add("2026-11-21", "07:30", &|m| {
        m.weight_kg = Some(68.6);
        m.bp = bp(114, 74);
        m.heart_rate = Some(76);
        m.set_symptom("polyuria", 1);
    });
    add("2026-11-22", "07:30", &|m| {
        m.weight_kg = Some(68.2);
        m.bp = bp(118, 76);
        m.heart_rate = Some(72);
        m.meds.push(Med {
            name: "ivig".into(),
            dose: Some("2g/kg".into()),
        });
        m.note = Some("IVIG infusion, day unit".into());
    });
    add("2026-11-23", "07:30", &|m| {
        m.weight_kg = Some(68.0);
        m.bp = bp(120, 78);
        m.heart_rate = Some(70);
    });
    add("2026-11-24", "07:30", &|m| {
        m.weight_kg = Some(68.1);
        m.bp = bp(119, 77);
        m.heart_rate = Some(71);
        m.note = Some(RTL_NOTE.into());
    });
    add("2026-11-25", "07:30", &|m| {
        m.weight_kg = Some(68.3);
        m.bp = bp(118, 76);
        m.heart_rate = Some(72);
        m.set_symptom("headache", 2);
        m.set_symptom("fatigue", 2);
    });

    let levels: BTreeMap<&str, (Level, Vec<Finding>)> = [
        (
            "2026-11-15",
            (
                Level::Watch,
                vec![finding(
                    "P2",
                    "prodrome_cluster",
                    Level::Watch,
                    "2 prodrome symptoms: thirst (moderate), fatigue (moderate)",
                )],
            ),
        ),
        (
            "2026-11-16",
            (
                Level::Warning,
                vec![
                    finding(
                        "W1",
                        "weight_gain",
                        Level::Watch,
                        "weight 69.6 kg is +1.6 kg (+2.4%) over your baseline 68.0 kg (median of the last 7 weighed days) (limit +0.7 kg, lowered after cold-symptoms on 2026-11-15)",
                    ),
                    finding(
                        "P1",
                        "weight_thirst",
                        Level::Warning,
                        "weight +1.6 kg over baseline with thirst (severe)",
                    ),
                ],
            ),
        ),
        (
            "2026-11-17",
            (
                Level::Emergency,
                vec![
                    finding(
                        "W2",
                        "weight_gain_large",
                        Level::Warning,
                        "weight 71.2 kg is +3.2 kg (+4.7%) over your baseline 68.0 kg (median of the last 7 weighed days) (limit +2.0 kg)",
                    ),
                    finding(
                        "L1",
                        "hypotension",
                        Level::Emergency,
                        "systolic 88 mmHg is at or below 90",
                    ),
                    finding(
                        "L8",
                        "leak_combo",
                        Level::Emergency,
                        "swelling (moderate) with dizziness (moderate) <b>and</b> systolic 88",
                    ),
                ],
            ),
        ),
        ("2026-11-20", (Level::Unknown, vec![])),
        (
            "2026-11-25",
            (
                Level::Watch,
                vec![finding(
                    "P2",
                    "prodrome_cluster",
                    Level::Watch,
                    "2 prodrome symptoms: fatigue (moderate), headache (moderate)",
                )],
            ),
        ),
    ]
    .into_iter()
    .collect();
    let history: Vec<Assessment> = date(FROM)
        .iter_days()
        .take(14)
        .map(|d| {
            let (level, findings) = levels
                .get(d.to_string().as_str())
                .cloned()
                .unwrap_or((Level::Ok, vec![]));
            Assessment {
                date: d,
                as_of: None,
                level,
                findings,
                skipped: vec![],
                notes: vec![],
                disabled: vec![],
            }
        })
        .collect();

    let episodes = vec![Episode {
        id: 1,
        start: date("2026-11-17"),
        end: Some(date("2026-11-20")),
        hospitalized: true,
        note: Some("ICU 2 nights; <i>albumin</i>".into()),
    }];
    // The history's days in order, from its first: the report's backtest
    // section is scored from these levels, as `cls report` does.
    let levels: Vec<Level> = history.iter().map(|a| a.level).collect();
    let rules_on_history = Some(crate::rules::backtest_score(
        history[0].date,
        &levels,
        date(FROM),
        &episodes,
        &episodes,
    ));
    SampleDiary {
        rules_on_history,
        baselines: sample_baselines(&entries, &episodes),
        entries,
        episodes,
        history,
        leads: vec![EpisodeLead {
            episode_id: 1,
            start: date("2026-11-17"),
            lead_days_watch: Some(2),
            lead_days_warning: Some(1),
            first_alert: Some(date("2026-11-15")),
        }],
        patient: Patient {
            name: Some("Alex Example".into()),
            date_of_birth: Some(date("1970-01-31")),
            ..Patient::default()
        },
        schedule: vec![ScheduledMed {
            name: "ivig".into(),
            dose: Some("2g/kg".into()),
            every_days: 28,
            grace_days: 3,
        }],
    }
}
