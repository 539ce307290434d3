//! The background work behind file dialogs: asking which file, and backing up or checking a
//! backup once the person has answered. Without a dialog (no desktop portal), exports and
//! backups go to a fallback folder and a restore offers the backups saldo finds itself.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::ledger::backup::{BACKUP_SUFFIX, backups_dir, check_backup, stamped_name};
use crate::ui::backend::{
    BackupFile, BackupSaved, FileAnswer, FileDialog, FileQuestion, RestoreChoice, Worker,
    join_error,
};
use crate::ui::text::words::Words;

/// The prefix of a backup the person asked for.
const BACKUP_PREFIX: &str = "saldo-backup-";

/// The native file dialogs, through the desktop portal on Linux; exports and backups land in
/// the user's documents folder when no dialog can be shown.
pub fn native_file_dialog(data_dir: &Path) -> FileDialog {
    FileDialog {
        ask: Arc::new(ask_native),
        fallback_folder: documents_folder(data_dir),
    }
}

fn ask_native(question: &FileQuestion) -> FileAnswer {
    if !file_chooser_available() {
        tracing::warn!("no file chooser: the desktop portal does not answer");
        return FileAnswer::Unavailable;
    }
    let chosen = match question {
        FileQuestion::SaveCsv { suggested } => rfd::FileDialog::new()
            .set_file_name(suggested)
            .add_filter("CSV", &["csv"])
            .save_file(),
        FileQuestion::SaveBackup { suggested } => rfd::FileDialog::new()
            .set_file_name(suggested)
            .add_filter("saldo backup", &["sqlite3"])
            .save_file(),
        FileQuestion::OpenBackup { folder } => rfd::FileDialog::new()
            .set_directory(folder)
            .add_filter("saldo backup", &["sqlite3"])
            .pick_file(),
    };
    chosen.map_or(FileAnswer::Cancelled, FileAnswer::Chosen)
}

/// Whether a native file chooser can be shown. On Linux rfd asks the desktop portal
/// (org.freedesktop.portal.FileChooser) and answers "cancelled" when the portal is missing, so
/// saldo asks the portal itself first: a session without one (a bare X session, a kiosk, a
/// container) gets the fallback instead of a dialog that never opens.
#[cfg(target_os = "linux")]
pub fn file_chooser_available() -> bool {
    let proxy = zbus::blocking::Connection::session().and_then(|bus| {
        zbus::blocking::proxy::Builder::<zbus::blocking::Proxy<'_>>::new(&bus)
            .destination("org.freedesktop.portal.Desktop")?
            .path("/org/freedesktop/portal/desktop")?
            .interface("org.freedesktop.portal.FileChooser")?
            .cache_properties(zbus::proxy::CacheProperties::No)
            .build()
    });
    match proxy.and_then(|p| p.get_property::<u32>("version")) {
        Ok(_) => true,
        Err(error) => {
            tracing::info!(%error, "the desktop portal's file chooser is not there");
            false
        }
    }
}

/// Whether a native file chooser can be shown (always, outside Linux).
#[cfg(not(target_os = "linux"))]
pub fn file_chooser_available() -> bool {
    true
}

/// The user's documents folder, else the home folder, else saldo's data folder.
fn documents_folder(data_dir: &Path) -> PathBuf {
    directories::UserDirs::new()
        .and_then(|dirs| {
            dirs.document_dir()
                .map(Path::to_path_buf)
                .or_else(|| Some(dirs.home_dir().to_path_buf()))
        })
        .filter(|dir| dir.is_dir())
        .unwrap_or_else(|| data_dir.to_path_buf())
}

