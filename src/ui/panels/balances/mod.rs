//! The balances board: every profile's balance with its unit and age, refresh one or all, and
//! the profile turned red when below its warning level.

use egui::{Frame, RichText};

use crate::providers::Profile;
use crate::providers::registry::capabilities_of;
use crate::t;
use crate::ui::backend::Command;
use crate::ui::panels::{REFRESH, shortcut_text};
use crate::ui::shop::{Shop, age_text};
use crate::ui::theme::{FAILURE, LOW_BALANCE_FILL, WARNING};

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

/// The board. `now` is the current time in Unix ms (for "updated N min ago").
pub fn balances_ui(ui: &mut egui::Ui, shop: &mut Shop, now: i64, run: &mut dyn FnMut(Command)) {
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
        ui.horizontal_wrapped(|ui| {
            for profile in &shop.profiles {
                if card_ui(ui, profile, shop, now) {
                    refresh = Some(profile.name.clone());
                }
            }
        });
    });
    if let Some(name) = refresh {
        refresh_one(shop, &name, run);
    }
}

/// One profile's card; true when its refresh button was clicked.
fn card_ui(ui: &mut egui::Ui, profile: &Profile, shop: &Shop, now: i64) -> bool {
    let low = shop.is_low(profile);
    let view = shop
        .balances
        .get(&profile.name)
        .cloned()
        .unwrap_or_default();
    let mut frame = Frame::group(ui.style()).inner_margin(12.0);
    if low {
        frame = frame.fill(LOW_BALANCE_FILL).stroke((2.0, FAILURE));
    }
    let mut clicked = false;
    // The board wraps cards horizontally; each card reads top to bottom.
    frame.show(ui, |ui| {
        ui.vertical(|ui| {
            ui.set_width(260.0);
            ui.set_min_height(120.0);
            ui.label(RichText::new(&profile.name).strong().size(16.0));
            ui.label(RichText::new(profile.provider.display_name()).weak());
            if let Some(id) = (profile.provider.info().balance_name)(profile) {
                ui.label(RichText::new(crate::ui::text::i18n::tr(id)).weak().small());
            }
            ui.add_space(4.0);
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
                        RichText::new(reading.amount.to_string())
                            .size(24.0)
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
            if low && let Some(level) = profile.settings.low_balance() {
                ui.label(
                    RichText::new(t!("balances-low", level = level.to_string())).color(FAILURE),
                );
            }
            if let Some((_, floor)) = shop.sales_paused(profile, None) {
                ui.label(
                    RichText::new(t!("balances-sales-paused", floor = floor.to_string()))
                        .color(FAILURE)
                        .strong(),
                );
            }
            if let Some(error) = &view.error {
                ui.label(RichText::new(error).color(WARNING));
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
