//! Cleaning: which blocks are running text, which are labels (headings,
//! bylines), page chrome, or repeats of earlier blocks. Detected from the
//! shape of the text, never from a list of known phrases.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::formats::RawBlock;
use super::{Block, BlockKind, BlockStatus, letters_and_digits};
use crate::dates::field_line::field_line;

/// A few words and a count in brackets: "Comments (0)", "Комментарии (3)".
static COUNTER_WIDGET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\p{L}][\p{L}\s]{0,40}\(\d+\)$").expect("valid regex"));

/// Separators of a breadcrumb trail: "Home / Opinion / Analysis".
const CRUMB_SEPARATORS: &[&str] = &[" / ", " > ", " » ", " › ", " | ", " → "];

/// Longest definition-list term that is a name rather than a sentence.
const MAX_TERM_WORDS: usize = 24;

/// Share of a block's text inside links above which it is navigation.
const NAVIGATION_LINK_SHARE: f32 = 0.6;

/// Classifies each block; `text` is the document text the spans point into.
pub fn classify_blocks(text: &str, raw: Vec<RawBlock>) -> Vec<Block> {
    let mut seen = HashSet::new();
    raw.into_iter()
        .map(|b| {
            let slice = &text[b.span.range()];
            let mut status = status_of(slice, &b);
            // Headings and terms repeat ("Example", "Parameters") and still name what follows.
            if status == BlockStatus::Text && !seen.insert(letters_and_digits(slice)) {
                status = BlockStatus::Duplicate;
            }
            Block {
                span: b.span,
                kind: b.kind,
                status,
                sentences: Vec::new(),
                depth: b.depth,
            }
        })
        .collect()
}

fn status_of(slice: &str, block: &RawBlock) -> BlockStatus {
    let words = slice.split_whitespace().count();
    if is_chrome(slice, words) || (block.link_share > NAVIGATION_LINK_SHARE && words <= 30) {
        return BlockStatus::Boilerplate;
    }
    match block.kind {
        BlockKind::Heading(_) => BlockStatus::Label,
        // A term names what follows; one that runs on is a sentence.
        BlockKind::Term if words <= MAX_TERM_WORDS => BlockStatus::Label,
        // "Release date: 2023-02-07" is short and unfinished, yet a fact to quote.
        BlockKind::Paragraph if is_label(slice, words) && field_line(slice).is_none() => {
            BlockStatus::Label
        }
        _ => BlockStatus::Text,
    }
}

/// Page chrome by shape: a counter widget or a breadcrumb trail.
pub fn is_chrome(slice: &str, words: usize) -> bool {
    if COUNTER_WIDGET.is_match(slice.trim()) {
        return true;
    }
    let crumbs = CRUMB_SEPARATORS
        .iter()
        .find(|sep| slice.matches(**sep).count() >= 2);
    crumbs.is_some_and(|sep| {
        words <= 30
            && slice
                .split(*sep)
                .all(|part| part.split_whitespace().count() <= 12)
    })
}

/// A short line that is not a sentence: a heading, a byline, a widget label.
/// It tells what follows but is not quoted on its own.
pub fn is_label(slice: &str, words: usize) -> bool {
    let finished = slice
        .trim_end()
        .ends_with(['.', '!', '?', ':', ';', '…', '"', '”', '»', ')']);
    !finished && words < 20
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Span;

    fn classify(lines: &[&str]) -> Vec<BlockStatus> {
        let text = lines.join("\n");
        let mut at = 0;
        let raw = lines
            .iter()
            .map(|l| {
                let b = RawBlock::new(Span::new(at, at + l.len()), BlockKind::Paragraph);
                at += l.len() + 1;
                b
            })
            .collect();
        classify_blocks(&text, raw)
            .into_iter()
            .map(|b| b.status)
            .collect()
    }

    #[test]
    fn chrome_labels_and_repeats() {
        use BlockStatus::*;
        let got = classify(&[
            "Home / OPINION / Analysis / The United States Must Deepen Engagement",
            "Print Friendly, PDF & Email",
            "Michael Rossi",
            "Central Asia will become a key node in a rapidly developing Eurasian network.",
            "An Ideological Shift",
            "Central Asia will become a key node in a rapidly developing Eurasian network.",
            "Комментарии (0)",
            "Comments (12)",
            "Key objectives of this strategic pivot include:",
        ]);
        assert_eq!(
            got,
            vec![
                Boilerplate,
                Label,
                Label,
                Text,
                Label,
                Duplicate,
                Boilerplate,
                Boilerplate,
                Text
            ]
        );
    }

    #[test]
    fn sentences_with_slashes_are_not_breadcrumbs() {
        assert!(!is_chrome(
            "Input/output and read/write costs rose sharply in the long run, the report said.",
            14
        ));
        assert!(is_chrome("Docs › Guides › Install", 5));
    }

    #[test]
    fn link_lists_are_navigation() {
        let text = "Prev Up Next";
        let raw = vec![RawBlock {
            link_share: 0.9,
            ..RawBlock::new(Span::new(0, text.len()), BlockKind::Paragraph)
        }];
        assert_eq!(
            classify_blocks(text, raw)[0].status,
            BlockStatus::Boilerplate
        );
    }
}
