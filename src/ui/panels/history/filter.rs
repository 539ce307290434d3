//! The history's filter form: a local date range with quick picks (today, yesterday, last 7
//! days, this month), profile, state, and number or sub-account.

use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::domain::{PhoneNumber, TxState};
use crate::ledger::HistoryFilter;
use crate::t;
use crate::ui::shop::Shop;
use crate::ui::text::error_text::state_text;
use crate::ui::text::i18n::Language;
use crate::ui::theme::FAILURE;

/// What the person typed and picked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilterForm {
    /// First local day, `YYYY-MM-DD`; empty for no limit.
    pub from: String,
    /// Last local day (included), `YYYY-MM-DD`; empty for no limit.
    pub to: String,
    pub profile: Option<String>,
    pub state: Option<TxState>,
    /// A phone number (any usual spelling), a sub-account or a child account id.
    pub number: String,
}

/// Local midnight of a day, in Unix ms.
fn midnight_ms(day: Date) -> Option<i64> {
    day.to_zoned(TimeZone::system())
        .ok()
        .map(|z| z.timestamp().as_millisecond())
}

/// A day as typed: `YYYY-MM-DD` always, and `DD/MM/YYYY` (or `D/M/YYYY`) as Spanish writes
/// dates.
fn parse_day(text: &str, language: Language) -> Result<Option<Date>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || t!("history-bad-date", text = text);
    if let Ok(day) = text.parse::<Date>() {
        return Ok(Some(day));
    }
    if language != Language::Spanish {
        return Err(bad());
    }
    let parts: Vec<&str> = text.split(['/', '.', '-']).collect();
    let [day, month, year] = parts.as_slice() else {
        return Err(bad());
    };
    let number = |part: &str| part.trim().parse::<i16>().map_err(|_| bad());
    let (day, month, year) = (number(day)?, number(month)?, number(year)?);
    if year < 1000 {
        return Err(bad());
    }
    Date::new(year, month as i8, day as i8)
        .map(Some)
        .map_err(|_| bad())
}

/// Today's local date.
pub fn today() -> Date {
    jiff::Zoned::now().date()
}

impl FilterForm {
    /// Sets the range to the days `from`..=`to`.
    pub fn set_days(&mut self, from: Date, to: Date) {
        self.from = from.to_string();
        self.to = to.to_string();
    }

    /// The ledger filter, or why the form does not make one.
    pub fn filter(&self, shop: &Shop) -> Result<HistoryFilter, String> {
        let language = crate::ui::text::i18n::language();
        let from = parse_day(&self.from, language)?;
        let to = parse_day(&self.to, language)?;
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(t!("history-range-reversed"));
        }
        let next_day = |d: Date| d.tomorrow().ok();
        Ok(HistoryFilter {
            from_ms: from.and_then(midnight_ms),
            to_ms: to.and_then(next_day).and_then(midnight_ms),
            profile: self.profile.clone(),
            state: self.state,
            destination: normalise_destination(&self.number, shop),
        })
    }
}

/// A typed number in the ledger's E.164 form when it reads as one of the shop's countries'
/// mobile numbers; anything else (a sub-account, a child id) as typed.
fn normalise_destination(typed: &str, shop: &Shop) -> Option<String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return None;
    }
    let countries = shop
        .top_up_profiles()
        .into_iter()
        .filter_map(|p| p.provider.topup_country());
    for country in countries {
        if let Ok(number) = PhoneNumber::parse_mobile(typed, country) {
            return Some(number.e164());
        }
    }
    Some(typed.to_string())
}

/// The form. Returns the filter it describes when it is valid.
pub fn filter_ui(ui: &mut egui::Ui, form: &mut FilterForm, shop: &Shop) -> Option<HistoryFilter> {
    ui.horizontal_wrapped(|ui| {
        let today = today();
        for (key, from, to) in [
            (t!("history-today"), Some(today), Some(today)),
            (
                t!("history-yesterday"),
                today.yesterday().ok(),
                today.yesterday().ok(),
            ),
            (
                t!("history-last-7-days"),
                today.checked_sub(jiff::Span::new().days(6)).ok(),
                Some(today),
            ),
            (
                t!("history-this-month"),
                Some(today.first_of_month()),
                Some(today),
            ),
        ] {
            if ui.button(key).clicked()
                && let (Some(from), Some(to)) = (from, to)
            {
                form.set_days(from, to);
            }
        }
        if ui.button(t!("history-all-time")).clicked() {
            form.from.clear();
            form.to.clear();
        }
    });
    ui.horizontal_wrapped(|ui| {
        for (key, value) in [
            (t!("history-from"), &mut form.from),
            (t!("history-to"), &mut form.to),
        ] {
            let label = ui.label(key);
            ui.add(
                egui::TextEdit::singleline(value)
                    .hint_text(t!("history-date-hint"))
                    .desired_width(96.0),
            )
            .labelled_by(label.id);
        }
        let label = ui.label(t!("history-profile"));
        egui::ComboBox::from_id_salt("history-profile")
            .selected_text(form.profile.clone().unwrap_or_else(|| t!("history-any")))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut form.profile, None, t!("history-any"));
                for profile in &shop.profiles {
                    ui.selectable_value(
                        &mut form.profile,
                        Some(profile.name.clone()),
                        &profile.name,
                    );
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label(t!("history-state"));
        egui::ComboBox::from_id_salt("history-state")
            .selected_text(form.state.map_or_else(|| t!("history-any"), state_text))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut form.state, None, t!("history-any"));
                for state in TxState::ALL {
                    ui.selectable_value(&mut form.state, Some(state), state_text(state));
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label(t!("history-number"));
        ui.add(
            egui::TextEdit::singleline(&mut form.number)
                .hint_text(t!("history-number-hint"))
                .desired_width(150.0),
        )
        .labelled_by(label.id);
    });
    match form.filter(shop) {
        Ok(filter) => Some(filter),
        Err(error) => {
            ui.colored_label(FAILURE, error);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_range_covers_whole_local_days() {
        let mut form = FilterForm::default();
        let day: Date = "2026-11-21".parse().unwrap();
        form.set_days(day, day);
        let filter = form.filter(&Shop::default()).unwrap();
        let (from, to) = (filter.from_ms.unwrap(), filter.to_ms.unwrap());
        let length = to - from;
        // 24 hours, or 23/25 on a daylight-saving change.
        assert!(
            (23 * 3_600_000..=25 * 3_600_000).contains(&length),
            "{length}"
        );
        form.from = "2026-11-22".into();
        assert!(form.filter(&Shop::default()).is_err());
        form.from = "22/11/2026".into();
        assert!(form.filter(&Shop::default()).is_err(), "not in English");
    }

    #[test]
    fn spanish_dates_are_read_as_spanish_writes_them() {
        let read = parse_day("21/11/2026", Language::Spanish);
        let iso = parse_day("2026-11-21", Language::Spanish);
        let wrong = parse_day("31/02/2026", Language::Spanish);
        assert_eq!(read.unwrap(), Some("2026-11-21".parse().unwrap()));
        assert_eq!(iso.unwrap(), Some("2026-11-21".parse().unwrap()));
        assert!(wrong.is_err());
    }
}
