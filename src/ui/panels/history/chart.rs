//! The daily sales chart over the filtered period: succeeded top-ups per local day, one bar
//! chart per unit (amounts in different units are never added together).

use egui_plot::{Bar, BarChart, Plot};

use crate::domain::{Money, Unit};
use crate::ledger::HistorySummary;
use crate::t;

const DAY_MS: i64 = 86_400_000;

/// The local date of a day number (days since 1970-01-01, local).
fn day_text(day: i64) -> String {
    jiff::Timestamp::from_millisecond(day * DAY_MS)
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date().to_string())
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
                let amount = Money::from_minor(d.sum_minor, unit);
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
            .x_axis_formatter(|mark, _range| day_text(mark.value.round() as i64))
            .show(ui, |plot| plot.bar_chart(BarChart::new(unit.code(), bars)));
    }
}
