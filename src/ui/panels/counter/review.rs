//! The review: what will be sent, read back to the customer before anything leaves. Sending
//! takes a deliberate action (see [`crate::ui::widgets::send_guard::SendGuard`]): a second Enter in a hurry, a held Enter or a
//! double click does nothing.

use egui::{Key, RichText};

use super::result::submit_order;
use super::{CounterPanel, Stage, field_text};
use crate::domain::phone::spaced_international;
use crate::engine::TopUpOrder;
use crate::providers::Profile;
use crate::providers::registry::TopUpField;
use crate::t;
use crate::ui::backend::Command;
use crate::ui::text::numbers::money_text;
use crate::ui::theme::{COUNTER_SIZE, REVIEW_SIZE, icon, with_icon};
use crate::ui::widgets::keys::key_pressed;
use crate::ui::widgets::primary::primary_button_ui;

pub(super) fn reviewing_ui(
    ui: &mut egui::Ui,
    panel: &mut CounterPanel,
    profile: &Profile,
    run: &mut dyn FnMut(Command),
) {
    let Stage::Reviewing {
        number,
        amount,
        guard,
    } = &mut panel.stage
    else {
        return;
    };
    let (number, amount) = (number.clone(), *amount);
    let enter = guard.enter_confirms(ui);
    let armed = guard.is_armed(ui);
    let back = key_pressed(ui, Key::Escape);
    ui.heading(t!("counter-title"));
    ui.add_space(8.0);
    ui.label(RichText::new(t!("counter-check-with-customer")).size(COUNTER_SIZE));
    let shown_number = spaced_international(&number.e164()).unwrap_or_else(|| number.to_string());
    ui.label(
        RichText::new(t!("counter-review-number", number = shown_number))
            .size(REVIEW_SIZE)
            .strong(),
    );
    ui.label(
        RichText::new(t!("counter-review-amount", amount = money_text(amount)))
            .size(REVIEW_SIZE)
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
    let mut send = false;
    let mut go_back = back;
    ui.horizontal(|ui| {
        send = primary_button_ui(ui, icon::SEND, &t!("counter-send"), COUNTER_SIZE, armed)
            .on_hover_text(t!("key-enter"))
            .on_disabled_hover_text(t!("counter-send-wait"))
            .clicked();
        go_back |= ui
            .button(RichText::new(with_icon(icon::BACK, &t!("counter-back"))).size(COUNTER_SIZE))
            .on_hover_text(t!("key-escape"))
            .clicked();
    });
    let hint = if armed {
        t!("counter-send-hint")
    } else {
        t!("counter-send-wait")
    };
    ui.label(RichText::new(hint).weak());
    if armed && (send || enter) {
        let order = TopUpOrder {
            operator: panel.choices.get(&TopUpField::Operator).cloned(),
            circle: panel.choices.get(&TopUpField::Circle).cloned(),
            ..TopUpOrder::new(&profile.name, &number.e164(), &amount.to_decimal_string())
        };
        submit_order(panel, number, amount, order, run);
    } else if go_back {
        panel.stage = Stage::Entering;
        panel.focus_number = true;
    }
}
