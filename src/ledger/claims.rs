//! Who owns an operation right now: an OS file lock per reference, held by the sender from
//! before the row is marked `sending` until its outcome is committed, and by whoever settles
//! it afterwards (a reconciler, a person). The operating system drops the lock when its holder
//! exits, is killed or the machine restarts, so a row is a leftover exactly when its lock can
//! be taken — no deadline, no wall clock, no guess about how long a send may take.
//!
//! The locks live in `in-flight/` beside the ledger file, one `<reference>.lock` each, removed
//! when released on Unix (where a lock on a file whose name was removed or made anew is
//! detected by its inode) and kept on Windows (where that cannot be told, so no name ever
//! changes under a lock). On the shop's server the same role falls to a lease row renewed by
//! its holder and expired by the server's clock (see [`super::leases`]).

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

use std::collections::HashSet;
use std::sync::{Arc, Mutex, Weak};

use super::leases::Leases;
use super::{Ledger, LedgerError};
use crate::domain::Reference;

/// The folder beside the ledger file that holds the locks of operations in flight.
pub const CLAIMS_FOLDER: &str = "in-flight";

/// The lock on one operation. Whoever holds it may send or settle that operation; nobody
/// else may. Dropping it releases the operation.
#[derive(Debug)]
pub struct Claim {
    held: Held,
}

/// The operation locks one ledger holds itself, by reference: a send of its own in flight is
/// known without asking the operating system (every sale asks for leftovers, and would try
/// the lock of each of its own sends in flight).
#[derive(Debug, Default)]
pub(crate) struct OwnClaims(Arc<Mutex<HashSet<String>>>);

impl OwnClaims {
    pub(crate) fn holds(&self, reference: &Reference) -> bool {
        super::lock(&self.0).contains(reference.as_str())
    }
}

#[derive(Debug)]
enum Held {
    // Closing the file releases the lock; it is removed from the folder first, and from its
    // ledger's own claims.
    File {
        path: PathBuf,
        _file: File,
        own: Weak<Mutex<HashSet<String>>>,
        reference: String,
    },
    // Weak: a ledger dropped with claims still held is a holder gone; its leases run out.
    Lease {
        leases: Weak<Leases>,
        key: String,
        token: i64,
    },
}

impl Drop for Claim {
    fn drop(&mut self) {
        match &self.held {
            Held::File {
                path,
                own,
                reference,
                ..
            } => {
                #[cfg(unix)]
                let _ = std::fs::remove_file(path);
                #[cfg(not(unix))]
                let _ = path;
                if let Some(own) = own.upgrade() {
                    super::lock(&own).remove(reference);
                }
            }
            Held::Lease { leases, key, token } => {
                if let Some(leases) = leases.upgrade() {
                    leases.release(key, *token);
                }
            }
        }
    }
}

/// The key of the lock a sub-account's balance comparison holds (letters, digits and dashes:
/// also a lock file's name).
fn account_key(profile_id: i64, sub_account: &str) -> Reference {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in sub_account.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    Reference::from_text(&format!("ACCOUNT-{profile_id}-{hash:016X}"))
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(held), Ok(named)) => held.ino() == named.ino() && held.dev() == named.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, _path: &Path) -> bool {
    // Lock files are never removed here, so the name always names the file that was locked.
    true
}

/// Whether a reference is one of ours (`SAL-…`: letters, digits and dashes only), and so a
/// safe file name: a typed or merged-in reference never reaches outside `in-flight/`.
fn is_reference(reference: &Reference) -> bool {
    let text = reference.as_str();
    !text.is_empty()
        && text.len() <= 64
        && text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
}

fn claim_error(path: &Path, error: impl std::fmt::Display) -> LedgerError {
    LedgerError::Write(format!(
        "could not take the lock {} for an operation: {error}. Check that the ledger's folder is \
         writable",
        path.display()
    ))
}

impl Ledger {
    /// The folder of this ledger's operation locks.
    pub fn claims_dir(&self) -> PathBuf {
        self.path()
            .parent()
            .unwrap_or(Path::new("."))
            .join(CLAIMS_FOLDER)
    }

