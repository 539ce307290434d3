//! The same statements on both stores: SQLite in a file, and a real PostgreSQL server when
//! `SALDO_TEST_POSTGRES` names one (scripts/test.sh starts a throw-away cluster and sets it).

use super::*;

/// A connection to the test server in a schema of its own, or `None` (said) without one.
fn postgres() -> Option<Conn> {
    let Some(address) = std::env::var_os("SALDO_TEST_POSTGRES") else {
        eprintln!("skipped on PostgreSQL: set SALDO_TEST_POSTGRES (scripts/test.sh does)");
        return None;
    };
    let target = PgTarget::parse(address.to_str().expect("a UTF-8 address")).unwrap();
    let mut conn = connect_postgres(&target, None).unwrap();
    let schema = format!("t{}", uuid::Uuid::new_v4().simple());
    conn.sql()
        .batch(&format!(
            "CREATE SCHEMA {schema}; SET search_path TO {schema}"
        ))
        .unwrap();
    Some(conn)
}

fn sqlite(dir: &tempfile::TempDir) -> Conn {
    Conn::Sqlite(rusqlite::Connection::open(dir.path().join("db.sqlite3")).unwrap())
}

/// Runs `check` on SQLite, then on PostgreSQL when there is a server.
fn on_both(check: impl Fn(&mut Conn)) {
    let dir = tempfile::tempdir().unwrap();
    check(&mut sqlite(&dir));
    if let Some(mut conn) = postgres() {
        check(&mut conn);
    }
}

#[test]
fn placeholders_are_numbered_for_postgres_outside_quotes() {
    assert_eq!(
        pg::numbered("SELECT ?1, ?2 WHERE a = ?1 AND b = '?' AND c = ?"),
        "SELECT $1, $2 WHERE a = $1 AND b = '?' AND c = $3"
    );
    assert_eq!(pg::numbered("x IN (?, ?, ?)"), "x IN ($1, $2, $3)");
    assert_eq!(pg::numbered("\"we?ird\" = ?3"), "\"we?ird\" = $3");
    assert_eq!(pg::numbered("?5, ?1, ?"), "$5, $1, $6");
    assert_eq!(
        pg::numbered("a = ?1 -- isn't ? here\nAND b = ?"),
        "a = $1 -- isn't ? here\nAND b = $2"
    );
}

#[test]
fn values_go_in_and_come_out_the_same_by_position_and_by_name() {
    on_both(|conn| {
        let mut sql = conn.sql();
        sql.batch("CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT, flag BIGINT)")
            .unwrap();
        let changed = sql
            .execute(
                "INSERT INTO t (id, name, flag) VALUES (?1, ?2, ?3), (?4, ?5, ?3)",
                args![1_i64, "uno ñ", true, 2_i64, None::<String>],
            )
            .unwrap();
        assert_eq!(changed, 2);
        let rows: Vec<(i64, Option<String>, bool)> = sql
            .rows("SELECT id, name, flag FROM t ORDER BY id", args![], |r| {
                Ok::<_, DbError>((r.get(0)?, r.get("name")?, r.get("flag")?))
            })
            .unwrap();
        assert_eq!(
            rows,
            vec![(1, Some("uno ñ".to_string()), true), (2, None, true)]
        );
        let count: i64 = sql
            .value("SELECT count(*) FROM t WHERE name = ?1", args!["uno ñ"])
            .unwrap();
        assert_eq!(count, 1);
        let none: Option<i64> = sql
            .row("SELECT id FROM t WHERE id = ?1", args![9_i64], |r| r.get(0))
            .unwrap();
        assert_eq!(none, None);
        let wrong = sql.value::<i64>("SELECT name FROM t WHERE id = 1", args![]);
        assert!(wrong.unwrap_err().reason.contains("text"));
    });
}

