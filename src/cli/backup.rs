//! `saldo backup` and `saldo restore`: a consistent copy of the ledger, and bringing one back.

use std::path::PathBuf;

use clap::Args;

use super::{CliError, Output};
use crate::domain::time::local_text;
use crate::ledger::{BackupFacts, Ledger};

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The file to write (replaced if it exists). Safe while saldo is selling: the copy is one
    /// consistent moment of the ledger.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A backup made by `saldo backup`, by the window, or an automatic daily backup (in the
    /// data folder's backups/).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

fn size_text(bytes: u64) -> String {
    match bytes {
        0..1_000_000 => format!("{:.0} kB", bytes as f64 / 1e3),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

fn newest_text(facts: &BackupFacts) -> String {
    facts.newest_operation_at.map_or_else(
        || "no operations".to_string(),
        |at| format!("newest {}", local_text(at)),
    )
}

pub(crate) fn backup(args: BackupArgs, ledger: &Ledger) -> Result<Output, CliError> {
    let facts = ledger.backup_to(&args.out)?;
    Ok(Output::ok(format!(
        "backed up {} operations ({}) to {} ({}), checked",
        facts.operations,
        newest_text(&facts),
        facts.path.display(),
        size_text(facts.bytes)
    )))
}

pub(crate) fn restore(args: RestoreArgs, ledger: &Ledger) -> Result<Output, CliError> {
    let restored = ledger.restore_from(&args.file)?;
    let merged = restored.merged;
    Ok(Output::ok(format!(
        "restored {} operations ({}) from {}, merged into the ledger: {} came back from the \
         backup, {} made since it was taken were kept, {} got the rest of their history from \
         it; {} batch rows got their link back. No operation was forgotten; the ledger as it \
         was is kept in {}",
        restored.from.operations,
        newest_text(&restored.from),
        restored.from.path.display(),
        merged.operations_added,
        merged.operations_kept,
        merged.operations_completed,
        merged.rows_linked,
        restored
            .previous_kept_at
            .as_ref()
            .map_or_else(String::new, |p| p.display().to_string()),
    )))
}
