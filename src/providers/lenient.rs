//! Tolerant decoding of provider replies.
//!
//! Providers document (and may send) bodies that are not valid JSON: single quotes, trailing
//! commas, unquoted strings, PHP `=>` arrows, invalid escapes such as `\0`. We decode strictly
//! first and fall back on this forgiving reader, which never panics. Numbers keep their exact
//! decimal text (serde_json's `arbitrary_precision`), so amounts never pass through `f64`.

use serde::{Deserialize, Deserializer, de::DeserializeOwned};
use serde_json::{Map, Value};

/// Decodes a reply body into `T`: strict JSON first, then the forgiving reader.
pub fn decode<T: DeserializeOwned>(raw: &str) -> Result<T, String> {
    let value = parse_value(raw)?;
    serde_json::from_value(value).map_err(|e| format!("unexpected reply shape: {e}"))
}

/// Parses a reply body into a JSON value: strict JSON first, then the forgiving reader.
pub fn parse_value(raw: &str) -> Result<Value, String> {
    let text = raw.trim_start_matches('\u{feff}');
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        return Ok(value);
    }
    let mut reader = Reader {
        chars: text.chars().collect(),
        pos: 0,
    };
    reader.skip_blank();
    if !matches!(reader.peek(), Some('{' | '[')) {
        return Err("the reply is not JSON".to_string());
    }
    let value = reader.value(0)?;
    reader.skip_blank();
    if reader.pos < reader.chars.len() {
        return Err(format!(
            "unexpected text after the reply at character {}",
            reader.pos
        ));
    }
    Ok(value)
}

const MAX_DEPTH: usize = 64;

struct Reader {
    chars: Vec<char>,
    pos: usize,
}

impl Reader {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_blank(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn fail<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at character {}", self.pos))
    }

    fn value(&mut self, depth: usize) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return self.fail("reply nested too deeply");
        }
        self.skip_blank();
        match self.peek() {
            None => self.fail("reply ended early"),
            Some('{') => self.object(depth),
            Some('[') => self.array(depth),
            Some(q @ ('"' | '\'')) => self.string(q).map(Value::String),
            Some(_) => self.bare_word().map(|word| word_value(&word)),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, String> {
        self.pos += 1;
        let mut map = Map::new();
        loop {
            self.skip_blank();
            match self.peek() {
                None => return self.fail("object not closed"),
                Some('}') => {
                    self.pos += 1;
                    return Ok(Value::Object(map));
                }
                Some(',') => {
                    self.pos += 1;
                    continue;
                }
                Some(q @ ('"' | '\'')) => {
                    let key = self.string(q)?;
                    self.separator()?;
                    let value = self.value(depth + 1)?;
                    map.insert(key, value);
                }
                Some(_) => {
                    let key = self.bare_word()?;
                    self.separator()?;
                    let value = self.value(depth + 1)?;
                    map.insert(key, value);
                }
            }
        }
    }

    /// `:` or PHP's `=>` between a key and its value.
    fn separator(&mut self) -> Result<(), String> {
        self.skip_blank();
        match (self.peek(), self.chars.get(self.pos + 1)) {
            (Some(':'), _) => self.pos += 1,
            (Some('='), Some('>')) => self.pos += 2,
            _ => return self.fail("expected ':' after a key"),
        }
        Ok(())
    }

    fn array(&mut self, depth: usize) -> Result<Value, String> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_blank();
            match self.peek() {
                None => return self.fail("list not closed"),
                Some(']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                Some(',') => self.pos += 1,
                Some(_) => items.push(self.value(depth + 1)?),
            }
        }
    }

    fn string(&mut self, quote: char) -> Result<String, String> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return self.fail("text not closed");
            };
            self.pos += 1;
            match c {
                c if c == quote => return Ok(out),
                '\\' => {
                    let Some(escaped) = self.peek() else {
                        return self.fail("text not closed");
                    };
                    self.pos += 1;
                    match escaped {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        '"' | '\'' | '\\' | '/' => out.push(escaped),
                        'u' => match self.unicode_escape() {
                            Some(ch) => out.push(ch),
                            None => out.push_str("\\u"),
                        },
                        // Unknown escapes such as "2020\02\02" are kept as written.
                        other => {
                            out.push('\\');
                            out.push(other);
                        }
                    }
                }
                other => out.push(other),
            }
        }
    }

    fn unicode_escape(&mut self) -> Option<char> {
        let hex: String = self.chars.get(self.pos..self.pos + 4)?.iter().collect();
        let code = u32::from_str_radix(&hex, 16).ok()?;
        self.pos += 4;
        Some(char::from_u32(code).unwrap_or('\u{fffd}'))
    }

    /// An unquoted word: a number, true/false/null, or a string someone forgot to quote.
    fn bare_word(&mut self) -> Result<String, String> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            let arrow = c == '=' && self.chars.get(self.pos + 1) == Some(&'>');
            if matches!(c, ',' | '}' | ']' | ':' | '{' | '[') || arrow {
                break;
            }
            self.pos += 1;
        }
        let word: String = self.chars[start..self.pos].iter().collect();
        let word = word.trim().to_string();
        if word.is_empty() {
            return self.fail("expected a value");
        }
        Ok(word)
    }
}

