//! Room events: text messages (commands and mentions) and reactions
//! (👍/👎 on an answer). The bot's own messages, notices (other bots'
//! replies) and rooms off the list are left alone.

use std::sync::Arc;

use matrix_sdk::RoomState;
use matrix_sdk::event_handler::Ctx;
use matrix_sdk::room::Room;
use matrix_sdk::ruma::UserId;
use matrix_sdk::ruma::events::reaction::OriginalSyncReactionEvent;
use matrix_sdk::ruma::events::room::message::{MessageType, OriginalSyncRoomMessageEvent};

use super::commands::{self, Command};
use super::{Bot, guard, key, reply, user};
use crate::chat::actions::{Action, Outcome};
use crate::chat::policy::Refusal;
use crate::render::{self, matrix as draw};

const SORRY: &str = "Sorry, something went wrong while answering. The bot's log has the details.";

pub async fn on_message(event: OriginalSyncRoomMessageEvent, room: Room, Ctx(bot): Ctx<Arc<Bot>>) {
    if let Err(err) = answer_message(&bot, &room, &event).await {
        tracing::error!(room = %room.room_id(), "answering a message: {err}");
        if let Err(err) = reply::send(&room, &event, draw::notice(SORRY)).await {
            tracing::error!("could not tell the user about an error: {err}");
        }
    }
}

async fn answer_message(
    bot: &Bot,
    room: &Room,
    event: &OriginalSyncRoomMessageEvent,
) -> Result<(), crate::chat::Error> {
    if event.sender == bot.me || room.state() != RoomState::Joined {
        return Ok(());
    }
    let MessageType::Text(text) = &event.content.msgtype else {
        return Ok(());
    };
    let body = without_reply_fallback(&text.body);
    let command = match commands::parse(body, &bot.settings.command_prefix) {
        Some(command) => command,
        None if mentions_me(bot, event, body) => {
            let question = without_mention(body, &bot.me, &bot.name);
            if question.is_empty() {
                Command::Help
            } else {
                Command::Ask(question)
            }
        }
        None => return Ok(()),
    };
    if !guard::room_allowed(&bot.settings, room) {
        let refusal = Refusal::WrongPlace(guard::PLACE).to_string();
        reply::send(room, event, draw::notice(&refusal)).await?;
        return Ok(());
    }
    commands::run(bot, room, event, command).await
}

/// Mentioned in `m.mentions`, or, for clients without intentional
/// mentions (no `m.mentions` at all), by display name or user id in the text.
fn mentions_me(bot: &Bot, event: &OriginalSyncRoomMessageEvent, body: &str) -> bool {
    match &event.content.mentions {
        Some(mentions) => mentions.user_ids.contains(&bot.me),
        None => names(body, &bot.me, &bot.name),
    }
}

fn names(body: &str, me: &UserId, name: &str) -> bool {
    let lower = body.to_lowercase();
    lower.contains(&me.as_str().to_lowercase())
        || (!name.is_empty() && starts_with_word(&lower, &name.to_lowercase()))
        || lower
            .split_whitespace()
            .any(|word| word.trim_matches(|c: char| !c.is_alphanumeric()) == name.to_lowercase())
}

/// Whether `text` starts with `word` as a whole word.
fn starts_with_word(text: &str, word: &str) -> bool {
    text.strip_prefix(word)
        .is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric()))
}

/// The question without the bot's name or id and the `:` or `,` after it.
fn without_mention(body: &str, me: &UserId, name: &str) -> String {
    let mut words: Vec<&str> = body.split_whitespace().collect();
    let is_me = |word: &str| {
        let bare = word.trim_end_matches([':', ',']);
        bare.eq_ignore_ascii_case(me.as_str())
            || (!name.is_empty() && bare.eq_ignore_ascii_case(name))
    };
    // A display name of several words ("Quarry Bot:") at the start.
    let name_words = name.split_whitespace().count();
    if name_words > 1 && words.len() >= name_words {
        let head = words[..name_words].join(" ");
        if head.trim_end_matches([':', ',']).eq_ignore_ascii_case(name) {
            words.drain(..name_words);
        }
    }
    words.retain(|word| !is_me(word));
    words.join(" ")
}

/// A rich reply's body may start with the quoted message (`> ` lines and a
/// blank line), a fallback older clients still send.
fn without_reply_fallback(body: &str) -> &str {
    if !body.starts_with("> ") {
        return body;
    }
    match body.find("\n\n") {
        Some(end) if body[..end].lines().all(|line| line.starts_with('>')) => &body[end + 2..],
        _ => body,
    }
}

/// 👍 or 👎 on an answer is a vote, written to the feedback file.
pub async fn on_reaction(event: OriginalSyncReactionEvent, room: Room, Ctx(bot): Ctx<Arc<Bot>>) {
    if event.sender == bot.me || room.state() != RoomState::Joined {
        return;
    }
    let annotation = &event.content.relates_to;
    let Some(up) = vote(&annotation.key) else {
        return;
    };
    let action = Action::Vote {
        key: key(&annotation.event_id),
        up,
    };
    match bot
        .chat
        .act(action, &user(&event.sender), render::QUOTES_PER_PAGE)
        .await
    {
        Outcome::Voted(text) => tracing::info!(room = %room.room_id(), "vote: {text}"),
        _ => tracing::debug!("a reaction on a reply no longer remembered"),
    }
}

/// 👍 is up and 👎 down, with any skin tone or variation selector.
fn vote(reaction: &str) -> Option<bool> {
    match reaction.chars().next()? {
        '👍' => Some(true),
        '👎' => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me() -> matrix_sdk::ruma::OwnedUserId {
        UserId::parse("@quarry:example.org").expect("a user id")
    }

    #[test]
    fn mentions_by_name_or_id_are_removed_from_the_question() {
        assert_eq!(
            without_mention("Quarry: when was it?", &me(), "Quarry"),
            "when was it?"
        );
        assert_eq!(
            without_mention("@quarry:example.org, when?", &me(), "Quarry"),
            "when?"
        );
        assert_eq!(
            without_mention("Quarry Bot: when?", &me(), "Quarry Bot"),
            "when?"
        );
        assert_eq!(without_mention("Quarry", &me(), "Quarry"), "");
        assert!(names("hey quarry, when?", &me(), "Quarry"));
        assert!(names("ask @quarry:example.org", &me(), "Quarry"));
        assert!(!names("quarrying stone", &me(), "Quarry"));
    }

    #[test]
    fn reply_fallbacks_are_dropped() {
        assert_eq!(
            without_reply_fallback("> <@a:b> earlier\n> more\n\n!quarry more"),
            "!quarry more"
        );
        assert_eq!(
            without_reply_fallback("> a quote\nand text"),
            "> a quote\nand text"
        );
        assert_eq!(without_reply_fallback("plain"), "plain");
    }

    #[test]
    fn thumbs_are_votes_in_any_skin_tone() {
        assert_eq!(vote("👍"), Some(true));
        assert_eq!(vote("👍\u{fe0f}"), Some(true));
        assert_eq!(vote("👎🏽"), Some(false));
        assert_eq!(vote("🎉"), None);
        assert_eq!(vote(""), None);
    }
}
