//! The simulated Marketext API: main accounts with point balances, child accounts, expiring
//! access tokens renewed by refresh tokens, and replies in JSON, XML, CSV or urlencoded
//! (`format` wins over `Accept`). As the provider's refresh page requires, a renewal must carry
//! an access token of the account (the expired one) in `Authorization`; every token has a
//! scope, and a token whose scope lacks `topup` is refused with 403 (see
//! `docs/providers/marketext.md`).

use std::collections::{BTreeMap, HashMap};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Serialize;

use super::{Shared, lock};

/// Where the simulated Marketext API lives on the simulator.
pub const BASE_PATH: &str = "/marketext";
/// The demo main account id (`api_id_source`).
pub const DEMO_SOURCE: &str = "mx-main-001";
/// The demo main account's user id.
pub const DEMO_USER: &str = "demo-user";
/// The demo access token.
pub const DEMO_ACCESS: &str = "demo-marketext-access";
/// The demo refresh token.
pub const DEMO_REFRESH: &str = "demo-marketext-refresh";
/// The demo main account's points.
pub const DEMO_POINTS: i64 = 100_000;
/// The demo child accounts.
pub const DEMO_CHILDREN: [&str; 3] = ["mx-child-01", "mx-child-02", "mx-child-03"];

const UNAUTHORIZED: &str =
    "No autorizado. Error de autenticación o no se proporcionó la información de autenticación";
const NOT_FOUND: &str = "No encontrado. El recurso no existe.";
// Worded by us: no source shows the provider's text for a call outside a token's scope.
const FORBIDDEN: &str = "Prohibido. El token no tiene permiso para este recurso (scope)";

/// The document's own example bodies, byte for byte, one per response format.
pub mod examples {
    pub const OK_JSON: &str = "{ \"status\" => \"OK\" }";
    pub const OK_XML: &str = "<?xml version=\"1.0\"?> <respuesta><status>OK</status></respuesta>";
    pub const OK_CSV: &str = "OK";
    pub const OK_URLENCODED: &str = "status=OK";
    pub const ERROR_JSON: &str = "{ \"error\": \"No autorizado. Error de autenticación o no se proporcionó la información de autenticación\" }";
    pub const ERROR_XML: &str = "<?xml version=\"1.0\"?> <respuesta> <error>No autorizado. Error de autenticación o no se proporcionó la información de autenticación</error> </respuesta>";
    pub const ERROR_CSV: &str =
        "No autorizado. Error de autenticación o no se proporcionó la información de autenticación";
    pub const ERROR_URLENCODED: &str = "error=No encontrado. El URI no coincide con ninguno de los recursos disponibles, o, si solicita un recurso con un identificador, el recurso no existe -> No encontrado. El código buscado no existe";
}

/// The scope the demo tokens carry.
pub const TOPUP_SCOPE: &str = "topup send-sms";

/// A simulated access token.
#[derive(Clone, Debug, Serialize)]
pub struct AccessToken {
    /// The main account it belongs to.
    pub owner: String,
    /// When it expires, in ms after the simulator started.
    pub expiry_ms: u64,
    /// The calls it may make, space-separated (`topup`, `send-sms`).
    pub scope: String,
}

/// A simulated main account.
#[derive(Clone, Debug, Serialize)]
pub struct MainAccount {
    pub user: String,
    pub points: i64,
}

/// The simulated Marketext's whole state.
#[derive(Clone, Debug, Serialize)]
pub struct MarketextState {
    pub main_accounts: BTreeMap<String, MainAccount>,
    pub children: BTreeMap<String, i64>,
    /// Access tokens ever issued, expired ones included (a renewal presents one).
    pub access_tokens: BTreeMap<String, AccessToken>,
    /// Refresh token → main account; each is used once.
    pub refresh_tokens: BTreeMap<String, String>,
    /// How many transfers were executed (for tests: exactly-once checks).
    pub transfers: Vec<(String, String, i64)>,
    next_token: u64,
}

