//! Escalation hooks (issue 18): programs the patient names in the config's
//! `[[hooks]]` tables, run when the day's level rises to or above their
//! `on` level, for example a desktop notification at `warning` or a mail to
//! a carer at `emergency`.
//!
//! A hook is an argv array, never a shell string: `{level}`, `{date}`,
//! `{summary}` and `{rules}` are replaced inside each argument, so nothing
//! from the diary is ever parsed by a shell. It gets the `cls check --json`
//! document on stdin and `CLS_LEVEL`, `CLS_DATE`, `CLS_SUMMARY` in its
//! environment. It runs in its own process group with its output discarded
//! (it must not write into `cls check --json`), and the whole group is
//! killed at its timeout. The caller runs hooks only after the entry is
//! committed and the output is written; an [`Outcome`] is returned, never
//! printed here.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::rules::Level;

/// One `[[hooks]]` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hook {
    /// Run when the level rises to this or higher: unknown, watch, warning
    /// or emergency.
    pub on: Level,
    /// The program and its arguments.
    pub run: Vec<String>,
    /// Seconds before the hook (and everything it started) is killed.
    #[serde(default = "default_timeout")]
    pub timeout_s: u32,
}

fn default_timeout() -> u32 {
    10
}

/// The placeholders a hook's arguments may use.
pub const PLACEHOLDERS: [&str; 4] = ["level", "date", "summary", "rules"];

/// Check the `[[hooks]]` tables; the message names the key.
pub fn validate(hooks: &[Hook]) -> Result<(), String> {
    for (i, h) in hooks.iter().enumerate() {
        if h.on == Level::Ok {
            return Err(format!(
                "hooks[{i}].on: 'ok' is not a level to act on; use unknown, watch, warning or emergency"
            ));
        }
        match h.run.first() {
            None => {
                return Err(format!(
                    "hooks[{i}].run: is empty; give the program and its arguments, e.g. [\"notify-send\", \"cls\", \"{{level}}: {{summary}}\"]"
                ))
            }
            Some(p) if p.trim().is_empty() => {
                return Err(format!("hooks[{i}].run: the program name is empty"))
            }
            Some(_) => {}
        }
        for arg in &h.run {
            if let Some(bad) = unknown_placeholder(arg) {
                return Err(format!(
                    "hooks[{i}].run: unknown placeholder {{{bad}}} in '{arg}' (known: {})",
                    PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(" ")
                ));
            }
        }
        if !(1..=300).contains(&h.timeout_s) {
            return Err(format!(
                "hooks[{i}].timeout_s: {} is out of range: must be 1–300 seconds",
                h.timeout_s
            ));
        }
    }
    Ok(())
}

/// The first `{word}` in `arg` that is not a placeholder.
fn unknown_placeholder(arg: &str) -> Option<&str> {
    let mut rest = arg;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after.find('}')?;
        let word = &after[..close];
        if !word.is_empty()
            && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !PLACEHOLDERS.contains(&word)
        {
            return Some(word);
        }
        rest = &after[close + 1..];
    }
    None
}

/// What a hook is told.
#[derive(Debug, Clone)]
pub struct Firing<'a> {
    pub level: Level,
    pub date: NaiveDate,
    /// The most serious finding in words ("weight 69.4 kg is +1.4 kg …").
    pub summary: String,
    /// The rules at the level or above, e.g. "W2,P1".
    pub rules: String,
    /// The `cls check --json` document, for stdin.
    pub document: &'a [u8],
}

impl Firing<'_> {
    /// `arg` with its placeholders filled in.
    pub fn expand(&self, arg: &str) -> String {
        arg.replace("{level}", self.level.as_str())
            .replace("{date}", &self.date.to_string())
            .replace("{summary}", &self.summary)
            .replace("{rules}", &self.rules)
    }
}

/// How a hook ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// Exited with this status (or was killed by a signal: `None`).
    Failed(Option<i32>),
    /// Still running at its timeout; it and its process group were killed.
    TimedOut(u32),
    /// The program does not exist or cannot be run.
    CannotStart(String),
}

impl Outcome {
    /// `None` for success; otherwise one line saying what happened.
    pub fn problem(&self) -> Option<String> {
        match self {
            Outcome::Ok => None,
            Outcome::Failed(Some(c)) => Some(format!("failed with exit status {c}")),
            Outcome::Failed(None) => Some("was killed by a signal".into()),
            Outcome::TimedOut(s) => Some(format!(
                "was still running after {s} s (timeout_s) and was stopped"
            )),
            Outcome::CannotStart(why) => Some(format!("could not be started: {why}")),
        }
    }
}

