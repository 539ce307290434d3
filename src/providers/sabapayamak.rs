//! Saba Payamak: credit balance and credit statement (Iran). Read-only.
//!
//! `POST {base}/user/authenticate` (`Username`, `Password`, `VirtualNumber`, `TokenValidDay`)
//! gives a token for `Authorization: Bearer`; it is kept in the keychain with its expiry and
//! renewed a day before it runs out, or when refused. Replies are `{status: "200", message, id,
//! data, errors}`. `GET /credit` is the balance; `GET /credit?StartDate&EndDate` (Jalali
//! `yyyy/mm/dd`), `/credit/{count}` and `/credit/{kind}/{count}` are the statement, as all
//! three official SDKs call them, with the provider page's plural `/credits/…` tried when the
//! singular answers 404. Items are read in camelCase (the ASP.NET default the provider's own
//! plugin reads) or PascalCase (the page); "no content" (HTTP 204, result 1002) is an empty
//! statement; amounts written by a .NET `double` are rounded to the unit's decimals. Movement
//! types are Persian words; dates come as `"2020\02\02 14:14:15"` (an invalid JSON escape) in
//! either calendar. Sources: `docs/providers/sabapayamak.md`.

use std::sync::{Arc, Mutex};

use reqwest::{StatusCode, Url};
use serde::Deserialize;
use serde_json::{Value, json};

use super::http::{endpoint, redact, send_and_read, send_and_read_credentials};
use super::lenient::{self, WireDecimal, opt_text};
use super::profile::{OptionSpec, ProfileSettings, ProviderKind};
use super::registry::{
    Capabilities, ConnectError, ConnectParts, Connector, ProviderInfo, no_topup_pickers,
};
use super::{
    BalanceRead, BoxFuture, Movement, MovementKind, ProviderError, Statement, StatementQuery,
};
use crate::domain::jalali::JalaliDate;
use crate::domain::{Money, Unit};
use crate::secrets::{Secret, SecretError, SecretKind, SecretStore};

const VIRTUAL_NUMBER: OptionSpec = OptionSpec {
    name: "virtual_number",
    help: "the account's virtual number (VirtualNumber)",
    default: None,
    allowed: &[],
};
// KaransCo/sabapayamak-dotnet (SabaPayamak/SabaPayamakAPI.cs), KaransCo/sabapayamak-node
// (sabapayamak.js) and iamirnet/sabapayamak-php (src/SabapayamakApi.php) all call the singular
// `/api/v1/credit?StartDate=…`, `/credit/{count}`, `/credit/{kind}/{count}`; the provider's page
// (api.sabapayamak.com/v1/credit-doc) writes `/credits…`. Either is tried after the other.
const STATEMENT_PATH: OptionSpec = OptionSpec {
    name: "statement_path",
    help: "the statement endpoint tried first: credit (the SDKs) or credits (the provider's page)",
    default: Some("credit"),
    allowed: &["credit", "credits"],
};
const TOKEN_VALID_DAYS: OptionSpec = OptionSpec {
    name: "token_valid_days",
    help: "how many days (1 to 365) a new token should last",
    default: Some("30"),
    allowed: &[],
};

/// Saba Payamak's registry entry.
pub const INFO: ProviderInfo = ProviderInfo {
    kind: ProviderKind::Sabapayamak,
    word: "sabapayamak",
    display_name: "Saba Payamak (Iran)",
    secret_kinds: |_| &[SecretKind::Username, SecretKind::Password],
    topup_country: None,
    default_base_url: "https://api.sabapayamak.com/api/v1",
    default_settings,
    options: &[VIRTUAL_NUMBER, TOKEN_VALID_DAYS, STATEMENT_PATH],
    capabilities: Capabilities {
        top_up: false,
        top_up_status: false,
        balance: true,
        sub_accounts: false,
        sub_account_credit: false,
        sub_account_create: false,
        sub_account_delete: false,
        child_transfer: false,
        statement: true,
        operator_list: false,
    },
    connect,
    topup_pickers: no_topup_pickers,
    balance_name: |_| Some("balance-of-sabapayamak"),
};

