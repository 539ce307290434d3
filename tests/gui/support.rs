//! Driving the real app with egui_kittest over the in-process demo simulator: build it, run
//! frames until something shows, find widgets by their accessible labels, read the ledger.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use saldo::ledger::TxRecord;
use saldo::simulator::{SabaPayamakState, SimConfig};
use saldo::ui::backend::{FileAnswer, FileDialog, FileQuestion};
use saldo::ui::services::DEMO_PROFILE;
use saldo::ui::text::i18n::{Language, set_language};
use saldo::ui::{Panel, SaldoApp, Services};

pub type App = Harness<'static, SaldoApp>;

/// How long background work (a provider over loopback, a ledger read) may take in a test.
pub const PATIENCE: Duration = Duration::from_secs(45);

/// What the file dialog answers in a test (`None`: the person cancels).
#[derive(Clone, Debug, Default)]
pub struct FileAnswers {
    pub export_to: Option<PathBuf>,
    pub backup_to: Option<PathBuf>,
    pub restore_from: Option<PathBuf>,
    /// No dialog can be shown at all (a session without a desktop portal).
    pub no_dialog: bool,
}

impl FileAnswers {
    /// The dialog answering so; without a dialog, files go to `Documents` in `data_dir`.
    pub fn dialog(self, data_dir: &Path) -> FileDialog {
        let answer = move |chosen: &Option<PathBuf>| match (self.no_dialog, chosen) {
            (true, _) => FileAnswer::Unavailable,
            (false, Some(path)) => FileAnswer::Chosen(path.clone()),
            (false, None) => FileAnswer::Cancelled,
        };
        let answers = self;
        FileDialog {
            ask: Arc::new(move |question: &FileQuestion| match question {
                FileQuestion::SaveCsv { .. } => answer(&answers.export_to),
                FileQuestion::SaveBackup { .. } => answer(&answers.backup_to),
                FileQuestion::OpenBackup { .. } => answer(&answers.restore_from),
            }),
            fallback_folder: fallback_folder(data_dir),
        }
    }
}

/// Where a test's app saves when no dialog can be shown.
pub fn fallback_folder(data_dir: &Path) -> PathBuf {
    data_dir.join("Documents")
}

/// The demo app in `dir`, its exports saved to `export_to` (or cancelled, without one).
pub fn demo_app_with(dir: &Path, export_to: Option<PathBuf>) -> App {
    let answers = FileAnswers {
        export_to,
        ..FileAnswers::default()
    };
    build_demo_app(dir, answers, false)
}

/// The demo app in `dir` with the file dialog answering `answers`.
pub fn demo_app_with_files(dir: &Path, answers: FileAnswers) -> App {
    build_demo_app(dir, answers, false)
}

/// The demo app in `dir`, drawn by wgpu (on the software adapter) for snapshots, with the
/// system's theme set to `theme` (the app follows the system's theme by default).
/// The simulated accounts are as they stand on a fixed day, so balances are the same each run.
pub fn demo_app_rendered(dir: &Path, theme: egui::Theme) -> App {
    let day = jiff::civil::date(2026, 12, 1);
    let config = SimConfig {
        sabapayamak: SabaPayamakState::demo_as_of(day),
        ..SimConfig::default()
    };
    let services = Services::demo_with(dir, config).expect("demo services start");
    build_app_at(
        services,
        FileAnswers::default(),
        Some(theme),
        [1100.0, 720.0],
    )
}

/// The demo app in `dir` in a window of `size` points.
pub fn demo_app_sized(dir: &Path, size: [f32; 2]) -> App {
    build_demo_app_at(dir, FileAnswers::default(), None, size)
}

fn build_demo_app(dir: &Path, answers: FileAnswers, rendered: bool) -> App {
    let theme = rendered.then_some(egui::Theme::Dark);
    build_demo_app_at(dir, answers, theme, [1100.0, 720.0])
}

/// `rendered_in`: drawn by wgpu, in this system theme.
fn build_demo_app_at(
    dir: &Path,
    answers: FileAnswers,
    rendered_in: Option<egui::Theme>,
    size: [f32; 2],
) -> App {
    let services = Services::demo_in(dir).expect("demo services start");
    build_app_at(services, answers, rendered_in, size)
}

