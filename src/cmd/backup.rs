//! `cls backup` and `cls restore`.

use cls::render::count;
use std::io::{self, IsTerminal, Write};

use anyhow::{anyhow, Result};
use cls::backup::{self, Verified};
use cls::Store;

use super::{confirm, usage, Ctx};
use crate::cli::{BackupArgs, RestoreArgs};

pub fn backup(ctx: &Ctx, args: &BackupArgs) -> Result<u8> {
    if !ctx.db.exists() {
        return Err(anyhow!(
            "no diary at {} yet: nothing to back up",
            ctx.db.display()
        ));
    }
    let now = ctx.now.naive_local();
    let dest = match &args.path {
        None => backup::default_path(&ctx.db, now),
        // The same name as beside the diary, free in that folder.
        Some(p) if p.is_dir() => {
            backup::default_path(&p.join(ctx.db.file_name().unwrap_or_default()), now)
        }
        Some(p) => p.clone(),
    };
    let lock = super::crypt::lock(&args.encrypt)?;
    let default_name = args.path.as_deref().is_none_or(std::path::Path::is_dir);
    let dest = super::crypt::backup_name(dest, lock.as_ref(), default_name);
    match cls::outfile::check(&dest, &ctx.db) {
        // Any other existing file: the backup itself refuses it as
        // "already exists" (it never writes over a file).
        Ok(_) | Err(cls::outfile::Refused::Database(_)) => {}
        Err(e) => return Err(usage(e.to_string())),
    }
    let store = Store::open_existing(&ctx.db)?;
    // A damaged diary is reported as such (with what to do), not as a
    // backup that failed its check.
    store.quick_check()?;
    let v = match &lock {
        None => backup::backup(&store, &dest)?,
        Some(l) => super::crypt::encrypted_backup(&ctx.db, &store, &dest, l)?,
    };
    writeln!(
        io::stdout(),
        "backed up {} to {} ({}); verified: integrity ok, row counts equal",
        describe(&v),
        v.path.display(),
        size(v.bytes)
    )?;
    if let Some(l) = &lock {
        writeln!(io::stdout(), "the copy is encrypted (age) {}", l.describe())?;
    }
    Ok(0)
}

pub fn restore(ctx: &Ctx, args: &RestoreArgs) -> Result<u8> {
    // An encrypted backup is restored from its plaintext in a private
    // temporary file, removed when `plain` is dropped.
    let plain = super::crypt::decrypted_backup(&ctx.db, &args.path, &args.decrypt)?;
    let source = plain.as_ref().map_or(args.path.as_path(), |p| p.path());
    let shown = |e: backup::BackupError| match &plain {
        Some(p) => p.rename_in(e, &args.path),
        None => e.into(),
    };
    let v = backup::verify(source).map_err(shown)?;
    if !args.yes {
        let current = if ctx.db.exists() {
            match Store::open_existing(&ctx.db).and_then(|s| s.count_entries()) {
                Ok(n) => format!("the diary now has {}", count(n, "entry", "entries")),
                Err(_) => "the diary now cannot be read".to_string(),
            }
        } else {
            "there is no diary now".to_string()
        };
        let question = format!(
            "Replace the diary {} by the backup {} ({})? {current}; it will be kept as a .bak",
            ctx.db.display(),
            args.path.display(),
            describe(&v)
        );
        if !io::stdin().is_terminal() {
            return Err(usage(format!(
                "not restoring without confirmation: add --yes ({question})"
            )));
        }
        if !confirm(&question)? {
            writeln!(io::stderr(), "cls: not restored; nothing was changed")?;
            return Ok(1);
        }
    }
    let r = backup::restore(&ctx.db, source, ctx.now.naive_local()).map_err(shown)?;
    let mut o = io::stdout().lock();
    writeln!(
        o,
        "restored {} from {} into {}",
        describe(&r.from),
        args.path.display(),
        ctx.db.display()
    )?;
    match (&r.kept, r.was_damaged) {
        (Some(k), false) => writeln!(o, "the diary as it was is kept in {}", k.display())?,
        (Some(k), true) => writeln!(
            o,
            "the damaged diary is kept, byte for byte, in {}",
            k.display()
        )?,
        (None, _) => {}
    }
    Ok(0)
}

fn describe(v: &Verified) -> String {
    format!(
        "{} and {}",
        count(v.counts.get("entry"), "entry", "entries"),
        count(v.counts.get("episode"), "episode", "episodes")
    )
}

fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}
