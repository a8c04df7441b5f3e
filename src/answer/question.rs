//! What a question asks for, and the words to search for it.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::index::analyzer::{Word, analyze, analyzer, identifiers, is_version, versions};

/// The kind of span a question wants as its short answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// "when", "since when", "what year": a date.
    Date,
    /// "how many", "how much", "how large", "what share": a number or amount.
    Quantity,
    /// "who": a person or organisation.
    Agent,
    /// "where": a place.
    Place,
    /// "what is X", "what does X do": the definition, stated under X's name.
    Definition,
    /// "why": a sentence giving a reason.
    Reason,
    /// "what happens if": a consequence ("Cargo will report an error").
    Consequence,
    /// "which version", "what release": a version number ("New in version
    /// 3.10", "Rust 1.58").
    Version,
    /// "which edition", "which level": one X singled out by a number or a
    /// word such as "default" ("the 2024 edition", "the default level").
    Instance,
    /// Anything else: the best sentence is the answer.
    Passage,
}

/// A question reduced to what retrieval needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub wanted: Wanted,
    /// Stems of the content words, in order, without repeats.
    pub stems: Vec<String>,
    /// The content words as typed (lowercase), for naming what was searched.
    pub words: Vec<String>,
    /// Whole identifiers (`json.loads`, `--release`), searched besides their parts.
    pub identifiers: Vec<String>,
    /// What the question names as code, lowercase: single words written as
    /// code (`any()`, `RecursionError`, `` `edition` ``) and its identifiers.
    /// Reference docs explain a name under a heading or term naming it.
    pub names: Vec<String>,
    /// Whether it asks for code (an example, a command, the syntax): only
    /// then may a line of a code listing be quoted.
    pub asks_for_code: bool,
    /// Whether it asks what happens when something is left unsaid ("if I
    /// leave max_workers unset", "with no edition line"): docs answer that
    /// with the sentence stating a default.
    pub about_default: bool,
    /// Whether it asks yes or no ("Can I delete it?", "Is there a way to
    /// …?"): one of its sentences opens with an auxiliary verb.
    pub yes_no: bool,
    /// The stems of what "what is X" or "what does X do" asks about:
    /// `running cargo update` of "What does running cargo update actually
    /// do?". The answer names it.
    pub defined: Vec<String>,
    /// The stem of X in "which X …" (`edit` of "which edition ends up in
    /// Cargo.toml?"): the answer names one X.
    pub instance_of: Option<String>,
}

/// "What is X", "what does X do / mean / set", "what is X for": X is
/// the first group.
static DEFINED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*what(?:'s|’s|\s+(?:exactly\s+)?(?:is|are|does|do))\s+(.+?)(?:\s+(?:actually|really|exactly))?(?:\s+(?:do|does|mean|means|set|sets|control|controls|for|buy|stand)\b|\s*[?,;:.](?:\s|$)|\s+and\s|$)",
    )
    .expect("valid regex")
});

/// Whether the word at `start..end` of `text` is written as code: called
/// (`any()`), assigned (`key=`), quoted in backticks, part of a dotted or
/// snake_case name, or in CamelCase. Such a word is searched even when it
/// is a stop word (`any()`, `all`).
pub(crate) fn names_code(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let joined = |c: Option<char>| matches!(c, Some('_' | '.' | ':'));
    let word = &text[start..end];
    let camel =
        word.chars().any(char::is_lowercase) && word.chars().skip(1).any(char::is_uppercase);
    matches!(after, Some('(' | '=' | '`'))
        || before == Some('`')
        // Inside a backtick span on its line: `[patch]`, `cargo new`.
        || text[..start].rsplit('\n').next().is_some_and(|line| line.matches('`').count() % 2 == 1)
        || (joined(before)
            && text[..start]
                .trim_end_matches(['_', '.', ':'])
                .ends_with(char::is_alphanumeric))
        || (joined(after)
            && text[end..]
                .trim_start_matches(['_', '.', ':'])
                .starts_with(char::is_alphanumeric))
        || camel
}

