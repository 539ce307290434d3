//! `saldo simulate`: the provider simulator, standalone on 127.0.0.1.

use clap::Args;

use super::{CliError, Exit, Output, say};
use crate::domain::{Money, Unit};
use crate::simulator::{
    RandomFaults, SimConfig, Simulator, marketext, qvatel, rechargekit, sabapayamak, smspartner,
};

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8750)]
    pub port: u16,
    /// Extra latency for every provider request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Faults drawn at random, name=rate: timeout-before-commit, timeout-after-commit,
    /// late-commit, reset-before-commit, reset, malformed, httpNNN. Example:
    /// timeout-after-commit=0.05,reset=0.02,http500=0.02,malformed=0.01
    #[arg(long, default_value = "")]
    pub faults: String,
    /// The seed of the random faults, to replay a run.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

pub(crate) fn run(args: SimulateArgs) -> Result<Output, CliError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::new(Exit::Config, format!("cannot start: {e}")))?;
    runtime.block_on(async {
        let random = RandomFaults {
            latency_ms: args.latency_ms,
            rates: RandomFaults::parse_rates(&args.faults)
                .map_err(|e| CliError::new(Exit::BadInput, format!("--faults: {e}")))?,
            seed: args.seed,
        };
        let config = SimConfig {
            random,
            ..SimConfig::default()
        };
        let sim = Simulator::start(args.port, config).await.map_err(|e| {
            CliError::new(
                Exit::Config,
                format!("cannot listen on 127.0.0.1:{}: {e}", args.port),
            )
        })?;
        let qvatel_url = sim.qvatel_base_url();
        let base = sim.base_url();
        let token = qvatel::DEMO_TOKEN;
        let balance = Money::from_minor(qvatel::DEMO_BALANCE_CENTS, Unit::Usd);
        for line in [
            format!("saldo simulator listening on {base}"),
            format!("QvaTel: base URL {qvatel_url}, api_token {token}, balance {balance}"),
            format!(
                "SMS Partner: base URL {}, api_key {}, balance {}, {} sub-accounts",
                sim.smspartner_base_url(),
                smspartner::DEMO_KEY,
                Money::from_minor(smspartner::DEMO_MAIN_MILLI, Unit::Eur),
                smspartner::DEMO_SUBACCOUNTS
            ),
            format!(
                "Marketext: base URL {}, --set source={} --set user={}, access_token {}, \
                 refresh_token {}, {} points, children {}",
                sim.marketext_base_url(),
                marketext::DEMO_SOURCE,
                marketext::DEMO_USER,
                marketext::DEMO_ACCESS,
                marketext::DEMO_REFRESH,
                marketext::DEMO_POINTS,
                marketext::DEMO_CHILDREN.join(", ")
            ),
            format!(
                "RechargeKit: base URL {}, api_token {} (or --set auth=login: username {}, \
                 password {}), wallet {}",
                sim.rechargekit_base_url(),
                rechargekit::DEMO_API_TOKEN,
                rechargekit::DEMO_USERNAME,
                rechargekit::DEMO_PASSWORD,
                Money::from_minor(rechargekit::DEMO_WALLET_PAISE, Unit::Inr)
            ),
            format!(
                "Saba Payamak: base URL {}, username {}, password {}, --set virtual_number={}",
                sim.sabapayamak_base_url(),
                sabapayamak::DEMO_USERNAME,
                sabapayamak::DEMO_PASSWORD,
                sabapayamak::DEMO_VIRTUAL_NUMBER
            ),
            "Try it from another terminal:".to_string(),
            format!("  saldo profile add sim-cuba --provider qvatel --base-url {qvatel_url}"),
            format!("  printf %s {token} | saldo credentials set sim-cuba"),
            "  saldo topup sim-cuba --to 52942387 --amount 20".to_string(),
            format!("What it received: {base}/__sim/requests  its state: {base}/__sim/state"),
            "Stop it with Ctrl-C.".to_string(),
        ] {
            say(&line);
        }
        if args.latency_ms > 0 || !args.faults.trim().is_empty() {
            say(&format!(
                "Faults: +{} ms on every request, random faults “{}”, seed {} (same seed, same faults)",
                args.latency_ms,
                args.faults.trim(),
                args.seed
            ));
        }
        wait_for_stop().await;
        Ok(Output::ok("simulator stopped"))
    })
}

async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
