//! The SMS Partner adapter and the journal-first credit move, over real HTTP on 127.0.0.1
//! against the simulator, and against the document's own example bodies.

use crate::common;

use std::time::Duration;

use common::TestProfile;

use saldo::domain::{Money, Reference, TxState, Unit};
use saldo::engine::{CreditOrder, Engine};
use saldo::ledger::TxKind;
use saldo::providers::http::{Timeouts, check_base_url, client};
use saldo::providers::smspartner::SmsPartner;
use saldo::providers::{
    BalanceRead, CreditDirection, CreditMove, NewSubAccount, ProviderError, ProviderKind,
    SubAccountCreate, SubAccountCredit, SubAccountList,
};
use saldo::secrets::{Secret, SecretKind};
use saldo::simulator::{Fault, FaultRule, Simulator, smspartner};

async fn sim() -> Simulator {
    common::simulator(|_| {}).await
}

fn adapter(sim: &Simulator, key: &str) -> SmsPartner {
    let base = check_base_url(&sim.smspartner_base_url()).unwrap();
    let timeouts = Timeouts {
        connect: Duration::from_secs(2),
        request: Duration::from_secs(1),
    };
    SmsPartner::new(
        client(timeouts, &base).unwrap(),
        base,
        Secret::new(key),
        Unit::Eur,
    )
}

fn eur(text: &str) -> Money {
    Money::parse(text, Unit::Eur).unwrap()
}

fn credit(direction: CreditDirection, token: &str, amount: &str) -> CreditMove {
    CreditMove {
        reference: Reference::generate(),
        direction,
        handle: Secret::new(token),
        amount: eur(amount),
    }
}

fn sub_balance(sim: &Simulator, id: &str) -> i64 {
    sim.with_state(|s| s.smspartner.sub(id).unwrap().balance_milli)
}

#[tokio::test]
async fn the_balance_and_every_page_of_sub_accounts_are_read() {
    let sim = sim().await;
    let sms = adapter(&sim, smspartner::DEMO_KEY);
    assert_eq!(sms.balance().await.unwrap(), eur("2869.2"));
    let subs = sms.sub_accounts().await.unwrap();
    assert_eq!(subs.len(), smspartner::DEMO_SUBACCOUNTS);
    assert_eq!(subs[0].id, "1001");
    assert_eq!(subs[0].email, "shop-01@example.fr");
    assert_eq!(subs[0].balance, eur("61.8"));
    assert_eq!(subs[44].id, "1045");

    let pages = sim.requests_to("/subaccount/list");
    let asked: Vec<_> = pages.iter().map(|r| r.param("page").unwrap()).collect();
    assert_eq!(asked, ["1", "2", "3"]);
    for request in sim.requests() {
        assert_eq!(request.method, "GET");
        assert_eq!(
            request.param("apiKey").as_deref(),
            Some(smspartner::DEMO_KEY)
        );
        assert_eq!(request.param("_format").as_deref(), Some("json"));
    }
}

#[tokio::test]
async fn credit_moves_both_ways_and_reports_both_balances() {
    let sim = sim().await;
    let sms = adapter(&sim, smspartner::DEMO_KEY);
    let added = sms
        .move_credit(&credit(CreditDirection::Add, "subtok-0001-demo", "10"))
        .await
        .unwrap();
    assert_eq!(added.balances, Some((eur("2859.2"), eur("71.8"))));
    let removed = sms
        .move_credit(&credit(CreditDirection::Remove, "subtok-0001-demo", "2.5"))
        .await
        .unwrap();
    assert_eq!(removed.balances, Some((eur("2861.7"), eur("69.3"))));
    assert_eq!(sub_balance(&sim, "1001"), 69_300);

    let sent = sim.requests_to("/subaccount/credit/add");
    assert_eq!(sent[0].method, "POST");
    assert_eq!(sent[0].content_type.as_deref(), Some("application/json"));
    let body: serde_json::Value = serde_json::from_str(&sent[0].body).unwrap();
    assert_eq!(body["apiKey"], smspartner::DEMO_KEY);
    assert_eq!(body["credit"], "10");
    assert_eq!(body["tokenSubaccount"], "subtok-0001-demo");
    assert_eq!(body["_format"], "json");
    assert!(!added.raw.contains(smspartner::DEMO_KEY));
}

