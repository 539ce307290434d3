//! `saldo balance`.

use clap::Args;

use super::{CliError, Output};
use crate::engine::Engine;

#[derive(Debug, Args)]
pub struct BalanceArgs {
    /// The profile whose balance to read.
    pub profile: String,
}

pub(crate) fn run(
    args: BalanceArgs,
    engine: &Engine,
    runtime: &tokio::runtime::Runtime,
) -> Result<Output, CliError> {
    let balance = runtime.block_on(engine.balance(&args.profile))?;
    Ok(Output::ok(format!("{}: {balance}", args.profile)))
}
