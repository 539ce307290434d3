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

/// Makes a folder (and its parents) readable by this user only (0700 on Unix): the data
/// folder, logs, backups and crash reports hold customers' numbers and the shop's books.
/// A folder that already exists keeps the permissions it has.
pub fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Makes a file readable and writable by this user only (0600 on Unix).
pub fn make_private(file: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

/// From now on, files and folders this process creates are private to its user (umask 077 on
/// Unix), whoever creates them: SQLite's journal files, the log appender, exports.
pub fn keep_new_files_private() {
    #[cfg(unix)]
    // SAFETY: umask only sets the process's file mode creation mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
}
