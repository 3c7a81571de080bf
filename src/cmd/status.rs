//! `cls status`: today's level in one line, and `--prompt`, a short token
//! for a shell prompt (PS1, starship). The prompt runs before every shell
//! command, so it reads the diary and never writes it, prints nothing on
//! stderr, and on any error prints `cls:?` and exits 1 instead of a
//! message.

use std::io::Write;

use anyhow::Result;
use cls::ack::Holding;
use cls::rules::Assessment;
use cls::store::DayLogged;
use cls::{Config, Level};

use super::out;
use super::{Ctx, Given};
use crate::cli::StatusArgs;

/// `cls status`: the status line of `cls log`, with check's exit status.
pub fn status(ctx: &Ctx, _args: &StatusArgs) -> Result<u8> {
    let store = ctx.open_read()?;
    let a = super::daily::judge_today(ctx, &store)?;
    let mut o = anstream::stdout().lock();
    writeln!(o, "{}", out::status_line(&a))?;
    Ok(a.level.exit_code())
}

/// `cls status --prompt`: the token and exit 0, or `cls:?` and exit 1.
pub fn prompt(given: &Given, args: &StatusArgs) -> u8 {
    let (text, code) = match token(given, args) {
        Ok(t) => (t, 0),
        Err(_) => ("cls:?".to_string(), 1),
    };
    let mut o = std::io::stdout().lock();
    if !text.is_empty() {
        // A closed pipe is no reason to say anything.
        let _ = writeln!(o, "{text}");
    }
    code
}

fn token(given: &Given, args: &StatusArgs) -> Result<String> {
    let (db, config_path, explicit) = super::resolve_paths(given)?;
    let now = super::now()?;
    // As load_config, without its note on stderr.
    let config = match Config::load_as_of(&config_path, Some(now.date_naive()))? {
        Some(c) => c,
        None if explicit => anyhow::bail!("no config"),
        None => Config::default(),
    };
    let ctx = Ctx {
        db,
        config_path,
        config,
        now,
        config_error: None,
        synthetic: false,
    };
    let store = ctx.open_read()?;
    let a = super::daily::judge_today(&ctx, &store)?;
    let today = ctx.today();
    // Read only: a lapse is recorded by the next check, log or ack. With
    // no finding no ack matters (as in check).
    let acks = if a.findings.is_empty() {
        Holding::default()
    } else {
        cls::ack::holding(&store.acks(today)?, &a, today).0
    };
    let logged = store.day_logged(today, ctx.config.rules.day_start)?;
    let t = prompt_token(&a, &acks, logged);
    Ok(if args.quiet_ok && t == "cls:ok" {
        String::new()
    } else {
        t.to_string()
    })
}

/// The token for an assessment: the level first; below `watch`, whether
/// today still needs an entry with a weight.
fn prompt_token(a: &Assessment, acks: &Holding, logged: DayLogged) -> &'static str {
    let open = acks.unacknowledged_level(a);
    match a.level {
        Level::Emergency => "cls:EMERGENCY",
        Level::Warning if open < Level::Warning => "cls:warning(ack)",
        Level::Warning => "cls:WARNING",
        Level::Watch if open < Level::Watch => "cls:watch(ack)",
        Level::Watch => "cls:watch",
        _ if logged.weights == 0 => "cls:log!",
        Level::Unknown => "cls:unknown",
        Level::Ok => "cls:ok",
    }
}
