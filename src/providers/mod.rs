//! The provider layer: small capability traits, one error taxonomy, and one adapter per
//! provider API. Wire formats stay inside each adapter; the rest of saldo sees domain types.

pub mod error;
pub mod http;
pub mod lenient;
pub mod profile;
pub mod qvatel;
pub mod registry;

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
}

/// The state a status check reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusProgress {
    Delivered,
    InProgress,
    Failed,
}

/// Sends a top-up to a mobile number.
pub trait TopUp: Send + Sync {
    /// Sends one top-up. Never retried inside: the engine decides.
    fn top_up<'a>(
        &'a self,
        request: &'a TopUpRequest,
    ) -> BoxFuture<'a, Result<TopUpReceipt, ProviderError>>;
}

/// Asks how an earlier top-up ended, by the provider's id.
pub trait TopUpStatus: Send + Sync {
    fn top_up_status<'a>(
        &'a self,
        provider_ref: &'a str,
    ) -> BoxFuture<'a, Result<StatusReport, ProviderError>>;
}

/// Reads the account's own balance.
pub trait BalanceRead: Send + Sync {
    fn balance(&self) -> BoxFuture<'_, Result<Money, ProviderError>>;
}
