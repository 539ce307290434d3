//! What every panel is drawn with, besides its own state: one signature for all of them,
//! `fn x_ui(ui, &mut XPanel, &mut PanelContext)`.

use std::path::Path;

use crate::ui::backend::Command;
use crate::ui::prefs::Prefs;
use crate::ui::shop::Shop;

/// The window's shared state and the way to ask the background for work.
pub struct PanelContext<'a> {
    /// The shop as the window knows it: profiles, balances, secrets, today's sales.
    pub shop: &'a mut Shop,
    /// The window's preferences (language, theme, backups), changed where the person
    /// changes them.
    pub prefs: &'a mut Prefs,
    /// Now, in Unix ms (for "updated N min ago").
    pub now_ms: i64,
    /// The folder the ledger, logs and backups are in.
    pub data_dir: &'a Path,
    /// Whether this is the demo (its secrets live in memory only).
    pub demo: bool,
    /// An operation is being sent: a restore waits for it.
    pub selling: bool,
    /// Runs a command in the background; its event comes back to the window.
    pub run: &'a mut dyn FnMut(Command),
}
