//! The `saldo` binary: the window by default, or one command of the command line.

use std::process::ExitCode;

use clap::Parser;
use saldo::cli::{Cli, Exit};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let exit = if error.use_stderr() {
                Exit::BadInput
            } else {
                Exit::Ok
            };
            let _ = error.print();
            return exit.into();
        }
    };
    if cli.demo && cli.command.is_some() {
        eprintln!("saldo: --demo opens the window; it does not go with a command");
        return Exit::BadInput.into();
    }
    match cli.command {
        Some(command) => saldo::cli::run(command, cli.data_dir),
        None => saldo::ui::run_window(cli.data_dir, cli.demo),
    }
}
