//! The report as one self-contained HTML file: inline CSS, inline SVG
//! charts, no JavaScript, no external asset (fonts, images, scripts), so it
//! opens the same offline, in a patient portal, or attached to an email.
//!
//! Printing: `@page` margins fit both A4 and US Letter, the overview
//! (summary and charts) fills the first page, the details start on a new
//! page, sections are not split across pages when they fit on one, and each
//! page carries the patient, the period and "page N of M" in its margin.
//!
//! Every piece of diary text goes through [`esc`] (and is isolated with
//! `<bdi>` so right-to-left text cannot reorder the page around it).
//!
//! The page's sections are built here; the style sheet is in `html/style.rs`
//! and the SVG charts in `html/chart.rs`.

mod chart;
mod style;

use crate::render::sanitize;
use std::fmt::Write as _;

use chrono::NaiveDate;

use super::{
    baseline_ends, bps, delta_weight, hrs, lab_value, lead_line, num_weight, period_line,
    range_line, Report, WeightSummary, DISCLAIMER, TITLE,
};
use crate::model::severity_word;
use crate::render;
use crate::rules::Level;
use chart::{bp_svg, hr_svg, weight_svg};
use style::CSS;

/// Escape text for HTML content and quoted attribute values. Control
/// characters and bidirectional overrides are replaced first.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in sanitize(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Diary text as an isolated inline run: `<bdi>` keeps right-to-left text
/// from reordering what is around it.
fn bdi(s: &str) -> String {
    format!("<bdi>{}</bdi>", esc(s))
}

/// A CSS string literal for any text: everything but plain ASCII letters,
/// digits, spaces and a little punctuation is written as a hex escape, so
/// no text can close the string or the style sheet.
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in sanitize(s).chars() {
        if c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | ',' | '-' | ':' | '(' | ')') {
            out.push(c);
        } else {
            let _ = write!(out, "\\{:06x}", u32::from(c));
        }
    }
    out.push('"');
    out
}

fn level_class(l: Level) -> &'static str {
    match l {
        Level::Ok => "lvl-ok",
        Level::Unknown => "lvl-unknown",
        Level::Watch => "lvl-watch",
        Level::Warning => "lvl-warning",
        Level::Emergency => "lvl-emergency",
    }
}

fn badge(l: Level) -> String {
    format!(
        "<span class=\"badge {}\">{}</span>",
        level_class(l),
        l.as_str().to_uppercase()
    )
}

pub fn render(r: &Report) -> String {
    let mut o = String::with_capacity(64 * 1024);
    let who = r
        .patient
        .name
        .as_deref()
        .map(|n| format!(" – {n}"))
        .unwrap_or_default();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta name=\"generator\" content=\"cls {}\">\n<title>{}</title>\n<style>{CSS}{}</style>\n</head>\n<body>\n<main>\n",
        esc(&r.version),
        esc(&format!("{TITLE}{who} – {} to {}", r.period.from, r.period.to)),
        page_margin_css(r),
    );
    header(&mut o, r);
    if r.is_empty() {
        let _ = writeln!(
            o,
            "<p class=\"empty\">No diary entries from {} to {}: nothing to summarise for this period.</p>",
            r.period.from, r.period.to
        );
        if !r.episodes.is_empty() {
            episodes(&mut o, r);
        }
        footer(&mut o, r);
        return o;
    }

    o.push_str("<div class=\"overview\">\n");
    summary(&mut o, r);
    o.push_str("<section class=\"keep\" id=\"weight\">\n<h2>Weight</h2>\n");
    match &r.weight {
        Some(w) => weight(&mut o, r, w),
        None => o.push_str("<p class=\"muted\">No weight logged in this period.</p>\n"),
    }
    o.push_str("</section>\n");
    vitals(&mut o, r);
    o.push_str("</div>\n<div class=\"details\">\n");
    if !r.labs.is_empty() {
        o.push_str("<section class=\"keep\" id=\"labs\">\n<h2>Lab values</h2>\n<table class=\"narrow\">\n<thead><tr><th>Date</th><th>Lab</th><th class=\"n\">Value</th></tr></thead>\n<tbody>\n");
        for l in &r.labs {
            let _ = writeln!(
                o,
                "<tr><td class=\"d\">{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                l.date,
                l.kind,
                esc(&lab_value(l.kind, l.value))
            );
        }
        o.push_str("</tbody>\n</table>\n</section>\n");
    }
    symptoms(&mut o, r);
    findings(&mut o, r);
    episodes(&mut o, r);
    medications(&mut o, r);
    o.push_str("</div>\n");
    daily(&mut o, r);
    notes(&mut o, r);
    footer(&mut o, r);
    o
}

