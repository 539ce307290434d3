//! Persian (and Arabic) text as egui can draw it. egui lays glyphs out left to right without
//! joining letters, so right-to-left text is shaped into its joined presentation forms and put
//! in visual order here before it is drawn. Text without such letters is left untouched.

use std::borrow::Cow;

use ar_reshaper::ArabicReshaper;
use unicode_bidi::BidiInfo;

fn is_rtl_letter(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// The text in the order and letter forms to draw it.
pub fn visual(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_rtl_letter) {
        return Cow::Borrowed(text);
    }
    let shaped = ArabicReshaper::default().reshape(text);
    let bidi = BidiInfo::new(&shaped, None);
    let mut out = String::with_capacity(shaped.len());
    for paragraph in &bidi.paragraphs {
        let line = paragraph.range.clone();
        out.push_str(&bidi.reorder_line(paragraph, line));
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_text_is_untouched() {
        assert!(matches!(visual("Top-up 20.00 USD"), Cow::Borrowed(_)));
    }

    #[test]
    fn persian_is_joined_and_reversed_for_drawing() {
        let shown = visual("آبان");
        // Four letters, drawn right to left: the last letter comes first. Alef does not join
        // the letter after it, so that nun stands in its isolated form.
        assert_eq!(shown.chars().count(), 4);
        let first = shown.chars().next().unwrap();
        assert!(
            ('\u{FE70}'..='\u{FEFF}').contains(&first),
            "{first:?} is not a presentation form"
        );
        assert_eq!(first, '\u{FEE5}', "isolated nun first");
    }

    #[test]
    fn numbers_inside_persian_keep_their_order() {
        let shown = visual("شارژ 1500");
        assert!(shown.contains("1500"), "{shown}");
    }
}
