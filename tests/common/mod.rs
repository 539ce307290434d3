//! Helpers shared by the integration tests: a real ledger file, a simulator on 127.0.0.1 and an
//! engine wired to both.
#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use saldo::engine::{Engine, EngineOptions, TopUpOrder};
use saldo::ledger::Ledger;
use saldo::providers::{ProfileSettings, ProviderKind};
use saldo::secrets::{SecretKind, SecretStore};
use saldo::simulator::{SimConfig, Simulator, marketext, qvatel, rechargekit, smspartner};

/// The QvaTel profile name the tests use.
pub const PROFILE: &str = "cuba";

/// A simulator, a ledger in a temporary folder and an engine using both.
pub struct Rig {
    pub sim: Simulator,
    pub engine: Engine,
    pub dir: tempfile::TempDir,
}

impl Rig {
    /// A rig whose QvaTel profile gives up on a request after `timeout_secs`.
    pub async fn new(timeout_secs: u64) -> Rig {
        Rig::with_config(
            timeout_secs,
            SimConfig {
                hang: Duration::from_secs(8),
                ..SimConfig::default()
            },
        )
        .await
    }

    pub async fn with_config(timeout_secs: u64, config: SimConfig) -> Rig {
        let sim = Simulator::start(0, config).await.expect("simulator starts");
        let dir = tempfile::tempdir().expect("temp dir");
        let ledger = Ledger::open_in(dir.path()).expect("ledger opens");
        let mut settings = ProviderKind::Qvatel.default_settings();
        settings.request_timeout_secs = timeout_secs;
        ledger
            .add_profile(
                PROFILE,
                ProviderKind::Qvatel,
                &sim.qvatel_base_url(),
                &settings,
            )
            .expect("profile added");
        let secrets = SecretStore::in_memory();
        secrets
            .set(PROFILE, SecretKind::ApiToken, qvatel::DEMO_TOKEN)
            .expect("secret saved");
        let options = EngineOptions {
            retry_backoff: Duration::from_millis(20),
            ..EngineOptions::default()
        };
        let engine = Engine::new(Arc::new(ledger), Arc::new(secrets), options);
        Rig { sim, engine, dir }
    }

    /// The executed recharges the simulator holds.
    pub fn recharges(&self) -> Vec<qvatel::Recharge> {
        self.sim.with_state(|s| s.qvatel.recharges.clone())
    }

    /// Sets every simulated QvaTel account's balance, in cents.
    pub fn set_sim_balance_cents(&self, cents: i64) {
        self.sim.with_state(|s| {
            s.qvatel
                .accounts
                .values_mut()
                .for_each(|a| a.balance_cents = cents)
        });
    }

    /// The simulated demo account's balance in cents.
    pub fn sim_balance_cents(&self) -> i64 {
        self.sim
            .with_state(|s| s.qvatel.accounts[qvatel::DEMO_TOKEN].balance_cents)
    }
}

/// The same order, confirmed as a deliberate repeat (past the duplicate-send guard).
pub fn confirmed(order: TopUpOrder) -> TopUpOrder {
    TopUpOrder {
        confirm_repeat: true,
        ..order
    }
}

/// A top-up order for the test profile.
pub fn order(number: &str, amount: &str) -> TopUpOrder {
    TopUpOrder::new(PROFILE, number, amount)
}

/// A simulator whose timeout faults hold a reply for 5 s (longer than any test waits), with
/// its opening state adjusted by `adjust`.
pub async fn simulator(adjust: impl FnOnce(&mut SimConfig)) -> Simulator {
    let mut config = SimConfig {
        hang: Duration::from_secs(5),
        ..SimConfig::default()
    };
    adjust(&mut config);
    Simulator::start(0, config).await.expect("simulator starts")
}

/// A profile to set up for a test: its provider, where it lives, its settings and secrets.
pub struct TestProfile<'a> {
    pub name: &'a str,
    pub kind: ProviderKind,
    pub base_url: String,
    pub timeout_secs: u64,
    pub options: &'a [String],
    pub secrets: &'a [(SecretKind, &'a str)],
}

/// An engine over a real ledger file in `dir` holding `profile`, with its secrets in memory.
pub fn engine_with(dir: &Path, profile: &TestProfile<'_>) -> (Engine, Arc<SecretStore>) {
    let ledger = Ledger::open_in(dir).expect("ledger opens");
    let mut settings: ProfileSettings = profile.kind.default_settings();
    settings.request_timeout_secs = profile.timeout_secs;
    profile
        .kind
        .apply_options(&mut settings, profile.options)
        .expect("valid options");
    ledger
        .add_profile(profile.name, profile.kind, &profile.base_url, &settings)
        .expect("profile added");
    let secrets = Arc::new(SecretStore::in_memory());
    for (kind, secret) in profile.secrets {
        secrets
            .set(profile.name, *kind, secret)
            .expect("secret saved");
    }
    let engine = Engine::new(Arc::new(ledger), secrets.clone(), EngineOptions::default());
    (engine, secrets)
}

