//! The one text analysis used to index and to query: words, lowercased,
//! folded to ASCII, stemmed (English).

use std::ops::Range;
use std::sync::{LazyLock, Mutex, PoisonError};

use regex::Regex;
use rustc_hash::FxHashMap;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, TokenStream, Tokenizer, WhitespaceTokenizer,
};

/// The analyzer's name in the index's tokenizer manager.
pub const ANALYZER: &str = "quarry_en";
/// The analyzer of whole identifiers, already cut by [`identifiers`].
pub const IDENTIFIER_ANALYZER: &str = "quarry_identifier";

pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Reads the space-separated output of [`identifiers`].
pub fn identifier_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WhitespaceTokenizer::default())
        .filter(RemoveLongFilter::limit(80))
        .build()
}

/// The identifiers in `text`, whole and lowercased: words joined by `_`,
/// `.`, `::` or `-` (`json.loads`, `max_workers`, `Cargo.toml`,
/// `default-features`) and options (`--release`). Their parts are words
/// of their own to [`analyzer`]; this keeps them together too.
pub fn identifiers(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for raw in text.split(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '.' | ':' | '-'))) {
        let option = raw.starts_with("--") && raw.len() > 2;
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '_');
        let joined = word.contains(['_', '.', ':', '-']) || option;
        let named = word.chars().any(char::is_alphabetic) || is_version(word);
        if !joined || !named || word.contains("..") {
            continue;
        }
        let mut id = word.to_lowercase();
        if option {
            id.insert_str(0, "--");
        }
        if !found.contains(&id) {
            found.push(id);
        }
    }
    found
}

/// A version number: "3.11.2", "15.2". Its parts alone ("3", "11") are
/// in every release's heading.
static VERSION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\d+(?:\.\d+)+\b").expect("valid regex"));

/// Where `text` names version numbers.
pub fn versions(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    VERSION.find_iter(text).map(|m| m.range())
}

/// Whether `word` is a version number and nothing else.
pub fn is_version(word: &str) -> bool {
    versions(word).next() == Some(0..word.len())
}

/// One analyzed word: its stem and its byte range in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub stem: String,
    pub start: usize,
    pub end: usize,
}

/// The analyzed words of `text`, in order.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Word> {
    let mut stream = analyzer.token_stream(text);
    let mut words = Vec::new();
    while stream.advance() {
        let token = stream.token();
        words.push(Word {
            stem: token.text.clone(),
            start: token.offset_from,
            end: token.offset_to,
        });
    }
    words
}

/// [`analyze`] for many texts that share their words, as the sentences
/// ranked for every question do: each distinct word is stemmed once per
/// process. The filters of [`analyzer`] work one word at a time, so a word
/// analyzed alone gives what it gives inside its text.
pub struct MemoAnalyzer {
    tokenizer: SimpleTokenizer,
    analyzer: TextAnalyzer,
}

/// Each word as written, with its stem (`None` when too long to index),
/// shared by every [`MemoAnalyzer`].
static STEMS: LazyLock<Mutex<FxHashMap<String, Option<String>>>> = LazyLock::new(Mutex::default);

/// Words [`STEMS`] holds at most; it starts over when full.
const MEMO_LIMIT: usize = 200_000;

impl MemoAnalyzer {
    pub fn new() -> Self {
        MemoAnalyzer {
            tokenizer: SimpleTokenizer::default(),
            analyzer: analyzer(),
        }
    }

    /// The analyzed words of `text`, in order, as [`analyze`] gives them.
    pub fn analyze(&mut self, text: &str) -> Vec<Word> {
        // The table only ever holds correct stems, so a panic elsewhere
        // while it was locked leaves nothing wrong in it.
        let mut stems = STEMS.lock().unwrap_or_else(PoisonError::into_inner);
        if stems.len() > MEMO_LIMIT {
            stems.clear();
        }
        let mut stream = self.tokenizer.token_stream(text);
        let mut words = Vec::new();
        while stream.advance() {
            let token = stream.token();
            let (start, end) = (token.offset_from, token.offset_to);
            let written = &text[start..end];
            let stem = match stems.get(written) {
                Some(stem) => stem.clone(),
                None => {
                    let stem = analyze(&mut self.analyzer, written).pop().map(|w| w.stem);
                    stems.insert(written.to_string(), stem.clone());
                    stem
                }
            };
            if let Some(stem) = stem {
                words.push(Word { stem, start, end });
            }
        }
        words
    }
}

impl Default for MemoAnalyzer {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_fold_and_keep_offsets() {
        let words = analyze(&mut analyzer(), "Tariffs on Kazakh goods, café");
        let stems: Vec<&str> = words.iter().map(|w| w.stem.as_str()).collect();
        assert_eq!(stems, vec!["tariff", "on", "kazakh", "good", "cafe"]);
        assert_eq!((words[4].start, words[4].end), (25, 30));
    }

    #[test]
    fn the_memo_analyzes_as_the_analyzer_does() {
        let text = "Tariffs on Kazakh goods, café; tariffs again, \
                    and a word far too long to index: {long}; Straße İstanbul 3.11.2 x_y"
            .replace("{long}", &"a".repeat(60));
        let mut memo = MemoAnalyzer::new();
        for _ in 0..2 {
            assert_eq!(memo.analyze(&text), analyze(&mut analyzer(), &text));
        }
    }

    #[test]
    fn identifiers_whole_and_by_parts() {
        let text = "Call json.loads() with max_workers; see Cargo.toml, Rc<T>, `--release` and 1.2.3 or ... 2024-05-01";
        assert_eq!(
            identifiers(text),
            vec![
                "json.loads",
                "max_workers",
                "cargo.toml",
                "--release",
                "1.2.3"
            ]
        );
        let stems: Vec<String> = analyze(&mut analyzer(), "json.loads max_workers Rc<T>")
            .into_iter()
            .map(|w| w.stem)
            .collect();
        assert_eq!(stems, vec!["json", "load", "max", "worker", "rc", "t"]);
        assert!(identifiers("A sentence. Another one: plain words.").is_empty());
    }
}
