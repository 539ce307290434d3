//! What the panels ask the background for (commands) and what comes back (events).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::domain::Reference;
use crate::engine::{
    CreditOrder, CreditOutcome, EngineError, ReviewItem, Settlement, TopUpOrder, TransferOrder,
};
use crate::ledger::backup::DailyBackup;
use crate::ledger::export::CsvStyle;
use crate::ledger::{
    BackupFacts, BalanceReading, EventRecord, FavouriteNumber, HistoryCursor, HistoryFilter,
    HistorySummary, Restored, TxRecord,
};
use crate::providers::{Movement, NewSubAccount, Profile, StatementQuery, SubAccount};
use crate::secrets::{Secret, SecretKind};
use crate::ui::text::error_text::engine_error_text;
use crate::ui::text::words::Words;

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

/// What the person answered a file question with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileAnswer {
    Chosen(PathBuf),
    /// The person closed the dialog without choosing.
    Cancelled,
    /// No dialog could be shown (no desktop portal): saldo saves in its fallback folder, or
    /// offers the backups it knows.
    Unavailable,
}

/// Answers a file question (the native dialog, or fixed answers in tests). Called off the UI
/// thread.
pub type AskFile = Arc<dyn Fn(&FileQuestion) -> FileAnswer + Send + Sync>;

/// How the window asks for files, and where it saves when it cannot ask.
#[derive(Clone)]
pub struct FileDialog {
    pub ask: AskFile,
    /// Where exports and backups are written when no dialog can be shown: the user's
    /// documents folder for the native dialog.
    pub fallback_folder: PathBuf,
}

/// A backup file saldo found for the built-in chooser (when no dialog can be shown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupFile {
    pub path: PathBuf,
    /// When it was last written (Unix ms), when the system says.
    pub modified_ms: Option<i64>,
    pub bytes: u64,
}

/// A backup the person asked for, written.
#[derive(Clone, Debug)]
pub struct BackupSaved {
    pub facts: BackupFacts,
    /// Written to the fallback folder because no dialog could be shown.
    pub without_dialog: bool,
}

/// How asking for a backup to restore ended.
#[derive(Clone, Debug)]
pub enum RestoreChoice {
    /// The chosen backup, checked (nothing is changed yet).
    Checked(BackupFacts),
    /// No dialog could be shown: the backups saldo found (newest first) in the folders it
    /// searched, to choose from.
    Found {
        backups: Vec<BackupFile>,
        searched: [PathBuf; 2],
    },
    /// The person closed the dialog without choosing.
    NoFileChosen,
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

pub use crate::engine::ProfileDraft;

/// What the window says about a printed receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptSummary {
    pub number: i64,
    /// 0 for the original, n for "REPRINT n".
    pub copy: i64,
    /// The PDF file written, when receipts go to a folder.
    pub file: Option<PathBuf>,
}

/// Work the window asks for.
#[derive(Clone)]
pub enum Command {
    /// Today's succeeded top-ups per unit (the counter's "today" line); `generation` comes
    /// back with the answer.
    LoadToday {
        generation: u64,
    },
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
    /// Prints the operation's receipt on this counter's printer (the first print takes the
    /// next receipt number, a later one is a reprint).
    PrintReceipt {
        reference: Reference,
        printer: crate::receipt::printer::ReceiptPrinter,
    },
    /// The shop's receipt details, from the ledger.
    LoadShopDetails,
    /// Saves the shop's receipt details for every counter.
    SaveShopDetails(crate::ledger::ShopDetails),
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
    /// Checks a backup chosen from saldo's own list (nothing is changed yet).
    CheckBackup {
        path: PathBuf,
    },
    /// Restores a checked backup.
    Restore {
        path: PathBuf,
    },
    /// Makes today's automatic backup unless it exists, keeping the newest `keep`.
    DailyBackup {
        keep: usize,
    },
    LoadReview,
    /// The event log of one operation (the history's details).
    LoadEvents {
        reference: Reference,
    },
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
    /// Which ledger this counter is on, its name, and the shop's counters (this one checks
    /// in first, saying which profiles' secrets its keychain lacks).
    LoadCounters,
    /// Keeps the ledger this counter opens from its next start: its own file (`address`
    /// `None`) or the shop's server, whose password (if typed) goes to the keychain; the
    /// choice is kept only once the ledger opened with it.
    ChooseLedger {
        data_dir: std::path::PathBuf,
        address: Option<String>,
        password: Option<Secret>,
    },
}

/// Where the window's ledger is and who else works on it.
#[derive(Clone, Debug, Default)]
pub struct LedgerPlace {
    /// The file, or the server's address (never with a password).
    pub shown: String,
    pub on_server: bool,
    /// This counter's name.
    pub counter: String,
    pub counters: Vec<crate::ledger::CounterInfo>,
    /// Outcomes this counter keeps until the shop's server answers again.
    pub kept_outcomes: usize,
}

/// Why a top-up did not end with a recorded outcome.
#[derive(Clone, Debug)]
pub struct SendFailure {
    /// What went wrong, worded when it is drawn.
    pub message: Words,
    /// It may have reached the provider: the clerk must not send it again.
    pub may_have_been_sent: bool,
    /// It repeats this recent top-up: it goes through only if the clerk confirms.
    pub repeat_of: Option<crate::ledger::EarlierOperation>,
}

