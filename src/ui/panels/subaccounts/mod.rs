//! Sub-accounts: SMS Partner's list with balances, search, credit moves with a confirm step
//! that shows both balances before and after, and new sub-accounts; Marketext's transfers of
//! points to a child account. Every move goes through the engine; an unknown outcome lands in
//! Review.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use crate::domain::{Money, TxState};
use crate::engine::{CreditOrder, CreditOutcome, TransferOrder};
use crate::ledger::{TxKind, TxRecord};
use crate::providers::registry::capabilities_of;
use crate::providers::{CreditDirection, NewSubAccount, Profile, SubAccount};
use crate::t;
use crate::ui::backend::{Command, SendFailure};
use crate::ui::panels::PanelContext;
use crate::ui::panels::{FIND, REFRESH, shortcut_text};
use crate::ui::shop::Shop;
use crate::ui::text::error_text::{money_error_text, state_text};
use crate::ui::text::numbers::money_text;
use crate::ui::text::words::Words;
use crate::ui::theme::{FAILURE, SUCCESS, WARNING};
use crate::ui::widgets::confirm::{Decision, confirm_or_back_ui, guarded_confirm_ui};
use crate::ui::widgets::keys::{key_pressed, no_field_focused};
use crate::ui::widgets::send_guard::SendGuard;

/// A move being prepared or confirmed.
#[derive(Clone, Debug)]
enum Step {
    Choosing,
    Confirming {
        amount: Money,
        /// Makes the confirm take a deliberate action.
        guard: SendGuard,
    },
    /// Asking whether to delete the selected (empty) sub-account.
    ConfirmingDelete,
    Sending,
}

/// The panel's state.
pub struct SubAccountsPanel {
    profile: Option<String>,
    accounts: Option<Result<Vec<SubAccount>, Words>>,
    loaded_for: Option<String>,
    loading: bool,
    search: String,
    focus_search: bool,
    /// The sub-account (by id) credit is moved to or from.
    selected: Option<String>,
    direction: CreditDirection,
    amount_text: String,
    step: Step,
    /// The last move's or transfer's outcome, worded when it is drawn.
    outcome: Option<MoveResult>,
    /// The move or transfer last sent, kept to send it again if the person confirms that it
    /// repeats a recent one on purpose.
    last_sent: Option<Command>,
    /// The same move confirmed as a deliberate repeat, offered after the repeat guard asked.
    repeat_offer: Option<Command>,
    new_account: Option<NewSubAccount>,
    /// The new sub-account's starting credit, as typed (empty: none).
    starting_credit: String,
    creating: bool,
    child: String,
    /// This frame's keys went to the search box or the new-account form, not the move.
    typing_elsewhere: bool,
}

impl Default for SubAccountsPanel {
    fn default() -> Self {
        SubAccountsPanel {
            profile: None,
            accounts: None,
            loaded_for: None,
            loading: false,
            search: String::new(),
            focus_search: false,
            selected: None,
            direction: CreditDirection::Add,
            amount_text: String::new(),
            step: Step::Choosing,
            outcome: None,
            last_sent: None,
            repeat_offer: None,
            new_account: None,
            starting_credit: String::new(),
            creating: false,
            child: String::new(),
            typing_elsewhere: false,
        }
    }
}

impl SubAccountsPanel {
    /// Takes a profile's sub-account list.
    pub fn accounts_loaded(&mut self, profile: &str, result: Result<Vec<SubAccount>, Words>) {
        if self.profile.as_deref() == Some(profile) {
            self.accounts = Some(result);
            self.loading = false;
        }
    }

    /// What a refused send says, and the repeat to offer when the guard asked for a
    /// confirmation (never while the earlier one is open: then no repeat is offered).
    fn refused(&mut self, failure: SendFailure) -> MoveResult {
        let repeat = failure.repeat_of.is_some();
        if repeat {
            self.repeat_offer = self.last_sent.take().map(confirmed_repeat);
        }
        MoveResult::Refused {
            repeat,
            message: failure.message,
        }
    }

