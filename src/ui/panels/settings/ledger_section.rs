//! Settings › "The shop's books": where this counter keeps the ledger — its own file ("This
//! counter only") or the shop's server, shared by every counter — this counter's name, and
//! the shop's counters with the profiles whose secrets each one's keychain lacks. A new
//! choice is checked (the server must take the login) and opens from the next start.

use egui::RichText;

use crate::secrets::Secret;
use crate::t;
use crate::ui::backend::{Command, LedgerPlace};
use crate::ui::panels::PanelContext;
use crate::ui::text::words::Words;
use crate::ui::theme::{FAILURE, SUCCESS, WARNING};

/// Which ledger the person picks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LedgerKind {
    #[default]
    ThisCounter,
    ShopServer,
}

/// The section's state.
#[derive(Default)]
pub struct LedgerSection {
    /// The person's pick, once they touched it (else the ledger in use).
    pub kind: Option<LedgerKind>,
    /// The server's address as typed (no password in it).
    pub address: String,
    /// The server's password as typed, handed over (and cleared) on "Use this ledger".
    pub password: String,
    working: bool,
    message: Option<(egui::Color32, Words)>,
}

impl LedgerSection {
    /// Takes the outcome of "Use this ledger".
    pub fn chosen(&mut self, result: Result<Words, Words>) {
        self.working = false;
        self.message = Some(match result {
            Ok(words) => (SUCCESS, words),
            Err(words) => (FAILURE, words),
        });
    }
}

/// The section.
pub fn ledger_section_ui(
    ui: &mut egui::Ui,
    section: &mut LedgerSection,
    cx: &mut PanelContext<'_>,
) {
    let place = cx.shop.place.clone().unwrap_or_default();
    egui::CollapsingHeader::new(t!("settings-ledger-title"))
        .id_salt("settings-ledger")
        .show(ui, |ui| {
            let now = if place.on_server {
                t!("settings-ledger-now-server", address = place.shown.as_str())
            } else {
                t!("settings-ledger-now-file", path = place.shown.as_str())
            };
            ui.label(now);
            ui.label(t!("settings-ledger-counter", name = place.counter.as_str()));
            if place.kept_outcomes > 0 {
                ui.colored_label(
                    WARNING,
                    t!("settings-ledger-kept", count = place.kept_outcomes),
                );
            }
            if cx.demo {
                ui.label(RichText::new(t!("settings-ledger-demo")).weak());
            } else {
                choice_ui(ui, section, &place, cx);
            }
            counters_ui(ui, &place);
        });
}

fn choice_ui(
    ui: &mut egui::Ui,
    section: &mut LedgerSection,
    place: &LedgerPlace,
    cx: &mut PanelContext<'_>,
) {
    let in_use = if place.on_server {
        LedgerKind::ShopServer
    } else {
        LedgerKind::ThisCounter
    };
    // The ledger in use until the person picks (it may still be loading on the first frames).
    let mut kind = section.kind.unwrap_or(in_use);
    if section.address.is_empty() && place.on_server {
        section.address = place.shown.clone();
    }
    ui.horizontal(|ui| {
        let this = ui.radio_value(
            &mut kind,
            LedgerKind::ThisCounter,
            t!("settings-ledger-this-counter"),
        );
        let shop = ui.radio_value(
            &mut kind,
            LedgerKind::ShopServer,
            t!("settings-ledger-shop-server"),
        );
        if this.changed() || shop.changed() {
            section.kind = Some(kind);
        }
    });
    let server = kind == LedgerKind::ShopServer;
    if server {
        egui::Grid::new("settings-ledger-server")
            .num_columns(2)
            .show(ui, |ui| {
                let label = ui.label(t!("settings-ledger-address"));
                ui.add(
                    egui::TextEdit::singleline(&mut section.address)
                        .hint_text("postgres://clerk@10.0.0.5:5432/shop?sslmode=require")
                        .desired_width(360.0),
                )
                .labelled_by(label.id);
                ui.end_row();
                let label = ui.label(t!("settings-ledger-password"));
                ui.add(
                    egui::TextEdit::singleline(&mut section.password)
                        .password(true)
                        .hint_text(t!("settings-ledger-password-hint"))
                        .desired_width(280.0),
                )
                .labelled_by(label.id);
                ui.end_row();
            });
        ui.label(RichText::new(t!("settings-ledger-server-help")).weak());
    }
    ui.horizontal(|ui| {
        let ready = !section.working && (!server || !section.address.trim().is_empty());
        if ui
            .add_enabled(ready, egui::Button::new(t!("settings-ledger-use")))
            .clicked()
        {
            section.working = true;
            section.message = None;
            let password = std::mem::take(&mut section.password);
            (cx.run)(Command::ChooseLedger {
                data_dir: cx.data_dir.to_path_buf(),
                address: server.then(|| section.address.trim().to_string()),
                password: (!password.is_empty()).then(|| Secret::new(password)),
            });
        }
        if section.working {
            ui.spinner();
        }
    });
    if let Some((colour, words)) = &section.message {
        ui.colored_label(*colour, words.text());
    }
}

/// The shop's counters, and the profiles each one cannot sell through yet.
fn counters_ui(ui: &mut egui::Ui, place: &LedgerPlace) {
    if place.counters.is_empty() {
        return;
    }
    ui.add_space(4.0);
    ui.strong(t!("settings-ledger-counters"));
    for counter in &place.counters {
        let lacking: Vec<&str> = counter.missing_secrets.keys().map(String::as_str).collect();
        let line = if lacking.is_empty() {
            t!(
                "settings-ledger-counter-ready",
                name = counter.name.as_str()
            )
        } else {
            t!(
                "settings-ledger-counter-lacks",
                name = counter.name.as_str(),
                profiles = lacking.join(", ")
            )
        };
        if lacking.is_empty() {
            ui.label(line);
        } else {
            ui.colored_label(WARNING, line);
        }
    }
}

/// The counters whose keychains lack a secret of `profile`, by name.
pub fn counters_lacking(place: Option<&LedgerPlace>, profile: &str) -> Vec<String> {
    place
        .map(|p| {
            p.counters
                .iter()
                .filter(|c| c.missing_secrets.contains_key(profile))
                .map(|c| c.name.clone())
                .collect()
        })
        .unwrap_or_default()
}