/// Credit in rials; the API reports it as a decimal number, so two decimals are kept.
fn default_settings() -> ProfileSettings {
    ProfileSettings {
        unit: Unit::Irr,
        denominations: Vec::new(),
        request_timeout_secs: 20,
        duplicate_window_secs: super::profile::default_duplicate_window(),
        low_balance_minor: None,
        sales_floor_minor: None,
        options: Default::default(),
    }
}

/// Renew a token this long before it expires.
const RENEW_BEFORE_SECS: i64 = 86_400;

fn connect(parts: ConnectParts<'_>) -> Result<Connector, ConnectError> {
    let profile = parts.profile;
    let secrets = parts.secrets;
    let virtual_number =
        profile
            .settings
            .option(&VIRTUAL_NUMBER)
            .ok_or_else(|| ConnectError::Settings {
                profile: profile.name.clone(),
                message: "set the virtual number with --set virtual_number=…".into(),
            })?;
    let valid_days = profile
        .settings
        .option(&TOKEN_VALID_DAYS)
        .and_then(|d| d.parse::<u32>().ok())
        .unwrap_or(30)
        .clamp(1, 365);
    let session = match secrets.get(&profile.name, SecretKind::SessionToken) {
        Ok(saved) => parse_session(saved.expose()),
        Err(SecretError::Missing { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let adapter = Arc::new(SabaPayamak {
        http: parts.http,
        base: parts.base,
        username: secrets.get(&profile.name, SecretKind::Username)?,
        password: secrets.get(&profile.name, SecretKind::Password)?,
        virtual_number,
        valid_days,
        statement_path: profile
            .settings
            .option(&STATEMENT_PATH)
            .unwrap_or_else(|| "credit".into()),
        unit: profile.settings.unit,
        profile: profile.name.clone(),
        secrets: Some(secrets.clone()),
        session: Mutex::new(session),
    });
    Ok(Connector {
        balance: Some(adapter.clone()),
        statement: Some(adapter),
        ..Connector::default()
    })
}

/// A saved session: "EXPIRY_UNIX_SECONDS TOKEN".
fn parse_session(saved: &str) -> Option<(i64, Secret)> {
    let (expiry, token) = saved.trim().split_once(' ')?;
    Some((expiry.parse().ok()?, Secret::new(token.trim())))
}

fn now_secs() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// The Persian word of a movement type as a kind.
pub fn movement_kind(word: &str) -> Option<MovementKind> {
    let word: String = word
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{200c}')
        .collect();
    match word.as_str() {
        "ارسال" => Some(MovementKind::Send),
        "دریافت" => Some(MovementKind::Receive),
        "شارژ" => Some(MovementKind::Purchase),
        "برگشتاعتبار" => Some(MovementKind::Refund),
        _ => None,
    }
}

fn kind_path(kind: MovementKind) -> &'static str {
    match kind {
        MovementKind::Send => "send-sms",
        // (sic) the API's own spelling.
        MovementKind::Receive => "recived",
        MovementKind::Purchase => "charge",
        MovementKind::Refund => "money-back",
    }
}

/// Reads an `InsertDate` such as `2020\02\02 14:14:15`, `2020/02/02`, `1403-01-05T10:00:00`,
/// in the Gregorian or the Jalali calendar (years before 1700 are Jalali).
pub fn read_insert_date(text: &str) -> Option<(JalaliDate, Option<String>)> {
    let text = text.trim();
    let (date, time) = match text.split_once([' ', 'T']) {
        Some((d, t)) => (d, Some(t.trim().to_string()).filter(|t| !t.is_empty())),
        None => (text, None),
    };
    let normal: String = date
        .chars()
        .map(|c| {
            if matches!(c, '\\' | '-' | '.') {
                '/'
            } else {
                c
            }
        })
        .collect();
    let jalali = JalaliDate::parse(&normal).ok().filter(|d| d.year < 1700);
    let day = match jalali {
        Some(day) => day,
        None => {
            let parts: Vec<i32> = normal
                .split('/')
                .map(|p| p.trim().parse().ok())
                .collect::<Option<_>>()?;
            let [y, m, d] = parts[..] else { return None };
            if y < 1700 {
                // A Jalali year with an impossible day: not a Gregorian date either.
                return None;
            }
            JalaliDate::from_gregorian(y, u8::try_from(m).ok()?, u8::try_from(d).ok()?).ok()?
        }
    };
    Some((day, time))
}

/// A Saba Payamak account.
pub struct SabaPayamak {
    http: reqwest::Client,
    base: Url,
    username: Secret,
    password: Secret,
    virtual_number: String,
    valid_days: u32,
    /// `credit` or `credits`: the statement path tried first.
    statement_path: String,
    unit: Unit,
    profile: String,
    secrets: Option<Arc<SecretStore>>,
    session: Mutex<Option<(i64, Secret)>>,
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(default, deserialize_with = "opt_text")]
    status: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    message: Option<String>,
    #[serde(default)]
    data: Value,
    #[serde(default)]
    errors: Value,
}

/// A statement item. The page shows the C# model's PascalCase (`CreditType`…, as in
/// KaransCo/sabapayamak-dotnet Models/CreditViewModel.cs); the provider's own WordPress plugin
/// reads replies in camelCase (`data->token`, `recID`: common-repository/sabapayamak,
/// includes/sms.php), ASP.NET's default. Both are read.
#[derive(Deserialize)]
struct WireMovement {
    #[serde(
        rename = "creditType",
        alias = "CreditType",
        default,
        deserialize_with = "opt_text"
    )]
    credit_type: Option<String>,
    #[serde(rename = "amount", alias = "Amount")]
    amount: WireDecimal,
    #[serde(rename = "creditRemain", alias = "CreditRemain")]
    credit_remain: WireDecimal,
    #[serde(
        rename = "descriptions",
        alias = "Descriptions",
        default,
        deserialize_with = "opt_text"
    )]
    descriptions: Option<String>,
    #[serde(
        rename = "insertDate",
        alias = "InsertDate",
        default,
        deserialize_with = "opt_text"
    )]
    insert_date: Option<String>,
}

