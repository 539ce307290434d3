//! `saldo export`: the ledger (or the filtered part of it) as a CSV file.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::history::FilterArgs;
use super::{CliError, Exit, Output};
use crate::ledger::Ledger;
use crate::ledger::export::{CsvAudience, CsvStyle, ExportError, export_to_file};

/// Who will open the file.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ExportFor {
    /// Excel or LibreOffice: cells that would run as formulas are shown as text.
    Spreadsheet,
    /// Another program: plain RFC 4180, values exactly as stored.
    Import,
}

/// The character between values.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Delimiter {
    Comma,
    /// For Excel in locales whose decimal separator is a comma (Spanish, French…).
    Semicolon,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The file to write (replaced if it exists).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Who will open the file.
    #[arg(long = "for", value_enum, default_value = "spreadsheet")]
    pub audience: ExportFor,
    /// The character between values.
    #[arg(long, value_enum, default_value = "comma")]
    pub delimiter: Delimiter,
    /// Start the file with a UTF-8 byte-order mark, so Excel reads accents correctly.
    #[arg(long)]
    pub bom: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
}

pub(crate) fn run(args: ExportArgs, ledger: &Ledger) -> Result<Output, CliError> {
    let filter = args.filter.into_filter()?;
    let style = CsvStyle {
        audience: match args.audience {
            ExportFor::Spreadsheet => CsvAudience::Spreadsheet,
            ExportFor::Import => CsvAudience::Import,
        },
        delimiter: match args.delimiter {
            Delimiter::Comma => b',',
            Delimiter::Semicolon => b';',
        },
        bom: args.bom,
    };
    match export_to_file(ledger.store(), &filter, &args.out, style, |_| true) {
        Ok(rows) => Ok(Output::ok(format!(
            "exported {} operation(s) to {}",
            rows.unwrap_or(0),
            args.out.display()
        ))),
        Err(error) => {
            let exit = match error {
                ExportError::Ledger(_) => Exit::Ledger,
                _ => Exit::BadInput,
            };
            Err(CliError::new(exit, error.to_string()))
        }
    }
}
