//! Marketext child transfers over real HTTP on 127.0.0.1 against the simulator: the request
//! saldo sends, every reply format, every documented status, token renewal, and the
//! journal-first engine path.

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use common::TestProfile;

use saldo::domain::TxState;
use saldo::engine::{Engine, EngineError, TransferOrder};
use saldo::ledger::{TxKind, TxRecord};
use saldo::providers::ProviderKind;
use saldo::secrets::{SecretKind, SecretStore};
use saldo::simulator::{Fault, FaultRule, Simulator, marketext};

struct Rig {
    sim: Simulator,
    engine: Engine,
    secrets: Arc<SecretStore>,
    _dir: tempfile::TempDir,
}

async fn rig(options: &[&str], timeout_secs: u64) -> Rig {
    let sim = common::simulator(|_| {}).await;
    let dir = tempfile::tempdir().unwrap();
    let mut assignments = vec![
        format!("source={}", marketext::DEMO_SOURCE),
        format!("user={}", marketext::DEMO_USER),
    ];
    assignments.extend(options.iter().map(|o| o.to_string()));
    let (engine, secrets) = common::engine_with(
        dir.path(),
        &TestProfile {
            name: "mx",
            kind: ProviderKind::Marketext,
            base_url: sim.marketext_base_url(),
            timeout_secs,
            options: &assignments,
            secrets: &[
                (SecretKind::AccessToken, marketext::DEMO_ACCESS),
                (SecretKind::RefreshToken, marketext::DEMO_REFRESH),
            ],
        },
    );
    Rig {
        sim,
        engine,
        secrets,
        _dir: dir,
    }
}

impl Rig {
    async fn transfer(&self, child: &str, amount: &str) -> Result<TxRecord, EngineError> {
        let order = TransferOrder {
            profile: "mx".into(),
            child: child.into(),
            amount: amount.into(),
            confirm_repeat: false,
        };
        self.engine.transfer(&order).await
    }

    fn child_points(&self, child: &str) -> i64 {
        self.sim.with_state(|s| s.marketext.children[child])
    }

