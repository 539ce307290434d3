//! saldo's logs: a daily file in the data folder (kept [`LOG_FILES_KEPT`] days) and, for the
//! command line with `-v`, standard error. Every line passes through [`writer::Redacting`], so
//! no API key, token, password or `Authorization` header reaches a log, whoever wrote the line.
//!
//! `SALDO_LOG=error|warn|info|debug|trace` sets how much the file records (default `debug`:
//! every provider request and reply, each with our reference); `trace` also records the HTTP
//! libraries' own lines.

pub mod panic_report;
pub mod redact;
mod writer;

use std::path::{Path, PathBuf};

use tracing::level_filters::LevelFilter;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

pub use writer::recent_lines;

/// The folder inside the data folder that holds the log files.
pub const LOG_FOLDER: &str = "logs";
/// How many daily log files are kept.
pub const LOG_FILES_KEPT: usize = 30;
/// The environment variable that sets the file's level.
pub const LEVEL_ENV: &str = "SALDO_LOG";

/// Where the log files of a data folder are.
pub fn logs_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(LOG_FOLDER)
}

/// What to log where.
#[derive(Clone, Debug, Default)]
pub struct LogSetup {
    /// The data folder whose `logs/` gets the daily file; `None` for no file.
    pub data_dir: Option<PathBuf>,
    /// 0: nothing on standard error; 1 info, 2 debug, 3 or more trace.
    pub stderr_verbosity: u8,
}

fn file_level() -> LevelFilter {
    std::env::var(LEVEL_ENV)
        .ok()
        .and_then(|text| text.trim().parse::<LevelFilter>().ok())
        .unwrap_or(LevelFilter::DEBUG)
}

fn stderr_level(verbosity: u8) -> LevelFilter {
    match verbosity {
        0 => LevelFilter::OFF,
        1 => LevelFilter::INFO,
        2 => LevelFilter::DEBUG,
        _ => LevelFilter::TRACE,
    }
}

/// saldo's own lines at `level`; other crates' only when something is wrong, or everything
/// when tracing.
fn targets(level: LevelFilter) -> Targets {
    let others = if level == LevelFilter::TRACE {
        LevelFilter::TRACE
    } else {
        LevelFilter::WARN.min(level)
    };
    Targets::new()
        .with_target("saldo", level)
        .with_default(others)
}

fn daily_file(data_dir: &Path) -> Result<tracing_appender::rolling::RollingFileAppender, String> {
    let folder = logs_dir(data_dir);
    crate::paths::create_private_dir(&folder)
        .map_err(|e| format!("cannot create the log folder {}: {e}", folder.display()))?;
    tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("saldo")
        .filename_suffix("log")
        .max_log_files(LOG_FILES_KEPT)
        .build(&folder)
        .map_err(|e| format!("cannot open a log file in {}: {e}", folder.display()))
}

/// Starts logging for this process and installs the crash report. Returns why the log file
/// could not be opened, if it could not; logging to standard error works even then.
pub fn init(setup: &LogSetup) -> Result<(), String> {
    let mut problem = None;
    let file_layer = setup.data_dir.as_deref().and_then(|dir| {
        panic_report::install(dir);
        match daily_file(dir) {
            Ok(file) => Some(
                tracing_subscriber::fmt::layer()
                    .with_ansi(false)
                    .with_writer(writer::Redacting::new(file, true))
                    .with_filter(targets(file_level())),
            ),
            Err(error) => {
                problem = Some(error);
                None
            }
        }
    });
    let stderr_layer = (setup.stderr_verbosity > 0).then(|| {
        tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(writer::Redacting::new(
                std::io::stderr,
                setup.data_dir.is_none(),
            ))
            .with_filter(targets(stderr_level(setup.stderr_verbosity)))
    });
    // A second call (tests that open several windows) keeps the first set-up.
    let _ = tracing_subscriber::registry()
        .with(file_layer)
        .with(stderr_layer)
        .try_init();
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        os = std::env::consts::OS,
        "saldo started"
    );
    match problem {
        Some(error) => {
            tracing::warn!("{error}");
            Err(error)
        }
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_crates_log_only_problems_unless_tracing() {
        let normal = format!("{:?}", targets(LevelFilter::DEBUG));
        assert!(normal.contains("saldo"), "{normal}");
        assert_eq!(stderr_level(0), LevelFilter::OFF);
        assert_eq!(stderr_level(2), LevelFilter::DEBUG);
        assert_eq!(stderr_level(9), LevelFilter::TRACE);
    }
}
