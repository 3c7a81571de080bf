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

/// The columns `s` takes on a terminal: its display width without the
/// colour escapes (`ESC [ ... m`), so styled text wraps like plain text.
pub fn visible_width(s: &str) -> usize {
    if !s.contains('\x1b') {
        return unicode_width::UnicodeWidthStr::width(s);
    }
    let mut w = 0;
    let mut rest = s;
    while let Some(i) = rest.find('\x1b') {
        w += unicode_width::UnicodeWidthStr::width(&rest[..i]);
        let esc = &rest[i + 1..];
        // A CSI sequence ends at its first byte in @..~; skip it whole.
        rest = match esc.strip_prefix('[') {
            Some(csi) => match csi.find(|c: char| ('@'..='~').contains(&c)) {
                Some(end) => &csi[end + 1..],
                None => "",
            },
            None => esc,
        };
    }
    w + unicode_width::UnicodeWidthStr::width(rest)
}

/// Word-wrap `text` to `width` columns: the first line starts after
/// `first` (already printed, e.g. "  warning   "), the others with `indent`
/// spaces (a hanging indent). `None` width: one line. Words longer than a
/// line are left whole rather than broken inside. Colour escapes take no
/// room.
pub fn wrap(text: &str, first: usize, indent: usize, width: Option<usize>) -> String {
    let Some(width) = width.filter(|w| *w > indent + 10) else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len() + 16);
    let mut col = first;
    for (k, word) in text.split(' ').enumerate() {
        let w = visible_width(word);
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

/// Round the numbers of a JSON document for people (a report, the card,
/// `check --json`) to the precision they were measured in, so a
/// computed difference reads 3.4 and not 3.4000000000000057: weights
/// (a key `kg` or ending in `_kg`) to 0.01 kg, a ratio such as the shock
/// index to 0.01, and every other fraction (percentages, lab values,
/// medians of mmHg readings) to 0.1. Whole numbers are left alone. Never
/// for an export or the diary itself, whose round trip must stay exact.
pub fn round_for_people(v: &mut serde_json::Value) {
    round_under(v, "");
}

fn round_under(v: &mut serde_json::Value, key: &str) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                round_under(x, k);
            }
        }
        Value::Array(items) => {
            for x in items {
                round_under(x, key);
            }
        }
        Value::Number(n) if n.is_f64() => {
            let x = n.as_f64().unwrap_or_default();
            let scale = if key == "kg" || key.ends_with("_kg") || key == "shock_index" {
                100.0
            } else {
                10.0
            };
            let r = (x * scale).round() / scale;
            if let Some(r) = serde_json::Number::from_f64(r) {
                *n = r;
            }
        }
        _ => {}
    }
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

// Symptom and medication names are the diary's text (a custom symptom, a
// hand-edited row): the list forms below are for people, so sanitised.

