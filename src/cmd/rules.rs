//! `cls rules`: every rule with its current thresholds, what the config
//! changed from the defaults, and what is disabled.

use std::io::Write;

use anyhow::Result;
use cls::render::{sanitize, wrap};
use cls::rules::RuleInfo;
use comfy_table::{presets, ContentArrangement, Table};

use super::out;
use super::Ctx;
use crate::cli::RulesArgs;

pub fn rules(ctx: &Ctx, args: &RulesArgs) -> Result<u8> {
    let infos = cls::rules::describe(&ctx.config.rules);
    let mut o = anstream::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut o, &infos)?;
        writeln!(o)?;
        return Ok(0);
    }
    let width = out::layout_width();
    let enabled: Vec<&RuleInfo> = infos.iter().filter(|r| r.enabled).collect();
    if width >= TABLE_WIDTH {
        writeln!(o, "{}", table(&enabled, width))?;
    } else {
        write!(o, "{}", list(&enabled, usize::from(width)))?;
    }
    let disabled: Vec<String> = infos
        .iter()
        .filter(|r| !r.enabled)
        .map(|r| sanitize(&format!("{} {}", r.rule, r.name)))
        .collect();
    writeln!(o)?;
    let mut tail = vec![if disabled.is_empty() {
        "disabled: none".to_string()
    } else {
        format!("disabled in your config: {}", disabled.join(", "))
    }];
    let start = ctx.config.rules.day_start;
    tail.push(if start.is_off() {
        "days start at midnight ([diary] day_starts_at = \"00:00\")".to_string()
    } else {
        format!(
            "days start at {start}: an entry before {start} counts for the day before ([diary] day_starts_at)"
        )
    });
    tail.push(format!(
        "config: {} (change thresholds under [rules]; 'cls config init' writes a commented example)",
        ctx.config_path.display()
    ));
    for line in tail {
        writeln!(o, "{}", wrap(&line, 0, 2, Some(usize::from(width))))?;
    }
    Ok(0)
}

/// From this width on, the rules are a table; narrower, a list, so that
/// "fires when" is not squeezed into a column of one or two words a line.
const TABLE_WIDTH: u16 = 140;

/// One block per rule: its id, name, level and whether the config changed
/// it on the first line, then "fires when" and "inputs" wrapped to `width`
/// with a hanging indent.
fn list(rules: &[&RuleInfo], width: usize) -> String {
    let mut o = String::new();
    for (k, r) in rules.iter().enumerate() {
        if k > 0 {
            o.push('\n');
        }
        // Custom rules bring their names and text from the config.
        let config = if r.changed.is_empty() {
            "default".to_string()
        } else {
            format!("changed: {}", r.changed.join(", "))
        };
        let head = sanitize(&format!("{} {} · {} · {config}", r.rule, r.name, r.level));
        o.push_str(&wrap(&head, 0, 4, Some(width)));
        o.push('\n');
        for (label, text) in [("fires when", &r.fires_when), ("inputs", &r.inputs)] {
            let line = format!("  {label}: {}", sanitize(text));
            o.push_str(&wrap(&line, 0, 4, Some(width)));
            o.push('\n');
        }
    }
    o
}

/// A table with a row per rule, for a wide terminal.
fn table(rules: &[&RuleInfo], width: u16) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_HORIZONTAL_ONLY);
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_width(width);
    t.set_header(vec!["rule", "level", "fires when", "inputs", "your config"]);
    for r in rules {
        t.add_row(vec![
            sanitize(&format!("{} {}", r.rule, r.name)),
            sanitize(&r.level),
            sanitize(&r.fires_when),
            sanitize(&r.inputs),
            if r.changed.is_empty() {
                "default".to_string()
            } else {
                r.changed
                    .iter()
                    .map(|c| sanitize(c))
                    .collect::<Vec<_>>()
                    .join("\n")
            },
        ]);
    }
    t
}
