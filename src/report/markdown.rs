//! The report as GitHub-flavoured Markdown (headings, lists, pipe tables),
//! for pasting into a patient portal message or a notes app. Diary text is
//! cleaned of control characters, its HTML is entity-escaped (Markdown
//! renderers pass raw HTML through) and its Markdown punctuation is
//! backslash-escaped, so a note is always shown as the text it is.

use crate::render::sanitize;
use std::fmt::Write as _;

use super::{
    adherence_line, baseline_line, bps, delta_weight, episodes_line, hrs, lab_value, lead_line,
    level_days_line, num_weight, patient_line, period_line, range_line, severity_counts,
    text::{readings, sparkline},
    truncate, Report, DISCLAIMER, TITLE,
};
use crate::model::severity_word;
use crate::render;
use crate::rules::Level;

/// Escape diary text for Markdown, in running text or a table cell.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in sanitize(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '!' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

struct Md(String);

impl Md {
    fn line(&mut self, s: &str) {
        self.0.push_str(s);
        self.0.push('\n');
    }

    fn section(&mut self, title: &str) {
        let _ = write!(self.0, "\n## {title}\n\n");
    }

    fn item(&mut self, k: &str, v: &str) {
        let _ = writeln!(self.0, "- **{k}:** {v}");
    }

    fn table(&mut self, header: &[&str], rows: Vec<Vec<String>>) {
        self.line(&format!("| {} |", header.join(" | ")));
        self.line(&format!("|{}", "---|".repeat(header.len())));
        for r in rows {
            self.line(&format!("| {} |", r.join(" | ")));
        }
    }
}

