//! Commands the panels emit, run on the runtime; their results come back as events drained
//! every frame. Nothing here runs on the UI thread.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, OnceLock};

use super::error_text::{engine_error_text, ledger_error_text, secret_error_text};
use crate::domain::{Money, Reference};
use crate::engine::{
    CreditOrder, CreditOutcome, Engine, EngineError, ReviewItem, Settlement, TopUpOrder,
    TransferOrder,
};
use crate::ledger::backup::DailyBackup;
use crate::ledger::export::CsvStyle;
use crate::ledger::{
    BackupFacts, BalanceReading, FavouriteNumber, HistoryCursor, HistoryFilter, HistorySummary,
    LedgerReader, Restored, TxRecord,
};
use crate::providers::registry::capabilities_of;
use crate::providers::{
    Movement, NewSubAccount, Profile, ProfileSettings, ProviderKind, StatementQuery, SubAccount,
};
use crate::secrets::{Secret, SecretKind};

/// What the file dialog is asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileQuestion {
    /// Where to save an exported CSV file.
    SaveCsv { suggested: String },
    /// Where to save a backup of the ledger.
    SaveBackup { suggested: String },
    /// Which backup to restore, starting in `folder`.
    OpenBackup { folder: PathBuf },
}

/// Answers a file question (the native dialog, or fixed paths in tests); `None` when the person
/// cancels. Called off the UI thread.
pub type FileDialog = Arc<dyn Fn(&FileQuestion) -> Option<PathBuf> + Send + Sync>;

/// The native file dialogs through the desktop portal.
pub fn native_file_dialog() -> FileDialog {
    Arc::new(|question: &FileQuestion| match question {
        FileQuestion::SaveCsv { suggested } => rfd::FileDialog::new()
            .set_file_name(suggested)
            .add_filter("CSV", &["csv"])
            .save_file(),
        FileQuestion::SaveBackup { suggested } => rfd::FileDialog::new()
            .set_file_name(suggested)
            .add_filter("saldo backup", &["sqlite3"])
            .save_file(),
        FileQuestion::OpenBackup { folder } => rfd::FileDialog::new()
            .set_directory(folder)
            .add_filter("saldo backup", &["sqlite3"])
            .pick_file(),
    })
}

/// Where a history page starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageStart {
    /// Right after a known row (the end of the page before).
    After(Option<HistoryCursor>),
    /// `rows` further than a known row: found through the time index, for a jump.
    Skip {
        from: Option<HistoryCursor>,
        rows: u64,
    },
}

/// A profile to add or change, as the settings form holds it.
#[derive(Clone, Debug)]
pub struct ProfileDraft {
    /// The name it has now, when editing.
    pub existing: Option<String>,
    pub name: String,
    pub provider: ProviderKind,
    pub base_url: String,
    pub settings: ProfileSettings,
}

