//! Reply models drawn for each surface: pure functions, no I/O.

pub mod discord;
pub mod matrix;
pub mod text;

use crate::model::{Answer, Event, Quote, Timeline};

/// Quotes per answer page, on every chat platform.
pub const QUOTES_PER_PAGE: usize = 3;
/// Events per page of the full chronology.
pub const EVENTS_PER_PAGE: usize = 10;

/// The quotes of the answer page that starts at quote `from`.
pub fn page_quotes(answer: &Answer, from: usize) -> impl Iterator<Item = &Quote> {
    answer.quotes.iter().skip(from).take(QUOTES_PER_PAGE)
}

/// Whether quotes remain after the page that starts at `from`.
pub fn has_more_quotes(answer: &Answer, from: usize) -> bool {
    answer.answered && answer.quotes.len() > from + QUOTES_PER_PAGE
}

/// Pages of the full chronology (the summary page before them not counted).
pub fn timeline_pages(full: &Timeline) -> usize {
    full.events.len().div_ceil(EVENTS_PER_PAGE)
}

/// The events of page `page` (from 1; 0 reads as 1) of the full
/// chronology; none past its end.
pub fn chronology_page(full: &Timeline, page: usize) -> &[Event] {
    let start = page.saturating_sub(1) * EVENTS_PER_PAGE;
    let end = (start + EVENTS_PER_PAGE).min(full.events.len());
    &full.events[start.min(end)..end]
}

/// The heading of a timeline reply: "Timeline", or "Timeline: TOPIC".
pub fn timeline_title(topic: Option<&str>) -> String {
    match topic {
        Some(topic) => format!("Timeline: {topic}"),
        None => "Timeline".to_string(),
    }
}

/// Cuts `text` to at most `max` characters, ending in `…` when cut.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
