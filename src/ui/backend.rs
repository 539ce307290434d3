//! Commands the panels emit, run on the runtime; their results come back as events drained
//! every frame. Nothing here runs on the UI thread.

use std::sync::mpsc::Sender;

use crate::domain::Money;
use crate::engine::{Engine, EngineError, TopUpOrder};
use crate::ledger::TxRecord;
use crate::providers::Profile;

/// Work the window asks for.
#[derive(Clone, Debug)]
pub enum Command {
    LoadProfiles,
    TopUp(TopUpOrder),
    LoadHistory { limit: usize },
    RefreshBalance { profile: String },
}

/// Why a top-up did not end with a recorded outcome.
#[derive(Clone, Debug)]
pub struct TopUpFailure {
    pub message: String,
    /// It may have reached the provider: the clerk must not send it again.
    pub may_have_been_sent: bool,
    /// It repeats this recent top-up: it goes through only if the clerk confirms.
    pub repeat_of: Option<crate::ledger::EarlierOperation>,
}

impl From<EngineError> for TopUpFailure {
    fn from(error: EngineError) -> Self {
        TopUpFailure {
            message: error.to_string(),
            may_have_been_sent: error.may_have_been_sent(),
            repeat_of: match error {
                EngineError::PossibleRepeat(earlier) => Some(earlier),
                _ => None,
            },
        }
    }
}

/// Results coming back to the window.
#[derive(Debug)]
pub enum Event {
    Profiles(Result<Vec<Profile>, String>),
    TopUpFinished(Result<TxRecord, TopUpFailure>),
    History(Result<Vec<TxRecord>, String>),
    Balance {
        profile: String,
        result: Result<Money, String>,
    },
    /// The background reconciler settled operations, or found some that need a person.
    Reconciled {
        settled: Vec<TxRecord>,
        needs_review: usize,
    },
    /// The OS asked saldo to quit (SIGTERM).
    CloseRequested,
}

/// How often the window's background reconciler looks at open operations.
pub const RECONCILE_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

/// Runs commands on the runtime and reports back.
pub struct Backend {
    runtime: tokio::runtime::Handle,
    engine: Engine,
    events: Sender<Event>,
    ctx: egui::Context,
}

impl Backend {
    pub fn new(
        runtime: tokio::runtime::Handle,
        engine: Engine,
        events: Sender<Event>,
        ctx: egui::Context,
    ) -> Backend {
        Backend {
            runtime,
            engine,
            events,
            ctx,
        }
    }

    fn report(events: &Sender<Event>, ctx: &egui::Context, event: Event) {
        // The window may already be gone; then nobody needs the result.
        let _ = events.send(event);
        ctx.request_repaint();
    }

    /// Runs a command in the background; its event arrives on the window's channel.
    pub fn run(&self, command: Command) {
        let engine = self.engine.clone();
        let events = self.events.clone();
        let ctx = self.ctx.clone();
        self.runtime.spawn(async move {
            let event = match command {
                Command::LoadProfiles => {
                    let ledger = engine.ledger().clone();
                    Event::Profiles(
                        tokio::task::spawn_blocking(move || ledger.profiles())
                            .await
                            .map_err(|e| e.to_string())
                            .and_then(|r| r.map_err(|e| e.to_string())),
                    )
                }
                Command::TopUp(order) => {
                    Event::TopUpFinished(engine.top_up(&order).await.map_err(TopUpFailure::from))
                }
                Command::LoadHistory { limit } => {
                    let ledger = engine.ledger().clone();
                    Event::History(
                        tokio::task::spawn_blocking(move || ledger.history_page(None, limit))
                            .await
                            .map_err(|e| e.to_string())
                            .and_then(|r| r.map_err(|e| e.to_string())),
                    )
                }
                Command::RefreshBalance { profile } => {
                    let result = engine.balance(&profile).await.map_err(|e| e.to_string());
                    Event::Balance { profile, result }
                }
            };
            Self::report(&events, &ctx, event);
        });
    }

    /// Follows open operations in the background for as long as the window is open: a pass at
    /// start (rows a crash left half-way), then one every [`RECONCILE_EVERY`].
    pub fn start_reconciler(&self) {
        let engine = self.engine.clone();
        let events = self.events.clone();
        let ctx = self.ctx.clone();
        self.runtime.spawn(async move {
            let mut last_review_count = 0;
            loop {
                if let Ok(report) = engine.reconcile(None).await {
                    let needs_review = report.needs_review.len();
                    if !report.settled.is_empty() || needs_review != last_review_count {
                        last_review_count = needs_review;
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
