//! What only the shop's server has to prove: counters opening it at once, a schema from a
//! newer saldo, and checks inside a write holding across counters. Skipped (and said) when
//! `SALDO_TEST_POSTGRES` names no server; `scripts/test.sh` always starts one.

use std::sync::{Arc, Barrier};

use super::testkit;
use super::*;
use crate::domain::{Money, Reference, TxState, Unit};
use crate::providers::ProviderKind;

#[test]
fn counters_starting_at_once_migrate_the_server_once() {
    let Some(target) = testkit::fresh_schema() else {
        return;
    };
    let start = Arc::new(Barrier::new(6));
    let counters: Vec<_> = (0..6)
        .map(|_| {
            let (target, start) = (target.clone(), start.clone());
            std::thread::spawn(move || {
                let dir = tempfile::tempdir().unwrap();
                start.wait();
                Ledger::open_server(&target, None, dir.path()).map(drop)
            })
        })
        .collect();
    for counter in counters {
        counter
            .join()
            .unwrap()
            .expect("every counter opens the server");
    }
    let mut conn = db::connect_postgres(&target, None).unwrap();
    let rows: i64 = conn
        .sql()
        .value("SELECT count(*) FROM schema_version", crate::args![])
        .unwrap();
    let version: i64 = conn
        .sql()
        .value("SELECT version FROM schema_version", crate::args![])
        .unwrap();
    assert_eq!((rows, version), (1, migrations::latest_version()));
}

#[test]
fn a_server_from_a_newer_saldo_is_refused_untouched() {
    let Some(target) = testkit::fresh_schema() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    drop(Ledger::open_server(&target, None, dir.path()).unwrap());
    let mut conn = db::connect_postgres(&target, None).unwrap();
    conn.sql()
        .batch("UPDATE schema_version SET version = 99; CREATE TABLE future (x BIGINT)")
        .unwrap();
    let error = Ledger::open_server(&target, None, dir.path())
        .err()
        .expect("refused");
    assert!(
        matches!(error, LedgerError::NewerSchema { found: 99, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("newer saldo"), "{error}");
    let version: i64 = conn
        .sql()
        .value("SELECT version FROM schema_version", crate::args![])
        .unwrap();
    assert_eq!(version, 99, "left as it was");
}

/// Two counters sending the same number and amount at the same moment: the repeat guard is
/// checked inside the recording transaction, so exactly one is recorded and the other is
/// told it repeats an open operation.
#[test]
fn two_counters_recording_the_same_top_up_at_once_record_it_once() {
    let Some(target) = testkit::fresh_schema() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let first = Ledger::open_server(&target, None, dir.path()).unwrap();
    let kind = ProviderKind::Qvatel;
    let profile = first
        .add_profile("cuba", kind, "https://x.example", &kind.default_settings())
        .unwrap()
        .id;
    let counters: Vec<Arc<Ledger>> = (0..4)
        .map(|_| Arc::new(Ledger::open_server(&target, None, dir.path()).unwrap()))
        .collect();
    for round in 0..10 {
        let start = Arc::new(Barrier::new(counters.len()));
        let number = format!("+535294{round:04}");
        let sends: Vec<_> = counters
            .iter()
            .map(|ledger| {
                let (ledger, start, number) = (ledger.clone(), start.clone(), number.clone());
                std::thread::spawn(move || {
                    let reference = Reference::generate();
                    start.wait();
                    ledger.record_sending(
                        &NewOperation {
                            reference: &reference,
                            kind: TxKind::TopUp,
                            profile_id: profile,
                            destination: &number,
                            amount: Money::from_minor(2000, Unit::Usd),
                            repeat_guard: Some(RepeatGuard {
                                window_ms: 600_000,
                                confirmed: false,
                            }),
                            request: None,
                            batch_row: None,
                        },
                        &StateChange::default(),
                    )
                })
            })
            .collect();
        let outcomes: Vec<_> = sends.into_iter().map(|s| s.join().unwrap()).collect();
        let recorded = outcomes.iter().filter(|o| o.is_ok()).count();
        assert_eq!(recorded, 1, "round {round}: {outcomes:?}");
        assert!(
            outcomes.iter().filter_map(|o| o.as_ref().err()).all(
                |e| matches!(e, LedgerError::RepeatOfOpen(found) if found.state == TxState::Sending)
            ),
            "round {round}: {outcomes:?}"
        );
    }
    let page = first.history_page(None, 100).unwrap();
    assert_eq!(page.len(), 10);
}
