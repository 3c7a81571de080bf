//! `cls report`: resolve the period and format, run the rules engine over
//! the period, summarise, render, and write to standard output or a private
//! file.

use std::path::Path;

use anyhow::Result;
use chrono::Duration;
use cls::diary::{load_for_rules, Judged};
use cls::report;
use cls::rules;

use super::out::{self, emit, scheduled, FILE_WIDTH};
use super::Ctx;
use crate::cli::{ReportArgs, ReportFormat};

/// The period when none is given.
const DEFAULT_DAYS: i64 = 90;

pub fn report(ctx: &Ctx, args: &ReportArgs) -> Result<u8> {
    let (from, to) = ctx.range(
        args.from.as_deref(),
        args.to.as_deref(),
        args.last.as_deref(),
        Some(DEFAULT_DAYS),
    )?;
    let from = from.expect("a report always has a start");
    let format = match (args.format, &args.output) {
        (Some(f), _) => f,
        (None, Some(p)) => format_from_extension(p).unwrap_or(ReportFormat::Text),
        (None, None) => ReportFormat::Text,
    };

    let target = ctx.check_output(args.output.as_deref())?;
    let store = ctx.open_to_show()?;
    // A demo diary: marked, and without the patient's details.
    let ctx = &*ctx.for_diary(&store)?;
    let lead_in = from - Duration::days(rules::LEAD_IN_DAYS);
    let cfg = &ctx.config;
    let input = load_for_rules(&store, cfg, Judged::Days { from: lead_in, to })?;
    let (entries, episodes, diary) = (&input.entries, &input.episodes, input.diary());
    // One pass of the engine: the period plus the lead-in before it, so the
    // lead time of an episode starting early in the period is complete. The
    // lead-in days are read only for their level.
    let mut history = rules::history_detail_from(&diary, lead_in, from, to, &cfg.rules);
    // Lead times only for the episodes this report shows.
    let shown: Vec<_> = episodes
        .iter()
        .filter(|e| e.start <= to && e.end.is_none_or(|end| end >= from))
        .cloned()
        .collect();
    let leads = rules::leads_from_history(&history, &shown);
    // How the rules did (docs/rules.md, "The backtest"), from the same
    // days: false alarms on the period, lead times with the lead-in.
    let rules_on_history = match history.first() {
        Some(first) if !shown.is_empty() => {
            let levels: Vec<_> = history.iter().map(|a| a.level).collect();
            Some(rules::backtest_score(
                first.date, &levels, from, &shown, episodes,
            ))
        }
        _ => None,
    };
    history.retain(|a| a.date >= from);
    // The weight baseline of every day: the rules' own B, never a private one.
    let baselines = rules::weight_baselines(&diary, from, to, &cfg.rules);
    let r = report::summarize(&report::Input {
        entries,
        episodes,
        history: &history,
        baselines: &baselines,
        day_start: cfg.rules.day_start,
        leads: &leads,
        scheduled: scheduled(&store, ctx, to)?,
        patient: &cfg.patient,
        synthetic: ctx.synthetic,
        rules_on_history,
        from,
        to,
        generated: ctx.now.fixed_offset(),
        version: env!("CARGO_PKG_VERSION"),
        unit: cfg.units.weight,
    });

    let width = match args.output {
        Some(_) => FILE_WIDTH,
        None => out::layout_width(),
    };
    let out = match format {
        ReportFormat::Text => report::text::render(&r, width),
        ReportFormat::Markdown => report::markdown::render(&r),
        ReportFormat::Html => report::html::render(&r),
        ReportFormat::Csv => report::csv::render(&r),
        ReportFormat::Json => {
            let mut v = serde_json::to_value(&r)?;
            cls::render::round_for_people(&mut v);
            // The period's entries in their one JSON shape, exactly as
            // stored (added after rounding: they are data, not a summary).
            let ds = cfg.rules.day_start;
            let period: Vec<_> = entries
                .iter()
                .filter(|e| (from..=to).contains(&e.day(ds)))
                .map(cls::transfer::json::to_json)
                .collect();
            v["entries"] = serde_json::to_value(period)?;
            serde_json::to_string_pretty(&v)? + "\n"
        }
    };
    emit(&out, args.output.as_deref(), target.as_ref(), "report")?;
    // The process ends here; freeing the entries, the history and the
    // report piece by piece would cost about a twentieth of the command.
    // (The diary itself is closed properly: `store` drops as usual.)
    std::mem::forget((input, history, r, out));
    Ok(0)
}

fn format_from_extension(p: &Path) -> Option<ReportFormat> {
    let ext = p.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "md" | "markdown" => ReportFormat::Markdown,
        "html" | "htm" => ReportFormat::Html,
        "csv" => ReportFormat::Csv,
        "json" => ReportFormat::Json,
        "txt" => ReportFormat::Text,
        _ => return None,
    })
}
