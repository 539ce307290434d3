//! Bringing a backup back without forgetting anything: the backup's operations, events and
//! batch links are merged into the ledger as it stands, by our reference (unique and never
//! reused), instead of replacing it. An operation made after the backup stays; one only the
//! backup holds comes back; one the backup knows more about gets the rest of its story; a
//! batch row sent after the backup keeps its link, so `batch --resume` never sends it again.
//! The backup's profile settings come back; profiles and operations only the ledger has stay.
//!
//! The same statements run on both stores, inside the caller's write transaction: on SQLite
//! the backup is attached as `restored` (tables `restored.NAME`), on the shop's server it is
//! loaded into temporary tables `restored_NAME` first (see [`super::snapshot`]). Merging the
//! same backup twice adds nothing the second time: that is what makes `saldo ledger copy`
//! safe to run again.

use super::db::{DbError, ErrorKind, Sql};

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

/// The tables a merge reads from the backup: all a backup holds but the provider lists
/// (a cache, fetched again).
pub(super) fn merged_tables() -> impl Iterator<Item = &'static str> {
    super::snapshot::BACKED_UP_TABLES
        .iter()
        .copied()
        .filter(|table| *table != "provider_lists")
}

const MERGE: &str = r#"
-- Lookups go through keys (EXISTS on an indexed column): on the server a NOT IN over a
-- million references would be read once per row.
CREATE TEMP TABLE merge_known AS SELECT reference FROM transactions;
CREATE UNIQUE INDEX merge_known_by_reference ON merge_known (reference);

-- Profiles: the backup's settings come back; one the ledger lacks is added (renamed
-- NAME~restoredID if its name now belongs to a profile of another provider — and found under
-- that name by the next restore).
UPDATE profiles SET base_url = r.base_url, settings = r.settings, archived_at = r.archived_at
  FROM (SELECT name, provider, base_url, settings, archived_at FROM {r}profiles) AS r
  WHERE r.name = profiles.name AND r.provider = profiles.provider;
INSERT INTO profiles (name, provider, base_url, settings, created_at, archived_at)
  SELECT CASE WHEN EXISTS (SELECT 1 FROM profiles m WHERE m.name = r.name)
              THEN r.name || '~restored' || r.id ELSE r.name END,
         r.provider, r.base_url, r.settings, r.created_at, r.archived_at
  FROM {r}profiles r
  WHERE NOT EXISTS (SELECT 1 FROM profiles m WHERE m.provider = r.provider
                      AND m.name IN (r.name, r.name || '~restored' || r.id));
-- One profile of the ledger for each of the backup's: its own name first.
CREATE TEMP TABLE merge_profiles AS
  SELECT old, new FROM (
    SELECT r.id AS old, COALESCE(
        (SELECT m.id FROM profiles m WHERE m.provider = r.provider AND m.name = r.name),
        (SELECT m.id FROM profiles m
          WHERE m.provider = r.provider AND m.name = r.name || '~restored' || r.id)) AS new
    FROM {r}profiles r) AS matched
  WHERE new IS NOT NULL;

-- Operations only the backup holds, and their events.
INSERT INTO transactions (reference, kind, profile_id, destination, amount_minor, unit,
    state, provider_ref, provider_message, created_at, updated_at, send_deadline_at,
    next_check_at, checks, review_reason, basis, request, first_reading, counter)
  SELECT t.reference, t.kind, p.new, t.destination, t.amount_minor, t.unit, t.state,
    t.provider_ref, t.provider_message, t.created_at, t.updated_at, t.send_deadline_at,
    t.next_check_at, t.checks, t.review_reason, t.basis, t.request, t.first_reading, t.counter
  FROM {r}transactions t JOIN merge_profiles p ON p.old = t.profile_id
  WHERE NOT EXISTS (SELECT 1 FROM merge_known k WHERE k.reference = t.reference)
  ORDER BY t.id;
CREATE TEMP TABLE merge_ops AS
  SELECT r.id AS old, m.id AS new,
    EXISTS (SELECT 1 FROM merge_known k WHERE k.reference = r.reference) AS existed
  FROM {r}transactions r JOIN transactions m ON m.reference = r.reference;
INSERT INTO transaction_events (transaction_id, at, from_state, to_state, detail, counter)
  SELECT o.new, e.at, e.from_state, e.to_state, e.detail, e.counter
  FROM {r}transaction_events e JOIN merge_ops o ON o.old = e.transaction_id
  WHERE NOT o.existed ORDER BY e.id;

