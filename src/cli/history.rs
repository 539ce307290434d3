//! `saldo history`: recent operations, newest first, filtered.

use clap::Args;

use super::{CliError, Exit, Output};
use crate::domain::time::local_text;
use crate::domain::{Country, TxState};
use crate::ledger::{HistoryFilter, Ledger};

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// How many operations to show.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// Which operations to take: the filters `saldo history` and `saldo export` share.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// From this local day on, YYYY-MM-DD.
    #[arg(long)]
    pub from: Option<String>,
    /// Up to and including this local day, YYYY-MM-DD.
    #[arg(long)]
    pub to: Option<String>,
    /// Only this profile.
    #[arg(long)]
    pub profile: Option<String>,
    /// Only this state: recorded, sending, succeeded, failed, pending or unknown.
    #[arg(long)]
    pub state: Option<String>,
    /// Only this number (any usual form), sub-account or child account; a part of one ("4239")
    /// finds every destination with it in.
    #[arg(long)]
    pub to_number: Option<String>,
    /// Only what this counter recorded (its --terminal name).
    #[arg(long)]
    pub counter: Option<String>,
}

fn bad(message: String) -> CliError {
    CliError::new(Exit::BadInput, message)
}

/// The start of a local day, in Unix milliseconds; `next` gives the start of the day after.
fn day_start(text: &str, next: bool) -> Result<i64, CliError> {
    let date: jiff::civil::Date = text
        .trim()
        .parse()
        .map_err(|_| bad(format!("“{text}” is not a date: write it as YYYY-MM-DD")))?;
    let date = if next {
        date.tomorrow().map_err(|e| bad(e.to_string()))?
    } else {
        date
    };
    date.to_zoned(jiff::tz::TimeZone::system())
        .map(|z| z.timestamp().as_millisecond())
        .map_err(|e| bad(e.to_string()))
}

impl FilterArgs {
    /// The ledger filter these arguments describe.
    pub fn into_filter(self) -> Result<HistoryFilter, CliError> {
        let args = self;
        Ok(HistoryFilter {
        from_ms: args.from.as_deref().map(|d| day_start(d, false)).transpose()?,
        to_ms: args.to.as_deref().map(|d| day_start(d, true)).transpose()?,
        profile: args.profile,
        state: args
            .state
            .as_deref()
            .map(|s| {
                TxState::parse(s.trim())
                    .ok_or_else(|| bad(format!("“{s}” is not a state: use recorded, sending, succeeded, failed, pending or unknown")))
            })
            .transpose()?,
        counter: args.counter,
        ..HistoryFilter::default()
        }
        .with_destination(
            args.to_number.as_deref().unwrap_or_default(),
            &[Country::Cuba, Country::India],
        ))
    }
}

pub(crate) fn run(args: HistoryArgs, ledger: &Ledger) -> Result<Output, CliError> {
    let filter = args.filter.into_filter()?;
    let rows = ledger.history_page_filtered(&filter, None, args.limit.max(1))?;
    if rows.is_empty() {
        return Ok(Output::ok("no operations"));
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
