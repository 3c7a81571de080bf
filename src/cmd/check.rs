//! `cls check`: the warning status with its reasons and what to do; also
//! `--history` (one line a day) and `--backtest` (lead times before
//! recorded episodes, false alarms per year).

use cls::render::count;
use std::io::Write;

use anyhow::Result;
use cls::diary::{load_for_rules, Judged};
use cls::rules::{self, Assessment};
use cls::Level;
use serde_json::json;

use super::out::{self, action_for};
use super::{usage, Ctx};
use crate::cli::CheckArgs;

pub fn check(ctx: &Ctx, args: &CheckArgs) -> Result<u8> {
    if args.backtest {
        return backtest(ctx, args);
    }
    if args.history {
        return history(ctx, args);
    }
    if args.from.is_some() || args.to.is_some() || args.last.is_some() {
        return Err(usage(
            "--from, --to and --last go with --history or --backtest",
        ));
    }
    // Today is judged as of now; a past day as of its end.
    let date = ctx.judged_date("--date", args.date.as_deref())?;
    let mut store = ctx.open_read()?;
    let ctx = &*ctx.for_diary(&store)?;
    let input = load_for_rules(&store, &ctx.config, Judged::day(date))?;
    let a = rules::evaluate_at(&input.diary(), date, ctx.rules_now(), &ctx.config.rules);
    let acks = super::daily::holding(ctx, &mut store, &a)?;
    let action = action_for(ctx, &a);
    let mut o = anstream::stdout().lock();
    let written = if args.json {
        let mut v = super::daily::document(ctx, &a, &acks, &action)?;
        if ctx.synthetic {
            v["synthetic"] = json!(true);
        }
        cls::render::round_for_people(&mut v);
        serde_json::to_writer_pretty(&mut o, &v)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(o))
    } else {
        write_assessment(&mut o, &a, &action, &ctx.config.rules, &acks).and_then(|()| {
            if ctx.synthetic {
                writeln!(o, "note: {}", cls::demo::SYNTHETIC_NOTE)
            } else if ctx.db.exists() {
                Ok(())
            } else {
                // A mistyped --db must not look like a diary that is merely empty.
                writeln!(
                    o,
                    "note: there is no diary at {} yet; 'cls log' creates it ('cls paths' shows where cls looks)",
                    ctx.db.display()
                )
            }
        })
    };
    match written {
        // A reader that stops early must not turn an alarm into exit 0.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        r => r?,
    }
    drop(o);
    // After the output: a hook never delays what the patient reads.
    super::daily::run_hooks(ctx, &mut store, &a, &acks);
    Ok(a.level.exit_code())
}

/// "07:30, Wed 25 Nov (the last 24 hours)" or "end of Tue 24 Nov".
fn as_of(a: &Assessment) -> String {
    let day = a.date.format("%a %-d %b");
    match &a.as_of {
        Some(t) => {
            let hm = t.get(11..16).unwrap_or(t);
            format!("{hm}, {day} (the last 24 hours)")
        }
        None => format!("end of {day}"),
    }
}

/// What a skipped rule needed, in words.
fn needs(rule: &str) -> &'static str {
    use rules::RuleId::*;
    match rules::RuleId::from_code(rule) {
        Some(W1 | W2 | P1 | W3 | D1) => "weight",
        Some(W4) => "weights of 1 to 5 weeks ago",
        Some(L1 | L2) => "blood pressure",
        Some(L3) => "standing blood pressure",
        Some(L4) => "pulse with a blood pressure",
        Some(L5) => "pulse",
        Some(L6 | L9 | L10 | P2) => "symptoms",
        Some(L7) => "urine",
        Some(L8) => "swelling, dizziness, blood pressure or urine",
        Some(H1) => "hemoglobin or hematocrit",
        Some(H2) => "albumin",
        Some(R1) => "weight and symptoms after an attack",
        Some(M1) => "medication doses",
        Some(D2 | D3 | P3) | None => "other data",
    }
}

