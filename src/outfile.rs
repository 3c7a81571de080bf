//! The one guard for every file a command writes where the user said
//! (`report`/`card`/`export --output`, `backup PATH`, `config init`): such
//! a path must never be the diary, one of its SQLite side files, or any
//! other SQLite database (a backup, another diary). A report written over
//! the diary would replace every entry with the report.
//!
//! What the path is decides how it is written ([`Target::write`]): a regular
//! file (or a new one) is replaced atomically, by a private temporary file
//! renamed over it; a terminal, pipe, FIFO or character device such as
//! `/dev/null` or `/dev/stdout` is written in place and keeps being what it
//! was. A block device or a folder is refused, and so is a symbolic link,
//! unless it leads to one of the in-place kinds (`/dev/stdout` is a link to
//! `/proc/self/fd/1`): a link planted where the patient writes a report
//! (a shared `/tmp`) must not redirect health data elsewhere or have `cls`
//! replace the file it points to.
//!
//! The diary is compared by file identity (device and inode), so another
//! spelling of its path (`./`, `..`, a symbolic link, a hard link) is caught
//! as well; a path that does not exist yet is compared by its canonical
//! folder and name.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// Why a path was refused as an output.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("{0}: that is the diary itself; choose another file")]
    Diary(String),
    #[error("{0}: that is the diary's {1} file; choose another file")]
    SideFile(String, &'static str),
    #[error(
        "{0}: that is a SQLite database (a diary or a backup of one); cls never writes over one, choose another file"
    )]
    Database(String),
    #[error(
        "{0}: is a symbolic link to a file or folder; cls does not write through links, give the real path"
    )]
    Symlink(String),
    #[error("{0}: is a symbolic link to nothing; give the real path")]
    Dangling(String),
    #[error("{0}: is a folder; give a file name")]
    Folder(String),
    #[error("{0}: is a block device (a disk); cls writes only files, terminals, pipes and devices such as /dev/null")]
    BlockDevice(String),
}

/// A checked output path and how it will be written.
#[derive(Debug)]
pub struct Target {
    path: PathBuf,
    in_place: bool,
}

impl Target {
    /// True for a regular file (new or replaced), which the user can open
    /// later; false for a terminal, pipe or device written in place.
    pub fn is_file(&self) -> bool {
        !self.in_place
    }

    /// Write `bytes`: a regular file atomically with mode 0600
    /// ([`crate::fsutil::write_private`]), anything else in place.
    pub fn write(&self, bytes: &[u8]) -> io::Result<()> {
        if !self.in_place {
            return crate::fsutil::write_private(&self.path, bytes);
        }
        // Neither create nor truncate: opening cannot change a regular file
        // that appeared here since the check, and is refused below.
        let mut f = fs::OpenOptions::new().write(true).open(&self.path)?;
        let kind = f.metadata()?.file_type();
        if kind.is_file() || kind.is_dir() || is_block_device(&kind) {
            return Err(io::Error::other(
                "it changed into a file or folder while cls was writing; nothing was written",
            ));
        }
        // A terminal (`--output /dev/tty`) shows the text: sanitised like
        // all terminal text.
        if std::io::IsTerminal::is_terminal(&f) {
            let text = crate::render::sanitize_lines(&String::from_utf8_lossy(bytes));
            f.write_all(text.as_bytes())?;
        } else {
            f.write_all(bytes)?;
        }
        f.flush()
    }
}

/// The diary's SQLite side files, which belong with it.
const SIDE_FILES: [&str; 3] = ["-wal", "-shm", "-journal"];

