//! Right-to-left text (Persian, Arabic) as epaint draws it.
//!
//! epaint 0.37 shapes every run of one font face with HarfBuzz (harfrust), guessing the run's
//! direction from its script: an Arabic-script run comes out joined and in right-to-left
//! visual order. It does not reorder runs (bidi), so a multi-word Persian line would show its
//! words left to right, and it reverses runs of Persian digits too. This module does the bidi
//! part: it splits a line into its bidi runs in visual order (Unicode's algorithm, by
//! `unicode-bidi`), draws each run as one section in the Vazirmatn face (so each is one shaped
//! run), and hands a run over reversed exactly when HarfBuzz's guess would otherwise get its
//! direction wrong. Text without right-to-left characters is left alone.

use egui::epaint::text::ByteIndex;
use egui::text::{LayoutJob, LayoutSection, TextFormat};
use egui::{Color32, FontFamily, FontId};
use unicode_bidi::{BidiInfo, Level};

use crate::ui::theme::PERSIAN_FAMILY;

/// Whether `c` is written right to left or belongs to the Arabic script (whose runs HarfBuzz
/// shapes right to left).
fn is_rtl_script(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// Whether `c` is a bidi control (marks, embeddings, isolates): it steers the order and is
/// never drawn.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Right-to-left isolate: `text` is laid out as one right-to-left unit wherever it stands (a
/// Persian phrase inside a Latin line keeps its own order).
pub fn isolate_rtl(text: &str) -> String {
    format!("\u{2067}{text}\u{2069}")
}

/// Whether the text has anything drawn right to left.
pub fn has_rtl(text: &str) -> bool {
    text.chars().any(is_rtl_script)
}

/// Whether HarfBuzz, guessing from the first character with a script of its own, shapes a
/// piece of one script right to left.
fn shaped_right_to_left(piece: &str) -> bool {
    piece
        .chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(is_rtl_script)
}

/// A bidi run cut where its script changes (Arabic script or not; spaces and punctuation go
/// with the piece before them), so that HarfBuzz's guess of each piece's direction is the
/// same whichever end it is handed over from.
fn script_pieces(run: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut current: Option<bool> = None;
    for (index, c) in run.char_indices() {
        if !c.is_alphanumeric() {
            continue;
        }
        let rtl = is_rtl_script(c);
        match current {
            Some(kind) if kind != rtl => {
                // Cut before the neutrals that lead into the new script.
                let cut = run[..index]
                    .char_indices()
                    .rev()
                    .take_while(|(_, c)| !c.is_alphanumeric())
                    .last()
                    .map_or(index, |(i, _)| i);
                let cut = if cut > start { cut } else { index };
                pieces.push(&run[start..cut]);
                start = cut;
                current = Some(rtl);
            }
            None => current = Some(rtl),
            _ => {}
        }
    }
    pieces.push(&run[start..]);
    pieces.retain(|p| !p.is_empty());
    pieces
}

/// The pieces of one line in visual (left-to-right on screen) order, each with the text to
/// hand to the shaper: a piece is reversed here when its bidi level and HarfBuzz's guess of
/// its direction disagree, so that the shaped piece reads as the bidi algorithm orders it.
pub fn visual_runs(line: &str) -> Vec<String> {
    let bidi = BidiInfo::new(line, None);
    let mut runs = Vec::new();
    for paragraph in &bidi.paragraphs {
        let (levels, ranges) = bidi.visual_runs(paragraph, paragraph.range.clone());
        for range in ranges {
            let level: Level = levels[range.start];
            let rtl = level.is_rtl();
            let drawn: String = line[range]
                .chars()
                .filter(|c| !is_bidi_control(*c))
                .collect();
            let mut pieces = script_pieces(&drawn);
            if rtl {
                // A right-to-left run shows its last piece first.
                pieces.reverse();
            }
            for piece in pieces {
                if rtl == shaped_right_to_left(piece) {
                    runs.push(piece.to_string());
                } else {
                    runs.push(piece.chars().rev().collect());
                }
            }
        }
    }
    runs
}

/// A layout job that draws `text` in visual order, one section per bidi run, in `size` and
/// `colour`. Lines are ordered one by one (a `\n` starts a new line).
pub fn rtl_job(text: &str, size: f32, colour: Color32) -> LayoutJob {
    let mut job = LayoutJob::default();
    let format = TextFormat::simple(
        FontId::new(size, FontFamily::Name(PERSIAN_FAMILY.into())),
        colour,
    );
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            job.append("\n", 0.0, format.clone());
        }
        for run in visual_runs(line) {
            // Each run its own section (`append` would merge runs of the same format, and
            // HarfBuzz would shape the merged text as one run).
            let start = job.text.len();
            job.text.push_str(&run);
            job.sections.push(LayoutSection {
                leading_space: 0.0,
                byte_range: ByteIndex(start)..ByteIndex(job.text.len()),
                format: format.clone(),
            });
        }
    }
    job
}

