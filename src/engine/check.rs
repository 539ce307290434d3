//! `saldo check`: every read-only call a profile's provider offers, each with what was sent and
//! what came back and whether saldo could read it — the thing a shop runs once with its real
//! credentials, and sends to support when it fails. It never moves money, and keeps nothing
//! it read (no balance, list or outcome is written to the ledger).

use crate::domain::Reference;
use crate::ledger::TxKind;
use crate::providers::tape::{Exchange, record};
use crate::providers::{Profile, StatementQuery, StatusQuery};
use crate::secrets::SecretKind;

use super::{Engine, EngineError, blocking};

/// One call of a check.
#[derive(Clone, Debug)]
pub struct CheckStep {
    /// What was asked, in words ("balance", "status of SAL-…").
    pub call: String,
    /// What went over the wire (secrets still in: see [`CheckReport::secrets`]).
    pub exchanges: Vec<Exchange>,
    /// What saldo read, or why it could not; `None` when the call was skipped.
    pub verdict: Option<Result<String, String>>,
    /// Why the call was skipped, when it was.
    pub skipped: Option<String>,
}

/// The whole check of one profile.
#[derive(Clone, Debug)]
pub struct CheckReport {
    pub profile: Profile,
    pub steps: Vec<CheckStep>,
    /// Every secret the exchanges may hold (keychain entries, sub-account handles), to remove
    /// before anything is shown.
    pub secrets: Vec<String>,
}

impl CheckReport {
    /// How many calls were made, and how many of them saldo could read.
    pub fn tally(&self) -> (usize, usize) {
        let made = self.steps.iter().filter(|s| s.verdict.is_some()).count();
        let read = self
            .steps
            .iter()
            .filter(|s| matches!(s.verdict, Some(Ok(_))))
            .count();
        (made, read)
    }
}

fn step<T>(
    call: impl Into<String>,
    exchanges: Vec<Exchange>,
    result: Result<T, crate::providers::ProviderError>,
    read: impl FnOnce(T) -> String,
) -> CheckStep {
    CheckStep {
        call: call.into(),
        exchanges,
        verdict: Some(result.map(read).map_err(|e| e.to_string())),
        skipped: None,
    }
}

fn skipped(call: impl Into<String>, why: impl Into<String>) -> CheckStep {
    CheckStep {
        call: call.into(),
        exchanges: Vec::new(),
        verdict: None,
        skipped: Some(why.into()),
    }
}

impl Engine {
    /// Runs every read-only call the profile's provider offers. `reference` is an earlier
    /// operation to ask the status of; without it, the profile's newest top-up is asked about.
    pub async fn check(
        &self,
        name: &str,
        reference: Option<&Reference>,
    ) -> Result<CheckReport, EngineError> {
        let profile = self.profile(name).await?;
        let connector = self.connector(&profile).await?;
        let mut steps = Vec::new();
        let mut handles = Vec::new();
        if let Some(reader) = &connector.balance {
            let (result, tape) = record(reader.balance()).await;
            steps.push(step("balance", tape, result, |m| format!("balance {m}")));
        }
        if let Some(status) = &connector.top_up_status {
            steps.push(
                self.check_status(&profile, status.as_ref(), reference)
                    .await?,
            );
        }
        if let Some(lister) = &connector.sub_accounts {
            let (result, tape) = record(lister.sub_accounts()).await;
            if let Ok(subs) = &result {
                handles.extend(subs.iter().map(|s| s.handle.expose().to_string()));
            }
            steps.push(step("sub-account list", tape, result, |subs| {
                let first: Vec<String> = subs
                    .iter()
                    .take(3)
                    .map(|s| format!("{} {} {}", s.id, s.email, s.balance))
                    .collect();
                format!("{} sub-accounts ({}…)", subs.len(), first.join("; "))
            }));
        }
        if let Some(operators) = &connector.operator_list {
            let (result, tape) = record(operators.operators()).await;
            steps.push(step("operator list", tape, result, |listing| {
                let names: Vec<String> = listing
                    .operators
                    .iter()
                    .map(|(code, name)| format!("{name} {code}"))
                    .collect();
                format!("{} operators: {}", names.len(), names.join(", "))
            }));
        }
        if let Some(statement) = &connector.statement {
            let query = StatementQuery::Last {
                count: 5,
                kind: None,
            };
            let (result, tape) = record(statement.statement(&query)).await;
            steps.push(step("statement, last 5", tape, result, |movements| {
                format!("{} movements", movements.len())
            }));
        }
        if let Some(probe) = &connector.probe {
            let (result, tape) = record(probe.probe()).await;
            steps.push(step(probe.what(), tape, result, |said| said));
        }
        let secrets = self.secret_values(&profile, handles).await;
        Ok(CheckReport {
            profile,
            steps,
            secrets,
        })
    }

    async fn check_status(
        &self,
        profile: &Profile,
        status: &dyn crate::providers::TopUpStatus,
        reference: Option<&Reference>,
    ) -> Result<CheckStep, EngineError> {
        let ledger = self.ledger.clone();
        let (wanted, id) = (reference.cloned(), profile.id);
        let known = blocking(move || match wanted {
            Some(reference) => ledger.transaction(&reference).map(Some),
            None => Ok(ledger
                .history_page(None, 200)?
                .into_iter()
                .find(|r| r.profile_id == id && r.kind == TxKind::TopUp)),
        })
        .await??;
        let Some(record_row) = known else {
            return Ok(skipped(
                "status of an earlier top-up",
                "no top-up through this profile yet: pass --reference REF to ask about one",
            ));
        };
        if status.needs_provider_ref() && record_row.provider_ref.is_none() {
            return Ok(skipped(
                format!("status of {}", record_row.reference),
                "the provider is asked by its own id, and this top-up has none",
            ));
        }
        let query = StatusQuery {
            reference: &record_row.reference,
            provider_ref: record_row.provider_ref.as_deref(),
        };
        let (result, tape) = record(status.top_up_status(query)).await;
        Ok(step(
            format!("status of {}", record_row.reference),
            tape,
            result,
            |report| {
                let said = report
                    .message
                    .map(|m| format!(" ({m})"))
                    .unwrap_or_default();
                let progress = format!("{:?}", report.progress).to_lowercase();
                format!("{progress}{said}")
            },
        ))
    }

    /// Every secret value the profile has in the keychain now (renewed tokens included), and
    /// the handles seen, for redaction.
    async fn secret_values(&self, profile: &Profile, handles: Vec<String>) -> Vec<String> {
        let secrets = self.secrets.clone();
        let name = profile.name.clone();
        blocking(move || {
            let mut values = handles;
            for kind in SecretKind::ALL {
                if let Ok(secret) = secrets.get(&name, kind) {
                    values.push(secret.expose().to_string());
                    // A session token is kept as "EXPIRY TOKEN".
                    values.extend(secret.expose().split_whitespace().map(str::to_string));
                }
            }
            values
        })
        .await
        .unwrap_or_default()
    }
}
