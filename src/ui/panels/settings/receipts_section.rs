//! Settings › "Receipts": what every receipt says about the shop (its name and address, whether
//! the customer's number is shown whole, the receipts' language — kept in the ledger, the same
//! for every counter), and this counter's printer: a network printer's raw port, a printer of
//! the system, a printer's device file, or PDF files in a folder; the roll's width; and
//! whether each sale's receipt is printed as soon as it is known.

use std::path::PathBuf;

use crate::ledger::ShopDetails;
use crate::receipt::printer::{PrinterTarget, ReceiptPrinter};
use crate::t;
use crate::ui::backend::Command;
use crate::ui::panels::PanelContext;
use crate::ui::text::words::Words;
use crate::ui::theme::{FAILURE, SUCCESS};

/// The kinds of printer target, as the picker lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TargetKind {
    None,
    Network,
    System,
    Device,
    PdfFolder,
}

impl TargetKind {
    const ALL: [TargetKind; 5] = [
        TargetKind::None,
        TargetKind::Network,
        TargetKind::System,
        TargetKind::Device,
        TargetKind::PdfFolder,
    ];

    fn of(target: &PrinterTarget) -> TargetKind {
        match target {
            PrinterTarget::None => TargetKind::None,
            PrinterTarget::Network(_) => TargetKind::Network,
            PrinterTarget::System(_) => TargetKind::System,
            PrinterTarget::Device(_) => TargetKind::Device,
            PrinterTarget::PdfFolder(_) => TargetKind::PdfFolder,
        }
    }

    fn words(self) -> String {
        match self {
            TargetKind::None => t!("settings-receipts-printer-none"),
            TargetKind::Network => t!("settings-receipts-printer-network"),
            TargetKind::System => t!("settings-receipts-printer-system"),
            TargetKind::Device => t!("settings-receipts-printer-device"),
            TargetKind::PdfFolder => t!("settings-receipts-printer-folder"),
        }
    }

    /// The target of this kind, with `text` as its address, name or path.
    fn target(self, text: &str) -> PrinterTarget {
        match self {
            TargetKind::None => PrinterTarget::None,
            TargetKind::Network => PrinterTarget::Network(text.to_string()),
            TargetKind::System => PrinterTarget::System(text.to_string()),
            TargetKind::Device => PrinterTarget::Device(PathBuf::from(text)),
            TargetKind::PdfFolder => PrinterTarget::PdfFolder(PathBuf::from(text)),
        }
    }
}

/// The section's state: the shop's details as typed, once loaded.
#[derive(Default)]
pub struct ReceiptsSection {
    asked: bool,
    details: Option<ShopDetails>,
    saving: bool,
    message: Option<(egui::Color32, Words)>,
}

impl ReceiptsSection {
    /// Takes the shop's details the ledger holds (after a load or a save).
    pub fn loaded(&mut self, result: Result<ShopDetails, Words>) {
        let saved = self.saving;
        self.saving = false;
        match result {
            Ok(details) => {
                self.details = Some(details);
                if saved {
                    self.message = Some((SUCCESS, Words::new(|| t!("settings-receipts-saved"))));
                }
            }
            Err(error) => self.message = Some((FAILURE, error)),
        }
    }
}

/// The section.
pub fn receipts_section_ui(
    ui: &mut egui::Ui,
    section: &mut ReceiptsSection,
    cx: &mut PanelContext<'_>,
) {
    egui::CollapsingHeader::new(t!("settings-receipts-title"))
        .id_salt("settings-receipts")
        .show(ui, |ui| {
            if !section.asked {
                section.asked = true;
                (cx.run)(Command::LoadShopDetails);
            }
            // This counter's printer first: the shop's details arrive from the ledger a
            // moment later, and nothing above them moves when they do.
            printer_ui(ui, &mut cx.prefs.printer);
            ui.separator();
            ui.label(t!("settings-receipts-shop-intro"));
            shop_ui(ui, section, cx);
        });
}

