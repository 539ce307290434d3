//! SMS Partner v1 sub-account credit (France).
//!
//! `GET {base}/me`, `GET {base}/subaccount/list?page=N` (20 a page), `POST {base}/subaccount/credit/add`
//! and `/remove` (`{apiKey, credit, tokenSubaccount}`), `POST {base}/subaccount/create`. The key
//! travels as `apiKey` in the JSON body (POST) or the query (GET); we always ask for JSON with
//! `_format`. Replies carry `success`, a control `code` (200 = fine) and balances as numbers or
//! strings. No idempotency key: a credit move that times out is "unknown". Creation has its own
//! control codes and needs `parameters.isBuyer`; its reply names the new sub-account's
//! `token`. Sources: `docs/providers/smspartner.md`.

use reqwest::{StatusCode, Url};
use serde::Deserialize;
use serde_json::{Value, json};

use super::http::{endpoint, redact, send_and_read};
use super::lenient::{self, WireDecimal, opt_text};
use super::{
    BalanceRead, BoxFuture, CreatedSubAccount, CreditDirection, CreditMove, CreditMoveReceipt,
    NewSubAccount, ProviderError, SubAccount, SubAccountCreate, SubAccountCredit, SubAccountList,
};
use std::sync::Arc;

use super::profile::{ProfileSettings, ProviderKind};
use super::registry::{
    Capabilities, ConnectError, ConnectParts, Connector, ProviderInfo, no_topup_pickers,
};
use crate::domain::{Money, Unit};
use crate::secrets::{Secret, SecretKind};

/// SMS Partner's registry entry.
pub const INFO: ProviderInfo = ProviderInfo {
    kind: ProviderKind::Smspartner,
    word: "smspartner",
    display_name: "SMS Partner (France)",
    secret_kinds: |_| &[SecretKind::ApiKey],
    topup_country: None,
    default_base_url: "https://api.smspartner.fr/v1",
    default_settings,
    options: &[],
    capabilities: Capabilities {
        top_up: false,
        top_up_status: false,
        balance: true,
        sub_accounts: true,
        sub_account_credit: true,
        sub_account_create: true,
        sub_account_delete: true,
        child_transfer: false,
        statement: false,
        operator_list: false,
    },
    connect,
    topup_pickers: no_topup_pickers,
    balance_name: |_| Some("balance-of-smspartner"),
};

fn default_settings() -> ProfileSettings {
    ProfileSettings {
        unit: Unit::Eur,
        denominations: Vec::new(),
        request_timeout_secs: 20,
        duplicate_window_secs: super::profile::default_duplicate_window(),
        low_balance_minor: None,
        sales_floor_minor: None,
        options: Default::default(),
    }
}

fn connect(parts: ConnectParts<'_>) -> Result<Connector, ConnectError> {
    let key = parts.secrets.get(&parts.profile.name, SecretKind::ApiKey)?;
    let unit = parts.profile.settings.unit;
    let adapter = Arc::new(SmsPartner::new(parts.http, parts.base, key, unit));
    Ok(Connector {
        balance: Some(adapter.clone()),
        sub_accounts: Some(adapter.clone()),
        sub_account_credit: Some(adapter.clone()),
        sub_account_create: Some(adapter.clone()),
        sub_account_delete: Some(adapter),
        ..Connector::default()
    })
}

/// Sub-accounts per page of `subaccount/list`, as documented.
pub const PAGE_SIZE: usize = 20;
/// A bound on paging, so a provider that never stops paging cannot loop saldo forever.
const MAX_PAGES: u32 = 1_000;

/// What each documented control code means, and whether it is about the key.
pub fn control_code_meaning(code: i64) -> (&'static str, bool) {
    match code {
        1 => ("the API key is missing", true),
        2 => ("the amount of credit is missing", false),
        3 => ("the sub-account is missing", false),
        4 => ("this account is not allowed to do that", false),
        5 => ("the credit to move must be more than 0", false),
        6 => ("the balance must be more than 0", false),
        7 => ("the sub-account does not exist", false),
        8 => ("insufficient credit", false),
        // One English page says 9, the others 10: both mean a wrong key.
        9 | 10 => ("the API key is wrong", true),
        _ => ("the provider refused", false),
    }
}

