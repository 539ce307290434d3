//! The window's panels driven with egui_kittest over the in-process demo simulator: the real
//! app, real HTTP on 127.0.0.1, a real SQLite ledger; assertions on the screen, the ledger and
//! what the simulator was sent. `panels` drives single panels with a recorder of their commands.

mod backups;
mod balances;
mod counter;
mod counter_safety;
mod history;
mod panels;
mod persian;
mod receipts;
mod review;
mod settings;
mod shop_server;
mod snapshots;
mod statement;
mod subaccounts;
mod support;
mod welcome;
