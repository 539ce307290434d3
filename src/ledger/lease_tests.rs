//! Ownership on the shop's server: leases held by one counter at a time, expired by the
//! server's clock and fenced; reconcilers sharing open rows; the server's clock whatever the
//! counter's says; outcomes kept on the counter while its connection is cut. Skipped (and
//! said) when `SALDO_TEST_POSTGRES` names no server; `scripts/test.sh` always starts one.

use std::sync::{Arc, Barrier};
use std::time::Duration;

use super::testkit;
use super::*;
use crate::domain::clock::SteppedClock;
use crate::domain::{Money, Reference, TxState, Unit};
use crate::providers::ProviderKind;

fn counter(target: &db::PgTarget, name: &str) -> Ledger {
    let dir = tempfile::tempdir().unwrap();
    Ledger::open_server(target, None, &dir.keep())
        .unwrap()
        .with_counter(name)
}

fn profile(ledger: &Ledger) -> i64 {
    let kind = ProviderKind::Qvatel;
    ledger
        .add_profile("cuba", kind, "https://x.example", &kind.default_settings())
        .unwrap()
        .id
}

/// Records `reference` as sent to `number` (its sender holds the claim, if any).
fn record_sending(ledger: &Ledger, profile_id: i64, number: &str, reference: &Reference) {
    ledger
        .record_sending(
            &NewOperation {
                reference,
                kind: TxKind::TopUp,
                profile_id,
                destination: number,
                amount: Money::from_minor(2000, Unit::Usd),
                repeat_guard: None,
                request: None,
                batch_row: None,
            },
            &StateChange::default(),
        )
        .unwrap();
}

fn sending(ledger: &Ledger, profile_id: i64, number: &str) -> Reference {
    let reference = Reference::generate();
    record_sending(ledger, profile_id, number, &reference);
    reference
}

/// The lease on `reference` runs out by the server's clock, as when its holder stops
/// renewing (a frozen machine).
fn run_out(target: &db::PgTarget, reference: &Reference) {
    let mut admin = db::connect_postgres(target, None).unwrap();
    admin
        .sql()
        .execute(
            "UPDATE leases SET expires_at = now() - interval '1 second' WHERE key = ?1",
            crate::args![reference.as_str()],
        )
        .unwrap();
}

/// A send `ledger` holds in flight: claimed, then recorded as sending to `number`.
fn held_send(ledger: &Ledger, profile_id: i64, number: &str) -> (Reference, claims::Claim) {
    let reference = Reference::generate();
    let held = ledger.claim(&reference).unwrap().expect("free");
    record_sending(ledger, profile_id, number, &reference);
    (reference, held)
}

fn succeeded() -> StateChange {
    StateChange {
        provider_ref: Some("P-1".into()),
        provider_message: Some("ok".into()),
        ..StateChange::default()
    }
}

#[test]
fn one_counter_holds_an_operation_and_an_expired_holder_is_fenced_out() {
    let Some(target) = testkit::fresh_schema() else {
        return;
    };
    let front = counter(&target, "front");
    let back = counter(&target, "back");
    let id = profile(&front);
    let reference = Reference::generate();
    let held = front.claim(&reference).unwrap().expect("free");
    assert!(back.claim(&reference).unwrap().is_none(), "held by front");
    assert!(back.is_claimed(&reference));
    // The row is recorded under front's lease.
    record_sending(&front, id, "+5352942387", &reference);
    // Front stops renewing (a frozen machine): its lease runs out by the server's clock and
    // back takes the operation over.
    run_out(&target, &reference);
    let taken = back
        .claim(&reference)
        .unwrap()
        .expect("expired: taken over");
    // Front wakes up with an outcome: it is kept as a note, never moved over back.
    let late = front
        .settle_from(
            &reference,
            TxState::Sending,
            TxState::Succeeded,
            &succeeded(),
        )
        .unwrap();
    assert!(matches!(late, Settled::Noted(_)), "{late:?}");
    assert_eq!(
        front.transaction(&reference).unwrap().state,
        TxState::Sending
    );
    // Back, the holder, settles it.
    let settled = back
        .settle_from(
            &reference,
            TxState::Sending,
            TxState::Succeeded,
            &succeeded(),
        )
        .unwrap();
    assert!(matches!(settled, Settled::Moved(_)), "{settled:?}");
    let events = back.events(&reference).unwrap();
    let counters: Vec<Option<String>> = events.iter().map(|e| e.counter.clone()).collect();
    assert_eq!(
        counters,
        [
            Some("front".to_string()),
            Some("front".to_string()),
            Some("front".to_string()),
            Some("back".to_string())
        ],
        "recorded, sending, front's late note, back's outcome"
    );
    assert_eq!(
        back.transaction(&reference).unwrap().counter.as_deref(),
        Some("front")
    );
    drop((held, taken));
    assert!(!front.is_claimed(&reference), "released");
}

