//! `cls ack`: record that the patient has acted on today's `watch` or
//! `warning` findings (docs/cli.md), and `cls ack --list`. The level
//! and check's exit status never change; an emergency is refused.

use std::io::Write;

use anyhow::Result;
use cls::render::sanitize;
use cls::store::NewAck;
use cls::Level;

use super::{usage, Ctx};
use crate::cli::AckArgs;

pub fn ack(ctx: &Ctx, args: &AckArgs) -> Result<u8> {
    if args.list {
        return list(ctx);
    }
    let note = match &args.note {
        Some(n) => Some(cls::input::check_note("--note", n)?).filter(|n| !n.trim().is_empty()),
        None => None,
    };
    // Looking must not create a diary; with none, nothing can be firing.
    let mut store = if ctx.db.exists() {
        ctx.open_write()?
    } else {
        ctx.open_read()?
    };
    let a = super::daily::judge_today(ctx, &store)?;
    if a.level == Level::Emergency {
        let rules: Vec<&str> = a
            .findings
            .iter()
            .filter(|f| f.level == Level::Emergency)
            .map(|f| f.rule.as_str())
            .collect();
        return Err(usage(format!(
            "an emergency cannot be acknowledged ({}): {}",
            rules.join(", "),
            ctx.config.actions.for_level(Level::Emergency)
        )));
    }
    let firing: Vec<&cls::rules::Finding> = a
        .findings
        .iter()
        .filter(|f| matches!(f.level, Level::Watch | Level::Warning))
        .collect();
    let chosen: Vec<&cls::rules::Finding> = if args.rules.is_empty() {
        firing.clone()
    } else {
        let mut chosen = Vec::new();
        for name in &args.rules {
            let found = a
                .findings
                .iter()
                .find(|f| f.rule.eq_ignore_ascii_case(name.trim()));
            match found {
                Some(f) if matches!(f.level, Level::Watch | Level::Warning) => {
                    if !chosen
                        .iter()
                        .any(|c: &&cls::rules::Finding| c.rule == f.rule)
                    {
                        chosen.push(f);
                    }
                }
                Some(f) => {
                    return Err(usage(format!(
                        "{}: it is at {}; only watch and warning findings can be acknowledged",
                        sanitize(&f.rule),
                        f.level
                    )))
                }
                None => {
                    let now: Vec<&str> = firing.iter().map(|f| f.rule.as_str()).collect();
                    let now = if now.is_empty() {
                        "no watch or warning finding fires now".to_string()
                    } else {
                        format!("firing now: {}", now.join(", "))
                    };
                    return Err(usage(format!(
                        "{} is not firing now ({now})",
                        sanitize(name)
                    )));
                }
            }
        }
        chosen
    };
    let mut o = anstream::stdout().lock();
    if chosen.is_empty() {
        writeln!(
            o,
            "nothing to acknowledge: no watch or warning finding now (level {})",
            a.level
        )?;
        return Ok(0);
    }
    let seen = cls::ack::alerting(&a);
    let at = ctx.now.fixed_offset();
    let new: Vec<NewAck> = chosen
        .iter()
        .map(|f| NewAck {
            day: a.date,
            rule: f.rule.clone(),
            level: f.level,
            at,
            note: note.clone(),
            seen: seen.clone(),
        })
        .collect();
    store.add_acks(&new)?;
    let what: Vec<String> = chosen
        .iter()
        .map(|f| format!("{} ({})", f.rule, f.level))
        .collect();
    let note = note
        .as_deref()
        .map(|n| format!(": {n}"))
        .unwrap_or_default();
    writeln!(
        o,
        "{}",
        sanitize(&format!(
            "acknowledged {} at {}{note}",
            what.join(", "),
            ctx.now.format("%H:%M")
        ))
    )?;
    writeln!(
        o,
        "the level stays {}; this lapses at the end of the day ({} tomorrow) or as soon as a new rule or a higher level fires",
        a.level,
        ctx.config.rules.day_start
    )?;
    Ok(0)
}

/// Today's acknowledgements, lapsed ones marked.
fn list(ctx: &Ctx) -> Result<u8> {
    let mut store = ctx.open_read()?;
    let today = ctx.today();
    let a = super::daily::judge_today(ctx, &store)?;
    // Records lapses seen now, so the list says what check says.
    super::daily::holding(ctx, &mut store, &a)?;
    let (holding, lapsed_now) = cls::ack::holding(&store.acks(today)?, &a, today);
    let mut o = anstream::stdout().lock();
    let acks = store.acks(today)?;
    if acks.is_empty() {
        writeln!(o, "no acknowledgements today ({today})")?;
        return Ok(0);
    }
    for ack in &acks {
        let note = ack
            .note
            .as_deref()
            .map(|n| format!("  {n}"))
            .unwrap_or_default();
        let holds = holding.0.get(&ack.rule).is_some_and(|h| h.id == ack.id);
        let state = if holds {
            String::new()
        } else if let Some(t) = ack.lapsed {
            format!("  (lapsed {})", t.format("%H:%M"))
        } else if lapsed_now.contains(&ack.id) {
            "  (lapsed)".to_string()
        } else {
            "  (replaced by a later one)".to_string()
        };
        writeln!(
            o,
            "{}",
            sanitize(&format!(
                "{}  {:<4} {:<8}{note}{state}",
                ack.at.format("%H:%M"),
                ack.rule,
                ack.level.as_str()
            ))
        )?;
    }
    Ok(0)
}
