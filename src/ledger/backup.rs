//! Backups of the ledger and restoring one.
//!
//! A backup is SQLite's online backup of the whole file, taken on a reading connection in one
//! step: in WAL mode that is one consistent moment of the ledger, and sales go on while it is
//! copied. It is written beside its destination and renamed into place, then checked.
//!
//! A restore first checks the file (`integrity_check`, a saldo schema this saldo knows), keeps
//! the current ledger aside as a backup, and then copies the file *into* the live ledger with the
//! same backup API — so a window that has the ledger open sees the restored one, and no file is
//! swapped under a running program.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::{Ledger, LedgerError, migrations, open_read_only, sqlite_reason};

/// The folder inside the data folder for automatic backups and ledgers kept aside.
pub const BACKUP_FOLDER: &str = "backups";
/// How automatic daily backups are named: `daily-YYYY-MM-DD.sqlite3`.
pub const DAILY_PREFIX: &str = "daily-";
/// The ending of every backup file saldo names.
pub const BACKUP_SUFFIX: &str = ".sqlite3";

/// What a backup file holds, read while checking it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupFacts {
    pub path: PathBuf,
    /// The ledger schema version inside.
    pub schema: i64,
    /// How many operations it holds.
    pub operations: i64,
    /// When its newest operation was recorded (Unix ms), if it has any.
    pub newest_operation_at: Option<i64>,
    /// Its size in bytes.
    pub bytes: u64,
}

/// Why a file cannot be restored.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RestoreProblem {
    #[error("it cannot be read ({0})")]
    Unreadable(String),
    #[error("it is damaged (SQLite: {0})")]
    Damaged(String),
    #[error(
        "it was made by a newer saldo (schema {found}; this saldo knows up to {supported}): \
         install the newer saldo to restore it"
    )]
    Newer { found: i64, supported: i64 },
    #[error("it is not a saldo ledger")]
    NotALedger,
}

/// What a restore did.
#[derive(Clone, Debug)]
pub struct Restored {
    /// The file that is now the ledger's content.
    pub from: BackupFacts,
    /// Where the ledger as it was before is kept.
    pub previous_kept_at: PathBuf,
}

/// The backup folder of a data folder.
pub fn backups_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(BACKUP_FOLDER)
}

fn backup_error(path: &Path, reason: impl std::fmt::Display) -> LedgerError {
    LedgerError::Backup {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

fn not_restorable(path: &Path, problem: RestoreProblem) -> LedgerError {
    LedgerError::NotRestorable {
        path: path.to_path_buf(),
        problem,
    }
}

fn unreadable(path: &Path, error: &rusqlite::Error) -> LedgerError {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => not_restorable(path, RestoreProblem::NotALedger),
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
            not_restorable(path, RestoreProblem::Damaged(sqlite_reason(error)))
        }
        _ => not_restorable(path, RestoreProblem::Unreadable(sqlite_reason(error))),
    }
}

/// A file name with the time in it, e.g. `before-restore-20261123-101500.sqlite3`.
pub fn stamped_name(prefix: &str) -> String {
    let stamp = jiff::Zoned::now().strftime("%Y%m%d-%H%M%S");
    format!("{prefix}{stamp}{BACKUP_SUFFIX}")
}

impl Ledger {
    /// Writes a consistent copy of the ledger to `out` (replacing it) while the ledger stays in
    /// use, and checks the copy.
    pub fn backup_to(&self, out: &Path) -> Result<BackupFacts, LedgerError> {
        backup_file(self.path(), out)
    }

    /// Replaces the ledger's content with the backup `file` after checking it; the ledger as
    /// it was is first kept aside in `backups/`. Operations made after the backup was taken
    /// are only in the ledger kept aside.
    pub fn restore_from(&self, file: &Path) -> Result<Restored, LedgerError> {
        let facts = check_backup(file)?;
        let data_dir = self.path().parent().unwrap_or(Path::new("."));
        let aside = backups_dir(data_dir).join(stamped_name("before-restore-"));
        std::fs::create_dir_all(backups_dir(data_dir)).map_err(|e| backup_error(&aside, e))?;
        self.backup_to(&aside)?;

        let source = open_read_only(file)?;
        let mut conn = self.conn();
        {
            let backup =
                rusqlite::backup::Backup::new(&source, &mut conn).map_err(super::write_error)?;
            copy_in_one_step(&backup).map_err(super::write_error)?;
        }
        // An older saldo's backup is brought up to this saldo's schema.
        migrations::apply(&mut conn).map_err(super::write_error)?;
        tracing::warn!(
            from = %file.display(),
            operations = facts.operations,
            kept_aside = %aside.display(),
            "the ledger was restored from a backup"
        );
        Ok(Restored {
            from: facts,
            previous_kept_at: aside,
        })
    }
}

/// Copies every page in one step, so the copy is one moment of the source. A source or target
/// busy with another program's write is waited for (up to 10 s).
fn copy_in_one_step(backup: &rusqlite::backup::Backup<'_, '_>) -> rusqlite::Result<()> {
    use rusqlite::backup::StepResult;
    let give_up = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More | StepResult::Busy | StepResult::Locked
                if std::time::Instant::now() < give_up =>
            {
                std::thread::sleep(Duration::from_millis(50));
            }
            _ => {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                    Some("the ledger stayed busy for 10 seconds".into()),
                ));
            }
        }
    }
}

