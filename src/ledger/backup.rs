//! Backups of the ledger and restoring one.
//!
//! A backup is SQLite's online backup of the whole file, taken on a reading connection in one
//! step: in WAL mode that is one consistent moment of the ledger, and sales go on while it is
//! copied. It is written beside its destination and renamed into place, then checked.
//!
//! A restore first checks the file (`integrity_check`, a saldo schema this saldo knows), keeps
//! the current ledger aside as a backup, and then merges the file *into* the live ledger in one
//! transaction — so a window that has the ledger open sees it, no file is swapped under a
//! running program, and no operation the ledger holds is ever forgotten.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::db::{Conn, Sql};
use super::{Ledger, LedgerError, Store, migrations, open_read_only, sqlite_write_error};

fn sqlite_reason(error: &rusqlite::Error) -> String {
    super::db::sqlite_error(error).reason
}

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
    #[error("{0} operation(s) are being sent right now: restore when they have finished")]
    InFlight(i64),
}

/// What a restore did.
#[derive(Clone, Debug)]
pub struct Restored {
    /// The file that is now the ledger's content.
    pub from: BackupFacts,
    /// Where the ledger as it was before is kept (a restore keeps it, a copy does not).
    pub previous_kept_at: Option<PathBuf>,
    /// What the merge brought back and kept.
    pub merged: super::merge::MergeCounts,
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

/// A file name with the local time `unix_ms` in it, e.g.
/// `before-restore-20261123-101500-123.sqlite3`.
pub fn stamped_name(prefix: &str, unix_ms: i64) -> String {
    let stamp = local(unix_ms).strftime("%Y%m%d-%H%M%S-%3f");
    format!("{prefix}{stamp}{BACKUP_SUFFIX}")
}

/// A ledger time in the machine's time zone.
fn local(unix_ms: i64) -> jiff::Zoned {
    jiff::Timestamp::from_millisecond(unix_ms)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned(jiff::tz::TimeZone::system())
}

/// Whether `out` names the ledger file itself (or its journal): a backup there would replace
/// the ledger under the running program.
fn is_the_ledger(ledger: &Path, out: &Path) -> bool {
    let canonical = |path: &Path| {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        let folder = parent.map_or_else(|| std::env::current_dir().ok(), |p| p.canonicalize().ok());
        folder.zip(path.file_name()).map(|(f, n)| f.join(n))
    };
    match (canonical(ledger), canonical(out)) {
        (Some(ledger), Some(out)) => {
            let ledger = ledger.to_string_lossy().into_owned();
            let out = out.to_string_lossy().into_owned();
            out == ledger || out == format!("{ledger}-wal") || out == format!("{ledger}-shm")
        }
        _ => false,
    }
}

impl Ledger {
    /// Writes a consistent copy of the ledger to `out` (replacing it) while the ledger stays in
    /// use, and checks the copy. On the shop's server the copy is one snapshot of it, written
    /// as a SQLite ledger (see [`super::snapshot`]).
    pub fn backup_to(&self, out: &Path) -> Result<BackupFacts, LedgerError> {
        match self.store() {
            Store::File(path) => {
                if is_the_ledger(path, out) {
                    return Err(backup_error(out, "that is the ledger itself"));
                }
                let source = open_read_only(path)?;
                copy_to_file(&source, out)
            }
            Store::Server { .. } => {
                let mut server = self.store().open_reader()?;
                write_checked(out, |partial| {
                    super::snapshot::export_server(&mut server, partial)
                })
            }
        }
    }

    /// Brings the backup `file` back after checking it, without forgetting anything: its
    /// operations, events and batch links are merged into the ledger as it stands (see
    /// [`super::merge`]), so operations made after the backup stay and a resumed batch never
    /// sends a row again. The ledger as it was is first kept aside in `backups/`. Refused while
    /// an operation is being sent; the check and the merge happen in one write transaction,
    /// so nothing can start being sent in between.
    pub fn restore_from(&self, file: &Path) -> Result<Restored, LedgerError> {
        self.merge_from(file, true)
    }

    /// Copies the ledger `file` (another counter's, or this shop's before it moved onto its
    /// server) into this ledger: the same checked merge as a restore, without keeping the
    /// ledger aside first. Copying the same file again copies nothing twice.
    pub fn copy_from(&self, file: &Path) -> Result<Restored, LedgerError> {
        if let Store::File(path) = self.store()
            && is_the_ledger(path, file)
        {
            return Err(not_restorable(
                file,
                RestoreProblem::Unreadable("that is this counter's own ledger".into()),
            ));
        }
        self.merge_from(file, false)
    }

