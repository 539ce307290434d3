//! The egui window. Panels are functions of (`&mut Ui`, their state) that emit commands; the
//! app runs them on its tokio runtime and drains the results every frame. No I/O on the UI
//! thread.

pub mod app;
pub mod backend;
pub mod panels;
pub mod prefs;
pub mod services;
pub mod shop;
pub mod text;
pub mod theme;
pub mod widgets;

use std::path::PathBuf;
use std::process::ExitCode;

pub use app::SaldoApp;
pub use panels::Panel;
pub use services::Services;

use crate::cli::Exit;

/// The window icon (also in `assets/icons/` for desktop entries and packages).
pub const ICON_PNG: &[u8] = include_bytes!("../../assets/icons/saldo-256.png");

/// The application id, shared by the window and the desktop entry.
pub const APP_ID: &str = "saldo";

/// Opens the window (the demo when `demo`) and returns when it is closed.
pub fn run_window(
    data_dir: Option<PathBuf>,
    ledger: Option<String>,
    terminal: Option<String>,
    demo: bool,
) -> ExitCode {
    let data_dir_for_prefs = data_dir.clone();
    let services = if demo {
        crate::paths::data_dir(data_dir)
            .and_then(|dir| Services::demo_in(&crate::paths::demo_dir(&dir)))
    } else {
        Services::real_on(data_dir, ledger.as_deref(), terminal.as_deref())
    };
    let services = match services {
        Ok(services) => services,
        Err(error) => {
            eprintln!("saldo: {error}");
            return Exit::Ledger.into();
        }
    };
    let title = if demo { "saldo - DEMO" } else { "saldo" };
    let mut viewport = egui::ViewportBuilder::default()
        .with_title(title)
        .with_app_id(APP_ID)
        .with_inner_size([1100.0, 720.0])
        .with_min_inner_size([760.0, 480.0]);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(ICON_PNG) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        renderer: eframe::Renderer::Wgpu,
        // The demo keeps its window size and panel apart from the real shop's.
        persistence_path: crate::paths::data_dir(data_dir_for_prefs).ok().map(|dir| {
            dir.join(if demo {
                "demo-window.ron"
            } else {
                "window.ron"
            })
        }),
        ..Default::default()
    };
    let result = eframe::run_native(
        APP_ID,
        options,
        Box::new(|cc| Ok(Box::new(SaldoApp::new(cc, services)))),
    );
    match result {
        Ok(()) => Exit::Ok.into(),
        Err(error) => {
            eprintln!(
                "saldo: cannot open the window ({error}). Is a desktop session running? The \
                 command line works without one: saldo --help"
            );
            Exit::Config.into()
        }
    }
}
