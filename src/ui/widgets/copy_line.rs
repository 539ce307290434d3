//! A line of text with a button that copies a value (a reference) to the clipboard.

use crate::t;
use crate::ui::theme::{icon, with_icon};

/// Draws `line` and a copy button that puts `value` on the clipboard.
pub fn copy_line_ui(ui: &mut egui::Ui, line: impl Into<egui::WidgetText>, value: &str) {
    ui.horizontal(|ui| {
        ui.label(line);
        let copy = ui
            .small_button(with_icon(icon::COPY, &t!("result-copy")))
            .on_hover_text(t!("result-copy-tip"));
        if copy.clicked() {
            ui.ctx().copy_text(value.to_string());
        }
    });
}