pub fn render(r: &Report) -> String {
    let mut o = Md(String::new());
    o.line(&format!("# {TITLE}"));
    o.line("");
    if r.synthetic {
        o.line(&format!("> **{}**", escape(super::SYNTHETIC_BANNER)));
        o.line("");
    }
    if let Some(p) = patient_line(&r.patient) {
        o.line(&format!("**Patient:** {}  ", escape(&p)));
    }
    o.line(&format!("**Period:** {}  ", period_line(&r.period)));
    o.line(&format!(
        "**Generated:** {} by cls {}",
        r.generated.format("%Y-%m-%d %H:%M %:z"),
        escape(&r.version)
    ));

    if r.is_empty() {
        o.line("");
        o.line(&format!(
            "No diary entries from {} to {}: nothing to summarise for this period.",
            r.period.from, r.period.to
        ));
        if !r.episodes.is_empty() {
            episodes(&mut o, r);
        }
        o.line("");
        o.line(&format!("*{DISCLAIMER}*"));
        return o.0;
    }

    o.section("Summary");
    o.item("Days with an entry", &adherence_line(r));
    o.item(
        "Current level",
        &r.summary.current_level.map_or_else(
            || "no assessment".to_string(),
            |l| {
                format!(
                    "**{}** (as of the end of {})",
                    l.as_str().to_uppercase(),
                    r.period.to
                )
            },
        ),
    );
    o.item("Days at each level", &level_days_line(r));
    o.item("Episodes", &episodes_line(r));

    o.section("Weight");
    let u = r.unit;
    let kg = |v: f64| render::weight(v, u);
    match &r.weight {
        None => o.line("No weight logged in this period."),
        Some(w) => {
            o.item("Baseline", &baseline_line(w, u));
            o.item(
                "Range",
                &format!(
                    "{} ({}) to {} ({})",
                    kg(w.min.kg),
                    w.min.date,
                    kg(w.max.kg),
                    w.max.date
                ),
            );
            o.item(
                "Net change",
                &format!(
                    "{} ({} on {} to {} on {})",
                    delta_weight(w.net_change_kg, u),
                    kg(w.first.kg),
                    w.first.date,
                    kg(w.last.kg),
                    w.last.date
                ),
            );
            o.item(
                "Largest 2-day rise",
                &w.largest_rise.map_or_else(
                    || "none".to_string(),
                    |x| format!("{} ({} to {})", delta_weight(x.kg, u), x.from, x.to),
                ),
            );
            let values: Vec<Option<f64>> = w.series.iter().map(|p| p.kg).collect();
            let levels: Vec<Option<Level>> = w.series.iter().map(|p| p.level).collect();
            let (spark, marks) = sparkline(&values, &levels, 120);
            o.line("");
            o.line("```text");
            o.line(&format!(
                "{} {spark} {}   {}–{} {}",
                r.period.from.format("%m-%d"),
                r.period.to.format("%m-%d"),
                num_weight(w.min.kg, u),
                num_weight(w.max.kg, u),
                u.as_str()
            ));
            if !marks.is_empty() {
                o.line(&format!("      {marks}"));
                o.line("      w watch, W warning, E emergency");
            }
            o.line("```");
        }
    }

    o.section("Blood pressure and heart rate");
    match &r.vitals {
        None => o.line("No blood pressure or heart rate logged in this period."),
        Some(v) => {
            if let (Some(s), Some(d)) = (v.systolic, v.diastolic) {
                o.item(
                    "Sitting BP",
                    &format!(
                        "systolic {}, diastolic {} mmHg ({})",
                        range_line(&s),
                        range_line(&d),
                        readings(s.readings)
                    ),
                );
            }
            if let (Some(s), Some(d)) = (v.standing_systolic, v.standing_diastolic) {
                o.item(
                    "Standing BP",
                    &format!(
                        "systolic {}, diastolic {} mmHg ({})",
                        range_line(&s),
                        range_line(&d),
                        readings(s.readings)
                    ),
                );
            }
            if let Some(h) = v.heart_rate {
                o.item(
                    "Heart rate",
                    &format!("{} bpm ({})", range_line(&h), readings(h.readings)),
                );
            }
            if !v.lowest.is_empty() {
                o.line("");
                o.line("Lowest readings:");
                o.line("");
                let rows = v
                    .lowest
                    .iter()
                    .chain(v.lowest_standing.iter().filter(|s| {
                        !v.lowest
                            .iter()
                            .any(|l| l.date == s.date && l.time == s.time)
                    }))
                    .map(|x| {
                        vec![
                            format!("{} {}", x.date, x.time.format("%H:%M")),
                            x.bp.map(|b| b.to_string()).unwrap_or_default(),
                            x.standing_bp.map(|b| b.to_string()).unwrap_or_default(),
                            x.heart_rate.map(|h| h.to_string()).unwrap_or_default(),
                        ]
                    })
                    .collect();
                o.table(&["when", "BP sitting", "standing", "HR"], rows);
            }
        }
    }

    if !r.labs.is_empty() {
        o.section("Lab values");
        let rows = r
            .labs
            .iter()
            .map(|l| {
                vec![
                    l.date.to_string(),
                    l.kind.to_string(),
                    lab_value(l.kind, l.value),
                ]
            })
            .collect();
        o.table(&["date", "lab", "value"], rows);
    }

    o.section("Symptoms");
    if r.symptoms.is_empty() {
        o.line("No symptoms logged in this period.");
    } else {
        let rows = r
            .symptoms
            .iter()
            .map(|s| {
                vec![
                    escape(&s.name),
                    s.days.to_string(),
                    severity_counts(s),
                    format!("{} {}", severity_word(s.worst), s.worst_date),
                    s.last_date.to_string(),
                ]
            })
            .collect();
        o.table(&["symptom", "days", "by severity", "worst", "last"], rows);
    }

    o.section("Findings (days at watch or above)");
    if r.findings.is_empty() {
        o.line("No day in this period reached watch or above.");
    } else {
        for d in &r.findings {
            o.line(&format!(
                "- **{} {}**",
                d.date,
                d.level.as_str().to_uppercase()
            ));
            for f in &d.findings {
                o.line(&format!(
                    "  - {} {} ({}): {}",
                    escape(&f.rule),
                    escape(&f.name),
                    f.level,
                    escape(&f.message)
                ));
            }
        }
    }

    episodes(&mut o, r);

    o.section("Medications and infusions");
    let meds = &r.medications;
    if !meds.scheduled.is_empty() {
        let rows = meds
            .scheduled
            .iter()
            .map(|m| {
                let (name, last) = m.cells(escape);
                vec![
                    name,
                    super::days(i64::from(m.every_days)),
                    last,
                    m.describe(),
                ]
            })
            .collect();
        o.table(&["scheduled", "every", "last dose", "next"], rows);
        o.line("");
    }
    if meds.doses.is_empty() {
        o.line("No medication or infusion logged in this period.");
    } else {
        let rows = meds
            .doses
            .iter()
            .map(|d| {
                vec![
                    format!("{} {}", d.date, d.time.format("%H:%M")),
                    escape(&d.name),
                    d.dose.as_deref().map(escape).unwrap_or_default(),
                ]
            })
            .collect();
        o.table(&["date", "medication or infusion", "dose"], rows);
    }

    o.section("Daily table");
    let rows = r
        .days
        .iter()
        .map(|d| {
            let mut bp = bps(&d.bp);
            if !d.standing_bp.is_empty() {
                bp.push_str(&format!(" (standing {})", bps(&d.standing_bp)));
            }
            vec![
                d.date.to_string(),
                d.level.map(Level::as_str).unwrap_or_default().to_string(),
                d.weight_kg.map(|w| num_weight(w, u)).unwrap_or_default(),
                bp,
                hrs(&d.heart_rate),
                escape(&render::symptoms_short(&d.symptoms)),
                escape(&render::meds_short(&d.meds)),
                escape(&truncate(&d.notes.join(" / "), 60)),
            ]
        })
        .collect();
    o.table(
        &[
            "date",
            "level",
            u.as_str(),
            "BP",
            "HR",
            "symptoms",
            "meds",
            "note",
        ],
        rows,
    );

    o.section("Latest notes");
    if r.notes.is_empty() {
        o.line("No notes in this period.");
    } else {
        for n in &r.notes {
            o.line(&format!(
                "- **{} {}** {}",
                n.date,
                n.time.format("%H:%M"),
                escape(&n.text)
            ));
        }
    }
    o.line("");
    o.line("---");
    o.line("");
    o.line(&format!("*{DISCLAIMER}*"));
    o.0
}

