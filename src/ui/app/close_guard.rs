//! Closing while something is on its way. A window close asks first; the system's request to
//! quit (SIGTERM) waits for the sends in flight to finish, up to a limit, and then closes.
//! What an interruption still leaves behind is listed at the next start.

use std::time::{Duration, Instant};

use egui::RichText;

use crate::t;
use crate::ui::app::SaldoApp;
use crate::ui::theme::{FAILURE, WARNING};

/// How long a quit asked by the system waits for the sends in flight (the providers' own
/// limits are 20–30 s; systemd waits 90 s before it kills).
const QUIT_WAITS_AT_MOST: Duration = Duration::from_secs(60);

/// What the window knows about closing.
#[derive(Debug, Default)]
pub(crate) struct CloseGuard {
    /// The person asked to close while something was in flight; the question is on show.
    asking: bool,
    /// Close as soon as nothing is in flight (asked by the person, or by the system at this
    /// instant).
    when_idle_since: Option<Instant>,
    /// Closing is decided: let the next close request through.
    decided: bool,
}

impl SaldoApp {
    /// Whether anything is on its way (asked every frame: no words made).
    fn is_in_flight(&self) -> bool {
        self.counter.is_sending()
            || self.subaccounts.is_busy()
            || self.review.is_busy()
            || self.history.export.is_running()
            || self.settings.data.is_busy()
    }

    /// What is on its way now, in words ("a top-up", "a credit move"…); empty when nothing is.
    pub fn in_flight(&self) -> Vec<String> {
        let mut work = Vec::new();
        if self.counter.is_sending() {
            work.push(t!("close-work-topup"));
        }
        if self.subaccounts.is_busy() {
            work.push(t!("close-work-credit"));
        }
        if self.review.is_busy() {
            work.push(t!("close-work-review"));
        }
        if self.history.export.is_running() {
            work.push(t!("close-work-export"));
        }
        if self.settings.data.is_busy() {
            work.push(t!("close-work-backup"));
        }
        work
    }

    /// The system asked saldo to quit: at once when idle, else once the work in flight ends.
    pub(crate) fn quit_requested(&mut self, ctx: &egui::Context) {
        if !self.is_in_flight() {
            self.close_now(ctx);
        } else {
            self.close_guard.when_idle_since = Some(Instant::now());
        }
    }

    fn close_now(&mut self, ctx: &egui::Context) {
        self.close_guard.decided = true;
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }

    /// Each frame: holds a window close while work is in flight, and closes once a waiting
    /// close may go.
    pub(crate) fn guard_close(&mut self, ctx: &egui::Context) {
        let busy = self.is_in_flight();
        if ctx.input(|i| i.viewport().close_requested()) && !self.close_guard.decided && busy {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            if self.close_guard.when_idle_since.is_none() {
                self.close_guard.asking = true;
            }
        }
        if let Some(since) = self.close_guard.when_idle_since
            && (!busy || since.elapsed() >= QUIT_WAITS_AT_MOST)
        {
            self.close_guard.asking = false;
            self.close_now(ctx);
        }
    }

    /// The question "close while a top-up is being sent?", or the note that saldo closes when
    /// it is done.
    pub(crate) fn close_guard_ui(&mut self, ctx: &egui::Context) {
        if self.close_guard.when_idle_since.is_some() {
            egui::Area::new(egui::Id::unique("closing-when-idle"))
                .anchor(egui::Align2::CENTER_TOP, [0.0, 8.0])
                .show(ctx, |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.label(RichText::new(t!("close-when-done-note")).color(WARNING));
                    });
                });
            return;
        }
        if !self.close_guard.asking {
            return;
        }
        let work = self.in_flight();
        if work.is_empty() {
            self.close_guard.asking = false;
            return;
        }
        let mut choice = None;
        let modal = egui::Modal::new(egui::Id::unique("close-while-sending")).show(ctx, |ui| {
            ui.set_max_width(460.0);
            ui.heading(t!("close-title"));
            ui.label(t!("close-explain", work = work.join(", ")));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui
                    .button(RichText::new(t!("close-when-done")).strong())
                    .clicked()
                {
                    choice = Some(CloseChoice::WhenDone);
                }
                if ui.button(t!("close-keep-open")).clicked() {
                    choice = Some(CloseChoice::KeepOpen);
                }
                if ui
                    .button(RichText::new(t!("close-now")).color(FAILURE))
                    .on_hover_text(t!("close-now-tip"))
                    .clicked()
                {
                    choice = Some(CloseChoice::Now);
                }
            });
        });
        if choice.is_none() && modal.should_close() {
            choice = Some(CloseChoice::KeepOpen);
        }
        match choice {
            Some(CloseChoice::WhenDone) => {
                self.close_guard.asking = false;
                self.close_guard.when_idle_since = Some(Instant::now());
            }
            Some(CloseChoice::KeepOpen) => self.close_guard.asking = false,
            Some(CloseChoice::Now) => {
                self.close_guard.asking = false;
                self.close_now(ctx);
            }
            None => {}
        }
    }
}

/// What the person answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CloseChoice {
    WhenDone,
    KeepOpen,
    Now,
}