/// What each control code of `subaccount/create` means, and whether it is about the key: the
/// creation page's own table (toodiz/docpartner, pages/docs/SMS/sous-comptes/sous_comptep2.md),
/// not the credit moves' one (7 is an e-mail already used there, 9 a balance of 0).
pub fn create_code_meaning(code: i64) -> (&'static str, bool) {
    match code {
        1 => ("the API key is missing", true),
        2 => ("this account is not allowed to create sub-accounts", false),
        3 => ("isBuyer is missing", false),
        4 => ("the type (simple or advanced) is missing", false),
        5 => ("there is no such type of sub-account", false),
        6 => ("the e-mail address is missing", false),
        7 => ("an account with this e-mail address already exists", false),
        8 => ("the credit to attribute must be more than 0", false),
        9 => ("the main account's balance must be more than 0", false),
        10 => ("the API key is wrong", true),
        _ => ("the provider refused", false),
    }
}

/// What each control code of `subaccount/remove` means, and whether it is about the key: the
/// deletion page's table (toodiz/docpartner, pages/docs/SMS/sous-comptes/sous_comptep3.md).
pub fn delete_code_meaning(code: i64) -> (&'static str, bool) {
    match code {
        1 => ("the sub-account's token is missing", false),
        10 => ("the API key is missing or wrong", true),
        404 => ("the sub-account does not exist", false),
        _ => ("the provider refused", false),
    }
}

/// Which table a control code is read with.
#[derive(Clone, Copy)]
enum Codes {
    CreditMove,
    Create,
    Delete,
}

/// An SMS Partner account reached through its API key.
pub struct SmsPartner {
    http: reqwest::Client,
    base: Url,
    key: Secret,
    unit: Unit,
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(default, deserialize_with = "lenient_bool")]
    success: Option<bool>,
    #[serde(default)]
    code: Option<Value>,
    #[serde(default, deserialize_with = "opt_text")]
    message: Option<String>,
}

#[derive(Deserialize)]
struct CreditReply {
    // The page says `credit`; the official Go client reads the main balance from `total`
    // (smspartnerfr/SMS-API-GO, v1/subaccount.go: `Credit float64 json:"total"`).
    #[serde(default)]
    credit: Option<WireDecimal>,
    #[serde(default)]
    total: Option<WireDecimal>,
    #[serde(default, rename = "subaccountCredit")]
    subaccount_credit: Option<WireDecimal>,
    #[serde(default, deserialize_with = "opt_text")]
    currency: Option<String>,
}

#[derive(Deserialize)]
struct CreateReply {
    #[serde(default)]
    subaccount: Option<CreatedWire>,
}

#[derive(Deserialize)]
struct CreatedWire {
    #[serde(default, deserialize_with = "opt_text")]
    email: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    token: Option<String>,
}

#[derive(Deserialize)]
struct Credits {
    balance: WireDecimal,
    #[serde(default, deserialize_with = "opt_text")]
    currency: Option<String>,
}

#[derive(Deserialize)]
struct MeReply {
    credits: Credits,
}

#[derive(Deserialize)]
struct ListReply {
    #[serde(default, deserialize_with = "opt_int")]
    total: Option<i64>,
    #[serde(default)]
    data: Vec<ListedSubAccount>,
}

#[derive(Deserialize)]
struct ListedSubAccount {
    #[serde(deserialize_with = "opt_text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    email: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "opt_text")]
    kind: Option<String>,
    #[serde(deserialize_with = "opt_text")]
    token: Option<String>,
    credits: Credits,
}

fn lenient_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Bool(b) => Some(b),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        Value::Number(n) => n.as_i64().map(|n| n != 0),
        _ => None,
    })
}

fn opt_int<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(lenient::value_as_int(&Value::deserialize(d)?))
}

impl SmsPartner {
    /// An adapter for the account behind `key` at `base` (e.g. `https://api.smspartner.fr/v1`).
    pub fn new(http: reqwest::Client, base: Url, key: Secret, unit: Unit) -> SmsPartner {
        SmsPartner {
            http,
            base,
            key,
            unit,
        }
    }

    fn clean(&self, text: &str, more: &[&str]) -> String {
        let mut secrets = vec![self.key.expose()];
        secrets.extend_from_slice(more);
        redact(text, &secrets)
    }

    fn malformed(&self, reason: impl Into<String>, raw: &str) -> ProviderError {
        ProviderError::Malformed {
            reason: self.clean(&reason.into(), &[]),
            raw: self.clean(raw, &[]),
        }
    }

