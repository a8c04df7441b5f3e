//! The short answer inside a sentence: a date for "when", an amount for
//! "how many", a name for "who", a place for "where".

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::question::{Question, Wanted};
use crate::dates::PartialDate;
use crate::dates::{Anchor, Anchors, DateMention, tag_dates, year};

/// Money, percentages and counts: "€12 billion", "US$13.2 billion", "83%", "131".
static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?:(?:US|U\.S\.|A|C)?[$€£¥]\s?\d+(?:[,.]\d+)*(?:\s?(?:trillion|billion|million|thousand|bn|m)\b)?)
        | (?:\b\d+(?:[,.]\d+)*\s?(?:%|percent\b|per\scent\b))
        | (?:\b\d+(?:[,.]\d+)*(?:\s(?:trillion|billion|million|thousand|hundred|dozen)\b)?)
        ",
    )
    .expect("valid regex")
});

/// Capitalised words in a row, allowing short joiners: "Carnegie Endowment for International Peace".
static NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\p{Lu}[\p{L}\p{M}’'.-]*(?:\s+(?:(?:of|for|de|the|and|van|von|al|bin)\s+)?\p{Lu}[\p{L}\p{M}’'.-]*)*")
        .expect("valid regex")
});

/// The span of `sentence` that answers, if the question wants one and it is there.
pub fn short_answer(
    question: &Question,
    sentence: &str,
    published: Option<PartialDate>,
) -> Option<String> {
    match question.wanted {
        Wanted::Date => first_date(sentence, published).map(|m| sentence[m.span].to_string()),
        Wanted::Quantity => quantity(question, sentence),
        Wanted::Agent => agent(question, sentence),
        Wanted::Place => place(question, sentence),
        Wanted::Version => version(sentence),
        Wanted::Passage
        | Wanted::Definition
        | Wanted::Reason
        | Wanted::Consequence
        | Wanted::Instance => None,
    }
}

/// A version number named as one: after "version", "release", a `v` or a
/// capitalised name ("Python 3.10", "Rust 1.58.0", "v2.1"), not a decimal.
static VERSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(?i:\b(?:version|release|v)\s?)|\b\p{Lu}\w*\s)(\d+\.\d+(?:\.\d+)?)\b")
        .expect("valid regex")
});

/// The first version number `sentence` names, with the word naming it:
/// "version 3.10", "Python 3.8".
pub fn version(sentence: &str) -> Option<String> {
    VERSION
        .captures_iter(sentence)
        .find(|c| {
            let number = c.get(1).map_or(0, |m| m.end());
            // "3.10.x" or "1.2.3.4" still name a version; "1.5e3" does not.
            !sentence[number..].starts_with(|c: char| c.is_alphanumeric())
        })
        .and_then(|c| c.get(0))
        .map(|m| m.as_str().to_string())
}

/// The first date `sentence` mentions, completed from the document's date
/// where the text leaves it out.
pub fn first_date(sentence: &str, published: Option<PartialDate>) -> Option<DateMention> {
    let anchors = Anchors {
        document: published.map(|date| Anchor {
            date,
            inferred: false,
        }),
        narrative: None,
    };
    tag_dates(sentence, &anchors).into_iter().next()
}

/// The first amount that is not a year, with the question's own nouns after
/// it ("131 Uzbek nationals").
fn quantity(question: &Question, sentence: &str) -> Option<String> {
    let asked: HashSet<&str> = question.words.iter().map(String::as_str).collect();
    QUANTITY
        .find_iter(sentence)
        .find(|m| !year::is_year(m.as_str()))
        .map(|m| {
            let mut end = m.end();
            for word in sentence[end..].split_whitespace().take(3) {
                let bare = word
                    .trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase();
                if !asked.contains(bare.as_str()) {
                    break;
                }
                end = sentence[end..].find(word).map_or(end, |at| {
                    end + at + word.trim_end_matches(|c: char| !c.is_alphanumeric()).len()
                });
            }
            sentence[m.start()..end].trim().to_string()
        })
}

/// Names in the sentence that the question does not already hold.
fn new_names<'a>(question: &Question, sentence: &'a str) -> Vec<regex::Match<'a>> {
    let asked: HashSet<&str> = question.words.iter().map(String::as_str).collect();
    NAME.find_iter(sentence)
        .filter(|m| {
            m.as_str().split_whitespace().any(|w| {
                w.chars().next().is_some_and(char::is_uppercase)
                    && !asked.contains(
                        w.to_lowercase()
                            .trim_matches(|c: char| !c.is_alphanumeric()),
                    )
            })
        })
        .filter(|m| m.start() > 0 || m.as_str().contains(' '))
        .collect()
}

/// "Who": a name after "by", else the first new multi-word name; for "who
/// is X", what the sentence says X is.
///
/// Offsets come from `sentence` itself, never from a lowercased copy: case
/// changes byte lengths ('İ' is two bytes, its lowercase three).
fn agent(question: &Question, sentence: &str) -> Option<String> {
    if question.words.len() <= 3 {
        for marker in [" is ", " was "] {
            if let Some(at) = find_ignoring_ascii_case(sentence, marker) {
                let subject = sentence[..at].to_lowercase();
                if question.words.iter().all(|w| subject.contains(w.as_str())) {
                    let rest = &sentence[at + marker.len()..];
                    let cut = rest.find([',', ';', '.']).unwrap_or(rest.len());
                    return Some(rest[..cut].trim().to_string()).filter(|s| !s.is_empty());
                }
            }
        }
    }
    let names = new_names(question, sentence);
    names
        .iter()
        .find(|m| ends_with_ignoring_ascii_case(sentence[..m.start()].trim_end(), " by"))
        .or_else(|| names.iter().find(|m| m.as_str().contains(' ')))
        .or(names.first())
        .map(|m| m.as_str().trim_end_matches(['.', '’', '\'']).to_string())
}

