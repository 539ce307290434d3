//! How a finished top-up reads at the counter: a full-width card whose icon and colour differ
//! for each outcome (succeeded, failed, not sent, accepted and pending, unknown, a repeat to
//! confirm), the amount and number large, the references with a copy button, the balance
//! after when known. An unknown outcome is one plain sentence that says "do not resend"; the
//! technical detail waits behind "Details".

use egui::{Color32, Key, RichText};

use super::{CounterPanel, Stage};
use crate::domain::Note;
use crate::domain::Reference;
use crate::domain::phone::spaced_international;
use crate::domain::{Basis, Money, PhoneNumber, TxState};
use crate::engine::TopUpOrder;
use crate::ledger::TxRecord;
use crate::ledger::receipts::receipt_allowed;
use crate::providers::Profile;
use crate::providers::http::NO_ANSWER_IN_TIME;
use crate::receipt::printer::ReceiptPrinter;
use crate::t;
use crate::ui::backend::{Command, SendFailure};
use crate::ui::shop::Shop;
use crate::ui::text::error_text::state_text;
use crate::ui::text::notes::message_text;
use crate::ui::text::numbers::money_text;
use crate::ui::text::refusals::refusal_advice;
use crate::ui::theme::{self, COUNTER_SIZE, FAILURE, PENDING, RESULT_SIZE, SUCCESS, WARNING};
use crate::ui::theme::{icon, with_icon};
use crate::ui::widgets::copy_line::copy_line_ui;
use crate::ui::widgets::keys::key_pressed;
use crate::ui::widgets::primary::primary_button_ui;
use crate::ui::widgets::print_button::print_button_ui;
use crate::ui::widgets::send_guard::SendGuard;
use crate::ui::widgets::status_icon::{StatusIcon, status_icon_ui};

/// Sends an order and shows the counter as sending.
pub(crate) fn submit_order(
    panel: &mut CounterPanel,
    number: PhoneNumber,
    amount: Money,
    order: TopUpOrder,
    run: &mut dyn FnMut(Command),
) {
    run(Command::TopUp(order.clone()));
    panel.last_sent = Some((number.clone(), amount, order));
    panel.stage = Stage::Sending { number, amount };
}

/// How a top-up ended, as the clerk must tell apart at a glance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Succeeded,
    /// The provider refused it (or it was concluded not to have gone through).
    Failed,
    /// saldo refused before sending: nothing left the counter.
    NotSent,
    /// The provider accepted it and is still processing it.
    Pending,
    /// Nobody knows whether it went through.
    Unknown,
    /// The same top-up moments ago: send again only if the customer asked.
    Repeat,
}

impl Outcome {
    /// The outcome of an engine answer.
    pub fn of(result: &Result<TxRecord, SendFailure>) -> Outcome {
        match result {
            Err(failure) if failure.repeat_of.is_some() => Outcome::Repeat,
            Err(failure) if failure.may_have_been_sent => Outcome::Unknown,
            Err(_) => Outcome::NotSent,
            Ok(record) => match record.state {
                TxState::Succeeded => Outcome::Succeeded,
                TxState::Failed => Outcome::Failed,
                TxState::Pending => Outcome::Pending,
                TxState::Unknown | TxState::Recorded | TxState::Sending => Outcome::Unknown,
            },
        }
    }

    /// The outcome's colour, icon and name (the name is what a screen reader says for the icon).
    pub fn look(self) -> (Color32, StatusIcon, String) {
        match self {
            Outcome::Succeeded => (SUCCESS, StatusIcon::Tick, t!("result-icon-succeeded")),
            Outcome::Failed | Outcome::NotSent => {
                (FAILURE, StatusIcon::Cross, t!("result-icon-failed"))
            }
            Outcome::Pending => (PENDING, StatusIcon::Clock, t!("result-icon-pending")),
            Outcome::Unknown => (WARNING, StatusIcon::Question, t!("result-icon-unknown")),
            Outcome::Repeat => (WARNING, StatusIcon::Exclamation, t!("result-icon-repeat")),
        }
    }
}

/// Everything the card says, in the window's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardText {
    pub outcome: Outcome,
    pub headline: String,
    /// "20.00 USD to +53 52942387", when an operation exists.
    pub what: Option<String>,
    /// Plain sentences: what happened and what to do.
    pub sentences: Vec<String>,
    pub provider_ref: Option<String>,
    pub our_ref: Option<String>,
    /// The technical detail, behind "Details".
    pub details: Vec<String>,
}

