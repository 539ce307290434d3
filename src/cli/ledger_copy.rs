//! `saldo ledger copy`: moves a counter's SQLite ledger onto the shop's server (or into
//! another ledger), checked, and safe to run again.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{CliError, Output};
use crate::ledger::Ledger;

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Copy a SQLite ledger (a counter's saldo.sqlite3, or a backup) into the ledger --to
    /// names: its operations with their events, batches, profiles and what the window
    /// remembers. Operations are matched by their reference, so running it again copies
    /// nothing twice; afterwards every operation of the file is checked to be in the ledger
    /// with all of its history, or nothing is copied.
    ///
    /// Stop saldo on the counter whose file is copied first: an operation still being sent
    /// there is not finished in the file.
    ///
    /// Examples:
    ///   saldo ledger copy --from ~/.local/share/saldo/saldo.sqlite3 --to postgres://owner@10.0.0.5/shop
    ///   saldo --ledger postgres://owner@10.0.0.5/shop ledger copy --from counter-2.sqlite3
    Copy(CopyArgs),
}

#[derive(Debug, Args)]
pub struct CopyArgs {
    /// The SQLite ledger to copy from; it is only read.
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
    /// The ledger to copy into (a postgres:// address or a SQLite file); by default the one
    /// --ledger, SALDO_LEDGER or Settings names.
    #[arg(long, value_name = "URL")]
    pub to: Option<String>,
}

/// Copies `args.from` into `ledger` (the one `--to` opened).
pub(crate) fn copy(args: CopyArgs, ledger: &Ledger) -> Result<Output, CliError> {
    let copied = ledger.copy_from(&args.from)?;
    let merged = copied.merged;
    let already = copied.from.operations - merged.operations_added;
    Ok(Output::ok(format!(
        "copied {} into {}: {} operation(s) added, {} already there ({} of them got the rest \
         of their history), {} batch(es) added. Checked: all {} operation(s) of the file are \
         in the ledger with their whole history.",
        copied.from.path.display(),
        ledger.store().shown(),
        merged.operations_added,
        already,
        merged.operations_completed,
        merged.batches_added,
        copied.from.operations,
    )))
}