impl SabaPayamak {
    /// An adapter that logs in with these credentials and keeps its token in memory only.
    pub fn new(
        http: reqwest::Client,
        base: Url,
        username: Secret,
        password: Secret,
        virtual_number: &str,
        unit: Unit,
    ) -> SabaPayamak {
        SabaPayamak {
            http,
            base,
            username,
            password,
            virtual_number: virtual_number.to_string(),
            valid_days: 30,
            statement_path: "credit".into(),
            unit,
            profile: String::new(),
            secrets: None,
            session: Mutex::new(None),
        }
    }

    fn clean(&self, text: &str) -> String {
        let token = self
            .session
            .lock()
            .ok()
            .and_then(|s| s.as_ref().map(|(_, t)| t.expose().to_string()));
        let mut secrets = vec![self.password.expose().to_string()];
        secrets.extend(token);
        redact(text, &secrets)
    }

    fn malformed(&self, reason: impl Into<String>, raw: &str) -> ProviderError {
        ProviderError::Malformed {
            reason: self.clean(&reason.into()),
            raw: self.clean(raw),
        }
    }

    /// Reads the envelope and returns its `data` if the provider said "200".
    pub fn read_envelope(&self, status: StatusCode, raw: &str) -> Result<Value, ProviderError> {
        let envelope: Option<Envelope> = lenient::decode(raw).ok();
        let said = envelope.as_ref().and_then(|e| e.status.clone());
        let message = {
            let envelope = envelope.as_ref();
            let mut text = envelope.and_then(|e| e.message.clone()).unwrap_or_default();
            if let Some(errors) = envelope
                .map(|e| &e.errors)
                .filter(|e| e.as_array().is_some_and(|a| !a.is_empty()))
            {
                text = format!("{text} {errors}");
            }
            self.clean(text.trim())
        };
        if status == StatusCode::UNAUTHORIZED || said.as_deref() == Some("401") {
            return Err(ProviderError::Auth {
                message: format!("the provider refused the login or token ({message})"),
            });
        }
        if status == StatusCode::NOT_FOUND || status == StatusCode::METHOD_NOT_ALLOWED {
            return Err(ProviderError::Rejected {
                code: Some(status.as_u16().to_string()),
                message: format!("the provider has no such service (HTTP {status})"),
                raw: self.clean(raw),
            });
        }
        match (status.is_success(), envelope) {
            (true, Some(envelope)) if envelope.status.as_deref().map(str::trim) == Some("200") => {
                Ok(envelope.data)
            }
            (_, Some(envelope)) if envelope.status.is_some() => Err(ProviderError::Rejected {
                code: envelope.status.as_deref().map(|s| self.clean(s)),
                message,
                raw: self.clean(raw),
            }),
            (true, _) => Err(self.malformed("the reply has no status", raw)),
            (false, _) => Err(self.malformed(format!("unexpected HTTP status {status}"), raw)),
        }
    }

