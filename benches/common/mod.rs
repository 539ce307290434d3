//! What the benchmarks on the shop's server share: which server, and a database of its own
//! for each run.
#![allow(dead_code)]

use saldo::ledger::PgTarget;
use saldo::ledger::db::connect_postgres;

/// The server a benchmark runs on: `--server postgres://…` on its command line, else
/// `SALDO_BENCH_POSTGRES`; `None` runs it on SQLite only. `scripts/with-postgres.sh` starts a
/// throw-away server and names it in `SALDO_BENCH_POSTGRES`.
pub fn server() -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--server")
        .and_then(|i| args.get(i + 1).cloned())
        .or_else(|| std::env::var("SALDO_BENCH_POSTGRES").ok())
}

/// A new, empty database on the server at `admin` (an address whose database is
/// `postgres`, logged in as a role that may create databases); its address.
pub fn fresh_database(admin: &str) -> String {
    let name = format!("bench_{}", uuid::Uuid::new_v4().simple());
    let target = PgTarget::parse(admin).expect("a postgres:// address");
    let mut conn = connect_postgres(&target, None).expect("the server answers");
    conn.sql()
        .batch(&format!("CREATE DATABASE {name}"))
        .expect("a database for the benchmark");
    admin.replacen("/postgres", &format!("/{name}"), 1)
}

/// The first number among the arguments, else `default`.
pub fn count_arg(default: usize) -> usize {
    std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(default)
}
