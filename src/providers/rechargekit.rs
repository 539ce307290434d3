//! RechargeKit prepaid mobile recharge (India), its v2 API as production integrations call it.
//!
//! Authenticates with the partner panel's static API token as `Authorization: Bearer …` (a
//! login for a token is kept as an option), recharges with `mobile_no`, `operator_code`,
//! `circle`, `amount` and OUR `partner_request_id` (its idempotency key), checks status by that
//! same id, reads the wallet, and lists operators live. Replies carry `error` (0 = processed)
//! and `status` (1 success, 2 pending, 3 failure); an HTTP 422 is a validation refusal with
//! field messages. A reused `partner_request_id` is refused as "Duplicate order": that means
//! "ask the status", never "failed". Host, paths and auth are settings; the evidence for each
//! is in `docs/providers/rechargekit.md`.

use std::sync::{LazyLock, Mutex};

use reqwest::{StatusCode, Url};
use serde::Deserialize;
use serde_json::{Value, json};

use super::http::{endpoint, redact, send_and_read, send_and_read_credentials};
use super::lenient::{self, WireDecimal, opt_text};
use super::profile::{OptionSpec, ProfileSettings, ProviderKind};
use super::registry::{
    Capabilities, ConnectError, ConnectParts, Connector, PickList, ProviderInfo, TopUpField,
};
use super::{
    BalanceRead, BoxFuture, OperatorList, OperatorListing, Progress, ProviderError, StatusProgress,
    StatusQuery, StatusReport, TopUp, TopUpReceipt, TopUpRequest, TopUpStatus,
};
use crate::domain::{Country, Money, Unit};
use crate::secrets::{Secret, SecretKind};

// Every v2 integration authenticates with one static token from the partner panel, read from
// its configuration: `Authorization: "Bearer "+os.Getenv("RKIT_API_TOKEN")`
// (Shubhangcs/paybazaar-new, internal/repositories/mobile_recharge.go) and
// `RECHARGEKIT_API_TOKEN` (manishisblessed/same_day_Solution_1, services/rechargekit/config.ts).
// No integration logs in; the login is kept for an account that has one.
const AUTH: OptionSpec = OptionSpec {
    name: "auth_mode",
    help: "token: the partner panel's static API token (the default); login: user name and \
           password exchanged at login_path for a token",
    default: Some("token"),
    allowed: &["token", "login"],
};
const LOGIN_PATH: OptionSpec = OptionSpec {
    name: "login_path",
    help: "the login endpoint under the base URL (auth_mode=login only; no integration shows one)",
    default: Some("auth/login"),
    allowed: &[],
};
const RECHARGE_PATH: OptionSpec = OptionSpec {
    name: "recharge_path",
    help: "the prepaid recharge endpoint",
    default: Some("recharge/prepaid"),
    allowed: &[],
};
const STATUS_PATH: OptionSpec = OptionSpec {
    name: "status_path",
    help: "the status check endpoint",
    default: Some("recharge/statusCheck"),
    allowed: &[],
};
const BALANCE_PATH: OptionSpec = OptionSpec {
    name: "balance_path",
    help: "the wallet balance endpoint",
    default: Some("recharge/balanceCheck"),
    allowed: &[],
};
// `GET recharge/servicewiseOperatorFetch?operator_category=11` lists credit-card operators
// as `operatorList[{operator_id, operator_name, service_name, operator_category,
// operator_category_name}]` (RechargeKit's own "Credit Card API Integration Guide V3.0.0",
// manishisblessed/nextgen, postman/Rechargekit_CC_BILL_API_DOC.docx;
// manishisblessed/same_day_Solution_1, services/rechargekit/operators.ts). The category of
// prepaid mobile is in no source: it is a setting, and a list that is not of mobile operators
// is not used.
const OPERATORS_PATH: OptionSpec = OptionSpec {
    name: "operators_path",
    help: "the live operator list endpoint",
    default: Some("recharge/servicewiseOperatorFetch"),
    allowed: &[],
};
const OPERATOR_CATEGORY: OptionSpec = OptionSpec {
    name: "operator_category",
    help: "the operator_category of prepaid mobile in the live list (see your partner panel)",
    default: Some("1"),
    allowed: &[],
};
const DEST: OptionSpec = OptionSpec {
    name: "dest",
    help: "the optional dest field: online or offline (empty: not sent)",
    default: Some(""),
    allowed: &["online", "offline"],
};

