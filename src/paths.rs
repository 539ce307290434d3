//! Where saldo keeps its files: the OS data directory, or `--data-dir` / `SALDO_DATA_DIR`.

use std::path::PathBuf;

/// The data directory: the one given, or the OS default (e.g. `~/.local/share/saldo`).
pub fn data_dir(given: Option<PathBuf>) -> Result<PathBuf, String> {
    if let Some(dir) = given {
        return Ok(dir);
    }
    directories::ProjectDirs::from("", "", "saldo")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or_else(|| {
            "cannot find a home folder for saldo's data: pass --data-dir DIR or set SALDO_DATA_DIR"
                .to_string()
        })
}

/// The separate data directory of the demo, so demo operations never mix with real ones.
pub fn demo_dir(data_dir: &std::path::Path) -> PathBuf {
    data_dir.join("demo")
}