/// The page-margin boxes: who and which period on the left, the page
/// number on the right. Built from escaped strings only.
fn page_margin_css(r: &Report) -> String {
    let mut left = String::from("SCLS diary report");
    if let Some(n) = &r.patient.name {
        left.push_str(" - ");
        left.push_str(n);
    }
    left.push_str(&format!(" - {} to {}", r.period.from, r.period.to));
    format!(
        "@page{{@bottom-left{{content:{};font:8pt sans-serif;color:#5d6b79}}\
@bottom-right{{content:\"page \" counter(page) \" of \" counter(pages);font:8pt sans-serif;color:#5d6b79}}}}\n",
        css_string(&left)
    )
}

fn header(o: &mut String, r: &Report) {
    if r.synthetic {
        // A banner that prints: a border and bold text, not a background
        // colour that browsers leave out when printing.
        let _ = writeln!(
            o,
            "<p class=\"synthetic\" role=\"note\">{}</p>",
            esc(super::SYNTHETIC_BANNER)
        );
    }
    let _ = write!(
        o,
        "<header class=\"head\">\n<div>\n<h1>{TITLE}</h1>\n\
<p class=\"sub\">Systemic capillary leak syndrome (Clarkson disease) · a diary kept by the patient at home</p>\n</div>\n<dl class=\"meta\">\n"
    );
    if let Some(n) = &r.patient.name {
        let _ = writeln!(o, "<dt>Patient</dt><dd>{}</dd>", bdi(n));
    }
    if let Some(d) = r.patient.date_of_birth {
        let _ = writeln!(o, "<dt>Born</dt><dd>{d}</dd>");
    }
    let _ = writeln!(
        o,
        "<dt>Period</dt><dd>{}</dd>",
        esc(&period_line(&r.period))
    );
    let _ = writeln!(
        o,
        "<dt>Generated</dt><dd>{} · cls {}</dd>",
        r.generated.format("%Y-%m-%d %H:%M"),
        esc(&r.version)
    );
    o.push_str("</dl>\n</header>\n");
}