/// Run one hook to its end or its timeout. `show_output` lets its stdout
/// and stderr through (`cls hooks test`); otherwise they are discarded.
pub fn run(hook: &Hook, firing: &Firing<'_>, show_output: bool) -> Outcome {
    let Some((program, args)) = hook.run.split_first() else {
        return Outcome::CannotStart("no program given".into());
    };
    let mut cmd = Command::new(firing.expand(program));
    cmd.args(args.iter().map(|a| firing.expand(a)))
        .env("CLS_LEVEL", firing.level.as_str())
        .env("CLS_DATE", firing.date.to_string())
        .env("CLS_SUMMARY", &firing.summary)
        .stdin(Stdio::piped());
    if show_output {
        cmd.stdout(Stdio::inherit()).stderr(Stdio::inherit());
    } else {
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
    }
    #[cfg(unix)]
    {
        // Its own process group, so that a timeout stops what it started
        // too (a `sh` script's `sleep`, a mailer).
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Outcome::CannotStart(format!(
                "no program '{program}' (is it installed and on PATH?)"
            ))
        }
        Err(e) => return Outcome::CannotStart(format!("'{program}': {e}")),
    };
    // A hook that never reads its stdin must not block cls: write from a
    // thread and ignore a closed pipe.
    let writer = child.stdin.take().map(|mut stdin| {
        let doc = firing.document.to_vec();
        std::thread::spawn(move || {
            let _ = stdin.write_all(&doc);
        })
    });
    let limit = Duration::from_secs(u64::from(hook.timeout_s));
    let start = Instant::now();
    let outcome = loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break Outcome::Ok,
            Ok(Some(status)) => break Outcome::Failed(status.code()),
            Ok(None) if start.elapsed() >= limit => {
                kill_group(&mut child);
                break Outcome::TimedOut(hook.timeout_s);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => {
                kill_group(&mut child);
                break Outcome::CannotStart(e.to_string());
            }
        }
    };
    if let Some(w) = writer {
        let _ = w.join();
    }
    outcome
}

/// Kill the hook's process group, then the hook itself, and reap it.
fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        // `unsafe` is forbidden in this crate, so no libc::killpg: kill(1)
        // does the same for the group the hook leads.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hook(run: &[&str], timeout_s: u32) -> Hook {
        Hook {
            on: Level::Warning,
            run: run.iter().map(|s| s.to_string()).collect(),
            timeout_s,
        }
    }

    fn firing(doc: &[u8]) -> Firing<'_> {
        Firing {
            level: Level::Warning,
            date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            summary: "weight up; it's \"$HOME\"".into(),
            rules: "W2".into(),
            document: doc,
        }
    }

    #[test]
    fn placeholders_are_filled_in_each_argument_without_a_shell() {
        let f = firing(b"{}");
        assert_eq!(
            f.expand("{level}: {summary}"),
            "warning: weight up; it's \"$HOME\""
        );
        assert_eq!(f.expand("{date} {rules}"), "2026-11-25 W2");
    }

    #[test]
    fn validation_names_the_key() {
        assert!(validate(&[hook(&["notify-send", "{level}"], 10)]).is_ok());
        let e = validate(&[hook(&[], 10)]).unwrap_err();
        assert!(e.starts_with("hooks[0].run"), "{e}");
        let e = validate(&[hook(&["x", "{levle}"], 10)]).unwrap_err();
        assert!(e.contains("{levle}"), "{e}");
        let e = validate(&[hook(&["x"], 0)]).unwrap_err();
        assert!(e.starts_with("hooks[0].timeout_s"), "{e}");
        let mut ok = hook(&["x"], 10);
        ok.on = Level::Ok;
        assert!(validate(&[ok]).unwrap_err().starts_with("hooks[0].on"));
        // JSON in an argument is not a placeholder.
        assert!(validate(&[hook(&["x", "{\"a\": 1}", "{}"], 10)]).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_hook_gets_the_document_and_its_environment() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let script = format!(
            "cat > '{}'; echo \"$CLS_LEVEL $CLS_DATE $1\" >> '{}'",
            out.display(),
            out.display()
        );
        let h = hook(&["sh", "-c", &script, "sh", "{summary}"], 10);
        assert_eq!(run(&h, &firing(b"{\"level\":1}\n"), false), Outcome::Ok);
        let got = std::fs::read_to_string(&out).unwrap();
        assert_eq!(
            got,
            "{\"level\":1}\nwarning 2026-11-25 weight up; it's \"$HOME\"\n"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_hanging_hook_and_what_it_started_are_killed_at_the_timeout() {
        let start = Instant::now();
        let h = hook(&["sh", "-c", "sleep 30; sleep 30"], 1);
        assert_eq!(run(&h, &firing(b""), false), Outcome::TimedOut(1));
        assert!(start.elapsed() < Duration::from_secs(5));
        let missing = hook(&["cls-no-such-program-here"], 1);
        assert!(matches!(
            run(&missing, &firing(b""), false),
            Outcome::CannotStart(_)
        ));
        let failing = hook(&["sh", "-c", "exit 3"], 1);
        assert_eq!(run(&failing, &firing(b""), false), Outcome::Failed(Some(3)));
    }
}
