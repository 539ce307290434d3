//! Backups and restores through the real `saldo` binary, against a ledger another process is
//! writing: a backup taken in the middle of a running batch holds every operation committed
//! before it, exactly; restoring it merges it back without forgetting any later row (so a
//! resumed batch sends nothing again), keeps the ledger as it was aside, and a damaged or
//! foreign file is refused without touching the ledger.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use saldo::engine::batch_file::read_batch;
use saldo::engine::{BatchRun, EngineOptions};
use saldo::ledger::FILE_NAME;
use saldo::ledger::backup::check_backup;
use saldo::simulator::{Fault, FaultRule};

/// Every operation in a ledger file: reference → state.
fn operations(file: &Path) -> BTreeMap<String, String> {
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut statement = conn
        .prepare("SELECT reference, state FROM transactions")
        .unwrap();
    statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A stored batch of `rows` RechargeKit top-ups on the engine's "in" profile; its id.
fn india_batch(engine: &saldo::engine::Engine, rows: usize) -> i64 {
    let mut file = String::from("number,amount,operator,circle\n");
    for i in 0..rows {
        file.push_str(&format!("96798{:05},10,Airtel,West Bengal\n", i + 1));
    }
    let profile = engine.ledger().profile("in").unwrap();
    let lists = engine.ledger().topup_lists(&profile).unwrap();
    let rows = read_batch(file.as_bytes(), &profile, &lists).unwrap();
    engine
        .ledger()
        .create_batch(profile.id, "customers.csv", false, "customers", true, &rows)
        .unwrap()
}

fn is_final(state: &str) -> bool {
    state == "succeeded" || state == "failed"
}

fn saldo(data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_saldo"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .expect("saldo runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).trim().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_mid_batch_restores_every_row_committed_before_it() {
    let sim = common::simulator(|_| {}).await;
    sim.inject(FaultRule {
        path: "/recharge/prepaid".into(),
        fault: Fault::Latency { ms: 40 },
        times: 1000,
    });
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let options = EngineOptions {
        retry_backoff: Duration::from_millis(20),
        ..EngineOptions::default()
    };
    // RechargeKit, whose status is asked by our reference: rows in flight at the backup's
    // moment can be settled after a restore. A 1 s request timeout makes their deadline 4 s.
    let engine = common::engine_with_all(&data, &sim, 1, options);
    let ledger_file = data.join(FILE_NAME);
    let batch = india_batch(&engine, 120);

    let running = {
        let engine = engine.clone();
        tokio::spawn(async move {
            let run = BatchRun {
                concurrency: 4,
                per_second: 0,
            };
            engine
                .run_batch(batch, run, Arc::new(AtomicBool::new(false)), |_| {})
                .await
        })
    };
    // Part-way through the batch...
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while operations(&ledger_file)
        .values()
        .filter(|s| is_final(s))
        .count()
        < 25
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the batch did not start"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // ...another process backs the ledger up while this one goes on writing.
    let before = operations(&ledger_file);
    let backup_file = dir.path().join("mid-batch.sqlite3");
    let out = {
        let (data, backup_file) = (data.clone(), backup_file.clone());
        tokio::task::spawn_blocking(move || {
            saldo(&data, &["backup", "--out", backup_file.to_str().unwrap()])
        })
        .await
        .unwrap()
    };
    let after = operations(&ledger_file);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("backed up "),
        "{}",
        text(&out.stdout)
    );
    assert!(
        engine.ledger().batch(batch).unwrap().finished_at.is_none(),
        "the backup must be taken while the batch runs"
    );
    running.await.unwrap().unwrap();
    let finished = operations(&ledger_file);
    assert_eq!(finished.len(), 120);
    assert!(finished.values().all(|s| s == "succeeded"), "{finished:?}");

    // The backup is one moment: every row committed before it, none that did not exist after
    // it, and a row already final before it has that same state.
    let backed_up = operations(&backup_file);
    assert!(
        backed_up.len() < 120,
        "taken mid-batch: {}",
        backed_up.len()
    );
    for (reference, state) in &before {
        let kept = backed_up
            .get(reference)
            .unwrap_or_else(|| panic!("{reference} committed before the backup is missing"));
        if is_final(state) {
            assert_eq!(kept, state, "{reference}");
        }
    }
    assert!(backed_up.keys().all(|r| after.contains_key(r)));
    check_backup(&backup_file).expect("the backup is a sound ledger");

    // Restored (by another process, while this one has the ledger open): merged, so every
    // row sent after the backup stays, with its batch link.
    let out = saldo(&data, &["restore", backup_file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(
        said.starts_with(&format!("restored {} operations", backed_up.len())),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "0 came back from the backup, {} made since it was taken were kept",
            120 - backed_up.len()
        )),
        "{said}"
    );
    assert_eq!(operations(&ledger_file), finished, "nothing was forgotten");
    // This process's open ledger sees the merged content too.
    let seen = engine.ledger().history_page(None, 1000).unwrap();
    assert_eq!(seen.len(), 120);
    // The ledger as it was, with all 120 rows, is kept aside as well.
    let aside = said
        .split("the ledger as it was is kept in ")
        .nth(1)
        .expect("the restore names where the old ledger is kept");
    assert_eq!(operations(Path::new(aside)), finished);
    assert!(aside.starts_with(data.join("backups").to_str().unwrap()));

    // Finding 5: resuming the batch after the restore sends nothing again.
    let before_resume = sim.requests_to("/recharge/prepaid").len();
    let rows = engine
        .run_batch(
            batch,
            BatchRun::default(),
            Arc::new(AtomicBool::new(false)),
            |_| {},
        )
        .await
        .unwrap();
    assert!(
        rows.iter().all(|r| r.operation.is_some()),
        "every row still linked"
    );
    assert_eq!(
        sim.requests_to("/recharge/prepaid").len(),
        before_resume,
        "nothing resent"
    );
}

