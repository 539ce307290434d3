//! This counter's receipt printer, as chosen in the window's Settings, and printing on it:
//! the receipt is recorded, written for the printer and handed over in one call.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::pdf::PdfPage;
use super::{PaperWidth, Receipt, ReceiptFormat, deliver};
use crate::domain::Reference;
use crate::ledger::Ledger;

/// Where this counter's receipts go.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PrinterTarget {
    /// No printer chosen yet.
    #[default]
    None,
    /// A thermal printer on the network, by its raw port (`HOST:9100`).
    Network(String),
    /// A printer of the system's spooler (CUPS), by name, sent raw ESC/POS.
    System(String),
    /// A printer's device file (`/dev/usb/lp0`, a serial port).
    Device(PathBuf),
    /// No printer: each receipt saved as a PDF file in this folder.
    PdfFolder(PathBuf),
}

/// This counter's receipt printer and how it is used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReceiptPrinter {
    pub target: PrinterTarget,
    /// The roll's width in millimetres (58 or 80).
    pub width_mm: u32,
    /// Print the receipt as soon as a sale went through (or is being confirmed).
    pub after_every_sale: bool,
}

impl Default for ReceiptPrinter {
    fn default() -> Self {
        ReceiptPrinter {
            target: PrinterTarget::None,
            width_mm: 80,
            after_every_sale: false,
        }
    }
}

impl ReceiptPrinter {
    /// Whether a printer (or a folder) is chosen.
    pub fn is_chosen(&self) -> bool {
        match &self.target {
            PrinterTarget::None => false,
            PrinterTarget::Network(text) | PrinterTarget::System(text) => !text.trim().is_empty(),
            PrinterTarget::Device(path) | PrinterTarget::PdfFolder(path) => {
                !path.as_os_str().is_empty()
            }
        }
    }

    fn width(&self) -> PaperWidth {
        PaperWidth::from_mm(self.width_mm).unwrap_or(PaperWidth::Mm80)
    }
}

/// What a print did: the receipt as printed, and where it went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Printed {
    pub receipt: Receipt,
    /// The file written, when the receipt went to a folder.
    pub file: Option<PathBuf>,
}

/// Records a print of the operation's receipt and prints it on `printer`. A failure to reach
/// the printer comes back as words for the clerk; the print stays recorded (the next one is
/// a reprint).
pub fn print(
    ledger: &Ledger,
    reference: &Reference,
    printer: &ReceiptPrinter,
) -> Result<Printed, String> {
    if !printer.is_chosen() {
        return Err("no receipt printer is chosen: choose one in Settings, Receipts".into());
    }
    let format = match printer.target {
        PrinterTarget::PdfFolder(_) => ReceiptFormat::Pdf,
        _ => ReceiptFormat::Escpos,
    };
    let receipt = super::issue(ledger, reference, format, None).map_err(|e| e.to_string())?;
    let width = printer.width();
    let mut file = None;
    match &printer.target {
        PrinterTarget::None => unreachable!("checked above"),
        PrinterTarget::Network(address) => {
            deliver::to_tcp(address.trim(), &super::escpos::render(&receipt, width)?)?
        }
        PrinterTarget::System(name) => {
            deliver::to_spooler(name.trim(), &super::escpos::render(&receipt, width)?, true)?
        }
        PrinterTarget::Device(path) => {
            deliver::to_file(path, &super::escpos::render(&receipt, width)?)?
        }
        PrinterTarget::PdfFolder(folder) => {
            // A counter's name is a host name, but a file name takes no slash whatever it is.
            let counter: String = receipt
                .counter
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let name = match receipt.copy {
                0 => format!("receipt-{counter}-{}.pdf", receipt.number),
                copy => format!("receipt-{counter}-{}-reprint-{copy}.pdf", receipt.number),
            };
            let path = folder.join(name);
            deliver::to_file(&path, &super::pdf::render(&receipt, PdfPage::Roll(width))?)?;
            file = Some(path);
        }
    }
    Ok(Printed { receipt, file })
}
