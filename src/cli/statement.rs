//! `saldo statement`: credit movements by Jalali date range or the last N (Saba Payamak).

use clap::Args;

use super::{CliError, Exit, Output};
use crate::domain::Money;
use crate::domain::jalali::JalaliDate;
use crate::engine::Engine;
use crate::providers::{Movement, MovementKind, StatementQuery};

#[derive(Debug, Args)]
pub struct StatementArgs {
    /// The profile whose statement to read (Saba Payamak).
    pub profile: String,
    /// First Jalali day, yyyy/mm/dd (with --to).
    #[arg(long, requires = "to", conflicts_with = "last")]
    pub from: Option<String>,
    /// Last Jalali day, yyyy/mm/dd (with --from).
    #[arg(long, requires = "from")]
    pub to: Option<String>,
    /// Only the last N movements.
    #[arg(long)]
    pub last: Option<u32>,
    /// Only one kind: send, receive, purchase or refund.
    #[arg(long)]
    pub kind: Option<String>,
}

fn bad(message: impl Into<String>) -> CliError {
    CliError::new(Exit::BadInput, message)
}

fn line(m: &Movement) -> String {
    let jalali = m
        .day
        .map(|d| d.to_string())
        .unwrap_or_else(|| m.when_text.clone());
    let gregorian = m
        .day
        .map(|d| {
            let (y, mo, da) = d.to_gregorian();
            format!("{y}-{mo:02}-{da:02}")
        })
        .unwrap_or_default();
    let kind = match m.kind {
        Some(kind) => kind.as_str(),
        None => m.kind_text.as_str(),
    };
    format!(
        "{jalali}\t{gregorian}\t{}\t{kind}\t{}\t{}\t{}",
        m.time.as_deref().unwrap_or(""),
        m.amount,
        m.remaining,
        m.description
    )
}

pub(crate) fn run(
    args: StatementArgs,
    engine: &Engine,
    runtime: &tokio::runtime::Runtime,
) -> Result<Output, CliError> {
    let kind = args
        .kind
        .as_deref()
        .map(|k| {
            MovementKind::parse(k).ok_or_else(|| {
                bad(format!(
                    "“{k}” is not a kind: use send, receive, purchase or refund"
                ))
            })
        })
        .transpose()?;
    let query = match (args.from, args.to, args.last) {
        (Some(from), Some(to), None) => {
            let from = JalaliDate::parse(&from).map_err(bad)?;
            let to = JalaliDate::parse(&to).map_err(bad)?;
            if from > to {
                return Err(bad(format!("--from {from} is after --to {to}")));
            }
            StatementQuery::Range { from, to }
        }
        (None, None, Some(count)) if count > 0 => StatementQuery::Last { count, kind },
        _ => {
            return Err(bad(
                "give a Jalali range (--from 1403/01/01 --to 1403/06/31) or --last N",
            ));
        }
    };
    let mut movements = runtime.block_on(engine.statement(&args.profile, &query))?;
    if let (StatementQuery::Range { .. }, Some(kind)) = (query, kind) {
        movements.retain(|m| m.kind == Some(kind));
    }
    if movements.is_empty() {
        return Ok(Output::ok("no movements"));
    }
    let mut lines: Vec<String> = movements.iter().map(line).collect();
    for kind in MovementKind::ALL {
        let of_kind: Vec<&Movement> = movements.iter().filter(|m| m.kind == Some(kind)).collect();
        if let Some(first) = of_kind.first() {
            let total = of_kind
                .iter()
                .try_fold(Money::zero(first.amount.unit()), |sum, m| {
                    sum.checked_add(m.amount)
                });
            if let Some(total) = total {
                lines.push(format!(
                    "total {}\t{} movements\t{total}",
                    kind.as_str(),
                    of_kind.len()
                ));
            }
        }
    }
    Ok(Output::ok(lines.join("\n")))
}