    /// Takes the outcome of a credit move.
    pub fn credit_moved(&mut self, result: Result<CreditOutcome, SendFailure>) {
        self.step = Step::Choosing;
        self.repeat_offer = None;
        self.outcome = Some(match result {
            Ok(outcome) => {
                self.amount_text.clear();
                MoveResult::Done {
                    record: Box::new(outcome.record),
                    balances_after: outcome.balances_after,
                }
            }
            Err(failure) => self.refused(failure),
        });
        // The balances changed (or may have): read the list again.
        self.loaded_for = None;
    }

    /// Takes the outcome of a transfer to a child account.
    pub fn transferred(&mut self, result: Result<TxRecord, SendFailure>) {
        self.step = Step::Choosing;
        self.repeat_offer = None;
        self.outcome = Some(match result {
            Ok(record) => {
                self.amount_text.clear();
                MoveResult::Done {
                    record: Box::new(record),
                    balances_after: None,
                }
            }
            Err(failure) => self.refused(failure),
        });
    }

    /// Takes the outcome of creating a sub-account.
    pub fn created(&mut self, result: &Result<(), Words>) {
        self.creating = false;
        if result.is_ok() {
            self.new_account = None;
            self.loaded_for = None;
        }
    }

    /// Takes the outcome of a deletion: the list is read again.
    pub fn deleted(&mut self, result: &Result<String, Words>) {
        self.step = Step::Choosing;
        if result.is_ok() {
            self.selected = None;
            self.loaded_for = None;
        }
    }

    /// Whether a move or transfer is on its way.
    pub fn is_busy(&self) -> bool {
        matches!(self.step, Step::Sending) || self.loading || self.creating
    }
}

/// What the last move or transfer came to, kept as data so it reads in the window's language
/// of the moment.
#[derive(Debug)]
enum MoveResult {
    Done {
        record: Box<TxRecord>,
        balances_after: Option<(Money, Money)>,
    },
    Refused {
        /// It repeats a recent move: it goes through only if confirmed.
        repeat: bool,
        message: Words,
    },
}

impl MoveResult {
    /// The headline, its colour, and the lines under it.
    fn worded(&self) -> (String, egui::Color32, Vec<String>) {
        match self {
            MoveResult::Done {
                record,
                balances_after,
            } => {
                let mut lines = record_lines(record);
                if let Some((main, sub)) = balances_after {
                    let balances = t!(
                        "subaccounts-balances-after",
                        main = money_text(*main),
                        sub = money_text(*sub)
                    );
                    lines.insert(0, balances);
                }
                let (headline, colour) = headline(record);
                (headline, colour, lines)
            }
            MoveResult::Refused {
                repeat: true,
                message,
            } => (t!("result-repeat"), WARNING, vec![message.text()]),
            MoveResult::Refused {
                repeat: false,
                message,
            } => (t!("subaccounts-not-moved"), FAILURE, vec![message.text()]),
        }
    }
}

/// A move in words, worded by its direction: "2.000 EUR to 1002" for credit given,
/// "2.000 EUR back from 1002" for credit taken back, "500 to child 77" for a transfer.
pub fn move_text(record: &TxRecord) -> String {
    let amount = money_text(record.amount);
    let account = record.destination.as_str();
    match record.kind {
        TxKind::CreditRemove => t!("move-taken-back", amount = amount, account = account),
        TxKind::Transfer => t!("move-transferred", amount = amount, account = account),
        TxKind::CreditAdd | TxKind::TopUp => {
            t!("move-given", amount = amount, account = account)
        }
    }
}

fn headline(record: &TxRecord) -> (String, egui::Color32) {
    match record.state {
        TxState::Succeeded if record.kind == TxKind::CreditRemove => {
            (t!("subaccounts-taken-back"), SUCCESS)
        }
        TxState::Succeeded => (t!("subaccounts-moved"), SUCCESS),
        TxState::Failed => (t!("subaccounts-refused"), FAILURE),
        _ => (t!("subaccounts-unknown"), WARNING),
    }
}

fn record_lines(record: &TxRecord) -> Vec<String> {
    let mut lines = vec![format!(
        "{} · {}",
        move_text(record),
        state_text(record.state)
    )];
    if record.state == TxState::Failed
        && let Some(message) = &record.provider_message
    {
        let reason = crate::ui::text::notes::message_text(message);
        lines.push(t!("result-reason", reason = reason.as_str()));
    }
    if !record.state.is_final() {
        lines.push(t!("subaccounts-see-review"));
    }
    lines.push(t!(
        "result-our-reference",
        reference = record.reference.as_str()
    ));
    lines
}

