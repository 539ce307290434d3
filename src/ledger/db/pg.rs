//! The PostgreSQL side: the shop's server, shared by every counter.
//!
//! The synchronous `postgres` client runs its own small runtime, which must not be started on
//! a thread that already drives one; a call made from such a thread goes through a scoped
//! thread of its own (`off_runtime`).

use std::collections::HashMap;
use std::error::Error as StdError;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use bytes::BytesMut;
use postgres::error::SqlState;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, IsolationLevel, Statement, Transaction};

use super::value::Cell;
use super::{DbError, ErrorKind, Row, Sql, SqlInner, Value};

/// How many times a write that conflicted with another counter's is run again.
const CONFLICT_ATTEMPTS: u32 = 20;

/// Where the shop's server is, as a counter was told (never with a password in it).
#[derive(Clone, Debug)]
pub struct PgTarget {
    config: Arc<postgres::Config>,
    shown: String,
}

impl PgTarget {
    /// Reads a `postgres://user@host:port/dbname?sslmode=…` address. A password in it is
    /// refused: it belongs in the keychain, where `saldo credentials set-ledger` puts it.
    pub fn parse(address: &str) -> Result<PgTarget, String> {
        let url = url::Url::parse(address)
            .map_err(|e| format!("“{address}” is not a postgres:// address: {e}"))?;
        if !matches!(url.scheme(), "postgres" | "postgresql") {
            return Err(format!(
                "the shop's server is given as postgres://user@host:port/database, not {}",
                url.scheme()
            ));
        }
        if url.password().is_some() {
            return Err(
                "the address holds a password: give it without one and keep the \
                 password in the keychain (saldo credentials set-ledger)"
                    .to_string(),
            );
        }
        let config = postgres::Config::from_str(address)
            .map_err(|e| format!("the server address cannot be used: {e}"))?;
        Ok(PgTarget {
            config: Arc::new(config),
            shown: address.to_string(),
        })
    }

    /// The same server, with every name looked up in `schema` first: tests give each ledger
    /// a schema of its own on one server.
    #[doc(hidden)]
    pub fn in_schema(&self, schema: &str) -> PgTarget {
        let mut config = (*self.config).clone();
        config.options(&format!("-c search_path={schema}"));
        PgTarget {
            config: Arc::new(config),
            shown: format!("{} (schema {schema})", self.shown),
        }
    }

    /// The name the server's password is kept under in the keychain: who logs in where
    /// (`server:clerk@10.0.0.5:5432/shop`; no profile name has a colon).
    pub fn keychain_name(&self) -> String {
        let host = match self.config.get_hosts().first() {
            Some(postgres::config::Host::Tcp(host)) => host.clone(),
            #[cfg(unix)]
            Some(postgres::config::Host::Unix(path)) => path.display().to_string(),
            None => "localhost".to_string(),
        };
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        let user = self.config.get_user().unwrap_or("");
        let database = self.config.get_dbname().unwrap_or(user);
        format!("server:{user}@{host}:{port}/{database}")
    }

    /// The address as it may be shown, logged or stored (it never holds a password).
    pub fn shown(&self) -> &str {
        &self.shown
    }
}

impl std::fmt::Display for PgTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

thread_local! {
    /// Set while this thread is one of a runtime's blocking threads (see [`may_block`]).
    static MAY_BLOCK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `work` saying that this thread may block although a runtime is current — a thread of
/// `tokio::task::spawn_blocking`, where the synchronous client can run its own runtime — so
/// that ledger calls in `work` skip the thread each would otherwise be given.
pub fn may_block<R>(work: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            MAY_BLOCK.set(self.0);
        }
    }
    let _restore = Restore(MAY_BLOCK.replace(true));
    work()
}

