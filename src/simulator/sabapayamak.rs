//! The simulated Saba Payamak API: accounts by user name, expiring tokens, and a credit ledger
//! of typed movements from 1403/01/01 (20 March 2024) to today. Statement dates come
//! in the document's own form, `"2024\03\21 10:00:00"`, which is not valid JSON. As the
//! evidence has it (`docs/providers/sabapayamak.md`): replies in camelCase, statements at the
//! SDKs' singular `/credit…` paths; the variants (PascalCase, the page's plural paths, "no
//! content" as HTTP 204 or result 1002, .NET double artefacts) are switches in the state.

use std::collections::{BTreeMap, HashMap};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;
use serde_json::{Value, json};

use super::{Shared, lock};
use crate::domain::jalali::JalaliDate;
use crate::providers::lenient;

/// Where the simulated Saba Payamak API lives on the simulator.
pub const BASE_PATH: &str = "/sabapayamak/api/v1";
/// The demo account's user name.
pub const DEMO_USERNAME: &str = "demo-saba";
/// The demo account's password.
pub const DEMO_PASSWORD: &str = "demo-saba-password";
/// The demo account's virtual number.
pub const DEMO_VIRTUAL_NUMBER: &str = "30001234";

/// The document's own example bodies, byte for byte.
pub mod examples {
    pub const CREDIT: &str = "{\n  \"status\" : \"200\",\n  \"message\" : \"با موفقیت انجام شد\",\n  \"id\" : 1,\n  \"data\" : 12345,\n  \"errors\" : []\n}";
    pub const MOVEMENT: &str = "{\n  \"CreditType\" : \"ارسال\" ,\n  \"Amount\" : 1234 ,\n  \"CreditRemain\" : 4567 ,\n  \"Descriptions\" : \"Description for Credit\" ,\n  \"InsertDate\" : \"2020\\02\\02 14:14:15\" \n}";
}

/// One simulated credit movement.
#[derive(Clone, Debug, Serialize)]
pub struct SimMovement {
    /// The Persian type word.
    pub kind: String,
    pub amount: i64,
    pub remain: i64,
    pub description: String,
    /// Gregorian (year, month, day) and time.
    pub date: (i32, u8, u8),
    pub time: String,
}

/// The simulated Saba Payamak's whole state.
#[derive(Clone, Debug, Serialize)]
pub struct SabaPayamakState {
    /// User name → (password, virtual number).
    pub users: BTreeMap<String, (String, String)>,
    /// Token → expiry (ms after the simulator started).
    pub tokens: BTreeMap<String, u64>,
    /// Oldest first.
    pub movements: Vec<SimMovement>,
    pub credit: i64,
    /// Serve only the provider page's plural `/credits/…` paths (the SDKs' singular ones
    /// answer 404); by default the singular ones are served and the plural answer 404.
    pub plural_only: bool,
    /// Write statement items as the page's PascalCase instead of ASP.NET's camelCase.
    pub pascal_case: bool,
    /// How a statement with no movements is answered.
    pub empty: EmptyStatement,
    /// Write amounts as a .NET `double` may (`1234.0000000000002`).
    pub double_artefacts: bool,
    next: u64,
}

/// How the simulated API answers a statement with no movements.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum EmptyStatement {
    /// `{status: "1002", message: "داده ای وجود ندارد", data: null}`.
    #[default]
    Result1002,
    /// HTTP 204 with no body.
    NoContent,
    /// `status: "200"` with an empty list.
    EmptyList,
}

const KINDS: [&str; 4] = ["ارسال", "دریافت", "شارژ", "برگشت اعتبار"];

impl SabaPayamakState {
    /// The demo account: movements from 1403/01/01 to today, a purchase every 30 days, sends most days,
    /// receives every 3 days and a refund every 45 days.
    pub fn demo() -> SabaPayamakState {
        SabaPayamakState::demo_as_of(jiff::Zoned::now().date())
    }

