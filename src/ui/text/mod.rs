//! Words on screen: the translations, how errors and states read, and right-to-left text.

pub mod dates;
pub mod error_text;
pub mod i18n;
pub mod notes;
pub mod numbers;
pub mod refusals;
pub mod review_reasons;
pub mod rtl;
pub mod words;