-- Operations both hold where the backup knows more (the ledger is the older copy): the
-- backup's later events are appended and its state taken.
CREATE TEMP TABLE merge_behind AS
  SELECT o.old, o.new,
    (SELECT count(*) FROM transaction_events x WHERE x.transaction_id = o.new) AS have
  FROM merge_ops o
  WHERE o.existed
    AND (SELECT count(*) FROM {r}transaction_events x WHERE x.transaction_id = o.old)
      > (SELECT count(*) FROM transaction_events x WHERE x.transaction_id = o.new);
INSERT INTO transaction_events (transaction_id, at, from_state, to_state, detail, counter)
  SELECT b.new, e.at, e.from_state, e.to_state, e.detail, e.counter
  FROM merge_behind b JOIN {r}transaction_events e ON e.transaction_id = b.old
  WHERE (SELECT count(*) FROM {r}transaction_events p
         WHERE p.transaction_id = b.old AND p.id < e.id) >= b.have
  ORDER BY e.id;
UPDATE transactions SET state = r.state, provider_ref = r.provider_ref,
    provider_message = r.provider_message, updated_at = r.updated_at,
    next_check_at = r.next_check_at, checks = r.checks, review_reason = r.review_reason,
    basis = r.basis, first_reading = r.first_reading
  FROM (SELECT b.new AS target, t.state, t.provider_ref, t.provider_message, t.updated_at,
          t.next_check_at, t.checks, t.review_reason, t.basis, t.first_reading
        FROM merge_behind b JOIN {r}transactions t ON t.id = b.old) AS r
  WHERE transactions.id = r.target;

-- Batches: matched by when and from what they were made; one only the backup holds is added
-- with its rows; links and refusals the ledger's rows lack come back.
CREATE TEMP TABLE merge_batches (old BIGINT PRIMARY KEY, new BIGINT NOT NULL);
INSERT INTO merge_batches SELECT r.id, m.id FROM {r}batches r JOIN batches m
  ON m.created_at = r.created_at AND m.source = r.source;
CREATE TEMP TABLE merge_new_batches AS
  SELECT id FROM {r}batches WHERE id NOT IN (SELECT old FROM merge_batches);
INSERT INTO batches (profile_id, source, confirm_repeats, created_at, finished_at,
    fingerprint)
  SELECT p.new, r.source, r.confirm_repeats, r.created_at, r.finished_at, r.fingerprint
  FROM {r}batches r JOIN merge_profiles p ON p.old = r.profile_id
  WHERE r.id IN (SELECT id FROM merge_new_batches) ORDER BY r.id;
INSERT INTO merge_batches SELECT r.id, m.id FROM {r}batches r JOIN batches m
  ON m.created_at = r.created_at AND m.source = r.source
  WHERE r.id IN (SELECT id FROM merge_new_batches);
INSERT INTO batch_rows (batch_id, line, number, amount, operator, circle,
    transaction_id, refusal)
  SELECT b.new, r.line, r.number, r.amount, r.operator, r.circle, o.new, r.refusal
  FROM {r}batch_rows r JOIN merge_batches b ON b.old = r.batch_id
  LEFT JOIN merge_ops o ON o.old = r.transaction_id
  WHERE r.batch_id IN (SELECT id FROM merge_new_batches)
  ON CONFLICT DO NOTHING;
CREATE TEMP TABLE merge_links AS
  SELECT b.new AS batch_id, r.line, o.new AS transaction_id
  FROM {r}batch_rows r JOIN merge_batches b ON b.old = r.batch_id
  JOIN merge_ops o ON o.old = r.transaction_id
  JOIN batch_rows m ON m.batch_id = b.new AND m.line = r.line
  WHERE m.transaction_id IS NULL
    AND NOT EXISTS (SELECT 1 FROM batch_rows x WHERE x.transaction_id = o.new);
UPDATE batch_rows SET transaction_id = l.transaction_id, refusal = NULL
  FROM merge_links l
  WHERE batch_rows.batch_id = l.batch_id AND batch_rows.line = l.line;
UPDATE batch_rows SET refusal = r.refusal
  FROM (SELECT b.new AS batch_id, x.line, x.refusal FROM {r}batch_rows x
        JOIN merge_batches b ON b.old = x.batch_id WHERE x.refusal IS NOT NULL) AS r
  WHERE batch_rows.batch_id = r.batch_id AND batch_rows.line = r.line
    AND batch_rows.transaction_id IS NULL AND batch_rows.refusal IS NULL;

-- What the window remembers: the ledger's own wins, the backup fills the gaps.
INSERT INTO balance_readings (profile_id, amount_minor, unit, read_at)
  SELECT p.new, r.amount_minor, r.unit, r.read_at
  FROM {r}balance_readings r JOIN merge_profiles p ON p.old = r.profile_id
  WHERE true ON CONFLICT DO NOTHING;
