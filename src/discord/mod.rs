//! The Discord bot: slash commands, buttons and mentions, answered by the engine.
