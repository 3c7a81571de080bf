//! `cls episode start|end|list|delete`: recorded attacks, read by the
//! recovery-window rule and by the backtest.

use cls::render::count;
use std::io::Write;

use anyhow::Result;
use cls::input;

use super::out;
use super::{confirm, usage, Ctx};
use crate::cli::EpisodeCommand;

pub fn run(ctx: &Ctx, c: EpisodeCommand) -> Result<u8> {
    match c {
        EpisodeCommand::Start {
            date,
            hospitalized,
            note,
        } => {
            let date = ctx.date("--date", date.as_deref())?;
            if date > ctx.today() {
                return Err(usage(format!("--date: {date} is in the future")));
            }
            let note = note.map(|n| input::check_note("--note", &n)).transpose()?;
            let mut store = ctx.open_write()?;
            if let Some(open) = store
                .episodes()?
                .into_iter()
                .rev()
                .find(|e| e.end.is_none())
            {
                return Err(usage(format!(
                    "episode {} (started {}) is still open; end it first with 'cls episode end'",
                    open.id, open.start
                )));
            }
            if let Some(e) = store
                .episodes()?
                .into_iter()
                .find(|e| e.start <= date && e.end.is_some_and(|end| date < end))
            {
                return Err(usage(format!(
                    "--date: {date} falls inside episode {} ({} to {})",
                    e.id,
                    e.start,
                    e.end.map(|d| d.to_string()).unwrap_or_default()
                )));
            }
            let id = store.start_episode(date, hospitalized, note.as_deref())?;
            writeln!(
                std::io::stdout(),
                "started episode {id} on {date}{}; the 14 days after it are watched for fluid overload",
                if hospitalized { " (hospitalized)" } else { "" }
            )?;
            Ok(0)
        }
        EpisodeCommand::End { date, id } => {
            let date = ctx.date("--date", date.as_deref())?;
            // Like the start: an episode cannot be known to end in the
            // future, and a future end would hide that it is still open.
            if date > ctx.today() {
                return Err(usage(format!("--date: {date} is in the future")));
            }
            let mut store = ctx.open_modify()?;
            let eps = store.episodes()?;
            let ep = match id {
                Some(id) => eps
                    .into_iter()
                    .find(|e| e.id == id)
                    .ok_or(cls::store::StoreError::NoEpisode(id))?,
                None => eps
                    .into_iter()
                    .rev()
                    .find(|e| e.end.is_none())
                    .ok_or_else(|| usage("no open episode to end (see 'cls episode list')"))?,
            };
            if date < ep.start {
                return Err(usage(format!(
                    "--date: {date} is before episode {}'s start {}",
                    ep.id, ep.start
                )));
            }
            store.end_episode(ep.id, date)?;
            let days = (date - ep.start).num_days() + 1;
            writeln!(
                std::io::stdout(),
                "ended episode {} ({} to {date}, {})",
                ep.id,
                ep.start,
                count(days, "day", "days")
            )?;
            Ok(0)
        }
        EpisodeCommand::List { json } => {
            let store = ctx.open_read()?;
            let eps = store.episodes()?;
            let mut o = std::io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut o, &eps)?;
                writeln!(o)?;
                return Ok(0);
            }
            if eps.is_empty() {
                writeln!(o, "no episodes recorded")?;
                return Ok(0);
            }
            for e in &eps {
                let end = e
                    .end
                    .map_or_else(|| "ongoing".to_string(), |d| d.to_string());
                let days = (e.end.unwrap_or(ctx.today()) - e.start).num_days() + 1;
                let line = format!(
                    "{:>4}  {} to {end}  {}{}{}",
                    e.id,
                    e.start,
                    count(days, "day", "days"),
                    if e.hospitalized { ", hospitalized" } else { "" },
                    e.note
                        .as_deref()
                        .map(|n| format!("  {}", cls::render::sanitize(n)))
                        .unwrap_or_default()
                );
                // The note wraps under the dates on a terminal.
                writeln!(o, "{}", cls::render::wrap(&line, 0, 6, out::wrap_width()))?;
            }
            Ok(0)
        }
        EpisodeCommand::Delete { id, yes } => {
            let mut store = ctx.open_modify()?;
            // An episode with an impossible date is not listed, but can go.
            let unreadable = || {
                cls::store::unreadable_rows()
                    .iter()
                    .any(|u| u.table == "episode" && u.id == id)
            };
            if !store.episodes()?.iter().any(|e| e.id == id) && !unreadable() {
                return Err(cls::store::StoreError::NoEpisode(id).into());
            }
            if !yes {
                if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                    return Err(usage(format!(
                        "not deleting episode {id} without confirmation: add --yes"
                    )));
                }
                if !confirm(&format!("Delete episode {id}?"))? {
                    writeln!(std::io::stderr(), "cls: not deleted")?;
                    return Ok(1);
                }
            }
            store.delete_episode(id)?;
            writeln!(std::io::stdout(), "deleted episode {id}")?;
            Ok(0)
        }
    }
}