/// RechargeKit's registry entry.
pub const INFO: ProviderInfo = ProviderInfo {
    kind: ProviderKind::Rechargekit,
    word: "rechargekit",
    display_name: "RechargeKit (India)",
    secret_kinds,
    topup_country: Some(Country::India),
    // The recharge host of paybazaar-new since its commit c56e864 ("v2a"); the same partner
    // also has a primary wallet at https://v2bapi.rechargkit.biz (internal/repositories/
    // admin.go). Note the spelling "rechargkit".
    default_base_url: "https://v2a.rechargkit.biz",
    default_settings,
    options: &[
        AUTH,
        LOGIN_PATH,
        RECHARGE_PATH,
        STATUS_PATH,
        BALANCE_PATH,
        OPERATORS_PATH,
        OPERATOR_CATEGORY,
        DEST,
    ],
    capabilities: Capabilities {
        top_up: true,
        top_up_status: true,
        balance: true,
        sub_accounts: false,
        sub_account_credit: false,
        sub_account_create: false,
        sub_account_delete: false,
        child_transfer: false,
        statement: false,
        operator_list: true,
    },
    connect,
    topup_pickers,
    balance_name: rechargekit_balance_name,
};

/// Each host has its own wallet: `v2a` the recharge wallet, `v2bapi` the primary one
/// (Shubhangcs/paybazaar-new, internal/repositories/admin.go reads both).
fn rechargekit_balance_name(profile: &super::Profile) -> Option<&'static str> {
    if profile.base_url.contains("v2bapi.") {
        Some("balance-of-rechargekit-primary")
    } else {
        Some("balance-of-rechargekit-recharge")
    }
}

/// Whether a reply says our reference was used before ("Duplicate order", Laravel's "has
/// already been taken").
fn says_duplicate(raw: &str) -> bool {
    let lower = raw.to_lowercase();
    lower.contains("duplicate") || lower.contains("already been taken")
}

/// Whether an operator list category names prepaid mobile (not postpaid, DTH, cards…).
fn is_prepaid_mobile(category: &str) -> bool {
    let c = category.to_lowercase();
    c.contains("prepaid") || (c.contains("mobile") && !c.contains("postpaid"))
}

/// The static token by default; user name and password with `auth_mode=login`.
fn secret_kinds(settings: &ProfileSettings) -> &'static [SecretKind] {
    if settings.option(&AUTH).as_deref() == Some("login") {
        &[SecretKind::Username, SecretKind::Password]
    } else {
        &[SecretKind::ApiToken]
    }
}

/// Any rupee amount may be recharged: no fixed denominations.
fn default_settings() -> ProfileSettings {
    ProfileSettings {
        unit: Unit::Inr,
        denominations: Vec::new(),
        request_timeout_secs: 30,
        duplicate_window_secs: super::profile::default_duplicate_window(),
        low_balance_minor: None,
        sales_floor_minor: None,
        options: Default::default(),
    }
}

/// Our reference as RechargeKit's alphanumeric `partner_request_id` (the dashes dropped:
/// `SAL-20261122-7K3M9QX2` → `SAL202611227K3M9QX2`, still one-to-one).
pub fn partner_request_id(reference: &crate::domain::Reference) -> String {
    reference
        .as_str()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

fn parse_table(text: &'static str) -> Vec<(u32, &'static str)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (code, name) = l.split_once(',')?;
            Some((code.trim().parse().ok()?, name.trim()))
        })
        .collect()
}