fn offers_accounts(profile: &Profile) -> bool {
    let can = capabilities_of(profile.provider);
    can.sub_accounts || can.child_transfer
}

/// The panel.
pub fn subaccounts_ui(ui: &mut egui::Ui, panel: &mut SubAccountsPanel, cx: &mut PanelContext<'_>) {
    let (shop, run) = (&*cx.shop, &mut *cx.run);
    let profiles = shop.profiles_that(offers_accounts);
    ui.horizontal(|ui| {
        ui.heading(t!("subaccounts-title"));
        ui.add_space(16.0);
        if profiles.len() > 1 {
            let label = ui.label(t!("subaccounts-profile"));
            let mut selected = panel.profile.clone();
            egui::ComboBox::from_id_salt("subaccounts-profile")
                .selected_text(selected.clone().unwrap_or_default())
                .show_ui(ui, |ui| {
                    for profile in &profiles {
                        let text = format!(
                            "{} · {}",
                            profile.name,
                            crate::ui::text::error_text::provider_text(profile.provider)
                        );
                        ui.selectable_value(&mut selected, Some(profile.name.clone()), text);
                    }
                })
                .response
                .labelled_by(label.id);
            if selected != panel.profile && !matches!(panel.step, Step::Sending) {
                *panel = SubAccountsPanel {
                    profile: selected,
                    ..SubAccountsPanel::default()
                };
            }
        }
    });
    let Some(first) = profiles.first() else {
        ui.label(t!("subaccounts-no-profile"));
        return;
    };
    let profile = panel
        .profile
        .as_deref()
        .and_then(|name| profiles.iter().find(|p| p.name == name))
        .unwrap_or(first);
    let profile = (*profile).clone();
    panel.profile = Some(profile.name.clone());
    ui.add_space(8.0);
    if let Some((headline, colour, lines)) = panel.outcome.as_ref().map(MoveResult::worded) {
        ui.label(RichText::new(headline).size(22.0).strong().color(colour));
        for line in lines {
            ui.label(line);
        }
        if panel.repeat_offer.is_some() {
            repeat_offer_ui(ui, panel, run);
        }
        ui.add_space(8.0);
    }
    let can = capabilities_of(profile.provider);
    if can.sub_accounts {
        sub_accounts_ui(ui, panel, &profile, shop, run);
    } else if can.child_transfer {
        transfer_ui(ui, panel, &profile, run);
    }
}

fn sub_accounts_ui(
    ui: &mut egui::Ui,
    panel: &mut SubAccountsPanel,
    profile: &Profile,
    shop: &Shop,
    run: &mut dyn FnMut(Command),
) {
    let refresh_key = ui.input_mut(|i| i.consume_shortcut(&REFRESH));
    if panel.loaded_for.as_deref() != Some(&profile.name) || refresh_key {
        panel.loaded_for = Some(profile.name.clone());
        panel.loading = true;
        run(Command::LoadSubAccounts {
            profile: profile.name.clone(),
        });
    }
    if ui.input_mut(|i| i.consume_shortcut(&FIND)) {
        panel.focus_search = true;
    }
    ui.horizontal(|ui| {
        let label = ui.label(t!("subaccounts-search"));
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut panel.search)
                    .hint_text(t!("subaccounts-search-hint"))
                    .desired_width(220.0),
            )
            .labelled_by(label.id)
            .on_hover_text(shortcut_text(ui.ctx(), FIND));
        if std::mem::take(&mut panel.focus_search) {
            field.request_focus();
        }
        panel.typing_elsewhere = field.has_focus() || field.lost_focus();
        if panel.loading {
            ui.spinner();
        } else if ui
            .button(t!("subaccounts-refresh"))
            .on_hover_text(shortcut_text(ui.ctx(), REFRESH))
            .clicked()
        {
            panel.loaded_for = None;
        }
        if ui.button(t!("subaccounts-new")).clicked() && panel.new_account.is_none() {
            panel.new_account = Some(NewSubAccount {
                kind: "simple".to_string(),
                email: String::new(),
                first_name: String::new(),
                last_name: String::new(),
                is_buyer: false,
            });
        }
    });
    if panel.new_account.is_some() {
        new_account_ui(ui, panel, profile, run);
    }
    ui.add_space(6.0);
    let accounts = match &panel.accounts {
        None => return,
        Some(Err(error)) => {
            ui.colored_label(FAILURE, error);
            return;
        }
        Some(Ok(accounts)) => accounts.clone(),
    };
    let needle = panel.search.trim().to_lowercase();
    let shown: Vec<&SubAccount> = accounts
        .iter()
        .filter(|a| {
            needle.is_empty()
                || a.id.to_lowercase().contains(&needle)
                || a.email.to_lowercase().contains(&needle)
        })
        .collect();
    ui.columns(2, |columns| {
        list_ui(&mut columns[0], panel, &shown, accounts.len());
        let selected = panel
            .selected
            .as_ref()
            .and_then(|id| accounts.iter().find(|a| &a.id == id));
        match selected {
            Some(account) => move_ui(&mut columns[1], panel, profile, account, shop, run),
            None => {
                columns[1].label(RichText::new(t!("subaccounts-pick-one")).weak());
            }
        }
    });
}

