//! Tests of the rules engine: each rule at and just short of its threshold
//! (`rules` for D, W, P; `signs` for L, H, R, M), configuration and
//! validation (`config`), clinically recognisable timelines (`timelines`),
//! history/backtest/describe (`runs`), properties over random diaries
//! (`props`), days evaluated for their level only (`quiet`), and
//! docs/rules.md against the code (`docs`).

mod config;
mod docs;
mod props;
mod quiet;
mod rules;
mod runs;
mod signs;
mod timelines;

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};

use super::{evaluate, Assessment, Diary, Finding, Level, RulesConfig};
use crate::model::{entry_order, Bp, Entry, Episode, LabKind, Measurements, Stamp, Urine};
use crate::rules::ScheduledMed;

pub(super) fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

pub(super) fn bp(s: u16, d: u16) -> Bp {
    Bp {
        systolic: s,
        diastolic: d,
    }
}

/// A diary under construction.
#[derive(Debug, Default, Clone)]
pub(super) struct B {
    pub entries: Vec<Entry>,
    pub episodes: Vec<Episode>,
    pub schedule: Vec<ScheduledMed>,
}

impl B {
    pub fn new() -> B {
        B::default()
    }

    /// Add an entry at `date time` and return its measurements to fill in.
    pub fn at(&mut self, date: &str, time: &str) -> &mut Measurements {
        let date = d(date);
        let time = NaiveTime::parse_from_str(time, "%H:%M").expect("test time");
        let id = self.entries.len() as i64 + 1;
        self.entries.push(Entry {
            id,
            stamp: Stamp {
                date,
                time,
                utc: Utc.from_utc_datetime(&date.and_time(time)),
                offset_secs: 0,
            },
            m: Measurements::default(),
        });
        &mut self.entries.last_mut().expect("just pushed").m
    }

    /// A morning weight.
    pub fn weigh(&mut self, date: &str, kg: f64) -> &mut Measurements {
        let m = self.at(date, "07:00");
        m.weight_kg = Some(kg);
        m
    }

    /// Morning weights on consecutive days from `start`.
    pub fn weights(&mut self, start: &str, kgs: &[f64]) -> &mut Self {
        let mut date = d(start);
        for kg in kgs {
            self.weigh(&date.to_string(), *kg);
            date = date.succ_opt().expect("date");
        }
        self
    }

    /// Sitting BP readings at 08:00 on consecutive days from `start`.
    pub fn pressures(&mut self, start: &str, sys: &[u16]) -> &mut Self {
        let mut date = d(start);
        for s in sys {
            self.at(&date.to_string(), "08:00").bp = Some(bp(*s, 70));
            date = date.succ_opt().expect("date");
        }
        self
    }

    pub fn episode(&mut self, id: i64, start: &str, end: Option<&str>) -> &mut Self {
        self.episodes.push(Episode {
            id,
            start: d(start),
            end: end.map(d),
            hospitalized: true,
            note: None,
        });
        self
    }

    pub fn sorted(&self) -> Vec<Entry> {
        let mut v = self.entries.clone();
        v.sort_by(entry_order);
        v
    }

    pub fn eval_cfg(&self, date: &str, cfg: &RulesConfig) -> Assessment {
        let entries = self.sorted();
        let diary = Diary {
            entries: &entries,
            episodes: &self.episodes,
            schedule: &self.schedule,
        };
        evaluate(&diary, d(date), cfg)
    }

    pub fn eval(&self, date: &str) -> Assessment {
        self.eval_cfg(date, &RulesConfig::default())
    }
}

/// Extension helpers for reading an assessment in tests.
pub(super) trait Look {
    fn get(&self, rule: &str) -> Option<&Finding>;
    fn level_of(&self, rule: &str) -> Option<Level>;
    fn is_skipped(&self, rule: &str) -> bool;
    fn msg(&self, rule: &str) -> String;
    fn rules(&self) -> Vec<&str>;
}

impl Look for Assessment {
    fn get(&self, rule: &str) -> Option<&Finding> {
        self.findings.iter().find(|f| f.rule == rule)
    }
    fn level_of(&self, rule: &str) -> Option<Level> {
        self.get(rule).map(|f| f.level)
    }
    fn is_skipped(&self, rule: &str) -> bool {
        self.skipped.iter().any(|s| s.rule == rule)
    }
    fn msg(&self, rule: &str) -> String {
        self.get(rule)
            .map(|f| f.message.clone())
            .unwrap_or_else(|| panic!("{rule} did not fire: {self:#?}"))
    }
    fn rules(&self) -> Vec<&str> {
        self.findings.iter().map(|f| f.rule.as_str()).collect()
    }
}

/// A steady patient: 60.0 kg every morning for the 7 days before `date`
/// (2026-11-18..24 when `date` is 2026-11-25), BP 120/75, HR 70.
pub(super) fn steady60() -> B {
    let mut b = B::new();
    b.weights("2026-11-18", &[60.0; 7]);
    b
}

/// Same at 100 kg, where the % form of the weight thresholds is the larger.
pub(super) fn steady100() -> B {
    let mut b = B::new();
    b.weights("2026-11-18", &[100.0; 7]);
    b
}

pub(super) const DAY: &str = "2026-11-25";

pub(super) fn lab(m: &mut Measurements, kind: LabKind, v: f64) {
    m.set_lab(kind, v);
}

pub(super) fn urine(m: &mut Measurements, u: Urine) {
    m.urine = Some(u);
}
