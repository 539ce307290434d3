//! The provider's live lists of top-up choices: fetched (never while selling), kept in the
//! ledger, and used instead of the shipped tables; a failed fetch keeps what was there.

use std::time::Duration;

use crate::providers::Profile;
use crate::providers::registry::{ListSource, PickList, TopUpField};

use super::{Engine, EngineError, blocking};

/// How old a fetched list may grow before the window fetches it again.
pub const LIST_MAX_AGE: Duration = Duration::from_secs(24 * 3600);

/// What refreshing a profile's lists did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListRefresh {
    /// The lists in use now.
    pub lists: Vec<PickList>,
    /// Why the provider's list could not be fetched (the lists in use are unchanged), if so.
    pub failure: Option<String>,
}

impl Engine {
    /// The choices a top-up through this profile offers now, as the ledger keeps them.
    pub async fn topup_lists(&self, profile: &Profile) -> Result<Vec<PickList>, EngineError> {
        let ledger = self.ledger.clone();
        let profile = profile.clone();
        Ok(blocking(move || ledger.topup_lists(&profile)).await??)
    }

    /// Fetches the provider's own operator list and keeps it, when the provider has one and
    /// (unless `force`) the kept one is missing or older than [`LIST_MAX_AGE`]. Moves no money.
    pub async fn refresh_topup_lists(
        &self,
        name: &str,
        force: bool,
    ) -> Result<ListRefresh, EngineError> {
        let profile = self.profile(name).await?;
        let lists = self.topup_lists(&profile).await?;
        let now = self.ledger.now();
        let fresh = lists
            .iter()
            .filter(|l| l.field == TopUpField::Operator)
            .all(|l| match l.source {
                ListSource::Live { fetched_at } => {
                    (now - fetched_at).unsigned_abs() < LIST_MAX_AGE.as_millis() as u64
                }
                ListSource::Shipped => false,
            });
        if !profile.provider.info().capabilities.operator_list || (fresh && !force) {
            return Ok(ListRefresh {
                lists,
                failure: None,
            });
        }
        let fetched = match self.connector(&profile).await {
            Ok(connector) => match connector.operator_list {
                Some(source) => self
                    .read_with_retry(|| source.operators())
                    .await
                    .map_err(|e| e.to_string()),
                None => Err("this provider lists no operators".to_string()),
            },
            Err(e) => Err(e.to_string()),
        };
        match fetched {
            Ok(listing) => {
                let ledger = self.ledger.clone();
                let id = profile.id;
                let count = listing.operators.len();
                blocking(move || {
                    ledger.save_provider_list(id, TopUpField::Operator, &listing.operators)
                })
                .await??;
                tracing::info!(profile = %profile.name, count,
                    "fetched the provider's operator list");
                Ok(ListRefresh {
                    lists: self.topup_lists(&profile).await?,
                    failure: None,
                })
            }
            Err(failure) => {
                tracing::warn!(profile = %profile.name, %failure,
                    "the provider's operator list could not be fetched; the kept one stays");
                Ok(ListRefresh {
                    lists,
                    failure: Some(failure),
                })
            }
        }
    }
}