/// A backup restored onto a ledger that lost rows (a new machine, a damaged file replaced by
/// an older copy) brings them back, with their events and batch links.
#[test]
fn a_restore_brings_back_what_the_ledger_lacks_and_keeps_what_it_has() {
    use saldo::domain::{Money, Reference, TxState, Unit};
    use saldo::ledger::{Ledger, NewOperation, StateChange, TxKind};
    use saldo::providers::ProviderKind;

    let dir = tempfile::tempdir().unwrap();
    let record = |ledger: &Ledger, number: &str| {
        let profile = ledger.profile("cuba").unwrap();
        let reference = Reference::generate();
        ledger
            .record_sending(
                &NewOperation {
                    reference: &reference,
                    kind: TxKind::TopUp,
                    profile_id: profile.id,
                    destination: number,
                    amount: Money::from_minor(2000, Unit::Usd),
                    repeat_guard: None,
                    request: None,
                    batch_row: None,
                },
                &StateChange::default(),
            )
            .unwrap();
        ledger
            .transition(&reference, TxState::Succeeded, &StateChange::default())
            .unwrap();
        reference
    };
    let old = Ledger::open_in(&dir.path().join("old")).unwrap();
    let kind = ProviderKind::Qvatel;
    old.add_profile(
        "cuba",
        kind,
        "https://qvatel.com/api",
        &kind.default_settings(),
    )
    .unwrap();
    let only_in_backup = record(&old, "+5352942301");
    let backup = dir.path().join("old.sqlite3");
    old.backup_to(&backup).unwrap();

    // A new machine: its own profile of the same name, and a sale made there.
    let data = dir.path().join("new");
    let ledger = Ledger::open_in(&data).unwrap();
    ledger
        .add_profile(
            "cuba",
            kind,
            "https://qvatel.com/api",
            &kind.default_settings(),
        )
        .unwrap();
    let only_here = record(&ledger, "+5352942302");
    let restored = ledger.restore_from(&backup).unwrap();
    assert_eq!(
        (
            restored.merged.operations_added,
            restored.merged.operations_kept
        ),
        (1, 1)
    );
    for reference in [&only_in_backup, &only_here] {
        let row = ledger.transaction(reference).unwrap();
        assert_eq!(
            (row.state, row.profile_name.as_str()),
            (TxState::Succeeded, "cuba")
        );
        assert_eq!(
            ledger.events(reference).unwrap().len(),
            3,
            "with its whole history"
        );
    }
    // Restoring the same backup again adds nothing twice.
    let again = ledger.restore_from(&backup).unwrap();
    assert_eq!(again.merged.operations_added, 0);
    assert_eq!(ledger.history_page(None, 10).unwrap().len(), 2);
}

