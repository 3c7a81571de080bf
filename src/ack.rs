//! Acknowledgements (docs/rules.md): "I have acted on this" for a
//! `watch` or `warning` finding. Pure: which acks still hold for an
//! assessment, and the level that hooks and the prompt read once the
//! acknowledged findings are set aside. The level of an assessment and the
//! exit status of `cls check` never change.
//!
//! An ack holds for its logical day only, and only while every rule at
//! `watch` or above is one that was firing when it was made, at no higher
//! level than then: a new rule or a higher level makes it lapse, for good.
//! `emergency` can never be acknowledged.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

use crate::rules::{Assessment, Level};

/// One stored acknowledgement of one finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ack {
    pub id: i64,
    /// The logical day it was made on (and holds for, at most).
    pub day: NaiveDate,
    pub rule: String,
    /// The finding's level when acknowledged: `watch` or `warning`.
    pub level: Level,
    pub at: DateTime<FixedOffset>,
    pub note: Option<String>,
    /// Every rule at `watch` or above, with its level, when it was made.
    pub seen: Vec<(String, Level)>,
    /// When a command first saw it lapse.
    pub lapsed: Option<DateTime<FixedOffset>>,
}

/// What `check --json` shows on an acknowledged finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Acknowledged {
    /// RFC 3339.
    pub at: String,
    pub note: Option<String>,
}

impl From<&Ack> for Acknowledged {
    fn from(a: &Ack) -> Self {
        Acknowledged {
            at: a.at.to_rfc3339(),
            note: a.note.clone(),
        }
    }
}

/// The rules at `watch` or above in an assessment, with their highest
/// level (what an ack made now records as `seen`).
pub fn alerting(a: &Assessment) -> Vec<(String, Level)> {
    let mut out: BTreeMap<&str, Level> = BTreeMap::new();
    for f in a.findings.iter().filter(|f| f.level >= Level::Watch) {
        let l = out.entry(&f.rule).or_insert(f.level);
        *l = (*l).max(f.level);
    }
    out.into_iter().map(|(r, l)| (r.to_string(), l)).collect()
}

/// Why an ack no longer holds for `a` (judged on logical day `today`), or
/// `None` while it does.
pub fn lapse_reason(ack: &Ack, a: &Assessment, today: NaiveDate) -> Option<String> {
    if ack.lapsed.is_some() {
        return Some("it lapsed earlier".into());
    }
    if ack.day != today || a.date != today {
        return Some("a new day began".into());
    }
    for (rule, level) in alerting(a) {
        match ack.seen.iter().find(|(r, _)| *r == rule) {
            None => return Some(format!("{rule} fired after it")),
            Some((_, seen)) if level > *seen => {
                return Some(format!("{rule} rose to {level}"));
            }
            Some(_) => {}
        }
    }
    None
}

/// The acks of `today` that hold for `a`, by rule (the latest ack of a rule
/// wins), and the ids of those that have just been found to lapse.
pub fn holding(acks: &[Ack], a: &Assessment, today: NaiveDate) -> (Holding, Vec<i64>) {
    let mut by_rule = BTreeMap::new();
    let mut lapsed = Vec::new();
    for ack in acks {
        match lapse_reason(ack, a, today) {
            None => {
                by_rule.insert(ack.rule.clone(), ack.clone());
            }
            Some(_) if ack.lapsed.is_none() => lapsed.push(ack.id),
            Some(_) => {}
        }
    }
    (Holding(by_rule), lapsed)
}

/// The acknowledgements that hold now, by rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holding(pub BTreeMap<String, Ack>);

impl Holding {
    /// The ack that covers a finding of `rule` at `level`, if any.
    pub fn covers(&self, rule: &str, level: Level) -> Option<&Ack> {
        self.0
            .get(rule)
            .filter(|ack| level <= ack.level && level < Level::Emergency)
    }

