//! The one error type of the provider layer. Each variant tells the caller what it may do next.

use std::time::Duration;

/// What went wrong talking to a provider, classified by what the caller may safely do next.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// Nothing reached the provider (connection refused, DNS failure, bad settings): safe to retry.
    #[error("could not reach the provider: {reason}")]
    NotSent { reason: String },
    /// The request went out but no clear answer came back (timeout, reset, server error):
    /// the outcome is unknown and the request must never be resent blindly.
    #[error("no clear answer from the provider ({reason}): the outcome is unknown")]
    MaybeSent { reason: String },
    /// The provider said no; nothing was charged.
    #[error("the provider refused: {message}")]
    Rejected {
        code: Option<String>,
        message: String,
        raw: String,
    },
    /// The provider refused the credentials.
    #[error("the provider refused the credentials ({message}): check the profile's secret")]
    Auth { message: String },
    /// The provider asked us to slow down; nothing was done.
    #[error("the provider is rate limiting requests; try again {}", retry_hint(.retry_after))]
    RateLimited { retry_after: Option<Duration> },
    /// The reply could not be understood. For a money-moving request, the outcome is unknown.
    #[error("the provider's reply could not be read ({reason})")]
    Malformed { reason: String, raw: String },
}

fn retry_hint(after: &Option<Duration>) -> String {
    match after {
        Some(d) => format!("in {} s", d.as_secs().max(1)),
        None => "in a moment".to_string(),
    }
}

impl ProviderError {
    /// Whether repeating the request cannot cause a second execution.
    pub fn is_safe_to_retry(&self) -> bool {
        matches!(
            self,
            ProviderError::NotSent { .. } | ProviderError::RateLimited { .. }
        )
    }

    /// Whether a money-moving request that ended in this error may have been executed.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            ProviderError::MaybeSent { .. } | ProviderError::Malformed { .. }
        )
    }

    /// The raw reply kept for the audit trail, if any.
    pub fn raw(&self) -> Option<&str> {
        match self {
            ProviderError::Rejected { raw, .. } | ProviderError::Malformed { raw, .. } => Some(raw),
            _ => None,
        }
    }
}
