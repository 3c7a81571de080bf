//! Encrypted copies: what leaves the machine (a backup on a USB stick, an
//! export mailed to a clinic) can be an [age](https://age-encryption.org)
//! file, opened only with an age identity (a secret key) or a passphrase.
//!
//! This module only turns bytes into bytes and reads key files; it never
//! asks for a passphrase and never prints. The diary itself stays plain
//! SQLite: full-disk encryption is the place to protect it.
//!
//! Keys are X25519 age keys (`age1...` public, `AGE-SECRET-KEY-1...`
//! secret), the kind `age-keygen` makes; plugin and SSH keys are not
//! supported. A passphrase uses age's scrypt recipient. Files are written in
//! age's binary format; armored (`age -a`) files are read too.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use age::secrecy::SecretString;
use age::x25519;

/// How every binary age file starts.
pub const HEADER: &[u8] = b"age-encryption.org/v1";

/// How every armored (`age -a`) age file starts.
const ARMOR_BEGIN: &[u8] = b"-----BEGIN AGE ENCRYPTED FILE-----";

/// The largest key file read: a few keys are a few hundred bytes, and this
/// keeps `--identity /dev/zero` from filling memory.
const KEY_FILE_LIMIT: u64 = 1 << 20;

/// What an encrypted file is locked with.
pub enum Lock {
    /// Public keys: any of their identities opens the file.
    Recipients(Vec<x25519::Recipient>),
    /// A passphrase (age's scrypt, tuned to about a second of work).
    Passphrase(SecretString),
}

impl Lock {
    /// "to 2 age keys" or "with a passphrase", for a confirmation line.
    pub fn describe(&self) -> String {
        match self {
            Lock::Recipients(r) if r.len() == 1 => "to 1 age key".to_string(),
            Lock::Recipients(r) => format!("to {} age keys", r.len()),
            Lock::Passphrase(_) => "with a passphrase".to_string(),
        }
    }
}

/// What opens an encrypted file.
pub enum Unlock {
    Identities(Vec<x25519::Identity>),
    Passphrase(SecretString),
}

/// What an encrypted file needs to be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Passphrase,
    Identity,
}

#[derive(Debug, thiserror::Error)]
pub enum CryptError {
    /// A key given on the command line or in a file is not usable. The text
    /// never repeats a secret key.
    #[error("{0}")]
    Key(String),
    #[error("{path}: {source}")]
    Read {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("none of the given identities can open it (it was encrypted to another key); nothing was written")]
    WrongKey,
    #[error("wrong passphrase, or the file was changed; nothing was written")]
    WrongPassphrase,
    #[error("it is locked with a passphrase that needs more work than this machine allows (about {seconds} s); nothing was written")]
    TooMuchWork { seconds: u64 },
    #[error(
        "it is not a readable age file (damaged, truncated or changed: {0}); nothing was written"
    )]
    Damaged(String),
    #[error("cannot encrypt: {0}")]
    Encrypt(String),
}

pub type Result<T> = std::result::Result<T, CryptError>;

/// True when `head` (the first bytes of a file) starts an age file, binary
/// or armored.
pub fn is_age(head: &[u8]) -> bool {
    head.starts_with(HEADER) || head.trim_ascii_start().starts_with(ARMOR_BEGIN)
}

/// True when `path` is a regular file that starts like an age file. Other
/// kinds of file (a FIFO, a device) are not read here, so nothing is
/// consumed from them.
pub fn file_is_age(path: &Path) -> io::Result<bool> {
    if !std::fs::metadata(path)?.is_file() {
        return Ok(false);
    }
    let mut head = Vec::with_capacity(64);
    std::fs::File::open(path)?.take(64).read_to_end(&mut head)?;
    Ok(is_age(&head))
}

