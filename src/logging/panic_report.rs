//! When saldo meets an internal fault (a panic): a short report (version, system, what and where, the
//! last log lines, all without secrets) in the data folder, and a sentence saying where it is.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::redact::redact_line;
use super::writer::recent_lines;

/// The folder inside the data folder that holds crash reports.
pub const REPORT_FOLDER: &str = "crash-reports";
const SHOWN_MARKER: &str = "last-shown";

/// Where the crash reports of a data folder are.
pub fn reports_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(REPORT_FOLDER)
}

/// Installs the report writer for panics in this process (once; later calls change nothing).
pub fn install(data_dir: &Path) {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    let folder = reports_dir(data_dir);
    INSTALLED.call_once(move || {
        std::panic::set_hook(Box::new(move |info| {
            let _reporting = super::writer::reporting_a_panic();
            let what = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "an internal fault".to_string());
            let place = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let thread = std::thread::current()
                .name()
                .unwrap_or("unnamed")
                .to_string();
            // The report first: nothing after it may stop it from being written. stderr may be
            // a closed pipe, so writing to it must not panic again.
            let report = report_text(&what, &place, &thread);
            let written = write_report(&folder, &report);
            let mut stderr = std::io::stderr();
            let _ = writeln!(
                stderr,
                "thread '{thread}' panicked at {place}: {}",
                redact_line(&what)
            );
            let _ = match &written {
                Ok(path) => writeln!(
                    stderr,
                    "saldo met an internal fault. A report is in {} — please send it to whoever \
                     supports your saldo. The ledger is safe: every operation was written before \
                     it was sent. If saldo closed, open it again and check Needs review.",
                    path.display()
                ),
                Err(error) => writeln!(
                    stderr,
                    "saldo met an internal fault ({}), and could not write a report: {error}",
                    redact_line(&what)
                ),
            };
            tracing::error!(%thread, %place, "saldo met an internal fault: {what}");
        }));
    });
}

/// The report: version, system, what and where, and the last log lines.
pub fn report_text(what: &str, place: &str, thread: &str) -> String {
    let mut text = format!(
        "saldo {version} met an internal fault\n\
         when:    {when}\n\
         system:  {system} ({os} {arch})\n\
         thread:  {thread}\n\
         where:   {place}\n\
         what:    {what}\n\n\
         last log lines:\n",
        version = env!("CARGO_PKG_VERSION"),
        when = jiff::Timestamp::now(),
        system = system_name(),
        os = std::env::consts::OS,
        arch = std::env::consts::ARCH,
        what = redact_line(what),
    );
    let lines = recent_lines();
    if lines.is_empty() {
        text.push_str("  (none in this run)\n");
    }
    for line in lines {
        text.push_str("  ");
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// The system's own name for itself (`PRETTY_NAME` of os-release on Linux).
fn system_name() -> String {
    std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|line| line.strip_prefix("PRETTY_NAME="))
                .map(|name| name.trim_matches('"').to_string())
        })
        .unwrap_or_else(|| std::env::consts::OS.to_string())
}

fn write_report(folder: &Path, report: &str) -> std::io::Result<PathBuf> {
    crate::paths::create_private_dir(folder)?;
    let stamp = jiff::Zoned::now().strftime("%Y%m%d-%H%M%S-%3f").to_string();
    let path = folder.join(format!("crash-{stamp}.txt"));
    std::fs::write(&path, report)?;
    Ok(path)
}

/// The newest crash report nobody was told about yet, marking it as told. The window shows it
/// at the next start, because a person who started saldo from a menu never saw its stderr.
pub fn take_unshown_report(data_dir: &Path) -> Option<PathBuf> {
    let folder = reports_dir(data_dir);
    let newest = std::fs::read_dir(&folder)
        .ok()?
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("crash-") && name.ends_with(".txt"))
        .max()?;
    let marker = folder.join(SHOWN_MARKER);
    let shown = std::fs::read_to_string(&marker).unwrap_or_default();
    if shown.trim() >= newest.as_str() {
        return None;
    }
    std::fs::write(&marker, &newest).ok()?;
    Some(folder.join(newest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_names_version_system_place_and_hides_secrets() {
        let text = report_text("bad reply: api_token=abc123", "src/x.rs:7", "main");
        assert!(text.contains(env!("CARGO_PKG_VERSION")), "{text}");
        assert!(text.contains(std::env::consts::OS), "{text}");
        assert!(text.contains("where:   src/x.rs:7"), "{text}");
        assert!(!text.contains("abc123"), "{text}");
    }

    #[test]
    fn each_report_is_announced_once() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(take_unshown_report(dir.path()), None);
        write_report(&reports_dir(dir.path()), "one").unwrap();
        let first = take_unshown_report(dir.path()).expect("a new report");
        assert!(first.starts_with(reports_dir(dir.path())));
        assert_eq!(take_unshown_report(dir.path()), None);
    }
}
