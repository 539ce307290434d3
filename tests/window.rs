//! The real binary in a real window under Xvfb: `saldo --demo` shows its window, draws the demo
//! banner, and exits cleanly (code 0) when the system asks it to close (SIGTERM).
//!
//! Needs `SALDO_TEST_DISPLAY=1` and an X display (scripts/test.sh starts Xvfb); without them the
//! test says so and stops.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Window(Child);

impl Drop for Window {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn window_listed(title: &str) -> bool {
    Command::new("xwininfo")
        .args(["-root", "-tree"])
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).contains(title))
        .unwrap_or(false)
}

/// The share of the screenshot's pixels that have the demo banner's colour.
fn banner_share(shot: &Path) -> f64 {
    let out = Command::new("convert")
        .arg(shot)
        .args([
            "-alpha",
            "off",
            "-fuzz",
            "4%",
            "-fill",
            "white",
            "-opaque",
            "#ffb300",
            "-fill",
            "black",
            "+opaque",
            "white",
            "-format",
            "%[fx:mean]",
            "info:",
        ])
        .output()
        .expect("ImageMagick's convert runs");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0.0)
}

#[test]
fn the_demo_window_opens_draws_and_closes_cleanly_when_asked() {
    if std::env::var_os("SALDO_TEST_DISPLAY").is_none() || std::env::var_os("DISPLAY").is_none() {
        eprintln!(
            "skipped: needs SALDO_TEST_DISPLAY=1 and an X display (scripts/test.sh starts Xvfb)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let runtime_dir = dir.path().join("xdg-runtime");
    std::fs::create_dir_all(&runtime_dir).unwrap();
    std::fs::set_permissions(
        &runtime_dir,
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .unwrap();
    let log = std::fs::File::create(dir.path().join("stderr.log")).unwrap();
    let mut window = Window(
        Command::new(env!("CARGO_BIN_EXE_saldo"))
            .args(["--demo", "--data-dir"])
            .arg(dir.path().join("data"))
            .env("XDG_RUNTIME_DIR", &runtime_dir)
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("saldo starts"),
    );

    let start = Instant::now();
    while !window_listed("saldo - DEMO") {
        if let Some(status) = window.0.try_wait().unwrap() {
            let log = std::fs::read_to_string(dir.path().join("stderr.log")).unwrap_or_default();
            panic!("saldo exited early ({status}):\n{log}");
        }
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "no window after 90 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    // Let it draw, then check the screen shows the demo banner.
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("saldo-demo-window.png");
    let mut share = 0.0;
    let start = Instant::now();
    while share < 0.005 && start.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(500));
        let status = Command::new("import")
            .args(["-window", "root"])
            .arg(&shot)
            .status()
            .expect("ImageMagick's import runs");
        assert!(status.success());
        share = banner_share(&shot);
    }
    assert!(
        share >= 0.005,
        "the demo banner is not on screen (share {share})"
    );

    let pid = window.0.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let start = Instant::now();
    let status = loop {
        if let Some(status) = window.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "saldo did not close"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let log = std::fs::read_to_string(dir.path().join("stderr.log")).unwrap_or_default();
    assert_eq!(status.code(), Some(0), "saldo did not exit cleanly:\n{log}");
    assert!(!log.contains("panicked"), "{log}");
}
