//! The wording every renderer shares (text, Markdown, HTML, CSV and the
//! card): titles, the backtest's sentences, weights, periods, baselines,
//! lead times, readings and lab values, each phrased once so that the
//! formats say the same thing in the same words.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::{
    days, EpisodeRow, PatientHeader, Period, Range, Report, RulesOnHistory, SymptomRow,
    WeightSummary,
};
use crate::input::WeightUnit;
use crate::model::{Bp, Entry, LabKind};

/// The report's title.
pub const TITLE: &str = "SCLS symptom diary report";

/// What the report is, in one line, for its footer.
pub const DISCLAIMER: &str =
    "Kept by the patient at home and summarised by cls. The levels come from cls's \
warning rules, which are not a diagnosis; the patient's own care plan comes first.";

/// The heading of the backtest section.
pub const RULES_HEADING: &str = "How the rules did on this history";

/// The backtest section as sentences, the same in every format:
/// episodes warned of, then false alarms, then how they were counted.
pub fn rules_lines(h: &RulesOnHistory) -> Vec<String> {
    let fa = &h.false_alarms;
    let n = h.episodes;
    vec![
        format!(
            "Episodes: {n}. With at least one day of warning before the start: {} of {n}; \
             with at least one day of watch: {} of {n}.",
            h.episodes_with_warning_lead, h.episodes_with_watch_lead
        ),
        format!(
            "False alarms (days at watch or above outside {} days before to {} days after \
             an episode, over {}): watch {} ({:.1} a year), warning {} ({:.1} a year), \
             emergency {} ({:.1} a year).",
            crate::rules::FALSE_ALARM_BEFORE,
            crate::rules::FALSE_ALARM_AFTER,
            days(h.days as i64),
            fa.watch_days,
            fa.watch_per_year,
            fa.warning_days,
            fa.warning_per_year,
            fa.emergency_days,
            fa.emergency_per_year
        ),
        "Counted as 'cls check --backtest' counts them: a lead time is the unbroken run of \
         alert days up to the start; a short period gives rough yearly rates."
            .to_string(),
    ]
}

/// The banner of a report made from a demo diary.
pub const SYNTHETIC_BANNER: &str =
    "SYNTHETIC DEMO DIARY: made up by 'cls demo'; not a patient's data";

/// "72.4" in the report's unit.
pub fn num_weight(kg: f64, unit: WeightUnit) -> String {
    format!("{:.1}", unit.from_kg(kg))
}

/// "+1.4 kg" / "-0.3 kg" / "±0.0 kg".
pub fn delta_weight(kg: f64, unit: WeightUnit) -> String {
    let v = unit.from_kg(kg);
    if v.abs() < 0.05 {
        format!("±0.0 {}", unit.as_str())
    } else {
        format!("{v:+.1} {}", unit.as_str())
    }
}

/// "2026-08-28 to 2026-11-25 (90 days)".
pub fn period_line(p: &Period) -> String {
    format!("{} to {} ({})", p.from, p.to, days(p.days))
}

/// "Alex Example, born 1970-01-31" or whatever of it is known.
pub fn patient_line(p: &PatientHeader) -> Option<String> {
    match (&p.name, p.date_of_birth) {
        (Some(n), Some(d)) => Some(format!("{n}, born {d}")),
        (Some(n), None) => Some(n.clone()),
        (None, Some(d)) => Some(format!("born {d}")),
        (None, None) => None,
    }
}

/// The weight baselines at the period's start and end (one when the period
/// is one day), each with what it is: its label ("median of the last 7
/// weighed days"), or why there is none.
pub fn baseline_ends(w: &WeightSummary) -> Vec<(NaiveDate, Option<f64>, String)> {
    let mut v: Vec<(NaiveDate, Option<f64>, String)> = Vec::new();
    for b in [&w.baseline_start, &w.baseline_end].into_iter().flatten() {
        if v.iter().any(|x| x.0 == b.date) {
            continue;
        }
        let note = match b.kg {
            Some(_) => b.label(),
            None => format!(
                "too few weighed days: {} in the {} before",
                b.weights,
                days((b.to - b.from).num_days() + 1)
            ),
        };
        v.push((b.date, b.kg, note));
    }
    v
}

