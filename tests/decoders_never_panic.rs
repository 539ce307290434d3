//! Property tests: every provider decoder takes arbitrary bytes without panicking, and the
//! account's secret never comes back in anything saldo would keep or show.

use std::sync::LazyLock;

use proptest::prelude::*;
use reqwest::StatusCode;
use saldo::domain::Unit;
use saldo::providers::http::{Timeouts, check_base_url, client};
use saldo::providers::lenient;
use saldo::providers::qvatel::QvaTel;
use saldo::providers::rechargekit::{Credentials, RechargeKit};
use saldo::providers::sabapayamak::SabaPayamak;
use saldo::providers::smspartner::SmsPartner;
use saldo::secrets::Secret;

const TOKEN: &str = "tok-SECRET-1234";

static QVATEL: LazyLock<QvaTel> = LazyLock::new(|| {
    let base = check_base_url("https://qvatel.example/api").unwrap();
    let http = client(Timeouts::default(), &base).unwrap();
    QvaTel::new(http, base, Secret::new(TOKEN), Unit::Usd)
});

static RECHARGEKIT: LazyLock<RechargeKit> = LazyLock::new(|| {
    let base = check_base_url("https://rechargekit.example/api").unwrap();
    let http = client(Timeouts::default(), &base).unwrap();
    RechargeKit::new(
        http,
        base,
        Credentials::Static(Secret::new(TOKEN)),
        Unit::Inr,
    )
});

static SABAPAYAMAK: LazyLock<SabaPayamak> = LazyLock::new(|| {
    let base = check_base_url("https://saba.example/api/v1").unwrap();
    let http = client(Timeouts::default(), &base).unwrap();
    SabaPayamak::new(
        http,
        base,
        Secret::new("user"),
        Secret::new(TOKEN),
        "3000",
        Unit::Irr,
    )
});

static SMSPARTNER: LazyLock<SmsPartner> = LazyLock::new(|| {
    let base = check_base_url("https://smspartner.example/v1").unwrap();
    let http = client(Timeouts::default(), &base).unwrap();
    SmsPartner::new(http, base, Secret::new(TOKEN), Unit::Eur)
});

/// Bodies that look like the providers' replies: JSON-ish punctuation, quotes, arrows,
/// escapes, XML entries, numbers, known keys and the secret itself.
fn replyish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "=>",
        "'",
        "\"",
        "\\",
        "\\0",
        "\\u00e9",
        " ",
        "\n",
        "1",
        "0",
        "-",
        "20.00",
        "2869.2",
        "\"0.800\"",
        "true",
        "false",
        "null",
        "result",
        "'result'",
        "\"success\"",
        "\"code\"",
        "10",
        "200",
        "error",
        "id_recarga",
        "estado",
        "Recargado",
        "balance",
        "credits",
        "data",
        "total",
        "credit",
        "subaccountCredit",
        "\"EUR\"",
        "msg",
        "orderid",
        "optransid",
        "wallet_amount",
        "Duplicate order",
        "<entry>",
        "</entry>",
        "<![CDATA[",
        "]]>",
        "<result>",
        TOKEN,
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|parts| parts.concat())
}

/// Reply-shaped objects: known keys with values that are numbers, words, nested objects or
/// texts holding the secret, written with either quote, `:` or `=>`, and maybe a trailing comma.
fn structured() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "result",
        "success",
        "code",
        "error",
        "message",
        "id_recarga",
        "estado",
        "balance",
        "credit",
        "subaccountCredit",
        "currency",
        "msg",
        "status",
        "orderid",
        "optransid",
        "wallet_amount",
        "total",
        "data",
        "credits",
    ]);
    let value = prop_oneof![
        Just("0".to_string()),
        Just("1".to_string()),
        Just("10".to_string()),
        Just("true".to_string()),
        Just("false".to_string()),
        Just("'EUR'".to_string()),
        Just("20.00".to_string()),
        Just(format!("'{TOKEN}'")),
        Just(format!("\"api_token {TOKEN} inválido\"")),
        Just(format!("{{'balance': '{TOKEN}', 'currency': 'EUR'}}")),
        Just(format!(
            "[{{'id': 1, 'token': '{TOKEN}', 'credits': {{'balance': '1.5'}}}}]"
        )),
        "[a-z0-9. ]{0,12}".prop_map(|w| format!("'{w}'")),
    ];
    let arrow = prop::sample::select(vec![": ", " => "]);
    let entry = (key, arrow, value).prop_map(|(k, a, v)| format!("'{k}'{a}{v}"));
    // Every reply starts the way the providers' do, so the interesting paths are reached.
    let head = prop::sample::select(vec![
        "'result': 0",
        "'result': 1",
        "'result': '0'",
        "'result': 7",
        "'success': false, 'code': 10",
        "'success': false, 'code': 8",
        "'success': true, 'code': 200",
        "'error': 0, 'status': 1",
        "'error': 0, 'status': 2",
        "'error': 1",
    ]);
    (head, prop::collection::vec(entry, 0..6), any::<bool>()).prop_map(
        |(head, entries, trailing)| {
            let comma = if trailing { "," } else { "" };
            let rest: String = entries.iter().map(|e| format!(", {e}")).collect();
            format!("{{{head}{rest}{comma}}}")
        },
    )
}

