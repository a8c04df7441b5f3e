//! A question becomes an [`Answer`]: passages retrieved by tantivy, their
//! sentences ranked by the question's words (weighed by rarity), the
//! headings above them and the kind of answer wanted; no answer when the
//! best sentence leaves most of the question uncovered.

mod abstain;
pub mod question;
pub mod quote;
mod rank;
pub mod span;

use std::collections::HashSet;

use rustc_hash::FxHashMap;

use serde::Serialize;

use crate::corpus::{Document, letters_and_digits};
use crate::dates::PartialDate;
use crate::index::{CorpusIndex, PassageHit, QueryTerm};
use crate::model::{Answer, Coverage};
use abstain::Evidence;
use question::Question;
pub use rank::Features;
use rank::{Candidate, Ranker};

/// Passages read per question. The answer to a question worded unlike the
/// docs is often well down tantivy's list: 100 finds the answering
/// sentence for 23 of the Python docs' 30 development questions, 40 for 20.
const PASSAGES: usize = 100;
/// The stem of "default", "defaults", "defaulting".
const DEFAULT_STEM: &str = "default";
/// The stem of "version", "versions".
const VERSION_STEM: &str = "version";
/// Quotes returned: three shown, the rest behind "more sources".
pub const MAX_QUOTES: usize = 8;

/// The ranked candidates for one question, and what deciding needs.
struct Ranking {
    question: Question,
    /// Each stem's weight, as [`term_weights`] gives it.
    weights: FxHashMap<String, f32>,
    candidates: Vec<Candidate>,
    hits: Vec<PassageHit>,
    /// Share of the question's weight in words the corpus never uses.
    unknown: f32,
}

impl Ranking {
    fn evidence(&self, best: &Candidate) -> Evidence {
        Evidence {
            unknown: self.unknown,
            coverage: best.features.coverage,
        }
    }
}

fn rank(index: &CorpusIndex, mut question: Question, as_of: Option<PartialDate>) -> Ranking {
    question.add_word_tails(|stem| index.doc_freq(stem));
    let stems = weighed_stems(index, &question);
    let weights: FxHashMap<String, f32> =
        stems.iter().map(|s| (s.stem.clone(), s.weight)).collect();
    // Summed in the question's order: a map's order changes from run to
    // run, and with it the last bit of the sum, which would flip ties.
    let total: f32 = stems
        .iter()
        .map(|s| s.weight)
        .sum::<f32>()
        .max(f32::EPSILON);
    let identifier_weights = identifier_weights(index, &question);
    let mut terms: Vec<QueryTerm> = question
        .stems
        .iter()
        .map(|s| (s, false, weights[s]))
        .chain(identifier_weights.iter().map(|(s, w)| (s, true, *w)))
        .map(|(text, identifier, weight)| QueryTerm {
            text: text.clone(),
            identifier,
            weight: weight / total,
        })
        .collect();
    // "If I leave max_workers unset" is answered by the sentence stating a
    // default, "which release added it" by one naming a version ("New in
    // version 3.10"): that word is searched for too, weighing as much as an
    // average word of the question.
    let shape_word = if question.about_default {
        Some(DEFAULT_STEM)
    } else if question.wanted == question::Wanted::Version {
        Some(VERSION_STEM)
    } else {
        None
    };
    if let Some(word) = shape_word.filter(|w| !weights.contains_key(*w)) {
        terms.push(QueryTerm {
            text: word.to_string(),
            identifier: false,
            weight: 1.0 / question.stems.len() as f32,
        });
    }
    let unknown = stems
        .iter()
        .filter(|s| !s.known)
        .map(|s| s.weight)
        .sum::<f32>()
        / total;
    let in_range = |d: &Document| as_of.is_none_or(|limit| d.published.is_some_and(|p| p <= limit));
    // Passages of documents published after `as_of` are dropped below: fetch enough more.
    let fetch = if as_of.is_some() {
        PASSAGES * 2
    } else {
        PASSAGES
    };
    let hits: Vec<PassageHit> = index
        .search(&terms, fetch)
        .into_iter()
        .filter(|h| index.document_at(h.document).is_some_and(in_range))
        .take(PASSAGES)
        .collect();
    let best_hit = hits.first().map_or(1.0, |h| h.score.max(f32::EPSILON));
    let mut ranker = Ranker::new(&question, &weights, &identifier_weights, total);
    let mut candidates: Vec<Candidate> = hits
        .iter()
        .flat_map(|hit| {
            index
                .document_at(hit.document)
                .map(|document| ranker.rank_passage(document, hit, best_hit))
                .unwrap_or_default()
        })
        .collect();
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
    ranker.add_wanted(index, &mut candidates);
    Ranking {
        question,
        weights,
        candidates,
        hits,
        unknown,
    }
}