/// The operator codes shipped in `assets/rechargekit/operators.csv`.
pub static OPERATORS: LazyLock<Vec<(u32, &'static str)>> =
    LazyLock::new(|| parse_table(include_str!("../../assets/rechargekit/operators.csv")));

/// The circle codes shipped in `assets/rechargekit/circles.csv`.
pub static CIRCLES: LazyLock<Vec<(u32, &'static str)>> =
    LazyLock::new(|| parse_table(include_str!("../../assets/rechargekit/circles.csv")));

fn topup_pickers() -> Vec<PickList> {
    vec![
        PickList::shipped(TopUpField::Operator, &OPERATORS),
        PickList::shipped(TopUpField::Circle, &CIRCLES),
    ]
}

fn connect(parts: ConnectParts<'_>) -> Result<Connector, ConnectError> {
    let profile = parts.profile;
    let secrets = parts.secrets;
    let setting = |spec: &OptionSpec| profile.settings.option(spec).unwrap_or_default();
    let credentials = if setting(&AUTH) == "login" {
        Credentials::Login {
            username: secrets.get(&profile.name, SecretKind::Username)?,
            password: secrets.get(&profile.name, SecretKind::Password)?,
        }
    } else {
        Credentials::Static(secrets.get(&profile.name, SecretKind::ApiToken)?)
    };
    let adapter = std::sync::Arc::new(RechargeKit {
        http: parts.http,
        base: parts.base,
        credentials,
        paths: Paths {
            login: setting(&LOGIN_PATH),
            recharge: setting(&RECHARGE_PATH),
            status: setting(&STATUS_PATH),
            balance: setting(&BALANCE_PATH),
            operators: setting(&OPERATORS_PATH),
        },
        operator_category: setting(&OPERATOR_CATEGORY),
        dest: Some(setting(&DEST)).filter(|d| !d.is_empty()),
        unit: profile.settings.unit,
        token: Mutex::new(None),
    });
    Ok(Connector {
        top_up: Some(adapter.clone()),
        top_up_status: Some(adapter.clone()),
        balance: Some(adapter.clone()),
        operator_list: Some(adapter),
        ..Connector::default()
    })
}

struct Paths {
    login: String,
    recharge: String,
    status: String,
    balance: String,
    operators: String,
}

/// How the partner account proves who it is.
pub enum Credentials {
    /// The partner panel's API token, sent as it is.
    Static(Secret),
    /// A user name and password exchanged at the login path for a token.
    Login { username: Secret, password: Secret },
}

/// A RechargeKit partner account.
pub struct RechargeKit {
    http: reqwest::Client,
    base: Url,
    credentials: Credentials,
    paths: Paths,
    operator_category: String,
    dest: Option<String>,
    unit: Unit,
    /// The token a login gave (auth_mode=login).
    token: Mutex<Option<Secret>>,
}

/// What an order reply says.
#[derive(Debug)]
pub enum OrderAnswer {
    /// Processed, with the order's state.
    Order {
        progress: StatusProgress,
        orderid: Option<String>,
        message: Option<String>,
        raw: String,
        /// The order's amount, when the reply carries it (status checks do).
        amount: Option<Money>,
    },
    /// Our reference was used before: the order exists; ask its status.
    Duplicate,
}

#[derive(Deserialize)]
struct OrderReply {
    #[serde(default)]
    error: Option<Value>,
    #[serde(default, deserialize_with = "opt_text")]
    msg: Option<String>,
    #[serde(default)]
    status: Option<Value>,
    #[serde(default, deserialize_with = "opt_text")]
    orderid: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    optransid: Option<String>,
    // The status check echoes the order's amount: "Provider response: { error, msg, status,
    // orderid, optransid, amount, commission }" (manishisblessed/same_day_Solution_1,
    // services/rechargekit/statusCheck.ts). No integration shows the number echoed.
    #[serde(default)]
    amount: Option<WireDecimal>,
}

#[derive(Deserialize)]
struct BalanceReply {
    #[serde(default)]
    error: Option<Value>,
    #[serde(default, deserialize_with = "opt_text")]
    msg: Option<String>,
    // `wallet_amount` (and `dmr_wallet_amount`) are numbers: the Go model decodes them as
    // float64 (Shubhangcs/paybazaar-new, internal/models/admin.go). Read as decimals all the
    // same, never through f64.
    #[serde(default)]
    wallet_amount: Option<WireDecimal>,
}

/// A Laravel validation refusal: HTTP 422 `{message, errors: {field: [messages]}}`, read as
/// such by manishisblessed/same_day_Solution_1, services/rechargekit/client.ts.
#[derive(Deserialize)]
struct ValidationReply {
    #[serde(default, deserialize_with = "opt_text")]
    message: Option<String>,
    #[serde(default)]
    errors: Option<serde_json::Map<String, Value>>,
}

#[derive(Deserialize)]
struct OperatorItem {
    #[serde(default)]
    operator_id: Option<Value>,
    #[serde(default)]
    operator_code: Option<Value>,
    #[serde(default, deserialize_with = "opt_text")]
    operator_name: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    operator_category_name: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    service_name: Option<String>,
}

fn find_token(value: &Value) -> Option<String> {
    ["token", "access_token"]
        .iter()
        .find_map(|k| value.get(k).and_then(Value::as_str))
        .or_else(|| {
            value
                .get("data")
                .and_then(|d| d.get("token"))
                .and_then(Value::as_str)
        })
        .map(str::to_string)
}

impl RechargeKit {
    /// An adapter with the default paths and no `dest`.
    pub fn new(
        http: reqwest::Client,
        base: Url,
        credentials: Credentials,
        unit: Unit,
    ) -> RechargeKit {
        let path = |spec: &OptionSpec| spec.default.unwrap_or_default().to_string();
        RechargeKit {
            http,
            base,
            credentials,
            paths: Paths {
                login: path(&LOGIN_PATH),
                recharge: path(&RECHARGE_PATH),
                status: path(&STATUS_PATH),
                balance: path(&BALANCE_PATH),
                operators: path(&OPERATORS_PATH),
            },
            operator_category: path(&OPERATOR_CATEGORY),
            dest: None,
            unit,
            token: Mutex::new(None),
        }
    }

    fn clean(&self, text: &str) -> String {
        let token = self.token.lock().ok().and_then(|t| t.clone());
        let mut secrets: Vec<String> = match &self.credentials {
            Credentials::Static(token) => vec![token.expose().to_string()],
            Credentials::Login { password, .. } => vec![password.expose().to_string()],
        };
        secrets.extend(token.map(|t| t.expose().to_string()));
        redact(text, &secrets)
    }

    /// A 422 validation refusal in words: the message and each field's complaints.
    fn validation_refusal(&self, raw: &str) -> ProviderError {
        let reply: Option<ValidationReply> = lenient::decode(raw).ok();
        let mut said = reply
            .as_ref()
            .and_then(|r| r.message.clone())
            .unwrap_or_else(|| "the provider refused the request's fields".into());
        let fields: Vec<String> = reply
            .and_then(|r| r.errors)
            .into_iter()
            .flatten()
            .map(|(field, messages)| {
                let messages: Vec<String> = match messages {
                    Value::Array(list) => list
                        .iter()
                        .map(|m| m.as_str().map_or_else(|| m.to_string(), str::to_string))
                        .collect(),
                    Value::String(one) => vec![one],
                    other => vec![other.to_string()],
                };
                format!("{field}: {}", messages.join(", "))
            })
            .collect();
        if !fields.is_empty() {
            said = format!("{said} ({})", fields.join("; "));
        }
        ProviderError::Rejected {
            code: Some("422".into()),
            message: format!("not processed: {}", self.clean(&said)),
            raw: self.clean(raw),
        }
    }

    fn malformed(&self, reason: impl Into<String>, raw: &str) -> ProviderError {
        ProviderError::Malformed {
            reason: self.clean(&reason.into()),
            raw: self.clean(raw),
        }
    }

    /// Statuses other than success that the provider may answer before any body is read.
    fn refused_status(&self, status: StatusCode, raw: &str) -> ProviderError {
        match status {
            // A refusal of the token, or of this computer: calls are accepted only from
            // whitelisted addresses ("IPs are not Whitelisted", manishisblessed/nextgen,
            // scripts/diag-rechargekit-direct.ts).
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => ProviderError::Auth {
                message: format!(
                    "the provider refused the API token (HTTP {status}{}): check the token saved \
                     with `saldo credentials set` and that this computer's address is \
                     whitelisted in the RechargeKit partner panel",
                    lenient::parse_value(raw)
                        .ok()
                        .and_then(|v| v.get("msg").and_then(Value::as_str).map(str::to_string))
                        .map(|m| format!(", “{}”", self.clean(&m)))
                        .unwrap_or_default()
                ),
            },
            StatusCode::UNPROCESSABLE_ENTITY => self.validation_refusal(raw),
            StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => ProviderError::Rejected {
                code: Some(status.as_u16().to_string()),
                message: format!(
                    "the provider has no such service (HTTP {status}): check the profile's base \
                     URL and paths"
                ),
                raw: self.clean(raw),
            },
            _ => self.malformed(format!("unexpected HTTP status {status}"), raw),
        }
    }

    /// Interprets a reply to a recharge or a status check.
    pub fn read_order_reply(
        &self,
        status: StatusCode,
        raw: &str,
    ) -> Result<OrderAnswer, ProviderError> {
        if status == StatusCode::UNPROCESSABLE_ENTITY && says_duplicate(raw) {
            // A validation refusal of our reference as already used: the order exists.
            return Ok(OrderAnswer::Duplicate);
        }
        if !status.is_success() {
            return Err(self.refused_status(status, raw));
        }
        let reply: OrderReply = lenient::decode(raw).map_err(|e| self.malformed(e, raw))?;
        let error = reply.error.as_ref().and_then(lenient::value_as_int);
        let message = reply.msg.as_deref().map(|m| self.clean(m.trim()));
        match error {
            Some(0) => {}
            Some(code) => {
                let said = message.unwrap_or_else(|| "no reason given".into());
                if says_duplicate(&said) {
                    return Ok(OrderAnswer::Duplicate);
                }
                return Err(ProviderError::Rejected {
                    code: Some(code.to_string()),
                    message: format!("not processed: {said}"),
                    raw: self.clean(raw),
                });
            }
            None => return Err(self.malformed("the reply has no error field", raw)),
        }
        let progress = match reply.status.as_ref().and_then(lenient::value_as_int) {
            Some(1) => StatusProgress::Delivered,
            Some(2) => StatusProgress::InProgress,
            Some(3) => StatusProgress::Failed,
            other => return Err(self.malformed(format!("unknown status {other:?}"), raw)),
        };
        let operator_ref = reply
            .optransid
            .filter(|o| !o.trim().is_empty())
            .map(|o| format!("operator reference {}", self.clean(&o)));
        let message = match (message.filter(|m| !m.is_empty()), operator_ref) {
            (Some(m), Some(o)) => Some(format!("{m}; {o}")),
            (m, o) => m.or(o),
        };
        let amount = reply
            .amount
            .as_ref()
            .and_then(|a| Money::parse_signed(&a.0, self.unit).ok());
        Ok(OrderAnswer::Order {
            progress,
            amount,
            orderid: reply
                .orderid
                .filter(|o| !o.trim().is_empty())
                .map(|o| self.clean(&o)),
            message,
            raw: self.clean(raw),
        })
    }

    /// Interprets a reply to the wallet balance check.
    pub fn read_balance_reply(
        &self,
        status: StatusCode,
        raw: &str,
    ) -> Result<Money, ProviderError> {
        if !status.is_success() {
            return Err(self.refused_status(status, raw));
        }
        let reply: BalanceReply = lenient::decode(raw).map_err(|e| self.malformed(e, raw))?;
        match (
            reply.error.as_ref().and_then(lenient::value_as_int),
            reply.wallet_amount,
        ) {
            (Some(0), Some(amount)) => Money::parse_signed(&amount.0, self.unit)
                .map_err(|e| self.malformed(format!("wallet amount “{}”: {e}", amount.0), raw)),
            (Some(0), None) => Err(self.malformed("the reply has no wallet_amount", raw)),
            (Some(code), _) => Err(ProviderError::Rejected {
                code: Some(code.to_string()),
                message: reply
                    .msg
                    .map(|m| self.clean(&m))
                    .unwrap_or_else(|| "no reason given".into()),
                raw: self.clean(raw),
            }),
            (None, _) => Err(self.malformed("the reply has no error field", raw)),
        }
    }

    async fn login(&self) -> Result<Secret, ProviderError> {
        let Credentials::Login { username, password } = &self.credentials else {
            return Err(ProviderError::Auth {
                message: "this profile uses a static API token: there is nothing to log in with"
                    .into(),
            });
        };
        let body = json!({
            "username": username.expose(),
            "password": password.expose(),
        });
        let call = self
            .http
            .post(endpoint(&self.base, &self.paths.login))
            .header(reqwest::header::ACCEPT, "application/json")
            .json(&body);
        let (status, raw) = send_and_read_credentials(call).await?;
        let token = lenient::parse_value(&raw)
            .ok()
            .as_ref()
            .and_then(find_token);
        match (status.is_success(), token) {
            (true, Some(token)) => {
                let token = Secret::new(token);
                if let Ok(mut slot) = self.token.lock() {
                    *slot = Some(token.clone());
                }
                Ok(token)
            }
            _ => Err(ProviderError::Auth {
                message: format!(
                    "the login was refused (HTTP {status}): check the user name and password \
                     saved with `saldo credentials set`"
                ),
            }),
        }
    }

    async fn token(&self) -> Result<Secret, ProviderError> {
        if let Credentials::Static(token) = &self.credentials {
            return Ok(token.clone());
        }
        let saved = self.token.lock().ok().and_then(|t| t.clone());
        match saved {
            Some(token) => Ok(token),
            None => self.login().await,
        }
    }

    /// Sends an authorised request. With a login, a refused token (nothing executed) is
    /// renewed by logging in again, once; a static token's refusal is the answer.
    async fn authorised(
        &self,
        build: impl Fn(&Secret) -> reqwest::RequestBuilder,
    ) -> Result<(StatusCode, String), ProviderError> {
        let token = self.token().await.map_err(|e| match e {
            auth @ ProviderError::Auth { .. } => auth,
            other => ProviderError::NotSent {
                reason: format!("could not log in first: {other}"),
            },
        })?;
        let (status, raw) = send_and_read(build(&token)).await?;
        if status != StatusCode::UNAUTHORIZED || matches!(self.credentials, Credentials::Static(_))
        {
            return Ok((status, raw));
        }
        let token = self.login().await.map_err(|e| match e {
            auth @ ProviderError::Auth { .. } => auth,
            other => ProviderError::Auth {
                message: format!(
                    "the login token was refused and logging in again failed: {other}"
                ),
            },
        })?;
        send_and_read(build(&token)).await
    }

    async fn order_status(&self, reference: &str) -> Result<OrderAnswer, ProviderError> {
        let body = json!({ "partner_request_id": reference });
        let (status, raw) = self
            .authorised(|token| {
                self.http
                    .post(endpoint(&self.base, &self.paths.status))
                    .bearer_auth(token.expose())
                    .header(reqwest::header::ACCEPT, "application/json")
                    .json(&body)
            })
            .await?;
        self.read_order_reply(status, &raw)
    }

    async fn recharge(&self, request: &TopUpRequest) -> Result<TopUpReceipt, ProviderError> {
        let number =
            |text: String| serde_json::from_str::<Value>(&text).unwrap_or(Value::String(text));
        let mut body = json!({
            "mobile_no": number(request.destination.national().to_string()),
            "operator_code": request.extras.operator_code,
            "amount": number(request.amount.to_plain_decimal()),
            "partner_request_id": partner_request_id(&request.reference),
            "circle": request.extras.circle_code,
            // A number: paybazaar-new's "fix recharge_type" (commit 4c0c22a) changed "1" to 1.
            "recharge_type": 1,
            "user_var1": "",
            "user_var2": "",
            "user_var3": "",
        });
        if let Some(dest) = &self.dest {
            body["dest"] = Value::String(dest.clone());
        }
        let (status, raw) = self
            .authorised(|token| {
                self.http
                    .post(endpoint(&self.base, &self.paths.recharge))
                    .bearer_auth(token.expose())
                    .header(reqwest::header::ACCEPT, "application/json")
                    .json(&body)
            })
            .await?;
        let answer = match self.read_order_reply(status, &raw)? {
            // Our id is already known to the provider: the order exists. Ask, never refuse —
            // and adopt its status only if it is the order we sent.
            OrderAnswer::Duplicate => {
                let found = self
                    .order_status(&partner_request_id(&request.reference))
                    .await
                    .map_err(|e| ProviderError::MaybeSent {
                        reason: format!(
                            "the provider already has an order {} and its status could not be \
                             read: {e}",
                            request.reference
                        ),
                    })?;
                if let OrderAnswer::Order {
                    amount: Some(amount),
                    ..
                } = &found
                    && *amount != request.amount
                {
                    return Err(ProviderError::MaybeSent {
                        reason: format!(
                            "the provider holds an order under our reference {} for {amount}, \
                             not the {} sent: it is not taken as this top-up; check it with the \
                             provider",
                            request.reference, request.amount
                        ),
                    });
                }
                found
            }
            order => order,
        };
        match answer {
            OrderAnswer::Order {
                progress: StatusProgress::Failed,
                message,
                raw,
                ..
            } => Err(ProviderError::Rejected {
                code: Some("status 3".into()),
                message: message.unwrap_or_else(|| "the recharge failed".into()),
                raw,
            }),
            OrderAnswer::Order {
                progress,
                orderid,
                message,
                raw,
                ..
            } => Ok(TopUpReceipt {
                provider_ref: orderid,
                progress: if progress == StatusProgress::Delivered {
                    Progress::Delivered
                } else {
                    Progress::InProgress
                },
                message,
                raw,
            }),
            OrderAnswer::Duplicate => {
                Err(self.malformed("the status check answered \"duplicate\"", "[status check]"))
            }
        }
    }

    async fn status(&self, query: StatusQuery<'_>) -> Result<StatusReport, ProviderError> {
        let answer = match self
            .order_status(&partner_request_id(query.reference))
            .await
        {
            // Only the provider's own "not found" (an `error` code in a reply), never an HTTP
            // 404/405 of a wrong path or a 422: those say nothing about the order.
            Err(ProviderError::Rejected { code, message, raw })
                if message.to_lowercase().contains("not found")
                    && !matches!(code.as_deref(), Some("404" | "405" | "422")) =>
            {
                return Ok(StatusReport {
                    progress: StatusProgress::NotFound,
                    message: Some(message),
                    raw,
                    amount: None,
                });
            }
            other => other?,
        };
        match answer {
            OrderAnswer::Order {
                progress,
                message,
                raw,
                amount,
                ..
            } => Ok(StatusReport {
                progress,
                message,
                raw,
                amount,
            }),
            OrderAnswer::Duplicate => {
                Err(self.malformed("the status check answered \"duplicate\"", "[status check]"))
            }
        }
    }

    async fn wallet(&self) -> Result<Money, ProviderError> {
        let (status, raw) = self
            .authorised(|token| {
                self.http
                    .get(endpoint(&self.base, &self.paths.balance))
                    .bearer_auth(token.expose())
                    .header(reqwest::header::ACCEPT, "application/json")
            })
            .await?;
        self.read_balance_reply(status, &raw)
    }
}

impl RechargeKit {
    /// Interprets a reply to the live operator list: the mobile operators with their codes.
    pub fn read_operator_reply(
        &self,
        status: StatusCode,
        raw: &str,
    ) -> Result<OperatorListing, ProviderError> {
        if !status.is_success() {
            return Err(self.refused_status(status, raw));
        }
        let value = lenient::parse_value(raw).map_err(|e| self.malformed(e, raw))?;
        match value.get("error").and_then(lenient::value_as_int) {
            Some(0) | None => {}
            Some(code) => {
                return Err(ProviderError::Rejected {
                    code: Some(code.to_string()),
                    message: format!(
                        "the operator list was refused: {}",
                        value
                            .get("msg")
                            .and_then(Value::as_str)
                            .map(|m| self.clean(m))
                            .unwrap_or_else(|| "no reason given".into())
                    ),
                    raw: self.clean(raw),
                });
            }
        }
        // `operatorList` in the guide's sample; integrations also accept a bare list or `data`.
        let list = ["operatorList", "operator_list", "operators", "data"]
            .iter()
            .find_map(|k| value.get(k).filter(|v| v.is_array()))
            .or(Some(&value).filter(|v| v.is_array()))
            .cloned()
            .ok_or_else(|| self.malformed("the reply has no operatorList", raw))?;
        let items: Vec<OperatorItem> = serde_json::from_value(list)
            .map_err(|e| self.malformed(format!("operatorList: {e}"), raw))?;
        let mut operators = Vec::new();
        let mut categories = Vec::new();
        let mut other_services = 0usize;
        for item in &items {
            let category: Vec<&String> = [&item.operator_category_name, &item.service_name]
                .into_iter()
                .flatten()
                .collect();
            categories.extend(category.iter().map(|c| c.to_string()));
            // Only operators of prepaid mobile are offered: an item of another service is left
            // out, one without a category is kept only if the list names none at all.
            if !category.is_empty() && !category.iter().any(|c| is_prepaid_mobile(c)) {
                other_services += 1;
                continue;
            }
            let code = item
                .operator_code
                .as_ref()
                .or(item.operator_id.as_ref())
                .and_then(lenient::value_as_int)
                .and_then(|c| u32::try_from(c).ok());
            let name = item.operator_name.as_deref().map(str::trim).unwrap_or("");
            if let (Some(code), false) = (code, name.is_empty()) {
                operators.push((code, self.clean(name)));
            }
        }
        if operators.is_empty() && other_services > 0 {
            categories.sort();
            categories.dedup();
            return Err(ProviderError::Rejected {
                code: None,
                message: format!(
                    "the live list of operator_category {} holds {} operators, not prepaid \
                     mobile ones: set the profile's operator_category to prepaid mobile's",
                    self.operator_category,
                    categories.join(", ")
                ),
                raw: self.clean(raw),
            });
        }
        if operators.is_empty() {
            return Err(self.malformed("the operator list is empty", raw));
        }
        Ok(OperatorListing {
            operators,
            raw: self.clean(raw),
        })
    }

    async fn fetch_operators(&self) -> Result<OperatorListing, ProviderError> {
        let (status, raw) = self
            .authorised(|token| {
                self.http
                    .get(endpoint(&self.base, &self.paths.operators))
                    .query(&[("operator_category", self.operator_category.as_str())])
                    .bearer_auth(token.expose())
                    .header(reqwest::header::ACCEPT, "application/json")
            })
            .await?;
        self.read_operator_reply(status, &raw)
    }
}

impl OperatorList for RechargeKit {
    fn operators(&self) -> BoxFuture<'_, Result<OperatorListing, ProviderError>> {
        Box::pin(self.fetch_operators())
    }
}

impl TopUp for RechargeKit {
    fn top_up<'a>(
        &'a self,
        request: &'a TopUpRequest,
    ) -> BoxFuture<'a, Result<TopUpReceipt, ProviderError>> {
        Box::pin(self.recharge(request))
    }
}

