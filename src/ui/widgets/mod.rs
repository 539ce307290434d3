//! Pieces more than one panel draws: confirm steps, keyboard helpers, the Jalali date picker,
//! where a file was written.

pub mod chip;
pub mod confirm;
pub mod copy_line;
pub mod date_picker;
pub mod event_detail;
pub mod jalali_picker;
pub mod keys;
pub mod primary;
pub mod print_button;
pub mod send_guard;
pub mod status_icon;
pub mod written_file;
