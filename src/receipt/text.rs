//! A receipt as fixed-width lines of text: the plain-text receipt to copy or share, and the
//! text a thermal printer prints in its standard font (see [`super::escpos`]).

use super::layout::Line;
use super::qr::QrGrid;
use super::{PaperWidth, Receipt};

/// How a text line is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emphasis {
    Plain,
    /// Bold (a notice).
    Bold,
    /// Double height and bold (the shop's name).
    Title,
}

/// A line of the fixed-width receipt, or its QR code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextLine {
    Text { text: String, emphasis: Emphasis },
    Qr(String),
}

/// The plain-text receipt, lines ending in "\n", the QR code drawn in block characters.
pub fn render(receipt: &Receipt, width: PaperWidth) -> String {
    let mut out = String::new();
    for line in fixed_width(&super::layout::lines(receipt), width.chars()) {
        match line {
            TextLine::Text { text, .. } => {
                out.push_str(text.trim_end());
                out.push('\n');
            }
            TextLine::Qr(data) => {
                for row in QrGrid::of(&data)
                    .map(|q| q.to_blocks(2))
                    .unwrap_or_default()
                {
                    out.push_str(&centered(
                        row.trim_end_matches(' '),
                        width.chars(),
                        row.chars().count(),
                    ));
                    out.push('\n');
                }
            }
        }
    }
    out
}

/// The receipt's lines fitted to `width` characters: fields with the label at the start and
/// the value at the end (a value too long for the line goes on its own lines), centred text
/// wrapped at spaces.
pub fn fixed_width(lines: &[Line], width: usize) -> Vec<TextLine> {
    let plain = |text: String| TextLine::Text {
        text,
        emphasis: Emphasis::Plain,
    };
    let mut out = Vec::new();
    for line in lines {
        match line {
            Line::Title(text) => {
                out.extend(wrap(text, width).into_iter().map(|l| TextLine::Text {
                    text: centered(&l, width, shown_width(&l)),
                    emphasis: Emphasis::Title,
                }))
            }
            Line::Centered(text) => out.extend(
                wrap(text, width)
                    .into_iter()
                    .map(|l| plain(centered(&l, width, shown_width(&l)))),
            ),
            Line::Notice(text) => {
                out.extend(wrap(text, width).into_iter().map(|l| TextLine::Text {
                    text: centered(&l, width, shown_width(&l)),
                    emphasis: Emphasis::Bold,
                }))
            }
            Line::Rule => out.push(plain("-".repeat(width))),
            Line::Field { label, value } => {
                let used = shown_width(label) + shown_width(value);
                if label.is_empty() {
                    out.extend(
                        wrap(value, width)
                            .into_iter()
                            .map(|l| plain(right(&l, width))),
                    );
                } else if used < width {
                    let gap = width - used;
                    out.push(plain(format!("{label}{}{value}", " ".repeat(gap))));
                } else {
                    out.push(plain(label.clone()));
                    out.extend(
                        wrap(value, width)
                            .into_iter()
                            .map(|l| plain(right(&l, width))),
                    );
                }
            }
            Line::Qr(data) => out.push(TextLine::Qr(data.clone())),
        }
    }
    out
}

/// How many columns `text` takes: zero-width joiners, bidi marks and combining marks take
/// none.
pub fn shown_width(text: &str) -> usize {
    text.chars()
        .filter(|c| {
            !matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
                | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0300}'..='\u{036F}')
        })
        .count()
}

fn centered(text: &str, width: usize, shown: usize) -> String {
    let pad = width.saturating_sub(shown) / 2;
    format!("{}{text}", " ".repeat(pad))
}

fn right(text: &str, width: usize) -> String {
    format!(
        "{}{text}",
        " ".repeat(width.saturating_sub(shown_width(text)))
    )
}

/// `text` broken into lines of at most `width` columns, at spaces where it can be, else
/// anywhere (a long reference).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut word = word.to_string();
        loop {
            let needed =
                shown_width(&current) + usize::from(!current.is_empty()) + shown_width(&word);
            if needed <= width {
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(&word);
                break;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
                continue;
            }
            // A word longer than the line: cut it.
            let head: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            lines.push(head);
            if word.is_empty() {
                break;
            }
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_too_long_for_the_line_puts_its_value_on_lines_of_its_own() {
        let lines = fixed_width(
            &[Line::Field {
                label: "Provider reference".into(),
                value: "QVT-0000000000000000000042".into(),
            }],
            32,
        );
        let texts: Vec<String> = lines
            .into_iter()
            .map(|l| match l {
                TextLine::Text { text, .. } => text,
                TextLine::Qr(_) => unreachable!(),
            })
            .collect();
        assert_eq!(
            texts,
            [
                "Provider reference".to_string(),
                "      QVT-0000000000000000000042".to_string()
            ]
        );
        assert!(texts.iter().all(|t| shown_width(t) <= 32));
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_cuts_only_what_has_none() {
        assert_eq!(wrap("do not pay again", 10), ["do not pay", "again"]);
        assert_eq!(wrap("ABCDEFGHIJKL", 5), ["ABCDE", "FGHIJ", "KL"]);
    }
}
