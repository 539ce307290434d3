//! QvaTel v1.1 phone recharge (Cuba).
//!
//! `POST {base}/recharge/send` (form: `api_token`, `destino`, `monto`),
//! `GET {base}/recharge/status?api_token&id_recarga`, `GET {base}/account/recharge-balance?api_token`.
//! Replies are `{result: 1|0, …}`; the documented examples use single quotes and trailing commas.
//! QvaTel has no client reference: a send that times out cannot be looked up, so it is never
//! retried automatically.

use reqwest::{StatusCode, Url};
use serde::Deserialize;

use super::http::{endpoint, redact, send_and_read};
use super::lenient::{self, WireDecimal, int_or_text, opt_text};
use super::{
    BalanceRead, BoxFuture, Progress, ProviderError, StatusProgress, StatusQuery, StatusReport,
    TopUp, TopUpReceipt, TopUpRequest, TopUpStatus,
};
use std::sync::Arc;

use super::profile::{ProfileSettings, ProviderKind};
use super::registry::{
    Capabilities, ConnectError, ConnectParts, Connector, ProviderInfo, no_topup_pickers,
};
use crate::domain::{Country, Money, Unit};
use crate::secrets::{Secret, SecretKind};

/// QvaTel's registry entry.
pub const INFO: ProviderInfo = ProviderInfo {
    kind: ProviderKind::Qvatel,
    word: "qvatel",
    display_name: "QvaTel (Cuba)",
    secret_kinds: |_| &[SecretKind::ApiToken],
    topup_country: Some(Country::Cuba),
    default_base_url: "https://qvatel.com/api",
    default_settings,
    options: &[],
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
        operator_list: false,
    },
    connect,
    topup_pickers: no_topup_pickers,
    balance_name: |_| Some("balance-of-qvatel"),
};

/// The QvaTel document lists "20.00 or 15.00" and no currency (USD is what Cuban top-ups are
/// sold in abroad): both are per-profile settings.
fn default_settings() -> ProfileSettings {
    ProfileSettings {
        unit: Unit::Usd,
        denominations: vec![1500, 2000],
        request_timeout_secs: 20,
        duplicate_window_secs: super::profile::default_duplicate_window(),
        low_balance_minor: None,
        sales_floor_minor: None,
        options: Default::default(),
    }
}

fn connect(parts: ConnectParts<'_>) -> Result<Connector, ConnectError> {
    let token = parts
        .secrets
        .get(&parts.profile.name, SecretKind::ApiToken)?;
    let unit = parts.profile.settings.unit;
    let adapter = Arc::new(QvaTel::new(parts.http, parts.base, token, unit));
    Ok(Connector {
        top_up: Some(adapter.clone()),
        top_up_status: Some(adapter.clone()),
        balance: Some(adapter),
        ..Connector::default()
    })
}

/// The only `estado` QvaTel documents for a recharge.
pub const DELIVERED_STATE: &str = "Recargado";

/// What a recharge's `estado` says. Only "Recargado" is documented; the same API reports an
/// SMS as `Entregado`, `Pendiente` or `Fallido` (egutierrezr421/smsprosend,
/// backend/models/business/Sms.php and modules/v1/controllers/ReceiveController.php), so those
/// words and their like (`Rechazado`, `Cancelado`, `Error`) are read the same way. `None` for a
/// word nobody has seen: not final, kept with the operation for a person to see.
pub fn estado_progress(estado: &str) -> Option<StatusProgress> {
    let word = estado.trim().to_lowercase();
    let word = word.trim_end_matches(['.', '!']);
    match word {
        "recargado" | "recargada" | "entregado" | "entregada" | "completado" | "completada" => {
            Some(StatusProgress::Delivered)
        }
        "pendiente" | "en proceso" | "procesando" | "enviado" | "enviada" => {
            Some(StatusProgress::InProgress)
        }
        "fallido" | "fallida" | "rechazado" | "rechazada" | "cancelado" | "cancelada" | "error"
        | "fallo" => Some(StatusProgress::Failed),
        _ => None,
    }
}

/// A QvaTel account reached through one API token.
pub struct QvaTel {
    http: reqwest::Client,
    base: Url,
    token: Secret,
    unit: Unit,
}

