//! A calendar button beside a date field: it opens a month grid (Monday first, month names in
//! the window's language) and writes the picked day into the field as the language writes it.

use jiff::civil::Date;

use crate::t;
use crate::ui::text::dates::{day_text, month_name, parse_day, weekday_initials};
use crate::ui::text::i18n::language;
use crate::ui::theme::icon;

/// The button for the date field `text`, described as `what` ("From"). Returns whether a day
/// was picked this frame.
pub fn date_picker_ui(ui: &mut egui::Ui, what: &str, text: &mut String) -> bool {
    let language = language();
    let button = ui
        .button(icon::CALENDAR)
        .on_hover_text(t!("calendar-pick", what = what));
    let shown_id = button.id.with("shown-month");
    if button.clicked() {
        // The grid opens on the field's month, or on this month.
        let start = parse_day(text, language)
            .ok()
            .flatten()
            .unwrap_or_else(|| jiff::Zoned::now().date());
        ui.data_mut(|d| d.insert_temp(shown_id, start.first_of_month()));
    }
    let mut picked = None;
    egui::Popup::from_toggle_button_response(&button)
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show(|ui| {
            let today = jiff::Zoned::now().date();
            let mut month: Date = ui
                .data(|d| d.get_temp(shown_id))
                .unwrap_or_else(|| today.first_of_month());
            let chosen = parse_day(text, language).ok().flatten();
            ui.horizontal(|ui| {
                if ui
                    .button("‹")
                    .on_hover_text(t!("calendar-previous"))
                    .clicked()
                    && let Ok(previous) = month.checked_sub(jiff::Span::new().months(1))
                {
                    month = previous;
                }
                ui.strong(format!("{} {}", month_name(month.month()), month.year()));
                if ui.button("›").on_hover_text(t!("calendar-next")).clicked()
                    && let Ok(next) = month.checked_add(jiff::Span::new().months(1))
                {
                    month = next;
                }
            });
            picked = month_grid_ui(ui, month, chosen, today);
            ui.data_mut(|d| d.insert_temp(shown_id, month));
        });
    match picked {
        Some(day) => {
            *text = day_text(day, language);
            egui::Popup::close_all(ui.ctx());
            true
        }
        None => false,
    }
}

/// The days of `month` in weeks, Monday first; returns the day clicked.
fn month_grid_ui(
    ui: &mut egui::Ui,
    month: Date,
    chosen: Option<Date>,
    today: Date,
) -> Option<Date> {
    let mut picked = None;
    let blanks = month.weekday().to_monday_zero_offset();
    egui::Grid::new(("month-grid", month.year(), month.month()))
        .spacing([2.0, 2.0])
        .show(ui, |ui| {
            for initial in weekday_initials() {
                ui.label(egui::RichText::new(initial).weak());
            }
            ui.end_row();
            for _ in 0..blanks {
                ui.label("");
            }
            for offset in 0..month.days_in_month() {
                let Ok(day) = month.checked_add(jiff::Span::new().days(offset)) else {
                    break;
                };
                let mut label = egui::RichText::new(format!("{:>2}", day.day())).monospace();
                if day == today {
                    label = label.strong();
                }
                if ui
                    .selectable_label(chosen == Some(day), label)
                    .on_hover_text(day_text(day, language()))
                    .clicked()
                {
                    picked = Some(day);
                }
                if (i64::from(blanks) + i64::from(offset)) % 7 == 6 {
                    ui.end_row();
                }
            }
        });
    picked
}
