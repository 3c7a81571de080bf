//! Turning diary data into text for people: short summaries and tables.
//! Returns strings and tables; never prints. The caller gives the width.

use comfy_table::{presets, Cell, CellAlignment, ContentArrangement, Table};

use crate::input::WeightUnit;
use crate::model::{severity_word, Entry, Measurements, Med, SymptomEntry};

/// A count with its noun: "1 entry", "3 entries", "-1 day".
pub fn count<N>(n: N, one: &str, many: &str) -> String
where
    N: Copy + std::fmt::Display + TryInto<i64>,
{
    format!("{n} {}", noun(n, one, many))
}

/// The noun for a count: `one` for 1 (or -1), `many` otherwise.
pub fn noun<'a, N: TryInto<i64>>(n: N, one: &'a str, many: &'a str) -> &'a str {
    if matches!(n.try_into(), Ok(1 | -1)) {
        one
    } else {
        many
    }
}

/// Word-wrap `text` to `width` columns: the first line starts after
/// `first` (already printed, e.g. "  warning   "), the others with `indent`
/// spaces (a hanging indent). `None` width: one line. Words longer than a
/// line are left whole rather than broken inside.
pub fn wrap(text: &str, first: usize, indent: usize, width: Option<usize>) -> String {
    let Some(width) = width.filter(|w| *w > indent + 10) else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len() + 16);
    let mut col = first;
    for (k, word) in text.split(' ').enumerate() {
        let w = unicode_width::UnicodeWidthStr::width(word);
        if k > 0 {
            if col + 1 + w > width && col > indent {
                out.push('\n');
                out.push_str(&" ".repeat(indent));
                col = indent;
            } else {
                out.push(' ');
                col += 1;
            }
        }
        out.push_str(word);
        col += w;
    }
    out
}

/// ", counted for 2026-12-05" when an entry's logical day is not its
/// calendar date (logged after midnight, before the day starts); else "".
pub fn counted_for(date: chrono::NaiveDate, day: chrono::NaiveDate) -> String {
    if date == day {
        String::new()
    } else {
        format!(", counted for {day}")
    }
}

/// A weight in the patient's unit, one decimal: "68.4 kg".
pub fn weight(kg: f64, unit: WeightUnit) -> String {
    format!("{:.1} {}", unit.from_kg(kg), unit.as_str())
}

/// "thirst:2 fatigue:1".
pub fn symptoms_short(s: &[SymptomEntry]) -> String {
    s.iter()
        .map(|s| format!("{}:{}", s.name, s.severity))
        .collect::<Vec<_>>()
        .join(" ")
}

