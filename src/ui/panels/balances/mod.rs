//! The balances board: a grid of equal cards that wraps to the window's width, one per
//! profile — name on top, the balance large with its unit, its age, chips for a low balance
//! and paused sales — refresh one or all.

use egui::{Frame, RichText};

use crate::providers::Profile;
use crate::providers::registry::capabilities_of;
use crate::t;
use crate::ui::backend::Command;
use crate::ui::panels::PanelContext;
use crate::ui::panels::{REFRESH, shortcut_text};
use crate::ui::shop::{Shop, age_text};
use crate::ui::text::numbers::money_text;
use crate::ui::theme::{self, FAILURE, WARNING};
use crate::ui::widgets::chip::chip_ui;

/// Asks for a fresh reading of every profile that can report a balance.
pub fn refresh_all(shop: &mut Shop, run: &mut dyn FnMut(Command)) {
    let names: Vec<String> = shop
        .profiles
        .iter()
        .filter(|p| capabilities_of(p.provider).balance)
        .map(|p| p.name.clone())
        .collect();
    for name in names {
        refresh_one(shop, &name, run);
    }
}

/// Asks for a fresh reading of one profile's balance.
pub fn refresh_one(shop: &mut Shop, name: &str, run: &mut dyn FnMut(Command)) {
    shop.balances.entry(name.to_string()).or_default().loading = true;
    run(Command::RefreshBalance {
        profile: name.to_string(),
    });
}

/// The board (it keeps no state of its own: the balances are the shop's).
pub fn balances_ui(ui: &mut egui::Ui, cx: &mut PanelContext<'_>) {
    let (shop, now, run) = (&mut *cx.shop, cx.now_ms, &mut *cx.run);
    ui.horizontal(|ui| {
        ui.heading(t!("balances-title"));
        ui.add_space(16.0);
        let refresh = ui
            .button(t!("balances-refresh-all"))
            .on_hover_text(shortcut_text(ui.ctx(), REFRESH));
        if refresh.clicked() || ui.input_mut(|i| i.consume_shortcut(&REFRESH)) {
            refresh_all(shop, run);
        }
    });
    ui.add_space(8.0);
    if shop.profiles.is_empty() {
        ui.label(t!("balances-no-profiles"));
        return;
    }
    let mut refresh = None;
    egui::ScrollArea::vertical().show(ui, |ui| {
        let width = ui.available_width();
        let columns = columns_for(width);
        let card_width = (width - CARD_GAP * (columns - 1) as f32) / columns as f32;
        for row in shop.profiles.chunks(columns) {
            ui.horizontal_top(|ui| {
                ui.spacing_mut().item_spacing.x = CARD_GAP;
                for profile in row {
                    if card_ui(ui, profile, shop, now, card_width) {
                        refresh = Some(profile.name.clone());
                    }
                }
            });
            ui.add_space(CARD_GAP);
        }
    });
    if let Some(name) = refresh {
        refresh_one(shop, &name, run);
    }
}

/// The narrowest a card may be; the board fits as many equal cards per row as this allows.
const CARD_MIN_WIDTH: f32 = 250.0;
/// The space between cards.
const CARD_GAP: f32 = 12.0;
/// Every card is at least this tall, so a row reads as a row.
const CARD_MIN_HEIGHT: f32 = 170.0;

/// How many cards fit in a row `width` points wide (at least one).
pub fn columns_for(width: f32) -> usize {
    (((width + CARD_GAP) / (CARD_MIN_WIDTH + CARD_GAP)).floor() as usize).max(1)
}

/// One profile's card; true when its refresh button was clicked.
fn card_ui(ui: &mut egui::Ui, profile: &Profile, shop: &Shop, now: i64, width: f32) -> bool {
    let low = shop.is_low(profile);
    let view = shop
        .balances
        .get(&profile.name)
        .cloned()
        .unwrap_or_default();
    let colour = if low {
        FAILURE
    } else {
        ui.visuals().widgets.noninteractive.bg_stroke.color
    };
    let frame = Frame::new()
        .fill(if low {
            theme::tint(ui, FAILURE)
        } else {
            ui.visuals().faint_bg_color
        })
        .stroke((if low { 2.0 } else { 1.0 }, colour))
        .corner_radius(8.0)
        .inner_margin(CARD_MARGIN);
    let mut clicked = false;
    let inner_width = (width - 2.0 * CARD_MARGIN - 4.0).max(80.0);
    frame.show(ui, |ui| {
        ui.set_width(inner_width);
        ui.set_min_height(CARD_MIN_HEIGHT);
        ui.vertical(|ui| {
            ui.add(egui::Label::new(RichText::new(&profile.name).strong().size(17.0)).truncate());
            ui.add(
                egui::Label::new(
                    RichText::new(crate::ui::text::error_text::provider_text(profile.provider))
                        .weak(),
                )
                .truncate(),
            );
            if let Some(id) = (profile.provider.info().balance_name)(profile) {
                ui.add(
                    egui::Label::new(RichText::new(crate::ui::text::i18n::tr(id)).weak().small())
                        .truncate(),
                );
            }
            ui.add_space(6.0);
            if !capabilities_of(profile.provider).balance {
                ui.label(RichText::new(t!("balances-not-offered")).weak());
                return;
            }
            match view.reading {
                Some(reading) => {
                    let colour = if low {
                        FAILURE
                    } else {
                        ui.visuals().strong_text_color()
                    };
                    ui.label(
                        RichText::new(money_text(reading.amount))
                            .size(28.0)
                            .strong()
                            .color(colour),
                    );
                    ui.label(RichText::new(age_text(reading.read_at, now)).weak());
                }
                None if view.error.is_none() => {
                    ui.label(RichText::new(t!("balances-never-read")).weak());
                }
                None => {}
            }
            ui.horizontal_wrapped(|ui| {
                if low && let Some(level) = profile.settings.low_balance() {
                    chip_ui(ui, &t!("balances-chip-low"), FAILURE)
                        .on_hover_text(t!("balances-low", level = money_text(level)));
                }
                if let Some((_, floor)) = shop.sales_paused(profile, None) {
                    chip_ui(ui, &t!("balances-chip-paused"), FAILURE)
                        .on_hover_text(t!("balances-sales-paused", floor = money_text(floor)));
                }
            });
            if let Some(error) = &view.error {
                ui.add(egui::Label::new(RichText::new(error.text()).color(WARNING)).truncate())
                    .on_hover_text(error);
            }
            ui.horizontal(|ui| {
                if view.loading {
                    ui.spinner();
                } else {
                    clicked = ui
                        .button(t!("balances-refresh"))
                        .on_hover_text(t!("balances-refresh-tip", profile = profile.name.as_str()))
                        .clicked();
                }
            });
        })
    });
    clicked
}

/// The space inside a card's border.
const CARD_MARGIN: f32 = 14.0;