/// Copies the ledger file `ledger` to `out` with the online backup API (one step: one moment),
/// through `OUT.partial` renamed into place, and checks the copy.
pub fn backup_file(ledger: &Path, out: &Path) -> Result<BackupFacts, LedgerError> {
    let partial = out.with_file_name(format!(
        "{}.partial",
        out.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "backup".into())
    ));
    let _ = std::fs::remove_file(&partial);
    let copy = || -> Result<(), LedgerError> {
        let source = open_read_only(ledger)?;
        let mut target =
            Connection::open(&partial).map_err(|e| backup_error(out, sqlite_reason(&e)))?;
        let backup = rusqlite::backup::Backup::new(&source, &mut target)
            .map_err(|e| backup_error(out, sqlite_reason(&e)))?;
        copy_in_one_step(&backup).map_err(|e| backup_error(out, sqlite_reason(&e)))?;
        drop(backup);
        // A backup is one file: no journal beside it.
        target
            .pragma_update(None, "journal_mode", "DELETE")
            .map_err(|e| backup_error(out, sqlite_reason(&e)))?;
        drop(target);
        std::fs::File::open(&partial)
            .and_then(|f| f.sync_all())
            .map_err(|e| backup_error(out, e))?;
        std::fs::rename(&partial, out).map_err(|e| backup_error(out, e))
    };
    if let Err(error) = copy() {
        let _ = std::fs::remove_file(&partial);
        return Err(error);
    }
    let facts = check_backup(out)?;
    tracing::info!(
        out = %out.display(),
        operations = facts.operations,
        bytes = facts.bytes,
        "ledger backed up"
    );
    Ok(facts)
}

/// Checks that `file` is a sound saldo ledger this saldo can use: SQLite's `integrity_check`
/// passes, its schema version is one this saldo knows, and it has saldo's tables.
pub fn check_backup(file: &Path) -> Result<BackupFacts, LedgerError> {
    let bytes = std::fs::metadata(file)
        .map_err(|e| not_restorable(file, RestoreProblem::Unreadable(e.to_string())))?
        .len();
    let conn = Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| unreadable(file, &e))?;
    let sqlite_failure = |e: rusqlite::Error| unreadable(file, &e);
    let verdict: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(sqlite_failure)?;
    if verdict != ["ok"] {
        return Err(not_restorable(
            file,
            RestoreProblem::Damaged(verdict.join("; ")),
        ));
    }
    let schema = migrations::current_version(&conn).map_err(sqlite_failure)?;
    let supported = migrations::latest_version();
    if schema > supported {
        return Err(not_restorable(
            file,
            RestoreProblem::Newer {
                found: schema,
                supported,
            },
        ));
    }
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' \
             AND name IN ('profiles', 'transactions', 'transaction_events')",
            [],
            |r| r.get(0),
        )
        .map_err(sqlite_failure)?;
    if schema < 1 || tables != 3 {
        return Err(not_restorable(file, RestoreProblem::NotALedger));
    }
    let (operations, newest_operation_at) = conn
        .query_row(
            "SELECT count(*), max(created_at) FROM transactions",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(sqlite_failure)?;
    Ok(BackupFacts {
        path: file.to_path_buf(),
        schema,
        operations,
        newest_operation_at,
        bytes,
    })
}

/// What the automatic daily backup did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DailyBackup {
    /// Today's backup.
    pub path: PathBuf,
    /// Whether it was made now (it may have been made earlier today).
    pub made_now: bool,
    /// How many older daily backups were removed to keep the count.
    pub removed: usize,
}

/// Today's automatic backup, unless it exists; then only the newest `keep` daily backups are
/// kept.
pub fn daily_backup(ledger: &Ledger, keep: usize) -> Result<DailyBackup, LedgerError> {
    let data_dir = ledger.path().parent().unwrap_or(Path::new("."));
    let folder = backups_dir(data_dir);
    std::fs::create_dir_all(&folder).map_err(|e| backup_error(&folder, e))?;
    let today = jiff::Zoned::now().strftime("%Y-%m-%d").to_string();
    let path = folder.join(format!("{DAILY_PREFIX}{today}{BACKUP_SUFFIX}"));
    let made_now = !path.exists();
    if made_now {
        ledger.backup_to(&path)?;
    }
    let mut removed = 0;
    for old in daily_backups(data_dir).into_iter().skip(keep.max(1)) {
        if std::fs::remove_file(old).is_ok() {
            removed += 1;
        }
    }
    Ok(DailyBackup {
        path,
        made_now,
        removed,
    })
}

/// The automatic daily backups of a data folder, newest first.
pub fn daily_backups(data_dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(backups_dir(data_dir))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(DAILY_PREFIX) && n.ends_with(BACKUP_SUFFIX))
        })
        .collect();
    found.sort();
    found.reverse();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_daily_backup_a_day_and_only_the_newest_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open_in(dir.path()).unwrap();
        let folder = backups_dir(dir.path());
        std::fs::create_dir_all(&folder).unwrap();
        for day in ["2020-01-01", "2020-01-02", "2020-01-03"] {
            std::fs::write(
                folder.join(format!("{DAILY_PREFIX}{day}{BACKUP_SUFFIX}")),
                "old",
            )
            .unwrap();
        }
        std::fs::write(
            folder.join("before-restore-20200101-000000.sqlite3"),
            "kept",
        )
        .unwrap();

        let first = daily_backup(&ledger, 2).unwrap();
        assert!(first.made_now);
        assert_eq!(first.removed, 2);
        check_backup(&first.path).expect("a sound backup");
        let again = daily_backup(&ledger, 2).unwrap();
        assert_eq!(
            (again.path.clone(), again.made_now),
            (first.path.clone(), false)
        );
        let left = daily_backups(dir.path());
        assert_eq!(left.len(), 2);
        assert_eq!(left[0], first.path, "newest first");
        assert!(left[1].ends_with("daily-2020-01-03.sqlite3"));
        // Ledgers kept aside by a restore are never pruned.
        assert!(
            folder
                .join("before-restore-20200101-000000.sqlite3")
                .exists()
        );
    }
}
