//! A date picker in the Solar Hijri calendar: a button showing the chosen day (Jalali, with
//! its Persian month name, and the Gregorian day beside it) that opens a month grid with the
//! Iranian week (Saturday first) and month-by-month navigation.

use egui::RichText;

use crate::domain::jalali::JalaliDate;
use crate::t;
use crate::ui::text::rtl::visual;

/// Persian week-day initials, Saturday first.
const WEEKDAYS: [&str; 7] = ["ش", "ی", "د", "س", "چ", "پ", "ج"];

/// One picker's state: the chosen day, whether the grid is open and which month it shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JalaliPicker {
    pub date: JalaliDate,
    pub open: bool,
    /// The first day of the month the grid shows.
    shown_month: JalaliDate,
}

impl JalaliPicker {
    /// A closed picker on `date`.
    pub fn new(date: JalaliDate) -> JalaliPicker {
        JalaliPicker {
            date,
            open: false,
            shown_month: date.first_of_month_plus(0),
        }
    }
}

/// The Gregorian day as `2024-11-05`.
pub fn gregorian_text(date: JalaliDate) -> String {
    let (y, m, d) = date.to_gregorian();
    format!("{y}-{m:02}-{d:02}")
}

/// The Jalali day with its Persian month name, drawn right: `1403/08/15 · ۱۵ آبان`.
pub fn jalali_text(date: JalaliDate) -> String {
    let persian = format!(
        "{} {}",
        persian_digits(&date.day.to_string()),
        date.month_name()
    );
    format!("{date} · {}", visual(&persian))
}

/// Latin digits written as Persian digits.
pub fn persian_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32('۰' as u32 + d).unwrap_or(c),
            None => c,
        })
        .collect()
}

/// The picker, labelled `label`. Returns whether the date changed this frame.
pub fn jalali_picker_ui(ui: &mut egui::Ui, label: &str, picker: &mut JalaliPicker) -> bool {
    let mut changed = false;
    ui.vertical(|ui| {
        ui.label(label);
        // The button says everything itself, so a screen reader reads the day in both
        // calendars along with what it is for.
        let text = format!(
            "{label}: {}  ({})",
            jalali_text(picker.date),
            gregorian_text(picker.date)
        );
        let button = ui.button(text).on_hover_text(t!("statement-picker-tip"));
        if button.clicked() {
            picker.open = !picker.open;
            picker.shown_month = picker.date.first_of_month_plus(0);
        }
        if picker.open {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                changed = month_grid_ui(ui, picker);
            });
        }
    });
    changed
}

fn month_grid_ui(ui: &mut egui::Ui, picker: &mut JalaliPicker) -> bool {
    let month = picker.shown_month;
    ui.horizontal(|ui| {
        let steps = [
            ("«", -12, t!("statement-previous-year")),
            ("<", -1, t!("statement-previous-month")),
        ];
        for (text, months, tip) in steps {
            if ui.button(text).on_hover_text(tip).clicked() {
                picker.shown_month = month.first_of_month_plus(months);
            }
        }
        ui.label(
            RichText::new(format!(
                "{} {}  ·  {}",
                month.month_name_latin(),
                month.year,
                visual(month.month_name())
            ))
            .strong(),
        );
        let steps = [
            (">", 1, t!("statement-next-month")),
            ("»", 12, t!("statement-next-year")),
        ];
        for (text, months, tip) in steps {
            if ui.button(text).on_hover_text(tip).clicked() {
                picker.shown_month = month.first_of_month_plus(months);
            }
        }
    });
    let month = picker.shown_month;
    let days = JalaliDate::days_in_month(month.year, month.month);
    let lead = month.weekday_from_saturday();
    let mut picked = None;
    egui::Grid::new(("jalali-grid", month.year, month.month))
        .num_columns(7)
        .spacing([4.0, 4.0])
        .show(ui, |ui| {
            for name in WEEKDAYS {
                ui.label(RichText::new(visual(name)).weak());
            }
            ui.end_row();
            for _ in 0..lead {
                ui.label("");
            }
            for day in 1..=days {
                let date = JalaliDate {
                    year: month.year,
                    month: month.month,
                    day,
                };
                let selected = date == picker.date;
                let response = ui
                    .add(
                        egui::Button::selectable(selected, format!("{day:>2}"))
                            .min_size([28.0, 22.0].into()),
                    )
                    .on_hover_text(gregorian_text(date));
                if response.clicked() {
                    picked = Some(date);
                }
                if (u32::from(lead) + u32::from(day)) % 7 == 0 {
                    ui.end_row();
                }
            }
        });
    match picked {
        Some(date) => {
            let changed = date != picker.date;
            picker.date = date;
            picker.open = false;
            changed
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_button_text_shows_both_calendars() {
        let date = JalaliDate::new(1403, 8, 15).unwrap();
        assert_eq!(gregorian_text(date), "2024-11-05");
        let text = jalali_text(date);
        assert!(text.starts_with("1403/08/15 · "), "{text}");
        assert_eq!(persian_digits("15"), "۱۵");
    }
}
