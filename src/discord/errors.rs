//! What the user sees when a command fails: a short ephemeral message. The
//! detail goes to the log.

use poise::CreateReply;

use super::{Bot, Error, reply};
use crate::chat::policy::Refusal;

const SORRY: &str = "Sorry, something went wrong while answering. The bot's log has the details.";

pub async fn on_error(error: poise::FrameworkError<'_, Bot, Error>) {
    let (ctx, text) = match error {
        poise::FrameworkError::Command { error, ctx, .. }
        | poise::FrameworkError::CommandCheckFailed {
            error: Some(error),
            ctx,
            ..
        } => match error.downcast_ref::<Refusal>() {
            Some(refusal) => (ctx, refusal.to_string()),
            None => {
                tracing::error!(command = %ctx.command().name, "{error}");
                (ctx, SORRY.to_string())
            }
        },
        poise::FrameworkError::ArgumentParse { error, ctx, .. } => {
            (ctx, format!("That input is not valid: {error}."))
        }
        other => {
            if let Err(err) = poise::builtins::on_error(other).await {
                tracing::error!("while reporting an error: {err}");
            }
            return;
        }
    };
    let message = CreateReply::default()
        .content(text)
        .ephemeral(true)
        .allowed_mentions(reply::no_mentions());
    if let Err(err) = ctx.send(message).await {
        tracing::error!("could not tell the user about an error: {err}");
    }
}
