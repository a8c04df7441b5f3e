//! Ranking the sentences of retrieved passages. Each candidate gets a set of
//! [`Features`], every one a share of the question's weight or a 0..1 flag,
//! so that one set of weights holds across corpora of any size.

use rustc_hash::{FxHashMap, FxHashSet};

use serde::Serialize;

use super::question::{Question, Wanted, names_code};
use super::span;
use crate::corpus::{BlockKind, BlockStatus, Document, Span};
use crate::index::analyzer::{MemoAnalyzer, Word};
use crate::index::{CorpusIndex, PassageHit};

/// What one sentence has going for it as the answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Features {
    /// Question weight the sentence itself holds.
    pub own: f32,
    /// Weight held only by its title, headings, definition terms or table header.
    pub context: f32,
    /// Weight its innermost heading or term holds: what the section is about.
    pub subject: f32,
    /// Weight of what both the question and its innermost heading or term
    /// name as code: the question's code names (`any()`, `RecursionError`,
    /// `json.loads`) the label names, and the question's words the label
    /// writes as code (the term `zip(*iterables)` for "if I zip two
    /// lists"). Reference docs explain a name under its own entry.
    pub named_subject: f32,
    /// Weight held only by the sentences right before and after it.
    pub neighbours: f32,
    /// Weight held only by the rest of its passage.
    pub passage: f32,
    /// Weight of question word pairs that stand side by side in it too.
    pub pairs: f32,
    /// Share of what "what is X" or "what does X do" asks about (X's
    /// weight) that the sentence itself names: the answer is about X, not
    /// about the question's other words ("cargo update" of "what does
    /// running cargo update do to our project").
    pub defined: f32,
    /// Its passage's retrieval score against the best passage's.
    pub retrieval: f32,
    /// For the shape of answer asked for, stated under the heading or term
    /// that holds the question: up to 1 as that heading holds it. A
    /// definition ("what is X") is the first sentence under the name it
    /// defines; a version ("which release added X") is the "New in version
    /// 3.10" note under X's section. Not under any heading.
    pub under_subject: f32,
    /// Question weight of the identifiers (`json.loads`) it or its context
    /// names whole, each weighing its rarity like a word: `Cargo.toml`,
    /// named all over a book about Cargo, says little about where the
    /// answer is.
    pub identifiers: f32,
    /// 1 when it holds the kind of answer asked for (a date for "when",
    /// a reason for "why"), 0.5 for a date it only points at.
    pub wanted: f32,
    /// 1 when the question asks what holds if nothing is set and the
    /// sentence states a default.
    pub default: f32,
    /// 1 for a line of a code listing.
    pub code: f32,
    /// 1 when the question asks yes or no and the sentence states a limit
    /// (a negation, "only"): docs answer "Can I overwrite a release?" with
    /// what cannot be done ("The version can never be overwritten").
    pub limit: f32,
    /// 1 for a sentence that opens an example ("For example, …"): it
    /// illustrates a rule stated elsewhere, seldom the answer itself.
    pub example: f32,
    /// 1 for a sentence of release notes when the question does not ask
    /// "when": a changelog mentions everything, but explains little; the
    /// reference text (with its "Changed in version" notes) explains.
    pub release_notes: f32,
    /// Question weight it covers with its passage, headings and neighbours.
    pub coverage: f32,
}

/// How much each feature counts; set once for every corpus (see the README's
/// leave-one-corpus-out table).
pub const WEIGHTS: Features = Features {
    own: 1.0,
    context: 0.35,
    subject: 0.5,
    named_subject: 1.0,
    neighbours: 0.3,
    passage: 0.15,
    pairs: 0.3,
    defined: 0.6,
    retrieval: 0.15,
    under_subject: 0.3,
    identifiers: 0.35,
    wanted: 0.3,
    default: 0.3,
    code: -0.3,
    limit: 0.1,
    example: -0.2,
    release_notes: -0.5,
    coverage: 0.0,
};

