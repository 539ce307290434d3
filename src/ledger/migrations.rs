//! Schema migrations, tracked in SQLite's `user_version` and applied in one transaction.

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
];

/// The schema version this build of saldo writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// The schema version recorded in a database file.
pub fn current_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}

/// Applies every migration the database lacks, all in one transaction.
pub fn apply(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let from = current_version(&tx)?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(from.max(0) as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
    }
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A RechargeKit profile made with a login before the static token was the default keeps
    /// its login, and leaves the host no integration calls; other providers are untouched.
    #[test]
    fn rechargekit_profiles_from_before_the_static_token_keep_signing_in() {
        let mut conn = Connection::open_in_memory().unwrap();
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
        apply(&mut conn).unwrap();
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
