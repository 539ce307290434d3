//! Bringing a backup back without forgetting anything: the backup's operations, events and
//! batch links are merged into the ledger as it stands, by our reference (unique and never
//! reused), instead of replacing it. An operation made after the backup stays; one only the
//! backup holds comes back; one the backup knows more about gets the rest of its story; a
//! batch row sent after the backup keeps its link, so `batch --resume` never sends it again.
//! The backup's profile settings come back; profiles and operations only the ledger has stay.
//!
//! Runs inside the caller's write transaction, with the backup attached as `restored` (at this
//! saldo's schema).

use rusqlite::Transaction;

use super::{LedgerError, sqlite_write_error as write_error};

/// What a merge brought back.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MergeCounts {
    /// Operations only the backup held, now in the ledger with their events.
    pub operations_added: i64,
    /// Operations both held, where the backup knew more: its later events were appended.
    pub operations_completed: i64,
    /// Operations only the ledger held (made after the backup): kept as they are.
    pub operations_kept: i64,
    /// Batches only the backup held.
    pub batches_added: i64,
    /// Batch rows whose link to their operation came back from the backup.
    pub rows_linked: i64,
}

const MERGE: &str = r#"
CREATE TEMP TABLE merge_known AS SELECT reference FROM main.transactions;

-- Profiles: the backup's settings come back; one the ledger lacks is added (renamed
-- NAME~restoredID if its name now belongs to a profile of another provider — and found under
-- that name by the next restore).
UPDATE main.profiles SET base_url = r.base_url, settings = r.settings, archived_at = r.archived_at
  FROM (SELECT name, provider, base_url, settings, archived_at FROM restored.profiles) AS r
  WHERE r.name = main.profiles.name AND r.provider = main.profiles.provider;
INSERT INTO main.profiles (name, provider, base_url, settings, created_at, archived_at)
  SELECT CASE WHEN EXISTS (SELECT 1 FROM main.profiles m WHERE m.name = r.name)
              THEN r.name || '~restored' || r.id ELSE r.name END,
         r.provider, r.base_url, r.settings, r.created_at, r.archived_at
  FROM restored.profiles r
  WHERE NOT EXISTS (SELECT 1 FROM main.profiles m WHERE m.provider = r.provider
                      AND m.name IN (r.name, r.name || '~restored' || r.id));
-- One profile of the ledger for each of the backup's: its own name first.
CREATE TEMP TABLE merge_profiles AS
  SELECT old, new FROM (
    SELECT r.id AS old, COALESCE(
        (SELECT m.id FROM main.profiles m WHERE m.provider = r.provider AND m.name = r.name),
        (SELECT m.id FROM main.profiles m
          WHERE m.provider = r.provider AND m.name = r.name || '~restored' || r.id)) AS new
    FROM restored.profiles r)
  WHERE new IS NOT NULL;

-- Operations only the backup holds, and their events.
INSERT INTO main.transactions (reference, kind, profile_id, destination, amount_minor, unit,
    state, provider_ref, provider_message, created_at, updated_at, send_deadline_at,
    next_check_at, checks, review_reason, basis, request, first_reading)
  SELECT t.reference, t.kind, p.new, t.destination, t.amount_minor, t.unit, t.state,
    t.provider_ref, t.provider_message, t.created_at, t.updated_at, t.send_deadline_at,
    t.next_check_at, t.checks, t.review_reason, t.basis, t.request, t.first_reading
  FROM restored.transactions t JOIN merge_profiles p ON p.old = t.profile_id
  WHERE t.reference NOT IN (SELECT reference FROM merge_known)
  ORDER BY t.id;
CREATE TEMP TABLE merge_ops AS
  SELECT r.id AS old, m.id AS new, r.reference IN (SELECT reference FROM merge_known) AS existed
  FROM restored.transactions r JOIN main.transactions m ON m.reference = r.reference;
INSERT INTO main.transaction_events (transaction_id, at, from_state, to_state, detail)
  SELECT o.new, e.at, e.from_state, e.to_state, e.detail
  FROM restored.transaction_events e JOIN merge_ops o ON o.old = e.transaction_id
  WHERE NOT o.existed ORDER BY e.id;

-- Operations both hold where the backup knows more (the ledger is the older copy): the
-- backup's later events are appended and its state taken.
CREATE TEMP TABLE merge_behind AS
  SELECT o.old, o.new,
    (SELECT count(*) FROM main.transaction_events x WHERE x.transaction_id = o.new) AS have
  FROM merge_ops o
  WHERE o.existed
    AND (SELECT count(*) FROM restored.transaction_events x WHERE x.transaction_id = o.old)
      > (SELECT count(*) FROM main.transaction_events x WHERE x.transaction_id = o.new);
INSERT INTO main.transaction_events (transaction_id, at, from_state, to_state, detail)
  SELECT b.new, e.at, e.from_state, e.to_state, e.detail
  FROM merge_behind b JOIN restored.transaction_events e ON e.transaction_id = b.old
  WHERE (SELECT count(*) FROM restored.transaction_events p
         WHERE p.transaction_id = b.old AND p.id < e.id) >= b.have
  ORDER BY e.id;
UPDATE main.transactions SET state = r.state, provider_ref = r.provider_ref,
    provider_message = r.provider_message, updated_at = r.updated_at,
    next_check_at = r.next_check_at, checks = r.checks, review_reason = r.review_reason,
    basis = r.basis, first_reading = r.first_reading
  FROM (SELECT b.new AS target, t.state, t.provider_ref, t.provider_message, t.updated_at,
          t.next_check_at, t.checks, t.review_reason, t.basis, t.first_reading
        FROM merge_behind b JOIN restored.transactions t ON t.id = b.old) AS r
  WHERE main.transactions.id = r.target;