impl Features {
    pub fn score(&self) -> f32 {
        let w = WEIGHTS;
        self.own * w.own
            + self.context * w.context
            + self.subject * w.subject
            + self.named_subject * w.named_subject
            + self.neighbours * w.neighbours
            + self.passage * w.passage
            + self.pairs * w.pairs
            + self.defined * w.defined
            + self.retrieval * w.retrieval
            + self.under_subject * w.under_subject
            + self.identifiers * w.identifiers
            + self.wanted * w.wanted
            + self.default * w.default
            + self.code * w.code
            + self.limit * w.limit
            + self.example * w.example
            + self.release_notes * w.release_notes
            + self.coverage * w.coverage
    }
}

/// What a question word counts for in [`Features::named_subject`] when only
/// the label writes it as code ("if I zip two lists" under `zip(…)`): half
/// of a name the question itself writes as code (`any()`), which says
/// plainly what it is about.
const LABEL_ONLY_NAME: f32 = 0.5;

/// How a heading's share of the question counts toward [`Features::under_subject`]:
/// a heading that holds half the question's weight makes the sentence under
/// it fully the answer asked for.
const UNDER_SUBJECT_SCALE: f32 = 2.0;

/// A sentence that could answer.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub document: usize,
    pub sentence: Span,
    /// Matched words, as byte ranges of the document text.
    pub hits: Vec<(usize, usize)>,
    pub features: Features,
    pub score: f32,
}

/// The question's stems with their weights, shared by every passage.
pub struct Ranker<'a> {
    question: &'a Question,
    weights: &'a FxHashMap<String, f32>,
    /// The question's code names, [`spaced`], with their weight shares.
    names: Vec<(String, f32)>,
    /// The question's identifiers the corpus holds, with their weight shares.
    identifiers: Vec<(String, f32)>,
    /// The stems of what "what is X" defines, each with its share of X's weight.
    defined: Vec<(String, f32)>,
    total: f32,
    /// Analyzes the retrieved sentences, their labels and the question's
    /// names, which share most of their words.
    memo: MemoAnalyzer,
    /// Question stems in a document's title (`None`) or one of its blocks:
    /// passages of one page share their headings, so each is read once.
    labels: FxHashMap<(usize, Option<u32>), FxHashSet<String>>,
    /// [`Ranker::named_in`] of a document's block, read once per question.
    named: FxHashMap<(usize, u32), f32>,
}

impl<'a> Ranker<'a> {
    pub fn new(
        question: &'a Question,
        weights: &'a FxHashMap<String, f32>,
        identifier_weights: &[(String, f32)],
        total: f32,
    ) -> Self {
        let mut memo = MemoAnalyzer::new();
        let names = name_shares(question, total, |name| {
            match identifier_weights.iter().find(|(id, _)| id == name) {
                Some((_, w)) => *w,
                None => memo
                    .analyze(name)
                    .first()
                    .and_then(|w| weights.get(&w.stem))
                    .copied()
                    .unwrap_or(0.0),
            }
        });
        let names = names
            .into_iter()
            .map(|(name, share)| (spaced(&name), share))
            .collect();
        let defined = defined_shares(&question.defined, |s| {
            weights.get(s).copied().unwrap_or(0.0)
        });
        let identifiers = identifier_weights
            .iter()
            .map(|(id, w)| (id.clone(), w / total))
            .collect();
        Ranker {
            question,
            identifiers,
            defined,
            weights,
            names,
            total,
            memo,
            labels: FxHashMap::default(),
            named: FxHashMap::default(),
        }
    }

    /// The question stems in document `d`'s title or block, read once per question.
    fn asked_in_label(
        &mut self,
        d: usize,
        document: &Document,
        block: Option<u32>,
    ) -> FxHashSet<String> {
        if let Some(found) = self.labels.get(&(d, block)) {
            return found.clone();
        }
        let text = match block {
            Some(b) => document.slice(document.blocks[b as usize].span),
            None => document.title.as_str(),
        };
        let found = self.asked_in(text);
        self.labels.insert((d, block), found.clone());
        found
    }

