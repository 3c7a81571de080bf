//! The card as one self-contained HTML page sized for one printed A4 or
//! Letter page: inline CSS, no script or external asset, every piece of
//! diary text escaped with the report's [`esc`]. [`zoom`] estimates the
//! printed height from the card's texts and shrinks the page to fit, down
//! to [`MIN_ZOOM`]; [`fits_one_page`] tells the command when even that is
//! not enough.

use std::fmt::Write as _;

use super::{
    baseline_lines, day_bps, day_hrs, dose_line, level_meaning, more_line, shown_findings, Card,
    SYNTHETIC_BANNER,
};
use crate::config::Contact;
use crate::report::html::esc;
use crate::rules::Level;

const CARD_CSS: &str = r#"
.synthetic{border:3px solid #000;padding:6px 10px;font-weight:700;font-size:15px;text-align:center;margin:0 0 10px}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;background:#e9edf1;color:#1c2530;font:13px/1.4 "Helvetica Neue",Helvetica,Arial,"Liberation Sans","DejaVu Sans",sans-serif}
main{max-width:780px;margin:24px auto;background:#fff;box-shadow:0 1px 5px rgba(0,0,0,.12)}
.top{background:#b3261e;color:#fff;padding:12px 22px;display:flex;justify-content:space-between;align-items:center}
.top h1{margin:0;font-size:21px;letter-spacing:.06em}
.top .date{font-size:11.5px;opacity:.9;text-align:right}
.who{padding:12px 22px 6px;display:flex;gap:24px;align-items:baseline;flex-wrap:wrap}
.who .name{font-size:24px;font-weight:700}
.who .dob{font-size:15px}
.body{padding:0 22px 14px}
.cond{border:2px solid #b3261e;border-radius:5px;padding:8px 12px;margin:6px 0 10px}
.cond h2{margin:0 0 3px;font-size:16px;color:#b3261e}
.cond p{margin:0}
h3{font-size:11.5px;text-transform:uppercase;letter-spacing:.07em;color:#1d5b86;margin:10px 0 4px;
border-bottom:1.5px solid #1d5b86;padding-bottom:1px}
.instr{white-space:pre-wrap;font-size:14px;font-weight:600;background:#fff8e1;border-left:5px solid #c79100;
padding:7px 11px;margin:0}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:0 20px}
dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:2px 10px}
dt{color:#5d6b79;font-size:11.5px;padding-top:1px}
dd{margin:0}
.phone{font-weight:700;font-size:14px;white-space:nowrap}
.level{display:inline-block;padding:1px 8px;border-radius:3px;color:#fff;font-weight:700;letter-spacing:.05em}
.lvl-ok{background:#2e7d32}.lvl-unknown{background:#7b8c99}.lvl-watch{background:#c79100}
.lvl-warning{background:#e0620d}.lvl-emergency{background:#b3261e}
ul.findings{margin:3px 0 0;padding-left:18px}
ul.findings li.more{list-style:none;color:#5d6b79;font-style:italic}
table{border-collapse:collapse;width:100%;font-size:12px}
th{text-align:left;color:#5d6b79;font-weight:600;font-size:11px;border-bottom:1.5px solid #1c2530;padding:2px 6px}
td{border-bottom:1px solid #d9e0e7;padding:2px 6px}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.foot{font-size:10.5px;color:#5d6b79;border-top:1px solid #d9e0e7;padding:6px 22px 10px}
@page{margin:10mm}
@media print{body{background:#fff}main{max-width:none;margin:0;box-shadow:none}main{break-inside:avoid}}
"#;

/// The printed page's room in CSS pixels (96 a inch) less the 10 mm
/// margins: the width of A4 and the height of Letter, the smaller of each,
/// so that what fits fits both.
const PAGE_WIDTH: f64 = 718.0;
/// Letter's 979 px less 4% for fonts wider than the estimate's.
const PAGE_HEIGHT: f64 = 940.0;

/// The smallest zoom the card shrinks to: text at about 8 px, still legible
/// on paper. Below it the card would rather take a second page.
pub const MIN_ZOOM: f64 = 0.6;

/// Lines of `text` in a box `width` px wide at `font` px. A character is
/// taken as 0.5 of the font size (Helvetica's and Liberation Sans's
/// average is a little less), 0.6 in bold; a line is counted whole.
fn lines(text: &str, width: f64, font: f64, bold: bool) -> f64 {
    let em = if bold { 0.6 } else { 0.5 };
    let per_line = (width / (font * em)).max(8.0);
    text.lines()
        .map(|l| (l.chars().count() as f64 / per_line).ceil().max(1.0))
        .sum::<f64>()
        .max(1.0)
}

/// The card's printed height in px at zoom 1 on a page `width` px wide,
/// from its texts and [`CARD_CSS`]'s sizes. An estimate, on the long side:
/// the print test checks it against Chromium.
fn height(c: &Card, width: f64) -> f64 {
    let inner = width - 44.0;
    let col = (inner - 20.0) / 2.0;
    let h3 = 34.0;
    let line = 13.0 * 1.4;
    // The red bar, the name line, the condition box.
    let mut h = 56.0 + 52.0;
    h += 40.0 + 22.0 + lines(&c.description, inner - 28.0, 13.0, false) * line;
    if let Some(i) = &c.instructions {
        h += h3 + 16.0 + lines(i, inner - 27.0, 14.0, true) * 14.0 * 1.4;
    }
    // The two columns: the taller decides. A definition list's value
    // column is the column less its label (about 110 px).
    let dd = col - 110.0;
    let mut left = 0.0;
    let contacts = [&c.specialist, &c.clinician, &c.emergency_contact];
    if contacts.iter().any(|x| x.is_some()) {
        left += h3;
        for ct in contacts.into_iter().flatten() {
            let name = format!(
                "{} ({})",
                ct.name.as_deref().unwrap_or(""),
                ct.role.as_deref().unwrap_or("")
            );
            left += lines(&name, dd, 13.0, false) * line + 2.0;
            if ct.phone.is_some() {
                left += 14.0 * 1.4;
            }
        }
    }
    let mut treat: Vec<String> = c.last_doses.iter().map(dose_line).collect();
    treat.extend(c.prophylaxis.clone());
    treat.extend(c.notes.clone());
    if !treat.is_empty() {
        left += h3
            + treat
                .iter()
                .map(|t| lines(t, dd, 13.0, false) * line + 2.0)
                .sum::<f64>();
    }
    let mut right = h3 + 26.0 + line + 4.0;
    let (shown, more) = shown_findings(c);
    for f in shown {
        right += lines(&f.message, col - 18.0, 13.0, false) * line;
    }
    if more > 0 {
        right += line;
    }
    let base = baseline_lines(c);
    if !base.is_empty() {
        right += 6.0;
        for (_, v) in base {
            right += lines(&v, dd, 13.0, false) * line + 2.0;
        }
    }
    h += f64::max(left, right);
    // The 7-day table: a row is one line unless a day's readings wrap in
    // their quarter of the width.
    h += h3 + 22.0;
    for d in &c.recent {
        let cell = lines(&day_bps(&d.bp), inner / 4.0 - 12.0, 12.0, false).max(lines(
            &day_hrs(&d.heart_rate),
            inner / 4.0 - 12.0,
            12.0,
            false,
        ));
        h += 5.0 + cell * 12.0 * 1.4;
    }
    // The footer.
    h + 60.0
}

/// The zoom that puts the card on one printed page: 1 when it fits, else
/// the largest that does (the lines wrap less as the page gets wider in
/// the card's own pixels), down to [`MIN_ZOOM`].
pub fn zoom(c: &Card) -> f64 {
    let mut z: f64 = 1.0;
    while z > MIN_ZOOM + 1e-9 {
        if z * height(c, PAGE_WIDTH / z) <= PAGE_HEIGHT {
            return z;
        }
        z -= 0.025;
    }
    MIN_ZOOM
}

/// Whether the card fits one page at [`MIN_ZOOM`] or larger.
pub fn fits_one_page(c: &Card) -> bool {
    MIN_ZOOM * height(c, PAGE_WIDTH / MIN_ZOOM) <= PAGE_HEIGHT
}

/// The card as one self-contained HTML page (one printed A4 or Letter
/// page): findings and readings capped, then shrunk to fit (see [`zoom`]).
pub fn render(c: &Card) -> String {
    let mut o = String::with_capacity(16 * 1024);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Emergency card{}</title>\n\
<style>{CARD_CSS}@media print{{main{{zoom:{zoom:.3}}}}}\n</style>\n</head>\n<body>\n<main>\n",
        c.name.as_deref().map(|n| format!(" – {}", esc(n))).unwrap_or_default(),
        zoom = zoom(c)
    );
    if c.synthetic {
        // Printed with the card: a border and bold text, no background.
        let _ = writeln!(
            o,
            "<p class=\"synthetic\" role=\"note\">{}</p>",
            esc(SYNTHETIC_BANNER)
        );
    }
    let _ = write!(
        o,
        "<div class=\"top\"><h1>EMERGENCY MEDICAL INFORMATION</h1><div class=\"date\">printed {}<br>from the patient's diary</div></div>\n<div class=\"who\">",
        c.generated.format("%Y-%m-%d")
    );
    if let Some(n) = &c.name {
        let _ = write!(o, "<span class=\"name\"><bdi>{}</bdi></span>", esc(n));
    }
    if let Some(d) = c.date_of_birth {
        let age = c.age.map(|a| format!(" (age {a})")).unwrap_or_default();
        let _ = write!(o, "<span class=\"dob\">born {d}{age}</span>");
    }
    let _ = write!(
        o,
        "</div>\n<div class=\"body\">\n<div class=\"cond\"><h2>{}</h2><p>{}</p></div>\n",
        esc(&c.condition),
        esc(&c.description)
    );
    if let Some(i) = &c.instructions {
        let _ = write!(
            o,
            "<h3>The patient's emergency instructions (written with their specialist)</h3>\n<p class=\"instr\" dir=\"auto\">{}</p>\n",
            esc_multiline(i)
        );
    }
    o.push_str("<div class=\"cols\">\n<div>\n");
    let contacts: Vec<(&str, &Contact)> = [
        ("Specialist", &c.specialist),
        ("Doctor", &c.clinician),
        ("Emergency contact", &c.emergency_contact),
    ]
    .into_iter()
    .filter_map(|(k, c)| c.as_ref().map(|c| (k, c)))
    .collect();
    if !contacts.is_empty() {
        o.push_str("<h3>Contacts</h3>\n<dl>\n");
        for (k, ct) in contacts {
            let mut v = ct
                .name
                .as_deref()
                .map(|n| format!("<bdi>{}</bdi>", esc(n)))
                .unwrap_or_default();
            if let Some(r) = &ct.role {
                let _ = write!(v, " ({})", esc(r));
            }
            if let Some(p) = &ct.phone {
                let _ = write!(v, "<br><span class=\"phone\">{}</span>", esc(p));
            }
            let _ = writeln!(o, "<dt>{k}</dt><dd>{v}</dd>");
        }
        o.push_str("</dl>\n");
    }
    if c.prophylaxis.is_some() || !c.last_doses.is_empty() || c.notes.is_some() {
        o.push_str("<h3>Treatment</h3>\n<dl>\n");
        if let Some(p) = &c.prophylaxis {
            let _ = writeln!(o, "<dt>Prophylaxis</dt><dd><bdi>{}</bdi></dd>", esc(p));
        }
        for d in &c.last_doses {
            let _ = writeln!(
                o,
                "<dt>Last dose</dt><dd><bdi>{}</bdi></dd>",
                esc(&dose_line(d))
            );
        }
        if let Some(n) = &c.notes {
            let _ = writeln!(o, "<dt>Notes</dt><dd>{}</dd>", esc_multiline(n));
        }
        o.push_str("</dl>\n");
    }
    o.push_str("</div>\n<div>\n");
    let _ = write!(
        o,
        "<h3>From the diary, {}</h3>\n<p>Today: <span class=\"level {}\">{}</span> {}</p>\n",
        c.date,
        match c.level {
            Level::Ok => "lvl-ok",
            Level::Unknown => "lvl-unknown",
            Level::Watch => "lvl-watch",
            Level::Warning => "lvl-warning",
            Level::Emergency => "lvl-emergency",
        },
        c.level.as_str().to_uppercase(),
        esc(level_meaning(c.level))
    );
    let (shown, more) = shown_findings(c);
    if !shown.is_empty() {
        o.push_str("<ul class=\"findings\">\n");
        for f in shown {
            let _ = writeln!(o, "<li><bdi>{}</bdi></li>", esc(&f.message));
        }
        if more > 0 {
            let _ = writeln!(o, "<li class=\"more\">{}</li>", esc(&more_line(more)));
        }
        o.push_str("</ul>\n");
    }
    let base = baseline_lines(c);
    if !base.is_empty() {
        o.push_str("<dl style=\"margin-top:6px\">\n");
        for (k, v) in base {
            let _ = writeln!(o, "<dt>{}</dt><dd>{}</dd>", esc(&k), esc(&v));
        }
        o.push_str("</dl>\n");
    }
    let _ = write!(
        o,
        "</div>\n</div>\n<h3>The last 7 days</h3>\n<table>\n<thead><tr><th>Day</th><th class=\"n\">Weight ({})</th>\
<th class=\"n\">BP (mmHg)</th><th class=\"n\">Heart rate</th></tr></thead>\n<tbody>\n",
        c.unit.as_str()
    );
    for d in &c.recent {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            d.date.format("%a %Y-%m-%d"),
            d.weight_kg
                .map(|w| crate::report::num_weight(w, c.unit))
                .unwrap_or_else(|| "–".into()),
            day_bps(&d.bp),
            day_hrs(&d.heart_rate)
        );
    }
    let _ = write!(
        o,
        "</tbody>\n</table>\n</div>\n<div class=\"foot\">Printed {} by the patient with cls {} from their own \
home diary. The level is from cls's warning rules and is not a diagnosis; the instructions above are the \
patient's own, agreed with their specialist.</div>\n</main>\n</body>\n</html>\n",
        c.generated.format("%Y-%m-%d %H:%M"),
        esc(&c.version)
    );
    o
}

/// Escape text keeping its line breaks (shown by `white-space: pre-wrap`
/// or as `<br>`).
fn esc_multiline(s: &str) -> String {
    s.lines().map(esc).collect::<Vec<_>>().join("\n")
}