/// The four money-moving profiles on one simulator: "cuba" (QvaTel), "fr" (SMS Partner),
/// "mx" (Marketext) and "in" (RechargeKit).
pub const MONEY_PROFILES: [&str; 4] = ["cuba", "fr", "mx", "in"];

/// An engine over a real ledger file in `dir` with every money-moving profile on `sim`, each
/// giving up on a request after `timeout_secs`, and the engine tuned by `options`.
pub fn engine_with_all(
    dir: &Path,
    sim: &Simulator,
    timeout_secs: u64,
    options: EngineOptions,
) -> Engine {
    engine_with_all_on(
        dir,
        sim,
        timeout_secs,
        options,
        saldo::domain::clock::system(),
    )
}

/// Like [`engine_with_all`], reading time from `clock`.
pub fn engine_with_all_on(
    dir: &Path,
    sim: &Simulator,
    timeout_secs: u64,
    options: EngineOptions,
    clock: Arc<dyn saldo::domain::clock::Clock>,
) -> Engine {
    let ledger = Ledger::open_in(dir)
        .expect("ledger opens")
        .with_clock(clock.clone());
    let secrets = Arc::new(SecretStore::in_memory());
    let profiles = [
        ("cuba", ProviderKind::Qvatel, sim.qvatel_base_url()),
        ("fr", ProviderKind::Smspartner, sim.smspartner_base_url()),
        ("mx", ProviderKind::Marketext, sim.marketext_base_url()),
        ("in", ProviderKind::Rechargekit, sim.rechargekit_base_url()),
    ];
    for (name, kind, base) in profiles {
        let mut settings = kind.default_settings();
        settings.request_timeout_secs = timeout_secs;
        settings.denominations.clear();
        if kind == ProviderKind::Marketext {
            let options = [
                format!("source={}", marketext::DEMO_SOURCE),
                format!("user={}", marketext::DEMO_USER),
            ];
            kind.apply_options(&mut settings, &options)
                .expect("valid options");
        }
        ledger
            .add_profile(name, kind, &base, &settings)
            .expect("profile added");
    }
    let set = |name: &str, kind: SecretKind, value: &str| {
        secrets.set(name, kind, value).expect("secret saved");
    };
    set("cuba", SecretKind::ApiToken, qvatel::DEMO_TOKEN);
    set("fr", SecretKind::ApiKey, smspartner::DEMO_KEY);
    set("mx", SecretKind::AccessToken, marketext::DEMO_ACCESS);
    set("mx", SecretKind::RefreshToken, marketext::DEMO_REFRESH);
    set("in", SecretKind::ApiToken, rechargekit::DEMO_API_TOKEN);
    Engine::new(Arc::new(ledger), secrets, options)
}

/// A second engine on the same ledger file and the same secrets, as a second saldo (the window
/// and a command, or two counters) would be: its own connection, its own clock.
pub fn second_engine(first: &Engine, clock: Arc<dyn saldo::domain::clock::Clock>) -> Engine {
    let ledger = Ledger::open(first.ledger().path())
        .expect("ledger opens")
        .with_clock(clock);
    Engine::new(Arc::new(ledger), first.secrets().clone(), first.options())
}

/// Everything the daily log files of the data folder `data` hold.
pub fn log_text(data: &Path) -> String {
    std::fs::read_dir(saldo::logging::logs_dir(data))
        .expect("a log folder in the data folder")
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .collect()
}

/// A database of its own on the test server for one test, and its address; `None` (said)
/// when no test server is named.
pub fn server_database() -> Option<String> {
    let Ok(admin) = std::env::var("SALDO_TEST_POSTGRES") else {
        eprintln!("skipped: set SALDO_TEST_POSTGRES (scripts/test.sh does)");
        return None;
    };
    let name = format!("shop_{}", uuid::Uuid::new_v4().simple());
    let target = saldo::ledger::PgTarget::parse(&admin).unwrap();
    let mut conn = saldo::ledger::db::connect_postgres(&target, None).unwrap();
    conn.sql()
        .batch(&format!("CREATE DATABASE {name}"))
        .unwrap();
    Some(admin.replace("/postgres?", &format!("/{name}?")))
}