/// Settles `reference` as succeeded through `ledger` on a thread, in one transaction that
/// waits `pause` after writing and before committing; the receiver hears when it has written.
fn commit_slowly(
    ledger: &Arc<Ledger>,
    reference: &Reference,
    pause: Duration,
) -> (
    std::sync::mpsc::Receiver<()>,
    std::thread::JoinHandle<Result<Settled<()>, LedgerError>>,
) {
    let (written, heard) = std::sync::mpsc::channel();
    let (ledger, reference) = (ledger.clone(), reference.clone());
    let thread = std::thread::spawn(move || {
        let fence = ledger.fence(&reference);
        let counter = ledger.counter().to_string();
        let stamp = transactions::Stamp {
            now: ledger.now(),
            counter: &counter,
        };
        let mut told = false;
        ledger.write_locked(|tx| {
            let (change, to) = (succeeded(), TxState::Succeeded);
            let expected = TxState::Sending;
            let done =
                transactions::settle_in(tx, &reference, expected, to, &change, stamp, &fence)?;
            if !told {
                told = true;
                written.send(()).unwrap();
            }
            std::thread::sleep(pause);
            Ok(done)
        })
    });
    (heard, thread)
}

/// The lease runs out while its holder is in the middle of writing the outcome (checked the
/// fence and written, not committed yet): the counter taking it over waits for that commit and
/// then sees the outcome — it never takes the operation from under a write in flight.
#[test]
fn a_takeover_waits_for_the_holders_write_in_flight_and_then_sees_it() {
    let Some(target) = testkit::fresh_schema() else {
        return;
    };
    let front = Arc::new(counter(&target, "front"));
    let back = counter(&target, "back");
    let id = profile(&front);
    let (reference, _held) = held_send(&front, id, "+5352942388");
    run_out(&target, &reference);
    let (written, writer) = commit_slowly(&front, &reference, Duration::from_millis(700));
    written.recv().unwrap();
    let asked = std::time::Instant::now();
    let taken = back.claim(&reference).unwrap();
    let waited = asked.elapsed();
    let settled = writer.join().unwrap();
    assert!(
        matches!(settled, Ok(Settled::Moved(()))),
        "front's outcome moved the operation: {settled:?}"
    );
    assert!(
        taken.is_some(),
        "back takes the expired lease over afterwards"
    );
    // Front commits 700 ms after writing; a takeover that did not wait returns at once.
    assert!(
        waited >= Duration::from_millis(500),
        "back's takeover waited for front's commit (it took {waited:?})"
    );
    assert_eq!(
        back.transaction(&reference).unwrap().state,
        TxState::Succeeded,
        "and back sees front's outcome"
    );
}

/// A counter whose lease was taken over reports "failed" while the new holder is committing
/// "succeeded": the late report waits for that commit, reads the outcome as it now stands and
/// flags the contradiction for a person — it never judges the operation as it stood before.
#[test]
fn a_late_contradicting_fact_is_judged_against_the_outcome_being_committed() {
    let Some(target) = testkit::fresh_schema() else {
        return;
    };
    let front = counter(&target, "front");
    let back = Arc::new(counter(&target, "back"));
    let id = profile(&front);
    let (reference, _front_held) = held_send(&front, id, "+5352942389");
    run_out(&target, &reference);
    let back_held = back.claim(&reference).unwrap().expect("taken over");
    let (written, holder) = commit_slowly(&back, &reference, Duration::from_millis(500));
    written.recv().unwrap();
    let failed = StateChange {
        provider_message: Some("rejected".into()),
        ..StateChange::default()
    };
    let late = front
        .settle_from(&reference, TxState::Sending, TxState::Failed, &failed)
        .unwrap();
    let settled = holder.join().unwrap();
    assert!(matches!(settled, Ok(Settled::Moved(()))), "{settled:?}");
    assert!(matches!(late, Settled::Noted(_)), "{late:?}");
    let record = back.transaction(&reference).unwrap();
    assert_eq!(record.state, TxState::Succeeded);
    assert!(
        record.review_reason.is_some(),
        "a failure reported against a success is flagged for a person"
    );
    let last = back.events(&reference).unwrap().pop().unwrap();
    assert_eq!(
        (last.from_state, last.to_state, last.counter.as_deref()),
        (Some(TxState::Succeeded), TxState::Succeeded, Some("front")),
        "the late note names the outcome it came after"
    );
    drop(back_held);
}

/// Every counter asks for leftovers before each sale: another counter's send in flight is
/// not one, a send whose holder's lease ran out is.
#[test]
fn a_send_in_flight_elsewhere_is_no_leftover_until_its_lease_runs_out() {
    let Some(target) = testkit::fresh_schema() else {
        return;
    };
    let front = counter(&target, "front");
    let back = counter(&target, "back");
    let id = profile(&front);
    let (reference, _held) = held_send(&front, id, "+5352942390");
    assert!(back.unfinished_sends(id).unwrap().is_empty(), "in flight");
    run_out(&target, &reference);
    let left: Vec<Reference> = back
        .unfinished_sends(id)
        .unwrap()
        .into_iter()
        .map(|r| r.reference)
        .collect();
    assert_eq!(left, [reference], "its holder stopped renewing");
}