/// "thirst (moderate), fatigue (mild)".
pub fn symptoms_long(s: &[SymptomEntry]) -> String {
    s.iter()
        .map(|s| format!("{} ({})", s.name, severity_word(s.severity)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "ivig 2g/kg, terbutaline".
pub fn meds_short(m: &[Med]) -> String {
    m.iter()
        .map(|m| match &m.dose {
            Some(d) => format!("{} {d}", m.name),
            None => m.name.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// "hematocrit 44 albumin 38".
pub fn labs_short(l: &[crate::model::Lab]) -> String {
    l.iter()
        .map(|l| format!("{} {}", l.kind, l.value))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Replace control characters (terminal escapes included) so that diary
/// text cannot move the cursor or clear the screen when shown.
pub fn sanitize(s: &str) -> String {
    // Nearly all text is printable ASCII; copy that without a char walk.
    if s.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return s.to_owned();
    }
    s.chars()
        .map(|c| match c {
            '\n' | '\t' => ' ',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// One line listing everything recorded, for confirmations.
pub fn summary(m: &Measurements, unit: WeightUnit) -> String {
    let mut parts = Vec::new();
    if let Some(w) = m.weight_kg {
        parts.push(format!("weight {}", weight(w, unit)));
    }
    if let Some(bp) = m.bp {
        parts.push(format!("BP {bp}"));
    }
    if let Some(bp) = m.standing_bp {
        parts.push(format!("standing BP {bp}"));
    }
    if let Some(hr) = m.heart_rate {
        parts.push(format!("HR {hr}"));
    }
    if !m.symptoms.is_empty() {
        parts.push(symptoms_long(&m.symptoms));
    }
    if let Some(u) = m.urine {
        parts.push(format!("urine {u}"));
    }
    if let Some(ml) = m.urine_ml {
        parts.push(format!("urine {ml} mL/24 h"));
    }
    for l in &m.labs {
        parts.push(format!("{} {} {}", l.kind, l.value, l.kind.unit()));
    }
    if !m.meds.is_empty() {
        parts.push(meds_short(&m.meds));
    }
    if let Some(n) = &m.note {
        parts.push(format!("note \"{}\"", sanitize(n)));
    }
    if parts.is_empty() {
        "nothing recorded".into()
    } else {
        parts.join(", ")
    }
}

/// A table of entries (oldest first), wrapped to `width` columns if given.
/// An entry that counts for the day before its date (logged after midnight,
/// before `day_start`) has its time marked with `*`.
pub fn entries_table(
    entries: &[Entry],
    unit: WeightUnit,
    day_start: crate::model::DayStart,
    width: Option<u16>,
) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_HORIZONTAL_ONLY);
    match width {
        Some(w) => {
            t.set_content_arrangement(ContentArrangement::Dynamic);
            t.set_width(w);
        }
        None => {
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    // Labs are rare: their column appears only when some entry has one.
    let with_labs = entries.iter().any(|e| !e.m.labs.is_empty());
    let mut header = vec![
        "id",
        "date",
        "time",
        unit.as_str(),
        "BP",
        "HR",
        "symptoms",
        "meds",
    ];
    if with_labs {
        header.push("labs");
    }
    header.push("note");
    t.set_header(header);
    for e in entries {
        let m = &e.m;
        let mut bp = m.bp.map(|b| b.to_string()).unwrap_or_default();
        if let Some(s) = m.standing_bp {
            bp.push_str(&format!(" ({s} st)"));
        }
        let mut row = vec![
            Cell::new(e.id).set_alignment(CellAlignment::Right),
            Cell::new(e.stamp.date),
            Cell::new(format!(
                "{}{}",
                e.stamp.time.format("%H:%M"),
                if e.day(day_start) == e.stamp.date {
                    ""
                } else {
                    "*"
                }
            )),
            Cell::new(
                m.weight_kg
                    .map(|w| format!("{:.1}", unit.from_kg(w)))
                    .unwrap_or_default(),
            )
            .set_alignment(CellAlignment::Right),
            Cell::new(bp),
            Cell::new(m.heart_rate.map(|h| h.to_string()).unwrap_or_default())
                .set_alignment(CellAlignment::Right),
            Cell::new(symptoms_short(&m.symptoms)),
            Cell::new(meds_short(&m.meds)),
        ];
        if with_labs {
            row.push(Cell::new(labs_short(&m.labs)));
        }
        row.push(Cell::new(
            m.note.as_deref().map(sanitize).unwrap_or_default(),
        ));
        t.add_row(row);
    }
    t
}

#[cfg(test)]
mod tests {

    #[test]
    fn wrap_keeps_words_whole_with_a_hanging_indent() {
        let text = "systolic 84 mmHg at 07:30 is at or below 90; latest 112 at 20:00";
        let w = wrap(text, 12, 12, Some(40));
        let lines: Vec<&str> = w.lines().collect();
        assert_eq!(lines[0], "systolic 84 mmHg at 07:30 is");
        assert!(
            lines[1..].iter().all(|l| l.starts_with("            ")),
            "{w}"
        );
        assert!(
            w.lines()
                .enumerate()
                .all(|(k, l)| l.len() + if k == 0 { 12 } else { 0 } <= 40),
            "{w}"
        );
        assert_eq!(w.split_whitespace().collect::<Vec<_>>().join(" "), text);
        // No width (piped): one line.
        assert_eq!(wrap(text, 12, 12, None), text);
        // A word longer than the line is not broken.
        assert_eq!(
            wrap("a bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb c", 0, 2, Some(20)),
            "a bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n  c"
        );
    }

    use super::*;

    #[test]
    fn counts_take_the_singular_only_for_one() {
        assert_eq!(count(1usize, "entry", "entries"), "1 entry");
        assert_eq!(count(0usize, "entry", "entries"), "0 entries");
        assert_eq!(count(2u64, "day", "days"), "2 days");
        assert_eq!(count(-1i64, "day", "days"), "-1 day");
        assert_eq!(count(u64::MAX, "day", "days"), format!("{} days", u64::MAX));
    }

    #[test]
    fn weights_and_sanitizing() {
        assert_eq!(weight(68.04, WeightUnit::Kg), "68.0 kg");
        assert_eq!(weight(68.04, WeightUnit::Lb), "150.0 lb");
        assert_eq!(sanitize("a\x1b[2Jb\nc"), "a\u{FFFD}[2Jb c");
        // The printable-ASCII shortcut stops at both ends of the range.
        assert_eq!(sanitize(" plain ~text "), " plain ~text ");
        assert_eq!(sanitize("a\x7fb\tc\x1f"), "a\u{FFFD}b c\u{FFFD}");
        assert_eq!(sanitize("68 kg – ok\u{9b}"), "68 kg – ok\u{FFFD}");
    }

    #[test]
    fn summaries() {
        let mut m = Measurements {
            weight_kg: Some(68.4),
            ..Measurements::default()
        };
        m.set_symptom("thirst", 2);
        assert_eq!(
            summary(&m, WeightUnit::Kg),
            "weight 68.4 kg, thirst (moderate)"
        );
        assert_eq!(
            summary(&Measurements::default(), WeightUnit::Kg),
            "nothing recorded"
        );
    }
}
