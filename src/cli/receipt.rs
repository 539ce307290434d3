//! `saldo receipt`: the customer's receipt of an operation, as text, PDF or ESC/POS bytes, to
//! the terminal, a file, a network printer or the system spooler; and `saldo shop`, the
//! details every receipt carries.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::{CliError, Exit, Output};
use crate::domain::Reference;
use crate::ledger::{Ledger, ShopDetails};
use crate::receipt::pdf::PdfPage;
use crate::receipt::{self, PaperWidth, Receipt, ReceiptFormat, ReceiptLanguage, deliver};

/// The forms of a receipt on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FormatArg {
    /// Plain text (the QR code in block characters).
    Text,
    /// A PDF page.
    Pdf,
    /// ESC/POS bytes for a thermal printer.
    Escpos,
}

/// The page of a PDF receipt.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum PageArg {
    /// As wide as the roll (--width).
    Roll,
    /// An A4 sheet.
    A4,
}

#[derive(Debug, Args)]
pub struct ReceiptArgs {
    /// The operation's reference (SAL-…).
    pub reference: String,
    /// What to write.
    #[arg(long, value_enum, default_value = "text")]
    pub format: FormatArg,
    /// The paper's width in millimetres: 58 or 80.
    #[arg(long, default_value_t = 80)]
    pub width: u32,
    /// The PDF's page.
    #[arg(long, value_enum, default_value = "roll")]
    pub page: PageArg,
    /// The receipt's language (en, es, fa); else the shop's setting, else the profile's
    /// country's.
    #[arg(long)]
    pub lang: Option<String>,
    /// Write it to this file, or to a printer's device (/dev/usb/lp0, a serial port).
    #[arg(long, value_name = "FILE", group = "target")]
    pub out: Option<PathBuf>,
    /// Print it on this printer of the system spooler (CUPS).
    #[arg(long, value_name = "NAME", group = "target")]
    pub printer: Option<String>,
    /// Print it on a network printer's raw port.
    #[arg(long, value_name = "HOST:PORT", group = "target")]
    pub tcp: Option<String>,
}

fn bad(message: impl Into<String>) -> CliError {
    CliError::new(Exit::BadInput, message)
}

pub(crate) fn run(args: ReceiptArgs, ledger: &Ledger) -> Result<Output, CliError> {
    let width = PaperWidth::from_mm(args.width).ok_or_else(|| {
        bad(format!(
            "--width {} is not a receipt roll: use 58 or 80",
            args.width
        ))
    })?;
    let language = args
        .lang
        .as_deref()
        .map(|tag| {
            ReceiptLanguage::from_tag(tag).ok_or_else(|| {
                bad(format!(
                    "--lang {tag}: receipts are printed in en, es or fa"
                ))
            })
        })
        .transpose()?;
    let format = match args.format {
        FormatArg::Text => ReceiptFormat::Text,
        FormatArg::Pdf => ReceiptFormat::Pdf,
        FormatArg::Escpos => ReceiptFormat::Escpos,
    };
    let to_terminal = args.out.is_none() && args.printer.is_none() && args.tcp.is_none();
    if to_terminal && format != ReceiptFormat::Text {
        return Err(bad(format!(
            "a {} receipt is not for the terminal: give --out FILE, --printer NAME or --tcp HOST:PORT",
            format.as_str()
        )));
    }
    let reference = Reference::from_text(&args.reference);
    let receipt = receipt::issue(ledger, &reference, format, language)?;
    let bytes =
        write(&receipt, format, width, args.page).map_err(|e| CliError::new(Exit::Config, e))?;
    if to_terminal {
        return Ok(Output::ok(
            String::from_utf8_lossy(&bytes).trim_end().to_string(),
        ));
    }
    let raw = format == ReceiptFormat::Escpos;
    let (done, place) = if let Some(path) = &args.out {
        (deliver::to_file(path, &bytes), path.display().to_string())
    } else if let Some(name) = &args.printer {
        (
            deliver::to_spooler(name, &bytes, raw),
            format!("printer {name}"),
        )
    } else {
        let address = args.tcp.clone().unwrap_or_default();
        (deliver::to_tcp(&address, &bytes), address)
    };
    done.map_err(|e| {
        CliError::new(
            Exit::Config,
            format!(
                "{e}. The print was recorded: printing it again marks it REPRINT {}",
                receipt.copy + 1
            ),
        )
    })?;
    Ok(Output::ok(format!("{} to {place}", summary(&receipt))))
}

