//! The code that runs each command off the UI thread and turns its result into an event.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, OnceLock};

use crate::engine::{ConnectionProof, Engine, EngineError};
use crate::ledger::export::CsvStyle;
use crate::ledger::{BalanceReading, HistoryFilter, LedgerReader};
use crate::ui::backend::vocabulary::*;
use crate::ui::backend::{Backend, join_error, local_utc_offset_secs};
use crate::ui::text::error_text::{engine_error_text, ledger_error_text, secret_error_text};
use crate::ui::text::numbers::money_text;
use crate::ui::text::words::Words;

/// What one background task needs.
pub(crate) struct Worker {
    pub(crate) engine: Engine,
    pub(crate) events: Sender<Event>,
    pub(crate) ctx: egui::Context,
    pub(crate) file_dialog: FileDialog,
    pub(crate) reader: Arc<OnceLock<Result<Arc<LedgerReader>, Words>>>,
}

impl Worker {
    /// Sends an event back to the window at once (besides the one the command ends with).
    fn send(&self, event: Event) {
        Backend::report(&self.events, &self.ctx, event);
    }

    /// Runs blocking ledger work off the runtime's threads.
    pub(crate) async fn ledger<T: Send + 'static>(
        &self,
        work: impl FnOnce(&crate::ledger::Ledger) -> Result<T, crate::ledger::LedgerError>
        + Send
        + 'static,
    ) -> Result<T, Words> {
        let ledger = self.engine.ledger().clone();
        tokio::task::spawn_blocking(move || {
            crate::ledger::db::may_block(|| work(&ledger))
                .map_err(|e| Words::error(e, ledger_error_text))
        })
        .await
        .map_err(join_error)?
    }

    async fn history_reader<T: Send + 'static>(
        &self,
        work: impl FnOnce(&LedgerReader) -> Result<T, crate::ledger::LedgerError> + Send + 'static,
    ) -> Result<T, Words> {
        let ledger = self.engine.ledger().clone();
        let cell = self.reader.clone();
        tokio::task::spawn_blocking(move || {
            crate::ledger::db::may_block(|| {
                let reader = cell.get_or_init(|| {
                    ledger
                        .reader()
                        .map(Arc::new)
                        .map_err(|e| Words::error(e, ledger_error_text))
                });
                let reader = reader.as_ref().map_err(Clone::clone)?;
                work(reader).map_err(|e| Words::error(e, ledger_error_text))
            })
        })
        .await
        .map_err(join_error)?
    }

    pub(crate) async fn execute(&self, command: Command) -> Event {
        let engine = &self.engine;
        let text = |e: EngineError| Words::error(e, engine_error_text);
        match command {
            Command::LoadProfiles => Event::Profiles(self.ledger(|l| l.profiles()).await),
            Command::TopUp(order) => {
                Event::TopUpFinished(engine.top_up(&order).await.map_err(SendFailure::from))
            }
            Command::LoadCounterMemory { profile } => {
                let memory = engine.counter_memory(&profile).await.map_err(text);
                let (memory, problem) = logged(memory, "the counter's numbers");
                let memory = memory.unwrap_or_default();
                Event::CounterMemory {
                    profile,
                    recent: memory.recent,
                    favourites: memory.favourites,
                    problem,
                }
            }
            Command::LoadTopUpLists { profile } => Event::TopUpLists {
                result: engine
                    .refresh_topup_lists(&profile, false)
                    .await
                    .map_err(text),
                profile,
            },
            Command::LoadNumberChoices { profile, number } => {
                let choices = engine.number_choices(&profile, &number).await.map_err(text);
                let (choices, problem) = logged(choices, "the number's remembered choices");
                Event::NumberChoices {
                    profile,
                    number,
                    choices: choices.unwrap_or_default(),
                    problem,
                }
            }
            Command::SetFavourite {
                profile,
                number,
                label,
            } => {
                let changed = engine
                    .set_favourite(&profile, &number, label.as_deref())
                    .await
                    .map_err(text);
                let (_, failed) = logged(changed, "a favourite number");
                let mut loaded =
                    Box::pin(self.execute(Command::LoadCounterMemory { profile })).await;
                if let (Some(error), Event::CounterMemory { problem, .. }) = (failed, &mut loaded) {
                    let said = Words::new(move || {
                        crate::t!("counter-favourite-failed", reason = error.text())
                    });
                    *problem = Some(said);
                }
                loaded
            }
            Command::RefreshBalance { profile } => {
                let result = match engine.balance(&profile).await {
                    Ok(amount) => Ok(BalanceReading {
                        amount,
                        read_at: crate::domain::clock::Clock::now_ms(
                            &crate::domain::clock::SystemClock,
                        ),
                    }),
                    Err(e) => Err(text(e)),
                };
                Event::Balance { profile, result }
            }
            Command::PrintReceipt { reference, printer } => {
                let ledger = engine.ledger().clone();
                let asked = reference.clone();
                let result = tokio::task::spawn_blocking(move || {
                    crate::ledger::db::may_block(|| {
                        crate::receipt::printer::print(&ledger, &asked, &printer)
                    })
                })
                .await
                .map_err(join_error)
                .and_then(|printed| {
                    printed
                        .map(|p| ReceiptSummary {
                            number: p.receipt.number,
                            copy: p.receipt.copy,
                            file: p.file,
                        })
                        .map_err(|reason| {
                            tracing::warn!(%reason, "a receipt could not be printed");
                            Words::new(move || {
                                crate::t!("receipt-print-failed", reason = reason.as_str())
                            })
                        })
                });
                Event::ReceiptPrinted { reference, result }
            }
            Command::LoadShopDetails => Event::ShopDetails(self.ledger(|l| l.shop_details()).await),
            Command::SaveShopDetails(details) => Event::ShopDetails(
                self.ledger(move |l| {
                    l.set_shop_details(&details)?;
                    l.shop_details()
                })
                .await,
            ),
            Command::LoadBalances => {
                let readings = self
                    .ledger(|l| {
                        let names: BTreeMap<i64, String> =
                            l.profiles()?.into_iter().map(|p| (p.id, p.name)).collect();
                        Ok(l.last_balances()?
                            .into_iter()
                            .filter_map(|(id, r)| Some((names.get(&id)?.clone(), r)))
                            .collect())
                    })
                    .await;
                Event::Balances(
                    logged(readings, "the balances last read")
                        .0
                        .map_err(|error| {
                            Words::new(move || {
                                crate::t!("balances-unreadable", reason = error.text())
                            })
                        }),
                )
            }
            Command::LoadSubAccounts { profile } => {
                let result = engine.sub_accounts(&profile).await.map_err(text);
                Event::SubAccounts { profile, result }
            }
            Command::MoveCredit(order) => {
                Event::CreditMoved(engine.move_credit(&order).await.map_err(SendFailure::from))
            }
            Command::DeleteSubAccount {
                profile,
                sub_account,
            } => {
                let result = engine
                    .delete_sub_account(&profile, &sub_account)
                    .await
                    .map(|gone| gone.id)
                    .map_err(text);
                Event::SubAccountDeleted { profile, result }
            }
            Command::CreateSubAccount {
                profile,
                new,
                starting_credit,
            } => {
                let created = engine.create_sub_account(&profile, &new).await;
                let credit = match (&created, starting_credit) {
                    (Ok(created), Some(amount)) => Some(
                        engine
                            .credit_new_sub_account(&profile, created, &amount)
                            .await
                            .map_err(SendFailure::from),
                    ),
                    _ => None,
                };
                Event::SubAccountCreated {
                    profile,
                    result: created.map(drop).map_err(text),
                    credit,
                }
            }
            Command::Transfer(order) => {
                Event::Transferred(engine.transfer(&order).await.map_err(SendFailure::from))
            }
            Command::LoadStatement { profile, query } => {
                let result = engine.statement(&profile, &query).await.map_err(text);
                Event::Statement { profile, result }
            }
            Command::HistoryPage {
                generation,
                page,
                filter,
                start,
            } => {
                let result = self
                    .history_reader(move |reader| {
                        let cursor = match start {
                            PageStart::After(cursor) => cursor,
                            PageStart::Skip { from, rows } => {
                                match reader.cursor_after(&filter, from, rows)? {
                                    Some(cursor) => Some(cursor),
                                    None => return Ok(Vec::new()),
                                }
                            }
                        };
                        reader.page(
                            &filter,
                            cursor,
                            crate::ui::panels::history::pages::PAGE_ROWS,
                        )
                    })
                    .await;
                Event::HistoryPage {
                    generation,
                    page,
                    result,
                }
            }
            Command::LoadToday { generation } => {
                let offset = local_utc_offset_secs();
                let filter = HistoryFilter {
                    from_ms: Some(start_of_local_day_ms()),
                    ..HistoryFilter::default()
                };
                let result = self
                    .history_reader(move |reader| reader.summary(&filter, offset))
                    .await
                    .map(|summary| summary.daily_sales);
                Event::Today { generation, result }
            }
            Command::HistorySummary { generation, filter } => {
                let offset = local_utc_offset_secs();
                let result = self
                    .history_reader(move |reader| reader.summary(&filter, offset))
                    .await;
                Event::HistorySummary { generation, result }
            }
            Command::Export {
                filter,
                style,
                suggested_name,
                cancel,
            } => Event::ExportFinished(self.export(filter, style, suggested_name, cancel).await),
            Command::BackupNow => Event::BackupWritten(self.backup_now().await),
            Command::ChooseRestore => Event::RestoreChecked(self.choose_restore().await),
            Command::LoadEvents { reference } => {
                let asked = reference.clone();
                let result = self.ledger(move |l| l.events(&asked)).await;
                Event::OperationEvents { reference, result }
            }
            Command::CheckBackup { path } => Event::RestoreChecked(self.check_backup(path).await),
            Command::Restore { path } => {
                Event::Restored(self.ledger(move |l| l.restore_from(&path)).await)
            }
            Command::DailyBackup { keep } => Event::DailyBackup(
                self.ledger(move |l| crate::ledger::backup::daily_backup(l, keep))
                    .await,
            ),
            Command::LoadReview => Event::Review(engine.needs_review().await.map_err(text)),
            Command::Recheck { reference } => {
                Event::Rechecked(engine.refresh_status(&reference).await.map_err(text))
            }
            Command::Settle {
                reference,
                outcome,
                note,
            } => Event::Settled(
                engine
                    .settle(&reference, outcome, &note)
                    .await
                    .map_err(text),
            ),
            Command::SaveProfile(draft) => Event::ProfileSaved(self.save_profile(draft).await),
            Command::RemoveProfile { name } => {
                let n = name.clone();
                let removed = self.ledger(move |l| l.remove_profile(&n)).await;
                if removed.is_ok()
                    && let Err(error) = self.forget_secrets(&name).await
                {
                    let profile = name.clone();
                    self.send(Event::Problem(Words::new(move || {
                        crate::t!(
                            "settings-secrets-not-forgotten",
                            profile = profile.as_str(),
                            reason = error.text()
                        )
                    })));
                }
                Event::ProfileRemoved(removed.map(|_| name))
            }
            Command::SaveSecret {
                profile,
                kind,
                secret,
            } => {
                let secrets = engine.secrets().clone();
                let p = profile.clone();
                let result = tokio::task::spawn_blocking(move || {
                    secrets
                        .set(&p, kind, secret.expose())
                        .map_err(|e| Words::error(e, secret_error_text))
                })
                .await
                .map_err(join_error)
                .and_then(|r| r);
                Event::SecretSaved {
                    profile,
                    kind,
                    result,
                }
            }
            Command::LoadSecretStatus { profile } => {
                let status = self.secret_status(&profile).await;
                Event::SecretStatus { profile, status }
            }
            Command::TestConnection { profile } => {
                let result = self.test_connection(&profile).await;
                Event::ConnectionTested { profile, result }
            }
            Command::LoadCounters => {
                if let Err(error) = engine.check_in_counter().await {
                    tracing::warn!(%error, "could not check this counter in");
                }
                Event::Counters(self.ledger(super::ledger_choice::place).await)
            }
            Command::ChooseLedger {
                data_dir,
                address,
                password,
            } => {
                let secrets = engine.secrets().clone();
                let counter = engine.ledger().counter().to_string();
                let result = tokio::task::spawn_blocking(move || {
                    super::ledger_choice::choose(
                        &data_dir,
                        address.as_deref(),
                        password,
                        &secrets,
                        &counter,
                    )
                })
                .await
                .map_err(join_error)
                .and_then(|r| r);
                Event::LedgerChosen(result)
            }
        }
    }

    async fn export(
        &self,
        filter: HistoryFilter,
        style: CsvStyle,
        suggested_name: String,
        cancel: Arc<AtomicBool>,
    ) -> ExportEnd {
        let chosen = self
            .save_path(FileQuestion::SaveCsv {
                suggested: suggested_name,
            })
            .await;
        let (path, without_dialog) = match chosen {
            Ok(Some(chosen)) => chosen,
            Ok(None) => return ExportEnd::NoFileChosen,
            Err(e) => return ExportEnd::Failed(e),
        };
        let store = self.engine.ledger().store().clone();
        let (events, ctx) = (self.events.clone(), self.ctx.clone());
        let target = path.clone();
        let written = tokio::task::spawn_blocking(move || {
            crate::ledger::export::export_to_file(&store, &filter, &target, style, |rows| {
                Backend::report(&events, &ctx, Event::ExportProgress(rows));
                !cancel.load(Ordering::Relaxed)
            })
        })
        .await;
        match written {
            Ok(Ok(Some(rows))) => ExportEnd::Written {
                path,
                rows,
                without_dialog,
            },
            Ok(Ok(None)) => ExportEnd::Cancelled,
            Ok(Err(e)) => ExportEnd::Failed(Words::error(
                e,
                crate::ui::text::error_text::export_error_text,
            )),
            Err(e) => ExportEnd::Failed(join_error(e)),
        }
    }

    async fn save_profile(&self, draft: ProfileDraft) -> Result<String, Words> {
        self.engine
            .save_profile(draft)
            .await
            .map(|profile| profile.name)
            .map_err(|e| Words::error(e, crate::ui::text::error_text::profile_save_error_text))
    }

    /// Removes every secret a removed profile had; the first failure, in words.
    async fn forget_secrets(&self, profile: &str) -> Result<(), Words> {
        self.engine
            .forget_secrets(profile)
            .await
            .map_err(|e| Words::error(e, engine_error_text))
    }

    async fn secret_status(&self, profile: &str) -> SecretStatus {
        match self.engine.secret_presence(profile).await {
            Ok(presence) => presence
                .into_iter()
                .map(|(kind, has)| (kind, has.map_err(|e| Words::error(e, secret_error_text))))
                .collect(),
            Err(error) => {
                let error = Words::error(error, engine_error_text);
                tracing::warn!(profile, %error, "could not check the profile's secrets");
                self.send(Event::Problem(error));
                Vec::new()
            }
        }
    }

    /// Proves a profile's address and secrets work with the cheapest read its provider has.
    async fn test_connection(&self, profile: &str) -> Result<Words, Words> {
        let proof = self
            .engine
            .test_connection(profile)
            .await
            .map_err(|e| Words::error(e, engine_error_text))?;
        Ok(Words::new(move || match &proof {
            ConnectionProof::Balance(balance) => {
                crate::t!("settings-test-balance", balance = money_text(*balance))
            }
            ConnectionProof::SubAccounts(count) => {
                crate::t!("settings-test-subaccounts", count = *count)
            }
            ConnectionProof::Statement => crate::t!("settings-test-statement"),
            ConnectionProof::SecretsPresent => crate::t!("settings-test-secrets"),
        }))
    }
}

/// When today began here (Unix ms), by the system's time zone.
fn start_of_local_day_ms() -> i64 {
    jiff::Zoned::now()
        .start_of_day()
        .map(|start| start.timestamp().as_millisecond())
        .unwrap_or(0)
}

/// Splits a background result into what to show and the failure, logging the failure with
/// what was being read (`what`): nothing fails in silence.
fn logged<T>(result: Result<T, Words>, what: &str) -> (Result<T, Words>, Option<Words>) {
    match &result {
        Ok(_) => (result, None),
        Err(error) => {
            tracing::warn!(%error, "could not read or write {what}");
            let error = error.clone();
            (result, Some(error))
        }
    }
}