/// `NAME.age` unless the name already ends in `.age`.
pub fn age_name(path: &Path) -> PathBuf {
    if has_age_extension(path) {
        return path.to_path_buf();
    }
    let mut p = path.as_os_str().to_owned();
    p.push(".age");
    PathBuf::from(p)
}

/// The name without a final `.age` (`diary.csv.age` → `diary.csv`), to tell
/// the format of what is inside from the file name.
pub fn without_age_extension(path: &Path) -> PathBuf {
    if has_age_extension(path) {
        path.with_extension("")
    } else {
        path.to_path_buf()
    }
}

fn has_age_extension(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("age"))
}

/// Parse public keys given as `--recipient` values.
pub fn parse_recipients(keys: &[String]) -> Result<Vec<x25519::Recipient>> {
    keys.iter()
        .map(|k| parse_recipient(k.trim(), "--recipient"))
        .collect()
}

/// Read a recipients file: one `age1...` key per line; blank lines and
/// `#` comments are skipped (the format `age -R` reads).
pub fn read_recipients_file(path: &Path) -> Result<Vec<x25519::Recipient>> {
    let text = read_key_file(path)?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let place = format!("--recipients-file {} line {}", path.display(), i + 1);
        out.push(parse_recipient(line, &place)?);
    }
    if out.is_empty() {
        return Err(CryptError::Key(format!(
            "--recipients-file {}: no age public keys (age1...) in it",
            path.display()
        )));
    }
    Ok(out)
}

fn parse_recipient(key: &str, place: &str) -> Result<x25519::Recipient> {
    if key.to_ascii_uppercase().starts_with("AGE-SECRET-KEY-") {
        return Err(CryptError::Key(format!(
            "{place}: that is a secret key (AGE-SECRET-KEY-...); give its public key (age1..., \
             from `age-keygen -y`) and keep the secret key away from the copies"
        )));
    }
    x25519::Recipient::from_str(key).map_err(|_| {
        let kind = if key.starts_with("ssh-") {
            "SSH keys are not supported"
        } else if key.starts_with("age1") {
            "only X25519 age keys are supported (age1 followed by 58 characters, from age-keygen)"
        } else {
            "not an age public key (age1...)"
        };
        CryptError::Key(format!("{place}: {}: {kind}", shorten(key)))
    })
}

/// Read an identity file: one or more `AGE-SECRET-KEY-1...` lines, blank
/// lines and `#` comments (what `age-keygen -o FILE` writes).
pub fn read_identity_file(path: &Path) -> Result<Vec<x25519::Identity>> {
    let text = read_key_file(path)?;
    let place = |line: usize| format!("--identity {} line {line}", path.display());
    if is_age(text.as_bytes()) {
        return Err(CryptError::Key(format!(
            "--identity {}: the identity file is itself encrypted; decrypt it with age first \
             (or keep it on an encrypted disk)",
            path.display()
        )));
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with("age1") {
            return Err(CryptError::Key(format!(
                "{}: that is a public key (age1...); --identity needs the secret key file \
                 (AGE-SECRET-KEY-1..., from age-keygen)",
                place(i + 1)
            )));
        }
        // Never echo the line: it may be a mistyped secret.
        let id = x25519::Identity::from_str(line).map_err(|_| {
            CryptError::Key(format!(
                "{}: not an age secret key (AGE-SECRET-KEY-1...); plugin and SSH keys are not supported",
                place(i + 1)
            ))
        })?;
        out.push(id);
    }
    if out.is_empty() {
        return Err(CryptError::Key(format!(
            "--identity {}: no age secret key (AGE-SECRET-KEY-1...) in it",
            path.display()
        )));
    }
    Ok(out)
}

/// A passphrase from the first line of `path` (a trailing newline is not
/// part of it).
pub fn read_passphrase_file(path: &Path) -> Result<SecretString> {
    let text = read_key_file(path)?;
    let line = text.lines().next().unwrap_or("");
    if line.is_empty() {
        return Err(CryptError::Key(format!(
            "--passphrase-file {}: the first line is empty",
            path.display()
        )));
    }
    Ok(SecretString::from(line.to_string()))
}

