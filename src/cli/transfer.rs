//! `saldo transfer`: points from the main account to a child account (Marketext).

use clap::Args;

use super::topup::describe;
use super::{CliError, Output};
use crate::engine::{Engine, TransferOrder};

#[derive(Debug, Args)]
pub struct TransferArgs {
    /// The profile to transfer from (Marketext).
    pub profile: String,
    /// The child account's id.
    #[arg(long)]
    pub to: String,
    /// Whole points to transfer, e.g. 5000.
    #[arg(long)]
    pub amount: String,
    /// Send it even though the same points went to this child account moments ago (refused
    /// otherwise, for the profile's duplicate window; a repeat of a transfer that is still
    /// open is always refused).
    #[arg(long)]
    pub confirm_duplicate: bool,
}

pub(crate) fn run(
    args: TransferArgs,
    engine: &Engine,
    runtime: &tokio::runtime::Runtime,
) -> Result<Output, CliError> {
    let order = TransferOrder {
        profile: args.profile,
        child: args.to,
        amount: args.amount,
        confirm_repeat: args.confirm_duplicate,
    };
    let record = runtime.block_on(engine.transfer(&order))?;
    Ok(describe(&record))
}
