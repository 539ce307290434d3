//! The demo banner and the side bar of panels.

use egui::RichText;

use crate::t;
use crate::ui::app::SaldoApp;
use crate::ui::panels::{Panel, shortcut_text};
use crate::ui::theme::{DEMO, WARNING};

impl SaldoApp {
    pub(crate) fn demo_banner_ui(&self, ui: &mut egui::Ui) {
        egui::Frame::new()
            .fill(DEMO)
            .inner_margin(6.0)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(
                    RichText::new(t!("demo-banner"))
                        .color(egui::Color32::BLACK)
                        .strong(),
                );
            });
    }

    pub(crate) fn side_bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.add_space(8.0);
        ui.label(RichText::new("saldo").size(22.0).strong());
        ui.add_space(8.0);
        for panel in Panel::ALL {
            let mut title = panel.title();
            if panel == Panel::Review && self.needs_review > 0 {
                title = format!("{title} ({})", self.needs_review);
            }
            let mut text = RichText::new(title).size(16.0);
            if panel == Panel::Review && self.needs_review > 0 {
                text = text.color(WARNING).strong();
            }
            let selected = self.prefs.panel == panel;
            let mut tip = shortcut_text(ui.ctx(), panel.shortcut());
            if panel == Panel::Review && self.needs_review > 0 {
                tip = format!("{} ({tip})", t!("review-count", count = self.needs_review));
            }
            let response = ui
                .add_sized(
                    [ui.available_width(), 30.0],
                    egui::Button::selectable(selected, text),
                )
                .on_hover_text(tip);
            if response.clicked() {
                self.open(panel);
            }
        }
    }
}