fn build_app_at(
    services: Services,
    answers: FileAnswers,
    rendered_in: Option<egui::Theme>,
    size: [f32; 2],
) -> App {
    set_language(Language::English);
    let dialog = answers.dialog(services.data_dir());
    let mut builder = Harness::builder().with_size(size);
    if let Some(theme) = rendered_in {
        builder = builder.wgpu().with_theme(theme);
    }
    let mut harness =
        builder.build_eframe(move |cc| SaldoApp::with_file_dialog(cc, services, dialog));
    // Every window opens on the counter; the language is English unless a test changes it.
    harness.state_mut().show_panel(Panel::Counter);
    set_language(Language::English);
    harness.step();
    harness
}

/// A real shop's app (not the demo) with its data in `dir`: its own ledger, the keychain for
/// secrets (not touched unless a secret is saved or read). "Try the demo" records the data
/// folder it would open the demo with in `demo_opened`, instead of starting a process.
pub fn real_app(dir: &Path, demo_opened: Arc<std::sync::Mutex<Vec<PathBuf>>>) -> App {
    set_language(Language::English);
    let services = Services::real(Some(dir.to_path_buf())).expect("the shop's services start");
    let dialog = FileAnswers::default().dialog(dir);
    let mut harness = Harness::builder()
        .with_size([1100.0, 720.0])
        .build_eframe(move |cc| {
            let mut app = SaldoApp::with_file_dialog(cc, services, dialog);
            app.set_demo_launcher(Arc::new(move |data_dir: &Path| {
                demo_opened.lock().unwrap().push(data_dir.to_path_buf());
                Ok(())
            }));
            app
        });
    harness.state_mut().show_panel(Panel::Counter);
    harness.step();
    harness
}

/// The demo app in `dir`.
pub fn demo_app(dir: &Path) -> App {
    demo_app_with(dir, None)
}

/// Sets the demo QvaTel profile's request timeout (seconds), for timeout tests.
pub fn set_timeout(harness: &App, secs: u64) {
    let ledger = harness.state().services().engine.ledger();
    let mut profile = ledger.profile(DEMO_PROFILE).unwrap();
    profile.settings.request_timeout_secs = secs;
    ledger
        .update_profile(DEMO_PROFILE, &profile.base_url, &profile.settings)
        .unwrap();
}

