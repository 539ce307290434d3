//! `saldo credentials set`: reads secrets from stdin (no echo on a terminal) into the keychain.

use std::io::{BufRead, IsTerminal};

use clap::Subcommand;

use super::{CliError, Exit, Output};
use crate::engine::Engine;
use crate::secrets::{SecretError, SecretKind};

#[derive(Debug, Subcommand)]
pub enum CredentialsCommand {
    /// Save a profile's secrets in the OS keychain, read from standard input.
    ///
    /// Without --kind it asks for every secret the provider needs, in order (QvaTel:
    /// api_token; SMS Partner: api_key; Marketext: access_token then refresh_token;
    /// RechargeKit and Saba Payamak: username then password). On a terminal it does not show
    /// what you type; otherwise it reads one line per secret.
    ///
    /// Examples:
    ///   saldo credentials set cuba
    ///   printf '%s\n' "$TOKEN" "$REFRESH" | saldo credentials set mx
    ///   saldo credentials set india --kind password
    Set {
        /// The profile the secrets belong to.
        profile: String,
        /// Only this secret: api_token, api_key, access_token, refresh_token, username or password.
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

fn read_secret(kind: SecretKind, profile: &str) -> Result<String, CliError> {
    let failed = |e: std::io::Error| {
        CliError::new(Exit::BadInput, format!("could not read the secret: {e}"))
    };
    if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("{} for {profile}: ", kind.description()))
            .map_err(failed)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(failed)?;
        Ok(line)
    }
}

pub(crate) fn run(command: CredentialsCommand, engine: &Engine) -> Result<Output, CliError> {
    let CredentialsCommand::Set { profile, kind } = command;
    let profile = engine.ledger().profile(&profile)?;
    let needed = profile.secret_kinds();
    let kinds: Vec<SecretKind> = match kind {
        None => needed.to_vec(),
        Some(word) => {
            let kind = SecretKind::parse(&word).filter(|k| needed.contains(k));
            let names: Vec<_> = needed.iter().map(|k| k.as_str()).collect();
            vec![kind.ok_or_else(|| {
                CliError::new(
                    Exit::BadInput,
                    format!(
                        "profile {} takes these secrets: {}",
                        profile.name,
                        names.join(", ")
                    ),
                )
            })?]
        }
    };
    // Read everything first, so a short input saves nothing rather than half a token pair.
    let mut secrets = Vec::with_capacity(kinds.len());
    for kind in &kinds {
        let secret = read_secret(*kind, &profile.name)?;
        if secret.trim().is_empty() {
            return Err(keychain_error(SecretError::Empty));
        }
        secrets.push((*kind, secret));
    }
    for (kind, secret) in &secrets {
        engine
            .secrets()
            .set(&profile.name, *kind, secret)
            .map_err(keychain_error)?;
    }
    let saved: Vec<_> = kinds.iter().map(|k| k.description()).collect();
    Ok(Output::ok(format!(
        "saved the {} of profile {} in the keychain",
        saved.join(" and "),
        profile.name
    )))
}