/// Phrases that ask about what holds when nothing is set.
const DEFAULT_QUESTION: &[&str] = &[
    "default",
    "unset",
    "leave",
    "leaving",
    "unless",
    "don't",
    "do not",
    "omit",
    "only pass",
    "out of the box",
    "at all",
    "not set",
    "isn't set",
    "not given",
    "not specified",
    "no ",
];

/// Whether the question asks what holds when nothing is set: one of
/// [`DEFAULT_QUESTION`], or "without" and a thing left out ("split without
/// maxsplit"). "Without" and an action ("without uploading it", "without
/// actually committing") only says how something is done.
fn asks_default(lower: &str) -> bool {
    DEFAULT_QUESTION.iter().any(|p| lower.contains(p))
        || lower
            .split_whitespace()
            .skip_while(|w| *w != "without")
            .nth(1)
            .is_some_and(|next| !next.ends_with("ing") && !next.ends_with("ly"))
}

/// Verbs that make "when …" a question about a time.
const AUXILIARIES: &[&str] = &[
    "was", "were", "did", "is", "are", "will", "does", "do", "has", "have", "had", "should",
    "would", "can", "could", "must", "might", "may",
];

/// Words that ask for code rather than prose about it.
const CODE_WORDS: &[&str] = &[
    "example", "examples", "snippet", "syntax", "command", "commands", "code", "write", "type",
];

/// More content words than this are not searched: a question is not a document.
pub const MAX_TERMS: usize = 32;

/// Function words and question words: they carry no topic.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "whose",
    "s",
    "t",
    "don",
    "tell",
    "say",
    "said",
    "says",
    "many",
    "much",
    "large",
    "big",
    "long",
    "old",
    "kind",
    "type",
    "mean",
    "means",
    "exactly",
    "please",
    "know",
    "anyone",
    "someone",
    "ever",
    "happen",
    "happened",
    "get",
    "got",
    "way",
    "use",
    "used",
    "using",
    "make",
    "made",
    "give",
    "gave",
    "describe",
    "explain",
    "list",
    "actually",
    "really",
    "also",
    "even",
    "still",
    "something",
    "anything",
    "thing",
    "things",
    "need",
    "want",
    "ok",
    "okay",
    "like",
];

impl Question {
    pub fn parse(text: &str) -> Question {
        let lower = text.to_lowercase();
        let stop: HashSet<&str> = STOP_WORDS.iter().copied().collect();
        let mut analyzer = analyzer();
        let all_words = analyze(&mut analyzer, text);
        let instance_of = asked_instance(text, &all_words, &stop);
        let wanted = match wanted_of(&lower) {
            Wanted::Passage if instance_of.is_some() => Wanted::Instance,
            wanted => wanted,
        };
        let mut seen = HashSet::new();
        let mut stems = Vec::new();
        let mut words = Vec::new();
        let mut names = Vec::new();
        // A version's parts ("3", "11" of "3.11.2") name every release; the
        // version is searched whole, as an identifier.
        let versions: Vec<std::ops::Range<usize>> = versions(text).collect();
        let defined_range = DEFINED
            .captures(text)
            .and_then(|c| c.get(1))
            .map(|m| m.range());
        let mut defined = Vec::new();
        for Word { stem, start, end } in all_words {
            if versions.iter().any(|v| v.start <= start && end <= v.end) {
                continue;
            }
            // Offsets are the original text's: lowercasing may change lengths (İ).
            let word = text[start..end].to_lowercase();
            // `any()`, `key=` and `` `type` `` name code, even when they are stop words.
            let as_code = names_code(text, start, end);
            if as_code && !names.contains(&word) {
                names.push(word.clone());
            }
            // "Which release …" asks for a version as "when" asks for a date.
            let shape_word = wanted == Wanted::Version && VERSION_WORDS.contains(&word.as_str());
            let stop_word =
                shape_word || stop.contains(word.as_str()) || stop.contains(stem.as_str());
            if (stop_word && !as_code) || !seen.insert(stem.clone()) {
                continue;
            }
            if defined_range.as_ref().is_some_and(|r| r.contains(&start)) {
                defined.push(stem.clone());
            }
            stems.push(stem);
            words.push(word);
            if stems.len() == MAX_TERMS {
                break;
            }
        }
        let mut identifiers = identifiers(text);
        identifiers.truncate(MAX_TERMS);
        names.retain(|n| !identifiers.iter().any(|id| id.contains(n.as_str())));
        // A version ("3.11.2") dates a release and a hyphenated word
        // ("built-in", "two-factor") is English: neither names a subject.
        let hyphenated = |id: &str| !id.starts_with("--") && !id.contains(['_', '.', ':']);
        names.extend(
            identifiers
                .iter()
                .filter(|id| !is_version(id) && !hyphenated(id))
                .cloned(),
        );
        let asks_for_code = lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| CODE_WORDS.contains(&w));
        let about_default = asks_default(&lower);
        let yes_no = lower
            .split(['.', '?', '!', ';'])
            .filter_map(|sentence| sentence.split_whitespace().next())
            .any(|first| AUXILIARIES.contains(&first));
        Question {
            wanted,
            stems,
            words,
            identifiers,
            names,
            asks_for_code,
            about_default,
            yes_no,
            defined,
            instance_of,
        }
    }
}

