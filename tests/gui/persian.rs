//! Persian a Persian reader can read, proved on what is drawn: known strings are laid out as
//! the Statement draws them, the glyphs are read off the laid-out galley in their on-screen
//! order (left to right), and that order is compared with the visual order GNU FriBidi — an
//! independent implementation of the Unicode bidi algorithm — gives for the same text.
//!
//! Needs the `fribidi` command (Debian's libfribidi-bin, which scripts/test.sh installs);
//! outside the script, without it, the test says so and stops.

use std::process::Command;

use saldo::ui::text::rtl::rtl_job;

/// The characters of `text` in the visual order FriBidi gives (from its visual-to-logical
/// map), or `None` when `fribidi` is not installed.
fn fribidi_order(text: &str) -> Option<Vec<char>> {
    let mut child = Command::new("fribidi")
        .args(["--nopad", "--nobreak", "--novisual", "--vtol"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{text}\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "fribidi failed");
    let chars: Vec<char> = text.chars().collect();
    // The bidi controls (isolates) steer the order and are never drawn.
    let order = String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .map(|i| chars[i.parse::<usize>().unwrap()])
        .filter(|c| !saldo::ui::text::rtl::is_bidi_control(*c))
        .collect();
    Some(order)
}

/// Whether a glyph takes room on screen. epaint also keeps zero-width placeholders for the
/// characters of a right-to-left run (for the text cursor); they draw nothing.
fn is_drawn(glyph: &egui::epaint::text::Glyph) -> bool {
    glyph.advance_width > 0.0 || glyph.uv_rect.size != egui::Vec2::ZERO
}

/// The characters of `text` in the order their glyphs are drawn on screen, left to right.
fn drawn_order(text: &str) -> Vec<char> {
    drawn_order_of(rtl_job(text, 16.0, egui::Color32::WHITE))
}

/// The characters of a laid-out job in the order their glyphs are drawn, left to right.
fn drawn_order_of(job: egui::text::LayoutJob) -> Vec<char> {
    let ctx = egui::Context::default();
    ctx.set_fonts(saldo::ui::theme::fonts());
    // The output's texture changes are for a renderer; none here.
    let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
    output.textures_delta.clear();
    let galley = ctx.fonts_mut(|fonts| fonts.layout_job(job));
    let mut glyphs: Vec<(f32, char)> = galley
        .rows
        .iter()
        .flat_map(|row| {
            row.glyphs
                .iter()
                .filter(|g| is_drawn(g))
                .map(|g| (g.pos.x, g.chr))
        })
        .collect();
    glyphs.sort_by(|a, b| a.0.total_cmp(&b.0));
    glyphs.into_iter().map(|(_, c)| c).collect()
}

fn fribidi_available() -> bool {
    if Command::new("fribidi").arg("--version").output().is_ok() {
        return true;
    }
    assert!(
        std::env::var_os("SALDO_TEST_WORK").is_none(),
        "scripts/test.sh installs fribidi (libfribidi-bin): it is missing"
    );
    eprintln!("skipped: needs the fribidi command (apt-get install libfribidi-bin)");
    false
}

#[test]
fn persian_lines_are_drawn_in_the_order_fribidi_gives() {
    if !fribidi_available() {
        return;
    }
    for text in [
        // A multi-word description, as Saba Payamak sends them.
        "شارژ پیامک بابت خرید بسته",
        // A month name with a day number and the year, in Persian digits.
        "۱۵ آبان ۱۴۰۳",
        // A mixed Persian and Latin line with Latin digits and a reference.
        "خرید 1500 پیامک برای SAL-12",
        // A line that starts in Latin.
        "SMS شارژ ۲۰۰ تومان",
        // The Statement's day cell and the date picker's button: the Persian day and month in
        // a right-to-left isolate, as `jalali_text` writes them.
        "1403/07/01 · \u{2067}۱ مهر\u{2069}",
        "From (Jalali): 1403/07/01 · \u{2067}۱ مهر\u{2069}  (2024-09-22)",
    ] {
        let expected = fribidi_order(text).expect("fribidi runs");
        let drawn = drawn_order(text);
        assert_eq!(
            drawn.iter().collect::<String>(),
            expected.iter().collect::<String>(),
            "“{text}” is drawn in another order than FriBidi's"
        );
    }
}

#[test]
fn the_old_drawing_order_was_wrong_and_would_fail_this_check() {
    if !fribidi_available() {
        return;
    }
    // The plain text handed to egui as written: epaint shapes each word right to left but
    // keeps the words left to right, which FriBidi's order tells apart.
    let text = "شارژ پیامک";
    let plain: String = drawn_order_of(egui::text::LayoutJob::simple_singleline(
        text.to_string(),
        egui::FontId::proportional(16.0),
        egui::Color32::WHITE,
    ))
    .into_iter()
    .collect();
    let expected: String = fribidi_order(text).unwrap().into_iter().collect();
    assert_ne!(plain, expected, "the check tells a wrong order apart");
}
