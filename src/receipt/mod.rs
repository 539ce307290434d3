//! Receipts: what the customer is handed for a sale, from the ledger's facts about it.
//!
//! A receipt is assembled once ([`Receipt`]), laid out once as lines ([`layout`]), and written
//! in three forms: plain text to copy or share ([`text`]), ESC/POS bytes for a 58 or 80 mm
//! thermal printer ([`escpos`]; a Persian receipt goes as a shaped raster image, [`raster`]),
//! and PDF ([`pdf`]). [`deliver`] sends the bytes to a file, a network printer or the system
//! spooler. Every receipt printed is recorded first ([`Ledger::print_receipt`]): its number,
//! and whether it is a reprint.

pub mod deliver;
pub mod escpos;
pub mod layout;
pub mod pdf;
pub mod printer;
pub mod qr;
pub mod raster;
pub mod text;
pub mod words;

use crate::domain::{Money, Reference, TxState};
use crate::ledger::{Ledger, LedgerError, ShopDetails, TxKind, TxRecord};
use crate::providers::ProviderKind;
use crate::providers::registry::TopUpField;

pub use words::ReceiptLanguage;

/// The forms a receipt is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReceiptFormat {
    /// Plain UTF-8 text, the QR code drawn with block characters.
    Text,
    /// A PDF page at the receipt's width.
    Pdf,
    /// ESC/POS bytes for a thermal printer.
    Escpos,
}

impl ReceiptFormat {
    /// The word recorded with each print and used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            ReceiptFormat::Text => "text",
            ReceiptFormat::Pdf => "pdf",
            ReceiptFormat::Escpos => "escpos",
        }
    }
}

/// The paper a receipt is laid out for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaperWidth {
    /// 58 mm roll: 32 characters, 384 dots.
    Mm58,
    /// 80 mm roll: 48 characters, 576 dots.
    Mm80,
}

impl PaperWidth {
    /// The width a number on the command line names (58, 80).
    pub fn from_mm(mm: u32) -> Option<PaperWidth> {
        match mm {
            58 => Some(PaperWidth::Mm58),
            80 => Some(PaperWidth::Mm80),
            _ => None,
        }
    }

    /// The paper's width in millimetres.
    pub fn mm(self) -> u32 {
        match self {
            PaperWidth::Mm58 => 58,
            PaperWidth::Mm80 => 80,
        }
    }

    /// Characters per line in the printer's standard font (12 × 24 dots).
    pub fn chars(self) -> usize {
        match self {
            PaperWidth::Mm58 => 32,
            PaperWidth::Mm80 => 48,
        }
    }

    /// Printable dots per line at 203 dpi.
    pub fn dots(self) -> u32 {
        match self {
            PaperWidth::Mm58 => 384,
            PaperWidth::Mm80 => 576,
        }
    }
}

/// Everything a receipt says, in its language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub language: ReceiptLanguage,
    pub shop_name: String,
    pub shop_address: String,
    /// The counter whose receipt number this is.
    pub counter: String,
    /// The receipt's number, gap-free per counter.
    pub number: i64,
    /// 0 for the original, n for "REPRINT n".
    pub copy: i64,
    /// When the sale was made (Unix ms).
    pub sold_at: i64,
    /// Show the Jalali date beside the Gregorian one (Iranian profiles, Persian receipts).
    pub jalali: bool,
    pub kind: TxKind,
    /// The provider, as shops know it.
    pub provider: String,
    pub operator: Option<String>,
    pub circle: Option<String>,
    /// The destination as printed (masked when the shop asks for it).
    pub destination: String,
    /// What was sent, in the provider's unit.
    pub amount: Money,
    /// What the customer was charged, in the shop's currency, when the sale recorded a price.
    pub price: Option<Money>,
    pub reference: Reference,
    pub provider_ref: Option<String>,
    /// Succeeded, or pending/unknown (being confirmed).
    pub state: TxState,
}

impl Receipt {
    /// Whether the outcome is still being confirmed (pending or unknown): the receipt then
    /// tells the customer not to pay or send again.
    pub fn being_confirmed(&self) -> bool {
        matches!(self.state, TxState::Pending | TxState::Unknown)
    }
}

