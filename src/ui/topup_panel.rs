//! The counter: number, amount, review, send, and a result nobody can misread.

use std::collections::HashMap;

use egui::{Color32, Key, Modifiers, RichText};

use super::backend::{Command, TopUpFailure};
use crate::domain::{Country, Money, PhoneNumber, TxState};
use crate::engine::TopUpOrder;
use crate::ledger::TxRecord;
use crate::providers::Profile;
use crate::providers::registry::TopUpField;

/// Where the counter is in serving one customer.
#[derive(Debug)]
enum Stage {
    Entering,
    Reviewing { number: PhoneNumber, amount: Money },
    Sending { number: PhoneNumber, amount: Money },
    Done(Result<TxRecord, TopUpFailure>),
}

/// The counter's state.
pub struct TopUpPanel {
    number: String,
    amount: Option<Money>,
    /// What the clerk typed, for providers that take any amount.
    amount_text: String,
    /// The operator, circle… the provider needs, by field.
    choices: HashMap<TopUpField, String>,
    stage: Stage,
    focus_number: bool,
    /// The last top-up sent, to send again when the clerk confirms a repeat.
    last_sent: Option<(PhoneNumber, Money, TopUpOrder)>,
}

impl Default for TopUpPanel {
    fn default() -> Self {
        TopUpPanel {
            number: String::new(),
            amount: None,
            amount_text: String::new(),
            choices: HashMap::new(),
            stage: Stage::Entering,
            focus_number: true,
            last_sent: None,
        }
    }
}

const SUCCESS: Color32 = Color32::from_rgb(0x1b, 0x7f, 0x3b);
const FAILURE: Color32 = Color32::from_rgb(0xb3, 0x26, 0x1e);
const WARNING: Color32 = Color32::from_rgb(0xa3, 0x5a, 0x00);
const UNKNOWN_HEADLINE: &str = "Outcome unknown - do not resend";
const REPEAT_HEADLINE: &str = "Same top-up moments ago - send again?";

impl TopUpPanel {
    /// Whether a top-up is on its way (the window should not offer another yet).
    pub fn is_sending(&self) -> bool {
        matches!(self.stage, Stage::Sending { .. })
    }

    /// Takes the engine's answer for the top-up being sent.
    pub fn finished(&mut self, result: Result<TxRecord, TopUpFailure>) {
        self.stage = Stage::Done(result);
    }

    /// Shows a later outcome of the top-up on show (the reconciler settled it).
    pub fn settled_later(&mut self, record: &TxRecord) {
        if let Stage::Done(Ok(shown)) = &mut self.stage
            && shown.reference == record.reference
        {
            *shown = record.clone();
        }
    }

    fn next_customer(&mut self) {
        *self = TopUpPanel::default();
    }

    fn review(&mut self, country: Country) {
        let number = PhoneNumber::parse_mobile(&self.number, country);
        if let (Ok(number), Some(amount)) = (number, self.amount) {
            self.stage = Stage::Reviewing { number, amount };
        }
    }
}

/// The counter for one profile. Emits a top-up command when the clerk confirms.
pub fn topup_ui(
    ui: &mut egui::Ui,
    panel: &mut TopUpPanel,
    profile: &Profile,
    run: &mut dyn FnMut(Command),
) {
    ui.heading("Top-up");
    ui.add_space(8.0);
    let Some(country) = profile.provider.topup_country() else {
        ui.label(format!(
            "{} does not sell phone top-ups. Choose a top-up profile above.",
            profile.provider.display_name()
        ));
        return;
    };
    match &panel.stage {
        Stage::Entering => entering_ui(ui, panel, profile, country),
        Stage::Reviewing { number, amount } => {
            let (number, amount) = (number.clone(), *amount);
            reviewing_ui(ui, panel, profile, number, amount, run);
        }
        Stage::Sending { number, amount } => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(
                    RichText::new(format!("Sending {amount} to {number}… do not close saldo"))
                        .size(20.0),
                );
            });
        }
        Stage::Done(_) => done_ui(ui, panel, run),
    }
}

