//! A question becomes an [`Answer`]: passages retrieved by tantivy, their
//! sentences ranked by the question's words (weighed by rarity), the
//! headings above them and the kind of answer wanted; no answer when the
//! best sentence leaves most of the question uncovered.

pub mod question;
pub mod quote;
pub mod span;

use std::collections::{HashMap, HashSet};

use crate::corpus::{BlockKind, BlockStatus, Document, Span, letters_and_digits};
use crate::index::analyzer::{Word, analyze, analyzer};
use crate::index::{CorpusIndex, PassageHit, QueryTerm};
use crate::model::{Answer, Coverage};
use crate::partial_date::PartialDate;
use question::{Question, Wanted};

/// Passages read per question.
const PASSAGES: usize = 24;
/// Quotes returned: three shown, the rest behind "more sources".
pub const MAX_QUOTES: usize = 8;
/// Share of the question's weight the best sentence (with its headings and
/// passage) must cover to count as an answer.
const MIN_COVERAGE: f32 = 0.5;
/// Candidates re-ranked with the (costlier) answer-span check.
const RERANK: usize = 12;

/// A sentence that could answer.
#[derive(Debug, Clone)]
struct Candidate {
    document: usize,
    sentence: Span,
    /// Matched words, as byte ranges of the document text.
    hits: Vec<(usize, usize)>,
    score: f32,
    coverage: f32,
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
    let weights = term_weights(index, &question);
    let total: f32 = weights.values().sum();
    let terms: Vec<QueryTerm> = question
        .stems
        .iter()
        .map(|s| QueryTerm {
            stem: s.clone(),
            weight: weights[s] / total,
        })
        .collect();
    let in_range = |d: &Document| as_of.is_none_or(|limit| d.published.is_some_and(|p| p <= limit));
    let hits: Vec<PassageHit> = index
        .search(&terms, PASSAGES * 2)
        .into_iter()
        .filter(|h| index.document_at(h.document).is_some_and(in_range))
        .take(PASSAGES)
        .collect();
    answer.coverage = coverage(index, &hits);
    let best_hit = hits.first().map_or(1.0, |h| h.score.max(f32::EPSILON));
    let mut analyzer = analyzer();
    let mut candidates: Vec<Candidate> = Vec::new();
    for hit in &hits {
        let Some(document) = index.document_at(hit.document) else {
            continue;
        };
        let boost = 0.15 * total * hit.score / best_hit;
        candidates.extend(rank_passage(
            &mut analyzer,
            &question,
            &weights,
            total,
            document,
            hit,
            boost,
        ));
    }
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
    rerank_by_wanted_span(&question, index, &mut candidates, total);

