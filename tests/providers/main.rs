//! The five provider adapters over real HTTP on 127.0.0.1 against the simulator and against
//! the provider documents' own example bodies, one module per provider, in one test binary
//! (one link instead of five). Run one provider's: `cargo test --test providers qvatel`.

#[path = "../common/mod.rs"]
mod common;

mod marketext;
mod qvatel;
mod rechargekit;
mod sabapayamak;
mod smspartner;