impl MarketextState {
    /// One demo main account with its token pair (valid for a day) and three children.
    pub fn demo() -> MarketextState {
        MarketextState {
            main_accounts: BTreeMap::from([(
                DEMO_SOURCE.to_string(),
                MainAccount {
                    user: DEMO_USER.to_string(),
                    points: DEMO_POINTS,
                },
            )]),
            children: DEMO_CHILDREN.iter().map(|c| (c.to_string(), 0)).collect(),
            access_tokens: BTreeMap::from([(
                DEMO_ACCESS.to_string(),
                AccessToken {
                    owner: DEMO_SOURCE.to_string(),
                    expiry_ms: 86_400_000,
                    scope: TOPUP_SCOPE.to_string(),
                },
            )]),
            refresh_tokens: BTreeMap::from([(DEMO_REFRESH.to_string(), DEMO_SOURCE.to_string())]),
            transfers: Vec::new(),
            next_token: 1,
        }
    }

    /// Makes every access token expired, as after a day without use.
    pub fn expire_access_tokens(&mut self) {
        for token in self.access_tokens.values_mut() {
            token.expiry_ms = 0;
        }
    }

    /// Gives every access token this scope (renewals keep it), e.g. `send-sms` only.
    pub fn set_scope(&mut self, scope: &str) {
        for token in self.access_tokens.values_mut() {
            token.scope = scope.to_string();
        }
    }
}

#[derive(Clone, Copy)]
enum Format {
    Json,
    Xml,
    Csv,
    UrlEncoded,
}

fn negotiate(params: &HashMap<String, String>, headers: &HeaderMap) -> Format {
    let by_word = |word: &str| match word.trim().to_ascii_lowercase().as_str() {
        "xml" | "application/xml" => Some(Format::Xml),
        "csv" | "text/csv" => Some(Format::Csv),
        "urlencoded"
        | "application/x-www-form-url-encoded"
        | "application/x-www-form-urlencoded" => Some(Format::UrlEncoded),
        "json" | "application/json" => Some(Format::Json),
        _ => None,
    };
    params
        .get("format")
        .and_then(|f| by_word(f))
        .or_else(|| {
            headers
                .get(header::ACCEPT)
                .and_then(|a| a.to_str().ok())
                .and_then(|a| a.split(',').find_map(by_word))
        })
        .unwrap_or(Format::Json)
}

