//! The simulated RechargeKit API: partner logins with expiring bearer tokens, a wallet,
//! orders keyed by the partner's `partner_request_id` that move from pending to success or
//! failure, duplicate ids refused, and the wallet refunded for failures.

use std::collections::BTreeMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use serde::Serialize;
use serde_json::{Value, json};

use super::{Shared, lock};
use crate::domain::{Money, Unit};
use crate::providers::lenient;
use crate::providers::rechargekit::{CIRCLES, OPERATORS};

/// Where the simulated RechargeKit API lives on the simulator.
pub const BASE_PATH: &str = "/rechargekit/api";
/// The demo partner's user name.
pub const DEMO_USERNAME: &str = "demo-partner";
/// The demo partner's password.
pub const DEMO_PASSWORD: &str = "demo-rechargekit-password";
/// The demo wallet, in paise.
pub const DEMO_WALLET_PAISE: i64 = 25_000_00;

/// The document's own example bodies, byte for byte.
pub mod examples {
    pub const ORDER_QUEUED: &str = "{\n\"error\":0,\n\"msg\":order in queue,\n\"status\":2,\n\"orderid\":\"da9842e1-f561-4728-827b-ac4dd2934d68\",\n\"optransid\":\"\",\n\"partnerreqid\":\"5165483\",\n\"commission\":0,\n\"user_var1\":\"\",\n\"user_var2\":\"\",\n\"user_var3\":\"\"\n}";
    pub const DUPLICATE: &str =
        "{\n\"error\":1,\n\"msg\":\"Duplicate order, Order ID must be unique\",\n}";
}

/// A simulated recharge order.
#[derive(Clone, Debug, Serialize)]
pub struct Order {
    pub orderid: String,
    pub mobile_no: String,
    pub operator_code: u32,
    pub circle: u32,
    pub amount_paise: i64,
    pub created_ms: u64,
    /// 1 success or 3 failure, reached after the pending delay.
    pub final_status: u8,
}

/// The simulated RechargeKit's whole state.
#[derive(Clone, Debug, Serialize)]
pub struct RechargeKitState {
    /// User name → password.
    pub partners: BTreeMap<String, String>,
    pub wallet_paise: i64,
    /// Bearer token → expiry (ms after the simulator started).
    pub tokens: BTreeMap<String, u64>,
    /// How long a login token lives.
    pub token_lifetime_ms: u64,
    /// How long an order stays pending (status 2) before its final status.
    pub pending_ms: u64,
    /// Orders by partner_request_id.
    pub orders: BTreeMap<String, Order>,
    next: u64,
}

impl RechargeKitState {
    /// The demo partner with a full wallet; orders settle at once.
    pub fn demo() -> RechargeKitState {
        RechargeKitState {
            partners: BTreeMap::from([(DEMO_USERNAME.to_string(), DEMO_PASSWORD.to_string())]),
            wallet_paise: DEMO_WALLET_PAISE,
            tokens: BTreeMap::new(),
            token_lifetime_ms: 3_600_000,
            pending_ms: 0,
            orders: BTreeMap::new(),
            next: 0,
        }
    }

    /// Makes every login token expired.
    pub fn expire_tokens(&mut self) {
        for expiry in self.tokens.values_mut() {
            *expiry = 0;
        }
    }

    /// The status an order shows now: 2 while pending, then its final status.
    fn status_of(&self, order: &Order, now: u64) -> u8 {
        if now < order.created_ms + self.pending_ms {
            2
        } else {
            order.final_status
        }
    }
}

fn order_json(order: &Order, status: u8, partner_request_id: &str, msg: &str) -> Value {
    json!({
        "error": 0,
        "msg": msg,
        "status": status,
        "orderid": order.orderid,
        "optransid": if status == 1 { format!("OP{}", &order.orderid[..8]) } else { String::new() },
        "partnerreqid": partner_request_id,
        "commission": 0,
        "user_var1": "", "user_var2": "", "user_var3": "",
    })
}

fn not_processed(msg: &str) -> Response {
    Json(json!({"error": 1, "msg": msg})).into_response()
}

fn body_of(bytes: &Bytes) -> Value {
    lenient::parse_value(&String::from_utf8_lossy(bytes)).unwrap_or(Value::Null)
}

fn text(value: &Value, name: &str) -> Option<String> {
    match value.get(name)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// Whether the request carries a live bearer token.
fn authorised(state: &RechargeKitState, headers: &HeaderMap, now: u64) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .and_then(|token| state.tokens.get(token.trim()))
        .is_some_and(|expiry| *expiry > now)
}

fn unauthorised() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(json!({"error": 1, "msg": "Unauthorized"})),
    )
        .into_response()
}

