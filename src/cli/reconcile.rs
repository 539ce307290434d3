//! `saldo reconcile`: follows every open operation until it is final or needs a person.

use std::time::{Duration, Instant};

use clap::Args;

use super::topup::describe;
use super::{CliError, Exit, Output};
use crate::engine::Engine;

#[derive(Debug, Args)]
pub struct ReconcileArgs {
    /// Only this profile's operations.
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<String>,
    /// Ask about every open operation now, ignoring the back-off between checks.
    #[arg(long)]
    pub now: bool,
    /// Keep following pending operations for up to this many seconds (0: one pass).
    #[arg(long, value_name = "SECONDS", default_value_t = 0)]
    pub wait: u64,
}

pub(crate) fn run(
    args: ReconcileArgs,
    engine: &Engine,
    runtime: &tokio::runtime::Runtime,
) -> Result<Output, CliError> {
    let until = Instant::now() + Duration::from_secs(args.wait);
    let mut lines = Vec::new();
    loop {
        let pass = async {
            if args.now {
                engine.reconcile_now(args.profile.as_deref()).await
            } else {
                engine.reconcile(args.profile.as_deref()).await
            }
        };
        let report = runtime.block_on(pass)?;
        for record in &report.settled {
            lines.push(format!("settled: {}", describe(record).text));
        }
        let needs_review: Vec<String> = report
            .needs_review
            .iter()
            .map(|r| {
                format!(
                    "needs review: {} {} {} {} — {}",
                    r.reference,
                    r.profile_name,
                    r.destination,
                    r.amount,
                    r.review_reason
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default()
                )
            })
            .collect();
        let open = report.waiting + report.needs_review.len();
        if report.waiting == 0 || Instant::now() >= until {
            lines.extend(needs_review);
            lines.push(match open {
                0 => "every operation is final".to_string(),
                n => format!(
                    "{n} operation(s) still open ({} waiting for the provider, {} need review: \
                     see `saldo review list`)",
                    report.waiting,
                    report.needs_review.len()
                ),
            });
            let exit = if open == 0 { Exit::Ok } else { Exit::Unsettled };
            return Ok(Output {
                text: lines.join("\n"),
                exit,
            });
        }
        std::thread::sleep(Duration::from_secs(1).min(until - Instant::now()));
    }
}
