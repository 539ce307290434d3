//! A panic anywhere in saldo leaves a short report in the data folder — version, system, what
//! and where, the last log lines, no secrets — and the window announces it once at its next
//! start.

mod common;

use saldo::logging::LogSetup;
use saldo::logging::panic_report::{reports_dir, take_unshown_report};

#[test]
fn a_panic_writes_a_report_with_the_last_log_lines_and_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    saldo::logging::init(&LogSetup {
        data_dir: Some(data.clone()),
        stderr_verbosity: 0,
    })
    .unwrap();
    // saldo's own lines are the ones the file keeps at its usual level.
    tracing::info!(target: "saldo::engine", reference = "SAL-20261123-CRASHTST", "recorded; sending");
    saldo::secrets::Secret::new("very-secret-token-42");

    let crashed = std::thread::Builder::new()
        .name("saldo-worker".into())
        .spawn(|| panic!("the reply had api_token=very-secret-token-42 in it"))
        .unwrap()
        .join();
    assert!(crashed.is_err());

    let reports: Vec<_> = std::fs::read_dir(reports_dir(&data))
        .expect("a crash-reports folder")
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(reports.len(), 1, "{reports:?}");
    let report = std::fs::read_to_string(&reports[0]).unwrap();
    assert!(
        report.starts_with(&format!(
            "saldo {} met an internal fault",
            env!("CARGO_PKG_VERSION")
        )),
        "{report}"
    );
    assert!(report.contains("thread:  saldo-worker"), "{report}");
    assert!(
        report.contains("where:   tests/crash_report.rs:"),
        "{report}"
    );
    assert!(
        report.contains("SAL-20261123-CRASHTST"),
        "the last log lines: {report}"
    );
    assert!(!report.contains("very-secret-token-42"), "{report}");
    // The log file has the fault too.
    let log = common::log_text(&data);
    assert!(log.contains("met an internal fault"), "{log}");
    assert!(!log.contains("very-secret-token-42"), "{log}");

    // The next start is told once.
    assert_eq!(
        take_unshown_report(&data).as_deref(),
        Some(reports[0].as_path())
    );
    assert_eq!(take_unshown_report(&data), None);
}
