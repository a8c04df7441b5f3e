//! Button clicks: "More sources", 👍/👎 and timeline pages. A button's
//! custom id is an encoded `chat::actions::Action`; the chat layer decides
//! what it comes to and this draws it.

use poise::serenity_prelude as serenity;

use super::{Bot, Error, reply, user};
use crate::chat::actions::{self, Action, Outcome};
use crate::chat::sessions::Session;
use crate::render::{self, discord as draw};

fn ephemeral(text: &str) -> serenity::CreateInteractionResponse {
    serenity::CreateInteractionResponse::Message(
        serenity::CreateInteractionResponseMessage::new()
            .content(render::shorten(text, draw::limits::CONTENT))
            .ephemeral(true)
            .allowed_mentions(reply::no_mentions()),
    )
}

pub async fn handle(
    ctx: &serenity::Context,
    bot: &Bot,
    click: &serenity::ComponentInteraction,
) -> Result<(), Error> {
    let Some(action) = Action::parse(&click.data.custom_id) else {
        return Ok(());
    };
    let outcome = bot
        .chat
        .act(action, &user(click.user.id), render::QUOTES_PER_PAGE)
        .await;
    click
        .create_response(&ctx.http, respond(action.key(), outcome))
        .await?;
    Ok(())
}

fn respond(key: u64, outcome: Outcome) -> serenity::CreateInteractionResponse {
    match outcome {
        Outcome::Expired => ephemeral(actions::EXPIRED),
        Outcome::NotTheAsker => ephemeral(actions::NOT_THE_ASKER),
        Outcome::Voted(text) => ephemeral(text),
        Outcome::More { session, from } => match &*session {
            Session::Answer { answer, .. } => serenity::CreateInteractionResponse::Message(
                serenity::CreateInteractionResponseMessage::new()
                    .embed(reply::embed(draw::answer(answer, from)))
                    .components(reply::answer_buttons(key, answer, from))
                    .ephemeral(true)
                    .allowed_mentions(reply::no_mentions()),
            ),
            Session::Timeline { .. } => ephemeral(actions::EXPIRED),
        },
        Outcome::Page { session, page } => match &*session {
            Session::Timeline {
                title,
                summary,
                full,
                ..
            } => {
                let pages = render::timeline_pages(full);
                let page = page.min(pages);
                serenity::CreateInteractionResponse::UpdateMessage(
                    serenity::CreateInteractionResponseMessage::new()
                        .embed(reply::embed(draw::timeline_page(
                            title, summary, full, page,
                        )))
                        .components(reply::timeline_buttons(key, page, pages))
                        .allowed_mentions(reply::no_mentions()),
                )
            }
            Session::Answer { .. } => ephemeral(actions::EXPIRED),
        },
    }
}
