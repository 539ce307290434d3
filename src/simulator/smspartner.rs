//! The simulated SMS Partner v1 API: accounts by API key, each with a main balance and
//! sub-accounts that credit moves between; paging by 20; every control code. Creation follows
//! its own page (toodiz/docpartner, sous_comptep2.md): `parameters.isBuyer` required, its own
//! control codes, the new sub-account's `token` in the reply. A credit reply can be switched
//! to the Go client's `total` or to a bare success without balances.

use std::collections::{BTreeMap, HashMap};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use serde::Serialize;
use serde_json::{Value, json};

use super::{Shared, lock};
use crate::domain::{Money, Unit};
use crate::providers::lenient;

/// Where the simulated SMS Partner API lives on the simulator.
pub const BASE_PATH: &str = "/smspartner/v1";
/// The demo account's API key.
pub const DEMO_KEY: &str = "demo-smspartner-key";
/// The demo account's main balance, in thousandths of a euro.
pub const DEMO_MAIN_MILLI: i64 = 2_869_200;
/// How many sub-accounts the demo account has (more than two pages).
pub const DEMO_SUBACCOUNTS: usize = 45;

/// The document's own example bodies, byte for byte.
pub mod examples {
    pub const CREDIT_OK: &str = "{ \"success\": true, \"code\": 200, \"credit\": 2869.2, \"subaccountCredit\": 61.8, \"currency\": \"EUR\" }";
    pub const CREDIT_OK_XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?> <result> <entry>true</entry> <entry>200</entry> <entry>2859.2</entry> <entry>71.8</entry> <entry> <![CDATA[EUR]]> </entry> </result>";
    pub const ERROR_BAD_KEY: &str =
        "{ \"success\": false, \"code\": 10, \"message\": \"Clé API incorrecte\" }";
}

/// How the simulated API writes a credit move's success.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum CreditReplyForm {
    /// `credit` and `subaccountCredit`, as the page shows.
    #[default]
    Credit,
    /// The main balance as `total`, as the official Go client reads it.
    Total,
    /// `{success: true, code: 200}` and nothing else.
    Bare,
}

/// A simulated sub-account.
#[derive(Clone, Debug, Serialize)]
pub struct SubAccount {
    pub id: String,
    pub email: String,
    pub kind: String,
    pub token: String,
    pub created_at: String,
    pub balance_milli: i64,
}

/// A simulated SMS Partner account.
#[derive(Clone, Debug, Serialize)]
pub struct Account {
    pub main_milli: i64,
    pub subaccounts: Vec<SubAccount>,
}

/// The simulated SMS Partner's whole state, by API key.
#[derive(Clone, Debug, Serialize)]
pub struct SmsPartnerState {
    pub accounts: BTreeMap<String, Account>,
    /// Every credit move executed, in order (for tests: exactly-once checks).
    pub moves: Vec<CreditMoveLog>,
    /// How a credit move's success is written.
    pub credit_reply: CreditReplyForm,
    next_id: u64,
}

/// A credit move the simulated SMS Partner executed.
#[derive(Clone, Debug, Serialize)]
pub struct CreditMoveLog {
    pub sub_account_id: String,
    /// Positive when credit went to the sub-account, negative when it came back.
    pub milli: i64,
}

impl SmsPartnerState {
    /// One demo account with [`DEMO_SUBACCOUNTS`] sub-accounts; the first holds 61.800 EUR.
    pub fn demo() -> SmsPartnerState {
        let subaccounts = (1..=DEMO_SUBACCOUNTS)
            .map(|i| SubAccount {
                id: (1000 + i).to_string(),
                email: format!("shop-{i:02}@example.fr"),
                kind: if i % 3 == 0 { "advanced" } else { "simple" }.to_string(),
                token: format!("subtok-{i:04}-demo"),
                created_at: format!("2024-{:02}-{:02}T10:00:00+01:00", 1 + i % 12, 1 + i % 28),
                balance_milli: if i == 1 {
                    61_800
                } else {
                    (i as i64) * 1_250 + 45
                },
            })
            .collect();
        SmsPartnerState {
            accounts: BTreeMap::from([(
                DEMO_KEY.to_string(),
                Account {
                    main_milli: DEMO_MAIN_MILLI,
                    subaccounts,
                },
            )]),
            moves: Vec::new(),
            credit_reply: CreditReplyForm::Credit,
            next_id: 2000,
        }
    }

    /// A sub-account by id, across accounts.
    pub fn sub(&self, id: &str) -> Option<&SubAccount> {
        self.accounts
            .values()
            .flat_map(|a| a.subaccounts.iter())
            .find(|s| s.id == id)
    }
}

fn euros(milli: i64) -> Money {
    Money::from_minor(milli, Unit::Eur)
}

