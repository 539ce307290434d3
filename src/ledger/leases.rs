//! Who holds an operation in flight when the ledger is the shop's server: a lease row per
//! operation (or per sub-account while its balance is compared), taken atomically, renewed by
//! a keeper thread of its holder and expired by the *server's* clock — a counter whose own
//! clock is wrong, or steps, neither keeps a lease alive nor ends one early. Each new holder
//! gets a larger token; writes of an operation check the token in the same transaction, so a
//! holder whose lease ran out and was taken over cannot record over the new one (its fact is
//! appended as a note instead, see [`super::transactions::settle_in`]).
//!
//! The keeper also reads the server's clock (the ledger's time on a server store) and writes
//! the outcomes this counter kept in its outbox while the server could not be reached.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use super::db::{Conn, DbError, LockSpace, Sql};
use super::{LedgerError, Store, lock};
use crate::args;
use crate::domain::clock::Clock;

/// How long a lease lasts without renewal, unless the shop sets otherwise.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(30);

/// The lease length this counter asks for: `SALDO_LEASE_SECONDS` (whole seconds, at least
/// one; the tests shorten it), else [`DEFAULT_LEASE`].
pub fn lease_length() -> Duration {
    std::env::var("SALDO_LEASE_SECONDS")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|&s| s >= 1)
        .map_or(DEFAULT_LEASE, Duration::from_secs)
}

/// The server's clock, read through this counter's: `base` plus the offset last measured
/// against the server. The default base is monotonic (a wall-clock step on the counter
/// changes nothing) and is measured again now and then by the keeper.
#[derive(Debug)]
pub struct ServerClock {
    base: Mutex<Arc<dyn Clock>>,
    offset_ms: AtomicI64,
    follows_server: AtomicBool,
}

impl Clock for ServerClock {
    fn now_ms(&self) -> i64 {
        lock(&self.base)
            .now_ms()
            .saturating_add(self.offset_ms.load(Ordering::SeqCst))
    }
}

/// The machine's clock at start, moved on by the monotonic clock only.
#[derive(Debug)]
struct MonotonicClock {
    start_ms: i64,
    start: Instant,
}

impl Clock for MonotonicClock {
    fn now_ms(&self) -> i64 {
        let elapsed = i64::try_from(self.start.elapsed().as_millis()).unwrap_or(i64::MAX);
        self.start_ms.saturating_add(elapsed)
    }
}

/// The server's time now (Unix ms), the round trip's midpoint against `base`.
fn measure_offset(conn: &mut Conn, base: &dyn Clock) -> Result<i64, DbError> {
    let before = base.now_ms();
    let server: i64 = conn.sql().value(
        "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)",
        args![],
    )?;
    let after = base.now_ms();
    Ok(server - (before + (after - before) / 2))
}

/// Who this counter's process is on the server, and the leases it holds.
pub(crate) struct Leases {
    /// Counter, process and a random part: unique for every opened ledger.
    holder: String,
    counter: String,
    /// How long a lease lasts without renewal, in ms.
    length_ms: AtomicU64,
    store: Store,
    conn: Mutex<Option<Conn>>,
    held: Mutex<HashMap<String, i64>>,
    pub(crate) clock: Arc<ServerClock>,
    pub(crate) outbox: super::outbox::Outbox,
}

impl std::fmt::Debug for Leases {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Leases")
            .field("holder", &self.holder)
            .finish_non_exhaustive()
    }
}

impl Leases {
    /// Leases for a ledger on the server, with `conn` as their own connection; starts the
    /// keeper thread, which ends when the ledger is dropped.
    pub(crate) fn start(
        store: Store,
        mut conn: Conn,
        counter: &str,
        outbox: super::outbox::Outbox,
    ) -> Result<Arc<Leases>, LedgerError> {
        let base: Arc<dyn Clock> = Arc::new(MonotonicClock {
            start_ms: crate::domain::clock::SystemClock.now_ms(),
            start: Instant::now(),
        });
        let offset = measure_offset(&mut conn, base.as_ref())?;
        let leases = Arc::new(Leases {
            holder: format!(
                "{counter}/{}/{}",
                std::process::id(),
                &uuid::Uuid::new_v4().simple().to_string()[..8]
            ),
            counter: counter.to_string(),
            length_ms: AtomicU64::new(lease_length().as_millis() as u64),
            store,
            conn: Mutex::new(Some(conn)),
            held: Mutex::new(HashMap::new()),
            clock: Arc::new(ServerClock {
                base: Mutex::new(base),
                offset_ms: AtomicI64::new(offset),
                follows_server: AtomicBool::new(true),
            }),
            outbox,
        });
        let weak = Arc::downgrade(&leases);
        std::thread::Builder::new()
            .name("saldo-leases".into())
            .spawn(move || keep(weak))
            .map_err(|e| LedgerError::Write(format!("could not start the lease keeper: {e}")))?;
        Ok(leases)
    }

