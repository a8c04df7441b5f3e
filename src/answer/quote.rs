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

/// The part of a long sentence with the most matched words, cut at words
/// (or, inside a word longer than the window, at chars). The cuts are
/// looked for in the sentence only, so the window never leaves it.
fn window(document: &Document, sentence: Span, hits: &[(usize, usize)]) -> Span {
    if sentence.len() <= MAX_QUOTE {
        return sentence;
    }
    let text = document.slice(sentence);
    let (s, e) = (sentence.start as usize, sentence.end as usize);
    let inside: Vec<usize> = hits
        .iter()
        .filter(|h| h.0 >= s && h.1 <= e)
        .map(|h| h.0 - s)
        .collect();
    // Start at the match that has the most other matches within the window.
    let best_start = inside
        .iter()
        .copied()
        .max_by_key(|&a| inside.iter().filter(|&&b| b >= a && b < a + WINDOW).count())
        .unwrap_or(0);
    // Keep the matches near the front: what answers usually follows them.
    let mut start = best_start.saturating_sub(WINDOW / 5);
    if start < WINDOW / 3 {
        start = 0;
    }
    let mut end = (start + WINDOW).min(text.len());
    if text.len() - end < WINDOW / 3 {
        end = text.len();
    }
    let (start, end) = (char_start(text, start), char_end(text, end));
    let at_words = (
        if start == 0 {
            0
        } else {
            word_start(text, start)
        },
        if end == text.len() {
            end
        } else {
            word_end(text, end)
        },
    );
    let (start, end) = if at_words.0 < at_words.1 {
        at_words
    } else {
        (start, end)
    };
    Span::new(s + start, s + end)
}

/// `at`, or the first char boundary after it.
fn char_start(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// `at`, or the last char boundary before it.
fn char_end(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The start of the first word at or after `at` (a char boundary).
fn word_start(text: &str, at: usize) -> usize {
    match text[at..].find(char::is_whitespace) {
        Some(space) => text.len() - text[at + space..].trim_start().len(),
        None => text.len(),
    }
}

/// The end of the last word before `at` (a char boundary).
fn word_end(text: &str, at: usize) -> usize {
    text[..at]
        .rfind(char::is_whitespace)
        .map_or(0, |space| text[..space].trim_end().len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::meta::SourcesToml;
    use crate::corpus::parse_document;

    /// A long sentence is cut inside itself: at words where it has some,
    /// else at chars; never past its ends, never to nothing.
    #[test]
    fn long_sentences_are_cut_inside_themselves() {
        let word = "İ".repeat(300);
        for sentence in [
            format!("{word}{word}"),
            format!("Start {word}{word} end."),
            format!("{} and then {word}", "word ".repeat(120)),
            format!("{}.", "ẞ, ".repeat(200)),
        ] {
            let text = format!("{sentence}\n\nThe next sentence is elsewhere.\n");
            let document =
                parse_document("a.txt", text.as_bytes(), &SourcesToml::default()).expect("read");
            let sentence_span = Span::new(0, sentence.len());
            for nth in [0, 150, 290, 400, 599] {
                let Some((at, c)) = sentence.char_indices().nth(nth) else {
                    continue;
                };
                let q = quote(&document, sentence_span, &[(at, at + c.len_utf8())], 1.0);
                let core = q.text.trim_start_matches("… ").trim_end_matches(" …");
                assert!(!core.is_empty(), "{nth}: an empty quote");
                assert!(core.len() < sentence.len(), "{nth}: not shortened");
                assert!(sentence.contains(core), "{nth}: {core:?} left the sentence");
                assert_eq!((q.citation.line_start, q.citation.line_end), (1, 1));
            }
        }
    }
}
