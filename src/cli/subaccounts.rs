//! `saldo subaccounts NAME list|add-credit|remove-credit|create|delete`.

use clap::{Args, Subcommand};

use super::topup::describe;
use super::{CliError, Exit, Output};
use crate::engine::{CreditOrder, Engine};
use crate::providers::{CreditDirection, NewSubAccount};

#[derive(Debug, Args)]
pub struct SubaccountsArgs {
    /// The profile whose sub-accounts to use (SMS Partner).
    pub profile: String,
    #[command(subcommand)]
    pub action: SubaccountsAction,
}

#[derive(Debug, Subcommand)]
pub enum SubaccountsAction {
    /// List the sub-accounts with their balances (id, e-mail, type, balance).
    ///
    /// Example: saldo subaccounts fr list
    List,
    /// Move credit from the main account to a sub-account.
    ///
    /// Example: saldo subaccounts fr add-credit shop-01@example.fr 10
    AddCredit {
        /// The sub-account's id or e-mail address.
        sub_account: String,
        /// The credit to move, e.g. 10 or 2.50.
        amount: String,
        /// Move it even though the same credit went to this sub-account moments ago (refused
        /// otherwise, for the profile's duplicate window; a repeat of a move that is still
        /// open is always refused).
        #[arg(long)]
        confirm_duplicate: bool,
    },
    /// Move credit from a sub-account back to the main account.
    ///
    /// Example: saldo subaccounts fr remove-credit 1001 5
    RemoveCredit {
        /// The sub-account's id or e-mail address.
        sub_account: String,
        /// The credit to move back, e.g. 5.
        amount: String,
        /// Move it even though the same credit came back from this sub-account moments ago.
        #[arg(long)]
        confirm_duplicate: bool,
    },
    /// Delete a sub-account that holds no credit and has no open operation.
    ///
    /// Example: saldo subaccounts fr delete shop-46@example.fr
    Delete {
        /// The sub-account's id or e-mail address.
        sub_account: String,
    },
    /// Create a sub-account, and give it its first credit with --credit (moved through the
    /// journal like add-credit, once the creation went through).
    ///
    /// Example: saldo subaccounts fr create --type simple --email shop-46@example.fr --credit 10
    Create {
        /// simple or advanced; it cannot be changed later.
        #[arg(long = "type", value_parser = ["simple", "advanced"])]
        kind: String,
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "")]
        first_name: String,
        #[arg(long, default_value = "")]
        last_name: String,
        /// The sub-account buys its own credit (SMS Partner's isBuyer); otherwise it gets
        /// credit from the main account only.
        #[arg(long)]
        buyer: bool,
        /// Credit to move to it as soon as it exists, e.g. 10.
        #[arg(long)]
        credit: Option<String>,
    },
}

pub(crate) fn run(
    args: SubaccountsArgs,
    engine: &Engine,
    runtime: &tokio::runtime::Runtime,
) -> Result<Output, CliError> {
    let profile = args.profile;
    let direction = match args.action {
        SubaccountsAction::List => {
            let subs = runtime.block_on(engine.sub_accounts(&profile))?;
            if subs.is_empty() {
                return Ok(Output::ok(format!("profile {profile} has no sub-accounts")));
            }
            let lines: Vec<String> = subs
                .iter()
                .map(|s| format!("{}\t{}\t{}\t{}", s.id, s.email, s.kind, s.balance))
                .collect();
            return Ok(Output::ok(lines.join("\n")));
        }
        SubaccountsAction::Delete { sub_account } => {
            let gone = runtime.block_on(engine.delete_sub_account(&profile, &sub_account))?;
            return Ok(Output::ok(format!(
                "deleted sub-account {} ({}) of profile {profile}",
                gone.id, gone.email
            )));
        }
        SubaccountsAction::Create {
            kind,
            email,
            first_name,
            last_name,
            buyer,
            credit,
        } => {
            if !email.contains('@') {
                return Err(CliError::new(
                    Exit::BadInput,
                    format!("“{email}” is not an e-mail address"),
                ));
            }
            // A wrong amount is refused before anything is created.
            if let Some(amount) = &credit {
                let unit = engine.ledger().profile(&profile)?.settings.unit;
                crate::domain::Money::parse(amount, unit)
                    .map_err(|e| CliError::new(Exit::BadInput, e.to_string()))?;
            }
            let new = NewSubAccount {
                kind,
                email: email.clone(),
                first_name,
                last_name,
                is_buyer: buyer,
            };
            let created = runtime.block_on(engine.create_sub_account(&profile, &new))?;
            let Some(amount) = credit else {
                return Ok(Output::ok(format!(
                    "created sub-account {email} in profile {profile}; give it credit with: \
                     saldo subaccounts {profile} add-credit {email} AMOUNT"
                )));
            };
            let outcome =
                runtime.block_on(engine.credit_new_sub_account(&profile, &created, &amount))?;
            let mut output = describe(&outcome.record);
            output.text = format!(
                "created sub-account {email} in profile {profile}\n{}",
                output.text
            );
            return Ok(output);
        }
        SubaccountsAction::AddCredit {
            sub_account,
            amount,
            confirm_duplicate,
        } => (CreditDirection::Add, sub_account, amount, confirm_duplicate),
        SubaccountsAction::RemoveCredit {
            sub_account,
            amount,
            confirm_duplicate,
        } => (
            CreditDirection::Remove,
            sub_account,
            amount,
            confirm_duplicate,
        ),
    };
    let (direction, sub_account, amount, confirm_repeat) = direction;
    let order = CreditOrder {
        profile,
        sub_account,
        amount,
        direction,
        confirm_repeat,
    };
    let outcome = runtime.block_on(engine.move_credit(&order))?;
    let mut output = describe(&outcome.record);
    output.text = output.text.replacen(
        &format!("sub-account {}", outcome.sub_account.id),
        &format!(
            "sub-account {} ({})",
            outcome.sub_account.id, outcome.sub_account.email
        ),
        1,
    );
    Ok(output)
}
