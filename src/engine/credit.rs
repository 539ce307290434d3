//! Moving credit between the main account and a sub-account, journal-first, with the
//! sub-account's balance before the move kept as evidence.

use crate::domain::{Money, Note, Reference, TxState};
use crate::ledger::{StateChange, TxKind, TxRecord};
use crate::providers::{CreatedSubAccount, CreditDirection, CreditMove, NewSubAccount, SubAccount};

use super::balance_check::BalanceBefore;
use tracing::Instrument;

use super::journal::{Deadline, Start, operation_span, repeat_guard, settle_error};
use super::{Engine, EngineError};

/// A credit move as a person or a script asks for it.
#[derive(Clone, Debug)]
pub struct CreditOrder {
    pub profile: String,
    /// The sub-account's id or e-mail address.
    pub sub_account: String,
    pub amount: String,
    pub direction: CreditDirection,
    /// The person confirmed that this repeats a recent move of the same amount on purpose.
    pub confirm_repeat: bool,
}

/// How a credit move ended: the ledger row, and the balances the provider reported.
#[derive(Clone, Debug)]
pub struct CreditOutcome {
    pub record: TxRecord,
    pub sub_account: SubAccount,
    /// Main account and sub-account balances after the move, when it succeeded.
    pub balances_after: Option<(Money, Money)>,
}

impl Engine {
    /// Lists a profile's sub-accounts with their balances.
    pub async fn sub_accounts(&self, profile_name: &str) -> Result<Vec<SubAccount>, EngineError> {
        let profile = self.profile(profile_name).await?;
        let connector = self.connector(&profile).await?;
        let lister = connector.sub_accounts.ok_or_else(|| {
            EngineError::Config(format!(
                "{} has no sub-accounts",
                profile.provider.display_name()
            ))
        })?;
        self.read_with_retry(|| lister.sub_accounts())
            .await
            .map_err(EngineError::Provider)
    }

    /// Creates a sub-account (without credit: no money moves, so nothing is journaled; give it
    /// credit with [`Engine::credit_new_sub_account`], which goes through the journal).
    pub async fn create_sub_account(
        &self,
        profile_name: &str,
        new: &NewSubAccount,
    ) -> Result<CreatedSubAccount, EngineError> {
        let profile = self.profile(profile_name).await?;
        let connector = self.connector(&profile).await?;
        let creator = connector.sub_account_create.ok_or_else(|| {
            EngineError::Config(format!(
                "{} cannot create sub-accounts",
                profile.provider.display_name()
            ))
        })?;
        let deadline = Deadline::after(self.operation_deadline(&profile));
        self.send_money(deadline, || creator.create_sub_account(new))
            .instrument(tracing::info_span!("new sub-account", profile = %profile.name))
            .await
            .map_err(EngineError::Provider)
    }

    /// Deletes a sub-account (by id or e-mail). Refused while it holds credit (take it back
    /// first: what the provider does with credit left in a deleted sub-account is in no
    /// source) or while an operation on it is still open.
    pub async fn delete_sub_account(
        &self,
        profile_name: &str,
        wanted: &str,
    ) -> Result<SubAccount, EngineError> {
        let profile = self.profile(profile_name).await?;
        let connector = self.connector(&profile).await?;
        let deleter = connector.sub_account_delete.ok_or_else(|| {
            EngineError::Config(format!(
                "{} cannot delete sub-accounts",
                profile.provider.display_name()
            ))
        })?;
        let sub = self.sub_account_named(&profile, wanted, None).await?;
        if sub.balance.minor() > 0 {
            return Err(EngineError::BadInput(format!(
                "sub-account {} still holds {}: take it back first (saldo subaccounts {} \
                 remove-credit {} {}); nothing was deleted",
                sub.id,
                sub.balance,
                profile.name,
                sub.id,
                sub.balance.to_plain_decimal()
            )));
        }
        let ledger = self.ledger.clone();
        let (id, destination) = (profile.id, sub.id.clone());
        let open = super::blocking(move || ledger.open_operations(Some(id))).await??;
        if let Some(busy) = open.iter().find(|r| r.destination == destination) {
            return Err(EngineError::BadInput(format!(
                "operation {} on sub-account {} is still {}: settle it first; nothing was \
                 deleted",
                busy.reference,
                sub.id,
                busy.state.as_str()
            )));
        }
        self.read_with_retry(|| deleter.delete_sub_account(&sub.handle))
            .instrument(tracing::info_span!("delete sub-account", profile = %profile.name))
            .await
            .map_err(EngineError::Provider)?;
        Ok(sub)
    }

