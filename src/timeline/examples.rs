//! Sentences whose dates are shown, not reported: examples ("For example,
//! 2005-01-01 is part of the 53rd week of year 2004") and bare fragments
//! ("Sept. 1989.", "1999-01-08 January 8, 1999") that tell no happening.

use crate::dates::DateMention;

/// Phrases that introduce an example.
const EXAMPLE_MARKERS: &[&str] = &[
    "for example",
    "for instance",
    "as an example",
    "e.g.",
    "i.e.",
];

/// Fewer words than this besides its dates, and a sentence reports nothing.
const MIN_WORDS: usize = 3;

/// Whether `sentence` shows its dates (`mentions`) rather than reporting them.
pub fn shows_examples(sentence: &str, mentions: &[DateMention]) -> bool {
    if mentions.is_empty() {
        return false;
    }
    let lower = sentence.to_lowercase();
    EXAMPLE_MARKERS.iter().any(|m| lower.contains(m))
        || words_besides(sentence, mentions) < MIN_WORDS
}

/// Words of two letters or more outside the date phrases; tokens with
/// digits or joiners ("yy/mm/dd", "04:05:06") are not words.
fn words_besides(sentence: &str, mentions: &[DateMention]) -> usize {
    let mut rest = String::with_capacity(sentence.len());
    let mut at = 0;
    for m in mentions {
        rest.push_str(&sentence[at..m.span.start]);
        rest.push(' ');
        at = m.span.end;
    }
    rest.push_str(&sentence[at..]);
    rest.split_whitespace()
        .map(|t| t.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|t| t.chars().count() >= 2 && t.chars().all(char::is_alphabetic))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::{Anchors, tag_dates};

    fn shows(sentence: &str) -> bool {
        shows_examples(sentence, &tag_dates(sentence, &Anchors::default()))
    }

    #[test]
    fn examples_and_fragments_report_nothing() {
        assert!(shows(
            "For example, 2005-01-01 is part of the 53rd week of year 2004."
        ));
        assert!(shows(
            "It will output the date in the form 1999-01-18, i.e., in the YYYY-MM-DD format."
        ));
        assert!(shows("Sept. 1989."));
        assert!(shows("1999-01-08 January 8, 1999"));
        assert!(shows("yy/mm/dd 47/03/29 1947-03-29"));
    }

    #[test]
    fn reports_are_kept() {
        assert!(!shows(
            "Version 3 appeared in 1991 and added support for multiple storage managers."
        ));
        assert!(!shows("Trump held a call on September 7, 2025."));
        assert!(!shows("Established in 2015, the C5+1 platform aims high."));
        assert!(!shows("No date here at all."));
        assert!(!shows(
            "Talks began in 2023, such as those on lithium and cobalt."
        ));
    }
}