/// Runs `work` where the synchronous client may block: here, or on a thread of its own when
/// this thread drives an async runtime.
fn off_runtime<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    if MAY_BLOCK.get() || tokio::runtime::Handle::try_current().is_err() {
        return work();
    }
    std::thread::scope(|scope| match scope.spawn(work).join() {
        Ok(done) => done,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

/// Opens a connection to the shop's server, over TLS unless the address says `sslmode=disable`.
pub fn connect(target: &PgTarget, password: Option<&str>) -> Result<super::Conn, DbError> {
    let mut config = (*target.config).clone();
    if let Some(password) = password {
        config.password(password);
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(5));
    }
    config.application_name("saldo");
    let client = if config.get_ssl_mode() == postgres::config::SslMode::Disable {
        off_runtime(|| config.connect(postgres::NoTls))
    } else {
        let tls = tls_connector()?;
        off_runtime(|| config.connect(tls))
    }
    .map_err(|e| error(&e))?;
    Ok(super::Conn::Postgres(Box::new(PgConn {
        client: OwnClient(Some(client)),
        statements: HashMap::new(),
    })))
}

/// Certificates are checked against the system's trusted roots, whatever `sslmode` asks.
fn tls_connector() -> Result<tokio_postgres_rustls::MakeRustlsConnect, DbError> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|b| b.with_platform_verifier())
        .map_err(|e| DbError::new(ErrorKind::Other, format!("TLS cannot be set up: {e}")))?
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// A PostgreSQL failure, in words that tell a person what is going on.
pub(crate) fn error(error: &postgres::Error) -> DbError {
    let Some(code) = error.code() else {
        let cause = error.source().map(ToString::to_string).unwrap_or_default();
        if cause.contains("password missing") {
            return DbError::new(
                ErrorKind::CannotOpen,
                "the shop's server asks for a password: save it on this counter with \
                 `saldo credentials set-ledger`",
            );
        }
        if cause.contains("invalid peer certificate") {
            // rustls names what is wrong: UnknownIssuer, NotValidForName, Expired…
            return DbError::new(
                ErrorKind::CannotOpen,
                format!(
                    "the shop's server showed a certificate this counter does not trust \
                     ({cause}): install the shop's certificate authority on this counter \
                     (copy shop-ca.crt to /usr/local/share/ca-certificates/ and run sudo \
                     update-ca-certificates), and give the server's address as its \
                     certificate names it"
                ),
            );
        }
        let words = if cause.is_empty() {
            error.to_string()
        } else {
            format!("{error}: {cause}")
        };
        return DbError::new(
            ErrorKind::Unreachable,
            format!("the shop's server cannot be reached ({words})"),
        );
    };
    let words = error
        .as_db_error()
        .map_or_else(|| error.to_string(), |db| db.message().to_string());
    let kind = if *code == SqlState::T_R_SERIALIZATION_FAILURE
        || *code == SqlState::T_R_DEADLOCK_DETECTED
    {
        ErrorKind::Conflict
    } else if *code == SqlState::READ_ONLY_SQL_TRANSACTION {
        return DbError::new(ErrorKind::ReadOnly, "the shop's server is read-only");
    } else if *code == SqlState::DISK_FULL {
        return DbError::new(
            ErrorKind::DiskFull,
            "the shop's server has no disk space left",
        );
    } else if code.code().starts_with("28") {
        return DbError::new(
            ErrorKind::CannotOpen,
            format!(
                "the shop's server refused the login ({words}): save its password on this \
                 counter with `saldo credentials set-ledger`"
            ),
        );
    } else if code.code().starts_with("23") {
        ErrorKind::Constraint
    } else if code.code().starts_with("08") || code.code().starts_with("57P") {
        return DbError::new(
            ErrorKind::Unreachable,
            format!("the shop's server cannot be reached ({words})"),
        );
    } else {
        ErrorKind::Other
    };
    DbError::new(kind, words)
}

