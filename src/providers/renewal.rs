//! One token renewal at a time per profile, across every saldo of this user (the window, a
//! command, a batch): a refresh token is used once and replaced, so two processes renewing with
//! the same one would lock the profile out. The turn is an OS file lock, released when its
//! holder finishes or dies; whoever waited reads the keychain again before renewing.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::PathBuf;
use std::time::Duration;

/// How long a renewal waits for another process's renewal of the same profile.
const MOST_WAIT: Duration = Duration::from_secs(20);

/// This user's folder for renewal turns.
fn turns_dir() -> PathBuf {
    let base = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|p| p.is_dir())
        .unwrap_or_else(std::env::temp_dir);
    #[cfg(unix)]
    // SAFETY: getuid cannot fail and touches no memory.
    let user = unsafe { libc::getuid() }.to_string();
    #[cfg(not(unix))]
    let user = std::env::var("USERNAME").unwrap_or_default();
    base.join(format!("saldo-{user}-renewals"))
}

/// A file name for a profile's turn: a hash of its name (any name, one file each).
fn turn_file(profile: &str) -> PathBuf {
    use sha2::Digest;
    let hash = sha2::Sha256::digest(profile.as_bytes());
    let name: String = hash[..12].iter().map(|b| format!("{b:02x}")).collect();
    turns_dir().join(format!("{name}.lock"))
}

/// Another saldo has been renewing the same profile's tokens for longer than a renewal takes.
#[derive(Debug)]
pub struct StillRenewing;

/// Whether the folder is this user's own (on a shared temporary folder, another user could
/// have made it first).
#[cfg(unix)]
fn is_ours(dir: &std::path::Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: getuid cannot fail and touches no memory.
    let me = unsafe { libc::getuid() };
    std::fs::metadata(dir).is_ok_and(|m| m.uid() == me && m.mode() & 0o077 == 0)
}

#[cfg(not(unix))]
fn is_ours(_dir: &std::path::Path) -> bool {
    true
}

/// Waits for this process's turn to renew the tokens of `profile` and holds it until dropped.
/// `Ok(None)` when no turn can be had at all (no private folder for the lock file): then the
/// renewal goes ahead unguarded. `Err` when another saldo holds the turn for longer than a
/// renewal takes: then nothing is renewed.
pub async fn turn(profile: &str) -> Result<Option<File>, StillRenewing> {
    let path = turn_file(profile);
    let Some(dir) = path.parent() else {
        return Ok(None);
    };
    if crate::paths::create_private_dir(dir).is_err() || !is_ours(dir) {
        return Ok(None);
    }
    let Ok(file) = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
    else {
        return Ok(None);
    };
    let give_up = tokio::time::Instant::now() + MOST_WAIT;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Some(file)),
            Err(TryLockError::WouldBlock) if tokio::time::Instant::now() < give_up => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(TryLockError::WouldBlock) => return Err(StillRenewing),
            Err(TryLockError::Error(_)) => return Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn one_turn_at_a_time_per_profile() {
        let name = format!("test-{}", uuid::Uuid::new_v4());
        let first = super::turn(&name).await.unwrap().expect("a turn");
        let other = super::turn(&format!("{name}-other")).await.unwrap();
        assert!(other.is_some(), "another profile does not wait");
        let waiting = tokio::spawn({
            let name = name.clone();
            async move { super::turn(&name).await.is_ok_and(|t| t.is_some()) }
        });
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        assert!(!waiting.is_finished(), "the second waits for the first");
        drop(first);
        assert!(waiting.await.unwrap(), "then gets its turn");
    }
}
