//! Small file helpers for private health data: everything `cls` creates
//! (diary, backups, exports, reports) is readable by the owner only.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Create a new, empty file with mode 0600; fails if it exists.
pub fn create_private_file(path: &Path) -> io::Result<fs::File> {
    let mut o = fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path)
}

/// What is at a path, seen with `lstat` (a final symbolic link is not
/// followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Missing,
    File,
    Symlink,
    Folder,
    /// A FIFO, a device, a socket: opening one can block or reach hardware.
    Special(&'static str),
}

impl Kind {
    /// "a symbolic link", "a character device", ... for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Missing => "missing",
            Kind::File => "a regular file",
            Kind::Symlink => "a symbolic link",
            Kind::Folder => "a folder",
            Kind::Special(what) => what,
        }
    }
}

/// What is at `path`, without following a final link and without opening
/// anything (a FIFO would block an open forever).
pub fn kind(path: &Path) -> io::Result<Kind> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Kind::Missing),
        Err(e) => return Err(e),
    };
    let t = meta.file_type();
    Ok(if t.is_file() {
        Kind::File
    } else if t.is_symlink() {
        Kind::Symlink
    } else if t.is_dir() {
        Kind::Folder
    } else {
        Kind::Special(special(&t))
    })
}

#[cfg(unix)]
fn special(t: &fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn special(_: &fs::FileType) -> &'static str {
    "not a regular file"
}

/// Remove group and other permission bits from the regular file at `path`
/// (nothing to do when it is missing). Never follows a link: anything but a
/// regular file is an error, and the mode is changed through a descriptor
/// of the very file `lstat` saw, so a name swapped for a link in between
/// changes nothing.
pub fn make_private(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let meta = match fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        if !meta.file_type().is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{} is {}, not a regular file; its mode is left as it is",
                    path.display(),
                    kind(path).map_or("not a regular file", Kind::describe)
                ),
            ));
        }
        let mode = meta.permissions().mode();
        if mode & 0o077 == 0 {
            return Ok(());
        }
        let private = fs::Permissions::from_mode(mode & 0o700);
        match fs::File::open(path) {
            Ok(f) => {
                let now = f.metadata()?;
                if (now.dev(), now.ino()) != (meta.dev(), meta.ino()) {
                    return Err(io::Error::other(format!(
                        "{} was replaced while cls looked at it; its mode is left as it is",
                        path.display()
                    )));
                }
                f.set_permissions(private)
            }
            // Not readable by its owner (mode 0200): lstat said it is a
            // regular file a moment ago.
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                fs::set_permissions(path, private)
            }
            Err(e) => Err(e),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// Write `bytes` to `path` atomically (a temporary file
/// `.NAME.cls-PID.tmp` in the same folder, synced, then renamed over) with
/// mode 0600. A reader never sees half a
/// file, and a failed write leaves the old file as it was.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file path"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".cls-{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut f = create_private_file(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// True for the name of a temporary file [`write_private`] makes,
/// `.NAME.cls-PID.tmp` (or `.NAME.PID.tmp`, as versions before 0.2 named
/// it): one that is still there was left by a killed `cls`.
pub fn is_temp_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
        return false;
    };
    let Some((stem, pid)) = rest.rsplit_once('.') else {
        return false;
    };
    let pid = pid.strip_prefix("cls-").unwrap_or(pid);
    !stem.is_empty() && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
}

/// The temporary files a killed `cls` left in `dir` ([`is_temp_name`]),
/// sorted.
pub fn temp_files_in(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_str().is_some_and(is_temp_name))
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_files_are_private_and_replace_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.csv");
        write_private(&p, b"one").unwrap();
        write_private(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn temporary_names_are_recognised() {
        assert!(is_temp_name(".report.html.cls-4242.tmp"));
        assert!(is_temp_name(".report.html.4242.tmp"));
        assert!(!is_temp_name("report.html.4242.tmp"));
        assert!(!is_temp_name(".report.html.tmp"));
        assert!(!is_temp_name(".x.cls-.tmp"));
        assert!(!is_temp_name("..4242.tmp"));
    }
}
