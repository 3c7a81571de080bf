//! `cls rules tune`: replay the patient's own history under other weight
//! thresholds ([`cls::rules::tune`]), show the candidates on the Pareto
//! front against the current config, and, with `--write`, put one row's
//! thresholds into the config file, changing only those keys.

use std::io::Write;

use anyhow::{bail, Context as _, Result};
use cls::diary::{load_for_rules, Judged};
use cls::render::count;
use cls::rules::tune::{self, Scored, Thresholds};
use comfy_table::{presets, Cell, CellAlignment, ContentArrangement, Table};
use serde_json::json;

use super::out;
use super::{confirm, usage, Ctx};
use crate::cli::TuneArgs;

pub fn tune(ctx: &Ctx, args: &TuneArgs) -> Result<u8> {
    let store = ctx.open_read()?;
    let ctx = &*ctx.for_diary(&store)?;
    let whole = Judged::Span {
        from: None,
        to: None,
    };
    let input = load_for_rules(&store, &ctx.config, whole)?;
    if input.episodes.is_empty() {
        bail!(
            "rules tune needs recorded episodes to measure the rules against, and the diary has none \
             (record one with 'cls episode start --date D')"
        );
    }
    let diary = input.diary();
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let Some(t) = tune::tune(&diary, &ctx.config.rules, threads) else {
        bail!("rules tune: the diary has no entries");
    };
    let alarms = |s: &Scored| s.watch_per_year + s.warning_per_year;
    let rows: Vec<&Scored> = t
        .front
        .iter()
        .filter(|s| s.thresholds != t.current.thresholds)
        .filter(|s| args.max_false_alarms.is_none_or(|n| alarms(s) <= n))
        .collect();

    let mut o = anstream::stdout().lock();
    if args.json {
        let v = json!({
            "from": t.from,
            "to": t.to,
            "episodes": t.episodes,
            "candidates_tried": t.candidates_tried,
            "current": t.current,
            "front": rows,
            "synthetic": ctx.synthetic,
        });
        serde_json::to_writer_pretty(&mut o, &v)?;
        writeln!(o)?;
        return Ok(0);
    }
    writeln!(
        o,
        "rules tune over {} to {} ({}, {}); {} candidates inside the tuning limits",
        t.from,
        t.to,
        count(((t.to - t.from).num_days() + 1) as usize, "day", "days"),
        count(t.episodes, "episode", "episodes"),
        t.candidates_tried
    )?;
    if ctx.synthetic {
        writeln!(o, "{}", cls::demo::SYNTHETIC_NOTE)?;
    }
    writeln!(o, "{}", table(&t.current, &rows, t.episodes))?;
    if rows.is_empty() {
        match args.max_false_alarms {
            Some(n) => writeln!(
                o,
                "no candidate has at most {n} false-alarm days a year; try a higher --max-false-alarms"
            )?,
            None => writeln!(o, "no candidate does better than the current thresholds on any count")?,
        }
    }
    writeln!(
        o,
        "kg/% = the threshold is the larger of the two. Rows: no other candidate catches more episodes, \
         warns earlier and alarms less all at once. caught = episodes with at least a day of warning \
         before them; lead = days of warning lead, summed; watch/y, warning+/y = false-alarm days a year."
    )?;
    let Some(n) = args.write else {
        if !rows.is_empty() {
            writeln!(
                o,
                "to use a row: discuss it with your SCLS team, then 'cls rules tune --write N'"
            )?;
        }
        return Ok(0);
    };
    let Some(row) = n.checked_sub(1).and_then(|i| rows.get(i)) else {
        return Err(usage(format!(
            "--write: there is no row {n} (the table has {})",
            count(rows.len(), "row", "rows")
        )));
    };
    drop(o);
    write(ctx, &row.thresholds, args.yes)
}

fn kg_pct(kg: f64, pct: f64) -> String {
    format!("{kg}/{pct}%")
}

fn table(now: &Scored, rows: &[&Scored], episodes: usize) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_HORIZONTAL_ONLY);
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_width(out::layout_width());
    t.set_header(vec![
        "row",
        "W1 gain",
        "W3 jump",
        "P3 cold",
        "W4 sustained",
        cls::rules::RuleId::P2.code(),
        "caught",
        "lead",
        "watch/y",
        "warning+/y",
    ]);
    let line = |label: String, s: &Scored| {
        let th = &s.thresholds;
        let right = |x: String| Cell::new(x).set_alignment(CellAlignment::Right);
        vec![
            Cell::new(label),
            Cell::new(kg_pct(th.w1_kg, th.w1_pct)),
            Cell::new(kg_pct(th.w3_kg, th.w3_pct)),
            Cell::new(kg_pct(th.p3_kg, th.p3_pct)),
            Cell::new(kg_pct(th.w4_kg, th.w4_pct)),
            right(th.p2_count.to_string()),
            right(format!("{}/{episodes}", s.caught)),
            right(format!("{} d", s.warning_lead_days)),
            right(format!("{:.1}", s.watch_per_year)),
            right(format!("{:.1}", s.warning_per_year)),
        ]
    };
    t.add_row(line("now".into(), now));
    for (i, s) in rows.iter().enumerate() {
        t.add_row(line((i + 1).to_string(), s));
    }
    t
}

/// Put `th` into the config file: only the keys that change, shown as a
/// diff first and asked about (unless `yes`).
fn write(ctx: &Ctx, th: &Thresholds, yes: bool) -> Result<u8> {
    let path = &ctx.config_path;
    let target = cls::outfile::check(path, &ctx.db).map_err(|e| usage(format!("config {e}")))?;
    let old = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("cannot read config {}", path.display())),
    };
    let changes: Vec<_> = th
        .changes(&Thresholds::of(&ctx.config.rules))
        .into_iter()
        .map(|(k, _, v)| (k, v))
        .collect();
    let mut o = anstream::stdout().lock();
    if changes.is_empty() {
        writeln!(
            o,
            "the config already has these thresholds; nothing to write"
        )?;
        return Ok(0);
    }
    let new = tune::edit_config(&old, &changes)
        .map_err(|e| anyhow::anyhow!("config {}: {e}", path.display()))?;
    // The result must load exactly as the thresholds say.
    let loaded = cls::Config::from_toml(&new, path)?;
    if Thresholds::of(&loaded.rules) != *th {
        bail!(
            "config {}: the edited file would not give these thresholds; it was left unchanged",
            path.display()
        );
    }
    writeln!(o, "changes to {}:", path.display())?;
    for l in tune::diff_lines(&old, &new) {
        writeln!(o, "  {}", cls::render::sanitize(&l))?;
    }
    drop(o);
    if !yes {
        if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            return Err(usage(
                "not writing the config without confirmation: add --yes",
            ));
        }
        if !confirm("Write these thresholds into the config?")? {
            writeln!(std::io::stdout(), "left the config unchanged")?;
            return Ok(0);
        }
    }
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create folder {}", dir.display()))?;
    }
    target
        .write(new.as_bytes())
        .with_context(|| format!("cannot write config {}", path.display()))?;
    writeln!(
        std::io::stdout(),
        "wrote {} ({})",
        path.display(),
        count(changes.len(), "key", "keys")
    )?;
    Ok(0)
}
