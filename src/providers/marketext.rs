//! Marketext: move points from the main account to a child account (Mexico).
//!
//! `POST {base}/topup/{source}/{child}?user=…&amount=…&format=JSON` (whole points), with
//! `Authorization: Token <access token>` (or `Bearer`, a profile setting). Replies come as
//! JSON, XML, CSV or urlencoded (`format` wins over `Accept`; we ask for JSON and read all
//! four). Errors are HTTP statuses with an explanation; a 401 means bad credentials OR
//! insufficient balance, told apart only by the text; a 403 means the token may not make this
//! call (its scope). Access tokens expire and are renewed with `POST {base}/token/{source}`,
//! the expired access token in `Authorization` and the refresh token in the body; both are
//! rotated in the keychain. There is no way to read balances or list children, so a transfer
//! that times out stays "unknown". Sources: `docs/providers/marketext.md`.

use std::sync::{Arc, Mutex};

use reqwest::{StatusCode, Url};
use serde::Deserialize;
use serde_json::Value;

use super::http::{endpoint, redact, send_and_read, send_and_read_credentials};
use super::lenient::{self, opt_text};
use super::profile::{OptionSpec, ProfileSettings, ProviderKind};
use super::registry::{
    Capabilities, ConnectError, ConnectParts, Connector, ProviderInfo, no_topup_pickers,
};
use super::{BoxFuture, ChildTransfer, ProviderError, TransferReceipt, TransferRequest};
use crate::domain::Unit;
use crate::secrets::{Secret, SecretKind, SecretStore};

const SOURCE: OptionSpec = OptionSpec {
    name: "source",
    help: "the main account's id (api_id_source)",
    default: None,
    allowed: &[],
};
const USER: OptionSpec = OptionSpec {
    name: "user",
    help: "the main account's user id, sent as `user`",
    default: None,
    allowed: &[],
};
const AUTH: OptionSpec = OptionSpec {
    name: "auth",
    help: "the Authorization scheme the account uses",
    default: Some("Token"),
    allowed: &["Token", "Bearer"],
};
const TOKEN_LIFETIME: OptionSpec = OptionSpec {
    name: "token_lifetime",
    help: "seconds a renewed access token should live",
    default: Some("86400"),
    allowed: &[],
};

/// Marketext's registry entry.
pub const INFO: ProviderInfo = ProviderInfo {
    kind: ProviderKind::Marketext,
    word: "marketext",
    display_name: "Marketext (Mexico)",
    secret_kinds: |_| &[SecretKind::AccessToken, SecretKind::RefreshToken],
    topup_country: None,
    default_base_url: "https://restapi.marketext.com",
    default_settings,
    options: &[SOURCE, USER, AUTH, TOKEN_LIFETIME],
    capabilities: Capabilities {
        top_up: false,
        top_up_status: false,
        balance: false,
        sub_accounts: false,
        sub_account_credit: false,
        sub_account_create: false,
        sub_account_delete: false,
        child_transfer: true,
        statement: false,
        operator_list: false,
    },
    connect,
    topup_pickers: no_topup_pickers,
    balance_name: |_| None,
};

fn default_settings() -> ProfileSettings {
    ProfileSettings {
        unit: Unit::Points,
        denominations: Vec::new(),
        request_timeout_secs: 20,
        duplicate_window_secs: super::profile::default_duplicate_window(),
        low_balance_minor: None,
        sales_floor_minor: None,
        options: Default::default(),
    }
}