#[tokio::test]
async fn refusals_from_the_simulator_say_what_went_wrong() {
    let sim = sim().await;
    let sms = adapter(&sim, smspartner::DEMO_KEY);
    let cases = [
        (
            credit(CreditDirection::Add, "no-such-sub", "1"),
            "7",
            "does not exist",
        ),
        (
            credit(CreditDirection::Add, "subtok-0001-demo", "99999"),
            "8",
            "insufficient credit",
        ),
        (
            credit(CreditDirection::Remove, "subtok-0002-demo", "50"),
            "8",
            "insufficient credit",
        ),
    ];
    for (request, want_code, want_text) in cases {
        match sms.move_credit(&request).await {
            Err(ProviderError::Rejected { code, message, .. }) => {
                assert_eq!(code.as_deref(), Some(want_code));
                assert!(message.contains(want_text), "{message}");
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
    let wrong = adapter(&sim, "wrong-key");
    assert!(matches!(
        wrong.balance().await,
        Err(ProviderError::Auth { .. })
    ));
    assert_eq!(
        sim.with_state(|s| s.smspartner.accounts[smspartner::DEMO_KEY].main_milli),
        smspartner::DEMO_MAIN_MILLI
    );
}

#[tokio::test]
async fn every_control_code_maps_to_a_clear_message_and_outcome() {
    let sim = sim().await;
    let sms = adapter(&sim, smspartner::DEMO_KEY);
    let expected = [
        (1, "auth", "API key is missing"),
        (2, "rejected", "amount of credit is missing"),
        (3, "rejected", "sub-account is missing"),
        (4, "rejected", "not allowed"),
        (5, "rejected", "more than 0"),
        (6, "rejected", "balance must be more than 0"),
        (7, "rejected", "does not exist"),
        (8, "rejected", "insufficient credit"),
        (9, "auth", "API key is wrong"),
        (10, "auth", "API key is wrong"),
    ];
    for (code, kind, text) in expected {
        let body = format!(r#"{{"success": false, "code": {code}, "message": "message {code}"}}"#);
        sim.inject(FaultRule::once(
            "/subaccount/credit/add",
            Fault::Body { body },
        ));
        let err = sms
            .move_credit(&credit(CreditDirection::Add, "subtok-0001-demo", "1"))
            .await
            .unwrap_err();
        let (got, message) = match &err {
            ProviderError::Auth { message } => ("auth", message.clone()),
            ProviderError::Rejected { message, .. } => ("rejected", message.clone()),
            other => panic!("code {code}: {other:?}"),
        };
        assert_eq!(got, kind, "code {code}");
        assert!(message.contains(text), "code {code}: {message}");
        assert!(
            message.contains(&format!("message {code}")),
            "the provider's words are kept"
        );
    }
    assert_eq!(sub_balance(&sim, "1001"), 61_800, "nothing moved");
    // An undocumented code is no clear refusal: the outcome is unknown.
    let body = r#"{"success": false, "code": 500, "message": "erreur interne"}"#.to_string();
    sim.inject(FaultRule::once(
        "/subaccount/credit/add",
        Fault::Body { body },
    ));
    let err = sms
        .move_credit(&credit(CreditDirection::Add, "subtok-0001-demo", "1"))
        .await
        .unwrap_err();
    assert!(matches!(err, ProviderError::Malformed { .. }), "{err:?}");
}

#[tokio::test]
async fn the_documents_example_bodies_decode_to_the_right_outcome() {
    let sim = sim().await;
    let sms = adapter(&sim, smspartner::DEMO_KEY);
    let examples = [
        (smspartner::examples::CREDIT_OK, "2869.2", "61.8"),
        (smspartner::examples::CREDIT_OK_XML, "2859.2", "71.8"),
    ];
    for (body, main, sub) in examples {
        sim.inject(FaultRule::once(
            "/subaccount/credit/add",
            Fault::Body { body: body.into() },
        ));
        let receipt = sms
            .move_credit(&credit(CreditDirection::Add, "subtok-0001-demo", "10"))
            .await
            .unwrap();
        assert_eq!(receipt.balances, Some((eur(main), eur(sub))));
    }
    sim.inject(FaultRule::once(
        "/subaccount/credit/add",
        Fault::Body {
            body: smspartner::examples::ERROR_BAD_KEY.into(),
        },
    ));
    let err = sms
        .move_credit(&credit(CreditDirection::Add, "subtok-0001-demo", "10"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ProviderError::Auth { message } if message.contains("Clé API incorrecte")),
        "{err:?}"
    );
    let xml_error = "<?xml version=\"1.0\" encoding=\"UTF-8\"?> <result> <entry>false</entry> <entry>10</entry> <entry> <![CDATA[Clé API incorrecte]]> </entry> </result>";
    sim.inject(FaultRule::once(
        "/me",
        Fault::Body {
            body: xml_error.into(),
        },
    ));
    assert!(matches!(
        sms.balance().await,
        Err(ProviderError::Auth { .. })
    ));
    assert_eq!(
        sub_balance(&sim, "1001"),
        61_800,
        "example bodies execute nothing"
    );
}

#[tokio::test]
async fn a_429_is_reported_as_rate_limiting_and_create_adds_a_sub_account() {
    let sim = sim().await;
    let sms = adapter(&sim, smspartner::DEMO_KEY);
    sim.inject(FaultRule::once(
        "/subaccount/list",
        Fault::Status { code: 429 },
    ));
    assert!(matches!(
        sms.sub_accounts().await,
        Err(ProviderError::RateLimited { .. })
    ));

    let new = NewSubAccount {
        kind: "advanced".into(),
        email: "shop-46@example.fr".into(),
        first_name: "Ana".into(),
        last_name: "Diaz".into(),
        is_buyer: false,
    };
    let made = sms.create_sub_account(&new).await.unwrap();
    let created = sim.requests_to("/subaccount/create");
    let body: serde_json::Value = serde_json::from_str(&created[0].body).unwrap();
    assert_eq!(body["type"], "advanced");
    assert_eq!(body["parameters"]["email"], "shop-46@example.fr");
    // Required, and sent even when 0 (the Go client's omitempty would drop it).
    assert_eq!(body["parameters"]["isBuyer"], 0);
    // The reply names the new sub-account's token.
    let token = sim.with_state(|s| {
        s.smspartner.accounts[smspartner::DEMO_KEY]
            .subaccounts
            .iter()
            .find(|a| a.email == "shop-46@example.fr")
            .unwrap()
            .token
            .clone()
    });
    assert_eq!(made.email, "shop-46@example.fr");
    assert_eq!(
        made.handle.as_ref().map(|h| h.expose().to_string()),
        Some(token)
    );
    assert!(
        body["parameters"].get("creditToAttribute").is_none(),
        "credit moves go through the journal"
    );
    let subs = sms.sub_accounts().await.unwrap();
    assert!(
        subs.iter()
            .any(|s| s.email == "shop-46@example.fr" && s.balance == eur("0"))
    );
}

/// An engine over a real ledger file with an SMS Partner profile on the simulator.
fn engine_for(sim: &Simulator, dir: &std::path::Path, timeout_secs: u64) -> Engine {
    let profile = TestProfile {
        name: "fr",
        kind: ProviderKind::Smspartner,
        base_url: sim.smspartner_base_url(),
        timeout_secs,
        options: &[],
        secrets: &[(SecretKind::ApiKey, smspartner::DEMO_KEY)],
    };
    common::engine_with(dir, &profile).0
}

fn order(sub: &str, amount: &str, direction: CreditDirection) -> CreditOrder {
    CreditOrder {
        profile: "fr".into(),
        sub_account: sub.into(),
        amount: amount.into(),
        direction,
        confirm_repeat: false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engine_records_credit_moves_with_the_balance_before_as_evidence() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_for(&sim, dir.path(), 5);
    let outcome = engine
        .move_credit(&order("shop-01@example.fr", "10", CreditDirection::Add))
        .await
        .unwrap();
    assert_eq!(outcome.record.state, TxState::Succeeded);
    assert_eq!(outcome.record.kind, TxKind::CreditAdd);
    assert_eq!(outcome.record.destination, "1001");
    assert_eq!(outcome.balances_after, Some((eur("2859.2"), eur("71.8"))));
    assert_eq!(
        outcome
            .record
            .provider_message
            .as_deref()
            .map(saldo::domain::Note::in_english)
            .as_deref(),
        Some("main account 2859.200 EUR, sub-account 71.800 EUR")
    );
    let events = engine.ledger().events(&outcome.record.reference).unwrap();
    let evidence = events[1].detail.as_deref().unwrap();
    assert!(
        evidence.starts_with("sub-account 1001 balance before: 61.800 EUR (read at 20"),
        "{evidence}"
    );
    // The sub-account's handle never reaches the ledger file.
    let file = std::fs::read(engine.ledger().path()).unwrap();
    let wal =
        std::fs::read(engine.ledger().path().with_extension("sqlite3-wal")).unwrap_or_default();
    for bytes in [file, wal] {
        assert!(!bytes.windows(16).any(|w| w == b"subtok-0001-demo"));
        assert!(
            !bytes
                .windows(19)
                .any(|w| w == smspartner::DEMO_KEY.as_bytes())
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credit_move_that_times_out_after_the_provider_committed_is_unknown_and_not_resent() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_for(&sim, dir.path(), 1);
    sim.inject(FaultRule::once(
        "/subaccount/credit/add",
        Fault::TimeoutAfterCommit,
    ));
    let outcome = engine
        .move_credit(&order("1001", "10", CreditDirection::Add))
        .await
        .unwrap();
    assert_eq!(outcome.record.state, TxState::Unknown);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        sim.requests_to("/subaccount/credit/add").len(),
        1,
        "never resent"
    );
    assert_eq!(
        sub_balance(&sim, "1001"),
        71_800,
        "the provider moved it exactly once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_read_backs_off_and_succeeds() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_for(&sim, dir.path(), 5);
    sim.inject(FaultRule::once(
        "/subaccount/list",
        Fault::Reply {
            status: 429,
            body: "{}".into(),
        },
    ));
    let started = std::time::Instant::now();
    let subs = engine.sub_accounts("fr").await.unwrap();
    assert_eq!(subs.len(), smspartner::DEMO_SUBACCOUNTS);
    let pages: Vec<_> = sim
        .requests_to("/subaccount/list")
        .iter()
        .map(|r| r.param("page").unwrap())
        .collect();
    assert_eq!(
        pages,
        ["1", "1", "2", "3"],
        "page 1 asked again after the 429"
    );
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "it waited before asking again"
    );
}

/// Creation reads its own control codes: 7 is an e-mail already used (not "the sub-account does
/// not exist"), 9 a main balance of 0 (not a wrong key); without isBuyer the simulator refuses
/// with 3, as the page says the provider does.
#[tokio::test]
async fn creation_has_its_own_control_codes_and_needs_is_buyer() {
    let sim = sim().await;
    let sms = adapter(&sim, smspartner::DEMO_KEY);
    let new = |email: &str| NewSubAccount {
        kind: "simple".into(),
        email: email.into(),
        first_name: String::new(),
        last_name: String::new(),
        is_buyer: true,
    };
    let err = sms
        .create_sub_account(&new("shop-01@example.fr"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ProviderError::Rejected { code: Some(c), message, .. }
            if c == "7" && message.starts_with("an account with this e-mail address already exists")),
        "{err}"
    );
    sim.inject(FaultRule::once(
        "/subaccount/create",
        Fault::Body {
            body: r#"{"success":false,"code":9,"message":"Le solde doit être supérieur à 0"}"#
                .into(),
        },
    ));
    let err = sms
        .create_sub_account(&new("shop-99@example.fr"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ProviderError::Rejected { message, .. }
            if message.starts_with("the main account's balance must be more than 0")),
        "{err}"
    );
    let bare = reqwest::Client::new()
        .post(format!("{}/subaccount/create", sim.smspartner_base_url()))
        .json(&serde_json::json!({
            "apiKey": smspartner::DEMO_KEY,
            "type": "simple",
            "parameters": {"email": "shop-98@example.fr"},
        }))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(
        (bare["success"].as_bool(), bare["code"].as_i64()),
        (Some(false), Some(3))
    );
    let made = sms
        .create_sub_account(&new("shop-97@example.fr"))
        .await
        .unwrap();
    assert!(made.handle.is_some());
    let sent: serde_json::Value =
        serde_json::from_str(&sim.requests_to("/subaccount/create").last().unwrap().body).unwrap();
    assert_eq!(sent["parameters"]["isBuyer"], 1);
}

/// The main balance under `total` (as the Go client reads it) is read; a bare success is a
/// success with the balances unknown, never an unknown outcome.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credit_replies_with_total_or_without_balances_are_successes() {
    let sim = sim().await;
    let sms = adapter(&sim, smspartner::DEMO_KEY);
    sim.with_state(|s| s.smspartner.credit_reply = smspartner::CreditReplyForm::Total);
    let receipt = sms
        .move_credit(&credit(CreditDirection::Add, "subtok-0001-demo", "10"))
        .await
        .unwrap();
    assert_eq!(receipt.balances, Some((eur("2859.2"), eur("71.8"))));

    // A reply that says neither success nor balances is not taken for a success.
    sim.inject(FaultRule::once(
        "/subaccount/credit/add",
        Fault::Body { body: "{}".into() },
    ));
    let err = sms
        .move_credit(&credit(CreditDirection::Add, "subtok-0001-demo", "1"))
        .await
        .unwrap_err();
    assert!(err.outcome_unknown(), "{err}");

    sim.with_state(|s| s.smspartner.credit_reply = smspartner::CreditReplyForm::Bare);
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_for(&sim, dir.path(), 5);
    let outcome = engine
        .move_credit(&order("shop-01@example.fr", "5", CreditDirection::Add))
        .await
        .unwrap();
    assert_eq!(outcome.record.state, TxState::Succeeded);
    assert_eq!(outcome.balances_after, None);
    assert_eq!(
        outcome
            .record
            .provider_message
            .as_deref()
            .map(saldo::domain::Note::in_english)
            .as_deref(),
        Some("done; the provider did not say the balances after")
    );
    assert_eq!(sub_balance(&sim, "1001"), 76_800);
}

/// A sub-account created with a first credit gets it through the journal, by the token its
/// creation returned: one ledger row, one move.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_sub_account_is_credited_at_once_through_the_journal() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_for(&sim, dir.path(), 5);
    let new = NewSubAccount {
        kind: "simple".into(),
        email: "shop-50@example.fr".into(),
        first_name: String::new(),
        last_name: String::new(),
        is_buyer: false,
    };
    let created = engine.create_sub_account("fr", &new).await.unwrap();
    let outcome = engine
        .credit_new_sub_account("fr", &created, "12.5")
        .await
        .unwrap();
    assert_eq!(
        outcome.record.state,
        TxState::Succeeded,
        "{:?}",
        outcome.record.provider_message
    );
    assert_eq!(outcome.record.kind, TxKind::CreditAdd);
    let moves = sim.with_state(|s| s.smspartner.moves.clone());
    assert_eq!(moves.len(), 1);
    assert_eq!(moves[0].milli, 12_500);
    let body: serde_json::Value =
        serde_json::from_str(&sim.requests_to("/subaccount/credit/add")[0].body).unwrap();
    assert_eq!(body["tokenSubaccount"], created.handle.unwrap().expose());
}

/// Deleting follows its own page: `DELETE subaccount/remove` `{apiKey, token}`, codes 1, 10 and
/// 404, a success body with a trailing comma. saldo refuses to delete one that holds credit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sub_account_is_deleted_only_when_empty() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_for(&sim, dir.path(), 5);
    let err = engine
        .delete_sub_account("fr", "shop-01@example.fr")
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("still holds 61.800 EUR") && text.contains("remove-credit 1001 61.8"),
        "{text}"
    );
    let count = || {
        sim.with_state(|s| {
            s.smspartner.accounts[smspartner::DEMO_KEY]
                .subaccounts
                .len()
        })
    };
    assert_eq!(count(), smspartner::DEMO_SUBACCOUNTS);
    assert!(sim.requests_to("/subaccount/remove").is_empty());

    let new = NewSubAccount {
        kind: "simple".into(),
        email: "shop-60@example.fr".into(),
        first_name: String::new(),
        last_name: String::new(),
        is_buyer: false,
    };
    engine.create_sub_account("fr", &new).await.unwrap();
    let gone = engine
        .delete_sub_account("fr", "shop-60@example.fr")
        .await
        .unwrap();
    assert_eq!(gone.email, "shop-60@example.fr");
    assert_eq!(count(), smspartner::DEMO_SUBACCOUNTS);
    let sent = &sim.requests_to("/subaccount/remove")[0];
    assert_eq!(sent.method, "DELETE");
    let body: serde_json::Value = serde_json::from_str(&sent.body).unwrap();
    assert_eq!(body["apiKey"], smspartner::DEMO_KEY);
    assert_eq!(body["token"], gone.handle.expose());

    // The deletion codes, as the adapter reads them.
    let sms = adapter(&sim, smspartner::DEMO_KEY);
    let err =
        saldo::providers::SubAccountDelete::delete_sub_account(&sms, &Secret::new("subtok-none"))
            .await
            .unwrap_err();
    assert!(
        matches!(&err, ProviderError::Rejected { code: Some(c), message, .. }
        if c == "404" && message.starts_with("the sub-account does not exist")),
        "{err}"
    );
    let wrong = adapter(&sim, "wrong-key");
    let err = saldo::providers::SubAccountDelete::delete_sub_account(&wrong, &Secret::new("x"))
        .await
        .unwrap_err();
    assert!(matches!(err, ProviderError::Auth { .. }), "{err}");
}