#[test]
fn a_lease_its_holder_renews_outlives_its_length_and_one_it_does_not_runs_out() {
    let Some(target) = testkit::fresh_schema() else {
        return;
    };
    let front = counter(&target, "front");
    let back = counter(&target, "back");
    front.set_lease_length(Duration::from_millis(400));
    let reference = Reference::generate();
    let held = front.claim(&reference).unwrap().expect("free");
    std::thread::sleep(Duration::from_millis(1_500));
    assert!(
        back.claim(&reference).unwrap().is_none(),
        "renewed by front's keeper"
    );
    // A holder that dies stops renewing: the lease runs out.
    drop(front);
    std::mem::forget(held);
    std::thread::sleep(Duration::from_millis(1_000));
    assert!(back.claim(&reference).unwrap().is_some(), "ran out");
}

#[test]
fn ten_reconcilers_claim_every_open_operation_exactly_once() {
    let Some(target) = testkit::fresh_schema() else {
        return;
    };
    let first = counter(&target, "c0");
    let id = profile(&first);
    let open: Vec<Reference> = (0..60)
        .map(|i| sending(&first, id, &format!("+53529{i:05}")))
        .collect();
    let reconcilers: Vec<Arc<Ledger>> = (0..10)
        .map(|i| Arc::new(counter(&target, &format!("r{i}"))))
        .collect();
    let start = Arc::new(Barrier::new(reconcilers.len()));
    let passes: Vec<_> = reconcilers
        .iter()
        .map(|ledger| {
            let (ledger, start, open) = (ledger.clone(), start.clone(), open.clone());
            std::thread::spawn(move || {
                start.wait();
                // Each holds what it took until every reconciler has tried (a slow pass).
                let mut taken = Vec::new();
                for chunk in open.chunks(8) {
                    taken.extend(ledger.claim_open(chunk).unwrap());
                }
                taken
            })
        })
        .collect();
    let taken: Vec<Vec<(Reference, Claim)>> =
        passes.into_iter().map(|p| p.join().unwrap()).collect();
    let mut references: Vec<&str> = taken.iter().flatten().map(|(r, _)| r.as_str()).collect();
    references.sort_unstable();
    let mut expected: Vec<&str> = open.iter().map(Reference::as_str).collect();
    expected.sort_unstable();
    assert_eq!(references, expected, "every open row once, none twice");
}

#[test]
fn the_ledger_reads_the_servers_clock_whatever_the_counters_says() {
    let Some(target) = testkit::fresh_schema() else {
        return;
    };
    let off = SteppedClock::new();
    off.step(-120_000);
    let wrong = counter(&target, "wrong-clock").with_clock(off.clone());
    let right = counter(&target, "right");
    let gap = (wrong.now() - right.now()).abs();
    assert!(gap < 2_000, "two minutes off, read {gap} ms apart");
    // A step of the counter's clock later (NTP, a laptop waking) moves its time, as the
    // reconciler's tests expect of a stepped clock.
    off.step(60_000);
    let gap = wrong.now() - right.now();
    assert!((58_000..62_000).contains(&gap), "{gap}");
}

#[test]
fn an_outcome_learned_while_the_connection_is_cut_is_kept_and_written_when_it_is_back() {
    let Some(target) = testkit::fresh_schema() else {
        return;
    };
    let front = counter(&target, "front");
    front.set_lease_length(Duration::from_millis(400));
    let id = profile(&front);
    let reference = Reference::generate();
    let claim = front.claim(&reference).unwrap().expect("free");
    record_sending(&front, id, "+5352942387", &reference);
    // The network drops the counter's connection while the provider answers.
    let pid = front.server_process().unwrap();
    let mut admin = db::connect_postgres(&target, None).unwrap();
    admin
        .sql()
        .execute(
            "SELECT pg_terminate_backend(CAST(?1 AS INT))",
            crate::args![pid],
        )
        .unwrap();
    let error = front
        .settle_from(
            &reference,
            TxState::Sending,
            TxState::Succeeded,
            &succeeded(),
        )
        .expect_err("the connection was cut");
    assert!(matches!(error, LedgerError::Unreachable(_)), "{error}");
    assert_eq!(front.kept_outcomes(), 1, "kept on the counter");
    drop(claim);
    // The lease stays with front until the outcome is written; its keeper writes it.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while front.kept_outcomes() > 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(front.kept_outcomes(), 0);
    let row = front.transaction(&reference).unwrap();
    assert_eq!(
        (row.state, row.provider_ref.as_deref()),
        (TxState::Succeeded, Some("P-1"))
    );
    assert!(!front.is_claimed(&reference), "released once written");
}
