//! `saldo demo-data`: fills the DEMO ledger (never the shop's own) with a realistic history.

use clap::Args;

use super::{CliError, Exit, Output};
use crate::demo::{DEFAULT_SIM_BASE, demo_profiles, ensure_demo_profile};
use crate::ledger::Ledger;

#[derive(Debug, Args)]
pub struct DemoDataArgs {
    /// How many operations to add.
    #[arg(long, default_value_t = 10_000)]
    pub rows: usize,
    /// The seed, to make the same history again.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

pub(crate) fn run(args: DemoDataArgs, data_dir: &std::path::Path) -> Result<Output, CliError> {
    let dir = crate::paths::demo_dir(data_dir);
    let ledger = Ledger::open_in(&dir)?;
    for demo in demo_profiles(DEFAULT_SIM_BASE) {
        ensure_demo_profile(&ledger, &demo)?;
    }
    let started = std::time::Instant::now();
    let added = ledger
        .fill_demo_history(args.rows, args.seed)
        .map_err(|e| CliError::new(Exit::Ledger, e.to_string()))?;
    Ok(Output::ok(format!(
        "added {added} made-up operations to the demo ledger {} in {:.1} s; see them with \
         saldo --demo",
        ledger.path().display(),
        started.elapsed().as_secs_f64()
    )))
}