    /// The level once acknowledged findings are set aside: what hooks and
    /// the prompt token act on. `emergency` is never set aside.
    pub fn unacknowledged_level(&self, a: &Assessment) -> Level {
        if a.level == Level::Emergency {
            return Level::Emergency;
        }
        a.findings
            .iter()
            .filter(|f| self.covers(&f.rule, f.level).is_none())
            .map(|f| f.level)
            .max()
            .unwrap_or(Level::Ok)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// `seen` as stored: "W1:watch P2:warning".
pub fn seen_to_text(seen: &[(String, Level)]) -> String {
    seen.iter()
        .map(|(r, l)| format!("{r}:{l}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The stored `seen` text back; unreadable parts are left out (which can
/// only make the ack lapse sooner).
pub fn seen_from_text(text: &str) -> Vec<(String, Level)> {
    text.split_whitespace()
        .filter_map(|part| {
            let (rule, level) = part.rsplit_once(':')?;
            Some((rule.to_string(), parse_level(level)?))
        })
        .collect()
}

/// A level from its name (`ok`, `unknown`, `watch`, `warning`, `emergency`).
pub fn parse_level(s: &str) -> Option<Level> {
    Level::ALL.into_iter().find(|l| l.as_str() == s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Finding;

    fn finding(rule: &str, level: Level) -> Finding {
        Finding {
            rule: rule.into(),
            name: rule.to_lowercase(),
            level,
            message: format!("{rule} fired"),
            evidence: BTreeMap::new(),
        }
    }

    fn assessment(day: NaiveDate, findings: &[(&str, Level)]) -> Assessment {
        let findings: Vec<Finding> = findings.iter().map(|(r, l)| finding(r, *l)).collect();
        Assessment {
            date: day,
            as_of: None,
            level: findings.iter().map(|f| f.level).max().unwrap_or(Level::Ok),
            findings,
            skipped: vec![],
            notes: vec![],
            disabled: vec![],
        }
    }

    fn ack(day: NaiveDate, rule: &str, level: Level, seen: &[(&str, Level)]) -> Ack {
        Ack {
            id: 1,
            day,
            rule: rule.into(),
            level,
            at: DateTime::parse_from_rfc3339("2026-11-25T08:10:00+00:00").unwrap(),
            note: Some("called Dr Okafor".into()),
            seen: seen.iter().map(|(r, l)| (r.to_string(), *l)).collect(),
            lapsed: None,
        }
    }

    #[test]
    fn an_ack_holds_until_a_new_rule_or_a_higher_level_or_a_new_day() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let a = ack(d, "W1", Level::Watch, &[("W1", Level::Watch)]);
        let same = assessment(d, &[("W1", Level::Watch), ("D1", Level::Unknown)]);
        assert_eq!(lapse_reason(&a, &same, d), None);
        let (h, lapsed) = holding(std::slice::from_ref(&a), &same, d);
        assert!(lapsed.is_empty());
        assert_eq!(h.unacknowledged_level(&same), Level::Unknown);
        let new_rule = assessment(d, &[("W1", Level::Watch), ("P2", Level::Watch)]);
        assert_eq!(
            lapse_reason(&a, &new_rule, d).as_deref(),
            Some("P2 fired after it")
        );
        let higher = assessment(d, &[("W1", Level::Warning)]);
        assert!(lapse_reason(&a, &higher, d).is_some());
        let tomorrow = d.succ_opt().unwrap();
        assert!(lapse_reason(&a, &assessment(tomorrow, &[]), tomorrow).is_some());
        // A rule that stops firing does not make it lapse.
        assert_eq!(lapse_reason(&a, &assessment(d, &[]), d), None);
    }

    #[test]
    fn an_emergency_is_never_set_aside() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let a = assessment(d, &[("L1", Level::Emergency), ("W1", Level::Watch)]);
        let mut h = Holding::default();
        h.0.insert("W1".into(), ack(d, "W1", Level::Watch, &[]));
        assert_eq!(h.unacknowledged_level(&a), Level::Emergency);
    }

    #[test]
    fn seen_round_trips() {
        let seen = vec![
            ("W1".to_string(), Level::Watch),
            ("my:rule".into(), Level::Warning),
        ];
        assert_eq!(seen_from_text(&seen_to_text(&seen)), seen);
    }
}
