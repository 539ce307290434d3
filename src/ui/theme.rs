//! The window's look: the colours that carry meaning, text sizes, and the fonts (egui's own,
//! plus Vazirmatn for the Persian text Saba Payamak sends).

use egui::{Color32, FontData, FontDefinitions, FontFamily};

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

const VAZIRMATN: &[u8] = include_bytes!("../../assets/fonts/Vazirmatn-Regular.ttf");

/// egui's fonts with Vazirmatn behind them, so Persian letters never show as boxes.
pub fn fonts() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        "vazirmatn".to_string(),
        FontData::from_static(VAZIRMATN).into(),
    );
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push("vazirmatn".to_string());
    }
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

/// Installs the fonts and the light theme a shop counter reads best in.
pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(fonts());
    ctx.set_theme(egui::Theme::Light);
}
