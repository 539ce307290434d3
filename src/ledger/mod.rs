//! The ledger: one SQLite file holding profiles, every operation and every state change.
//!
//! WAL journal, `synchronous=FULL` (money), foreign keys on, migrations applied on open, and a
//! file from a newer saldo refused untouched. All methods block: call them off the UI thread.

pub mod backup;
pub mod balances;
pub mod batches;
pub mod claims;
pub mod counter_memory;
pub mod db;
pub mod demo_data;
pub mod export;
pub mod follow_up;
pub mod history;
pub mod merge;
pub mod migrations;
pub mod profiles;
pub mod provider_lists;
pub mod reader;
pub mod transactions;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::domain::IllegalTransition;
use crate::domain::clock::{self, Clock};

pub use backup::{BackupFacts, RestoreProblem, Restored};
pub use balances::BalanceReading;
pub use batches::{BatchInfo, BatchRowInput, BatchRowStatus};
pub use claims::Claim;
pub use counter_memory::FavouriteNumber;
pub use follow_up::{DestinationOperation, NextCheck};
pub use history::{HistoryCursor, HistoryFilter};
pub use reader::{DailySales, HistorySummary, LedgerReader, UnitTotal};
pub use transactions::{
    BatchLine, EarlierOperation, EventRecord, NewOperation, RepeatGuard, Settled, StateChange,
    TxKind, TxRecord,
};

/// The ledger file's name inside the data directory.
pub const FILE_NAME: &str = "saldo.sqlite3";

/// What went wrong with the ledger, in words that say what to do.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error(
        "could not open the ledger {path}: {reason}. Check that the folder exists and is writable"
    )]
    Open { path: PathBuf, reason: String },
    #[error(
        "the ledger {path} was written by a newer saldo (schema {found}; this saldo knows up to \
         {supported}). Install the newer saldo; the file was not changed"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("could not write to the ledger: {0}")]
    Write(String),
    #[error("could not read the ledger: {0}")]
    Read(String),
    #[error("a profile named “{0}” already exists")]
    ProfileExists(String),
    #[error("there is no profile named “{0}”: see `saldo profile list`")]
    ProfileNotFound(String),
    #[error(
        "profile “{name}” still has {open} operation(s) to settle (pending, unknown or flagged): \
         settle them first (see Needs review), then remove it — its secrets are needed to \
         settle them"
    )]
    ProfileInUse { name: String, open: i64 },
    #[error("there is no operation with reference {0}")]
    TransactionNotFound(String),
    #[error(transparent)]
    Illegal(#[from] IllegalTransition),
    #[error("the ledger holds a value this saldo does not understand: {0}")]
    Corrupt(String),
    /// The same kind, destination and amount went out a moment ago (the duplicate-send guard).
    #[error("this repeats {} recorded at {} ({})", .0.reference, crate::domain::time::local_text(.0.created_at), .0.state)]
    PossibleRepeat(EarlierOperation),
    /// The same kind, destination and amount is still open (being sent, pending or unknown):
    /// nobody may send it again until that one is settled.
    #[error("this repeats {} recorded at {}, which is still {}", .0.reference, crate::domain::time::local_text(.0.created_at), .0.state)]
    RepeatOfOpen(EarlierOperation),
    #[error("row {line} of batch {batch_id} already has an operation: it is not sent again")]
    BatchRowTaken { batch_id: i64, line: i64 },
    #[error("there is no batch {0}: the number is the one `saldo batch` printed when it started")]
    BatchNotFound(i64),
    /// A batch with the same rows was stored before.
    #[error("the same rows were stored as batch {batch_id}: nothing was stored or sent")]
    SameRows { batch_id: i64 },
    #[error(
        "could not write the backup {path}: {reason}. Choose a folder with free space that you can write to"
    )]
    Backup { path: PathBuf, reason: String },
    #[error("{path} cannot be restored: {problem}. The ledger was not changed")]
    NotRestorable {
        path: PathBuf,
        problem: backup::RestoreProblem,
    },
}

/// Words for a SQLite failure that tell a person what is going on.
fn sqlite_reason(error: &rusqlite::Error) -> String {
    match error.sqlite_error_code() {
        Some(ErrorCode::ReadOnly) => "the ledger file is read-only".to_string(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            "the ledger is locked by another program (another saldo?)".to_string()
        }
        Some(ErrorCode::DiskFull) => "the disk is full".to_string(),
        Some(ErrorCode::SystemIoFailure) => {
            "the disk could not be written (it may be full or failing)".to_string()
        }
        Some(ErrorCode::CannotOpen) => "the file cannot be opened".to_string(),
        Some(ErrorCode::NotADatabase) => "the file is not a saldo ledger".to_string(),
        _ => error.to_string(),
    }
}

