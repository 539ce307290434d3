//! The SQLite side: one file, writers queued on it by `BEGIN IMMEDIATE`.

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ErrorCode, TransactionBehavior};

use super::value::Cell;
use super::{DbError, ErrorKind, Row, Sql, Value};

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
        })
    }
}

/// A SQLite failure, in words that tell a person what is going on.
pub(crate) fn error(error: &rusqlite::Error) -> DbError {
    let (kind, reason) = match error.sqlite_error_code() {
        Some(ErrorCode::ReadOnly) => (ErrorKind::ReadOnly, "the ledger file is read-only"),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => (
            ErrorKind::Busy,
            "the ledger is locked by another program (another saldo?)",
        ),
        Some(ErrorCode::DiskFull) => (ErrorKind::DiskFull, "the disk is full"),
        Some(ErrorCode::SystemIoFailure) => (
            ErrorKind::Io,
            "the disk could not be written (it may be full or failing)",
        ),
        Some(ErrorCode::CannotOpen) => (ErrorKind::CannotOpen, "the file cannot be opened"),
        Some(ErrorCode::NotADatabase) => {
            (ErrorKind::NotADatabase, "the file is not a saldo ledger")
        }
        Some(ErrorCode::ConstraintViolation) => {
            return DbError::new(ErrorKind::Constraint, error.to_string());
        }
        _ => return DbError::new(ErrorKind::Other, error.to_string()),
    };
    DbError::new(kind, reason)
}

pub(super) fn cell<'r>(row: &'r rusqlite::Row<'_>, index: usize) -> Result<Cell<'r>, DbError> {
    let value = row.get_ref(index).map_err(|e| error(&e))?;
    Ok(match value {
        ValueRef::Null => Cell::Null,
        ValueRef::Integer(i) => Cell::Int(i),
        ValueRef::Text(t) => Cell::Text(std::str::from_utf8(t).map_err(|_| {
            DbError::new(ErrorKind::Other, "the ledger holds text that is not UTF-8")
        })?),
        ValueRef::Real(_) | ValueRef::Blob(_) => {
            return Err(DbError::new(
                ErrorKind::Other,
                "the ledger holds a value that is neither a number nor text",
            ));
        }
    })
}

pub(super) fn execute(conn: &Connection, sql: &str, args: &[Value]) -> Result<u64, DbError> {
    let mut statement = conn.prepare_cached(sql).map_err(|e| error(&e))?;
    let changed = statement
        .execute(rusqlite::params_from_iter(args))
        .map_err(|e| error(&e))?;
    Ok(changed as u64)
}

pub(super) fn for_each<E>(
    conn: &Connection,
    sql: &str,
    args: &[Value],
    each: &mut dyn FnMut(&Row<'_>) -> Result<(), E>,
    failed: &mut Option<E>,
) -> Result<(), DbError> {
    let mut statement = conn.prepare_cached(sql).map_err(|e| error(&e))?;
    let mut rows = statement
        .query(rusqlite::params_from_iter(args))
        .map_err(|e| error(&e))?;
    while let Some(row) = rows.next().map_err(|e| error(&e))? {
        if let Err(e) = each(&Row::Sqlite(row)) {
            *failed = Some(e);
            return Ok(());
        }
    }
    Ok(())
}

/// One transaction: immediate (the write lock taken at once) for writes, deferred for reads.
pub(super) fn transaction<T, E: From<DbError>>(
    conn: &mut Connection,
    write: bool,
    mut work: impl FnMut(&mut Sql<'_>) -> Result<T, E>,
) -> Result<T, E> {
    let behaviour = if write {
        TransactionBehavior::Immediate
    } else {
        TransactionBehavior::Deferred
    };
    let tx = conn
        .transaction_with_behavior(behaviour)
        .map_err(|e| E::from(error(&e)))?;
    let done = work(&mut Sql::sqlite(&tx))?;
    tx.commit().map_err(|e| E::from(error(&e)))?;
    Ok(done)
}
