//! What the window remembers between runs (besides its size, which eframe keeps): the panel
//! on show and the language.

use serde::{Deserialize, Serialize};

use super::i18n::Language;
use super::panels::Panel;

/// The key under which the preferences are stored in eframe's storage.
pub const STORAGE_KEY: &str = "saldo-prefs";

/// The remembered choices.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub panel: Panel,
    /// `None` until the person picks one: then the system's locale decides.
    pub language: Option<Language>,
}

impl Prefs {
    /// The preferences stored by an earlier run, or the defaults.
    pub fn load(storage: Option<&dyn eframe::Storage>) -> Prefs {
        storage
            .and_then(|s| eframe::get_value(s, STORAGE_KEY))
            .unwrap_or_default()
    }

    /// Stores the preferences for the next run.
    pub fn save(&self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, self);
    }

    /// The language to speak: the chosen one, or the system's.
    pub fn effective_language(&self) -> Language {
        self.language.unwrap_or_else(system_language)
    }
}

/// The language of the system's locale (`LC_ALL`, `LC_MESSAGES`, `LANG`).
pub fn system_language() -> Language {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty())
        .map(|locale| Language::from_locale(&locale))
        .unwrap_or_default()
}
