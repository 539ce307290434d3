//! The shared HTTP client: timeouts, the https-only rule, and classification of transport
//! failures into the provider error taxonomy.

use std::net::IpAddr;
use std::time::Duration;

use reqwest::Url;

use super::error::ProviderError;

/// How long to wait for a connection and for a whole request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(5),
            request: Duration::from_secs(20),
        }
    }
}

/// Builds the HTTP client an adapter uses for `base`: rustls, our timeouts and user agent, and
/// no redirects (a redirected POST could be sent again, elsewhere). Proxies from the
/// environment apply to real providers, never to this computer's simulator.
pub fn client(timeouts: Timeouts, base: &Url) -> Result<reqwest::Client, ProviderError> {
    let mut builder = reqwest::Client::builder()
        .connect_timeout(timeouts.connect)
        .timeout(timeouts.request)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("saldo/", env!("CARGO_PKG_VERSION")));
    if is_loopback(base) {
        builder = builder.no_proxy();
    }
    builder.build().map_err(|e| ProviderError::NotSent {
        reason: format!("could not set up HTTPS: {}", e.without_url()),
    })
}

/// Why a profile's address cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AddressProblem {
    #[error("“{text}” is not a web address ({reason})")]
    NotAnAddress { text: String, reason: String },
    /// Plain `http://` to another computer: the API key would cross the network readable.
    #[error(
        "“{url}” uses plain http: only https:// is allowed, except for the simulator on this \
         computer (127.0.0.1)"
    )]
    PlainHttp { url: String },
    #[error("“{url}” must start with https:// (found {scheme}://)")]
    WrongScheme { url: String, scheme: String },
    #[error("“{url}” has no host name")]
    NoHost { url: String },
}

/// Checks a profile's base URL: `https://` always, plain `http://` only for this computer
/// (the simulator and tests). Returns the URL without a trailing slash.
pub fn check_base_url(text: &str) -> Result<Url, AddressProblem> {
    let url = Url::parse(text.trim()).map_err(|e| AddressProblem::NotAnAddress {
        text: text.trim().to_string(),
        reason: e.to_string(),
    })?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(AddressProblem::PlainHttp {
                url: url.to_string(),
            });
        }
        other => {
            return Err(AddressProblem::WrongScheme {
                url: url.to_string(),
                scheme: other.to_string(),
            });
        }
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(AddressProblem::NoHost {
            url: url.to_string(),
        });
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Joins a base URL and an endpoint path ("recharge/send").
pub fn endpoint(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let joined = format!(
        "{}/{}",
        url.path().trim_end_matches('/'),
        path.trim_start_matches('/')
    );
    url.set_path(&joined);
    url
}

/// The reason a timed-out request gives (the counter says it in plain words, with the limit).
pub const NO_ANSWER_IN_TIME: &str = "the provider did not answer in time";

/// Classifies a transport failure. Errors are stripped of the URL, which may carry a token in
/// its query string.
pub fn transport_error(error: reqwest::Error) -> ProviderError {
    let error = error.without_url();
    if error.is_builder() {
        return ProviderError::NotSent {
            reason: format!("the request could not be built: {}", describe(&error)),
        };
    }
    if error.is_connect() {
        return ProviderError::NotSent {
            reason: describe(&error),
        };
    }
    if error.is_timeout() {
        return ProviderError::MaybeSent {
            reason: NO_ANSWER_IN_TIME.to_string(),
        };
    }
    ProviderError::MaybeSent {
        reason: describe(&error),
    }
}

/// The error and its causes in one line, without the URL.
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Sends a request and reads the whole reply body. Transport failures are classified; a reply
/// with an HTTP error status is returned as is for the adapter to interpret, except 429 and 5xx.
pub async fn send_and_read(
    request: reqwest::RequestBuilder,
) -> Result<(reqwest::StatusCode, String), ProviderError> {
    exchange(request, Bodies::Logged).await
}

/// Like [`send_and_read`], for a credential endpoint (a login, a token renewal): neither the
/// request's body nor the reply's is ever logged, at any level. Such a reply may carry new
/// tokens in a form nobody can parse — and so nobody can redact.
pub async fn send_and_read_credentials(
    request: reqwest::RequestBuilder,
) -> Result<(reqwest::StatusCode, String), ProviderError> {
    exchange(request, Bodies::Withheld).await
}

/// Whether an exchange's bodies may reach the log.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bodies {
    Logged,
    Withheld,
}