#[derive(Deserialize)]
struct SendReply {
    #[serde(deserialize_with = "int_or_text")]
    result: i64,
    #[serde(default, deserialize_with = "opt_text")]
    id_recarga: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    error: Option<String>,
}

#[derive(Deserialize)]
struct StatusReply {
    #[serde(deserialize_with = "int_or_text")]
    result: i64,
    #[serde(default, deserialize_with = "opt_text")]
    estado: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    error: Option<String>,
}

#[derive(Deserialize)]
struct BalanceReply {
    #[serde(deserialize_with = "int_or_text")]
    result: i64,
    #[serde(default)]
    balance: Option<WireDecimal>,
    #[serde(default, deserialize_with = "opt_text")]
    error: Option<String>,
}

impl QvaTel {
    /// An adapter for the account behind `token` at `base` (e.g. `https://qvatel.com/api`).
    pub fn new(http: reqwest::Client, base: Url, token: Secret, unit: Unit) -> QvaTel {
        QvaTel {
            http,
            base,
            token,
            unit,
        }
    }

    fn clean(&self, raw: &str) -> String {
        redact(raw, &[self.token.expose()])
    }

    /// Interprets a reply whose HTTP status is not a success. QvaTel documents refusals as
    /// `result: 0` bodies, so only those, bad credentials and a missing route count as clear
    /// refusals; anything else (a redirect, a proxy's error page) leaves the outcome unknown.
    fn refused(&self, status: StatusCode, raw: &str) -> ProviderError {
        let said = lenient::parse_value(raw).ok().and_then(|v| {
            let refused = v.get("result").and_then(lenient::value_as_int) == Some(0);
            let error = v.get("error").map(|e| match e {
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            });
            refused.then(|| error.unwrap_or_else(|| format!("HTTP {status}")))
        });
        match (status, said) {
            (StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN, said) => ProviderError::Auth {
                message: self.clean(&said.unwrap_or_else(|| format!("HTTP {status}"))),
            },
            (_, Some(message)) => ProviderError::Rejected {
                code: Some(status.as_u16().to_string()),
                message: self.clean(&message),
                raw: self.clean(raw),
            },
            (StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED, None) => {
                ProviderError::Rejected {
                    code: Some(status.as_u16().to_string()),
                    message: format!(
                        "the provider has no such service (HTTP {status}): check the profile's \
                         base URL"
                    ),
                    raw: self.clean(raw),
                }
            }
            (_, None) => self.malformed(format!("unexpected HTTP status {status}"), raw),
        }
    }

    /// A `result: 0` reply: a refusal, or bad credentials when the text says so.
    fn provider_error(&self, error: Option<String>, raw: &str) -> ProviderError {
        let message = self.clean(&error.unwrap_or_else(|| "no reason given".to_string()));
        if message.to_lowercase().contains("token") {
            ProviderError::Auth { message }
        } else {
            ProviderError::Rejected {
                code: None,
                message,
                raw: self.clean(raw),
            }
        }
    }

    fn malformed(&self, reason: String, raw: &str) -> ProviderError {
        ProviderError::Malformed {
            reason: self.clean(&reason),
            raw: self.clean(raw),
        }
    }