fn summary(o: &mut String, r: &Report) {
    let s = &r.summary;
    o.push_str(
        "<section class=\"keep\" id=\"summary\">\n<h2>Summary</h2>\n<div class=\"stats\">\n",
    );
    let level = match s.current_level {
        Some(l) => format!(
            "<span class=\"v\">{}</span><span class=\"s\">as of the end of {}</span>",
            badge(l),
            r.period.to
        ),
        None => "<span class=\"v\">–</span><span class=\"s\">no assessment</span>".into(),
    };
    let _ = writeln!(
        o,
        "<div class=\"stat\"><span class=\"k\">Current level</span>{level}</div>"
    );
    let _ = writeln!(
        o,
        "<div class=\"stat\"><span class=\"k\">Days with an entry</span><span class=\"v\">{} / {}</span><span class=\"s\">{:.0}% · {}</span></div>",
        s.days_with_entry,
        r.period.days,
        s.adherence_pct,
        crate::render::count(s.entries, "entry", "entries")
    );
    let ep_sub = if r.episodes.is_empty() {
        "none recorded".to_string()
    } else {
        let starts: Vec<String> = r.episodes.iter().map(|e| e.start.to_string()).collect();
        format!("started {}", starts.join(", "))
    };
    let _ = writeln!(
        o,
        "<div class=\"stat\"><span class=\"k\">Episodes</span><span class=\"v\">{}</span><span class=\"s\">{}</span></div>",
        s.episodes, ep_sub
    );
    match &r.weight {
        Some(w) => {
            let _ = writeln!(
                o,
                "<div class=\"stat\"><span class=\"k\">Weight change</span><span class=\"v\">{}</span><span class=\"s\">{} → {} {}</span></div>",
                delta_weight(w.net_change_kg, r.unit),
                num_weight(w.first.kg, r.unit),
                num_weight(w.last.kg, r.unit),
                r.unit.as_str()
            );
        }
        None => o.push_str(
            "<div class=\"stat\"><span class=\"k\">Weight change</span><span class=\"v\">–</span><span class=\"s\">no weight logged</span></div>\n",
        ),
    }
    o.push_str("</div>\n");
    let total: usize = s.level_days.iter().map(|c| c.days).sum();
    if total > 0 {
        o.push_str("<div class=\"levelbar\" role=\"img\" aria-label=\"days at each level\">");
        for c in &s.level_days {
            let _ = write!(
                o,
                "<span class=\"{}\" style=\"width:{:.3}%\" title=\"{}: {}\"></span>",
                level_class(c.level),
                c.days as f64 * 100.0 / total as f64,
                c.level,
                super::days(c.days as i64)
            );
        }
        o.push_str("</div>\n<p class=\"legend\">Days at each level: ");
        for c in &s.level_days {
            let _ = write!(
                o,
                "<i class=\"{}\"></i>{} {}",
                level_class(c.level),
                c.level,
                c.days
            );
        }
        o.push_str("</p>\n");
    }
    o.push_str("</section>\n");
}

fn fact(o: &mut String, k: &str, v: &str, small: &str) {
    let small = if small.is_empty() {
        String::new()
    } else {
        format!("<small>{small}</small>")
    };
    let _ = writeln!(o, "<div><dt>{k}</dt><dd>{v}{small}</dd></div>");
}

fn weight(o: &mut String, r: &Report, w: &WeightSummary) {
    let u = r.unit;
    let kg = |v: f64| render::weight(v, u);
    o.push_str("<dl class=\"facts\">\n");
    // "68.0 kg → 68.2 kg", "median of the last 7 weighed days before
    // Nov 12 and Nov 25" (and "too few weighed days before ..." for an end
    // without one).
    let ends = baseline_ends(w);
    let day = |d: NaiveDate| d.format("%b %-d").to_string();
    let (have, none): (Vec<_>, Vec<_>) = ends.iter().partition(|e| e.1.is_some());
    let values = have
        .iter()
        .filter_map(|e| e.1.map(kg))
        .collect::<Vec<_>>()
        .join(" → ");
    let values = if values.is_empty() {
        "–".to_string()
    } else {
        values
    };
    let mut notes = Vec::new();
    if have.windows(2).all(|p| p[0].2 == p[1].2) {
        if let Some(first) = have.first() {
            let days: Vec<String> = have.iter().map(|e| day(e.0)).collect();
            notes.push(format!("{} before {}", first.2, days.join(" and ")));
        }
    } else {
        notes.extend(have.iter().map(|e| format!("{} before {}", e.2, day(e.0))));
    }
    if !none.is_empty() {
        let days: Vec<String> = none.iter().map(|e| day(e.0)).collect();
        notes.push(format!(
            "too few weighed days before {}",
            days.join(" and ")
        ));
    }
    let note = notes.join("; ");
    fact(o, "Baseline", &values, &note);
    fact(
        o,
        "Range",
        &format!("{} – {}", kg(w.min.kg), kg(w.max.kg)),
        &format!("lowest {}, highest {}", w.min.date, w.max.date),
    );
    fact(
        o,
        "Net change",
        &delta_weight(w.net_change_kg, u),
        &format!("{} to {}", w.first.date, w.last.date),
    );
    match w.largest_rise {
        Some(x) => fact(
            o,
            "Largest 2-day rise",
            &delta_weight(x.kg, u),
            &format!("{} to {}", x.from, x.to),
        ),
        None => fact(o, "Largest 2-day rise", "none", ""),
    }
    o.push_str("</dl>\n<figure>\n");
    o.push_str(&weight_svg(r, w));
    o.push_str(
        "<p class=\"legend\"><i style=\"background:#1c2530\"></i>morning weight\
<i style=\"background:#9cc3e4\"></i>range of the baseline's days, dashed line their median (baseline)\
<i style=\"background:#f6ebd0\"></i>day at watch<i style=\"background:#f9d3b8\"></i>day at warning<i style=\"background:#efc0bb\"></i>emergency\
<i style=\"background:#b3261e;height:4px\"></i>recorded episode</p>\n</figure>\n",
    );
}

