//! The background work behind file dialogs: asking which file, and backing up or checking a
//! backup once the person has answered.

use std::path::PathBuf;

use crate::ledger::BackupFacts;
use crate::ledger::backup::{backups_dir, check_backup, stamped_name};
use crate::ui::backend::{FileDialog, FileQuestion, Worker, join_error};
use std::sync::Arc;

/// The native file dialogs through the desktop portal.
pub fn native_file_dialog() -> FileDialog {
    Arc::new(|question: &FileQuestion| match question {
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
    })
}

impl Worker {
    /// Asks the file dialog, off the runtime's threads (a real dialog blocks until answered).
    pub(crate) async fn ask_file(&self, question: FileQuestion) -> Result<Option<PathBuf>, String> {
        let dialog = self.file_dialog.clone();
        tokio::task::spawn_blocking(move || dialog(&question))
            .await
            .map_err(join_error)
    }

    /// Asks where, then writes a backup there.
    pub(crate) async fn backup_now(&self) -> Result<Option<BackupFacts>, String> {
        let question = FileQuestion::SaveBackup {
            suggested: stamped_name(
                "saldo-backup-",
                crate::domain::clock::Clock::now_ms(&crate::domain::clock::SystemClock),
            ),
        };
        let Some(path) = self.ask_file(question).await? else {
            return Ok(None);
        };
        self.ledger(move |l| l.backup_to(&path)).await.map(Some)
    }

    /// Asks which backup, then checks it; the ledger is not touched.
    pub(crate) async fn choose_restore(&self) -> Result<Option<BackupFacts>, String> {
        let ledger = self.engine.ledger().path();
        let folder = backups_dir(ledger.parent().unwrap_or(ledger));
        let Some(path) = self.ask_file(FileQuestion::OpenBackup { folder }).await? else {
            return Ok(None);
        };
        tokio::task::spawn_blocking(move || check_backup(&path))
            .await
            .map_err(join_error)?
            .map(Some)
            .map_err(|e| crate::ui::text::error_text::ledger_error_text(&e))
    }
}