-- Batches: matched by when and from what they were made; one only the backup holds is added
-- with its rows; links and refusals the ledger's rows lack come back.
CREATE TEMP TABLE merge_batches (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
INSERT INTO merge_batches SELECT r.id, m.id FROM restored.batches r JOIN main.batches m
  ON m.created_at = r.created_at AND m.source = r.source;
CREATE TEMP TABLE merge_new_batches AS
  SELECT id FROM restored.batches WHERE id NOT IN (SELECT old FROM merge_batches);
INSERT INTO main.batches (profile_id, source, confirm_repeats, created_at, finished_at,
    fingerprint)
  SELECT p.new, r.source, r.confirm_repeats, r.created_at, r.finished_at, r.fingerprint
  FROM restored.batches r JOIN merge_profiles p ON p.old = r.profile_id
  WHERE r.id IN (SELECT id FROM merge_new_batches) ORDER BY r.id;
INSERT INTO merge_batches SELECT r.id, m.id FROM restored.batches r JOIN main.batches m
  ON m.created_at = r.created_at AND m.source = r.source
  WHERE r.id IN (SELECT id FROM merge_new_batches);
INSERT OR IGNORE INTO main.batch_rows (batch_id, line, number, amount, operator, circle,
    transaction_id, refusal)
  SELECT b.new, r.line, r.number, r.amount, r.operator, r.circle, o.new, r.refusal
  FROM restored.batch_rows r JOIN merge_batches b ON b.old = r.batch_id
  LEFT JOIN merge_ops o ON o.old = r.transaction_id
  WHERE r.batch_id IN (SELECT id FROM merge_new_batches);
CREATE TEMP TABLE merge_links AS
  SELECT b.new AS batch_id, r.line, o.new AS transaction_id
  FROM restored.batch_rows r JOIN merge_batches b ON b.old = r.batch_id
  JOIN merge_ops o ON o.old = r.transaction_id
  JOIN main.batch_rows m ON m.batch_id = b.new AND m.line = r.line
  WHERE m.transaction_id IS NULL
    AND NOT EXISTS (SELECT 1 FROM main.batch_rows x WHERE x.transaction_id = o.new);
UPDATE main.batch_rows SET transaction_id = l.transaction_id, refusal = NULL
  FROM merge_links l
  WHERE main.batch_rows.batch_id = l.batch_id AND main.batch_rows.line = l.line;
UPDATE main.batch_rows SET refusal = r.refusal
  FROM (SELECT b.new AS batch_id, x.line, x.refusal FROM restored.batch_rows x
        JOIN merge_batches b ON b.old = x.batch_id WHERE x.refusal IS NOT NULL) AS r
  WHERE main.batch_rows.batch_id = r.batch_id AND main.batch_rows.line = r.line
    AND main.batch_rows.transaction_id IS NULL AND main.batch_rows.refusal IS NULL;

-- What the window remembers: the ledger's own wins, the backup fills the gaps.
INSERT OR IGNORE INTO main.balance_readings (profile_id, amount_minor, unit, read_at)
  SELECT p.new, r.amount_minor, r.unit, r.read_at
  FROM restored.balance_readings r JOIN merge_profiles p ON p.old = r.profile_id;
INSERT OR IGNORE INTO main.favourite_numbers (profile_id, number, label, created_at)
  SELECT p.new, r.number, r.label, r.created_at
  FROM restored.favourite_numbers r JOIN merge_profiles p ON p.old = r.profile_id;
INSERT OR IGNORE INTO main.number_choices (profile_id, number, choices, updated_at)
  SELECT p.new, r.number, r.choices, r.updated_at
  FROM restored.number_choices r JOIN merge_profiles p ON p.old = r.profile_id;
"#;

const CLEAN_UP: &str = "
DROP TABLE IF EXISTS temp.merge_known; DROP TABLE IF EXISTS temp.merge_profiles;
DROP TABLE IF EXISTS temp.merge_ops; DROP TABLE IF EXISTS temp.merge_behind;
DROP TABLE IF EXISTS temp.merge_batches; DROP TABLE IF EXISTS temp.merge_new_batches;
DROP TABLE IF EXISTS temp.merge_links;
";

/// Merges the attached `restored` ledger into the main one, inside `tx`.
pub(super) fn merge_restored(tx: &Transaction<'_>) -> Result<MergeCounts, LedgerError> {
    tx.execute_batch(CLEAN_UP).map_err(write_error)?;
    tx.execute_batch(MERGE).map_err(write_error)?;
    let count = |sql: &str| -> Result<i64, LedgerError> {
        tx.query_row(sql, [], |r| r.get(0)).map_err(write_error)
    };
    let counts = MergeCounts {
        operations_added: count("SELECT count(*) FROM merge_ops WHERE NOT existed")?,
        operations_completed: count("SELECT count(*) FROM merge_behind")?,
        operations_kept: count(
            "SELECT count(*) FROM main.transactions
             WHERE reference NOT IN (SELECT reference FROM restored.transactions)",
        )?,
        batches_added: count(
            "SELECT count(*) FROM merge_new_batches n JOIN merge_batches b ON b.old = n.id",
        )?,
        rows_linked: count("SELECT count(*) FROM merge_links")?,
    };
    tx.execute_batch(CLEAN_UP).map_err(write_error)?;
    Ok(counts)
}