    let mut seen = HashSet::new();
    let mut quotes = Vec::new();
    for c in candidates {
        let Some(document) = index.document_at(c.document) else {
            continue;
        };
        if !seen.insert(letters_and_digits(document.slice(c.sentence))) {
            continue;
        }
        if quotes.is_empty() {
            answer.answered = c.coverage >= MIN_COVERAGE;
            if answer.answered {
                answer.answer =
                    span::short_answer(&question, document.slice(c.sentence), document.published);
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

/// Each stem's weight: its rarity among passages (BM25's idf). A word the
/// corpus never uses weighs most, so a question about it is not answered.
pub(crate) fn term_weights(index: &CorpusIndex, question: &Question) -> HashMap<String, f32> {
    let n = index.num_passages().max(1) as f32;
    question
        .stems
        .iter()
        .map(|s| {
            let df = index.doc_freq(s) as f32;
            (
                s.clone(),
                (1.0 + (n - df + 0.5) / (df + 0.5)).ln().max(0.05),
            )
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

/// How much a sentence of a code listing counts against one of prose.
const CODE_WEIGHT: f32 = 0.7;

/// Scores every sentence of one passage.
fn rank_passage(
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
    question: &Question,
    weights: &HashMap<String, f32>,
    total: f32,
    document: &Document,
    hit: &PassageHit,
    boost: f32,
) -> Vec<Candidate> {
    let Some(passage) = document.passages.get(hit.passage) else {
        return Vec::new();
    };
    let asked: HashSet<&str> = question.stems.iter().map(String::as_str).collect();
    let mut context: HashSet<String> = HashSet::new();
    let heading_text = passage
        .context
        .iter()
        .map(|&b| document.slice(document.blocks[b as usize].span));
    // A table's first row names its columns: it is context for every row.
    let header = passage
        .blocks
        .iter()
        .map(|&b| &document.blocks[b as usize])
        .find(|b| b.kind == BlockKind::TableRow)
        .map(|b| document.slice(b.span));
    for text in heading_text
        .chain(header)
        .chain(std::iter::once(document.title.as_str()))
    {
        context.extend(
            analyze(analyzer, text)
                .into_iter()
                .map(|w| w.stem)
                .filter(|s| asked.contains(s.as_str())),
        );
    }
    let (sentences, is_code): (Vec<Span>, Vec<bool>) = passage
        .blocks
        .iter()
        .map(|&b| &document.blocks[b as usize])
        .filter(|b| b.status == BlockStatus::Text)
        .flat_map(|b| {
            let code = b.kind == BlockKind::Preformatted;
            b.sentences.iter().map(move |&s| (s, code))
        })
        .unzip();
    let words: Vec<Vec<Word>> = sentences
        .iter()
        .map(|s| {
            let mut words = analyze(analyzer, document.slice(*s));
            words.retain(|w| asked.contains(w.stem.as_str()));
            words
        })
        .collect();
    let in_passage: HashSet<&str> = words.iter().flatten().map(|w| w.stem.as_str()).collect();
    let weight = |stem: &str| weights.get(stem).copied().unwrap_or(0.0);
    sentences
        .iter()
        .zip(&words)
        .enumerate()
        .filter(|(_, (_, w))| !w.is_empty())
        .map(|(i, (&sentence, found))| {
            let own: HashSet<&str> = found.iter().map(|w| w.stem.as_str()).collect();
            // The sentences right before and after often name what this one is about.
            let neighbours: HashSet<&str> = [i.wrapping_sub(1), i + 1]
                .iter()
                .filter_map(|&j| words.get(j))
                .flatten()
                .map(|w| w.stem.as_str())
                .filter(|s| !own.contains(s) && !context.contains(*s))
                .collect();
            let mut score: f32 = own.iter().map(|s| weight(s)).sum();
            score += 0.35
                * context
                    .iter()
                    .filter(|s| !own.contains(s.as_str()))
                    .map(|s| weight(s))
                    .sum::<f32>();
            score += 0.3 * neighbours.iter().map(|s| weight(s)).sum::<f32>();
            score += 0.15
                * in_passage
                    .iter()
                    .filter(|s| {
                        !own.contains(*s) && !context.contains(**s) && !neighbours.contains(*s)
                    })
                    .map(|s| weight(s))
                    .sum::<f32>();
            score += 0.5 * adjacent_pairs(question, found, weights);
            score += boost;
            // Prose says what a thing does; a code listing only shows it.
            if is_code[i] {
                score *= CODE_WEIGHT;
            }
            let covered: f32 = question
                .stems
                .iter()
                .filter(|s| {
                    own.contains(s.as_str())
                        || context.contains(*s)
                        || in_passage.contains(s.as_str())
                })
                .map(|s| weight(s))
                .sum();
            let offset = sentence.start as usize;
            Candidate {
                document: hit.document,
                sentence,
                hits: found
                    .iter()
                    .map(|w| (offset + w.start, offset + w.end))
                    .collect(),
                score,
                coverage: covered / total,
            }
        })
        .collect()
}

/// Weight of question word pairs that stand next to each other in the sentence too.
fn adjacent_pairs(question: &Question, found: &[Word], weights: &HashMap<String, f32>) -> f32 {
    found
        .windows(2)
        .filter(|pair| {
            question
                .stems
                .windows(2)
                .any(|q| q[0] == pair[0].stem && q[1] == pair[1].stem)
        })
        .map(|pair| weights[&pair[0].stem].min(weights[&pair[1].stem]))
        .sum()
}

/// Among the leading candidates, those holding the kind of span the question
/// wants (a date for "when") move up; a date the text names ("November 6")
/// more than one it only points at ("this month").
fn rerank_by_wanted_span(
    question: &Question,
    index: &CorpusIndex,
    candidates: &mut [Candidate],
    total: f32,
) {
    if question.wanted == Wanted::Passage {
        return;
    }
    let n = candidates.len().min(RERANK);
    for c in candidates[..n].iter_mut() {
        let Some(document) = index.document_at(c.document) else {
            continue;
        };
        let sentence = document.slice(c.sentence);
        let strength = match question.wanted {
            Wanted::Date => match span::first_date(sentence, document.published) {
                Some(m) if m.named => 1.0,
                Some(_) => 0.5,
                None => 0.0,
            },
            _ if span::short_answer(question, sentence, document.published).is_some() => 1.0,
            _ => 0.0,
        };
        c.score += 0.3 * strength * total;
    }
    candidates[..n].sort_by(|a, b| b.score.total_cmp(&a.score));
}
