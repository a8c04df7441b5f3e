//! The Discord adapter: connects to the gateway with serenity, registers the
//! slash commands with poise, and answers through the chat layer
//! (`chat::ChatService`) from the same `Engine` the CLI uses. It only
//! translates Discord's events and draws replies (`render::discord`).

mod commands;
mod components;
mod errors;
mod events;
mod guard;
mod reply;

use std::sync::Arc;

use poise::serenity_prelude as serenity;

use tokio::sync::watch;

use crate::chat::{ChatService, ChatUser, Platform};
use crate::config::{DiscordSettings, Token};

pub use crate::chat::Error;
type Context<'a> = poise::Context<'a, Bot, Error>;

/// Discord's own API; any other base URL (a test fake, a proxy) is reached
/// through serenity's proxy setting.
const DISCORD_API: &str = "https://discord.com";

/// Everything the commands share.
pub struct Bot {
    chat: Arc<ChatService>,
    settings: DiscordSettings,
}

/// A Discord user as the chat layer knows one.
fn user(id: serenity::UserId) -> ChatUser {
    ChatUser::new(Platform::Discord, id.to_string())
}

/// Only non-privileged intents: guild events for slash commands, and guild
/// messages, whose content Discord delivers when the bot is mentioned.
fn intents() -> serenity::GatewayIntents {
    serenity::GatewayIntents::GUILDS | serenity::GatewayIntents::GUILD_MESSAGES
}

/// Connects and answers until `stop` turns true.
pub async fn serve(
    discord: DiscordSettings,
    chat: Arc<ChatService>,
    token: &Token,
    mut stop: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    chat.status.set_configured(Platform::Discord);
    let bot = Bot {
        chat,
        settings: discord.clone(),
    };
    let guild = discord.guild_id.map(serenity::GuildId::new);
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            on_error: |error| Box::pin(errors::on_error(error)),
            command_check: Some(|ctx| Box::pin(guard::command_check(ctx))),
            // Corpus text must never ping anyone.
            allowed_mentions: Some(serenity::CreateAllowedMentions::new()),
            event_handler: |framework, event| Box::pin(events::handle(framework, event)),
            ..Default::default()
        })
        // Owners are not used; skip the extra request at startup.
        .initialize_owners(false)
        .setup(move |ctx, ready, framework| {
            Box::pin(async move {
                let commands = &framework.options().commands;
                match guild {
                    Some(guild) => {
                        poise::builtins::register_in_guild(ctx, commands, guild).await?;
                        tracing::info!(%guild, "registered {} commands in one guild", commands.len());
                    }
                    None => {
                        poise::builtins::register_globally(ctx, commands).await?;
                        tracing::info!("registered {} commands globally", commands.len());
                    }
                }
                tracing::info!(user = %ready.user.name, "connected to Discord");
                Ok(bot)
            })
        })
        .build();

    let mut http = serenity::HttpBuilder::new(token.expose());
    if discord.api_url.trim_end_matches('/') != DISCORD_API {
        // Without the rate limiter disabled, serenity sends requests past the proxy.
        http = http
            .proxy(discord.api_url.clone())
            .ratelimiter_disabled(true);
    }
    let mut client = serenity::ClientBuilder::new_with_http(http.build(), intents())
        .framework(framework)
        .await?;
    let shard_manager = Arc::clone(&client.shard_manager);
    tokio::spawn(async move {
        // A dropped sender means the process is ending as well.
        let _ = stop.wait_for(|stop| *stop).await;
        tracing::info!("disconnecting from Discord");
        shard_manager.shutdown_all().await;
    });
    client.start().await?;
    Ok(())
}
