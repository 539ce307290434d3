//! A receipt as an ordered list of lines, the same for every form it is written in: each
//! writer (text, ESC/POS, raster, PDF) only decides how a kind of line looks.

use super::{Receipt, ReceiptLanguage};
use crate::ledger::TxKind;

/// One line of a receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    /// The shop's name: large and centred.
    Title(String),
    /// Centred text (the address, a closing word).
    Centered(String),
    /// A label and its value, the label at the start of the line and the value at its end.
    Field { label: String, value: String },
    /// Something the customer must not miss (a reprint, an outcome still being confirmed):
    /// bold and centred.
    Notice(String),
    /// A horizontal rule.
    Rule,
    /// A QR code carrying this text.
    Qr(String),
}

/// The lines of `receipt`, top to bottom.
pub fn lines(receipt: &Receipt) -> Vec<Line> {
    let language = receipt.language;
    let word = |id: &str| language.word(id);
    let field = |id: &str, value: String| Line::Field {
        label: word(id),
        value,
    };
    let mut out = Vec::new();
    if !receipt.shop_name.trim().is_empty() {
        out.push(Line::Title(receipt.shop_name.trim().to_string()));
    }
    out.extend(
        receipt
            .shop_address
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| Line::Centered(l.to_string())),
    );
    out.push(Line::Rule);
    if receipt.copy > 0 {
        out.push(Line::Notice(language.word_with(
            "receipt-reprint",
            "copy",
            receipt.copy,
        )));
    }
    out.push(field(
        "receipt-number",
        language.digits(&receipt.number.to_string()),
    ));
    out.push(field("receipt-counter", receipt.counter.clone()));
    out.push(field("receipt-date", language.date_time(receipt.sold_at)));
    if receipt.jalali {
        out.push(field(
            "receipt-date-jalali",
            language.jalali_date_time(receipt.sold_at),
        ));
    }
    out.push(Line::Rule);
    out.push(field("receipt-sold", kind_word(language, receipt.kind)));
    if !receipt.provider.is_empty() {
        out.push(Line::Field {
            label: String::new(),
            value: receipt.provider.clone(),
        });
    }
    if let Some(operator) = &receipt.operator {
        out.push(field("receipt-operator", operator.clone()));
    }
    if let Some(circle) = &receipt.circle {
        out.push(field("receipt-circle", circle.clone()));
    }
    let destination_word = match receipt.kind {
        TxKind::TopUp => "receipt-destination",
        _ => "receipt-account",
    };
    out.push(field(destination_word, receipt.destination.clone()));
    out.push(field("receipt-amount", language.money(receipt.amount)));
    if let Some(price) = receipt.price {
        out.push(field("receipt-price", language.money(price)));
    }
    out.push(Line::Rule);
    out.push(field("receipt-our-ref", receipt.reference.to_string()));
    if let Some(provider_ref) = &receipt.provider_ref {
        out.push(field("receipt-provider-ref", provider_ref.clone()));
    }
    let outcome = if receipt.being_confirmed() {
        "outcome-confirming"
    } else {
        "outcome-succeeded"
    };
    out.push(field("receipt-outcome", word(outcome)));
    if receipt.being_confirmed() {
        out.push(Line::Notice(word("receipt-confirming-notice")));
    }
    out.push(Line::Qr(receipt.reference.to_string()));
    out.push(Line::Centered(word("receipt-thanks")));
    out
}

fn kind_word(language: ReceiptLanguage, kind: TxKind) -> String {
    language.word(match kind {
        TxKind::TopUp => "kind-topup",
        TxKind::CreditAdd => "kind-credit-add",
        TxKind::CreditRemove => "kind-credit-remove",
        TxKind::Transfer => "kind-transfer",
    })
}
