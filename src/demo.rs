//! The demo shop: one profile per provider against the simulator, with the simulator's demo
//! credentials, in a ledger of its own.

use crate::ledger::{Ledger, LedgerError};
use crate::providers::ProviderKind;
use crate::secrets::SecretKind;
use crate::simulator::{marketext, qvatel, rechargekit, sabapayamak, smspartner};

/// The name of the demo's QvaTel profile (the first one shown).
pub const DEMO_PROFILE: &str = "demo-cuba";

/// Where `saldo simulate` listens unless told otherwise.
pub const DEFAULT_SIM_BASE: &str = "http://127.0.0.1:8750";

/// One demo profile: a provider on the embedded simulator with its demo credentials.
pub struct DemoProfile {
    pub name: &'static str,
    pub kind: ProviderKind,
    pub base_url: String,
    pub options: Vec<(&'static str, &'static str)>,
    pub secrets: Vec<(SecretKind, &'static str)>,
}

/// A profile for every provider the simulator at `sim_base` (`http://127.0.0.1:PORT`) serves.
pub fn demo_profiles(sim_base: &str) -> Vec<DemoProfile> {
    vec![
        DemoProfile {
            name: DEMO_PROFILE,
            kind: ProviderKind::Qvatel,
            base_url: format!("{sim_base}{}", qvatel::BASE_PATH),
            options: vec![],
            secrets: vec![(SecretKind::ApiToken, qvatel::DEMO_TOKEN)],
        },
        DemoProfile {
            name: "demo-france",
            kind: ProviderKind::Smspartner,
            base_url: format!("{sim_base}{}", smspartner::BASE_PATH),
            options: vec![],
            secrets: vec![(SecretKind::ApiKey, smspartner::DEMO_KEY)],
        },
        DemoProfile {
            name: "demo-india",
            kind: ProviderKind::Rechargekit,
            base_url: format!("{sim_base}{}", rechargekit::BASE_PATH),
            options: vec![],
            secrets: vec![(SecretKind::ApiToken, rechargekit::DEMO_API_TOKEN)],
        },
        DemoProfile {
            name: "demo-mexico",
            kind: ProviderKind::Marketext,
            base_url: format!("{sim_base}{}", marketext::BASE_PATH),
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
            base_url: format!("{sim_base}{}", sabapayamak::BASE_PATH),
            options: vec![("virtual_number", sabapayamak::DEMO_VIRTUAL_NUMBER)],
            secrets: vec![
                (SecretKind::Username, sabapayamak::DEMO_USERNAME),
                (SecretKind::Password, sabapayamak::DEMO_PASSWORD),
            ],
        },
    ]
}

/// Creates a demo profile, or points it at this run's simulator port.
pub fn ensure_demo_profile(ledger: &Ledger, demo: &DemoProfile) -> Result<(), LedgerError> {
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
