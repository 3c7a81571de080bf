//! The daily loop's shared pieces (issue 18), used by `check`, `log`,
//! `ack`, `status` and `remind`: today judged as of now, the
//! acknowledgements that hold for it, check's JSON document, and the hooks
//! run when today's level rises.

use std::io::Write;

use anyhow::Result;
use cls::ack::Holding;
use cls::diary::{load_for_rules, Judged};
use cls::rules::{self, Assessment};
use cls::{Level, Store};
use serde_json::{json, Value};

use super::out;
use super::Ctx;

/// The logical today, as of now (what `cls check` says).
pub fn judge_today(ctx: &Ctx, store: &Store) -> Result<Assessment> {
    let day = ctx.today();
    let input = load_for_rules(store, &ctx.config, Judged::day(day))?;
    Ok(rules::evaluate_at(
        &input.diary(),
        day,
        ctx.rules_now(),
        &ctx.config.rules,
    ))
}

/// The acknowledgements that hold for `a` (empty unless `a` is today's).
/// Those found to have lapsed are marked in the diary, so that a lapse is
/// for good even if the rule that ended it stops firing; when the diary
/// cannot be written (read-only) they still do not hold now.
pub fn holding(ctx: &Ctx, store: &mut Store, a: &Assessment) -> Result<Holding> {
    let today = ctx.today();
    // With no finding, no ack covers anything and none can lapse (a lapse
    // needs a rule firing at watch or above): nothing to read. That is a
    // quiet day, most days, and one statement less for every check.
    if a.date != today || a.findings.is_empty() {
        return Ok(Holding::default());
    }
    let acks = store.acks(today)?;
    let (holding, lapsed) = cls::ack::holding(&acks, a, today);
    if !lapsed.is_empty() && ctx.db.exists() {
        // Read-only: the lapse still holds now, and is recorded by the
        // next run that can write. Any other failure is said: the lapse
        // would otherwise be forgotten.
        if let Err(e) = store.lapse_acks(&lapsed, ctx.now.fixed_offset()) {
            if !e.is_read_only() {
                let _ = writeln!(
                    std::io::stderr(),
                    "cls: could not record a lapsed acknowledgement: {}",
                    super::one_line(&e.into())
                );
            }
        }
    }
    Ok(holding)
}

/// `cls check --json`'s document: the assessment, what to do, when, and
/// `"acknowledged": {"at", "note"}` on each acknowledged finding.
pub fn document(ctx: &Ctx, a: &Assessment, holding: &Holding, action: &str) -> Result<Value> {
    let mut v = serde_json::to_value(a)?;
    if let Some(findings) = v["findings"].as_array_mut() {
        for (f, json) in a.findings.iter().zip(findings.iter_mut()) {
            if let Some(ack) = holding.covers(&f.rule, f.level) {
                json["acknowledged"] = serde_json::to_value(cls::ack::Acknowledged::from(ack))?;
            }
        }
    }
    v["action"] = json!(action);
    v["generated_at"] = json!(ctx.now.to_rfc3339());
    Ok(v)
}

/// The most serious finding not acknowledged, in words, and how many more.
pub fn summary(a: &Assessment, holding: &Holding) -> String {
    let open: Vec<_> = a
        .findings
        .iter()
        .filter(|f| holding.covers(&f.rule, f.level).is_none())
        .collect();
    match open.iter().max_by_key(|f| f.level) {
        Some(f) if open.len() > 1 => format!("{} (+{} more)", f.message, open.len() - 1),
        Some(f) => f.message.clone(),
        None => format!("level {}", a.level),
    }
}

/// Run the config's hooks when today's level (acknowledged findings set
/// aside) has risen to a level not yet acted on today and at or above a
/// hook's `on`. Called after the entry is committed and the output written;
/// whatever a hook does is reported on stderr and never changes the exit
/// status.
pub fn run_hooks(ctx: &Ctx, store: &mut Store, a: &Assessment, holding: &Holding) {
    let hooks = &ctx.config.hooks;
    // Only today's level, and only in a diary that can remember the firing.
    if hooks.is_empty() || a.date != ctx.today() || !ctx.db.exists() {
        return;
    }
    let level = holding.unacknowledged_level(a);
    let due: Vec<(usize, &cls::hooks::Hook)> = hooks
        .iter()
        .enumerate()
        .filter(|(_, h)| level >= h.on)
        .collect();
    if due.is_empty() {
        return;
    }
    let mut err = std::io::stderr().lock();
    match store.raise_hooks_fired(a.date, level, ctx.now.fixed_offset()) {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            let _ = writeln!(
                err,
                "cls: hooks not run: {}",
                cls::render::sanitize(&e.to_string())
            );
            return;
        }
    }
    let action = out::action_for(ctx, a);
    let doc =
        match document(ctx, a, holding, &action).and_then(|v| Ok(serde_json::to_vec_pretty(&v)?)) {
            Ok(mut d) => {
                d.push(b'\n');
                d
            }
            Err(e) => {
                let _ = writeln!(err, "cls: hooks not run: {e}");
                return;
            }
        };
    let rules: Vec<&str> = a
        .findings
        .iter()
        .filter(|f| f.level >= Level::Watch && holding.covers(&f.rule, f.level).is_none())
        .map(|f| f.rule.as_str())
        .collect();
    let firing = cls::hooks::Firing {
        level,
        date: a.date,
        summary: summary(a, holding),
        rules: rules.join(","),
        document: &doc,
    };
    for (i, hook) in due {
        if let Some(problem) = cls::hooks::run(hook, &firing, false).problem() {
            let _ = writeln!(
                err,
                "cls: hook {} ({}) {problem}",
                i + 1,
                cls::render::sanitize(hook.run.first().map_or("", String::as_str))
            );
        }
    }
}
