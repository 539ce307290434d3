//! Removing secrets from text before it is written to a log: every secret value saldo has held
//! in this process (as written, JSON-escaped and percent-encoded), and any value named like a
//! credential (`api_token=…`, `"Password":"…"`, `Authorization: Bearer …`).

use std::cmp::Reverse;
use std::collections::BTreeSet;
use std::sync::{Mutex, MutexGuard};

/// What a removed value is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Words that name a credential in a field, parameter or header name.
pub const SECRET_WORDS: [&str; 6] = [
    "token",
    "password",
    "apikey",
    "api_key",
    "authorization",
    "secret",
];

/// Shorter values are not remembered: they would blank out ordinary words and digits.
const SHORTEST_SECRET: usize = 6;
/// A bound on the remembered values (sub-account handles are secrets too, and can be many).
const MOST_SECRETS: usize = 60_000;

/// Every spelling of every remembered secret, longest first (so a secret that contains another
/// is removed whole).
static KNOWN_SECRETS: Mutex<BTreeSet<(Reverse<usize>, String)>> = Mutex::new(BTreeSet::new());

fn known() -> MutexGuard<'static, BTreeSet<(Reverse<usize>, String)>> {
    KNOWN_SECRETS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The ways a secret appears in a request, a reply or a log line: as written, JSON-escaped
/// (`/` as `\/`) and percent-encoded.
pub fn spellings(secret: &str) -> [String; 3] {
    [
        secret.to_string(),
        secret.replace('/', "\\/"),
        url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
    ]
}

/// Remembers a secret value so that no log line can carry it. Called by [`crate::secrets`]
/// for every secret read, saved or received.
pub fn remember_secret(value: &str) {
    let value = value.trim();
    if value.len() < SHORTEST_SECRET {
        return;
    }
    let mut known = known();
    for form in spellings(value) {
        if known.len() < MOST_SECRETS {
            known.insert((Reverse(form.len()), form));
        }
    }
}

/// Whether a field or parameter name names a credential.
pub fn names_a_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    SECRET_WORDS.iter().any(|word| name.contains(word))
}

/// The text with every remembered secret and every credential-named value replaced.
pub fn redact_line(text: &str) -> String {
    redact_named_values(&redact_known(text))
}

fn redact_known(text: &str) -> String {
    let mut clean = text.to_string();
    for (_, form) in known().iter() {
        if clean.contains(form.as_str()) {
            clean = clean.replace(form.as_str(), REDACTED);
        }
    }
    clean
}

fn is_name_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-'
}

fn ends_value(byte: u8) -> bool {
    byte.is_ascii_whitespace() || b"\"'&,;}])<>".contains(&byte)
}

/// Where a value starting at `start` ends: at a closing quote (also an escaped one, `\"`),
/// a separator or a space; an object or array value (`{…}`, `[…]`) ends at its matching
/// bracket. A `\/` inside a value (JSON-escaped slash) is part of it.
fn value_end(bytes: &[u8], start: usize) -> usize {
    if let Some(&open @ (b'{' | b'[')) = bytes.get(start) {
        let close = if open == b'{' { b'}' } else { b']' };
        let mut depth = 0usize;
        for (offset, &byte) in bytes[start..].iter().enumerate() {
            if byte == open {
                depth += 1;
            } else if byte == close {
                depth -= 1;
                if depth == 0 {
                    return start + offset + 1;
                }
            }
        }
        return bytes.len();
    }
    let mut end = start;
    while end < bytes.len() && !ends_value(bytes[end]) {
        if bytes[end] == b'\\' && matches!(bytes.get(end + 1), Some(b'"' | b'\'')) {
            break;
        }
        end += 1;
    }
    end
}

