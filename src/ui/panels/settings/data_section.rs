//! Settings › "Your data and backups": where the ledger, logs, backups and secrets are; a backup
//! now, restoring one (checked first, then confirmed), and the automatic daily backup. Without
//! a system file dialog, backups go to the documents folder and a restore offers saldo's own list.

use std::path::{Path, PathBuf};

use egui::RichText;

use crate::domain::time::local_text;
use crate::ledger::backup::{DailyBackup, backups_dir};
use crate::ledger::{BackupFacts, Restored};
use crate::t;
use crate::ui::backend::{BackupFile, BackupSaved, Command, RestoreChoice};
use crate::ui::panels::PanelContext;
use crate::ui::prefs::Prefs;
use crate::ui::text::words::Words;
use crate::ui::theme::{FAILURE, SUCCESS, WARNING};
use crate::ui::widgets::written_file::written_file_ui;

/// The section's state.
#[derive(Default)]
pub struct DataSection {
    /// A checked backup waiting for the person's confirmation.
    confirm_restore: Option<BackupFacts>,
    /// The backups saldo found itself, offered when no file dialog could be shown; the one
    /// picked, by index.
    found: Option<FoundBackups>,
    /// A backup or restore is under way.
    working: bool,
    /// The last backup's or restore's outcome, worded when it is drawn.
    message: Option<(egui::Color32, Words)>,
    /// The backup just written, for "Open folder".
    written: Option<PathBuf>,
    /// Why its folder could not be opened.
    open_problem: Option<Words>,
    /// Today's automatic backup, once it was made or found.
    daily: Option<Result<DailyBackup, Words>>,
}

/// saldo's own list of backups to restore from.
struct FoundBackups {
    backups: Vec<BackupFile>,
    searched: [PathBuf; 2],
    picked: Option<usize>,
}

impl DataSection {
    /// Takes the result of "Back up now".
    pub fn backed_up(&mut self, result: Result<Option<BackupSaved>, Words>) {
        self.working = false;
        self.open_problem = None;
        self.written = None;
        self.message = Some(match result {
            Ok(Some(saved)) => {
                let (count, path) = (
                    saved.facts.operations,
                    saved.facts.path.display().to_string(),
                );
                self.written = Some(saved.facts.path);
                let without_dialog = saved.without_dialog;
                let text = Words::new(move || {
                    let path = path.as_str();
                    if without_dialog {
                        t!("data-backup-done-no-dialog", count = count, path = path)
                    } else {
                        t!("data-backup-done", count = count, path = path)
                    }
                });
                (SUCCESS, text)
            }
            Ok(None) => (WARNING, Words::new(|| t!("data-backup-no-file"))),
            Err(error) => (FAILURE, error),
        });
    }

    /// Takes a backup chosen for restoring (checked), or the list to choose one from.
    pub fn restore_checked(&mut self, result: Result<RestoreChoice, Words>) {
        self.working = false;
        self.written = None;
        self.message = None;
        match result {
            Ok(RestoreChoice::Checked(facts)) => {
                self.found = None;
                self.confirm_restore = Some(facts);
            }
            Ok(RestoreChoice::Found { backups, searched }) => {
                if backups.is_empty() {
                    let folder = searched[0].display().to_string();
                    let documents = searched[1].display().to_string();
                    let text = Words::new(move || {
                        t!(
                            "data-restore-none-found",
                            folder = folder.as_str(),
                            documents = documents.as_str()
                        )
                    });
                    self.message = Some((WARNING, text));
                } else {
                    self.found = Some(FoundBackups {
                        backups,
                        searched,
                        picked: None,
                    });
                }
            }
            Ok(RestoreChoice::NoFileChosen) => {
                self.message = Some((WARNING, Words::new(|| t!("data-restore-no-file"))));
            }
            Err(error) => self.message = Some((FAILURE, error)),
        }
    }

    /// Takes the result of a restore.
    pub fn restored(&mut self, result: &Result<Restored, Words>) {
        self.working = false;
        self.confirm_restore = None;
        self.written = None;
        self.message = Some(match result {
            Ok(restored) => {
                let (count, added, kept) = (
                    restored.from.operations,
                    restored.merged.operations_added,
                    restored.merged.operations_kept,
                );
                // A restore always keeps the ledger as it was aside.
                let aside = restored
                    .previous_kept_at
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                let text = Words::new(move || {
                    t!(
                        "data-restore-done",
                        count = count,
                        added = added,
                        kept = kept,
                        aside = aside.as_str()
                    )
                });
                (SUCCESS, text)
            }
            Err(error) => (FAILURE, error.clone()),
        });
    }

    /// Takes the result of the automatic daily backup.
    pub fn daily_done(&mut self, result: Result<DailyBackup, Words>) {
        self.daily = Some(result);
    }

    /// Whether a backup or restore is under way.
    pub fn is_busy(&self) -> bool {
        self.working
    }
}

fn path_row(ui: &mut egui::Ui, label: String, path: &Path) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(label).strong());
        ui.label(RichText::new(path.display().to_string()).monospace());
    });
}

