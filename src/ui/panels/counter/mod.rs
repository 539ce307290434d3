//! The counter: number, amount, review, send, and a result nobody can misread. Built for the
//! keyboard: type the number, pick the amount with Alt+1…9 (or 1…9 outside the number field),
//! Enter to review, Enter again (after a moment) to send, Enter for the next customer.

mod banners;
mod entering;
mod number_field;
pub mod result;
mod review;

use std::collections::BTreeMap;

use egui::RichText;

use crate::domain::{Country, Money, PhoneNumber};
use crate::engine::{ListRefresh, TopUpOrder};
use crate::ledger::{FavouriteNumber, TxRecord};
use crate::providers::Profile;
use crate::providers::registry::{PickList, TopUpField};
use crate::receipt::printer::ReceiptPrinter;
use crate::t;
use crate::ui::backend::{Command, SendFailure};
use crate::ui::panels::PanelContext;
use crate::ui::shop::Shop;
use crate::ui::text::numbers::money_text;
use crate::ui::text::words::Words;
use crate::ui::widgets::send_guard::SendGuard;

/// Where the counter is in serving one customer. (One per window: the size of its largest
/// variant, a finished operation's row, does not matter.)
#[derive(Debug)]
#[allow(clippy::large_enum_variant)]
pub(crate) enum Stage {
    Entering,
    Reviewing {
        number: PhoneNumber,
        amount: Money,
        guard: SendGuard,
    },
    Sending {
        number: PhoneNumber,
        amount: Money,
    },
    Done {
        result: Result<TxRecord, SendFailure>,
        /// Guards "Send again anyway", which appears where "Send top-up" was.
        guard: Option<SendGuard>,
    },
}

/// The counter's state.
pub struct CounterPanel {
    /// The profile sales go through (a top-up profile).
    pub(crate) profile: Option<String>,
    /// The profile the clerk chose; the counter comes back to it after a sale that a number
    /// typed with another country's code switched away from it.
    home_profile: Option<String>,
    number: String,
    /// Something typed into the number field was refused (a letter, a symbol).
    typing_refused: bool,
    amount: Option<Money>,
    /// What the clerk typed, for providers that take any amount.
    amount_text: String,
    /// The operator, circle… the provider needs, by field.
    choices: BTreeMap<TopUpField, String>,
    pub(crate) stage: Stage,
    focus_number: bool,
    /// The last top-up sent, to send again when the clerk confirms a repeat.
    pub(crate) last_sent: Option<(PhoneNumber, Money, TopUpOrder)>,
    recent: Vec<String>,
    favourites: Vec<FavouriteNumber>,
    /// The profile whose recent and favourite numbers are loaded.
    memory_of: Option<String>,
    /// The number whose remembered choices were asked for.
    choices_asked_for: Option<String>,
    /// The operator and circle lists of a profile (by name), live or shipped.
    lists: Option<(String, Result<ListRefresh, Words>)>,
    /// Why the recent or favourite numbers or a number's remembered choices could not be read
    /// (or a favourite could not be changed).
    memory_problem: Option<Words>,
    /// The receipt being printed (its button waits until the print is done).
    pub(crate) printing: Option<crate::domain::Reference>,
}

impl Default for CounterPanel {
    fn default() -> Self {
        CounterPanel {
            profile: None,
            home_profile: None,
            number: String::new(),
            typing_refused: false,
            amount: None,
            amount_text: String::new(),
            choices: BTreeMap::new(),
            stage: Stage::Entering,
            focus_number: true,
            last_sent: None,
            recent: Vec::new(),
            favourites: Vec::new(),
            memory_of: None,
            choices_asked_for: None,
            lists: None,
            memory_problem: None,
            printing: None,
        }
    }
}

impl CounterPanel {
    /// Whether a top-up is on its way (the window should not offer another yet).
    pub fn is_sending(&self) -> bool {
        matches!(self.stage, Stage::Sending { .. })
    }

    /// Takes the engine's answer for the top-up being sent.
    pub fn finished(&mut self, result: Result<TxRecord, SendFailure>) {
        self.stage = Stage::Done {
            result,
            guard: None,
        };
        self.memory_of = None;
    }

    /// Shows a later outcome of the top-up on show (the reconciler settled it).
    pub fn settled_later(&mut self, record: &TxRecord) {
        if let Stage::Done {
            result: Ok(shown), ..
        } = &mut self.stage
            && shown.reference == record.reference
        {
            *shown = record.clone();
        }
    }

    /// Takes the recent and favourite numbers of a profile.
    pub fn memory_loaded(
        &mut self,
        profile: &str,
        recent: Vec<String>,
        favourites: Vec<FavouriteNumber>,
        problem: Option<Words>,
    ) {
        if self.profile.as_deref() == Some(profile) {
            self.recent = recent;
            self.favourites = favourites;
            self.memory_problem = problem;
        }
    }

    /// Takes the operator and circle lists of a profile.
    pub fn lists_loaded(&mut self, profile: &str, result: Result<ListRefresh, Words>) {
        if self.profile.as_deref() == Some(profile) {
            self.lists = Some((profile.to_string(), result));
        }
    }

