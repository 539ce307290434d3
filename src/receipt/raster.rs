//! Receipt lines a thermal printer cannot print as text, drawn as a 1-bit image: a printer
//! has no Arabic-script font and cannot join letters, so a Persian receipt is shaped here
//! (epaint's HarfBuzz shaping with the Vazirmatn face and the window's bidi ordering, see
//! [`crate::ui::text::rtl`]) and sent as dots. The image is also what the PDF's tests and the
//! receipt's snapshot look at.

use egui::epaint::text::{Fonts, TextOptions};
use egui::{Color32, Galley};
use std::sync::Arc;

use super::layout::Line;
use crate::ui::text::rtl;

/// Text size in dots: the printer's own font is 24 dots high.
const BODY: f32 = 24.0;
const TITLE: f32 = 34.0;
/// Space between a field's label and its value, and between lines, in dots.
const GAP: u32 = 12;
const LEADING: u32 = 6;

/// A 1-bit image, row by row (`true`: a dot is printed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bitmap {
    pub width: u32,
    pub height: u32,
    pub dots: Vec<bool>,
}

impl Bitmap {
    fn new(width: u32, height: u32) -> Bitmap {
        Bitmap {
            width,
            height,
            dots: vec![false; (width * height) as usize],
        }
    }

    /// Whether the dot at (x, y) is printed.
    pub fn get(&self, x: u32, y: u32) -> bool {
        x < self.width && y < self.height && self.dots[(y * self.width + x) as usize]
    }

    fn set(&mut self, x: i64, y: i64) {
        if x >= 0 && y >= 0 && (x as u32) < self.width && (y as u32) < self.height {
            self.dots[(y as u32 * self.width + x as u32) as usize] = true;
        }
    }

    /// How many dots are printed.
    pub fn inked(&self) -> usize {
        self.dots.iter().filter(|d| **d).count()
    }

    /// The image below `self`, as one taller image of the same width.
    fn append(&mut self, below: &Bitmap) {
        debug_assert_eq!(self.width, below.width);
        self.dots.extend_from_slice(&below.dots);
        self.height += below.height;
    }

    /// The image as 8-bit grey pixels (0 black, 255 white), for PNG files and snapshots.
    pub fn to_grey(&self) -> Vec<u8> {
        self.dots.iter().map(|d| if *d { 0 } else { 255 }).collect()
    }
}

/// Where a laid-out line's baseline is, from its top.
fn baseline(galley: &Galley) -> f32 {
    galley
        .rows
        .first()
        .and_then(|row| row.row.glyphs.first().map(|g| row.pos.y + g.pos.y))
        .unwrap_or(0.0)
}

/// Lays out and draws text with the window's fonts.
pub struct Painter {
    fonts: Fonts,
}

impl Default for Painter {
    fn default() -> Self {
        Painter::new()
    }
}

impl Painter {
    /// A painter with saldo's fonts (the default faces and Vazirmatn).
    pub fn new() -> Painter {
        Painter {
            fonts: Fonts::new(TextOptions::default(), crate::ui::theme::fonts()),
        }
    }

    /// `text` laid out in the Vazirmatn face (Latin and Persian alike, as the PDF sets it),
    /// right-to-left runs in their visual order.
    fn layout(&mut self, text: &str, size: f32) -> Arc<Galley> {
        let job = rtl::rtl_job(text, size, Color32::BLACK);
        self.fonts.with_pixels_per_point(1.0).layout_job(job)
    }

    /// The receipt's `lines` drawn `width` dots wide, right to left when `rtl` (labels on
    /// the right, values on the left). A QR code is not drawn: it is left to the caller.
    pub fn draw(&mut self, lines: &[Line], width: u32, right_to_left: bool) -> Bitmap {
        let mut out = Bitmap::new(width, 0);
        for line in lines {
            out.append(&self.draw_line(line, width, right_to_left));
        }
        out
    }