/// Prefixes that leave a word's meaning in its tail: a "subfolder" is a
/// folder, to "reupload" is to upload.
const KEEPING_PREFIXES: &[&str] = &["sub", "re", "pre", "non", "multi", "super", "inter"];

/// How much more often a tail must occur than the whole word for the word
/// to be read as its rare derivative (in the Cargo book "subfolder" is in
/// 1 passage, "folder" in 8) rather than a word of its own ("return" is no
/// kind of "turn", "restrict" none of "strict").
const TAIL_FREQUENCY: u64 = 4;

impl Question {
    /// Adds the tail of each rare prefixed word as a word of its own:
    /// an asker's "subfolders" is the docs' "folder". `doc_freq` gives a
    /// stem's passage count; the tail's own rarity then weighs it.
    pub fn add_word_tails(&mut self, doc_freq: impl Fn(&str) -> u64) {
        // Built only for a prefixed word: most questions have none.
        let mut tail_analyzer = None;
        let mut tails = Vec::new();
        for (word, stem) in self.words.iter().zip(&self.stems) {
            let Some(tail) = KEEPING_PREFIXES
                .iter()
                .filter_map(|p| word.strip_prefix(p))
                .find(|tail| tail.len() >= 4)
            else {
                continue;
            };
            let tail_analyzer = tail_analyzer.get_or_insert_with(analyzer);
            let Some(Word {
                stem: tail_stem, ..
            }) = analyze(tail_analyzer, tail).into_iter().next()
            else {
                continue;
            };
            let common = doc_freq(&tail_stem) >= TAIL_FREQUENCY * doc_freq(stem).max(1);
            if common
                && !self.stems.contains(&tail_stem)
                && !tails.iter().any(|(_, s)| *s == tail_stem)
            {
                tails.push((tail.to_string(), tail_stem));
            }
        }
        for (word, stem) in tails {
            if self.stems.len() == MAX_TERMS {
                break;
            }
            self.words.push(word);
            self.stems.push(stem);
        }
    }
}

fn wanted_of(lower: &str) -> Wanted {
    let lower = lower.trim_start();
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| lower.starts_with(p));
    let has = |needles: &[&str]| needles.iter().any(|n| lower.contains(n));
    // "When was …" asks for a date; "When I run …" sets a scene.
    let when_asks = lower
        .strip_prefix("when ")
        .and_then(|rest| rest.split_whitespace().next())
        .is_some_and(|verb| AUXILIARIES.contains(&verb));
    if when_asks
        || starts(&[
            "since when",
            "what year",
            "which year",
            "what date",
            "on what date",
            "in what year",
        ])
        || has(&["what year", "which year", "what date", "since which year"])
    {
        Wanted::Date
    } else if asks_version(lower) {
        Wanted::Version
    } else if has(&[
        "how many",
        "how much",
        "how large",
        "how big",
        "how long",
        "how old",
        "what share",
        "what percentage",
        "what proportion",
        "what amount",
        "what number",
        "how high",
        "what size",
        "how deep",
        "how far",
        " cap ",
        " limit",
        "maximum",
        "minimum",
    ]) {
        Wanted::Quantity
    } else if starts(&["who", "whom", "whose"]) {
        Wanted::Agent
    } else if starts(&["where"]) {
        Wanted::Place
    } else if starts(&["why"]) || has(&[" why "]) {
        Wanted::Reason
    } else if has(&["what happens", "what would happen", "what will happen"]) {
        Wanted::Consequence
    } else if starts(&[
        "what is",
        "what's",
        "what are",
        "what does",
        "what do",
        "what exactly",
    ]) {
        Wanted::Definition
    } else {
        Wanted::Passage
    }
}