async fn login(State(shared): State<Shared>, body: Bytes) -> Response {
    let body = body_of(&body);
    let now = shared.elapsed_ms();
    let mut state = lock(&shared.state);
    let rk = &mut state.rechargekit;
    let user = text(&body, "username").unwrap_or_default();
    let password = text(&body, "password").unwrap_or_default();
    if rk.partners.get(&user) != Some(&password) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": 1, "msg": "Invalid username or password"})),
        )
            .into_response();
    }
    rk.next += 1;
    let token = format!("rk-token-{:06}", rk.next);
    rk.tokens.insert(token.clone(), now + rk.token_lifetime_ms);
    Json(json!({"error": 0, "token": token, "expires_in": rk.token_lifetime_ms / 1000}))
        .into_response()
}

async fn recharge(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let body = body_of(&body);
    let now = shared.elapsed_ms();
    let mut state = lock(&shared.state);
    let rk = &mut state.rechargekit;
    if !authorised(rk, &headers, now) {
        return unauthorised();
    }
    let Some(partner_request_id) = text(&body, "partner_request_id").filter(|p| !p.is_empty())
    else {
        return not_processed("partner_request_id is required");
    };
    if rk.orders.contains_key(&partner_request_id) {
        return not_processed("Duplicate order, Order ID must be unique");
    }
    let mobile = text(&body, "mobile_no").unwrap_or_default();
    if mobile.len() != 10 || !mobile.bytes().all(|b| b.is_ascii_digit()) {
        return not_processed("Invalid mobile number");
    }
    let code = |name: &str| text(&body, name).and_then(|c| c.parse::<u32>().ok());
    let Some(operator_code) =
        code("operator_code").filter(|c| OPERATORS.iter().any(|(o, _)| o == c))
    else {
        return not_processed("Invalid operator code");
    };
    let Some(circle) = code("circle").filter(|c| CIRCLES.iter().any(|(o, _)| o == c)) else {
        return not_processed("Invalid circle code");
    };
    let amount = text(&body, "amount")
        .and_then(|a| Money::parse(&a, Unit::Inr).ok())
        .map(Money::minor)
        .filter(|a| *a > 0);
    let Some(amount_paise) = amount else {
        return not_processed("Invalid amount");
    };
    if rk.wallet_paise < amount_paise {
        return not_processed("Insufficient wallet balance");
    }
    rk.next += 1;
    // Numbers ending in 0000 fail at the operator (to exercise failures); others succeed.
    let final_status = if mobile.ends_with("0000") { 3 } else { 1 };
    rk.wallet_paise -= amount_paise;
    let order = Order {
        orderid: format!("{:08x}-f561-4728-827b-ac4dd2934d68", rk.next),
        mobile_no: mobile,
        operator_code,
        circle,
        amount_paise,
        created_ms: now,
        final_status,
    };
    let status = rk.status_of(&order, now);
    if status == 3 {
        rk.wallet_paise += amount_paise;
    }
    let msg = match status {
        1 => "Recharge successful",
        2 => "order in queue",
        _ => "Recharge failed at operator",
    };
    let reply = order_json(&order, status, &partner_request_id, msg);
    rk.orders.insert(partner_request_id, order);
    Json(reply).into_response()
}

async fn status_check(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let body = body_of(&body);
    let now = shared.elapsed_ms();
    let mut state = lock(&shared.state);
    let rk = &mut state.rechargekit;
    if !authorised(rk, &headers, now) {
        return unauthorised();
    }
    let id = text(&body, "partner_request_id").unwrap_or_default();
    let Some(order) = rk.orders.get(&id).cloned() else {
        return not_processed("Order not found");
    };
    let status = rk.status_of(&order, now);
    let msg = match status {
        1 => "Recharge successful",
        2 => "order in queue",
        _ => "Recharge failed at operator",
    };
    let mut reply = order_json(&order, status, &id, msg);
    // The status check echoes the order's amount (see the adapter).
    reply["amount"] = json!(Money::from_minor(order.amount_paise, Unit::Inr).to_plain_decimal());
    Json(reply).into_response()
}

async fn balance_check(State(shared): State<Shared>, headers: HeaderMap) -> Response {
    let now = shared.elapsed_ms();
    let state = lock(&shared.state);
    let rk = &state.rechargekit;
    if !authorised(rk, &headers, now) {
        return unauthorised();
    }
    let wallet = Money::from_minor(rk.wallet_paise, Unit::Inr).to_decimal_string();
    Json(json!({"error": 0, "wallet_amount": wallet})).into_response()
}

/// The routes of the simulated RechargeKit API.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route(&format!("{BASE_PATH}/auth/login"), post(login))
        .route(&format!("{BASE_PATH}/recharge/prepaid"), post(recharge))
        .route(
            &format!("{BASE_PATH}/recharge/statusCheck"),
            post(status_check),
        )
        .route(
            &format!("{BASE_PATH}/recharge/balanceCheck"),
            get(balance_check),
        )
}
