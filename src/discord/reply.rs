//! Turns rendered embed parts and button state into serenity builders.

use poise::serenity_prelude as serenity;

use crate::chat::actions::Action;
use crate::model::Answer;
use crate::render::discord::{EmbedParts, limits};
use crate::render::{self, shorten};

/// Quarry's accent colour on every embed.
const COLOUR: u32 = 0x4F6D7A;

pub fn embed(parts: EmbedParts) -> serenity::CreateEmbed {
    let mut embed = serenity::CreateEmbed::new()
        .title(parts.title)
        .description(parts.description)
        .colour(COLOUR);
    if let Some(footer) = parts.footer {
        embed = embed.footer(serenity::CreateEmbedFooter::new(footer));
    }
    if let Some(url) = parts.url {
        embed = embed.url(url);
    }
    embed
}

fn button(id: Action, label: &str) -> serenity::CreateButton {
    serenity::CreateButton::new(id.encode())
        .label(shorten(label, limits::BUTTON_LABEL))
        .style(serenity::ButtonStyle::Secondary)
}

/// "More sources" (when quotes remain after the page at `from`) and, on the
/// first page, 👍/👎.
pub fn answer_buttons(key: u64, answer: &Answer, from: usize) -> Vec<serenity::CreateActionRow> {
    let mut buttons = Vec::new();
    if render::has_more_quotes(answer, from) {
        let next = from + render::QUOTES_PER_PAGE;
        buttons.push(button(Action::More { key, from: next }, "More sources"));
    }
    if from == 0 && answer.answered {
        buttons.push(button(Action::Vote { key, up: true }, "👍"));
        buttons.push(button(Action::Vote { key, up: false }, "👎"));
    }
    if buttons.is_empty() {
        Vec::new()
    } else {
        vec![serenity::CreateActionRow::Buttons(buttons)]
    }
}

/// ◀ ▶ for timeline page `page` of `0..=pages` (0 is the summary).
pub fn timeline_buttons(key: u64, page: usize, pages: usize) -> Vec<serenity::CreateActionRow> {
    if pages == 0 {
        return Vec::new();
    }
    let back = button(
        Action::Page {
            key,
            page: page.saturating_sub(1),
        },
        "◀",
    )
    .disabled(page == 0);
    let next = button(
        Action::Page {
            key,
            page: (page + 1).min(pages),
        },
        "▶",
    )
    .disabled(page >= pages);
    vec![serenity::CreateActionRow::Buttons(vec![back, next])]
}

/// No mentions at all, not even of the person replied to.
pub fn no_mentions() -> serenity::CreateAllowedMentions {
    serenity::CreateAllowedMentions::new().replied_user(false)
}
