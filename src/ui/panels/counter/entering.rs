//! Serving a customer: the profile, the number, the amount, the operator and circle, and the
//! favourite and recent numbers beside them.

use egui::{Key, Modifiers, RichText};

use super::{CounterPanel, Stage, field_text, number_field};
use crate::domain::{Country, Money, PhoneNumber};
use crate::providers::Profile;
use crate::providers::registry::{ListSource, PickList, TopUpField};
use crate::t;
use crate::ui::backend::Command;
use crate::ui::panels::DIGIT_KEYS;
use crate::ui::shop::Shop;
use crate::ui::text::error_text::{country_text, money_error_text, phone_error_text};
use crate::ui::text::numbers::money_text;
use crate::ui::theme::icon;
use crate::ui::theme::{COUNTER_SIZE, FAILURE, SUCCESS};
use crate::ui::widgets::keys::key_pressed;
use crate::ui::widgets::primary::primary_button_ui;
use crate::ui::widgets::send_guard::SendGuard;

pub(super) fn profile_picker_ui(
    ui: &mut egui::Ui,
    panel: &mut CounterPanel,
    profiles: &[&Profile],
) {
    if profiles.len() < 2 {
        ui.label(RichText::new(&profiles[0].name).weak());
        return;
    }
    let label = ui.label(t!("counter-profile"));
    let mut selected = panel.profile.clone();
    egui::ComboBox::from_id_salt("counter-profile")
        .selected_text(selected.clone().unwrap_or_default())
        .show_ui(ui, |ui| {
            for profile in profiles {
                let text = format!(
                    "{} · {}",
                    profile.name,
                    crate::ui::text::error_text::provider_text(profile.provider)
                );
                ui.selectable_value(&mut selected, Some(profile.name.clone()), text);
            }
        })
        .response
        .labelled_by(label.id);
    if selected != panel.profile {
        panel.profile = selected;
        panel.home_profile = None;
        panel.amount = None;
        panel.choices.clear();
    }
}

/// The profile whose country a number typed with "+code" belongs to, when it is not the
/// current one.
fn profile_for_number<'a>(
    typed: &str,
    current: &Profile,
    profiles: &[&'a Profile],
) -> Option<&'a Profile> {
    let digits: String = typed
        .trim()
        .strip_prefix('+')?
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let belongs = |p: &Profile| {
        p.provider
            .topup_country()
            .is_some_and(|c| digits.starts_with(c.calling_code()))
    };
    if belongs(current) {
        return None;
    }
    profiles.iter().copied().find(|p| belongs(p))
}

/// Moves the counter to `other` for the number being typed; the clerk's own profile is kept
/// to come back to after the sale.
fn switch_profile(panel: &mut CounterPanel, other: &Profile, current: &Profile) {
    panel
        .home_profile
        .get_or_insert_with(|| current.name.clone());
    if panel.home_profile.as_deref() == Some(other.name.as_str()) {
        panel.home_profile = None;
    }
    panel.profile = Some(other.name.clone());
    panel.amount = None;
    panel.choices.clear();
    // Its choices are asked for next frame, through the new profile.
    panel.choices_asked_for = None;
    panel.focus_number = true;
}

/// Another profile whose country the typed number (without "+code") is a valid mobile number
/// of, when it is not one of the current profile's country.
fn profile_that_takes<'a>(
    typed: &str,
    current: &Profile,
    profiles: &[&'a Profile],
) -> Option<&'a Profile> {
    if typed.trim().starts_with('+') {
        return None;
    }
    let here = current.provider.topup_country()?;
    profiles.iter().copied().find(|p| {
        p.provider
            .topup_country()
            .is_some_and(|c| c != here && PhoneNumber::parse_mobile(typed, c).is_ok())
    })
}