fn word_value(word: &str) -> Value {
    match word {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" | "NULL" => Value::Null,
        _ => serde_json::from_str::<serde_json::Number>(word)
            .map(Value::Number)
            .unwrap_or_else(|_| Value::String(word.to_string())),
    }
}

/// The texts of the `<entry>` elements of an XML reply such as SMS Partner's
/// `<result><entry>true</entry>…</result>`, CDATA unwrapped and trimmed; `None` if there are none.
pub fn xml_entries(raw: &str) -> Option<Vec<String>> {
    let mut entries = Vec::new();
    let mut rest = raw;
    while let Some(start) = rest.find("<entry>") {
        let after = &rest[start + "<entry>".len()..];
        let end = after.find("</entry>")?;
        let inner = after[..end].trim();
        let inner = inner
            .strip_prefix("<![CDATA[")
            .and_then(|t| t.strip_suffix("]]>"))
            .unwrap_or(inner);
        entries.push(inner.trim().to_string());
        rest = &after[end + "</entry>".len()..];
    }
    (!entries.is_empty()).then_some(entries)
}

/// Reads an integer sent as a JSON number or as text (`1`, `"1"`).
pub fn int_or_text<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let value = Value::deserialize(d)?;
    value_as_int(&value)
        .ok_or_else(|| serde::de::Error::custom(format!("expected a whole number, got {value}")))
}

/// The integer in a JSON number or text value.
pub fn value_as_int(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// Reads an optional text field that a provider may send as text, a number or something else
/// (`"qvatel-1"`, `23479287356`): plain values become their text, `null` becomes `None`.
pub fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Null => None,
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    })
}

/// A decimal amount as the provider wrote it (`20`, `20.00`, `"0.800"`), kept as exact text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireDecimal(pub String);

impl<'de> Deserialize<'de> for WireDecimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Number(n) => Ok(WireDecimal(n.to_string())),
            Value::String(s) => Ok(WireDecimal(s.trim().to_string())),
            other => Err(serde::de::Error::custom(format!(
                "expected an amount, got {other}"
            ))),
        }
    }
}

