//! A receipt as ESC/POS bytes for a 58 or 80 mm thermal printer, written with the `escpos`
//! crate: text in the printer's own font (code page 858, which has Spanish and French letters
//! and the euro sign), the QR code drawn by the printer from our reference, and every line the
//! printer cannot print as text — all of a Persian receipt — as a raster image (GS v 0) drawn
//! by [`super::raster`].

use std::sync::{Arc, Mutex};

use escpos::driver::Driver;
use escpos::errors::PrinterError;
use escpos::printer::Printer;
use escpos::printer_options::PrinterOptions;
use escpos::utils::{
    JustifyMode, PageCode, Protocol, QRCodeCorrectionLevel, QRCodeModel, QRCodeOption,
};

use super::layout::Line;
use super::raster::{Bitmap, Painter};
use super::text::{Emphasis, TextLine, fixed_width};
use super::{PaperWidth, Receipt};

/// Dots per QR module: a version-2 code is 150 dots wide, scanned easily off a 58 mm roll.
const QR_MODULE_DOTS: u8 = 6;

/// Collects what the printer would be sent.
#[derive(Clone, Default)]
struct Collect(Arc<Mutex<Vec<u8>>>);

impl Driver for Collect {
    fn name(&self) -> String {
        "collect".into()
    }

    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        self.0
            .lock()
            .map_err(|_| PrinterError::Io("collector poisoned".into()))?
            .extend_from_slice(data);
        Ok(())
    }

    fn read(&self, _buf: &mut [u8]) -> escpos::errors::Result<usize> {
        Ok(0)
    }

    fn flush(&self) -> escpos::errors::Result<()> {
        Ok(())
    }
}

/// The ESC/POS bytes of `receipt` on paper `width` wide, ending with a cut.
pub fn render(receipt: &Receipt, width: PaperWidth) -> Result<Vec<u8>, String> {
    let collect = Collect::default();
    write(receipt, width, collect.clone())
        .map_err(|e| format!("the receipt could not be laid out: {e}"))?;
    let bytes = collect.0.lock().map(|b| b.clone()).unwrap_or_default();
    Ok(bytes)
}

fn write(receipt: &Receipt, width: PaperWidth, driver: Collect) -> escpos::errors::Result<()> {
    let options = PrinterOptions::new(Some(PageCode::PC858), None, width.chars() as u8);
    let mut printer = Printer::new(driver, Protocol::default(), Some(options));
    printer.init()?;
    let mut painter = None::<Painter>;
    let rtl = receipt.language.is_rtl();
    for line in super::layout::lines(receipt) {
        if let Line::Qr(data) = &line {
            let option = QRCodeOption::new(
                QRCodeModel::Model2,
                QR_MODULE_DOTS,
                QRCodeCorrectionLevel::M,
            );
            printer
                .justify(JustifyMode::CENTER)?
                .qrcode_option(data, option)?
                .justify(JustifyMode::LEFT)?;
            continue;
        }
        if rtl || !printable_as_text(&line) {
            let painter = painter.get_or_insert_with(Painter::new);
            let image = painter.draw_line(&line, width.dots(), rtl);
            if image.height > 0 {
                printer.custom(&raster_command(&image))?;
            }
            continue;
        }
        for text_line in fixed_width(std::slice::from_ref(&line), width.chars()) {
            let TextLine::Text { text, emphasis } = text_line else {
                continue;
            };
            let mut line = cp858(text.trim_end());
            line.push(b'\n');
            match emphasis {
                Emphasis::Plain => printer.custom(&line)?,
                Emphasis::Bold => printer.bold(true)?.custom(&line)?.bold(false)?,
                Emphasis::Title => printer
                    .bold(true)?
                    .size(1, 2)?
                    .custom(&line)?
                    .reset_size()?
                    .bold(false)?,
            };
        }
    }
    printer.feeds(3)?.print_cut()?;
    Ok(())
}

/// Code page 858's upper half (bytes 0x80–0xFF).
const CP858_HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈ€ÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u{AD}±‗¾¶§÷¸°¨·¹³²■\u{A0}";

/// `text` in code page 858, a character it lacks as "?". Written here rather than by the
/// `escpos` crate's own table, which sends "-" as 0xF0 (the soft hyphen) — every reference
/// would reach the paper with the wrong dashes (escpos 0.20.1, src/domain/page_codes.rs).
fn cp858(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| {
            if c.is_ascii() && !c.is_ascii_control() {
                c as u8
            } else {
                CP858_HIGH
                    .chars()
                    .position(|high| high == c)
                    .map_or(b'?', |index| 0x80 + index as u8)
            }
        })
        .collect()
}

/// Whether every character of the line is in code page 858 (ASCII, and the accented letters
/// and signs Spanish and French receipts use).
fn printable_as_text(line: &Line) -> bool {
    const EXTRA: &str = "áéíóúüñÁÉÍÓÚÜÑ¿¡€çÇàèìòùâêîôûëïÀÈÂÊÎÔÛËÏ";
    let ok = |text: &str| {
        text.chars()
            .all(|c| (c.is_ascii() && !c.is_ascii_control()) || EXTRA.contains(c))
    };
    match line {
        Line::Title(t) | Line::Centered(t) | Line::Notice(t) => ok(t),
        Line::Field { label, value } => ok(label) && ok(value),
        Line::Rule | Line::Qr(_) => true,
    }
}

/// GS v 0: a raster image, 8 dots per byte, most significant bit first, row by row.
pub fn raster_command(image: &Bitmap) -> Vec<u8> {
    let bytes_per_row = image.width.div_ceil(8);
    let mut out = vec![
        0x1D,
        b'v',
        b'0',
        0,
        (bytes_per_row & 0xFF) as u8,
        (bytes_per_row >> 8) as u8,
        (image.height & 0xFF) as u8,
        (image.height >> 8) as u8,
    ];
    for y in 0..image.height {
        for byte in 0..bytes_per_row {
            let mut bits = 0_u8;
            for bit in 0..8 {
                if image.get(byte * 8 + bit, y) {
                    bits |= 0x80 >> bit;
                }
            }
            out.push(bits);
        }
    }
    out
}
