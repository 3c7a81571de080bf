//! `cls hooks test`: run every `[[hooks]]` entry once with a sample
//! document, showing its output, so the patient sees the notification or
//! gets the mail before it matters. Nothing is recorded in the diary.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Result;
use cls::rules::{Assessment, Finding};
use cls::Level;

use super::Ctx;
use crate::cli::HooksCommand;

pub fn run(ctx: &Ctx, c: HooksCommand) -> Result<u8> {
    let HooksCommand::Test { level } = c;
    let mut o = anstream::stdout().lock();
    if ctx.config.hooks.is_empty() {
        writeln!(
            o,
            "no [[hooks]] in {} (see 'cls hooks --help' for an example)",
            ctx.config_path.display()
        )?;
        return Ok(0);
    }
    let level = level.as_deref().and_then(cls::ack::parse_level);
    let mut failed = 0;
    for (i, hook) in ctx.config.hooks.iter().enumerate() {
        let level = level.unwrap_or(hook.on);
        let a = sample(ctx, level);
        let action = ctx.config.actions.for_level(level).to_string();
        let doc = super::daily::document(ctx, &a, &Default::default(), &action)?;
        let mut doc = serde_json::to_vec_pretty(&doc)?;
        doc.push(b'\n');
        let firing = cls::hooks::Firing {
            level,
            date: a.date,
            summary: a.findings[0].message.clone(),
            rules: "TEST".into(),
            document: &doc,
        };
        let name = cls::render::sanitize(&hook.run.join(" "));
        writeln!(o, "hook {} at {level}: {name}", i + 1)?;
        o.flush()?;
        match cls::hooks::run(hook, &firing, true).problem() {
            None => writeln!(o, "  ok")?,
            Some(p) => {
                failed += 1;
                writeln!(o, "  {p}")?;
            }
        }
    }
    Ok(u8::from(failed > 0))
}

/// A made-up assessment at `level`, marked as a test in every message.
fn sample(ctx: &Ctx, level: Level) -> Assessment {
    Assessment {
        date: ctx.today(),
        as_of: Some(
            ctx.now
                .naive_local()
                .format("%Y-%m-%dT%H:%M:%S")
                .to_string(),
        ),
        level,
        findings: vec![Finding {
            rule: "TEST".into(),
            name: "hooks_test".into(),
            level,
            message: "a test of your cls hooks (cls hooks test): nothing is wrong".into(),
            evidence: BTreeMap::new(),
        }],
        skipped: Vec::new(),
        notes: vec!["this document is a sample from 'cls hooks test'".into()],
        disabled: Vec::new(),
    }
}
