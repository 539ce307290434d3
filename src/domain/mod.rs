//! Plain values of the trade: money, phone numbers, transaction states and our references.
//! Nothing here does I/O.

pub mod clock;
pub mod jalali;
pub mod money;
pub mod note;
pub mod phone;
pub mod reference;
pub mod review;
pub mod state;
pub mod time;

pub use money::{Money, MoneyError, Unit};
pub use note::Note;
pub use phone::{Country, PhoneError, PhoneNumber};
pub use reference::Reference;
pub use review::{BalanceArithmetic, ReviewReason};
pub use state::{Basis, IllegalTransition, TxState};