    /// The demo account as it stands on `today` (its credit grows with every day of history;
    /// a fixed day gives the same credit on every run, as snapshots need).
    pub fn demo_as_of(today: jiff::civil::Date) -> SabaPayamakState {
        let mut movements = Vec::new();
        let mut credit: i64 = 0;
        let start = JalaliDate::new(1403, 1, 1)
            .map(|d| d.to_gregorian())
            .unwrap_or((2024, 3, 20));
        let first = jiff::civil::date(start.0 as i16, start.1 as i8, start.2 as i8);
        // From the start of 1403 to today, so the demo's recent days have movements too.
        for offset in 0..4_000i32 {
            let Ok(day) = first.checked_add(jiff::Span::new().days(offset)) else {
                break;
            };
            if offset >= 366 && day > today {
                break;
            }
            let date = (i32::from(day.year()), day.month() as u8, day.day() as u8);
            let mut push = |kind: usize, amount: i64, time: &str, description: &str| {
                credit += if kind >= 2 { amount } else { -amount };
                movements.push(SimMovement {
                    kind: KINDS[kind].to_string(),
                    amount,
                    remain: credit,
                    description: description.to_string(),
                    date,
                    time: time.to_string(),
                });
            };
            if offset % 30 == 0 {
                push(2, 500_000, "09:00:00", "خرید اعتبار");
            }
            if offset % 7 != 6 {
                push(
                    0,
                    1_000 + i64::from(offset % 9) * 250,
                    "12:30:00",
                    "ارسال پیامک",
                );
            }
            if offset % 3 == 0 {
                push(1, 120, "18:45:10", "دریافت پیامک");
            }
            if offset % 45 == 44 {
                push(3, 2_000, "20:00:00", "برگشت اعتبار پیامک‌های ناموفق");
            }
        }
        SabaPayamakState {
            users: BTreeMap::from([(
                DEMO_USERNAME.to_string(),
                (DEMO_PASSWORD.to_string(), DEMO_VIRTUAL_NUMBER.to_string()),
            )]),
            tokens: BTreeMap::new(),
            movements,
            credit,
            plural_only: false,
            pascal_case: false,
            empty: EmptyStatement::Result1002,
            double_artefacts: false,
            next: 0,
        }
    }

    /// Makes every token expired.
    pub fn expire_tokens(&mut self) {
        for expiry in self.tokens.values_mut() {
            *expiry = 0;
        }
    }
}

fn envelope(status: &str, message: &str, data: &str) -> Response {
    let body = format!(
        "{{\"status\":\"{status}\",\"message\":{},\"id\":1,\"data\":{data},\"errors\":[]}}",
        serde_json::to_string(message).unwrap_or_default()
    );
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn refused() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        envelope("401", "توکن نامعتبر است", "null"),
    )
        .into_response()
}

/// A movement as the API writes it, with the date's invalid `\` escapes kept.
fn movement_json(m: &SimMovement, saba: &SabaPayamakState) -> String {
    let (y, mo, d) = m.date;
    let names = if saba.pascal_case {
        [
            "CreditType",
            "Amount",
            "CreditRemain",
            "Descriptions",
            "InsertDate",
        ]
    } else {
        [
            "creditType",
            "amount",
            "creditRemain",
            "descriptions",
            "insertDate",
        ]
    };
    // A .NET double's shortest round-trip form of a whole number that went through sums.
    let amount = |n: i64| {
        if saba.double_artefacts {
            format!("{n}.0000000000002")
        } else {
            n.to_string()
        }
    };
    format!(
        "{{\"{}\":{},\"{}\":{},\"{}\":{},\"{}\":{},\"{}\":\"{y}\\{mo:02}\\{d:02} {}\"}}",
        names[0],
        serde_json::to_string(&m.kind).unwrap_or_default(),
        names[1],
        amount(m.amount),
        names[2],
        amount(m.remain),
        names[3],
        serde_json::to_string(&m.description).unwrap_or_default(),
        names[4],
        m.time
    )
}

fn list(movements: &[&SimMovement], saba: &SabaPayamakState) -> Response {
    if movements.is_empty() {
        match saba.empty {
            EmptyStatement::Result1002 => {
                return envelope("1002", "داده ای وجود ندارد", "null");
            }
            EmptyStatement::NoContent => return StatusCode::NO_CONTENT.into_response(),
            EmptyStatement::EmptyList => {}
        }
    }
    let items: Vec<String> = movements.iter().map(|m| movement_json(m, saba)).collect();
    envelope(
        "200",
        "با موفقیت انجام شد",
        &format!("[{}]", items.join(",")),
    )
}

fn authorised(state: &SabaPayamakState, headers: &HeaderMap, now: u64) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .and_then(|t| state.tokens.get(t.trim()))
        .is_some_and(|expiry| *expiry > now)
}

