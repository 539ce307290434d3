//! The QR code on a receipt, as a grid of modules every writer draws in its own way (block
//! characters, PDF squares, raster dots; a thermal printer draws its own from the text).

use qrcode::{Color, EcLevel, QrCode};

/// A QR code's modules, row by row (`true`: dark), without the quiet zone around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrGrid {
    pub width: usize,
    pub dark: Vec<bool>,
}

impl QrGrid {
    /// The QR code of `data` at error correction level M (15 % of it may be smudged), or
    /// `None` if it does not fit in a QR code at all.
    pub fn of(data: &str) -> Option<QrGrid> {
        let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).ok()?;
        let width = code.width();
        let dark = code
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        Some(QrGrid { width, dark })
    }

    /// Whether the module at column `x`, row `y` is dark (outside the grid: light).
    pub fn is_dark(&self, x: isize, y: isize) -> bool {
        if x < 0 || y < 0 || x as usize >= self.width || y as usize >= self.width {
            return false;
        }
        self.dark[y as usize * self.width + x as usize]
    }

    /// The code drawn with block characters, two module rows per text line, inside a quiet
    /// zone of `quiet` modules: dark modules are drawn, so it scans as printed on paper.
    pub fn to_blocks(&self, quiet: usize) -> Vec<String> {
        let quiet = quiet as isize;
        let size = self.width as isize + 2 * quiet;
        (0..size)
            .step_by(2)
            .map(|top| {
                (0..size)
                    .map(|x| {
                        let upper = self.is_dark(x - quiet, top - quiet);
                        let lower = self.is_dark(x - quiet, top + 1 - quiet);
                        match (upper, lower) {
                            (true, true) => '█',
                            (true, false) => '▀',
                            (false, true) => '▄',
                            (false, false) => ' ',
                        }
                    })
                    .collect()
            })
            .collect()
    }
}
