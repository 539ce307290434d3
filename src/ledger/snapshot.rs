//! The shop's server as a file and a file onto the server.
//!
//! A backup of the server is written in the format of a counter's backup — a saldo SQLite
//! ledger at this saldo's schema — from one repeatable-read snapshot of the server: a
//! consistent export while counters go on selling, never a copy of the server's files. So
//! one kind of backup file serves both stores: it can be checked like any other, restored
//! onto the server or onto a counter, and a shop can move either way.
//!
//! Bringing a file onto the server (`saldo restore`, `saldo ledger copy`) loads its tables
//! into temporary tables of the recording transaction and merges them with the same
//! statements a counter's restore runs ([`super::merge`]).

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::db::{Conn, DbError, ErrorKind, Sql, Value};
use super::merge::{MergeCounts, merged_tables};
use super::{LedgerError, migrations};

/// The tables a backup holds, parents before children; the server's leases are not among
/// them (they only mean something while their holder runs).
pub(super) const BACKED_UP_TABLES: &[&str] = &[
    "profiles",
    "transactions",
    "transaction_events",
    "batches",
    "batch_rows",
    "balance_readings",
    "favourite_numbers",
    "number_choices",
    "provider_lists",
    "counters",
    "shop_settings",
    "receipts",
    "receipt_prints",
];

/// The columns of a table of a SQLite ledger, in order.
fn columns_of(conn: &Connection, table: &str) -> Result<Vec<String>, DbError> {
    let mut stmt = conn
        .prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")
        .map_err(|e| super::db::sqlite_error(&e))?;
    let names = stmt
        .query_map([table], |r| r.get::<_, String>(0))
        .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        .map_err(|e| super::db::sqlite_error(&e))?;
    if names.is_empty() {
        return Err(DbError::new(
            ErrorKind::Other,
            format!("the ledger file has no table {table}"),
        ));
    }
    Ok(names)
}

/// Values bound per statement when rows are copied: within both stores' limits.
const VALUES_PER_INSERT: usize = 20_000;

/// Copies every row of `from_table` on `from` into `to_table` on `to` (the named columns, in
/// the order of `order_by`), many rows per statement; how many rows were copied.
fn copy_rows(
    from: &mut Sql<'_>,
    from_table: &str,
    to: &mut Sql<'_>,
    to_table: &str,
    columns: &[String],
    order_by: &str,
) -> Result<u64, DbError> {
    let list = columns.join(", ");
    let rows_per_insert = (VALUES_PER_INSERT / columns.len()).clamp(1, 1000);
    let mut pending: Vec<Value> = Vec::with_capacity(rows_per_insert * columns.len());
    let mut copied = 0_u64;
    let insert = |to: &mut Sql<'_>, pending: &mut Vec<Value>| -> Result<(), DbError> {
        if pending.is_empty() {
            return Ok(());
        }
        let rows = pending.len() / columns.len();
        let mut text = format!("INSERT INTO {to_table} ({list}) VALUES ");
        for row in 0..rows {
            let marks: Vec<String> = (1..=columns.len())
                .map(|c| format!("?{}", row * columns.len() + c))
                .collect();
            let comma = if row == 0 { "" } else { ", " };
            text.push_str(&format!("{comma}({})", marks.join(", ")));
        }
        to.execute(&text, pending)?;
        pending.clear();
        Ok(())
    };
    from.for_each::<DbError>(
        &format!("SELECT {list} FROM {from_table} ORDER BY {order_by}"),
        &[],
        |row| {
            for column in 0..columns.len() {
                pending.push(row.get::<Value>(column)?);
            }
            copied += 1;
            if pending.len() >= rows_per_insert * columns.len() {
                insert(to, &mut pending)?;
            }
            Ok(())
        },
    )?;
    insert(to, &mut pending)?;
    Ok(copied)
}

/// The order rows of `table` are copied in: its key.
fn key_of(table: &str) -> &'static str {
    match table {
        "batch_rows" => "batch_id, line",
        "balance_readings" => "profile_id",
        "favourite_numbers" | "number_choices" => "profile_id, number",
        "provider_lists" => "profile_id, field",
        "counters" => "name",
        "shop_settings" => "key",
        _ => "id",
    }
}

/// Writes the whole server, as one snapshot, into a new SQLite ledger at `file` (which must
/// not exist yet).
pub(super) fn export_server(server: &mut Conn, file: &Path) -> Result<(), LedgerError> {
    let mut target = Conn::Sqlite(Connection::open(file).map_err(super::sqlite_write_error)?);
    migrations::apply(&mut target).map_err(|e| match e {
        migrations::MigrationError::Store(e) => LedgerError::from(e),
        migrations::MigrationError::Newer(found) => LedgerError::Write(format!(
            "a new backup file came out at schema {found}, which this saldo does not write"
        )),
    })?;
    let columns: Vec<Vec<String>> = {
        let conn = target.as_sqlite().expect("opened as SQLite");
        BACKED_UP_TABLES
            .iter()
            .map(|table| columns_of(conn, table))
            .collect::<Result<_, _>>()?
    };
    server.read(|snapshot| {
        target.write(|file| {
            for (table, columns) in BACKED_UP_TABLES.iter().zip(&columns) {
                // A migration may have put rows of its own in the new file.
                file.execute(&format!("DELETE FROM {table}"), &[])?;
                copy_rows(snapshot, table, file, table, columns, key_of(table))?;
            }
            Ok::<_, DbError>(())
        })
    })?;
    let conn = target.as_sqlite().expect("opened as SQLite");
    conn.pragma_update(None, "journal_mode", "DELETE")
        .map_err(super::sqlite_write_error)?;
    Ok(())
}

/// Loads the SQLite ledger `file` (at this saldo's schema) into temporary tables
/// `restored_NAME` of the server transaction `sql`, then merges them into the server's
/// tables (see [`super::merge`]) and drops them.
pub(super) fn merge_file_into_server(
    sql: &mut Sql<'_>,
    file: &Path,
) -> Result<MergeCounts, LedgerError> {
    let source = Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(super::sqlite_write_error)?;
    let mut source = Conn::Sqlite(source);
    for table in merged_tables() {
        let columns = columns_of(source.as_sqlite().expect("opened as SQLite"), table)?;
        // The server's own columns, keys and indexes: the merge looks rows up by them.
        sql.batch(&format!(
            "DROP TABLE IF EXISTS restored_{table}; \
             CREATE TEMP TABLE restored_{table} (LIKE {table} INCLUDING INDEXES)"
        ))?;
        source.read(|file| {
            copy_rows(
                file,
                table,
                sql,
                &format!("restored_{table}"),
                &columns,
                key_of(table),
            )
        })?;
        // Temporary tables are never analysed on their own; the merge's plans need it.
        sql.batch(&format!("ANALYZE restored_{table}"))?;
    }
    let merged = super::merge::merge_restored(sql, "restored_")?;
    let drop: Vec<String> = merged_tables()
        .map(|t| format!("DROP TABLE restored_{t};"))
        .collect();
    sql.batch(&drop.join(" "))?;
    Ok(merged)
}