fn entering_ui(ui: &mut egui::Ui, panel: &mut TopUpPanel, profile: &Profile, country: Country) {
    let label = ui.label("Customer number");
    let field = ui.add(
        egui::TextEdit::singleline(&mut panel.number)
            .hint_text(format!("e.g. 52942387 ({} mobile)", country.name()))
            .desired_width(260.0)
            .font(egui::TextStyle::Heading),
    );
    let field = field.labelled_by(label.id);
    if std::mem::take(&mut panel.focus_number) {
        field.request_focus();
    }
    let parsed = PhoneNumber::parse_mobile(&panel.number, country);
    match (&parsed, panel.number.trim().is_empty()) {
        (_, true) => {
            ui.label(RichText::new("Type the customer's mobile number.").weak());
        }
        (Ok(number), false) => {
            ui.label(RichText::new(format!("Will top up {number}")).color(SUCCESS));
        }
        (Err(error), false) => {
            ui.label(RichText::new(capitalise(&error.to_string())).color(FAILURE));
        }
    }
    ui.add_space(8.0);
    amount_ui(ui, panel, profile);
    let pickers = (profile.provider.info().topup_pickers)();
    for (field, options) in &pickers {
        picker_ui(ui, panel, *field, options);
    }
    ui.add_space(12.0);
    let chosen = pickers.iter().all(|(f, _)| panel.choices.contains_key(f));
    let ready = parsed.is_ok() && panel.amount.is_some() && chosen;
    // Enter reviews from anywhere on the counter: the number field, an amount button, or none.
    let enter = ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter));
    if enter && !ready {
        panel.focus_number = parsed.is_err();
    }
    let review = ui
        .add_enabled(ready, egui::Button::new(RichText::new("Review").size(18.0)))
        .on_hover_text("Enter");
    if ready && (review.clicked() || enter) {
        panel.review(country);
    } else if !ready && panel.amount.is_none() && parsed.is_ok() {
        ui.label(RichText::new("Choose an amount.").weak());
    } else if !ready && !chosen && parsed.is_ok() {
        ui.label(RichText::new("Choose the operator and circle.").weak());
    }
}

/// The amount: the profile's denominations as buttons, or a field when any amount goes.
fn amount_ui(ui: &mut egui::Ui, panel: &mut TopUpPanel, profile: &Profile) {
    let denominations = profile.settings.denomination_amounts();
    let label = ui.label("Amount");
    if denominations.is_empty() {
        let field = ui.add(
            egui::TextEdit::singleline(&mut panel.amount_text)
                .hint_text(format!("e.g. 49 ({})", profile.settings.unit))
                .desired_width(140.0)
                .font(egui::TextStyle::Heading),
        );
        field.labelled_by(label.id);
        let text = panel.amount_text.trim();
        panel.amount = Money::parse(text, profile.settings.unit)
            .ok()
            .filter(|a| a.minor() > 0);
        if !text.is_empty() && panel.amount.is_none() {
            let reason = match Money::parse(text, profile.settings.unit) {
                Err(e) => capitalise(&e.to_string()),
                Ok(_) => "The amount must be more than 0".to_string(),
            };
            ui.label(RichText::new(reason).color(FAILURE));
        }
        return;
    }
    ui.horizontal_wrapped(|ui| {
        for amount in &denominations {
            let selected = panel.amount == Some(*amount);
            let button =
                egui::Button::selectable(selected, RichText::new(amount.to_string()).size(18.0));
            if ui.add(button).clicked() {
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
    let label = ui.label(field.label());
    let current = panel.choices.get(&field).cloned();
    let mut picked = current.clone();
    egui::ComboBox::from_id_salt(("topup-picker", field))
        .selected_text(
            current.unwrap_or_else(|| format!("Choose the {}", field.label().to_lowercase())),
        )
        .width(260.0)
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

fn reviewing_ui(
    ui: &mut egui::Ui,
    panel: &mut TopUpPanel,
    profile: &Profile,
    number: PhoneNumber,
    amount: Money,
    run: &mut dyn FnMut(Command),
) {
    ui.label(RichText::new("Please check with the customer:").size(18.0));
    ui.label(
        RichText::new(format!("Number: {number}"))
            .size(26.0)
            .strong(),
    );
    ui.label(
        RichText::new(format!("Amount: {amount}"))
            .size(26.0)
            .strong(),
    );
    let mut fields: Vec<_> = panel.choices.iter().collect();
    fields.sort_by_key(|(field, _)| field.label());
    for (field, choice) in fields {
        ui.label(RichText::new(format!("{}: {choice}", field.label())).size(20.0));
    }
    ui.label(format!("Through profile {}", profile.name));
    ui.add_space(12.0);
    let mut send = ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter));
    let mut back = ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape));
    ui.horizontal(|ui| {
        send |= ui
            .button(RichText::new("Send top-up").size(18.0).strong())
            .on_hover_text("Enter")
            .clicked();
        back |= ui.button("Back").on_hover_text("Escape").clicked();
    });
    if send {
        let order = TopUpOrder {
            operator: panel.choices.get(&TopUpField::Operator).cloned(),
            circle: panel.choices.get(&TopUpField::Circle).cloned(),
            ..TopUpOrder::new(&profile.name, &number.e164(), &amount.to_decimal_string())
        };
        run(Command::TopUp(order.clone()));
        panel.last_sent = Some((number.clone(), amount, order));
        panel.stage = Stage::Sending { number, amount };
    } else if back {
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
    ui.label(RichText::new(headline).size(30.0).strong().color(colour));
    for line in lines {
        ui.label(RichText::new(line).size(16.0));
    }
    ui.add_space(12.0);
    if is_repeat {
        repeat_ui(ui, panel, run);
        return;
    }
    let next = ui
        .button(RichText::new("Next customer").size(18.0))
        .on_hover_text("Enter");
    if next.clicked() || ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter)) {
        panel.next_customer();
    }
}

