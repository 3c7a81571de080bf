//! The report's inline SVG charts (weight with its baseline and usual
//! range, blood pressure, heart rate): one day slot per day of the period
//! on a shared horizontal scale, days at watch or above tinted behind, and
//! recorded episodes marked on top. Drawn from the `Report` alone.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};

use crate::render;
use crate::report::{period_line, Period, Report, WeightSummary};
use crate::rules::Level;

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

pub(super) fn weight_svg(r: &Report, w: &WeightSummary) -> String {
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

pub(super) fn bp_svg(r: &Report) -> String {
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

pub(super) fn hr_svg(r: &Report) -> String {
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