fn reply(format: Format, status: StatusCode, key: &str, text: &str) -> Response {
    let (content_type, body) = match format {
        Format::Json => (
            "application/json",
            serde_json::json!({ key: text }).to_string(),
        ),
        Format::Xml => (
            "application/xml",
            format!("<?xml version=\"1.0\"?> <respuesta><{key}>{text}</{key}></respuesta>"),
        ),
        Format::Csv => ("text/csv", text.to_string()),
        Format::UrlEncoded => (
            "application/x-www-form-urlencoded",
            url::form_urlencoded::Serializer::new(String::new())
                .append_pair(key, text)
                .finish(),
        ),
    };
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// Query and form parameters together (the API takes either).
fn params(query: Option<String>, body: &Bytes) -> HashMap<String, String> {
    let mut all: HashMap<String, String> = url::form_urlencoded::parse(body).into_owned().collect();
    if let Some(query) = query {
        all.extend(url::form_urlencoded::parse(query.as_bytes()).into_owned());
    }
    all
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    matches!(scheme, "Token" | "Bearer").then(|| token.trim().to_string())
}

async fn topup(
    State(shared): State<Shared>,
    Path((source, target)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = params(query, &body);
    let format = negotiate(&params, &headers);
    let now = shared.elapsed_ms();
    let mut state = lock(&shared.state);
    let mx = &mut state.marketext;
    let token = bearer(&headers)
        .and_then(|token| mx.access_tokens.get(&token).cloned())
        .filter(|token| token.expiry_ms > now);
    let Some(token) = token else {
        return reply(format, StatusCode::UNAUTHORIZED, "error", UNAUTHORIZED);
    };
    if !token.scope.split(' ').any(|s| s == "topup") {
        return reply(format, StatusCode::FORBIDDEN, "error", FORBIDDEN);
    }
    let owner = token.owner;
    let Some(user) = params.get("user").filter(|u| !u.is_empty()) else {
        return reply(
            format,
            StatusCode::BAD_REQUEST,
            "error",
            "user no definido.",
        );
    };
    let Some(amount) = params.get("amount").filter(|a| !a.is_empty()) else {
        return reply(
            format,
            StatusCode::BAD_REQUEST,
            "error",
            "amount no definido",
        );
    };
    let Ok(amount) = amount.trim().parse::<i64>() else {
        return reply(format, StatusCode::BAD_REQUEST, "error", "amount no válido");
    };
    if amount < 0 {
        return reply(
            format,
            StatusCode::BAD_REQUEST,
            "error",
            "No se permiten valores negativos",
        );
    }
    if owner != source || !mx.children.contains_key(&target) {
        return reply(format, StatusCode::NOT_FOUND, "error", NOT_FOUND);
    }
    let Some(main) = mx.main_accounts.get_mut(&source) else {
        return reply(format, StatusCode::NOT_FOUND, "error", NOT_FOUND);
    };
    if &main.user != user {
        return reply(format, StatusCode::UNAUTHORIZED, "error", UNAUTHORIZED);
    }
    if main.points < amount {
        return reply(
            format,
            StatusCode::UNAUTHORIZED,
            "error",
            "saldo insuficiente",
        );
    }
    main.points -= amount;
    *mx.children.entry(target.clone()).or_default() += amount;
    mx.transfers.push((source, target, amount));
    reply(format, StatusCode::OK, "status", "OK")
}

async fn token(
    State(shared): State<Shared>,
    Path(api_id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = params(query, &body);
    let now = shared.elapsed_ms();
    let mut state = lock(&shared.state);
    let mx = &mut state.marketext;
    // The refresh page: the expired access token goes in `Authorization`.
    let presented = bearer(&headers).and_then(|token| mx.access_tokens.get(&token).cloned());
    let Some(presented) = presented.filter(|t| t.owner == api_id) else {
        let body = serde_json::json!({"error": UNAUTHORIZED}).to_string();
        return (
            StatusCode::UNAUTHORIZED,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
    };
    let refresh = params.get("refresh_token").cloned().unwrap_or_default();
    let valid = params.get("grant_type").map(String::as_str) == Some("refresh_token")
        && mx.refresh_tokens.get(&refresh) == Some(&api_id)
        && mx
            .main_accounts
            .get(&api_id)
            .is_some_and(|m| Some(&m.user) == params.get("user"));
    if !valid {
        let body = serde_json::json!({"error": "refresh_token no válido"}).to_string();
        return (
            StatusCode::UNAUTHORIZED,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
    }
    let lifetime: u64 = params
        .get("token_lifetime")
        .and_then(|l| l.parse().ok())
        .unwrap_or(86_400);
    mx.refresh_tokens.remove(&refresh);
    mx.next_token += 1;
    let access = format!("mx-access-{:06}", mx.next_token);
    let next_refresh = format!("mx-refresh-{:06}", mx.next_token);
    mx.access_tokens.insert(
        access.clone(),
        AccessToken {
            owner: api_id.clone(),
            expiry_ms: now + lifetime * 1000,
            scope: presented.scope.clone(),
        },
    );
    mx.refresh_tokens.insert(next_refresh.clone(), api_id);
    // The refresh page's reply: access_token, token_type "Bearer", expires_in, refresh_token,
    // scope.
    let body = serde_json::json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": lifetime,
        "refresh_token": next_refresh,
        "scope": presented.scope,
    });
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// The routes of the simulated Marketext API.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route(
            &format!("{BASE_PATH}/topup/{{source}}/{{target}}"),
            post(topup),
        )
        .route(&format!("{BASE_PATH}/token/{{api_id}}"), post(token))
}