    fn claim_path(&self, reference: &Reference) -> PathBuf {
        self.claims_dir().join(format!("{reference}.lock"))
    }

    /// Takes the lock on an operation, or `None` when a live sender or settler holds it.
    pub fn claim(&self, reference: &Reference) -> Result<Option<Claim>, LedgerError> {
        if !is_reference(reference) {
            return Err(LedgerError::TransactionNotFound(reference.to_string()));
        }
        if let Some(leases) = self.leases() {
            let key = reference.as_str().to_string();
            return Ok(leases.take(&key)?.map(|token| Claim {
                held: Held::Lease {
                    leases: std::sync::Arc::downgrade(leases),
                    key,
                    token,
                },
            }));
        }
        self.claim_file(reference)
    }

    /// Takes the locks of the open operations among `references` that nobody holds, at once:
    /// on the shop's server in one transaction that skips rows another counter's reconciler
    /// is claiming right now (`FOR UPDATE SKIP LOCKED`), so any number of reconcilers share
    /// the work without waiting for each other or taking a row twice.
    pub fn claim_open(
        &self,
        references: &[Reference],
    ) -> Result<Vec<(Reference, Claim)>, LedgerError> {
        let Some(leases) = self.leases() else {
            let mut taken = Vec::new();
            for reference in references {
                if let Some(claim) = self.claim(reference)? {
                    taken.push((reference.clone(), claim));
                }
            }
            return Ok(taken);
        };
        let keys: Vec<String> = references
            .iter()
            .filter(|r| is_reference(r))
            .map(|r| r.as_str().to_string())
            .collect();
        Ok(leases
            .take_open(&keys)?
            .into_iter()
            .map(|(key, token)| {
                let reference = Reference::from_text(&key);
                let held = Held::Lease {
                    leases: std::sync::Arc::downgrade(leases),
                    key,
                    token,
                };
                (reference, Claim { held })
            })
            .collect())
    }

    /// Takes the lock of a sub-account while its balance settles an operation, so that two
    /// reconcilers never judge the same sub-account's balance at once; `None` when held.
    pub fn claim_sub_account(
        &self,
        profile_id: i64,
        sub_account: &str,
    ) -> Result<Option<Claim>, LedgerError> {
        self.claim(&account_key(profile_id, sub_account))
    }

