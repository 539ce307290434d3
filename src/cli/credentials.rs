//! `saldo credentials set`: reads secrets from stdin (no echo on a terminal) into the keychain.

use std::io::{BufRead, IsTerminal};

use clap::Subcommand;

use super::{CliError, Exit, Output, Place};
use crate::engine::Engine;
use crate::ledger::LedgerAddress;
use crate::secrets::{SecretError, SecretKind, SecretStore};

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
    /// Save the password of the shop's server (the ledger every counter shares) in this
    /// counter's keychain, read from standard input, and check that the server takes it.
    ///
    /// The server is the one --ledger, SALDO_LEDGER or Settings names. Each counter keeps its
    /// own copy of the password; the address never holds it.
    ///
    /// Examples:
    ///   saldo --ledger postgres://clerk@10.0.0.5:5432/shop?sslmode=require credentials set-ledger
    ///   printf '%s\n' "$PGPASS" | SALDO_LEDGER=postgres://clerk@10.0.0.5/shop saldo credentials set-ledger
    SetLedger,
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

/// `saldo credentials set-ledger`: the shop server's password into the keychain, then a
/// login with it to say whether the server takes it.
pub(crate) fn set_ledger(place: &Place, secrets: &SecretStore) -> Result<Output, CliError> {
    let (dir, address) = place.address()?;
    let LedgerAddress::Server(target) = &address else {
        return Err(CliError::new(
            Exit::BadInput,
            format!(
                "the ledger is the file {}, which has no password: give the shop's server with \
                 --ledger postgres://user@host/database",
                address.shown()
            ),
        ));
    };
    let password = read_secret(SecretKind::Password, &format!("the shop's server {target}"))?;
    let password = password.trim_end_matches(['\r', '\n']);
    secrets
        .set(&target.keychain_name(), SecretKind::Password, password)
        .map_err(keychain_error)?;
    match crate::ledger::address::open(&address, &dir, place.terminal.as_deref(), |target| {
        secrets.server_password(target)
    }) {
        Ok(_) => Ok(Output::ok(format!(
            "saved the password of the shop's server {target} in the keychain; the server \
             took it"
        ))),
        Err(error) => Err(CliError::new(
            Exit::Ledger,
            format!("saved the password in the keychain, but {error}"),
        )),
    }
}

/// `saldo credentials set PROFILE [--kind KIND]`.
pub(crate) fn run(
    profile: String,
    kind: Option<String>,
    engine: &Engine,
) -> Result<Output, CliError> {
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
