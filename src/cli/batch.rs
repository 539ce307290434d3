//! `saldo batch`: top-ups from a CSV file. Every row is checked before anything is stored or
//! sent; then rows go out with bounded concurrency and a rate limit, with progress on the
//! terminal; a per-row result file is written at the end. An interrupted batch resumes with
//! `--resume ID` and never sends a row twice.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Args;

use super::{CliError, Exit, Output};
use crate::engine::batch_file::{fingerprint, read_batch};
use crate::engine::{BatchProgress, BatchRun, Engine};
use crate::ledger::export::{spreadsheet_cell, spreadsheet_destination};
use crate::ledger::{BatchRowStatus, LedgerError};

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The profile to top up through.
    #[arg(required_unless_present = "resume", conflicts_with = "resume")]
    pub profile: Option<String>,
    /// The CSV file: a header naming `number` and `amount` (and `operator`, `circle` where the
    /// provider needs them), then one top-up per line.
    #[arg(required_unless_present = "resume", conflicts_with = "resume")]
    pub file: Option<PathBuf>,
    /// Carry on with a batch that was interrupted, sending only the rows never sent.
    #[arg(long, value_name = "ID")]
    pub resume: Option<i64>,
    /// How many top-ups may be on their way at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// At most this many top-ups start per second (0: no limit).
    #[arg(long, default_value_t = 20)]
    pub rate: u32,
    /// Send rows that repeat a recent top-up (same number and amount) instead of refusing them.
    #[arg(long)]
    pub confirm_duplicates: bool,
    /// Send the file as a new batch even though the same rows were stored as a batch before
    /// (without it, such a file is recognised and nothing is sent).
    #[arg(long, conflicts_with = "resume")]
    pub new_run: bool,
    /// Where to write the per-row results (default: next to the batch file).
    #[arg(long, value_name = "FILE")]
    pub results: Option<PathBuf>,
}

/// Shows progress: a bar on a terminal, a plain line every 5% otherwise.
struct ProgressView {
    bar: Option<indicatif::ProgressBar>,
    last_line: std::sync::Mutex<usize>,
}