    async fn send(&self, request: &TopUpRequest) -> Result<TopUpReceipt, ProviderError> {
        let form = [
            ("api_token", self.token.expose().to_string()),
            ("destino", request.destination.e164()),
            ("monto", request.amount.to_decimal_string()),
        ];
        let call = self
            .http
            .post(endpoint(&self.base, "recharge/send"))
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&form);
        let (status, raw) = send_and_read(call).await?;
        self.read_send_reply(status, &raw)
    }

    /// Interprets a reply to `recharge/send`.
    pub fn read_send_reply(
        &self,
        status: StatusCode,
        raw: &str,
    ) -> Result<TopUpReceipt, ProviderError> {
        if !status.is_success() {
            return Err(self.refused(status, raw));
        }
        let reply: SendReply = lenient::decode(raw).map_err(|e| self.malformed(e, raw))?;
        match reply.result {
            1 => Ok(TopUpReceipt {
                provider_ref: reply
                    .id_recarga
                    .filter(|id| !id.trim().is_empty())
                    .map(|id| self.clean(&id)),
                progress: Progress::Accepted,
                message: None,
                raw: self.clean(raw),
            }),
            0 => Err(self.provider_error(reply.error, raw)),
            other => Err(self.malformed(format!("unknown result {other}"), raw)),
        }
    }

    async fn status(&self, id: &str) -> Result<StatusReport, ProviderError> {
        let call = self
            .http
            .get(endpoint(&self.base, "recharge/status"))
            .header(reqwest::header::ACCEPT, "application/json")
            .query(&[("api_token", self.token.expose()), ("id_recarga", id)]);
        let (status, raw) = send_and_read(call).await?;
        self.read_status_reply(status, &raw)
    }

    /// Interprets a reply to `recharge/status`.
    pub fn read_status_reply(
        &self,
        status: StatusCode,
        raw: &str,
    ) -> Result<StatusReport, ProviderError> {
        if !status.is_success() {
            return Err(self.refused(status, raw));
        }
        let reply: StatusReply = lenient::decode(raw).map_err(|e| self.malformed(e, raw))?;
        match reply.result {
            1 => {
                let estado = self.clean(reply.estado.unwrap_or_default().trim());
                let (progress, message) = match estado_progress(&estado) {
                    Some(progress) => (progress, estado.clone()),
                    None => {
                        tracing::warn!(%estado, "QvaTel reported a recharge estado saldo does not know");
                        (
                            StatusProgress::InProgress,
                            format!(
                                "estado “{estado}”, a word saldo does not know: not taken as \
                                 final"
                            ),
                        )
                    }
                };
                Ok(StatusReport {
                    progress,
                    message: Some(message).filter(|s| !s.is_empty()),
                    raw: self.clean(raw),
                    amount: None,
                })
            }
            0 => Err(self.provider_error(reply.error, raw)),
            other => Err(self.malformed(format!("unknown result {other}"), raw)),
        }
    }

    async fn read_balance(&self) -> Result<Money, ProviderError> {
        let call = self
            .http
            .get(endpoint(&self.base, "account/recharge-balance"))
            .header(reqwest::header::ACCEPT, "application/json")
            .query(&[("api_token", self.token.expose())]);
        let (status, raw) = send_and_read(call).await?;
        self.read_balance_reply(status, &raw)
    }

    /// Interprets a reply to `account/recharge-balance`.
    pub fn read_balance_reply(
        &self,
        status: StatusCode,
        raw: &str,
    ) -> Result<Money, ProviderError> {
        if !status.is_success() {
            return Err(self.refused(status, raw));
        }
        let reply: BalanceReply = lenient::decode(raw).map_err(|e| self.malformed(e, raw))?;
        match (reply.result, reply.balance) {
            (1, Some(balance)) => Money::parse_signed(&balance.0, self.unit)
                .map_err(|e| self.malformed(format!("balance “{}”: {e}", balance.0), raw)),
            (1, None) => Err(self.malformed("no balance in the reply".into(), raw)),
            (0, _) => Err(self.provider_error(reply.error, raw)),
            (other, _) => Err(self.malformed(format!("unknown result {other}"), raw)),
        }
    }
}

impl TopUp for QvaTel {
    fn top_up<'a>(
        &'a self,
        request: &'a TopUpRequest,
    ) -> BoxFuture<'a, Result<TopUpReceipt, ProviderError>> {
        Box::pin(self.send(request))
    }
}

impl TopUpStatus for QvaTel {
    fn needs_provider_ref(&self) -> bool {
        true
    }

    fn top_up_status<'a>(
        &'a self,
        query: StatusQuery<'a>,
    ) -> BoxFuture<'a, Result<StatusReport, ProviderError>> {
        Box::pin(async move {
            match query.provider_ref {
                Some(id) => self.status(id).await,
                None => Err(ProviderError::NotSent {
                    reason: "QvaTel can only be asked about a top-up by its id_recarga, and this \
                             one has none"
                        .into(),
                }),
            }
        })
    }
}

impl BalanceRead for QvaTel {
    fn balance(&self) -> BoxFuture<'_, Result<Money, ProviderError>> {
        Box::pin(self.read_balance())
    }
}