/// The stem of X when the question asks "which X", X being the word after
/// "which": "which" opens the question or a clause ("…, which edition ends
/// up …"), not a relative clause after a preposition ("the timeout after
/// which …"), and X is a content word ("which is" asks nothing of the
/// kind).
fn asked_instance(text: &str, words: &[Word], stop: &HashSet<&str>) -> Option<String> {
    let word = |w: &Word| text[w.start..w.end].to_lowercase();
    words.windows(2).enumerate().find_map(|(i, pair)| {
        let relative = i
            .checked_sub(1)
            .is_some_and(|before| PREPOSITIONS.contains(&word(&words[before]).as_str()));
        let noun = word(&pair[1]);
        (word(&pair[0]) == "which" && !relative && !stop.contains(noun.as_str()))
            .then(|| pair[1].stem.clone())
    })
}

/// Prepositions that make "which" relative: "after which", "in which".
const PREPOSITIONS: &[&str] = &[
    "after", "at", "before", "by", "during", "for", "from", "in", "into", "of", "on", "through",
    "to", "under", "until", "upon", "with", "within",
];

/// The words that make a question ask for a version.
const VERSION_WORDS: &[&str] = &["version", "versions", "release", "releases"];

/// Whether the question asks "which version" or "what release": a
/// version word at most two words after "which" or "what" ("since which
/// Python version").
fn asks_version(lower: &str) -> bool {
    let words: Vec<&str> = lower
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .collect();
    words.iter().enumerate().any(|(i, w)| {
        (*w == "which" || *w == "what")
            && words[i + 1..]
                .iter()
                .take(2)
                .any(|next| VERSION_WORDS.contains(next))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_questions() {
        let table = [
            ("When was the C5+1 summit held?", Wanted::Date),
            ("Since when do they partner?", Wanted::Date),
            (
                "When looping with enumerate, what do I get back?",
                Wanted::Passage,
            ),
            (
                "When I scaffold a crate, which edition is set?",
                Wanted::Instance,
            ),
            ("Which level does logging start at?", Wanted::Instance),
            (
                "What's the timeout after which cargo test stops?",
                Wanted::Definition,
            ),
            ("Is there a default after which it stops?", Wanted::Passage),
            ("How many Uzbek nationals were deported?", Wanted::Quantity),
            ("What share of USAID programs were cut?", Wanted::Quantity),
            ("Who analyzed the outcomes?", Wanted::Agent),
            ("Where did they meet?", Wanted::Place),
            ("What is the Middle Route?", Wanted::Definition),
            ("What does shared_buffers set?", Wanted::Definition),
            ("Why does round(2.5) give me 2?", Wanted::Reason),
            ("How do I lock a git dependency?", Wanted::Passage),
            (
                "Which Python release added the match statement?",
                Wanted::Version,
            ),
            ("Since which version can I use :=?", Wanted::Version),
            ("What Rust version stabilized let-else?", Wanted::Version),
            ("What is the rust-version key for?", Wanted::Definition),
            (
                "What is the version requirement syntax?",
                Wanted::Definition,
            ),
            (
                "If I yank a version, what happens to projects using it?",
                Wanted::Consequence,
            ),
            (
                "What happens if the toolchain is too old?",
                Wanted::Consequence,
            ),
        ];
        for (question, wanted) in table {
            assert_eq!(Question::parse(question).wanted, wanted, "{question}");
        }
    }

    #[test]
    fn yes_or_no_questions() {
        for (question, yes_no) in [
            ("Can I publish with a path dependency?", true),
            ("I published a broken release. Can I delete it?", true),
            ("Is there a built-in module for regexes?", true),
            ("How do I delete a release?", false),
            ("What can I put in Cargo.toml?", false),
        ] {
            assert_eq!(Question::parse(question).yes_no, yes_no, "{question}");
        }
    }

    #[test]
    fn rare_prefixed_words_add_their_tails() {
        let passages = |stem: &str| match stem {
            "subfold" => 1,
            "folder" => 8,
            "return" => 14486,
            "turn" => 369,
            "restrict" => 347,
            "strict" => 450,
            _ => 0,
        };
        let mut q = Question::parse("Can a subfolder restrict what the return gives?");
        let before = q.stems.clone();
        q.add_word_tails(passages);
        assert_eq!(q.stems[..before.len()], before[..]);
        assert_eq!(q.stems[before.len()..], ["folder"]);
        assert_eq!(q.words.last().map(String::as_str), Some("folder"));
    }

    #[test]
    fn which_x_asks_for_one_x() {
        for (question, instance) in [
            ("Which edition is it compiled as?", Some("edit")),
            (
                "With cargo new, which edition ends up in Cargo.toml?",
                Some("edit"),
            ),
            ("Which country mines the most uranium?", Some("countri")),
            ("What's the timeout after which cargo test stops?", None),
            ("Which is faster?", None),
            ("How do I pick an edition?", None),
        ] {
            assert_eq!(
                Question::parse(question).instance_of.as_deref(),
                instance,
                "{question}"
            );
        }
    }

    #[test]
    fn what_a_definition_question_asks_about() {
        for (question, defined) in [
            (
                "What does running cargo update actually do to our project?",
                &["run", "cargo", "updat"][..],
            ),
            (
                "What is Cargo.lock actually for, and should we commit it?",
                &["cargo", "lock"],
            ),
            ("What is the GIL and what does it restrict?", &["gil"]),
            ("What's the Middle Route?", &["middl", "rout"]),
            ("How do I lock a git dependency?", &[]),
        ] {
            assert_eq!(Question::parse(question).defined, defined, "{question}");
        }
    }

    #[test]
    fn questions_about_defaults() {
        for (question, about_default) in [
            ("How many threads if I leave max_workers unset?", true),
            (
                "If I call str.split without maxsplit, is there a cap?",
                true,
            ),
            ("What is the default timeout of cargo test?", true),
            ("How can I check it without actually uploading it?", false),
            ("Can I patch it without committing a change?", false),
            ("How do I lock a git dependency?", false),
        ] {
            let parsed = Question::parse(question);
            assert_eq!(parsed.about_default, about_default, "{question}");
        }
    }

    #[test]
    fn content_words_only() {
        let q = Question::parse("What tariff did the United States impose on Kazakh goods?");
        assert_eq!(
            q.stems,
            vec!["tariff", "unit", "state", "impos", "kazakh", "good"]
        );
        assert!(Question::parse("AND ( \" ~ ^ :").stems.is_empty());
        let q = Question::parse("Does any() return False for `all`?");
        assert_eq!(q.stems, vec!["ani", "return", "fals", "all"]);
        let q = Question::parse("When was Python 3.11.2 released?");
        assert_eq!(
            (q.stems, q.identifiers),
            (
                vec!["python".to_string(), "releas".to_string()],
                vec!["3.11.2".to_string()]
            )
        );
        assert!(Question::parse("   ").stems.is_empty());
        let q = Question::parse(
            "Does any() or RecursionError use json.loads with `edition` in 3.11.2?",
        );
        assert_eq!(
            q.names,
            vec!["any", "recursionerror", "edition", "json.loads"],
            "code-written words and identifiers, but no version"
        );
        assert!(
            Question::parse("Does the list keep its order?")
                .names
                .is_empty()
        );
        assert_eq!(Question::parse(&"word ".repeat(5000)).stems.len(), 1);
    }
}