impl ProgressView {
    fn new(total: usize) -> ProgressView {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} top-ups  {elapsed_precise} (about {eta} left)",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
        ProgressView {
            bar,
            last_line: std::sync::Mutex::new(usize::MAX),
        }
    }

    fn show(&self, progress: BatchProgress) {
        if let Some(bar) = &self.bar {
            bar.set_position(progress.done as u64);
            return;
        }
        let step = (progress.total / 20).max(1);
        let mut last = self.last_line.lock().expect("progress lock");
        let due = *last == usize::MAX
            || progress.done >= last.saturating_add(step)
            || progress.done == progress.total;
        if due && *last != progress.done {
            *last = progress.done;
            eprintln!("batch: {}/{} rows done", progress.done, progress.total);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The default results file: next to the batch file, named after the batch.
fn default_results(source: &str, id: i64) -> PathBuf {
    let source = Path::new(source);
    let stem = source
        .file_stem()
        .map_or_else(|| "batch".into(), |s| s.to_string_lossy().into_owned());
    source.with_file_name(format!("{stem}.batch-{id}.results.csv"))
}

/// Writes one line per batch row: what was asked and how it ended.
fn write_results(path: &Path, rows: &[BatchRowStatus]) -> Result<(), String> {
    let mut out = csv::Writer::from_path(path).map_err(|e| e.to_string())?;
    let header = [
        "line",
        "number",
        "amount",
        "operator",
        "circle",
        "result",
        "reference",
        "provider_reference",
        "message",
    ];
    out.write_record(header).map_err(|e| e.to_string())?;
    for row in rows {
        let (result, reference, provider_ref, message) = match (&row.operation, &row.refusal) {
            (Some(op), _) => (
                op.state.as_str().to_string(),
                op.reference.to_string(),
                op.provider_ref.clone().unwrap_or_default(),
                op.provider_message
                    .as_deref()
                    .map(|m| crate::domain::Note::in_english(m).into_owned())
                    .unwrap_or_default(),
            ),
            (None, Some(reason)) => (
                "refused".into(),
                String::new(),
                String::new(),
                reason.clone(),
            ),
            (None, None) => (
                "not sent".into(),
                String::new(),
                String::new(),
                String::new(),
            ),
        };
        let input = &row.input;
        let line = input.line.to_string();
        let cells = [
            line.as_str(),
            input.number.as_str(),
            input.amount.as_str(),
            input.operator.as_deref().unwrap_or(""),
            input.circle.as_deref().unwrap_or(""),
            result.as_str(),
            reference.as_str(),
            provider_ref.as_str(),
            message.as_str(),
        ];
        let safe = cells.iter().enumerate().map(|(i, cell)| match i {
            1 => spreadsheet_destination(cell).into_owned(),
            _ => spreadsheet_cell(cell).into_owned(),
        });
        out.write_record(safe).map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}

/// Stores a new batch after checking every row; returns its id.
fn store_new_batch(args: &BatchArgs, engine: &Engine) -> Result<i64, CliError> {
    let (Some(name), Some(file)) = (&args.profile, &args.file) else {
        return Err(CliError::new(
            Exit::BadInput,
            "name a profile and a batch file",
        ));
    };
    let profile = engine.ledger().profile(name)?;
    let input = std::fs::File::open(file).map_err(|e| {
        CliError::new(
            Exit::BadInput,
            format!("cannot read {}: {e}", file.display()),
        )
    })?;
    let lists = engine.ledger().topup_lists(&profile)?;
    let rows =
        read_batch(std::io::BufReader::new(input), &profile, &lists).map_err(|problems| {
            CliError::new(
                Exit::BadInput,
                format!(
                    "nothing was sent; fix these rows of {} and run it again:\n{}",
                    file.display(),
                    problems.join("\n")
                ),
            )
        })?;
    let source = std::path::absolute(file).unwrap_or_else(|_| file.clone());
    let print = fingerprint(&profile, &lists, &rows);
    let stored = engine.ledger().create_batch(
        profile.id,
        &source.to_string_lossy(),
        args.confirm_duplicates,
        &print,
        args.new_run,
        &rows,
    );
    if let Err(LedgerError::SameRows { batch_id }) = stored {
        let last = engine.ledger().batch(batch_id)?;
        let progress = BatchProgress::of(&engine.ledger().batch_rows(last.id)?);
        let unsent = progress.total - progress.done;
        let carry_on = if unsent > 0 {
            format!(
                "; carry on with it (sending only the {unsent} rows never sent): saldo batch \
                 --resume {}",
                last.id
            )
        } else {
            String::new()
        };
        return Err(CliError::new(
            Exit::BadInput,
            format!(
                "nothing was sent: {} holds the same rows as batch {} (stored {} from {}): {} of \
                 {} rows done — {} succeeded, {} failed, {} pending or unknown, {} refused{carry_on}. \
                 To send every row again as a new batch, add --new-run",
                file.display(),
                last.id,
                crate::domain::time::local_text(last.created_at),
                last.source,
                progress.done,
                progress.total,
                progress.succeeded,
                progress.failed,
                progress.unsettled,
                progress.refused,
            ),
        ));
    }
    let id = stored?;
    eprintln!(
        "batch {id}: {} rows checked and stored; if it is interrupted, carry on with: saldo batch --resume {id}",
        rows.len()
    );
    Ok(id)
}

pub(crate) fn run(
    args: BatchArgs,
    engine: &Engine,
    runtime: &tokio::runtime::Runtime,
) -> Result<Output, CliError> {
    let id = match args.resume {
        Some(id) => id,
        None => store_new_batch(&args, engine)?,
    };
    let info = engine.ledger().batch(id)?;
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = {
        let stop = stop.clone();
        runtime.spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                stop.store(true, Ordering::SeqCst);
                eprintln!(
                    "batch {id}: stopping — rows on their way finish and are recorded. \
                     Carry on later with: saldo batch --resume {id}"
                );
                if tokio::signal::ctrl_c().await.is_ok() {
                    std::process::exit(130);
                }
            }
        })
    };
    let total = engine.ledger().batch_rows(id)?.len();
    let view = ProgressView::new(total);
    let run = BatchRun {
        concurrency: usize::from(args.concurrency),
        per_second: args.rate,
    };
    let outcome = runtime.block_on(engine.run_batch(id, run, stop.clone(), |p| view.show(p)));
    view.finish();
    watcher.abort();
    let rows = match outcome {
        Ok(rows) => rows,
        Err(error) => {
            let mut error = CliError::from(error);
            error.message = format!(
                "batch {id} stopped: {}. Rows already sent are recorded; fix the problem and \
                 carry on with: saldo batch --resume {id}",
                error.message
            );
            return Err(error);
        }
    };
    let results = args
        .results
        .clone()
        .unwrap_or_else(|| default_results(&info.source, id));
    write_results(&results, &rows).map_err(|e| {
        CliError::new(
            Exit::BadInput,
            format!(
                "batch {id} is recorded, but {} could not be written: {e}",
                results.display()
            ),
        )
    })?;
    let progress = BatchProgress::of(&rows);
    let unsent = progress.total - progress.done;
    let mut text = format!(
        "batch {id}: {} succeeded, {} failed, {} pending or unknown, {} refused",
        progress.succeeded, progress.failed, progress.unsettled, progress.refused
    );
    if unsent > 0 {
        text.push_str(&format!(
            ", {unsent} not sent yet (carry on with: saldo batch --resume {id})"
        ));
    }
    text.push_str(&format!("; results in {}", results.display()));
    let exit = if unsent > 0 || progress.unsettled > 0 {
        Exit::Unsettled
    } else if progress.failed > 0 || progress.refused > 0 {
        Exit::Rejected
    } else {
        Exit::Ok
    };
    Ok(Output { text, exit })
}