async fn exchange(
    request: reqwest::RequestBuilder,
    bodies: Bodies,
) -> Result<(reqwest::StatusCode, String), ProviderError> {
    let (client, request) = request.build_split();
    let request = request.map_err(transport_error)?;
    let (method, url) = (request.method().clone(), request.url().clone());
    let (host, path) = (
        url.host_str().unwrap_or("").to_string(),
        url.path().to_string(),
    );
    tracing::debug!(%method, %host, %path, "request");
    if bodies == Bodies::Logged {
        tracing::trace!(
            query = url.query().unwrap_or(""),
            headers = ?request.headers(),
            body = %request.body().and_then(|b| b.as_bytes()).map(String::from_utf8_lossy).unwrap_or_default(),
            "request in full"
        );
    }
    let mut taped = super::tape::recording().then(|| super::tape::Exchange {
        method: method.to_string(),
        url: url.to_string(),
        headers: request
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: request
            .body()
            .and_then(|b| b.as_bytes())
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default(),
        credential: bodies == Bodies::Withheld,
        ..Default::default()
    });
    let started = std::time::Instant::now();
    let elapsed_ms = || started.elapsed().as_millis();
    let no_reply = |error: reqwest::Error| {
        let error = transport_error(error);
        tracing::warn!(%method, %path, elapsed_ms = elapsed_ms(), %error, "no reply");
        error
    };
    let response = match client.execute(request).await {
        Ok(response) => response,
        Err(error) => {
            let error = no_reply(error);
            if let Some(mut exchange) = taped.take() {
                exchange.failure = Some(error.to_string());
                super::tape::keep(exchange);
            }
            return Err(error);
        }
    };
    let status = response.status();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let body = match response.text().await {
        Ok(body) => body,
        Err(error) => {
            let error = no_reply(error);
            if let Some(mut exchange) = taped.take() {
                exchange.status = Some(status.as_u16());
                exchange.failure = Some(error.to_string());
                super::tape::keep(exchange);
            }
            return Err(error);
        }
    };
    if let Some(mut exchange) = taped.take() {
        exchange.status = Some(status.as_u16());
        exchange.reply = body.clone();
        super::tape::keep(exchange);
    }
    let shown = match bodies {
        Bodies::Logged => clipped(&body),
        Bodies::Withheld => format!("[a credential reply of {} bytes, not logged]", body.len()),
    };
    tracing::debug!(
        %method,
        %path,
        status = status.as_u16(),
        elapsed_ms = elapsed_ms(),
        body = %shown,
        "reply"
    );
    if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        return Err(ProviderError::RateLimited { retry_after });
    }
    if status.is_server_error() {
        return Err(ProviderError::MaybeSent {
            reason: format!("the provider answered with a server error ({status})"),
        });
    }
    Ok((status, body))
}

/// A reply body short enough for one log line.
fn clipped(body: &str) -> String {
    const MOST: usize = 2_000;
    let flat = body.replace(['\n', '\r'], " ");
    match flat.char_indices().nth(MOST) {
        Some((end, _)) => format!("{}… ({} bytes)", &flat[..end], body.len()),
        None => flat,
    }
}

/// Removes every given secret from a text kept for the audit trail or shown to a person: as
/// written, JSON-escaped (`/` as `\/`) and percent-encoded.
pub fn redact<S: AsRef<str>>(text: &str, secrets: &[S]) -> String {
    let mut clean = text.to_string();
    for secret in secrets.iter().map(AsRef::as_ref).filter(|s| s.len() >= 4) {
        for form in crate::logging::redact::spellings(secret) {
            clean = clean.replace(&form, "[redacted]");
        }
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_is_required_except_on_loopback() {
        assert!(check_base_url("https://qvatel.com/api").is_ok());
        assert!(check_base_url("http://127.0.0.1:8080/qvatel/api").is_ok());
        assert!(check_base_url("http://127.4.5.6/x").is_ok());
        assert!(check_base_url("http://localhost:9/x").is_ok());
        assert!(check_base_url("http://[::1]:9/x").is_ok());
        let err = check_base_url("http://qvatel.com/api").unwrap_err();
        assert!(err.to_string().contains("only https://"), "{err}");
        assert!(check_base_url("http://192.168.1.5/api").is_err());
        assert!(check_base_url("ftp://qvatel.com").is_err());
        assert!(check_base_url("qvatel.com/api").is_err());
    }

    #[test]
    fn endpoints_join_without_double_slashes() {
        let base = check_base_url("https://qvatel.com/api/").unwrap();
        assert_eq!(
            endpoint(&base, "recharge/send").as_str(),
            "https://qvatel.com/api/recharge/send"
        );
    }

    #[test]
    fn secrets_are_redacted() {
        assert_eq!(
            redact("token=abcd1234&x=1", &["abcd1234"]),
            "token=[redacted]&x=1"
        );
        let secret = "ab/cd+ef=";
        for text in ["k=ab/cd+ef=", r#"{"k":"ab\/cd+ef="}"#, "k=ab%2Fcd%2Bef%3D"] {
            assert!(!redact(text, &[secret]).contains("cd"), "{text}");
        }
    }
}
