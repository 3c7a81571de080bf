//! `cls demo`: write a made-up diary ([`cls::demo`]) into a new file, in one
//! transaction, so that someone can try `check`, `report` and `--backtest`
//! without real data (and the benchmark has a decade to time). It never
//! writes into an existing file: a demo mixed into a real diary could not be
//! told apart from the patient's own entries.

use cls::render::{count, noun};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context as _, Result};
use chrono::{Duration, NaiveDate, NaiveTime};
use cls::input::{self, InputError};
use cls::model::Stamp;
use cls::{store, Store};

use super::Ctx;
use crate::cli::DemoArgs;

pub fn demo(ctx: &Ctx, args: &DemoArgs) -> Result<u8> {
    let end = ctx.date("--end", args.end.as_deref())?;
    let limit = ctx.today() + Duration::days(1);
    if end > limit {
        return Err(InputError::new(
            "--end",
            format!("{end} is in the future: a diary can reach at most one day ahead ({limit})"),
        )
        .into());
    }
    let first = match args.days {
        Some(n) => end - Duration::days(i64::from(n) - 1),
        None => cls::demo::years_back(end, args.years).ok_or_else(|| {
            InputError::new(
                "--years",
                format!("{} years before {end} is out of range", args.years),
            )
        })?,
    };
    // A diary holds dates from 1900 on (the same range as every date flag
    // and an import): a demo reaching earlier could not be imported again.
    let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid date");
    if first < earliest {
        let span = match args.days {
            Some(n) => count(n as usize, "day", "days"),
            None => count(args.years as usize, "year", "years"),
        };
        return Err(InputError::new(
            "--end",
            format!(
                "{span} ending {end} would start on {first}; a diary holds dates from {earliest} on (choose a later --end or fewer days)"
            ),
        )
        .into());
    }
    let options = cls::demo::Options {
        attacks_per_year: args.attacks_per_year,
    };
    let demo = cls::demo::generate_with(first, end, args.seed, &options);
    let stamps = demo
        .entries
        .iter()
        .map(|e| stamp(e.date, e.time))
        .collect::<Result<Vec<_>, _>>()?;

    create_new(&ctx.db)?;
    // From here on the file is ours: on any failure remove it again rather
    // than leave a half-made diary behind.
    let written = (|| -> Result<()> {
        let mut store = Store::open(&ctx.db)?;
        store.write("write demo diary", |tx| {
            for (e, s) in demo.entries.iter().zip(&stamps) {
                store::insert_entry(tx, s, &e.m)?;
            }
            for ep in &demo.episodes {
                store::insert_episode(tx, ep)?;
            }
            store::mark_synthetic(tx)
        })?;
        Ok(())
    })();
    if let Err(e) = written {
        remove_diary(&ctx.db);
        return Err(e);
    }

    let path = shell_quote(&ctx.db);
    let mut o = io::stdout().lock();
    writeln!(
        o,
        "wrote {} {} and {}, {first} to {end}, to {}",
        thousands(demo.entries.len()),
        noun(demo.entries.len(), "entry", "entries"),
        count(demo.episodes.len(), "episode", "episodes"),
        ctx.db.display()
    )?;
    if is_default_diary(&ctx.db) {
        writeln!(
            o,
            "note: that is your default diary, so plain 'cls check' now reads this made-up data; \
             delete {path} before you start your real diary"
        )?;
    }
    writeln!(o, "the data is invented (seed {}); try:", args.seed)?;
    writeln!(o, "  cls check --db {path}")?;
    writeln!(o, "  cls report --db {path}")?;
    writeln!(o, "  cls check --backtest --db {path}")?;
    Ok(0)
}

/// A local stamp; a morning time skipped by a daylight-saving change (only
/// in a few zones) moves an hour later, as the patient's clock would.
fn stamp(date: NaiveDate, time: NaiveTime) -> Result<Stamp, InputError> {
    input::local_stamp("--end", date, time)
        .or_else(|_| input::local_stamp("--end", date, time + Duration::hours(1)))
}

/// Create the diary's folder (0700) if missing and the file itself (0600),
/// failing if the file exists: the check and the creation are one step, so
/// no other process can slip a diary in between.
fn create_new(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !dir.exists() {
            let mut b = fs::DirBuilder::new();
            b.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
            b.create(dir)
                .with_context(|| format!("cannot create folder {}", dir.display()))?;
        }
    }
    match cls::fsutil::create_private_file(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(anyhow!(
            "file {} already exists; cls demo only writes a new file and left it unchanged (give another path with --db)",
            path.display()
        )),
        Err(e) => Err(e).with_context(|| format!("cannot create {}", path.display())),
    }
}

/// Remove a diary this command created, with its WAL files.
fn remove_diary(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = fs::remove_file(PathBuf::from(p));
    }
}

/// True when `path` is where `cls` keeps the diary by default.
fn is_default_diary(path: &Path) -> bool {
    directories::ProjectDirs::from("", "", "cls")
        .is_some_and(|d| d.data_dir().join("diary.sqlite3") == path)
}

/// 3652 → "3,652".
fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The path as it can be pasted into a POSIX shell.
fn shell_quote(path: &Path) -> String {
    let s = path.display().to_string();
    let safe = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:,@%=".contains(c));
    if safe {
        s
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(3652), "3,652");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn quoting_for_the_shell() {
        assert_eq!(
            shell_quote(Path::new("/tmp/demo.sqlite3")),
            "/tmp/demo.sqlite3"
        );
        assert_eq!(shell_quote(Path::new("/tmp/my diary")), "'/tmp/my diary'");
        assert_eq!(shell_quote(Path::new("it's")), r"'it'\''s'");
    }
}
