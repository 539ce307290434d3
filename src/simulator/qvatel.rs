//! The simulated QvaTel v1.1 API: accounts by token, recharges that debit the balance, ids
//! `qvatel-…`, statuses that become `Recargado` after a configurable delay.

use std::collections::{BTreeMap, HashMap};

use axum::Router;
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use serde::Serialize;
use serde_json::json;

use super::{Shared, lock};
use crate::domain::{Country, Money, PhoneNumber, Unit};

/// Where the simulated QvaTel API lives on the simulator.
pub const BASE_PATH: &str = "/qvatel/api";
/// The demo account's token.
pub const DEMO_TOKEN: &str = "demo-qvatel-token";
/// The demo account's opening balance, in cents.
pub const DEMO_BALANCE_CENTS: i64 = 500_00;

/// The document's own example bodies, byte for byte (single quotes, trailing commas).
pub mod examples {
    pub const SEND_OK: &str =
        "{\n'result': 1,\n'destino': '+5352942387',\n'id_recarga': 'qvatel-23479287356',\n}";
    pub const SEND_FAILED: &str =
        "{\n'result': 0,\n'destino': '+5352942387',\n'error': 'Descripción del error'\n}";
    pub const STATUS_OK: &str = "{\n'result': 1,\n'estado': 'Recargado'\n}";
    pub const STATUS_FAILED: &str = "{\n'result': 0,\n'error': 'Descripción del error'\n}";
    pub const BALANCE_OK: &str = "{\n'result': 1,\n'balance': 20\n}";
    pub const BALANCE_FAILED: &str = "{\n'result': 0,\n'error': 'Descripción del error'\n}";
}

/// A simulated QvaTel account.
#[derive(Clone, Debug, Serialize)]
pub struct Account {
    pub balance_cents: i64,
}

/// A recharge the simulated QvaTel executed.
#[derive(Clone, Debug, Serialize)]
pub struct Recharge {
    pub id: String,
    pub token: String,
    pub destino: String,
    pub monto_cents: i64,
    /// Milliseconds after the simulator started.
    pub created_ms: u64,
}

/// The simulated QvaTel's whole state.
#[derive(Clone, Debug, Serialize)]
pub struct QvaTelState {
    pub accounts: BTreeMap<String, Account>,
    pub recharges: Vec<Recharge>,
    /// How long a recharge stays "pending" before its status is `Recargado`.
    pub status_delay_ms: u64,
    /// The `estado` a recharge reports once the delay has passed (`Recargado`; a test sets
    /// `Fallido` or a word nobody knows). While waiting it reports `Pendiente`.
    pub final_estado: String,
    /// The amounts the service sells, in cents.
    pub allowed_cents: Vec<i64>,
    next_id: u64,
}

impl QvaTelState {
    /// One demo account with [`DEMO_TOKEN`] and [`DEMO_BALANCE_CENTS`].
    pub fn demo() -> QvaTelState {
        QvaTelState {
            accounts: BTreeMap::from([(
                DEMO_TOKEN.to_string(),
                Account {
                    balance_cents: DEMO_BALANCE_CENTS,
                },
            )]),
            recharges: Vec::new(),
            status_delay_ms: 0,
            final_estado: "Recargado".to_string(),
            allowed_cents: vec![1500, 2000],
            next_id: 23_479_287_356,
        }
    }
}

fn failure(destino: Option<&str>, error: &str) -> Response {
    match destino {
        Some(destino) => Json(json!({"result": 0, "destino": destino, "error": error})),
        None => Json(json!({"result": 0, "error": error})),
    }
    .into_response()
}

async fn send(State(shared): State<Shared>, Form(form): Form<HashMap<String, String>>) -> Response {
    let destino_text = form.get("destino").cloned().unwrap_or_default();
    let now = shared.elapsed_ms();
    let mut state = lock(&shared.state);
    let qvatel = &mut state.qvatel;
    let token = form.get("api_token").cloned().unwrap_or_default();
    let Some(account) = qvatel.accounts.get(&token) else {
        return failure(Some(&destino_text), "api_token inválido");
    };
    let Ok(number) = PhoneNumber::parse_mobile(&destino_text, Country::Cuba) else {
        return failure(Some(&destino_text), "Número de destino inválido");
    };
    let destino = number.e164();
    let monto = form
        .get("monto")
        .and_then(|m| Money::parse(m, Unit::Usd).ok())
        .map(Money::minor);
    let Some(monto_cents) = monto.filter(|m| qvatel.allowed_cents.contains(m)) else {
        return failure(Some(&destino), "Monto no permitido");
    };
    if account.balance_cents < monto_cents {
        return failure(Some(&destino), "Saldo insuficiente");
    }
    if let Some(account) = qvatel.accounts.get_mut(&token) {
        account.balance_cents -= monto_cents;
    }
    let id = format!("qvatel-{}", qvatel.next_id);
    qvatel.next_id += 7;
    qvatel.recharges.push(Recharge {
        id: id.clone(),
        token,
        destino: destino.clone(),
        monto_cents,
        created_ms: now,
    });
    Json(json!({"result": 1, "destino": destino, "id_recarga": id})).into_response()
}

async fn status(
    State(shared): State<Shared>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let now = shared.elapsed_ms();
    let state = lock(&shared.state);
    let qvatel = &state.qvatel;
    let token = query
        .get("api_token")
        .map(String::as_str)
        .unwrap_or_default();
    if !qvatel.accounts.contains_key(token) {
        return failure(None, "api_token inválido");
    }
    let id = query
        .get("id_recarga")
        .map(String::as_str)
        .unwrap_or_default();
    let Some(recharge) = qvatel
        .recharges
        .iter()
        .find(|r| r.id == id && r.token == token)
    else {
        return failure(None, "Recarga no encontrada");
    };
    // "Pendiente" as the same API's SMS status words it (egutierrezr421/smsprosend, Sms.php).
    let estado = if now >= recharge.created_ms + qvatel.status_delay_ms {
        qvatel.final_estado.as_str()
    } else {
        "Pendiente"
    };
    Json(json!({"result": 1, "estado": estado})).into_response()
}

/// Writes cents as the decimal number QvaTel shows (`20`, `19.5` → `19.50`).
fn decimal(cents: i64) -> serde_json::Value {
    let text = Money::from_minor(cents, Unit::Usd).to_decimal_string();
    let text = text.strip_suffix(".00").unwrap_or(&text).to_string();
    serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text))
}

async fn balance(
    State(shared): State<Shared>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let state = lock(&shared.state);
    let token = query
        .get("api_token")
        .map(String::as_str)
        .unwrap_or_default();
    match state.qvatel.accounts.get(token) {
        Some(account) => {
            Json(json!({"result": 1, "balance": decimal(account.balance_cents)})).into_response()
        }
        None => failure(None, "api_token inválido"),
    }
}

/// The routes of the simulated QvaTel API.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route(&format!("{BASE_PATH}/recharge/send"), post(send))
        .route(&format!("{BASE_PATH}/recharge/status"), get(status))
        .route(
            &format!("{BASE_PATH}/account/recharge-balance"),
            get(balance),
        )
}
