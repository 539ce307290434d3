//! The window's look: light and dark (following the system unless the person picks one), one
//! primary-action colour, the colours that carry meaning, text sizes and spacing, and the
//! fonts (egui's own, Vazirmatn for the Persian text Saba Payamak sends, and a few Phosphor
//! icons, MIT: `assets/fonts/Phosphor-LICENSE.txt`, cut by `scripts/icons-subset.sh`).

use egui::{Color32, FontData, FontDefinitions, FontFamily, TextStyle};
use serde::{Deserialize, Serialize};

/// The colour of the one action each step is for (Review, Send, Confirm, Show…).
pub const PRIMARY: Color32 = Color32::from_rgb(0x1f, 0x6f, 0xeb);

/// Done, good news.
pub const SUCCESS: Color32 = Color32::from_rgb(0x1b, 0x7f, 0x3b);
/// Refused, failed, wrong input.
pub const FAILURE: Color32 = Color32::from_rgb(0xb3, 0x26, 0x1e);
/// Needs attention: unknown outcomes, pending, low balance warnings.
pub const WARNING: Color32 = Color32::from_rgb(0xa3, 0x5a, 0x00);
/// Accepted by the provider, being processed: neither good nor alarming news.
pub const PENDING: Color32 = Color32::from_rgb(0x1f, 0x5f, 0xa8);
/// The demo banner.
pub const DEMO: Color32 = Color32::from_rgb(0xff, 0xb3, 0x00);

/// Size of the words that tell a clerk how a top-up ended.
pub const RESULT_SIZE: f32 = 30.0;
/// Size of the number and amount read back on the review and the result card.
pub const REVIEW_SIZE: f32 = 26.0;
/// Size of the counter's fields and buttons.
pub const COUNTER_SIZE: f32 = 18.0;

/// The colour an operation's state is shown in: pending (accepted, being processed) apart
/// from unknown and interrupted ones (nobody knows yet).
pub fn state_colour(state: crate::domain::TxState) -> Color32 {
    use crate::domain::TxState;
    match state {
        TxState::Succeeded => SUCCESS,
        TxState::Failed => FAILURE,
        TxState::Pending => PENDING,
        TxState::Unknown | TxState::Recorded | TxState::Sending => WARNING,
    }
}

/// `colour` as text that reads on the current theme: as it is on light panels, lightened on
/// dark ones (the meaning colours are dark enough for white backgrounds).
pub fn ink(ui: &egui::Ui, colour: Color32) -> Color32 {
    if !ui.visuals().dark_mode {
        return colour;
    }
    let lift = |c: u8| (f32::from(c) + (255.0 - f32::from(c)) * 0.45).round() as u8;
    Color32::from_rgb(lift(colour.r()), lift(colour.g()), lift(colour.b()))
}

/// A light wash of `colour` behind a card or banner, darker in the dark theme.
pub fn tint(ui: &egui::Ui, colour: Color32) -> Color32 {
    let base = ui.visuals().panel_fill;
    let share = if ui.visuals().dark_mode { 0.22 } else { 0.12 };
    let mix = |a: u8, b: u8| (f32::from(a) * (1.0 - share) + f32::from(b) * share).round() as u8;
    Color32::from_rgb(
        mix(base.r(), colour.r()),
        mix(base.g(), colour.g()),
        mix(base.b(), colour.b()),
    )
}

/// The font family right-to-left text is drawn in: Vazirmatn first (it has Latin letters and
/// digits too, so a bidi run is one shaped run), egui's fonts behind it.
pub const PERSIAN_FAMILY: &str = "persian";

const PHOSPHOR: &[u8] = include_bytes!("../../assets/fonts/Phosphor-saldo.ttf");