/// "receipt 12 of counter caja-1 (REPRINT 1) for SAL-…".
fn summary(receipt: &Receipt) -> String {
    let copy = if receipt.copy > 0 {
        format!(" (REPRINT {})", receipt.copy)
    } else {
        String::new()
    };
    format!(
        "receipt {} of counter {}{copy} for {}",
        receipt.number, receipt.counter, receipt.reference
    )
}

/// The receipt's bytes in `format`.
pub fn write(
    receipt: &Receipt,
    format: ReceiptFormat,
    width: PaperWidth,
    page: PageArg,
) -> Result<Vec<u8>, String> {
    match format {
        ReceiptFormat::Text => Ok(receipt::text::render(receipt, width).into_bytes()),
        ReceiptFormat::Escpos => receipt::escpos::render(receipt, width),
        ReceiptFormat::Pdf => receipt::pdf::render(
            receipt,
            match page {
                PageArg::Roll => PdfPage::Roll(width),
                PageArg::A4 => PdfPage::A4,
            },
        ),
    }
}

/// The shop's details on every receipt.
#[derive(Debug, Subcommand)]
pub enum ShopCommand {
    /// Change the shop's details (only what is given changes).
    ///
    /// Example: saldo shop set --name "Recargas El Sol" --address "Calle 23 #456, Vedado" --mask-numbers yes
    Set(ShopSetArgs),
    /// Show the shop's details.
    ///
    /// Example: saldo shop show
    Show,
}

#[derive(Debug, Args)]
pub struct ShopSetArgs {
    /// The shop's name, the first line of every receipt.
    #[arg(long)]
    pub name: Option<String>,
    /// Its address; "\n" starts a new line.
    #[arg(long)]
    pub address: Option<String>,
    /// Hide the middle digits of the customer's number on receipts: yes or no.
    #[arg(long, value_name = "yes|no")]
    pub mask_numbers: Option<String>,
    /// The receipts' language: en, es, fa, or auto (the profile's country's).
    #[arg(long, value_name = "LANG")]
    pub receipt_language: Option<String>,
}

pub(crate) fn shop(command: ShopCommand, ledger: &Ledger) -> Result<Output, CliError> {
    let mut details = ledger.shop_details()?;
    if let ShopCommand::Set(args) = command {
        if let Some(name) = args.name {
            details.name = name.trim().to_string();
        }
        if let Some(address) = args.address {
            details.address = address.replace("\\n", "\n").trim().to_string();
        }
        if let Some(mask) = args.mask_numbers {
            details.mask_destinations = match mask.trim().to_ascii_lowercase().as_str() {
                "yes" | "on" | "true" => true,
                "no" | "off" | "false" => false,
                other => return Err(bad(format!("--mask-numbers {other}: say yes or no"))),
            };
        }
        if let Some(tag) = args.receipt_language {
            details.receipt_language = match tag.trim() {
                "auto" | "" => None,
                tag => Some(
                    ReceiptLanguage::from_tag(tag)
                        .ok_or_else(|| {
                            bad(format!("--receipt-language {tag}: say en, es, fa or auto"))
                        })?
                        .tag()
                        .to_string(),
                ),
            };
        }
        ledger.set_shop_details(&details)?;
    }
    Ok(Output::ok(describe(&details)))
}

fn describe(details: &ShopDetails) -> String {
    let or_none = |text: &str| {
        if text.is_empty() {
            "(not set)".to_string()
        } else {
            text.replace('\n', " / ")
        }
    };
    format!(
        "name: {}\naddress: {}\nmask numbers: {}\nreceipt language: {}",
        or_none(&details.name),
        or_none(&details.address),
        if details.mask_destinations {
            "yes"
        } else {
            "no"
        },
        details.receipt_language.as_deref().unwrap_or("auto"),
    )
}
