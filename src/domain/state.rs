//! The life of a money-moving operation and the only moves it may make.

use std::fmt;

/// Where an operation stands.
///
/// `Recorded → Sending → {Succeeded | Failed | Pending | Unknown}`,
/// `Pending → {Succeeded | Failed | Unknown}`, `Unknown → {Succeeded | Failed | Pending}` (the
/// provider, asked later, says it is still working on it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TxState {
    /// Written to the ledger; nothing sent yet.
    Recorded,
    /// About to be (or being) sent to the provider.
    Sending,
    /// The provider confirmed it.
    Succeeded,
    /// It did not go through: the provider said so (nothing was charged), or saldo or a
    /// person concluded it — see the row's [`Basis`].
    Failed,
    /// The provider accepted it but has not finished it.
    Pending,
    /// We cannot tell whether the provider executed it: never resend blindly.
    Unknown,
}

/// A state change the rules do not allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("an operation cannot go from {from} to {to}")]
pub struct IllegalTransition {
    pub from: TxState,
    pub to: TxState,
}

impl TxState {
    /// Every state, in life order.
    pub const ALL: [TxState; 6] = [
        TxState::Recorded,
        TxState::Sending,
        TxState::Succeeded,
        TxState::Failed,
        TxState::Pending,
        TxState::Unknown,
    ];

    /// Whether the rules allow moving from `self` to `next`.
    pub fn can_become(self, next: TxState) -> bool {
        use TxState::*;
        matches!(
            (self, next),
            (Recorded, Sending)
                | (Sending, Succeeded | Failed | Pending | Unknown)
                | (Pending, Succeeded | Failed | Unknown)
                | (Unknown, Succeeded | Failed | Pending)
        )
    }

    /// Checks a move against the rules.
    pub fn check(self, next: TxState) -> Result<TxState, IllegalTransition> {
        if self.can_become(next) {
            Ok(next)
        } else {
            Err(IllegalTransition {
                from: self,
                to: next,
            })
        }
    }

    /// Whether nothing can change this state any more.
    pub fn is_final(self) -> bool {
        matches!(self, TxState::Succeeded | TxState::Failed)
    }

    /// The word stored in the ledger.
    pub fn as_str(self) -> &'static str {
        match self {
            TxState::Recorded => "recorded",
            TxState::Sending => "sending",
            TxState::Succeeded => "succeeded",
            TxState::Failed => "failed",
            TxState::Pending => "pending",
            TxState::Unknown => "unknown",
        }
    }

    /// Reads the word stored in the ledger.
    pub fn parse(word: &str) -> Option<TxState> {
        TxState::ALL.into_iter().find(|s| s.as_str() == word)
    }
}

/// How a final outcome is known: a provider's word is a fact, saldo's arithmetic and a
/// person's judgement are conclusions. Only a stated failure means "nothing was charged" and
/// lets the same operation be sent again without asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Basis {
    /// The provider said so, or nothing ever reached it (the row was never sent, or the
    /// provider refused the request before doing anything).
    Stated,
    /// saldo concluded it from evidence (balances compared before and after).
    Inferred,
    /// A person settled it by hand.
    ByHand,
}

impl Basis {
    /// The word stored in the ledger.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Stated => "stated",
            Basis::Inferred => "inferred",
            Basis::ByHand => "by_hand",
        }
    }

    /// Reads the word stored in the ledger.
    pub fn parse(word: &str) -> Option<Basis> {
        [Basis::Stated, Basis::Inferred, Basis::ByHand]
            .into_iter()
            .find(|b| b.as_str() == word)
    }
}

impl fmt::Display for TxState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::TxState::{self, *};

    #[test]
    fn only_the_documented_transitions_are_legal() {
        let legal = [
            (Recorded, Sending),
            (Sending, Succeeded),
            (Sending, Failed),
            (Sending, Pending),
            (Sending, Unknown),
            (Pending, Succeeded),
            (Pending, Failed),
            (Pending, Unknown),
            (Unknown, Succeeded),
            (Unknown, Failed),
            (Unknown, Pending),
        ];
        for from in TxState::ALL {
            for to in TxState::ALL {
                assert_eq!(
                    from.can_become(to),
                    legal.contains(&(from, to)),
                    "{from} -> {to}"
                );
            }
        }
        assert!(Succeeded.check(Failed).is_err());
        assert_eq!(Recorded.check(Sending), Ok(Sending));
    }

    #[test]
    fn states_round_trip_through_their_ledger_words() {
        for state in TxState::ALL {
            assert_eq!(TxState::parse(state.as_str()), Some(state));
        }
        assert_eq!(TxState::parse("done"), None);
    }
}