/// Work the window asks for.
#[derive(Clone)]
pub enum Command {
    LoadProfiles,
    TopUp(TopUpOrder),
    /// Recent and favourite numbers of a profile.
    LoadCounterMemory {
        profile: String,
    },
    /// The operators and circles a top-up through a profile offers; the provider's live list
    /// is fetched when the kept one is missing or a day old.
    LoadTopUpLists {
        profile: String,
    },
    /// The operator and circle last chosen for a number.
    LoadNumberChoices {
        profile: String,
        number: String,
    },
    /// Adds (with a label) or removes (`None`) a favourite number.
    SetFavourite {
        profile: String,
        number: String,
        label: Option<String>,
    },
    /// Reads a balance from the provider.
    RefreshBalance {
        profile: String,
    },
    /// The balances last read, from the ledger.
    LoadBalances,
    LoadSubAccounts {
        profile: String,
    },
    MoveCredit(CreditOrder),
    CreateSubAccount {
        profile: String,
        new: NewSubAccount,
        /// Credit to move to it once it exists (through the journal), if any.
        starting_credit: Option<String>,
    },
    /// Deletes an empty sub-account (by id).
    DeleteSubAccount {
        profile: String,
        sub_account: String,
    },
    Transfer(TransferOrder),
    LoadStatement {
        profile: String,
        query: StatementQuery,
    },
    HistoryPage {
        generation: u64,
        page: usize,
        filter: HistoryFilter,
        start: PageStart,
    },
    HistorySummary {
        generation: u64,
        filter: HistoryFilter,
    },
    /// Asks where to save, then exports the filter's rows; `cancel` stops it.
    Export {
        filter: HistoryFilter,
        style: CsvStyle,
        suggested_name: String,
        cancel: Arc<AtomicBool>,
    },
    /// Asks where to save, then writes a backup of the ledger.
    BackupNow,
    /// Asks which backup to restore, and checks it (nothing is changed yet).
    ChooseRestore,
    /// Restores a checked backup.
    Restore {
        path: PathBuf,
    },
    /// Makes today's automatic backup unless it exists, keeping the newest `keep`.
    DailyBackup {
        keep: usize,
    },
    LoadReview,
    Recheck {
        reference: Reference,
    },
    Settle {
        reference: Reference,
        outcome: Settlement,
        note: String,
    },
    SaveProfile(ProfileDraft),
    RemoveProfile {
        name: String,
    },
    SaveSecret {
        profile: String,
        kind: SecretKind,
        secret: Secret,
    },
    LoadSecretStatus {
        profile: String,
    },
    TestConnection {
        profile: String,
    },
}

/// Why a top-up did not end with a recorded outcome.
#[derive(Clone, Debug)]
pub struct SendFailure {
    pub message: String,
    /// It may have reached the provider: the clerk must not send it again.
    pub may_have_been_sent: bool,
    /// It repeats this recent top-up: it goes through only if the clerk confirms.
    pub repeat_of: Option<crate::ledger::EarlierOperation>,
}

impl From<EngineError> for SendFailure {
    fn from(error: EngineError) -> Self {
        SendFailure {
            message: engine_error_text(&error),
            may_have_been_sent: error.may_have_been_sent(),
            repeat_of: match error {
                EngineError::PossibleRepeat(earlier) => Some(earlier),
                _ => None,
            },
        }
    }
}

/// How an export ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportEnd {
    Written {
        path: PathBuf,
        rows: u64,
    },
    /// The person closed the dialog without choosing a file.
    NoFileChosen,
    Cancelled,
    Failed(String),
}

/// Which secrets a profile has in the store: saved, missing, or why it could not be checked.
pub type SecretStatus = Vec<(SecretKind, Result<bool, String>)>;

/// Results coming back to the window.
#[derive(Debug)]
pub enum Event {
    Profiles(Result<Vec<Profile>, String>),
    TopUpFinished(Result<TxRecord, SendFailure>),
    CounterMemory {
        profile: String,
        recent: Vec<String>,
        favourites: Vec<FavouriteNumber>,
    },
    NumberChoices {
        profile: String,
        number: String,
        choices: BTreeMap<String, String>,
    },
    TopUpLists {
        profile: String,
        result: Result<crate::engine::ListRefresh, String>,
    },
    Balance {
        profile: String,
        result: Result<BalanceReading, String>,
    },
    /// Balances last read, by profile name.
    Balances(Vec<(String, BalanceReading)>),
    SubAccounts {
        profile: String,
        result: Result<Vec<SubAccount>, String>,
    },
    CreditMoved(Result<CreditOutcome, SendFailure>),
    /// A sub-account was deleted (its id), or why not.
    SubAccountDeleted {
        profile: String,
        result: Result<String, String>,
    },
    SubAccountCreated {
        profile: String,
        result: Result<(), String>,
        /// How the starting credit's move ended, when one was asked for.
        credit: Option<Result<CreditOutcome, SendFailure>>,
    },
    Transferred(Result<TxRecord, SendFailure>),
    Statement {
        profile: String,
        result: Result<Vec<Movement>, String>,
    },
    HistoryPage {
        generation: u64,
        page: usize,
        result: Result<Vec<TxRecord>, String>,
    },
    HistorySummary {
        generation: u64,
        result: Result<HistorySummary, String>,
    },
    ExportProgress(u64),
    ExportFinished(ExportEnd),
    /// A backup the person asked for: written, or no file chosen (`None`).
    BackupWritten(Result<Option<BackupFacts>, String>),
    /// A backup chosen to restore, checked; `None` when no file was chosen.
    RestoreChecked(Result<Option<BackupFacts>, String>),
    Restored(Result<Restored, String>),
    /// Today's automatic backup, made now or earlier today.
    DailyBackup(Result<DailyBackup, String>),
    Review(Result<Vec<ReviewItem>, String>),
    Rechecked(Result<TxRecord, String>),
    Settled(Result<TxRecord, String>),
    ProfileSaved(Result<String, String>),
    ProfileRemoved(Result<String, String>),
    SecretSaved {
        profile: String,
        kind: SecretKind,
        result: Result<(), String>,
    },
    SecretStatus {
        profile: String,
        status: SecretStatus,
    },
    ConnectionTested {
        profile: String,
        result: Result<String, String>,
    },
    /// The background reconciler settled operations, or found some that need a person.
    Reconciled {
        settled: Vec<TxRecord>,
        needs_review: usize,
    },
    /// The OS asked saldo to quit (SIGTERM).
    CloseRequested,
}

