//! Against a real Secret Service (gnome-keyring on a private D-Bus session, started by
//! scripts/test.sh): the keychain round trip read back with `secret-tool`, and the whole CLI
//! top-up against a `saldo simulate` process, with a scan proving the secret is in no file.
//!
//! These tests need `SALDO_TEST_KEYCHAIN=1` (set by scripts/test.sh); without it they say so
//! and stop, so a plain `cargo test` on a desktop never touches the person's own keychain.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use saldo::secrets::{SecretError, SecretKind, SecretStore};

fn keychain_available() -> bool {
    if std::env::var_os("SALDO_TEST_KEYCHAIN").is_some() {
        return true;
    }
    eprintln!(
        "skipped: set SALDO_TEST_KEYCHAIN=1 in a session with a Secret Service (scripts/test.sh does)"
    );
    false
}

fn saldo(data_dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_saldo"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("saldo runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

/// A ledger in `data` with a QvaTel profile "cuba" and these top-ups recorded (not sent).
fn ledger_with_topups(
    data: &Path,
    topups: &[(&saldo::domain::Reference, &str, i64)],
) -> saldo::ledger::Ledger {
    use saldo::domain::{Money, Unit};
    use saldo::ledger::{Ledger, NewOperation, TxKind};
    use saldo::providers::ProviderKind;

    let ledger = Ledger::open_in(data).unwrap();
    let kind = ProviderKind::Qvatel;
    let cuba = ledger
        .add_profile(
            "cuba",
            kind,
            "https://qvatel.com/api",
            &kind.default_settings(),
        )
        .unwrap();
    for (reference, number, cents) in topups {
        ledger
            .record_new(&NewOperation {
                reference,
                kind: TxKind::TopUp,
                profile_id: cuba.id,
                destination: number,
                amount: Money::from_minor(*cents, Unit::Usd),
                repeat_guard: None,
                request: None,
                batch_row: None,
            })
            .unwrap();
    }
    ledger
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).trim().to_string()
}

/// `saldo simulate` in its own process; killed when dropped.
struct SimProcess {
    child: Child,
    base_url: String,
    /// Kept open so the simulator can go on printing.
    _stdout: BufReader<std::process::ChildStdout>,
}

impl SimProcess {
    fn start() -> SimProcess {
        SimProcess::start_with(&[])
    }

    fn start_with(extra: &[&str]) -> SimProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_saldo"))
            .args(["simulate", "--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("simulator starts");
        let mut first = String::new();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        stdout.read_line(&mut first).unwrap();
        let base_url = first
            .trim()
            .strip_prefix("saldo simulator listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_string();
        SimProcess {
            child,
            base_url,
            _stdout: stdout,
        }
    }

    fn get(&self, path: &str) -> serde_json::Value {
        let url = format!("{}{path}", self.base_url);
        tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(async { reqwest::get(&url).await.unwrap().json().await.unwrap() })
    }

    fn post(&self, path: &str, body: serde_json::Value) {
        let url = format!("{}{path}", self.base_url);
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let status = reqwest::Client::new()
                .post(&url)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status();
            assert!(status.is_success(), "{status}");
        });
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", std::process::id())
}

fn secret_tool_lookup(user: &str) -> String {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", "saldo", "username", user])
        .output()
        .expect("secret-tool (libsecret-tools) runs");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Every file under `dir` whose bytes contain `needle`.
fn files_containing(dir: &Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                stack.push(entry.unwrap().path());
            }
        } else if let Ok(bytes) = std::fs::read(&path)
            && bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        {
            found.push(path.display().to_string());
        }
    }
    found
}

