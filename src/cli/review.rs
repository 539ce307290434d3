//! `saldo review list|settle`: operations whose outcome nobody knows yet, settled by a person.

use clap::{ArgGroup, Subcommand};

use super::topup::describe;
use super::{CliError, Output};
use crate::domain::time::local_text;
use crate::domain::{Note, Reference};
use crate::engine::{Engine, Settlement};

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// List operations whose outcome is unknown or that an interruption left half-way, with
    /// their event log.
    ///
    /// Example: saldo review list
    List,
    /// Settle one by hand after checking with the provider or the customer; recorded as an event.
    ///
    /// Example: saldo review settle SAL-20261122-7K3M9QX2 --succeeded --note "customer got it"
    #[command(group(ArgGroup::new("outcome").required(true).args(["succeeded", "failed"])))]
    Settle {
        /// Our reference of the operation (SAL-…).
        reference: String,
        /// It went through.
        #[arg(long)]
        succeeded: bool,
        /// It did not go through (nothing was charged).
        #[arg(long)]
        failed: bool,
        /// How you know, kept with the operation.
        #[arg(long)]
        note: String,
    },
}

pub(crate) fn run(
    command: ReviewCommand,
    engine: &Engine,
    runtime: &tokio::runtime::Runtime,
) -> Result<Output, CliError> {
    match command {
        ReviewCommand::List => {
            let items = runtime.block_on(engine.needs_review())?;
            if items.is_empty() {
                return Ok(Output::ok("nothing needs review"));
            }
            let mut lines = Vec::new();
            for item in items {
                let r = &item.record;
                lines.push(format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    local_text(r.created_at),
                    r.reference,
                    r.kind.as_str(),
                    r.profile_name,
                    r.destination,
                    r.amount,
                    r.state
                ));
                if let Some(reason) = &r.review_reason {
                    lines.push(format!("    needs review: {reason}"));
                }
                for event in item.events {
                    let from = event.from_state.map_or("-".to_string(), |s| s.to_string());
                    let detail = event.detail.unwrap_or_default();
                    let detail = Note::in_english(&detail).replace('\n', " ");
                    lines.push(format!(
                        "    {} {from} -> {} {detail}",
                        local_text(event.at),
                        event.to_state
                    ));
                }
            }
            Ok(Output::ok(lines.join("\n")))
        }
        ReviewCommand::Settle {
            reference,
            succeeded,
            failed: _,
            note,
        } => {
            let outcome = if succeeded {
                Settlement::Succeeded
            } else {
                Settlement::Failed
            };
            let reference = Reference::from_text(&reference);
            let record = runtime.block_on(engine.settle(&reference, outcome, &note))?;
            Ok(describe(&record))
        }
    }
}