/// A balance as a JSON number (`2869.2`), as the credit replies show it.
fn number(milli: i64) -> Value {
    let text = euros(milli).to_plain_decimal();
    serde_json::from_str(&text).unwrap_or(Value::String(text))
}

/// A refusal with a control code, in the documented shape.
fn refuse(code: i64, message: &str) -> Response {
    let status = match code {
        1 | 9 | 10 => StatusCode::UNAUTHORIZED,
        _ => StatusCode::BAD_REQUEST,
    };
    let body = json!({"success": false, "code": code, "message": message});
    (status, Json(body)).into_response()
}

fn text_field(body: &Value, name: &str) -> Option<String> {
    match body.get(name)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

async fn me(
    State(shared): State<Shared>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let state = lock(&shared.state);
    let Some(key) = query.get("apiKey").filter(|k| !k.is_empty()) else {
        return refuse(1, "Clé API requise");
    };
    let Some(account) = state.smspartner.accounts.get(key) else {
        return refuse(10, "Clé API incorrecte");
    };
    let balance = euros(account.main_milli).to_decimal_string();
    Json(json!({
        "success": true,
        "code": 200,
        "credits": {"balance": balance, "currency": "EUR", "creditSms": 0}
    }))
    .into_response()
}

async fn list(
    State(shared): State<Shared>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let state = lock(&shared.state);
    let Some(key) = query.get("apiKey").filter(|k| !k.is_empty()) else {
        return refuse(1, "Clé API requise");
    };
    let Some(account) = state.smspartner.accounts.get(key) else {
        return refuse(10, "Clé API incorrecte");
    };
    let page: usize = query
        .get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .max(1);
    let per_page = crate::providers::smspartner::PAGE_SIZE;
    let data: Vec<Value> = account
        .subaccounts
        .iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .map(|s| {
            json!({
                "id": s.id, "email": s.email, "type": s.kind, "token": s.token,
                "createdAt": s.created_at,
                "credits": {"balance": euros(s.balance_milli).to_decimal_string(), "currency": "EUR"}
            })
        })
        .collect();
    Json(json!({
        "total": account.subaccounts.len(),
        "nb_per_page": per_page,
        "page": page,
        "data": data,
    }))
    .into_response()
}

fn credit_move(shared: &Shared, body: &Bytes, add: bool) -> Response {
    let body = lenient::parse_value(&String::from_utf8_lossy(body)).unwrap_or(Value::Null);
    let mut state = lock(&shared.state);
    let form = state.smspartner.credit_reply;
    let Some(key) = text_field(&body, "apiKey").filter(|k| !k.is_empty()) else {
        return refuse(1, "Clé API requise");
    };
    let Some(account) = state.smspartner.accounts.get_mut(&key) else {
        return refuse(10, "Clé API incorrecte");
    };
    let Some(credit) = text_field(&body, "credit").filter(|c| !c.trim().is_empty()) else {
        return refuse(2, "Crédit requis");
    };
    let Some(token) = text_field(&body, "tokenSubaccount").filter(|t| !t.is_empty()) else {
        return refuse(3, "Identifiant du sous-compte requis");
    };
    let amount = match Money::parse(&credit, Unit::Eur) {
        Ok(amount) if amount.minor() > 0 => amount.minor(),
        _ => return refuse(5, "Le crédit à attribuer doit être supérieur à 0"),
    };
    let main = account.main_milli;
    let Some(sub) = account.subaccounts.iter_mut().find(|s| s.token == token) else {
        return refuse(7, "Le sous-compte n'existe pas");
    };
    if add {
        if main < amount {
            return refuse(8, "Crédit insuffisant");
        }
        account.main_milli -= amount;
        sub.balance_milli += amount;
    } else {
        if sub.balance_milli <= 0 {
            return refuse(6, "Le solde doit être supérieur à 0");
        }
        if sub.balance_milli < amount {
            return refuse(8, "Crédit insuffisant");
        }
        sub.balance_milli -= amount;
        account.main_milli += amount;
    }
    let log = CreditMoveLog {
        sub_account_id: sub.id.clone(),
        milli: if add { amount } else { -amount },
    };
    let main_key = match form {
        CreditReplyForm::Total => "total",
        _ => "credit",
    };
    let reply = if form == CreditReplyForm::Bare {
        json!({"success": true, "code": 200})
    } else {
        json!({
            "success": true,
            "code": 200,
            main_key: number(account.main_milli),
            "subaccountCredit": number(sub.balance_milli),
            "currency": "EUR",
        })
    };
    state.smspartner.moves.push(log);
    Json(reply).into_response()
}

async fn credit_add(State(shared): State<Shared>, body: Bytes) -> Response {
    credit_move(&shared, &body, true)
}

async fn credit_remove(State(shared): State<Shared>, body: Bytes) -> Response {
    credit_move(&shared, &body, false)
}

async fn create(State(shared): State<Shared>, body: Bytes) -> Response {
    let body = lenient::parse_value(&String::from_utf8_lossy(&body)).unwrap_or(Value::Null);
    let mut state = lock(&shared.state);
    let sms = &mut state.smspartner;
    let Some(key) = text_field(&body, "apiKey").filter(|k| !k.is_empty()) else {
        return refuse(1, "Clé API requise");
    };
    if !sms.accounts.contains_key(&key) {
        return refuse(10, "Clé API incorrecte");
    }
    // The creation page's table: 3 isBuyer, 4 type, 5 no such type, 6 e-mail, 7 e-mail used,
    // 8 creditToAttribute > 0, 9 balance > 0.
    let parameters = body.get("parameters").cloned().unwrap_or(Value::Null);
    let kind = text_field(&body, "type").unwrap_or_default();
    let email = text_field(&parameters, "email").unwrap_or_default();
    if parameters.get("isBuyer").is_none_or(Value::is_null) {
        return refuse(3, "Le paramètre isBuyer est requis");
    }
    if kind.is_empty() {
        return refuse(4, "Le type est requis (simple ou advanced)");
    }
    if !matches!(kind.as_str(), "simple" | "advanced") {
        return refuse(5, "Le type de sous-compte n'existe pas");
    }
    if !email.contains('@') {
        return refuse(6, "L'email est requis");
    }
    let used = sms
        .accounts
        .values()
        .flat_map(|a| &a.subaccounts)
        .any(|s| s.email.eq_ignore_ascii_case(&email));
    if used {
        return refuse(7, "Un compte existe déjà avec cet email");
    }
    let attribute = match parameters.get("creditToAttribute") {
        None | Some(Value::Null) => 0,
        Some(value) => {
            let text = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_string);
            match Money::parse(&text, Unit::Eur) {
                Ok(amount) if amount.minor() > 0 => amount.minor(),
                _ => return refuse(8, "Le crédit à attribuer doit être supérieur à 0"),
            }
        }
    };
    if attribute > 0 && sms.accounts.get(&key).is_some_and(|a| a.main_milli <= 0) {
        return refuse(9, "Le solde doit être supérieur à 0");
    }
    sms.next_id += 1;
    let id = sms.next_id.to_string();
    let token = format!("subtok-{id}-new");
    let sub = SubAccount {
        id: id.clone(),
        email: email.clone(),
        kind,
        token: token.clone(),
        created_at: "2026-11-22T10:00:00+01:00".to_string(),
        balance_milli: attribute,
    };
    if let Some(account) = sms.accounts.get_mut(&key) {
        account.main_milli -= attribute;
        account.subaccounts.push(sub);
    }
    // The page's reply: the new sub-account's e-mail and token.
    Json(json!({
        "success": true,
        "code": 200,
        "subaccount": {"email": email, "token": token},
        "sendConfirmMailTo": email,
        "parent_email": "demo@example.fr",
    }))
    .into_response()
}

