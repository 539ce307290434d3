//! What the window does with each event from the background: hand it to its panel, refresh
//! what it changed, and raise a notification where a person should know.

use crate::domain::TxState;
use crate::t;
use crate::ui::app::SaldoApp;
use crate::ui::app::notifications::{Level, MAX_SETTLED_NOTIFICATIONS};
use crate::ui::backend::{Command, Event, ExportEnd};
use crate::ui::panels::Panel;
use crate::ui::panels::balances::{refresh_all, refresh_one};
use crate::ui::text::numbers::money_text;

impl SaldoApp {
    fn balance_read(
        &mut self,
        profile: String,
        result: Result<crate::ledger::BalanceReading, crate::ui::text::words::Words>,
    ) {
        let view = self.shop.balances.entry(profile.clone()).or_default();
        view.loading = false;
        match result {
            Ok(reading) => {
                view.reading = Some(reading);
                view.error = None;
            }
            Err(error) => view.error = Some(error),
        }
        self.warn_if_low(&profile);
    }

    /// Raises a notification the first time a profile's balance is seen below its level.
    fn warn_if_low(&mut self, name: &str) {
        let Some(profile) = self.shop.profile(name).cloned() else {
            return;
        };
        if !self.shop.is_low(&profile) {
            self.warned_low.remove(name);
            return;
        }
        if self.warned_low.insert(name.to_string())
            && let (Some(reading), Some(level)) =
                (self.shop.reading(name), profile.settings.low_balance())
        {
            self.notifications.add(
                Level::Warning,
                t!(
                    "toast-low-balance",
                    profile = name,
                    balance = money_text(reading.amount),
                    level = money_text(level)
                ),
            );
        }
    }

    fn after_money_moved(&mut self, profile: Option<&str>) {
        let backend = &self.backend;
        self.history.reload(&mut |c| backend.run(c));
        if let Some(profile) = profile {
            self.refresh_balance(profile);
        }
    }

    fn refresh_balance(&mut self, profile: &str) {
        let can = self
            .shop
            .profile(profile)
            .is_some_and(|p| crate::providers::registry::capabilities_of(p.provider).balance);
        if can {
            let backend = &self.backend;
            refresh_one(&mut self.shop, profile, &mut |c| backend.run(c));
        }
    }