/// `name` in `folder`, or `name-2`, `name-3`… when a file of that name is already there.
pub(crate) fn unused_path(folder: &Path, name: &str) -> PathBuf {
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() => (stem, Some(extension)),
        _ => (name, None),
    };
    let candidate = |n: u32| {
        let numbered = if n == 1 {
            stem.to_string()
        } else {
            format!("{stem}-{n}")
        };
        folder.join(match extension {
            Some(extension) => format!("{numbered}.{extension}"),
            None => numbered,
        })
    };
    (1..)
        .map(candidate)
        .find(|path| !path.exists())
        .expect("some number is free")
}

/// Where a file the person could not choose a place for goes: `suggested` in the fallback
/// folder (made when missing), never over an existing file.
fn fallback_path(dialog: &FileDialog, suggested: &str) -> Result<PathBuf, Words> {
    let folder = &dialog.fallback_folder;
    std::fs::create_dir_all(folder).map_err(|e| {
        let (path, reason) = (folder.display().to_string(), e.to_string());
        Words::new(move || {
            crate::t!(
                "files-folder-failed",
                path = path.as_str(),
                reason = reason.as_str()
            )
        })
    })?;
    Ok(unused_path(folder, suggested))
}

/// The backups in saldo's backup folder and, with the prefix a manual backup gets, in the
/// fallback folder: newest first.
fn backups_found(backups: &Path, fallback: &Path) -> Vec<BackupFile> {
    let in_folder = |folder: &Path, prefix: &'static str| {
        std::fs::read_dir(folder)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter(move |entry| {
                entry
                    .file_name()
                    .to_str()
                    .is_some_and(|name| name.starts_with(prefix) && name.ends_with(BACKUP_SUFFIX))
            })
            .filter_map(|entry| {
                let meta = entry.metadata().ok().filter(std::fs::Metadata::is_file)?;
                let modified_ms = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .and_then(|d| i64::try_from(d.as_millis()).ok());
                Some(BackupFile {
                    path: entry.path(),
                    modified_ms,
                    bytes: meta.len(),
                })
            })
            .collect::<Vec<_>>()
    };
    let mut found = in_folder(backups, "");
    if fallback != backups {
        found.extend(in_folder(fallback, BACKUP_PREFIX));
    }
    found.sort_by(|a, b| b.modified_ms.cmp(&a.modified_ms).then(b.path.cmp(&a.path)));
    found
}

/// Opens `folder` in the system's file manager.
pub fn open_folder(folder: &Path) -> Result<(), Words> {
    let opener = if cfg!(windows) {
        "explorer"
    } else if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let mut child = std::process::Command::new(opener)
        .arg(folder)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| {
            tracing::warn!(opener, error = %e, "could not open a folder");
            let (path, reason) = (folder.display().to_string(), e.to_string());
            Words::new(move || {
                crate::t!(
                    "files-open-failed",
                    path = path.as_str(),
                    reason = reason.as_str()
                )
            })
        })?;
    // Reaped when it ends, so no zombie stays behind.
    std::thread::spawn(move || child.wait());
    Ok(())
}

impl Worker {
    /// Asks the file dialog, off the runtime's threads (a real dialog blocks until answered).
    pub(crate) async fn ask_file(&self, question: FileQuestion) -> Result<FileAnswer, Words> {
        let ask = self.file_dialog.ask.clone();
        tokio::task::spawn_blocking(move || ask(&question))
            .await
            .map_err(join_error)
    }

    /// Where to write a file the person saves: chosen, or the fallback folder when no dialog
    /// can be shown (`true`); `None` when the person cancelled.
    pub(crate) async fn save_path(
        &self,
        question: FileQuestion,
    ) -> Result<Option<(PathBuf, bool)>, Words> {
        let suggested = match &question {
            FileQuestion::SaveCsv { suggested } | FileQuestion::SaveBackup { suggested } => {
                suggested.clone()
            }
            FileQuestion::OpenBackup { .. } => String::new(),
        };
        match self.ask_file(question).await? {
            FileAnswer::Chosen(path) => Ok(Some((path, false))),
            FileAnswer::Cancelled => Ok(None),
            FileAnswer::Unavailable => {
                let dialog = self.file_dialog.clone();
                tokio::task::spawn_blocking(move || fallback_path(&dialog, &suggested))
                    .await
                    .map_err(join_error)?
                    .map(|path| Some((path, true)))
            }
        }
    }