fn vitals(o: &mut String, r: &Report) {
    o.push_str("<section class=\"keep\" id=\"vitals\">\n<h2>Blood pressure and heart rate</h2>\n");
    let Some(v) = &r.vitals else {
        o.push_str("<p class=\"muted\">No blood pressure or heart rate logged in this period.</p>\n</section>\n");
        return;
    };
    o.push_str("<div class=\"split\">\n<dl class=\"facts\">\n");
    if let (Some(s), Some(d)) = (v.systolic, v.diastolic) {
        fact(
            o,
            "Sitting BP",
            &format!("{} / {} mmHg", range_line(&s), range_line(&d)),
            &format!(
                "systolic / diastolic, {}",
                super::text::readings(s.readings)
            ),
        );
    }
    if let (Some(s), Some(d)) = (v.standing_systolic, v.standing_diastolic) {
        fact(
            o,
            "Standing BP",
            &format!("{} / {} mmHg", range_line(&s), range_line(&d)),
            &super::text::readings(s.readings),
        );
    }
    if let Some(h) = v.heart_rate {
        fact(
            o,
            "Heart rate",
            &format!("{} bpm", range_line(&h)),
            &super::text::readings(h.readings),
        );
    }
    o.push_str("</dl>\n<div>\n");
    if !v.lowest.is_empty() {
        o.push_str("<table>\n<thead><tr><th>Lowest readings</th><th class=\"n\">Sitting</th><th class=\"n\">Standing</th><th class=\"n\">HR</th></tr></thead>\n<tbody>\n");
        for x in v.lowest.iter().chain(v.lowest_standing.iter().filter(|s| {
            !v.lowest
                .iter()
                .any(|l| l.date == s.date && l.time == s.time)
        })) {
            let _ = writeln!(
                o,
                "<tr><td class=\"d\">{} {}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                x.date,
                x.time.format("%H:%M"),
                x.bp.map(|b| b.to_string()).unwrap_or_default(),
                x.standing_bp.map(|b| b.to_string()).unwrap_or_default(),
                x.heart_rate.map(|h| h.to_string()).unwrap_or_default()
            );
        }
        o.push_str("</tbody>\n</table>\n");
    }
    o.push_str("</div>\n</div>\n<figure>\n");
    if v.systolic.is_some() || v.standing_systolic.is_some() {
        o.push_str(&bp_svg(r));
    }
    if v.heart_rate.is_some() {
        o.push_str(&hr_svg(r));
    }
    o.push_str(
        "<p class=\"legend\"><i style=\"background:#1d5b86\"></i>sitting BP, systolic to diastolic\
<i style=\"background:#8e3fa8\"></i>standing BP<i style=\"background:#b3261e\"></i>heart rate (bpm)</p>\n</figure>\n</section>\n",
    );
}

