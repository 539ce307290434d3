//! The simulated RechargeKit v2 API, as production integrations call it: the partner's static
//! API token as a bearer token (or, optionally, a login for an expiring one), paths at the
//! root, a wallet read as numbers, a live operator list, HTTP 422 validation refusals, orders
//! keyed by the partner's `partner_request_id` that move from pending to success or failure,
//! duplicate ids refused, and the wallet refunded for failures. See
//! `docs/providers/rechargekit.md` for the source of each behaviour.

use std::collections::BTreeMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use serde::Serialize;
use serde_json::{Value, json};

use super::{Shared, lock};
use crate::domain::{Money, Unit};
use crate::providers::lenient;
use crate::providers::rechargekit::{CIRCLES, OPERATORS};

/// Where the simulated RechargeKit API lives on the simulator (its paths at the root below).
pub const BASE_PATH: &str = "/rechargekit";
/// The demo partner's static API token, as the partner panel shows it.
pub const DEMO_API_TOKEN: &str = "demo-rechargekit-api-token";
/// The operator_category of prepaid mobile in the simulated live list.
pub const PREPAID_CATEGORY: u32 = 1;
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
    /// The DMR (money transfer) wallet beside it, in paise.
    pub dmr_wallet_paise: i64,
    /// The partner panel's static API tokens.
    pub api_tokens: Vec<String>,
    /// Login tokens → expiry (ms after the simulator started).
    pub tokens: BTreeMap<String, u64>,
    /// The live operator list by operator_category: (operator_id, operator_name).
    pub operators: BTreeMap<u32, (String, Vec<(u32, String)>)>,
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
            dmr_wallet_paise: 0,
            api_tokens: vec![DEMO_API_TOKEN.to_string()],
            tokens: BTreeMap::new(),
            operators: BTreeMap::from([
                (
                    PREPAID_CATEGORY,
                    (
                        "prepaid".to_string(),
                        OPERATORS.iter().map(|(c, n)| (*c, n.to_string())).collect(),
                    ),
                ),
                (
                    11,
                    (
                        "credit_card".to_string(),
                        vec![(215, "SBI Card".to_string())],
                    ),
                ),
            ]),
            token_lifetime_ms: 3_600_000,
            pending_ms: 0,
            orders: BTreeMap::new(),
            next: 0,
        }
    }

    /// The prepaid operators the live list offers now (and the recharge accepts).
    pub fn prepaid_operators(&self) -> Vec<(u32, String)> {
        self.operators
            .get(&PREPAID_CATEGORY)
            .map(|(_, list)| list.clone())
            .unwrap_or_default()
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

/// Whether the request carries the static API token, or a live login token.
fn authorised(state: &RechargeKitState, headers: &HeaderMap, now: u64) -> bool {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    token.is_some_and(|token| {
        state.api_tokens.iter().any(|t| t == token)
            || state.tokens.get(token).is_some_and(|expiry| *expiry > now)
    })
}

fn unauthorised() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(json!({"error": 1, "msg": "access denied."})),
    )
        .into_response()
}