fn connect(parts: ConnectParts<'_>) -> Result<Connector, ConnectError> {
    let profile = parts.profile;
    let setting = |spec: &OptionSpec| {
        profile
            .settings
            .option(spec)
            .ok_or_else(|| ConnectError::Settings {
                profile: profile.name.clone(),
                message: format!(
                    "set {} ({}) with --set {}=…",
                    spec.name, spec.help, spec.name
                ),
            })
    };
    let access = parts.secrets.get(&profile.name, SecretKind::AccessToken)?;
    let refresh = match parts.secrets.get(&profile.name, SecretKind::RefreshToken) {
        Ok(secret) => Some(secret),
        Err(crate::secrets::SecretError::Missing { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let adapter = Arc::new(Marketext {
        http: parts.http,
        base: parts.base,
        source: setting(&SOURCE)?,
        user: setting(&USER)?,
        scheme: setting(&AUTH)?,
        token_lifetime: setting(&TOKEN_LIFETIME)?,
        profile: profile.name.clone(),
        secrets: parts.secrets.clone(),
        tokens: Mutex::new(Tokens {
            access,
            refresh,
            scope: None,
        }),
    });
    Ok(Connector {
        child_transfer: Some(adapter.clone()),
        probe: Some(adapter),
        ..Connector::default()
    })
}

struct Tokens {
    access: Secret,
    refresh: Option<Secret>,
    /// What the last renewal said the access token may do (`scope`), when saldo renewed it.
    scope: Option<String>,
}

/// A Marketext main account reached through its token pair.
pub struct Marketext {
    http: reqwest::Client,
    base: Url,
    source: String,
    user: String,
    scheme: String,
    token_lifetime: String,
    profile: String,
    secrets: Arc<SecretStore>,
    tokens: Mutex<Tokens>,
}

/// What a reply said, in whichever of the four formats it came.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Said {
    pub status: Option<String>,
    pub error: Option<String>,
}

fn xml_element(raw: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = raw.find(&open)? + open.len();
    let end = raw[start..].find(&close)? + start;
    Some(raw[start..end].trim().to_string())
}

/// Reads a reply body in JSON (PHP arrows included), XML, urlencoded or CSV/plain text.
pub fn read_said(raw: &str) -> Said {
    let text = raw.trim();
    if let Ok(Value::Object(map)) = lenient::parse_value(text) {
        let field = |name: &str| {
            map.get(name).and_then(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Null => None,
                other => Some(other.to_string()),
            })
        };
        return Said {
            status: field("status"),
            error: field("error"),
        };
    }
    if text.starts_with('<') {
        return Said {
            status: xml_element(text, "status"),
            error: xml_element(text, "error"),
        };
    }
    let looks_urlencoded = text.split('&').all(|pair| {
        pair.split_once('=')
            .is_some_and(|(k, _)| !k.is_empty() && !k.contains(' '))
    });
    if looks_urlencoded && !text.is_empty() {
        let mut said = Said::default();
        for (key, value) in url::form_urlencoded::parse(text.as_bytes()) {
            match key.as_ref() {
                "status" => said.status = Some(value.into_owned()),
                "error" => said.error = Some(value.into_owned()),
                _ => {}
            }
        }
        return said;
    }
    if text.eq_ignore_ascii_case("ok") {
        return Said {
            status: Some("OK".into()),
            error: None,
        };
    }
    Said {
        status: None,
        error: Some(text.to_string()).filter(|t| !t.is_empty()),
    }
}

/// Whether a 401's text says the balance is short rather than the credentials wrong.
fn says_insufficient(error: &str) -> bool {
    let lower = error.to_lowercase();
    lower.contains("insuficiente") || lower.contains("insufficient")
}

#[derive(Deserialize)]
struct TokenReply {
    #[serde(deserialize_with = "opt_text", default)]
    access_token: Option<String>,
    #[serde(deserialize_with = "opt_text", default)]
    refresh_token: Option<String>,
    // The refresh page's reply example ends with `"scope": "send-sms"`: a token carries the
    // calls it may make (restapi.marketext.com, detail.php, token-refresh.yaml).
    #[serde(deserialize_with = "opt_text", default)]
    scope: Option<String>,
}

/// Whether a token's scope, as the provider wrote it, lets it call `topup`.
fn scope_allows_topup(scope: &str) -> bool {
    scope
        .split([' ', ',', ';'])
        .any(|s| s.trim().eq_ignore_ascii_case("topup") || s.trim() == "*")
}

impl Marketext {
    fn secrets_now(&self) -> Vec<String> {
        let tokens = lock(&self.tokens);
        let mut list = vec![tokens.access.expose().to_string()];
        if let Some(refresh) = &tokens.refresh {
            list.push(refresh.expose().to_string());
        }
        list
    }

    fn clean(&self, text: &str) -> String {
        redact(text, &self.secrets_now())
    }

    /// What to tell a person whose token may not call `topup`.
    fn scope_refusal(&self) -> String {
        let scope = lock(&self.tokens).scope.clone();
        let said = match scope {
            Some(scope) if !scope_allows_topup(&scope) => {
                format!("its scope is “{scope}”, which does not include topup")
            }
            _ => "its scope does not include topup".to_string(),
        };
        format!(
            "the provider does not allow this token to move credit ({said}): ask Marketext for \
             a token allowed to call topup, then save it with `saldo credentials set {}`",
            self.profile
        )
    }

    /// Interprets a reply to `topup/{source}/{child}`.
    pub fn read_transfer_reply(
        &self,
        status: StatusCode,
        raw: &str,
    ) -> Result<TransferReceipt, ProviderError> {
        let said = read_said(raw);
        let error = said.error.as_deref().map(|e| self.clean(e.trim()));
        let explained = |what: &str| match &error {
            Some(error) => format!("{what} ({error})"),
            None => what.to_string(),
        };
        let refused = |what: &str| ProviderError::Rejected {
            code: Some(status.as_u16().to_string()),
            message: explained(what),
            raw: self.clean(raw),
        };
        match status {
            s if s.is_success() => {
                if said
                    .status
                    .as_deref()
                    .is_some_and(|st| st.trim().eq_ignore_ascii_case("ok"))
                {
                    Ok(TransferReceipt {
                        raw: self.clean(raw),
                    })
                } else {
                    Err(ProviderError::Malformed {
                        reason: "the reply does not say OK".into(),
                        raw: self.clean(raw),
                    })
                }
            }
            StatusCode::BAD_REQUEST => Err(refused("the provider says user or amount is missing")),
            StatusCode::UNAUTHORIZED if error.as_deref().is_some_and(says_insufficient) => {
                Err(refused("insufficient balance"))
            }
            StatusCode::UNAUTHORIZED => Err(ProviderError::Auth {
                message: explained("the provider refused the token"),
            }),
            // 403 is "insufficient_scope" for a bearer token (RFC 6750 section 3.1): the token is
            // valid but may not call topup. Renewing it keeps its scope, so nothing is retried.
            StatusCode::FORBIDDEN => Err(refused(&self.scope_refusal())),
            StatusCode::NOT_FOUND => Err(refused("the account does not exist")),
            StatusCode::METHOD_NOT_ALLOWED => Err(refused("the provider does not allow this call")),
            _ => Err(ProviderError::Malformed {
                reason: format!("unexpected HTTP status {status}"),
                raw: self.clean(raw),
            }),
        }
    }

    async fn post_transfer(
        &self,
        request: &TransferRequest,
    ) -> Result<(StatusCode, String), ProviderError> {
        let path = format!("topup/{}/{}", self.source, request.child);
        let access = lock(&self.tokens).access.clone();
        // The topup page's example and the only public client put `user`, `amount` and
        // `format=JSON` in the query string, with no body (restapi.marketext.com topup page;
        // andresarcila/marketext-api-node, Marketext.js).
        let call = self
            .http
            .post(endpoint(&self.base, &path))
            .header(reqwest::header::ACCEPT, "application/json")
            .header(
                reqwest::header::AUTHORIZATION,
                format!("{} {}", self.scheme, access.expose()),
            )
            .query(&[
                ("user", self.user.clone()),
                ("amount", request.amount.to_plain_decimal()),
                ("format", "JSON".to_string()),
            ]);
        send_and_read(call).await
    }

    /// The tokens the keychain holds now (another saldo may have renewed them).
    async fn stored_tokens(&self) -> Option<(Secret, Secret)> {
        let secrets = self.secrets.clone();
        let profile = self.profile.clone();
        tokio::task::spawn_blocking(move || {
            let access = secrets.get(&profile, SecretKind::AccessToken).ok()?;
            let refresh = secrets.get(&profile, SecretKind::RefreshToken).ok()?;
            Some((access, refresh))
        })
        .await
        .ok()
        .flatten()
    }

    /// Renews the access token with the refresh token and stores both new tokens — one saldo
    /// at a time: a refresh token is good for one renewal, so whoever waited for its turn
    /// first takes the tokens another saldo renewed meanwhile.
    async fn renew(&self) -> Result<(), ProviderError> {
        let refused = lock(&self.tokens).access.clone();
        let turn = super::renewal::turn(&self.profile).await;
        if let Some((access, refresh)) = self.stored_tokens().await
            && access.expose() != refused.expose()
        {
            let mut tokens = lock(&self.tokens);
            tokens.access = access;
            tokens.refresh = Some(refresh);
            return Ok(());
        }
        let Ok(_turn) = turn else {
            return Err(ProviderError::Auth {
                message: format!(
                    "another saldo has been renewing the tokens of {} for a while: nothing was \
                     sent; try again in a moment",
                    self.profile
                ),
            });
        };
        let Some(refresh) = lock(&self.tokens).refresh.clone() else {
            return Err(ProviderError::Auth {
                message: "the access token was refused and there is no refresh token: save new \
                          tokens with `saldo credentials set`"
                    .into(),
            });
        };
        // The refresh page requires the EXPIRED access token in `Authorization`, beside the
        // refresh token (restapi.marketext.com, detail.php, token-refresh.yaml). The refresh
        // token stays in the body: a query string ends up in the provider's access logs.
        let call = self
            .http
            .post(endpoint(&self.base, &format!("token/{}", self.source)))
            .header(reqwest::header::ACCEPT, "application/json")
            .header(
                reqwest::header::AUTHORIZATION,
                format!("{} {}", self.scheme, refused.expose()),
            )
            .query(&[("format", "JSON")])
            .form(&[
                ("user", self.user.as_str()),
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh.expose()),
                ("token_lifetime", self.token_lifetime.as_str()),
            ]);
        let (status, raw) = send_and_read_credentials(call).await?;
        let reply: Option<TokenReply> = lenient::decode(&raw).ok();
        let scope = reply.as_ref().and_then(|r| r.scope.clone());
        let (Some(access), Some(next_refresh)) = (
            reply.as_ref().and_then(|r| r.access_token.clone()),
            reply.and_then(|r| r.refresh_token),
        ) else {
            // The body is not quoted: a half-readable renewal reply may hold the new tokens.
            return Err(ProviderError::Auth {
                message: format!(
                    "the access token expired and could not be renewed (HTTP {status}): save new \
                     tokens with `saldo credentials set {}`",
                    self.profile
                ),
            });
        };
        {
            let mut tokens = lock(&self.tokens);
            tokens.access = Secret::new(access.clone());
            tokens.refresh = Some(Secret::new(next_refresh.clone()));
            tokens.scope = scope;
        }
        let secrets = self.secrets.clone();
        let profile = self.profile.clone();
        let stored = tokio::task::spawn_blocking(move || {
            secrets.set(&profile, SecretKind::AccessToken, &access)?;
            secrets.set(&profile, SecretKind::RefreshToken, &next_refresh)
        })
        .await;
        match stored {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(ProviderError::Auth {
                message: format!("the renewed tokens could not be saved: {e}"),
            }),
            Err(e) => Err(ProviderError::Auth {
                message: format!("the renewed tokens could not be saved: {e}"),
            }),
        }
    }

    async fn send_transfer(
        &self,
        request: &TransferRequest,
    ) -> Result<TransferReceipt, ProviderError> {
        let (status, raw) = self.post_transfer(request).await?;
        match self.read_transfer_reply(status, &raw) {
            // A refused token executed nothing: renew once and try once more.
            Err(ProviderError::Auth { .. }) => {
                // The transfer was refused: however the renewal fails, nothing was executed.
                self.renew().await.map_err(|e| match e {
                    auth @ ProviderError::Auth { .. } => auth,
                    other => ProviderError::Auth {
                        message: format!(
                            "the access token was refused and renewing it failed ({other}): save \
                             new tokens with `saldo credentials set {}`",
                            self.profile
                        ),
                    },
                })?;
                let (status, raw) = self.post_transfer(request).await?;
                self.read_transfer_reply(status, &raw)
            }
            other => other,
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl ChildTransfer for Marketext {
    fn transfer<'a>(
        &'a self,
        request: &'a TransferRequest,
    ) -> BoxFuture<'a, Result<TransferReceipt, ProviderError>> {
        Box::pin(self.send_transfer(request))
    }
}

impl Marketext {
    /// `topup` without an amount: a valid token gets "amount no definido" (400), so nothing can
    /// move; a refused one 401 — then the token is renewed once, as a transfer would, and the
    /// probe sent again (that checks the refresh token too).
    async fn send_probe(&self) -> Result<String, ProviderError> {
        match self.probe_once().await {
            Err(ProviderError::Auth { .. }) if lock(&self.tokens).refresh.is_some() => {
                self.renew().await?;
                self.probe_once()
                    .await
                    .map(|said| format!("{said}, after renewing the expired access token"))
            }
            other => other,
        }
    }

    async fn probe_once(&self) -> Result<String, ProviderError> {
        let access = lock(&self.tokens).access.clone();
        let call = self
            .http
            // Two reasons to refuse it, each enough: no amount, and a child that cannot exist.
            .post(endpoint(
                &self.base,
                &format!("topup/{}/{PROBE_CHILD}", self.source),
            ))
            .header(reqwest::header::ACCEPT, "application/json")
            .header(
                reqwest::header::AUTHORIZATION,
                format!("{} {}", self.scheme, access.expose()),
            )
            .query(&[("user", self.user.as_str()), ("format", "JSON")]);
        let (status, raw) = send_and_read(call).await?;
        let said = read_said(&raw)
            .error
            .map(|e| self.clean(e.trim()))
            .unwrap_or_default();
        match status {
            StatusCode::BAD_REQUEST if said.to_lowercase().contains("amount") => Ok(format!(
                "the token and user were accepted: the provider refused the probe for its \
                 missing amount, as it must (“{said}”)"
            )),
            StatusCode::UNAUTHORIZED => Err(ProviderError::Auth {
                message: format!(
                    "the provider refused the access token or user (“{said}”): it may have \
                     expired — a transfer renews it — or be wrong"
                ),
            }),
            StatusCode::FORBIDDEN => Err(ProviderError::Rejected {
                code: Some("403".into()),
                message: self.scope_refusal(),
                raw: self.clean(&raw),
            }),
            other => Err(ProviderError::Malformed {
                reason: format!("the probe got HTTP {other} (“{said}”), not the refusal expected"),
                raw: self.clean(&raw),
            }),
        }
    }
}

/// A child account id no shop has, for the probe.
const PROBE_CHILD: &str = "saldo-check-no-such-account";

impl super::Probe for Marketext {
    fn what(&self) -> String {
        "token probe (topup without an amount)".to_string()
    }

    fn probe(&self) -> BoxFuture<'_, Result<String, ProviderError>> {
        Box::pin(self.send_probe())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_reply_format_is_read() {
        let ok = |status: &str| Said {
            status: Some(status.into()),
            error: None,
        };
        assert_eq!(read_said(r#"{ "status" => "OK" }"#), ok("OK"));
        assert_eq!(read_said(r#"{"status":"OK"}"#), ok("OK"));
        assert_eq!(
            read_said(r#"<?xml version="1.0"?> <respuesta><status>OK</status></respuesta>"#),
            ok("OK")
        );
        assert_eq!(read_said("OK"), ok("OK"));
        assert_eq!(read_said("status=OK"), ok("OK"));
        let error = "No autorizado. Error de autenticación";
        let err = Said {
            status: None,
            error: Some(error.into()),
        };
        assert_eq!(read_said(&format!(r#"{{ "error": "{error}" }}"#)), err);
        assert_eq!(
            read_said(&format!(
                r#"<?xml version="1.0"?> <respuesta> <error>{error}</error> </respuesta>"#
            )),
            err
        );
        assert_eq!(read_said(error), err);
        assert_eq!(
            read_said("error=No encontrado. El recurso no existe"),
            Said {
                status: None,
                error: Some("No encontrado. El recurso no existe".into())
            }
        );
    }
}