fn symptoms(o: &mut String, r: &Report) {
    o.push_str("<section class=\"keep\" id=\"symptoms\">\n<h2>Symptoms</h2>\n");
    if r.symptoms.is_empty() {
        o.push_str("<p class=\"muted\">No symptoms logged in this period.</p>\n</section>\n");
        return;
    }
    o.push_str(
        "<table>\n<thead><tr><th>Symptom</th><th class=\"n\">Days</th><th>Mild · moderate · severe</th>\
<th class=\"n\">Mild</th><th class=\"n\">Mod.</th><th class=\"n\">Severe</th><th>Worst</th><th>Last</th></tr></thead>\n<tbody>\n",
    );
    let days = r.period.days.max(1) as f64;
    for s in &r.symptoms {
        let pct = |n: usize| n as f64 * 100.0 / days;
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"n\">{}</td><td><span class=\"sev\" title=\"{} of {} days\">\
<i class=\"s1\" style=\"width:{:.2}%\"></i><i class=\"s2\" style=\"width:{:.2}%\"></i><i class=\"s3\" style=\"width:{:.2}%\"></i></span></td>\
<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"d\">{} {}</td><td class=\"d\">{}</td></tr>",
            bdi(&s.name),
            s.days,
            s.days,
            r.period.days,
            pct(s.mild),
            pct(s.moderate),
            pct(s.severe),
            dash(s.mild),
            dash(s.moderate),
            dash(s.severe),
            severity_word(s.worst),
            s.worst_date.format("%m-%d"),
            s.last_date
        );
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
}

fn dash(n: usize) -> String {
    if n == 0 {
        "·".into()
    } else {
        n.to_string()
    }
}

