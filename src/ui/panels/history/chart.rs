//! The daily sales chart over the filtered period: succeeded top-ups per local day, one bar
//! chart per unit (amounts in different units are never added together).

use egui_plot::{Bar, BarChart, Plot};

use crate::domain::{Money, Unit};
use crate::ledger::HistorySummary;
use crate::t;
use crate::ui::text::numbers::money_text;
use crate::ui::theme::SUCCESS;

const DAY_MS: i64 = 86_400_000;

/// The local date of a day number (days since 1970-01-01, local), as the language writes it.
fn day_text(day: i64) -> String {
    jiff::Timestamp::from_millisecond(day * DAY_MS)
        .map(|t| {
            let date = t.to_zoned(jiff::tz::TimeZone::UTC).date();
            crate::ui::text::dates::day_text(date, crate::ui::text::i18n::language())
        })
        .unwrap_or_default()
}

/// The chart, or a line saying there is nothing to draw.
pub fn daily_sales_ui(ui: &mut egui::Ui, summary: &HistorySummary) {
    let mut units: Vec<Unit> = summary.daily_sales.iter().map(|d| d.unit).collect();
    units.dedup();
    units.sort_by_key(|u| u.code());
    units.dedup();
    if units.is_empty() {
        ui.label(t!("history-chart-empty"));
        return;
    }
    for unit in units {
        let bars: Vec<Bar> = summary
            .daily_sales
            .iter()
            .filter(|d| d.unit == unit)
            .map(|d| {
                let amount = money_text(Money::from_minor(d.sum_minor, unit));
                let value = d.sum_minor as f64 / 10f64.powi(unit.scale() as i32);
                Bar::new(d.day as f64, value).width(0.8).name(format!(
                    "{} · {} · {}",
                    day_text(d.day),
                    amount,
                    t!("history-chart-sales", count = d.count)
                ))
            })
            .collect();
        ui.label(t!("history-chart-title", unit = unit.code()));
        Plot::new(("daily-sales", unit.code()))
            .height(150.0)
            .allow_scroll(false)
            .allow_zoom(false)
            .allow_drag(false)
            .x_axis_formatter(|mark, _range| {
                // Only whole days get a label.
                if (mark.value - mark.value.round()).abs() < 1e-6 {
                    day_text(mark.value.round() as i64)
                } else {
                    String::new()
                }
            })
            .y_axis_formatter(move |mark, _range| {
                let minor = (mark.value * 10f64.powi(unit.scale() as i32)).round() as i64;
                money_text(Money::from_minor(minor, unit))
            })
            .y_axis_min_width(72.0)
            .show(ui, |plot| {
                // Sales in the colour of a sale that went through.
                plot.bar_chart(BarChart::new(unit.code(), bars).color(SUCCESS));
            });
    }
}
