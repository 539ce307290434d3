//! The counter: number, amount, review, send, and a result nobody can misread. Built for the
//! keyboard: type the number, pick the amount with Alt+1…9 (or 1…9 outside the number field),
//! Enter to review, Enter to send, Enter for the next customer.

use std::collections::BTreeMap;

use egui::{Key, Modifiers, RichText};

use super::backend::{Command, SendFailure};
use super::error_text::{money_error_text, phone_error_text};
use super::panels::{DIGIT_KEYS, Decision, confirm_or_back_ui, key_pressed};
use super::shop::Shop;
use super::theme::{COUNTER_SIZE, FAILURE, SUCCESS, WARNING};
use super::topup_result::{result_text, submit_order};
use crate::domain::{Country, Money, PhoneNumber};
use crate::engine::{ListRefresh, TopUpOrder};
use crate::ledger::{FavouriteNumber, TxRecord};
use crate::providers::Profile;
use crate::providers::registry::{ListSource, PickList, TopUpField, capabilities_of};
use crate::t;

/// Where the counter is in serving one customer.
#[derive(Debug)]
pub(super) enum Stage {
    Entering,
    Reviewing { number: PhoneNumber, amount: Money },
    Sending { number: PhoneNumber, amount: Money },
    Done(Result<TxRecord, SendFailure>),
}

/// The counter's state.
pub struct TopUpPanel {
    /// The profile sales go through (a top-up profile).
    pub(super) profile: Option<String>,
    number: String,
    amount: Option<Money>,
    /// What the clerk typed, for providers that take any amount.
    amount_text: String,
    /// The operator, circle… the provider needs, by field.
    choices: BTreeMap<TopUpField, String>,
    pub(super) stage: Stage,
    focus_number: bool,
    /// The last top-up sent, to send again when the clerk confirms a repeat.
    pub(super) last_sent: Option<(PhoneNumber, Money, TopUpOrder)>,
    recent: Vec<String>,
    favourites: Vec<FavouriteNumber>,
    /// The profile whose recent and favourite numbers are loaded.
    memory_of: Option<String>,
    /// The number whose remembered choices were asked for.
    choices_asked_for: Option<String>,
    /// The operator and circle lists of a profile (by name), live or shipped.
    lists: Option<(String, Result<ListRefresh, String>)>,
}

impl Default for TopUpPanel {
    fn default() -> Self {
        TopUpPanel {
            profile: None,
            number: String::new(),
            amount: None,
            amount_text: String::new(),
            choices: BTreeMap::new(),
            stage: Stage::Entering,
            focus_number: true,
            last_sent: None,
            recent: Vec::new(),
            favourites: Vec::new(),
            memory_of: None,
            choices_asked_for: None,
            lists: None,
        }
    }
}

impl TopUpPanel {
    /// Whether a top-up is on its way (the window should not offer another yet).
    pub fn is_sending(&self) -> bool {
        matches!(self.stage, Stage::Sending { .. })
    }

    /// Takes the engine's answer for the top-up being sent.
    pub fn finished(&mut self, result: Result<TxRecord, SendFailure>) {
        self.stage = Stage::Done(result);
        self.memory_of = None;
    }

    /// Shows a later outcome of the top-up on show (the reconciler settled it).
    pub fn settled_later(&mut self, record: &TxRecord) {
        if let Stage::Done(Ok(shown)) = &mut self.stage
            && shown.reference == record.reference
        {
            *shown = record.clone();
        }
    }

    /// Takes the recent and favourite numbers of a profile.
    pub fn memory_loaded(
        &mut self,
        profile: &str,
        recent: Vec<String>,
        favourites: Vec<FavouriteNumber>,
    ) {
        if self.profile.as_deref() == Some(profile) {
            self.recent = recent;
            self.favourites = favourites;
        }
    }

    /// Takes the operator and circle lists of a profile.
    pub fn lists_loaded(&mut self, profile: &str, result: Result<ListRefresh, String>) {
        if self.profile.as_deref() == Some(profile) {
            self.lists = Some((profile.to_string(), result));
        }
    }

