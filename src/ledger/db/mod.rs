//! One way to speak SQL to either store the ledger can live in: an embedded SQLite file (one
//! counter) or the shop's PostgreSQL server (several counters).
//!
//! Ledger code writes its SQL once, with SQLite's `?N` placeholders, and passes `Value`s; the
//! PostgreSQL side numbers them `$N`. Writes run in `Conn::write`: an immediate transaction on
//! SQLite (writers queue on the file), a serializable one on PostgreSQL that is run again when
//! the server reports a conflict with another counter's transaction — so every check made
//! inside a write holds across counters as it holds on one. The writes of a sale (recording
//! with the repeat guard, the compare-and-set of its outcome, leases) run in
//! `Conn::write_locked` instead: at READ COMMITTED on the server, with the row and key locks
//! their checks rely on taken explicitly (`Sql::for_update`, `Sql::lock_key`), because four
//! counters' serializable writes over the same index pages abort one another several times per
//! sale.

mod pg;
mod sqlite;
mod value;

pub use pg::{PgTarget, connect as connect_postgres, may_block};
pub(crate) use sqlite::error as sqlite_error;
pub use value::{FromCell, ToValue, Value};

use std::fmt;

/// Which store a connection speaks to, for the few statements that differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// What kind of failure a database reported, for words and for retrying.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    ReadOnly,
    Busy,
    DiskFull,
    Io,
    CannotOpen,
    NotADatabase,
    /// The shop's server cannot be reached, or the connection to it was lost.
    Unreachable,
    /// Another transaction got in the way (serialization failure, deadlock): run it again.
    Conflict,
    /// A unique or other constraint refused the row.
    Constraint,
    Other,
}

/// A database failure, with words that tell a person what is going on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DbError {
    pub kind: ErrorKind,
    pub reason: String,
}

impl DbError {
    pub(crate) fn new(kind: ErrorKind, reason: impl Into<String>) -> DbError {
        DbError {
            kind,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for DbError {}

/// `args![a, b, c]`: the values bound to a statement's `?1`, `?2`, `?3`.
#[macro_export]
macro_rules! args {
    () => { &[] as &[$crate::ledger::db::Value] };
    ($($value:expr),+ $(,)?) => {
        &[$($crate::ledger::db::ToValue::to_value(&$value)),+][..]
    };
}

/// A row of a result, read by position or by column name.
pub enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r postgres::Row),
}

/// A column of a row: its position (from 0) or its name.
pub trait Column: Copy + fmt::Display {
    fn sqlite_index(self, row: &rusqlite::Row<'_>) -> Result<usize, DbError>;
    fn pg_index(self, row: &postgres::Row) -> Result<usize, DbError>;
}

impl Column for usize {
    fn sqlite_index(self, _: &rusqlite::Row<'_>) -> Result<usize, DbError> {
        Ok(self)
    }
    fn pg_index(self, _: &postgres::Row) -> Result<usize, DbError> {
        Ok(self)
    }
}

impl Column for &str {
    fn sqlite_index(self, row: &rusqlite::Row<'_>) -> Result<usize, DbError> {
        row.as_ref()
            .column_index(self)
            .map_err(|e| DbError::new(ErrorKind::Other, e.to_string()))
    }
    fn pg_index(self, row: &postgres::Row) -> Result<usize, DbError> {
        row.columns()
            .iter()
            .position(|c| c.name() == self)
            .ok_or_else(|| DbError::new(ErrorKind::Other, format!("no column named {self}")))
    }
}

impl Row<'_> {
    /// The text in a column, borrowed from the row (empty for nothing or a number): for
    /// reads of millions of rows that copy nothing they do not need.
    pub fn text_at(&self, index: usize) -> Result<&str, DbError> {
        let cell = match self {
            Row::Sqlite(row) => sqlite::cell(row, index),
            Row::Postgres(row) => pg::cell(row, index),
        }?;
        Ok(match cell {
            value::Cell::Text(text) => text,
            _ => "",
        })
    }

    /// The number in a column (0 for nothing or text), like [`Row::text_at`].
    pub fn int_at(&self, index: usize) -> Result<i64, DbError> {
        let cell = match self {
            Row::Sqlite(row) => sqlite::cell(row, index),
            Row::Postgres(row) => pg::cell(row, index),
        }?;
        Ok(match cell {
            value::Cell::Int(i) => i,
            _ => 0,
        })
    }