    /// How long a lease lasts without renewal.
    pub(crate) fn length(&self) -> Duration {
        Duration::from_millis(self.length_ms.load(Ordering::SeqCst))
    }

    /// Leases taken from now on last `length` (tests shorten it).
    pub(crate) fn set_length(&self, length: Duration) {
        let millis = length.as_millis().max(100) as u64;
        self.length_ms.store(millis, Ordering::SeqCst);
    }

    /// Reads time from `base` from now on, measured against the server once (tests step it).
    pub(crate) fn rebase_clock(&self, base: Arc<dyn Clock>) -> Result<(), LedgerError> {
        let offset = self.with_conn(|conn| Ok(measure_offset(conn, base.as_ref())?))?;
        self.clock.follows_server.store(false, Ordering::SeqCst);
        self.clock.offset_ms.store(offset, Ordering::SeqCst);
        *lock(&self.clock.base) = base;
        Ok(())
    }

    /// Runs `work` on the leases' own connection, connecting again if it was lost.
    pub(crate) fn with_conn<T>(
        &self,
        work: impl FnOnce(&mut Conn) -> Result<T, LedgerError>,
    ) -> Result<T, LedgerError> {
        let mut slot = lock(&self.conn);
        if slot.as_ref().is_none_or(Conn::is_lost) {
            *slot = None;
            *slot = Some(self.store.open_reader()?);
        }
        let conn = slot.as_mut().expect("just connected");
        let done = work(conn);
        if matches!(done, Err(LedgerError::Unreachable(_))) {
            *slot = None;
        }
        done
    }

    /// Takes the lease on `key` if nobody holds a live one; returns its token.
    pub(crate) fn take(&self, key: &str) -> Result<Option<i64>, LedgerError> {
        let lease = LeaseAsk {
            holder: &self.holder,
            counter: &self.counter,
            length: self.length(),
            wait: true,
        };
        let token = self.with_conn(|conn| take_on(&mut conn.sql(), key, &lease))?;
        if let Some(token) = token {
            lock(&self.held).insert(key.to_string(), token);
        }
        Ok(token)
    }

