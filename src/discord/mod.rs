//! The Discord bot: slash commands, buttons and mentions, answered by the engine.

use std::sync::Arc;

use crate::Settings;
use crate::config::Token;
use crate::engine::Engine;
use crate::health::Health;

/// Connects to Discord and answers until SIGTERM or Ctrl-C.
pub async fn serve(
    _settings: &Settings,
    _token: Token,
    _engine: Arc<Engine>,
    _health: Arc<Health>,
) -> anyhow::Result<()> {
    anyhow::bail!("the Discord bot is not built yet")
}