/// The card's words for an engine answer; `profile` names the provider and its time limit.
pub fn card_text(result: &Result<TxRecord, SendFailure>, profile: &Profile) -> CardText {
    let outcome = Outcome::of(result);
    let provider = profile.provider.brand();
    let record = match result {
        Ok(record) => record,
        Err(failure) => {
            let (headline, sentence) = match outcome {
                Outcome::Repeat => (t!("result-repeat"), failure.message.text()),
                Outcome::Unknown => (t!("result-unknown"), t!("result-unknown-unrecorded")),
                _ => (t!("result-not-sent"), failure.message.text()),
            };
            let details = match outcome {
                Outcome::Unknown => vec![failure.message.text()],
                _ => Vec::new(),
            };
            return CardText {
                outcome,
                headline,
                what: None,
                sentences: vec![sentence],
                provider_ref: None,
                our_ref: None,
                details,
            };
        }
    };
    let shown_number =
        spaced_international(&record.destination).unwrap_or_else(|| record.destination.clone());
    let what = t!(
        "result-what",
        amount = money_text(record.amount),
        number = shown_number.as_str()
    );
    // What is shown is in the window's language; what is recognised is the provider's words
    // (or saldo's note in English).
    let stored = record.provider_message.as_deref().unwrap_or_default();
    let (reason, recognised) = (message_text(stored), Note::in_english(stored));
    let mut details = Vec::new();
    let (headline, sentences) = match outcome {
        Outcome::Succeeded => (t!("result-succeeded"), Vec::new()),
        Outcome::Failed => {
            let mut sentences = vec![t!("result-reason", reason = reason.as_str())];
            if let Some(advice) = refusal_advice(profile.provider, &recognised) {
                sentences.push(advice);
            }
            // Only a failure the provider stated means nothing was charged.
            sentences.push(match record.basis {
                Some(Basis::Inferred | Basis::ByHand) => t!("result-failure-concluded"),
                _ => t!("result-nothing-charged"),
            });
            (t!("result-failed"), sentences)
        }
        Outcome::Pending => (
            t!("result-pending"),
            vec![
                t!("result-pending-detail", provider = provider),
                t!("result-do-not-resend-history"),
            ],
        ),
        _ => {
            details.push(t!(
                "result-unknown-technical",
                reason = reason.as_str(),
                state = state_text(record.state)
            ));
            let sentence = if recognised.contains(NO_ANSWER_IN_TIME) {
                t!(
                    "result-unknown-timeout",
                    provider = provider,
                    seconds = profile.settings.request_timeout_secs
                )
            } else {
                t!("result-unknown-unclear", provider = provider)
            };
            (t!("result-unknown"), vec![sentence])
        }
    };
    CardText {
        outcome,
        headline,
        what: Some(what),
        sentences,
        provider_ref: record.provider_ref.clone(),
        our_ref: Some(record.reference.to_string()),
        details,
    }
}

/// The finished top-up's card and what comes next: the next customer, a retry that keeps the
/// number after a failure, or the second confirmation a repeat needs.
pub(crate) fn done_ui(
    ui: &mut egui::Ui,
    panel: &mut CounterPanel,
    profile: &Profile,
    shop: &Shop,
    printer: &ReceiptPrinter,
    run: &mut dyn FnMut(Command),
) {
    let Stage::Done { result, guard } = &mut panel.stage else {
        return;
    };
    let text = card_text(result, profile);
    let balance = match &*result {
        Ok(record) => balance_line(shop, record),
        Err(_) => None,
    };
    let guard = *guard.get_or_insert_with(|| SendGuard::new(ui));
    ui.add_space(8.0);
    card_ui(ui, &text, balance);
    ui.add_space(12.0);
    // The receipt of a sale that went through or is being confirmed.
    let receipt_of = match &*result {
        Ok(record) if receipt_allowed(record.state) => Some(record.reference.clone()),
        _ => None,
    };
    match text.outcome {
        Outcome::Repeat => repeat_ui(ui, panel, guard, run),
        outcome => next_ui(ui, panel, outcome, receipt_of, printer, run),
    }
    details_ui(ui, &text);
}

/// The balance line of a sale's card, for a profile that reports balances: the reading taken
/// after the sale, or that it is being read (the line keeps its place, so nothing under it
/// moves when the reading arrives).
fn balance_line(shop: &Shop, record: &TxRecord) -> Option<String> {
    let profile = shop.profile(&record.profile_name)?;
    if !crate::providers::registry::capabilities_of(profile.provider).balance {
        return None;
    }
    let view = shop.balances.get(&record.profile_name);
    match view
        .and_then(|v| v.reading)
        .filter(|r| r.read_at >= record.created_at)
    {
        Some(reading) => Some(t!(
            "result-balance-now",
            balance = money_text(reading.amount)
        )),
        None if view.is_some_and(|v| v.error.is_some() && !v.loading) => {
            Some(t!("result-balance-unread"))
        }
        None => Some(t!("result-balance-reading")),
    }
}