    /// Takes the leases on every key whose operation is still open and whose row no other
    /// counter's reconciler is claiming right now (`FOR UPDATE SKIP LOCKED`), in one
    /// transaction; returns the keys taken with their tokens.
    pub(crate) fn take_open(&self, keys: &[String]) -> Result<Vec<(String, i64)>, LedgerError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let taken = self.with_conn(|conn| {
            conn.write_locked(|sql| {
                let marks: Vec<String> = (1..=keys.len()).map(|i| format!("?{i}")).collect();
                let values: Vec<super::db::Value> = keys
                    .iter()
                    .map(|k| super::db::ToValue::to_value(&k.as_str()))
                    .collect();
                let free: Vec<String> = sql.rows(
                    &format!(
                        "SELECT reference FROM transactions
                         WHERE reference IN ({}) AND state IN ('recorded', 'sending', 'pending', 'unknown')
                         ORDER BY id FOR UPDATE SKIP LOCKED",
                        marks.join(", ")
                    ),
                    &values,
                    |r| Ok::<_, LedgerError>(r.get(0)?),
                )?;
                let mut taken = Vec::new();
                for key in free {
                    // The rows are locked already: a key whose writer is busy is skipped,
                    // as a locked row is, rather than waited for (two waits, two orders).
                    let lease = LeaseAsk {
                        holder: &self.holder,
                        counter: &self.counter,
                        length: self.length(),
                        wait: false,
                    };
                    if let Some(token) = take_on(sql, &key, &lease)? {
                        taken.push((key, token));
                    }
                }
                Ok(taken)
            })
        })?;
        lock(&self.held).extend(taken.iter().cloned());
        Ok(taken)
    }

    /// Gives a lease back (if the server cannot be reached, it runs out by itself).
    pub(crate) fn release(&self, key: &str, token: i64) {
        if self.outbox.holds(key) {
            // Its outcome waits in the outbox: the lease stays ours until that is written.
            return;
        }
        lock(&self.held).remove(key);
        let _ = self.with_conn(|conn| {
            conn.sql().execute(
                "DELETE FROM leases WHERE key = ?1 AND token = ?2",
                args![key, token],
            )?;
            Ok(())
        });
    }

    /// The counter these leases are taken for.
    pub(crate) fn counter_name(&self) -> &str {
        &self.counter
    }

    /// Our token for `key`, if this ledger holds its lease.
    pub(crate) fn token(&self, key: &str) -> Option<i64> {
        lock(&self.held).get(key).copied()
    }

    /// Forgets a lease whose outcome the outbox has now written (the row is deleted too).
    pub(crate) fn forget(&self, key: &str) {
        if let Some(token) = lock(&self.held).remove(key) {
            let _ = self.with_conn(|conn| {
                conn.sql().execute(
                    "DELETE FROM leases WHERE key = ?1 AND token = ?2",
                    args![key, token],
                )?;
                Ok(())
            });
        }
    }

    /// Whether anyone (this ledger included) holds a live lease on `key`.
    pub(crate) fn is_live(&self, key: &str) -> Result<bool, LedgerError> {
        self.with_conn(|conn| {
            let live: Option<i64> = conn.sql().row(
                "SELECT 1 FROM leases WHERE key = ?1 AND expires_at > now()",
                args![key],
                |r| Ok::<_, LedgerError>(r.get(0)?),
            )?;
            Ok(live.is_some())
        })
    }

    /// Renews every lease this ledger holds; those another holder took over are forgotten.
    fn renew(&self) -> Result<(), LedgerError> {
        let held: Vec<(String, i64)> = lock(&self.held)
            .iter()
            .map(|(k, t)| (k.clone(), *t))
            .collect();
        if held.is_empty() {
            return Ok(());
        }
        let millis = i64::try_from(self.length().as_millis()).unwrap_or(i64::MAX);
        let lost = self.with_conn(|conn| {
            let mut lost = Vec::new();
            let mut sql = conn.sql();
            for (key, token) in &held {
                let renewed = sql.execute(
                    "UPDATE leases SET expires_at = now() + CAST(?3 AS BIGINT) * interval '1 millisecond'
                     WHERE key = ?1 AND token = ?2",
                    args![key.as_str(), *token, millis],
                )?;
                if renewed == 0 {
                    lost.push(key.clone());
                }
            }
            Ok(lost)
        })?;
        for key in lost {
            tracing::warn!(%key, "the lease was taken over by another counter");
            lock(&self.held).remove(&key);
        }
        Ok(())
    }

    fn follow_server_clock(&self) -> Result<(), LedgerError> {
        if !self.clock.follows_server.load(Ordering::SeqCst) {
            return Ok(());
        }
        let base = lock(&self.clock.base).clone();
        let offset = self.with_conn(|conn| Ok(measure_offset(conn, base.as_ref())?))?;
        self.clock.offset_ms.store(offset, Ordering::SeqCst);
        Ok(())
    }
}

/// Who asks for a lease, for how long, and whether to wait while a writer of its operation
/// is in the middle of a transaction.
struct LeaseAsk<'a> {
    holder: &'a str,
    counter: &'a str,
    length: Duration,
    wait: bool,
}