fn list_ui(ui: &mut egui::Ui, panel: &mut SubAccountsPanel, shown: &[&SubAccount], total: usize) {
    ui.label(RichText::new(t!("subaccounts-count", shown = shown.len(), total = total)).weak());
    let sending = matches!(panel.step, Step::Sending);
    let mut picked = None;
    let list_height = ui.available_height() - 8.0;
    // The whole row selects; the e-mail column takes what is left and truncates (the full
    // address is in its tooltip), so the id and balance are never clipped.
    TableBuilder::new(ui)
        .id_salt("subaccounts-list")
        .striped(true)
        .sense(egui::Sense::click())
        .max_scroll_height(list_height)
        .column(Column::auto().at_least(60.0))
        .column(Column::remainder().at_least(120.0).clip(true))
        .column(Column::auto().at_least(90.0))
        .header(22.0, |mut header| {
            header.col(|ui| {
                ui.strong(t!("subaccounts-id"));
            });
            header.col(|ui| {
                ui.strong(t!("subaccounts-email"));
            });
            header.col(|ui| {
                ui.strong(t!("subaccounts-balance"));
            });
        })
        .body(|body| {
            body.rows(24.0, shown.len(), |mut row| {
                let account = shown[row.index()];
                row.set_selected(panel.selected.as_deref() == Some(account.id.as_str()));
                row.col(|ui| {
                    ui.add(egui::Label::new(&account.id).selectable(false));
                });
                row.col(|ui| {
                    ui.add(
                        egui::Label::new(&account.email)
                            .truncate()
                            .selectable(false),
                    )
                    .on_hover_text(&account.email);
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(money_text(account.balance)).selectable(false));
                });
                if row.response().clicked() && !sending {
                    picked = Some(account.id.clone());
                }
            });
        });
    if let Some(id) = picked {
        panel.selected = Some(id);
        panel.step = Step::Choosing;
    }
}

/// A move on its way.
fn sending_ui(ui: &mut egui::Ui) {
    ui.horizontal(|ui| {
        ui.spinner();
        ui.label(t!("subaccounts-sending"));
    });
}

/// The amount to move, in the profile's unit, with the reason shown when it is not usable.
/// Returns the field (to see whether Enter was pressed in it) and the amount.
fn amount_field_ui(
    ui: &mut egui::Ui,
    text: &mut String,
    profile: &Profile,
) -> (egui::Response, Option<Money>) {
    let unit = profile.settings.unit;
    let label = ui.label(t!("subaccounts-amount", unit = unit.code()));
    let field = ui
        .add(egui::TextEdit::singleline(text).desired_width(140.0))
        .labelled_by(label.id);
    let parsed = Money::parse(text.trim(), unit);
    let amount = parsed.as_ref().ok().copied().filter(|a| a.minor() > 0);
    if !text.trim().is_empty() && amount.is_none() {
        let reason = match &parsed {
            Err(e) => money_error_text(e),
            Ok(_) => t!("amount-error-zero"),
        };
        ui.colored_label(FAILURE, reason);
    }
    (field, amount)
}