    fn merge_from(&self, file: &Path, keep_aside: bool) -> Result<Restored, LedgerError> {
        let facts = check_backup(file)?;
        let data_dir = self.path().parent().unwrap_or(Path::new("."));
        let folder = backups_dir(data_dir);
        let aside = folder.join(stamped_name("before-restore-", self.now()));
        crate::paths::create_private_dir(&folder).map_err(|e| backup_error(&aside, e))?;
        // The file itself is never written: a copy of it, brought to this saldo's schema, is
        // what is merged.
        let staged = folder.join(stamped_name(".restoring-", self.now()));
        let merged = (|| {
            copy_to_file(&open_read_only(file)?, &staged)?;
            migrate_staged(file, &staged)?;
            match self.store() {
                Store::File(path) => self.merge_into_file(file, path, &staged, keep_aside, &aside),
                Store::Server { .. } => {
                    if keep_aside {
                        self.backup_to(&aside)?;
                    }
                    self.write(|sql| {
                        match in_flight_on_server(sql)? {
                            0 => {}
                            n => return Err(not_restorable(file, RestoreProblem::InFlight(n))),
                        }
                        super::snapshot::merge_file_into_server(sql, &staged)
                    })
                }
            }
        })();
        let _ = std::fs::remove_file(&staged);
        let merged = merged?;
        tracing::warn!(
            from = %file.display(),
            operations = facts.operations,
            added = merged.operations_added,
            kept = merged.operations_kept,
            kept_aside = keep_aside.then(|| aside.display().to_string()),
            "a ledger file was merged into the ledger"
        );
        Ok(Restored {
            from: facts,
            previous_kept_at: keep_aside.then_some(aside),
            merged,
        })
    }

