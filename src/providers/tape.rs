//! A recording of the HTTP exchanges one piece of work makes, for `saldo check`: what was sent
//! and what came back, kept only while [`record`] runs and only for that task. Nothing is
//! recorded anywhere else; whoever shows a tape removes the secrets first.

use std::future::Future;
use std::sync::{Arc, Mutex};

/// One request and its reply, as they went over the wire.
#[derive(Clone, Debug, Default)]
pub struct Exchange {
    pub method: String,
    /// The full URL, query string included (may hold a secret: redact before showing).
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The HTTP status of the reply; `None` when none came.
    pub status: Option<u16>,
    pub reply: String,
    /// Why no reply came, when none did.
    pub failure: Option<String>,
    /// A login or token renewal: its bodies are never shown.
    pub credential: bool,
}

type Tape = Arc<Mutex<Vec<Exchange>>>;

tokio::task_local! {
    static TAPE: Tape;
}

/// Runs `work` and returns what it sent and received over HTTP, in order.
pub async fn record<F: Future>(work: F) -> (F::Output, Vec<Exchange>) {
    let tape: Tape = Arc::default();
    let output = TAPE.scope(tape.clone(), work).await;
    let exchanges = tape.lock().map(|t| t.clone()).unwrap_or_default();
    (output, exchanges)
}

/// Adds an exchange to the tape of the running [`record`], if any.
pub(super) fn keep(exchange: Exchange) {
    let _ = TAPE.try_with(|tape| {
        if let Ok(mut tape) = tape.lock() {
            tape.push(exchange);
        }
    });
}

/// Whether a [`record`] is running in this task (so the exchange is worth copying).
pub(super) fn recording() -> bool {
    TAPE.try_with(|_| ()).is_ok()
}
