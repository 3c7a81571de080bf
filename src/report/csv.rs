//! The report's daily table as CSV, one row per (logical) day with an
//! entry, for a spreadsheet. The weight column is in the config's unit and
//! says so in its name (`weight_kg` or `weight_lb`). Lists inside a cell are joined by `;` as in `cls export`
//! (`thirst:2;fatigue:1`, `118/76;104/70`). Cells are quoted when needed
//! (RFC 4180), control characters in diary text are replaced, and text that
//! a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) is
//! prefixed with `'`.

use super::{num_weight, Report};
use crate::input::WeightUnit;
use crate::model::Bp;
use crate::render::sanitize;

/// The header line, with the weight column in `unit`.
pub fn header(unit: WeightUnit) -> String {
    format!(
        "date,level,weight_{},bp,standing_bp,heart_rate,urine,urine_ml,symptoms,labs,medications,entries,note",
        unit.as_str()
    )
}

pub fn render(r: &Report) -> String {
    let mut out = header(r.unit);
    // A demo diary's rows say so in a last column: a comment line would
    // break CSV readers, and a file alone must not pass for a patient's.
    if r.synthetic {
        out.push_str(",synthetic_demo_diary");
    }
    out.push('\n');
    let bps = |v: &[Bp]| v.iter().map(Bp::to_string).collect::<Vec<_>>().join(";");
    for d in &r.days {
        let cells = [
            d.date.to_string(),
            d.level.map(|l| l.as_str().to_string()).unwrap_or_default(),
            d.weight_kg
                .map(|w| num_weight(w, r.unit))
                .unwrap_or_default(),
            bps(&d.bp),
            bps(&d.standing_bp),
            d.heart_rate
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(";"),
            d.urine.map(|u| u.as_str().to_string()).unwrap_or_default(),
            d.urine_ml.map(|u| u.to_string()).unwrap_or_default(),
            text(
                &d.symptoms
                    .iter()
                    .map(|s| format!("{}:{}", s.name, s.severity))
                    .collect::<Vec<_>>()
                    .join(";"),
            ),
            d.labs
                .iter()
                .map(|l| format!("{}={}", l.kind, l.value))
                .collect::<Vec<_>>()
                .join(";"),
            text(
                &d.meds
                    .iter()
                    .map(|m| match &m.dose {
                        Some(x) => format!("{}:{x}", m.name),
                        None => m.name.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(";"),
            ),
            d.entries.to_string(),
            text(&d.notes.join(" | ")),
        ];
        let mut row: Vec<String> = cells.iter().map(|c| quote(c)).collect();
        if r.synthetic {
            row.push("yes".to_string());
        }
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

/// Diary text for a cell: cleaned, and defused if a spreadsheet would read
/// it as a formula.
fn text(s: &str) -> String {
    let s = sanitize(s);
    if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s
    }
}

/// Quote a cell when it holds a comma, quote or line break.
fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testdata::*;
    use super::*;

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render(&sample_report()));
    }

    #[test]
    fn cells_are_quoted_and_defused() {
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(text("a\x1bb"), "a\u{FFFD}b");
    }

    #[test]
    fn one_row_per_day_with_the_header() {
        let r = sample_report();
        let s = render(&r);
        let mut lines = s.lines();
        assert_eq!(lines.next(), Some(header(WeightUnit::Kg).as_str()));
        // A quoted note could hold a line break, but sanitize() removes those.
        assert_eq!(lines.count(), r.days.len());
    }

    #[test]
    fn the_weight_column_follows_the_unit() {
        let mut r = sample_report();
        r.unit = WeightUnit::Lb;
        let s = render(&r);
        let mut lines = s.lines();
        assert!(lines
            .next()
            .unwrap()
            .starts_with("date,level,weight_lb,bp,"));
        // 68.0 kg on 2026-11-12.
        assert!(
            lines.next().unwrap().starts_with("2026-11-12,ok,149.9,"),
            "{s}"
        );
    }
}
