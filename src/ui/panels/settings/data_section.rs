//! Settings › "Your data and backups": where the ledger, logs, backups and secrets are; a backup
//! now, restoring one (checked first, then confirmed), and the automatic daily backup.

use std::path::Path;

use egui::RichText;

use crate::domain::time::local_text;
use crate::ledger::backup::{DailyBackup, backups_dir};
use crate::ledger::{BackupFacts, Restored};
use crate::t;
use crate::ui::backend::Command;
use crate::ui::prefs::Prefs;
use crate::ui::theme::{FAILURE, SUCCESS, WARNING};

/// The section's state.
#[derive(Default)]
pub struct DataSection {
    /// A checked backup waiting for the person's confirmation.
    confirm_restore: Option<BackupFacts>,
    /// A backup or restore is under way.
    working: bool,
    message: Option<(egui::Color32, String)>,
    /// Today's automatic backup, once it was made or found.
    daily: Option<Result<DailyBackup, String>>,
}

impl DataSection {
    /// Takes the result of "Back up now".
    pub fn backed_up(&mut self, result: Result<Option<BackupFacts>, String>) {
        self.working = false;
        self.message = match result {
            Ok(Some(facts)) => Some((
                SUCCESS,
                t!(
                    "data-backup-done",
                    count = facts.operations,
                    path = facts.path.display().to_string()
                ),
            )),
            Ok(None) => None,
            Err(error) => Some((FAILURE, error)),
        };
    }

    /// Takes a backup chosen for restoring, once checked.
    pub fn restore_checked(&mut self, result: Result<Option<BackupFacts>, String>) {
        self.working = false;
        match result {
            Ok(facts) => {
                self.confirm_restore = facts;
                self.message = None;
            }
            Err(error) => self.message = Some((FAILURE, error)),
        }
    }

    /// Takes the result of a restore.
    pub fn restored(&mut self, result: &Result<Restored, String>) {
        self.working = false;
        self.confirm_restore = None;
        self.message = Some(match result {
            Ok(restored) => (
                SUCCESS,
                t!(
                    "data-restore-done",
                    count = restored.from.operations,
                    added = restored.merged.operations_added,
                    kept = restored.merged.operations_kept,
                    aside = restored.previous_kept_at.display().to_string()
                ),
            ),
            Err(error) => (FAILURE, error.clone()),
        });
    }

    /// Takes the result of the automatic daily backup.
    pub fn daily_done(&mut self, result: Result<DailyBackup, String>) {
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

/// The section, folded until opened. `selling` is true while an operation is being sent:
/// a restore waits for it.
pub fn data_section_ui(
    ui: &mut egui::Ui,
    section: &mut DataSection,
    prefs: &mut Prefs,
    data_dir: &Path,
    demo: bool,
    selling: bool,
    run: &mut dyn FnMut(Command),
) {
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
                let idle = !section.working && section.confirm_restore.is_none();
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
            if let Some((colour, text)) = &section.message {
                ui.colored_label(*colour, text);
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
            ui.colored_label(FAILURE, t!("data-daily-failed", reason = error.as_str()));
        }
        None => {}
    }
}
