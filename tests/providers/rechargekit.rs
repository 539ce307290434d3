//! RechargeKit over real HTTP on 127.0.0.1 against the simulator, which follows the v2
//! integrations (docs/providers/rechargekit.md): the static API token, paths at the root,
//! recharge fields, statuses, duplicates, 422 refusals, the live operator list, the optional
//! login, timeouts, and the journal-first engine path.

use crate::common;

use std::time::Duration;

use common::TestProfile;

use saldo::domain::{Country, Money, PhoneNumber, Reference, TxState, Unit};
use saldo::engine::{Engine, EngineError, TopUpOrder};
use saldo::ledger::TxRecord;
use saldo::providers::rechargekit::partner_request_id;
use saldo::providers::registry::{ListSource, TopUpField, connect};
use saldo::providers::{Progress, ProviderError, ProviderKind, TopUpExtras, TopUpRequest};
use saldo::secrets::SecretKind;
use saldo::simulator::{Fault, FaultRule, Simulator, rechargekit};

struct Rig {
    sim: Simulator,
    engine: Engine,
    _dir: tempfile::TempDir,
}

async fn rig(pending_ms: u64, timeout_secs: u64) -> Rig {
    rig_with(&[], pending_ms, timeout_secs).await
}

/// A rig whose profile logs in with user name and password (`auth_mode=login`).
async fn login_rig() -> Rig {
    rig_with(&["auth_mode=login".to_string()], 0, 5).await
}

async fn rig_with(options: &[String], pending_ms: u64, timeout_secs: u64) -> Rig {
    let sim = common::simulator(|c| c.rechargekit.pending_ms = pending_ms).await;
    let dir = tempfile::tempdir().unwrap();
    let login = options.iter().any(|o| o == "auth_mode=login");
    let secrets: &[(SecretKind, &str)] = if login {
        &[
            (SecretKind::Username, rechargekit::DEMO_USERNAME),
            (SecretKind::Password, rechargekit::DEMO_PASSWORD),
        ]
    } else {
        &[(SecretKind::ApiToken, rechargekit::DEMO_API_TOKEN)]
    };
    let (engine, _) = common::engine_with(
        dir.path(),
        &TestProfile {
            name: "in",
            kind: ProviderKind::Rechargekit,
            base_url: sim.rechargekit_base_url(),
            timeout_secs,
            options,
            secrets,
        },
    );
    Rig {
        sim,
        engine,
        _dir: dir,
    }
}

fn order(number: &str, amount: &str) -> TopUpOrder {
    TopUpOrder {
        operator: Some("Airtel".into()),
        circle: Some("West Bengal".into()),
        ..TopUpOrder::new("in", number, amount)
    }
}

impl Rig {
    async fn top_up(&self, number: &str, amount: &str) -> Result<TxRecord, EngineError> {
        self.engine.top_up(&order(number, amount)).await
    }

    fn wallet(&self) -> i64 {
        self.sim.with_state(|s| s.rechargekit.wallet_paise)
    }

