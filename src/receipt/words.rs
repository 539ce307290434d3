//! A receipt's words, numbers and dates in its own language (which need not be the window's):
//! English, Spanish or Persian, from the Fluent files in `assets/receipt/`.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

use crate::domain::Money;
use crate::domain::jalali::JalaliDate;

/// The languages a receipt is printed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReceiptLanguage {
    English,
    Spanish,
    Persian,
}

impl ReceiptLanguage {
    /// Every language, in the order a picker lists them.
    pub const ALL: [ReceiptLanguage; 3] = [
        ReceiptLanguage::English,
        ReceiptLanguage::Spanish,
        ReceiptLanguage::Persian,
    ];

    /// The BCP 47 tag ("en", "es", "fa").
    pub fn tag(self) -> &'static str {
        match self {
            ReceiptLanguage::English => "en",
            ReceiptLanguage::Spanish => "es",
            ReceiptLanguage::Persian => "fa",
        }
    }

    /// The language a tag names ("es", "es-MX", "fa_IR"), if a receipt can be printed in it.
    pub fn from_tag(tag: &str) -> Option<ReceiptLanguage> {
        let lower = tag.trim().to_ascii_lowercase();
        ReceiptLanguage::ALL.into_iter().find(|l| {
            lower == l.tag()
                || lower.starts_with(&format!("{}-", l.tag()))
                || lower.starts_with(&format!("{}_", l.tag()))
        })
    }

    /// The language's name in itself.
    pub fn native_name(self) -> &'static str {
        match self {
            ReceiptLanguage::English => "English",
            ReceiptLanguage::Spanish => "Español",
            ReceiptLanguage::Persian => "فارسی",
        }
    }

    /// Whether it is written right to left.
    pub fn is_rtl(self) -> bool {
        self == ReceiptLanguage::Persian
    }

    fn source(self) -> &'static str {
        match self {
            ReceiptLanguage::English => include_str!("../../assets/receipt/en.ftl"),
            ReceiptLanguage::Spanish => include_str!("../../assets/receipt/es.ftl"),
            ReceiptLanguage::Persian => include_str!("../../assets/receipt/fa.ftl"),
        }
    }

    /// The word or phrase `id` in this language.
    pub fn word(self, id: &str) -> String {
        self.phrase(id, None)
    }

    /// The phrase `id` with one numeric argument.
    pub fn word_with(self, id: &str, name: &str, value: i64) -> String {
        let mut args = FluentArgs::new();
        args.set(name, self.digits(&value.to_string()));
        self.phrase(id, Some(&args))
    }

    fn phrase(self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let bundle = &bundles()[self as usize];
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_string();
        };
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }

    /// `text` with its Latin digits written as this language writes them (Persian digits on a
    /// Persian receipt).
    pub fn digits(self, text: &str) -> String {
        match self {
            ReceiptLanguage::Persian => text
                .chars()
                .map(|c| match c.to_digit(10) {
                    Some(d) if c.is_ascii_digit() => char::from_u32('۰' as u32 + d).unwrap_or(c),
                    _ => c,
                })
                .collect(),
            _ => text.to_string(),
        }
    }

    /// An amount as this language writes it, with its unit: "1,250.00 CUP", "1.250,00 CUP",
    /// "۱٬۲۵۰٫۰۰ CUP".
    pub fn money(self, money: Money) -> String {
        let text = match self {
            ReceiptLanguage::English => money.to_grouped_string(',', '.', 4),
            ReceiptLanguage::Spanish => money.to_grouped_string('.', ',', 5),
            ReceiptLanguage::Persian => self.digits(&money.to_grouped_string('٬', '٫', 4)),
        };
        match (self, money.unit()) {
            // The rial by its Persian name on a Persian receipt.
            (ReceiptLanguage::Persian, crate::domain::Unit::Irr) => text.replace("IRR", "ریال"),
            _ => text,
        }
    }

    /// A ledger time as a local date and time on a receipt: "2026-12-07 18:30".
    pub fn date_time(self, unix_ms: i64) -> String {
        self.digits(&local(unix_ms).strftime("%Y-%m-%d %H:%M").to_string())
    }

    /// A ledger time as a local Jalali date and time: "1405/09/16 18:30".
    pub fn jalali_date_time(self, unix_ms: i64) -> String {
        let zoned = local(unix_ms);
        let day = JalaliDate::from_gregorian(
            i32::from(zoned.year()),
            zoned.month() as u8,
            zoned.day() as u8,
        )
        .map(|d| d.to_string())
        .unwrap_or_default();
        self.digits(&format!("{day} {}", zoned.strftime("%H:%M")))
    }
}

fn local(unix_ms: i64) -> jiff::Zoned {
    jiff::Timestamp::from_millisecond(unix_ms)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned(jiff::tz::TimeZone::system())
}

fn bundles() -> &'static [FluentBundle<FluentResource>] {
    static BUNDLES: OnceLock<Vec<FluentBundle<FluentResource>>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        ReceiptLanguage::ALL
            .iter()
            .map(|language| {
                let tag: unic_langid::LanguageIdentifier =
                    language.tag().parse().expect("a valid language tag");
                let mut bundle = FluentBundle::new_concurrent(vec![tag]);
                // A printer has no use for bidi isolation marks; a Persian receipt is laid
                // out right to left as a whole.
                bundle.set_use_isolating(false);
                let resource = FluentResource::try_new(language.source().to_string())
                    .expect("the receipt's Fluent file parses");
                bundle
                    .add_resource(resource)
                    .expect("no message is defined twice");
                bundle
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Unit;

    #[test]
    fn every_language_has_every_word_of_the_english_receipt() {
        let ids: Vec<String> = ReceiptLanguage::English
            .source()
            .lines()
            .filter_map(|line| line.split_once(" = ").map(|(id, _)| id.trim().to_string()))
            .collect();
        assert!(ids.len() > 20);
        for language in ReceiptLanguage::ALL {
            for id in &ids {
                assert_ne!(&language.word(id), id, "{id} missing in {}", language.tag());
            }
        }
    }

    #[test]
    fn amounts_and_digits_are_written_the_languages_way() {
        let money = Money::from_minor(1_250_00, Unit::Cup);
        assert_eq!(ReceiptLanguage::English.money(money), "1,250.00 CUP");
        assert_eq!(ReceiptLanguage::Spanish.money(money), "1250,00 CUP");
        assert_eq!(ReceiptLanguage::Persian.money(money), "۱٬۲۵۰٫۰۰ CUP");
        assert_eq!(
            ReceiptLanguage::Persian.word_with("receipt-reprint", "copy", 2),
            "چاپ مجدد ۲"
        );
        assert_eq!(
            ReceiptLanguage::from_tag("es_MX.UTF-8"),
            Some(ReceiptLanguage::Spanish)
        );
        assert_eq!(ReceiptLanguage::from_tag("de"), None);
    }
}
