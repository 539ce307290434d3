//! `saldo credentials set`: reads a secret from stdin (no echo on a terminal) into the keychain.

use std::io::{BufRead, IsTerminal};

use clap::Subcommand;

use super::{CliError, Exit, Output};
use crate::engine::Engine;
use crate::secrets::{SecretError, SecretKind};

#[derive(Debug, Subcommand)]
pub enum CredentialsCommand {
    /// Save a profile's secret in the OS keychain, read from standard input.
    ///
    /// On a terminal it asks without showing what you type; otherwise it reads the first line,
    /// e.g.: printf '%s' "$TOKEN" | saldo credentials set cuba
    Set {
        /// The profile the secret belongs to.
        profile: String,
        /// Which secret: api_token (QvaTel) or api_key (SMS Partner). Default: the profile's
        /// first kind of secret.
        #[arg(long)]
        kind: Option<String>,
    },
}

fn keychain_error(error: SecretError) -> CliError {
    let exit = match error {
        SecretError::Empty => Exit::BadInput,
        _ => Exit::Config,
    };
    CliError::new(exit, error.to_string())
}

pub fn run(command: CredentialsCommand, engine: &Engine) -> Result<Output, CliError> {
    let CredentialsCommand::Set { profile, kind } = command;
    let profile = engine.ledger().profile(&profile)?;
    let kinds = profile.provider.secret_kinds();
    let kind = kind
        .map_or(kinds.first().copied(), |word| SecretKind::parse(&word))
        .filter(|k| kinds.contains(k))
        .ok_or_else(|| {
            let kinds: Vec<_> = profile
                .provider
                .secret_kinds()
                .iter()
                .map(|k| k.as_str())
                .collect();
            CliError::new(
                Exit::BadInput,
                format!(
                    "profile {} takes these secrets: {}",
                    profile.name,
                    kinds.join(", ")
                ),
            )
        })?;
    let secret = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("{} for {}: ", kind.description(), profile.name))
            .map_err(|e| CliError::new(Exit::BadInput, format!("could not read the secret: {e}")))?
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| {
            CliError::new(Exit::BadInput, format!("could not read the secret: {e}"))
        })?;
        line
    };
    engine
        .secrets()
        .set(&profile.name, kind, &secret)
        .map_err(keychain_error)?;
    Ok(Output::ok(format!(
        "saved the {} of profile {} in the keychain",
        kind.description(),
        profile.name
    )))
}
