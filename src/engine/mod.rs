//! The engine: every money-moving operation goes ledger first, then provider, then ledger.
//!
//! Our reference is committed before anything is sent; if that commit fails, nothing is sent.
//! Provider errors decide the outcome: `NotSent` may be retried, `MaybeSent`/`Malformed` become
//! `Unknown` (never resent automatically), refusals become `Failed` with the provider's reason.

mod balance_check;
mod batch;
pub mod batch_file;
mod check;
mod credit;
mod journal;
mod profiles;
mod provider_lists;
mod reconcile;
mod review;
mod statement;
mod topup;
mod transfer;

use std::sync::Arc;
use std::time::Duration;

use tracing::Instrument;

use crate::domain::Money;
use crate::ledger::{EarlierOperation, Ledger, LedgerError};
use crate::providers::registry::{ConnectError, connect};
use crate::providers::{Connector, Profile, ProviderError};
use crate::secrets::SecretStore;

pub use balance_check::{BalanceBefore, BalanceVerdict};
pub use batch::{BatchProgress, BatchRun};
pub use check::{CheckReport, CheckStep};
pub use credit::{CreditOrder, CreditOutcome};
pub use profiles::{
    ConnectionProof, CounterMemory, ProfileDraft, ProfileSaveError, RECENT_NUMBERS, SecretPresence,
    save_profile,
};
pub use provider_lists::{LIST_MAX_AGE, ListRefresh};
pub use reconcile::ReconcileReport;
pub use review::{ReviewItem, Settlement};
pub use topup::{CheckedTopUp, TopUpOrder, check_top_up};
pub use transfer::TransferOrder;

/// The longest the engine waits when a provider asks it to slow down, before giving up.
pub const MAX_RATE_LIMIT_WAIT: Duration = Duration::from_secs(5);

/// Tuning of the engine's waiting and retrying.
#[derive(Clone, Copy, Debug)]
pub struct EngineOptions {
    /// How many times a request that provably never reached the provider is tried again.
    pub not_sent_retries: u32,
    /// The first pause before such a retry; it doubles each time.
    pub retry_backoff: Duration,
    /// How many times a send the provider refused with "too many requests" is tried again.
    pub rate_limit_retries: u32,
    /// The longest a whole operation (send and confirmation) may take; a profile with a short
    /// request timeout gets a shorter one (see [`Engine::operation_deadline`]).
    pub deadline: Duration,
    /// How long after a send ended without an answer the provider may still execute it: a
    /// real server keeps working after the client hangs up. Nothing is concluded from "not
    /// found" or from balances before this has passed (by the wall clock, so keep it well
    /// above any clock step: minutes).
    pub late_execution_horizon: Duration,
    /// How far apart the two balance readings that settle a credit move must be.
    pub second_reading_after: Duration,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            not_sent_retries: 2,
            retry_backoff: Duration::from_millis(300),
            rate_limit_retries: 4,
            deadline: Duration::from_secs(45),
            late_execution_horizon: Duration::from_secs(10 * 60),
            second_reading_after: Duration::from_secs(2 * 60),
        }
    }
}