    fn executed(&self) -> usize {
        self.sim.with_state(|s| s.marketext.transfers.len())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transfer_sends_the_documented_request_and_is_recorded() {
    let rig = rig(&[], 5).await;
    let row = rig.transfer("mx-child-01", "5000").await.unwrap();
    assert_eq!(row.state, TxState::Succeeded);
    assert_eq!(row.kind, TxKind::Transfer);
    assert_eq!(row.destination, "mx-child-01");
    assert_eq!(row.amount.to_string(), "5000 PTS");
    assert_eq!(rig.child_points("mx-child-01"), 5000);
    assert_eq!(
        rig.sim
            .with_state(|s| s.marketext.main_accounts[marketext::DEMO_SOURCE].points),
        marketext::DEMO_POINTS - 5000
    );
    let sent = rig.sim.requests_to("/topup/mx-main-001/mx-child-01");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, "POST");
    assert_eq!(
        sent[0].authorization.as_deref(),
        Some("Token demo-marketext-access")
    );
    assert_eq!(sent[0].accept.as_deref(), Some("application/json"));
    // In the query string, as the topup page and marketext-api-node send them; no body.
    assert_eq!(
        sent[0].query,
        format!("user={}&amount=5000&format=JSON", marketext::DEMO_USER)
    );
    assert_eq!(sent[0].body, "");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_auth_scheme_is_a_profile_setting() {
    let rig = rig(&["auth=Bearer"], 5).await;
    rig.transfer("mx-child-02", "10").await.unwrap();
    let sent = rig.sim.requests_to("/topup/mx-main-001/mx-child-02");
    assert_eq!(
        sent[0].authorization.as_deref(),
        Some("Bearer demo-marketext-access")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_is_renewed_exactly_once_and_the_new_pair_is_stored() {
    let rig = rig(&[], 5).await;
    rig.sim.with_state(|s| s.marketext.expire_access_tokens());
    let row = rig.transfer("mx-child-01", "700").await.unwrap();
    assert_eq!(row.state, TxState::Succeeded);
    assert_eq!(rig.sim.requests_to("/token/mx-main-001").len(), 1);
    assert_eq!(
        rig.sim.requests_to("/topup/mx-main-001/mx-child-01").len(),
        2
    );
    assert_eq!(rig.executed(), 1, "executed exactly once");

    let renewal = &rig.sim.requests_to("/token/mx-main-001")[0];
    // The refresh page requires the expired access token in Authorization.
    assert_eq!(
        renewal.authorization.as_deref(),
        Some("Token demo-marketext-access")
    );
    assert_eq!(renewal.param("format").as_deref(), Some("JSON"));
    assert_eq!(
        renewal.param("grant_type").as_deref(),
        Some("refresh_token")
    );
    assert_eq!(
        renewal.param("refresh_token").as_deref(),
        Some(marketext::DEMO_REFRESH)
    );
    assert_eq!(renewal.param("user").as_deref(), Some(marketext::DEMO_USER));
    assert_eq!(renewal.param("token_lifetime").as_deref(), Some("86400"));

    // Both tokens were rotated in the store; the next transfer uses them without renewing.
    let access = rig.secrets.get("mx", SecretKind::AccessToken).unwrap();
    let refresh = rig.secrets.get("mx", SecretKind::RefreshToken).unwrap();
    assert!(access.expose().starts_with("mx-access-"));
    assert!(refresh.expose().starts_with("mx-refresh-"));
    rig.transfer("mx-child-01", "1").await.unwrap();
    assert_eq!(rig.sim.requests_to("/token/mx-main-001").len(), 1);
    // The stored token is in no ledger row or event.
    let rows = rig.engine.ledger().history_page(None, 10).unwrap();
    for row in rows {
        for event in rig.engine.ledger().events(&row.reference).unwrap() {
            assert!(!event.detail.unwrap_or_default().contains(access.expose()));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_renewal_fails_the_transfer_without_executing_it() {
    let rig = rig(&[], 5).await;
    rig.sim.with_state(|s| {
        s.marketext.expire_access_tokens();
        s.marketext.refresh_tokens.clear();
    });
    let row = rig.transfer("mx-child-01", "700").await.unwrap();
    assert_eq!(row.state, TxState::Failed);
    let message = row.provider_message.unwrap();
    assert!(message.contains("could not be renewed"), "{message}");
    assert!(message.contains("saldo credentials set mx"), "{message}");
    assert_eq!(rig.sim.requests_to("/token/mx-main-001").len(), 1);
    assert_eq!(rig.executed(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renewal_that_breaks_leaves_a_refused_transfer_failed_not_unknown() {
    let rig = rig(&[], 5).await;
    rig.sim.with_state(|s| s.marketext.expire_access_tokens());
    rig.sim.inject(FaultRule::once(
        "/token/mx-main-001",
        Fault::Status { code: 502 },
    ));
    let row = rig.transfer("mx-child-01", "700").await.unwrap();
    assert_eq!(row.state, TxState::Failed, "{:?}", row.provider_message);
    assert!(row.provider_message.unwrap().contains("renewing it failed"));
    assert_eq!(rig.executed(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn insufficient_balance_is_told_apart_from_a_bad_token() {
    let rig = rig(&[], 5).await;
    let row = rig.transfer("mx-child-01", "100001").await.unwrap();
    assert_eq!(row.state, TxState::Failed);
    let message = row.provider_message.unwrap();
    assert!(message.starts_with("insufficient balance"), "{message}");
    assert!(message.contains("saldo insuficiente"), "{message}");
    assert!(
        rig.sim.requests_to("/token/").is_empty(),
        "no renewal for a short balance"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_reply_and_status_maps_to_the_right_outcome() {
    let rig = rig(&[], 5).await;
    let cases: Vec<(u16, String, TxState, &str)> = vec![
        (200, marketext::examples::OK_JSON.into(), TxState::Succeeded, "OK"),
        (200, marketext::examples::OK_XML.into(), TxState::Succeeded, "OK"),
        (200, marketext::examples::OK_CSV.into(), TxState::Succeeded, "OK"),
        (200, marketext::examples::OK_URLENCODED.into(), TxState::Succeeded, "OK"),
        (404, marketext::examples::ERROR_URLENCODED.into(), TxState::Failed, "does not exist"),
        (405, marketext::examples::ERROR_CSV.into(), TxState::Failed, "does not allow"),
        (200, "<html>hello</html>".into(), TxState::Unknown, "could not be read"),
        (400, r#"{"error": "user no definido."}"#.into(), TxState::Failed, "user or amount is missing"),
        (401, r#"<?xml version="1.0"?> <respuesta> <error>saldo insuficiente</error> </respuesta>"#.to_string(), TxState::Failed, "insufficient balance"),
        (404, "error=No encontrado. El recurso no existe -> No encontrado. El código buscado no existe".into(), TxState::Failed, "does not exist"),
        (405, "Método no permitido".into(), TxState::Failed, "does not allow"),
        (302, String::new(), TxState::Unknown, "could not be read"),
    ];
    // A different amount each time: an identical transfer still open would be refused.
    for (i, (status, body, state, text)) in cases.into_iter().enumerate() {
        rig.sim.inject(FaultRule::once(
            "/topup/mx-main-001/mx-child-03",
            Fault::Reply {
                status,
                body: body.clone(),
            },
        ));
        let row = rig
            .transfer("mx-child-03", &(i + 1).to_string())
            .await
            .unwrap();
        assert_eq!(row.state, state, "{status} {body}");
        let message = row.provider_message.unwrap_or_default();
        let message = saldo::domain::Note::in_english(&message);
        assert!(message.contains(text), "{status} {body}: {message}");
    }
    // A 401 that is not about the balance renews the token, then the transfer goes through.
    rig.sim.inject(FaultRule::once(
        "/topup/mx-main-001/mx-child-03",
        Fault::Reply {
            status: 401,
            body: marketext::examples::ERROR_JSON.into(),
        },
    ));
    let row = rig.transfer("mx-child-03", "5").await.unwrap();
    assert_eq!(row.state, TxState::Succeeded);
    assert_eq!(rig.sim.requests_to("/token/mx-main-001").len(), 1);
    assert_eq!(rig.executed(), 1, "only the last transfer executed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transfer_that_times_out_after_the_provider_committed_is_unknown_and_not_resent() {
    let rig = rig(&[], 1).await;
    rig.sim.inject(FaultRule::once(
        "/topup/mx-main-001/mx-child-01",
        Fault::TimeoutAfterCommit,
    ));
    let row = rig.transfer("mx-child-01", "250").await.unwrap();
    assert_eq!(row.state, TxState::Unknown);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        rig.sim.requests_to("/topup/mx-main-001/mx-child-01").len(),
        1
    );
    assert_eq!(rig.executed(), 1);
    assert_eq!(rig.child_points("mx-child-01"), 250);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_orders_are_refused_before_anything_is_recorded() {
    let rig = rig(&[], 5).await;
    for (child, amount) in [
        ("mx-child-01", "-5"),
        ("mx-child-01", "1.5"),
        ("mx child", "5"),
        ("mx-child-01", "0"),
    ] {
        let err = rig.transfer(child, amount).await.unwrap_err();
        assert!(
            matches!(err, EngineError::BadInput(_)),
            "{child} {amount}: {err}"
        );
    }
    assert!(
        rig.engine
            .ledger()
            .history_page(None, 5)
            .unwrap()
            .is_empty()
    );
    assert!(rig.sim.requests().is_empty());
    let mut settings = ProviderKind::Marketext.default_settings();
    let err = ProviderKind::Marketext
        .apply_options(&mut settings, &["user=u".into()])
        .unwrap_err();
    assert!(err.contains("source"), "{err}");
    let err = ProviderKind::Marketext
        .apply_options(
            &mut settings,
            &["source=s".into(), "user=u".into(), "auth=Basic".into()],
        )
        .unwrap_err();
    assert!(err.contains("Token, Bearer"), "{err}");
}

/// Two saldos whose access token expired renew it one at a time: the second takes the tokens
/// the first renewed, instead of spending the used refresh token and locking the profile out.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_saldos_renewing_at_once_renew_once_and_both_transfers_go_through() {
    let rig = rig(&[], 5).await;
    let other = common::second_engine(&rig.engine, saldo::domain::clock::system());
    rig.sim.with_state(|s| s.marketext.expire_access_tokens());
    rig.sim.inject(FaultRule {
        path: "/token/mx-main-001".into(),
        fault: Fault::Latency { ms: 300 },
        times: 5,
    });
    let order = |child: &str, amount: &str| TransferOrder {
        profile: "mx".into(),
        child: child.into(),
        amount: amount.into(),
        confirm_repeat: false,
    };
    let (first, second) = (order("mx-child-01", "11"), order("mx-child-02", "12"));
    let (a, b) = tokio::join!(rig.engine.transfer(&first), other.transfer(&second));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(
        (a.state, b.state),
        (TxState::Succeeded, TxState::Succeeded),
        "{:?} / {:?}",
        a.provider_message,
        b.provider_message
    );
    assert_eq!(
        rig.sim.requests_to("/token/mx-main-001").len(),
        1,
        "renewed once"
    );
    assert_eq!(rig.executed(), 2);
}

/// The simulator refuses a renewal the real provider would refuse: without the expired access
/// token in Authorization, the refresh token alone renews nothing (and is not spent).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renewal_without_the_expired_access_token_is_refused() {
    let rig = rig(&[], 5).await;
    let url = format!(
        "{}/token/{}",
        rig.sim.marketext_base_url(),
        marketext::DEMO_SOURCE
    );
    let form = [
        ("user", marketext::DEMO_USER),
        ("grant_type", "refresh_token"),
        ("refresh_token", marketext::DEMO_REFRESH),
        ("token_lifetime", "60"),
    ];
    let http = reqwest::Client::new();
    let bare = http.post(&url).form(&form).send().await.unwrap();
    assert_eq!(bare.status().as_u16(), 401);
    let with_token = http
        .post(&url)
        .header("Authorization", format!("Token {}", marketext::DEMO_ACCESS))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(with_token.status().as_u16(), 200);
    let reply: serde_json::Value = with_token.json().await.unwrap();
    assert_eq!(reply["token_type"], "Bearer");
    assert_eq!(reply["scope"], marketext::TOPUP_SCOPE);
}

/// A token whose scope does not include topup is refused with 403: the transfer fails with a
/// sentence that says so, and no renewal is tried (a renewed token keeps its scope).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_not_allowed_to_call_topup_is_told_as_such() {
    let rig = rig(&[], 5).await;
    rig.sim.with_state(|s| {
        s.marketext.set_scope("send-sms");
        s.marketext.expire_access_tokens();
    });
    let row = rig.transfer("mx-child-01", "40").await.unwrap();
    assert_eq!(row.state, TxState::Failed, "{:?}", row.provider_message);
    let message = row.provider_message.unwrap();
    assert!(
        message.contains("its scope is “send-sms”, which does not include topup"),
        "{message}"
    );
    assert!(message.contains("saldo credentials set mx"), "{message}");
    // The expired token was renewed once (401), then the renewed one was refused for its scope.
    assert_eq!(rig.sim.requests_to("/token/mx-main-001").len(), 1);
    assert_eq!(rig.executed(), 0);
}
