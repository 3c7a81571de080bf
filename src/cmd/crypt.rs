//! The command side of encrypted copies (the library side is `cls::crypt`):
//! turn `--encrypt`/`--recipient`/`--identity`/`--passphrase-file` into a
//! key, ask for a passphrase on a terminal, and hand `backup`, `restore`,
//! `export` and `import` small hooks, so those files change little.
//!
//! Plaintext never lands next to an encrypted file: a backup being
//! encrypted, or one being restored, lives in a private (0600) temporary
//! file beside the diary, which holds the same data in the clear anyway,
//! and is removed when the command ends (a killed one is a `.partial-` file
//! that `cls doctor` lists). Exports and imports are encrypted and
//! decrypted in memory.

use std::fs;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context as _, Result};
use cls::backup::{self, Verified};
use cls::crypt::{self, CryptError, Lock, Needs, SecretString, Unlock};
use cls::Store;

use super::usage;
use crate::cli::{DecryptArgs, EncryptArgs};

/// A bad key or key file given on the command line is a usage error (exit
/// 2); a wrong key, a damaged file or an unreadable one is a runtime error.
fn err(context: &str, e: CryptError) -> anyhow::Error {
    let prefixed = |e: &dyn std::fmt::Display| {
        if context.is_empty() {
            e.to_string()
        } else {
            format!("{context}: {e}")
        }
    };
    match e {
        CryptError::Key(_) => usage(prefixed(&e)),
        other => anyhow!(prefixed(&other)),
    }
}

/// The key `--encrypt` locks with (`None` without `--encrypt`): the given
/// public keys, the passphrase file, or a passphrase asked twice on the
/// terminal.
pub fn lock(args: &EncryptArgs) -> Result<Option<Lock>> {
    if !args.encrypt {
        return Ok(None);
    }
    if let Some(f) = &args.passphrase_file {
        let p = crypt::read_passphrase_file(f).map_err(|e| err("", e))?;
        return Ok(Some(Lock::Passphrase(p)));
    }
    let mut keys = crypt::parse_recipients(&args.recipient).map_err(|e| err("", e))?;
    for f in &args.recipients_file {
        keys.extend(crypt::read_recipients_file(f).map_err(|e| err("", e))?);
    }
    if !keys.is_empty() {
        return Ok(Some(Lock::Recipients(keys)));
    }
    if !io::stdin().is_terminal() {
        return Err(usage(
            "--encrypt: no terminal to ask for a passphrase; give --recipient KEY (an age public \
             key, age1...) or --passphrase-file FILE",
        ));
    }
    let p = ask(inquire::Password::new("Passphrase for the encrypted copy:")
        .with_custom_confirmation_message("The same passphrase again:")
        .with_custom_confirmation_error_message("The passphrases differ; try again.")
        .with_help_message("nobody can open the copy without it: not you, not cls")
        .with_validator(inquire::validator::ValueRequiredValidator::new(
            "the passphrase must not be empty",
        )))?;
    Ok(Some(Lock::Passphrase(p)))
}

fn ask(prompt: inquire::Password<'_>) -> Result<SecretString> {
    match prompt.prompt() {
        Ok(p) => Ok(p.into()),
        Err(
            inquire::InquireError::OperationCanceled | inquire::InquireError::OperationInterrupted,
        ) => Err(anyhow!("no passphrase given; nothing was written")),
        Err(e) => Err(e).context("cannot ask for the passphrase"),
    }
}

/// What opens `cipher`: the `--identity` files, the `--passphrase-file`,
/// or a passphrase asked on the terminal. `label` starts every message.
fn unlock(label: &str, cipher: &[u8], args: &DecryptArgs) -> Result<Unlock> {
    let needs = crypt::needs(cipher).map_err(|e| err(label, e))?;
    match needs {
        Needs::Identity => {
            if args.identity.is_empty() {
                return Err(usage(format!(
                    "{label}: it is encrypted to an age key, not a passphrase; give --identity \
                     FILE (the secret key file from age-keygen)"
                )));
            }
            let mut ids = Vec::new();
            for f in &args.identity {
                ids.extend(crypt::read_identity_file(f).map_err(|e| err(label, e))?);
            }
            Ok(Unlock::Identities(ids))
        }
        Needs::Passphrase => {
            if !args.identity.is_empty() {
                return Err(usage(format!(
                    "{label}: it is locked with a passphrase, not an age key; leave out \
                     --identity (a terminal asks for the passphrase, or give --passphrase-file FILE)"
                )));
            }
            if let Some(f) = &args.passphrase_file {
                let p = crypt::read_passphrase_file(f).map_err(|e| err(label, e))?;
                return Ok(Unlock::Passphrase(p));
            }
            if !io::stdin().is_terminal() {
                return Err(usage(format!(
                    "{label}: it is locked with a passphrase and there is no terminal to ask for \
                     it; give --passphrase-file FILE"
                )));
            }
            let p =
                ask(inquire::Password::new("Passphrase of the encrypted file:")
                    .without_confirmation())?;
            Ok(Unlock::Passphrase(p))
        }
    }
}

/// For `import`: the plaintext of `bytes` when they are an age file (in
/// memory), else `bytes` unchanged.
pub fn open_bytes(label: &str, bytes: Vec<u8>, args: &DecryptArgs) -> Result<Vec<u8>> {
    if !crypt::is_age(&bytes) {
        return Ok(bytes);
    }
    let key = unlock(label, &bytes, args)?;
    crypt::decrypt(&bytes, &key).map_err(|e| err(label, e))
}