/// `DELETE subaccount/remove` `{apiKey, token}`, with the deletion page's codes (1 token
/// required, 10 key, 404 no such sub-account) and its success body, trailing comma and all.
async fn remove(State(shared): State<Shared>, body: Bytes) -> Response {
    let body = lenient::parse_value(&String::from_utf8_lossy(&body)).unwrap_or(Value::Null);
    let mut state = lock(&shared.state);
    let key = text_field(&body, "apiKey").unwrap_or_default();
    let Some(account) = state.smspartner.accounts.get_mut(&key) else {
        return refuse(10, "Clé API requise");
    };
    let Some(token) = text_field(&body, "token").filter(|t| !t.is_empty()) else {
        return refuse(1, "Le token est requis");
    };
    let Some(at) = account.subaccounts.iter().position(|s| s.token == token) else {
        return refuse(404, "Le sous-compte n'existe pas");
    };
    account.subaccounts.remove(at);
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        "{\"success\":true,\"code\":200,}",
    )
        .into_response()
}

/// The routes of the simulated SMS Partner API.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route(&format!("{BASE_PATH}/me"), get(me))
        .route(&format!("{BASE_PATH}/subaccount/list"), get(list))
        .route(
            &format!("{BASE_PATH}/subaccount/credit/add"),
            post(credit_add),
        )
        .route(
            &format!("{BASE_PATH}/subaccount/credit/remove"),
            post(credit_remove),
        )
        .route(&format!("{BASE_PATH}/subaccount/create"), post(create))
        .route(
            &format!("{BASE_PATH}/subaccount/remove"),
            axum::routing::delete(remove),
        )
}
