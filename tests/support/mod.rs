//! Shared by the Discord tests and the load benchmark: the fake Discord and
//! a running `quarry serve` pointed at it.

pub mod bot_process;
pub mod fake_discord;