/// Why the engine could not do what was asked. Provider outcomes of an operation that was
/// recorded are not errors: they are the state of the returned ledger row.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The person's input is wrong; nothing was recorded or sent.
    #[error("{0}")]
    BadInput(String),
    /// A profile, secret or keychain problem; nothing was sent.
    #[error("{0}")]
    Config(String),
    /// A secret is missing or the keychain cannot be reached; nothing was sent.
    #[error(transparent)]
    Secret(crate::secrets::SecretError),
    /// The operation could not be written to the ledger, so it was not sent.
    #[error("{}", not_recorded(.0))]
    NotRecorded(LedgerError),
    /// The operation was sent but its outcome could not be written to the ledger.
    #[error("{}", outcome_not_recorded(reference, outcome, error))]
    OutcomeNotRecorded {
        reference: String,
        outcome: String,
        error: LedgerError,
    },
    /// Reading the ledger failed.
    #[error(transparent)]
    Ledger(LedgerError),
    /// A read from the provider (balance, status) failed.
    #[error(transparent)]
    Provider(ProviderError),
    /// The same top-up (number and amount) was recorded a moment ago and did not fail; nothing
    /// was recorded or sent. It goes through only when the person confirms it.
    #[error(
        "this looks like a repeat of {} recorded at {} ({}): nothing was sent. If the customer \
         really wants another top-up of the same amount, confirm it (command line: \
         --confirm-duplicate)",
        .0.reference, crate::domain::time::local_text(.0.created_at), .0.state
    )]
    PossibleRepeat(EarlierOperation),
    /// The same operation (kind, destination and amount) is still open — being sent, pending
    /// or unknown: nothing was recorded or sent, and no confirmation overrides this.
    #[error(
        "the same operation, {}, recorded at {}, is still {}: nothing was sent. It may still \
         go through — do not send it again until it is settled (see Needs review, or \
         `saldo status {}`)",
        .0.reference, crate::domain::time::local_text(.0.created_at), .0.state, .0.reference
    )]
    RepeatOfOpen(EarlierOperation),
    /// The sale would take the profile's last read balance below the floor set for it;
    /// nothing was recorded or sent.
    #[error(
        "sales through “{profile}” are paused: the last balance read was {balance} and this          sale would take it below the floor of {floor}. Add credit with the provider and          refresh the balance, or lower the floor in the profile's settings"
    )]
    SalesBlocked {
        profile: String,
        balance: Money,
        floor: Money,
    },
}

impl EngineError {
    /// Whether the operation may have reached the provider although this error says it did not
    /// end cleanly: then it must never be sent again without checking.
    pub fn may_have_been_sent(&self) -> bool {
        matches!(self, EngineError::OutcomeNotRecorded { .. })
    }
}

/// What a clerk must know when an outcome could not be written: never to send it again, and
/// where the outcome is meanwhile.
fn outcome_not_recorded(reference: &str, outcome: &str, error: &LedgerError) -> String {
    match error {
        LedgerError::Unreachable(_) => format!(
            "top-up {reference} was sent and ended “{outcome}”; the shop's server cannot be \
             reached, so this counter keeps the outcome and writes it as soon as the server is \
             back. Do NOT send it again"
        ),
        other => format!(
            "top-up {reference} was sent and ended “{outcome}”, but saldo could not record \
             that: {other}. Do NOT send it again; check the provider's records for {reference}"
        ),
    }
}

/// Why nothing was sent, with the ledger's words: the shop's server first when it is the
/// reason ("the shop's server cannot be reached — nothing was sent").
fn not_recorded(error: &LedgerError) -> String {
    match error {
        LedgerError::Unreachable(reason) => format!("{reason} — nothing was sent"),
        other => format!("nothing was sent: {other}"),
    }
}

impl From<ConnectError> for EngineError {
    fn from(error: ConnectError) -> Self {
        match error {
            ConnectError::Secret(e) => EngineError::Secret(e),
            ConnectError::Provider(e) => EngineError::Provider(e),
            settings @ ConnectError::Settings { .. } => EngineError::Config(settings.to_string()),
        }
    }
}

impl From<LedgerError> for EngineError {
    fn from(error: LedgerError) -> Self {
        match error {
            LedgerError::ProfileNotFound(_) => EngineError::Config(error.to_string()),
            LedgerError::TransactionNotFound(_) => EngineError::BadInput(error.to_string()),
            other => EngineError::Ledger(other),
        }
    }
}

/// Runs operations over one ledger and one secret store. Cheap to clone.
#[derive(Clone)]
pub struct Engine {
    ledger: Arc<Ledger>,
    secrets: Arc<SecretStore>,
    options: EngineOptions,
    /// Held while rows an interruption left are being settled, so concurrent sends do it once.
    recovering: Arc<tokio::sync::Mutex<()>>,
}

/// Runs blocking ledger or keychain work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, EngineError> {
    tokio::task::spawn_blocking(move || crate::ledger::db::may_block(work))
        .await
        .map_err(|e| EngineError::Config(format!("internal task failed: {e}")))
}