    /// A refusal with a control code.
    fn refusal(
        &self,
        code: i64,
        message: Option<String>,
        raw: &str,
        codes: Codes,
    ) -> ProviderError {
        let documented = match codes {
            Codes::Delete => matches!(code, 1 | 10 | 404),
            _ => (1..=10).contains(&code),
        };
        if !documented {
            // Not a documented refusal: the request may have been executed.
            let said = message
                .map(|m| self.clean(m.trim(), &[]))
                .unwrap_or_default();
            return self.malformed(format!("undocumented control code {code}: {said}"), raw);
        }
        let (meaning, about_key) = match codes {
            Codes::CreditMove => control_code_meaning(code),
            Codes::Create => create_code_meaning(code),
            Codes::Delete => delete_code_meaning(code),
        };
        let said = message
            .map(|m| format!(" ({})", self.clean(m.trim(), &[])))
            .unwrap_or_default();
        let message = format!("{meaning}{said}");
        if about_key {
            ProviderError::Auth { message }
        } else {
            ProviderError::Rejected {
                code: Some(code.to_string()),
                message,
                raw: self.clean(raw, &[]),
            }
        }
    }

    /// Decodes any reply (JSON, or the positional XML form) and turns a refusal into an error.
    pub fn read_envelope(&self, status: StatusCode, raw: &str) -> Result<Value, ProviderError> {
        self.read_envelope_with(status, raw, Codes::CreditMove)
    }

    fn read_envelope_with(
        &self,
        status: StatusCode,
        raw: &str,
        codes: Codes,
    ) -> Result<Value, ProviderError> {
        let value = lenient::parse_value(raw).or_else(|e| xml_reply(raw).ok_or(e));
        let envelope = value
            .as_ref()
            .ok()
            .and_then(|v| serde_json::from_value::<Envelope>(v.clone()).ok());
        let code = envelope
            .as_ref()
            .and_then(|e| e.code.as_ref())
            .and_then(lenient::value_as_int);
        if let Some(Envelope {
            success: Some(false),
            message,
            ..
        }) = envelope
        {
            return Err(self.refusal(code.unwrap_or(0), message, raw, codes));
        }
        if !status.is_success() {
            return Err(match status {
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => ProviderError::Auth {
                    message: format!("HTTP {status}"),
                },
                StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => ProviderError::Rejected {
                    code: Some(status.as_u16().to_string()),
                    message: format!(
                        "the provider has no such service (HTTP {status}): check the profile's \
                         base URL"
                    ),
                    raw: self.clean(raw, &[]),
                },
                _ => self.malformed(format!("unexpected HTTP status {status}"), raw),
            });
        }
        value.map_err(|reason| self.malformed(reason, raw))
    }

    fn money(
        &self,
        amount: &WireDecimal,
        currency: Option<&str>,
        raw: &str,
    ) -> Result<Money, ProviderError> {
        if let Some(currency) = currency.filter(|c| !c.trim().is_empty())
            && !currency.trim().eq_ignore_ascii_case(self.unit.code())
        {
            return Err(self.malformed(
                format!(
                    "balance in {currency}, but the profile counts in {}",
                    self.unit
                ),
                raw,
            ));
        }
        Money::parse_signed(&amount.0, self.unit)
            .map_err(|e| self.malformed(format!("amount “{}”: {e}", amount.0), raw))
    }

    fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.http
            .get(endpoint(&self.base, path))
            .header(reqwest::header::ACCEPT, "application/json")
            .query(&[("apiKey", self.key.expose()), ("_format", "json")])
    }

    fn post(&self, path: &str, body: &Value) -> reqwest::RequestBuilder {
        self.http
            .post(endpoint(&self.base, path))
            .header(reqwest::header::ACCEPT, "application/json")
            .json(body)
    }

    async fn me(&self) -> Result<Money, ProviderError> {
        let (status, raw) = send_and_read(self.get("me")).await?;
        self.read_me_reply(status, &raw)
    }

    /// Interprets a reply to `me`: the main account's balance.
    pub fn read_me_reply(&self, status: StatusCode, raw: &str) -> Result<Money, ProviderError> {
        let value = self.read_envelope(status, raw)?;
        let me: MeReply = serde_json::from_value(value)
            .map_err(|e| self.malformed(format!("unexpected reply shape: {e}"), raw))?;
        self.money(&me.credits.balance, me.credits.currency.as_deref(), raw)
    }

    async fn list(&self) -> Result<Vec<SubAccount>, ProviderError> {
        let mut all = Vec::new();
        for page in 1..=MAX_PAGES {
            let request = self.get("subaccount/list").query(&[("page", page)]);
            let (status, raw) = send_and_read(request).await?;
            let (subs, total) = self.read_list_page(status, &raw)?;
            let got = subs.len();
            all.extend(subs);
            if got == 0 || all.len() >= total {
                break;
            }
        }
        Ok(all)
    }

    /// Interprets one page of `subaccount/list`: its sub-accounts and how many there are in all.
    /// The page holds every sub-account's handle, so the body is never kept.
    pub fn read_list_page(
        &self,
        status: StatusCode,
        raw: &str,
    ) -> Result<(Vec<SubAccount>, usize), ProviderError> {
        const KEPT: &str = "[sub-account list not kept: it holds handles]";
        let value = self.read_envelope(status, raw)?;
        let reply: ListReply = serde_json::from_value(value)
            .map_err(|e| self.malformed(format!("unexpected reply shape: {e}"), KEPT))?;
        let mut subs = Vec::with_capacity(reply.data.len());
        for item in reply.data {
            let balance = self.money(
                &item.credits.balance,
                item.credits.currency.as_deref(),
                KEPT,
            )?;
            subs.push(SubAccount {
                id: item.id.unwrap_or_default(),
                email: item.email.unwrap_or_default(),
                kind: item.kind.unwrap_or_default(),
                handle: Secret::new(item.token.unwrap_or_default()),
                balance,
            });
        }
        Ok((subs, reply.total.unwrap_or(0).max(0) as usize))
    }

    async fn credit(&self, credit: &CreditMove) -> Result<CreditMoveReceipt, ProviderError> {
        let path = match credit.direction {
            CreditDirection::Add => "subaccount/credit/add",
            CreditDirection::Remove => "subaccount/credit/remove",
        };
        let body = json!({
            "apiKey": self.key.expose(),
            "credit": credit.amount.to_plain_decimal(),
            "tokenSubaccount": credit.handle.expose(),
            "_format": "json",
        });
        let (status, raw) = send_and_read(self.post(path, &body)).await?;
        self.read_credit_reply(status, &raw, credit.handle.expose())
    }

    /// Interprets a reply to `subaccount/credit/add` or `/remove` for the sub-account `handle`.
    pub fn read_credit_reply(
        &self,
        status: StatusCode,
        raw: &str,
        handle: &str,
    ) -> Result<CreditMoveReceipt, ProviderError> {
        let value = self
            .read_envelope(status, raw)
            .map_err(|e| hide(e, &[handle]))?;
        let raw = self.clean(raw, &[handle]);
        let reply: CreditReply = serde_json::from_value(value.clone())
            .map_err(|e| self.malformed(format!("unexpected reply shape: {e}"), &raw))?;
        let said_done = serde_json::from_value::<Envelope>(value.clone())
            .ok()
            .is_some_and(|e| {
                e.success == Some(true)
                    || e.code.as_ref().and_then(lenient::value_as_int) == Some(200)
            });
        let balances = match (reply.credit.or(reply.total), reply.subaccount_credit) {
            (Some(main), Some(sub)) => Some((
                self.money(&main, reply.currency.as_deref(), &raw)?,
                self.money(&sub, reply.currency.as_deref(), &raw)?,
            )),
            // `success: true` (or code 200) is the provider saying it was done, whatever
            // else the reply lacks: a success with the balances unknown.
            _ if said_done => None,
            _ => return Err(self.malformed("the reply says neither success nor balances", &raw)),
        };
        Ok(CreditMoveReceipt { balances, raw })
    }

    /// Interprets a reply to `subaccount/create`, read with the creation's own control codes.
    pub fn read_create_reply(
        &self,
        status: StatusCode,
        raw: &str,
        email: &str,
    ) -> Result<CreatedSubAccount, ProviderError> {
        let value = self.read_envelope_with(status, raw, Codes::Create)?;
        let reply: CreateReply =
            serde_json::from_value(value).unwrap_or(CreateReply { subaccount: None });
        let created = reply.subaccount;
        Ok(CreatedSubAccount {
            email: created
                .as_ref()
                .and_then(|c| c.email.clone())
                .unwrap_or_else(|| email.to_string()),
            handle: created
                .and_then(|c| c.token)
                .filter(|t| !t.trim().is_empty())
                .map(Secret::new),
        })
    }

    async fn create(&self, new: &NewSubAccount) -> Result<CreatedSubAccount, ProviderError> {
        // `isBuyer` is required (control code 3), sent as 0 or 1 — always, since the Go client's
        // `omitempty` drops a 0 (smspartnerfr/SMS-API-GO, v1/subaccount.go).
        let parameters = json!({
            "email": new.email,
            "firstname": new.first_name,
            "lastname": new.last_name,
            "isBuyer": i32::from(new.is_buyer),
        });
        let body = json!({
            "apiKey": self.key.expose(),
            "type": new.kind,
            "parameters": parameters,
            "_format": "json",
        });
        let (status, raw) = send_and_read(self.post("subaccount/create", &body)).await?;
        self.read_create_reply(status, &raw, &new.email)
    }
}

