//! Invites: accepted from allowed inviters, declined from everyone else.
//! A homeserver may deliver an invite before the join can succeed (the
//! invite still travelling between servers), so a join is retried with
//! growing waits.

use std::sync::Arc;
use std::time::Duration;

use matrix_sdk::event_handler::Ctx;
use matrix_sdk::room::Room;
use matrix_sdk::ruma::events::room::member::{MembershipState, StrippedRoomMemberEvent};

use super::{Bot, guard};

/// Join attempts, and the wait before the second; it doubles after each.
const JOIN_ATTEMPTS: u32 = 8;
const JOIN_FIRST_WAIT: Duration = Duration::from_secs(1);

pub async fn on_invite(event: StrippedRoomMemberEvent, room: Room, Ctx(bot): Ctx<Arc<Bot>>) {
    if event.state_key != bot.me || event.content.membership != MembershipState::Invite {
        return;
    }
    let room_id = room.room_id().to_owned();
    if !guard::inviter_allowed(&bot.settings, &event.sender) {
        tracing::info!(room = %room_id, inviter = %event.sender, "declining an invite from an inviter not allowed");
        if let Err(err) = room.leave().await {
            tracing::warn!(room = %room_id, "declining the invite: {err}");
        }
        return;
    }
    // The handler must return for the sync to go on; joining waits apart.
    tokio::spawn(async move {
        let mut wait = JOIN_FIRST_WAIT;
        for attempt in 1..=JOIN_ATTEMPTS {
            match room.join().await {
                Ok(()) => {
                    tracing::info!(room = %room_id, inviter = %event.sender, "joined");
                    return;
                }
                Err(err) if attempt < JOIN_ATTEMPTS => {
                    tracing::warn!(room = %room_id, "joining failed (attempt {attempt}), retrying in {wait:?}: {err}");
                    tokio::time::sleep(wait).await;
                    wait *= 2;
                }
                Err(err) => {
                    tracing::error!(room = %room_id, "could not join after {JOIN_ATTEMPTS} attempts: {err}");
                }
            }
        }
    });
}