/// Rounds a decimal as a .NET `double` writes it (`0.30000000000000004`, `1E-05`) to `scale`
/// decimals, half away from zero, without going through binary floating point. Returns the
/// plain decimal and whether digits were dropped; `None` when it is not a number.
pub fn round_decimal(text: &str, scale: u32) -> Option<(String, bool)> {
    let text = text.trim();
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (body, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits_only(whole) || !digits_only(fraction) {
        return None;
    }
    // All digits, and where the decimal point falls among them.
    let mut digits: Vec<u8> = whole
        .bytes()
        .chain(fraction.bytes())
        .map(|b| b - b'0')
        .collect();
    let mut point = whole.len() as i64 + i64::from(exponent);
    if point < 0 {
        let pad = usize::try_from(-point).ok()?.min(400);
        digits.splice(0..0, std::iter::repeat_n(0, pad));
        point = 0;
    }
    let point = usize::try_from(point).ok()?.min(400);
    if digits.len() < point {
        digits.resize(point, 0);
    }
    let keep = point + scale as usize;
    let dropped = digits.get(keep..).unwrap_or_default();
    let changed = dropped.iter().any(|d| *d != 0);
    let round_up = dropped.first().is_some_and(|d| *d >= 5);
    digits.resize(keep, 0);
    if round_up {
        let mut at = keep;
        loop {
            if at == 0 {
                digits.insert(0, 1);
                break;
            }
            at -= 1;
            if digits[at] == 9 {
                digits[at] = 0;
            } else {
                digits[at] += 1;
                break;
            }
        }
    }
    let point = digits.len() - scale as usize;
    let text_of = |d: &[u8]| d.iter().map(|d| char::from(b'0' + d)).collect::<String>();
    let whole = text_of(&digits[..point]);
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let mut out = String::new();
    if negative && digits.iter().any(|d| *d != 0) {
        out.push('-');
    }
    out.push_str(whole);
    if scale > 0 {
        out.push('.');
        out.push_str(&text_of(&digits[point..]));
    }
    Some((out, changed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strict_json_is_read_as_is() {
        assert_eq!(
            parse_value(r#"{"result":1,"balance":20.00}"#).unwrap()["balance"].to_string(),
            "20.00"
        );
    }

    #[test]
    fn documented_quirks_are_accepted() {
        let single_quotes =
            "{\n'result': 1,\n'destino': '+5352942387',\n'id_recarga': 'qvatel-23479287356',\n}";
        assert_eq!(
            parse_value(single_quotes).unwrap(),
            json!({"result": 1, "destino": "+5352942387", "id_recarga": "qvatel-23479287356"})
        );
        assert_eq!(
            parse_value(r#"{ "status" => "OK" }"#).unwrap(),
            json!({"status": "OK"})
        );
        assert_eq!(
            parse_value(r#"{"InsertDate": "2020\02\02 14:14:15"}"#).unwrap()["InsertDate"],
            json!("2020\\02\\02 14:14:15")
        );
        assert_eq!(
            parse_value("{status: OK, list: [1, 2.5, ], flag: true,}").unwrap(),
            json!({"status": "OK", "list": [1, 2.5], "flag": true})
        );
        assert_eq!(
            parse_value("{'amount': 2869.2}").unwrap()["amount"].to_string(),
            "2869.2"
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for body in [
            "",
            "{",
            "{'a': ",
            "{'a' 1}",
            "<html>502 Bad Gateway</html>",
            "}}}",
            "[[[[",
            "'unterminated",
            "\\u12",
        ] {
            assert!(parse_value(body).is_err(), "{body:?} should not decode");
        }
        let deep = "[".repeat(10_000);
        assert!(parse_value(&deep).is_err());
    }

    #[test]
    fn xml_entries_are_read_in_order() {
        let xml = "<?xml version=\"1.0\"?> <result> <entry>false</entry> <entry>10</entry> \
                   <entry> <![CDATA[Clé API incorrecte]]> </entry> </result>";
        assert_eq!(
            xml_entries(xml),
            Some(vec![
                "false".into(),
                "10".into(),
                "Clé API incorrecte".into()
            ])
        );
        assert_eq!(xml_entries("<result></result>"), None);
        assert_eq!(xml_entries("<entry>unclosed"), None);
    }

    #[test]
    fn numbers_and_amounts_accept_text_or_number() {
        #[derive(Deserialize)]
        struct Reply {
            #[serde(deserialize_with = "int_or_text")]
            result: i64,
            balance: WireDecimal,
        }
        let a: Reply = decode(r#"{"result":"1","balance":"0.800"}"#).unwrap();
        let b: Reply = decode("{'result': 1, 'balance': 0.800}").unwrap();
        assert_eq!((a.result, a.balance.0.as_str()), (1, "0.800"));
        assert_eq!((b.result, b.balance.0.as_str()), (1, "0.800"));
    }

    #[test]
    fn double_artefacts_round_to_the_units_scale() {
        let round = |t: &str, scale| round_decimal(t, scale);
        assert_eq!(round("0.30000000000000004", 2), Some(("0.30".into(), true)));
        assert_eq!(round("2869.2", 2), Some(("2869.20".into(), false)));
        assert_eq!(round("1234", 2), Some(("1234.00".into(), false)));
        assert_eq!(round("99.995", 2), Some(("100.00".into(), true)));
        assert_eq!(round("-0.004", 2), Some(("0.00".into(), true)));
        assert_eq!(round("-12.345", 2), Some(("-12.35".into(), true)));
        assert_eq!(round("1E-05", 2), Some(("0.00".into(), true)));
        assert_eq!(round("1.5e3", 0), Some(("1500".into(), false)));
        assert_eq!(round("4567.999999999999", 0), Some(("4568".into(), true)));
        assert_eq!(round(".5", 0), Some(("1".into(), true)));
        assert_eq!(round("abc", 2), None);
        assert_eq!(round("", 2), None);
        assert_eq!(round("1.2.3", 2), None);
    }
}