/// "Where": a new name after a place preposition.
fn place(question: &Question, sentence: &str) -> Option<String> {
    new_names(question, sentence)
        .into_iter()
        .find(|m| {
            let before = sentence[..m.start()].trim_end();
            ["in", "at", "from", "to", "near"].iter().any(|p| {
                ends_with_ignoring_ascii_case(before, &format!(" {p}"))
                    || before.eq_ignore_ascii_case(p)
            })
        })
        .map(|m| m.as_str().trim_end_matches('.').to_string())
}

/// Where `needle` (ASCII) first occurs in `haystack`, in any case: a byte
/// offset of `haystack`, on a char boundary.
fn find_ignoring_ascii_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack.char_indices().map(|(i, _)| i).find(|&i| {
        haystack
            .get(i..i + needle.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(needle))
    })
}

/// Whether `text` ends with `suffix` (ASCII), in any case.
fn ends_with_ignoring_ascii_case(text: &str, suffix: &str) -> bool {
    text.len()
        .checked_sub(suffix.len())
        .and_then(|start| text.get(start..))
        .is_some_and(|end| end.eq_ignore_ascii_case(suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_is_a_number_named_as_one() {
        assert_eq!(
            version("New in version 3.10."),
            Some("version 3.10".to_string())
        );
        assert_eq!(
            version("Starting in Python 3.8, you can assign."),
            Some("Python 3.8".to_string())
        );
        assert_eq!(
            version("Stabilized in Rust 1.58.0."),
            Some("Rust 1.58.0".to_string())
        );
        assert_eq!(version("Use v2.1 or later."), Some("v2.1".to_string()));
        assert_eq!(version("The timeout is 0.5 seconds."), None);
        assert_eq!(version("It returns 2.5 for 5 / 2."), None);
    }

    fn answer(question: &str, sentence: &str) -> Option<String> {
        short_answer(
            &Question::parse(question),
            sentence,
            PartialDate::month(2025, 9),
        )
    }

    #[test]
    fn amounts_not_years() {
        assert_eq!(
            answer(
                "How large was the Global Gateway package?",
                "In 2025, Brussels unveiled a €12 billion (US$13.2 billion) package."
            )
            .as_deref(),
            Some("€12 billion")
        );
        assert_eq!(
            answer(
                "How many Uzbek nationals were deported?",
                "including the deportation of 131 Uzbek nationals in April"
            )
            .as_deref(),
            Some("131 Uzbek nationals")
        );
        assert_eq!(
            answer(
                "What share of programs was cut?",
                "slashing 83% of USAID programs"
            )
            .as_deref(),
            Some("83%")
        );
        assert_eq!(answer("How many?", "Nothing countable here."), None);
    }

    #[test]
    fn agents_and_places() {
        assert_eq!(
            answer(
                "Who analyzed the outcomes of the C5+1 summit?",
                "The outcomes of the «Central Asia — USA» (C5+1) summit are analyzed by Temur Umarov, a researcher at the Carnegie Endowment."
            )
            .as_deref(),
            Some("Temur Umarov")
        );
        assert_eq!(
            answer(
                "Who is Michael Rossi?",
                "Michael Rossi is a Lecturer in Political Science at Rutgers University, and more."
            )
            .as_deref(),
            Some("a Lecturer in Political Science at Rutgers University")
        );
        assert_eq!(
            answer(
                "Where was the EU summit held?",
                "At the April 2025 EU summit in Samarkand, Brussels unveiled a package."
            )
            .as_deref(),
            Some("Samarkand")
        );
    }

    /// Lowercasing changes byte lengths ('İ' is two bytes, "i̇" three):
    /// offsets into the sentence must never come from a lowercased copy.
    #[test]
    fn letters_whose_case_changes_length() {
        let hosted = "İlham Aliyev hosted “Tokayev” in Baku on May 5, 2025.";
        assert_eq!(
            answer("Who hosted Baku?", hosted).as_deref(),
            Some("İlham Aliyev")
        );
        assert_eq!(
            answer("Where did Aliyev host Tokayev?", hosted).as_deref(),
            Some("Baku")
        );
        assert_eq!(
            answer("When did Aliyev host Tokayev?", hosted).as_deref(),
            Some("May 5, 2025")
        );
        assert_eq!(
            answer(
                "Who led the talks?",
                "İlham Aliyev and İsmail Bey met, and the talks were led by Temur Umarov."
            )
            .as_deref(),
            Some("Temur Umarov")
        );
        assert_eq!(
            answer(
                "Where was the summit?",
                "The İİİ summit took place in Samarkand."
            )
            .as_deref(),
            Some("Samarkand")
        );
        for question in [
            "Who hosted Baku?",
            "Who is Aliyev?",
            "Where is Baku?",
            "When did it open?",
            "How many troops?",
        ] {
            for sentence in [
                hosted,
                "İİİ “Ω” ẞ WAS İn “Baku” BY İlham Aliyev, 12\u{a0}troops\u{a0}May\u{a0}5, 2025.",
                "ΣΑΣ İS the “İİ” at Ⱥ in ǅ by Ǆ",
                "İ",
                "",
            ] {
                short_answer(&Question::parse(question), sentence, None);
            }
        }
    }
}
