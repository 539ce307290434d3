//! What the window runs on: one tokio runtime, the engine, and in demo mode the embedded
//! simulator with in-memory demo credentials and a separate demo ledger.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::engine::{Engine, EngineOptions};
use crate::ledger::{Ledger, LedgerError};
use crate::providers::ProviderKind;
use crate::secrets::{SecretKind, SecretStore};
use crate::simulator::{
    SimConfig, Simulator, marketext, qvatel, rechargekit, sabapayamak, smspartner,
};

/// The name of the demo's QvaTel profile (the first one shown).
pub const DEMO_PROFILE: &str = "demo-cuba";

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
    /// The real shop: the ledger in `data_dir` (or the OS data folder) and the OS keychain.
    pub fn real(data_dir: Option<PathBuf>) -> Result<Services, String> {
        let dir = crate::paths::data_dir(data_dir)?;
        let ledger = Ledger::open_in(&dir).map_err(|e| e.to_string())?;
        Ok(Services {
            simulator: None,
            engine: Engine::new(
                Arc::new(ledger),
                Arc::new(SecretStore::keychain()),
                EngineOptions::default(),
            ),
            runtime: runtime()?,
        })
    }

    /// The demo: the simulator on a free 127.0.0.1 port, a demo ledger in `demo_dir`, and the
    /// demo credentials in memory only (the real keychain is never touched).
    pub fn demo_in(demo_dir: &Path) -> Result<Services, String> {
        let runtime = runtime()?;
        let simulator = runtime
            .block_on(Simulator::start(0, SimConfig::default()))
            .map_err(|e| format!("cannot start the demo simulator: {e}"))?;
        let ledger = Ledger::open_in(demo_dir).map_err(|e| e.to_string())?;
        let secrets = SecretStore::in_memory();
        for demo in demo_profiles(&simulator) {
            ensure_demo_profile(&ledger, &demo).map_err(|e| e.to_string())?;
            for (kind, secret) in demo.secrets {
                secrets
                    .set(demo.name, kind, secret)
                    .map_err(|e| e.to_string())?;
            }
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

    /// Whether this is the demo.
    pub fn is_demo(&self) -> bool {
        self.simulator.is_some()
    }
}

/// One demo profile: a provider on the embedded simulator with its demo credentials.
struct DemoProfile {
    name: &'static str,
    kind: ProviderKind,
    base_url: String,
    options: Vec<(&'static str, &'static str)>,
    secrets: Vec<(SecretKind, &'static str)>,
}

/// A profile for every provider the simulator serves.
fn demo_profiles(sim: &Simulator) -> Vec<DemoProfile> {
    vec![
        DemoProfile {
            name: DEMO_PROFILE,
            kind: ProviderKind::Qvatel,
            base_url: sim.qvatel_base_url(),
            options: vec![],
            secrets: vec![(SecretKind::ApiToken, qvatel::DEMO_TOKEN)],
        },
        DemoProfile {
            name: "demo-france",
            kind: ProviderKind::Smspartner,
            base_url: sim.smspartner_base_url(),
            options: vec![],
            secrets: vec![(SecretKind::ApiKey, smspartner::DEMO_KEY)],
        },
        DemoProfile {
            name: "demo-india",
            kind: ProviderKind::Rechargekit,
            base_url: sim.rechargekit_base_url(),
            options: vec![],
            secrets: vec![
                (SecretKind::Username, rechargekit::DEMO_USERNAME),
                (SecretKind::Password, rechargekit::DEMO_PASSWORD),
            ],
        },
        DemoProfile {
            name: "demo-mexico",
            kind: ProviderKind::Marketext,
            base_url: sim.marketext_base_url(),
            options: vec![
                ("source", marketext::DEMO_SOURCE),
                ("user", marketext::DEMO_USER),
            ],
            secrets: vec![
                (SecretKind::AccessToken, marketext::DEMO_ACCESS),
                (SecretKind::RefreshToken, marketext::DEMO_REFRESH),
            ],
        },
        DemoProfile {
            name: "demo-iran",
            kind: ProviderKind::Sabapayamak,
            base_url: sim.sabapayamak_base_url(),
            options: vec![("virtual_number", sabapayamak::DEMO_VIRTUAL_NUMBER)],
            secrets: vec![
                (SecretKind::Username, sabapayamak::DEMO_USERNAME),
                (SecretKind::Password, sabapayamak::DEMO_PASSWORD),
            ],
        },
    ]
}

/// Creates a demo profile, or points it at this run's simulator port.
fn ensure_demo_profile(ledger: &Ledger, demo: &DemoProfile) -> Result<(), LedgerError> {
    match ledger.profile(demo.name) {
        Ok(profile) => ledger.update_profile(demo.name, &demo.base_url, &profile.settings),
        Err(LedgerError::ProfileNotFound(_)) => {
            let mut settings = demo.kind.default_settings();
            for (name, value) in &demo.options {
                settings.options.insert(name.to_string(), value.to_string());
            }
            ledger
                .add_profile(demo.name, demo.kind, &demo.base_url, &settings)
                .map(drop)
        }
        Err(e) => Err(e),
    }
}
