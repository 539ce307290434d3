//! The egui window. Panels are functions of (`&mut Ui`, their state) that emit commands; the
//! app runs them on its tokio runtime and drains the results every frame. No I/O on the UI
//! thread.

pub mod app;
pub mod backend;
pub mod history_panel;
pub mod services;
pub mod topup_panel;

use std::path::PathBuf;
use std::process::ExitCode;

pub use app::{Panel, SaldoApp};
pub use services::Services;

use crate::cli::Exit;

/// The application id, shared by the window and the desktop entry.
pub const APP_ID: &str = "saldo";

/// Opens the window (the demo when `demo`) and returns when it is closed.
pub fn run_window(data_dir: Option<PathBuf>, demo: bool) -> ExitCode {
    let services = if demo {
        crate::paths::data_dir(data_dir)
            .and_then(|dir| Services::demo_in(&crate::paths::demo_dir(&dir)))
    } else {
        Services::real(data_dir)
    };
    let services = match services {
        Ok(services) => services,
        Err(error) => {
            eprintln!("saldo: {error}");
            return Exit::Ledger.into();
        }
    };
    let title = if demo { "saldo - DEMO" } else { "saldo" };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(title)
            .with_app_id(APP_ID)
            .with_inner_size([1000.0, 680.0])
            .with_min_inner_size([640.0, 420.0]),
        renderer: eframe::Renderer::Wgpu,
        ..Default::default()
    };
    let result = eframe::run_native(
        APP_ID,
        options,
        Box::new(|cc| Ok(Box::new(SaldoApp::new(&cc.egui_ctx, services)))),
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
