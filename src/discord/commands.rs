//! The slash commands. Each one calls the engine, draws the reply with
//! `render::discord` and sends it; refusals are ephemeral.

use poise::CreateReply;
use poise::serenity_prelude as serenity;

use super::{Bot, Context, Error, guard, reply, user};
use crate::chat::parse_date;
use crate::chat::policy::Refusal;
use crate::chat::sessions::Session;
use crate::engine::{EngineError, TimelineQuery};
use crate::render::{self, discord as draw};

pub fn all() -> Vec<poise::Command<Bot, Error>> {
    vec![
        ask(),
        timeline(),
        search(),
        source(),
        docs(),
        help(),
        reindex(),
    ]
}

/// Ask a question; the answer quotes the documents and cites each quote.
#[poise::command(slash_command)]
async fn ask(
    ctx: Context<'_>,
    #[description = "Your question"]
    #[max_length = 1000]
    question: String,
    #[description = "Only documents published on or before this date (2025, 2025-09 or 2025-09-08)"]
    as_of: Option<String>,
) -> Result<(), Error> {
    let bot = ctx.data();
    let as_of = parse_date(as_of)?;
    let answer = bot
        .chat
        .ask(&user(ctx.author().id), question, as_of)
        .await?;
    let key = ctx.id();
    let embed = reply::embed(draw::answer(&answer, 0));
    let buttons = reply::answer_buttons(key, &answer, 0);
    bot.chat.remember(
        key,
        Session::Answer {
            asker: user(ctx.author().id),
            answer,
        },
    );
    ctx.send(CreateReply::default().embed(embed).components(buttons))
        .await?;
    Ok(())
}

/// Dated events the documents report, oldest first.
#[poise::command(slash_command)]
async fn timeline(
    ctx: Context<'_>,
    #[description = "Only events about this: a word, a name, a phrase"]
    #[max_length = 200]
    topic: Option<String>,
    #[description = "From this date on (2024, 2024-06 or 2024-06-01)"] from: Option<String>,
    #[description = "Up to this date"] to: Option<String>,
) -> Result<(), Error> {
    let bot = ctx.data();
    let query = TimelineQuery {
        topic: topic.clone().filter(|t| !t.trim().is_empty()),
        from: parse_date(from)?,
        to: parse_date(to)?,
        limit: None,
    };
    let (summary, full) = bot.chat.timeline(query, render::EVENTS_PER_PAGE).await?;
    let title = render::timeline_title(topic.as_deref());
    let key = ctx.id();
    let pages = render::timeline_pages(&full);
    let embed = reply::embed(draw::timeline_page(&title, &summary, &full, 0));
    bot.chat.remember(
        key,
        Session::Timeline {
            asker: user(ctx.author().id),
            title,
            summary,
            full,
        },
    );
    ctx.send(
        CreateReply::default()
            .embed(embed)
            .components(reply::timeline_buttons(key, 0, pages)),
    )
    .await?;
    Ok(())
}

/// The passages that match a query, best first.
#[poise::command(slash_command)]
async fn search(
    ctx: Context<'_>,
    #[description = "Words to look for"]
    #[max_length = 500]
    query: String,
) -> Result<(), Error> {
    let bot = ctx.data();
    let shown = query.clone();
    let hits = bot
        .chat
        .with_engine(move |engine| engine.search(&query, 5))
        .await?;
    ctx.send(CreateReply::default().embed(reply::embed(draw::search(&shown, &hits))))
        .await?;
    Ok(())
}

/// Corpus files whose path contains what the user typed so far.
async fn corpus_files(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let partial = partial.to_lowercase();
    let files = ctx
        .data()
        .chat
        .with_engine(|engine| engine.files())
        .await
        .unwrap_or_default();
    let choices = files
        .into_iter()
        .filter(|f| f.to_lowercase().contains(&partial))
        .filter(|f| f.chars().count() <= draw::limits::CHOICE_NAME)
        .take(draw::limits::CHOICES)
        .map(|f| serenity::AutocompleteChoice::new(f.clone(), f))
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// The text around a line of a document.
#[poise::command(slash_command)]
async fn source(
    ctx: Context<'_>,
    #[description = "A file of the corpus"]
    #[autocomplete = "corpus_files"]
    file: String,
    #[description = "Line number (default 1)"]
    #[min = 1]
    line: Option<u32>,
) -> Result<(), Error> {
    let bot = ctx.data();
    let shown = render::shorten(&file, 100).replace('`', "'");
    let passage = bot
        .chat
        .with_engine(move |engine| engine.source(&file, line.unwrap_or(1)))
        .await?;
    let passage = match passage {
        Ok(passage) => passage,
        Err(EngineError::NotInCorpus(_)) => {
            return Err(
                Refusal::BadInput(format!("`{shown}` is not a file of the corpus.")).into(),
            );
        }
        Err(err @ EngineError::LineOutOfRange { .. }) => {
            return Err(Refusal::BadInput(draw::escape(&err.to_string())).into());
        }
        Err(err) => return Err(err.into()),
    };
    ctx.send(CreateReply::default().embed(reply::embed(draw::source(&passage))))
        .await?;
    Ok(())
}

/// Every document in the corpus, with its date.
#[poise::command(slash_command)]
async fn docs(ctx: Context<'_>) -> Result<(), Error> {
    let docs = ctx.data().chat.with_engine(|engine| engine.docs()).await?;
    ctx.send(CreateReply::default().embed(reply::embed(draw::docs(&docs))))
        .await?;
    Ok(())
}

/// What Quarry can do.
#[poise::command(slash_command)]
async fn help(ctx: Context<'_>) -> Result<(), Error> {
    ctx.send(
        CreateReply::default()
            .embed(reply::embed(draw::help()))
            .ephemeral(true),
    )
    .await?;
    Ok(())
}

/// Rebuild the index from the corpus folder (Manage Server or the admin role).
#[poise::command(slash_command)]
async fn reindex(ctx: Context<'_>) -> Result<(), Error> {
    let bot = ctx.data();
    let member = match ctx {
        poise::Context::Application(app) => app.interaction.member.as_deref(),
        poise::Context::Prefix(_) => None,
    };
    if !guard::is_admin(&bot.settings, member) {
        return Err(Refusal::NotAdmin(guard::ADMINS).into());
    }
    // A rebuild can take longer than Discord's 3 s to answer.
    ctx.defer().await?;
    let text = bot.chat.reindex().await?;
    ctx.send(CreateReply::default().content(text)).await?;
    Ok(())
}