    /// The lists a profile's top-ups choose from: as loaded, or the shipped tables until then.
    fn lists_of(&self, profile: &Profile) -> Vec<PickList> {
        match &self.lists {
            Some((name, Ok(refresh))) if *name == profile.name => refresh.lists.clone(),
            _ => (profile.provider.info().topup_pickers)(),
        }
    }

    /// Takes the choices remembered for a number; the clerk's own choices win.
    pub fn choices_loaded(
        &mut self,
        profile: &str,
        number: &str,
        choices: BTreeMap<String, String>,
        problem: Option<Words>,
    ) {
        if self.choices_asked_for.as_deref() != Some(number)
            || self.profile.as_deref() != Some(profile)
        {
            return;
        }
        self.memory_problem = problem
            .map(|reason| {
                Words::new(move || crate::t!("counter-choices-unreadable", reason = &reason))
            })
            .or(self.memory_problem.take());
        for field in TopUpField::ALL {
            if let Some(value) = choices.get(field.key()) {
                self.choices.entry(field).or_insert_with(|| value.clone());
            }
        }
    }

    /// Ready for the next customer: everything cleared but the profile and its numbers.
    pub(crate) fn next_customer(&mut self) {
        let home = self.home_profile.take();
        let profile = home.clone().or_else(|| self.profile.take());
        if profile != self.profile {
            // Back home after a sale to another country: its numbers are loaded anew.
            self.memory_of = None;
            self.lists = None;
        }
        *self = CounterPanel {
            profile,
            recent: std::mem::take(&mut self.recent),
            favourites: std::mem::take(&mut self.favourites),
            memory_of: self.memory_of.take(),
            lists: self.lists.take(),
            ..CounterPanel::default()
        };
    }

    fn use_number(&mut self, number: &str, country: Country) {
        self.number = PhoneNumber::from_e164(number, country)
            .map(|n| n.national().to_string())
            .unwrap_or_else(|_| number.to_string());
        self.choices.clear();
        self.focus_number = true;
    }
}

/// The counter. Emits a top-up command when the clerk confirms.
pub fn counter_ui(ui: &mut egui::Ui, panel: &mut CounterPanel, cx: &mut PanelContext<'_>) {
    let (shop, run, printer) = (&*cx.shop, &mut *cx.run, &cx.prefs.printer);
    let profiles = shop.top_up_profiles();
    if profiles.is_empty() {
        ui.heading(t!("counter-title"));
        ui.label(t!("counter-no-profile"));
        return;
    }
    let chosen = panel
        .profile
        .as_deref()
        .and_then(|name| profiles.iter().find(|p| p.name == name));
    let profile = (*chosen.unwrap_or(&profiles[0])).clone();
    if panel.profile.as_deref() != Some(&profile.name) {
        panel.profile = Some(profile.name.clone());
        panel.memory_of = None;
        panel.choices_asked_for = None;
    }
    if panel.memory_of.as_deref() != Some(&profile.name) {
        panel.memory_of = Some(profile.name.clone());
        run(Command::LoadCounterMemory {
            profile: profile.name.clone(),
        });
        run(Command::LoadSecretStatus {
            profile: profile.name.clone(),
        });
        if panel
            .lists
            .as_ref()
            .is_none_or(|(name, _)| *name != profile.name)
        {
            run(Command::LoadTopUpLists {
                profile: profile.name.clone(),
            });
        }
    }
    let Some(country) = profile.provider.topup_country() else {
        return;
    };
    // A small window scrolls; the counter never hides its buttons below the edge.
    egui::ScrollArea::vertical()
        .id_salt("counter")
        .auto_shrink(false)
        .show(ui, |ui| {
            stage_ui(
                ui,
                panel,
                &profile,
                (shop, printer),
                country,
                &profiles,
                run,
            )
        });
}

/// The counter's current stage.
fn stage_ui(
    ui: &mut egui::Ui,
    panel: &mut CounterPanel,
    profile: &Profile,
    (shop, printer): (&Shop, &ReceiptPrinter),
    country: Country,
    profiles: &[&Profile],
    run: &mut dyn FnMut(Command),
) {
    match &panel.stage {
        Stage::Entering => {
            ui.horizontal(|ui| {
                ui.heading(t!("counter-title"));
                ui.add_space(16.0);
                entering::profile_picker_ui(ui, panel, profiles);
            });
            ui.add_space(6.0);
            let blocked = banners::banners_ui(ui, profile, shop);
            ui.add_space(6.0);
            ui.columns(2, |columns| {
                entering::entering_ui(
                    &mut columns[0],
                    panel,
                    profile,
                    shop,
                    (country, blocked),
                    profiles,
                    run,
                );
                entering::numbers_ui(&mut columns[1], panel, shop, country, run);
            });
        }
        Stage::Reviewing { .. } => review::reviewing_ui(ui, panel, profile, run),
        Stage::Sending { number, amount } => {
            ui.add_space(24.0);
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(
                    RichText::new(t!(
                        "counter-sending",
                        amount = money_text(*amount),
                        number = number.to_string()
                    ))
                    .size(20.0),
                );
            });
        }
        Stage::Done { .. } => result::done_ui(ui, panel, profile, shop, printer, run),
    }
}

/// A top-up field's name in the window's language.
pub fn field_text(field: TopUpField) -> String {
    match field {
        TopUpField::Operator => t!("counter-operator"),
        TopUpField::Circle => t!("counter-circle"),
    }
}