fn move_ui(
    ui: &mut egui::Ui,
    panel: &mut SubAccountsPanel,
    profile: &Profile,
    account: &SubAccount,
    shop: &Shop,
    run: &mut dyn FnMut(Command),
) {
    ui.strong(t!("subaccounts-move-title", account = account.id.as_str()));
    ui.label(account.email.as_str());
    match panel.step.clone() {
        Step::Sending => sending_ui(ui),
        Step::Choosing => {
            ui.horizontal(|ui| {
                ui.radio_value(
                    &mut panel.direction,
                    CreditDirection::Add,
                    t!("subaccounts-add"),
                );
                ui.radio_value(
                    &mut panel.direction,
                    CreditDirection::Remove,
                    t!("subaccounts-remove"),
                );
            });
            let (field, amount) = amount_field_ui(ui, &mut panel.amount_text, profile);
            // Enter in the amount field reviews; Enter in the search box does not.
            let enter = field.lost_focus() && key_pressed(ui, egui::Key::Enter);
            let review = ui
                .add_enabled(
                    amount.is_some(),
                    egui::Button::new(t!("subaccounts-review")),
                )
                .on_hover_text(t!("key-enter"));
            if let Some(amount) = amount
                && (review.clicked() || enter)
            {
                panel.step = Step::Confirming {
                    amount,
                    guard: SendGuard::new(ui),
                };
            }
            ui.add_space(12.0);
            let empty = account.balance.minor() == 0;
            let delete = ui
                .add_enabled(empty, egui::Button::new(t!("subaccounts-delete")))
                .on_disabled_hover_text(t!("subaccounts-delete-needs-empty"));
            if delete.clicked() {
                panel.step = Step::ConfirmingDelete;
            }
        }
        Step::ConfirmingDelete => {
            ui.label(
                RichText::new(t!(
                    "subaccounts-delete-confirm",
                    account = account.id.as_str(),
                    email = account.email.as_str()
                ))
                .size(18.0)
                .strong(),
            );
            let decision = confirm_or_back_ui(
                ui,
                RichText::new(t!("subaccounts-delete-yes")).strong(),
                !panel.typing_elsewhere,
            );
            if decision == Decision::Confirm {
                panel.step = Step::Sending;
                run(Command::DeleteSubAccount {
                    profile: profile.name.clone(),
                    sub_account: account.id.clone(),
                });
            } else if decision == Decision::Back {
                panel.step = Step::Choosing;
            }
        }
        Step::Confirming { amount, mut guard } => {
            let main = shop.reading(&profile.name).map(|r| r.amount);
            let (main_after, sub_after) = match panel.direction {
                CreditDirection::Add => (
                    main.and_then(|m| m.checked_sub(amount)),
                    account.balance.checked_add(amount),
                ),
                CreditDirection::Remove => (
                    main.and_then(|m| m.checked_add(amount)),
                    account.balance.checked_sub(amount),
                ),
            };
            let unknown = t!("subaccounts-unknown-balance");
            let text = |m: Option<Money>| m.map_or(unknown.clone(), money_text);
            let what = match panel.direction {
                CreditDirection::Add => t!(
                    "subaccounts-confirm-add",
                    amount = money_text(amount),
                    account = account.id.as_str()
                ),
                CreditDirection::Remove => t!(
                    "subaccounts-confirm-remove",
                    amount = money_text(amount),
                    account = account.id.as_str()
                ),
            };
            ui.label(RichText::new(what).size(18.0).strong());
            egui::Grid::new("subaccounts-confirm")
                .num_columns(3)
                .show(ui, |ui| {
                    ui.label("");
                    ui.strong(t!("subaccounts-before"));
                    ui.strong(t!("subaccounts-after"));
                    ui.end_row();
                    ui.label(t!("subaccounts-main-account"));
                    ui.label(text(main));
                    ui.label(text(main_after));
                    ui.end_row();
                    ui.label(t!("subaccounts-sub-account", account = account.id.as_str()));
                    ui.label(money_text(account.balance));
                    ui.label(text(sub_after));
                    ui.end_row();
                });
            let sub_short = sub_after.is_none_or(|s| s.minor() < 0);
            let main_short = main_after.is_some_and(|m| m.minor() < 0);
            if sub_short {
                ui.colored_label(FAILURE, t!("subaccounts-not-enough"));
            } else if main_short {
                ui.colored_label(FAILURE, t!("subaccounts-main-not-enough"));
            }
            let decision = guarded_confirm_ui(
                ui,
                &mut guard,
                &t!("subaccounts-confirm"),
                !panel.typing_elsewhere,
                !sub_short && !main_short,
            );
            keep_guard(panel, guard);
            if decision == Decision::Confirm {
                panel.step = Step::Sending;
                panel.outcome = None;
                let order = Command::MoveCredit(CreditOrder {
                    profile: profile.name.clone(),
                    sub_account: account.id.clone(),
                    amount: amount.to_decimal_string(),
                    direction: panel.direction,
                    confirm_repeat: false,
                });
                panel.last_sent = Some(order.clone());
                run(order);
            } else if decision == Decision::Back {
                panel.step = Step::Choosing;
            }
        }
    }
}

