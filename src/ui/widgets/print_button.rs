//! "Print receipt": on the counter's result card and in History's details. It waits for the
//! print under way, takes no second press within a second of the first (a double click or a
//! bouncing key prints one slip, not a reprint), and says where to choose a printer when none
//! is chosen.

use egui::RichText;

use crate::receipt::printer::ReceiptPrinter;
use crate::t;
use crate::ui::theme::{icon, with_icon};

/// How long after a press the button takes no other.
const SETTLE_SECS: f64 = 1.0;

/// The button; true when pressed (and a print may start).
pub fn print_button_ui(
    ui: &mut egui::Ui,
    printer: &ReceiptPrinter,
    printing: bool,
    size: f32,
) -> bool {
    let label = if printing {
        t!("receipt-printing")
    } else {
        t!("receipt-print")
    };
    let pressed_id = ui.make_persistent_id("print-receipt-pressed");
    let now = ui.input(|i| i.time);
    let last = ui.data(|d| d.get_temp::<f64>(pressed_id));
    let settling = last.is_some_and(|at| now - at < SETTLE_SECS);
    if settling {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs_f64(SETTLE_SECS));
    }
    let enabled = printer.is_chosen() && !printing;
    let button = egui::Button::new(RichText::new(with_icon(icon::RECEIPT, &label)).size(size));
    let response = ui.add_enabled(enabled, button);
    // A screen reader says the words, not the icon.
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, &label));
    let response = if printer.is_chosen() {
        response.on_hover_text(t!("receipt-print-tip"))
    } else {
        response.on_disabled_hover_text(t!("receipt-no-printer"))
    };
    let pressed = response.clicked() && !settling;
    if response.clicked() {
        ui.data_mut(|d| d.insert_temp(pressed_id, now));
    }
    pressed
}