async fn authenticate(State(shared): State<Shared>, body: Bytes) -> Response {
    let body = lenient::parse_value(&String::from_utf8_lossy(&body)).unwrap_or(Value::Null);
    let field = |name: &str| match body.get(name) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    let now = shared.elapsed_ms();
    let mut state = lock(&shared.state);
    let saba = &mut state.sabapayamak;
    let known =
        saba.users.get(&field("Username")) == Some(&(field("Password"), field("VirtualNumber")));
    if !known {
        return refused();
    }
    let days: u64 = field("TokenValidDay").parse().unwrap_or(1).clamp(1, 365);
    saba.next += 1;
    let token = format!("saba-token-{:06}", saba.next);
    saba.tokens.insert(token.clone(), now + days * 86_400_000);
    envelope(
        "200",
        "با موفقیت انجام شد",
        // camelCase, as the provider's plugin reads it (`data->token`).
        &json!({"token": token}).to_string(),
    )
}

/// `GET /credit`: the balance, or (singular form) a date-range statement.
async fn credit(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if query.contains_key("StartDate") {
        return range(&shared, &headers, &query, true);
    }
    let now = shared.elapsed_ms();
    let state = lock(&shared.state);
    if !authorised(&state.sabapayamak, &headers, now) {
        return refused();
    }
    envelope(
        "200",
        "با موفقیت انجام شد",
        &state.sabapayamak.credit.to_string(),
    )
}

fn range(
    shared: &Shared,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
    singular: bool,
) -> Response {
    let now = shared.elapsed_ms();
    let state = lock(&shared.state);
    let saba = &state.sabapayamak;
    if saba.plural_only == singular {
        return StatusCode::NOT_FOUND.into_response();
    }
    if !authorised(saba, headers, now) {
        return refused();
    }
    let day = |name: &str| query.get(name).and_then(|d| JalaliDate::parse(d).ok());
    let (Some(from), Some(to)) = (day("StartDate"), day("EndDate")) else {
        return (
            StatusCode::BAD_REQUEST,
            envelope("400", "تاریخ نامعتبر است", "null"),
        )
            .into_response();
    };
    let picked: Vec<&SimMovement> = saba
        .movements
        .iter()
        .filter(|m| {
            JalaliDate::from_gregorian(m.date.0, m.date.1, m.date.2)
                .is_ok_and(|d| d >= from && d <= to)
        })
        .collect();
    list(&picked, saba)
}

fn last(
    shared: &Shared,
    headers: &HeaderMap,
    kind: Option<&str>,
    count: &str,
    singular: bool,
) -> Response {
    let now = shared.elapsed_ms();
    let state = lock(&shared.state);
    let saba = &state.sabapayamak;
    if saba.plural_only == singular {
        return StatusCode::NOT_FOUND.into_response();
    }
    if !authorised(saba, headers, now) {
        return refused();
    }
    let wanted = match kind {
        None => None,
        Some("send-sms") => Some(KINDS[0]),
        Some("recived") => Some(KINDS[1]),
        Some("charge") => Some(KINDS[2]),
        Some("money-back") => Some(KINDS[3]),
        Some(_) => return StatusCode::NOT_FOUND.into_response(),
    };
    let count: usize = count.parse().unwrap_or(0);
    let picked: Vec<&SimMovement> = saba
        .movements
        .iter()
        .rev()
        .filter(|m| wanted.is_none_or(|k| m.kind == k))
        .take(count)
        .collect();
    list(&picked, saba)
}

async fn plural_range(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    range(&shared, &headers, &query, false)
}

async fn plural_last(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(count): Path<String>,
) -> Response {
    last(&shared, &headers, None, &count, false)
}

async fn plural_kind(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path((kind, count)): Path<(String, String)>,
) -> Response {
    last(&shared, &headers, Some(&kind), &count, false)
}

async fn singular_last(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(count): Path<String>,
) -> Response {
    last(&shared, &headers, None, &count, true)
}

async fn singular_kind(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path((kind, count)): Path<(String, String)>,
) -> Response {
    last(&shared, &headers, Some(&kind), &count, true)
}

/// The routes of the simulated Saba Payamak API.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route(
            &format!("{BASE_PATH}/user/authenticate"),
            post(authenticate),
        )
        .route(&format!("{BASE_PATH}/credit"), get(credit))
        .route(&format!("{BASE_PATH}/credits"), get(plural_range))
        .route(&format!("{BASE_PATH}/credits/{{count}}"), get(plural_last))
        .route(
            &format!("{BASE_PATH}/credits/{{kind}}/{{count}}"),
            get(plural_kind),
        )
        .route(&format!("{BASE_PATH}/credit/{{count}}"), get(singular_last))
        .route(
            &format!("{BASE_PATH}/credit/{{kind}}/{{count}}"),
            get(singular_kind),
        )
}
