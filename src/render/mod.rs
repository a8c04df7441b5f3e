//! Reply models drawn for each surface: pure functions, no I/O.

pub mod discord;
pub mod matrix;
pub mod text;

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
