//! What the window runs on: one tokio runtime, the engine, and in demo mode the embedded
//! simulator with in-memory demo credentials and a separate demo ledger.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::demo::{demo_profiles, ensure_demo_profile};
use crate::engine::{Engine, EngineOptions};
use crate::ledger::Ledger;
use crate::secrets::SecretStore;
use crate::simulator::{SimConfig, Simulator};

pub use crate::demo::DEMO_PROFILE;

/// How many made-up operations a new demo ledger starts with.
pub const DEMO_HISTORY_ROWS: usize = 2_000;
const DEMO_HISTORY_SEED: u64 = 2026;

/// The runtime, engine and (in demo mode) simulator behind the window.
pub struct Services {
    /// The embedded simulator, in demo mode. Declared before the runtime so it stops first.
    pub simulator: Option<Simulator>,
    pub engine: Engine,
    pub runtime: tokio::runtime::Runtime,
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("saldo-worker")
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start saldo's background workers: {e}"))
}

impl Services {
    /// The real shop: the ledger chosen for this counter (see [`Services::real_on`]) and the
    /// OS keychain.
    pub fn real(data_dir: Option<PathBuf>) -> Result<Services, String> {
        Services::real_on(data_dir, None, None)
    }

    /// The real shop on the ledger `given` (`--ledger`, `SALDO_LEDGER`), else the one chosen
    /// in Settings, else the file in `data_dir` (or the OS data folder); the OS keychain.
    /// `counter` names this counter on every operation (default: the host name).
    pub fn real_on(
        data_dir: Option<PathBuf>,
        given: Option<&str>,
        counter: Option<&str>,
    ) -> Result<Services, String> {
        let dir = crate::paths::data_dir(data_dir)?;
        let address = crate::ledger::address::chosen(given, &dir)?;
        let secrets = SecretStore::keychain();
        let ledger = crate::ledger::address::open(&address, &dir, counter, |target| {
            secrets.server_password(target)
        })
        .map_err(|e| e.to_string())?;
        Ok(Services {
            simulator: None,
            engine: Engine::new(
                Arc::new(ledger),
                Arc::new(secrets),
                EngineOptions::default(),
            ),
            runtime: runtime()?,
        })
    }

    /// The demo: the simulator on a free 127.0.0.1 port, a demo ledger in `demo_dir`, and the
    /// demo credentials in memory only (the real keychain is never touched).
    /// `SALDO_DEMO_LATENCY_MS` makes every simulated provider answer that much later (to see,
    /// and test, the counter while a provider is slow).
    pub fn demo_in(demo_dir: &Path) -> Result<Services, String> {
        Services::demo_with(demo_dir, demo_sim_config())
    }

    /// The demo over a simulator that starts as `config` says (tests pin its accounts).
    pub fn demo_with(demo_dir: &Path, config: SimConfig) -> Result<Services, String> {
        let runtime = runtime()?;
        let simulator = runtime
            .block_on(Simulator::start(0, config))
            .map_err(|e| format!("cannot start the demo simulator: {e}"))?;
        let ledger = Ledger::open_in(demo_dir).map_err(|e| e.to_string())?;
        let secrets = SecretStore::in_memory();
        let first_run = ledger
            .history_page(None, 1)
            .map_err(|e| e.to_string())?
            .is_empty();
        for demo in demo_profiles(&simulator.base_url()) {
            ensure_demo_profile(&ledger, &demo).map_err(|e| e.to_string())?;
            for (kind, secret) in demo.secrets {
                secrets
                    .set(demo.name, kind, secret)
                    .map_err(|e| e.to_string())?;
            }
        }
        if first_run {
            // A first-time visitor sees a living shop: three months of made-up sales.
            ledger
                .fill_demo_history(DEMO_HISTORY_ROWS, DEMO_HISTORY_SEED)
                .map_err(|e| e.to_string())?;
        }
        Ok(Services {
            simulator: Some(simulator),
            engine: Engine::new(
                Arc::new(ledger),
                Arc::new(secrets),
                EngineOptions::default(),
            ),
            runtime,
        })
    }

    /// The folder the ledger, logs, crash reports and backups are in.
    pub fn data_dir(&self) -> &Path {
        let ledger = self.engine.ledger().path();
        ledger.parent().unwrap_or(ledger)
    }

    /// Whether this is the demo.
    pub fn is_demo(&self) -> bool {
        self.simulator.is_some()
    }
}

/// The environment variable that slows the demo's simulated providers (milliseconds).
pub const DEMO_LATENCY_ENV: &str = "SALDO_DEMO_LATENCY_MS";

fn demo_sim_config() -> SimConfig {
    let mut config = SimConfig::default();
    if let Some(ms) = std::env::var(DEMO_LATENCY_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        config.random.latency_ms = ms;
    }
    config
}
