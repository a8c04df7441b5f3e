//! Shared by the Discord tests and the load benchmark: the fake Discord, a
//! running `quarry serve` pointed at it, and made-up documents.

pub mod bot_process;
pub mod fake_discord;
pub mod made_up;
