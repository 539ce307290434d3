//! Amounts in the window's language: English groups thousands with "," and writes decimals
//! after "."; Spanish (CLDR's `es`) groups with "." from five digits on and writes decimals
//! after ",". The ledger, the CSV export and the command line keep the plain form.

use crate::domain::Money;
use crate::ui::text::i18n::{Language, language};

/// `money` as the window's language writes it ("14,810,150.00 IRR", "14.810.150,00 IRR").
pub fn money_text(money: Money) -> String {
    match language() {
        Language::English => money.to_grouped_string(',', '.', 4),
        Language::Spanish => money.to_grouped_string('.', ',', 5),
    }
}