/// A Laravel validation refusal: HTTP 422 with the message of the first field and every
/// field's messages (the shape services/rechargekit/client.ts of
/// manishisblessed/same_day_Solution_1 reads).
fn invalid(fields: &[(&str, String)]) -> Response {
    let errors: serde_json::Map<String, Value> = fields
        .iter()
        .map(|(field, message)| (field.to_string(), json!([message])))
        .collect();
    let message = match fields.len() {
        1 => fields[0].1.clone(),
        n => format!("{} (and {} more errors)", fields[0].1, n - 1),
    };
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({"message": message, "errors": errors})),
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
    // The fields' form is checked first, all at once (HTTP 422); then the business rules.
    let mut problems = Vec::new();
    let partner_request_id = text(&body, "partner_request_id").unwrap_or_default();
    if partner_request_id.is_empty() {
        problems.push((
            "partner_request_id",
            "The partner request id field is required.".to_string(),
        ));
    }
    let mobile = text(&body, "mobile_no").unwrap_or_default();
    if mobile.len() != 10 || !mobile.bytes().all(|b| b.is_ascii_digit()) {
        problems.push(("mobile_no", "The mobile no must be 10 digits.".to_string()));
    }
    let code = |name: &str| text(&body, name).and_then(|c| c.parse::<u32>().ok());
    let (operator_code, circle) = (code("operator_code"), code("circle"));
    if operator_code.is_none() {
        problems.push((
            "operator_code",
            "The operator code field is required.".to_string(),
        ));
    }
    if circle.is_none() {
        problems.push(("circle", "The circle field is required.".to_string()));
    }
    let amount = text(&body, "amount")
        .and_then(|a| Money::parse(&a, Unit::Inr).ok())
        .map(Money::minor)
        .filter(|a| *a > 0);
    if amount.is_none() {
        problems.push((
            "amount",
            "The amount must be a number greater than 0.".to_string(),
        ));
    }
    let (Some(operator_code), Some(circle), Some(amount_paise), true) =
        (operator_code, circle, amount, problems.is_empty())
    else {
        return invalid(&problems);
    };
    if rk.orders.contains_key(&partner_request_id) {
        return not_processed("Duplicate order, Order ID must be unique");
    }
    if !rk
        .prepaid_operators()
        .iter()
        .any(|(o, _)| *o == operator_code)
    {
        return not_processed("Invalid operator code");
    }
    if !CIRCLES.iter().any(|(c, _)| *c == circle) {
        return not_processed("Invalid circle code");
    }
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
    // Numbers, as the Go model reads them (float64): rupees with their paise.
    let number = |paise: i64| {
        let text = Money::from_minor(paise, Unit::Inr).to_plain_decimal();
        serde_json::from_str::<Value>(&text).unwrap_or(Value::String(text))
    };
    Json(json!({
        "error": 0,
        "msg": "balance fetched",
        "wallet_amount": number(rk.wallet_paise),
        "dmr_wallet_amount": number(rk.dmr_wallet_paise),
    }))
    .into_response()
}

async fn operator_fetch(
    State(shared): State<Shared>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let now = shared.elapsed_ms();
    let state = lock(&shared.state);
    let rk = &state.rechargekit;
    if !authorised(rk, &headers, now) {
        return unauthorised();
    }
    let category = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "operator_category")
        .and_then(|(_, v)| v.parse::<u32>().ok());
    let Some(category) = category else {
        return invalid(&[(
            "operator_category",
            "The operator category field is required.".to_string(),
        )]);
    };
    let Some((name, operators)) = rk.operators.get(&category) else {
        return not_processed("No operator found");
    };
    // The guide's sample: {error, msg, status, operatorList: [{operator_id, operator_name,
    // service_name, operator_category, operator_category_name}]}.
    let list: Vec<Value> = operators
        .iter()
        .map(|(id, operator)| {
            json!({
                "operator_id": id,
                "operator_name": operator,
                "service_name": format!("RKIT {}", name.to_uppercase()),
                "operator_category": category,
                "operator_category_name": name,
            })
        })
        .collect();
    Json(json!({
        "error": 0,
        "msg": "operator list fetched",
        "status": 1,
        "operatorList": list,
    }))
    .into_response()
}

/// A status check asked with GET is refused (it takes a JSON body by POST).
async fn status_by_get() -> Response {
    unauthorised()
}

/// The routes of the simulated RechargeKit API.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route(&format!("{BASE_PATH}/auth/login"), post(login))
        .route(&format!("{BASE_PATH}/recharge/prepaid"), post(recharge))
        .route(
            &format!("{BASE_PATH}/recharge/statusCheck"),
            post(status_check).get(status_by_get),
        )
        .route(
            &format!("{BASE_PATH}/recharge/servicewiseOperatorFetch"),
            get(operator_fetch),
        )
        .route(
            &format!("{BASE_PATH}/recharge/balanceCheck"),
            get(balance_check),
        )
}
