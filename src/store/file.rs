//! The diary file before SQLite opens it: its path, header, length and
//! modes, and the read-only `immutable` open.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::{Result, StoreError};

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

pub(super) fn wal_pending(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    fs::metadata(PathBuf::from(wal)).is_ok_and(|m| m.len() > 0)
}

/// Open read-only with `immutable=1`: no locks, no -wal or -shm (also
/// used by the backup module to read a backup without touching it).
pub(crate) fn open_immutable(path: &Path) -> rusqlite::Result<Connection> {
    let abs = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    // In a URI, '%', '?' and '#' in the path must be escaped.
    let p = abs
        .to_string_lossy()
        .replace('%', "%25")
        .replace('?', "%3f")
        .replace('#', "%23");
    let conn = Connection::open_with_flags(
        format!("file:{p}?mode=ro&immutable=1"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
            | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX
            | rusqlite::OpenFlags::SQLITE_OPEN_URI,
    )?;
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;")?;
    Ok(conn)
}

/// Refuse a file that is not SQLite before SQLite touches it, so that it is
/// never overwritten or "repaired" into an empty diary.
pub(super) fn check_header(path: &Path) -> Result<()> {
    let display = path.display().to_string();
    let mut f = fs::File::open(path).map_err(|e| StoreError::Io {
        path: display.clone(),
        action: "open",
        source: e,
    })?;
    let mut head = [0u8; 16];
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) => {
                return Err(StoreError::Io {
                    path: display,
                    action: "read",
                    source: e,
                })
            }
        }
    }
    // An empty file is a diary we created and have not yet initialised.
    if n == 0 {
        return Ok(());
    }
    if n < head.len() || &head != SQLITE_HEADER {
        return Err(StoreError::Corrupt {
            path: display,
            detail: "the file does not start with an SQLite header".into(),
        });
    }
    check_length(path, &mut f).map_err(|detail| StoreError::Corrupt {
        path: display,
        detail,
    })
}

/// A file shorter than its header says was truncated (a bad copy, a full
/// disk while copying). SQLite would read the missing pages as zeros and
/// might write over them; refuse instead. Skipped while a non-empty `-wal`
/// or a `-journal` is beside the file: after a crash mid-checkpoint the file
/// can be short until SQLite finishes the checkpoint from the WAL.
fn check_length(path: &Path, f: &mut fs::File) -> std::result::Result<(), String> {
    let sibling = |suffix: &str| {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        fs::metadata(PathBuf::from(p)).map(|m| m.len()).ok()
    };
    if sibling("-wal").is_some_and(|l| l > 0) || sibling("-journal").is_some() {
        return Ok(());
    }
    let mut h = [0u8; 100];
    use std::io::Seek;
    if f.seek(std::io::SeekFrom::Start(0)).is_err() || f.read_exact(&mut h).is_err() {
        return Err("the file is shorter than an SQLite header (truncated)".into());
    }
    let be32 = |i: usize| u32::from_be_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
    let page_size = match u16::from_be_bytes([h[16], h[17]]) {
        1 => 65_536,
        p => u64::from(p),
    };
    let pages = u64::from(be32(28));
    // The page count is only meaningful when "version-valid-for" matches the
    // change counter (https://www.sqlite.org/fileformat2.html#in_header_database_size).
    if pages == 0 || be32(24) != be32(92) || page_size < 512 {
        return Ok(());
    }
    let len = f.metadata().map(|m| m.len()).unwrap_or(u64::MAX);
    if len < pages * page_size {
        return Err(format!(
            "the file is {len} bytes but its header says {} ({pages} pages): it was truncated",
            pages * page_size
        ));
    }
    Ok(())
}

/// Create the diary's folder (0700) and an empty file (0600) if missing.
pub(super) fn create_private(path: &Path) -> Result<()> {
    let display = path.display().to_string();
    let io = |action: &'static str| {
        let display = display.clone();
        move |source| StoreError::Io {
            path: display,
            action,
            source,
        }
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.exists() {
            let mut b = fs::DirBuilder::new();
            b.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
            b.create(parent).map_err(io("create folder"))?;
        }
    }
    let mut o = fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    match o.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io("create")(e)),
    }
}

/// True when a diary file is at `path`, false when nothing is; an error for
/// anything else (a device, a FIFO, a folder, a symbolic link), found with
/// `lstat` before anything opens or changes it. A link is refused too:
/// SQLite keeps `-wal` and `-shm` beside the file the link points to, where
/// cls would not look for them.
pub fn check_diary_path(path: &Path) -> Result<bool> {
    match crate::fsutil::kind(path) {
        Ok(crate::fsutil::Kind::Missing) => Ok(false),
        Ok(crate::fsutil::Kind::File) => Ok(true),
        Ok(other) => Err(StoreError::NotAFile {
            path: path.display().to_string(),
            kind: other.describe(),
        }),
        Err(source) => Err(StoreError::Io {
            path: path.display().to_string(),
            action: "look at",
            source,
        }),
    }
}

/// Remove group and other permissions from the diary and its WAL files: the
/// diary is private health data. Never through a link: a `-wal` or `-shm`
/// that is not a regular file is refused before SQLite could open it.
pub(super) fn tighten_permissions(path: &Path) -> Result<()> {
    let mut files = vec![path.to_path_buf()];
    for suffix in ["-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let p = PathBuf::from(p);
        match crate::fsutil::kind(&p) {
            Ok(crate::fsutil::Kind::File | crate::fsutil::Kind::Missing) => files.push(p),
            Ok(other) => {
                return Err(StoreError::NotAJournal {
                    path: p.display().to_string(),
                    kind: other.describe(),
                })
            }
            Err(source) => {
                return Err(StoreError::Io {
                    path: p.display().to_string(),
                    action: "look at",
                    source,
                })
            }
        }
    }
    for f in files {
        match crate::fsutil::make_private(&f) {
            Ok(()) => {}
            // Read-only media (a copy on a USB stick): its modes cannot
            // change, nor can anything be written there; reading goes on,
            // and `cls doctor` shows the modes.
            Err(e) if e.kind() == std::io::ErrorKind::ReadOnlyFilesystem => {}
            Err(source) => {
                return Err(StoreError::Io {
                    path: f.display().to_string(),
                    action: "make private (chmod 600)",
                    source,
                })
            }
        }
    }
    Ok(())
}
