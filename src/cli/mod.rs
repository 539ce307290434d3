//! The command line: one file per command group, each a thin call into the engine or ledger.
//!
//! One line of result on stdout, one line of error on stderr. Exit codes: 0 succeeded, 1 bad
//! input or usage, 2 rejected by the provider, 3 pending or unknown (recorded, to reconcile),
//! 4 configuration, credential or keychain problem, 5 ledger problem.

mod backup;
mod balance;
mod batch;
pub mod check;
mod credentials;
mod demo_data;
mod export;
mod history;
mod ledger_copy;
mod profile;
mod receipt;
mod reconcile;
mod review;
mod simulate;
mod statement;
mod subaccounts;
mod topup;
mod transfer;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::engine::{Engine, EngineError, EngineOptions};
use crate::ledger::address::LedgerAddress;
use crate::ledger::{Ledger, LedgerError};
use crate::providers::ProviderError;
use crate::secrets::SecretStore;

/// How a command ended, as an exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    BadInput = 1,
    Rejected = 2,
    Unsettled = 3,
    Config = 4,
    Ledger = 5,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

/// A command that could not do its work: the line for stderr and the exit code.
#[derive(Debug)]
pub struct CliError {
    pub exit: Exit,
    pub message: String,
}

impl CliError {
    pub fn new(exit: Exit, message: impl Into<String>) -> CliError {
        CliError {
            exit,
            message: message.into(),
        }
    }
}

impl From<EngineError> for CliError {
    fn from(error: EngineError) -> Self {
        let exit = match &error {
            EngineError::BadInput(_)
            | EngineError::PossibleRepeat(_)
            | EngineError::RepeatOfOpen(_)
            | EngineError::SalesBlocked { .. } => Exit::BadInput,
            EngineError::Config(_) | EngineError::Secret(_) => Exit::Config,
            EngineError::NotRecorded(_)
            | EngineError::OutcomeNotRecorded { .. }
            | EngineError::Ledger(_) => Exit::Ledger,
            EngineError::Provider(ProviderError::Auth { .. }) => Exit::Config,
            EngineError::Provider(_) => Exit::Rejected,
        };
        CliError::new(exit, error.to_string())
    }
}

impl From<LedgerError> for CliError {
    fn from(error: LedgerError) -> Self {
        let exit = match error {
            LedgerError::ProfileNotFound(_) => Exit::Config,
            LedgerError::ProfileExists(_)
            | LedgerError::TransactionNotFound(_)
            | LedgerError::NoReceipt { .. }
            | LedgerError::NotRestorable { .. } => Exit::BadInput,
            _ => Exit::Ledger,
        };
        CliError::new(exit, error.to_string())
    }
}

/// The end of `saldo --help`: a first session, and where saldo keeps things.
const EXAMPLES: &str = "\
Examples:
  saldo --demo                                  the window, with simulated providers
  saldo                                         the window, for your shop
  saldo profile add cuba --provider qvatel --denominations 15.00,20.00
  saldo credentials set cuba                    the API token goes to the keychain
  saldo --ledger postgres://clerk@10.0.0.5/shop credentials set-ledger
                                                one ledger for every counter of the shop
  saldo topup cuba --to 52942387 --amount 20
  saldo status SAL-20261122-7K3M9QX2
  saldo batch cuba customers.csv                after an interruption: saldo batch --resume ID
  saldo export --out today.csv --from 2026-11-23 --to 2026-11-23 --bom
  saldo receipt SAL-20261122-7K3M9QX2 --format escpos --width 58 --tcp 192.168.1.50:9100
  saldo backup --out /media/usb/saldo.sqlite3
  saldo -vv balance cuba                        every request and reply on stderr