fn episodes(o: &mut Md, r: &Report) {
    o.section("Episodes");
    if r.episodes.is_empty() {
        o.line("No episode recorded in this period.");
        return;
    }
    let rows = r
        .episodes
        .iter()
        .map(|e| {
            vec![
                e.start.to_string(),
                e.end
                    .map_or_else(|| "ongoing".to_string(), |d| d.to_string()),
                e.length_days.to_string(),
                if e.hospitalized { "yes" } else { "no" }.to_string(),
                lead_line(e),
                e.note.as_deref().map(escape).unwrap_or_default(),
            ]
        })
        .collect();
    o.table(
        &[
            "start",
            "end",
            "days",
            "hospital",
            "warning lead time",
            "note",
        ],
        rows,
    );
    if let Some(h) = &r.rules_on_history {
        o.section(super::RULES_HEADING);
        for l in super::rules_lines(h) {
            o.line(&escape(&l));
            o.line("");
        }
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
    fn hostile_text_stays_text() {
        let s = render(&sample_report());
        assert!(
            !s.contains("<script>") && !s.contains("<i>") && !s.contains("<b>"),
            "{s}"
        );
        assert!(s.contains("&lt;script&gt;"));
        assert!(s.contains(r"\[link\](javascript:x)"));
        assert!(s.contains(r"\| \*3 L\*"));
        assert!(!s.contains('\x1b'));
        assert!(s.contains("عادت الأمور 🙂"), "RTL text and emoji survive");
    }
}
