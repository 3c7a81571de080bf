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

use crate::render::sanitize;
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};

use super::{
    baseline_ends, bps, delta_weight, hrs, lab_value, lead_line, num_weight, period_line,
    range_line, Period, Report, WeightSummary, DISCLAIMER, TITLE,
};
use crate::model::severity_word;
use crate::render;
use crate::rules::Level;

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

const CSS: &str = r#"
:root{--ink:#1c2530;--muted:#5d6b79;--line:#d9e0e7;--soft:#f4f6f8;--accent:#1d5b86;
--ok:#2e7d32;--unknown:#7b8c99;--watch:#c79100;--warning:#e0620d;--emergency:#b3261e;}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;background:#e9edf1;color:var(--ink);
font:13.5px/1.45 "Helvetica Neue",Helvetica,Arial,"Liberation Sans","DejaVu Sans","Noto Sans",sans-serif}
main{max-width:960px;margin:24px auto;background:#fff;padding:30px 38px;box-shadow:0 1px 5px rgba(0,0,0,.12)}
.head>div{min-width:0}
h1{font-size:21px;margin:0;letter-spacing:-.01em}
h2{font-size:12.5px;text-transform:uppercase;letter-spacing:.08em;color:var(--accent);
border-bottom:1.5px solid var(--accent);padding-bottom:2px;margin:18px 0 8px;break-after:avoid}
h3{font-size:12px;margin:10px 0 4px;color:var(--muted);font-weight:600}
p{margin:4px 0}
.head{display:flex;justify-content:space-between;gap:20px;align-items:flex-end;
border-bottom:3px solid var(--ink);padding-bottom:10px}
.sub{color:var(--muted);margin:3px 0 0;font-size:12px}
.meta{display:grid;grid-template-columns:auto auto;gap:1px 12px;margin:0;font-size:12px;text-align:left}
.meta dt{color:var(--muted)}
.meta dd{margin:0;font-weight:600;white-space:nowrap}
.stats{display:grid;grid-template-columns:repeat(4,1fr);gap:8px}
.stat{background:var(--soft);border-radius:4px;padding:7px 10px}
.stat .k{display:block;font-size:11px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.stat .v{display:block;font-size:19px;font-weight:700;margin:1px 0}
.stat .s{display:block;font-size:11.5px;color:var(--muted)}
.badge{display:inline-block;padding:1px 7px;border-radius:3px;color:#fff;font-weight:700;
font-size:11px;letter-spacing:.05em;vertical-align:1px}
.stat .v .badge{font-size:15px;padding:2px 9px}
.lvl-ok{background:var(--ok)}.lvl-unknown{background:var(--unknown)}.lvl-watch{background:var(--watch)}
.lvl-warning{background:var(--warning)}.lvl-emergency{background:var(--emergency)}
.levelbar{display:flex;height:10px;border-radius:3px;overflow:hidden;margin:9px 0 4px}
.levelbar span{display:block;height:100%}
.legend{font-size:11.5px;color:var(--muted);margin:2px 0}
.legend i{display:inline-block;width:9px;height:9px;border-radius:2px;margin:0 4px 0 10px;vertical-align:-1px}
.legend i:first-child{margin-left:0}
.facts{display:grid;grid-template-columns:repeat(4,1fr);gap:4px 12px;margin:0 0 6px}
.facts div{border-left:3px solid var(--line);padding-left:7px}
.facts dt{font-size:11px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.facts dd{margin:0;font-weight:600;font-size:13px}
.facts dd small{display:block;font-weight:400;color:var(--muted);font-size:11px}
.split{display:grid;grid-template-columns:1.1fr 1fr;gap:16px;align-items:start}
.split .facts{grid-template-columns:1fr 1fr}
figure{margin:4px 0 0}
svg{display:block;width:100%;height:auto}
svg text{font-family:inherit;font-size:10px;fill:#5d6b79}
svg .grid{stroke:#e3e8ed;stroke-width:1}
svg .axis{stroke:#9aa7b3;stroke-width:1}
svg .band{fill:#9cc3e4;fill-opacity:.35}
svg .base{fill:none;stroke:#1d5b86;stroke-width:1.2;stroke-dasharray:4 3}
svg .line{fill:none;stroke:#1c2530;stroke-width:1.6;stroke-linejoin:round}
svg .pt{fill:#1c2530}
svg .col-watch{fill:var(--watch);fill-opacity:.13}
svg .col-warning{fill:var(--warning);fill-opacity:.22}
svg .col-emergency{fill:var(--emergency);fill-opacity:.28}
svg .pt-watch{fill:var(--watch)}svg .pt-warning{fill:var(--warning)}svg .pt-emergency{fill:var(--emergency)}
svg .episode{fill:var(--emergency)}
svg .bp{stroke:#1d5b86;stroke-width:2.2;stroke-linecap:round}
svg .bps{stroke:#8e3fa8;stroke-width:1.4;stroke-linecap:round}
svg .hr{fill:none;stroke:#b3261e;stroke-width:1.4;stroke-linejoin:round}
svg .hrpt{fill:#b3261e}
table{border-collapse:collapse;width:100%;font-size:12px}
table.narrow{width:auto;min-width:55%}
th{text-align:left;font-weight:600;color:var(--muted);font-size:11px;text-transform:uppercase;
letter-spacing:.03em;border-bottom:1.5px solid var(--ink);padding:3px 6px}
td{border-bottom:1px solid var(--line);padding:3px 6px;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.d{white-space:nowrap;font-variant-numeric:tabular-nums}
td.rule{white-space:nowrap}
.lv{display:inline-block;min-width:62px;font-size:10.5px;font-weight:700;text-transform:uppercase;letter-spacing:.04em}
.lv.lvl-ok,.lv.lvl-unknown,.lv.lvl-watch,.lv.lvl-warning,.lv.lvl-emergency{background:none}
.lv.lvl-ok{color:var(--ok)}.lv.lvl-unknown{color:var(--unknown)}.lv.lvl-watch{color:var(--watch)}
.lv.lvl-warning{color:var(--warning)}.lv.lvl-emergency{color:var(--emergency)}
.sev{display:inline-flex;width:110px;height:8px;background:var(--soft);border-radius:2px;overflow:hidden;vertical-align:0}
.sev i{display:block;height:100%}
.s1{background:#f1c27d}.s2{background:#e0620d}.s3{background:#b3261e}
code{font:11px/1 ui-monospace,"DejaVu Sans Mono",monospace;background:var(--soft);padding:1px 3px;border-radius:2px}
.daily{font-size:11px;line-height:1.2}
.daily td{padding:1px 5px;border-bottom:none}
.daily tbody tr:nth-child(even) td{background:#f3f5f8}
.daily td.meds{white-space:nowrap}
.daily td.sym{min-width:170px}
.daily .lv{font-size:inherit;min-width:0}
tr.hot-warning td,.daily tr.hot-warning td{background:#fdf0e6}tr.hot-emergency td,.daily tr.hot-emergency td{background:#fbe9e7}
.daily td.note{color:var(--muted)}
.notes{margin:0;padding:0;list-style:none}
.notes li{padding:3px 0;border-bottom:1px solid var(--line)}
.notes .d{color:var(--muted);font-variant-numeric:tabular-nums;margin-right:8px;white-space:nowrap}
.muted{color:var(--muted)}
.synthetic{border:3px solid #000;padding:6px 10px;font-weight:700;font-size:15px;text-align:center;margin:0 0 12px}
.empty{font-size:15px;padding:18px;background:var(--soft);border-radius:4px;margin-top:18px}
footer{margin-top:18px;padding-top:6px;border-top:1px solid var(--line);font-size:11px;color:var(--muted)}
@page{margin:12mm 12mm 14mm}
@media print{
body{background:#fff;font-size:9pt}
main{max-width:none;margin:0;padding:0;box-shadow:none}
table{font-size:8.5pt;line-height:1.3}
td{padding:1.2px 5px}
th{padding:2px 5px}
h3{margin:6px 0 2px}
.daily{font-size:7.2pt;line-height:1.15}
.daily td{padding:.4px 4px}
.stat{padding:5px 9px}
.stat .v{font-size:16px}
.notes{font-size:8.5pt}
.notes li{padding:1.5px 0}
footer{margin-top:6px;padding-top:3px;font-size:7.5pt}
.legend{margin:1px 0}
.details{break-before:page}
section.keep{break-inside:avoid}
tr,li{break-inside:avoid}
thead{display:table-header-group}
h2{margin:10px 0 5px}
}
"#;

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

// ---- charts ---------------------------------------------------------------

const W: f64 = 720.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 8.0;

/// The horizontal scale shared by every chart: one slot per day.
struct Days {
    from: NaiveDate,
    n: f64,
}

impl Days {
    fn new(p: &Period) -> Days {
        Days {
            from: p.from,
            n: p.days.max(1) as f64,
        }
    }

    fn slot(&self) -> f64 {
        (W - LEFT - RIGHT) / self.n
    }

    /// The centre of a day's slot.
    fn x(&self, d: NaiveDate) -> f64 {
        LEFT + ((d - self.from).num_days() as f64 + 0.5) * self.slot()
    }

    /// A moment within a day's slot.
    fn x_at(&self, d: NaiveDate, t: NaiveTime) -> f64 {
        let frac = f64::from(t.num_seconds_from_midnight()) / 86_400.0;
        LEFT + ((d - self.from).num_days() as f64 + frac) * self.slot()
    }

    /// Date labels along the bottom, about one a week.
    fn labels(&self, o: &mut String, y: f64) {
        let step = [1, 2, 7, 14, 28, 56, 91]
            .into_iter()
            .find(|s| self.n / f64::from(*s) <= 9.0)
            .unwrap_or(182);
        for i in (0..self.n as i64).step_by(step as usize) {
            let d = self.from + chrono::Duration::days(i);
            let _ = write!(
                o,
                "<text x=\"{:.1}\" y=\"{y:.1}\" text-anchor=\"middle\">{} {}</text>",
                self.x(d),
                month(d.month()),
                d.day()
            );
        }
    }

    /// Tinted columns behind days at watch or above, and a bar on top for
    /// recorded episodes.
    fn backdrop(&self, o: &mut String, r: &Report, top: f64, bottom: f64) {
        for d in &r.days {
            let Some(l) = d.level.filter(|l| *l >= Level::Watch) else {
                continue;
            };
            let _ = write!(
                o,
                "<rect class=\"col-{}\" x=\"{:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{:.1}\"/>",
                l.as_str(),
                self.x(d.date) - self.slot() / 2.0,
                self.slot(),
                bottom - top
            );
        }
        for e in &r.episodes {
            let start = e.start.max(r.period.from);
            let end = e.end.unwrap_or(r.period.to).min(r.period.to);
            let x0 = self.x(start) - self.slot() / 2.0;
            let x1 = self.x(end) + self.slot() / 2.0;
            let _ = write!(
                o,
                "<rect class=\"episode\" x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"4\"><title>episode from {}</title></rect>",
                top - 6.0,
                (x1 - x0).max(2.0),
                e.start
            );
        }
    }
}

fn month(m: u32) -> &'static str {
    [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(m as usize + 11) % 12]
}

/// A vertical scale with round ticks covering `lo..hi`.
struct Scale {
    lo: f64,
    hi: f64,
    step: f64,
    top: f64,
    bottom: f64,
}

impl Scale {
    fn new(lo: f64, hi: f64, top: f64, bottom: f64, steps: &[f64], max_ticks: f64) -> Scale {
        let (lo, hi) = if hi - lo < 1e-9 {
            (lo - 1.0, hi + 1.0)
        } else {
            (lo, hi)
        };
        let step = steps
            .iter()
            .copied()
            .find(|s| (hi - lo) / s <= max_ticks)
            .unwrap_or(steps[steps.len() - 1]);
        Scale {
            lo: (lo / step).floor() * step,
            hi: (hi / step).ceil() * step,
            step,
            top,
            bottom,
        }
    }

    fn y(&self, v: f64) -> f64 {
        self.top + (self.hi - v) / (self.hi - self.lo) * (self.bottom - self.top)
    }

    fn grid(&self, o: &mut String, decimals: usize) {
        let mut v = self.lo;
        while v <= self.hi + 1e-9 {
            let y = self.y(v);
            let _ = write!(
                o,
                "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>\
<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{v:.decimals$}</text>",
                W - RIGHT,
                LEFT - 5.0,
                y + 3.5
            );
            v += self.step;
        }
    }
}

fn svg_open(h: f64, label: &str) -> String {
    format!(
        "<svg viewBox=\"0 0 {W} {h}\" role=\"img\" aria-label=\"{label}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{label}</title>"
    )
}

/// A polyline through points, broken where days are missing for longer
/// than `max_gap` days.
fn polylines(o: &mut String, class: &str, pts: &[(NaiveDate, f64, f64)], max_gap: i64) {
    let mut run: Vec<String> = Vec::new();
    let mut prev: Option<NaiveDate> = None;
    let flush = |run: &mut Vec<String>, o: &mut String| {
        if run.len() > 1 {
            let _ = write!(
                o,
                "<polyline class=\"{class}\" points=\"{}\"/>",
                run.join(" ")
            );
        }
        run.clear();
    };
    for (d, x, y) in pts {
        if prev.is_some_and(|p| (*d - p).num_days() > max_gap) {
            flush(&mut run, o);
        }
        run.push(format!("{x:.1},{y:.1}"));
        prev = Some(*d);
    }
    flush(&mut run, o);
}

fn weight_svg(r: &Report, w: &WeightSummary) -> String {
    let u = r.unit;
    let h = 150.0;
    let (top, bottom) = (18.0, h - 18.0);
    let days = Days::new(&r.period);
    let mut vals: Vec<f64> = w.series.iter().filter_map(|p| p.kg).collect();
    vals.extend(w.series.iter().filter_map(|p| p.band_low_kg));
    vals.extend(w.series.iter().filter_map(|p| p.band_high_kg));
    let vals: Vec<f64> = vals.into_iter().map(|v| u.from_kg(v)).collect();
    let lo = vals.iter().copied().fold(f64::INFINITY, f64::min) - 0.3;
    let hi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max) + 0.3;
    let scale = Scale::new(
        lo,
        hi,
        top,
        bottom,
        &[0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0],
        6.0,
    );
    let mut o = svg_open(
        h,
        &format!(
            "Morning weight in {}, {}",
            u.as_str(),
            period_line(&r.period)
        ),
    );
    days.backdrop(&mut o, r, top, bottom);
    scale.grid(&mut o, if scale.step < 1.0 { 1 } else { 0 });
    let _ = write!(o, "<text x=\"4\" y=\"9\">{}</text>", u.as_str());

    // The usual range (band) and the baseline (dashed), in runs of days
    // that have one.
    let mut run: Vec<(f64, f64, f64)> = Vec::new();
    let mut bands = Vec::new();
    for p in &w.series {
        match (p.band_low_kg, p.band_high_kg) {
            (Some(a), Some(b)) => {
                run.push((days.x(p.date), scale.y(u.from_kg(a)), scale.y(u.from_kg(b))));
            }
            _ => bands.push(std::mem::take(&mut run)),
        }
    }
    bands.push(run);
    for b in bands.iter().filter(|b| !b.is_empty()) {
        let half = days.slot() / 2.0;
        let mut pts: Vec<String> = Vec::new();
        let n = b.len();
        for (i, (x, _, yh)) in b.iter().enumerate() {
            let x = if i == 0 {
                x - half
            } else if i == n - 1 {
                x + half
            } else {
                *x
            };
            pts.push(format!("{x:.1},{yh:.1}"));
        }
        for (i, (x, yl, _)) in b.iter().enumerate().rev() {
            let x = if i == 0 {
                x - half
            } else if i == n - 1 {
                x + half
            } else {
                *x
            };
            pts.push(format!("{x:.1},{yl:.1}"));
        }
        let _ = write!(o, "<polygon class=\"band\" points=\"{}\"/>", pts.join(" "));
    }
    let base: Vec<(NaiveDate, f64, f64)> = w
        .series
        .iter()
        .filter_map(|p| {
            p.baseline_kg
                .map(|b| (p.date, days.x(p.date), scale.y(u.from_kg(b))))
        })
        .collect();
    polylines(&mut o, "base", &base, 1);

    let pts: Vec<(NaiveDate, f64, f64)> = w
        .series
        .iter()
        .filter_map(|p| {
            p.kg.map(|k| (p.date, days.x(p.date), scale.y(u.from_kg(k))))
        })
        .collect();
    polylines(&mut o, "line", &pts, 3);
    let radius = if days.n > 120.0 { 1.3 } else { 2.0 };
    for p in &w.series {
        let Some(k) = p.kg else { continue };
        let (cls, rad) = match p.level {
            Some(l @ (Level::Warning | Level::Emergency)) => {
                (format!("pt-{}", l.as_str()), radius + 1.2)
            }
            _ => ("pt".to_string(), radius),
        };
        let _ = write!(
            o,
            "<circle class=\"{cls}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"{rad:.1}\"><title>{} {}</title></circle>",
            days.x(p.date),
            scale.y(u.from_kg(k)),
            p.date,
            render::weight(k, u)
        );
    }
    let _ = write!(
        o,
        "<line class=\"axis\" x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{bottom:.1}\" y2=\"{bottom:.1}\"/>",
        W - RIGHT
    );
    days.labels(&mut o, h - 5.0);
    o.push_str("</svg>\n");
    o
}

fn bp_svg(r: &Report) -> String {
    let Some(v) = &r.vitals else {
        return String::new();
    };
    let h = 124.0;
    let (top, bottom) = (18.0, h - 18.0);
    let days = Days::new(&r.period);
    let all: Vec<u16> = v
        .readings
        .iter()
        .flat_map(|x| x.bp.into_iter().chain(x.standing_bp))
        .flat_map(|b| [b.systolic, b.diastolic])
        .collect();
    let lo = all.iter().copied().min().map_or(60.0, f64::from).min(60.0);
    let hi = all
        .iter()
        .copied()
        .max()
        .map_or(140.0, f64::from)
        .max(140.0);
    let scale = Scale::new(lo, hi, top, bottom, &[10.0, 20.0, 40.0, 50.0], 6.0);
    let mut o = svg_open(
        h,
        &format!("Blood pressure in mmHg, {}", period_line(&r.period)),
    );
    days.backdrop(&mut o, r, top, bottom);
    scale.grid(&mut o, 0);
    o.push_str("<text x=\"4\" y=\"9\">mmHg</text>");
    let off = (days.slot() * 0.18).min(2.5);
    for x in &v.readings {
        let cx = days.x_at(x.date, x.time);
        if let Some(b) = x.bp {
            let _ = write!(
                o,
                "<line class=\"bp\" x1=\"{cx:.1}\" x2=\"{cx:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"><title>{} {} sitting {b}</title></line>",
                scale.y(f64::from(b.systolic)),
                scale.y(f64::from(b.diastolic)),
                x.date,
                x.time.format("%H:%M")
            );
        }
        if let Some(b) = x.standing_bp {
            let sx = cx + off;
            let _ = write!(
                o,
                "<line class=\"bps\" x1=\"{sx:.1}\" x2=\"{sx:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"><title>{} {} standing {b}</title></line>",
                scale.y(f64::from(b.systolic)),
                scale.y(f64::from(b.diastolic)),
                x.date,
                x.time.format("%H:%M")
            );
        }
    }
    let _ = write!(
        o,
        "<line class=\"axis\" x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{bottom:.1}\" y2=\"{bottom:.1}\"/>",
        W - RIGHT
    );
    days.labels(&mut o, h - 5.0);
    o.push_str("</svg>\n");
    o
}

fn hr_svg(r: &Report) -> String {
    let Some(v) = &r.vitals else {
        return String::new();
    };
    let h = 76.0;
    let (top, bottom) = (16.0, h - 16.0);
    let days = Days::new(&r.period);
    let hrs: Vec<(NaiveDate, NaiveTime, u16)> = v
        .readings
        .iter()
        .filter_map(|x| x.heart_rate.map(|h| (x.date, x.time, h)))
        .collect();
    let lo = hrs
        .iter()
        .map(|x| x.2)
        .min()
        .map_or(50.0, f64::from)
        .min(60.0);
    let hi = hrs
        .iter()
        .map(|x| x.2)
        .max()
        .map_or(100.0, f64::from)
        .max(100.0);
    let scale = Scale::new(lo, hi, top, bottom, &[10.0, 20.0, 40.0, 50.0], 3.0);
    let mut o = svg_open(
        h,
        &format!("Heart rate in beats per minute, {}", period_line(&r.period)),
    );
    days.backdrop(&mut o, r, top, bottom);
    scale.grid(&mut o, 0);
    o.push_str("<text x=\"4\" y=\"9\">bpm</text>");
    let pts: Vec<(NaiveDate, f64, f64)> = hrs
        .iter()
        .map(|(d, t, h)| (*d, days.x_at(*d, *t), scale.y(f64::from(*h))))
        .collect();
    polylines(&mut o, "hr", &pts, 3);
    for (d, t, hr) in &hrs {
        let _ = write!(
            o,
            "<circle class=\"hrpt\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"1.6\"><title>{d} {} HR {hr}</title></circle>",
            days.x_at(*d, *t),
            scale.y(f64::from(*hr)),
            t.format("%H:%M")
        );
    }
    let _ = write!(
        o,
        "<line class=\"axis\" x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{bottom:.1}\" y2=\"{bottom:.1}\"/>",
        W - RIGHT
    );
    days.labels(&mut o, h - 4.0);
    o.push_str("</svg>\n");
    o
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