/// The icons the window draws (Phosphor, regular weight), as text to put before a word.
pub mod icon {
    pub const COUNTER: &str = "\u{e1e0}";
    pub const BALANCES: &str = "\u{e68a}";
    pub const SUB_ACCOUNTS: &str = "\u{e68e}";
    pub const STATEMENT: &str = "\u{e3ec}";
    pub const HISTORY: &str = "\u{e1a0}";
    pub const REVIEW: &str = "\u{e4e2}";
    pub const SETTINGS: &str = "\u{e272}";
    pub const SEND: &str = "\u{e398}";
    pub const LOOK: &str = "\u{e30c}";
    pub const REFRESH: &str = "\u{e036}";
    pub const EXPORT: &str = "\u{eaf0}";
    pub const CHECK: &str = "\u{e182}";
    pub const CLOSE: &str = "\u{e4f6}";
    pub const COPY: &str = "\u{e1ca}";
    pub const LIGHT: &str = "\u{e472}";
    pub const DARK: &str = "\u{e330}";
    pub const SYSTEM: &str = "\u{e32e}";
    pub const ADD: &str = "\u{e3d4}";
    pub const DELETE: &str = "\u{e4a6}";
    pub const RETRY: &str = "\u{e038}";
    pub const BACKUP: &str = "\u{e248}";
    pub const FOLDER: &str = "\u{e256}";
    pub const CALENDAR: &str = "\u{e108}";
    pub const BACK: &str = "\u{e058}";
    /// The receipt glyph (the Statement panel's too): printing a customer's receipt.
    pub const RECEIPT: &str = "\u{e3ec}";
}

/// `icon` and `text` as one label ("⟨icon⟩  Send top-up").
pub fn with_icon(icon: &str, text: &str) -> String {
    format!("{icon}  {text}")
}

/// Which theme the window uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ThemeChoice {
    /// Light or dark as the desktop is.
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    /// Every choice, in the order Settings offers them.
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];

    /// What egui is told.
    pub fn preference(self) -> egui::ThemePreference {
        match self {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        }
    }
}

/// Vazirmatn, the face of Persian text (and of PDF receipts, Latin included).
pub const VAZIRMATN: &[u8] = include_bytes!("../../assets/fonts/Vazirmatn-Regular.ttf");

/// egui's fonts with Vazirmatn behind them, so Persian letters never show as boxes.
pub fn fonts() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        "vazirmatn".to_string(),
        FontData::from_static(VAZIRMATN).into(),
    );
    fonts.font_data.insert(
        "phosphor".to_string(),
        FontData::from_static(PHOSPHOR).into(),
    );
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push("vazirmatn".to_string());
    }
    // The icons live in the private-use area: behind every other font, they never replace a
    // letter.
    fonts
        .families
        .entry(FontFamily::Proportional)
        .or_default()
        .push("phosphor".to_string());
    let mut persian = vec!["vazirmatn".to_string()];
    persian.extend(
        fonts
            .families
            .get(&FontFamily::Proportional)
            .into_iter()
            .flatten()
            .filter(|name| name.as_str() != "vazirmatn")
            .cloned(),
    );
    fonts
        .families
        .insert(FontFamily::Name(PERSIAN_FAMILY.into()), persian);
    fonts
}

/// Installs the fonts, the text sizes and spacing of both themes, and the theme chosen.
pub fn install(ctx: &egui::Context, choice: ThemeChoice) {
    ctx.set_fonts(fonts());
    ctx.all_styles_mut(|style| {
        let sizes = [
            (TextStyle::Heading, 26.0),
            (TextStyle::Body, 15.0),
            (TextStyle::Button, 15.0),
            (TextStyle::Small, 12.0),
        ];
        for (text_style, size) in sizes {
            style
                .text_styles
                .insert(text_style, egui::FontId::proportional(size));
        }
        style.spacing.item_spacing = egui::vec2(8.0, 7.0);
        style.spacing.button_padding = egui::vec2(10.0, 5.0);
        style.spacing.interact_size.y = 26.0;
        style.visuals.selection.bg_fill = PRIMARY;
        // A steady cursor: a blinking one repaints the whole window twice a second, which is
        // most of what an idle counter costs on a software rasteriser (BENCHMARKS.md).
        style.visuals.text_cursor.blink = false;
        style.visuals.hyperlink_color = if style.visuals.dark_mode {
            Color32::from_rgb(0x79, 0xb8, 0xff)
        } else {
            PRIMARY
        };
    });
    ctx.set_theme(choice.preference());
}
