//! The ledger: profiles, every operation and every state change, in one SQLite file (one
//! counter) or on the shop's PostgreSQL server (several counters; see [`db`]).
//!
//! SQLite: WAL journal, `synchronous=FULL` (money), foreign keys on, migrations applied on open, and a
//! file from a newer saldo refused untouched. All methods block: call them off the UI thread.

pub mod address;
pub mod backup;
pub mod balances;
pub mod batches;
pub mod claims;
pub mod counter_memory;
pub mod counters;
pub mod db;
pub mod demo_data;
pub mod export;
pub mod follow_up;
pub mod history;
mod leases;
pub mod merge;
pub mod migrations;
mod outbox;
pub mod profiles;
pub mod provider_lists;
pub mod reader;
pub mod receipts;
mod snapshot;
#[doc(hidden)]
pub mod testkit;
pub mod transactions;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::domain::IllegalTransition;
use crate::domain::clock::{self, Clock};

pub use address::LedgerAddress;
pub use backup::{BackupFacts, RestoreProblem, Restored};
pub use balances::BalanceReading;
pub use batches::{BatchInfo, BatchRowInput, BatchRowStatus};
pub use claims::Claim;
pub use counter_memory::FavouriteNumber;
pub use counters::CounterInfo;
pub use db::{Dialect, PgTarget};
pub use follow_up::{DestinationOperation, NextCheck};
pub use history::{HistoryCursor, HistoryFilter};
pub use reader::{DailySales, HistorySummary, LedgerReader, UnitTotal};
pub use receipts::{ReceiptPrint, ShopDetails};
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
    #[error("could not open the ledger on the shop's server {address}: {reason}")]
    OpenServer { address: String, reason: String },
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
    /// The shop's server cannot be reached (or the connection to it was lost).
    #[error("{0}")]
    Unreachable(String),
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
    /// A receipt was asked for an operation that has nothing to hand over.
    #[error("{reference} is {state}: {}", crate::ledger::receipts::no_receipt_advice(*.state))]
    NoReceipt {
        reference: String,
        state: crate::domain::TxState,
    },
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

impl From<db::DbError> for LedgerError {
    /// A store's failure met while writing (see [`LedgerError::reading`] for reads).
    fn from(error: db::DbError) -> LedgerError {
        match error.kind {
            db::ErrorKind::Unreachable => LedgerError::Unreachable(error.reason),
            _ => LedgerError::Write(error.reason),
        }
    }
}

impl LedgerError {
    /// The same failure, said as one met while reading.
    pub(crate) fn reading(self) -> LedgerError {
        match self {
            LedgerError::Write(reason) => LedgerError::Read(reason),
            other => other,
        }
    }
}

/// Where a ledger lives, enough to open another connection to it (a reader, an export).
#[derive(Clone)]
pub enum Store {
    /// A SQLite file: this counter only.
    File(PathBuf),
    /// The shop's PostgreSQL server, shared by every counter.
    Server {
        target: db::PgTarget,
        password: Option<ServerPassword>,
    },
}

/// The shop server's password, held in memory only; never printed.
#[derive(Clone)]
pub struct ServerPassword(pub String);

impl std::fmt::Debug for ServerPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerPassword(…)")
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Store::File(path) => write!(f, "File({})", path.display()),
            Store::Server { target, .. } => write!(f, "Server({target})"),
        }
    }
}

impl Store {
    /// Where the ledger is, as it may be shown or logged.
    pub fn shown(&self) -> String {
        match self {
            Store::File(path) => path.display().to_string(),
            Store::Server { target, .. } => target.shown().to_string(),
        }
    }

    /// A connection for long reads: on SQLite a read-only one that never waits for the
    /// writer (WAL), on the server a connection of its own.
    pub(crate) fn open_reader(&self) -> Result<db::Conn, LedgerError> {
        match self {
            Store::File(path) => Ok(db::Conn::Sqlite(open_read_only(path)?)),
            Store::Server { target, password } => {
                let password = password.as_ref().map(|p| p.0.as_str());
                Ok(db::connect_postgres(target, password)?)
            }
        }
    }
}

