//! The primary action of a step (Review, Send top-up, Confirm…): the one filled button, in the
//! theme's primary colour, with its icon.

use egui::{Color32, RichText};

use crate::ui::theme::{self, PRIMARY};

/// A primary button labelled `icon` and `text` at `size`, usable when `enabled`. Screen
/// readers and tests find it by `text` alone.
pub fn primary_button_ui(
    ui: &mut egui::Ui,
    icon: &str,
    text: &str,
    size: f32,
    enabled: bool,
) -> egui::Response {
    let label = RichText::new(theme::with_icon(icon, text))
        .size(size)
        .strong()
        .color(Color32::WHITE);
    let button = egui::Button::new(label)
        .fill(if enabled {
            PRIMARY
        } else {
            PRIMARY.gamma_multiply(0.45)
        })
        .min_size(egui::vec2(120.0, size + 16.0));
    let response = ui.add_enabled(enabled, button);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, text));
    response
}