/// The full text form of one day's assessment: the level and the moment,
/// what to do, the findings (wrapped with a hanging indent on a terminal),
/// then what could not be checked and what is switched off.
fn write_assessment(
    o: &mut impl Write,
    a: &Assessment,
    action: &str,
    cfg: &cls::rules::RulesConfig,
    acks: &cls::ack::Holding,
) -> std::io::Result<()> {
    use cls::render::wrap;
    let width = out::wrap_width();
    let disabled = cfg.disabled();
    let off_emergency: Vec<&str> = disabled
        .iter()
        .filter(|d| d.can_emergency)
        .map(|d| d.rule.as_str())
        .collect();
    let headline = match a.level {
        // An ok must not hide that rules able to raise an emergency are off.
        Level::Ok if !off_emergency.is_empty() => format!(
            "no warning signs from the rules that are on; {} switched off in your config",
            off_emergency.join(", ")
        ),
        Level::Ok => "no warning signs".to_string(),
        Level::Unknown if a.findings.iter().all(|f| f.level == Level::Unknown) => {
            "not enough recent data to say ok".to_string()
        }
        _ => {
            let n = a
                .findings
                .iter()
                .filter(|f| f.level > Level::Unknown)
                .count();
            format!("{n} finding{}", if n == 1 { "" } else { "s" })
        }
    };
    let word = a.level.as_str();
    let head = format!("{word} — {}: {headline}", as_of(a));
    let head = wrap(&head, 0, 2, width);
    writeln!(
        o,
        "{}{}",
        out::level_word(a.level),
        head.strip_prefix(word).unwrap_or(&head)
    )?;
    // Wrapped as plain text, then styled: escapes have no width.
    let b = out::bold();
    let todo = wrap(&format!("What to do: {action}"), 0, 2, width);
    writeln!(
        o,
        "{b}What to do:{b:#}{}",
        todo.strip_prefix("What to do:").unwrap_or(&todo)
    )?;
    let mut findings: Vec<_> = a.findings.iter().collect();
    findings.sort_by_key(|f| std::cmp::Reverse(f.level));
    for f in findings {
        let s = out::level_style(f.level);
        // Custom rules bring their names and messages from the config.
        let acked = acks
            .covers(&f.rule, f.level)
            .map(|ack| {
                let note = ack
                    .note
                    .as_deref()
                    .map(|n| format!(": {n}"))
                    .unwrap_or_default();
                format!(" (acknowledged {}{note})", ack.at.format("%H:%M"))
            })
            .unwrap_or_default();
        let text = cls::render::sanitize(&format!("{} [{} {}]{acked}", f.message, f.rule, f.name));
        writeln!(
            o,
            "  {s}{:<9}{s:#} {}",
            f.level.as_str(),
            wrap(&text, 12, 12, width)
        )?;
    }
    for n in &a.notes {
        writeln!(
            o,
            "  note: {}",
            wrap(&cls::render::sanitize(n), 8, 8, width)
        )?;
    }
    if !a.skipped.is_empty() {
        let d = out::dim();
        let mut what: Vec<&str> = Vec::new();
        for s in &a.skipped {
            let w = needs(&s.rule);
            if !what.contains(&w) {
                what.push(w);
            }
        }
        let text = format!(
            "not checked, nothing recent logged: {} (cls check --json gives each reason)",
            what.join("; ")
        );
        writeln!(o, "  {d}{}{d:#}", wrap(&text, 2, 4, width))?;
    }
    if !disabled.is_empty() {
        let names: Vec<String> = disabled
            .iter()
            .map(|d| format!("{} {}", d.rule, d.name))
            .collect();
        let text = cls::render::sanitize(&format!(
            "switched off in your config: {}",
            names.join(", ")
        ));
        writeln!(o, "  {}", wrap(&text, 2, 4, width))?;
    }
    Ok(())
}

/// The range for --history and --backtest.
fn range(
    ctx: &Ctx,
    args: &CheckArgs,
    default_days: Option<i64>,
) -> Result<(Option<chrono::NaiveDate>, chrono::NaiveDate)> {
    ctx.range(
        args.from.as_deref(),
        args.to.as_deref(),
        args.last.as_deref(),
        default_days,
    )
}