/// An open ledger. Share it behind an `Arc`; calls are serialised on one connection.
pub struct Ledger {
    conn: Mutex<db::Conn>,
    store: Store,
    /// This counter's own folder: the ledger file on SQLite; locks and backups beside it.
    path: PathBuf,
    clock: Arc<dyn Clock>,
    /// The name of the counter this ledger writes for, on every operation and event.
    counter: String,
    /// On the shop's server: this counter's leases, the server's clock and the outbox.
    leases: Option<Arc<leases::Leases>>,
    /// A statement found the server's connection lost: the next one connects again.
    conn_lost: std::sync::atomic::AtomicBool,
    /// On a file: the operation locks this ledger holds itself (see [`claims::OwnClaims`]).
    own_claims: claims::OwnClaims,
}

/// This machine's name, the counter's name unless one is given (`--terminal`).
pub fn host_counter_name() -> String {
    let name = gethostname::gethostname()
        .to_string_lossy()
        .trim()
        .to_string();
    if name.is_empty() {
        "counter".to_string()
    } else {
        name
    }
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
            reason: db::sqlite_error(&e).reason,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let created = !path.exists();
        let conn = Connection::open_with_flags(path, flags).map_err(open_error)?;
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
        let mut conn = db::Conn::Sqlite(conn);
        let newer = |found| LedgerError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported: migrations::latest_version(),
        };
        let found = migrations::current_version(&mut conn).map_err(|e| LedgerError::Open {
            path: path.to_path_buf(),
            reason: e.reason,
        })?;
        if found > migrations::latest_version() {
            return Err(newer(found));
        }
        if let db::Conn::Sqlite(sqlite) = &conn {
            sqlite
                .pragma_update(None, "journal_mode", "WAL")
                .map_err(open_error)?;
            sqlite
                .pragma_update(None, "synchronous", "FULL")
                .map_err(open_error)?;
            sqlite
                .pragma_update(None, "foreign_keys", "ON")
                .map_err(open_error)?;
        }
        migrations::apply(&mut conn).map_err(|e| match e {
            migrations::MigrationError::Newer(found) => newer(found),
            migrations::MigrationError::Store(e) => LedgerError::Open {
                path: path.to_path_buf(),
                reason: e.reason,
            },
        })?;
        Ok(Ledger {
            conn: Mutex::new(conn),
            store: Store::File(path.to_path_buf()),
            path: path.to_path_buf(),
            clock: clock::system(),
            counter: host_counter_name(),
            leases: None,
            conn_lost: Default::default(),
            own_claims: Default::default(),
        })
    }

    /// Connects to the shop's server and brings its schema up to date (once, whichever
    /// counter starts first); `local_dir` is this counter's own folder. The counter is named
    /// after the host.
    pub fn open_server(
        target: &db::PgTarget,
        password: Option<ServerPassword>,
        local_dir: &Path,
    ) -> Result<Ledger, LedgerError> {
        Ledger::open_server_as(target, password, local_dir, None)
    }

    /// Like [`Ledger::open_server`], for the counter `counter` (the host's name if `None`):
    /// its leases and everything it writes carry that name from the first statement on.
    pub fn open_server_as(
        target: &db::PgTarget,
        password: Option<ServerPassword>,
        local_dir: &Path,
        counter: Option<&str>,
    ) -> Result<Ledger, LedgerError> {
        let shown = target.shown().to_string();
        crate::paths::create_private_dir(local_dir).map_err(|e| LedgerError::Open {
            path: local_dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        let store = Store::Server {
            target: target.clone(),
            password,
        };
        let mut conn = store.open_reader().map_err(|e| LedgerError::OpenServer {
            address: shown.clone(),
            reason: e.to_string(),
        })?;
        migrations::apply(&mut conn).map_err(|e| match e {
            migrations::MigrationError::Newer(found) => LedgerError::NewerSchema {
                path: PathBuf::from(&shown),
                found,
                supported: migrations::latest_version(),
            },
            migrations::MigrationError::Store(e) => LedgerError::OpenServer {
                address: shown.clone(),
                reason: e.reason,
            },
        })?;
        let unreachable = |e: LedgerError| LedgerError::OpenServer {
            address: shown.clone(),
            reason: e.to_string(),
        };
        let keeper_conn = store.open_reader().map_err(unreachable)?;
        let counter = counter
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map_or_else(host_counter_name, str::to_string);
        let outbox = outbox::Outbox::in_dir(local_dir);
        let leases = leases::Leases::start(store.clone(), keeper_conn, &counter, outbox)
            .map_err(unreachable)?;
        // What an earlier run of this counter kept while the server was away is written
        // before anything else is done (a resumed batch, a reconciler pass).
        match outbox::flush(&leases) {
            Ok(0) => {}
            Ok(written) => tracing::info!(written, "outcomes kept on this counter were written"),
            Err(error) => {
                tracing::warn!(%error, "could not write the outcomes kept on this counter yet")
            }
        }
        Ok(Ledger {
            conn: Mutex::new(conn),
            store,
            path: local_dir.join(FILE_NAME),
            clock: leases.clock.clone(),
            counter,
            leases: Some(leases),
            conn_lost: Default::default(),
            own_claims: Default::default(),
        })
    }

    /// The same ledger reading time from `clock` (tests step it as NTP would). On the shop's
    /// server the ledger's time stays the server's: `clock` is this counter's own, measured
    /// against the server once, and moves the ledger's time only when it is stepped.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Ledger {
        match &self.leases {
            Some(leases) => {
                if let Err(error) = leases.rebase_clock(clock.clone()) {
                    tracing::warn!(%error, "could not read the server's clock");
                    self.clock = clock;
                }
            }
            None => self.clock = clock,
        }
        self
    }

    /// The same ledger writing for the counter named `name` (trimmed; blank keeps the host's).
    pub fn with_counter(mut self, name: &str) -> Ledger {
        let name = name.trim();
        if !name.is_empty() {
            self.counter = name.to_string();
        }
        self
    }

    /// On the shop's server: leases taken from now on last `length` without renewal (the
    /// tests shorten it; counters read `SALDO_LEASE_SECONDS`).
    #[doc(hidden)]
    pub fn set_lease_length(&self, length: Duration) {
        if let Some(leases) = &self.leases {
            leases.set_length(length);
        }
    }

    /// On the shop's server: the server's process id of this ledger's own connection (tests
    /// cut it, as a network would).
    #[doc(hidden)]
    pub fn server_process(&self) -> Option<i64> {
        let mut conn = self.conn();
        if conn.dialect() != db::Dialect::Postgres {
            return None;
        }
        conn.sql()
            .value("SELECT CAST(pg_backend_pid() AS BIGINT)", crate::args![])
            .ok()
    }

    /// The counter this ledger writes for.
    pub fn counter(&self) -> &str {
        &self.counter
    }

    pub(crate) fn stamp(&self, now: i64) -> transactions::Stamp<'_> {
        transactions::Stamp {
            now,
            counter: &self.counter,
        }
    }

    pub(crate) fn leases(&self) -> Option<&Arc<leases::Leases>> {
        self.leases.as_ref()
    }

    /// What writes to an operation must check first (see [`leases::Fence`]).
    pub(crate) fn fence(&self, reference: &crate::domain::Reference) -> leases::Fence {
        leases::Fence::for_key(self.leases.as_deref(), reference.as_str())
    }

    /// How many outcomes this counter keeps until the shop's server answers again.
    pub fn kept_outcomes(&self) -> usize {
        self.leases.as_ref().map_or(0, |l| l.outbox.len())
    }

    /// Writes the outcomes this counter kept while the server could not be reached, now.
    pub fn write_kept_outcomes(&self) -> Result<usize, LedgerError> {
        match &self.leases {
            Some(leases) => outbox::flush(leases),
            None => Ok(0),
        }
    }

    /// Keeps an outcome the server could not take on this counter, durably (see [`outbox`]).
    pub(crate) fn keep_for_later(
        &self,
        reference: &crate::domain::Reference,
        expected: crate::domain::TxState,
        to: crate::domain::TxState,
        change: &StateChange,
        at: i64,
    ) -> Result<(), LedgerError> {
        let Some(leases) = &self.leases else {
            return Ok(());
        };
        leases.outbox.keep(&outbox::Kept {
            reference: reference.clone(),
            expected,
            to,
            change: change.clone(),
            at,
            token: leases.token(reference.as_str()),
        })
    }

    /// Now, by this ledger's clock (Unix ms, UTC): the only time ledger and engine code read.
    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// The clock this ledger reads.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// Where the ledger file is; on the shop's server, the name of a file in this counter's
    /// own folder (where its locks and backups live), which the server's ledger never uses.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the ledger lives.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Which kind of store the ledger is in.
    pub fn dialect(&self) -> db::Dialect {
        self.conn().dialect()
    }

    /// How long a write waits for another program holding the ledger before giving up.
    pub fn set_busy_timeout(&self, timeout: Duration) -> Result<(), LedgerError> {
        match &*self.conn() {
            db::Conn::Sqlite(conn) => conn
                .busy_timeout(timeout)
                .map_err(|e| LedgerError::from(db::sqlite_error(&e))),
            db::Conn::Postgres(_) => Ok(()),
        }
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, db::Conn> {
        lock(&self.conn)
    }

    /// Runs `work` in one write transaction (see [`db::Conn::write`]).
    pub(crate) fn write<T>(
        &self,
        work: impl FnMut(&mut db::Sql<'_>) -> Result<T, LedgerError>,
    ) -> Result<T, LedgerError> {
        let done = self.connected()?.write(work);
        self.note_lost(&done);
        done
    }

    /// Runs `work` in one write transaction that takes its own locks (see
    /// [`db::Conn::write_locked`]): the path of every sale.
    pub(crate) fn write_locked<T>(
        &self,
        work: impl FnMut(&mut db::Sql<'_>) -> Result<T, LedgerError>,
    ) -> Result<T, LedgerError> {
        let done = self.connected()?.write_locked(work);
        self.note_lost(&done);
        done
    }

    /// Runs reads outside a transaction (each statement sees the ledger as it stands).
    pub(crate) fn query<T>(
        &self,
        work: impl FnOnce(&mut db::Sql<'_>) -> Result<T, LedgerError>,
    ) -> Result<T, LedgerError> {
        let done = work(&mut self.connected()?.sql()).map_err(LedgerError::reading);
        self.note_lost(&done);
        done
    }

    fn note_lost<T>(&self, done: &Result<T, LedgerError>) {
        if matches!(done, Err(LedgerError::Unreachable(_))) {
            self.conn_lost
                .store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }

    /// The connection, connected again first if the server dropped it (a restart, a network
    /// that came back): the statement that found it lost failed, the next one goes through.
    fn connected(&self) -> Result<MutexGuard<'_, db::Conn>, LedgerError> {
        let mut conn = self.conn();
        if conn.is_lost() || self.conn_lost.load(std::sync::atomic::Ordering::SeqCst) {
            *conn = self.store.open_reader()?;
            self.conn_lost
                .store(false, std::sync::atomic::Ordering::SeqCst);
            tracing::info!("connected to the shop's server again");
        }
        Ok(conn)
    }
}

/// Takes a connection's lock; a thread that panicked holding it left the store consistent
/// (every write is a transaction), so the connection is used on.
pub(crate) fn lock<T>(conn: &Mutex<T>) -> MutexGuard<'_, T> {
    conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A read-only connection to a ledger file: reads on it never wait for the writer's lock
/// (WAL) and never hold up a top-up.
pub(crate) fn open_read_only(path: &Path) -> Result<Connection, LedgerError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| LedgerError::Open {
        path: path.to_path_buf(),
        reason: db::sqlite_error(&e).reason,
    })?;
    conn.busy_timeout(Duration::from_secs(5))
        .map_err(|e| LedgerError::from(db::sqlite_error(&e)).reading())?;
    Ok(conn)
}

/// The SQLite failure as a ledger error met while writing.
pub(crate) fn sqlite_write_error(error: rusqlite::Error) -> LedgerError {
    LedgerError::from(db::sqlite_error(&error))
}

/// A ledger in a throw-away folder with one QvaTel profile, "cuba" (its id), for unit tests.
#[cfg(test)]
pub(crate) fn ledger_with_cuba() -> (tempfile::TempDir, Ledger, i64) {
    let dir = tempfile::tempdir().unwrap();
    let ledger = testkit::open_in(dir.path()).unwrap();
    let kind = crate::providers::ProviderKind::Qvatel;
    let id = ledger
        .add_profile("cuba", kind, "https://x.example", &kind.default_settings())
        .unwrap()
        .id;
    (dir, ledger, id)
}

#[cfg(test)]
mod lease_tests;
#[cfg(test)]
mod server_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_sets_the_money_pragmas_and_schema() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open_in(dir.path()).unwrap();
        let conn = ledger.conn();
        let conn = conn.as_sqlite().unwrap();
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
            .sql()
            .value("PRAGMA user_version", crate::args![])
            .unwrap();
        assert_eq!(version, migrations::latest_version());
    }
}
