//! The guard on a step that sends money: it takes a deliberate action. A key pressed twice in a
//! hurry, a bouncing key, a held key or a double click must never walk past the review.
//!
//! For a short moment after the step appears its button is disabled and Enter does nothing;
//! after that, Enter counts only once it has been still for a moment (a held Enter keeps
//! pressing, so it never counts) and only as a fresh press without modifiers.

use std::time::Duration;

use egui::{Event, Key};

/// How long after the step appears nothing on it sends (seconds).
pub const ARM_AFTER: f64 = 0.7;
/// How long Enter must have been still before a press of it sends (seconds).
pub const ENTER_QUIET: f64 = 0.45;

/// When a sending step appeared and when Enter was last pressed on it, in egui time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SendGuard {
    shown_at: f64,
    last_enter: f64,
}

impl SendGuard {
    /// A guard for a step appearing now (the Enter that opened it counts as just pressed).
    pub fn new(ui: &egui::Ui) -> SendGuard {
        let now = ui.input(|i| i.time);
        SendGuard {
            shown_at: now,
            last_enter: now,
        }
    }

    /// Whether the step's button may be used yet; asks for a frame when it will be.
    pub fn is_armed(&self, ui: &egui::Ui) -> bool {
        let waited = ui.input(|i| i.time) - self.shown_at;
        if waited < ARM_AFTER {
            ui.ctx()
                .request_repaint_after(Duration::from_secs_f64(ARM_AFTER - waited));
            return false;
        }
        true
    }

    /// Takes this frame's Enter presses; true when one of them is a deliberate confirm.
    pub fn enter_confirms(&mut self, ui: &egui::Ui) -> bool {
        let now = ui.input(|i| i.time);
        let armed = now - self.shown_at >= ARM_AFTER;
        let mut confirmed = false;
        ui.input_mut(|input| {
            input.events.retain(|event| match event {
                Event::Key {
                    key: Key::Enter,
                    pressed: true,
                    repeat,
                    modifiers,
                    ..
                } => {
                    let still = now - self.last_enter >= ENTER_QUIET;
                    if armed && still && !*repeat && modifiers.is_none() {
                        confirmed = true;
                    }
                    self.last_enter = now;
                    false
                }
                _ => true,
            });
        });
        confirmed
    }
}
