//! saldo: a phone top-up and prepaid credit desk for reseller shops.
//!
//! One egui window (and a command line) over a provider service layer that speaks the
//! providers' HTTP APIs, a local SQLite ledger of every operation, and the OS keychain for
//! secrets. Data flows one way: request → ledger (intent) → provider → ledger (outcome) → UI/CLI.

pub mod cli;
pub mod demo;
pub mod domain;
pub mod engine;
pub mod ledger;
pub mod logging;
pub mod paths;
pub mod providers;
pub mod receipt;
pub mod secrets;
pub mod simulator;
pub mod ui;
