//! The provider layer: small capability traits, one error taxonomy, and one adapter per
//! provider API. Wire formats stay inside each adapter; the rest of saldo sees domain types.

pub mod error;
pub mod http;
pub mod lenient;
pub mod marketext;
pub mod profile;
pub mod qvatel;
pub mod rechargekit;
pub mod registry;
pub mod renewal;
pub mod sabapayamak;
pub mod smspartner;
pub mod tape;

use std::future::Future;
use std::pin::Pin;

use crate::domain::{Money, PhoneNumber, Reference};

pub use error::ProviderError;
pub use profile::{Profile, ProfileSettings, ProviderKind};
pub use registry::{Capabilities, Connector};

/// A boxed future, so capability traits can be used as trait objects.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A top-up to send: our reference, the number and the amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopUpRequest {
    pub reference: Reference,
    pub destination: PhoneNumber,
    pub amount: Money,
    pub extras: TopUpExtras,
}

/// Provider-specific details of a top-up, resolved from what the person chose; kept with the
/// operation (JSON) so the same request can be sent again.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TopUpExtras {
    /// RechargeKit's `operator_code`.
    pub operator_code: Option<u32>,
    /// RechargeKit's `circle`.
    pub circle_code: Option<u32>,
}

/// How far a provider says an accepted top-up has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// Delivered: the customer has the credit.
    Delivered,
    /// Accepted and still being processed.
    InProgress,
    /// Accepted; whether it is delivered yet must be asked with a status check.
    Accepted,
}

/// The provider's answer to an accepted top-up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopUpReceipt {
    /// The provider's own id for the top-up, when it gives one.
    pub provider_ref: Option<String>,
    pub progress: Progress,
    /// Any words from the provider worth keeping.
    pub message: Option<String>,
    /// The reply body, with secrets removed, for the audit trail.
    pub raw: String,
}

/// What a status check says about an earlier top-up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusReport {
    pub progress: StatusProgress,
    pub message: Option<String>,
    pub raw: String,
    /// The amount the provider holds for the order, when its reply says (to check the order
    /// found under our reference is the one we sent).
    pub amount: Option<Money>,
}

/// The state a status check reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusProgress {
    Delivered,
    InProgress,
    Failed,
    /// The provider has no record of it under our reference: it never arrived (so far).
    NotFound,
}

/// Sends a top-up to a mobile number.
pub trait TopUp: Send + Sync {
    /// Sends one top-up. Never retried inside: the engine decides.
    fn top_up<'a>(
        &'a self,
        request: &'a TopUpRequest,
    ) -> BoxFuture<'a, Result<TopUpReceipt, ProviderError>>;
}

/// What a status check may ask by: our reference, and the provider's id when we have it.
#[derive(Clone, Copy, Debug)]
pub struct StatusQuery<'a> {
    pub reference: &'a Reference,
    pub provider_ref: Option<&'a str>,
}

/// Asks how an earlier top-up ended.
pub trait TopUpStatus: Send + Sync {
    /// Whether the provider can only be asked by its own id, so a top-up whose reply was lost
    /// cannot be looked up (QvaTel), rather than by our reference (RechargeKit).
    fn needs_provider_ref(&self) -> bool;

    /// Whether the provider creates an order once per reference of ours, answering a repeat
    /// of the same reference with "duplicate" (RechargeKit's `partner_request_id`): then an
    /// unknown top-up is settled by sending the very same request again.
    fn deduplicates_by_reference(&self) -> bool {
        false
    }

    fn top_up_status<'a>(
        &'a self,
        query: StatusQuery<'a>,
    ) -> BoxFuture<'a, Result<StatusReport, ProviderError>>;
}

/// Reads the account's own balance.
pub trait BalanceRead: Send + Sync {
    fn balance(&self) -> BoxFuture<'_, Result<Money, ProviderError>>;
}

/// A sub-account of the shop's main account, as its provider lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubAccount {
    /// The provider's id for the sub-account, shown to people.
    pub id: String,
    pub email: String,
    /// The provider's kind of sub-account (SMS Partner: "simple" or "advanced").
    pub kind: String,
    /// What credit calls use to name the sub-account. Kept out of the ledger and logs.
    pub handle: crate::secrets::Secret,
    pub balance: Money,
}

/// Which way credit moves between the main account and a sub-account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreditDirection {
    /// From the main account to the sub-account.
    Add,
    /// From the sub-account back to the main account.
    Remove,
}

/// Credit to move between the main account and a sub-account.
#[derive(Clone, Debug)]
pub struct CreditMove {
    pub reference: Reference,
    pub direction: CreditDirection,
    /// The sub-account's handle from [`SubAccount::handle`].
    pub handle: crate::secrets::Secret,
    pub amount: Money,
}

/// Balances after a credit move, as the provider reports them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreditMoveReceipt {
    /// The main account's and the sub-account's balances after the move, when the reply
    /// carries them (a bare success may not).
    pub balances: Option<(Money, Money)>,
    pub raw: String,
}