/// A label for text that may be right to left: drawn by [`rtl_job`] when it is, as a plain
/// label otherwise. Never wraps (a wrapped line would need its own reordering); long text is
/// cut with "…" and shown whole in the tooltip.
pub fn rtl_label(ui: &mut egui::Ui, text: &str) -> egui::Response {
    if !has_rtl(text) {
        return ui.add(egui::Label::new(text).truncate().selectable(false));
    }
    let written: String = text.chars().filter(|c| !is_bidi_control(*c)).collect();
    let size = egui::TextStyle::Body.resolve(ui.style()).size;
    let colour = ui.visuals().text_color();
    // Not selectable: a selection would copy the drawing order, not the text.
    let response = ui.add(
        egui::Label::new(rtl_job(text, size, colour))
            .truncate()
            .selectable(false),
    );
    // A screen reader reads the text as written, not in drawing order.
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &written));
    // The whole text, laid out only while it is hovered.
    response.on_hover_ui(|ui| {
        ui.label(rtl_job(text, size, colour));
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_text_is_one_run_as_written() {
        assert_eq!(visual_runs("Top-up 20.00 USD"), ["Top-up 20.00 USD"]);
        assert!(!has_rtl("Top-up 20.00 USD"));
    }

    #[test]
    fn persian_words_come_in_visual_order_and_stay_logical_inside() {
        // One right-to-left run: HarfBuzz reverses it as a whole, so it is handed over as
        // written.
        assert_eq!(visual_runs("شارژ پیامک"), ["شارژ پیامک"]);
    }

    #[test]
    fn persian_digits_are_handed_over_reversed_so_harfbuzz_puts_them_back() {
        // The digits are a left-to-right run inside a right-to-left line; HarfBuzz would
        // reverse them (they are of the Arabic script), so they are given reversed.
        let runs = visual_runs("آبان ۱۴۰۳");
        assert_eq!(runs, ["۳۰۴۱", "آبان "]);
    }

    #[test]
    fn persian_digits_beside_latin_letters_keep_their_order() {
        // "۱۹۹٫۰۰ INR": a left-to-right line whose digits are of the Arabic script. Each
        // script is its own piece, or HarfBuzz would shape "۰۰ INR" from its Latin end.
        let runs = visual_runs("۱۹۹٫۰۰ INR");
        let shown: String = runs
            .iter()
            .map(|run| {
                if shaped_right_to_left(run) {
                    run.chars().rev().collect()
                } else {
                    run.clone()
                }
            })
            .collect();
        assert_eq!(shown, "۱۹۹٫۰۰ INR", "{runs:?}");
    }

    #[test]
    fn latin_inside_persian_keeps_its_order() {
        let runs = visual_runs("شارژ 1500 پیامک");
        assert!(runs.contains(&"1500".to_string()), "{runs:?}");
    }
}
