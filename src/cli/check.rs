//! `saldo check PROFILE`: runs the profile's read-only calls against its provider and prints,
//! per call, what was sent (secrets removed), what came back, and whether saldo could read it.

use clap::Args;

use super::{CliError, Exit, Output};
use crate::domain::Reference;
use crate::engine::{CheckReport, Engine};
use crate::providers::http::redact;
use crate::providers::tape::Exchange;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The profile to check.
    pub profile: String,
    /// An earlier operation to ask the status of (default: the profile's newest top-up).
    #[arg(long)]
    pub reference: Option<String>,
}

pub fn run(
    args: CheckArgs,
    engine: &Engine,
    runtime: &tokio::runtime::Runtime,
) -> Result<Output, CliError> {
    let reference = args.reference.as_deref().map(Reference::from_text);
    let report = runtime.block_on(engine.check(&args.profile, reference.as_ref()))?;
    let (made, read) = report.tally();
    let mut output = Output::ok(render(&report));
    if read < made {
        output.exit = Exit::Rejected;
    }
    Ok(output)
}

/// The longest part of a body the report shows.
const MOST: usize = 600;

fn clip(text: &str) -> String {
    let flat = text.replace(['\r', '\n'], " ");
    match flat.char_indices().nth(MOST) {
        Some((end, _)) => format!("{}… ({} bytes in all)", &flat[..end], text.len()),
        None => flat,
    }
}

/// The report as a person reads it, every secret removed.
pub fn render(report: &CheckReport) -> String {
    // The secrets saldo knows, then every credential-named value (`api_token=…`, `"token":…`)
    // whatever it is: a reply that could not be read may hold handles saldo never learnt.
    let clean = |text: &str| crate::logging::redact::redact_line(&redact(text, &report.secrets));
    let profile = &report.profile;
    let mut lines = vec![format!(
        "saldo check {} — {} at {} (read-only: no money moves)",
        profile.name,
        profile.provider.display_name(),
        clean(&profile.base_url)
    )];
    for (number, step) in report.steps.iter().enumerate() {
        lines.push(String::new());
        let head = match (&step.verdict, &step.skipped) {
            (Some(Ok(read)), _) => format!("read: {}", clean(read)),
            (Some(Err(why)), _) => format!("NOT READ: {}", clean(why)),
            (None, Some(why)) => format!("skipped: {why}"),
            (None, None) => "skipped".to_string(),
        };
        lines.push(format!("{}. {} — {head}", number + 1, step.call));
        for exchange in &step.exchanges {
            lines.extend(exchange_lines(exchange, &clean));
        }
    }
    let (made, read) = report.tally();
    lines.push(String::new());
    lines.push(if made == read {
        format!("saldo could read all {made} calls.")
    } else {
        format!(
            "saldo could read {read} of {made} calls: send this report to support \
             (it holds no secret)."
        )
    });
    lines.join("\n")
}

fn exchange_lines(exchange: &Exchange, clean: &dyn Fn(&str) -> String) -> Vec<String> {
    let mut lines = vec![format!(
        "   sent:     {} {}",
        exchange.method,
        clean(&exchange.url)
    )];
    for (name, value) in &exchange.headers {
        let value = if name.eq_ignore_ascii_case("authorization") {
            // The scheme only: the credential itself is never shown.
            match value.split_once(' ') {
                Some((scheme, _)) => format!("{scheme} [redacted]"),
                None => "[redacted]".to_string(),
            }
        } else {
            clean(value)
        };
        lines.push(format!("             {name}: {value}"));
    }
    if exchange.credential {
        lines.push("             [a credential request: its body is not shown]".to_string());
    } else if !exchange.body.is_empty() {
        lines.push(format!("             {}", clip(&clean(&exchange.body))));
    }
    match (exchange.status, &exchange.failure) {
        (_, Some(failure)) => lines.push(format!("   received: nothing ({})", clean(failure))),
        (Some(status), None) if exchange.credential => lines.push(format!(
            "   received: HTTP {status} [a credential reply: not shown]"
        )),
        (Some(status), None) => lines.push(format!(
            "   received: HTTP {status} {}",
            clip(&clean(&exchange.reply))
        )),
        (None, None) => lines.push("   received: nothing".to_string()),
    }
    lines
}
