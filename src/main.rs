//! The `saldo` binary: the window by default, or one command of the command line.

// A release build on Windows opens no console window behind the app's window; a command typed
// in a console attaches to that console for its output (see `attach_to_console`).
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use std::process::ExitCode;

use clap::Parser;
use saldo::cli::{Cli, Command, Exit};
use saldo::logging::LogSetup;

fn main() -> ExitCode {
    // Everything saldo writes holds customers' numbers or the shop's books: this user's only.
    saldo::paths::keep_new_files_private();
    attach_to_console();
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
    start_logging(&cli);
    match cli.command {
        Some(command) => saldo::cli::run(
            command,
            saldo::cli::Place {
                data_dir: cli.data_dir,
                ledger: cli.ledger,
                terminal: cli.terminal,
            },
        ),
        None => saldo::ui::run_window(cli.data_dir, cli.ledger, cli.terminal, cli.demo),
    }
}

/// Logs go to the data folder the command works in (the demo's own for `--demo`); the simulator
/// keeps no files. A log folder that cannot be written does not stop the command.
fn start_logging(cli: &Cli) {
    let works_in_data_folder = !matches!(cli.command, Some(Command::Simulate(_)));
    let data_dir = saldo::paths::data_dir(cli.data_dir.clone())
        .ok()
        .filter(|_| works_in_data_folder)
        .map(|dir| {
            if cli.demo {
                saldo::paths::demo_dir(&dir)
            } else {
                dir
            }
        });
    let _ = saldo::logging::init(&LogSetup {
        data_dir,
        stderr_verbosity: cli.verbose,
    });
}

/// On Windows, a console-less release build writes a command's output (and `--help`) to the
/// console it was started from, if any. Elsewhere there is nothing to do.
fn attach_to_console() {
    #[cfg(all(windows, not(debug_assertions)))]
    if std::env::args_os().len() > 1 {
        use windows_sys::Win32::System::Console::{ATTACH_PARENT_PROCESS, AttachConsole};
        // SAFETY: AttachConsole takes a process id and has no memory-safety preconditions; when
        // there is no parent console it fails harmlessly and output goes nowhere, as before.
        unsafe {
            AttachConsole(ATTACH_PARENT_PROCESS);
        }
    }
}