    /// Asks where, then writes a backup there.
    pub(crate) async fn backup_now(&self) -> Result<Option<BackupSaved>, Words> {
        let question = FileQuestion::SaveBackup {
            suggested: stamped_name(
                BACKUP_PREFIX,
                crate::domain::clock::Clock::now_ms(&crate::domain::clock::SystemClock),
            ),
        };
        let Some((path, without_dialog)) = self.save_path(question).await? else {
            return Ok(None);
        };
        let facts = self.ledger(move |l| l.backup_to(&path)).await?;
        Ok(Some(BackupSaved {
            facts,
            without_dialog,
        }))
    }

    /// Asks which backup, then checks it; the ledger is not touched. Without a dialog, the
    /// backups saldo finds are offered instead.
    pub(crate) async fn choose_restore(&self) -> Result<RestoreChoice, Words> {
        let ledger = self.engine.ledger().path();
        let folder = backups_dir(ledger.parent().unwrap_or(ledger));
        match self
            .ask_file(FileQuestion::OpenBackup {
                folder: folder.clone(),
            })
            .await?
        {
            FileAnswer::Chosen(path) => self.check_backup(path).await,
            FileAnswer::Cancelled => Ok(RestoreChoice::NoFileChosen),
            FileAnswer::Unavailable => {
                let fallback = self.file_dialog.fallback_folder.clone();
                tokio::task::spawn_blocking(move || RestoreChoice::Found {
                    backups: backups_found(&folder, &fallback),
                    searched: [folder, fallback],
                })
                .await
                .map_err(join_error)
            }
        }
    }

    /// Checks a backup file; the ledger is not touched.
    pub(crate) async fn check_backup(&self, path: PathBuf) -> Result<RestoreChoice, Words> {
        tokio::task::spawn_blocking(move || check_backup(&path))
            .await
            .map_err(join_error)?
            .map(RestoreChoice::Checked)
            .map_err(|e| Words::error(e, crate::ui::text::error_text::ledger_error_text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fallback_name_never_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let first = unused_path(dir.path(), "saldo-history-2026-12-03.csv");
        assert_eq!(first, dir.path().join("saldo-history-2026-12-03.csv"));
        std::fs::write(&first, "x").unwrap();
        let second = unused_path(dir.path(), "saldo-history-2026-12-03.csv");
        assert_eq!(second, dir.path().join("saldo-history-2026-12-03-2.csv"));
        std::fs::write(&second, "x").unwrap();
        assert_eq!(
            unused_path(dir.path(), "saldo-history-2026-12-03.csv"),
            dir.path().join("saldo-history-2026-12-03-3.csv")
        );
    }

    #[test]
    fn the_built_in_chooser_lists_saldos_backups_only() {
        let dir = tempfile::tempdir().unwrap();
        let backups = dir.path().join("backups");
        let documents = dir.path().join("Documents");
        std::fs::create_dir_all(&backups).unwrap();
        std::fs::create_dir_all(&documents).unwrap();
        for path in [
            backups.join("daily-20261202.sqlite3"),
            backups.join("before-restore-20261201-101500-000.sqlite3"),
            documents.join("saldo-backup-20261203-090000-000.sqlite3"),
            documents.join("holiday-photos.sqlite3"),
            documents.join("saldo-backup-notes.txt"),
        ] {
            std::fs::write(path, "x").unwrap();
        }
        let mut names: Vec<_> = backups_found(&backups, &documents)
            .into_iter()
            .map(|b| b.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "before-restore-20261201-101500-000.sqlite3",
                "daily-20261202.sqlite3",
                "saldo-backup-20261203-090000-000.sqlite3"
            ]
        );
    }
}