fn status() -> impl Strategy<Value = StatusCode> {
    let codes = vec![
        200u16, 200, 200, 200, 200, 200, 201, 301, 307, 400, 401, 403, 404, 405, 408, 422,
    ];
    prop::sample::select(codes).prop_map(|code| StatusCode::from_u16(code).unwrap())
}

fn no_secret<T: std::fmt::Debug>(result: &T) {
    let text = format!("{result:?}");
    assert!(!text.contains(TOKEN), "secret leaked: {text}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_lenient_reader_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = lenient::parse_value(&text);
        let _ = lenient::xml_entries(&text);
    }

    #[test]
    fn qvatel_decoders_never_panic_nor_leak(body in replyish(), status in status()) {
        no_secret(&QVATEL.read_send_reply(status, &body));
        no_secret(&QVATEL.read_status_reply(status, &body));
        no_secret(&QVATEL.read_balance_reply(status, &body));
    }

    #[test]
    fn smspartner_decoders_never_panic_nor_leak(body in replyish(), status in status()) {
        no_secret(&SMSPARTNER.read_me_reply(status, &body));
        no_secret(&SMSPARTNER.read_list_page(status, &body).map(|(subs, total)| (subs.len(), total)));
        no_secret(&SMSPARTNER.read_credit_reply(status, &body, "sub-handle-xyz"));
    }

    #[test]
    fn structured_replies_never_leak_the_secret(body in structured(), status in status()) {
        no_secret(&QVATEL.read_send_reply(status, &body));
        no_secret(&QVATEL.read_status_reply(status, &body));
        no_secret(&QVATEL.read_balance_reply(status, &body));
        no_secret(&SMSPARTNER.read_me_reply(status, &body));
        no_secret(&SMSPARTNER.read_list_page(status, &body).map(|(subs, total)| (subs.len(), total)));
        no_secret(&SMSPARTNER.read_credit_reply(status, &body, "sub-handle-xyz"));
        no_secret(&RECHARGEKIT.read_order_reply(status, &body));
        no_secret(&RECHARGEKIT.read_balance_reply(status, &body));
        no_secret(&RECHARGEKIT.read_operator_reply(status, &body));
        no_secret(&SABAPAYAMAK.read_balance_reply(status, &body));
        no_secret(&SABAPAYAMAK.read_statement_reply(status, &body));
        no_secret(&SABAPAYAMAK.read_auth_reply(status, &body).map(|_| ()));
    }

    #[test]
    fn arbitrary_bytes_never_panic_any_decoder(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let body = String::from_utf8_lossy(&bytes);
        let ok = StatusCode::OK;
        let _ = QVATEL.read_send_reply(ok, &body);
        let _ = QVATEL.read_status_reply(ok, &body);
        let _ = QVATEL.read_balance_reply(ok, &body);
        let _ = SMSPARTNER.read_me_reply(ok, &body);
        let _ = SMSPARTNER.read_list_page(ok, &body);
        let _ = SMSPARTNER.read_credit_reply(ok, &body, "sub-handle-xyz");
        let _ = saldo::providers::marketext::read_said(&body);
        let _ = RECHARGEKIT.read_order_reply(ok, &body);
        let _ = RECHARGEKIT.read_balance_reply(ok, &body);
        let _ = SABAPAYAMAK.read_balance_reply(ok, &body);
        let _ = SABAPAYAMAK.read_statement_reply(ok, &body);
        let _ = saldo::providers::sabapayamak::read_insert_date(&body);
    }

    #[test]
    fn marketext_replies_never_panic(body in replyish()) {
        let _ = saldo::providers::marketext::read_said(&body);
    }
}