/// The second confirmation the duplicate-send guard asks for.
fn repeat_ui(ui: &mut egui::Ui, panel: &mut TopUpPanel, run: &mut dyn FnMut(Command)) {
    let mut again = false;
    let mut cancel = ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape));
    ui.horizontal(|ui| {
        again = ui
            .button(RichText::new("Send again anyway").size(18.0))
            .on_hover_text("Only if the customer asked for a second top-up")
            .clicked();
        cancel |= ui
            .button(RichText::new("Cancel").size(18.0).strong())
            .on_hover_text("Escape")
            .clicked();
    });
    if again && let Some((number, amount, order)) = panel.last_sent.clone() {
        run(Command::TopUp(TopUpOrder {
            confirm_repeat: true,
            ..order
        }));
        panel.stage = Stage::Sending { number, amount };
    } else if cancel {
        panel.next_customer();
    }
}

/// The headline, its colour and the detail lines for a finished top-up.
pub fn result_text(result: &Result<TxRecord, TopUpFailure>) -> (String, Color32, Vec<String>) {
    let record = match result {
        Ok(record) => record,
        Err(failure) if failure.repeat_of.is_some() => {
            let lines = vec![capitalise(&failure.message)];
            return (REPEAT_HEADLINE.to_string(), WARNING, lines);
        }
        Err(failure) if failure.may_have_been_sent => {
            let lines = vec![capitalise(&failure.message)];
            return (UNKNOWN_HEADLINE.to_string(), WARNING, lines);
        }
        Err(failure) => {
            let lines = vec![capitalise(&failure.message)];
            return ("Not sent".to_string(), FAILURE, lines);
        }
    };
    let what = format!("{} to {}", record.amount, record.destination);
    let reference = format!("Our reference: {}", record.reference);
    let provider_ref = record
        .provider_ref
        .as_deref()
        .map(|r| format!("Provider reference: {r}"));
    let reason = record.provider_message.clone().unwrap_or_default();
    match record.state {
        TxState::Succeeded => (
            "Top-up succeeded".to_string(),
            SUCCESS,
            [Some(what), provider_ref, Some(reference)]
                .into_iter()
                .flatten()
                .collect(),
        ),
        TxState::Failed => (
            "Top-up failed".to_string(),
            FAILURE,
            vec![
                format!("Reason: {reason}"),
                format!("{what} was not made; nothing was charged."),
                reference,
            ],
        ),
        TxState::Pending => (
            "Accepted, not confirmed yet".to_string(),
            WARNING,
            [
                Some(format!("{what} is being processed by the provider.")),
                provider_ref,
                Some("Do not resend. Check History in a while.".to_string()),
                Some(reference),
            ]
            .into_iter()
            .flatten()
            .collect(),
        ),
        TxState::Unknown | TxState::Recorded | TxState::Sending => (
            UNKNOWN_HEADLINE.to_string(),
            WARNING,
            vec![
                format!("{what}: the provider gave no clear answer ({reason})."),
                "It may have gone through. Do NOT send it again; check History.".to_string(),
                reference,
            ],
        ),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_after_sending_never_reads_as_not_sent() {
        let sent = TopUpFailure {
            message: "top-up SAL-1 was sent but saldo could not record that".into(),
            may_have_been_sent: true,
            repeat_of: None,
        };
        assert_eq!(result_text(&Err(sent)).0, UNKNOWN_HEADLINE);
        let refused = TopUpFailure {
            message: "nothing was sent: the disk is full".into(),
            may_have_been_sent: false,
            repeat_of: None,
        };
        assert_eq!(result_text(&Err(refused)).0, "Not sent");
    }
}