/// Records a print of the operation's receipt in `format` and assembles it: the first print
/// takes this counter's next receipt number, a later one is marked as a reprint. `language`
/// overrides the shop's choice.
pub fn issue(
    ledger: &Ledger,
    reference: &Reference,
    format: ReceiptFormat,
    language: Option<ReceiptLanguage>,
) -> Result<Receipt, LedgerError> {
    let print = ledger.print_receipt(reference, format.as_str())?;
    // The state printed is the one the print recorded (it may move on a moment later).
    let record = TxRecord {
        state: print.state,
        ..ledger.transaction(reference)?
    };
    let shop = ledger.shop_details()?;
    let profile = ledger
        .profiles()?
        .into_iter()
        .find(|p| p.id == record.profile_id);
    let provider = profile.as_ref().map(|p| p.provider);
    let language = language.unwrap_or_else(|| language_for(&shop, provider));
    let mut receipt = assemble(
        &record,
        &shop,
        provider,
        language,
        print.number,
        print.copy,
        &print.counter,
    );
    // Operators and circles by name, as the counter offered them, not by provider code.
    if let Some(profile) = &profile {
        let lists = ledger.topup_lists(profile)?;
        let name = |field: TopUpField, code: &Option<String>| {
            let code = code.as_deref()?;
            let list = lists.iter().find(|l| l.field == field)?;
            list.entries
                .iter()
                .find(|(c, _)| c.to_string() == code)
                .map(|(_, name)| name.clone())
        };
        receipt.operator =
            name(TopUpField::Operator, &receipt.operator).or(receipt.operator.take());
        receipt.circle = name(TopUpField::Circle, &receipt.circle).or(receipt.circle.take());
    }
    Ok(receipt)
}

/// The language a receipt is printed in: the shop's setting, else the one of the profile's
/// country (Spanish for Cuba and Mexico, Persian for Iran), else English.
pub fn language_for(shop: &ShopDetails, provider: Option<ProviderKind>) -> ReceiptLanguage {
    if let Some(chosen) = shop
        .receipt_language
        .as_deref()
        .and_then(ReceiptLanguage::from_tag)
    {
        return chosen;
    }
    match provider {
        Some(ProviderKind::Qvatel | ProviderKind::Marketext) => ReceiptLanguage::Spanish,
        Some(ProviderKind::Sabapayamak) => ReceiptLanguage::Persian,
        _ => ReceiptLanguage::English,
    }
}

/// A receipt from the operation's facts, its number and copy.
pub fn assemble(
    record: &TxRecord,
    shop: &ShopDetails,
    provider: Option<ProviderKind>,
    language: ReceiptLanguage,
    number: i64,
    copy: i64,
    counter: &str,
) -> Receipt {
    let extras: serde_json::Map<String, serde_json::Value> = record
        .request
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default();
    let extra = |key: &str| {
        extras.get(key).and_then(|v| match v {
            serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    let destination = if shop.mask_destinations && record.kind == TxKind::TopUp {
        mask_number(&record.destination)
    } else {
        record.destination.clone()
    };
    Receipt {
        language,
        shop_name: shop.name.clone(),
        shop_address: shop.address.clone(),
        counter: counter.to_string(),
        number,
        copy,
        sold_at: record.created_at,
        jalali: provider == Some(ProviderKind::Sabapayamak) || language == ReceiptLanguage::Persian,
        kind: record.kind,
        provider: provider
            .map(|p| p.display_name().to_string())
            .unwrap_or_default(),
        operator: extra("operator"),
        circle: extra("circle"),
        destination,
        amount: record.amount,
        price: None,
        reference: record.reference.clone(),
        provider_ref: record.provider_ref.clone(),
        state: record.state,
    }
}

/// A phone number with its middle digits hidden: the first four digits and the last two stay
/// ("+5352****87"), so the customer recognises it and a stranger cannot read it off.
pub fn mask_number(number: &str) -> String {
    let digits = number.chars().filter(char::is_ascii_digit).count();
    if digits <= 6 {
        return number.to_string();
    }
    let mut seen = 0;
    number
        .chars()
        .map(|c| {
            if !c.is_ascii_digit() {
                return c;
            }
            seen += 1;
            if seen <= 4 || seen > digits - 2 {
                c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_number_keeps_its_first_four_and_last_two_digits() {
        assert_eq!(mask_number("+5352942387"), "+5352****87");
        assert_eq!(mask_number("+919679833706"), "+9196******06");
        assert_eq!(mask_number("123456"), "123456");
    }
}
