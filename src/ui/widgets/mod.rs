//! Pieces more than one panel draws: confirm steps, keyboard helpers, the Jalali date picker.

pub mod chip;
pub mod confirm;
pub mod jalali_picker;
pub mod keys;
pub mod primary;
pub mod send_guard;
pub mod status_icon;
