//! Ledgers for tests, on the store the suite runs against: a SQLite file in the test's folder,
//! or — with `SALDO_TEST_STORE=postgres` — a schema of its own on the throw-away server that
//! `scripts/test.sh` starts (`SALDO_TEST_POSTGRES`). One set of tests, two stores: the script
//! runs the ledger's and the engine's behaviour tests once on each.

use std::path::Path;

use super::db::PgTarget;
use super::{FILE_NAME, Ledger, LedgerError};

/// Whether this run's ledgers live on the test server.
pub fn on_postgres() -> bool {
    std::env::var("SALDO_TEST_STORE").is_ok_and(|store| store == "postgres")
}

/// The test server, as `scripts/test.sh` named it.
pub fn server() -> Option<PgTarget> {
    let address = std::env::var("SALDO_TEST_POSTGRES").ok()?;
    Some(PgTarget::parse(&address).expect("SALDO_TEST_POSTGRES is a postgres:// address"))
}

/// The ledger of a test's folder: its SQLite file, or its schema on the test server (the same
/// one each time the folder is opened, so reopening finds what was written).
pub fn open_in(dir: &Path) -> Result<Ledger, LedgerError> {
    if !on_postgres() {
        return Ledger::open_in(dir);
    }
    let server = server().expect("SALDO_TEST_STORE=postgres needs SALDO_TEST_POSTGRES");
    let schema = schema_for(dir);
    let mut admin = super::db::connect_postgres(&server, None)?;
    admin
        .sql()
        .batch(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))?;
    drop(admin);
    Ledger::open_server(&server.in_schema(&schema), None, dir)
}

/// A schema name that only this folder gets.
fn schema_for(dir: &Path) -> String {
    let path = dir.join(FILE_NAME);
    let text = path.to_string_lossy();
    // FNV-1a: stable across runs and builds (the standard hasher is not).
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("t{hash:016x}")
}

/// A fresh schema on the test server, and its address; `None` (said on stderr) when no test
/// server is named.
pub fn fresh_schema() -> Option<super::db::PgTarget> {
    let Some(server) = server() else {
        eprintln!("skipped: set SALDO_TEST_POSTGRES (scripts/test.sh does)");
        return None;
    };
    let schema = format!("s{}", uuid::Uuid::new_v4().simple());
    let mut admin = super::db::connect_postgres(&server, None).ok()?;
    admin.sql().batch(&format!("CREATE SCHEMA {schema}")).ok()?;
    Some(server.in_schema(&schema))
}