fn findings(o: &mut String, r: &Report) {
    o.push_str("<section id=\"findings\">\n<h2>Findings: days at watch or above</h2>\n");
    if r.findings.is_empty() {
        o.push_str(
            "<p class=\"muted\">No day in this period reached watch or above.</p>\n</section>\n",
        );
        return;
    }
    o.push_str("<table>\n<thead><tr><th>Date</th><th>Day</th><th>Finding</th><th>Rule</th></tr></thead>\n<tbody>\n");
    for d in &r.findings {
        let n = d.findings.len().max(1);
        let _ = write!(
            o,
            "<tr class=\"hot-{}\"><td class=\"d\" rowspan=\"{n}\">{}</td><td rowspan=\"{n}\">{}</td>",
            d.level.as_str(),
            d.date,
            badge(d.level)
        );
        if d.findings.is_empty() {
            o.push_str("<td class=\"muted\">(no finding recorded)</td><td></td></tr>\n");
        }
        for (i, f) in d.findings.iter().enumerate() {
            if i > 0 {
                let _ = write!(o, "<tr class=\"hot-{}\">", d.level.as_str());
            }
            let _ = writeln!(
                o,
                "<td><span class=\"lv {}\">{}</span> {}</td><td class=\"rule\"><code>{}</code> {}</td></tr>",
                level_class(f.level),
                f.level,
                bdi(&f.message),
                esc(&f.rule),
                esc(&f.name)
            );
        }
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
}

fn episodes(o: &mut String, r: &Report) {
    o.push_str("<section class=\"keep\" id=\"episodes\">\n<h2>Episodes</h2>\n");
    if r.episodes.is_empty() {
        o.push_str("<p class=\"muted\">No episode recorded in this period.</p>\n</section>\n");
        return;
    }
    o.push_str(
        "<table>\n<thead><tr><th>Start</th><th>End</th><th class=\"n\">Days</th><th>Hospital</th>\
<th>Warning lead time</th><th>Note</th></tr></thead>\n<tbody>\n",
    );
    for e in &r.episodes {
        let _ = writeln!(
            o,
            "<tr><td class=\"d\">{}</td><td class=\"d\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            e.start,
            e.end.map_or_else(|| "ongoing".to_string(), |d| d.to_string()),
            e.length_days,
            if e.hospitalized { "yes" } else { "no" },
            esc(&lead_line(e)),
            e.note.as_deref().map(bdi).unwrap_or_default()
        );
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
    if let Some(h) = &r.rules_on_history {
        let _ = writeln!(
            o,
            "<section class=\"keep\" id=\"rules-on-history\">\n<h2>{}</h2>",
            esc(super::RULES_HEADING)
        );
        for l in super::rules_lines(h) {
            let _ = writeln!(o, "<p>{}</p>", esc(&l));
        }
        o.push_str("</section>\n");
    }
}

fn medications(o: &mut String, r: &Report) {
    let m = &r.medications;
    o.push_str("<section class=\"keep\" id=\"medications\">\n<h2>Medications and infusions</h2>\n");
    if !m.scheduled.is_empty() {
        o.push_str(
            "<table>\n<thead><tr><th>Scheduled</th><th>Every</th><th>Last dose</th><th>Next</th></tr></thead>\n<tbody>\n",
        );
        for s in &m.scheduled {
            let name = match &s.dose {
                Some(d) => format!("{} {}", bdi(&s.name), bdi(d)),
                None => bdi(&s.name),
            };
            let last = match (s.last_date, s.days_since) {
                (Some(d), Some(n)) => format!(
                    "{d}{} <span class=\"muted\">({} ago)</span>",
                    s.last_dose
                        .as_deref()
                        .map(|x| format!(" {}", bdi(x)))
                        .unwrap_or_default(),
                    super::days(n)
                ),
                _ => "<span class=\"muted\">none logged</span>".into(),
            };
            let cls = match s.state {
                super::MedState::Overdue | super::MedState::OverduePastGrace => {
                    " class=\"lv lvl-warning\""
                }
                _ => "",
            };
            let _ = writeln!(
                o,
                "<tr><td>{name}</td><td>{}</td><td>{last}</td><td><span{cls}>{}</span></td></tr>",
                super::days(i64::from(s.every_days)),
                esc(&s.describe())
            );
        }
        o.push_str("</tbody>\n</table>\n");
    }
    if m.doses.is_empty() {
        o.push_str("<p class=\"muted\">No medication or infusion logged in this period.</p>\n");
    } else {
        if !m.scheduled.is_empty() {
            o.push_str("<h3>Doses logged in this period</h3>\n");
        }
        o.push_str("<table class=\"narrow\">\n<thead><tr><th>Date</th><th>Medication or infusion</th><th>Dose</th></tr></thead>\n<tbody>\n");
        for d in &m.doses {
            let _ = writeln!(
                o,
                "<tr><td class=\"d\">{} {}</td><td>{}</td><td>{}</td></tr>",
                d.date,
                d.time.format("%H:%M"),
                bdi(&d.name),
                d.dose.as_deref().map(bdi).unwrap_or_default()
            );
        }
        o.push_str("</tbody>\n</table>\n");
    }
    o.push_str("</section>\n");
}

fn daily(o: &mut String, r: &Report) {
    let _ = write!(
        o,
        "<section id=\"daily\">\n<h2>Daily table</h2>\n<table class=\"daily\">\n<thead><tr><th>Date</th><th>Level</th>\
<th class=\"n\">{}</th><th class=\"n\">BP</th><th class=\"n\">HR</th><th>Symptoms</th><th>Meds</th><th>Note</th></tr></thead>\n<tbody>\n",
        r.unit.as_str()
    );
    for d in &r.days {
        let hot = match d.level {
            Some(l @ (Level::Warning | Level::Emergency)) => {
                format!(" class=\"hot-{}\"", l.as_str())
            }
            _ => String::new(),
        };
        let level = d
            .level
            .map(|l| format!("<span class=\"lv {}\">{}</span>", level_class(l), l))
            .unwrap_or_default();
        let mut bp = bps(&d.bp);
        if !d.standing_bp.is_empty() {
            bp.push_str(&format!(
                " <span class=\"muted\">st {}</span>",
                bps(&d.standing_bp)
            ));
        }
        let note = d.notes.join(" / ");
        let short = super::truncate(&note, 70);
        let title = if short == note {
            String::new()
        } else {
            format!(" title=\"{}\"", esc(&note))
        };
        let _ = writeln!(
            o,
            "<tr{hot}><td class=\"d\">{} <span class=\"muted\">{}</span></td><td>{level}</td><td class=\"n\">{}</td>\
<td class=\"n\">{bp}</td><td class=\"n\">{}</td><td class=\"sym\">{}</td><td class=\"meds\">{}</td><td class=\"note\"{title}>{}</td></tr>",
            d.date,
            d.date.format("%a"),
            d.weight_kg.map(|w| num_weight(w, r.unit)).unwrap_or_default(),
            hrs(&d.heart_rate),
            bdi(&render::symptoms_short(&d.symptoms)),
            bdi(&render::meds_short(&d.meds)),
            bdi(&short)
        );
    }
    o.push_str("</tbody>\n</table>\n<p class=\"legend\">Symptoms as name:severity (1 mild, 2 moderate, 3 severe); \
BP and HR list every reading of the day, \"st\" standing; weight is the first of the day.</p>\n</section>\n");
}

fn notes(o: &mut String, r: &Report) {
    o.push_str("<section id=\"notes\">\n<h2>Latest notes</h2>\n");
    if r.notes.is_empty() {
        o.push_str("<p class=\"muted\">No notes in this period.</p>\n</section>\n");
        return;
    }
    o.push_str("<ul class=\"notes\">\n");
    for n in &r.notes {
        let _ = writeln!(
            o,
            "<li><span class=\"d\">{} {}</span><bdi dir=\"auto\">{}</bdi></li>",
            n.date,
            n.time.format("%H:%M"),
            esc(&n.text)
        );
    }
    o.push_str("</ul>\n</section>\n");
}

fn footer(o: &mut String, r: &Report) {
    let _ = write!(
        o,
        "<footer>{} Generated {} by cls {}.</footer>\n</main>\n</body>\n</html>\n",
        esc(DISCLAIMER),
        r.generated.format("%Y-%m-%d %H:%M %:z"),
        esc(&r.version)
    );
}

#[cfg(test)]
mod tests {
    use super::super::testdata::*;
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            esc("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(esc("a\x1b[2J"), "a\u{FFFD}[2J");
        let c = css_string("x\"}</style><script>");
        assert!(
            !c[1..c.len() - 1].contains(['"', '<', '>', '}', '/']),
            "{c}"
        );
    }

    #[test]
    fn hostile_diary_text_is_escaped_everywhere() {
        let s = render(&sample_report());
        assert!(!s.contains("<script"), "no script element");
        assert!(!s.contains("<i>albumin"), "episode notes are escaped");
        assert!(!s.contains("<b>and"), "finding messages are escaped");
        assert!(s.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
        assert!(s.contains("&#39;fluids&#39;"));
        assert!(
            s.contains("عادت الأمور 🙂"),
            "RTL text and emoji kept as text"
        );
        assert!(!s.contains('\x1b') && !s.contains('\u{202E}'));
    }

    #[test]
    fn self_contained() {
        let s = render(&sample_report());
        for banned in [
            "<script",
            "javascript:x\"",
            "src=",
            "href=",
            "@import",
            "url(",
            "<link",
        ] {
            assert!(!s.contains(banned), "found {banned}");
        }
        assert!(s.contains("@media print"));
        assert!(s.contains("<svg"));
        // Sections in the order the issue asks for.
        let pos = |id: &str| {
            s.find(&format!("id=\"{id}\""))
                .unwrap_or_else(|| panic!("{id}"))
        };
        let order = [
            "summary",
            "weight",
            "vitals",
            "symptoms",
            "findings",
            "episodes",
            "medications",
            "daily",
            "notes",
        ];
        assert!(order.windows(2).all(|w| pos(w[0]) < pos(w[1])));
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render(&sample_report()));
    }

    #[test]
    fn an_empty_period_says_so() {
        let d = sample_diary();
        let mut input = d.input();
        input.from = date("2025-01-01");
        input.to = date("2025-01-31");
        let s = render(&super::super::summarize(&input));
        assert!(s.contains("No diary entries from 2025-01-01 to 2025-01-31"));
        assert!(!s.contains("<table"));
    }
}