INSERT INTO favourite_numbers (profile_id, number, label, created_at)
  SELECT p.new, r.number, r.label, r.created_at
  FROM {r}favourite_numbers r JOIN merge_profiles p ON p.old = r.profile_id
  WHERE true ON CONFLICT DO NOTHING;
INSERT INTO number_choices (profile_id, number, choices, updated_at)
  SELECT p.new, r.number, r.choices, r.updated_at
  FROM {r}number_choices r JOIN merge_profiles p ON p.old = r.profile_id
  WHERE true ON CONFLICT DO NOTHING;
-- The counters that wrote the backup's operations (the ledger's own word on each wins).
INSERT INTO counters (name, seen_at, missing_secrets)
  SELECT name, seen_at, missing_secrets FROM {r}counters WHERE true ON CONFLICT DO NOTHING;
-- The shop's settings: the ledger's own win.
INSERT INTO shop_settings (key, value, updated_at)
  SELECT key, value, updated_at FROM {r}shop_settings WHERE true ON CONFLICT DO NOTHING;

-- Receipts keep their numbers (a counter's number is never handed out twice: one the ledger
-- already gave to another receipt stays with it), and every copy printed comes back.
INSERT INTO receipts (transaction_id, counter, number, issued_at)
  SELECT o.new, r.counter, r.number, r.issued_at
  FROM {r}receipts r JOIN merge_ops o ON o.old = r.transaction_id
  WHERE true ORDER BY r.id
  ON CONFLICT DO NOTHING;
INSERT INTO receipt_prints (receipt_id, copy, at, counter, format, state)
  SELECT m.id, p.copy, p.at, p.counter, p.format, p.state
  FROM {r}receipt_prints p JOIN {r}receipts r ON r.id = p.receipt_id
  JOIN merge_ops o ON o.old = r.transaction_id
  JOIN receipts m ON m.transaction_id = o.new AND m.counter = r.counter AND m.number = r.number
  WHERE true ORDER BY p.id
  ON CONFLICT DO NOTHING;
"#;

const CLEAN_UP: &str = "
DROP TABLE IF EXISTS merge_known; DROP TABLE IF EXISTS merge_profiles;
DROP TABLE IF EXISTS merge_ops; DROP TABLE IF EXISTS merge_behind;
DROP TABLE IF EXISTS merge_batches; DROP TABLE IF EXISTS merge_new_batches;
DROP TABLE IF EXISTS merge_links;
";

/// Operations of the backup the ledger lacks, or knows less of, after the merge: none, or the
/// merge is undone.
const CHECK: &str = "
SELECT count(*) FROM {r}transactions r
  LEFT JOIN transactions m ON m.reference = r.reference
  WHERE m.id IS NULL
     OR (SELECT count(*) FROM transaction_events e WHERE e.transaction_id = m.id)
      < (SELECT count(*) FROM {r}transaction_events e WHERE e.transaction_id = r.id)
";

/// Merges the backup whose tables are named `{restored}NAME` into the ledger, inside the
/// caller's write transaction, and checks that every operation of the backup is now in the
/// ledger with all of its events.
pub(super) fn merge_restored(sql: &mut Sql<'_>, restored: &str) -> Result<MergeCounts, DbError> {
    let named = |text: &str| text.replace("{r}", restored);
    sql.batch(CLEAN_UP)?;
    sql.batch(&named(MERGE))?;
    let mut count = |text: &str| -> Result<i64, DbError> { sql.value(&named(text), &[]) };
    let counts = MergeCounts {
        operations_added: count("SELECT count(*) FROM merge_ops WHERE NOT existed")?,
        operations_completed: count("SELECT count(*) FROM merge_behind")?,
        operations_kept: count(
            "SELECT count(*) FROM transactions t
             WHERE NOT EXISTS (SELECT 1 FROM {r}transactions r WHERE r.reference = t.reference)",
        )?,
        batches_added: count(
            "SELECT count(*) FROM merge_new_batches n JOIN merge_batches b ON b.old = n.id",
        )?,
        rows_linked: count("SELECT count(*) FROM merge_links")?,
    };
    let short: i64 = count(CHECK)?;
    if short > 0 {
        return Err(DbError::new(
            ErrorKind::Other,
            format!(
                "after merging, {short} operation(s) of the backup were still missing or \
                 incomplete in the ledger: nothing was changed"
            ),
        ));
    }
    sql.batch(CLEAN_UP)?;
    Ok(counts)
}