fn new_account_ui(
    ui: &mut egui::Ui,
    panel: &mut SubAccountsPanel,
    profile: &Profile,
    run: &mut dyn FnMut(Command),
) {
    let creating = panel.creating;
    let mut typing = false;
    let mut panel_credit = std::mem::take(&mut panel.starting_credit);
    let mut credit_ok = true;
    let mut starting: Option<Money> = None;
    let Some(new) = &mut panel.new_account else {
        return;
    };
    let mut cancel = false;
    let mut create = false;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.strong(t!("subaccounts-new-title"));
        egui::Grid::new("subaccounts-new")
            .num_columns(2)
            .show(ui, |ui| {
                let label = ui.label(t!("subaccounts-kind"));
                egui::ComboBox::from_id_salt("subaccounts-kind")
                    .selected_text(if new.kind == "advanced" {
                        t!("subaccounts-kind-advanced")
                    } else {
                        t!("subaccounts-kind-simple")
                    })
                    .show_ui(ui, |ui| {
                        ui.selectable_value(
                            &mut new.kind,
                            "simple".to_string(),
                            t!("subaccounts-kind-simple"),
                        );
                        ui.selectable_value(
                            &mut new.kind,
                            "advanced".to_string(),
                            t!("subaccounts-kind-advanced"),
                        );
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                for (key, value) in [
                    (t!("subaccounts-email"), &mut new.email),
                    (t!("subaccounts-first-name"), &mut new.first_name),
                    (t!("subaccounts-last-name"), &mut new.last_name),
                ] {
                    let label = ui.label(key);
                    let field = ui.text_edit_singleline(value).labelled_by(label.id);
                    typing |= field.has_focus() || field.lost_focus();
                    ui.end_row();
                }
                ui.label("");
                ui.checkbox(&mut new.is_buyer, t!("subaccounts-is-buyer"))
                    .on_hover_text(t!("subaccounts-is-buyer-tip"));
                ui.end_row();
                let label = ui.label(t!(
                    "subaccounts-starting-credit",
                    unit = profile.settings.unit.code()
                ));
                let field = ui
                    .text_edit_singleline(&mut panel_credit)
                    .labelled_by(label.id)
                    .on_hover_text(t!("subaccounts-starting-credit-tip"));
                typing |= field.has_focus() || field.lost_focus();
                ui.end_row();
            });
        let credit_text = panel_credit.trim().to_string();
        let credit = (!credit_text.is_empty()).then(|| {
            Money::parse(&credit_text, profile.settings.unit)
                .map_err(|e| money_error_text(&e))
                .and_then(|m| {
                    if m.minor() > 0 {
                        Ok(m)
                    } else {
                        Err(t!("amount-error-zero"))
                    }
                })
        });
        if let Some(Err(reason)) = &credit {
            ui.colored_label(FAILURE, reason);
        }
        credit_ok = !matches!(credit, Some(Err(_)));
        starting = credit.and_then(Result::ok);
        let email_ok = new.email.contains('@') && !new.email.trim().starts_with('@');
        if !new.email.is_empty() && !email_ok {
            ui.colored_label(FAILURE, t!("subaccounts-email-invalid"));
        }
        ui.horizontal(|ui| {
            if creating {
                ui.spinner();
            }
            create = ui
                .add_enabled(
                    email_ok && credit_ok && !creating,
                    egui::Button::new(t!("subaccounts-create")),
                )
                .clicked();
            cancel = ui.button(t!("counter-cancel")).clicked();
        });
    });
    panel.typing_elsewhere |= typing;
    panel.starting_credit = panel_credit;
    if create {
        panel.creating = true;
        run(Command::CreateSubAccount {
            profile: profile.name.clone(),
            new: new.clone(),
            starting_credit: starting.map(|m| m.to_decimal_string()),
        });
        panel.starting_credit.clear();
    } else if cancel {
        panel.new_account = None;
        panel.starting_credit.clear();
    }
}