/// How often the window's background reconciler looks at open operations.
pub const RECONCILE_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

/// Runs commands on the runtime and reports back.
pub struct Backend {
    runtime: tokio::runtime::Handle,
    engine: Engine,
    events: Sender<Event>,
    ctx: egui::Context,
    file_dialog: FileDialog,
    /// The history's read-only connection, opened on first use.
    reader: Arc<OnceLock<Result<Arc<LedgerReader>, String>>>,
}

pub(super) fn join_error(error: tokio::task::JoinError) -> String {
    crate::t!("error-internal", reason = error.to_string())
}

impl Backend {
    pub fn new(
        runtime: tokio::runtime::Handle,
        engine: Engine,
        events: Sender<Event>,
        ctx: egui::Context,
        file_dialog: FileDialog,
    ) -> Backend {
        Backend {
            runtime,
            engine,
            events,
            ctx,
            file_dialog,
            reader: Arc::new(OnceLock::new()),
        }
    }

    fn report(events: &Sender<Event>, ctx: &egui::Context, event: Event) {
        // The window may already be gone; then nobody needs the result.
        let _ = events.send(event);
        ctx.request_repaint();
    }

    /// Runs a command in the background; its event arrives on the window's channel.
    pub fn run(&self, command: Command) {
        let worker = Worker {
            engine: self.engine.clone(),
            events: self.events.clone(),
            ctx: self.ctx.clone(),
            file_dialog: self.file_dialog.clone(),
            reader: self.reader.clone(),
        };
        self.runtime.spawn(async move {
            let event = worker.execute(command).await;
            Self::report(&worker.events, &worker.ctx, event);
        });
    }

    /// Follows open operations in the background for as long as the window is open: a pass at
    /// start (rows a crash left half-way), then one every [`RECONCILE_EVERY`].
    pub fn start_reconciler(&self) {
        let engine = self.engine.clone();
        let events = self.events.clone();
        let ctx = self.ctx.clone();
        self.runtime.spawn(async move {
            let mut last_review_count = None;
            loop {
                if let Ok(report) = engine.reconcile(None).await {
                    let needs_review = report.needs_review.len();
                    if !report.settled.is_empty() || Some(needs_review) != last_review_count {
                        last_review_count = Some(needs_review);
                        let event = Event::Reconciled {
                            settled: report.settled,
                            needs_review,
                        };
                        if events.send(event).is_err() {
                            return;
                        }
                        ctx.request_repaint();
                    }
                }
                tokio::time::sleep(RECONCILE_EVERY).await;
            }
        });
    }

    /// Turns the OS's polite request to quit (SIGTERM) into a window close.
    pub fn watch_for_terminate(&self) {
        #[cfg(unix)]
        {
            let events = self.events.clone();
            let ctx = self.ctx.clone();
            self.runtime.spawn(async move {
                use tokio::signal::unix::{SignalKind, signal};
                if let Ok(mut term) = signal(SignalKind::terminate()) {
                    term.recv().await;
                    Self::report(&events, &ctx, Event::CloseRequested);
                }
            });
        }
    }
}

