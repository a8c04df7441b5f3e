//! The Matrix adapter: logs in with matrix-sdk (end-to-end encryption, its
//! SQLite stores in the data folder), joins rooms it is invited to by
//! allowed inviters, and answers `!quarry` commands and mentions through the
//! chat layer (`chat::ChatService`). It only translates Matrix events and
//! draws replies (`render::matrix`).

mod commands;
mod events;
mod guard;
mod invites;
mod login;
mod paging;
mod reply;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use matrix_sdk::config::SyncSettings;
use matrix_sdk::ruma::{EventId, OwnedUserId};
use matrix_sdk::{Client, LoopCtrl};
use tokio::sync::watch;

use crate::chat::{ChatService, ChatUser, Platform};
use crate::config::{MatrixLogin, MatrixSettings};

/// How long the homeserver may hold a sync open when nothing happens.
const SYNC_TIMEOUT: Duration = Duration::from_secs(30);
/// Waits between failed syncs, doubling up to the last.
const SYNC_RETRY_FIRST: Duration = Duration::from_secs(1);
const SYNC_RETRY_MAX: Duration = Duration::from_secs(30);

/// Everything the event handlers share.
pub struct Bot {
    chat: Arc<ChatService>,
    settings: MatrixSettings,
    me: OwnedUserId,
    /// The bot's display name, for clients that mention by name only.
    name: String,
    pages: paging::Pages,
}

/// A Matrix user as the chat layer knows one.
fn user(id: &matrix_sdk::ruma::UserId) -> ChatUser {
    ChatUser::new(Platform::Matrix, id.as_str())
}

/// The chat layer's key for a remembered reply: the event id, hashed.
fn key(event: &EventId) -> u64 {
    let hash = blake3::hash(event.as_bytes());
    let mut first = [0; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

/// Logs in, then answers until `stop` turns true. Lost connections are
/// retried; only a failed login or store ends it with an error.
pub async fn serve(
    settings: MatrixSettings,
    login: MatrixLogin,
    dir: PathBuf,
    chat: Arc<ChatService>,
    mut stop: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    chat.status.set_configured(Platform::Matrix);
    let client = tokio::select! {
        client = login::connect(&login, &settings, &dir) => client?,
        _ = stop.wait_for(|stop| *stop) => return Ok(()),
    };
    let me = client
        .user_id()
        .ok_or_else(|| anyhow::anyhow!("logged in without a user id"))?
        .to_owned();
    let name = match client.account().get_display_name().await {
        Ok(Some(name)) if !name.trim().is_empty() => name,
        _ => me.localpart().to_string(),
    };
    let bot = Arc::new(Bot {
        chat,
        settings,
        me,
        name,
        pages: paging::Pages::default(),
    });
    client.add_event_handler_context(Arc::clone(&bot));
    // Invites that came while the bot was away are still answered.
    client.add_event_handler(invites::on_invite);
    // The first sync brings the backlog: it is read before the message
    // handlers exist, so nothing said before the bot started is answered.
    let first = tokio::select! {
        first = first_sync(&client, &bot) => first,
        _ = stop.wait_for(|stop| *stop) => return Ok(()),
    };
    client.add_event_handler(events::on_message);
    client.add_event_handler(events::on_reaction);
    tracing::info!(user = %bot.me, "connected to Matrix");
    let settings = SyncSettings::default().timeout(SYNC_TIMEOUT).token(first);
    tokio::select! {
        result = sync_forever(&client, &bot, settings) => result,
        _ = stop.wait_for(|stop| *stop) => {
            tracing::info!("disconnecting from Matrix");
            Ok(())
        }
    }
}

/// Syncs once, retrying until the homeserver answers; returns the token
/// to go on from.
async fn first_sync(client: &Client, bot: &Bot) -> String {
    let mut wait = SYNC_RETRY_FIRST;
    loop {
        match client
            .sync_once(SyncSettings::default().timeout(Duration::ZERO))
            .await
        {
            Ok(response) => {
                bot.chat.status.set_connected(Platform::Matrix, true);
                return response.next_batch;
            }
            Err(err) => {
                tracing::warn!("first Matrix sync failed, retrying in {wait:?}: {err}");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(SYNC_RETRY_MAX);
            }
        }
    }
}

/// Syncs until an unrecoverable error; a failed sync (the homeserver
/// restarting, the network down) marks the connection lost and is retried.
async fn sync_forever(client: &Client, bot: &Bot, settings: SyncSettings) -> anyhow::Result<()> {
    let wait = std::sync::Mutex::new(SYNC_RETRY_FIRST);
    client
        .sync_with_result_callback(settings, |result| {
            let status = &bot.chat.status;
            let delay = match result {
                Ok(_) => {
                    status.set_connected(Platform::Matrix, true);
                    *wait.lock().unwrap_or_else(|p| p.into_inner()) = SYNC_RETRY_FIRST;
                    None
                }
                Err(err) => {
                    status.set_connected(Platform::Matrix, false);
                    let mut wait = wait.lock().unwrap_or_else(|p| p.into_inner());
                    let delay = *wait;
                    *wait = (delay * 2).min(SYNC_RETRY_MAX);
                    tracing::warn!("Matrix sync failed, retrying in {delay:?}: {err}");
                    Some(delay)
                }
            };
            async move {
                if let Some(delay) = delay {
                    tokio::time::sleep(delay).await;
                }
                Ok(LoopCtrl::Continue)
            }
        })
        .await?;
    Ok(())
}