    /// The merge on a SQLite ledger: the staged copy attached, under one write lock.
    fn merge_into_file(
        &self,
        file: &Path,
        ledger_path: &Path,
        staged: &Path,
        keep_aside: bool,
        aside: &Path,
    ) -> Result<super::merge::MergeCounts, LedgerError> {
        let mut guard = self.conn();
        let conn = guard
            .as_sqlite_mut()
            .expect("a file ledger has a SQLite connection");
        conn.execute(
            "ATTACH DATABASE ?1 AS restored",
            [staged.to_string_lossy().as_ref()],
        )
        .map_err(sqlite_write_error)?;
        let merged = guard.write(|sql| {
            match in_flight(self, sql)? {
                0 => {}
                n => return Err(not_restorable(file, RestoreProblem::InFlight(n))),
            }
            if keep_aside {
                // In WAL mode a reading connection sees the committed ledger.
                copy_to_file(&open_read_only(ledger_path)?, aside)?;
            }
            Ok(super::merge::merge_restored(sql, "restored.")?)
        });
        if let Some(conn) = guard.as_sqlite() {
            let _ = conn.execute("DETACH DATABASE restored", []);
        }
        merged
    }
}

/// Brings the staged copy of `file` to this saldo's schema.
fn migrate_staged(file: &Path, staged: &Path) -> Result<(), LedgerError> {
    let copy = Connection::open(staged).map_err(sqlite_write_error)?;
    migrations::apply(&mut Conn::Sqlite(copy)).map_err(|e| match e {
        migrations::MigrationError::Newer(found) => not_restorable(
            file,
            RestoreProblem::Newer {
                found,
                supported: migrations::latest_version(),
            },
        ),
        migrations::MigrationError::Store(e) => LedgerError::from(e),
    })
}

/// How many operations are on their way to a provider right now: recorded or sending, and
/// held by a live sender.
fn in_flight(ledger: &Ledger, sql: &mut Sql<'_>) -> Result<i64, LedgerError> {
    let references: Vec<String> = sql.rows(
        "SELECT reference FROM transactions WHERE state IN ('recorded', 'sending')",
        &[],
        |r| r.get(0),
    )?;
    let held = references
        .iter()
        .filter(|r| ledger.is_claimed(&crate::domain::Reference::from_text(r)))
        .count();
    Ok(held as i64)
}

/// On the shop's server: operations recorded or sending whose holder's lease is still live
/// by the server's clock.
fn in_flight_on_server(sql: &mut Sql<'_>) -> Result<i64, LedgerError> {
    Ok(sql.value(
        "SELECT count(*) FROM transactions t JOIN leases l ON l.key = t.reference
         WHERE t.state IN ('recorded', 'sending') AND l.expires_at > now()",
        &[],
    )?)
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

/// Copies the database behind `source` to `out` with the online backup API (one step: one
/// moment), through [`write_checked`].
fn copy_to_file(source: &Connection, out: &Path) -> Result<BackupFacts, LedgerError> {
    write_checked(out, |partial| {
        let failed = |e: rusqlite::Error| backup_error(out, sqlite_reason(&e));
        let mut target = Connection::open(partial).map_err(failed)?;
        let backup = rusqlite::backup::Backup::new(source, &mut target).map_err(failed)?;
        copy_in_one_step(&backup).map_err(failed)?;
        drop(backup);
        // A backup is one file: no journal beside it.
        target
            .pragma_update(None, "journal_mode", "DELETE")
            .map_err(failed)
            .map(drop)
    })
}

/// Writes a backup to `out` with `fill`, which writes a new SQLite ledger at the path it is
/// given (`OUT.partial`); that file is synced, checked, and only then renamed into place, so
/// a good earlier file at `out` is never replaced by a bad one.
fn write_checked(
    out: &Path,
    fill: impl FnOnce(&Path) -> Result<(), LedgerError>,
) -> Result<BackupFacts, LedgerError> {
    let partial = out.with_file_name(format!(
        "{}.partial",
        out.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "backup".into())
    ));
    let _ = std::fs::remove_file(&partial);
    let copy = || -> Result<BackupFacts, LedgerError> {
        fill(&partial)?;
        std::fs::File::open(&partial)
            .and_then(|f| f.sync_all())
            .map_err(|e| backup_error(out, e))?;
        let facts = check_backup(&partial).map_err(|e| match e {
            LedgerError::NotRestorable { problem, .. } => backup_error(out, problem),
            other => other,
        })?;
        std::fs::rename(&partial, out).map_err(|e| backup_error(out, e))?;
        if let Some(folder) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            // The rename itself survives a power cut once the folder is synced.
            let _ = std::fs::File::open(folder).and_then(|f| f.sync_all());
        }
        Ok(BackupFacts {
            path: out.to_path_buf(),
            ..facts
        })
    };
    let facts = copy().inspect_err(|_| {
        let _ = std::fs::remove_file(&partial);
    })?;
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
            // SQLite's own lines may hold line breaks: one line for the person, the first few.
            RestoreProblem::Damaged(
                verdict
                    .iter()
                    .flat_map(|l| l.lines())
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with("***"))
                    .take(3)
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        ));
    }
    let mut conn = Conn::Sqlite(conn);
    let schema = migrations::current_version(&mut conn)
        .map_err(|e| not_restorable(file, RestoreProblem::Unreadable(e.reason)))?;
    let conn = conn.as_sqlite().expect("opened as SQLite");
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
    crate::paths::create_private_dir(&folder).map_err(|e| backup_error(&folder, e))?;
    let today = local(ledger.now()).strftime("%Y-%m-%d").to_string();
    let path = folder.join(format!("{DAILY_PREFIX}{today}{BACKUP_SUFFIX}"));
    let made_now = !path.exists();
    if made_now {
        ledger.backup_to(&path)?;
    }
    let mut removed = 0;
    // Today's backup always counts as the newest, even when a wrong clock once named files
    // after days still to come.
    let others = daily_backups(data_dir).into_iter().filter(|p| *p != path);
    for old in others.skip(keep.max(1) - 1) {
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

    #[test]
    fn a_backup_never_replaces_the_ledger_itself() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open_in(dir.path()).unwrap();
        let before = std::fs::read(ledger.path()).unwrap();
        let error = ledger.backup_to(ledger.path()).unwrap_err();
        assert!(
            error.to_string().contains("that is the ledger itself"),
            "{error}"
        );
        let wal = dir.path().join("saldo.sqlite3-wal");
        assert!(ledger.backup_to(&wal).is_err());
        assert_eq!(std::fs::read(ledger.path()).unwrap(), before);
    }

    #[test]
    fn a_restore_waits_until_nothing_is_being_sent() {
        use crate::domain::{Money, Reference, Unit};
        use crate::ledger::{NewOperation, StateChange, TxKind};
        use crate::providers::ProviderKind;

        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open_in(dir.path()).unwrap();
        let kind = ProviderKind::Qvatel;
        let profile = ledger
            .add_profile(
                "cuba",
                kind,
                "https://qvatel.com/api",
                &kind.default_settings(),
            )
            .unwrap();
        let backup = dir.path().join("empty.sqlite3");
        ledger.backup_to(&backup).unwrap();
        let reference = Reference::generate();
        let sending = NewOperation {
            reference: &reference,
            kind: TxKind::TopUp,
            profile_id: profile.id,
            destination: "+5352942387",
            amount: Money::from_minor(2000, Unit::Usd),
            repeat_guard: None,
            request: None,
            batch_row: None,
        };
        let _sender = ledger.claim(&reference).unwrap().unwrap();
        ledger
            .record_sending(&sending, &StateChange::default())
            .unwrap();

        let error = ledger.restore_from(&backup).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("1 operation(s) are being sent right now"),
            "{error}"
        );
        assert!(
            ledger.transaction(&reference).is_ok(),
            "the ledger is unchanged"
        );
        let kept_aside = std::fs::read_dir(backups_dir(dir.path()))
            .map(|entries| entries.count())
            .unwrap_or(0);
        assert_eq!(kept_aside, 0, "nothing was kept aside: nothing changed");
    }
}
