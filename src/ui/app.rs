//! The window: a top bar (demo banner, panel switcher, balance) over the current panel.
//! Panels emit commands; results arrive as events drained at the start of every frame.

use std::sync::mpsc::{Receiver, channel};

use egui::{Color32, RichText};

use super::backend::{Backend, Command, Event};
use super::history_panel::{HistoryPanel, history_ui};
use super::services::Services;
use super::topup_panel::{TopUpPanel, topup_ui};
use crate::domain::Money;
use crate::domain::time::local_text;
use crate::providers::Profile;
use crate::providers::registry::capabilities_of;

/// The panels of the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    TopUp,
    History,
}

#[derive(Default)]
struct BalanceState {
    value: Option<Result<Money, String>>,
    read_at: Option<i64>,
    loading: bool,
}

/// The saldo window.
pub struct SaldoApp {
    services: Services,
    backend: Backend,
    events: Receiver<Event>,
    panel: Panel,
    profiles: Option<Result<Vec<Profile>, String>>,
    selected: Option<String>,
    topup: TopUpPanel,
    history: HistoryPanel,
    balance: BalanceState,
    /// How many operations the reconciler says a person must look at.
    needs_review: usize,
}

impl SaldoApp {
    /// Builds the window's state and starts loading profiles and history.
    pub fn new(ctx: &egui::Context, services: Services) -> SaldoApp {
        let (sender, events) = channel();
        let backend = Backend::new(
            services.runtime.handle().clone(),
            services.engine.clone(),
            sender,
            ctx.clone(),
        );
        backend.watch_for_terminate();
        let mut app = SaldoApp {
            services,
            backend,
            events,
            panel: Panel::TopUp,
            profiles: None,
            selected: None,
            topup: TopUpPanel::default(),
            history: HistoryPanel::default(),
            balance: BalanceState::default(),
            needs_review: 0,
        };
        app.backend.run(Command::LoadProfiles);
        app.backend.start_reconciler();
        let backend = &app.backend;
        app.history.reload(&mut |c| backend.run(c));
        app
    }

    /// The services the window runs on (for tests: the ledger, the simulator).
    pub fn services(&self) -> &Services {
        &self.services
    }

    /// The panel on show.
    pub fn panel(&self) -> Panel {
        self.panel
    }

    fn selected_profile(&self) -> Option<&Profile> {
        let profiles = self.profiles.as_ref()?.as_ref().ok()?;
        let name = self.selected.as_ref()?;
        profiles.iter().find(|p| &p.name == name)
    }

    fn refresh_balance(&mut self) {
        let can_read = self
            .selected_profile()
            .is_some_and(|p| capabilities_of(p.provider).balance);
        if let (true, Some(name)) = (can_read, self.selected.clone()) {
            self.balance.loading = true;
            self.backend.run(Command::RefreshBalance { profile: name });
        }
    }

    fn handle(&mut self, ctx: &egui::Context, event: Event) {
        match event {
            Event::Profiles(result) => {
                if let Ok(profiles) = &result {
                    let still_there = self
                        .selected
                        .as_ref()
                        .is_some_and(|s| profiles.iter().any(|p| &p.name == s));
                    if !still_there {
                        self.selected = profiles.first().map(|p| p.name.clone());
                    }
                }
                self.profiles = Some(result);
                self.refresh_balance();
            }
            Event::TopUpFinished(result) => {
                self.topup.finished(result);
                let backend = &self.backend;
                self.history.reload(&mut |c| backend.run(c));
                self.refresh_balance();
            }
            Event::History(result) => self.history.loaded(result),
            Event::Balance { profile, result } => {
                if self.selected.as_deref() == Some(profile.as_str()) {
                    self.balance = BalanceState {
                        value: Some(result),
                        read_at: Some(crate::ledger::now_ms()),
                        loading: false,
                    };
                }
            }
            Event::Reconciled {
                settled,
                needs_review,
            } => {
                for record in &settled {
                    self.topup.settled_later(record);
                }
                self.needs_review = needs_review;
                if !settled.is_empty() {
                    let backend = &self.backend;
                    self.history.reload(&mut |c| backend.run(c));
                    self.refresh_balance();
                }
            }
            Event::CloseRequested => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
        }
    }