#[test]
fn a_failed_write_leaves_nothing_behind() {
    on_both(|conn| {
        conn.sql()
            .batch("CREATE TABLE t (id BIGINT PRIMARY KEY)")
            .unwrap();
        let failed: Result<(), DbError> = conn.write(|sql| {
            sql.execute("INSERT INTO t (id) VALUES (?1)", args![1_i64])?;
            sql.execute("INSERT INTO t (id) VALUES (?1)", args![1_i64])?;
            Ok(())
        });
        assert_eq!(failed.unwrap_err().kind, ErrorKind::Constraint);
        let count: i64 = conn.sql().value("SELECT count(*) FROM t", args![]).unwrap();
        assert_eq!(count, 0, "the first insert was rolled back with the second");
    });
}

/// Eight connections check "is it there?" and insert when not, all at once, with no unique
/// constraint to help: the write transactions must still leave exactly one row (on SQLite the
/// writers queue; on PostgreSQL the losers of a conflict are run again and see the row).
#[test]
fn a_check_then_insert_holds_across_concurrent_connections() {
    let dir = tempfile::tempdir().unwrap();
    let server = postgres().map(|mut conn| {
        let schema: String = conn
            .sql()
            .value("SELECT current_schema()", args![])
            .unwrap();
        (conn, schema)
    });
    let open = |schema: &Option<String>| -> Conn {
        match schema {
            None => {
                let conn = rusqlite::Connection::open(dir.path().join("db.sqlite3")).unwrap();
                conn.busy_timeout(std::time::Duration::from_secs(30))
                    .unwrap();
                Conn::Sqlite(conn)
            }
            Some(schema) => {
                let address = std::env::var("SALDO_TEST_POSTGRES").unwrap();
                let mut conn = connect_postgres(&PgTarget::parse(&address).unwrap(), None).unwrap();
                conn.sql()
                    .batch(&format!("SET search_path TO {schema}"))
                    .unwrap();
                conn
            }
        }
    };
    let mut schemas = vec![None];
    if let Some((_, schema)) = &server {
        schemas.push(Some(schema.clone()));
    }
    for schema in schemas {
        open(&schema)
            .sql()
            .batch("CREATE TABLE sends (number TEXT NOT NULL, counter BIGINT NOT NULL)")
            .unwrap();
        std::thread::scope(|scope| {
            for counter in 0..8_i64 {
                let mut conn = open(&schema);
                scope.spawn(move || {
                    conn.write(|sql| {
                        let there: i64 = sql.value(
                            "SELECT count(*) FROM sends WHERE number = ?1",
                            args!["+5352000001"],
                        )?;
                        if there == 0 {
                            sql.execute(
                                "INSERT INTO sends (number, counter) VALUES (?1, ?2)",
                                args!["+5352000001", counter],
                            )?;
                        }
                        Ok::<_, DbError>(())
                    })
                    .unwrap();
                });
            }
        });
        let count: i64 = open(&schema)
            .sql()
            .value("SELECT count(*) FROM sends", args![])
            .unwrap();
        assert_eq!(count, 1, "on {schema:?}");
    }
}

#[test]
fn a_server_address_never_carries_its_password() {
    let refused = PgTarget::parse("postgres://saldo:hunter2@127.0.0.1:5432/shop").unwrap_err();
    assert!(refused.contains("keychain"), "{refused}");
    assert!(!refused.contains("hunter2"), "{refused}");
    assert!(PgTarget::parse("/home/shop/saldo.sqlite3").is_err());
    let target = PgTarget::parse("postgres://saldo@127.0.0.1:5432/shop?sslmode=disable").unwrap();
    assert_eq!(
        target.shown(),
        "postgres://saldo@127.0.0.1:5432/shop?sslmode=disable"
    );
}

#[test]
fn a_server_that_is_not_there_says_it_cannot_be_reached() {
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    let target = PgTarget::parse(&format!(
        "postgres://saldo@127.0.0.1:{port}/shop?sslmode=disable"
    ))
    .unwrap();
    let Err(error) = connect_postgres(&target, Some("hunter2")) else {
        panic!("nothing listens there");
    };
    assert_eq!(error.kind, ErrorKind::Unreachable);
    assert!(
        error.reason.contains("cannot be reached"),
        "{}",
        error.reason
    );
    assert!(!error.reason.contains("hunter2"), "{}", error.reason);
}
