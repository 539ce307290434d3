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

/// Waits for this process's turn to renew the tokens of `profile` and holds it until dropped.
/// `None` when no lock file can be made (then the renewal goes ahead unguarded, as before).
pub async fn turn(profile: &str) -> Option<File> {
    let path = turn_file(profile);
    crate::paths::create_private_dir(path.parent()?).ok()?;
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .ok()?;
    let give_up = tokio::time::Instant::now() + MOST_WAIT;
    loop {
        match file.try_lock() {
            Ok(()) => return Some(file),
            Err(TryLockError::WouldBlock) if tokio::time::Instant::now() < give_up => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn one_turn_at_a_time_per_profile() {
        let name = format!("test-{}", uuid::Uuid::new_v4());
        let first = super::turn(&name).await.expect("a turn");
        let other = super::turn(&format!("{name}-other")).await;
        assert!(other.is_some(), "another profile does not wait");
        let waiting = tokio::spawn({
            let name = name.clone();
            async move { super::turn(&name).await.is_some() }
        });
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        assert!(!waiting.is_finished(), "the second waits for the first");
        drop(first);
        assert!(waiting.await.unwrap(), "then gets its turn");
    }
}