fn history(ctx: &Ctx, args: &CheckArgs) -> Result<u8> {
    let (from, to) = range(ctx, args, Some(30))?;
    let from = from.expect("history has a default range");
    ctx.judged_date("--to", Some(&to.to_string()))?;
    let store = ctx.open_read()?;
    let ctx = &*ctx.for_diary(&store)?;
    let input = load_for_rules(&store, &ctx.config, Judged::Days { from, to })?;
    // Start at the diary's first entry: the days before it are not
    // "unknown" days of this patient, they are before the diary. (Everything
    // from well before `from` is loaded, so the first loaded entry is the
    // diary's first when it lies after `from`.)
    let start = cfg_day(ctx, input.entries.first());
    let from = match start {
        Some(first) if first > from => first,
        _ => from,
    };
    if start.is_none_or(|first| first > to) {
        let mut o = anstream::stdout().lock();
        if args.json {
            serde_json::to_writer_pretty(&mut o, &json!({"from": from, "to": to, "days": []}))?;
            writeln!(o)?;
        } else {
            writeln!(o, "no entries up to {to}: nothing to show")?;
        }
        return Ok(0);
    }
    // Each day as of its end; today as of now, as plain `cls check` says.
    let days = rules::history_at(
        &input.diary(),
        from,
        to,
        Some(ctx.rules_now()),
        &ctx.config.rules,
    );
    let mut o = anstream::stdout().lock();
    if args.json {
        let mut v = json!({"from": from, "to": to, "days": days});
        if ctx.synthetic {
            v["synthetic"] = json!(true);
        }
        cls::render::round_for_people(&mut v);
        serde_json::to_writer_pretty(&mut o, &v)?;
        writeln!(o)?;
        return Ok(0);
    }
    if ctx.synthetic {
        writeln!(o, "{}", cls::demo::SYNTHETIC_NOTE)?;
    }
    // One line a day: the level, the most serious finding and the rules
    // that fired at the end, wrapped under the message on a terminal.
    let width = out::wrap_width();
    for a in &days {
        let s = out::level_style(a.level);
        let mut rules: Vec<&str> = a
            .findings
            .iter()
            .filter(|f| f.level > Level::Unknown || a.level == Level::Unknown)
            .map(|f| f.rule.as_str())
            .collect();
        rules.dedup();
        let top = a
            .findings
            .iter()
            .max_by_key(|f| f.level)
            .map(|f| f.message.as_str())
            .unwrap_or_default();
        let text = match (top.is_empty(), rules.is_empty()) {
            (true, _) => String::new(),
            (false, true) => cls::render::sanitize(top),
            (false, false) => cls::render::sanitize(&format!("{top} [{}]", rules.join(","))),
        };
        let line = format!("{}  {:<9}  {text}", a.date, a.level.as_str());
        // Wrapped as plain text, then the level word styled.
        let line = cls::render::wrap(line.trim_end(), 0, HISTORY_INDENT, width);
        let rest = &line[12 + a.level.as_str().len()..];
        writeln!(o, "{}  {s}{}{s:#}{rest}", a.date, a.level.as_str())?;
    }
    let mut counts = Vec::new();
    for l in Level::ALL {
        let n = days.iter().filter(|a| a.level == l).count();
        if n > 0 {
            counts.push(format!("{n} {l}"));
        }
    }
    writeln!(
        o,
        "{}: {}",
        count(days.len(), "day", "days"),
        counts.join(", ")
    )?;
    Ok(0)
}

/// Where a wrapped line of `check --history` continues: under the message,
/// after "2026-05-09  warning    ".
const HISTORY_INDENT: usize = 23;

/// The logical day of an entry.
fn cfg_day(ctx: &Ctx, e: Option<&cls::model::Entry>) -> Option<chrono::NaiveDate> {
    e.map(|e| e.day(ctx.config.rules.day_start))
}

fn backtest(ctx: &Ctx, args: &CheckArgs) -> Result<u8> {
    let (from, to) = range(ctx, args, None)?;
    let store = ctx.open_read()?;
    let ctx = &*ctx.for_diary(&store)?;
    let to = Some(to);
    let input = load_for_rules(&store, &ctx.config, Judged::Span { from, to })?;
    let b = rules::backtest(&input.diary(), &ctx.config.rules);
    let mut o = anstream::stdout().lock();
    if args.json {
        let mut v = serde_json::to_value(&b)?;
        v["synthetic"] = json!(ctx.synthetic);
        serde_json::to_writer_pretty(&mut o, &v)?;
        writeln!(o)?;
        return Ok(0);
    }
    match (b.from, b.to) {
        (Some(f), Some(t)) => {
            writeln!(
                o,
                "backtest over {f} to {t} ({})",
                count(b.days, "day", "days")
            )?;
            if ctx.synthetic {
                writeln!(o, "{}", cls::demo::SYNTHETIC_NOTE)?;
            }
        }
        _ => {
            writeln!(o, "backtest: the diary has no entries in that range")?;
            return Ok(0);
        }
    }
    if b.episodes.is_empty() {
        writeln!(
            o,
            "no recorded episodes (record one with 'cls episode start')"
        )?;
    }
    for e in &b.episodes {
        let lead = |d: Option<i64>| d.map_or_else(|| "none".to_string(), |d| format!("{d} d"));
        writeln!(
            o,
            "episode {} starting {}: first alert {}, lead time watch {}, warning {}",
            e.episode_id,
            e.start,
            e.first_alert
                .map_or_else(|| "none".to_string(), |d| d.to_string()),
            lead(e.lead_days_watch),
            lead(e.lead_days_warning),
        )?;
    }
    if !b.episodes.is_empty() {
        writeln!(
            o,
            "episodes with at least one day of warning before they started: {} of {}",
            b.episodes_with_warning_lead,
            b.episodes.len()
        )?;
    }
    let fa = &b.false_alarms;
    writeln!(
        o,
        "false alarms (days outside {} days before to {} days after each episode): \
         watch {} ({:.1} a year), warning {} ({:.1} a year), emergency {} ({:.1} a year)",
        rules::FALSE_ALARM_BEFORE,
        rules::FALSE_ALARM_AFTER,
        fa.watch_days,
        fa.watch_per_year,
        fa.warning_days,
        fa.warning_per_year,
        fa.emergency_days,
        fa.emergency_per_year
    )?;
    Ok(0)
}