/// The baseline line of the weight section: "68.0 kg before 2026-11-12;
/// 68.2 kg before 2026-11-25 (median of the last 7 weighed days)", each
/// end with its own note when they differ.
pub fn baseline_line(w: &WeightSummary, unit: WeightUnit) -> String {
    let ends = baseline_ends(w);
    if ends.is_empty() {
        return "none".into();
    }
    let value = |d: NaiveDate, kg: Option<f64>| match kg {
        Some(kg) => format!("{} before {d}", crate::render::weight(kg, unit)),
        None => format!("none before {d}"),
    };
    if ends.windows(2).all(|p| p[0].2 == p[1].2) && ends.iter().all(|e| e.1.is_some()) {
        let values: Vec<String> = ends.iter().map(|e| value(e.0, e.1)).collect();
        format!("{} ({})", values.join("; "), ends[0].2)
    } else {
        ends.iter()
            .map(|e| format!("{} ({})", value(e.0, e.1), e.2))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// "84 of 90 days (93%)".
pub fn adherence_line(r: &Report) -> String {
    format!(
        "{} of {} ({:.0}%), {}",
        r.summary.days_with_entry,
        days(r.period.days),
        r.summary.adherence_pct,
        crate::render::count(r.summary.entries, "entry", "entries")
    )
}

/// "ok 70, watch 8, warning 5" (or "no assessment").
pub fn level_days_line(r: &Report) -> String {
    if r.summary.level_days.is_empty() {
        return "no assessment".into();
    }
    r.summary
        .level_days
        .iter()
        .map(|c| format!("{} {}", c.level, c.days))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "1 (started 2026-10-12)" or "none".
pub fn episodes_line(r: &Report) -> String {
    if r.episodes.is_empty() {
        return "none recorded".into();
    }
    let starts: Vec<String> = r.episodes.iter().map(|e| e.start.to_string()).collect();
    format!("{} (started {})", r.episodes.len(), starts.join(", "))
}

/// "3 d" / "none" for a lead time.
pub fn lead_line(e: &EpisodeRow) -> String {
    let f = |d: Option<i64>| d.map_or_else(|| "none".to_string(), |d| format!("{d} d"));
    match e.first_alert {
        Some(first) => format!(
            "first alert {first}; watch {}, warning {}",
            f(e.lead_days_watch),
            f(e.lead_days_warning)
        ),
        None => "no alert before it".into(),
    }
}

/// "118/76, 104/70".
pub fn bps(v: &[Bp]) -> String {
    v.iter().map(Bp::to_string).collect::<Vec<_>>().join(", ")
}

/// "72, 80".
pub fn hrs(v: &[u16]) -> String {
    v.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
}

/// "84–132".
pub fn range_line(r: &Range) -> String {
    if r.min == r.max {
        r.min.to_string()
    } else {
        format!("{}–{}", r.min, r.max)
    }
}

/// "12 mild, 3 moderate, 1 severe", leaving out zeros.
pub fn severity_counts(s: &SymptomRow) -> String {
    let mut v = Vec::new();
    for (n, w) in [
        (s.mild, "mild"),
        (s.moderate, "moderate"),
        (s.severe, "severe"),
    ] {
        if n > 0 {
            v.push(format!("{n} {w}"));
        }
    }
    v.join(", ")
}

/// A lab value with its unit: "47 %", "3.4 g/dL".
pub fn lab_value(kind: LabKind, value: f64) -> String {
    let v = if value.fract().abs() < 1e-9 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    };
    if kind.unit() == "%" {
        format!("{v}%")
    } else {
        format!("{v} {}", kind.unit())
    }
}

/// The medication names in a period, for matching prophylaxis text.
pub fn med_names(entries: &[Entry]) -> BTreeSet<String> {
    entries
        .iter()
        .flat_map(|e| e.m.meds.iter().map(|m| m.name.clone()))
        .collect()
}

/// Shorten text to `n` characters with an ellipsis.
pub fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n.saturating_sub(1)).collect::<String>() + "…"
    }
}

#[cfg(test)]
mod tests {
    use super::super::testdata::*;
    use super::*;

    #[test]
    fn the_baseline_line_says_what_each_baseline_is() {
        let mut w = sample_report().weight.unwrap();
        let lb = WeightUnit::Lb;
        assert_eq!(
            baseline_line(&w, WeightUnit::Kg),
            "68.0 kg before 2026-11-12; 68.2 kg before 2026-11-25 (median of the last 7 weighed days)"
        );
        let start = w.baseline_start.as_mut().unwrap();
        (start.kg, start.weights) = (Some(68.1), 5);
        assert_eq!(
            baseline_line(&w, lb),
            "150.1 lb before 2026-11-12 (median of the last 5 weighed days); \
             150.4 lb before 2026-11-25 (median of the last 7 weighed days)"
        );
        let start = w.baseline_start.as_mut().unwrap();
        (start.kg, start.weights) = (None, 3);
        assert_eq!(
            baseline_line(&w, WeightUnit::Kg),
            "none before 2026-11-12 (too few weighed days: 3 in the 28 days before); \
             68.2 kg before 2026-11-25 (median of the last 7 weighed days)"
        );
        // A one-day period has one baseline.
        w.baseline_start = w.baseline_end;
        assert_eq!(
            baseline_line(&w, WeightUnit::Kg),
            "68.2 kg before 2026-11-25 (median of the last 7 weighed days)"
        );
    }

    #[test]
    fn words() {
        assert_eq!(delta_weight(1.44, WeightUnit::Kg), "+1.4 kg");
        assert_eq!(delta_weight(-0.01, WeightUnit::Kg), "±0.0 kg");
        assert_eq!(lab_value(LabKind::Hematocrit, 47.0), "47%");
        assert_eq!(lab_value(LabKind::Albumin, 31.5), "31.5 g/L");
        assert_eq!(truncate("abcdef", 4), "abc…");
    }
}