/// Replaces the value after each credential-named key: `key=value`, `key: value`,
/// `"key":"value"`, `key => value`, and an `Authorization` header with its scheme.
fn redact_named_values(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut at = 0;
    while let Some((start, word)) = SECRET_WORDS
        .iter()
        .filter_map(|word| lower[at..].find(word).map(|i| (at + i, word.len())))
        .min()
    {
        // The whole name the word is part of (`api_token`, `tokenSubaccount`, `access_token`).
        let mut end = start + word;
        while end < bytes.len() && is_name_char(bytes[end]) {
            end += 1;
        }
        at = end;
        let Some(value_start) = value_after_separator(bytes, end) else {
            continue;
        };
        let value_start = skip_auth_scheme(bytes, value_start);
        if text[value_start..].starts_with(REDACTED) {
            at = value_start + REDACTED.len();
            continue;
        }
        let value_end = value_end(bytes, value_start);
        if value_end == value_start {
            continue;
        }
        out.push_str(&text[copied..value_start]);
        out.push_str(REDACTED);
        copied = value_end;
        at = value_end;
    }
    out.push_str(&text[copied..]);
    out
}

/// Where a value starts after a name: past an optional closing quote, spaces, one of `=`,
/// `:` or `=>`, spaces and an optional opening quote. `None` when no separator follows.
fn value_after_separator(bytes: &[u8], mut at: usize) -> Option<usize> {
    let skip = |at: &mut usize, set: &[u8]| {
        while *at < bytes.len() && set.contains(&bytes[*at]) {
            *at += 1;
        }
    };
    // Quotes may come escaped (`\"`) when a reply is logged inside a quoted field.
    skip(&mut at, b"\\\"' ");
    match bytes.get(at) {
        Some(b'=') if bytes.get(at + 1) == Some(&b'>') => at += 2,
        Some(b'=' | b':') => at += 1,
        _ => return None,
    }
    skip(&mut at, b" \\\"'");
    Some(at)
}

/// Skips `Bearer `, `Token ` or `Basic ` so that the credential after it is what is removed.
fn skip_auth_scheme(bytes: &[u8], at: usize) -> usize {
    for scheme in [&b"bearer "[..], b"token ", b"basic "] {
        if bytes[at..].starts_with(scheme) {
            return at + scheme.len();
        }
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_secrets_are_removed_in_every_spelling() {
        remember_secret("s3cr3t/value+x");
        let line = "url=https://x/?k=s3cr3t%2Fvalue%2Bx body={\"k\":\"s3cr3t\\/value+x\"} raw s3cr3t/value+x";
        let clean = redact_line(line);
        assert!(!clean.contains("s3cr3t"), "{clean}");
        assert_eq!(clean.matches(REDACTED).count(), 3, "{clean}");
    }

    #[test]
    fn short_values_are_not_remembered() {
        remember_secret("abc");
        assert_eq!(redact_line("abc def"), "abc def");
    }

    #[test]
    fn credential_named_values_are_removed() {
        let cases = [
            (
                "GET /me?apiKey=K1&page=2",
                "GET /me?apiKey=[redacted]&page=2",
            ),
            (
                r#"{"Username":"ali","Password":"p4ss","x":1}"#,
                r#"{"Username":"ali","Password":"[redacted]","x":1}"#,
            ),
            (
                "Authorization: Bearer eyJhbGciOi.x.y rest",
                "Authorization: Bearer [redacted] rest",
            ),
            (
                "authorization=Token abc123",
                "authorization=Token [redacted]",
            ),
            ("api_token => 'zz9'", "api_token => '[redacted]'"),
            (
                r#"{"access_token":"A","refresh_token":"R"}"#,
                r#"{"access_token":"[redacted]","refresh_token":"[redacted]"}"#,
            ),
            (
                "tokenSubaccount: abc, credit: 3",
                "tokenSubaccount: [redacted], credit: 3",
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(redact_line(line), expected, "{line}");
        }
    }

    #[test]
    fn words_without_a_value_are_kept() {
        for line in [
            "the token was renewed",
            "no password saved for profile cuba",
            "SecretKind ApiToken missing",
        ] {
            assert_eq!(redact_line(line), line);
        }
    }
}
