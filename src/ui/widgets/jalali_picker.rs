//! A date picker in the Solar Hijri calendar: a button showing the chosen day (Jalali, with
//! its Persian month name, and the Gregorian day beside it) that opens a month grid with the
//! Iranian week (Saturday first) and month-by-month navigation.

use crate::domain::jalali::JalaliDate;
use crate::t;
use crate::ui::text::rtl::{is_bidi_control, isolate_rtl, rtl_job};

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

/// The Jalali day with its Persian month name: `1403/08/15 · ۱۵ آبان`, the Persian part in a
/// right-to-left isolate so it keeps its own order inside a Latin line (draw it with
/// [`rtl_job`] or `rtl_label`, which put it in visual order).
pub fn jalali_text(date: JalaliDate) -> String {
    let persian = format!(
        "{} {}",
        persian_digits(&date.day.to_string()),
        date.month_name()
    );
    format!("{date} · {}", isolate_rtl(&persian))
}

/// Text that may hold Persian as a widget text drawn in visual order.
fn persian_text(ui: &egui::Ui, text: &str, strong: bool) -> egui::WidgetText {
    let size = egui::TextStyle::Button.resolve(ui.style()).size;
    let colour = if strong {
        ui.visuals().strong_text_color()
    } else {
        ui.visuals().text_color()
    };
    rtl_job(text, size, colour).into()
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
        let button = ui.button(persian_text(ui, &text, false));
        let written: String = text.chars().filter(|c| !is_bidi_control(*c)).collect();
        button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &written));
        let button = button.on_hover_text(t!("statement-picker-tip"));
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
    // The grid runs right to left, as an Iranian calendar does: the earlier months are to the
    // right, Saturday is the rightmost column.
    ui.horizontal(|ui| {
        let steps = [
            ("«", 12, t!("statement-next-year")),
            ("<", 1, t!("statement-next-month")),
        ];
        for (text, months, tip) in steps {
            if ui.button(text).on_hover_text(tip).clicked() {
                picker.shown_month = month.first_of_month_plus(months);
            }
        }
        let title = format!(
            "{} {}  ·  {} {}",
            month.month_name_latin(),
            month.year,
            month.month_name(),
            persian_digits(&month.year.to_string())
        );
        ui.label(persian_text(ui, &title, true));
        let steps = [
            (">", -1, t!("statement-previous-month")),
            ("»", -12, t!("statement-previous-year")),
        ];
        for (text, months, tip) in steps {
            if ui.button(text).on_hover_text(tip).clicked() {
                picker.shown_month = month.first_of_month_plus(months);
            }
        }
    });
    let month = picker.shown_month;
    let days = JalaliDate::days_in_month(month.year, month.month);
    let lead = usize::from(month.weekday_from_saturday());
    // Week rows of seven cells, Saturday first; drawn from Friday (left) to Saturday (right).
    let mut cells: Vec<Option<u8>> = vec![None; lead];
    cells.extend((1..=days).map(Some));
    while !cells.len().is_multiple_of(7) {
        cells.push(None);
    }
    let mut picked = None;
    egui::Grid::new(("jalali-grid", month.year, month.month))
        .num_columns(7)
        .spacing([4.0, 4.0])
        .show(ui, |ui| {
            for name in WEEKDAYS.iter().rev() {
                ui.label(persian_text(ui, name, false));
            }
            ui.end_row();
            for week in cells.chunks(7) {
                for cell in week.iter().rev() {
                    let Some(day) = *cell else {
                        ui.label("");
                        continue;
                    };
                    let date = JalaliDate {
                        year: month.year,
                        month: month.month,
                        day,
                    };
                    let selected = date == picker.date;
                    let digits = persian_digits(&day.to_string());
                    let label = persian_text(ui, &digits, false);
                    let response = ui.add(
                        egui::Button::selectable(selected, label).min_size([28.0, 22.0].into()),
                    );
                    // A screen reader reads the day as written, not in drawing order.
                    response.widget_info(|| {
                        egui::WidgetInfo::selected(egui::Role::Button, true, selected, &digits)
                    });
                    let response =
                        response.on_hover_text(format!("{}  ({})", date, gregorian_text(date)));
                    if response.clicked() {
                        picked = Some(date);
                    }
                }
                ui.end_row();
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
