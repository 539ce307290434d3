//! A line saying where saldo wrote a file, with "Open folder" beside it.

use std::path::Path;

use crate::t;
use crate::ui::backend::open_folder;
use crate::ui::theme::FAILURE;

/// Draws `text` in `colour` and an "Open folder" button for the folder `path` is in. A folder
/// that cannot be opened is said in `problem`, under the line.
pub fn written_file_ui(
    ui: &mut egui::Ui,
    colour: egui::Color32,
    text: &str,
    path: &Path,
    problem: &mut Option<crate::ui::text::words::Words>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.colored_label(colour, text);
        if ui.button(t!("files-open-folder")).clicked() {
            let folder = path.parent().unwrap_or(path);
            *problem = open_folder(folder).err();
        }
    });
    if let Some(problem) = problem {
        ui.colored_label(FAILURE, &*problem);
    }
}
