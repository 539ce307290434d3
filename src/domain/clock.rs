//! The wall clock the engine and the ledger read, injected so tests can step it as NTP or a
//! laptop waking up would. Engine and ledger code read time only through a [`Clock`]; nothing
//! that decides who owns an operation depends on it (ownership is a lock, not a deadline).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// A source of wall-clock time in Unix milliseconds (UTC).
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Milliseconds since the Unix epoch, as this clock reads now.
    fn now_ms(&self) -> i64;
}

/// The machine's clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        jiff::Timestamp::now().as_millisecond()
    }
}

/// The machine's clock shifted by an offset that can be stepped at any moment, forwards or
/// backwards: what a clock corrected by NTP, or a laptop resuming, looks like to a program.
#[derive(Debug, Default)]
pub struct SteppedClock {
    offset_ms: AtomicI64,
}

impl SteppedClock {
    /// A clock that reads like the machine's until it is stepped.
    pub fn new() -> Arc<SteppedClock> {
        Arc::new(SteppedClock::default())
    }

    /// Steps the clock by `ms` (negative: backwards).
    pub fn step(&self, ms: i64) {
        self.offset_ms.fetch_add(ms, Ordering::SeqCst);
    }

    /// How far the clock is from the machine's now.
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::SeqCst)
    }
}

impl Clock for SteppedClock {
    fn now_ms(&self) -> i64 {
        SystemClock.now_ms().saturating_add(self.offset_ms())
    }
}

/// The machine's clock, shared.
pub fn system() -> Arc<dyn Clock> {
    Arc::new(SystemClock)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stepped_clock_jumps_both_ways() {
        let clock = SteppedClock::new();
        let before = clock.now_ms();
        clock.step(120_000);
        assert!(clock.now_ms() >= before + 120_000);
        clock.step(-240_000);
        assert!(clock.now_ms() < before);
        assert_eq!(clock.offset_ms(), -120_000);
    }
}