fn transfer_ui(
    ui: &mut egui::Ui,
    panel: &mut SubAccountsPanel,
    profile: &Profile,
    run: &mut dyn FnMut(Command),
) {
    ui.label(RichText::new(t!("subaccounts-transfer-help")).weak());
    match panel.step.clone() {
        Step::Sending => sending_ui(ui),
        // Child accounts cannot be deleted: nothing to confirm.
        Step::ConfirmingDelete => panel.step = Step::Choosing,
        Step::Choosing => {
            let label = ui.label(t!("subaccounts-child"));
            ui.add(egui::TextEdit::singleline(&mut panel.child).desired_width(220.0))
                .labelled_by(label.id);
            let (_, amount) = amount_field_ui(ui, &mut panel.amount_text, profile);
            let child_ok = !panel.child.trim().is_empty();
            let enter = key_pressed(ui, egui::Key::Enter) && no_field_focused(ui);
            let review = ui
                .add_enabled(
                    child_ok && amount.is_some(),
                    egui::Button::new(t!("subaccounts-review")),
                )
                .on_hover_text(t!("key-enter"));
            if let Some(amount) = amount
                && child_ok
                && (review.clicked() || enter)
            {
                panel.step = Step::Confirming {
                    amount,
                    guard: SendGuard::new(ui),
                };
            }
        }
        Step::Confirming { amount, mut guard } => {
            ui.label(
                RichText::new(t!(
                    "subaccounts-confirm-transfer",
                    amount = money_text(amount),
                    child = panel.child.trim()
                ))
                .size(18.0)
                .strong(),
            );
            ui.label(RichText::new(t!("subaccounts-transfer-warning")).color(WARNING));
            let decision = guarded_confirm_ui(
                ui,
                &mut guard,
                &t!("subaccounts-confirm-transfer-button"),
                no_field_focused(ui),
                true,
            );
            keep_guard(panel, guard);
            if decision == Decision::Confirm {
                panel.step = Step::Sending;
                panel.outcome = None;
                let order = Command::Transfer(TransferOrder {
                    profile: profile.name.clone(),
                    child: panel.child.trim().to_string(),
                    amount: amount.to_decimal_string(),
                    confirm_repeat: false,
                });
                panel.last_sent = Some(order.clone());
                run(order);
            } else if decision == Decision::Back {
                panel.step = Step::Choosing;
            }
        }
    }
}

/// Writes the confirm step's guard back (the step is drawn from a copy).
fn keep_guard(panel: &mut SubAccountsPanel, guard: SendGuard) {
    if let Step::Confirming { guard: kept, .. } = &mut panel.step {
        *kept = guard;
    }
}

/// The same move or transfer, confirmed as a deliberate repeat.
fn confirmed_repeat(order: Command) -> Command {
    match order {
        Command::MoveCredit(order) => Command::MoveCredit(CreditOrder {
            confirm_repeat: true,
            ..order
        }),
        Command::Transfer(order) => Command::Transfer(TransferOrder {
            confirm_repeat: true,
            ..order
        }),
        other => other,
    }
}

/// "Send again anyway" after the repeat guard asked: only when the earlier one went through,
/// never while it is open (the engine refuses that outright).
fn repeat_offer_ui(ui: &mut egui::Ui, panel: &mut SubAccountsPanel, run: &mut dyn FnMut(Command)) {
    ui.horizontal(|ui| {
        if ui
            .button(t!("counter-send-again"))
            .on_hover_text(t!("subaccounts-send-again-tip"))
            .clicked()
            && let Some(order) = panel.repeat_offer.take()
        {
            panel.step = Step::Sending;
            panel.outcome = None;
            panel.last_sent = Some(order.clone());
            run(order);
        }
        if ui.button(t!("counter-cancel")).clicked() {
            panel.repeat_offer = None;
            panel.outcome = None;
        }
    });
}
