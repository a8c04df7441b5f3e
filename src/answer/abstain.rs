//! Whether the corpus answers at all. Decided from two measured features of
//! the best candidate, with thresholds chosen on the development sets of
//! three corpora at once (articles, an HTML manual, a Markdown book) and
//! checked leave-one-corpus-out (`scripts/calibrate.py`, README).

use serde::Serialize;

/// Share of the question's weight in words the corpus never uses at or
/// above which it is about something the corpus does not hold
/// ("the population of Mongolia", "Django's ORM").
pub const MAX_UNKNOWN: f32 = 0.45;
/// Share of the question's weight the best sentence must cover with its
/// passage, headings and neighbours.
pub const MIN_COVERAGE: f32 = 0.25;

/// What the decision reads.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Evidence {
    pub unknown: f32,
    pub coverage: f32,
}

impl Evidence {
    pub fn answers(&self) -> bool {
        self.unknown < MAX_UNKNOWN && self.coverage >= MIN_COVERAGE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_words_or_thin_coverage_abstain() {
        let answered = |unknown, coverage| Evidence { unknown, coverage }.answers();
        assert!(answered(0.0, 0.6));
        assert!(answered(0.3, 0.3), "a paraphrase leaves some words unknown");
        assert!(
            !answered(0.5, 0.9),
            "mostly about words the corpus never uses"
        );
        assert!(!answered(0.0, 0.1), "the best sentence covers too little");
    }
}
