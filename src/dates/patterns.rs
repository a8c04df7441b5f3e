//! The regular expressions that find date phrases, and what their captures hold.

use std::ops::Range;
use std::sync::LazyLock;

use regex::{Captures, Regex};

/// Month names, abbreviations included: only where a year follows.
pub(super) const MONTH: &str = r"(January|February|March|April|May|June|July|August|September|October|November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)";
/// Full month names: a bare "Jan" or "Mar" is too often a name.
pub(super) const MONTH_NAME: &str =
    r"(January|February|March|April|May|June|July|August|September|October|November|December)";
pub(super) const YEAR: &str = r"((?:19|20)\d{2})";
pub(super) const ORDINAL: &str = r"(?:st|nd|rd|th)?";
pub(super) const COUNT: &str =
    r"(\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several)";

pub(super) fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid regex")
}

/// Month-day-year and friends: dates the text states in full.
pub(super) static FULL_DAY: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    vec![
        regex(&format!(r"\b{MONTH}\s+(\d{{1,2}}){ORDINAL},?\s+{YEAR}\b")),
        regex(&format!(
            r"\b(\d{{1,2}}){ORDINAL}\s+(?:of\s+)?{MONTH},?\s+{YEAR}\b"
        )),
        regex(r"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b"),
    ]
});

pub(super) static MONTH_YEAR: LazyLock<Regex> =
    LazyLock::new(|| regex(&format!(r"\b{MONTH},?\s+(?:of\s+)?{YEAR}\b")));

/// "2019-2025", "2019–25", "from 2019 to 2025", "between 2019 and 2025".
pub(super) static YEAR_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"(?i)\b(?:(from|between)\s+)?{YEAR}\s*(-|–|—|to|through|until|and)\s*((?:19|20)?\d{{2}})\b"
    ))
});

/// "the 1990s", "the mid-1990s", "the early 2000s".
pub(super) static DECADE: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?i)\b(?:the\s+)?(?:(early|mid|late)[-\s])?((?:19|20)\d0)['’]?s\b"));

/// "the fall of 2025", "spring 2024".
pub(super) static SEASON: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"(?i)\b(?:the\s+)?(?:spring|summer|fall|autumn|winter)\s+(?:of\s+)?{YEAR}\b"
    ))
});

/// A year standing alone, with its qualifiers: "2021", "late 2024", "mid-2025".
pub(super) static YEAR_ALONE: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"(?i)(?:\b(?:early|late|mid|the\s+(?:end|start|beginning|middle)\s+of)[-\s]+)?\b{YEAR}\b"
    ))
});

/// A month and day without a year: "November 6", "6 November".
pub(super) static MONTH_DAY: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    vec![
        regex(&format!(r"\b{MONTH_NAME}\s+(\d{{1,2}}){ORDINAL}\b")),
        regex(&format!(
            r"\b(\d{{1,2}}){ORDINAL}\s+(?:of\s+)?{MONTH_NAME}\b"
        )),
    ]
});

/// A month without a year after a word that makes it a date: "in July",
/// "last March", "that July".
pub(super) static MONTH_ALONE: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"\b(?i:(in|since|by|until|from|during|through|before|after|early|late|mid|last|this|next|that))[-\s]+{MONTH_NAME}\b"
    ))
});

/// "last year", "this month", "earlier this week", "earlier in the week".
pub(super) static DOCUMENT_RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)\b(?:(last|this|next)|(?:earlier|later)\s+(?:this|in\s+the))\s+(year|month|week)\b|\b(yesterday)\b",
    )
});

/// "Two months later", "a year earlier", "three weeks after".
pub(super) static COUNTED: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"(?i)\b{COUNT}\s+(day|week|month|year|decade)s?\s+(later|after(?:wards?)?|earlier|before)\b"
    ))
});

/// "That same year", "the following month", "later that year", "earlier the same week".
pub(super) static SAME_OR_NEXT: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)\b(?:(?:earlier|later)\s+)?(?:(?:that|the)\s+(same|following|next|previous|preceding)|(that))\s+(year|month|week)\b",
    )
});

/// Words without which a sentence holds no date phrase but a number: most
/// sentences of a large corpus have neither, and skip the patterns above.
pub(super) static DATE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"{MONTH_NAME}|(?i:year|month|week|days?\b|decade|yesterday)"
    ))
});

/// A month's name or abbreviation, alone: "May", "Sept", "dec".
pub(super) fn is_month(word: &str) -> bool {
    static ALONE: LazyLock<Regex> = LazyLock::new(|| regex(&format!(r"(?i)^{MONTH}$")));
    ALONE.is_match(word)
}

/// A year, or any number a year could be ("4714 BC"), right after a month or day.
pub(super) static YEAR_NEXT: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^,?\s*(?:of\s+)?\d{1,4}\b"));

/// Does a year follow byte `at` ("January 2022", "November 6, 2025", "24 November 4714 BC")?
pub(super) fn followed_by_year(sentence: &str, at: usize) -> bool {
    YEAR_NEXT.is_match(&sentence[at..])
}

pub(super) fn whole(c: &Captures) -> Range<usize> {
    c.get(0).map_or(0..0, |m| m.range())
}

pub(super) fn number(c: &Captures, group: usize) -> i32 {
    c.get(group)
        .and_then(|m| m.as_str().parse().ok())
        .unwrap_or(0)
}

pub(super) fn month_of(c: &Captures, group: usize) -> u32 {
    let lower = c
        .get(group)
        .map_or(String::new(), |m| m.as_str().to_lowercase());
    [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .position(|m| lower.starts_with(m))
    .map_or(0, |i| i as u32 + 1)
}

pub(super) fn count_of(word: &str) -> Option<i32> {
    let word = word.to_lowercase();
    let words = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    match word.as_str() {
        "a" | "an" => Some(1),
        // "several" has no single value.
        "several" => None,
        w => words
            .iter()
            .position(|n| *n == w)
            .map(|i| i as i32 + 1)
            .or_else(|| w.parse().ok()),
    }
}