    fn claim_file(&self, reference: &Reference) -> Result<Option<Claim>, LedgerError> {
        if self.own_claims.holds(reference) {
            return Ok(None);
        }
        let dir = self.claims_dir();
        crate::paths::create_private_dir(&dir).map_err(|e| claim_error(&dir, e))?;
        let path = self.claim_path(reference);
        // The holder removes the file before closing it: a lock taken on a file that has just
        // been removed (or made anew) is no lock, so look again.
        for _ in 0..5 {
            let opened = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path);
            let mut file = match opened {
                Ok(file) => file,
                // A file its holder is removing right now: held, for this moment.
                Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied && path.exists() => {
                    return Ok(None);
                }
                Err(e) => return Err(claim_error(&path, e)),
            };
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => return Ok(None),
                Err(TryLockError::Error(e)) => return Err(claim_error(&path, e)),
            }
            if same_file(&file, &path) {
                // For a person looking at the folder: which process holds it.
                let _ = file.set_len(0);
                let _ = writeln!(file, "{}", std::process::id());
                super::lock(&self.own_claims.0).insert(reference.as_str().to_string());
                return Ok(Some(Claim {
                    held: Held::File {
                        path,
                        _file: file,
                        own: Arc::downgrade(&self.own_claims.0),
                        reference: reference.as_str().to_string(),
                    },
                }));
            }
        }
        Ok(None)
    }

    /// Whether a live sender or settler holds the lock on an operation right now.
    pub fn is_claimed(&self, reference: &Reference) -> bool {
        if !is_reference(reference) {
            return false;
        }
        if let Some(leases) = self.leases() {
            // A server that cannot be asked: be careful and take it as held.
            return leases.is_live(reference.as_str()).unwrap_or(true);
        }
        let path = self.claim_path(reference);
        let Ok(file) = OpenOptions::new().read(true).write(true).open(&path) else {
            return false;
        };
        match file.try_lock() {
            Ok(()) => !same_file(&file, &path) && path.exists(),
            Err(TryLockError::WouldBlock) => true,
            // A lock that cannot even be tried: be careful and take it as held.
            Err(TryLockError::Error(_)) => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open_in(dir.path()).unwrap();
        let other = Ledger::open_in(dir.path()).unwrap();
        let reference = Reference::generate();
        assert!(!ledger.is_claimed(&reference));
        let claim = ledger.claim(&reference).unwrap().expect("free");
        assert!(ledger.is_claimed(&reference));
        assert!(
            other.is_claimed(&reference),
            "seen through another ledger handle"
        );
        assert!(other.claim(&reference).unwrap().is_none(), "held");
        assert!(
            ledger.claim(&reference).unwrap().is_none(),
            "held, even by its own ledger"
        );
        drop(claim);
        assert!(!other.is_claimed(&reference));
        #[cfg(unix)]
        assert!(
            !ledger
                .claims_dir()
                .join(format!("{reference}.lock"))
                .exists()
        );
        let again = other.claim(&reference).unwrap();
        assert!(again.is_some(), "free again once released");
    }

    #[test]
    fn a_send_this_ledger_holds_is_no_leftover_until_its_claim_is_dropped() {
        use crate::domain::{Money, Unit};
        use crate::ledger::{NewOperation, StateChange, TxKind};
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open_in(dir.path()).unwrap();
        let kind = crate::providers::ProviderKind::Qvatel;
        let profile = ledger
            .add_profile("cuba", kind, "https://x.example", &kind.default_settings())
            .unwrap()
            .id;
        let reference = Reference::generate();
        let claim = ledger.claim(&reference).unwrap().expect("free");
        let new = NewOperation {
            reference: &reference,
            kind: TxKind::TopUp,
            profile_id: profile,
            destination: "+5352942391",
            amount: Money::from_minor(2000, Unit::Usd),
            repeat_guard: None,
            request: None,
            batch_row: None,
        };
        ledger
            .record_sending(&new, &StateChange::default())
            .unwrap();
        assert!(
            ledger.unfinished_sends(profile).unwrap().is_empty(),
            "in flight"
        );
        assert!(
            ledger.claim(&reference).unwrap().is_none(),
            "held by this ledger"
        );
        let other = Ledger::open_in(dir.path()).unwrap();
        assert_eq!(
            other.unfinished_sends(profile).unwrap().len(),
            1,
            "another handle sees the row and finds its lock taken"
        );
        assert!(other.claim(&reference).unwrap().is_none());
        drop(claim);
        let left = ledger.unfinished_sends(profile).unwrap();
        assert_eq!(left.len(), 1, "its sender is gone: a leftover");
        assert!(ledger.claim(&reference).unwrap().is_some(), "free again");
    }

    #[test]
    fn a_reference_that_is_not_ours_is_never_a_path() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open_in(&dir.path().join("data")).unwrap();
        std::fs::write(dir.path().join("FOO.lock"), "keep").unwrap();
        let sneaky = Reference::from_text("../../foo");
        assert!(ledger.claim(&sneaky).is_err());
        assert!(!ledger.is_claimed(&sneaky));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("FOO.lock")).unwrap(),
            "keep"
        );
    }

    #[test]
    fn a_lock_left_by_a_dead_holder_is_free() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open_in(dir.path()).unwrap();
        let reference = Reference::generate();
        std::fs::create_dir_all(ledger.claims_dir()).unwrap();
        // A holder that was killed leaves its file behind, unlocked.
        std::fs::write(
            ledger.claims_dir().join(format!("{reference}.lock")),
            "4242\n",
        )
        .unwrap();
        assert!(!ledger.is_claimed(&reference));
        assert!(ledger.claim(&reference).unwrap().is_some());
    }
}