/// "thirst:2 fatigue:1".
pub fn symptoms_short(s: &[SymptomEntry]) -> String {
    sanitize(
        &s.iter()
            .map(|s| format!("{}:{}", s.name, s.severity))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// "thirst (moderate), fatigue (mild)".
pub fn symptoms_long(s: &[SymptomEntry]) -> String {
    sanitize(
        &s.iter()
            .map(|s| format!("{} ({})", s.name, severity_word(s.severity)))
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// "ivig 2g/kg, terbutaline".
pub fn meds_short(m: &[Med]) -> String {
    sanitize(
        &m.iter()
            .map(|m| match &m.dose {
                Some(d) => format!("{} {d}", m.name),
                None => m.name.clone(),
            })
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// "hematocrit 44 albumin 38".
pub fn labs_short(l: &[crate::model::Lab]) -> String {
    l.iter()
        .map(|l| format!("{} {}", l.kind, l.value))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The one sanitiser for text from files, the config or the diary that is
/// shown to a person (terminal, report, card). It replaces with U+FFFD:
/// - control characters (C0, DEL, C1: every terminal escape starts with
///   one); a line break or tab becomes a space;
/// - bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E/F,
///   U+061C), which can show text in a misleading order;
/// - invisible characters that can hide or join text (U+200B, U+2060–U+2064,
///   U+FEFF, U+180E, U+206A–U+206F, U+FFF9–U+FFFB, and tag characters
///   except in a flag's tag sequence after U+1F3F4);
/// - a zero-width joiner or non-joiner (U+200D/U+200C) unless it stands
///   between two non-ASCII letters or symbols, where emoji sequences and
///   Indic or Persian words need it ("head\u{200D}ache" shows the mark).
///
/// The line and paragraph separators U+2028/U+2029 become a space.
pub fn sanitize(s: &str) -> String {
    // Nearly all text is printable ASCII; copy that without a char walk.
    if s.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return s.to_owned();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let joins = |c: Option<&char>| c.is_some_and(|c| !c.is_ascii() && !c.is_whitespace());
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| chars.get(j));
        out.push(match c {
            '\n' | '\t' | '\u{2028}' | '\u{2029}' => ' ',
            c if c.is_control() => '\u{FFFD}',
            '\u{061C}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200B}'
            | '\u{2060}'..='\u{2064}'
            | '\u{206A}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{180E}'
            | '\u{FFF9}'..='\u{FFFB}' => '\u{FFFD}',
            '\u{200C}' | '\u{200D}' if !(joins(prev) && joins(chars.get(i + 1))) => '\u{FFFD}',
            '\u{E0000}'..='\u{E007F}' => {
                // A flag's tag sequence: U+1F3F4, tags, U+E007F.
                let mut j = i;
                while j > 0 && ('\u{E0020}'..='\u{E007E}').contains(&chars[j - 1]) {
                    j -= 1;
                }
                let flag =
                    c != '\u{E0000}' && c != '\u{E0001}' && j > 0 && chars[j - 1] == '\u{1F3F4}';
                if flag {
                    c
                } else {
                    '\u{FFFD}'
                }
            }
            c => c,
        });
    }
    out
}

/// [`sanitize`] line by line, keeping the line breaks: for a whole
/// document (an export, the config) shown on a terminal.
pub fn sanitize_lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.split_inclusive('\n') {
        match line.strip_suffix('\n') {
            Some(l) => {
                out.push_str(&sanitize(l.strip_suffix('\r').unwrap_or(l)));
                out.push('\n');
            }
            None => out.push_str(&sanitize(line)),
        }
    }
    out
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
/// before `day_start`) has its time marked with `*`. Compact unless `wide`:
/// no rule between rows, and a column nobody filled in is left out.
pub fn entries_table(
    entries: &[Entry],
    unit: WeightUnit,
    day_start: crate::model::DayStart,
    width: Option<u16>,
    wide: bool,
) -> Table {
    use comfy_table::{ColumnConstraint, Width};
    let mut t = Table::new();
    if wide {
        t.load_style(presets::UTF8_HORIZONTAL_ONLY);
    } else {
        // A rule under the header and at the ends, none between rows.
        use comfy_table::{LineStyle, TableStyle};
        let line = |c: char| LineStyle::none().fill(c).junction(c);
        t.load_style(
            TableStyle::new()
                .top_border(line('─'))
                .header_separator(line('─'))
                .bottom_border(line('─')),
        );
    }
    match width {
        Some(w) if !wide => {
            t.set_content_arrangement(ContentArrangement::Dynamic);
            t.set_width(w);
        }
        _ => {
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    // (header, right-aligned, the cell of one entry)
    type Col<'x> = (&'x str, bool, Box<dyn Fn(&Entry) -> String + 'x>);
    let cols: Vec<Col<'_>> = vec![
        ("id", true, Box::new(|e: &Entry| e.id.to_string())),
        (
            "date",
            false,
            Box::new(|e: &Entry| e.stamp.date.to_string()),
        ),
        (
            "time",
            false,
            Box::new(move |e: &Entry| {
                let mark = if e.day(day_start) == e.stamp.date {
                    ""
                } else {
                    "*"
                };
                format!("{}{mark}", e.stamp.time.format("%H:%M"))
            }),
        ),
        (
            unit.as_str(),
            true,
            Box::new(move |e: &Entry| {
                e.m.weight_kg
                    .map(|w| format!("{:.1}", unit.from_kg(w)))
                    .unwrap_or_default()
            }),
        ),
        (
            "BP",
            false,
            Box::new(|e: &Entry| {
                let mut bp = e.m.bp.map(|b| b.to_string()).unwrap_or_default();
                if let Some(s) = e.m.standing_bp {
                    if !bp.is_empty() {
                        bp.push(' ');
                    }
                    bp.push_str(&format!("({s} st)"));
                }
                bp
            }),
        ),
        (
            "HR",
            true,
            Box::new(|e: &Entry| e.m.heart_rate.map(|h| h.to_string()).unwrap_or_default()),
        ),
        (
            "urine",
            false,
            Box::new(|e: &Entry| {
                let mut u: Vec<String> = Vec::new();
                if let Some(x) = e.m.urine {
                    u.push(x.to_string());
                }
                if let Some(ml) = e.m.urine_ml {
                    u.push(format!("{ml} mL"));
                }
                u.join(" ")
            }),
        ),
        (
            "symptoms",
            false,
            Box::new(|e: &Entry| symptoms_short(&e.m.symptoms)),
        ),
        ("meds", false, Box::new(|e: &Entry| meds_short(&e.m.meds))),
        ("labs", false, Box::new(|e: &Entry| labs_short(&e.m.labs))),
        (
            "note",
            false,
            Box::new(|e: &Entry| e.m.note.as_deref().map(sanitize).unwrap_or_default()),
        ),
    ];
    let cells: Vec<Vec<String>> = entries
        .iter()
        .map(|e| cols.iter().map(|c| (c.2)(e)).collect())
        .collect();
    // The identity columns always; the others when some entry has a value.
    let keep: Vec<usize> = (0..cols.len())
        .filter(|&k| wide || k < 3 || cells.iter().any(|r| !r[k].is_empty()))
        .collect();
    t.set_header(keep.iter().map(|&k| cols[k].0).collect::<Vec<_>>());
    for row in &cells {
        t.add_row(keep.iter().map(|&k| {
            let c = Cell::new(&row[k]);
            if cols[k].1 {
                c.set_alignment(CellAlignment::Right)
            } else {
                c
            }
        }));
    }
    // A symptom name is never split inside: the column is at least as wide
    // as the longest "name:severity".
    if let Some(pos) = keep.iter().position(|&k| cols[k].0 == "symptoms") {
        let longest = entries
            .iter()
            .flat_map(|e| e.m.symptoms.iter())
            // "name:3" plus the cell's padding of one space each side.
            .map(|s| s.name.chars().count() + 2 + 2)
            .max()
            .unwrap_or(0);
        if let (Some(col), Ok(n)) = (t.column_mut(pos), u16::try_from(longest)) {
            col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(n)));
        }
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
        // Colour escapes take no room.
        let styled = "\x1b[1mwarning\x1b[0m aaaa bbbb";
        assert_eq!(visible_width(styled), 17);
        assert_eq!(
            wrap(styled, 0, 2, Some(16)),
            "\x1b[1mwarning\x1b[0m aaaa\n  bbbb"
        );
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
    fn json_for_people_is_rounded_to_what_was_measured() {
        let mut v = serde_json::json!({
            "net_change_kg": 3.4000000000000057,
            "series": [{"kg": 70.94999999999999, "date": "2026-11-25"}],
            "evidence": {"gain_pct": 4.897, "shock_index": 1.4286, "systolic": 91,
                         "hematocrit": {"value": 54.9, "baseline": 40.75}},
            "id": 7
        });
        round_for_people(&mut v);
        assert_eq!(
            v,
            serde_json::json!({
                "net_change_kg": 3.4,
                "series": [{"kg": 70.95, "date": "2026-11-25"}],
                "evidence": {"gain_pct": 4.9, "shock_index": 1.43, "systolic": 91,
                             "hematocrit": {"value": 54.9, "baseline": 40.8}},
                "id": 7
            })
        );
        assert_eq!(v["evidence"]["systolic"].as_u64(), Some(91));
    }

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
    fn bidi_invisible_and_joiners() {
        assert_eq!(sanitize("a\u{202E}b\x1b"), "a\u{FFFD}b\u{FFFD}");
        assert_eq!(sanitize("\u{2066}x\u{2069} é"), "\u{FFFD}x\u{FFFD} é");
        assert_eq!(sanitize("head\u{200B}ache"), "head\u{FFFD}ache");
        assert_eq!(sanitize("head\u{200D}ache"), "head\u{FFFD}ache");
        assert_eq!(sanitize("\u{FEFF}x\u{200F}"), "\u{FFFD}x\u{FFFD}");
        // An emoji ZWJ sequence and a Persian word keep their joiners.
        let family = "👨\u{200D}👩\u{200D}👧";
        assert_eq!(sanitize(family), family);
        assert_eq!(sanitize("می\u{200C}خواهم"), "می\u{200C}خواهم");
        assert_eq!(sanitize("\u{200D}👩"), "\u{FFFD}👩");
        // Tags: hidden ASCII is shown; the flag of Scotland is kept.
        assert_eq!(sanitize("ok\u{E0041}\u{E0042}"), "ok\u{FFFD}\u{FFFD}");
        let scotland = "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}";
        assert_eq!(sanitize(scotland), scotland);
        assert_eq!(sanitize("a\u{2028}b"), "a b");
        assert_eq!(
            sanitize_lines("a\x1b]0;x\x07\r\nb\u{202E}\n"),
            "a\u{FFFD}]0;x\u{FFFD}\nb\u{FFFD}\n"
        );
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
