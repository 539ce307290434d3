//! Provider profiles: which provider, where it lives and how this shop uses it. No secrets here:
//! those live in the keychain (see `crate::secrets`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::registry::{PROVIDERS, ProviderInfo};
use crate::domain::{Country, Money, MoneyError, Unit};
use crate::secrets::SecretKind;

/// The provider APIs saldo speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// QvaTel v1.1 phone recharge (Cuba).
    Qvatel,
    /// SMS Partner v1 sub-account credit (France).
    Smspartner,
    /// Marketext child-account top-up (Mexico).
    Marketext,
    /// RechargeKit prepaid mobile recharge (India).
    Rechargekit,
    /// Saba Payamak credit balance and statement (Iran).
    Sabapayamak,
}

impl ProviderKind {
    /// Every provider, in the order of [`registry::PROVIDERS`](super::registry::PROVIDERS).
    pub const ALL: [ProviderKind; 5] = [
        ProviderKind::Qvatel,
        ProviderKind::Smspartner,
        ProviderKind::Marketext,
        ProviderKind::Rechargekit,
        ProviderKind::Sabapayamak,
    ];

    /// Everything saldo knows about this provider, from its registry entry.
    pub fn info(self) -> &'static ProviderInfo {
        &PROVIDERS[self as usize]
    }

    /// The word used on the command line and in the ledger.
    pub fn as_str(self) -> &'static str {
        self.info().word
    }

    /// Reads the word used on the command line and in the ledger.
    pub fn parse(word: &str) -> Option<ProviderKind> {
        ProviderKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(word.trim()))
    }

    /// The provider's name as shops know it.
    pub fn display_name(self) -> &'static str {
        self.info().display_name
    }

    /// The provider's own name, without the country ("QvaTel"), for sentences.
    pub fn brand(self) -> &'static str {
        let name = self.display_name();
        name.split(" (").next().unwrap_or(name)
    }

    /// The secrets a profile of this provider needs in the keychain, with the default
    /// settings ([`Profile::secret_kinds`] for a given profile).
    pub fn secret_kinds(self) -> &'static [SecretKind] {
        (self.info().secret_kinds)(&self.default_settings())
    }

    /// The country whose numbers this provider tops up, if it tops up phones at all.
    pub fn topup_country(self) -> Option<Country> {
        self.info().topup_country
    }

    /// Settings a new profile starts with.
    pub fn default_settings(self) -> ProfileSettings {
        (self.info().default_settings)()
    }

    /// The provider's documented production address.
    pub fn default_base_url(self) -> &'static str {
        self.info().default_base_url
    }
}

/// The non-secret settings of a profile, stored as JSON in the ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileSettings {
    /// The unit the provider counts money in.
    pub unit: Unit,
    /// The amounts a top-up may have, in minor units of `unit`.
    pub denominations: Vec<i64>,
    /// How long one request may take before the outcome is treated as unknown.
    #[serde(default = "default_timeout")]
    pub request_timeout_secs: u64,
    /// A top-up to the same number for the same amount within this many seconds of one that did
    /// not fail is refused unless confirmed (0 turns the guard off).
    #[serde(default = "default_duplicate_window")]
    pub duplicate_window_secs: u64,
    /// Below this balance (minor units) the balances board turns the profile red and warns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low_balance_minor: Option<i64>,
    /// Sales are refused when they would take the last read balance below this (minor units).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sales_floor_minor: Option<i64>,
    /// Provider-specific settings, by the names in the provider's [`OptionSpec`]s.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
}

fn default_timeout() -> u64 {
    20
}

/// Ten minutes.
pub fn default_duplicate_window() -> u64 {
    600
}

/// A provider-specific, non-secret setting a profile may or must have.
#[derive(Clone, Copy, Debug)]
pub struct OptionSpec {
    pub name: &'static str,
    /// What it is, for help texts and error messages.
    pub help: &'static str,
    /// The value used when the profile does not set it; `None` makes it required.
    pub default: Option<&'static str>,
    /// The values it may take, if only a few are allowed.
    pub allowed: &'static [&'static str],
}

impl ProfileSettings {
    /// A provider-specific setting, or its default.
    pub fn option(&self, spec: &OptionSpec) -> Option<String> {
        self.options
            .get(spec.name)
            .cloned()
            .or_else(|| spec.default.map(str::to_string))
    }
}

impl ProviderKind {
    /// Checks and stores `name=value` settings for this provider, and that every required
    /// one is there.
    pub fn apply_options(
        self,
        settings: &mut ProfileSettings,
        assignments: &[String],
    ) -> Result<(), String> {
        let specs = self.info().options;
        let known = || {
            let names: Vec<_> = specs.iter().map(|s| s.name).collect();
            if names.is_empty() {
                format!("{} takes no --set options", self.display_name())
            } else {
                format!("{} takes: {}", self.display_name(), names.join(", "))
            }
        };
        for assignment in assignments {
            let (name, value) = assignment
                .split_once('=')
                .ok_or_else(|| format!("“{assignment}” must look like name=value"))?;
            let (name, value) = (name.trim(), value.trim());
            let spec = specs
                .iter()
                .find(|s| s.name == name)
                .ok_or_else(|| format!("unknown setting “{name}”: {}", known()))?;
            if value.is_empty() {
                return Err(format!("{name} needs a value: {}", spec.help));
            }
            if !spec.allowed.is_empty() && !spec.allowed.contains(&value) {
                return Err(format!("{name} must be one of {}", spec.allowed.join(", ")));
            }
            settings.options.insert(name.to_string(), value.to_string());
        }
        for spec in specs {
            if settings.option(spec).is_none() {
                return Err(format!(
                    "{} needs --set {}=… ({})",
                    self.display_name(),
                    spec.name,
                    spec.help
                ));
            }
        }
        Ok(())
    }
}

