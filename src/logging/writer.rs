//! The one door every log line goes through: secrets are removed here, whatever wrote the line,
//! and the last lines are kept in memory for a crash report.

use std::collections::VecDeque;
use std::io::{self, Write};
use std::sync::{Mutex, TryLockError};
use std::time::Duration;

use tracing_subscriber::fmt::MakeWriter;

use super::redact::redact_line;

/// How many of the last log lines a crash report carries.
pub(crate) const RECENT_LINES: usize = 40;

static RECENT: Mutex<VecDeque<String>> = Mutex::new(VecDeque::new());

thread_local! {
    /// Set while this thread runs the crash-report hook.
    static IN_PANIC_HOOK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Marks this thread as reporting a panic until the guard is dropped: meanwhile it never waits
/// long for the lock of the recent lines (it may have panicked while holding it). The thread may
/// live on (a tokio worker survives a task's panic), so the mark does not outlast the report.
pub(super) fn reporting_a_panic() -> impl Drop {
    struct Reporting;
    impl Drop for Reporting {
        fn drop(&mut self) {
            IN_PANIC_HOOK.with(|flag| flag.set(false));
        }
    }
    IN_PANIC_HOOK.with(|flag| flag.set(true));
    Reporting
}

/// Runs `work` on the recent lines. A thread reporting a panic tries for 100 ms at most and
/// then goes without; every other thread simply waits its turn.
fn with_recent<T>(work: impl FnOnce(&mut VecDeque<String>) -> T) -> Option<T> {
    if !IN_PANIC_HOOK.with(std::cell::Cell::get) {
        let mut recent = RECENT
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        return Some(work(&mut recent));
    }
    for _ in 0..50 {
        match RECENT.try_lock() {
            Ok(mut recent) => return Some(work(&mut recent)),
            Err(TryLockError::Poisoned(poisoned)) => return Some(work(&mut poisoned.into_inner())),
            Err(TryLockError::WouldBlock) => std::thread::sleep(Duration::from_millis(2)),
        }
    }
    None
}

/// The last log lines written in this process (already without secrets), oldest first.
pub fn recent_lines() -> Vec<String> {
    with_recent(|recent| recent.iter().cloned().collect()).unwrap_or_default()
}

fn keep_recent(text: &str) {
    with_recent(|recent| {
        for line in text.lines().filter(|line| !line.trim().is_empty()) {
            if recent.len() == RECENT_LINES {
                recent.pop_front();
            }
            recent.push_back(line.to_string());
        }
    });
}

/// Wraps a log destination so that every event is redacted before it reaches it.
pub(crate) struct Redacting<M> {
    inner: M,
    keep_recent: bool,
}

impl<M> Redacting<M> {
    /// Redacts what goes to `inner`; `keep_recent` also keeps the lines for a crash report.
    pub(crate) fn new(inner: M, keep_recent: bool) -> Redacting<M> {
        Redacting { inner, keep_recent }
    }
}

/// One event's bytes, gathered and written (redacted) when the event is complete.
pub(crate) struct RedactingWriter<W: Write> {
    inner: W,
    buffer: Vec<u8>,
    keep_recent: bool,
}

impl<W: Write> Write for RedactingWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return self.inner.flush();
        }
        let text = redact_line(&String::from_utf8_lossy(&self.buffer));
        self.buffer.clear();
        if self.keep_recent {
            keep_recent(&text);
        }
        self.inner.write_all(text.as_bytes())?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for RedactingWriter<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for Redacting<M> {
    type Writer = RedactingWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter {
            inner: self.inner.make_writer(),
            buffer: Vec::new(),
            keep_recent: self.keep_recent,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_redacted_before_it_is_written_and_kept() {
        let mut out = Vec::new();
        {
            let mut writer = RedactingWriter {
                inner: &mut out,
                buffer: Vec::new(),
                keep_recent: true,
            };
            writeln!(writer, "GET /me?apiKey=K-123456&page=1").unwrap();
        }
        let written = String::from_utf8(out).unwrap();
        assert_eq!(written, "GET /me?apiKey=[redacted]&page=1\n");
        assert!(recent_lines().contains(&"GET /me?apiKey=[redacted]&page=1".to_string()));
    }
}