/// SQLite's `?N` (and bare `?`) placeholders as PostgreSQL's `$N`, outside quoted text and
/// `--` comments. A bare `?` is numbered as SQLite numbers it: one past the largest so far.
pub(crate) fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut largest = 0;
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            out.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                out.push(c);
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for rest in chars.by_ref() {
                    out.push(rest);
                    if rest == '\n' {
                        break;
                    }
                }
            }
            '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                let index = match digits.parse::<usize>() {
                    Ok(index) => index,
                    Err(_) => largest + 1,
                };
                largest = largest.max(index);
                out.push('$');
                out.push_str(&index.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => i.to_string().to_sql(ty, out),
                _ => Err(format!("a number cannot be stored as {ty}").into()),
            },
            Value::Text(t) => match *ty {
                Type::TEXT | Type::VARCHAR | Type::NAME | Type::BPCHAR | Type::UNKNOWN => {
                    t.as_str().to_sql(ty, out)
                }
                _ => Err(format!("text cannot be stored as {ty}").into()),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

pub(super) fn cell(row: &postgres::Row, index: usize) -> Result<Cell<'_>, DbError> {
    let failed = |e: postgres::Error| DbError::new(ErrorKind::Other, e.to_string());
    let column = row
        .columns()
        .get(index)
        .ok_or_else(|| DbError::new(ErrorKind::Other, format!("no column {index}")))?;
    let int = |i: Option<i64>| i.map_or(Cell::Null, Cell::Int);
    Ok(match *column.type_() {
        Type::INT8 => int(row.try_get::<_, Option<i64>>(index).map_err(failed)?),
        Type::INT4 => int(row
            .try_get::<_, Option<i32>>(index)
            .map_err(failed)?
            .map(i64::from)),
        Type::INT2 => int(row
            .try_get::<_, Option<i16>>(index)
            .map_err(failed)?
            .map(i64::from)),
        Type::BOOL => int(row
            .try_get::<_, Option<bool>>(index)
            .map_err(failed)?
            .map(i64::from)),
        Type::TEXT | Type::VARCHAR | Type::NAME | Type::BPCHAR | Type::UNKNOWN => row
            .try_get::<_, Option<&str>>(index)
            .map_err(failed)?
            .map_or(Cell::Null, Cell::Text),
        ref other => {
            return Err(DbError::new(
                ErrorKind::Other,
                format!(
                    "column {} is of type {other}, which saldo does not read",
                    column.name()
                ),
            ));
        }
    })
}

/// A connection to the shop's server, with the statements it has prepared.
pub struct PgConn {
    client: OwnClient,
    statements: HashMap<String, Statement>,
}

/// The synchronous client, closed off any async runtime's thread: its drop blocks on the
/// client's own runtime, which panics where a runtime already drives the thread (a ledger
/// dropped inside async code).
struct OwnClient(Option<Client>);

impl std::ops::Deref for OwnClient {
    type Target = Client;
    fn deref(&self) -> &Client {
        self.0.as_ref().expect("a client until it is dropped")
    }
}

impl std::ops::DerefMut for OwnClient {
    fn deref_mut(&mut self) -> &mut Client {
        self.0.as_mut().expect("a client until it is dropped")
    }
}

impl Drop for OwnClient {
    fn drop(&mut self) {
        if let Some(client) = self.0.take() {
            off_runtime(move || drop(client));
        }
    }
}

/// How a transaction on the server keeps itself apart from other counters' transactions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Isolation {
    /// Reads on one consistent snapshot (REPEATABLE READ, read-only).
    Snapshot,
    /// Writes the server keeps serializable by itself (SERIALIZABLE): nothing to lock by
    /// hand, but writes over the same index pages abort one another under load.
    Serializable,
    /// Writes at READ COMMITTED whose statements take every lock they rely on (`FOR UPDATE`
    /// on the rows they compare and set, advisory locks on what has no row yet): the path of
    /// every sale, where counters writing different operations must not abort each other.
    Locked,
}

/// Where a statement goes on PostgreSQL: the connection, or a transaction on it.
pub(super) enum PgSql<'c> {
    Client(&'c mut PgConn),
    Transaction {
        tx: Transaction<'c>,
        statements: &'c mut HashMap<String, Statement>,
    },
}

fn params(args: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    args.iter().map(|a| a as &(dyn ToSql + Sync)).collect()
}