impl TopUpStatus for RechargeKit {
    fn needs_provider_ref(&self) -> bool {
        false
    }

    fn deduplicates_by_reference(&self) -> bool {
        true
    }

    fn top_up_status<'a>(
        &'a self,
        query: StatusQuery<'a>,
    ) -> BoxFuture<'a, Result<StatusReport, ProviderError>> {
        Box::pin(self.status(query))
    }
}

impl BalanceRead for RechargeKit {
    fn balance(&self) -> BoxFuture<'_, Result<Money, ProviderError>> {
        Box::pin(self.wallet())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_reference_becomes_an_alphanumeric_partner_request_id() {
        let reference = crate::domain::Reference::from_text("SAL-20261122-7K3M9QX2");
        assert_eq!(partner_request_id(&reference), "SAL202611227K3M9QX2");
    }

    #[test]
    fn shipped_tables_resolve_names_and_codes() {
        use crate::providers::registry::resolve_extras;
        assert_eq!(OPERATORS.len(), 5);
        assert_eq!(CIRCLES.len(), 23);
        let lists = topup_pickers();
        let extras = resolve_extras(&lists, Some("airtel"), Some("West Bengal")).unwrap();
        assert_eq!(extras.operator_code, Some(1));
        assert_eq!(extras.circle_code, Some(23));
        // The codes of KavkiTechnologies/RechargeApis' OperatorCodes.java.
        let jio = resolve_extras(&lists, Some("Jio"), Some("5")).unwrap();
        assert_eq!(jio.operator_code, Some(103));
        let vi = resolve_extras(&lists, Some("1167"), Some("5")).unwrap();
        assert_eq!(vi.operator_code, Some(1167));
        let err = resolve_extras(&lists, Some("Orange"), Some("Mumbai")).unwrap_err();
        assert!(
            err.contains("not a known operator") && err.contains("Jio"),
            "{err}"
        );
        let err = resolve_extras(&lists, Some("Jio"), None).unwrap_err();
        assert!(err.starts_with("choose the circle"), "{err}");
        let err = resolve_extras(&[], Some("Jio"), None).unwrap_err();
        assert!(err.contains("takes no operator"), "{err}");
    }
}