#[test]
fn a_damaged_or_foreign_file_is_refused_and_the_ledger_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = saldo(&data, &["profile", "add", "cuba", "--provider", "qvatel"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let good = dir.path().join("good.sqlite3");
    assert!(
        saldo(&data, &["backup", "--out", good.to_str().unwrap()])
            .status
            .success()
    );
    let ledger_bytes = std::fs::read(data.join(FILE_NAME)).unwrap();

    // Not a database at all.
    let junk = dir.path().join("notes.sqlite3");
    std::fs::write(&junk, "these are not the operations you are looking for").unwrap();
    // A database, but not saldo's.
    let foreign = dir.path().join("other.sqlite3");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE songs (title TEXT); PRAGMA user_version = 1;")
        .unwrap();
    // saldo's, from a newer saldo.
    let newer = dir.path().join("newer.sqlite3");
    std::fs::copy(&good, &newer).unwrap();
    Connection::open(&newer)
        .unwrap()
        .execute_batch("PRAGMA user_version = 999;")
        .unwrap();
    // saldo's, damaged in the middle.
    let damaged = dir.path().join("damaged.sqlite3");
    let mut bytes = std::fs::read(&good).unwrap();
    let middle = bytes.len() / 2;
    let end = (middle + 4096).min(bytes.len());
    bytes[middle..end].fill(0x5a);
    std::fs::write(&damaged, bytes).unwrap();

    let cases = [
        (&junk, "it is not a saldo ledger"),
        (&foreign, "it is not a saldo ledger"),
        (&newer, "made by a newer saldo"),
        (&damaged, "damaged"),
    ];
    for (file, reason) in cases {
        let out = saldo(&data, &["restore", file.to_str().unwrap()]);
        let error = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}: {error}", file.display());
        assert!(error.contains(reason), "{}: {error}", file.display());
        assert!(error.ends_with("The ledger was not changed"), "{error}");
        assert_eq!(error.lines().count(), 1, "{error}");
    }
    assert_eq!(std::fs::read(data.join(FILE_NAME)).unwrap(), ledger_bytes);
    assert!(
        !data.join("backups").exists(),
        "nothing was kept aside: nothing changed"
    );
}

/// A profile renamed by a restore (its name belonged to another provider) is found again by
/// the next restore of the same backup: nothing is added twice, nothing fails.
#[test]
fn restoring_twice_finds_a_profile_the_first_restore_renamed() {
    use saldo::ledger::Ledger;
    use saldo::providers::ProviderKind;

    let dir = tempfile::tempdir().unwrap();
    let old = Ledger::open_in(&dir.path().join("old")).unwrap();
    let cuba = ProviderKind::Qvatel;
    old.add_profile(
        "shop",
        cuba,
        "https://qvatel.com/api",
        &cuba.default_settings(),
    )
    .unwrap();
    let backup = dir.path().join("old.sqlite3");
    old.backup_to(&backup).unwrap();
    let ledger = Ledger::open_in(&dir.path().join("new")).unwrap();
    let india = ProviderKind::Rechargekit;
    ledger
        .add_profile(
            "shop",
            india,
            india.default_base_url(),
            &india.default_settings(),
        )
        .unwrap();
    ledger.restore_from(&backup).unwrap();
    ledger.restore_from(&backup).unwrap();
    let names: Vec<String> = ledger
        .profiles()
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names.iter().any(|n| n.starts_with("shop~restored")),
        "{names:?}"
    );
}

/// Every operation on the server: reference → (state, how many events).
fn server_operations(url: &str) -> BTreeMap<String, (String, i64)> {
    let target = saldo::ledger::PgTarget::parse(url).unwrap();
    let mut conn = saldo::ledger::db::connect_postgres(&target, None).unwrap();
    conn.sql()
        .rows::<_, saldo::ledger::db::DbError>(
            "SELECT t.reference, t.state,
               (SELECT count(*) FROM transaction_events e WHERE e.transaction_id = t.id)
             FROM transactions t",
            &[],
            |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))),
        )
        .unwrap()
        .into_iter()
        .collect()
}