/// For `export --encrypt`: the file name gets `.age`; a binary file is not
/// written to a terminal.
pub fn output(lock: Option<&Lock>, output: Option<&Path>) -> Result<Option<PathBuf>> {
    match (lock, output) {
        (None, o) => Ok(o.map(Path::to_path_buf)),
        (Some(_), Some(o)) => Ok(Some(crypt::age_name(o))),
        (Some(_), None) if io::stdout().is_terminal() => Err(usage(
            "--encrypt: an encrypted file is binary; give --output FILE (or redirect stdout)",
        )),
        (Some(_), None) => Ok(None),
    }
}

/// For `backup --encrypt`: `dest` with `.age` appended. A default name (a
/// timestamped one beside the diary or in a folder) that is taken gets
/// `-2`, `-3`...; a name the user typed is never changed beyond `.age`.
pub fn backup_name(dest: PathBuf, lock: Option<&Lock>, default_name: bool) -> PathBuf {
    if lock.is_none() {
        return dest;
    }
    let first = crypt::age_name(&dest);
    if !default_name || !first.exists() {
        return first;
    }
    let stem = dest.with_extension("");
    (2..)
        .map(|n| {
            let mut p = stem.as_os_str().to_owned();
            p.push(format!("-{n}.bak.age"));
            PathBuf::from(p)
        })
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// A private temporary file beside the diary; removed, with any SQLite side
/// files, when dropped. The name has `.partial-`, which `cls doctor` lists
/// if a killed `cls` left it behind.
pub struct Plain {
    path: PathBuf,
}

impl Plain {
    fn beside(diary: &Path, what: &str) -> Result<Plain> {
        let mut p = diary.as_os_str().to_owned();
        p.push(format!(".partial-{what}-{}", std::process::id()));
        let plain = Plain {
            path: PathBuf::from(p),
        };
        if let Some(dir) = diary
            .parent()
            .filter(|d| !d.as_os_str().is_empty() && !d.exists())
        {
            let mut b = fs::DirBuilder::new();
            b.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
            b.create(dir)
                .with_context(|| format!("cannot create the folder {}", dir.display()))?;
        }
        plain.remove();
        Ok(plain)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn remove(&self) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let mut p = self.path.as_os_str().to_owned();
            p.push(suffix);
            let _ = fs::remove_file(PathBuf::from(p));
        }
    }

    /// An error about the temporary file, told about `shown` instead.
    pub fn rename_in(&self, e: impl Into<anyhow::Error>, shown: &Path) -> anyhow::Error {
        let text = format!("{:#}", e.into());
        anyhow!(text.replace(
            &self.path.display().to_string(),
            &format!("{} (decrypted)", shown.display())
        ))
    }
}

impl Drop for Plain {
    fn drop(&mut self) {
        self.remove();
    }
}

/// For `restore`: `None` when `path` is not an age file; otherwise its
/// plaintext in a private temporary file beside `diary`.
pub fn decrypted_backup(diary: &Path, path: &Path, args: &DecryptArgs) -> Result<Option<Plain>> {
    if !crypt::file_is_age(path).unwrap_or(false) {
        return Ok(None);
    }
    let label = path.display().to_string();
    let cipher = fs::read(path).with_context(|| format!("{label}: cannot read the file"))?;
    let key = unlock(&label, &cipher, args)?;
    let plain = crypt::decrypt(&cipher, &key).map_err(|e| err(&label, e))?;
    let tmp = Plain::beside(diary, "decrypted")?;
    cls::fsutil::create_private_file(tmp.path())
        .and_then(|mut f| f.write_all(&plain))
        .with_context(|| format!("cannot write {}", tmp.path().display()))?;
    Ok(Some(tmp))
}

/// For `backup --encrypt`: a verified snapshot in a private temporary file
/// beside the diary, encrypted into `dest` (0600, written atomically) and
/// read back. The counts are those verified in the snapshot; the size is
/// the encrypted file's.
pub fn encrypted_backup(diary: &Path, store: &Store, dest: &Path, lock: &Lock) -> Result<Verified> {
    let exists = || {
        anyhow!(
            "{} already exists; give another path (nothing was written)",
            dest.display()
        )
    };
    if dest.exists() {
        return Err(exists());
    }
    let tmp = Plain::beside(diary, "encrypt")?;
    let v = backup::backup(store, tmp.path()).map_err(|e| tmp.rename_in(e, dest))?;
    let plain =
        fs::read(tmp.path()).with_context(|| format!("cannot read {}", tmp.path().display()))?;
    drop(tmp);
    let cipher = crypt::encrypt(&plain, lock).map_err(|e| err("", e))?;
    if dest.exists() {
        return Err(exists());
    }
    cls::fsutil::write_private(dest, &cipher)
        .with_context(|| format!("cannot write {}", dest.display()))?;
    if fs::read(dest).ok().as_deref() != Some(cipher.as_slice()) {
        let _ = fs::remove_file(dest);
        return Err(anyhow!(
            "{}: the encrypted file read back differs from what was written; it was removed",
            dest.display()
        ));
    }
    Ok(Verified {
        path: dest.to_path_buf(),
        bytes: cipher.len() as u64,
        ..v
    })
}