    /// Interprets a reply to `credit`: the current credit.
    pub fn read_balance_reply(
        &self,
        status: StatusCode,
        raw: &str,
    ) -> Result<Money, ProviderError> {
        let data = self.read_envelope(status, raw)?;
        let text = match &data {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.trim().to_string(),
            other => return Err(self.malformed(format!("credit is not a number: {other}"), raw)),
        };
        Money::parse_signed(&text, self.unit)
            .map_err(|e| self.malformed(format!("credit “{text}”: {e}"), raw))
    }

    /// Whether a statement reply says "no content": HTTP 204, or result 1002 in `status` or
    /// in an error's `code` — `NoContent = 1002` ("داده ای وجود ندارد", no data) in the SDK's
    /// result codes (KaransCo/sabapayamak-dotnet, Enum/ResultStatus.cs), HTTP 204 its
    /// `HttpStatus.NoContent`. Where the live API puts 1002 is in no source: both are read.
    fn says_no_content(status: StatusCode, raw: &str) -> bool {
        if status == StatusCode::NO_CONTENT || (status.is_success() && raw.trim().is_empty()) {
            return true;
        }
        let Ok(value) = lenient::parse_value(raw) else {
            return false;
        };
        let is_code = |v: &Value| lenient::value_as_int(v) == Some(1002);
        value.get("status").is_some_and(is_code)
            || value
                .get("errors")
                .and_then(Value::as_array)
                .is_some_and(|errors| errors.iter().any(|e| e.get("code").is_some_and(is_code)))
    }

    /// A wire amount in the unit's decimals; a .NET `double` artefact such as
    /// `0.30000000000000004` is rounded (and the rounding logged), never refused.
    fn wire_amount(&self, wire: &WireDecimal, raw: &str) -> Result<Money, ProviderError> {
        let Some((text, rounded)) = lenient::round_decimal(&wire.0, self.unit.scale()) else {
            // Not in a .NET double's form (a decimal comma, say): read as money is written.
            return Money::parse_signed(&wire.0, self.unit)
                .map_err(|e| self.malformed(format!("amount “{}”: {e}", wire.0), raw));
        };
        if rounded {
            tracing::info!(
                wire = %wire.0, read = %text,
                "a statement amount had more decimals than the unit: rounded (a .NET double)"
            );
        }
        Money::parse_signed(&text, self.unit)
            .map_err(|e| self.malformed(format!("amount “{}”: {e}", wire.0), raw))
    }

