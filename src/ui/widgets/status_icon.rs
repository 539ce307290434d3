//! The icons that say how an operation ended, drawn as shapes (no font can lack them): a tick,
//! a cross, a clock, a question mark and an exclamation mark in a filled circle.

use egui::{Color32, Pos2, Sense, Stroke, Vec2, vec2};

/// Which mark the circle carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusIcon {
    /// Done.
    Tick,
    /// Failed or refused.
    Cross,
    /// Accepted, being processed.
    Clock,
    /// Nobody knows yet.
    Question,
    /// Stop and decide.
    Exclamation,
}

/// Draws `icon` in a circle of `colour`, `size` points across; `label` is what a screen reader
/// (and a test) reads for it.
pub fn status_icon_ui(
    ui: &mut egui::Ui,
    icon: StatusIcon,
    colour: Color32,
    size: f32,
    label: &str,
) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(Vec2::splat(size), Sense::hover());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, label));
    let painter = ui.painter_at(rect.expand(2.0));
    let centre = rect.center();
    let radius = size / 2.0 - 1.0;
    painter.circle_filled(centre, radius, colour);
    let mark = Stroke::new((size * 0.1).max(2.0), Color32::WHITE);
    let at = |x: f32, y: f32| -> Pos2 { centre + vec2(x, y) * radius };
    match icon {
        StatusIcon::Tick => {
            painter.line(vec![at(-0.45, 0.02), at(-0.12, 0.35), at(0.48, -0.3)], mark);
        }
        StatusIcon::Cross => {
            painter.line_segment([at(-0.38, -0.38), at(0.38, 0.38)], mark);
            painter.line_segment([at(0.38, -0.38), at(-0.38, 0.38)], mark);
        }
        StatusIcon::Clock => {
            painter.circle_stroke(centre, radius * 0.62, mark);
            painter.line(vec![at(0.0, -0.4), at(0.0, 0.0), at(0.3, 0.18)], mark);
        }
        StatusIcon::Question => {
            painter.line(
                vec![
                    at(-0.3, -0.28),
                    at(-0.2, -0.48),
                    at(0.0, -0.55),
                    at(0.22, -0.48),
                    at(0.3, -0.28),
                    at(0.2, -0.1),
                    at(0.0, 0.02),
                    at(0.0, 0.22),
                ],
                mark,
            );
            painter.circle_filled(at(0.0, 0.5), mark.width * 0.7, Color32::WHITE);
        }
        StatusIcon::Exclamation => {
            painter.line_segment([at(0.0, -0.55), at(0.0, 0.18)], mark);
            painter.circle_filled(at(0.0, 0.5), mark.width * 0.7, Color32::WHITE);
        }
    }
    response
}
