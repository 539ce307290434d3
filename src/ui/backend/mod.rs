//! Commands the panels emit, run on the runtime; their results come back as events drained
//! every frame. Nothing here runs on the UI thread.

mod files;
mod ledger_choice;
mod vocabulary;
mod worker;

pub use files::{file_chooser_available, native_file_dialog, open_folder};
pub use vocabulary::*;
pub(crate) use worker::Worker;

use std::sync::mpsc::Sender;
use std::sync::{Arc, OnceLock};

use crate::engine::Engine;
use crate::ledger::LedgerReader;
use crate::ui::text::words::Words;

/// How often the window's background reconciler looks at open operations.
pub const RECONCILE_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

/// Runs commands on the runtime and reports back.
pub struct Backend {
    runtime: tokio::runtime::Handle,
    engine: Engine,
    events: Sender<Event>,
    ctx: egui::Context,
    file_dialog: FileDialog,
    /// The history's read-only connection, opened on first use.
    reader: Arc<OnceLock<Result<Arc<LedgerReader>, Words>>>,
}

pub(crate) fn join_error(error: tokio::task::JoinError) -> Words {
    let reason = error.to_string();
    Words::new(move || crate::t!("error-internal", reason = reason.as_str()))
}

impl Backend {
    pub fn new(
        runtime: tokio::runtime::Handle,
        engine: Engine,
        events: Sender<Event>,
        ctx: egui::Context,
        file_dialog: FileDialog,
    ) -> Backend {
        Backend {
            runtime,
            engine,
            events,
            ctx,
            file_dialog,
            reader: Arc::new(OnceLock::new()),
        }
    }

    pub(crate) fn report(events: &Sender<Event>, ctx: &egui::Context, event: Event) {
        // The window may already be gone; then nobody needs the result.
        let _ = events.send(event);
        ctx.request_repaint();
    }

    /// Runs a command in the background; its event arrives on the window's channel.
    pub fn run(&self, command: Command) {
        let worker = Worker {
            engine: self.engine.clone(),
            events: self.events.clone(),
            ctx: self.ctx.clone(),
            file_dialog: self.file_dialog.clone(),
            reader: self.reader.clone(),
        };
        self.runtime.spawn(async move {
            let event = worker.execute(command).await;
            Self::report(&worker.events, &worker.ctx, event);
        });
    }

    /// Follows open operations in the background for as long as the window is open: a pass at
    /// start (rows a crash left half-way), then one every [`RECONCILE_EVERY`].
    pub fn start_reconciler(&self) {
        let engine = self.engine.clone();
        let events = self.events.clone();
        let ctx = self.ctx.clone();
        self.runtime.spawn(async move {
            // First, what an interruption left: listed before the first pass settles it.
            let ledger = engine.ledger().clone();
            match tokio::task::spawn_blocking(move || ledger.interrupted_sends()).await {
                Ok(Ok(rows)) if !rows.is_empty() => {
                    let references = rows.into_iter().map(|r| r.reference).collect();
                    Self::report(&events, &ctx, Event::Interrupted(references));
                }
                Ok(Ok(_)) => {}
                Ok(Err(error)) => {
                    tracing::warn!(%error, "could not look for operations an interruption left");
                }
                Err(error) => tracing::warn!(%error, "the interrupted-send lookup stopped"),
            }
            let mut last_review_count = None;
            loop {
                let report = engine.reconcile(None).await;
                if let Err(error) = &report {
                    // The next pass tries again; the operations stay listed meanwhile.
                    tracing::warn!(%error, "a reconciler pass failed");
                }
                if let Ok(report) = report {
                    // The count Review lists, not what this pass happened to look at: it
                    // changes only when the list does.
                    let needs_review = match engine.review_count().await {
                        Ok(count) => count,
                        Err(error) => {
                            tracing::warn!(%error, "could not count the operations to review");
                            last_review_count.unwrap_or(0)
                        }
                    };
                    if !report.settled.is_empty() || Some(needs_review) != last_review_count {
                        last_review_count = Some(needs_review);
                        let event = Event::Reconciled {
                            settled: report.settled,
                            needs_review,
                        };
                        if events.send(event).is_err() {
                            return;
                        }
                        ctx.request_repaint();
                    }
                }
                tokio::time::sleep(RECONCILE_EVERY).await;
            }
        });
    }

    /// Turns the OS's polite request to quit (SIGTERM) into a window close.
    pub fn watch_for_terminate(&self) {
        #[cfg(unix)]
        {
            let events = self.events.clone();
            let ctx = self.ctx.clone();
            self.runtime.spawn(async move {
                use tokio::signal::unix::{SignalKind, signal};
                if let Ok(mut term) = signal(SignalKind::terminate()) {
                    term.recv().await;
                    Self::report(&events, &ctx, Event::CloseRequested);
                }
            });
        }
    }
}

/// The local zone's offset from UTC now, in seconds.
pub fn local_utc_offset_secs() -> i64 {
    let now = jiff::Timestamp::now();
    i64::from(jiff::tz::TimeZone::system().to_offset(now).seconds())
}