    /// The value in a column, as `T`.
    pub fn get<T: FromCell>(&self, column: impl Column) -> Result<T, DbError> {
        let cell = match self {
            Row::Sqlite(row) => sqlite::cell(row, column.sqlite_index(row)?),
            Row::Postgres(row) => pg::cell(row, column.pg_index(row)?),
        }?;
        T::from_cell(cell).map_err(|found| {
            DbError::new(
                ErrorKind::Other,
                format!("column {column} holds {found}, not the value expected"),
            )
        })
    }
}

/// One connection to the ledger's store.
pub enum Conn {
    Sqlite(rusqlite::Connection),
    Postgres(Box<pg::PgConn>),
}

impl Conn {
    /// The SQLite connection, when this is one (backups, and tests that look at the file).
    pub fn as_sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Conn::Sqlite(conn) => Some(conn),
            Conn::Postgres(_) => None,
        }
    }

    /// The SQLite connection to change, when this is one (a restore attaches its backup).
    pub fn as_sqlite_mut(&mut self) -> Option<&mut rusqlite::Connection> {
        match self {
            Conn::Sqlite(conn) => Some(conn),
            Conn::Postgres(_) => None,
        }
    }

    /// Which store this is.
    pub fn dialect(&self) -> Dialect {
        match self {
            Conn::Sqlite(_) => Dialect::Sqlite,
            Conn::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Whether the connection to the server was lost (a file connection never is).
    pub fn is_lost(&self) -> bool {
        match self {
            Conn::Sqlite(_) => false,
            Conn::Postgres(conn) => conn.is_closed(),
        }
    }

    /// Statements outside a transaction (each one commits on its own).
    pub fn sql(&mut self) -> Sql<'_> {
        match self {
            Conn::Sqlite(conn) => Sql::sqlite(conn),
            Conn::Postgres(conn) => conn.sql(),
        }
    }

    /// Runs `work` in one write transaction, committed when it returns `Ok`. On PostgreSQL a
    /// conflict with another counter's transaction rolls it back and runs `work` again (up to
    /// a few times), so `work` must only touch the database.
    pub fn write<T, E: From<DbError>>(
        &mut self,
        work: impl FnMut(&mut Sql<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        match self {
            Conn::Sqlite(conn) => sqlite::transaction(conn, true, work),
            Conn::Postgres(conn) => conn.transaction(pg::Isolation::Serializable, work),
        }
    }

    /// Like [`Conn::write`], for a transaction whose statements take the locks it relies on
    /// themselves (see [`Sql::lock_rows`], [`Sql::lock_key`]): on PostgreSQL it runs at READ
    /// COMMITTED, so counters writing different operations never abort one another; on a
    /// file it is the same as [`Conn::write`] (one writer at a time).
    pub fn write_locked<T, E: From<DbError>>(
        &mut self,
        work: impl FnMut(&mut Sql<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        match self {
            Conn::Sqlite(conn) => sqlite::transaction(conn, true, work),
            Conn::Postgres(conn) => conn.transaction(pg::Isolation::Locked, work),
        }
    }

    /// Runs `work` on one consistent snapshot of the ledger (several reads that must agree).
    pub fn read<T, E: From<DbError>>(
        &mut self,
        work: impl FnMut(&mut Sql<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        match self {
            Conn::Sqlite(conn) => sqlite::transaction(conn, false, work),
            Conn::Postgres(conn) => conn.transaction(pg::Isolation::Snapshot, work),
        }
    }
}

/// What a key given to [`Sql::lock_key`] names (each space its own keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockSpace {
    /// The lease of an operation or sub-account: shared by its writers, alone by a taker.
    Lease = 1,
    /// A destination, while the repeat guard checks it and the new operation is recorded.
    Destination = 2,
    /// A counter's receipt numbers, while the next one is taken.
    Receipt = 3,
}

/// Where statements go: a connection, or a transaction on it.
pub struct Sql<'c> {
    inner: SqlInner<'c>,
    /// Set when the store reported a conflict: the transaction is run again.
    conflicted: bool,
}

enum SqlInner<'c> {
    Sqlite(&'c rusqlite::Connection),
    Postgres(pg::PgSql<'c>),
}

impl<'c> Sql<'c> {
    fn sqlite(conn: &'c rusqlite::Connection) -> Sql<'c> {
        Sql {
            inner: SqlInner::Sqlite(conn),
            conflicted: false,
        }
    }

    /// Which store this is.
    pub fn dialect(&self) -> Dialect {
        match self.inner {
            SqlInner::Sqlite(_) => Dialect::Sqlite,
            SqlInner::Postgres(_) => Dialect::Postgres,
        }
    }

    /// What a query that reads rows in order to change them ends with, so that they stay as
    /// read until the transaction ends: `FOR UPDATE` on the server (another counter's write
    /// of the same row waits, then sees this one's), nothing on a file (one writer at a time).
    pub fn for_update(&self) -> &'static str {
        match self.inner {
            SqlInner::Sqlite(_) => "",
            SqlInner::Postgres(_) => " FOR UPDATE",
        }
    }

    /// Holds a lock on `key` in `space` until the transaction ends — for what has no row to
    /// lock yet, such as a number nobody has sold to — `shared` with other shared holders or
    /// alone. On the server a transaction-scoped advisory lock (two writers of the same key
    /// take turns, the second seeing what the first committed); on a file nothing, as its
    /// writers already take turns.
    pub fn lock_key(&mut self, space: LockSpace, key: &str, shared: bool) -> Result<(), DbError> {
        if self.dialect() == Dialect::Sqlite {
            return Ok(());
        }
        let sql = if shared {
            "SELECT pg_advisory_xact_lock_shared(?1, hashtext(?2))"
        } else {
            "SELECT pg_advisory_xact_lock(?1, hashtext(?2))"
        };
        let space = space as i64;
        self.execute(sql, &[Value::Int(space), Value::Text(key.to_string())])
            .map(|_| ())
    }

    fn noted(&mut self, error: DbError) -> DbError {
        if error.kind == ErrorKind::Conflict {
            self.conflicted = true;
        }
        error
    }

    /// Runs one statement; how many rows it changed.
    pub fn execute(&mut self, sql: &str, args: &[Value]) -> Result<u64, DbError> {
        let done = match &mut self.inner {
            SqlInner::Sqlite(conn) => sqlite::execute(conn, sql, args),
            SqlInner::Postgres(pg) => pg.execute(sql, args),
        };
        done.map_err(|e| self.noted(e))
    }

    /// Runs several statements without arguments (a migration).
    pub fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        let done = match &mut self.inner {
            SqlInner::Sqlite(conn) => conn.execute_batch(sql).map_err(|e| sqlite::error(&e)),
            SqlInner::Postgres(pg) => pg.batch(sql),
        };
        done.map_err(|e| self.noted(e))
    }

    /// Calls `each` for every row of a query, in order, without holding them all in memory.
    pub fn for_each<E: From<DbError>>(
        &mut self,
        sql: &str,
        args: &[Value],
        mut each: impl FnMut(&Row<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut failed = None;
        let done = match &mut self.inner {
            SqlInner::Sqlite(conn) => sqlite::for_each(conn, sql, args, &mut each, &mut failed),
            SqlInner::Postgres(pg) => pg.for_each(sql, args, &mut each, &mut failed),
        };
        if let Some(error) = failed {
            return Err(error);
        }
        done.map_err(|e| E::from(self.noted(e)))
    }

    /// Every row of a query, each made into a `T`.
    pub fn rows<T, E: From<DbError>>(
        &mut self,
        sql: &str,
        args: &[Value],
        mut each: impl FnMut(&Row<'_>) -> Result<T, E>,
    ) -> Result<Vec<T>, E> {
        let mut out = Vec::new();
        self.for_each::<E>(sql, args, |row| {
            out.push(each(row)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of a query made into a `T`, or `None` when there is none.
    pub fn row<T, E: From<DbError>>(
        &mut self,
        sql: &str,
        args: &[Value],
        each: impl FnOnce(&Row<'_>) -> Result<T, E>,
    ) -> Result<Option<T>, E> {
        let mut each = Some(each);
        let mut found = None;
        self.for_each::<E>(sql, args, |row| {
            if let Some(each) = each.take() {
                found = Some(each(row)?);
            }
            Ok(())
        })?;
        Ok(found)
    }

    /// One value: the first column of the first row (an error when there is no row).
    pub fn value<T: FromCell>(&mut self, sql: &str, args: &[Value]) -> Result<T, DbError> {
        self.row(sql, args, |row| row.get(0))?
            .ok_or_else(|| DbError::new(ErrorKind::Other, "the query returned no row"))
    }
}

#[cfg(test)]
mod tests;