/// The section, folded until opened. A restore waits while an operation is being sent.
pub fn data_section_ui(ui: &mut egui::Ui, section: &mut DataSection, cx: &mut PanelContext<'_>) {
    let (prefs, data_dir, demo, selling) = (&mut *cx.prefs, cx.data_dir, cx.demo, cx.selling);
    let run = &mut *cx.run;
    egui::CollapsingHeader::new(t!("data-title"))
        .id_salt("data-and-backups")
        .show(ui, |ui| {
            path_row(ui, t!("data-folder"), data_dir);
            path_row(ui, t!("data-logs"), &crate::logging::logs_dir(data_dir));
            path_row(ui, t!("data-backups"), &backups_dir(data_dir));
            ui.label(if demo {
                t!("data-secrets-demo")
            } else {
                t!("data-secrets-keychain")
            });
            ui.label(RichText::new(t!("data-logs-help")).weak());
            ui.add_space(6.0);

            ui.horizontal(|ui| {
                let idle = !section.working
                    && section.confirm_restore.is_none()
                    && section.found.is_none();
                if ui
                    .add_enabled(idle, egui::Button::new(t!("data-backup-now")))
                    .clicked()
                {
                    section.working = true;
                    section.message = None;
                    run(Command::BackupNow);
                }
                let restore = ui
                    .add_enabled(idle && !selling, egui::Button::new(t!("data-restore")))
                    .on_disabled_hover_text(t!("data-restore-wait"));
                if restore.clicked() {
                    section.working = true;
                    section.message = None;
                    run(Command::ChooseRestore);
                }
                if section.working {
                    ui.spinner();
                }
            });
            if let Some(facts) = section.confirm_restore.clone() {
                confirm_restore_ui(ui, section, &facts, selling, run);
            }
            found_backups_ui(ui, section, run);
            match (&section.message, &section.written) {
                (Some((colour, words)), Some(path)) => {
                    let text = words.text();
                    written_file_ui(ui, *colour, &text, path, &mut section.open_problem);
                }
                (Some((colour, words)), None) => {
                    ui.colored_label(*colour, words.text());
                }
                (None, _) => {}
            }
            ui.add_space(6.0);
            daily_ui(ui, section, prefs);
        });
}

fn confirm_restore_ui(
    ui: &mut egui::Ui,
    section: &mut DataSection,
    facts: &BackupFacts,
    selling: bool,
    run: &mut dyn FnMut(Command),
) {
    let newest = facts
        .newest_operation_at
        .map_or_else(|| t!("data-no-operations"), local_text);
    ui.colored_label(
        WARNING,
        t!(
            "data-restore-confirm",
            path = facts.path.display().to_string(),
            count = facts.operations,
            newest = newest
        ),
    );
    ui.horizontal(|ui| {
        // One click restores once: the button is off while the restore runs.
        if ui
            .add_enabled(
                !selling && !section.working,
                egui::Button::new(t!("data-restore-yes")),
            )
            .clicked()
        {
            section.working = true;
            run(Command::Restore {
                path: facts.path.clone(),
            });
        }
        if ui
            .add_enabled(!section.working, egui::Button::new(t!("data-restore-no")))
            .clicked()
        {
            section.confirm_restore = None;
        }
    });
}

/// saldo's own chooser, when the system's dialog could not be opened: the backups it found,
/// newest first; the one picked is checked before anything is restored.
fn found_backups_ui(ui: &mut egui::Ui, section: &mut DataSection, run: &mut dyn FnMut(Command)) {
    let Some(found) = &mut section.found else {
        return;
    };
    ui.colored_label(WARNING, t!("data-restore-choose"));
    let [folder, documents] = &found.searched;
    ui.label(
        RichText::new(format!("{}  ·  {}", folder.display(), documents.display()))
            .monospace()
            .weak(),
    );
    egui::ScrollArea::vertical()
        .id_salt("found-backups")
        .max_height(200.0)
        .show(ui, |ui| {
            for (index, backup) in found.backups.iter().enumerate() {
                let name = backup
                    .path
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                let when = backup.modified_ms.map_or_else(String::new, local_text);
                let size = t!("data-backup-file-size", size = backup.bytes.div_ceil(1024));
                let row = ui
                    .selectable_label(
                        found.picked == Some(index),
                        format!("{name}    {when}    {size}"),
                    )
                    .on_hover_text(backup.path.display().to_string());
                if row.clicked() {
                    found.picked = Some(index);
                }
            }
        });
    let picked = found.picked.map(|i| found.backups[i].path.clone());
    let mut close = false;
    ui.horizontal(|ui| {
        if ui
            .add_enabled(
                picked.is_some() && !section.working,
                egui::Button::new(t!("data-restore-check")),
            )
            .clicked()
            && let Some(path) = picked
        {
            section.working = true;
            run(Command::CheckBackup { path });
        }
        if ui.button(t!("data-restore-list-cancel")).clicked() {
            close = true;
        }
    });
    if close {
        section.found = None;
    }
}

fn daily_ui(ui: &mut egui::Ui, section: &DataSection, prefs: &mut Prefs) {
    ui.horizontal(|ui| {
        ui.checkbox(&mut prefs.daily_backup, t!("data-daily"));
        let label = ui.label(t!("data-daily-keep"));
        ui.add_enabled(
            prefs.daily_backup,
            egui::DragValue::new(&mut prefs.backups_kept).range(1..=365),
        )
        .labelled_by(label.id);
    });
    match &section.daily {
        Some(Ok(daily)) => {
            ui.label(
                RichText::new(t!(
                    "data-daily-last",
                    path = daily.path.display().to_string()
                ))
                .weak(),
            );
        }
        Some(Err(error)) => {
            ui.colored_label(FAILURE, t!("data-daily-failed", reason = error));
        }
        None => {}
    }
}
