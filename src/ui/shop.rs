//! What every panel may look at: the profiles and the balances last read. The app keeps it up
//! to date from events; panels only read it.

use std::collections::BTreeMap;

use crate::domain::{Money, Reference};
use crate::ledger::BalanceReading;
use crate::providers::Profile;
use crate::providers::registry::capabilities_of;
use crate::t;
use crate::ui::backend::SecretStatus;
use crate::ui::text::words::Words;

/// A profile's balance as the window knows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BalanceView {
    /// The last reading (from this run or an earlier one).
    pub reading: Option<BalanceReading>,
    /// Why the last attempt to read it failed.
    pub error: Option<Words>,
    /// A reading is on its way.
    pub loading: bool,
}

/// The profiles and their balances.
#[derive(Clone, Debug, Default)]
pub struct Shop {
    pub profiles: Vec<Profile>,
    /// By profile name.
    pub balances: BTreeMap<String, BalanceView>,
    /// Which secrets each profile has in the keychain, by profile name (as last asked).
    pub secrets: BTreeMap<String, SecretStatus>,
    /// Operations the last interruption left on their way, until each is settled.
    pub interrupted: Vec<Reference>,
    /// Today's succeeded top-ups per unit, as last counted.
    pub today: Vec<crate::ledger::DailySales>,
    /// The last count of today's sales asked for: an older answer arriving late is dropped.
    pub today_asked: u64,
    /// The count whose answer `today` holds.
    pub today_answered: u64,
    /// Where the ledger is and the shop's counters, as last asked.
    pub place: Option<crate::ui::backend::LedgerPlace>,
}

impl Shop {
    /// The profile with this name.
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.name == name)
    }

    /// Profiles that can do something, by a capability test.
    pub fn profiles_that(&self, can: impl Fn(&Profile) -> bool) -> Vec<&Profile> {
        self.profiles.iter().filter(|p| can(p)).collect()
    }

    /// Profiles whose provider tops up phones.
    pub fn top_up_profiles(&self) -> Vec<&Profile> {
        self.profiles_that(|p| capabilities_of(p.provider).top_up)
    }

    /// The last balance read for a profile.
    pub fn reading(&self, name: &str) -> Option<BalanceReading> {
        self.balances.get(name).and_then(|b| b.reading)
    }

    /// Whether the profile's last balance is below its warning level.
    pub fn is_low(&self, profile: &Profile) -> bool {
        match (profile.settings.low_balance(), self.reading(&profile.name)) {
            (Some(level), Some(reading)) => reading.amount.minor() < level.minor(),
            _ => false,
        }
    }

    /// Numbers a new count of today's sales (see [`Shop::today_asked`]).
    pub fn ask_today(&mut self) -> u64 {
        self.today_asked += 1;
        self.today_asked
    }

    /// Whether the latest count of today's sales is still on its way.
    pub fn counting_today(&self) -> bool {
        self.today_answered != self.today_asked
    }

    /// How long until some balance's "updated N min ago" reads differently; `None` without
    /// a reading.
    pub fn next_age_change(&self, now: i64) -> Option<std::time::Duration> {
        self.balances
            .values()
            .filter_map(|b| b.reading)
            .map(|r| age_changes_in(r.read_at, now))
            .min()
    }

    /// The balance and floor when a sale of `amount` (or any sale, without one) would take the
    /// profile's last balance below its floor.
    pub fn sales_paused(&self, profile: &Profile, amount: Option<Money>) -> Option<(Money, Money)> {
        let reading = self.reading(&profile.name)?;
        crate::engine::below_sales_floor(profile, reading.amount, amount)
            .map(|floor| (reading.amount, floor))
    }
}

/// How long until the age of a reading taken at `read_at` reads differently (see
/// [`age_text`]): at the next whole minute, after two hours at the next whole hour.
fn age_changes_in(read_at: i64, now: i64) -> std::time::Duration {
    let age = (now - read_at).max(0);
    let step = if age < 120 * 60_000 {
        60_000
    } else {
        3_600_000
    };
    std::time::Duration::from_millis((step - age % step) as u64)
}

/// "updated 5 min ago", for a reading taken at `read_at` (Unix ms).
pub fn age_text(read_at: i64, now: i64) -> String {
    let minutes = (now - read_at).max(0) / 60_000;
    match minutes {
        0 => t!("age-just-now"),
        1..=119 => t!("age-minutes", minutes = minutes),
        _ => t!("age-hours", hours = minutes / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_age_is_drawn_again_only_when_its_words_change() {
        let minute = 60_000;
        assert_eq!(age_changes_in(0, 10 * minute + 15_000).as_millis(), 45_000);
        assert_eq!(age_changes_in(0, 0).as_millis(), 60_000);
        // After two hours the age reads in hours: the next change is at the next hour.
        assert_eq!(age_changes_in(0, 150 * minute).as_millis(), 30 * 60_000);
        assert_eq!(age_text(0, 150 * minute), age_text(0, 179 * minute));
    }
}