#[test]
fn secrets_round_trip_through_the_real_keychain() {
    if !keychain_available() {
        return;
    }
    let store = SecretStore::keychain();
    let profile = unique("kc-roundtrip");
    let secret = format!("tok-{}-xyzzy", std::process::id());
    store.set(&profile, SecretKind::ApiToken, &secret).unwrap();
    assert_eq!(
        store.get(&profile, SecretKind::ApiToken).unwrap().expose(),
        secret
    );
    assert_eq!(secret_tool_lookup(&format!("{profile}/api_token")), secret);
    store
        .set(&profile, SecretKind::ApiToken, "replaced-secret")
        .unwrap();
    assert_eq!(
        secret_tool_lookup(&format!("{profile}/api_token")),
        "replaced-secret"
    );
    store.delete(&profile, SecretKind::ApiToken).unwrap();
    assert!(matches!(
        store.get(&profile, SecretKind::ApiToken),
        Err(SecretError::Missing { .. })
    ));
    assert_eq!(secret_tool_lookup(&format!("{profile}/api_token")), "");
}

#[test]
fn the_cli_tops_up_against_saldo_simulate_with_its_token_in_the_keychain() {
    if !keychain_available() {
        return;
    }
    let sim = SimProcess::start();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let profile = unique("cli-cuba");
    let qvatel_url = format!("{}/qvatel/api", sim.base_url);

    let out = saldo(
        &data,
        &[
            "profile",
            "add",
            &profile,
            "--provider",
            "qvatel",
            "--base-url",
            &qvatel_url,
            "--timeout",
            "1",
        ],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));

    // Without its token, nothing is sent: a configuration problem, exit 4.
    let out = saldo(
        &data,
        &["topup", &profile, "--to", "52942387", "--amount", "20"],
        None,
    );
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains(&format!("saldo credentials set {profile}")));

    let out = saldo(
        &data,
        &["credentials", "set", &profile],
        Some("demo-qvatel-token\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        secret_tool_lookup(&format!("{profile}/api_token")),
        "demo-qvatel-token"
    );

    let out = saldo(
        &data,
        &[
            "topup",
            &profile,
            "--to",
            "+53 5294 2387",
            "--amount",
            "20.00",
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let line = stdout(&out);
    assert!(line.starts_with("succeeded: SAL-"), "{line}");
    assert!(line.contains("20.00 USD to +5352942387"), "{line}");
    assert!(line.contains("qvatel-23479287356"), "{line}");
    assert_eq!(line.lines().count(), 1);
    let reference = line["succeeded: ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .to_string();

    // The simulator, asked from outside its process, received exactly that one send.
    let requests = sim.get("/__sim/requests");
    let sends: Vec<_> = requests
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"] == "/qvatel/api/recharge/send")
        .collect();
    assert_eq!(sends.len(), 1);
    assert!(
        sends[0]["body"]
            .as_str()
            .unwrap()
            .contains("destino=%2B5352942387")
    );
    let state = sim.get("/__sim/state");
    assert_eq!(
        state["qvatel"]["accounts"]["demo-qvatel-token"]["balance_cents"],
        48000
    );

    // -vvv shows every request and reply on stderr, without the token.
    let out = saldo(&data, &["-vvv", "balance", &profile], None);
    assert_eq!(stdout(&out), format!("{profile}: 480.00 USD"));
    let trace = stderr(&out);
    assert!(
        trace.contains("path=/qvatel/api/account/recharge-balance"),
        "{trace}"
    );
    assert!(trace.contains("api_token=[redacted]"), "{trace}");
    assert!(!trace.contains("demo-qvatel-token"), "{trace}");
    let out = saldo(&data, &["status", &reference], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with(&format!("succeeded: {reference}")));
    let out = saldo(&data, &["history", "--limit", "5"], None);
    assert!(stdout(&out).contains(&reference), "{}", stdout(&out));

    // Exit codes: bad input 1, unknown outcome 3 (and it is not resent).
    let out = saldo(
        &data,
        &["topup", &profile, "--to", "5294238", "--amount", "20"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "saldo: mobile numbers in Cuba have 8 digits, this one has 7"
    );
    sim.post(
        "/__sim/faults",
        serde_json::json!({"path": "/recharge/send", "fault": {"kind": "timeout_after_commit"}}),
    );
    let out = saldo(
        &data,
        &["topup", &profile, "--to", "52942387", "--amount", "15"],
        None,
    );
    assert_eq!(out.status.code(), Some(3), "{}", stdout(&out));
    assert!(stdout(&out).starts_with("unknown: "), "{}", stdout(&out));
    assert!(stdout(&out).contains("Do NOT send it again"));
    assert_eq!(
        sim.get("/__sim/state")["qvatel"]["recharges"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // A rejected top-up exits 2: the account cannot pay for it.
    let wrong = unique("wrongtoken");
    let out = saldo(
        &data,
        &[
            "profile",
            "add",
            &wrong,
            "--provider",
            "qvatel",
            "--base-url",
            &qvatel_url,
        ],
        None,
    );
    assert!(out.status.success());
    saldo(
        &data,
        &["credentials", "set", &wrong],
        Some("not-a-real-token\n"),
    );
    let out = saldo(
        &data,
        &["topup", &wrong, "--to", "52942388", "--amount", "15"],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stdout(&out).starts_with("failed: "), "{}", stdout(&out));

    // The same number and amount as the unknown one is refused outright while it is open,
    // confirmed or not (exit 1, nothing sent).
    let sends_before = sim.get("/__sim/requests").as_array().unwrap().len();
    for extra in [None, Some("--confirm-duplicate")] {
        let mut args = vec!["topup", &profile, "--to", "52942387", "--amount", "15"];
        args.extend(extra);
        let out = saldo(&data, &args, None);
        assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
        assert!(
            stderr(&out).contains("is still unknown"),
            "{}",
            stderr(&out)
        );
        assert!(
            !stderr(&out).contains("--confirm-duplicate"),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(
        sim.get("/__sim/requests").as_array().unwrap().len(),
        sends_before
    );
    // The same number and amount as the one that went through is refused until confirmed.
    let out = saldo(
        &data,
        &["topup", &profile, "--to", "52942387", "--amount", "20"],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("--confirm-duplicate"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        sim.get("/__sim/requests").as_array().unwrap().len(),
        sends_before
    );
    let out = saldo(
        &data,
        &[
            "topup",
            &profile,
            "--to",
            "52942387",
            "--amount",
            "20",
            "--confirm-duplicate",
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );

    // The daily log file recorded the operations by reference...
    let logs = saldo::logging::logs_dir(&data);
    let log: String = std::fs::read_dir(&logs)
        .expect("a log folder in the data folder")
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(log.contains(&reference), "{log}");
    assert!(log.contains("state=unknown"), "{log}");
    // ...and the token is in no file saldo wrote, logs included.
    assert_eq!(
        files_containing(dir.path(), "demo-qvatel-token"),
        Vec::<String>::new()
    );
    assert_eq!(
        files_containing(dir.path(), "not-a-real-token"),
        Vec::<String>::new()
    );

    for name in [&profile, &wrong] {
        SecretStore::keychain()
            .delete(name, SecretKind::ApiToken)
            .unwrap();
    }
}

#[test]
fn a_missing_keychain_is_reported_plainly_and_nothing_is_stored_elsewhere() {
    if !keychain_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = saldo(
        &data,
        &["profile", "add", "nokc", "--provider", "qvatel"],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = Command::new(env!("CARGO_BIN_EXE_saldo"))
        .arg("--data-dir")
        .arg(&data)
        .args(["credentials", "set", "nokc"])
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/saldo-test-bus",
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().unwrap().write_all(b"nokc-secret\n")?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no keychain is available"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        files_containing(dir.path(), "nokc-secret"),
        Vec::<String>::new()
    );
}

#[test]
fn ledger_problems_exit_with_code_5() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_folder = dir.path().join("file");
    std::fs::write(&not_a_folder, "x").unwrap();
    let out = saldo(&not_a_folder, &["history"], None);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("saldo: could not open the ledger"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_simulator_keeps_running_when_its_output_is_closed() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_saldo"))
        .args(["simulate", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The pipe is closed now, like `saldo simulate | head -1`.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let still_running = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    assert!(still_running, "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn history_filters_from_the_command_line() {
    use saldo::domain::Reference;

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let refs = [
        Reference::generate(),
        Reference::generate(),
        Reference::generate(),
    ];
    drop(ledger_with_topups(
        &data,
        &[
            (&refs[0], "+5352942387", 1500),
            (&refs[1], "+5352000000", 2000),
            (&refs[2], "+5352942387", 2000),
        ],
    ));
    let today = jiff::Zoned::now().date().to_string();
    let out = saldo(
        &data,
        &[
            "history",
            "--to-number",
            "5294 2387",
            "--from",
            &today,
            "--to",
            &today,
        ],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.lines().all(|l| l.contains("+5352942387")), "{text}");
    let out = saldo(
        &data,
        &[
            "history",
            "--state",
            "recorded",
            "--profile",
            "cuba",
            "--limit",
            "1",
        ],
        None,
    );
    assert_eq!(stdout(&out).lines().count(), 1);
    let out = saldo(
        &data,
        &["history", "--from", "2000-01-01", "--to", "2000-01-02"],
        None,
    );
    assert_eq!(stdout(&out), "no operations");
    let out = saldo(&data, &["history", "--state", "done"], None);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn review_lists_open_operations_and_settles_them_from_the_command_line() {
    use saldo::domain::{Reference, TxState};
    use saldo::ledger::StateChange;

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (unknown, interrupted) = (Reference::generate(), Reference::generate());
    {
        let ledger = ledger_with_topups(
            &data,
            &[
                (&unknown, "+5352942387", 2000),
                (&interrupted, "+5352942387", 2000),
            ],
        );
        for reference in [&unknown, &interrupted] {
            ledger
                .transition(reference, TxState::Sending, &StateChange::default())
                .unwrap();
        }
        // As the engine writes it: saldo's own words kept as data.
        let no_answer = saldo::domain::Note::MaybeSent {
            reason: "timed out".into(),
        };
        let timeout = StateChange {
            provider_message: Some(no_answer.to_stored()),
            detail: Some(no_answer.to_stored()),
            ..StateChange::default()
        };
        ledger
            .transition(&unknown, TxState::Unknown, &timeout)
            .unwrap();
    }
    let out = saldo(&data, &["review", "list"], None);
    let text = stdout(&out);
    assert!(
        text.contains(unknown.as_str()) && text.contains(interrupted.as_str()),
        "{text}"
    );
    assert!(
        text.contains("no clear answer from the provider (timed out): the outcome is unknown"),
        "the command line says saldo's notes in English: {text}"
    );
    assert!(!text.contains("saldo-note"), "{text}");

    let out = saldo(
        &data,
        &[
            "review",
            "settle",
            unknown.as_str(),
            "--failed",
            "--note",
            "provider says no",
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "a failed top-up exits 2: {}",
        stderr(&out)
    );
    // A failure a person settled is said to be theirs, not the provider's: nothing says
    // "nothing was charged".
    let said = stdout(&out);
    assert!(
        said.starts_with("failed (settled by hand, not stated by the provider): "),
        "{said}"
    );
    assert!(!said.contains("nothing was charged"), "{said}");
    assert!(said.contains("settled by hand: provider says no"), "{said}");
    let out = saldo(
        &data,
        &["review", "settle", interrupted.as_str(), "--note", "x"],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "--succeeded or --failed is required"
    );
    let out = saldo(
        &data,
        &[
            "review",
            "settle",
            interrupted.as_str(),
            "--succeeded",
            "--note",
            "customer got it",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&saldo(&data, &["review", "list"], None)),
        "nothing needs review"
    );
}

#[test]
fn the_standalone_simulator_takes_seeded_fault_settings() {
    let sim =
        SimProcess::start_with(&["--faults", "http503=1", "--seed", "7", "--latency-ms", "50"]);
    let url = format!(
        "{}/qvatel/api/account/recharge-balance?api_token=demo-qvatel-token",
        sim.base_url
    );
    let started = std::time::Instant::now();
    let status = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(async { reqwest::get(&url).await.unwrap().status() });
    assert_eq!(status.as_u16(), 503);
    assert!(started.elapsed() >= std::time::Duration::from_millis(50));
    let requests = sim.get("/__sim/requests");
    assert_eq!(requests[0]["fault"]["kind"], "status");
    let out = Command::new(env!("CARGO_BIN_EXE_saldo"))
        .args(["simulate", "--port", "0", "--faults", "explode=0.5"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown fault"));
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// A batch file sent before is recognised (whatever its name or row order) and nothing is
/// sent unless a new run is asked for; and everything saldo wrote is private to its user.
#[test]
fn a_batch_sent_before_is_recognised_and_the_shops_files_are_private() {
    if !keychain_available() {
        return;
    }
    let sim = SimProcess::start();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let profile = unique("cli-batch");
    let qvatel_url = format!("{}/qvatel/api", sim.base_url);
    let out = saldo(
        &data,
        &[
            "profile",
            "add",
            &profile,
            "--provider",
            "qvatel",
            "--base-url",
            &qvatel_url,
        ],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = saldo(
        &data,
        &["credentials", "set", &profile],
        Some("demo-qvatel-token\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let first = dir.path().join("monday.csv");
    std::fs::write(
        &first,
        "number,amount\n52942301,20\n52942302,15\n52942303,20\n",
    )
    .unwrap();
    let out = saldo(&data, &["batch", &profile, first.to_str().unwrap()], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let sends = |sim: &SimProcess| {
        sim.get("/__sim/requests")
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["path"] == "/qvatel/api/recharge/send")
            .count()
    };
    assert_eq!(sends(&sim), 3);

    // The same rows, in another file and order, an hour later by the repeat window's clock.
    let again = dir.path().join("monday-copy.csv");
    std::fs::write(
        &again,
        "amount,number\n20,+5352942303\n15.00,52942302\n20,52942301\n",
    )
    .unwrap();
    let out = saldo(&data, &["batch", &profile, again.to_str().unwrap()], None);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let said = stderr(&out);
    assert!(said.contains("same rows as batch 1"), "{said}");
    assert!(said.contains("3 of 3 rows done — 3 succeeded"), "{said}");
    assert!(said.contains("--new-run"), "{said}");
    assert_eq!(sends(&sim), 3, "nothing was sent");

    // Asked for explicitly, it is a new batch (its rows still meet the repeat guard).
    let out = saldo(
        &data,
        &["batch", &profile, again.to_str().unwrap(), "--new-run"],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("batch 2: 0 succeeded, 0 failed, 0 pending or unknown, 3 refused")
    );
    assert_eq!(sends(&sim), 3);

    #[cfg(unix)]
    {
        assert_eq!(mode(&data), 0o700, "the data folder");
        assert_eq!(mode(&data.join("saldo.sqlite3")), 0o600, "the ledger");
        let logs = data.join("logs");
        assert_eq!(mode(&logs), 0o700, "the log folder");
        for entry in std::fs::read_dir(&logs).unwrap() {
            let path = entry.unwrap().path();
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
        let results = dir.path().join("monday.batch-1.results.csv");
        assert_eq!(mode(&results), 0o600, "the results file");
        let out = saldo(
            &data,
            &[
                "backup",
                "--out",
                dir.path().join("b.sqlite3").to_str().unwrap(),
            ],
            None,
        );
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(mode(&dir.path().join("b.sqlite3")), 0o600, "a backup");
    }
}

/// The shop's server for two counters: a role with a password and a database of its own on
/// the test cluster (which checks passwords for every role but the test superuser).
fn shop_server(role: &str) -> Option<String> {
    let Some(admin) = std::env::var("SALDO_TEST_POSTGRES").ok() else {
        eprintln!("skipped: set SALDO_TEST_POSTGRES (scripts/test.sh does)");
        return None;
    };
    let target = saldo::ledger::PgTarget::parse(&admin).unwrap();
    let mut conn = saldo::ledger::db::connect_postgres(&target, None).unwrap();
    let mut sql = conn.sql();
    sql.batch(&format!(
        "CREATE ROLE {role} LOGIN PASSWORD 'counter-pw-{role}'"
    ))
    .unwrap();
    sql.batch(&format!("CREATE DATABASE {role} OWNER {role}"))
        .unwrap();
    let port = admin
        .split(':')
        .nth(2)
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_string();
    Some(format!(
        "postgres://{role}@127.0.0.1:{port}/{role}?sslmode=disable"
    ))
}

/// Two counters point at one server: the password goes into each counter's keychain (never
/// in a file or the address), a profile one adds the other sees, a wrong password says what
/// to do, and a file address refuses set-ledger.
#[test]
fn two_counters_share_one_server_with_its_password_in_the_keychain() {
    if !keychain_available() {
        return;
    }
    let role = unique("shop").to_lowercase().replace('-', "_");
    let Some(url) = shop_server(&role) else {
        return;
    };
    let password = format!("counter-pw-{role}");
    let (front, back) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());

    let refused = saldo(front.path(), &["--ledger", &url, "profile", "list"], None);
    assert_eq!(refused.status.code(), Some(5), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("saldo credentials set-ledger"),
        "{}",
        stderr(&refused)
    );

    let wrong = saldo(
        front.path(),
        &["--ledger", &url, "credentials", "set-ledger"],
        Some("not-it\n"),
    );
    assert_eq!(wrong.status.code(), Some(5), "{}", stderr(&wrong));
    assert!(
        stderr(&wrong).contains("refused the login"),
        "{}",
        stderr(&wrong)
    );

    for counter in [front.path(), back.path()] {
        let saved = saldo(
            counter,
            &["--ledger", &url, "credentials", "set-ledger"],
            Some(&format!("{password}\n")),
        );
        assert!(saved.status.success(), "{}", stderr(&saved));
        assert!(
            stdout(&saved).contains("the server took it"),
            "{}",
            stdout(&saved)
        );
    }
    let added = saldo(
        front.path(),
        &[
            "--ledger",
            &url,
            "profile",
            "add",
            "cuba",
            "--provider",
            "qvatel",
        ],
        None,
    );
    assert!(added.status.success(), "{}", stderr(&added));
    // The other counter, given the server by the environment, sees the profile.
    let listed = Command::new(env!("CARGO_BIN_EXE_saldo"))
        .arg("--data-dir")
        .arg(back.path())
        .args(["profile", "list"])
        .env("SALDO_LEDGER", &url)
        .output()
        .unwrap();
    assert!(listed.status.success(), "{}", stderr(&listed));
    assert!(stdout(&listed).contains("cuba"), "{}", stdout(&listed));
    assert_eq!(
        secret_tool_lookup(&format!(
            "server:{role}@127.0.0.1:{}/{role}/password",
            url.split(':').nth(2).unwrap().split('/').next().unwrap()
        )),
        password
    );
    for counter in [front.path(), back.path()] {
        assert!(files_containing(counter, &password).is_empty());
    }

    let file = saldo(
        front.path(),
        &["--ledger", "shop.sqlite3", "credentials", "set-ledger"],
        Some("x\n"),
    );
    assert_eq!(file.status.code(), Some(1), "{}", stderr(&file));
    assert!(
        stderr(&file).contains("has no password"),
        "{}",
        stderr(&file)
    );
}