    /// The lists a profile's top-ups choose from: as loaded, or the shipped tables until then.
    fn lists_of(&self, profile: &Profile) -> Vec<PickList> {
        match &self.lists {
            Some((name, Ok(refresh))) if *name == profile.name => refresh.lists.clone(),
            _ => (profile.provider.info().topup_pickers)(),
        }
    }

    /// Takes the choices remembered for a number; the clerk's own choices win.
    pub fn choices_loaded(
        &mut self,
        profile: &str,
        number: &str,
        choices: BTreeMap<String, String>,
    ) {
        if self.choices_asked_for.as_deref() != Some(number)
            || self.profile.as_deref() != Some(profile)
        {
            return;
        }
        for field in TopUpField::ALL {
            if let Some(value) = choices.get(field.key()) {
                self.choices.entry(field).or_insert_with(|| value.clone());
            }
        }
    }

    /// Ready for the next customer: everything cleared but the profile and its numbers.
    pub(super) fn next_customer(&mut self) {
        *self = TopUpPanel {
            profile: self.profile.take(),
            recent: std::mem::take(&mut self.recent),
            favourites: std::mem::take(&mut self.favourites),
            memory_of: self.memory_of.take(),
            lists: self.lists.take(),
            ..TopUpPanel::default()
        };
    }

    fn use_number(&mut self, number: &str, country: Country) {
        self.number = PhoneNumber::from_e164(number, country)
            .map(|n| n.national().to_string())
            .unwrap_or_else(|_| number.to_string());
        self.choices.clear();
        self.focus_number = true;
    }
}

/// The counter. Emits a top-up command when the clerk confirms.
pub fn topup_ui(
    ui: &mut egui::Ui,
    panel: &mut TopUpPanel,
    shop: &Shop,
    run: &mut dyn FnMut(Command),
) {
    let profiles = shop.top_up_profiles();
    if profiles.is_empty() {
        ui.heading(t!("counter-title"));
        ui.label(t!("counter-no-profile"));
        return;
    }
    let chosen = panel
        .profile
        .as_deref()
        .and_then(|name| profiles.iter().find(|p| p.name == name));
    let profile = (*chosen.unwrap_or(&profiles[0])).clone();
    if panel.profile.as_deref() != Some(&profile.name) {
        panel.profile = Some(profile.name.clone());
        panel.memory_of = None;
        panel.choices_asked_for = None;
    }
    if panel.memory_of.as_deref() != Some(&profile.name) {
        panel.memory_of = Some(profile.name.clone());
        run(Command::LoadCounterMemory {
            profile: profile.name.clone(),
        });
        if panel
            .lists
            .as_ref()
            .is_none_or(|(name, _)| *name != profile.name)
        {
            run(Command::LoadTopUpLists {
                profile: profile.name.clone(),
            });
        }
    }
    let Some(country) = profile.provider.topup_country() else {
        return;
    };
    match &panel.stage {
        Stage::Entering => {
            ui.horizontal(|ui| {
                ui.heading(t!("counter-title"));
                ui.add_space(16.0);
                profile_picker_ui(ui, panel, &profiles);
            });
            ui.add_space(8.0);
            ui.columns(2, |columns| {
                entering_ui(
                    &mut columns[0],
                    panel,
                    &profile,
                    shop,
                    country,
                    &profiles,
                    run,
                );
                numbers_ui(&mut columns[1], panel, country, run);
            });
        }
        Stage::Reviewing { number, amount } => {
            let (number, amount) = (number.clone(), *amount);
            reviewing_ui(ui, panel, &profile, number, amount, run);
        }
        Stage::Sending { number, amount } => {
            ui.add_space(24.0);
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(
                    RichText::new(t!(
                        "counter-sending",
                        amount = amount.to_string(),
                        number = number.to_string()
                    ))
                    .size(20.0),
                );
            });
        }
        Stage::Done(_) => done_ui(ui, panel, run),
    }
}

