//! The log file at its most detailed (`SALDO_LOG=trace`: every request with its headers and
//! body, every reply, the HTTP libraries' own lines) after every provider's operations — top-ups,
//! status checks, balances, sub-accounts and credit moves, transfers with a renewed token,
//! statements with a renewed login, a refused secret — holds our references and outcomes, and
//! none of the secrets: not the keys, tokens and passwords saldo was given, nor the tokens the
//! providers handed out while it ran.

mod common;

use std::time::Duration;

use saldo::engine::{CreditOrder, EngineOptions, TopUpOrder, TransferOrder};
use saldo::logging::LogSetup;
use saldo::providers::{CreditDirection, NewSubAccount, ProviderKind, StatementQuery};
use saldo::secrets::SecretKind;
use saldo::simulator::{marketext, qvatel, rechargekit, sabapayamak, smspartner};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_log_line_carries_a_secret_after_every_providers_operations() {
    // SAFETY: set before any other thread of this test binary reads the environment.
    unsafe { std::env::set_var(saldo::logging::LEVEL_ENV, "trace") };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    saldo::logging::init(&LogSetup {
        data_dir: Some(data.clone()),
        stderr_verbosity: 0,
    })
    .expect("the log file opens");

    let sim = common::simulator(|_| {}).await;
    let options = EngineOptions {
        retry_backoff: Duration::from_millis(20),
        ..EngineOptions::default()
    };
    let engine = common::engine_with_all(&data, &sim, 5, options);
    let iran = ProviderKind::Sabapayamak;
    let mut settings = iran.default_settings();
    iran.apply_options(
        &mut settings,
        &[format!(
            "virtual_number={}",
            sabapayamak::DEMO_VIRTUAL_NUMBER
        )],
    )
    .unwrap();
    engine
        .ledger()
        .add_profile("ir", iran, &sim.sabapayamak_base_url(), &settings)
        .unwrap();
    let secrets = engine.secrets();
    secrets
        .set("ir", SecretKind::Username, sabapayamak::DEMO_USERNAME)
        .unwrap();
    secrets
        .set("ir", SecretKind::Password, sabapayamak::DEMO_PASSWORD)
        .unwrap();
    engine
        .ledger()
        .add_profile(
            "cuba-wrong",
            ProviderKind::Qvatel,
            &sim.qvatel_base_url(),
            &ProviderKind::Qvatel.default_settings(),
        )
        .unwrap();
    secrets
        .set("cuba-wrong", SecretKind::ApiToken, "wrong-qvatel-token-71")
        .unwrap();

    // QvaTel: a top-up, its status, the balance, and a refused token.
    let cuba = engine
        .top_up(&TopUpOrder::new("cuba", "52942387", "20"))
        .await
        .unwrap();
    engine.refresh_status(&cuba.reference).await.unwrap();
    engine.balance("cuba").await.unwrap();
    assert!(engine.balance("cuba-wrong").await.is_err());

    // RechargeKit: a top-up after a login, then again after the login expired.
    let india = |number: &str| TopUpOrder {
        operator: Some("Airtel".into()),
        circle: Some("West Bengal".into()),
        ..TopUpOrder::new("in", number, "10")
    };
    let india_row = engine.top_up(&india("9679833706")).await.unwrap();
    sim.with_state(|s| s.rechargekit.expire_tokens());
    engine.top_up(&india("9679833707")).await.unwrap();
    engine.balance("in").await.unwrap();

    // SMS Partner: sub-accounts (their handles are secrets), a credit move, a new one.
    let subs = engine.sub_accounts("fr").await.unwrap();
    let moved = engine
        .move_credit(&CreditOrder {
            profile: "fr".into(),
            sub_account: subs[0].email.clone(),
            amount: "1.5".into(),
            direction: CreditDirection::Add,
            confirm_repeat: false,
        })
        .await
        .unwrap();
    engine
        .create_sub_account(
            "fr",
            &NewSubAccount {
                kind: "simple".into(),
                email: "new-shop@example.fr".into(),
                first_name: "Ana".into(),
                last_name: "Diaz".into(),
                is_buyer: false,
            },
        )
        .await
        .unwrap();
    engine.balance("fr").await.unwrap();

    // Marketext: a transfer, then another after the access token expired (renewed once).
    let mexico = engine
        .transfer(&TransferOrder {
            profile: "mx".into(),
            child: marketext::DEMO_CHILDREN[0].into(),
            amount: "500".into(),
            confirm_repeat: false,
        })
        .await
        .unwrap();
    sim.with_state(|s| s.marketext.expire_access_tokens());
    engine
        .transfer(&TransferOrder {
            profile: "mx".into(),
            child: marketext::DEMO_CHILDREN[1].into(),
            amount: "700".into(),
            confirm_repeat: false,
        })
        .await
        .unwrap();

    // Saba Payamak: the credit and a statement, then again after its token was refused.
    engine.balance("ir").await.unwrap();
    engine
        .statement(
            "ir",
            &StatementQuery::Last {
                count: 5,
                kind: None,
            },
        )
        .await
        .unwrap();
    sim.with_state(|s| s.sabapayamak.expire_tokens());
    engine
        .statement(
            "ir",
            &StatementQuery::Last {
                count: 3,
                kind: None,
            },
        )
        .await
        .unwrap();

    // A renewal reply nobody can parse may still carry the new tokens: never logged.
    sim.with_state(|s| s.marketext.expire_access_tokens());
    sim.inject(saldo::simulator::FaultRule::once(
        "/token/mx-main-001",
        saldo::simulator::Fault::Reply {
            status: 200,
            body: "<html>renewed: LEAKED-ACCESS-123 then LEAKED-REFRESH-456</html>".into(),
        },
    ));
    let refused = engine
        .transfer(&TransferOrder {
            profile: "mx".into(),
            child: marketext::DEMO_CHILDREN[2].into(),
            amount: "900".into(),
            confirm_repeat: false,
        })
        .await
        .unwrap();
    assert_eq!(refused.state, saldo::domain::TxState::Failed);

    let log = common::log_text(&data);
    assert!(
        log.contains("a credential reply of"),
        "the renewal's reply is logged as withheld"
    );
    for leaked in ["LEAKED-ACCESS-123", "LEAKED-REFRESH-456"] {
        assert!(!log.contains(leaked), "a credential reply reached the log");
    }
    // The log is worth reading: our references, the outcomes and the requests are there.
    for reference in [
        &cuba.reference,
        &india_row.reference,
        &moved.record.reference,
        &mexico.reference,
    ] {
        assert!(
            log.contains(reference.as_str()),
            "{reference} is not in the log"
        );
    }
    assert!(log.contains("outcome recorded"), "no outcome lines");
    assert!(log.contains("state=succeeded"), "no succeeded outcome");
    assert!(
        log.contains("path=/qvatel/api/recharge/send"),
        "no request line"
    );
    assert!(
        log.contains("request in full"),
        "the test must run at trace level"
    );
    assert!(
        log.contains("Authorization") || log.contains("authorization"),
        "headers were logged"
    );

    // And no secret, in any spelling.
    let mut secrets_seen: Vec<String> = vec![
        qvatel::DEMO_TOKEN.into(),
        "wrong-qvatel-token-71".into(),
        smspartner::DEMO_KEY.into(),
        marketext::DEMO_ACCESS.into(),
        marketext::DEMO_REFRESH.into(),
        rechargekit::DEMO_API_TOKEN.into(),
        sabapayamak::DEMO_PASSWORD.into(),
    ];
    secrets_seen.extend(subs.iter().map(|s| s.handle.expose().to_string()));
    // The tokens the providers issued during the run.
    sim.with_state(|s| {
        secrets_seen.extend(s.rechargekit.tokens.keys().cloned());
        secrets_seen.extend(s.sabapayamak.tokens.keys().cloned());
        secrets_seen.extend(s.marketext.access_tokens.keys().cloned());
        secrets_seen.extend(s.marketext.refresh_tokens.keys().cloned());
    });
    assert!(secrets_seen.len() > 12, "{secrets_seen:?}");
    // `saldo check` of every profile reads every call, and its report is as clean as the log.
    let mut reports = String::new();
    for (name, expected) in [
        ("cuba", "1. balance — read: balance "),
        ("fr", "sub-account list — read: 46 sub-accounts"),
        (
            "mx",
            "token probe (topup without an amount) — read: the token and user were accepted",
        ),
        (
            "in",
            "operator list — read: 5 operators: Airtel 1, BSNL TopUp 9",
        ),
        ("ir", "statement, last 5 — read: 5 movements"),
    ] {
        let report = engine.check(name, None).await.unwrap();
        let text = saldo::cli::check::render(&report);
        assert!(text.contains(expected), "{name}: {text}");
        assert!(
            text.ends_with(&format!("saldo could read all {} calls.", report.tally().0)),
            "{text}"
        );
        assert!(
            text.contains("   sent:     ") && text.contains("   received: HTTP "),
            "{text}"
        );
        reports.push_str(&text);
    }
    assert!(
        reports.contains("authorization: Bearer [redacted]"),
        "{reports}"
    );
    assert!(
        reports.contains("api_token=%5Bredacted%5D") || reports.contains("api_token=[redacted]"),
        "{reports}"
    );
    let log = format!("{log}\n{reports}");
    for secret in &secrets_seen {
        let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        for form in [secret.clone(), encoded] {
            assert!(
                !log.contains(&form),
                "a secret reached the log: {}…",
                &form[..4]
            );
        }
    }
}