pub(crate) fn write_error(error: rusqlite::Error) -> LedgerError {
    LedgerError::Write(sqlite_reason(&error))
}

pub(crate) fn read_error(error: rusqlite::Error) -> LedgerError {
    LedgerError::Read(sqlite_reason(&error))
}

/// An open ledger. Share it behind an `Arc`; calls are serialised on one connection.
pub struct Ledger {
    conn: Mutex<Connection>,
    path: PathBuf,
    clock: Arc<dyn Clock>,
}

impl Ledger {
    /// Opens (creating if needed) the ledger in a data directory.
    pub fn open_in(data_dir: &Path) -> Result<Ledger, LedgerError> {
        crate::paths::create_private_dir(data_dir).map_err(|e| LedgerError::Open {
            path: data_dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        Ledger::open(&data_dir.join(FILE_NAME))
    }

    /// Opens (creating if needed) a ledger file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Ledger, LedgerError> {
        let open_error = |e: rusqlite::Error| LedgerError::Open {
            path: path.to_path_buf(),
            reason: sqlite_reason(&e),
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let created = !path.exists();
        let mut conn = Connection::open_with_flags(path, flags).map_err(open_error)?;
        if created {
            // It holds customers' numbers and the shop's books: this user's only. SQLite gives
            // its journal files the same permissions.
            crate::paths::make_private(path).map_err(|e| LedgerError::Open {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        }
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(open_error)?;
        // Refuse a newer file before anything (even the journal mode) writes to it.
        let found = migrations::current_version(&conn).map_err(open_error)?;
        let supported = migrations::latest_version();
        if found > supported {
            return Err(LedgerError::NewerSchema {
                path: path.to_path_buf(),
                found,
                supported,
            });
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_error)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_error)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_error)?;
        migrations::apply(&mut conn).map_err(open_error)?;
        Ok(Ledger {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
            clock: clock::system(),
        })
    }

    /// The same ledger reading time from `clock` (tests step it as NTP would).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Ledger {
        self.clock = clock;
        self
    }

    /// Now, by this ledger's clock (Unix ms, UTC): the only time ledger and engine code read.
    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// The clock this ledger reads.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// Where the ledger file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How long a write waits for another program holding the ledger before giving up.
    pub fn set_busy_timeout(&self, timeout: Duration) -> Result<(), LedgerError> {
        self.conn().busy_timeout(timeout).map_err(write_error)
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        lock(&self.conn)
    }
}

/// Takes a connection's lock; a thread that panicked holding it left SQLite consistent (every
/// write is a transaction), so the connection is used on.
pub(crate) fn lock(conn: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A second, read-only connection to a ledger file: reads on it never wait for the writer's
/// lock (WAL) and never hold up a top-up.
pub(crate) fn open_read_only(path: &Path) -> Result<Connection, LedgerError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| LedgerError::Open {
        path: path.to_path_buf(),
        reason: sqlite_reason(&e),
    })?;
    conn.busy_timeout(Duration::from_secs(5))
        .map_err(read_error)?;
    Ok(conn)
}

/// A ledger in a throw-away folder with one QvaTel profile, "cuba" (its id), for unit tests.
#[cfg(test)]
pub(crate) fn ledger_with_cuba() -> (tempfile::TempDir, Ledger, i64) {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open_in(dir.path()).unwrap();
    let kind = crate::providers::ProviderKind::Qvatel;
    let id = ledger
        .add_profile("cuba", kind, "https://x.example", &kind.default_settings())
        .unwrap()
        .id;
    (dir, ledger, id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_sets_the_money_pragmas_and_schema() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open_in(dir.path()).unwrap();
        let conn = ledger.conn();
        let get = |pragma: &str| -> String {
            conn.query_row(&format!("PRAGMA {pragma}"), [], |r| {
                r.get::<_, rusqlite::types::Value>(0)
            })
            .map(|v| match v {
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            })
            .unwrap()
        };
        assert_eq!(get("journal_mode"), "wal");
        assert_eq!(get("synchronous"), "2");
        assert_eq!(get("foreign_keys"), "1");
        assert_eq!(
            get("user_version"),
            migrations::latest_version().to_string()
        );
    }

    #[test]
    fn a_ledger_from_a_newer_saldo_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
                .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = Ledger::open(&path).err().expect("must refuse");
        assert!(
            matches!(err, LedgerError::NewerSchema { found: 99, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("newer saldo"), "{err}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "file must stay untouched"
        );
        assert!(!dir.path().join(format!("{FILE_NAME}-wal")).exists());
    }

    #[test]
    fn reopening_keeps_data_and_does_not_rerun_migrations() {
        let dir = tempfile::tempdir().unwrap();
        drop(Ledger::open_in(dir.path()).unwrap());
        let ledger = Ledger::open_in(dir.path()).unwrap();
        let version: i64 = ledger
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, migrations::latest_version());
    }
}