/// A sub-account to create. It starts without credit: credit is moved afterwards through the
/// journal, like every other money movement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSubAccount {
    /// "simple" or "advanced" for SMS Partner; it cannot be changed later.
    pub kind: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// SMS Partner's `isBuyer` (required): whether the sub-account buys its own credit.
    pub is_buyer: bool,
}

/// A sub-account the provider just created.
#[derive(Clone, Debug)]
pub struct CreatedSubAccount {
    pub email: String,
    /// What credit calls name it by (SMS Partner's `token`), when the reply gives it.
    pub handle: Option<crate::secrets::Secret>,
}

/// Lists sub-accounts with their balances (every page).
pub trait SubAccountList: Send + Sync {
    fn sub_accounts(&self) -> BoxFuture<'_, Result<Vec<SubAccount>, ProviderError>>;
}

/// Moves credit between the main account and a sub-account.
pub trait SubAccountCredit: Send + Sync {
    fn move_credit<'a>(
        &'a self,
        credit: &'a CreditMove,
    ) -> BoxFuture<'a, Result<CreditMoveReceipt, ProviderError>>;
}

/// Creates a sub-account.
pub trait SubAccountCreate: Send + Sync {
    fn create_sub_account<'a>(
        &'a self,
        new: &'a NewSubAccount,
    ) -> BoxFuture<'a, Result<CreatedSubAccount, ProviderError>>;
}

/// Deletes a sub-account.
pub trait SubAccountDelete: Send + Sync {
    /// Deletes the sub-account named by `handle` ([`SubAccount::handle`]).
    fn delete_sub_account<'a>(
        &'a self,
        handle: &'a crate::secrets::Secret,
    ) -> BoxFuture<'a, Result<(), ProviderError>>;
}

/// Points to move from the main account to a child account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransferRequest {
    pub reference: Reference,
    /// The child account's id at the provider.
    pub child: String,
    pub amount: Money,
}

/// The provider's acceptance of a transfer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransferReceipt {
    pub raw: String,
}

/// Moves credit from the main account to a child account.
pub trait ChildTransfer: Send + Sync {
    fn transfer<'a>(
        &'a self,
        request: &'a TransferRequest,
    ) -> BoxFuture<'a, Result<TransferReceipt, ProviderError>>;
}

/// What kind of movement a credit statement line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MovementKind {
    /// Credit spent sending messages (ارسال).
    Send,
    /// Credit spent receiving messages (دریافت).
    Receive,
    /// Credit bought (شارژ).
    Purchase,
    /// Credit given back (برگشت اعتبار).
    Refund,
}

impl MovementKind {
    /// Every kind, in statement order.
    pub const ALL: [MovementKind; 4] = [
        MovementKind::Send,
        MovementKind::Receive,
        MovementKind::Purchase,
        MovementKind::Refund,
    ];

    /// The word used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            MovementKind::Send => "send",
            MovementKind::Receive => "receive",
            MovementKind::Purchase => "purchase",
            MovementKind::Refund => "refund",
        }
    }

    /// Reads the command-line word.
    pub fn parse(word: &str) -> Option<MovementKind> {
        MovementKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(word.trim()))
    }
}

/// One line of a credit statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Movement {
    /// The kind, when the provider's word for it is known.
    pub kind: Option<MovementKind>,
    /// The provider's own word for the kind.
    pub kind_text: String,
    pub amount: Money,
    /// The credit left after the movement.
    pub remaining: Money,
    pub description: String,
    /// When it happened, as the provider wrote it.
    pub when_text: String,
    /// The Jalali day, when the date could be read.
    pub day: Option<crate::domain::jalali::JalaliDate>,
    /// The time of day, `hh:mm:ss`, when given.
    pub time: Option<String>,
}

/// Which movements a statement asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatementQuery {
    /// Every movement between two Jalali days, both included.
    Range {
        from: crate::domain::jalali::JalaliDate,
        to: crate::domain::jalali::JalaliDate,
    },
    /// The last `count` movements, of one kind or all.
    Last {
        count: u32,
        kind: Option<MovementKind>,
    },
}

/// Reads the account's credit statement.
pub trait Statement: Send + Sync {
    fn statement<'a>(
        &'a self,
        query: &'a StatementQuery,
    ) -> BoxFuture<'a, Result<Vec<Movement>, ProviderError>>;
}

/// The provider's own list of the operators a top-up may go to (RechargeKit's
/// `servicewiseOperatorFetch`), as codes with names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperatorListing {
    pub operators: Vec<(u32, String)>,
    /// The reply body, with secrets removed.
    pub raw: String,
}

/// Lists the operators a top-up may go to, live.
pub trait OperatorList: Send + Sync {
    fn operators(&self) -> BoxFuture<'_, Result<OperatorListing, ProviderError>>;
}

/// A call that proves the credentials and the account work without reading or moving anything,
/// for a provider with no read-only call (Marketext): sent so that the provider must refuse it.
pub trait Probe: Send + Sync {
    /// What the probe is, in words, for the check's report.
    fn what(&self) -> String;
    /// Sends the probe; `Ok` says what its refusal proved.
    fn probe(&self) -> BoxFuture<'_, Result<String, ProviderError>>;
}