impl SmsPartner {
    /// Interprets a reply to `subaccount/remove`. The page's own success body has a trailing
    /// comma (`{"success":true,"code":200,}`): read leniently.
    pub fn read_delete_reply(&self, status: StatusCode, raw: &str) -> Result<(), ProviderError> {
        self.read_envelope_with(status, raw, Codes::Delete)
            .map(drop)
    }

    // `DELETE subaccount/remove` with `{apiKey, token}` (toodiz/docpartner, sous_comptep3.md;
    // docpartner.dev writes `/subaccount/delete` in the heading but `/remove` in its sample).
    async fn delete(&self, handle: &Secret) -> Result<(), ProviderError> {
        let body = json!({
            "apiKey": self.key.expose(),
            "token": handle.expose(),
            "_format": "json",
        });
        let request = self
            .http
            .delete(endpoint(&self.base, "subaccount/remove"))
            .header(reqwest::header::ACCEPT, "application/json")
            .json(&body);
        let (status, raw) = send_and_read(request).await?;
        self.read_delete_reply(status, &raw)
            .map_err(|e| hide(e, &[handle.expose()]))
    }
}

impl super::SubAccountDelete for SmsPartner {
    fn delete_sub_account<'a>(
        &'a self,
        handle: &'a Secret,
    ) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(self.delete(handle))
    }
}

/// The positional XML form (`<result><entry>…`) as the JSON reply it stands for: a refusal is
/// `success, code, message`; a credit move is `success, code, credit, subaccountCredit, currency`.
fn xml_reply(raw: &str) -> Option<Value> {
    let entries = lenient::xml_entries(raw)?;
    match entries.as_slice() {
        [success, code, message] => {
            Some(json!({"success": success, "code": code, "message": message}))
        }
        [success, code, credit, sub, currency] => Some(json!({
            "success": success, "code": code, "credit": credit,
            "subaccountCredit": sub, "currency": currency,
        })),
        _ => None,
    }
}

/// Removes more secrets (a sub-account's handle) from an error's texts.
fn hide(error: ProviderError, secrets: &[&str]) -> ProviderError {
    match error {
        ProviderError::Rejected { code, message, raw } => ProviderError::Rejected {
            code,
            message: redact(&message, secrets),
            raw: redact(&raw, secrets),
        },
        ProviderError::Malformed { reason, raw } => ProviderError::Malformed {
            reason: redact(&reason, secrets),
            raw: redact(&raw, secrets),
        },
        ProviderError::Auth { message } => ProviderError::Auth {
            message: redact(&message, secrets),
        },
        other => other,
    }
}

impl BalanceRead for SmsPartner {
    fn balance(&self) -> BoxFuture<'_, Result<Money, ProviderError>> {
        Box::pin(self.me())
    }
}

impl SubAccountList for SmsPartner {
    fn sub_accounts(&self) -> BoxFuture<'_, Result<Vec<SubAccount>, ProviderError>> {
        Box::pin(self.list())
    }
}

impl SubAccountCredit for SmsPartner {
    fn move_credit<'a>(
        &'a self,
        credit: &'a CreditMove,
    ) -> BoxFuture<'a, Result<CreditMoveReceipt, ProviderError>> {
        Box::pin(self.credit(credit))
    }
}

impl SubAccountCreate for SmsPartner {
    fn create_sub_account<'a>(
        &'a self,
        new: &'a NewSubAccount,
    ) -> BoxFuture<'a, Result<CreatedSubAccount, ProviderError>> {
        Box::pin(self.create(new))
    }
}
