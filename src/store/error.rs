//! The store's errors, and how SQLite's are mapped onto the ones a patient
//! can act on.

use rusqlite::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("diary {path} is not a cls diary or is damaged ({detail}); nothing was changed. Run 'cls doctor --db {path}' or restore a backup with 'cls restore'")]
    Corrupt { path: String, detail: String },
    #[error("diary {path} has schema version {found}, newer than this cls understands ({supported}); upgrade cls, nothing was changed")]
    NewerSchema {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error(
        "diary {path} is busy (another cls is writing); try again in a moment, nothing was written"
    )]
    Busy { path: String },
    #[error("diary {path}: cannot write ({detail}): is the disk full? Nothing was written; free some space and try again")]
    WriteFailed { path: String, detail: String },
    #[error("diary {path} is read-only ({detail}); nothing was written")]
    ReadOnly { path: String, detail: String },
    #[error("{path} is {kind}, not a diary file; cls neither opens nor changes it (nothing was changed). Give the path of the diary itself")]
    NotAFile { path: String, kind: &'static str },
    #[error("{path} is {kind} where SQLite keeps the diary's journal; cls does not follow or change it, as someone who can write to that folder may have put it there: remove it and run 'cls doctor' (nothing was changed)")]
    NotAJournal { path: String, kind: &'static str },
    #[error("no entry with id {0} (see 'cls list')")]
    NoEntry(i64),
    #[error("entry {id} cannot be read ({detail}); delete it with 'cls delete {id} --yes', or see 'cls doctor'")]
    Unreadable { id: i64, detail: String },
    #[error("no episode with id {0} (see 'cls episode list')")]
    NoEpisode(i64),
    #[error("diary {path}: {action}: {source}")]
    Sqlite {
        path: String,
        action: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    #[error("diary {path}: {action}: {source}")]
    Io {
        path: String,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
}

pub type Result<T> = std::result::Result<T, StoreError>;

pub(super) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// Map SQLite's errors onto the ones a patient can act on, the same way
/// for every write (entries, batches, backups, migrations).
pub fn classify(path: &str, action: &'static str, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy {
            path: path.to_string(),
        },
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_string(),
            detail: e.to_string(),
        },
        // A full disk shows up as SQLITE_FULL, or (tmpfs, growing -shm) as
        // an I/O error: either way the transaction was rolled back.
        Some(ErrorCode::DiskFull | ErrorCode::SystemIoFailure) => StoreError::WriteFailed {
            path: path.to_string(),
            detail: e.to_string(),
        },
        Some(ErrorCode::ReadOnly) => StoreError::ReadOnly {
            path: path.to_string(),
            detail: e.to_string(),
        },
        _ => StoreError::Sqlite {
            path: path.to_string(),
            action,
            source: e,
        },
    }
}

impl StoreError {
    /// The diary cannot be written here (read-only file, folder or medium).
    pub fn is_read_only(&self) -> bool {
        cannot_write(self)
    }
}

pub(super) fn cannot_write(e: &StoreError) -> bool {
    match e {
        StoreError::ReadOnly { .. } => true,
        StoreError::Sqlite { source, .. } => {
            source.sqlite_error_code() == Some(ErrorCode::CannotOpen)
        }
        _ => false,
    }
}