fn read_key_file(path: &Path) -> Result<String> {
    let read = |source| CryptError::Read {
        path: path.display().to_string(),
        source,
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(KEY_FILE_LIMIT + 1).read_to_end(&mut bytes))
        .map_err(read)?;
    if bytes.len() as u64 > KEY_FILE_LIMIT {
        return Err(CryptError::Key(format!(
            "{}: too large for a key file (over 1 MB)",
            path.display()
        )));
    }
    String::from_utf8(bytes)
        .map_err(|_| CryptError::Key(format!("{}: not a text file (UTF-8)", path.display())))
}

/// At most 24 characters of a public key, for an error message, made
/// safe to print by the one text sanitiser ([`crate::render::sanitize`]).
fn shorten(key: &str) -> String {
    let mut s: String = key.chars().take(24).collect();
    if key.chars().count() > 24 {
        s.push('…');
    }
    format!("'{}'", crate::render::sanitize(&s))
}

/// Encrypt `plain` into a binary age file.
pub fn encrypt(plain: &[u8], lock: &Lock) -> Result<Vec<u8>> {
    let encryptor = match lock {
        Lock::Recipients(rs) => {
            age::Encryptor::with_recipients(rs.iter().map(|r| r as &dyn age::Recipient))
                .map_err(|e| CryptError::Encrypt(e.to_string()))?
        }
        Lock::Passphrase(p) => age::Encryptor::with_user_passphrase(p.clone()),
    };
    let mut out = Vec::with_capacity(plain.len() + 512);
    let fail = |e: io::Error| CryptError::Encrypt(e.to_string());
    let mut w = encryptor.wrap_output(&mut out).map_err(fail)?;
    w.write_all(plain).map_err(fail)?;
    w.finish().map_err(fail)?;
    Ok(out)
}

/// What `cipher` (a binary or armored age file) needs to be opened.
pub fn needs(cipher: &[u8]) -> Result<Needs> {
    let d = decryptor(cipher)?;
    Ok(if d.is_scrypt() {
        Needs::Passphrase
    } else {
        Needs::Identity
    })
}

type Reader<'a> = age::armor::ArmoredReader<io::BufReader<&'a [u8]>>;

fn decryptor(cipher: &[u8]) -> Result<age::Decryptor<Reader<'_>>> {
    age::Decryptor::new_buffered(age::armor::ArmoredReader::new(cipher)).map_err(damaged)
}

fn damaged(e: age::DecryptError) -> CryptError {
    match e {
        age::DecryptError::Io(e) => CryptError::Damaged(e.to_string()),
        age::DecryptError::UnknownFormat => {
            CryptError::Damaged("an age format this cls does not know".into())
        }
        _ => CryptError::Damaged("its header is not valid".into()),
    }
}