    fn orders(&self) -> usize {
        self.sim.with_state(|s| s.rechargekit.orders.len())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recharge_sends_every_field_with_the_static_token_and_succeeds() {
    let rig = rig(0, 5).await;
    let row = rig.top_up("+91 96798 33706", "10").await.unwrap();
    assert_eq!(row.state, TxState::Succeeded, "{:?}", row.provider_message);
    assert_eq!(row.destination, "+919679833706");
    assert!(
        row.provider_ref
            .as_deref()
            .unwrap()
            .ends_with("-f561-4728-827b-ac4dd2934d68")
    );
    assert!(
        row.provider_message
            .as_deref()
            .unwrap()
            .contains("operator reference OP")
    );
    assert_eq!(rig.wallet(), rechargekit::DEMO_WALLET_PAISE - 10_00);
    assert!(
        rig.sim.requests_to("/auth/login").is_empty(),
        "no login call"
    );

    let sent = rig.sim.requests_to("/recharge/prepaid");
    assert_eq!(sent.len(), 1);
    // At the root of the host, with the partner panel's token as it is.
    assert_eq!(sent[0].path, "/rechargekit/recharge/prepaid");
    assert_eq!(
        sent[0].authorization.as_deref(),
        Some(format!("Bearer {}", rechargekit::DEMO_API_TOKEN).as_str())
    );
    let body: serde_json::Value = serde_json::from_str(&sent[0].body).unwrap();
    assert_eq!(body["mobile_no"], serde_json::json!(9679833706u64));
    assert_eq!(body["operator_code"], 1);
    assert_eq!(body["circle"], 23);
    assert_eq!(body["amount"], 10);
    assert_eq!(
        body["partner_request_id"],
        partner_request_id(&row.reference)
    );
    assert_eq!(body["recharge_type"], 1);
    for var in ["user_var1", "user_var2", "user_var3"] {
        assert_eq!(body[var], "");
    }
    assert!(body.get("dest").is_none(), "dest is optional and not set");
    // The token is in no ledger text.
    for event in rig.engine.ledger().events(&row.reference).unwrap() {
        assert!(
            !event
                .detail
                .unwrap_or_default()
                .contains(rechargekit::DEMO_API_TOKEN)
        );
    }
    // wallet_amount comes as a JSON number.
    assert_eq!(
        rig.engine.balance("in").await.unwrap(),
        Money::from_minor(rechargekit::DEMO_WALLET_PAISE - 10_00, Unit::Inr)
    );
    let http = reqwest::Client::new();
    let wallet: serde_json::Value = http
        .get(format!(
            "{}/recharge/balanceCheck",
            rig.sim.rechargekit_base_url()
        ))
        .bearer_auth(rechargekit::DEMO_API_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(wallet["wallet_amount"].is_number(), "{wallet}");
    assert!(wallet["dmr_wallet_amount"].is_number(), "{wallet}");
}

/// The simulator refuses what the provider would: no token, a status check by GET, a path
/// under an `/api` prefix that does not exist, and fields of the wrong form (422).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_simulator_refuses_what_the_v2_api_refuses() {
    let rig = rig(0, 5).await;
    let base = rig.sim.rechargekit_base_url();
    let http = reqwest::Client::new();
    let status = |r: reqwest::Response| r.status().as_u16();
    let no_token = http
        .get(format!("{base}/recharge/balanceCheck"))
        .send()
        .await;
    assert_eq!(status(no_token.unwrap()), 401);
    let by_get = http
        .get(format!("{base}/recharge/statusCheck?partner_request_id=X"))
        .bearer_auth(rechargekit::DEMO_API_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(status(by_get), 401);
    let wrong_path = http
        .post(format!("{base}/api/recharge/prepaid"))
        .bearer_auth(rechargekit::DEMO_API_TOKEN)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(status(wrong_path), 404);
    let invalid = http
        .post(format!("{base}/recharge/prepaid"))
        .bearer_auth(rechargekit::DEMO_API_TOKEN)
        .json(&serde_json::json!({"mobile_no": "12345", "amount": 10}))
        .send()
        .await
        .unwrap();
    assert_eq!(invalid.status().as_u16(), 422);
    let body: serde_json::Value = invalid.json().await.unwrap();
    assert_eq!(
        body["errors"]["mobile_no"][0],
        "The mobile no must be 10 digits."
    );
    assert!(body["message"].is_string());
    assert_eq!(rig.orders(), 0);
}

/// A 422 is a validation refusal: the order was not processed, and the clerk reads which
/// field was wrong. A wrong path is refused as "no such service"; neither is unknown.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_validation_refusal_is_a_failure_with_the_field_messages() {
    let rig = rig(0, 5).await;
    rig.sim.inject(FaultRule::once(
        "/recharge/prepaid",
        Fault::Reply {
            status: 422,
            body: r#"{"message":"The circle field is required. (and 1 more error)","errors":{"circle":["The circle field is required."],"amount":["The amount must be at least 10."]}}"#.into(),
        },
    ));
    let row = rig.top_up("9679833706", "10").await.unwrap();
    assert_eq!(row.state, TxState::Failed, "{:?}", row.provider_message);
    let message = row.provider_message.unwrap();
    assert!(
        message.starts_with("not processed: The circle field is required."),
        "{message}"
    );
    assert!(
        message.contains("amount: The amount must be at least 10."),
        "{message}"
    );
    assert!(
        message.contains("circle: The circle field is required."),
        "{message}"
    );
    assert_eq!(rig.orders(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_path_or_token_is_refused_and_nothing_is_charged() {
    let wrong_path = rig_with(&["recharge_path=api/recharge/prepaid".to_string()], 0, 5).await;
    let row = wrong_path.top_up("9679833706", "10").await.unwrap();
    assert_eq!(row.state, TxState::Failed, "{:?}", row.provider_message);
    assert!(
        row.provider_message
            .unwrap()
            .contains("check the profile's base URL and paths")
    );
    assert_eq!(wrong_path.orders(), 0);

    let rig = rig(0, 5).await;
    rig.engine
        .secrets()
        .set("in", SecretKind::ApiToken, "not-the-token")
        .unwrap();
    let err = rig.engine.balance("in").await.unwrap_err();
    assert!(
        matches!(err, EngineError::Provider(ProviderError::Auth { .. })),
        "{err}"
    );
    let text = err.to_string();
    assert!(text.contains("whitelisted"), "{text}");
    assert!(text.contains("access denied."), "{text}");
    assert!(!text.contains("not-the-token"), "{text}");
    let row = rig.top_up("9679833706", "10").await.unwrap();
    assert_eq!(row.state, TxState::Failed, "{:?}", row.provider_message);
    assert!(
        rig.sim.requests_to("/auth/login").is_empty(),
        "a static token is not renewed"
    );
    assert_eq!(rig.orders(), 0);
}

/// The live operator list replaces the shipped table once fetched: an operator only the
/// provider knows can be sold, and the list says where it came from.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_operator_list_is_fetched_kept_and_used() {
    let rig = rig(0, 5).await;
    rig.sim.with_state(|s| {
        let prepaid = &mut s
            .rechargekit
            .operators
            .get_mut(&rechargekit::PREPAID_CATEGORY)
            .unwrap()
            .1;
        prepaid.push((2001, "Test Telecom".into()));
    });
    let new_operator = TopUpOrder {
        operator: Some("Test Telecom".into()),
        ..order("9679833706", "10")
    };
    let err = rig.engine.top_up(&new_operator).await.unwrap_err();
    assert!(err.to_string().contains("not a known operator"), "{err}");

    let refresh = rig.engine.refresh_topup_lists("in", false).await.unwrap();
    assert_eq!(refresh.failure, None);
    let operators = refresh
        .lists
        .iter()
        .find(|l| l.field == TopUpField::Operator)
        .unwrap();
    assert!(
        matches!(operators.source, ListSource::Live { .. }),
        "{operators:?}"
    );
    assert!(operators.entries.contains(&(2001, "Test Telecom".into())));
    let asked = &rig.sim.requests_to("/recharge/servicewiseOperatorFetch")[0];
    assert_eq!(asked.method, "GET");
    assert_eq!(asked.query, "operator_category=1");

    let row = rig.engine.top_up(&new_operator).await.unwrap();
    assert_eq!(row.state, TxState::Succeeded, "{:?}", row.provider_message);
    let sent = rig.sim.requests_to("/recharge/prepaid");
    let body: serde_json::Value = serde_json::from_str(&sent[0].body).unwrap();
    assert_eq!(body["operator_code"], 2001);

    // Fresh for a day: not fetched again unless asked.
    rig.engine.refresh_topup_lists("in", false).await.unwrap();
    assert_eq!(
        rig.sim
            .requests_to("/recharge/servicewiseOperatorFetch")
            .len(),
        1
    );
    // A fetch that fails keeps the list in use and says why.
    rig.sim.inject(FaultRule {
        path: "/recharge/servicewiseOperatorFetch".into(),
        fault: Fault::Status { code: 502 },
        times: 10,
    });
    let failed = rig.engine.refresh_topup_lists("in", true).await.unwrap();
    assert!(failed.failure.is_some());
    assert_eq!(failed.lists, refresh.lists);
}

/// A category that is not prepaid mobile (the guide's own example is credit cards, 11) is
/// not taken for the operator list: the shipped table stays, with the reason.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_list_of_another_service_is_not_used() {
    let rig = rig_with(&["operator_category=11".to_string()], 0, 5).await;
    let refresh = rig.engine.refresh_topup_lists("in", false).await.unwrap();
    let failure = refresh.failure.unwrap();
    assert!(failure.contains("credit_card"), "{failure}");
    assert!(failure.contains("operator_category"), "{failure}");
    let operators = refresh
        .lists
        .iter()
        .find(|l| l.field == TopUpField::Operator)
        .unwrap();
    assert_eq!(operators.source, ListSource::Shipped);
    assert!(operators.entries.contains(&(103, "Jio".into())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pending_recharge_moves_to_success_by_our_reference() {
    let rig = rig(600, 5).await;
    let row = rig.top_up("9679833706", "49").await.unwrap();
    assert_eq!(row.state, TxState::Pending);
    assert_eq!(row.provider_message.as_deref(), Some("order in queue"));
    tokio::time::sleep(Duration::from_millis(700)).await;
    let settled = rig.engine.refresh_status(&row.reference).await.unwrap();
    assert_eq!(settled.state, TxState::Succeeded);
    let asked = &rig.sim.requests_to("/recharge/statusCheck")[0];
    let body: serde_json::Value = serde_json::from_str(&asked.body).unwrap();
    assert_eq!(
        body["partner_request_id"],
        partner_request_id(&row.reference)
    );
    assert_eq!(rig.orders(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_recharge_is_failed_and_the_wallet_is_refunded() {
    let rig = rig(0, 5).await;
    let row = rig.top_up("9876540000", "20").await.unwrap();
    assert_eq!(row.state, TxState::Failed);
    assert!(row.provider_message.unwrap().contains("failed at operator"));
    assert_eq!(rig.wallet(), rechargekit::DEMO_WALLET_PAISE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicate_reference_means_ask_the_status_never_failed() {
    let rig = rig(0, 5).await;
    let profile = rig.engine.ledger().profile("in").unwrap();
    let connector = connect(&profile, rig.engine.secrets()).unwrap();
    let sender = connector.top_up.unwrap();
    let request = TopUpRequest {
        reference: Reference::generate(),
        destination: PhoneNumber::parse_mobile("9679833706", Country::India).unwrap(),
        amount: Money::from_minor(10_00, Unit::Inr),
        extras: TopUpExtras {
            operator_code: Some(103),
            circle_code: Some(5),
        },
    };
    let first = sender.top_up(&request).await.unwrap();
    let again = sender.top_up(&request).await.unwrap();
    assert_eq!(first.progress, Progress::Delivered);
    assert_eq!(
        again.progress,
        Progress::Delivered,
        "the duplicate was looked up"
    );
    assert_eq!(again.provider_ref, first.provider_ref);
    assert_eq!(rig.sim.requests_to("/recharge/statusCheck").len(), 1);
    // A validation refusal that says the reference is taken means the same: ask, never failed.
    rig.sim.inject(FaultRule::once(
        "/recharge/prepaid",
        Fault::Reply {
            status: 422,
            body: r#"{"message":"The partner request id has already been taken.","errors":{"partner_request_id":["The partner request id has already been taken."]}}"#.into(),
        },
    ));
    let taken = sender.top_up(&request).await.unwrap();
    assert_eq!(taken.progress, Progress::Delivered);
    assert_eq!(rig.sim.requests_to("/recharge/statusCheck").len(), 2);
    assert_eq!(rig.orders(), 1);
    assert_eq!(
        rig.wallet(),
        rechargekit::DEMO_WALLET_PAISE - 10_00,
        "charged once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicate_whose_order_is_not_ours_is_not_adopted() {
    let rig = rig(0, 5).await;
    let profile = rig.engine.ledger().profile("in").unwrap();
    let connector = connect(&profile, rig.engine.secrets()).unwrap();
    let sender = connector.top_up.unwrap();
    let request = |rupees: i64| TopUpRequest {
        reference: Reference::from_text("SAL-20261202-DUPL1CAT"),
        destination: PhoneNumber::parse_mobile("9679833706", Country::India).unwrap(),
        amount: Money::from_minor(rupees * 100, Unit::Inr),
        extras: TopUpExtras {
            operator_code: Some(103),
            circle_code: Some(5),
        },
    };
    sender.top_up(&request(10)).await.unwrap();
    // The same reference for another amount: the provider's order is not this top-up.
    let error = sender.top_up(&request(25)).await.unwrap_err();
    assert!(error.outcome_unknown(), "{error}");
    let text = error.to_string();
    assert!(
        text.contains("10.00 INR") && text.contains("not the 25.00 INR"),
        "{text}"
    );
    assert_eq!(rig.orders(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_documents_example_bodies_decode_to_the_right_outcome() {
    let rig = rig(0, 5).await;
    rig.sim.inject(FaultRule::once(
        "/recharge/prepaid",
        Fault::Body {
            body: rechargekit::examples::ORDER_QUEUED.into(),
        },
    ));
    let row = rig.top_up("9679833706", "10").await.unwrap();
    assert_eq!(row.state, TxState::Pending);
    assert_eq!(
        row.provider_ref.as_deref(),
        Some("da9842e1-f561-4728-827b-ac4dd2934d68")
    );
    // A duplicate for an order the provider cannot show: the outcome is unknown, not failed.
    rig.sim.inject(FaultRule::once(
        "/recharge/prepaid",
        Fault::Body {
            body: rechargekit::examples::DUPLICATE.into(),
        },
    ));
    let row = rig.top_up("9679833706", "11").await.unwrap();
    assert_eq!(row.state, TxState::Unknown);
    assert!(
        row.provider_message
            .unwrap()
            .contains("already has an order")
    );
    rig.sim.inject(FaultRule::once(
        "/recharge/prepaid",
        Fault::Body {
            body: r#"{"error": 2, "msg": "Invalid operator code"}"#.into(),
        },
    ));
    let row = rig.top_up("9679833706", "12").await.unwrap();
    assert_eq!(row.state, TxState::Failed);
    assert_eq!(
        row.provider_message.as_deref(),
        Some("not processed: Invalid operator code")
    );
    assert_eq!(rig.orders(), 0, "example bodies execute nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_auth_login_an_expired_login_is_renewed_exactly_once() {
    let rig = login_rig().await;
    rig.top_up("9679833706", "10").await.unwrap();
    // One adapter, logged in; then its token expires.
    let profile = rig.engine.ledger().profile("in").unwrap();
    let connector = connect(&profile, rig.engine.secrets()).unwrap();
    let reader = connector.balance.unwrap();
    reader.balance().await.unwrap();
    let logins_before = rig.sim.requests_to("/auth/login").len();
    rig.sim.with_state(|s| s.rechargekit.expire_tokens());
    let wallet = reader.balance().await.unwrap();
    assert_eq!(
        wallet,
        Money::from_minor(rechargekit::DEMO_WALLET_PAISE - 10_00, Unit::Inr)
    );
    assert_eq!(rig.sim.requests_to("/auth/login").len(), logins_before + 1);
    // Wrong password: a clear credentials error, no loop.
    rig.engine
        .secrets()
        .set("in", SecretKind::Password, "wrong")
        .unwrap();
    let err = rig.engine.balance("in").await.unwrap_err();
    assert!(
        matches!(err, EngineError::Provider(ProviderError::Auth { .. })),
        "{err}"
    );
    assert!(!err.to_string().contains("wrong"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timeout_after_commit_is_unknown_and_our_reference_resolves_it_without_resending() {
    let rig = rig(0, 1).await;
    rig.sim.inject(FaultRule::once(
        "/recharge/prepaid",
        Fault::TimeoutAfterCommit,
    ));
    let row = rig.top_up("9679833706", "15").await.unwrap();
    assert_eq!(row.state, TxState::Unknown);
    assert_eq!(rig.sim.requests_to("/recharge/prepaid").len(), 1);
    let settled = rig.engine.refresh_status(&row.reference).await.unwrap();
    assert_eq!(
        settled.state,
        TxState::Succeeded,
        "{:?}",
        settled.provider_message
    );
    assert_eq!(
        rig.sim.requests_to("/recharge/prepaid").len(),
        1,
        "never resent"
    );
    assert_eq!(rig.orders(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_numbers_and_missing_choices_record_nothing() {
    let rig = rig(0, 5).await;
    let cases = [
        order("52942387", "10"),
        order("9679833706", "0"),
        TopUpOrder::new("in", "9679833706", "10"),
        TopUpOrder {
            operator: Some("Orange".into()),
            ..order("9679833706", "10")
        },
    ];
    for case in cases {
        let err = rig.engine.top_up(&case).await.unwrap_err();
        assert!(matches!(err, EngineError::BadInput(_)), "{case:?}: {err}");
    }
    assert!(
        rig.engine
            .ledger()
            .history_page(None, 5)
            .unwrap()
            .is_empty()
    );
    assert!(rig.sim.requests_to("/recharge/prepaid").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_that_fails_before_sending_is_not_an_unknown_recharge() {
    let rig = login_rig().await;
    rig.sim
        .inject(FaultRule::once("/auth/login", Fault::Status { code: 502 }));
    let row = rig.top_up("9679833706", "10").await.unwrap();
    assert_eq!(row.state, TxState::Succeeded, "{:?}", row.provider_message);
    assert_eq!(
        rig.sim.requests_to("/auth/login").len(),
        2,
        "logged in again"
    );
    assert_eq!(rig.orders(), 1);
}