/// Runs frames until `done` holds, failing after [`PATIENCE`].
pub fn run_until(harness: &mut App, what: &str, done: impl Fn(&App) -> bool) {
    let start = Instant::now();
    loop {
        harness.step();
        if done(harness) {
            return;
        }
        if start.elapsed() >= PATIENCE {
            let saved = save_screen(harness, what);
            panic!("timed out waiting for {what}; what was on screen: {saved}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Saves what the window shows (every accessible node's role, label and value, and an image
/// when the harness draws with wgpu) under `target/gui-timeouts/`, named after the test;
/// returns where.
pub fn save_screen(harness: &mut App, what: &str) -> String {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/gui-timeouts");
    let test = std::thread::current()
        .name()
        .unwrap_or("gui-test")
        .replace("::", "-");
    let name: String = format!("{test}-{what}")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(120)
        .collect();
    let _ = std::fs::create_dir_all(&folder);
    let lines: Vec<String> = harness
        .query_all_by(|_| true)
        .filter_map(|node| {
            let node = node.accesskit_node();
            let label = node.label()?;
            let value = node.value().map(|v| format!(" = {v}")).unwrap_or_default();
            Some(format!("{:?}: {label}{value}", node.role()))
        })
        .collect();
    let text = folder.join(format!("{name}.txt"));
    let mut saved = vec![text.display().to_string()];
    let _ = std::fs::write(&text, lines.join("\n"));
    if let Ok(image) = harness.render() {
        let png = folder.join(format!("{name}.png"));
        if image.save(&png).is_ok() {
            saved.push(png.display().to_string());
        }
    }
    saved.join(" and ")
}

/// Runs frames until `text` shows.
pub fn wait_for(harness: &mut App, text: &str) {
    let owned = text.to_string();
    run_until(harness, text, move |h| shows(h, &owned));
}

/// Whether some widget's label contains `text`.
pub fn shows(harness: &App, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

/// Clicks the panel's button in the side bar.
pub fn open_panel(harness: &mut App, title: &str) {
    // The Review button carries a count: "Needs review (3)".
    harness
        .get_by(|n| n.role() == Role::Button && n.label().is_some_and(|l| l.starts_with(title)))
        .click();
    harness.run_steps(2);
}

/// Runs frames until a button labelled `label` is on screen.
pub fn wait_for_button(harness: &mut App, label: &str) {
    let owned = label.to_string();
    run_until(harness, label, move |h| {
        h.query_by_role_and_label(Role::Button, &owned).is_some()
    });
}

/// Runs frames until the button labelled `label` is on screen and enabled (the counter's
/// "Send top-up" waits a moment after the review appears).
pub fn wait_for_enabled_button(harness: &mut App, label: &str) {
    let owned = label.to_string();
    run_until(harness, label, move |h| {
        h.query_by_role_and_label(Role::Button, &owned)
            .is_some_and(|b| !b.accesskit_node().is_disabled())
    });
}

/// Clicks the button labelled `label` (not a heading or text that says the same).
pub fn click(harness: &mut App, label: &str) {
    harness.get_by_role_and_label(Role::Button, label).click();
    harness.run_steps(2);
}

/// The newest rows of the app's ledger.
pub fn ledger_rows(harness: &App, limit: usize) -> Vec<TxRecord> {
    let ledger = harness.state().services().engine.ledger();
    ledger.history_page(None, limit).expect("ledger readable")
}

/// How many operations the ledger holds.
pub fn ledger_count(harness: &App) -> usize {
    let ledger = harness.state().services().engine.ledger();
    let reader = ledger.reader().unwrap();
    reader
        .summary(&saldo::ledger::HistoryFilter::default(), 0)
        .unwrap()
        .count as usize
}

/// Types into the field labelled `label`.
pub fn type_into(harness: &mut App, label: &str, text: &str) {
    let field = text_field(harness, label);
    field.focus();
    field.type_text(text);
    harness.run_steps(2);
}

/// The text field labelled `label` (not a heading or column that says the same).
pub fn text_field<'a>(harness: &'a App, label: &'a str) -> egui_kittest::Node<'a> {
    harness.get_by(|n| {
        matches!(
            n.role(),
            Role::TextInput | Role::MultilineTextInput | Role::PasswordInput
        ) && n.label().as_deref() == Some(label)
    })
}

/// Opens a labelled drop-down, scrolls to an option and picks it; returns the drop-down's value.
pub fn choose(harness: &mut App, dropdown: &str, option: &str) -> Option<String> {
    harness
        .get_by_role_and_label(Role::ComboBox, dropdown)
        .click();
    harness.run_steps(2);
    let is_option = |n: &egui_kittest::kittest::AccessKitNode<'_>| {
        n.role() != Role::Label && n.label().as_deref() == Some(option)
    };
    harness.get_by(is_option).scroll_to_me();
    harness.run_steps(4);
    harness.get_by(is_option).click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::ComboBox, dropdown)
        .value()
}

/// At the counter: types the number, picks the amount, reviews and sends.
pub fn send_top_up(harness: &mut App, number: &str, amount: &str) {
    type_into(harness, "Customer number", number);
    harness.get_by_label(amount).click();
    harness.run_steps(2);
    click(harness, "Review");
    wait_for_enabled_button(harness, "Send top-up");
    click(harness, "Send top-up");
}

/// A real shop's app whose ledger is the shop's server at `address`, as the counter `counter`.
pub fn server_app(dir: &Path, address: &str, counter: &str) -> App {
    server_app_drawn(dir, address, counter, None, [1100.0, 720.0])
}

/// Like [`server_app`], `size` points large and, with a theme, drawn by wgpu in it.
pub fn server_app_drawn(
    dir: &Path,
    address: &str,
    counter: &str,
    theme: Option<egui::Theme>,
    size: [f32; 2],
) -> App {
    let services = Services::real_on(Some(dir.to_path_buf()), Some(address), Some(counter))
        .expect("the shop's services start on the server");
    build_app_at(services, FileAnswers::default(), theme, size)
}
