//! The real binary in a real window under Xvfb: `saldo --demo` shows its window, draws the demo
//! banner, and exits cleanly (code 0) when the system asks it to close (SIGTERM). Real key
//! events (XTEST, through the X server and winit, as a keyboard sends them) cannot sell to a
//! number the clerk did not type nor skip the review, and a SIGTERM mid-send waits for the
//! outcome.
//!
//! Needs `SALDO_TEST_DISPLAY=1` and an X display (scripts/test.sh starts Xvfb); without them the
//! test says so and stops.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use saldo::domain::TxState;
use saldo::ledger::Ledger;

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

/// One window at a time: the keyboard test needs the display's focus to itself.
static DISPLAY: Mutex<()> = Mutex::new(());

fn display_available() -> bool {
    if std::env::var_os("SALDO_TEST_DISPLAY").is_none() || std::env::var_os("DISPLAY").is_none() {
        eprintln!(
            "skipped: needs SALDO_TEST_DISPLAY=1 and an X display (scripts/test.sh starts Xvfb)"
        );
        return false;
    }
    true
}

/// Starts `saldo --demo` with its data in `dir`, and waits until its window is listed.
fn start_demo(dir: &Path, env: &[(&str, &str)]) -> Window {
    let runtime_dir = dir.join("xdg-runtime");
    std::fs::create_dir_all(&runtime_dir).unwrap();
    std::fs::set_permissions(
        &runtime_dir,
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .unwrap();
    let log = std::fs::File::create(dir.join("stderr.log")).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_saldo"));
    command
        .args(["--demo", "--data-dir"])
        .arg(dir.join("data"))
        .env("XDG_RUNTIME_DIR", &runtime_dir)
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::null())
        .stderr(log);
    for (name, value) in env {
        command.env(name, value);
    }
    let mut window = Window(command.spawn().expect("saldo starts"));
    let start = Instant::now();
    while !window_listed("saldo - DEMO") {
        if let Some(status) = window.0.try_wait().unwrap() {
            let log = std::fs::read_to_string(dir.join("stderr.log")).unwrap_or_default();
            panic!("saldo exited early ({status}):\n{log}");
        }
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "no window after 90 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    window
}

/// Takes screenshots until the demo banner is drawn (the window is up and drawing).
fn wait_until_drawn(shot: &Path) {
    let mut share = 0.0;
    let start = Instant::now();
    while share < 0.005 && start.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(500));
        screenshot(shot);
        share = banner_share(shot);
    }
    assert!(
        share >= 0.005,
        "the demo banner is not on screen (share {share}); see {}",
        shot.display()
    );
}

fn screenshot(shot: &Path) {
    let status = Command::new("import")
        .args(["-window", "root"])
        .arg(shot)
        .status()
        .expect("ImageMagick's import runs");
    assert!(status.success());
}

fn terminate(window: &Window) {
    let pid = window.0.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
}

/// Waits for the process to end, at most `limit`; its exit code.
fn wait_for_exit(window: &mut Window, limit: Duration, dir: &Path) -> Option<i32> {
    let start = Instant::now();
    let status = loop {
        if let Some(status) = window.0.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < limit, "saldo did not close");
        std::thread::sleep(Duration::from_millis(100));
    };
    let log = std::fs::read_to_string(dir.join("stderr.log")).unwrap_or_default();
    assert!(!log.contains("panicked"), "{log}");
    status.code()
}

#[test]
fn the_demo_window_opens_draws_and_closes_cleanly_when_asked() {
    if !display_available() {
        return;
    }
    let _display = DISPLAY.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let mut window = start_demo(dir.path(), &[]);
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("saldo-demo-window.png");
    wait_until_drawn(&shot);
    terminate(&window);
    let code = wait_for_exit(&mut window, Duration::from_secs(20), dir.path());
    assert_eq!(code, Some(0), "saldo did not exit cleanly");
}

/// Runs xdotool (XTEST: the X server delivers the keys as a keyboard's).
fn xdotool(args: &[&str]) {
    let status = Command::new("xdotool")
        .args(args)
        .status()
        .expect("xdotool runs (scripts/test.sh installs it)");
    assert!(status.success(), "xdotool {args:?}");
}

/// The demo ledger's top-ups to `number` made since `since` (Unix ms).
fn top_ups_to(dir: &Path, number: &str, since: i64) -> Vec<saldo::ledger::TxRecord> {
    let ledger = Ledger::open_in(&dir.join("data").join("demo")).expect("the demo ledger opens");
    ledger
        .history_page(None, 20)
        .unwrap()
        .into_iter()
        .filter(|r| r.destination == number && r.created_at >= since)
        .collect()
}

#[test]
fn real_keys_cannot_change_the_number_or_skip_the_review_and_sigterm_waits_for_the_send() {
    if !display_available() {
        return;
    }
    let _display = DISPLAY.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    // Every simulated provider answers 3 s late: long enough to ask saldo to quit mid-send.
    let mut window = start_demo(dir.path(), &[("SALDO_DEMO_LATENCY_MS", "3000")]);
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("saldo-keys-window.png");
    wait_until_drawn(&shot);
    // Let the counter load its profile (the simulator is slow on purpose).
    std::thread::sleep(Duration::from_secs(5));
    let out = Command::new("xdotool")
        .args(["search", "--name", "saldo - DEMO"])
        .output()
        .unwrap();
    let id = String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .expect("the window is found")
        .to_string();
    xdotool(&["windowfocus", "--sync", &id]);
    xdotool(&["mousemove", "--window", &id, "600", "400"]);
    // Seven digits, Alt+2 (the second amount) while the number field has the keys, the last
    // digit: with the shortcut's "2" leaking in the number would have nine digits.
    xdotool(&["type", "--delay", "60", "5294238"]);
    xdotool(&["key", "alt+2"]);
    xdotool(&["type", "--delay", "60", "7"]);
    // Enter, Enter 120 ms apart: the review opens and nothing is sent.
    xdotool(&["key", "--delay", "120", "Return", "Return"]);
    std::thread::sleep(Duration::from_millis(1500));
    screenshot(&shot);
    assert!(
        top_ups_to(dir.path(), "+5352942387", since).is_empty(),
        "a double Enter sent without a review; see {}",
        shot.display()
    );
    // A deliberate Enter sends; SIGTERM while it is on its way waits for the outcome.
    xdotool(&["key", "Return"]);
    let start = Instant::now();
    while top_ups_to(dir.path(), "+5352942387", since).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the deliberate Enter did not send; see {}",
            {
                screenshot(&shot);
                shot.display()
            }
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    terminate(&window);
    std::thread::sleep(Duration::from_millis(800));
    assert!(
        window.0.try_wait().unwrap().is_none(),
        "saldo quit in the middle of a send"
    );
    let code = wait_for_exit(&mut window, Duration::from_secs(30), dir.path());
    assert_eq!(code, Some(0), "saldo did not exit cleanly");
    let rows = top_ups_to(dir.path(), "+5352942387", since);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        rows[0].amount.to_string(),
        "20.00 USD",
        "Alt+2 picked the amount"
    );
    assert_eq!(
        rows[0].state,
        TxState::Succeeded,
        "it closed after the outcome"
    );
}