/// How many events each operation of a ledger file has: reference → count.
fn file_events(file: &Path) -> BTreeMap<String, i64> {
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut statement = conn
        .prepare(
            "SELECT t.reference, count(e.id) FROM transactions t
             LEFT JOIN transaction_events e ON e.transaction_id = t.id GROUP BY t.id",
        )
        .unwrap();
    statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A one-counter shop moves onto its server with `saldo ledger copy`: every operation with
/// its whole history, its batch and rows; the same copy again adds nothing. The server's
/// backup is one snapshot written as a checked SQLite ledger, and restoring it onto the
/// server forgets nothing made since.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shop_moves_onto_its_server_once_and_the_server_backs_up_and_restores() {
    let Some(url) = common::server_database() else {
        return;
    };
    let sim = common::simulator(|_| {}).await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let engine = common::engine_with_all(&data, &sim, 1, EngineOptions::default());
    let batch = india_batch(&engine, 30);
    engine
        .run_batch(
            batch,
            BatchRun::default(),
            Arc::new(AtomicBool::new(false)),
            |_| {},
        )
        .await
        .unwrap();
    drop(engine);
    let counter_file = data.join(FILE_NAME);
    let states = operations(&counter_file);
    let events = file_events(&counter_file);
    assert_eq!(states.len(), 30);

    let from = counter_file.to_str().unwrap();
    let elsewhere = dir.path().join("owner");
    let copy = || {
        saldo(
            &elsewhere,
            &["ledger", "copy", "--from", from, "--to", &url],
        )
    };
    let copied = copy();
    assert!(copied.status.success(), "{}", text(&copied.stderr));
    let said = text(&copied.stdout);
    assert!(
        said.contains("30 operation(s) added, 0 already there"),
        "{said}"
    );
    assert!(said.contains("1 batch(es) added"), "{said}");
    assert!(!said.contains("password"), "{said}");
    let on_server = server_operations(&url);
    let expected: BTreeMap<String, (String, i64)> = states
        .iter()
        .map(|(r, s)| (r.clone(), (s.clone(), events[r])))
        .collect();
    assert_eq!(
        on_server, expected,
        "every operation with its whole history"
    );

    let again = copy();
    assert!(again.status.success(), "{}", text(&again.stderr));
    let said = text(&again.stdout);
    assert!(
        said.contains("0 operation(s) added, 30 already there"),
        "{said}"
    );
    assert!(said.contains("0 batch(es) added"), "{said}");
    assert_eq!(server_operations(&url), expected, "nothing copied twice");
    let target = saldo::ledger::PgTarget::parse(&url).unwrap();
    let mut conn = saldo::ledger::db::connect_postgres(&target, None).unwrap();
    let linked: i64 = conn
        .sql()
        .value(
            "SELECT count(*) FROM batch_rows WHERE transaction_id IS NOT NULL",
            &[],
        )
        .unwrap();
    assert_eq!(linked, 30, "each batch row keeps its operation");

    // The server's backup: a SQLite ledger of one moment, checked.
    let backup_file = dir.path().join("server.sqlite3");
    let out = saldo(
        &elsewhere,
        &[
            "--ledger",
            &url,
            "backup",
            "--out",
            backup_file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("backed up 30 operations"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(check_backup(&backup_file).unwrap().operations, 30);
    assert_eq!(operations(&backup_file), states);
    assert_eq!(file_events(&backup_file), events);

    // A sale on the server after the backup, then the backup restored onto the server: the
    // sale stays, the ledger as it was is kept aside.
    let server = saldo::ledger::Ledger::open_server(&target, None, &elsewhere).unwrap();
    let later = saldo::domain::Reference::generate();
    server
        .record_sending(
            &saldo::ledger::NewOperation {
                reference: &later,
                kind: saldo::ledger::TxKind::TopUp,
                profile_id: server.profile("in").unwrap().id,
                destination: "+919679800099",
                amount: saldo::domain::Money::from_minor(1000, saldo::domain::Unit::Inr),
                repeat_guard: None,
                request: None,
                batch_row: None,
            },
            &saldo::ledger::StateChange::default(),
        )
        .unwrap();
    server
        .transition(
            &later,
            saldo::domain::TxState::Failed,
            &saldo::ledger::StateChange::default(),
        )
        .unwrap();
    drop(server);
    let out = saldo(
        &elsewhere,
        &["--ledger", &url, "restore", backup_file.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(
        said.contains("0 came back from the backup, 1 made since it was taken were kept"),
        "{said}"
    );
    let restored = server_operations(&url);
    assert_eq!(restored.len(), 31);
    assert_eq!(restored[later.as_str()].0, "failed");
    let aside = said
        .split("the ledger as it was is kept in ")
        .nth(1)
        .expect("the restore names where the server as it was is kept");
    assert_eq!(operations(Path::new(aside)).len(), 31);
}
