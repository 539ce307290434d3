//! A status chip: a short word in a rounded, coloured frame ("Low", "Sales paused").

use egui::{Color32, RichText};

use crate::ui::theme;

/// Draws `text` as a chip in `colour`.
pub fn chip_ui(ui: &mut egui::Ui, text: &str, colour: Color32) -> egui::Response {
    egui::Frame::new()
        .fill(theme::tint(ui, colour))
        .stroke((1.0, colour))
        .corner_radius(10.0)
        .inner_margin(egui::Margin::symmetric(8, 2))
        .show(ui, |ui| {
            ui.label(
                RichText::new(text)
                    .small()
                    .strong()
                    .color(theme::ink(ui, colour)),
            );
        })
        .response
}
