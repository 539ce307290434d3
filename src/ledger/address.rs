//! Which ledger a counter works on: its own SQLite file (the default, in its data folder), a
//! SQLite file elsewhere, or the shop's PostgreSQL server. Given with `--ledger` or
//! `SALDO_LEDGER`, or chosen in Settings and then kept in the data folder's
//! `ledger-address.txt` — one line, never a password (that is in the keychain).

use std::path::{Path, PathBuf};

use super::db::PgTarget;
use super::{FILE_NAME, Ledger, LedgerError, ServerPassword};

/// The file in the data folder that keeps the choice made in Settings.
pub const SAVED_CHOICE: &str = "ledger-address.txt";

/// Where a counter's ledger is.
#[derive(Clone, Debug)]
pub enum LedgerAddress {
    /// A SQLite file: this counter only.
    File(PathBuf),
    /// The shop's server, shared by every counter.
    Server(PgTarget),
}

impl LedgerAddress {
    /// Reads an address as a person gives it: `postgres://user@host:port/db?sslmode=…` for
    /// the shop's server, anything else a SQLite file's path.
    pub fn parse(text: &str) -> Result<LedgerAddress, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("the ledger address is empty: give a file or postgres://…".to_string());
        }
        let lower = text.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            return PgTarget::parse(text).map(LedgerAddress::Server);
        }
        if lower.contains("://") {
            return Err(format!(
                "“{text}” is neither a file nor a postgres:// address of the shop's server"
            ));
        }
        Ok(LedgerAddress::File(PathBuf::from(text)))
    }

    /// The address as it may be shown, logged or stored.
    pub fn shown(&self) -> String {
        match self {
            LedgerAddress::File(path) => path.display().to_string(),
            LedgerAddress::Server(target) => target.shown().to_string(),
        }
    }

    /// The counter's own file in its data folder.
    pub fn own_file(data_dir: &Path) -> LedgerAddress {
        LedgerAddress::File(data_dir.join(FILE_NAME))
    }

    /// Whether this is the shop's server.
    pub fn is_server(&self) -> bool {
        matches!(self, LedgerAddress::Server(_))
    }
}

/// The ledger a counter works on: the one `given` (`--ledger`, `SALDO_LEDGER`), else the one
/// saved in Settings, else its own file.
pub fn chosen(given: Option<&str>, data_dir: &Path) -> Result<LedgerAddress, String> {
    if let Some(given) = given {
        return LedgerAddress::parse(given);
    }
    match std::fs::read_to_string(data_dir.join(SAVED_CHOICE)) {
        Ok(saved) if !saved.trim().is_empty() => LedgerAddress::parse(&saved).map_err(|e| {
            format!(
                "{e} (in {}: choose the ledger again in Settings)",
                data_dir.join(SAVED_CHOICE).display()
            )
        }),
        _ => Ok(LedgerAddress::own_file(data_dir)),
    }
}

/// Keeps the choice made in Settings for the next start (`None`: the counter's own file).
pub fn save_choice(data_dir: &Path, choice: Option<&LedgerAddress>) -> std::io::Result<()> {
    let path = data_dir.join(SAVED_CHOICE);
    match choice {
        None => match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        },
        Some(choice) => {
            crate::paths::create_private_dir(data_dir)?;
            let partial = path.with_extension("txt.partial");
            std::fs::write(&partial, format!("{}\n", choice.shown()))?;
            std::fs::rename(&partial, &path)
        }
    }
}

/// Opens the ledger at `address`, writing for the counter named `counter` (default: the
/// host name); `password` is asked for the server's password (from the keychain) only when
/// the address is the shop's server.
pub fn open(
    address: &LedgerAddress,
    data_dir: &Path,
    counter: Option<&str>,
    password: impl FnOnce(&PgTarget) -> Option<ServerPassword>,
) -> Result<Ledger, LedgerError> {
    let opened = match address {
        LedgerAddress::File(path) => {
            if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                crate::paths::create_private_dir(folder).map_err(|e| LedgerError::Open {
                    path: folder.to_path_buf(),
                    reason: e.to_string(),
                })?;
            }
            Ledger::open(path)
        }
        LedgerAddress::Server(target) => {
            Ledger::open_server_as(target, password(target), data_dir, counter)
        }
    }?;
    Ok(match counter {
        Some(name) => opened.with_counter(name),
        None => opened,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_a_file_or_the_shops_server_and_never_holds_a_password() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            LedgerAddress::parse("/srv/shop/saldo.sqlite3").unwrap(),
            LedgerAddress::File(_)
        ));
        let server =
            LedgerAddress::parse("postgres://clerk@10.0.0.5:5432/shop?sslmode=require").unwrap();
        assert!(server.is_server());
        assert_eq!(
            server.shown(),
            "postgres://clerk@10.0.0.5:5432/shop?sslmode=require"
        );
        let refused = LedgerAddress::parse("postgres://clerk:hunter2@10.0.0.5/shop").unwrap_err();
        assert!(refused.contains("keychain"), "{refused}");
        assert!(!refused.contains("hunter2"), "{refused}");
        assert!(LedgerAddress::parse("mysql://x@y/z").is_err());

        // Nothing saved: the counter's own file; a saved choice; a given one wins.
        let own = chosen(None, dir.path()).unwrap();
        assert_eq!(
            own.shown(),
            dir.path().join(FILE_NAME).display().to_string()
        );
        save_choice(dir.path(), Some(&server)).unwrap();
        let saved = std::fs::read_to_string(dir.path().join(SAVED_CHOICE)).unwrap();
        assert_eq!(saved.trim(), server.shown());
        assert!(chosen(None, dir.path()).unwrap().is_server());
        assert!(
            !chosen(Some("other.sqlite3"), dir.path())
                .unwrap()
                .is_server()
        );
        save_choice(dir.path(), None).unwrap();
        assert!(!chosen(None, dir.path()).unwrap().is_server());
    }
}