impl Engine {
    /// An engine over a ledger and a secret store.
    pub fn new(ledger: Arc<Ledger>, secrets: Arc<SecretStore>, options: EngineOptions) -> Engine {
        Engine {
            ledger,
            secrets,
            options,
            recovering: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    /// How this engine waits and retries.
    pub fn options(&self) -> EngineOptions {
        self.options
    }

    /// The ledger this engine writes to.
    pub fn ledger(&self) -> &Arc<Ledger> {
        &self.ledger
    }

    /// The secret store this engine reads from.
    pub fn secrets(&self) -> &Arc<SecretStore> {
        &self.secrets
    }

    async fn profile(&self, name: &str) -> Result<Profile, EngineError> {
        let ledger = self.ledger.clone();
        let name = name.to_string();
        Ok(blocking(move || ledger.profile(&name)).await??)
    }

    async fn connector(&self, profile: &Profile) -> Result<Connector, EngineError> {
        let secrets = self.secrets.clone();
        let profile = profile.clone();
        Ok(blocking(move || connect(&profile, &secrets)).await??)
    }

    /// Runs a request with retries only when it provably did nothing: it never reached the
    /// provider, or the provider asked us to wait (for at most [`MAX_RATE_LIMIT_WAIT`]).
    async fn read_with_retry<T, F, Fut>(&self, mut read: F) -> Result<T, ProviderError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, ProviderError>>,
    {
        let mut pause = self.options.retry_backoff;
        let mut attempt = 0;
        loop {
            let error = match read().await {
                Err(e) if e.is_safe_to_retry() && attempt < self.options.not_sent_retries => e,
                other => return other,
            };
            let wait = match error {
                ProviderError::RateLimited {
                    retry_after: Some(after),
                } if after > MAX_RATE_LIMIT_WAIT => return Err(error),
                ProviderError::RateLimited {
                    retry_after: Some(after),
                } => after.max(pause),
                _ => pause,
            };
            attempt += 1;
            tokio::time::sleep(wait).await;
            pause *= 2;
        }
    }

    /// How long one operation of this profile may take: four request timeouts (sign-in, send,
    /// retries, status check), never more than the engine's deadline.
    pub fn operation_deadline(&self, profile: &Profile) -> Duration {
        let per_request = Duration::from_secs(profile.settings.request_timeout_secs.max(1));
        self.options.deadline.min(per_request * 4)
    }

    /// Reads a profile's balance from its provider.
    pub async fn balance(&self, profile_name: &str) -> Result<Money, EngineError> {
        let profile = self.profile(profile_name).await?;
        let connector = self.connector(&profile).await?;
        let reader = connector.balance.ok_or_else(|| {
            EngineError::Config(format!(
                "{}'s API offers no way to read a balance: check it on the provider's website",
                profile.provider.display_name()
            ))
        })?;
        let balance = self
            .read_with_retry(|| reader.balance())
            .instrument(tracing::info_span!("balance", profile = %profile.name))
            .await
            .map_err(EngineError::Provider)?;
        let ledger = self.ledger.clone();
        let read_at = self.ledger.now();
        blocking(move || ledger.record_balance(profile.id, balance, read_at)).await??;
        Ok(balance)
    }

    /// Checks that a profile's secrets are all in the store, without calling the provider
    /// (for providers with no read-only call).
    pub async fn check_credentials(&self, profile_name: &str) -> Result<(), EngineError> {
        let profile = self.profile(profile_name).await?;
        self.connector(&profile).await.map(drop)
    }

    /// Refuses a sale that would take the profile's last read balance below its floor.
    async fn check_sales_floor(&self, profile: &Profile, amount: Money) -> Result<(), EngineError> {
        if profile.settings.sales_floor().is_none() {
            return Ok(());
        }
        let ledger = self.ledger.clone();
        let id = profile.id;
        let Some(last) = blocking(move || ledger.last_balance(id)).await?? else {
            return Ok(());
        };
        match below_sales_floor(profile, last.amount, Some(amount)) {
            Some(floor) => Err(EngineError::SalesBlocked {
                profile: profile.name.clone(),
                balance: last.amount,
                floor,
            }),
            None => Ok(()),
        }
    }
}

/// The profile's sales floor when a sale of `sale` (or any sale, without one) would take
/// `balance` below it; `None` when it may go ahead. The one computation behind the counter's
/// "sales paused" banner and the engine's refusal.
pub fn below_sales_floor(profile: &Profile, balance: Money, sale: Option<Money>) -> Option<Money> {
    let floor = profile.settings.sales_floor()?;
    let spent = match sale {
        Some(sale) if sale.unit() != balance.unit() => return None,
        Some(sale) => sale.minor(),
        None => 0,
    };
    (balance.minor().saturating_sub(spent) < floor.minor()).then_some(floor)
}
