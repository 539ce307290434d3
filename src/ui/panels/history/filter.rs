//! The history's filter form: a local date range with quick picks (today, yesterday, last 7
//! days, this month), profile, state, and number or sub-account.

use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::domain::{Country, TxState};
use crate::ledger::HistoryFilter;
use crate::t;
use crate::ui::shop::Shop;
use crate::ui::text::dates::{day_text, parse_day};
use crate::ui::text::error_text::state_text;
use crate::ui::theme::FAILURE;
use crate::ui::widgets::date_picker::date_picker_ui;

/// What the person typed and picked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilterForm {
    /// First local day, as the language writes it (ISO always works); empty for no limit.
    pub from: String,
    /// Last local day (included), written the same way; empty for no limit.
    pub to: String,
    pub profile: Option<String>,
    pub state: Option<TxState>,
    /// A phone number (any usual spelling), a sub-account or a child account id.
    pub number: String,
    /// Only what this counter recorded.
    pub counter: Option<String>,
}

/// Local midnight of a day, in Unix ms.
fn midnight_ms(day: Date) -> Option<i64> {
    day.to_zoned(TimeZone::system())
        .ok()
        .map(|z| z.timestamp().as_millisecond())
}

/// Today's local date.
pub fn today() -> Date {
    jiff::Zoned::now().date()
}

impl FilterForm {
    /// Sets the range to the days `from`..=`to`, written as the window's language writes days.
    pub fn set_days(&mut self, from: Date, to: Date) {
        let language = crate::ui::text::i18n::language();
        self.from = day_text(from, language);
        self.to = day_text(to, language);
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
            counter: self.counter.clone(),
            ..HistoryFilter::default()
        }
        .with_destination(&self.number, &shop_countries(shop)))
    }
}

/// The countries the shop sells top-ups to, in the order of its profiles.
fn shop_countries(shop: &Shop) -> Vec<Country> {
    let mut countries: Vec<Country> = shop
        .top_up_profiles()
        .into_iter()
        .filter_map(|p| p.provider.topup_country())
        .collect();
    countries.dedup();
    countries
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
        ui.add_space(12.0);
        let label = ui.label(t!("history-number"));
        ui.add(
            egui::TextEdit::singleline(&mut form.number)
                .hint_text(t!("history-number-hint"))
                .desired_width(170.0),
        )
        .labelled_by(label.id);
    });
    // On a short window the rest of the filters fold away (saying how many are set), so the
    // rows keep the room.
    if ui.ctx().content_rect().height() < super::SHORT_WINDOW {
        let set = [!form.from.is_empty(), !form.to.is_empty()]
            .into_iter()
            .chain([
                form.profile.is_some(),
                form.state.is_some(),
                form.counter.is_some(),
            ])
            .filter(|set| *set)
            .count();
        egui::CollapsingHeader::new(t!("history-more-filters", set = set))
            .id_salt("history-more-filters")
            .default_open(set > 0)
            .show(ui, |ui| more_filters_ui(ui, form, shop));
    } else {
        more_filters_ui(ui, form, shop);
    }
    match form.filter(shop) {
        Ok(filter) => Some(filter),
        Err(error) => {
            ui.colored_label(FAILURE, error);
            None
        }
    }
}

/// The dates, the profile and the state.
fn more_filters_ui(ui: &mut egui::Ui, form: &mut FilterForm, shop: &Shop) {
    ui.horizontal_wrapped(|ui| {
        for (key, value) in [
            (t!("history-from"), &mut form.from),
            (t!("history-to"), &mut form.to),
        ] {
            let label = ui.label(&key);
            ui.add(
                egui::TextEdit::singleline(value)
                    .hint_text(t!("history-date-hint"))
                    .desired_width(112.0),
            )
            .labelled_by(label.id);
            date_picker_ui(ui, &key, value);
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
                // The outcomes a person looks for; "recorded" and "sending" last seconds.
                for state in [
                    TxState::Succeeded,
                    TxState::Failed,
                    TxState::Pending,
                    TxState::Unknown,
                ] {
                    ui.selectable_value(&mut form.state, Some(state), state_text(state));
                }
            })
            .response
            .labelled_by(label.id);
        // The shop's counters, once more than one works on the ledger.
        let counters: Vec<&str> = shop
            .place
            .iter()
            .flat_map(|p| p.counters.iter().map(|c| c.name.as_str()))
            .collect();
        if counters.len() > 1 || form.counter.is_some() {
            let label = ui.label(t!("history-counter"));
            egui::ComboBox::from_id_salt("history-counter")
                .selected_text(form.counter.clone().unwrap_or_else(|| t!("history-any")))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut form.counter, None, t!("history-any"));
                    for name in counters {
                        ui.selectable_value(&mut form.counter, Some(name.to_string()), name);
                    }
                })
                .response
                .labelled_by(label.id);
        }
    });
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
}
