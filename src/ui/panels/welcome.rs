//! The first run: a shop with no provider profile yet is greeted with what saldo does, two ways
//! to start (try the demo in its own window, or add the first provider) and where its data and
//! secrets are kept — in the language picked right there.

use std::path::Path;
use std::sync::Arc;

use egui::RichText;

use crate::t;
use crate::ui::panels::settings::language_picker_ui;
use crate::ui::text::i18n::Language;
use crate::ui::theme::FAILURE;

/// Opens the demo in a window of its own, beside this one (tests record the call instead).
pub type DemoLauncher = Arc<dyn Fn(&Path) -> Result<(), String> + Send + Sync>;

/// Starts `saldo --demo` with the same data folder (the demo keeps its own ledger inside it).
pub fn native_demo_launcher() -> DemoLauncher {
    Arc::new(|data_dir: &Path| {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut child = std::process::Command::new(exe)
            .arg("--demo")
            .arg("--data-dir")
            .arg(data_dir)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?;
        // Collects the demo's exit status whenever it closes, so it leaves no zombie.
        std::thread::spawn(move || child.wait());
        Ok(())
    })
}

/// What the person chose on the welcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WelcomeChoice {
    TryDemo,
    AddProvider,
}

/// The welcome's state: what happened when the demo was asked for.
#[derive(Default)]
pub struct Welcome {
    pub demo_outcome: Option<Result<(), String>>,
}

/// The welcome. Returns the person's choice, if they made one this frame.
pub fn welcome_ui(
    ui: &mut egui::Ui,
    welcome: &Welcome,
    data_dir: &Path,
    language: &mut Option<Language>,
) -> Option<WelcomeChoice> {
    let mut choice = None;
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.set_max_width(720.0);
        language_picker_ui(ui, "welcome-language", language);
        ui.add_space(12.0);
        ui.heading(RichText::new(t!("welcome-title")).size(28.0));
        ui.add_space(6.0);
        ui.label(RichText::new(t!("welcome-intro")).size(16.0));
        ui.add_space(16.0);

        let big = |text: String| {
            egui::Button::new(RichText::new(text).size(18.0)).min_size(egui::vec2(280.0, 44.0))
        };
        ui.horizontal(|ui| {
            if ui.add(big(t!("welcome-add-provider"))).clicked() {
                choice = Some(WelcomeChoice::AddProvider);
            }
            if ui.add(big(t!("welcome-try-demo"))).clicked() {
                choice = Some(WelcomeChoice::TryDemo);
            }
        });
        ui.label(RichText::new(t!("welcome-demo-help")).weak());
        match &welcome.demo_outcome {
            Some(Ok(())) => {
                ui.label(t!("welcome-demo-opened"));
            }
            Some(Err(error)) => {
                ui.colored_label(FAILURE, t!("welcome-demo-failed", reason = error.as_str()));
            }
            None => {}
        }

        ui.add_space(20.0);
        ui.strong(t!("welcome-where-title"));
        let ledger = data_dir.join(crate::ledger::FILE_NAME);
        for line in [
            t!("welcome-where-ledger", path = ledger.display().to_string()),
            t!("welcome-where-secrets"),
            t!(
                "welcome-where-logs",
                path = crate::logging::logs_dir(data_dir).display().to_string()
            ),
            t!(
                "welcome-where-backups",
                path = crate::ledger::backup::backups_dir(data_dir)
                    .display()
                    .to_string()
            ),
        ] {
            ui.label(format!("•  {line}"));
        }
    });
    choice
}