/// `blocked`: a banner above says this profile cannot sell now.
pub(super) fn entering_ui(
    ui: &mut egui::Ui,
    panel: &mut CounterPanel,
    profile: &Profile,
    shop: &Shop,
    (country, blocked): (Country, bool),
    profiles: &[&Profile],
    run: &mut dyn FnMut(Command),
) {
    let field = number_field::number_field_ui(ui, panel, country);
    let number_focused = field.has_focus();
    if field.changed() {
        panel.choices.clear();
        if let Some(other) = profile_for_number(&panel.number, profile, profiles) {
            switch_profile(panel, other, profile);
            return;
        }
    }
    let parsed = PhoneNumber::parse_mobile(&panel.number, country);
    match (&parsed, panel.number.trim().is_empty()) {
        (_, true) => {
            ui.label(RichText::new(t!("counter-number-help")).weak());
        }
        (Ok(number), false) => {
            ui.label(
                RichText::new(t!("counter-will-top-up", number = number.to_string()))
                    .color(SUCCESS),
            );
        }
        (Err(error), false) => {
            ui.label(RichText::new(phone_error_text(error)).color(FAILURE));
            if let Some(other) = profile_that_takes(&panel.number, profile, profiles) {
                let country = other.provider.topup_country().map(country_text);
                let offer = t!(
                    "counter-use-other-profile",
                    country = country.unwrap_or_default(),
                    profile = other.name.as_str()
                );
                if ui.button(offer).clicked() {
                    switch_profile(panel, other, profile);
                    return;
                }
            }
        }
    }
    if let Ok(number) = &parsed {
        let e164 = number.e164();
        if panel.choices_asked_for.as_deref() != Some(&e164) {
            panel.choices_asked_for = Some(e164.clone());
            run(Command::LoadNumberChoices {
                profile: profile.name.clone(),
                number: e164,
            });
        }
    }
    ui.add_space(10.0);
    amount_ui(ui, panel, profile, number_focused);
    let pickers = panel.lists_of(profile);
    for list in &pickers {
        picker_ui(ui, panel, list.field, &list.names());
    }
    lists_source_ui(ui, panel, &pickers);
    ui.add_space(12.0);
    let paused = shop.sales_paused(profile, panel.amount);
    // Already paused before this amount: the banner above says so.
    let paused_by_amount = paused.filter(|_| shop.sales_paused(profile, None).is_none());
    if let Some((balance, floor)) = paused_by_amount {
        ui.label(
            RichText::new(t!(
                "counter-sales-paused",
                balance = money_text(balance),
                floor = money_text(floor)
            ))
            .color(FAILURE)
            .strong(),
        );
    }
    let chosen = pickers.iter().all(|l| panel.choices.contains_key(&l.field));
    let ready = parsed.is_ok() && panel.amount.is_some() && chosen && paused.is_none() && !blocked;
    // Enter reviews from anywhere on the counter: the number field, an amount button, or none.
    let enter = key_pressed(ui, Key::Enter);
    if enter && !ready {
        panel.focus_number = parsed.is_err();
    }
    let review = primary_button_ui(ui, icon::LOOK, &t!("counter-review"), COUNTER_SIZE, ready)
        .on_hover_text(t!("counter-review-tip"));
    if ready && (review.clicked() || enter) {
        if let (Ok(number), Some(amount)) = (parsed, panel.amount) {
            panel.stage = Stage::Reviewing {
                number,
                amount,
                guard: SendGuard::new(ui),
            };
        }
    } else if !ready && panel.amount.is_none() && parsed.is_ok() {
        ui.label(RichText::new(t!("counter-choose-amount")).weak());
    } else if !ready && !chosen && parsed.is_ok() {
        ui.label(RichText::new(t!("counter-choose-operator")).weak());
    }
}

/// The amount: the profile's denominations as buttons (keys 1…9), or a field when any amount
/// goes.
fn amount_ui(ui: &mut egui::Ui, panel: &mut CounterPanel, profile: &Profile, number_focused: bool) {
    let denominations = profile.settings.denomination_amounts();
    let label = ui.label(t!("counter-amount"));
    if denominations.is_empty() {
        let field = ui.add(
            egui::TextEdit::singleline(&mut panel.amount_text)
                .hint_text(t!(
                    "counter-amount-hint",
                    unit = profile.settings.unit.code()
                ))
                .desired_width(140.0)
                .font(egui::TextStyle::Heading),
        );
        field.labelled_by(label.id);
        let text = panel.amount_text.trim();
        let parsed = Money::parse(text, profile.settings.unit);
        panel.amount = parsed.clone().ok().filter(|a| a.minor() > 0);
        if !text.is_empty() && panel.amount.is_none() {
            let reason = match parsed {
                Err(e) => money_error_text(&e),
                Ok(_) => t!("amount-error-zero"),
            };
            ui.label(RichText::new(reason).color(FAILURE));
        }
        return;
    }
    // Alt+digit always picks an amount; a plain digit does when no field takes the typing.
    let typing = number_focused || ui.ctx().egui_wants_keyboard_input();
    let mut picked_by_key = None;
    ui.input_mut(|input| {
        for (index, key) in DIGIT_KEYS.iter().enumerate().take(denominations.len()) {
            if input.consume_key(Modifiers::ALT, *key)
                || (!typing && input.consume_key(Modifiers::NONE, *key))
            {
                picked_by_key = Some(denominations[index]);
            }
        }
    });
    if picked_by_key.is_some() {
        panel.amount = picked_by_key;
    }
    ui.horizontal_wrapped(|ui| {
        for (index, amount) in denominations.iter().enumerate() {
            let selected = panel.amount == Some(*amount);
            // Large tiles: the amount is the second thing a clerk checks.
            let button = egui::Button::selectable(
                selected,
                RichText::new(money_text(*amount))
                    .size(AMOUNT_TILE_TEXT)
                    .strong(),
            )
            .min_size(egui::vec2(132.0, 56.0));
            let mut response = ui.add(button);
            if index < DIGIT_KEYS.len() {
                response = response.on_hover_text(t!("counter-amount-key", key = index + 1));
            }
            if response.clicked() {
                panel.amount = Some(*amount);
            }
        }
    });
    if panel.amount.is_some_and(|a| !denominations.contains(&a)) {
        panel.amount = None;
    }
}

