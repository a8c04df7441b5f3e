//! Button clicks: "More sources", 👍/👎 and timeline pages. A button's
//! custom id names the reply it belongs to; the reply's state is in
//! `Sessions`.

use poise::serenity_prelude as serenity;

use super::feedback::{FeedbackEntry, ShownQuote, Vote};
use super::sessions::Session;
use super::{Bot, Error, reply};
use crate::render::discord as draw;

/// What a button does, encoded in its custom id (at most 100 characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Button {
    /// The quotes of answer `key` from `from` on.
    More {
        key: u64,
        from: usize,
    },
    Vote {
        key: u64,
        up: bool,
    },
    /// Page `page` of timeline `key`.
    Page {
        key: u64,
        page: usize,
    },
}

impl Button {
    pub fn custom_id(self) -> String {
        match self {
            Button::More { key, from } => format!("quarry:more:{key}:{from}"),
            Button::Vote { key, up } => {
                format!("quarry:vote:{key}:{}", if up { "up" } else { "down" })
            }
            Button::Page { key, page } => format!("quarry:page:{key}:{page}"),
        }
    }

    pub fn parse(id: &str) -> Option<Button> {
        let mut parts = id.strip_prefix("quarry:")?.split(':');
        let (kind, key, arg) = (parts.next()?, parts.next()?, parts.next()?);
        let key = key.parse().ok()?;
        match kind {
            "more" => Some(Button::More {
                key,
                from: arg.parse().ok()?,
            }),
            "vote" => Some(Button::Vote {
                key,
                up: match arg {
                    "up" => true,
                    "down" => false,
                    _ => return None,
                },
            }),
            "page" => Some(Button::Page {
                key,
                page: arg.parse().ok()?,
            }),
            _ => None,
        }
    }
}

fn ephemeral(text: &str) -> serenity::CreateInteractionResponse {
    serenity::CreateInteractionResponse::Message(
        serenity::CreateInteractionResponseMessage::new()
            .content(draw::shorten(text, draw::limits::CONTENT))
            .ephemeral(true)
            .allowed_mentions(reply::no_mentions()),
    )
}

const EXPIRED: &str = "This reply is too old for its buttons now. Ask again to get fresh ones.";

pub async fn handle(
    ctx: &serenity::Context,
    bot: &Bot,
    click: &serenity::ComponentInteraction,
) -> Result<(), Error> {
    let Some(button) = Button::parse(&click.data.custom_id) else {
        return Ok(());
    };
    let response = respond(bot, click, button).await;
    click.create_response(&ctx.http, response).await?;
    Ok(())
}

async fn respond(
    bot: &Bot,
    click: &serenity::ComponentInteraction,
    button: Button,
) -> serenity::CreateInteractionResponse {
    let key = match button {
        Button::More { key, .. } | Button::Vote { key, .. } | Button::Page { key, .. } => key,
    };
    let Some(session) = bot.sessions.get(key) else {
        return ephemeral(EXPIRED);
    };
    let clicker = click.user.id;
    match (button, &*session) {
        (Button::Vote { up, .. }, Session::Answer { answer, .. }) => {
            let vote = if up { Vote::Up } else { Vote::Down };
            let entry = FeedbackEntry {
                time: chrono::Utc::now().to_rfc3339(),
                user_id: clicker.to_string(),
                vote,
                question: &answer.question,
                quotes: answer
                    .quotes
                    .iter()
                    .take(draw::QUOTES_PER_PAGE)
                    .map(ShownQuote::from)
                    .collect(),
            };
            match bot.feedback.append(&entry).await {
                Ok(()) => ephemeral("Thanks, your feedback is noted."),
                Err(err) => {
                    tracing::error!("writing feedback: {err}");
                    ephemeral("Sorry, I could not save your feedback this time.")
                }
            }
        }
        (_, session) if session.asker() != clicker => ephemeral(
            "Only the person who asked can use these buttons. Ask your own to page through it.",
        ),
        (Button::More { from, .. }, Session::Answer { answer, .. }) => {
            serenity::CreateInteractionResponse::Message(
                serenity::CreateInteractionResponseMessage::new()
                    .embed(reply::embed(draw::answer(answer, from)))
                    .components(reply::answer_buttons(key, answer, from))
                    .ephemeral(true)
                    .allowed_mentions(reply::no_mentions()),
            )
        }
        (
            Button::Page { page, .. },
            Session::Timeline {
                title,
                summary,
                full,
                ..
            },
        ) => {
            let pages = draw::timeline_pages(full);
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
        _ => ephemeral(EXPIRED),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_ids_round_trip_and_fit() {
        for button in [
            Button::More {
                key: u64::MAX,
                from: 3,
            },
            Button::Vote { key: 1, up: false },
            Button::Page { key: 99, page: 12 },
        ] {
            let id = button.custom_id();
            assert!(id.len() <= 100);
            assert_eq!(Button::parse(&id), Some(button));
        }
        for junk in [
            "",
            "quarry:",
            "quarry:more:x:1",
            "other:more:1:1",
            "quarry:vote:1:maybe",
        ] {
            assert_eq!(Button::parse(junk), None, "{junk}");
        }
    }
}
