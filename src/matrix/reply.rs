//! Sending a drawn reply: one `m.notice` with a plain `body` and an HTML
//! `formatted_body`, as a rich reply to the message it answers, inside that
//! message's thread when it has one, and with an empty `m.mentions` so
//! nothing in it notifies anyone.

use matrix_sdk::room::Room;
use matrix_sdk::ruma::OwnedEventId;
use matrix_sdk::ruma::events::Mentions;
use matrix_sdk::ruma::events::relation::Thread;
use matrix_sdk::ruma::events::room::message::{
    AddMentions, ForwardThread, OriginalSyncRoomMessageEvent, Relation, RoomMessageEventContent,
    RoomMessageEventContentWithoutRelation,
};

use crate::chat::Error;
use crate::render::matrix::Message;

/// The event content of `message` answering `to`.
pub fn content(message: Message, to: &OriginalSyncRoomMessageEvent) -> RoomMessageEventContent {
    let content = RoomMessageEventContentWithoutRelation::notice_html(message.plain, message.html)
        .add_mentions(Mentions::new());
    match &to.content.relates_to {
        Some(Relation::Thread(thread)) => content.with_relation(Some(Relation::Thread(
            Thread::reply(thread.event_id.clone(), to.event_id.clone()),
        ))),
        _ => content.make_reply_to(to, ForwardThread::No, AddMentions::No),
    }
}

/// Sends `message` as the answer to `to`; returns the reply's event id.
pub async fn send(
    room: &Room,
    to: &OriginalSyncRoomMessageEvent,
    message: Message,
) -> Result<OwnedEventId, Error> {
    let sent = room.send(content(message, to)).await?;
    Ok(sent.response.event_id)
}