    /// Interprets a statement reply: its movements.
    pub fn read_statement_reply(
        &self,
        status: StatusCode,
        raw: &str,
    ) -> Result<Vec<Movement>, ProviderError> {
        if Self::says_no_content(status, raw) {
            return Ok(Vec::new());
        }
        let data = self.read_envelope(status, raw)?;
        let items: Vec<WireMovement> = match data {
            Value::Null => Vec::new(),
            other => serde_json::from_value(other)
                .map_err(|e| self.malformed(format!("unexpected statement shape: {e}"), raw))?,
        };
        items
            .into_iter()
            .map(|item| {
                let money = |w: &WireDecimal| self.wire_amount(w, raw);
                let kind_text = item.credit_type.unwrap_or_default();
                let when_text = item.insert_date.unwrap_or_default();
                let read = read_insert_date(&when_text);
                Ok(Movement {
                    kind: movement_kind(&kind_text),
                    kind_text: self.clean(&kind_text),
                    amount: money(&item.amount)?,
                    remaining: money(&item.credit_remain)?,
                    description: self.clean(&item.descriptions.unwrap_or_default()),
                    when_text: self.clean(&when_text),
                    day: read.as_ref().map(|(day, _)| *day),
                    time: read.and_then(|(_, time)| time),
                })
            })
            .collect()
    }

    /// Interprets a reply to `user/authenticate`: the token.
    pub fn read_auth_reply(&self, status: StatusCode, raw: &str) -> Result<Secret, ProviderError> {
        let data = self.read_envelope(status, raw).map_err(|e| match e {
            ProviderError::Rejected { message, .. } => ProviderError::Auth { message },
            other => other,
        })?;
        data.get("Token")
            .or_else(|| data.get("token"))
            .and_then(Value::as_str)
            .filter(|t| !t.trim().is_empty())
            .map(|t| Secret::new(t.trim()))
            .ok_or_else(|| self.malformed("the reply has no token", "[authentication reply]"))
    }

    async fn authenticate(&self) -> Result<Secret, ProviderError> {
        let body = json!({
            "Username": self.username.expose(),
            "Password": self.password.expose(),
            "VirtualNumber": self.virtual_number,
            "TokenValidDay": self.valid_days,
        });
        let call = self
            .http
            .post(endpoint(&self.base, "user/authenticate"))
            .header(reqwest::header::ACCEPT, "application/json")
            .json(&body);
        let (status, raw) = send_and_read_credentials(call).await?;
        let token = self.read_auth_reply(status, &raw)?;
        let expiry = now_secs() + i64::from(self.valid_days) * 86_400;
        if let Ok(mut session) = self.session.lock() {
            *session = Some((expiry, token.clone()));
        }
        if let Some(secrets) = self.secrets.clone() {
            let (profile, saved) = (self.profile.clone(), format!("{expiry} {}", token.expose()));
            // Keeping the token only saves a login next time: a failure to store it is not fatal.
            let _ = tokio::task::spawn_blocking(move || {
                secrets.set(&profile, SecretKind::SessionToken, &saved)
            })
            .await;
        }
        Ok(token)
    }

    /// How long before expiry a token is renewed: a day, or half its life if that is shorter.
    fn renew_margin(&self) -> i64 {
        RENEW_BEFORE_SECS.min(i64::from(self.valid_days) * 86_400 / 2)
    }

    async fn token(&self) -> Result<Secret, ProviderError> {
        let saved = self.session.lock().ok().and_then(|s| s.clone());
        match saved {
            Some((expiry, token)) if expiry - now_secs() > self.renew_margin() => Ok(token),
            _ => self.authenticate().await,
        }
    }