/// The card itself: icon, headline, what, sentences, references, balance.
fn card_ui(ui: &mut egui::Ui, text: &CardText, balance: Option<String>) {
    let (colour, icon, icon_name) = text.outcome.look();
    egui::Frame::new()
        .fill(theme::tint(ui, colour))
        .stroke(egui::Stroke::new(2.0, colour))
        .corner_radius(8.0)
        .inner_margin(16.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                status_icon_ui(ui, icon, colour, 44.0, &icon_name);
                ui.add_space(8.0);
                ui.label(
                    RichText::new(&text.headline)
                        .size(RESULT_SIZE)
                        .strong()
                        .color(theme::ink(ui, colour)),
                );
            });
            if let Some(what) = &text.what {
                ui.add_space(6.0);
                ui.label(RichText::new(what).size(theme::REVIEW_SIZE).strong());
            }
            for sentence in &text.sentences {
                ui.label(RichText::new(sentence).size(17.0));
            }
            ui.add_space(6.0);
            if let Some(reference) = &text.provider_ref {
                copy_line_ui(
                    ui,
                    t!("result-provider-reference", reference = reference),
                    reference,
                );
            }
            if let Some(reference) = &text.our_ref {
                copy_line_ui(
                    ui,
                    t!("result-our-reference", reference = reference),
                    reference,
                );
            }
            if let Some(balance) = balance {
                ui.label(balance);
            }
        });
}

/// The technical detail, folded under the buttons (it never pushes them out of sight).
fn details_ui(ui: &mut egui::Ui, text: &CardText) {
    if text.details.is_empty() {
        return;
    }
    ui.add_space(8.0);
    egui::CollapsingHeader::new(t!("result-details"))
        .id_salt("result-details")
        .show(ui, |ui| {
            for line in &text.details {
                ui.label(RichText::new(line).weak());
            }
        });
}

/// "Next customer" (Enter or Escape), "Print receipt" for a sale with one, and "Retry" after
/// a failure, keeping the number.
fn next_ui(
    ui: &mut egui::Ui,
    panel: &mut CounterPanel,
    outcome: Outcome,
    receipt_of: Option<Reference>,
    printer: &ReceiptPrinter,
    run: &mut dyn FnMut(Command),
) {
    let retry_offered = matches!(outcome, Outcome::Failed | Outcome::NotSent);
    let mut next = key_pressed(ui, Key::Enter) || key_pressed(ui, Key::Escape);
    let mut retry = false;
    ui.horizontal(|ui| {
        next |= primary_button_ui(
            ui,
            icon::COUNTER,
            &t!("counter-next-customer"),
            COUNTER_SIZE,
            true,
        )
        .on_hover_text(t!("key-enter"))
        .clicked();
        if let Some(reference) = &receipt_of {
            let printing = panel.printing.as_ref() == Some(reference);
            if print_button_ui(ui, printer, printing, COUNTER_SIZE) {
                panel.printing = Some(reference.clone());
                run(Command::PrintReceipt {
                    reference: reference.clone(),
                    printer: printer.clone(),
                });
            }
        }
        if retry_offered {
            retry = ui
                .button(
                    RichText::new(with_icon(icon::RETRY, &t!("counter-retry"))).size(COUNTER_SIZE),
                )
                .on_hover_text(t!("counter-retry-tip"))
                .clicked();
        }
    });
    if retry {
        panel.stage = Stage::Entering;
        panel.focus_number = true;
    } else if next {
        panel.next_customer();
    }
}

/// The second confirmation the duplicate-send guard asks for; its button is guarded like
/// "Send top-up", since it appears where that button was.
fn repeat_ui(
    ui: &mut egui::Ui,
    panel: &mut CounterPanel,
    guard: SendGuard,
    run: &mut dyn FnMut(Command),
) {
    let mut again = false;
    let mut cancel = key_pressed(ui, Key::Escape);
    let armed = guard.is_armed(ui);
    ui.horizontal(|ui| {
        again = ui
            .add_enabled(
                armed,
                egui::Button::new(
                    RichText::new(t!("counter-send-again"))
                        .size(COUNTER_SIZE)
                        .color(WARNING),
                ),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_after_sending_never_reads_as_not_sent() {
        let sent = SendFailure {
            message: "top-up SAL-1 was sent but saldo could not record that".into(),
            may_have_been_sent: true,
            repeat_of: None,
        };
        assert_eq!(Outcome::of(&Err(sent)), Outcome::Unknown);
        let refused = SendFailure {
            message: "nothing was sent: the disk is full".into(),
            may_have_been_sent: false,
            repeat_of: None,
        };
        assert_eq!(Outcome::of(&Err(refused)), Outcome::NotSent);
    }

    #[test]
    fn pending_and_unknown_never_share_a_look() {
        let looks: Vec<_> = [
            Outcome::Succeeded,
            Outcome::Failed,
            Outcome::Pending,
            Outcome::Unknown,
        ]
        .into_iter()
        .map(|o| {
            let (colour, icon, _) = o.look();
            (colour, icon)
        })
        .collect();
        for (i, a) in looks.iter().enumerate() {
            for b in &looks[i + 1..] {
                assert_ne!(a.0, b.0, "colours differ");
                assert_ne!(a.1, b.1, "icons differ");
            }
        }
    }
}