    /// The listed sub-account with this id or e-mail address, or `not_listed_yet` (one just
    /// created that the list may not show yet).
    async fn sub_account_named(
        &self,
        profile: &crate::providers::Profile,
        wanted: &str,
        not_listed_yet: Option<SubAccount>,
    ) -> Result<SubAccount, EngineError> {
        let wanted = wanted.trim();
        self.sub_accounts(&profile.name)
            .await?
            .into_iter()
            .find(|s| s.id == wanted || s.email.eq_ignore_ascii_case(wanted))
            .or(not_listed_yet)
            .ok_or_else(|| {
                EngineError::BadInput(format!(
                    "profile {} has no sub-account “{wanted}”: see `saldo subaccounts {} list`",
                    profile.name, profile.name
                ))
            })
    }

    /// Gives a sub-account created a moment ago its first credit, journal-first like every
    /// move. Credit goes by the handle its creation returned when the provider's list does not
    /// show it yet; a new sub-account's balance before is 0.
    pub async fn credit_new_sub_account(
        &self,
        profile_name: &str,
        created: &CreatedSubAccount,
        amount: &str,
    ) -> Result<CreditOutcome, EngineError> {
        let order = CreditOrder {
            profile: profile_name.to_string(),
            sub_account: created.email.clone(),
            amount: amount.to_string(),
            direction: CreditDirection::Add,
            confirm_repeat: false,
        };
        let profile = self.profile(profile_name).await?;
        let fresh = created.handle.clone().map(|handle| SubAccount {
            id: created.email.clone(),
            email: created.email.clone(),
            kind: String::new(),
            handle,
            balance: crate::domain::Money::from_minor(0, profile.settings.unit),
        });
        self.move_credit_with(&order, fresh).await
    }

    /// Moves credit to or from a sub-account: finds it, records the move with the balance
    /// before, sends it once, and records the outcome with both balances after.
    pub async fn move_credit(&self, order: &CreditOrder) -> Result<CreditOutcome, EngineError> {
        self.move_credit_with(order, None).await
    }

    async fn move_credit_with(
        &self,
        order: &CreditOrder,
        not_listed_yet: Option<SubAccount>,
    ) -> Result<CreditOutcome, EngineError> {
        let profile = self.profile(&order.profile).await?;
        let amount = Money::parse(&order.amount, profile.settings.unit)
            .map_err(|e| EngineError::BadInput(e.to_string()))?;
        if amount.minor() == 0 {
            return Err(EngineError::BadInput(
                "the credit to move must be more than 0".to_string(),
            ));
        }
        let connector = self.connector(&profile).await?;
        let mover = connector.sub_account_credit.clone().ok_or_else(|| {
            EngineError::Config(format!(
                "{} cannot move sub-account credit",
                profile.provider.display_name()
            ))
        })?;
        self.recover_leftovers(&profile).await?;
        // Stamped before the list is asked for: the balance is at least this old.
        let read_at = self.ledger.now();
        let sub = self
            .sub_account_named(&profile, &order.sub_account, not_listed_yet)
            .await?;

        let reference = Reference::generate_on(self.ledger.now());
        let kind = match order.direction {
            CreditDirection::Add => TxKind::CreditAdd,
            CreditDirection::Remove => TxKind::CreditRemove,
        };
        let evidence = BalanceBefore {
            sub_account: sub.id.clone(),
            balance: sub.balance,
            read_at,
        };
        let deadline = Deadline::after(self.operation_deadline(&profile));
        let _claim = self
            .record_and_start(Start {
                reference: reference.clone(),
                kind,
                profile_id: profile.id,
                destination: sub.id.clone(),
                amount,
                evidence: Some(evidence.to_string()),
                repeat_guard: Some(repeat_guard(
                    profile.settings.duplicate_window_secs,
                    order.confirm_repeat,
                )),
                request: None,
                batch_row: None,
            })
            .await?;
        let request = CreditMove {
            reference: reference.clone(),
            direction: order.direction,
            handle: sub.handle.clone(),
            amount,
        };
        let sent = self
            .send_money(deadline, || mover.move_credit(&request))
            .instrument(operation_span(&reference))
            .await;
        let (state, change, balances_after) = match sent {
            Ok(receipt) => (
                TxState::Succeeded,
                StateChange {
                    provider_ref: None,
                    provider_message: Some(
                        match receipt.balances {
                            Some((main, sub_account)) => Note::BalancesAfter { main, sub_account },
                            None => Note::DoneWithoutBalances,
                        }
                        .to_stored(),
                    ),
                    detail: Some(receipt.raw),
                    basis: None,
                },
                receipt.balances,
            ),
            Err(error) => {
                let (state, change) = settle_error(&error);
                (state, change, None)
            }
        };
        let record = self
            .record_outcome(&reference, TxState::Sending, state, change)
            .await?;
        Ok(CreditOutcome {
            record,
            sub_account: sub,
            balances_after,
        })
    }
}
