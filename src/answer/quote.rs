//! Quotes: a sentence sliced from the document, shortened around the words
//! that matched when it is long. Every piece between `…` is a slice.

use crate::corpus::{Document, Span, shorten};
use crate::model::{Citation, Quote};

/// Sentences longer than this (in bytes) are shortened around their matches.
const MAX_QUOTE: usize = 400;
/// The window kept of a long sentence.
const WINDOW: usize = 300;

/// The verbatim text of `sentence`, shortened around `hits` (byte ranges of
/// matched words, relative to the document) when long, and where it is.
pub fn quote(document: &Document, sentence: Span, hits: &[(usize, usize)], score: f32) -> Quote {
    let span = window(document, sentence, hits);
    let mut text = document.slice(span).to_string();
    if span.start > sentence.start {
        text = format!("… {text}");
    }
    if span.end < sentence.end {
        text = format!("{text} …");
    }
    Quote {
        text,
        citation: citation(document, span),
        score,
    }
}

pub fn citation(document: &Document, span: Span) -> Citation {
    let (line_start, line_end) = document.line_map.lines_of(span);
    Citation {
        file: document.path.clone(),
        line_start,
        line_end,
        title: shorten(&document.title, 120),
        url: document.url.clone(),
        published: document.published,
    }
}

/// The part of a long sentence with the most matched words, cut at words.
fn window(document: &Document, sentence: Span, hits: &[(usize, usize)]) -> Span {
    if sentence.len() <= MAX_QUOTE {
        return sentence;
    }
    let text = &document.text;
    let (s, e) = (sentence.start as usize, sentence.end as usize);
    let inside: Vec<usize> = hits
        .iter()
        .filter(|h| h.0 >= s && h.1 <= e)
        .map(|h| h.0)
        .collect();
    // Start at the match that has the most other matches within the window.
    let best_start = inside
        .iter()
        .copied()
        .max_by_key(|&a| inside.iter().filter(|&&b| b >= a && b < a + WINDOW).count())
        .unwrap_or(s);
    // Keep the matches near the front: what answers usually follows them.
    let mut start = best_start.saturating_sub(WINDOW / 5).max(s);
    if start - s < WINDOW / 3 {
        start = s;
    }
    let mut end = (start + WINDOW).min(e);
    if e - end < WINDOW / 3 {
        end = e;
    }
    let start = if start == s {
        s
    } else {
        word_start(text, start)
    };
    let end = if end == e { e } else { word_end(text, end) };
    Span::new(start, end.max(start))
}

fn word_start(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    match text[at..].find(char::is_whitespace) {
        Some(space) => {
            at + space + text[at + space..].len() - text[at + space..].trim_start().len()
        }
        None => at,
    }
}

fn word_end(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    text[..at]
        .rfind(char::is_whitespace)
        .map_or(at, |space| text[..space].trim_end().len())
}
