//! Saba Payamak over real HTTP on 127.0.0.1 against the simulator: authentication and the
//! token kept with its expiry, balance, statements by Jalali range and last N (by kind), the
//! SDKs' singular paths first and the page's plural ones after, camelCase and PascalCase items,
//! "no content" statements, .NET double amounts, and the document's example bodies.

use crate::common;

use std::sync::Arc;

use common::TestProfile;

use saldo::domain::jalali::JalaliDate;
use saldo::domain::{Money, Unit};
use saldo::engine::Engine;
use saldo::providers::{MovementKind, ProviderError, ProviderKind, StatementQuery};
use saldo::secrets::{SecretKind, SecretStore};
use saldo::simulator::{Fault, FaultRule, Simulator, sabapayamak};

struct Rig {
    sim: Simulator,
    engine: Engine,
    secrets: Arc<SecretStore>,
    _dir: tempfile::TempDir,
}

async fn rig(plural_only: bool) -> Rig {
    rig_with(move |saba| saba.plural_only = plural_only).await
}

async fn rig_with(configure: impl FnOnce(&mut sabapayamak::SabaPayamakState)) -> Rig {
    let sim = common::simulator(|c| configure(&mut c.sabapayamak)).await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, secrets) = common::engine_with(
        dir.path(),
        &TestProfile {
            name: "ir",
            kind: ProviderKind::Sabapayamak,
            base_url: sim.sabapayamak_base_url(),
            timeout_secs: 20,
            options: &[format!(
                "virtual_number={}",
                sabapayamak::DEMO_VIRTUAL_NUMBER
            )],
            secrets: &[
                (SecretKind::Username, sabapayamak::DEMO_USERNAME),
                (SecretKind::Password, sabapayamak::DEMO_PASSWORD),
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

fn day(text: &str) -> JalaliDate {
    JalaliDate::parse(text).unwrap()
}

impl Rig {
    fn expected_in_range(&self, from: JalaliDate, to: JalaliDate) -> usize {
        self.sim.with_state(|s| {
            s.sabapayamak
                .movements
                .iter()
                .filter(|m| {
                    let d = JalaliDate::from_gregorian(m.date.0, m.date.1, m.date.2).unwrap();
                    d >= from && d <= to
                })
                .count()
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authentication_keeps_the_token_with_its_expiry_and_reuses_it() {
    let rig = rig(false).await;
    let credit = rig.engine.balance("ir").await.unwrap();
    let expected = rig.sim.with_state(|s| s.sabapayamak.credit);
    assert_eq!(credit, Money::from_minor(expected * 100, Unit::Irr));

    let auth = &rig.sim.requests_to("/user/authenticate")[0];
    let body: serde_json::Value = serde_json::from_str(&auth.body).unwrap();
    assert_eq!(body["Username"], sabapayamak::DEMO_USERNAME);
    assert_eq!(body["Password"], sabapayamak::DEMO_PASSWORD);
    assert_eq!(body["VirtualNumber"], sabapayamak::DEMO_VIRTUAL_NUMBER);
    assert_eq!(body["TokenValidDay"], 30);
    let read = &rig.sim.requests_to("/credit")[0];
    assert!(
        read.authorization
            .as_deref()
            .unwrap()
            .starts_with("Bearer saba-token-")
    );

    let saved = rig.secrets.get("ir", SecretKind::SessionToken).unwrap();
    let (expiry, token) = saved.expose().split_once(' ').unwrap();
    let days_left = (expiry.parse::<i64>().unwrap() - jiff::Timestamp::now().as_second()) / 86_400;
    assert!((29..=30).contains(&days_left), "{days_left}");
    assert!(token.starts_with("saba-token-"));

    // A second run reuses the saved token: no new authentication.
    rig.engine.balance("ir").await.unwrap();
    assert_eq!(rig.sim.requests_to("/user/authenticate").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_is_renewed_before_it_expires_and_when_refused() {
    let rig = rig(false).await;
    rig.engine.balance("ir").await.unwrap();
    // Saved as expiring within the day: renewed before use.
    let saved = rig.secrets.get("ir", SecretKind::SessionToken).unwrap();
    let token = saved.expose().split_once(' ').unwrap().1.to_string();
    let soon = jiff::Timestamp::now().as_second() + 3_600;
    rig.secrets
        .set("ir", SecretKind::SessionToken, &format!("{soon} {token}"))
        .unwrap();
    rig.engine.balance("ir").await.unwrap();
    assert_eq!(rig.sim.requests_to("/user/authenticate").len(), 2);
    // Refused by the provider although not expired here: renewed once, then read.
    rig.sim.with_state(|s| s.sabapayamak.expire_tokens());
    rig.engine.balance("ir").await.unwrap();
    assert_eq!(rig.sim.requests_to("/user/authenticate").len(), 3);
    // A wrong password is a clear credentials error.
    rig.secrets
        .set("ir", SecretKind::Password, "wrong")
        .unwrap();
    rig.secrets.delete("ir", SecretKind::SessionToken).unwrap();
    let err = rig.engine.balance("ir").await.unwrap_err();
    assert!(err.to_string().contains("refused the login"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jalali_range_lists_exactly_its_movements() {
    let rig = rig(false).await;
    let (from, to) = (day("1403/01/01"), day("1403/06/31"));
    let movements = rig
        .engine
        .statement("ir", &StatementQuery::Range { from, to })
        .await
        .unwrap();
    assert_eq!(movements.len(), rig.expected_in_range(from, to));
    assert!(movements.len() > 200);
    assert!(
        movements
            .iter()
            .all(|m| m.day.is_some_and(|d| d >= from && d <= to))
    );
    assert_eq!(movements[0].day, Some(from));
    assert_eq!(movements[0].kind, Some(MovementKind::Purchase));
    assert_eq!(
        movements[0].amount,
        Money::from_minor(500_000_00, Unit::Irr)
    );
    assert!(
        movements
            .iter()
            .any(|m| m.kind == Some(MovementKind::Refund))
    );
    assert!(
        movements
            .iter()
            .any(|m| m.kind == Some(MovementKind::Receive))
    );
    // The SDKs' singular path, first and only.
    let asked = &rig.sim.requests_to("/credit")[0];
    assert!(rig.sim.requests_to("/credits").is_empty());
    assert_eq!(asked.param("StartDate").as_deref(), Some("1403/01/01"));
    assert_eq!(asked.param("EndDate").as_deref(), Some("1403/06/31"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_movements_can_be_asked_for_all_kinds_or_one() {
    let rig = rig(false).await;
    let last = rig
        .engine
        .statement(
            "ir",
            &StatementQuery::Last {
                count: 5,
                kind: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(last.len(), 5);
    let paths = [
        (MovementKind::Send, "/credit/send-sms/4"),
        (MovementKind::Receive, "/credit/recived/4"),
        (MovementKind::Purchase, "/credit/charge/4"),
        (MovementKind::Refund, "/credit/money-back/4"),
    ];
    for (kind, path) in paths {
        let query = StatementQuery::Last {
            count: 4,
            kind: Some(kind),
        };
        let movements = rig.engine.statement("ir", &query).await.unwrap();
        assert_eq!(movements.len(), 4, "{kind:?}");
        assert!(movements.iter().all(|m| m.kind == Some(kind)), "{kind:?}");
        assert_eq!(rig.sim.requests_to(path).len(), 1, "{path}");
    }
    assert_eq!(rig.sim.requests_to("/credit/5").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_plural_paths_are_tried_when_the_singular_is_missing() {
    let rig = rig(true).await;
    let (from, to) = (day("1403/07/01"), day("1403/07/30"));
    let movements = rig
        .engine
        .statement("ir", &StatementQuery::Range { from, to })
        .await
        .unwrap();
    assert_eq!(movements.len(), rig.expected_in_range(from, to));
    let singular: Vec<_> = rig
        .sim
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/credit") || r.path.ends_with("/credits"))
        .map(|r| r.path.rsplit('/').next().unwrap().to_string())
        .collect();
    assert_eq!(
        singular,
        ["credit", "credits"],
        "singular first, then plural"
    );
    let plural = &rig.sim.requests_to("/credits")[0];
    assert_eq!(plural.param("StartDate").as_deref(), Some("1403/07/01"));
    let query = StatementQuery::Last {
        count: 2,
        kind: Some(MovementKind::Send),
    };
    assert_eq!(rig.engine.statement("ir", &query).await.unwrap().len(), 2);
    assert_eq!(rig.sim.requests_to("/credits/send-sms/2").len(), 1);
}

/// Items come in camelCase (what the simulator, like ASP.NET, writes by default) or in the
/// page's PascalCase: the same movements either way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statement_items_are_read_in_either_casing() {
    let query = StatementQuery::Last {
        count: 30,
        kind: None,
    };
    let camel = rig(false).await;
    let from_camel = camel.engine.statement("ir", &query).await.unwrap();
    let pascal = rig_with(|s| s.pascal_case = true).await;
    let from_pascal = pascal.engine.statement("ir", &query).await.unwrap();
    assert_eq!(from_camel.len(), 30);
    assert_eq!(from_camel, from_pascal);
    // What the simulator sent really was camelCase, then PascalCase.
    let body = |rig: &Rig| {
        let token = rig.secrets.get("ir", SecretKind::SessionToken).unwrap();
        let token = token.expose().split_once(' ').unwrap().1.to_string();
        let url = format!("{}/credit/1", rig.sim.sabapayamak_base_url());
        async move {
            reqwest::Client::new()
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let camel_body = body(&camel).await;
    assert!(camel_body.contains("\"creditRemain\"") && !camel_body.contains("\"CreditRemain\""));
    assert!(body(&pascal).await.contains("\"CreditRemain\""));
}

/// A statement with nothing in it is empty, however the provider says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_content_is_an_empty_statement_not_an_error() {
    use sabapayamak::EmptyStatement;
    for empty in [
        EmptyStatement::Result1002,
        EmptyStatement::NoContent,
        EmptyStatement::EmptyList,
    ] {
        let rig = rig_with(move |s| s.empty = empty).await;
        // Before the demo account's first movement.
        let query = StatementQuery::Range {
            from: day("1402/01/01"),
            to: day("1402/01/10"),
        };
        let movements = rig.engine.statement("ir", &query).await;
        assert_eq!(movements.unwrap(), Vec::new(), "{empty:?}");
    }
    // As an error's code, beside a status of 200.
    let rig = rig(false).await;
    rig.sim.inject(FaultRule::once(
        "/credit/3",
        Fault::Body {
            body: r#"{"status":"200","message":"","id":0,"data":null,"errors":[{"message":"داده ای وجود ندارد","code":1002}]}"#.into(),
        },
    ));
    let query = StatementQuery::Last {
        count: 3,
        kind: None,
    };
    assert!(rig.engine.statement("ir", &query).await.unwrap().is_empty());
}

/// Amounts a .NET double wrote with a stray last digit are rounded to the unit's decimals.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amounts_with_double_artefacts_are_rounded_not_refused() {
    let plain = rig(false).await;
    let query = StatementQuery::Last {
        count: 10,
        kind: None,
    };
    let expected = plain.engine.statement("ir", &query).await.unwrap();
    let rig = rig_with(|s| s.double_artefacts = true).await;
    let movements = rig.engine.statement("ir", &query).await.unwrap();
    assert_eq!(movements, expected);
    rig.sim.inject(FaultRule::once(
        "/credit/1",
        Fault::Body {
            body: r#"{"status":"200","message":"ok","id":1,"data":[{"creditType":"ارسال","amount":0.30000000000000004,"creditRemain":1234.5699999999999,"descriptions":"","insertDate":"1403/05/05 10:00:00"}],"errors":[]}"#.into(),
        },
    ));
    let one = StatementQuery::Last {
        count: 1,
        kind: None,
    };
    let movements = rig.engine.statement("ir", &one).await.unwrap();
    assert_eq!(movements[0].amount, Money::from_minor(30, Unit::Irr));
    assert_eq!(
        movements[0].remaining,
        Money::from_minor(1_234_57, Unit::Irr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_documents_example_bodies_decode() {
    let rig = rig(false).await;
    rig.sim.inject(FaultRule::once(
        "/credit",
        Fault::Body {
            body: sabapayamak::examples::CREDIT.into(),
        },
    ));
    assert_eq!(
        rig.engine.balance("ir").await.unwrap(),
        Money::from_minor(12_345_00, Unit::Irr)
    );
    let list = format!(
        "{{\"status\":\"200\",\"message\":\"ok\",\"id\":1,\"data\":[{}],\"errors\":[]}}",
        sabapayamak::examples::MOVEMENT
    );
    rig.sim
        .inject(FaultRule::once("/credit/1", Fault::Body { body: list }));
    let query = StatementQuery::Last {
        count: 1,
        kind: None,
    };
    let movements = rig.engine.statement("ir", &query).await.unwrap();
    assert_eq!(movements.len(), 1);
    let m = &movements[0];
    assert_eq!(m.kind, Some(MovementKind::Send));
    assert_eq!(m.amount, Money::from_minor(1_234_00, Unit::Irr));
    assert_eq!(m.remaining, Money::from_minor(4_567_00, Unit::Irr));
    assert_eq!(m.day.unwrap().to_gregorian(), (2020, 2, 2));
    assert_eq!(m.time.as_deref(), Some("14:14:15"));
    rig.sim.inject(FaultRule::once(
        "/credit",
        Fault::Body {
            body: r#"{"status":"500","message":"خطای سرور","id":0,"data":null,"errors":["x"]}"#
                .into(),
        },
    ));
    let err = rig.engine.balance("ir").await.unwrap_err();
    assert!(
        matches!(&err, saldo::engine::EngineError::Provider(ProviderError::Rejected { message, .. }) if message.contains("خطای سرور")),
        "{err}"
    );
}
