//! Outcomes learned while the shop's server could not be reached: kept on this counter, one
//! file each in `outbox/` beside its own files (written and synced before the clerk is told),
//! and written to the server by the lease keeper as soon as it answers again — never only in
//! memory. The operation's lease stays with this counter meanwhile, and the write is the same
//! compare-and-set a live outcome gets: an operation another counter settled in between keeps
//! its state and gets this fact as a note.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::json;

use super::leases::{Fence, Leases};
use super::transactions::{Stamp, StateChange, settle_in};
use super::{LedgerError, lock};
use crate::domain::{Basis, Reference, TxState};

/// The folder of kept outcomes inside a counter's own folder.
pub const OUTBOX_FOLDER: &str = "outbox";

/// One kept outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Kept {
    pub reference: Reference,
    pub expected: TxState,
    pub to: TxState,
    pub change: StateChange,
    /// When the outcome was learned (the ledger's time).
    pub at: i64,
    /// This counter's lease token on the operation then: a later run of the counter (the
    /// first one died before the server came back) writes the outcome as that holder, unless
    /// another counter has taken the operation over since.
    pub token: Option<i64>,
}

impl Kept {
    fn to_json(&self) -> String {
        json!({
            "reference": self.reference.as_str(),
            "expected": self.expected.as_str(),
            "to": self.to.as_str(),
            "provider_ref": self.change.provider_ref,
            "provider_message": self.change.provider_message,
            "detail": self.change.detail,
            "basis": self.change.basis.map(Basis::as_str),
            "at": self.at,
            "token": self.token,
        })
        .to_string()
    }

    fn from_json(text: &str) -> Option<Kept> {
        let v: serde_json::Value = serde_json::from_str(text).ok()?;
        let text_of = |name: &str| v.get(name).and_then(|x| x.as_str()).map(str::to_string);
        Some(Kept {
            reference: Reference::from_text(&text_of("reference")?),
            expected: TxState::parse(&text_of("expected")?)?,
            to: TxState::parse(&text_of("to")?)?,
            change: StateChange {
                provider_ref: text_of("provider_ref"),
                provider_message: text_of("provider_message"),
                detail: text_of("detail"),
                basis: text_of("basis").and_then(|b| Basis::parse(&b)),
            },
            at: v.get("at")?.as_i64()?,
            token: v.get("token").and_then(serde_json::Value::as_i64),
        })
    }
}

/// This counter's kept outcomes.
#[derive(Debug)]
pub(crate) struct Outbox {
    dir: PathBuf,
    pending: Mutex<HashSet<String>>,
}

impl Outbox {
    /// The outbox in a counter's own folder, with what an earlier run left in it.
    pub(crate) fn in_dir(local_dir: &Path) -> Outbox {
        let dir = local_dir.join(OUTBOX_FOLDER);
        let pending = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().to_string();
                name.strip_suffix(".json").map(str::to_string)
            })
            .collect();
        Outbox {
            dir,
            pending: Mutex::new(pending),
        }
    }

    /// Whether an outcome of this operation waits here.
    pub(crate) fn holds(&self, reference: &str) -> bool {
        lock(&self.pending).contains(reference)
    }

    /// How many outcomes wait here.
    pub(crate) fn len(&self) -> usize {
        lock(&self.pending).len()
    }

    /// Keeps an outcome durably: written to a new file, synced, then renamed into place.
    pub(crate) fn keep(&self, kept: &Kept) -> Result<(), LedgerError> {
        let failed = |e: std::io::Error| {
            LedgerError::Write(format!(
                "could not keep the outcome of {} on this counter ({e}) — write it down: it \
                 ended {}",
                kept.reference, kept.to
            ))
        };
        crate::paths::create_private_dir(&self.dir).map_err(failed)?;
        let name = kept.reference.as_str();
        let part = self.dir.join(format!("{name}.part"));
        let path = self.dir.join(format!("{name}.json"));
        let mut file = std::fs::File::create(&part).map_err(failed)?;
        file.write_all(kept.to_json().as_bytes()).map_err(failed)?;
        file.sync_all().map_err(failed)?;
        std::fs::rename(&part, &path).map_err(failed)?;
        if let Ok(dir) = std::fs::File::open(&self.dir) {
            let _ = dir.sync_all();
        }
        lock(&self.pending).insert(name.to_string());
        Ok(())
    }

    fn entries(&self) -> Vec<(PathBuf, Kept)> {
        let names: Vec<String> = lock(&self.pending).iter().cloned().collect();
        names
            .into_iter()
            .filter_map(|name| {
                let path = self.dir.join(format!("{name}.json"));
                let text = std::fs::read_to_string(&path).ok()?;
                Some((path, Kept::from_json(&text)?))
            })
            .collect()
    }

    fn done(&self, path: &Path, reference: &str) {
        let _ = std::fs::remove_file(path);
        lock(&self.pending).remove(reference);
    }
}

/// Writes every kept outcome to the server; stops at the first it cannot reach.
pub(crate) fn flush(leases: &Leases) -> Result<usize, LedgerError> {
    let mut written = 0;
    for (path, kept) in leases.outbox.entries() {
        let key = kept.reference.as_str().to_string();
        let ours = leases.token(&key).or(kept.token);
        let fence = Fence::Lease {
            key: key.clone(),
            ours,
        };
        let counter = leases.counter_name().to_string();
        let stamp = Stamp {
            now: kept.at,
            counter: &counter,
        };
        let result = leases.with_conn(|conn| {
            conn.write_locked(|tx| {
                settle_in(
                    tx,
                    &kept.reference,
                    kept.expected,
                    kept.to,
                    &kept.change,
                    stamp,
                    &fence,
                )
            })
        });
        match result {
            Ok(_) => {
                tracing::info!(reference = %kept.reference, outcome = %kept.to,
                    "an outcome kept on this counter was written to the shop's server");
                leases.outbox.done(&path, &key);
                match ours {
                    Some(token) => leases.release(&key, token),
                    None => leases.forget(&key),
                }
                written += 1;
            }
            Err(error @ LedgerError::Unreachable(_)) => return Err(error),
            Err(error) => {
                tracing::error!(reference = %kept.reference, %error,
                    "an outcome kept on this counter could not be written; it stays kept");
            }
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_outcome_survives_a_restart_of_the_counter() {
        let dir = tempfile::tempdir().unwrap();
        let kept = Kept {
            reference: Reference::from_text("SAL-20261204-00000001"),
            expected: TxState::Sending,
            to: TxState::Succeeded,
            change: StateChange {
                provider_ref: Some("P-9".into()),
                provider_message: Some("ok".into()),
                detail: None,
                basis: None,
            },
            at: 1_780_000_000_000,
            token: Some(42),
        };
        Outbox::in_dir(dir.path()).keep(&kept).unwrap();
        let again = Outbox::in_dir(dir.path());
        assert!(again.holds("SAL-20261204-00000001"));
        assert_eq!(again.entries().len(), 1);
        assert_eq!(again.entries()[0].1, kept);
    }
}
