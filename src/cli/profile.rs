//! `saldo profile add|list`.

use clap::Subcommand;

use super::{CliError, Exit, Output};
use crate::domain::Unit;
use crate::engine::{ProfileDraft, ProfileSaveError, save_profile};
use crate::ledger::Ledger;
use crate::providers::{ProfileSettings, ProviderKind};

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Add a provider profile.
    ///
    /// Example: saldo profile add cuba --provider qvatel --base-url https://qvatel.com/api --denominations 15.00,20.00
    Add {
        /// A short name for the profile, used in every other command.
        name: String,
        /// The provider's API: qvatel (Cuba), smspartner (France), marketext (Mexico),
        /// rechargekit (India) or sabapayamak (Iran).
        #[arg(long)]
        provider: String,
        /// The provider's API address (https://; http:// only for 127.0.0.1). Default: the
        /// provider's documented address.
        #[arg(long)]
        base_url: Option<String>,
        /// The amounts this profile sells, e.g. 15.00,20.00 (or 15,00;20,00).
        #[arg(long)]
        denominations: Option<String>,
        /// The currency or unit of the account, e.g. USD.
        #[arg(long)]
        unit: Option<String>,
        /// Seconds one request may take before its outcome counts as unknown.
        #[arg(long)]
        timeout: Option<u64>,
        /// Minutes during which a top-up repeating a recent one (same number and amount) needs
        /// confirming (default 10; 0 turns the guard off).
        #[arg(long)]
        duplicate_window: Option<u64>,
        /// A provider-specific setting, name=value (repeatable). Marketext: source=MAIN_ACCOUNT_ID,
        /// user=USER_ID, auth=Token|Bearer. Saba Payamak: virtual_number=NUMBER.
        #[arg(long = "set", value_name = "NAME=VALUE")]
        options: Vec<String>,
    },
    /// List the profiles.
    ///
    /// Example: saldo profile list
    List,
}

pub(crate) fn run(command: ProfileCommand, ledger: &Ledger) -> Result<Output, CliError> {
    match command {
        ProfileCommand::Add {
            name,
            provider,
            base_url,
            denominations,
            unit,
            timeout,
            duplicate_window,
            options,
        } => {
            let bad = |m: String| CliError::new(Exit::BadInput, m);
            let kind = ProviderKind::parse(&provider).ok_or_else(|| {
                let known: Vec<_> = ProviderKind::ALL.iter().map(|k| k.as_str()).collect();
                bad(format!(
                    "unknown provider “{provider}”: use one of {}",
                    known.join(", ")
                ))
            })?;
            let base_url = base_url.unwrap_or_else(|| kind.default_base_url().to_string());
            let mut settings = kind.default_settings();
            if let Some(unit) = unit {
                let unit =
                    Unit::from_code(&unit).ok_or_else(|| bad(format!("unknown unit “{unit}”")))?;
                settings.change_unit(unit);
            }
            if let Some(list) = denominations {
                settings.denominations = ProfileSettings::parse_denominations(&list, settings.unit)
                    .map_err(|e| bad(format!("denominations: {e}")))?;
            }
            if let Some(secs) = timeout {
                settings.request_timeout_secs = secs.clamp(1, 300);
            }
            if let Some(minutes) = duplicate_window {
                settings.duplicate_window_secs = minutes.saturating_mul(60);
            }
            kind.apply_options(&mut settings, &options).map_err(bad)?;
            let draft = ProfileDraft {
                existing: None,
                name,
                provider: kind,
                base_url,
                settings,
            };
            let profile = save_profile(ledger, &draft).map_err(|e| match e {
                ProfileSaveError::Ledger(e) => CliError::from(e),
                refused => bad(refused.to_string()),
            })?;
            let secrets: Vec<_> = profile.secret_kinds().iter().map(|k| k.as_str()).collect();
            Ok(Output::ok(format!(
                "added profile {} ({}) at {}; now save its {} with: saldo credentials set {}",
                profile.name,
                kind.display_name(),
                profile.base_url,
                secrets.join(", "),
                profile.name
            )))
        }
        ProfileCommand::List => {
            let profiles = ledger.profiles()?;
            if profiles.is_empty() {
                return Ok(Output::ok(
                    "no profiles yet: add one with `saldo profile add NAME --provider qvatel`",
                ));
            }
            let lines: Vec<String> = profiles
                .iter()
                .map(|p| {
                    let amounts: Vec<String> = p
                        .settings
                        .denomination_amounts()
                        .iter()
                        .map(|m| m.to_decimal_string())
                        .collect();
                    let options: Vec<String> = p
                        .provider
                        .info()
                        .options
                        .iter()
                        .filter_map(|spec| {
                            p.settings
                                .option(spec)
                                .map(|v| format!("{}={v}", spec.name))
                        })
                        .collect();
                    let detail = if amounts.is_empty() {
                        options.join(" ")
                    } else {
                        format!("amounts {}", amounts.join(","))
                    };
                    format!(
                        "{}\t{}\t{}\t{}\t{}",
                        p.name,
                        p.provider.as_str(),
                        p.base_url,
                        p.settings.unit,
                        detail
                    )
                })
                .collect();
            Ok(Output::ok(lines.join("\n")))
        }
    }
}