/// What one background task needs.
pub(super) struct Worker {
    pub(super) engine: Engine,
    events: Sender<Event>,
    ctx: egui::Context,
    pub(super) file_dialog: FileDialog,
    reader: Arc<OnceLock<Result<Arc<LedgerReader>, String>>>,
}

impl Worker {
    /// Runs blocking ledger work off the runtime's threads.
    pub(super) async fn ledger<T: Send + 'static>(
        &self,
        work: impl FnOnce(&crate::ledger::Ledger) -> Result<T, crate::ledger::LedgerError>
        + Send
        + 'static,
    ) -> Result<T, String> {
        let ledger = self.engine.ledger().clone();
        tokio::task::spawn_blocking(move || work(&ledger).map_err(|e| ledger_error_text(&e)))
            .await
            .map_err(join_error)?
    }

    async fn history_reader<T: Send + 'static>(
        &self,
        work: impl FnOnce(&LedgerReader) -> Result<T, crate::ledger::LedgerError> + Send + 'static,
    ) -> Result<T, String> {
        let ledger = self.engine.ledger().clone();
        let cell = self.reader.clone();
        tokio::task::spawn_blocking(move || {
            let reader = cell.get_or_init(|| {
                ledger
                    .reader()
                    .map(Arc::new)
                    .map_err(|e| ledger_error_text(&e))
            });
            let reader = reader.as_ref().map_err(Clone::clone)?;
            work(reader).map_err(|e| ledger_error_text(&e))
        })
        .await
        .map_err(join_error)?
    }

    async fn execute(&self, command: Command) -> Event {
        let engine = &self.engine;
        let text = |e: EngineError| engine_error_text(&e);
        match command {
            Command::LoadProfiles => Event::Profiles(self.ledger(|l| l.profiles()).await),
            Command::TopUp(order) => {
                Event::TopUpFinished(engine.top_up(&order).await.map_err(SendFailure::from))
            }
            Command::LoadCounterMemory { profile } => {
                let name = profile.clone();
                let memory = self
                    .ledger(move |l| {
                        let id = l.profile(&name)?.id;
                        Ok((l.recent_numbers(id, 8)?, l.favourites(id)?))
                    })
                    .await;
                let (recent, favourites) = memory.unwrap_or_default();
                Event::CounterMemory {
                    profile,
                    recent,
                    favourites,
                }
            }
            Command::LoadTopUpLists { profile } => Event::TopUpLists {
                result: engine
                    .refresh_topup_lists(&profile, false)
                    .await
                    .map_err(|e| e.to_string()),
                profile,
            },
            Command::LoadNumberChoices { profile, number } => {
                let (p, n) = (profile.clone(), number.clone());
                let choices = self
                    .ledger(move |l| {
                        let id = l.profile(&p)?.id;
                        l.choices_for(id, &n)
                    })
                    .await
                    .unwrap_or_default();
                Event::NumberChoices {
                    profile,
                    number,
                    choices,
                }
            }
            Command::SetFavourite {
                profile,
                number,
                label,
            } => {
                let name = profile.clone();
                let _ = self
                    .ledger(move |l| {
                        let id = l.profile(&name)?.id;
                        match label {
                            Some(label) => l.set_favourite(id, &number, &label),
                            None => l.remove_favourite(id, &number),
                        }
                    })
                    .await;
                Box::pin(self.execute(Command::LoadCounterMemory { profile })).await
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
                Event::Balances(readings.unwrap_or_default())
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
                        reader.page(&filter, cursor, super::history_pages::PAGE_ROWS)
                    })
                    .await;
                Event::HistoryPage {
                    generation,
                    page,
                    result,
                }
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
                if removed.is_ok() {
                    self.forget_secrets(&name).await;
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
                        .map_err(|e| secret_error_text(&e))
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
            .ask_file(FileQuestion::SaveCsv {
                suggested: suggested_name,
            })
            .await;
        let path = match chosen {
            Ok(Some(path)) => path,
            Ok(None) => return ExportEnd::NoFileChosen,
            Err(e) => return ExportEnd::Failed(e),
        };
        let ledger_path = self.engine.ledger().path().to_path_buf();
        let (events, ctx) = (self.events.clone(), self.ctx.clone());
        let target = path.clone();
        let written = tokio::task::spawn_blocking(move || {
            crate::ledger::export::export_to_file(&ledger_path, &filter, &target, style, |rows| {
                Backend::report(&events, &ctx, Event::ExportProgress(rows));
                !cancel.load(Ordering::Relaxed)
            })
        })
        .await;
        match written {
            Ok(Ok(Some(rows))) => ExportEnd::Written { path, rows },
            Ok(Ok(None)) => ExportEnd::Cancelled,
            Ok(Err(e)) => ExportEnd::Failed(super::error_text::export_error_text(&e)),
            Err(e) => ExportEnd::Failed(join_error(e)),
        }
    }

    async fn save_profile(&self, draft: ProfileDraft) -> Result<String, String> {
        let name = crate::providers::profile::check_profile_name(&draft.name)
            .map_err(|_| crate::t!("settings-error-name", name = draft.name.trim()))?
            .to_string();
        url::Url::parse(draft.base_url.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| crate::t!("settings-error-url", url = draft.base_url.trim()))?;
        let saved = name.clone();
        self.ledger(move |l| {
            let url = draft.base_url.trim();
            match &draft.existing {
                Some(existing) => l.update_profile(existing, url, &draft.settings),
                None => l
                    .add_profile(&name, draft.provider, url, &draft.settings)
                    .map(drop),
            }
        })
        .await?;
        Ok(saved)
    }

    async fn forget_secrets(&self, profile: &str) {
        let secrets = self.engine.secrets().clone();
        let profile = profile.to_string();
        let _ = tokio::task::spawn_blocking(move || {
            for kind in SecretKind::ALL {
                let _ = secrets.delete(&profile, kind);
            }
        })
        .await;
    }

    async fn secret_status(&self, profile: &str) -> SecretStatus {
        let name = profile.to_string();
        let Ok(needed) = self
            .ledger(move |l| l.profile(&name).map(|p| p.secret_kinds()))
            .await
        else {
            return Vec::new();
        };
        let secrets = self.engine.secrets().clone();
        let profile = profile.to_string();
        tokio::task::spawn_blocking(move || {
            needed
                .iter()
                .map(|&kind| {
                    let has = secrets
                        .has(&profile, kind)
                        .map_err(|e| secret_error_text(&e));
                    (kind, has)
                })
                .collect()
        })
        .await
        .unwrap_or_default()
    }

    /// Proves a profile's address and secrets work with the cheapest read its provider has.
    async fn test_connection(&self, profile: &str) -> Result<String, String> {
        let name = profile.to_string();
        let provider = self
            .ledger(move |l| l.profile(&name).map(|p| p.provider))
            .await?;
        let can = capabilities_of(provider);
        let engine = &self.engine;
        let text = |e: EngineError| engine_error_text(&e);
        if can.balance {
            let balance: Money = engine.balance(profile).await.map_err(text)?;
            Ok(crate::t!(
                "settings-test-balance",
                balance = balance.to_string()
            ))
        } else if can.sub_accounts {
            let list = engine.sub_accounts(profile).await.map_err(text)?;
            Ok(crate::t!("settings-test-subaccounts", count = list.len()))
        } else if can.statement {
            let query = StatementQuery::Last {
                count: 1,
                kind: None,
            };
            engine.statement(profile, &query).await.map_err(text)?;
            Ok(crate::t!("settings-test-statement"))
        } else {
            engine
                .check_credentials(profile)
                .await
                .map_err(text)
                .map(|()| crate::t!("settings-test-secrets"))
        }
    }
}

/// The local zone's offset from UTC now, in seconds.
pub fn local_utc_offset_secs() -> i64 {
    let now = jiff::Timestamp::now();
    i64::from(jiff::tz::TimeZone::system().to_offset(now).seconds())
}
