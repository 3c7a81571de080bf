//! The card as plain text for the terminal or a `.txt` file: at most
//! `width` columns, diary text passed through [`sanitize`], the 7-day
//! table drawn with comfy-table.

use std::fmt::Write as _;

use comfy_table::{presets, ContentArrangement, LineStyle, Table, TableStyle};

use super::{
    baseline_lines, day_bps, day_hrs, dose_line, level_line, more_line, shown_findings, Card,
    CONDITION, SYNTHETIC_BANNER,
};
use crate::config::Contact;
use crate::render::sanitize;

/// "Dr Lee, +1 555 0100 (immunology)".
fn contact_line(c: &Contact) -> String {
    let mut s = c.name.clone().unwrap_or_default();
    if let Some(p) = &c.phone {
        if !s.is_empty() {
            s.push_str(", ");
        }
        s.push_str(p);
    }
    if let Some(r) = &c.role {
        s.push_str(&format!(" ({r})"));
    }
    s
}

/// The card as plain text, at most `width` columns.
pub fn render(c: &Card, width: u16) -> String {
    let width = width.max(40);
    let mut o = String::new();
    let rule = "═".repeat(usize::from(width).min(72));
    if c.synthetic {
        let _ = writeln!(o, "{SYNTHETIC_BANNER}");
    }
    let _ = writeln!(o, "{rule}\nEMERGENCY MEDICAL INFORMATION\n{rule}");
    let mut who = Vec::new();
    if let Some(n) = &c.name {
        who.push(("Name".to_string(), sanitize(n)));
    }
    if let Some(d) = c.date_of_birth {
        let age = c.age.map(|a| format!(" (age {a})")).unwrap_or_default();
        who.push(("Born".to_string(), format!("{d}{age}")));
    }
    who.push(("Condition".to_string(), CONDITION.to_string()));
    kv(&mut o, who, width);
    o.push('\n');
    for l in wrap(&c.description, usize::from(width)) {
        let _ = writeln!(o, "{l}");
    }
    if let Some(i) = &c.instructions {
        let _ = writeln!(
            o,
            "\nTHE PATIENT'S EMERGENCY INSTRUCTIONS (written with their specialist)"
        );
        for l in i.lines() {
            let _ = writeln!(o, "  {}", sanitize(l));
        }
    }
    let mut contacts = Vec::new();
    for (k, c) in [
        ("Specialist", &c.specialist),
        ("Doctor", &c.clinician),
        ("Emergency contact", &c.emergency_contact),
    ] {
        if let Some(c) = c {
            contacts.push((k.to_string(), sanitize(&contact_line(c))));
        }
    }
    if !contacts.is_empty() {
        let _ = writeln!(o, "\nCONTACTS");
        kv(&mut o, contacts, width);
    }
    let mut treat = Vec::new();
    if let Some(p) = &c.prophylaxis {
        treat.push(("Prophylaxis".to_string(), sanitize(p)));
    }
    for d in &c.last_doses {
        treat.push(("Last dose".to_string(), sanitize(&dose_line(d))));
    }
    if let Some(n) = &c.notes {
        treat.push(("Notes".to_string(), sanitize(n)));
    }
    if !treat.is_empty() {
        let _ = writeln!(o, "\nTREATMENT");
        kv(&mut o, treat, width);
    }
    let _ = writeln!(o, "\nFROM THE PATIENT'S DIARY (as of {})", c.date);
    let mut status = vec![("Today".to_string(), level_line(c))];
    let (shown, more) = shown_findings(c);
    for f in shown {
        status.push((String::new(), sanitize(&f.message)));
    }
    if more > 0 {
        status.push((String::new(), more_line(more)));
    }
    status.extend(baseline_lines(c));
    kv(&mut o, status, width);
    let mut t = Table::new();
    t.load_style(TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─')));
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_width(width);
    t.set_header(vec![
        "day".to_string(),
        c.unit.as_str().to_string(),
        "BP".into(),
        "HR".into(),
    ]);
    for d in &c.recent {
        t.add_row(vec![
            d.date.format("%a %Y-%m-%d").to_string(),
            d.weight_kg
                .map(|w| crate::report::num_weight(w, c.unit))
                .unwrap_or_else(|| "–".into()),
            day_bps(&d.bp),
            day_hrs(&d.heart_rate),
        ]);
    }
    o.push('\n');
    for l in t.lines() {
        let _ = writeln!(o, "{}", l.trim_end());
    }
    let foot = format!(
        "Printed {} by the patient with cls {} from their own diary. Not a diagnosis.",
        c.generated.format("%Y-%m-%d %H:%M"),
        c.version
    );
    o.push('\n');
    for l in wrap(&foot, usize::from(width)) {
        let _ = writeln!(o, "{l}");
    }
    o
}

fn kv(o: &mut String, rows: Vec<(String, String)>, width: u16) {
    let mut t = Table::new();
    t.load_style(presets::NOTHING);
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_width(width);
    for (k, v) in rows {
        t.add_row(vec![k, v]);
    }
    for l in t.lines() {
        let _ = writeln!(o, "{}", l.trim_end());
    }
}

fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for w in s.split_whitespace() {
        if !cur.is_empty() && cur.chars().count() + 1 + w.chars().count() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(w);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}