impl PgConn {
    /// Whether the server closed the connection or it broke.
    pub(super) fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    pub(super) fn sql(&mut self) -> Sql<'_> {
        Sql {
            inner: SqlInner::Postgres(PgSql::Client(self)),
            conflicted: false,
        }
    }

    /// One transaction at `isolation`, run again when it conflicted with another counter's
    /// (a serialization failure, or a deadlock the server broke).
    pub(super) fn transaction<T, E: From<DbError>>(
        &mut self,
        isolation: Isolation,
        mut work: impl FnMut(&mut Sql<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let (level, read_only) = match isolation {
            Isolation::Snapshot => (IsolationLevel::RepeatableRead, true),
            Isolation::Serializable => (IsolationLevel::Serializable, false),
            Isolation::Locked => (IsolationLevel::ReadCommitted, false),
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            let PgConn { client, statements } = &mut *self;
            let tx = off_runtime(|| {
                client
                    .build_transaction()
                    .isolation_level(level)
                    .read_only(read_only)
                    .start()
            })
            .map_err(|e| E::from(error(&e)))?;
            let mut sql = Sql {
                inner: SqlInner::Postgres(PgSql::Transaction { tx, statements }),
                conflicted: false,
            };
            let done = work(&mut sql);
            let conflicted = sql.conflicted;
            let SqlInner::Postgres(PgSql::Transaction { tx, .. }) = sql.inner else {
                unreachable!("a PostgreSQL transaction stays one");
            };
            let again = attempt < CONFLICT_ATTEMPTS;
            match done {
                Ok(value) => match off_runtime(|| tx.commit()) {
                    Ok(()) => return Ok(value),
                    Err(e) => {
                        let e = error(&e);
                        if e.kind != ErrorKind::Conflict || !again {
                            return Err(E::from(e));
                        }
                    }
                },
                Err(e) => {
                    let _ = off_runtime(|| tx.rollback());
                    if !conflicted || !again {
                        return Err(e);
                    }
                }
            }
            // Another counter's transaction won: let it finish, then run this one again.
            std::thread::sleep(Duration::from_millis(
                fastrand::u64(1..=5) * u64::from(attempt),
            ));
        }
    }
}

impl PgSql<'_> {
    fn statement(&mut self, sql: &str) -> Result<Statement, DbError> {
        let cached = match self {
            PgSql::Client(conn) => conn.statements.get(sql).cloned(),
            PgSql::Transaction { statements, .. } => statements.get(sql).cloned(),
        };
        if let Some(found) = cached {
            return Ok(found);
        }
        let text = numbered(sql);
        let prepared = match self {
            PgSql::Client(conn) => off_runtime(|| conn.client.prepare(&text)),
            PgSql::Transaction { tx, .. } => off_runtime(|| tx.prepare(&text)),
        }
        .map_err(|e| error(&e))?;
        match self {
            PgSql::Client(conn) => conn.statements.insert(sql.to_string(), prepared.clone()),
            PgSql::Transaction { statements, .. } => {
                statements.insert(sql.to_string(), prepared.clone())
            }
        };
        Ok(prepared)
    }

    pub(super) fn execute(&mut self, sql: &str, args: &[Value]) -> Result<u64, DbError> {
        let statement = self.statement(sql)?;
        let params = params(args);
        match self {
            PgSql::Client(conn) => off_runtime(|| conn.client.execute(&statement, &params)),
            PgSql::Transaction { tx, .. } => off_runtime(|| tx.execute(&statement, &params)),
        }
        .map_err(|e| error(&e))
    }

    pub(super) fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        match self {
            PgSql::Client(conn) => off_runtime(|| conn.client.batch_execute(sql)),
            PgSql::Transaction { tx, .. } => off_runtime(|| tx.batch_execute(sql)),
        }
        .map_err(|e| error(&e))
    }

    pub(super) fn for_each<E>(
        &mut self,
        sql: &str,
        args: &[Value],
        each: &mut dyn FnMut(&Row<'_>) -> Result<(), E>,
        failed: &mut Option<E>,
    ) -> Result<(), DbError> {
        use postgres::fallible_iterator::FallibleIterator;
        let statement = self.statement(sql)?;
        let params = params(args);
        let streamed = tokio::runtime::Handle::try_current().is_err();
        if !streamed {
            // On a runtime's thread: fetched whole on a thread of its own, then handed over.
            let rows = match self {
                PgSql::Client(conn) => off_runtime(|| conn.client.query(&statement, &params)),
                PgSql::Transaction { tx, .. } => off_runtime(|| tx.query(&statement, &params)),
            }
            .map_err(|e| error(&e))?;
            for row in &rows {
                if let Err(e) = each(&Row::Postgres(row)) {
                    *failed = Some(e);
                    break;
                }
            }
            return Ok(());
        }
        let mut rows = match self {
            PgSql::Client(conn) => conn.client.query_raw(&statement, params),
            PgSql::Transaction { tx, .. } => tx.query_raw(&statement, params),
        }
        .map_err(|e| error(&e))?;
        while let Some(row) = rows.next().map_err(|e| error(&e))? {
            if let Err(e) = each(&Row::Postgres(&row)) {
                *failed = Some(e);
                break;
            }
        }
        Ok(())
    }
}