/// Decrypt a whole age file in memory. Every byte is authenticated: a
/// changed or truncated file is an error, never partial plaintext.
pub fn decrypt(cipher: &[u8], unlock: &Unlock) -> Result<Vec<u8>> {
    let d = decryptor(cipher)?;
    let scrypt;
    let ids: Vec<&dyn age::Identity> = match unlock {
        Unlock::Identities(ids) => ids.iter().map(|i| i as &dyn age::Identity).collect(),
        Unlock::Passphrase(p) => {
            scrypt = age::scrypt::Identity::new(p.clone());
            vec![&scrypt as &dyn age::Identity]
        }
    };
    let mut reader = d.decrypt(ids.into_iter()).map_err(|e| match e {
        age::DecryptError::NoMatchingKeys => match unlock {
            Unlock::Identities(_) => CryptError::WrongKey,
            Unlock::Passphrase(_) => CryptError::WrongPassphrase,
        },
        age::DecryptError::DecryptionFailed | age::DecryptError::KeyDecryptionFailed => {
            match unlock {
                Unlock::Identities(_) => CryptError::WrongKey,
                Unlock::Passphrase(_) => CryptError::WrongPassphrase,
            }
        }
        age::DecryptError::ExcessiveWork { required, target } => CryptError::TooMuchWork {
            seconds: 1u64 << required.saturating_sub(target).min(40),
        },
        other => damaged(other),
    })?;
    let mut plain = Vec::with_capacity(cipher.len());
    reader
        .read_to_end(&mut plain)
        .map_err(|e| CryptError::Damaged(e.to_string()))?;
    Ok(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_key_is_shown_short_and_sanitised() {
        // A terminal escape and a right-to-left override in a pasted key
        // come out as U+FFFD, not as control sequences.
        let err = parse_recipient("age1\u{1b}[31m\u{202E}xyz", "--to").unwrap_err();
        let text = err.to_string();
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202E}'),
            "{text}"
        );
        assert!(text.contains("'age1\u{FFFD}[31m\u{FFFD}xyz'"), "{text}");
        let long = format!("age1{}", "q".repeat(70));
        let text = parse_recipient(&long, "--to").unwrap_err().to_string();
        assert!(
            text.contains(&format!("'age1{}…'", "q".repeat(20))),
            "{text}"
        );
    }

    #[test]
    fn a_recipient_round_trip_and_the_wrong_key() {
        let id = x25519::Identity::generate();
        let other = x25519::Identity::generate();
        let lock = Lock::Recipients(vec![id.to_public()]);
        let cipher = encrypt(b"note: secret", &lock).unwrap();
        assert!(is_age(&cipher));
        assert!(!cipher.windows(6).any(|w| w == b"secret"));
        assert_eq!(needs(&cipher).unwrap(), Needs::Identity);
        let plain = decrypt(&cipher, &Unlock::Identities(vec![id])).unwrap();
        assert_eq!(plain, b"note: secret");
        assert!(matches!(
            decrypt(&cipher, &Unlock::Identities(vec![other])),
            Err(CryptError::WrongKey)
        ));
    }

    #[test]
    fn a_changed_or_truncated_file_is_refused() {
        let id = x25519::Identity::generate();
        let lock = Lock::Recipients(vec![id.to_public()]);
        let mut cipher = encrypt(&[7u8; 100_000], &lock).unwrap();
        let unlock = Unlock::Identities(vec![id]);
        let cut = &cipher[..cipher.len() - 10];
        assert!(matches!(decrypt(cut, &unlock), Err(CryptError::Damaged(_))));
        let n = cipher.len() - 100;
        cipher[n] ^= 1;
        assert!(matches!(
            decrypt(&cipher, &unlock),
            Err(CryptError::Damaged(_))
        ));
    }

    #[test]
    fn names_and_keys() {
        assert_eq!(age_name(Path::new("a/b.csv")), Path::new("a/b.csv.age"));
        assert_eq!(age_name(Path::new("b.age")), Path::new("b.age"));
        assert_eq!(
            without_age_extension(Path::new("a/b.csv.age")),
            Path::new("a/b.csv")
        );
        assert_eq!(
            without_age_extension(Path::new("b.json.age")),
            Path::new("b.json")
        );
        assert_eq!(
            without_age_extension(Path::new("b.json")),
            Path::new("b.json")
        );
        let secret = x25519::Identity::generate();
        let e = parse_recipients(&[
            age::secrecy::ExposeSecret::expose_secret(&secret.to_string()).to_string(),
        ])
        .unwrap_err()
        .to_string();
        assert!(e.contains("secret key"), "{e}");
        assert!(!e.contains("AGE-SECRET-KEY-1"), "never echo a secret: {e}");
        let e = parse_recipients(&["age1nope".into()])
            .unwrap_err()
            .to_string();
        assert!(e.contains("'age1nope'"), "{e}");
    }
}
