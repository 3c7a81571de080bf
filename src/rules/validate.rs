//! What `[rules]` validation reports, and the checks every family uses.
//!
//! Each family validates its own tables ([`super::family`]); a failed check
//! is a [`ValidationError`] carrying the key it names (`rules.weight_gain.
//! watch_kg`), shown as one line: "rules.weight_gain.watch_kg: 25 is out of
//! range: must be 0–20". Keys and messages are built only on failure:
//! validation runs on every start.

use std::fmt::{self, Display};

use super::{Level, RuleId};
use crate::model::Severity;
use crate::symptoms;

/// A `[rules]` key whose value cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {problem}")]
pub struct ValidationError {
    /// The key as the patient would find it in the config, e.g.
    /// `rules.weight_gain.watch_kg` or `rules.custom[0] (mine).all[1].min`.
    pub key: String,
    pub problem: Problem,
}

/// What is wrong with a key's value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// A number outside its range; `hint` names the key bounding it.
    #[error("{value} is out of range: must be {lo}–{hi}{}", hint_text(.hint))]
    OutOfRange {
        value: String,
        lo: String,
        hi: String,
        hint: Option<&'static str>,
    },
    #[error("'ok' is not allowed: a rule that fires must raise the level (use enabled = false to turn a rule off)")]
    LevelOk,
    #[error("'unknown' is reserved for missing data: use watch, warning or emergency")]
    LevelUnknown,
    /// D1 or D2 switched off; says why they must stay on.
    #[error("cannot be false: {0}")]
    AlwaysOn(&'static str),
    #[error("must list at least one symptom")]
    NoSymptoms,
    /// A symptom name that does not resolve (the sentence says which).
    #[error("{0}")]
    UnknownSymptom(String),
    #[error("'{given}' is listed twice (as '{name}')")]
    Duplicate { given: String, name: String },
    /// Anything else, in words.
    #[error("{0}")]
    Invalid(String),
}

fn hint_text(hint: &Option<&'static str>) -> String {
    hint.map(|h| format!(" ({h})")).unwrap_or_default()
}

impl ValidationError {
    pub(crate) fn new(key: &dyn Display, problem: Problem) -> ValidationError {
        ValidationError {
            key: key.to_string(),
            problem,
        }
    }

    /// Add the key that bounds an out-of-range value: "(at least
    /// no_baseline.days)".
    pub(crate) fn hint(mut self, text: &'static str) -> ValidationError {
        if let Problem::OutOfRange { hint, .. } = &mut self.problem {
            *hint = Some(text);
        }
        self
    }
}

pub(crate) type Checked = Result<(), ValidationError>;

/// A key under `[rules]`, shown as `rules.<key>`.
pub(crate) struct Key(pub &'static str);

impl Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rules.{}", self.0)
    }
}

/// A key of a rule's own table, shown as `rules.<name>.<field>`.
pub(crate) struct RuleKey(pub RuleId, pub &'static str);

impl Display for RuleKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rules.{}.{}", self.0.name(), self.1)
    }
}

fn out_of_range<T: Display>(key: &dyn Display, v: T, lo: T, hi: T) -> ValidationError {
    ValidationError::new(
        key,
        Problem::OutOfRange {
            value: v.to_string(),
            lo: lo.to_string(),
            hi: hi.to_string(),
            hint: None,
        },
    )
}

pub(crate) fn range_f(key: &dyn Display, v: f64, lo: f64, hi: f64) -> Checked {
    if (lo..=hi).contains(&v) {
        Ok(())
    } else {
        Err(out_of_range(key, v, lo, hi))
    }
}

pub(crate) fn range_u<T: PartialOrd + Display + Copy>(
    key: &dyn Display,
    v: T,
    lo: T,
    hi: T,
) -> Checked {
    if v >= lo && v <= hi {
        Ok(())
    } else {
        Err(out_of_range(key, v, lo, hi))
    }
}

pub(crate) fn severity(key: &dyn Display, v: Severity) -> Checked {
    range_u(key, v, 1, 3)
}

/// A rule's level may not be `ok` (that would hide it; use `enabled =
/// false`), and only the data rules D1/D2 may use `unknown`.
pub(crate) fn level(key: &dyn Display, v: Level, allow_unknown: bool) -> Checked {
    match v {
        Level::Ok => Err(ValidationError::new(key, Problem::LevelOk)),
        Level::Unknown if !allow_unknown => Err(ValidationError::new(key, Problem::LevelUnknown)),
        _ => Ok(()),
    }
}

pub(crate) fn opt_level(key: &dyn Display, v: Option<Level>) -> Checked {
    v.map_or(Ok(()), |l| level(key, l, false))
}

pub(crate) fn symptom_list(key: &dyn Display, list: &[String], custom: &[String]) -> Checked {
    if list.is_empty() {
        return Err(ValidationError::new(key, Problem::NoSymptoms));
    }
    let mut seen = Vec::new();
    for (i, s) in list.iter().enumerate() {
        let at = || format!("{key}[{i}]");
        let name = resolve_symptom(s, custom)
            .map_err(|e| ValidationError::new(&at(), Problem::UnknownSymptom(e)))?;
        if seen.contains(&name) {
            return Err(ValidationError::new(
                &at(),
                Problem::Duplicate {
                    given: s.clone(),
                    name,
                },
            ));
        }
        seen.push(name);
    }
    Ok(())
}

/// `resolve` with a one-line message: "unknown symptom 'x' (did you mean 'y'?)".
pub(crate) fn resolve_symptom(s: &str, custom: &[String]) -> Result<String, String> {
    symptoms::resolve(s, custom).map_err(|e| {
        if e.given.is_empty() {
            return "empty symptom name".to_string();
        }
        match e.suggestion {
            Some(sug) => format!("unknown symptom '{}' (did you mean '{sug}'?)", e.given),
            None => format!(
                "unknown symptom '{}' (see 'cls symptoms', or declare it under [symptoms] custom)",
                e.given
            ),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_carry_their_key_and_print_one_line() {
        let e = range_f(&RuleKey(RuleId::W1, "watch_kg"), 25.0, 0.0, 20.0).unwrap_err();
        assert_eq!(e.key, "rules.weight_gain.watch_kg");
        assert!(matches!(e.problem, Problem::OutOfRange { .. }));
        assert_eq!(
            e.to_string(),
            "rules.weight_gain.watch_kg: 25 is out of range: must be 0–20"
        );
        let e = range_u(&Key("no_baseline.lookback_days"), 3u32, 7, 120)
            .unwrap_err()
            .hint("at least no_baseline.days");
        assert_eq!(
            e.to_string(),
            "rules.no_baseline.lookback_days: 3 is out of range: must be 7–120 (at least no_baseline.days)"
        );
        let e = level(&Key("x.level"), Level::Unknown, false).unwrap_err();
        assert_eq!(e.problem, Problem::LevelUnknown);
        assert!(level(&Key("x.level"), Level::Unknown, true).is_ok());
    }
}
