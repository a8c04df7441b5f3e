//! The one text analysis used to index and to query: words, lowercased,
//! folded to ASCII, stemmed (English).

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, TokenStream,
};

/// The analyzer's name in the index's tokenizer manager.
pub const ANALYZER: &str = "quarry_en";

pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
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
}