/// The size of the amount tiles' figures.
const AMOUNT_TILE_TEXT: f32 = 22.0;

/// A choice the provider needs (operator, circle), as a labelled drop-down.
fn picker_ui(ui: &mut egui::Ui, panel: &mut CounterPanel, field: TopUpField, options: &[&str]) {
    let title = field_text(field);
    let label = ui.label(&title);
    let current = panel.choices.get(&field).cloned();
    let mut picked = current.clone();
    egui::ComboBox::from_id_salt(("topup-picker", field))
        .selected_text(
            current.unwrap_or_else(|| t!("counter-choose-field", field = title.to_lowercase())),
        )
        .width(280.0)
        .height(320.0)
        .show_ui(ui, |ui| {
            for option in options {
                ui.selectable_value(&mut picked, Some(option.to_string()), *option);
            }
        })
        .response
        .labelled_by(label.id);
    if let Some(choice) = picked {
        panel.choices.insert(field, choice);
    }
}

/// Says where the operators on offer come from: the provider's live list (and when it was
/// fetched) or saldo's shipped table (and why the live one is not in use).
fn lists_source_ui(ui: &mut egui::Ui, panel: &CounterPanel, lists: &[PickList]) {
    let Some(operators) = lists.iter().find(|l| l.field == TopUpField::Operator) else {
        return;
    };
    let failure = match &panel.lists {
        Some((_, Ok(refresh))) => refresh.failure.clone(),
        Some((_, Err(error))) => Some(error.text()),
        None => None,
    };
    let text = match operators.source {
        ListSource::Live { fetched_at } => t!(
            "counter-operators-live",
            age = crate::ui::shop::age_text(
                fetched_at,
                crate::domain::clock::Clock::now_ms(&crate::domain::clock::SystemClock)
            )
        ),
        ListSource::Shipped => t!("counter-operators-shipped"),
    };
    let response = ui.label(RichText::new(text).weak().small());
    if let Some(failure) = failure {
        response.on_hover_text(t!("counter-operators-fetch-failed", reason = failure));
    }
}

/// Today's sales at a glance: how many top-ups went through, and their total per unit.
fn today_ui(ui: &mut egui::Ui, shop: &Shop) {
    egui::Frame::new()
        .fill(ui.visuals().faint_bg_color)
        .corner_radius(8.0)
        .inner_margin(12.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.strong(t!("counter-today"));
            if shop.today.is_empty() {
                ui.label(RichText::new(t!("counter-today-none")).weak());
            }
            for sales in &shop.today {
                ui.label(
                    RichText::new(t!(
                        "counter-today-line",
                        count = sales.count,
                        total = money_text(Money::from_minor(sales.sum_minor, sales.unit))
                    ))
                    .size(COUNTER_SIZE),
                );
            }
        });
    ui.add_space(10.0);
}

/// Favourite and recent numbers: one click fills the number field.
pub(super) fn numbers_ui(
    ui: &mut egui::Ui,
    panel: &mut CounterPanel,
    shop: &Shop,
    country: Country,
    run: &mut dyn FnMut(Command),
) {
    today_ui(ui, shop);
    let Some(profile) = panel.profile.clone() else {
        return;
    };
    let current = PhoneNumber::parse_mobile(&panel.number, country).ok();
    if let Some(number) = &current {
        let e164 = number.e164();
        let is_favourite = panel.favourites.iter().any(|f| f.number == e164);
        let (text, label) = if is_favourite {
            (t!("counter-unfavourite"), None)
        } else {
            (t!("counter-favourite"), Some(String::new()))
        };
        if ui.button(text).clicked() {
            run(Command::SetFavourite {
                profile: profile.clone(),
                number: e164,
                label,
            });
        }
        ui.add_space(6.0);
    }
    if let Some(problem) = &panel.memory_problem {
        ui.label(RichText::new(problem.text()).color(crate::ui::theme::ink(ui, FAILURE)));
    }
    ui.strong(t!("counter-favourites"));
    if panel.favourites.is_empty() {
        ui.label(RichText::new(t!("counter-no-favourites")).weak());
    }
    let mut picked = None;
    for favourite in &panel.favourites {
        let shown = if favourite.label.is_empty() {
            favourite.number.clone()
        } else {
            format!("{} · {}", favourite.label, favourite.number)
        };
        if ui.link(shown).clicked() {
            picked = Some(favourite.number.clone());
        }
    }
    ui.add_space(8.0);
    ui.strong(t!("counter-recent"));
    if panel.recent.is_empty() {
        ui.label(RichText::new(t!("counter-no-recent")).weak());
    }
    for number in &panel.recent {
        if ui.link(number).clicked() {
            picked = Some(number.clone());
        }
    }
    if let Some(number) = picked {
        panel.use_number(&number, country);
    }
}
