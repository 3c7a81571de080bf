//! `cls remind`: one line and exit 10 until the logical today has an entry
//! with a weight, silent and 0 once it has; `--notify` also shows it through
//! `notify-send` when that exists (no daemon of our own). `cls remind
//! install` writes a systemd user timer and service and says how to enable
//! them (it never enables anything itself); `--cron` prints a crontab line
//! instead; `cls remind uninstall` removes what install wrote.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context as _, Result};
use cls::Level;

use super::{Ctx, Given};
use crate::cli::{RemindAction, RemindArgs};

/// The first line of every file `cls remind install` writes: uninstall
/// removes only files that have it, and install replaces only those.
const MARKER: &str = "# Written by `cls remind install`; `cls remind uninstall` removes it.";

const SERVICE: &str = "cls-remind.service";
const TIMER: &str = "cls-remind.timer";

/// `given`: `--db` and `--config` as the patient gave them (flag or
/// environment variable), for the reminder to read the same diary.
pub fn remind(ctx: &Ctx, given: &Given, args: &RemindArgs) -> Result<u8> {
    match &args.action {
        None => reminder(ctx, args.notify),
        Some(RemindAction::Install { at, cron, force }) => install(given, at, *cron, *force),
        Some(RemindAction::Uninstall) => uninstall(),
    }
}

/// The line to show, or `None` when today already has a weight.
fn reminder_line(ctx: &Ctx) -> Result<Option<String>> {
    let store = ctx.open_read()?;
    let today = ctx.today();
    let logged = store.day_logged(today, ctx.config.rules.day_start)?;
    let day = today.format("%a %-d %b");
    Ok(if logged.entries == 0 {
        Some(format!(
            "nothing logged today ({day}) yet: weigh yourself, take your blood pressure and log it (cls log)"
        ))
    } else if logged.weights == 0 {
        Some(format!(
            "no weight logged today ({day}) yet: weigh yourself (after the toilet, before breakfast) and log it (cls log --weight ...)"
        ))
    } else {
        None
    })
}

fn reminder(ctx: &Ctx, notify: bool) -> Result<u8> {
    let Some(line) = reminder_line(ctx)? else {
        return Ok(0);
    };
    writeln!(anstream::stdout().lock(), "cls: {line}")?;
    if notify {
        // Through the hooks' runner: an argv, a timeout, output discarded.
        // Without notify-send (or a desktop to show it on) the line above
        // is the reminder.
        let hook = cls::hooks::Hook {
            on: Level::Unknown,
            run: ["notify-send", "--app-name=cls", "cls: log today", &line]
                .map(String::from)
                .to_vec(),
            timeout_s: 10,
        };
        let firing = cls::hooks::Firing {
            level: Level::Unknown,
            date: ctx.today(),
            summary: line.clone(),
            rules: String::new(),
            document: b"",
        };
        let _ = cls::hooks::run(&hook, &firing, false);
    }
    Ok(Level::Unknown.exit_code())
}

/// `~/.config/systemd/user` (or under `$XDG_CONFIG_HOME`).
fn unit_dir() -> Result<PathBuf> {
    if let Some(x) = std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from) {
        if x.is_absolute() {
            return Ok(x.join("systemd/user"));
        }
    }
    match std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        Some(h) => Ok(PathBuf::from(h).join(".config/systemd/user")),
        None => Err(anyhow!(
            "HOME is not set, so cls cannot find ~/.config/systemd/user; set HOME (or use --cron)"
        )),
    }
}

/// The command the timer or cron runs: this very binary, with the diary
/// and config the patient named.
fn command(given: &Given) -> Result<Vec<String>> {
    let exe = std::env::current_exe().context("cannot find the cls binary's own path")?;
    let mut argv = vec![exe.to_string_lossy().into_owned()];
    let absolute = |p: &Path| -> Result<String> {
        let p = std::path::absolute(p).with_context(|| format!("{}", p.display()))?;
        Ok(p.to_string_lossy().into_owned())
    };
    if let Some(db) = &given.db {
        argv.extend(["--db".to_string(), absolute(db)?]);
    }
    if let Some(c) = &given.config {
        argv.extend(["--config".to_string(), absolute(c)?]);
    }
    argv.extend(["remind".to_string(), "--notify".to_string()]);
    Ok(argv)
}