    fn weight(&self, stem: &str) -> f32 {
        self.weights.get(stem).copied().unwrap_or(0.0) / self.total
    }

    /// Weight share of the question stems `holds` accepts, summed in the
    /// question's order so that equal inputs give equal scores.
    fn share(&self, holds: impl Fn(&str) -> bool) -> f32 {
        self.question
            .stems
            .iter()
            .filter(|s| holds(s))
            .map(|s| self.weight(s))
            .sum()
    }

    /// The question stems `text` holds.
    fn asked_in(&mut self, text: &str) -> FxHashSet<String> {
        let asked = &self.question.stems;
        self.memo
            .analyze(text)
            .into_iter()
            .map(|w| w.stem)
            .filter(|s| asked.contains(s))
            .collect()
    }

    /// Scores every sentence of one retrieved passage.
    pub fn rank_passage(
        &mut self,
        document: &Document,
        hit: &PassageHit,
        best_hit: f32,
    ) -> Vec<Candidate> {
        let Some(passage) = document.passages.get(hit.passage) else {
            return Vec::new();
        };
        let question = self.question;
        let block_text = |b: u32| document.slice(document.blocks[b as usize].span);
        // A table's first row names its columns: it is context for every row.
        let header = passage
            .blocks
            .iter()
            .copied()
            .find(|&b| document.blocks[b as usize].kind == BlockKind::TableRow);
        let labels: Vec<Option<u32>> = passage
            .context
            .iter()
            .copied()
            .chain(header)
            .map(Some)
            .chain(std::iter::once(None))
            .collect();
        let mut context: FxHashSet<String> = FxHashSet::default();
        for &label in &labels {
            context.extend(self.asked_in_label(hit.document, document, label));
        }
        // Identifiers are matched in the text itself, lowercased.
        let context_text = if question.identifiers.is_empty() {
            String::new()
        } else {
            labels
                .iter()
                .map(|&label| match label {
                    Some(b) => block_text(b).to_lowercase(),
                    None => document.title.to_lowercase(),
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let subject_block = passage.context.iter().rev().copied().find(|&b| {
            matches!(
                document.blocks[b as usize].kind,
                BlockKind::Heading(_) | BlockKind::Term
            )
        });
        let subject = subject_block
            .map(|b| self.asked_in_label(hit.document, document, Some(b)))
            .unwrap_or_default();
        let subject_share = self.share(|s| subject.contains(s));
        let named_subject = subject_block.map_or(0.0, |b| self.named_in(hit.document, document, b));
        let (sentences, is_code): (Vec<Span>, Vec<bool>) = passage
            .blocks
            .iter()
            .map(|&b| &document.blocks[b as usize])
            .filter(|b| b.status == BlockStatus::Text)
            // A listing is quoted a line at a time, and only when code is asked for.
            .filter(|b| b.kind != BlockKind::Preformatted || question.asks_for_code)
            .flat_map(|b| {
                let code = b.kind == BlockKind::Preformatted;
                b.sentences.iter().map(move |&s| (s, code))
            })
            .unzip();
        let asked: FxHashSet<&str> = question.stems.iter().map(String::as_str).collect();
        let words: Vec<Vec<Word>> = sentences
            .iter()
            .map(|s| {
                let mut words = self.memo.analyze(document.slice(*s));
                words.retain(|w| asked.contains(w.stem.as_str()));
                words
            })
            .collect();
        let in_passage: FxHashSet<&str> = words.iter().flatten().map(|w| w.stem.as_str()).collect();
        let retrieval = hit.score / best_hit;
        let mut candidates = Vec::new();
        for (i, (&sentence, found)) in sentences.iter().zip(&words).enumerate() {
            if found.is_empty() && subject.is_empty() {
                continue;
            }
            let own: FxHashSet<&str> = found.iter().map(|w| w.stem.as_str()).collect();
            let in_context = |s: &str| context.contains(s) && !own.contains(s);
            // The sentences right before and after often name what this one is about.
            let neighbours: FxHashSet<&str> = [i.wrapping_sub(1), i + 1]
                .iter()
                .filter_map(|&j| words.get(j))
                .flatten()
                .map(|w| w.stem.as_str())
                .filter(|s| !own.contains(s) && !context.contains(*s))
                .collect();
            let rest = |s: &str| {
                in_passage.contains(s)
                    && !own.contains(s)
                    && !context.contains(s)
                    && !neighbours.contains(s)
            };
            let text = document.slice(sentence);
            let covered =
                |s: &str| own.contains(s) || context.contains(s) || in_passage.contains(s);
            let features = Features {
                own: self.share(|s| own.contains(s)),
                context: self.share(in_context),
                subject: subject_share,
                named_subject,
                neighbours: self.share(|s| neighbours.contains(s)),
                passage: self.share(rest),
                pairs: self.adjacent_pairs(found),
                defined: self.defined_share(&own),
                retrieval,
                under_subject: if shape_under_subject(question, passage.lead && i == 0, text) {
                    (subject_share * UNDER_SUBJECT_SCALE).min(1.0)
                } else {
                    0.0
                },
                identifiers: identifier_share(&self.identifiers, text, &context_text),
                // Set for the leading candidates only, by [`Self::add_wanted`]: it costs more.
                wanted: 0.0,
                default: flag(question.about_default && mentions_any(text, DEFAULT_MARKERS)),
                code: flag(is_code[i]),
                limit: flag(question.yes_no && states_limit(text)),
                example: flag(opens_example(text)),
                release_notes: flag(document.release_history && question.wanted != Wanted::Date),
                coverage: self.share(covered),
            };
            let offset = sentence.start as usize;
            candidates.push(Candidate {
                document: hit.document,
                sentence,
                hits: found
                    .iter()
                    .map(|w| (offset + w.start, offset + w.end))
                    .collect(),
                score: features.score(),
                features,
            });
        }
        candidates
    }

    /// Weight share of what the question and block `b` of document `d`
    /// name as code: the question's code names the block names whole, and
    /// the question's words the block writes as code (the term
    /// "zip(*iterables)" for "if I zip two lists").
    fn named_in(&mut self, d: usize, document: &Document, b: u32) -> f32 {
        if let Some(&named) = self.named.get(&(d, b)) {
            return named;
        }
        let label = document.slice(document.blocks[b as usize].span);
        let spaced_label = spaced(label);
        let by_question: f32 = self
            .names
            .iter()
            .map(|(name, weight)| naming(&spaced_label, name) * weight)
            .sum();
        let written = code_words(&mut self.memo, label);
        let by_label: f32 = self
            .question
            .words
            .iter()
            .zip(&self.question.stems)
            .filter(|(word, _)| written.contains(*word) && !self.in_names(word))
            .map(|(_, stem)| self.weight(stem))
            .sum();
        let named = by_question + by_label * LABEL_ONLY_NAME;
        self.named.insert((d, b), named);
        named
    }

    /// Whether `word` is one of the question's code names or part of one
    /// (`crates` of `crates.io`), which [`Ranker::named_in`] counts already.
    fn in_names(&self, word: &str) -> bool {
        self.names.iter().any(|(name, _)| naming(name, word) > 0.0)
    }

    /// Share of the weight of what the question asks to define that `own`
    /// (the sentence's stems) holds.
    fn defined_share(&self, own: &FxHashSet<&str>) -> f32 {
        self.defined
            .iter()
            .filter(|(s, _)| own.contains(s.as_str()))
            .map(|(_, share)| share)
            .sum()
    }

    /// Weight of question word pairs that stand next to each other in the sentence too.
    fn adjacent_pairs(&self, found: &[Word]) -> f32 {
        self.question
            .stems
            .windows(2)
            .filter(|q| {
                found
                    .windows(2)
                    .any(|pair| pair[0].stem == q[0] && pair[1].stem == q[1])
            })
            .map(|q| self.weight(&q[0]).min(self.weight(&q[1])))
            .sum()
    }
}

/// Whether the sentence has the shape of answer [`Features::under_subject`]
/// looks for: the lead sentence of its section for "what is X", a version
/// named for "which release".
fn shape_under_subject(question: &Question, leads: bool, sentence: &str) -> bool {
    match question.wanted {
        Wanted::Definition => leads,
        Wanted::Version => span::version(sentence).is_some(),
        _ => false,
    }
}

/// Each of the `defined` stems with its share of their summed weight, as
/// `weight_of` gives it; none when they weigh nothing.
fn defined_shares(defined: &[String], weight_of: impl Fn(&str) -> f32) -> Vec<(String, f32)> {
    let total: f32 = defined.iter().map(|s| weight_of(s)).sum();
    if total <= 0.0 {
        return Vec::new();
    }
    defined
        .iter()
        .map(|s| (s.clone(), weight_of(s) / total))
        .collect()
}

/// Weight share of the `identifiers` named in the sentence or its context.
fn identifier_share(identifiers: &[(String, f32)], sentence: &str, context_lower: &str) -> f32 {
    if identifiers.is_empty() {
        return 0.0;
    }
    let sentence = sentence.to_lowercase();
    identifiers
        .iter()
        .filter(|(id, _)| sentence.contains(id.as_str()) || context_lower.contains(id.as_str()))
        .map(|(_, share)| share)
        .sum()
}

/// Each of the question's code names with its share of the question's
/// weight (`total`), given what `weight_of` says it weighs. An identifier
/// weighs its own rarity: `crates.io` in a book about crates names little.
/// A single word written as code (`any()`, `open()`, `RecursionError`)
/// names one entry however common the English word is, so it gets at
/// least an equal part among the question's names.
fn name_shares(
    question: &Question,
    total: f32,
    mut weight_of: impl FnMut(&str) -> f32,
) -> Vec<(String, f32)> {
    let equal_part = 1.0 / question.names.len().max(1) as f32;
    question
        .names
        .iter()
        .map(|name| {
            let share = weight_of(name) / total;
            let share = if question.identifiers.contains(name) {
                share
            } else {
                share.max(equal_part)
            };
            (name.clone(), share)
        })
        .collect()
}

/// The words `label` writes as code, lowercase: called, assigned, in
/// backticks, CamelCase, or a part of a dotted name (`json` and `loads` of
/// `json.loads(s)`). A part of a snake_case name (`int` of
/// `adjust_int_max_str_digits`) is no name of its own.
fn code_words(memo: &mut MemoAnalyzer, label: &str) -> FxHashSet<String> {
    memo.analyze(label)
        .into_iter()
        .filter(|w| {
            names_code(label, w.start, w.end)
                && !label[..w.start].ends_with('_')
                && !label[w.end..].starts_with('_')
        })
        .map(|w| label[w.start..w.end].to_lowercase())
        .collect()
}

/// `text` lowercased, with `-` and `_` read as spaces: the heading "Rust
/// version" names `rust-version`.
fn spaced(text: &str) -> String {
    text.to_lowercase().replace(['-', '_'], " ")
}

/// How plainly `text` names `name`: 1 as a whole name ("open(file)"),
/// 0.5 as the last part of a dotted one ("codecs.open(…)" for `open`),
/// else 0.
fn naming(text: &str, name: &str) -> f32 {
    let word_char = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let mut found = 0.0f32;
    for (at, _) in text.match_indices(name) {
        let before = &text[..at];
        let after = &text[at + name.len()..];
        if word_char(before.chars().next_back()) || word_char(after.chars().next()) {
            continue;
        }
        let dotted_before = before.ends_with('.');
        let dotted_after = after.starts_with('.') && word_char(after.chars().nth(1));
        found = found.max(if dotted_before || dotted_after {
            0.5
        } else {
            1.0
        });
    }
    found
}

/// Candidates re-ranked with the (costlier) answer-kind check.
const RERANK: usize = 16;

impl Ranker<'_> {
    /// Among the leading candidates (sorted best first), those holding the
    /// kind of answer the question wants move up.
    pub fn add_wanted(&mut self, index: &CorpusIndex, candidates: &mut [Candidate]) {
        let question = self.question;
        if question.wanted == Wanted::Passage || question.wanted == Wanted::Definition {
            return;
        }
        let n = candidates.len().min(RERANK);
        for c in candidates[..n].iter_mut() {
            let Some(document) = index.document_at(c.document) else {
                continue;
            };
            let sentence = document.slice(c.sentence);
            c.features.wanted = wanted_strength(question, sentence, document, &mut self.memo);
            c.score = c.features.score();
        }
        candidates[..n].sort_by(|a, b| b.score.total_cmp(&a.score));
        // "When …" is answered with a date and "which release …" with a
        // version: among the first quotes, the one that names it most plainly
        // leads. A reason or a number only helps a quote, the date or version
        // is the answer itself.
        if matches!(question.wanted, Wanted::Date | Wanted::Version) {
            let shown = candidates.len().min(SHOWN);
            let answering = (0..shown)
                .filter(|&i| candidates[i].features.wanted > 0.0)
                .max_by(|&a, &b| {
                    candidates[a]
                        .features
                        .wanted
                        .total_cmp(&candidates[b].features.wanted)
                        .then(b.cmp(&a))
                });
            if let Some(i) = answering {
                candidates[..=i].rotate_right(1);
            }
        }
    }
}

/// Quotes shown as the answer.
const SHOWN: usize = 3;

/// Whether the sentence holds the kind of answer the question asks for.
fn wanted_strength(
    question: &Question,
    sentence: &str,
    document: &Document,
    memo: &mut MemoAnalyzer,
) -> f32 {
    match question.wanted {
        Wanted::Date => match span::first_date(sentence, document.published) {
            Some(m) if m.named => 1.0,
            Some(_) => 0.5,
            None => 0.0,
        },
        Wanted::Quantity | Wanted::Agent | Wanted::Place => {
            flag(span::short_answer(question, sentence, document.published).is_some())
        }
        Wanted::Version => flag(span::version(sentence).is_some()),
        Wanted::Reason => flag(mentions_any(sentence, REASON_MARKERS)),
        Wanted::Consequence => flag(states_consequence(sentence)),
        Wanted::Instance => flag(names_instance(question, &memo.analyze(sentence), sentence)),
        Wanted::Definition | Wanted::Passage => 0.0,
    }
}

/// A 0/1 feature: 1.0 when it holds.
fn flag(holds: bool) -> f32 {
    if holds { 1.0 } else { 0.0 }
}

/// Whether the sentence singles out one X of "which X": next to X stands
/// a number ("the 2024 edition", "level 3") or a word that picks one ("the
/// default level", "the latest release").
fn names_instance(question: &Question, words: &[Word], sentence: &str) -> bool {
    let Some(asked) = &question.instance_of else {
        return false;
    };
    let picks = |w: &Word| {
        let text = &sentence[w.start..w.end];
        w.stem != *asked
            && (text.starts_with(|c: char| c.is_ascii_digit())
                || PICKING_WORDS.iter().any(|p| p.eq_ignore_ascii_case(text)))
    };
    words.iter().enumerate().any(|(i, w)| {
        w.stem == *asked
            && (i.checked_sub(1).is_some_and(|before| picks(&words[before]))
                || words.get(i + 1).is_some_and(picks))
    })
}

/// Words that pick one of a kind: "the default level", "the latest edition".
const PICKING_WORDS: &[&str] = &[
    "default", "latest", "newest", "oldest", "current", "first", "last",
];

/// Whether `sentence` states what follows from something: it says what
/// will happen, or opens with the condition ("If …", "When …"). Docs
/// state consequences with "will"; "would" is mostly a hypothetical
/// ("users who would benefit").
fn states_consequence(sentence: &str) -> bool {
    opens_with_any(sentence, CONDITION_OPENERS)
        || sentence
            .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
            .any(|w| CONSEQUENCE_WORDS.iter().any(|c| c.eq_ignore_ascii_case(w)))
}

/// Openings that state a condition.
const CONDITION_OPENERS: &[&str] = &["if ", "when ", "unless "];

/// Words that say what will happen.
const CONSEQUENCE_WORDS: &[&str] = &["will", "won't", "won’t"];

/// Phrases that state what holds when nothing is set.
const DEFAULT_MARKERS: &[&str] = &[
    "default",
    "not given",
    "not specified",
    "not present",
    "omitted",
    "is assumed",
    "if no ",
    "if none",
    "is none",
    "unless",
    "not set",
];

/// Words that state a limit.
const LIMIT_WORDS: &[&str] = &["not", "never", "cannot", "nor", "only"];

/// Whether `sentence` states a limit: a negation ("cannot", "doesn't", "no
/// longer") or "only".
fn states_limit(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    lower.contains("n't")
        || lower.contains("n’t")
        || lower.contains("no longer")
        || lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| LIMIT_WORDS.contains(&w))
}

/// Phrases that open an example.
const EXAMPLE_OPENERS: &[&str] = &[
    "for example",
    "for instance",
    "as an example",
    "e.g.",
    "example:",
];

/// Whether `sentence` opens with an example marker.
fn opens_example(sentence: &str) -> bool {
    opens_with_any(sentence, EXAMPLE_OPENERS)
}

/// Whether `sentence`, past any leading punctuation, opens with one of
/// `openers` (lowercase), in any case. Read for every candidate, so only
/// the opening is compared, without a lowercased copy.
fn opens_with_any(sentence: &str, openers: &[&str]) -> bool {
    let opening = sentence.trim_start_matches(|c: char| !c.is_alphanumeric());
    openers.iter().any(|m| {
        opening
            .get(..m.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(m))
    })
}

/// Whether `sentence`, lowercased, holds one of `markers`.
fn mentions_any(sentence: &str, markers: &[&str]) -> bool {
    let lower = sentence.to_lowercase();
    markers.iter().any(|m| lower.contains(m))
}

/// Words that give a reason, for "why" questions.
const REASON_MARKERS: &[&str] = &[
    "because",
    "since ",
    "so that",
    "due to",
    "in order to",
    "this means",
    "to avoid",
    "otherwise",
    "the reason",
    "as a result",
    "this is why",
    "that is why",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consequences_say_what_will_happen_or_open_with_the_condition() {
        assert!(states_consequence(
            "Cargo will report that as an error to the user."
        ));
        assert!(states_consequence("It won’t build."));
        assert!(states_consequence(
            "When the resolver builds the graph, it ignores yanked releases."
        ));
        assert!(states_consequence("If no edition is given, 2015 is used."));
        assert!(!states_consequence(
            "The rust-version field is an optional key."
        ));
        assert!(!states_consequence(
            "Costs to users who would benefit from newer features."
        ));
        assert!(!states_consequence(
            "Cargo is the Rust package manager, whenever."
        ));
    }

    #[test]
    fn an_instance_is_singled_out_by_a_number_or_a_picking_word() {
        let question = Question::parse("With cargo new, which edition ends up in Cargo.toml?");
        let mut memo = MemoAnalyzer::new();
        let mut names =
            |sentence: &str| names_instance(&question, &memo.analyze(sentence), sentence);
        assert!(names(
            "`cargo new` creates a manifest with the 2024 edition."
        ));
        assert!(names("It is filled in with the latest edition."));
        assert!(names("edition = '2021'"));
        assert!(!names("Each edition changes the language a little."));
        assert!(
            !names("In 2024 the stable edition changed."),
            "not next to it"
        );
        let how = Question::parse("How do I pick an edition?");
        assert!(!names_instance(
            &how,
            &memo.analyze("The 2024 edition."),
            "The 2024 edition."
        ));
    }

    #[test]
    fn a_label_names_a_code_name_whole_or_as_its_last_part() {
        assert_eq!(naming("open(file, mode='r')", "open"), 1.0);
        assert_eq!(naming("codecs.open(filename, mode='r')", "open"), 0.5);
        assert_eq!(naming("exception recursionerror", "recursionerror"), 1.0);
        assert_eq!(naming("json.loads(s, *, cls=none)", "json.loads"), 1.0);
        assert_eq!(naming("json.loads(s)", "json"), 0.5);
        assert_eq!(naming("reopen(file)", "open"), 0.0, "inside another word");
        assert_eq!(naming("opener", "open"), 0.0);
        assert_eq!(
            naming(&spaced("Rust Version"), &spaced("rust-version")),
            1.0
        );
    }

    #[test]
    fn a_word_written_as_code_weighs_at_least_its_part_of_the_names() {
        let shares = |text: &str| name_shares(&Question::parse(text), 10.0, |_| 1.0);
        assert_eq!(
            shares("Does any() return True when the list is empty?"),
            [("any".to_string(), 1.0)]
        );
        assert_eq!(
            shares("Does RecursionError come from open()?"),
            [
                ("recursionerror".to_string(), 0.5),
                ("open".to_string(), 0.5)
            ]
        );
        assert_eq!(
            shares("Can I publish to crates.io with a path dependency?"),
            [("crates.io".to_string(), 0.1)],
            "an identifier keeps its own weight"
        );
    }

    #[test]
    fn an_identifier_counts_its_rarity_where_it_is_named() {
        let ids = [
            ("json.loads".to_string(), 0.5),
            ("cargo.toml".to_string(), 0.125),
        ];
        let share = |sentence: &str, context: &str| identifier_share(&ids, sentence, context);
        assert_eq!(share("Use json.loads(s) to parse.", ""), 0.5);
        assert_eq!(share("Parse it.", "json.loads(s)\ncargo.toml"), 0.625);
        assert_eq!(share("Edit `Cargo.toml`.", ""), 0.125, "matched lowercased");
        assert_eq!(share("Parse it.", ""), 0.0);
    }

    #[test]
    fn limits_are_negations_or_only() {
        assert!(states_limit("The version can never be overwritten."));
        assert!(states_limit("This module does not support writing TOML."));
        assert!(states_limit("It doesn’t write files."));
        assert!(states_limit("Only the root manifest is read."));
        assert!(!states_limit("Notes are written to the log."));
        assert!(!states_limit("Use cargo publish to upload it."));
    }

    #[test]
    fn examples_open_with_their_marker() {
        assert!(opens_example(
            "For example, Decimal('3.00000') records all five zeros."
        ));
        assert!(opens_example("(e.g. a list) is accepted."));
        assert!(!opens_example(
            "The precision defaults to 28 places, for example."
        ));
    }

    #[test]
    fn the_shape_asked_for_under_the_subject() {
        let what = Question::parse("What is the GIL?");
        assert!(shape_under_subject(&what, true, "The GIL is a lock."));
        assert!(!shape_under_subject(&what, false, "The GIL is a lock."));
        let which = Question::parse("Which release added the match statement?");
        assert!(shape_under_subject(&which, false, "New in version 3.10."));
        assert!(!shape_under_subject(&which, true, "A match statement."));
        let how = Question::parse("How do I match a pattern?");
        assert!(!shape_under_subject(&how, true, "New in version 3.10."));
    }

    #[test]
    fn code_words_of_labels() {
        let mut memo = MemoAnalyzer::new();
        let mut words = |label: &str| {
            let mut found: Vec<String> = code_words(&mut memo, label).into_iter().collect();
            found.sort();
            found
        };
        assert_eq!(words("zip(*iterables, strict=False)"), ["strict", "zip"]);
        assert_eq!(
            words("json.loads(s, *, cls=None)"),
            ["cls", "json", "loads"]
        );
        assert_eq!(words("exception RecursionError"), ["recursionerror"]);
        assert_eq!(words("The `[patch]` section"), ["patch"]);
        assert_eq!(
            words("test.support.adjust_int_max_str_digits(max_digits)"),
            ["support", "test"]
        );
        assert!(words("Uploading to the registry").is_empty());
    }
}