    fn top_bar_ui(&mut self, ui: &mut egui::Ui) {
        if self.services.is_demo() {
            egui::Frame::new()
                .fill(Color32::from_rgb(0xff, 0xb3, 0x00))
                .inner_margin(6.0)
                .show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.label(
                        RichText::new(
                            "DEMO - simulated providers and a separate demo ledger: nothing real \
                             is sent",
                        )
                        .color(Color32::BLACK)
                        .strong(),
                    );
                });
        }
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.panel, Panel::TopUp, "Top-up");
            let history = ui.selectable_value(&mut self.panel, Panel::History, "History");
            if history.clicked() {
                let backend = &self.backend;
                self.history.reload(&mut |c| backend.run(c));
            }
            ui.separator();
            self.profile_picker_ui(ui);
            self.balance_ui(ui);
            if self.needs_review > 0 {
                ui.separator();
                ui.label(
                    RichText::new(format!(
                        "{} operation(s) need review: saldo review list",
                        self.needs_review
                    ))
                    .color(Color32::from_rgb(0xa3, 0x5a, 0x00))
                    .strong(),
                );
            }
        });
    }

    fn profile_picker_ui(&mut self, ui: &mut egui::Ui) {
        let Some(Ok(profiles)) = &self.profiles else {
            return;
        };
        if profiles.len() < 2 {
            return;
        }
        let names: Vec<String> = profiles.iter().map(|p| p.name.clone()).collect();
        let before = self.selected.clone();
        let label = ui.label("Profile");
        egui::ComboBox::from_id_salt("profile-picker")
            .selected_text(self.selected.clone().unwrap_or_default())
            .show_ui(ui, |ui| {
                for name in names {
                    ui.selectable_value(&mut self.selected, Some(name.clone()), name);
                }
            })
            .response
            .labelled_by(label.id);
        if self.selected != before {
            self.balance = BalanceState::default();
            self.refresh_balance();
        }
    }

    fn balance_ui(&mut self, ui: &mut egui::Ui) {
        let Some(profile) = self.selected.clone() else {
            return;
        };
        if !self
            .selected_profile()
            .is_some_and(|p| capabilities_of(p.provider).balance)
        {
            return;
        }
        let text = match &self.balance.value {
            None => "Balance: reading…".to_string(),
            Some(Ok(money)) => format!("Balance ({profile}): {money}"),
            Some(Err(error)) => format!("Balance unavailable: {error}"),
        };
        ui.label(text).on_hover_text(
            self.balance
                .read_at
                .map(|at| format!("Read at {}", local_text(at)))
                .unwrap_or_default(),
        );
        if self.balance.loading {
            ui.spinner();
        } else if ui.button("Refresh balance").clicked() {
            self.refresh_balance();
        }
    }

    fn central_ui(&mut self, ui: &mut egui::Ui) {
        let backend = &self.backend;
        let mut run = |command: Command| backend.run(command);
        match self.panel {
            Panel::History => history_ui(ui, &mut self.history, &mut run),
            Panel::TopUp => match &self.profiles {
                None => {
                    ui.spinner();
                }
                Some(Err(error)) => {
                    ui.colored_label(Color32::from_rgb(0xb3, 0x26, 0x1e), error);
                }
                Some(Ok(_)) => match self.selected_profile().cloned() {
                    Some(profile) => topup_ui(ui, &mut self.topup, &profile, &mut run),
                    None => {
                        ui.heading("No provider profile yet");
                        ui.label(
                            "Add one from the command line, then restart saldo:\n  saldo profile \
                             add NAME --provider qvatel\n  saldo credentials set NAME\nOr try \
                             saldo --demo first.",
                        );
                    }
                },
            },
        }
    }
}

impl eframe::App for SaldoApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        while let Ok(event) = self.events.try_recv() {
            self.handle(&ctx, event);
        }
        egui::Panel::top("top-bar").show(ui, |ui| self.top_bar_ui(ui));
        egui::CentralPanel::default_margins().show(ui, |ui| self.central_ui(ui));
        if self.topup.is_sending() {
            // Keep the spinner turning while the engine works.
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }
}
