//! What stops or threatens a sale, shown on the counter as soon as the profile is chosen — not
//! after the clerk has typed the sale: no keychain or a missing API key, an address saldo will
//! not send to, sales paused at the floor, a low balance, a balance that could not be read.

use egui::{Color32, RichText};

use crate::providers::Profile;
use crate::providers::http::check_base_url;
use crate::t;
use crate::ui::shop::Shop;
use crate::ui::text::error_text::secret_kind_text;
use crate::ui::text::numbers::money_text;
use crate::ui::theme::{self, FAILURE, WARNING};

/// One problem, and whether it stops sales.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Banner {
    pub blocks_sales: bool,
    pub text: String,
}

/// The problems of selling through `profile`, most serious first.
pub(crate) fn counter_banners(profile: &Profile, shop: &Shop) -> Vec<Banner> {
    let mut banners = Vec::new();
    if !shop.interrupted.is_empty() {
        let references: Vec<&str> = shop.interrupted.iter().map(|r| r.as_str()).collect();
        banners.push(Banner {
            blocks_sales: false,
            text: t!(
                "interrupted-notice",
                count = shop.interrupted.len(),
                references = references.join(", ")
            ),
        });
    }
    let block = |text: String| Banner {
        blocks_sales: true,
        text,
    };
    if let Some(status) = shop.secrets.get(&profile.name) {
        if let Some(error) = status.iter().find_map(|(_, has)| has.as_ref().err()) {
            banners.push(block(t!("banner-keychain", reason = error)));
        } else {
            let missing: Vec<String> = status
                .iter()
                .filter(|(_, has)| matches!(has, Ok(false)))
                .map(|(kind, _)| secret_kind_text(*kind))
                .collect();
            if !missing.is_empty() {
                banners.push(block(t!(
                    "banner-secret-missing",
                    secret = missing.join(", "),
                    profile = profile.name.as_str()
                )));
            }
        }
    }
    if let Err(reason) = check_base_url(&profile.base_url) {
        let reason = crate::ui::text::error_text::address_problem_text(&reason);
        banners.push(block(t!("banner-address", reason = reason)));
    }
    if let Some((balance, floor)) = shop.sales_paused(profile, None) {
        banners.push(block(t!(
            "counter-sales-paused",
            balance = money_text(balance),
            floor = money_text(floor)
        )));
    } else if shop.is_low(profile)
        && let (Some(reading), Some(level)) =
            (shop.reading(&profile.name), profile.settings.low_balance())
    {
        banners.push(Banner {
            blocks_sales: false,
            text: t!(
                "banner-low-balance",
                balance = money_text(reading.amount),
                level = money_text(level)
            ),
        });
    }
    if let Some(error) = shop
        .balances
        .get(&profile.name)
        .and_then(|b| b.error.clone())
    {
        banners.push(Banner {
            blocks_sales: false,
            text: t!("banner-balance-unread", reason = error),
        });
    }
    banners
}

/// Draws the banners, full width, red for what stops sales and amber for warnings; true when
/// one of them stops sales.
pub(super) fn banners_ui(ui: &mut egui::Ui, profile: &Profile, shop: &Shop) -> bool {
    let mut blocked = false;
    for banner in counter_banners(profile, shop) {
        blocked |= banner.blocks_sales;
        let colour = if banner.blocks_sales {
            FAILURE
        } else {
            WARNING
        };
        banner_ui(ui, colour, &banner.text);
    }
    blocked
}

/// One full-width banner in `colour`.
pub(crate) fn banner_ui(ui: &mut egui::Ui, colour: Color32, text: &str) {
    egui::Frame::new()
        .fill(theme::tint(ui, colour))
        .stroke(egui::Stroke::new(1.0, colour))
        .corner_radius(6.0)
        .inner_margin(egui::Margin::symmetric(12, 8))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(text).color(theme::ink(ui, colour)).strong());
        });
    ui.add_space(4.0);
}
