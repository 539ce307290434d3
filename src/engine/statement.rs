//! Reading a credit statement (read-only: nothing is recorded).

use crate::providers::{Movement, StatementQuery};

use super::{Engine, EngineError};

impl Engine {
    /// A profile's credit movements for the query, oldest first.
    pub async fn statement(
        &self,
        profile_name: &str,
        query: &StatementQuery,
    ) -> Result<Vec<Movement>, EngineError> {
        let profile = self.profile(profile_name).await?;
        let connector = self.connector(&profile).await?;
        let reader = connector.statement.ok_or_else(|| {
            EngineError::Config(format!(
                "{} offers no credit statement",
                profile.provider.display_name()
            ))
        })?;
        let mut movements = self
            .read_with_retry(|| reader.statement(query))
            .await
            .map_err(EngineError::Provider)?;
        movements.sort_by(|a, b| (a.day, &a.time).cmp(&(b.day, &b.time)));
        Ok(movements)
    }
}
