//! Reading the keyboard the way a counter needs: fresh presses only, never a held key's
//! repeats.

use egui::Key;

/// Whether `key` was pressed this frame with no modifier, not as an auto-repeat of a held key
/// (a held Enter must never walk from review to send); the press is consumed.
pub fn key_pressed(ui: &egui::Ui, key: Key) -> bool {
    ui.input_mut(|input| {
        let mut found = false;
        input.events.retain(|event| match event {
            egui::Event::Key {
                key: k,
                pressed: true,
                repeat,
                modifiers,
                ..
            } if *k == key && modifiers.is_none() => {
                found |= !*repeat;
                false
            }
            _ => true,
        });
        found
    })
}

/// Whether no text field has the keyboard (so Enter is meant for the panel, not a field).
pub fn no_field_focused(ui: &egui::Ui) -> bool {
    ui.memory(|m| m.focused().is_none())
}
