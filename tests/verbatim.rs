//! Property: whatever is asked, every quote is verbatim at its cited lines.

use std::path::Path;

use proptest::prelude::*;
use quarry::engine::{AskOptions, Engine};

const WORDS: &[&str] = &[
    "when",
    "who",
    "how",
    "many",
    "what",
    "Trump",
    "Tokayev",
    "summit",
    "C5+1",
    "tariffs",
    "uranium",
    "Kazakhstan",
    "Uzbekistan",
    "China",
    "Russia",
    "2025",
    "Washington",
    "Biden",
    "«dinner»",
    "“great",
    "route",
    "AND",
    "(",
    "\"",
    "🙂",
    "Комментарии",
    "Print",
    "Email",
    "Home",
    "billion",
    "%",
    "the",
    "of",
    "?",
];

fn corpus() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"))
}

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    #[test]
    fn quotes_are_verbatim_at_their_lines(words in proptest::collection::vec(proptest::sample::select(WORDS), 0..12)) {
        static ENGINE: std::sync::OnceLock<(Engine, tempfile::TempDir)> = std::sync::OnceLock::new();
        let (engine, _) = ENGINE.get_or_init(|| {
            let index = tempfile::tempdir().expect("tempdir");
            (Engine::open(corpus(), index.path()).expect("index"), index)
        });
        let answer = engine.ask(&words.join(" "), &AskOptions::default());
        for quote in &answer.quotes {
            let file = std::fs::read_to_string(corpus().join(&quote.citation.file)).expect("cited file");
            let lines: Vec<&str> = file.split('\n').collect();
            let (a, b) = (quote.citation.line_start as usize, quote.citation.line_end as usize);
            prop_assert!(1 <= a && a <= b && b <= lines.len());
            let cited = squeeze(&lines[a - 1..b].join("\n"));
            let mut at = 0;
            for piece in quote.text.split('…').map(squeeze).filter(|p| !p.is_empty()) {
                let found = cited[at..].find(&piece);
                prop_assert!(found.is_some(), "{piece:?} not at {}:{a}-{b}", quote.citation.file);
                at += found.unwrap_or(0) + piece.len();
            }
        }
    }
}
