//! `cls rules`: every rule with its current thresholds, what the config
//! changed from the defaults, and what is disabled.

use std::io::Write;

use anyhow::Result;
use comfy_table::{presets, ContentArrangement, Table};

use super::Ctx;
use crate::cli::RulesArgs;

pub fn rules(ctx: &Ctx, args: &RulesArgs) -> Result<u8> {
    if let Some(crate::cli::RulesCommand::Tune(a)) = &args.command {
        return super::tune::tune(ctx, a);
    }
    let infos = cls::rules::describe(&ctx.config.rules);
    let mut o = anstream::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut o, &infos)?;
        writeln!(o)?;
        return Ok(0);
    }
    let mut t = Table::new();
    t.load_style(presets::UTF8_HORIZONTAL_ONLY);
    // The descriptions are long: wrap them even when not on a terminal.
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_width(super::entries::table_width().unwrap_or(120));
    t.set_header(vec!["rule", "level", "fires when", "inputs", "your config"]);
    for r in infos.iter().filter(|r| r.enabled) {
        // Custom rules bring their names and text from the config.
        let clean = cls::render::sanitize;
        t.add_row(vec![
            clean(&format!("{} {}", r.rule, r.name)),
            clean(&r.level),
            clean(&r.fires_when),
            clean(&r.inputs),
            if r.changed.is_empty() {
                "default".to_string()
            } else {
                r.changed
                    .iter()
                    .map(|c| clean(c))
                    .collect::<Vec<_>>()
                    .join("\n")
            },
        ]);
    }
    writeln!(o, "{t}")?;
    let disabled: Vec<String> = infos
        .iter()
        .filter(|r| !r.enabled)
        .map(|r| cls::render::sanitize(&format!("{} {}", r.rule, r.name)))
        .collect();
    if disabled.is_empty() {
        writeln!(o, "disabled: none")?;
    } else {
        writeln!(o, "disabled in your config: {}", disabled.join(", "))?;
    }
    let start = ctx.config.rules.day_start;
    if start.is_off() {
        writeln!(
            o,
            "days start at midnight ([diary] day_starts_at = \"00:00\")"
        )?;
    } else {
        writeln!(
            o,
            "days start at {start}: an entry before {start} counts for the day before ([diary] day_starts_at)"
        )?;
    }
    writeln!(
        o,
        "config: {} (change thresholds under [rules]; 'cls config init' writes a commented example)",
        ctx.config_path.display()
    )?;
    Ok(0)
}