Where saldo keeps things (Linux; --data-dir or SALDO_DATA_DIR moves all but secrets):
  ~/.local/share/saldo/saldo.sqlite3            the ledger: every operation and its events
  ~/.local/share/saldo/logs/                    one log file a day, kept 30 days, no secrets
  ~/.local/share/saldo/backups/                 daily backups made by the window
  ~/.local/share/saldo/crash-reports/           what saldo wrote when it stopped on a fault
  the system keychain (service \"saldo\")         API keys, tokens, passwords: never in files

Run `saldo help COMMAND` for a command's options and examples.";

/// saldo: phone top-ups and prepaid credit for reseller shops.
///
/// Without a command, opens the window. Exit codes: 0 succeeded, 1 bad input or usage,
/// 2 rejected by the provider (or it could not be reached for a read), 3 pending or unknown
/// (recorded; check it later with `saldo status`), 4 configuration, credential or keychain
/// problem, 5 ledger problem.
#[derive(Debug, Parser)]
#[command(name = "saldo", version, about, long_about, after_long_help = EXAMPLES)]
pub struct Cli {
    /// Folder for the ledger and settings (default: the OS data folder, e.g. ~/.local/share/saldo).
    #[arg(long, global = true, env = "SALDO_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// The ledger to work on: a SQLite file, or the shop's server as
    /// postgres://user@host:port/database?sslmode=require (its password goes in the keychain
    /// with `saldo credentials set-ledger`, never in the address). Default: the one chosen in
    /// Settings, else saldo.sqlite3 in the data folder.
    #[arg(long, global = true, env = "SALDO_LEDGER", value_name = "URL")]
    pub ledger: Option<String>,

    /// This counter's name, written on every operation and event (History and the export
    /// tell the shop's counters apart by it). Default: the machine's host name.
    #[arg(long, global = true, env = "SALDO_TERMINAL", value_name = "NAME")]
    pub terminal: Option<String>,

    /// Open the window in demo mode: a built-in simulator, demo credentials kept in memory and a
    /// separate demo ledger. Nothing real is sent.
    #[arg(long)]
    pub demo: bool,

    /// Also show on standard error what saldo does: -v each operation and its outcome, -vv
    /// every provider request and reply, -vvv everything. Secrets are always removed. The same
    /// lines go to the daily log file in the data folder's logs/ whatever this says.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add or list provider profiles.
    ///
    /// Examples:
    ///   saldo profile add cuba --provider qvatel --denominations 15.00,20.00
    ///   saldo profile list
    #[command(subcommand)]
    Profile(profile::ProfileCommand),
    /// Save a profile's secrets in the OS keychain.
    ///
    /// Example: saldo credentials set cuba
    #[command(subcommand)]
    Credentials(credentials::CredentialsCommand),
    /// Top up a mobile number.
    ///
    /// Example: saldo topup cuba --to 52942387 --amount 20
    Topup(topup::TopupArgs),
    /// Top up every row of a CSV file (columns number, amount, and operator/circle where
    /// needed); an interrupted batch carries on with --resume and never sends a row twice.
    ///
    /// Example: saldo batch cuba customers.csv --concurrency 8
    Batch(batch::BatchArgs),
    /// Show an operation by its reference, asking the provider if it is still open.
    ///
    /// Example: saldo status SAL-20261122-7K3M9QX2
    Status(topup::StatusArgs),
    /// List sub-accounts, move credit to and from them, create them (SMS Partner).
    ///
    /// Example: saldo subaccounts fr add-credit shop-01@example.fr 10
    Subaccounts(subaccounts::SubaccountsArgs),
    /// Transfer points from the main account to a child account (Marketext).
    ///
    /// Example: saldo transfer mx --to mx-child-01 --amount 5000
    Transfer(transfer::TransferArgs),
    /// Credit movements by Jalali date range or the last N, with totals (Saba Payamak).
    ///
    /// Example: saldo statement ir --from 1403/01/01 --to 1403/06/31 --kind send
    Statement(statement::StatementArgs),
    /// Follow every open operation: ask providers about pending and unknown ones, settle rows an
    /// interruption left half-way, flag what a person must decide.
    ///
    /// Example: saldo reconcile --wait 60
    Reconcile(reconcile::ReconcileArgs),
    /// Operations whose outcome nobody knows yet, and settling them by hand.
    ///
    /// Example: saldo review settle SAL-20261122-7K3M9QX2 --failed --note "provider says no"
    #[command(subcommand)]
    Review(review::ReviewCommand),
    /// Read a profile's balance from its provider.
    ///
    /// Example: saldo balance cuba
    Balance(balance::BalanceArgs),
    /// Run every read-only call of a profile's provider (balance, status of a known
    /// reference, lists, statement) and print what was sent (secrets removed), what came back,
    /// and whether saldo could read it. Never moves money: run it once with real credentials,
    /// and send the report to support when something fails.
    ///
    /// Example: saldo check india --reference SAL-20261202-7K3M9QX2
    Check(check::CheckArgs),
    /// List recent operations, newest first.
    ///
    /// Example: saldo history --limit 20
    History(history::HistoryArgs),
    /// Write operations to a CSV file for a spreadsheet or another program.
    ///
    /// Example: saldo export --out november.csv --from 2026-11-01 --to 2026-11-30 --delimiter semicolon --bom
    Export(export::ExportArgs),
    /// The customer's receipt of an operation that went through (or is being confirmed): as
    /// text, PDF or ESC/POS for a 58 or 80 mm thermal printer. The first print takes this
    /// counter's next receipt number; every later one is marked REPRINT.
    ///
    /// Examples:
    ///   saldo receipt SAL-20261207-7K3M9QX2
    ///   saldo receipt SAL-20261207-7K3M9QX2 --format escpos --width 58 --tcp 192.168.1.50:9100
    ///   saldo receipt SAL-20261207-7K3M9QX2 --format pdf --page a4 --out receipt.pdf
    Receipt(receipt::ReceiptArgs),
    /// The shop's name and address on every receipt, and how receipts show numbers.
    ///
    /// Example: saldo shop set --name "Recargas El Sol" --address "Calle 23 #456, Vedado"
    #[command(subcommand)]
    Shop(receipt::ShopCommand),
    /// Write a consistent copy of the ledger to a file, even while saldo is selling.
    ///
    /// Example: saldo backup --out /media/usb/saldo-2026-11-23.sqlite3
    Backup(backup::BackupArgs),
    /// Bring back a backup: the file is checked first (SQLite integrity check, a ledger this
    /// saldo knows), and the ledger as it was is kept in the data folder's backups/.
    ///
    /// Example: saldo restore /media/usb/saldo-2026-11-23.sqlite3
    Restore(backup::RestoreArgs),
    /// Move a shop's ledger: copy a counter's SQLite ledger onto the shop's server.
    ///
    /// Example: saldo ledger copy --from saldo.sqlite3 --to postgres://owner@10.0.0.5/shop
    #[command(subcommand)]
    Ledger(ledger_copy::LedgerCommand),
    /// Fill the demo ledger (never your own) with a realistic made-up history.
    ///
    /// Example: saldo demo-data --rows 100000
    DemoData(demo_data::DemoDataArgs),
    /// Run the provider simulator on 127.0.0.1 for trying saldo out.
    ///
    /// Example: saldo simulate --port 8750
    Simulate(simulate::SimulateArgs),
}

/// Where a command works: the data folder and the ledger, as given on the command line.
#[derive(Clone, Debug, Default)]
pub struct Place {
    pub data_dir: Option<PathBuf>,
    pub ledger: Option<String>,
    /// This counter's name (`--terminal`), else the host name.
    pub terminal: Option<String>,
}

impl Place {
    fn data_dir(&self) -> Result<PathBuf, CliError> {
        crate::paths::data_dir(self.data_dir.clone()).map_err(|e| CliError::new(Exit::Config, e))
    }

    /// The ledger this command works on.
    fn address(&self) -> Result<(PathBuf, LedgerAddress), CliError> {
        let dir = self.data_dir()?;
        let address = crate::ledger::address::chosen(self.ledger.as_deref(), &dir)
            .map_err(|e| CliError::new(Exit::Config, e))?;
        Ok((dir, address))
    }

    /// Opens the ledger this command works on; the shop server's password comes from the
    /// keychain.
    fn open_ledger(&self, secrets: &SecretStore) -> Result<Ledger, CliError> {
        let (dir, address) = self.address()?;
        Ok(crate::ledger::address::open(
            &address,
            &dir,
            self.terminal.as_deref(),
            |target| secrets.server_password(target),
        )?)
    }
}

/// Runs one command and returns its exit code, printing its result or error.
pub fn run(command: Command, place: Place) -> ExitCode {
    let outcome = match command {
        Command::Simulate(args) => simulate::run(args),
        Command::DemoData(args) => place.data_dir().and_then(|dir| demo_data::run(args, &dir)),
        Command::Credentials(credentials::CredentialsCommand::SetLedger) => {
            credentials::set_ledger(&place, &SecretStore::keychain())
        }
        Command::Profile(cmd) => with_engine(place, |engine, _| profile::run(cmd, engine.ledger())),
        Command::Credentials(credentials::CredentialsCommand::Set { profile, kind }) => {
            with_engine(place, |engine, _| credentials::run(profile, kind, &engine))
        }
        Command::Topup(args) => {
            with_engine(place, |engine, rt| topup::run_topup(args, &engine, rt))
        }
        Command::Batch(args) => with_engine(place, |engine, rt| batch::run(args, &engine, rt)),
        Command::Status(args) => {
            with_engine(place, |engine, rt| topup::run_status(args, &engine, rt))
        }
        Command::Subaccounts(args) => {
            with_engine(place, |engine, rt| subaccounts::run(args, &engine, rt))
        }
        Command::Transfer(args) => {
            with_engine(place, |engine, rt| transfer::run(args, &engine, rt))
        }
        Command::Statement(args) => {
            with_engine(place, |engine, rt| statement::run(args, &engine, rt))
        }
        Command::Reconcile(args) => {
            with_engine(place, |engine, rt| reconcile::run(args, &engine, rt))
        }
        Command::Review(cmd) => with_engine(place, |engine, rt| review::run(cmd, &engine, rt)),
        Command::Balance(args) => with_engine(place, |engine, rt| balance::run(args, &engine, rt)),
        Command::Check(args) => with_engine(place, |engine, rt| check::run(args, &engine, rt)),
        Command::Export(args) => with_ledger(place, |ledger| export::run(args, ledger)),
        Command::Receipt(args) => with_ledger(place, |ledger| receipt::run(args, ledger)),
        Command::Shop(cmd) => with_ledger(place, |ledger| receipt::shop(cmd, ledger)),
        Command::Backup(args) => with_ledger(place, |ledger| backup::backup(args, ledger)),
        Command::Restore(args) => with_ledger(place, |ledger| backup::restore(args, ledger)),
        Command::Ledger(ledger_copy::LedgerCommand::Copy(args)) => {
            let place = Place {
                ledger: args.to.clone().or(place.ledger),
                ..place
            };
            with_ledger(place, |ledger| ledger_copy::copy(args, ledger))
        }
        Command::History(args) => {
            with_engine(place, |engine, _| history::run(args, engine.ledger()))
        }
    };
    match outcome {
        Ok(line) => {
            say(&line.text);
            line.exit.into()
        }
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "saldo: {}", error.message);
            error.exit.into()
        }
    }
}