/// The statement that takes a lease: a new row, or an expired one taken over with a new token.
/// It never lands between a writer's check of the lease and that writer's commit (see
/// [`Fence::shut_out`]): a takeover waits for the writer's share lock on the row, and a new
/// row first takes the key's lock alone — or, without `wait`, is not taken while a writer
/// holds that lock.
fn take_on(sql: &mut Sql<'_>, key: &str, ask: &LeaseAsk<'_>) -> Result<Option<i64>, LedgerError> {
    let millis = i64::try_from(ask.length.as_millis()).unwrap_or(i64::MAX);
    // A lock function returns void; compared as text it is a condition the planner cannot
    // fold away (`… IS NOT NULL OR true` is folded to `true`, and the lock never taken).
    let lock = if ask.wait {
        "SELECT pg_advisory_xact_lock(?6, hashtext(?1))::text = '' AS free"
    } else {
        "SELECT pg_try_advisory_xact_lock(?6, hashtext(?1)) AS free"
    };
    sql.row(
        &format!(
            "WITH key_lock AS ({lock})
             INSERT INTO leases (key, holder, counter, process, token, taken_at, expires_at)
             SELECT ?1, ?2, ?3, ?4, nextval('lease_tokens'), now(),
                    now() + CAST(?5 AS BIGINT) * interval '1 millisecond'
             FROM key_lock WHERE key_lock.free
             ON CONFLICT (key) DO UPDATE SET holder = EXCLUDED.holder,
                 counter = EXCLUDED.counter, process = EXCLUDED.process,
                 token = EXCLUDED.token, taken_at = EXCLUDED.taken_at,
                 expires_at = EXCLUDED.expires_at
             WHERE leases.expires_at < now()
             RETURNING token"
        ),
        args![
            key,
            ask.holder,
            ask.counter,
            i64::from(std::process::id()),
            millis,
            LockSpace::Lease as i64
        ],
        |r| Ok::<_, LedgerError>(r.get(0)?),
    )
}

/// The keeper: renews, follows the server's clock and empties the outbox, until the ledger
/// is gone. A server that cannot be reached is tried again on the next round.
fn keep(leases: Weak<Leases>) {
    let mut rounds: u64 = 0;
    let mut last = Instant::now();
    loop {
        // Short naps, so a ledger that is gone, or a lease length that changed, is seen soon.
        std::thread::sleep(Duration::from_millis(50));
        let Some(leases) = leases.upgrade() else {
            return;
        };
        let every = (leases.length() / 4).max(Duration::from_millis(50));
        if last.elapsed() < every {
            continue;
        }
        last = Instant::now();
        rounds += 1;
        if let Err(error) = leases.renew() {
            tracing::warn!(%error, "could not renew this counter's leases");
            continue;
        }
        if let Err(error) = super::outbox::flush(&leases) {
            tracing::warn!(%error, "could not write the outcomes kept on this counter yet");
        }
        // About once a minute: the monotonic clock drifts a little from the server's.
        if rounds.is_multiple_of((60_000 / every.as_millis().max(1) as u64).max(1)) {
            let _ = leases.follow_server_clock();
        }
    }
}

/// What a write must check before it moves an operation: on the server, that no other
/// holder has its lease (see [`Fence::shut_out`]); on a file, nothing (its locks are the
/// operating system's).
#[derive(Clone, Debug)]
pub(crate) enum Fence {
    Open,
    Lease { key: String, ours: Option<i64> },
}

impl Fence {
    /// The fence for writes to `key` by the holder of `ours` (if this ledger holds its lease).
    pub(crate) fn for_key(leases: Option<&Leases>, key: &str) -> Fence {
        match leases {
            None => Fence::Open,
            Some(leases) => Fence::Lease {
                key: key.to_string(),
                ours: leases.token(key),
            },
        }
    }

    /// Whether another holder has the operation: the lease row's token is not ours, or
    /// (holding none ourselves) someone's lease is live. Read in the writing transaction with
    /// the lease row locked shared (`FOR SHARE`), so a takeover either committed before, and
    /// is seen here, or waits until this transaction has committed. With no lease row to lock,
    /// the key's own lock is taken shared instead (a taker takes it alone) and the row read
    /// again, for a lease taken meanwhile.
    pub(crate) fn shut_out(&self, tx: &mut Sql<'_>) -> Result<bool, LedgerError> {
        let Fence::Lease { key, ours } = self else {
            return Ok(false);
        };
        let read = |tx: &mut Sql<'_>, lock: &str| {
            tx.row(
                &format!(
                    "SELECT token, CASE WHEN expires_at > now() THEN 1 ELSE 0 END FROM leases
                     WHERE key = ?1{lock}"
                ),
                args![key.as_str()],
                |r| Ok::<(i64, i64), LedgerError>((r.get(0)?, r.get(1)?)),
            )
        };
        let mut row = read(tx, " FOR SHARE")?;
        if row.is_none() {
            tx.lock_key(LockSpace::Lease, key, true)?;
            row = read(tx, "")?;
        }
        Ok(match (ours, row) {
            (Some(ours), Some((token, _))) => token != *ours,
            (None, Some((_, live))) => live == 1,
            (_, None) => false,
        })
    }
}
