//! Notifications for what finishes in the background, and the last few of them in words.

use std::time::Duration;

use egui_notify::Toasts;

use crate::ui::theme::{FAILURE, WARNING};

/// How a notification is coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Level {
    Info,
    Success,
    Warning,
    Error,
}

/// Notifications for what finishes in the background, and the last few of them in words.
pub(crate) struct Notifications {
    pub(crate) toasts: Toasts,
    pub(crate) recent: std::collections::VecDeque<String>,
}

/// Above this many operations settled by one reconciler pass, one notification says how many.
pub(crate) const MAX_SETTLED_NOTIFICATIONS: usize = 3;

/// How many notification texts are kept.
const RECENT_NOTIFICATIONS: usize = 20;

impl Notifications {
    /// Adds a notification with a coloured bullet (drawn with the bundled fonts everywhere).
    pub(crate) fn add(&mut self, level: Level, text: impl std::fmt::Display) {
        // A notification goes by itself within seconds: worded once, now.
        let text = text.to_string();
        let colour = match level {
            Level::Info => egui::Color32::from_rgb(0x1f, 0x6f, 0xb2),
            Level::Success => crate::ui::theme::SUCCESS,
            Level::Warning => WARNING,
            Level::Error => FAILURE,
        };
        let duration = match level {
            Level::Warning | Level::Error => Duration::from_secs(10),
            Level::Info | Level::Success => Duration::from_secs(6),
        };
        if self.recent.len() == RECENT_NOTIFICATIONS {
            self.recent.pop_front();
        }
        self.recent.push_back(text.clone());
        self.toasts
            .custom(text, "•".to_string(), colour)
            .duration(Some(duration))
            // The close cross is a glyph the bundled fonts lack; notifications go by themselves.
            .closable(false);
    }
}