    /// One line as an image `width` dots wide.
    pub fn draw_line(&mut self, line: &Line, width: u32, right_to_left: bool) -> Bitmap {
        let mut placed: Vec<(Arc<Galley>, f32, f32)> = Vec::new();
        let mut height = 0.0_f32;
        let width_f = width as f32;
        let centred = |galley: &Arc<Galley>| ((width_f - galley.rect.width()) / 2.0).max(0.0);
        match line {
            Line::Title(text) | Line::Centered(text) | Line::Notice(text) => {
                let size = if matches!(line, Line::Title(_)) {
                    TITLE
                } else {
                    BODY
                };
                for part in self.fitted(text, size, width_f) {
                    let x = centred(&part);
                    let h = part.rect.height();
                    placed.push((part, x, height));
                    height += h;
                }
            }
            Line::Rule => {
                let mut rule = Bitmap::new(width, BODY as u32 / 2 + LEADING);
                for x in 0..width {
                    rule.set(i64::from(x), i64::from(rule.height / 2));
                }
                return rule;
            }
            Line::Field { label, value } => {
                let label_text = label;
                let label = self.layout(label, BODY);
                let value = self.layout(value, BODY);
                let (lw, vw) = (label.rect.width(), value.rect.width());
                let start = |w: f32| if right_to_left { width_f - w } else { 0.0 };
                let end = |w: f32| if right_to_left { 0.0 } else { width_f - w };
                if label_text.is_empty() {
                    height = value.rect.height();
                    placed.push((value.clone(), end(vw).max(0.0), 0.0));
                } else if lw + vw + GAP as f32 <= width_f {
                    // Label and value on one baseline, whichever face each is drawn in.
                    let (lb, vb) = (baseline(&label), baseline(&value));
                    let base = lb.max(vb);
                    height = (base - lb + label.rect.height()).max(base - vb + value.rect.height());
                    placed.push((label.clone(), start(lw), base - lb));
                    placed.push((value.clone(), end(vw).max(0.0), base - vb));
                } else {
                    placed.push((label.clone(), start(lw).max(0.0), 0.0));
                    placed.push((value.clone(), end(vw).max(0.0), label.rect.height()));
                    height = label.rect.height() + value.rect.height();
                }
            }
            Line::Qr(_) => return Bitmap::new(width, 0),
        }
        let image = self.fonts.image();
        let mut out = Bitmap::new(width, height.ceil() as u32 + LEADING);
        for (galley, x, y) in &placed {
            for row in &galley.rows {
                for glyph in &row.row.glyphs {
                    let uv = glyph.uv_rect;
                    let left = x + row.pos.x + glyph.pos.x + uv.offset.x;
                    let top = y + row.pos.y + glyph.pos.y + uv.offset.y;
                    for ty in uv.min[1]..uv.max[1] {
                        for tx in uv.min[0]..uv.max[0] {
                            let alpha = image.pixels[ty as usize * image.size[0] + tx as usize].a();
                            if alpha >= 128 {
                                out.set(
                                    (left + f32::from(tx - uv.min[0])).round() as i64,
                                    (top + f32::from(ty - uv.min[1])).round() as i64,
                                );
                            }
                        }
                    }
                }
            }
        }
        out
    }

    /// How wide `text` is at `size` in the Vazirmatn face (the PDF's), in points.
    pub fn width(&mut self, text: &str, size: f32) -> f32 {
        let job = rtl::rtl_job(text, size, Color32::BLACK);
        self.fonts
            .with_pixels_per_point(1.0)
            .layout_job(job)
            .rect
            .width()
    }

    /// `text` broken at spaces into lines no wider than `width` in the Vazirmatn face.
    pub fn wrap(&mut self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut out = Vec::new();
        let mut current = String::new();
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if current.is_empty() {
                word.to_string()
            } else {
                format!("{current} {word}")
            };
            if !current.is_empty() && self.width(&candidate, size) > width {
                out.push(std::mem::replace(&mut current, word.to_string()));
            } else {
                current = candidate;
            }
        }
        if !current.is_empty() {
            out.push(current);
        }
        out
    }

    /// `text` laid out in lines no wider than `width`, broken at spaces.
    fn fitted(&mut self, text: &str, size: f32, width: f32) -> Vec<Arc<Galley>> {
        self.wrap(text, size, width)
            .iter()
            .map(|line| self.layout(line, size))
            .collect()
    }
}