impl ProfileSettings {
    /// Counts the profile in another unit, keeping the face value of its denominations (20.00
    /// USD becomes 20 PTS, not 2000); one that cannot be written in the new unit's decimals
    /// (15.50 as whole points) is dropped.
    pub fn change_unit(&mut self, unit: Unit) {
        let (from, to) = (self.unit.scale(), unit.scale());
        let rescale = |minor: i64| -> Option<i64> {
            if to >= from {
                minor.checked_mul(10_i64.checked_pow(to - from)?)
            } else {
                let factor = 10_i64.checked_pow(from - to)?;
                (minor % factor == 0).then_some(minor / factor)
            }
        };
        self.denominations = self
            .denominations
            .iter()
            .filter_map(|&m| rescale(m))
            .collect();
        self.low_balance_minor = self.low_balance_minor.and_then(rescale);
        self.sales_floor_minor = self.sales_floor_minor.and_then(rescale);
        self.unit = unit;
    }

    /// The denominations as amounts.
    pub fn denomination_amounts(&self) -> Vec<Money> {
        self.denominations
            .iter()
            .map(|&minor| Money::from_minor(minor, self.unit))
            .collect()
    }

    /// The low-balance warning level, as an amount.
    pub fn low_balance(&self) -> Option<Money> {
        self.low_balance_minor
            .map(|minor| Money::from_minor(minor, self.unit))
    }

    /// The sales floor, as an amount.
    pub fn sales_floor(&self) -> Option<Money> {
        self.sales_floor_minor
            .map(|minor| Money::from_minor(minor, self.unit))
    }

    /// Reads a denomination list in this profile's unit: "15.00,20.00", or with semicolons
    /// when the amounts use a decimal comma ("15,00; 20,00").
    pub fn parse_denominations(text: &str, unit: Unit) -> Result<Vec<i64>, MoneyError> {
        let separator = if text.contains(';') { ';' } else { ',' };
        let mut list = Vec::new();
        for part in text.split(separator).filter(|p| !p.trim().is_empty()) {
            let amount = Money::parse(part, unit)?;
            if amount.minor() == 0 {
                return Err(MoneyError::NotANumber(part.trim().to_string()));
            }
            if !list.contains(&amount.minor()) {
                list.push(amount.minor());
            }
        }
        if list.is_empty() {
            return Err(MoneyError::Empty);
        }
        list.sort_unstable();
        Ok(list)
    }
}

/// A provider profile as stored in the ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub id: i64,
    pub name: String,
    pub provider: ProviderKind,
    pub base_url: String,
    pub settings: ProfileSettings,
}

impl Profile {
    /// The secrets this profile needs in the keychain (they may depend on its settings:
    /// RechargeKit's static token or login).
    pub fn secret_kinds(&self) -> &'static [SecretKind] {
        (self.provider.info().secret_kinds)(&self.settings)
    }
}

/// Checks a profile name: short, and safe to use in keychain entry names.
pub fn check_profile_name(name: &str) -> Result<&str, String> {
    let name = name.trim();
    let ok_chars = name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if name.is_empty() || name.len() > 40 || !ok_chars {
        return Err(format!(
            "“{name}” is not a usable profile name: use 1 to 40 letters, digits, '-', '_' or '.'"
        ));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {

    #[test]
    fn another_unit_keeps_the_face_value_of_the_denominations() {
        let mut settings = ProviderKind::Qvatel.default_settings();
        assert_eq!(settings.unit, Unit::Usd);
        settings.denominations = vec![2000, 1500, 1550];
        settings.change_unit(Unit::Points);
        assert_eq!(
            settings.denomination_amounts(),
            vec![
                Money::from_minor(20, Unit::Points),
                Money::from_minor(15, Unit::Points)
            ]
        );
        settings.change_unit(Unit::Eur);
        assert_eq!(settings.denominations, vec![20_000, 15_000]);
    }

    use super::*;

    #[test]
    fn denominations_parse_sorted_and_unique() {
        assert_eq!(
            ProfileSettings::parse_denominations("20.00, 15.00,20", Unit::Usd),
            Ok(vec![1500, 2000])
        );
        assert_eq!(
            ProfileSettings::parse_denominations("20,00; 15,00", Unit::Usd),
            Ok(vec![1500, 2000])
        );
        assert!(ProfileSettings::parse_denominations("", Unit::Usd).is_err());
        assert!(ProfileSettings::parse_denominations("0", Unit::Usd).is_err());
        assert!(ProfileSettings::parse_denominations("ten", Unit::Usd).is_err());
    }

    #[test]
    fn profile_names_are_checked() {
        assert_eq!(check_profile_name(" cuba-main "), Ok("cuba-main"));
        assert!(check_profile_name("").is_err());
        assert!(check_profile_name("a/b").is_err());
        assert!(check_profile_name(&"x".repeat(41)).is_err());
    }
}
