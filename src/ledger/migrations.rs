//! Schema migrations, applied in one transaction: on SQLite tracked in `user_version`, on the
//! shop's server in a `schema_version` table, under an advisory lock so that two counters
//! starting at once migrate once. A store from a newer saldo is refused untouched.

use super::db::{Conn, DbError, Dialect, Sql};
#[cfg(test)]
use rusqlite::Connection;

/// Each entry moves the schema up by one version; never edit a released entry, add a new one.
pub const MIGRATIONS: &[&str] = &[
    // 1: profiles, transactions and their append-only event log.
    r#"
    CREATE TABLE profiles (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,
        provider    TEXT NOT NULL,
        base_url    TEXT NOT NULL,
        settings    TEXT NOT NULL,
        created_at  INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE transactions (
        id               INTEGER PRIMARY KEY,
        reference        TEXT NOT NULL UNIQUE,
        kind             TEXT NOT NULL CHECK (kind IN
                            ('topup','credit_add','credit_remove','transfer')),
        profile_id       INTEGER NOT NULL REFERENCES profiles(id) ON DELETE RESTRICT,
        destination      TEXT NOT NULL,
        amount_minor     INTEGER NOT NULL CHECK (amount_minor >= 0),
        unit             TEXT NOT NULL,
        state            TEXT NOT NULL CHECK (state IN
                            ('recorded','sending','succeeded','failed','pending','unknown')),
        provider_ref     TEXT,
        provider_message TEXT,
        created_at       INTEGER NOT NULL,
        updated_at       INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX transactions_by_time ON transactions (created_at DESC, id DESC);
    CREATE INDEX transactions_by_state ON transactions (state, created_at DESC, id DESC);
    CREATE INDEX transactions_by_destination
        ON transactions (destination, created_at DESC, id DESC);
    CREATE INDEX transactions_by_profile ON transactions (profile_id, created_at DESC, id DESC);

    CREATE TABLE transaction_events (
        id             INTEGER PRIMARY KEY,
        transaction_id INTEGER NOT NULL REFERENCES transactions(id) ON DELETE RESTRICT,
        at             INTEGER NOT NULL,
        from_state     TEXT,
        to_state       TEXT NOT NULL,
        detail         TEXT
    ) STRICT;
    CREATE INDEX transaction_events_by_tx ON transaction_events (transaction_id, id);
    CREATE TRIGGER transaction_events_no_update BEFORE UPDATE ON transaction_events
        BEGIN SELECT RAISE(ABORT, 'transaction events are append-only'); END;
    CREATE TRIGGER transaction_events_no_delete BEFORE DELETE ON transaction_events
        BEGIN SELECT RAISE(ABORT, 'transaction events are append-only'); END;
    "#,
    // 2: follow-up of open operations (reconciler) and batches of top-ups.
    r#"
    ALTER TABLE transactions ADD COLUMN send_deadline_at INTEGER;
    ALTER TABLE transactions ADD COLUMN next_check_at INTEGER;
    ALTER TABLE transactions ADD COLUMN checks INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE transactions ADD COLUMN review_reason TEXT;

    CREATE TABLE batches (
        id          INTEGER PRIMARY KEY,
        profile_id  INTEGER NOT NULL REFERENCES profiles(id) ON DELETE RESTRICT,
        source      TEXT NOT NULL,
        confirm_repeats INTEGER NOT NULL CHECK (confirm_repeats IN (0, 1)),
        created_at  INTEGER NOT NULL,
        finished_at INTEGER
    ) STRICT;
    CREATE TABLE batch_rows (
        batch_id       INTEGER NOT NULL REFERENCES batches(id) ON DELETE RESTRICT,
        line           INTEGER NOT NULL,
        number         TEXT NOT NULL,
        amount         TEXT NOT NULL,
        operator       TEXT,
        circle         TEXT,
        transaction_id INTEGER UNIQUE REFERENCES transactions(id) ON DELETE RESTRICT,
        refusal        TEXT,
        PRIMARY KEY (batch_id, line)
    ) STRICT;
    "#,
    // 3: what the window remembers: last balances, favourite numbers, the operator/circle
    // chosen per number, and profiles put aside (kept for the history, hidden elsewhere).
    r#"
    CREATE TABLE balance_readings (
        profile_id   INTEGER PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
        amount_minor INTEGER NOT NULL,
        unit         TEXT NOT NULL,
        read_at      INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE favourite_numbers (
        profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        number     TEXT NOT NULL,
        label      TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        PRIMARY KEY (profile_id, number)
    ) STRICT;
    CREATE TABLE number_choices (
        profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        number     TEXT NOT NULL,
        choices    TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (profile_id, number)
    ) STRICT;
    ALTER TABLE profiles ADD COLUMN archived_at INTEGER;
    "#,
    // 4: how a final outcome is known (stated by the provider, inferred by saldo, settled by
    // hand); the request as sent, to send the very same one again where the provider
    // deduplicates on our reference; the first of two balance readings that settle a credit
    // move; and each batch's fingerprint, so a file sent before is recognised.
    r#"
    ALTER TABLE transactions ADD COLUMN basis TEXT
        CHECK (basis IN ('stated', 'inferred', 'by_hand'));
    ALTER TABLE transactions ADD COLUMN request TEXT;
    ALTER TABLE transactions ADD COLUMN first_reading TEXT;
    UPDATE transactions SET basis = CASE
            WHEN provider_message LIKE 'settled by hand%' THEN 'by_hand'
            WHEN provider_message LIKE 'executed%' OR provider_message LIKE 'not executed%'
              OR provider_message LIKE '%not found%' THEN 'inferred'
            ELSE 'stated' END
        WHERE state IN ('succeeded', 'failed');
    CREATE INDEX transactions_by_what ON transactions (destination, kind, amount_minor, state);
    ALTER TABLE batches ADD COLUMN fingerprint TEXT;
    CREATE INDEX batches_by_fingerprint ON batches (fingerprint, created_at);
    "#,
    // 5: a provider's own lists of top-up choices (RechargeKit's live operator list), kept
    // so every counter offers what the provider last said. RechargeKit profiles made before
    // the static API token became the default keep signing in as they did (auth_mode=login),
    // and the host no integration calls becomes the one they do.
    r#"
    UPDATE profiles SET settings = json_set(settings, '$.options', json(json_patch(
            coalesce(json_extract(settings, '$.options'), '{}'), '{"auth_mode":"login"}')))
        WHERE provider = 'rechargekit'
          AND json_extract(settings, '$.options.auth_mode') IS NULL;
    UPDATE profiles SET base_url = 'https://v2a.rechargkit.biz'
        WHERE provider = 'rechargekit' AND base_url = 'https://api.rechargekit.co.in/api'
          AND NOT EXISTS (SELECT 1 FROM transactions t WHERE t.profile_id = profiles.id
                          AND t.state IN ('recorded', 'sending', 'pending', 'unknown'));
    CREATE TABLE provider_lists (
        profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        field      TEXT NOT NULL,
        entries    TEXT NOT NULL,
        fetched_at INTEGER NOT NULL,
        PRIMARY KEY (profile_id, field)
    ) STRICT;
    "#,
    // 6: the operations a later fact flagged for a person, found without reading every
    // settled one (the window counts what Review lists after every reconciler pass).
    r#"
    CREATE INDEX transactions_flagged ON transactions (created_at, id)
        WHERE review_reason IS NOT NULL;
    "#,
    // 7: saldo's own words are kept as data: review reasons and event notes as JSON
    // (domain::ReviewReason, domain::Note). No table changes; the version moves so that an
    // older saldo, which knows neither (nor the note that marks a request sent again, from
    // which the reconciler counts how long a send may still arrive), refuses the ledger
    // instead of misreading it.
    r#"
    -- nothing to change in the tables
    "#,
    // 8: several counters on one ledger: each operation and event names the counter that
    // wrote it (History filters by it; an older ledger's rows name none), and each counter
    // says which profiles' secrets its own keychain lacks (JSON: profile → kinds).
    r#"
    ALTER TABLE transactions ADD COLUMN counter TEXT;
    ALTER TABLE transaction_events ADD COLUMN counter TEXT;
    CREATE INDEX transactions_by_counter ON transactions (counter, created_at DESC, id DESC);
    CREATE TABLE counters (
        name    TEXT PRIMARY KEY,
        seen_at INTEGER NOT NULL,
        missing_secrets TEXT NOT NULL DEFAULT '{}'
    ) STRICT;
    "#,
    // 9: the sends still recorded or sending of a profile, asked before every sale (a leftover
    // of an interruption is settled first), found without visiting every operation that
    // passed through those states — on the server the state index keeps an entry for each
    // until the table is vacuumed, so that question grew slower with every sale.
    r#"
    CREATE INDEX transactions_unfinished ON transactions (profile_id, created_at, id)
        WHERE state IN ('recorded', 'sending');
    "#,
    // 10: receipts. Each counter numbers the receipts it hands out without a gap (a number
    // is taken in the transaction that writes the receipt, so a rollback takes it back), and
    // every copy printed is an event: the original is copy 0, a reprint n says "REPRINT n".
    // Both tables are append-only, like the event log. The shop's own words (its name and
    // address on every receipt) are settings every counter shares.
    r#"
    CREATE TABLE shop_settings (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE receipts (
        id             INTEGER PRIMARY KEY,
        transaction_id INTEGER NOT NULL UNIQUE REFERENCES transactions(id) ON DELETE RESTRICT,
        counter        TEXT NOT NULL,
        number         INTEGER NOT NULL CHECK (number > 0),
        issued_at      INTEGER NOT NULL,
        UNIQUE (counter, number)
    ) STRICT;
    CREATE TABLE receipt_prints (
        id         INTEGER PRIMARY KEY,
        receipt_id INTEGER NOT NULL REFERENCES receipts(id) ON DELETE RESTRICT,
        copy       INTEGER NOT NULL CHECK (copy >= 0),
        at         INTEGER NOT NULL,
        counter    TEXT NOT NULL,
        format     TEXT NOT NULL,
        state      TEXT NOT NULL,
        UNIQUE (receipt_id, copy)
    ) STRICT;
    CREATE TRIGGER receipts_no_update BEFORE UPDATE ON receipts
        BEGIN SELECT RAISE(ABORT, 'receipts are append-only'); END;
    CREATE TRIGGER receipts_no_delete BEFORE DELETE ON receipts
        BEGIN SELECT RAISE(ABORT, 'receipts are append-only'); END;
    CREATE TRIGGER receipt_prints_no_update BEFORE UPDATE ON receipt_prints
        BEGIN SELECT RAISE(ABORT, 'receipt prints are append-only'); END;
    CREATE TRIGGER receipt_prints_no_delete BEFORE DELETE ON receipt_prints
        BEGIN SELECT RAISE(ABORT, 'receipt prints are append-only'); END;
    "#,
];

/// The server's schema as SQLite's stands at version 7, in one step: a shop moves onto the
/// server with a saldo of this version or later (`saldo ledger copy`), so no server ever held
/// an older one. Keys are identities, times and amounts BIGINT, and the event log is kept
/// append-only by a trigger, as on SQLite.
const PG_BASELINE_VERSION: i64 = 7;
const PG_BASELINE: &str = r#"
CREATE TABLE schema_version (version BIGINT NOT NULL);

CREATE TABLE profiles (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    provider    TEXT NOT NULL,
    base_url    TEXT NOT NULL,
    settings    TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    archived_at BIGINT
);

CREATE TABLE transactions (
    id               BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    reference        TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL CHECK (kind IN
                        ('topup','credit_add','credit_remove','transfer')),
    profile_id       BIGINT NOT NULL REFERENCES profiles(id) ON DELETE RESTRICT,
    destination      TEXT NOT NULL,
    amount_minor     BIGINT NOT NULL CHECK (amount_minor >= 0),
    unit             TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN
                        ('recorded','sending','succeeded','failed','pending','unknown')),
    provider_ref     TEXT,
    provider_message TEXT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    send_deadline_at BIGINT,
    next_check_at    BIGINT,
    checks           BIGINT NOT NULL DEFAULT 0,
    review_reason    TEXT,
    basis            TEXT CHECK (basis IN ('stated', 'inferred', 'by_hand')),
    request          TEXT,
    first_reading    TEXT
);
CREATE INDEX transactions_by_time ON transactions (created_at DESC, id DESC);
CREATE INDEX transactions_by_state ON transactions (state, created_at DESC, id DESC);
CREATE INDEX transactions_by_destination
    ON transactions (destination, created_at DESC, id DESC);
CREATE INDEX transactions_by_profile ON transactions (profile_id, created_at DESC, id DESC);
CREATE INDEX transactions_by_what ON transactions (destination, kind, amount_minor, state);
CREATE INDEX transactions_flagged ON transactions (created_at, id)
    WHERE review_reason IS NOT NULL;

CREATE TABLE transaction_events (
    id             BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    transaction_id BIGINT NOT NULL REFERENCES transactions(id) ON DELETE RESTRICT,
    at             BIGINT NOT NULL,
    from_state     TEXT,
    to_state       TEXT NOT NULL,
    detail         TEXT
);
CREATE INDEX transaction_events_by_tx ON transaction_events (transaction_id, id);
CREATE FUNCTION saldo_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'transaction events are append-only'; END $$;
CREATE TRIGGER transaction_events_no_change BEFORE UPDATE OR DELETE ON transaction_events
    FOR EACH ROW EXECUTE FUNCTION saldo_events_append_only();
CREATE TRIGGER transaction_events_no_truncate BEFORE TRUNCATE ON transaction_events
    FOR EACH STATEMENT EXECUTE FUNCTION saldo_events_append_only();

CREATE TABLE batches (
    id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    profile_id      BIGINT NOT NULL REFERENCES profiles(id) ON DELETE RESTRICT,
    source          TEXT NOT NULL,
    confirm_repeats BIGINT NOT NULL CHECK (confirm_repeats IN (0, 1)),
    created_at      BIGINT NOT NULL,
    finished_at     BIGINT,
    fingerprint     TEXT
);
CREATE INDEX batches_by_fingerprint ON batches (fingerprint, created_at);
CREATE TABLE batch_rows (
    batch_id       BIGINT NOT NULL REFERENCES batches(id) ON DELETE RESTRICT,
    line           BIGINT NOT NULL,
    number         TEXT NOT NULL,
    amount         TEXT NOT NULL,
    operator       TEXT,
    circle         TEXT,
    transaction_id BIGINT UNIQUE REFERENCES transactions(id) ON DELETE RESTRICT,
    refusal        TEXT,
    PRIMARY KEY (batch_id, line)
);

CREATE TABLE balance_readings (
    profile_id   BIGINT PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
    amount_minor BIGINT NOT NULL,
    unit         TEXT NOT NULL,
    read_at      BIGINT NOT NULL
);
CREATE TABLE favourite_numbers (
    profile_id BIGINT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    number     TEXT NOT NULL,
    label      TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    PRIMARY KEY (profile_id, number)
);
CREATE TABLE number_choices (
    profile_id BIGINT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    number     TEXT NOT NULL,
    choices    TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (profile_id, number)
);
CREATE TABLE provider_lists (
    profile_id BIGINT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    field      TEXT NOT NULL,
    entries    TEXT NOT NULL,
    fetched_at BIGINT NOT NULL,
    PRIMARY KEY (profile_id, field)
);
"#;

/// The server's migrations after [`PG_BASELINE`]: entry `i` brings it to version
/// `PG_BASELINE_VERSION + 1 + i`, the same version as `MIGRATIONS[PG_BASELINE_VERSION + i]`.
const PG_MIGRATIONS: &[&str] = &[
    // 8: the counter on operations and events, as on SQLite; and who holds an operation in
    // flight: a lease row per operation (or per sub-account while its balance is compared),
    // renewed by its holder and expired by the server's clock. Its token grows with every
    // new holder, so an owner whose lease was taken over is told apart from the new one.
    r#"
    ALTER TABLE transactions ADD COLUMN counter TEXT;
    ALTER TABLE transaction_events ADD COLUMN counter TEXT;
    CREATE INDEX transactions_by_counter ON transactions (counter, created_at DESC, id DESC);
    CREATE TABLE counters (
        name    TEXT PRIMARY KEY,
        seen_at BIGINT NOT NULL,
        missing_secrets TEXT NOT NULL DEFAULT '{}'
    );
    CREATE SEQUENCE lease_tokens;
    CREATE TABLE leases (
        key        TEXT PRIMARY KEY,
        holder     TEXT NOT NULL,
        counter    TEXT NOT NULL,
        process    BIGINT NOT NULL,
        token      BIGINT NOT NULL,
        taken_at   TIMESTAMPTZ NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL
    );
    CREATE INDEX leases_by_holder ON leases (holder);
    "#,
    // 9: the unfinished sends of a profile, as on SQLite.
    r#"
    CREATE INDEX transactions_unfinished ON transactions (profile_id, created_at, id)
        WHERE state IN ('recorded', 'sending');
    "#,
    // 10: receipts and the shop's settings, as on SQLite.
    r#"
    CREATE TABLE shop_settings (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at BIGINT NOT NULL
    );
    CREATE TABLE receipts (
        id             BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        transaction_id BIGINT NOT NULL UNIQUE REFERENCES transactions(id) ON DELETE RESTRICT,
        counter        TEXT NOT NULL,
        number         BIGINT NOT NULL CHECK (number > 0),
        issued_at      BIGINT NOT NULL,
        UNIQUE (counter, number)
    );
    CREATE TABLE receipt_prints (
        id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        receipt_id BIGINT NOT NULL REFERENCES receipts(id) ON DELETE RESTRICT,
        copy       BIGINT NOT NULL CHECK (copy >= 0),
        at         BIGINT NOT NULL,
        counter    TEXT NOT NULL,
        format     TEXT NOT NULL,
        state      TEXT NOT NULL,
        UNIQUE (receipt_id, copy)
    );
    CREATE FUNCTION saldo_receipts_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'receipts and their prints are append-only'; END $$;
    CREATE TRIGGER receipts_no_change BEFORE UPDATE OR DELETE ON receipts
        FOR EACH ROW EXECUTE FUNCTION saldo_receipts_append_only();
    CREATE TRIGGER receipts_no_truncate BEFORE TRUNCATE ON receipts
        FOR EACH STATEMENT EXECUTE FUNCTION saldo_receipts_append_only();
    CREATE TRIGGER receipt_prints_no_change BEFORE UPDATE OR DELETE ON receipt_prints
        FOR EACH ROW EXECUTE FUNCTION saldo_receipts_append_only();
    CREATE TRIGGER receipt_prints_no_truncate BEFORE TRUNCATE ON receipt_prints
        FOR EACH STATEMENT EXECUTE FUNCTION saldo_receipts_append_only();
    "#,
];

const _: () = assert!(
    PG_BASELINE_VERSION + PG_MIGRATIONS.len() as i64 == MIGRATIONS.len() as i64,
    "every SQLite migration needs its PostgreSQL twin"
);

/// The advisory lock two counters starting at once take before migrating ("saldo-migrate").
const MIGRATION_LOCK: i64 = 0x5341_4c44_4f4d_4947;

/// Why the schema could not be brought up to date.
#[derive(Debug)]
pub enum MigrationError {
    /// The store was written by a newer saldo, at this schema version.
    Newer(i64),
    Store(DbError),
}

impl From<DbError> for MigrationError {
    fn from(error: DbError) -> Self {
        MigrationError::Store(error)
    }
}

/// The schema version this build of saldo writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// The schema version a store holds (0: an empty one).
pub fn current_version(conn: &mut Conn) -> Result<i64, DbError> {
    version_on(&mut conn.sql())
}

fn version_on(sql: &mut Sql<'_>) -> Result<i64, DbError> {
    match sql.dialect() {
        Dialect::Sqlite => sql.value("PRAGMA user_version", &[]),
        Dialect::Postgres => {
            let made: bool = sql.value("SELECT to_regclass('schema_version') IS NOT NULL", &[])?;
            if !made {
                return Ok(0);
            }
            sql.value("SELECT COALESCE(MAX(version), 0) FROM schema_version", &[])
        }
    }
}

/// Applies every migration the store lacks, all in one transaction.
pub fn apply(conn: &mut Conn) -> Result<(), MigrationError> {
    match conn.dialect() {
        Dialect::Sqlite => conn.write(|sql| {
            let from = version_on(sql)?;
            if from > latest_version() {
                return Err(MigrationError::Newer(from));
            }
            for (index, step) in MIGRATIONS.iter().enumerate().skip(from.max(0) as usize) {
                sql.batch(step)?;
                sql.batch(&format!("PRAGMA user_version = {}", index + 1))?;
            }
            Ok(())
        }),
        Dialect::Postgres => {
            // Session-wide, taken before the transaction starts: a serializable transaction
            // begun before another counter's migration committed would not see its tables.
            conn.sql()
                .execute("SELECT pg_advisory_lock(?1)", crate::args![MIGRATION_LOCK])?;
            let applied = conn.write(apply_on_server);
            let unlocked = conn.sql().execute(
                "SELECT pg_advisory_unlock(?1)",
                crate::args![MIGRATION_LOCK],
            );
            applied?;
            unlocked?;
            Ok(())
        }
    }
}

fn apply_on_server(sql: &mut Sql<'_>) -> Result<(), MigrationError> {
    let from = version_on(sql)?;
    if from > latest_version() {
        return Err(MigrationError::Newer(from));
    }
    if from == 0 {
        sql.batch(PG_BASELINE)?;
        sql.execute(
            "INSERT INTO schema_version (version) VALUES (?1)",
            crate::args![PG_BASELINE_VERSION],
        )?;
    }
    let done = from.max(PG_BASELINE_VERSION);
    for (index, step) in PG_MIGRATIONS.iter().enumerate() {
        let version = PG_BASELINE_VERSION + 1 + index as i64;
        if version > done {
            sql.batch(step)?;
            sql.execute(
                "UPDATE schema_version SET version = ?1",
                crate::args![version],
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A RechargeKit profile made with a login before the static token was the default keeps
    /// its login, and leaves the host no integration calls; other providers are untouched.
    #[test]
    fn rechargekit_profiles_from_before_the_static_token_keep_signing_in() {
        let conn = Connection::open_in_memory().unwrap();
        for (index, sql) in MIGRATIONS.iter().take(4).enumerate() {
            conn.execute_batch(sql).unwrap();
            conn.pragma_update(None, "user_version", index as i64 + 1)
                .unwrap();
        }
        let add = |name: &str, provider: &str, url: &str, settings: &str| {
            conn.execute(
                "INSERT INTO profiles (name, provider, base_url, settings, created_at)
                 VALUES (?1, ?2, ?3, ?4, 0)",
                [name, provider, url, settings],
            )
            .unwrap();
        };
        add(
            "in",
            "rechargekit",
            "https://api.rechargekit.co.in/api",
            r#"{"unit":"INR","denominations":[]}"#,
        );
        add(
            "in2",
            "rechargekit",
            "https://rk.example",
            r#"{"unit":"INR","denominations":[],"options":{"dest":"online"}}"#,
        );
        add(
            "cu",
            "qvatel",
            "https://qvatel.com/api",
            r#"{"unit":"USD","denominations":[]}"#,
        );
        add(
            "busy",
            "rechargekit",
            "https://api.rechargekit.co.in/api",
            r#"{"unit":"INR","denominations":[]}"#,
        );
        // An open operation of that profile: its host is left alone, or its status would be
        // asked of a host that never saw it.
        conn.execute(
            "INSERT INTO transactions (reference, kind, profile_id, destination, amount_minor,
                 unit, state, created_at, updated_at)
             SELECT 'SAL-1', 'topup', id, '+919679833706', 1000, 'INR', 'unknown', 0, 0
             FROM profiles WHERE name = 'busy'",
            [],
        )
        .unwrap();
        let mut store = Conn::Sqlite(conn);
        apply(&mut store).unwrap();
        let conn = store.as_sqlite().unwrap();
        let row = |name: &str| -> (String, String) {
            conn.query_row(
                "SELECT base_url, settings FROM profiles WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
        };
        let settings = |json: &str| -> crate::providers::ProfileSettings {
            serde_json::from_str(json).unwrap()
        };
        let (url, json) = row("in");
        assert_eq!(url, "https://v2a.rechargkit.biz");
        assert_eq!(settings(&json).options["auth_mode"], "login");
        let (url, json) = row("in2");
        assert_eq!(url, "https://rk.example");
        let kept = settings(&json);
        assert_eq!(
            (
                kept.options["auth_mode"].as_str(),
                kept.options["dest"].as_str()
            ),
            ("login", "online")
        );
        assert_eq!(row("busy").0, "https://api.rechargekit.co.in/api");
        let (_, json) = row("cu");
        assert!(settings(&json).options.is_empty(), "{json}");
    }
}
