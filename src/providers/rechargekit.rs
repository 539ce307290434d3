//! RechargeKit prepaid mobile recharge (India).
//!
//! Logs in with username and password for a bearer token (renewed when refused), recharges with
//! `mobile_no`, `operator_code`, `circle`, `amount` and OUR `partner_request_id` (its idempotency
//! key), checks status by that same id, and reads the wallet. Replies carry `error` (0 =
//! processed) and `status` (1 success, 2 pending, 3 failure). A reused `partner_request_id` is
//! refused as "Duplicate order": that means "ask the status", never "failed". Paths and host
//! are settings: they come from integrations, not the official page.

use std::sync::{LazyLock, Mutex};

use reqwest::{StatusCode, Url};
use serde::Deserialize;
use serde_json::{Value, json};

use super::http::{endpoint, redact, send_and_read, send_and_read_credentials};
use super::lenient::{self, WireDecimal, opt_text};
use super::profile::{OptionSpec, ProfileSettings, ProviderKind};
use super::registry::{
    Capabilities, ConnectError, ConnectParts, Connector, ProviderInfo, TopUpField,
};
use super::{
    BalanceRead, BoxFuture, Progress, ProviderError, StatusProgress, StatusQuery, StatusReport,
    TopUp, TopUpExtras, TopUpReceipt, TopUpRequest, TopUpStatus,
};
use crate::domain::{Country, Money, Unit};
use crate::secrets::{Secret, SecretKind};

const LOGIN_PATH: OptionSpec = OptionSpec {
    name: "login_path",
    help: "the login endpoint under the base URL",
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
    secret_kinds: &[SecretKind::Username, SecretKind::Password],
    topup_country: Some(Country::India),
    default_base_url: "https://api.rechargekit.co.in/api",
    default_settings,
    options: &[LOGIN_PATH, RECHARGE_PATH, STATUS_PATH, BALANCE_PATH, DEST],
    capabilities: Capabilities {
        top_up: true,
        top_up_status: true,
        balance: true,
        sub_accounts: false,
        sub_account_credit: false,
        sub_account_create: false,
        child_transfer: false,
        statement: false,
    },
    connect,
    topup_extras,
    topup_pickers,
};

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

/// Finds a code by name (case-insensitive) or by the code itself.
fn pick(table: &[(u32, &str)], what: &str, choice: Option<&str>) -> Result<u32, String> {
    let listing = || {
        table
            .iter()
            .map(|(_, name)| *name)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let choice = choice
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| format!("choose the {what}: {}", listing()))?;
    table
        .iter()
        .find(|(code, name)| name.eq_ignore_ascii_case(choice) || code.to_string() == choice)
        .map(|(code, _)| *code)
        .ok_or_else(|| {
            format!(
                "“{choice}” is not a known {what}: choose one of {}",
                listing()
            )
        })
}

fn topup_pickers() -> Vec<(TopUpField, Vec<&'static str>)> {
    let names = |table: &[(u32, &'static str)]| table.iter().map(|(_, n)| *n).collect();
    vec![
        (TopUpField::Operator, names(&OPERATORS)),
        (TopUpField::Circle, names(&CIRCLES)),
    ]
}

fn topup_extras(operator: Option<&str>, circle: Option<&str>) -> Result<TopUpExtras, String> {
    Ok(TopUpExtras {
        operator_code: Some(pick(&OPERATORS, "operator", operator)?),
        circle_code: Some(pick(&CIRCLES, "circle", circle)?),
    })
}

fn connect(parts: ConnectParts<'_>) -> Result<Connector, ConnectError> {
    let profile = parts.profile;
    let secrets = parts.secrets;
    let setting = |spec: &OptionSpec| profile.settings.option(spec).unwrap_or_default();
    let adapter = std::sync::Arc::new(RechargeKit {
        http: parts.http,
        base: parts.base,
        username: secrets.get(&profile.name, SecretKind::Username)?,
        password: secrets.get(&profile.name, SecretKind::Password)?,
        paths: Paths {
            login: setting(&LOGIN_PATH),
            recharge: setting(&RECHARGE_PATH),
            status: setting(&STATUS_PATH),
            balance: setting(&BALANCE_PATH),
        },
        dest: Some(setting(&DEST)).filter(|d| !d.is_empty()),
        unit: profile.settings.unit,
        token: Mutex::new(None),
    });
    Ok(Connector {
        top_up: Some(adapter.clone()),
        top_up_status: Some(adapter.clone()),
        balance: Some(adapter),
        ..Connector::default()
    })
}

struct Paths {
    login: String,
    recharge: String,
    status: String,
    balance: String,
}

/// A RechargeKit partner account.
pub struct RechargeKit {
    http: reqwest::Client,
    base: Url,
    username: Secret,
    password: Secret,
    paths: Paths,
    dest: Option<String>,
    unit: Unit,
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
    #[serde(default)]
    wallet_amount: Option<WireDecimal>,
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
    /// An adapter with the default paths and no `dest`, logging in with these credentials.
    pub fn new(
        http: reqwest::Client,
        base: Url,
        username: Secret,
        password: Secret,
        unit: Unit,
    ) -> RechargeKit {
        let path = |spec: &OptionSpec| spec.default.unwrap_or_default().to_string();
        RechargeKit {
            http,
            base,
            username,
            password,
            paths: Paths {
                login: path(&LOGIN_PATH),
                recharge: path(&RECHARGE_PATH),
                status: path(&STATUS_PATH),
                balance: path(&BALANCE_PATH),
            },
            dest: None,
            unit,
            token: Mutex::new(None),
        }
    }

    fn clean(&self, text: &str) -> String {
        let token = self.token.lock().ok().and_then(|t| t.clone());
        let mut secrets = vec![self.password.expose().to_string()];
        secrets.extend(token.map(|t| t.expose().to_string()));
        redact(text, &secrets)
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
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => ProviderError::Auth {
                message: format!("the provider refused the login token (HTTP {status})"),
            },
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
                if said.to_lowercase().contains("duplicate") {
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
        let body = json!({
            "username": self.username.expose(),
            "password": self.password.expose(),
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
        let saved = self.token.lock().ok().and_then(|t| t.clone());
        match saved {
            Some(token) => Ok(token),
            None => self.login().await,
        }
    }

    /// Sends an authorised request; a refused token (nothing executed) is renewed by logging in
    /// again, once.
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
        if status != StatusCode::UNAUTHORIZED {
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
            "recharge_type": "1",
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
            Err(ProviderError::Rejected { message, raw, .. })
                if message.to_lowercase().contains("not found") =>
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
        assert_eq!(OPERATORS.len(), 5);
        assert_eq!(CIRCLES.len(), 23);
        let extras = topup_extras(Some("airtel"), Some("West Bengal")).unwrap();
        assert_eq!(extras.operator_code, Some(1));
        assert_eq!(extras.circle_code, Some(23));
        assert_eq!(
            topup_extras(Some("3"), Some("5")).unwrap().operator_code,
            Some(3)
        );
        let err = topup_extras(Some("Orange"), Some("Mumbai")).unwrap_err();
        assert!(
            err.contains("not a known operator") && err.contains("Jio"),
            "{err}"
        );
        let err = topup_extras(Some("Jio"), None).unwrap_err();
        assert!(err.starts_with("choose the circle"), "{err}");
    }
}