/// Answers `text` from `index`, only from documents published by `as_of` when given.
pub fn answer(index: &CorpusIndex, text: &str, as_of: Option<PartialDate>) -> Answer {
    let question = Question::parse(text);
    let mut answer = Answer {
        question: text.to_string(),
        answered: false,
        answer: None,
        quotes: Vec::new(),
        coverage: Coverage::default(),
        note: None,
    };
    if question.stems.is_empty() {
        answer.note = Some("The question has no words to search for.".to_string());
        return answer;
    }
    let ranking = rank(index, question, as_of);
    answer.coverage = coverage(index, &ranking.hits);
    let mut seen = HashSet::new();
    let mut quotes = Vec::new();
    for c in &ranking.candidates {
        let Some(document) = index.document_at(c.document) else {
            continue;
        };
        if !seen.insert(letters_and_digits(document.slice(c.sentence))) {
            continue;
        }
        if quotes.is_empty() {
            answer.answered = ranking.evidence(c).answers();
            if answer.answered {
                answer.answer = span::short_answer(
                    &ranking.question,
                    document.slice(c.sentence),
                    document.published,
                );
            }
        }
        quotes.push(quote::quote(document, c.sentence, &c.hits, c.score));
        if quotes.len() == MAX_QUOTES || !answer.answered {
            break;
        }
    }
    answer.quotes = quotes;
    answer
}

/// Why Quarry answers as it does: the question's words and weights, and the
/// leading candidate sentences with their features (`quarry ask --explain`).
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub question: String,
    /// The searched stems with their rarity weights.
    pub stems: Vec<(String, f32)>,
    pub identifiers: Vec<String>,
    /// What the decision to answer read, from the best candidate.
    pub evidence: Option<Evidence>,
    pub answered: bool,
    /// How much each feature counts: a candidate's score is the sum of its
    /// features times these.
    pub weights: Features,
    pub candidates: Vec<ExplainedCandidate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExplainedCandidate {
    pub file: String,
    pub line: u32,
    pub text: String,
    pub score: f32,
    pub features: Features,
}

/// Candidates listed by [`explain`].
const EXPLAINED: usize = 200;

pub fn explain(index: &CorpusIndex, text: &str, as_of: Option<PartialDate>) -> Explanation {
    let ranking = rank(index, Question::parse(text), as_of);
    let evidence = ranking.candidates.first().map(|c| ranking.evidence(c));
    Explanation {
        question: text.to_string(),
        stems: ranking
            .question
            .stems
            .iter()
            .map(|s| (s.clone(), ranking.weights[s]))
            .collect(),
        identifiers: ranking.question.identifiers.clone(),
        evidence,
        answered: evidence.is_some_and(|e| e.answers()),
        weights: rank::WEIGHTS,
        candidates: ranking
            .candidates
            .iter()
            .take(EXPLAINED)
            .filter_map(|c| {
                let document = index.document_at(c.document)?;
                Some(ExplainedCandidate {
                    file: document.path.clone(),
                    line: document.line_map.line_of(c.sentence.start as usize),
                    text: document.slice(c.sentence).to_string(),
                    score: c.score,
                    features: c.features,
                })
            })
            .collect(),
    }
}

/// Each stem's weight: its rarity among passages (BM25's idf). A word the
/// corpus never uses weighs most, so a question about it is not answered.
pub(crate) fn term_weights(index: &CorpusIndex, question: &Question) -> FxHashMap<String, f32> {
    weighed_stems(index, question)
        .into_iter()
        .map(|s| (s.stem, s.weight))
        .collect()
}

/// A question stem with its weight, and whether the corpus uses it at all.
struct WeighedStem {
    stem: String,
    weight: f32,
    known: bool,
}

/// The question's stems weighed, each looked up in the index once.
fn weighed_stems(index: &CorpusIndex, question: &Question) -> Vec<WeighedStem> {
    let n = index.num_passages();
    question
        .stems
        .iter()
        .map(|s| {
            let df = index.doc_freq(s);
            WeighedStem {
                stem: s.clone(),
                weight: rarity(n, df).max(0.05),
                // A word only headings use ("Widget 3.11.2 final") is known too.
                known: df > 0 || index.in_headings(s),
            }
        })
        .collect()
}

/// BM25's idf of a term found in `df` of `n` passages.
fn rarity(n: u64, df: u64) -> f32 {
    let (n, df) = (n.max(1) as f32, df as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Each identifier the corpus holds, weighed by its rarity like a stem.
fn identifier_weights(index: &CorpusIndex, question: &Question) -> Vec<(String, f32)> {
    let n = index.num_passages();
    question
        .identifiers
        .iter()
        .filter_map(|id| {
            let df = index.identifier_freq(id);
            (df > 0).then(|| (id.clone(), rarity(n, df)))
        })
        .collect()
}

fn coverage(index: &CorpusIndex, hits: &[PassageHit]) -> Coverage {
    let matched: HashSet<usize> = hits.iter().map(|h| h.document).collect();
    let dates: Vec<PartialDate> = matched
        .iter()
        .filter_map(|&d| index.document_at(d)?.published)
        .collect();
    Coverage {
        documents_matched: matched.len(),
        earliest: dates.iter().min().copied(),
        latest: dates.iter().max().copied(),
    }
}
