//! The confirm step: a confirm button (or Enter) and Back (or Escape).

use egui::Key;

use crate::ui::theme::icon;
use crate::ui::widgets::keys::key_pressed;
use crate::ui::widgets::primary::primary_button_ui;
use crate::ui::widgets::send_guard::SendGuard;

/// What the person chose on a confirm step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Confirm,
    Back,
    Undecided,
}

/// The confirm step's two buttons: `confirm_text` (or Enter, when `enter_counts`) and Back (or
/// Escape). A held Enter never confirms: only a fresh press does.
pub fn confirm_or_back_ui(
    ui: &mut egui::Ui,
    confirm_text: egui::RichText,
    enter_counts: bool,
) -> Decision {
    let mut confirm = enter_counts && key_pressed(ui, Key::Enter);
    let mut back = key_pressed(ui, Key::Escape);
    ui.horizontal(|ui| {
        confirm |= ui
            .button(confirm_text)
            .on_hover_text(crate::t!("key-enter"))
            .clicked();
        back |= ui
            .button(crate::t!("counter-back"))
            .on_hover_text(crate::t!("key-escape"))
            .clicked();
    });
    match (confirm, back) {
        (true, _) => Decision::Confirm,
        (false, true) => Decision::Back,
        (false, false) => Decision::Undecided,
    }
}

/// The confirm step of a money move: like [`confirm_or_back_ui`], but the button and Enter
/// wait for `guard` (a deliberate action, never a double press or a held key), and neither
/// works while `can_confirm` is false (the move cannot be made as it stands).
pub fn guarded_confirm_ui(
    ui: &mut egui::Ui,
    guard: &mut SendGuard,
    confirm_text: &str,
    enter_counts: bool,
    can_confirm: bool,
) -> Decision {
    let enter = enter_counts && guard.enter_confirms(ui);
    let armed = guard.is_armed(ui);
    let mut confirm = enter && can_confirm;
    let mut back = key_pressed(ui, Key::Escape);
    let buttons = ui.horizontal(|ui| {
        let size = egui::TextStyle::Button.resolve(ui.style()).size;
        confirm |= primary_button_ui(ui, icon::CHECK, confirm_text, size, can_confirm && armed)
            .on_hover_text(crate::t!("key-enter"))
            .clicked();
        back |= ui
            .button(crate::t!("counter-back"))
            .on_hover_text(crate::t!("key-escape"))
            .clicked();
    });
    // A confirmation that just appeared below the fold is brought into view, so the buttons
    // it asks to press are where the eye is (a long reason can push them off a small screen).
    if !armed {
        buttons.response.scroll_to_me(None);
    }
    match (confirm && armed, back) {
        (true, _) => Decision::Confirm,
        (false, true) => Decision::Back,
        (false, false) => Decision::Undecided,
    }
}
