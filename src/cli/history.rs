//! `saldo history`.

use clap::Args;

use super::{CliError, Output};
use crate::domain::time::local_text;
use crate::ledger::Ledger;

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// How many operations to show.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

pub fn run(args: HistoryArgs, ledger: &Ledger) -> Result<Output, CliError> {
    let rows = ledger.history_page(None, args.limit.max(1))?;
    if rows.is_empty() {
        return Ok(Output::ok("no operations yet"));
    }
    let lines: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                local_text(r.created_at),
                r.reference,
                r.kind.as_str(),
                r.profile_name,
                r.destination,
                r.amount,
                r.state,
                r.provider_ref.as_deref().unwrap_or("-")
            )
        })
        .collect();
    Ok(Output::ok(lines.join("\n")))
}
