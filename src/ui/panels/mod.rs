//! The panels of the window, their names and their keyboard shortcuts.

pub mod balances;
pub mod context;
pub mod counter;
pub mod history;
pub mod review;
pub mod settings;
pub mod statement;
pub mod subaccounts;
pub mod welcome;

use egui::{Key, KeyboardShortcut, Modifiers};
use serde::{Deserialize, Serialize};

use crate::t;

pub use context::PanelContext;

/// The panels, in the order the side bar lists them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Panel {
    /// The counter: top-ups.
    #[default]
    Counter,
    Balances,
    SubAccounts,
    Statement,
    History,
    Review,
    Settings,
}

impl Panel {
    /// Every panel, in side-bar order.
    pub const ALL: [Panel; 7] = [
        Panel::Counter,
        Panel::Balances,
        Panel::SubAccounts,
        Panel::Statement,
        Panel::History,
        Panel::Review,
        Panel::Settings,
    ];

    /// The panel's name in the window's language.
    pub fn title(self) -> String {
        match self {
            Panel::Counter => t!("panel-counter"),
            Panel::Balances => t!("panel-balances"),
            Panel::SubAccounts => t!("panel-subaccounts"),
            Panel::Statement => t!("panel-statement"),
            Panel::History => t!("panel-history"),
            Panel::Review => t!("panel-review"),
            Panel::Settings => t!("panel-settings"),
        }
    }

    /// The panel's icon in the side bar.
    pub fn icon(self) -> &'static str {
        use crate::ui::theme::icon;
        match self {
            Panel::Counter => icon::COUNTER,
            Panel::Balances => icon::BALANCES,
            Panel::SubAccounts => icon::SUB_ACCOUNTS,
            Panel::Statement => icon::STATEMENT,
            Panel::History => icon::HISTORY,
            Panel::Review => icon::REVIEW,
            Panel::Settings => icon::SETTINGS,
        }
    }

    /// Ctrl+1 … Ctrl+7, in side-bar order.
    pub fn shortcut(self) -> KeyboardShortcut {
        let index = Panel::ALL.iter().position(|p| *p == self).unwrap_or(0);
        KeyboardShortcut::new(Modifiers::COMMAND, DIGIT_KEYS[index])
    }
}

/// The keys 1 … 9: panels (with Ctrl) and the counter's amounts (alone or with Alt).
pub const DIGIT_KEYS: [Key; 9] = [
    Key::Num1,
    Key::Num2,
    Key::Num3,
    Key::Num4,
    Key::Num5,
    Key::Num6,
    Key::Num7,
    Key::Num8,
    Key::Num9,
];

/// A shortcut as the tooltips show it ("Ctrl+1").
pub fn shortcut_text(ctx: &egui::Context, shortcut: KeyboardShortcut) -> String {
    ctx.format_shortcut(&shortcut)
}

/// The key that refreshes what the panel on show displays.
pub const REFRESH: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F5);
/// The key that starts an export on the History panel.
pub const EXPORT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::E);
/// The key that puts the cursor in the panel's search or number field.
pub const FIND: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