/// Prints a line on stdout. A closed stdout (`saldo history | head -1`) is not an error.
pub fn say(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}").and_then(|()| out.flush());
}

/// What a command prints on stdout, and how it exits.
pub struct Output {
    pub text: String,
    pub exit: Exit,
}

impl Output {
    fn ok(text: impl Into<String>) -> Output {
        Output {
            text: text.into(),
            exit: Exit::Ok,
        }
    }
}

/// Runs work that needs only the ledger (no keychain, no network).
fn with_ledger(
    place: Place,
    work: impl FnOnce(&Ledger) -> Result<Output, CliError>,
) -> Result<Output, CliError> {
    work(&place.open_ledger(&SecretStore::keychain())?)
}

fn with_engine(
    place: Place,
    work: impl FnOnce(Engine, &tokio::runtime::Runtime) -> Result<Output, CliError>,
) -> Result<Output, CliError> {
    let ledger = place.open_ledger(&SecretStore::keychain())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::new(Exit::Config, format!("cannot start: {e}")))?;
    let engine = Engine::new(
        Arc::new(ledger),
        Arc::new(SecretStore::keychain()),
        EngineOptions::default(),
    );
    work(engine, &runtime)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}

#[cfg(test)]
mod help_tests {
    use clap::CommandFactory;

    use super::Cli;

    /// Every command and subcommand, by its path ("saldo profile add").
    fn all_commands() -> Vec<(String, clap::Command)> {
        let mut found = Vec::new();
        let mut stack = vec![("saldo".to_string(), Cli::command())];
        while let Some((path, command)) = stack.pop() {
            for sub in command.get_subcommands() {
                if sub.get_name() != "help" {
                    stack.push((format!("{path} {}", sub.get_name()), sub.clone()));
                }
            }
            found.push((path, command));
        }
        found
    }

    #[test]
    fn every_command_has_examples_in_its_help() {
        let lacking: Vec<String> = all_commands()
            .into_iter()
            .filter(|(_, command)| {
                let mut command = command.clone();
                !command.render_long_help().to_string().contains("Example")
            })
            .map(|(path, _)| path)
            .collect();
        assert!(lacking.is_empty(), "no example in the help of: {lacking:?}");
    }
}