    /// GETs a path with the token; a refused token is renewed once.
    async fn get(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<(StatusCode, String), ProviderError> {
        let call = |token: &Secret| {
            self.http
                .get(endpoint(&self.base, path))
                .bearer_auth(token.expose())
                .header(reqwest::header::ACCEPT, "application/json")
                .query(query)
        };
        let (status, raw) = send_and_read(call(&self.token().await?)).await?;
        let refused = status == StatusCode::UNAUTHORIZED
            || lenient::decode::<Envelope>(&raw)
                .ok()
                .and_then(|e| e.status)
                .is_some_and(|s| s.trim() == "401");
        if !refused {
            return Ok((status, raw));
        }
        let token = self.authenticate().await?;
        send_and_read(call(&token)).await
    }

    /// GETs a statement at `{statement_path}{rest}` (the SDKs' singular `credit` unless the
    /// profile says otherwise), and at the other spelling if that one is not there.
    async fn get_statement(
        &self,
        rest: &str,
        query: &[(&str, String)],
    ) -> Result<Vec<Movement>, ProviderError> {
        let first = self.statement_path.as_str();
        let other = if first == "credits" {
            "credit"
        } else {
            "credits"
        };
        let (status, raw) = self.get(&format!("{first}{rest}"), query).await?;
        // A server that ignores the query of `credit?StartDate=…` answers the balance there.
        let balance_instead = status.is_success()
            && lenient::decode::<Envelope>(&raw).is_ok_and(|e| e.data.is_number());
        if status == StatusCode::NOT_FOUND || balance_instead {
            let (status, raw) = self.get(&format!("{other}{rest}"), query).await?;
            return self.read_statement_reply(status, &raw);
        }
        self.read_statement_reply(status, &raw)
    }

    async fn read_statement(&self, query: &StatementQuery) -> Result<Vec<Movement>, ProviderError> {
        match *query {
            StatementQuery::Range { from, to } => {
                let params = [("StartDate", from.to_string()), ("EndDate", to.to_string())];
                self.get_statement("", &params).await
            }
            StatementQuery::Last { count, kind: None } => {
                self.get_statement(&format!("/{count}"), &[]).await
            }
            StatementQuery::Last {
                count,
                kind: Some(kind),
            } => {
                let path = format!("/{}/{count}", kind_path(kind));
                self.get_statement(&path, &[]).await
            }
        }
    }

    async fn credit(&self) -> Result<Money, ProviderError> {
        let (status, raw) = self.get("credit", &[]).await?;
        self.read_balance_reply(status, &raw)
    }
}

impl BalanceRead for SabaPayamak {
    fn balance(&self) -> BoxFuture<'_, Result<Money, ProviderError>> {
        Box::pin(self.credit())
    }
}

impl Statement for SabaPayamak {
    fn statement<'a>(
        &'a self,
        query: &'a StatementQuery,
    ) -> BoxFuture<'a, Result<Vec<Movement>, ProviderError>> {
        Box::pin(self.read_statement(query))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_movement_types_map_to_the_four_kinds() {
        assert_eq!(movement_kind("ارسال"), Some(MovementKind::Send));
        assert_eq!(movement_kind(" دریافت "), Some(MovementKind::Receive));
        assert_eq!(movement_kind("شارژ"), Some(MovementKind::Purchase));
        assert_eq!(movement_kind("برگشت اعتبار"), Some(MovementKind::Refund));
        assert_eq!(
            movement_kind("برگشت\u{200c}اعتبار"),
            Some(MovementKind::Refund)
        );
        assert_eq!(movement_kind("هدیه"), None);
    }

    #[test]
    fn insert_dates_are_read_in_either_calendar() {
        let (day, time) = read_insert_date("2020\\02\\02 14:14:15").unwrap();
        assert_eq!(day.to_gregorian(), (2020, 2, 2));
        assert_eq!(time.as_deref(), Some("14:14:15"));
        let (day, _) = read_insert_date("1403/01/05 10:00:00").unwrap();
        assert_eq!(day, JalaliDate::new(1403, 1, 5).unwrap());
        let (day, time) = read_insert_date("2024-03-20T08:00:00").unwrap();
        assert_eq!(day, JalaliDate::new(1403, 1, 1).unwrap());
        assert_eq!(time.as_deref(), Some("08:00:00"));
        assert_eq!(read_insert_date("yesterday"), None);
        // Mehr has 30 days: an impossible Jalali date is not taken for a Gregorian one.
        assert_eq!(read_insert_date("1403/07/31 10:00:00"), None);
        assert_eq!(read_insert_date(""), None);
    }
}
