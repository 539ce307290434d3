//! Settings › "Where this counter keeps the shop's books": the ledger's place as the window
//! shows it, and a new choice checked before it is kept (the window opens it from its next
//! start; the running one stays on the ledger it has).

use std::path::Path;

use super::vocabulary::LedgerPlace;
use crate::ledger::address::{self, LedgerAddress};
use crate::ledger::{Ledger, LedgerError};
use crate::secrets::{Secret, SecretKind, SecretStore};
use crate::t;
use crate::ui::text::error_text::{ledger_error_text, secret_error_text};
use crate::ui::text::words::Words;

/// Where `ledger` is and which counters work on it.
pub(crate) fn place(ledger: &Ledger) -> Result<LedgerPlace, LedgerError> {
    Ok(LedgerPlace {
        shown: ledger.store().shown(),
        on_server: ledger.dialect() == crate::ledger::Dialect::Postgres,
        counter: ledger.counter().to_string(),
        counters: ledger.counters()?,
        kept_outcomes: ledger.kept_outcomes(),
    })
}

/// Checks and keeps a new choice: the address is read, the server's password (if typed) is
/// saved in this counter's keychain, the ledger is opened with both, and only then is the
/// choice kept for the next start.
pub(crate) fn choose(
    data_dir: &Path,
    typed: Option<&str>,
    password: Option<Secret>,
    secrets: &SecretStore,
    counter: &str,
) -> Result<Words, Words> {
    let address = match typed {
        None => LedgerAddress::own_file(data_dir),
        Some(text) => LedgerAddress::parse(text).map_err(|e| Words::new(move || e.clone()))?,
    };
    if let (LedgerAddress::Server(target), Some(password)) = (&address, &password)
        && !password.expose().is_empty()
    {
        secrets
            .set(
                &target.keychain_name(),
                SecretKind::Password,
                password.expose(),
            )
            .map_err(|e| Words::error(e, secret_error_text))?;
    }
    drop(password);
    address::open(&address, data_dir, Some(counter), |target| {
        secrets.server_password(target)
    })
    .map_err(|e| Words::error(e, ledger_error_text))?;
    let kept = if typed.is_none() {
        address::save_choice(data_dir, None)
    } else {
        address::save_choice(data_dir, Some(&address))
    };
    kept.map_err(|e| {
        let reason = e.to_string();
        Words::new(move || t!("settings-ledger-not-kept", reason = reason.as_str()))
    })?;
    let shown = address.shown();
    Ok(if address.is_server() {
        Words::new(move || t!("settings-ledger-chosen-server", address = shown.as_str()))
    } else {
        Words::new(move || t!("settings-ledger-chosen-file", path = shown.as_str()))
    })
}