/// Refuse `out` when it is `diary`, one of its side files, an existing
/// SQLite database or journal of any name, a folder, a block device or a
/// symbolic link to a file; else say how it will be written.
pub fn check(out: &Path, diary: &Path) -> Result<Target, Refused> {
    let shown = || out.display().to_string();
    let with = |suffix: &str| {
        let mut p = diary.as_os_str().to_owned();
        p.push(suffix);
        PathBuf::from(p)
    };
    if same_file(out, diary) {
        return Err(Refused::Diary(shown()));
    }
    for suffix in SIDE_FILES {
        if same_file(out, &with(suffix)) {
            return Err(Refused::SideFile(shown(), suffix));
        }
    }
    if is_sqlite_file(out) {
        return Err(Refused::Database(shown()));
    }
    let in_place = match fs::symlink_metadata(out) {
        // Missing (or unreadable: the write will say why): a new file.
        Err(_) => false,
        Ok(m) if m.is_file() => false,
        Ok(m) if m.is_dir() => return Err(Refused::Folder(shown())),
        Ok(m) if m.file_type().is_symlink() => match fs::metadata(out) {
            Err(_) => return Err(Refused::Dangling(shown())),
            Ok(t) if t.is_file() || t.is_dir() => return Err(Refused::Symlink(shown())),
            Ok(t) if is_block_device(&t.file_type()) => return Err(Refused::BlockDevice(shown())),
            Ok(_) => true,
        },
        Ok(m) if is_block_device(&m.file_type()) => return Err(Refused::BlockDevice(shown())),
        // A character device, FIFO or socket.
        Ok(_) => true,
    };
    Ok(Target {
        path: out.to_path_buf(),
        in_place,
    })
}

#[cfg(unix)]
fn is_block_device(t: &fs::FileType) -> bool {
    std::os::unix::fs::FileTypeExt::is_block_device(t)
}

#[cfg(not(unix))]
fn is_block_device(_: &fs::FileType) -> bool {
    false
}

/// True when `a` and `b` are the same file: the same device and inode when
/// both exist, else the same canonical folder and name.
fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(ma), Ok(mb)) => identity(&ma, a) == identity(&mb, b),
        (Err(_), Err(_)) => match (canonical(a), canonical(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
        // One exists, the other does not: different files.
        _ => false,
    }
}

#[cfg(unix)]
fn identity(m: &fs::Metadata, _: &Path) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

#[cfg(not(unix))]
fn identity(_: &fs::Metadata, p: &Path) -> Option<PathBuf> {
    fs::canonicalize(p).ok()
}

/// The canonical path of a file that may not exist yet: its folder made
/// canonical, joined with its name.
fn canonical(p: &Path) -> Option<PathBuf> {
    if let Ok(c) = fs::canonicalize(p) {
        return Some(c);
    }
    let parent = p
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Some(fs::canonicalize(parent).ok()?.join(p.file_name()?))
}

/// True when `p` is a regular file that starts like a SQLite database, a
/// rollback journal or a write-ahead log.
fn is_sqlite_file(p: &Path) -> bool {
    if !fs::metadata(p).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = [0u8; 16];
    let read = fs::File::open(p).and_then(|mut f| read_up_to(&mut f, &mut head));
    let Ok(n) = read else { return false };
    let head = &head[..n];
    head.starts_with(b"SQLite format 3\0")
        || head.starts_with(&[0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7])
        || head.starts_with(&[0x37, 0x7f, 0x06, 0x82])
        || head.starts_with(&[0x37, 0x7f, 0x06, 0x83])
}

fn read_up_to(f: &mut fs::File, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_diary_and_its_side_files_are_refused_however_spelled() {
        let dir = tempfile::tempdir().unwrap();
        let diary = dir.path().join("diary.sqlite3");
        fs::write(&diary, b"SQLite format 3\0rest").unwrap();
        let dotted = dir.path().join(".").join("diary.sqlite3");
        assert!(matches!(check(&dotted, &diary), Err(Refused::Diary(_))));
        let wal = dir.path().join("diary.sqlite3-wal");
        assert!(matches!(
            check(&wal, &diary),
            Err(Refused::SideFile(_, "-wal"))
        ));
        fs::write(&wal, b"x").unwrap();
        assert!(matches!(
            check(&wal, &diary),
            Err(Refused::SideFile(_, "-wal"))
        ));
        let other = dir.path().join("copy.bak");
        fs::write(&other, b"SQLite format 3\0rest").unwrap();
        assert!(matches!(check(&other, &diary), Err(Refused::Database(_))));
        assert!(check(&dir.path().join("report.html"), &diary).is_ok_and(|t| t.is_file()));
        assert!(matches!(check(dir.path(), &diary), Err(Refused::Folder(_))));
    }
}