impl From<EngineError> for SendFailure {
    fn from(error: EngineError) -> Self {
        let (may_have_been_sent, repeat_of) = match &error {
            EngineError::PossibleRepeat(earlier) => {
                (error.may_have_been_sent(), Some(earlier.clone()))
            }
            _ => (error.may_have_been_sent(), None),
        };
        let error = std::sync::Arc::new(error);
        SendFailure {
            message: Words::new(move || engine_error_text(&error)),
            may_have_been_sent,
            repeat_of,
        }
    }
}

/// How an export ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportEnd {
    Written {
        path: PathBuf,
        rows: u64,
        /// Written to the fallback folder because no dialog could be shown.
        without_dialog: bool,
    },
    /// The person closed the dialog without choosing a file.
    NoFileChosen,
    Cancelled,
    Failed(Words),
}

/// Which secrets a profile has in the store: saved, missing, or why it could not be checked.
pub type SecretStatus = Vec<(SecretKind, Result<bool, Words>)>;

/// Results coming back to the window.
#[derive(Debug)]
pub enum Event {
    /// Today's succeeded top-ups per unit, for the count numbered `generation`.
    Today {
        generation: u64,
        result: Result<Vec<crate::ledger::DailySales>, Words>,
    },
    Profiles(Result<Vec<Profile>, Words>),
    TopUpFinished(Result<TxRecord, SendFailure>),
    CounterMemory {
        profile: String,
        recent: Vec<String>,
        favourites: Vec<FavouriteNumber>,
        /// Why the numbers (or a change to the favourites) could not be read or written.
        problem: Option<Words>,
    },
    NumberChoices {
        profile: String,
        number: String,
        choices: BTreeMap<String, String>,
        /// Why the remembered choices could not be read.
        problem: Option<Words>,
    },
    /// Operations the last interruption left on their way (found at start, before the
    /// reconciler's first pass settles them).
    Interrupted(Vec<Reference>),
    /// Something the person asked for went wrong in a way no panel shows: said in a
    /// notification (and logged where it happened).
    Problem(Words),
    /// A receipt was printed (its number, whether a reprint, and the file when it went to
    /// a folder), or why not.
    ReceiptPrinted {
        reference: Reference,
        result: Result<ReceiptSummary, Words>,
    },
    /// The shop's receipt details as the ledger holds them (after a load or a save).
    ShopDetails(Result<crate::ledger::ShopDetails, Words>),
    TopUpLists {
        profile: String,
        result: Result<crate::engine::ListRefresh, Words>,
    },
    Balance {
        profile: String,
        result: Result<BalanceReading, Words>,
    },
    /// Balances last read, by profile name.
    Balances(Result<Vec<(String, BalanceReading)>, Words>),
    SubAccounts {
        profile: String,
        result: Result<Vec<SubAccount>, Words>,
    },
    CreditMoved(Result<CreditOutcome, SendFailure>),
    /// A sub-account was deleted (its id), or why not.
    SubAccountDeleted {
        profile: String,
        result: Result<String, Words>,
    },
    SubAccountCreated {
        profile: String,
        result: Result<(), Words>,
        /// How the starting credit's move ended, when one was asked for.
        credit: Option<Result<CreditOutcome, SendFailure>>,
    },
    Transferred(Result<TxRecord, SendFailure>),
    Statement {
        profile: String,
        result: Result<Vec<Movement>, Words>,
    },
    HistoryPage {
        generation: u64,
        page: usize,
        result: Result<Vec<TxRecord>, Words>,
    },
    HistorySummary {
        generation: u64,
        result: Result<HistorySummary, Words>,
    },
    ExportProgress(u64),
    ExportFinished(ExportEnd),
    /// A backup the person asked for: written, or no file chosen (`None`).
    BackupWritten(Result<Option<BackupSaved>, Words>),
    /// How choosing a backup to restore ended.
    RestoreChecked(Result<RestoreChoice, Words>),
    Restored(Result<Restored, Words>),
    /// Today's automatic backup, made now or earlier today.
    DailyBackup(Result<DailyBackup, Words>),
    Review(Result<Vec<ReviewItem>, Words>),
    OperationEvents {
        reference: Reference,
        result: Result<Vec<EventRecord>, Words>,
    },
    Rechecked(Result<TxRecord, Words>),
    Settled(Result<TxRecord, Words>),
    ProfileSaved(Result<String, Words>),
    ProfileRemoved(Result<String, Words>),
    SecretSaved {
        profile: String,
        kind: SecretKind,
        result: Result<(), Words>,
    },
    SecretStatus {
        profile: String,
        status: SecretStatus,
    },
    ConnectionTested {
        profile: String,
        result: Result<Words, Words>,
    },
    /// The background reconciler settled operations, or found some that need a person.
    Reconciled {
        settled: Vec<TxRecord>,
        needs_review: usize,
    },
    /// The OS asked saldo to quit (SIGTERM).
    CloseRequested,
    Counters(Result<LedgerPlace, Words>),
    LedgerChosen(Result<Words, Words>),
}
