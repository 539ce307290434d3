//! The customer's number field. It takes what a phone number is written with and nothing
//! else: an amount shortcut (Alt+digit) never types its digit into it, and a letter is refused
//! with a word instead of landing in the number.

use egui::{Event, Id, RichText};

use super::CounterPanel;
use crate::domain::Country;
use crate::t;
use crate::ui::text::error_text::country_text;
use crate::ui::theme::FAILURE;

/// The number field's id, stable so its focus can be read before it is drawn.
fn field_id() -> Id {
    Id::unique("counter-number")
}

/// Draws the labelled number field (taking the focus when the counter asks for it).
pub(super) fn number_field_ui(
    ui: &mut egui::Ui,
    panel: &mut CounterPanel,
    country: Country,
) -> egui::Response {
    let id = field_id();
    if ui.memory(|m| m.has_focus(id)) && keep_phone_typing(ui) {
        panel.typing_refused = true;
    }
    let label = ui.label(t!("counter-number"));
    let field = ui
        .add(
            egui::TextEdit::singleline(&mut panel.number)
                .id(id)
                .hint_text(t!("counter-number-hint", country = country_text(country)))
                .desired_width(280.0)
                .font(egui::TextStyle::Heading),
        )
        .labelled_by(label.id);
    if std::mem::take(&mut panel.focus_number) {
        field.request_focus();
    }
    // Whatever put text here (a favourite, a restore of the field), only phone characters stay.
    let cleaned = phone_text(&panel.number);
    if cleaned != panel.number {
        panel.number = cleaned;
        panel.typing_refused = true;
    } else if field.changed() {
        panel.typing_refused = false;
    }
    if panel.typing_refused {
        ui.label(RichText::new(t!("counter-number-digits-only")).color(FAILURE));
    }
    field
}

/// Takes out of this frame's typing what must not reach the number field: the text of a key
/// pressed with Alt (an amount shortcut; egui-winit sends Alt+2 as the key *and* the text
/// "2", one right after the other), and every character a phone number is not written with.
/// True when something the clerk typed was refused. Only the text that follows an Alt key goes:
/// a digit typed just before Alt+2 in the same frame (a fast clerk, xdotool) stays, though the
/// frame ends with Alt held.
fn keep_phone_typing(ui: &egui::Ui) -> bool {
    ui.input_mut(|input| {
        let mut after_alt_key = false;
        let mut refused = false;
        input.events.retain_mut(|event| match event {
            Event::Key {
                pressed: true,
                modifiers,
                ..
            } => {
                after_alt_key = modifiers.alt;
                true
            }
            Event::Text(text) if after_alt_key => {
                after_alt_key = false;
                text.clear();
                false
            }
            Event::Text(text) | Event::Paste(text) => {
                let kept = phone_text(text);
                refused |= kept.chars().count() != text.chars().count();
                *text = kept;
                !text.is_empty()
            }
            _ => true,
        });
        refused
    })
}

/// `text` with only what a phone number is written with: digits (Persian and Arabic-Indic
/// digits become ASCII), a leading "+", and the separators the number parser understands.
pub(crate) fn phone_text(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '0'..='9' | '+' | ' ' | '-' | '.' | '(' | ')' | '\u{a0}' => Some(c),
            '\u{660}'..='\u{669}' => char::from_digit(c as u32 - 0x660, 10),
            '\u{6f0}'..='\u{6f9}' => char::from_digit(c as u32 - 0x6f0, 10),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::phone_text;

    #[test]
    fn only_what_a_phone_number_is_written_with_stays() {
        assert_eq!(phone_text("+53 5294-2387"), "+53 5294-2387");
        assert_eq!(phone_text("5294x2387"), "52942387");
        assert_eq!(phone_text("۹۸۷۶٥"), "98765");
        assert_eq!(phone_text("abc"), "");
    }
}
