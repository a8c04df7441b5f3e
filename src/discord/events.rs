//! Gateway events besides slash commands: button clicks, messages that
//! mention the bot, and the connection state for the health check.

use poise::serenity_prelude as serenity;

use super::{Bot, Error, components, guard, reply, user};
use crate::chat::Platform;
use crate::chat::sessions::Session;
use crate::render::discord as draw;

pub async fn handle(
    framework: poise::FrameworkContext<'_, Bot, Error>,
    event: &serenity::FullEvent,
) -> Result<(), Error> {
    let ctx = framework.serenity_context;
    let bot = framework.user_data;
    match event {
        serenity::FullEvent::Ready { .. } | serenity::FullEvent::Resume { .. } => {
            bot.chat.status.set_connected(Platform::Discord, true);
        }
        serenity::FullEvent::ShardStageUpdate { event } => {
            let connected = event.new == serenity::ConnectionStage::Connected;
            bot.chat.status.set_connected(Platform::Discord, connected);
            if !connected {
                tracing::warn!(stage = ?event.new, "gateway connection lost; serenity reconnects");
            }
        }
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Component(click),
        } => components::handle(ctx, bot, click).await?,
        serenity::FullEvent::Message { new_message } => {
            answer_mention(ctx, bot, new_message).await?;
        }
        _ => {}
    }
    Ok(())
}

/// `@Quarry when was the summit?` is answered like `/ask`, as a reply.
async fn answer_mention(
    ctx: &serenity::Context,
    bot: &Bot,
    message: &serenity::Message,
) -> Result<(), Error> {
    let me = ctx.cache.current_user().id;
    if message.author.bot || !message.mentions.iter().any(|u| u.id == me) {
        return Ok(());
    }
    let channel = message.channel_id;
    if !guard::mention_answered(&bot.settings, channel) {
        return Ok(());
    }
    let reply_with = |builder: serenity::CreateMessage| {
        builder
            .reference_message(message)
            .allowed_mentions(reply::no_mentions())
    };
    if let Err(refusal) = bot.chat.check_question(&user(message.author.id)) {
        let text = reply_with(serenity::CreateMessage::new().content(refusal.to_string()));
        channel.send_message(&ctx.http, text).await?;
        return Ok(());
    }
    let question = strip_mentions(&message.content, me);
    if question.is_empty() {
        let text = serenity::CreateMessage::new()
            .content("Ask me a question after the mention, or use `/ask`.");
        channel.send_message(&ctx.http, reply_with(text)).await?;
        return Ok(());
    }
    let answer = bot
        .chat
        .ask(&user(message.author.id), question, None)
        .await?;
    let key = message.id.get();
    let builder = serenity::CreateMessage::new()
        .embed(reply::embed(draw::answer(&answer, 0)))
        .components(reply::answer_buttons(key, &answer, 0));
    bot.chat.remember(
        key,
        Session::Answer {
            asker: user(message.author.id),
            answer,
        },
    );
    channel.send_message(&ctx.http, reply_with(builder)).await?;
    Ok(())
}

/// The message without the bot's own mention (`<@id>` or `<@!id>`).
fn strip_mentions(content: &str, me: serenity::UserId) -> String {
    content
        .replace(&format!("<@{me}>"), " ")
        .replace(&format!("<@!{me}>"), " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bot_mention_is_removed_but_others_stay() {
        let me = serenity::UserId::new(42);
        assert_eq!(
            strip_mentions("<@42> when was the summit? <@7>", me),
            "when was the summit? <@7>"
        );
        assert_eq!(strip_mentions("<@!42>", me), "");
    }
}
