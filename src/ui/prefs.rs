//! What the window remembers between runs (besides its size, which eframe keeps): the panel
//! on show, the language, the automatic backups and this counter's receipt printer.

use serde::{Deserialize, Serialize};

use crate::receipt::printer::ReceiptPrinter;
use crate::ui::panels::Panel;
use crate::ui::text::i18n::Language;
use crate::ui::theme::ThemeChoice;

/// The key under which the preferences are stored in eframe's storage.
pub const STORAGE_KEY: &str = "saldo-prefs";

/// How many automatic daily backups are kept unless the person says otherwise.
pub const DEFAULT_BACKUPS_KEPT: usize = 14;

/// The remembered choices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub panel: Panel,
    /// `None` until the person picks one: then the system's locale decides.
    pub language: Option<Language>,
    /// Whether the window backs the ledger up once a day into the data folder.
    pub daily_backup: bool,
    /// How many daily backups are kept (the oldest go first).
    pub backups_kept: usize,
    /// Light, dark, or as the system is.
    pub theme: ThemeChoice,
    /// This counter's receipt printer (each counter has its own).
    pub printer: ReceiptPrinter,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            panel: Panel::default(),
            language: None,
            daily_backup: true,
            backups_kept: DEFAULT_BACKUPS_KEPT,
            theme: ThemeChoice::default(),
            printer: ReceiptPrinter::default(),
        }
    }
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

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use eframe::Storage as _;

    /// eframe's storage, kept in memory.
    #[derive(Default)]
    struct MemoryStorage(HashMap<String, String>);

    impl eframe::Storage for MemoryStorage {
        fn get_string(&self, key: &str) -> Option<String> {
            self.0.get(key).cloned()
        }
        fn set_string(&mut self, key: &str, value: String) {
            self.0.insert(key.to_string(), value);
        }
        fn remove_string(&mut self, key: &str) {
            self.0.remove(key);
        }
        fn flush(&mut self) {}
    }

    #[test]
    fn the_panel_language_theme_and_backup_choices_come_back_on_the_next_start() {
        let mut storage = MemoryStorage::default();
        let fresh = Prefs::load(Some(&storage));
        assert_eq!(fresh, Prefs::default());
        assert!(fresh.daily_backup, "daily backups are on until turned off");
        let chosen = Prefs {
            panel: Panel::History,
            language: Some(Language::Spanish),
            daily_backup: false,
            backups_kept: 3,
            theme: ThemeChoice::Dark,
            printer: ReceiptPrinter {
                target: crate::receipt::printer::PrinterTarget::Network("10.0.0.9:9100".into()),
                width_mm: 58,
                after_every_sale: true,
            },
        };
        chosen.save(&mut storage);
        let loaded = Prefs::load(Some(&storage));
        assert_eq!(loaded, chosen);
        assert_eq!(loaded.effective_language(), Language::Spanish);
        // A damaged entry falls back to the defaults instead of failing the start.
        storage.set_string(STORAGE_KEY, "not ron".into());
        assert_eq!(Prefs::load(Some(&storage)), Prefs::default());
    }
}