fn profile_picker_ui(ui: &mut egui::Ui, panel: &mut TopUpPanel, profiles: &[&Profile]) {
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
                let text = format!("{} · {}", profile.name, profile.provider.display_name());
                ui.selectable_value(&mut selected, Some(profile.name.clone()), text);
            }
        })
        .response
        .labelled_by(label.id);
    if selected != panel.profile {
        panel.profile = selected;
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

fn entering_ui(
    ui: &mut egui::Ui,
    panel: &mut TopUpPanel,
    profile: &Profile,
    shop: &Shop,
    country: Country,
    profiles: &[&Profile],
    run: &mut dyn FnMut(Command),
) {
    let label = ui.label(t!("counter-number"));
    let field = ui.add(
        egui::TextEdit::singleline(&mut panel.number)
            .hint_text(t!(
                "counter-number-hint",
                country = super::error_text::country_text(country)
            ))
            .desired_width(280.0)
            .font(egui::TextStyle::Heading),
    );
    let field = field.labelled_by(label.id);
    let number_focused = field.has_focus();
    if std::mem::take(&mut panel.focus_number) {
        field.request_focus();
    }
    if field.changed() {
        panel.choices.clear();
        if let Some(other) = profile_for_number(&panel.number, profile, profiles) {
            panel.profile = Some(other.name.clone());
            panel.amount = None;
            // Its choices are asked for next frame, through the new profile.
            panel.choices_asked_for = None;
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
    if let Some((balance, floor)) = paused {
        ui.label(
            RichText::new(t!(
                "counter-sales-paused",
                balance = balance.to_string(),
                floor = floor.to_string()
            ))
            .color(FAILURE)
            .strong(),
        );
    }
    let chosen = pickers.iter().all(|l| panel.choices.contains_key(&l.field));
    let ready = parsed.is_ok() && panel.amount.is_some() && chosen && paused.is_none();
    // Enter reviews from anywhere on the counter: the number field, an amount button, or none.
    let enter = key_pressed(ui, Key::Enter);
    if enter && !ready {
        panel.focus_number = parsed.is_err();
    }
    let review = ui
        .add_enabled(
            ready,
            egui::Button::new(RichText::new(t!("counter-review")).size(COUNTER_SIZE)),
        )
        .on_hover_text(t!("counter-review-tip"));
    if ready && (review.clicked() || enter) {
        if let (Ok(number), Some(amount)) = (parsed, panel.amount) {
            panel.stage = Stage::Reviewing { number, amount };
        }
    } else if !ready && panel.amount.is_none() && parsed.is_ok() {
        ui.label(RichText::new(t!("counter-choose-amount")).weak());
    } else if !ready && !chosen && parsed.is_ok() {
        ui.label(RichText::new(t!("counter-choose-operator")).weak());
    }
}

/// The amount: the profile's denominations as buttons (keys 1…9), or a field when any amount
/// goes.
fn amount_ui(ui: &mut egui::Ui, panel: &mut TopUpPanel, profile: &Profile, number_focused: bool) {
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
            let button = egui::Button::selectable(
                selected,
                RichText::new(amount.to_string()).size(COUNTER_SIZE),
            );
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

/// A choice the provider needs (operator, circle), as a labelled drop-down.
fn picker_ui(ui: &mut egui::Ui, panel: &mut TopUpPanel, field: TopUpField, options: &[&str]) {
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
fn lists_source_ui(ui: &mut egui::Ui, panel: &TopUpPanel, lists: &[PickList]) {
    let Some(operators) = lists.iter().find(|l| l.field == TopUpField::Operator) else {
        return;
    };
    let failure = match &panel.lists {
        Some((_, Ok(refresh))) => refresh.failure.clone(),
        Some((_, Err(error))) => Some(error.clone()),
        None => None,
    };
    let text = match operators.source {
        ListSource::Live { fetched_at } => t!(
            "counter-operators-live",
            age = super::shop::age_text(
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

/// A top-up field's name in the window's language.
pub fn field_text(field: TopUpField) -> String {
    match field {
        TopUpField::Operator => t!("counter-operator"),
        TopUpField::Circle => t!("counter-circle"),
    }
}

/// Favourite and recent numbers: one click fills the number field.
fn numbers_ui(
    ui: &mut egui::Ui,
    panel: &mut TopUpPanel,
    country: Country,
    run: &mut dyn FnMut(Command),
) {
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

fn reviewing_ui(
    ui: &mut egui::Ui,
    panel: &mut TopUpPanel,
    profile: &Profile,
    number: PhoneNumber,
    amount: Money,
    run: &mut dyn FnMut(Command),
) {
    ui.heading(t!("counter-title"));
    ui.add_space(8.0);
    ui.label(RichText::new(t!("counter-check-with-customer")).size(COUNTER_SIZE));
    ui.label(
        RichText::new(t!("counter-review-number", number = number.to_string()))
            .size(26.0)
            .strong(),
    );
    ui.label(
        RichText::new(t!("counter-review-amount", amount = amount.to_string()))
            .size(26.0)
            .strong(),
    );
    for (field, choice) in &panel.choices {
        ui.label(RichText::new(format!("{}: {choice}", field_text(*field))).size(20.0));
    }
    ui.label(t!(
        "counter-through-profile",
        profile = profile.name.as_str()
    ));
    ui.add_space(12.0);
    let decision = confirm_or_back_ui(
        ui,
        RichText::new(t!("counter-send"))
            .size(COUNTER_SIZE)
            .strong(),
        true,
    );
    if decision == Decision::Confirm {
        let order = TopUpOrder {
            operator: panel.choices.get(&TopUpField::Operator).cloned(),
            circle: panel.choices.get(&TopUpField::Circle).cloned(),
            ..TopUpOrder::new(&profile.name, &number.e164(), &amount.to_decimal_string())
        };
        submit_order(panel, number, amount, order, run);
    } else if decision == Decision::Back {
        panel.stage = Stage::Entering;
        panel.focus_number = true;
    }
}

fn done_ui(ui: &mut egui::Ui, panel: &mut TopUpPanel, run: &mut dyn FnMut(Command)) {
    let Stage::Done(result) = &panel.stage else {
        return;
    };
    let is_repeat = matches!(result, Err(failure) if failure.repeat_of.is_some());
    let (headline, colour, lines) = result_text(result);
    ui.add_space(16.0);
    ui.label(
        RichText::new(headline)
            .size(super::theme::RESULT_SIZE)
            .strong()
            .color(colour),
    );
    for line in lines {
        ui.label(RichText::new(line).size(16.0));
    }
    ui.add_space(12.0);
    if is_repeat {
        repeat_ui(ui, panel, run);
        return;
    }
    let next = ui
        .button(RichText::new(t!("counter-next-customer")).size(COUNTER_SIZE))
        .on_hover_text(t!("key-enter"));
    let keyed = key_pressed(ui, Key::Enter) || key_pressed(ui, Key::Escape);
    if next.clicked() || keyed {
        panel.next_customer();
    }
}

/// The second confirmation the duplicate-send guard asks for.
fn repeat_ui(ui: &mut egui::Ui, panel: &mut TopUpPanel, run: &mut dyn FnMut(Command)) {
    let mut again = false;
    let mut cancel = key_pressed(ui, Key::Escape);
    ui.horizontal(|ui| {
        again = ui
            .button(
                RichText::new(t!("counter-send-again"))
                    .size(COUNTER_SIZE)
                    .color(WARNING),
            )
            .on_hover_text(t!("counter-send-again-tip"))
            .clicked();
        cancel |= ui
            .button(
                RichText::new(t!("counter-cancel"))
                    .size(COUNTER_SIZE)
                    .strong(),
            )
            .on_hover_text(t!("key-escape"))
            .clicked();
    });
    if again && let Some((number, amount, order)) = panel.last_sent.clone() {
        let order = TopUpOrder {
            confirm_repeat: true,
            ..order
        };
        submit_order(panel, number, amount, order, run);
    } else if cancel {
        panel.next_customer();
    }
}

/// Whether the profile can be used at the counter.
pub fn sells_top_ups(profile: &Profile) -> bool {
    capabilities_of(profile.provider).top_up
}