fn shop_ui(ui: &mut egui::Ui, section: &mut ReceiptsSection, cx: &mut PanelContext<'_>) {
    let Some(details) = &mut section.details else {
        ui.spinner();
        return;
    };
    egui::Grid::new("settings-receipts-shop")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            ui.label(t!("settings-receipts-shop-name"));
            ui.add(egui::TextEdit::singleline(&mut details.name).desired_width(280.0));
            ui.end_row();
            ui.label(t!("settings-receipts-shop-address"));
            ui.add(
                egui::TextEdit::multiline(&mut details.address)
                    .desired_rows(2)
                    .desired_width(280.0),
            );
            ui.end_row();
            ui.label(t!("settings-receipts-language"));
            let chosen = details.receipt_language.clone();
            egui::ComboBox::from_id_salt("settings-receipts-language")
                .selected_text(language_words(chosen.as_deref()))
                .show_ui(ui, |ui| {
                    for tag in [None, Some("en"), Some("es"), Some("fa")] {
                        ui.selectable_value(
                            &mut details.receipt_language,
                            tag.map(str::to_string),
                            language_words(tag),
                        );
                    }
                });
            ui.end_row();
        });
    ui.checkbox(
        &mut details.mask_destinations,
        t!("settings-receipts-mask-numbers"),
    );
    ui.horizontal(|ui| {
        let save = ui.add_enabled(
            !section.saving,
            egui::Button::new(t!("settings-receipts-save")),
        );
        if save.clicked() {
            section.saving = true;
            section.message = None;
            (cx.run)(Command::SaveShopDetails(details.clone()));
        }
        if let Some((colour, words)) = &section.message {
            ui.colored_label(*colour, words.text());
        }
    });
}

fn language_words(tag: Option<&str>) -> String {
    match tag {
        None => t!("settings-receipts-language-auto"),
        Some("es") => t!("settings-receipts-language-es"),
        Some("fa") => t!("settings-receipts-language-fa"),
        Some(_) => t!("settings-receipts-language-en"),
    }
}

/// This counter's printer: kept in the window's preferences as it is changed.
fn printer_ui(ui: &mut egui::Ui, printer: &mut ReceiptPrinter) {
    ui.label(t!("settings-receipts-printer-intro"));
    let kind = TargetKind::of(&printer.target);
    let mut picked = kind;
    for option in TargetKind::ALL {
        ui.radio_value(&mut picked, option, option.words());
    }
    let mut text = match &printer.target {
        PrinterTarget::None => String::new(),
        PrinterTarget::Network(text) | PrinterTarget::System(text) => text.clone(),
        PrinterTarget::Device(path) | PrinterTarget::PdfFolder(path) => path.display().to_string(),
    };
    if picked != kind {
        text.clear();
    }
    if picked != TargetKind::None {
        let hint = match picked {
            TargetKind::Network => t!("settings-receipts-printer-network-hint"),
            TargetKind::System => t!("settings-receipts-printer-system-hint"),
            TargetKind::Device => t!("settings-receipts-printer-device-hint"),
            _ => t!("settings-receipts-printer-folder-hint"),
        };
        ui.horizontal(|ui| {
            let label = ui.label(t!("settings-receipts-printer-where"));
            ui.add(
                egui::TextEdit::singleline(&mut text)
                    .hint_text(hint)
                    .desired_width(280.0),
            )
            .labelled_by(label.id);
        });
    }
    let target = picked.target(&text);
    if target != printer.target {
        printer.target = target;
    }
    ui.horizontal(|ui| {
        ui.label(t!("settings-receipts-width"));
        ui.radio_value(&mut printer.width_mm, 58, "58 mm");
        ui.radio_value(&mut printer.width_mm, 80, "80 mm");
    });
    ui.checkbox(
        &mut printer.after_every_sale,
        t!("settings-receipts-after-every-sale"),
    );
}