/// One argument for a systemd `ExecStart=` line: quoted when it has to be,
/// with `%` (specifiers) and `$` (variables) doubled.
fn systemd_quote(arg: &str) -> String {
    let escaped = arg.replace('%', "%%").replace('$', "$$");
    let plain = !escaped.is_empty()
        && escaped
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@".contains(c) || c == '%' || c == '$');
    if plain {
        return escaped;
    }
    let inner = escaped.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{inner}\"")
}

/// One argument for `sh` (cron): single-quoted, `%` escaped for crontab.
fn cron_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@".contains(c));
    let q = if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    };
    q.replace('%', "\\%")
}

fn install(given: &Given, at: &str, cron: bool, force: bool) -> Result<u8> {
    let time = cls::input::parse_time("--at", at)?;
    let argv = command(given)?;
    let mut o = anstream::stdout().lock();
    if cron {
        use chrono::Timelike;
        let line: Vec<String> = argv.iter().map(|a| cron_quote(a)).collect();
        writeln!(
            o,
            "{} {} * * * {}",
            time.minute(),
            time.hour(),
            line.join(" ")
        )?;
        return Ok(0);
    }
    let dir = unit_dir()?;
    let hm = time.format("%H:%M");
    let exec: Vec<String> = argv.iter().map(|a| systemd_quote(a)).collect();
    let service = format!(
        "{MARKER}
[Unit]
Description=cls: remind to log today's weight and blood pressure

[Service]
Type=oneshot
ExecStart={}
# cls remind exits 10 while today has no weight yet: that is the reminder
# working, not a failure.
SuccessExitStatus=10
",
        exec.join(" ")
    );
    let timer = format!(
        "{MARKER}
[Unit]
Description=cls: daily reminder at {hm} to log your diary

[Timer]
OnCalendar=*-*-* {hm}:00
# Catch up at the next start when the computer was off at {hm}.
Persistent=true
Unit={SERVICE}

[Install]
WantedBy=timers.target
"
    );
    let files = [(dir.join(SERVICE), service), (dir.join(TIMER), timer)];
    for (path, _) in &files {
        if !force && path.exists() && !ours(path) {
            return Err(anyhow!(
                "{} exists and was not written by cls; nothing was written (use --force to replace it)",
                path.display()
            ));
        }
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for (path, text) in &files {
        cls::fsutil::write_private(path, text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
        writeln!(o, "wrote {}", path.display())?;
    }
    writeln!(
        o,
        "nothing is enabled yet. To get the reminder every day at {hm}:
  systemctl --user daemon-reload
  systemctl --user enable --now {TIMER}
check it with 'systemctl --user list-timers {TIMER}'; turn it off with
'systemctl --user disable --now {TIMER}'"
    )?;
    Ok(0)
}

/// True when `path` is a file `cls remind install` wrote.
fn ours(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|t| t.starts_with(MARKER))
}

fn uninstall() -> Result<u8> {
    let dir = unit_dir()?;
    let enabled = dir.join("timers.target.wants").join(TIMER);
    if enabled.symlink_metadata().is_ok() {
        return Err(anyhow!(
            "{TIMER} is still enabled: run 'systemctl --user disable --now {TIMER}' first (nothing was removed)"
        ));
    }
    let mut o = anstream::stdout().lock();
    let mut removed = 0;
    for name in [TIMER, SERVICE] {
        let path = dir.join(name);
        if !path.exists() {
            continue;
        }
        if !ours(&path) {
            writeln!(o, "kept {}: cls did not write it", path.display())?;
            continue;
        }
        std::fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
        writeln!(o, "removed {}", path.display())?;
        removed += 1;
    }
    if removed == 0 {
        writeln!(
            o,
            "nothing to remove in {} (a crontab line is removed with 'crontab -e')",
            dir.display()
        )?;
    } else {
        writeln!(o, "then: systemctl --user daemon-reload")?;
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_quoted_for_systemd_and_cron() {
        assert_eq!(systemd_quote("/usr/bin/cls"), "/usr/bin/cls");
        assert_eq!(
            systemd_quote("/home/a b/50%\"x\"$HOME"),
            "\"/home/a b/50%%\\\"x\\\"$$HOME\""
        );
        assert_eq!(cron_quote("/usr/bin/cls"), "/usr/bin/cls");
        assert_eq!(cron_quote("/a b/it's 5%"), "'/a b/it'\\''s 5\\%'");
    }
}
