//! A receipt as a PDF page, written with `krilla`: the receipt's width (58 or 80 mm, as long as
//! it needs) or an A4 sheet with the receipt at its top. Text is set in Vazirmatn (Latin and
//! Persian), shaped by HarfBuzz, and embedded as a subset, so the PDF's text can be searched and
//! copied; a Persian receipt runs right to left. The QR code is drawn as squares.

use krilla::Document;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};

use super::layout::Line;
use super::qr::QrGrid;
use super::raster::Painter;
use super::{PaperWidth, Receipt};
use crate::ui::text::rtl;

/// Points per millimetre.
const PT_PER_MM: f32 = 72.0 / 25.4;
/// A4 in points.
const A4: (f32, f32) = (595.28, 841.89);

/// The page a PDF receipt is laid out on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PdfPage {
    /// A page as wide as the roll, as long as the receipt.
    Roll(PaperWidth),
    /// An A4 sheet, the receipt at its top, centred.
    A4,
}

struct Metrics {
    page_width: f32,
    /// The receipt's own width on the page, and where it starts.
    column: f32,
    left: f32,
    body: f32,
    title: f32,
    module: f32,
}

impl Metrics {
    fn of(page: PdfPage) -> Metrics {
        match page {
            PdfPage::Roll(width) => {
                let page_width = width.mm() as f32 * PT_PER_MM;
                let margin = 4.0 * PT_PER_MM;
                let body = if width == PaperWidth::Mm58 { 7.5 } else { 9.0 };
                Metrics {
                    page_width,
                    column: page_width - 2.0 * margin,
                    left: margin,
                    body,
                    title: body * 1.5,
                    module: body / 3.0,
                }
            }
            PdfPage::A4 => {
                let column = 90.0 * PT_PER_MM;
                Metrics {
                    page_width: A4.0,
                    column,
                    left: (A4.0 - column) / 2.0,
                    body: 10.0,
                    title: 15.0,
                    module: 3.2,
                }
            }
        }
    }
}

/// One thing drawn: text from its left end on a baseline, or a QR code at its top-left.
enum Mark {
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        text: String,
    },
    Qr {
        x: f32,
        top: f32,
        grid: QrGrid,
    },
    Rule {
        y: f32,
    },
}

/// The PDF bytes of `receipt`.
pub fn render(receipt: &Receipt, page: PdfPage) -> Result<Vec<u8>, String> {
    let metrics = Metrics::of(page);
    let mut painter = Painter::new();
    let (marks, bottom) = place(receipt, &metrics, &mut painter);
    let height = match page {
        PdfPage::Roll(_) => bottom + metrics.body * 2.0,
        PdfPage::A4 => A4.1,
    };
    let font = Font::new(crate::ui::theme::VAZIRMATN.to_vec().into(), 0)
        .ok_or("the receipt font could not be read")?;
    let mut document = Document::new();
    let settings = PageSettings::from_wh(metrics.page_width, height)
        .ok_or("the receipt's page size is not valid")?;
    let mut pdf_page = document.start_page_with(settings);
    let mut surface = pdf_page.surface();
    for mark in marks {
        match mark {
            Mark::Text {
                x,
                baseline,
                size,
                text,
            } => {
                let mut cursor = x;
                for run in visual_runs(&text) {
                    surface.draw_text(
                        Point::from_xy(cursor, baseline),
                        font.clone(),
                        size,
                        &run,
                        false,
                        TextDirection::Auto,
                    );
                    cursor += painter.width(&run, size);
                }
            }
            Mark::Qr { x, top, grid } => {
                let mut path = PathBuilder::new();
                for row in 0..grid.width {
                    for column in 0..grid.width {
                        if grid.is_dark(column as isize, row as isize)
                            && let Some(square) = Rect::from_xywh(
                                x + column as f32 * metrics.module,
                                top + row as f32 * metrics.module,
                                metrics.module,
                                metrics.module,
                            )
                        {
                            path.push_rect(square);
                        }
                    }
                }
                if let Some(path) = path.finish() {
                    surface.draw_path(&path);
                }
            }
            Mark::Rule { y } => {
                let mut path = PathBuilder::new();
                if let Some(rule) = Rect::from_xywh(metrics.left, y, metrics.column, 0.6) {
                    path.push_rect(rule);
                }
                if let Some(path) = path.finish() {
                    surface.draw_path(&path);
                }
            }
        }
    }
    surface.finish();
    pdf_page.finish();
    document
        .finish()
        .map_err(|e| format!("the PDF could not be written: {e:?}"))
}

/// The pieces of a line in the order they are drawn left to right, each as the shaper is to
/// be handed it (see [`rtl::visual_runs`]): the shaper guesses each piece's direction as
/// epaint's does, both being HarfBuzz.
fn visual_runs(text: &str) -> Vec<String> {
    if rtl::has_rtl(text) {
        rtl::visual_runs(text)
    } else {
        vec![text.to_string()]
    }
}

/// Where every line of the receipt goes, and where the last one ends.
fn place(receipt: &Receipt, m: &Metrics, painter: &mut Painter) -> (Vec<Mark>, f32) {
    let right_to_left = receipt.language.is_rtl();
    let mut marks = Vec::new();
    let mut y = m.body * 1.5;
    let line_height = |size: f32| size * 1.45;
    let (left, right) = (m.left, m.left + m.column);
    for line in super::layout::lines(receipt) {
        let title = matches!(line, Line::Title(_));
        match line {
            Line::Title(text) | Line::Centered(text) | Line::Notice(text) => {
                let size = if title { m.title } else { m.body };
                for part in painter.wrap(&text, size, m.column) {
                    y += line_height(size);
                    let w = painter.width(&part, size);
                    marks.push(Mark::Text {
                        x: left + (m.column - w) / 2.0,
                        baseline: y,
                        size,
                        text: part,
                    });
                }
            }
            Line::Field { label, value } => {
                let (lw, vw) = (painter.width(&label, m.body), painter.width(&value, m.body));
                let (label_x, value_x) = if right_to_left {
                    (right - lw, left)
                } else {
                    (left, right - vw)
                };
                y += line_height(m.body);
                if !label.is_empty() {
                    marks.push(Mark::Text {
                        x: label_x,
                        baseline: y,
                        size: m.body,
                        text: label,
                    });
                    if lw + vw + m.body > m.column {
                        y += line_height(m.body);
                    }
                }
                marks.push(Mark::Text {
                    x: value_x.max(left),
                    baseline: y,
                    size: m.body,
                    text: value,
                });
            }
            Line::Rule => {
                y += line_height(m.body) * 0.6;
                marks.push(Mark::Rule { y });
            }
            Line::Qr(data) => {
                if let Some(grid) = QrGrid::of(&data) {
                    let size = grid.width as f32 * m.module;
                    y += m.body;
                    marks.push(Mark::Qr {
                        x: left + (m.column - size) / 2.0,
                        top: y,
                        grid,
                    });
                    y += size + m.body * 0.5;
                }
            }
        }
    }
    (marks, y)
}