    pub(crate) fn handle(&mut self, ctx: &egui::Context, event: Event) {
        let backend = &self.backend;
        let mut run = |c: Command| backend.run(c);
        match event {
            Event::Profiles(Ok(profiles)) => {
                self.profiles_loaded = true;
                let first_load = self.shop.profiles.is_empty();
                self.shop.profiles = profiles;
                self.profiles_error = None;
                self.shop
                    .balances
                    .retain(|name, _| self.shop.profiles.iter().any(|p| &p.name == name));
                if first_load {
                    refresh_all(&mut self.shop, &mut run);
                }
                let names: Vec<String> =
                    self.shop.profiles.iter().map(|p| p.name.clone()).collect();
                for name in names {
                    self.warn_if_low(&name);
                }
            }
            Event::Profiles(Err(error)) => self.profiles_error = Some(error),
            // Counts asked earlier and answered later (a busy machine) are out of date.
            Event::Today { generation, .. } if generation != self.shop.today_asked => {}
            Event::Today { generation, result } => {
                self.shop.today_answered = generation;
                match result {
                    Ok(today) => self.shop.today = today,
                    Err(error) => tracing::warn!(%error, "could not count today's sales"),
                }
            }
            Event::TopUpFinished(result) => {
                run(Command::LoadToday {
                    generation: self.shop.ask_today(),
                });
                let profile = result.as_ref().ok().map(|r| r.profile_name.clone());
                if let Ok(record) = &result
                    && record.state == TxState::Unknown
                {
                    self.notifications.add(
                        Level::Warning,
                        t!("toast-unknown", reference = record.reference.as_str()),
                    );
                }
                // The receipt at once, when the counter prints after every sale.
                if let Ok(record) = &result
                    && self.prefs.printer.after_every_sale
                    && self.prefs.printer.is_chosen()
                    && crate::ledger::receipts::receipt_allowed(record.state)
                {
                    run(Command::PrintReceipt {
                        reference: record.reference.clone(),
                        printer: self.prefs.printer.clone(),
                    });
                    self.counter.printing = Some(record.reference.clone());
                }
                self.counter.finished(result);
                self.after_money_moved(profile.as_deref());
            }
            Event::CounterMemory {
                profile,
                recent,
                favourites,
                problem,
            } => self
                .counter
                .memory_loaded(&profile, recent, favourites, problem),
            Event::NumberChoices {
                profile,
                number,
                choices,
                problem,
            } => self
                .counter
                .choices_loaded(&profile, &number, choices, problem),
            Event::Problem(error) => self.notifications.add(Level::Error, error),
            Event::Interrupted(references) => {
                // A notification now, and a banner on the counter until each is settled.
                self.notifications.add(
                    Level::Warning,
                    t!(
                        "interrupted-notice",
                        count = references.len(),
                        references = references
                            .iter()
                            .map(|r| r.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                self.shop.interrupted = references;
            }
            Event::TopUpLists { profile, result } => self.counter.lists_loaded(&profile, result),
            Event::Balance { profile, result } => self.balance_read(profile, result),
            Event::Balances(Err(error)) => self.notifications.add(Level::Error, error),
            Event::Balances(Ok(readings)) => {
                for (name, reading) in readings {
                    let view = self.shop.balances.entry(name.clone()).or_default();
                    if view.reading.is_none_or(|r| r.read_at < reading.read_at) {
                        view.reading = Some(reading);
                    }
                    self.warn_if_low(&name);
                }
            }
            Event::SubAccounts { profile, result } => {
                self.subaccounts.accounts_loaded(&profile, result)
            }
            Event::CreditMoved(result) => {
                let profile = result.as_ref().ok().map(|o| o.record.profile_name.clone());
                self.toast_for_move(result.as_ref().map(|o| &o.record).map_err(|f| &f.message));
                self.subaccounts.credit_moved(result);
                self.after_money_moved(profile.as_deref());
            }
            Event::SubAccountDeleted { profile, result } => {
                match &result {
                    Ok(account) => self.notifications.add(
                        Level::Success,
                        t!(
                            "toast-subaccount-deleted",
                            account = account.as_str(),
                            profile = profile.as_str()
                        ),
                    ),
                    Err(error) => self.notifications.add(Level::Error, error.clone()),
                };
                self.subaccounts.deleted(&result);
            }
            Event::SubAccountCreated {
                profile,
                result,
                credit,
            } => {
                match &result {
                    Ok(()) => self.notifications.add(
                        Level::Success,
                        t!("toast-subaccount-created", profile = profile.as_str()),
                    ),
                    Err(error) => self.notifications.add(Level::Error, error.clone()),
                };
                self.subaccounts.created(&result);
                if let Some(moved) = credit {
                    self.toast_for_move(moved.as_ref().map(|o| &o.record).map_err(|f| &f.message));
                    self.subaccounts.credit_moved(moved);
                    self.after_money_moved(Some(&profile));
                }
            }
            Event::Transferred(result) => {
                let profile = result.as_ref().ok().map(|r| r.profile_name.clone());
                self.toast_for_move(result.as_ref().map_err(|f| &f.message));
                self.subaccounts.transferred(result);
                self.after_money_moved(profile.as_deref());
            }
            Event::Statement { profile, result } => self.statement.loaded(&profile, result),
            Event::HistoryPage {
                generation,
                page,
                result,
            } => self.history.pages.page_loaded(generation, page, result),
            Event::HistorySummary { generation, result } => {
                self.history.pages.summary_loaded(generation, result)
            }
            Event::ExportProgress(rows) => self.history.export.progressed(rows),
            Event::ReceiptPrinted { reference, result } => {
                if self.counter.printing.as_ref() == Some(&reference) {
                    self.counter.printing = None;
                }
                self.history.receipt_printed(&reference);
                match result {
                    Ok(printed) => {
                        let said = match (&printed.file, printed.copy) {
                            (Some(file), _) => t!(
                                "toast-receipt-saved",
                                number = printed.number,
                                file = file.display().to_string()
                            ),
                            (None, 0) => t!("toast-receipt-printed", number = printed.number),
                            (None, copy) => t!(
                                "toast-receipt-reprinted",
                                number = printed.number,
                                copy = copy
                            ),
                        };
                        self.notifications.add(Level::Success, said);
                    }
                    Err(error) => self.notifications.add(Level::Error, error),
                }
            }
            Event::ShopDetails(result) => self.settings.receipts.loaded(result),
            Event::BackupWritten(result) => self.settings.data.backed_up(result),
            Event::RestoreChecked(result) => self.settings.data.restore_checked(result),
            Event::Restored(result) => {
                self.settings.data.restored(&result);
                if result.is_ok() {
                    self.reload_after_restore();
                }
            }
            Event::DailyBackup(result) => self.settings.data.daily_done(result),
            Event::ExportFinished(end) => {
                match &end {
                    ExportEnd::Written {
                        path,
                        rows,
                        without_dialog,
                    } => {
                        self.notifications.add(
                            Level::Success,
                            crate::ui::panels::history::export::export_done_text(
                                path,
                                *rows,
                                *without_dialog,
                            ),
                        );
                    }
                    ExportEnd::Failed(error) => {
                        self.notifications.add(Level::Error, error.clone());
                    }
                    ExportEnd::Cancelled | ExportEnd::NoFileChosen => {}
                }
                self.history.export.finished(end);
            }
            // The side bar's count comes from the reconciler, between its passes (when it
            // holds no operation): a list read mid-pass would make it flicker.
            Event::Review(result) => self.review.loaded(result),
            Event::OperationEvents { reference, result } => {
                self.history.events_loaded(&reference, result);
            }
            Event::Rechecked(result) | Event::Settled(result) => {
                let moved = result.is_ok();
                self.review.acted(result, &mut run);
                if moved {
                    self.history.reload(&mut run);
                }
            }
            Event::ProfileSaved(result) => {
                if let Ok(name) = &result {
                    run(Command::LoadProfiles);
                    run(Command::LoadSecretStatus {
                        profile: name.clone(),
                    });
                }
                self.settings.saved(result);
            }
            Event::ProfileRemoved(result) => {
                if result.is_ok() {
                    run(Command::LoadProfiles);
                }
                self.settings.removed(result);
            }
            Event::SecretSaved {
                profile,
                kind,
                result,
            } => {
                self.settings.secret_saved(&profile, kind, result, &mut run);
                run(Command::LoadCounters);
            }
            Event::Counters(Ok(place)) => self.shop.place = Some(place),
            Event::Counters(Err(error)) => {
                tracing::warn!(error = %error.text(), "could not read the shop's counters");
            }
            Event::LedgerChosen(result) => self.settings.ledger.chosen(result),
            Event::SecretStatus { profile, status } => {
                self.shop.secrets.insert(profile.clone(), status.clone());
                self.settings.secret_status(profile, status)
            }
            Event::ConnectionTested { profile, result } => {
                if result.is_ok() {
                    run(Command::LoadBalances);
                }
                self.settings.tested(profile, result)
            }
            Event::Reconciled {
                settled,
                needs_review,
            } => {
                for record in &settled {
                    self.counter.settled_later(record);
                    self.shop.interrupted.retain(|r| *r != record.reference);
                }
                // Operations started in this window get a notification when they settle
                // later; older ones (a crash's leftovers, days-old pending ones) change quietly
                // in History and Review, so a shop left open stays calm and idle.
                let ours: Vec<_> = settled
                    .iter()
                    .filter(|r| r.created_at >= self.opened_at)
                    .collect();
                if ours.len() <= MAX_SETTLED_NOTIFICATIONS {
                    for record in ours {
                        self.notifications.add(
                            Level::Info,
                            t!(
                                "toast-settled",
                                reference = record.reference.as_str(),
                                state = crate::ui::text::error_text::state_text(record.state)
                            ),
                        );
                    }
                } else {
                    self.notifications
                        .add(Level::Info, t!("toast-settled-many", count = ours.len()));
                }
                self.needs_review = needs_review;
                if !settled.is_empty() {
                    run(Command::LoadToday {
                        generation: self.shop.ask_today(),
                    });
                    self.history.reload(&mut run);
                    if self.prefs.panel == Panel::Review {
                        self.review.reload(&mut run);
                    }
                }
            }
            Event::CloseRequested => self.quit_requested(ctx),
        }
    }

    fn toast_for_move(
        &mut self,
        result: Result<&crate::ledger::TxRecord, &crate::ui::text::words::Words>,
    ) {
        match result {
            Ok(record) if record.state == TxState::Succeeded => {
                self.notifications.add(
                    Level::Success,
                    t!(
                        "toast-moved",
                        what = crate::ui::panels::subaccounts::move_text(record)
                    ),
                );
            }
            Ok(record) if !record.state.is_final() => {
                self.notifications.add(
                    Level::Warning,
                    t!("toast-unknown", reference = record.reference.as_str()),
                );
            }
            Ok(_) => {}
            Err(error) => {
                self.notifications.add(Level::Error, error.text());
            }
        }
    }
}
