//! Numbers that look like dates and are not: parts of links, codes and
//! amounts, names of standards and products, bounds, counts, dates before
//! the common era, and dates quoted as examples.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::patterns::is_month;
use super::word_before;
use crate::dates::PartialDate;

/// Whether the phrase at `span` of `sentence` reports no event, whatever it looks like.
pub(super) fn reports_nothing(sentence: &str, span: &Range<usize>) -> bool {
    // Only a bare number can be a name's part, a bound or a count:
    // "IDNA 2003", not "the General Assembly this month".
    let text = &sentence[span.clone()];
    let starts_with_number = text.starts_with(|c: char| c.is_ascii_digit());
    let ends_with_number = text.ends_with(|c: char| c.is_ascii_digit());
    in_link(sentence, span.start)
        || numbered_by(sentence, span.start)
        || (starts_with_number && (named_by(sentence, span.start) || bound(sentence, span.start)))
        || (ends_with_number
            && (counts(sentence, span.end) || before_common_era(sentence, span.end)))
        || quoted(sentence, span)
        || coordinated(sentence, span.start).is_some_and(|first| reports_nothing(sentence, &first))
        || (starts_with_number && ends_with_number && in_list_of_numbers(sentence, span))
}

/// A year-shaped number listed with numbers that cannot be years: "1700,
/// 1800, 1900, 2100, and 2200 are not leap years".
fn in_list_of_numbers(sentence: &str, span: &Range<usize>) -> bool {
    static LISTED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b\d{3,4}(?:\s*,\s*(?:and\s+|or\s+)?\d{3,4}|\s+(?:and|or)\s+\d{3,4}){2,}\b")
            .expect("valid regex")
    });
    LISTED.find_iter(sentence).any(|list| {
        list.start() <= span.start
            && span.end <= list.end()
            && list
                .as_str()
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|n| n.parse::<i32>().ok())
                .any(|n| !super::year::plausible(n))
    })
}

/// The number a date is coordinated with: "2003" of "IDNA 2003 and 2008",
/// which shares its verdict.
fn coordinated(sentence: &str, at: usize) -> Option<Range<usize>> {
    let (start, word) = word_before(sentence, at);
    let before = if matches!(word, "and" | "or") {
        &sentence[..start]
    } else {
        sentence[..at].trim_end().strip_suffix(',')?
    }
    .trim_end();
    let digits = before.len()
        - before
            .trim_end_matches(|c: char| c.is_ascii_digit() || c == '-')
            .len();
    (digits >= 4).then(|| before.len() - digits..before.len())
}

pub(super) fn plausible(date: PartialDate) -> bool {
    super::year::plausible(date.year)
}

/// Inside a web address: "blog.rust-lang.org/2020/01/03/…" dates a link, not an event.
fn in_link(sentence: &str, at: usize) -> bool {
    // Past the whitespace char, however many bytes it takes (a no-break space takes two).
    let start = sentence[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = sentence[at..]
        .find(char::is_whitespace)
        .map_or(sentence.len(), |i| at + i);
    let token = &sentence[start..end];
    token.contains("://") || token.contains("www.")
}

/// A number named as an identifier: "RFC 2008", "PR 1969", "issue 2021".
fn numbered_by(sentence: &str, at: usize) -> bool {
    const NAMES: &[&str] = &[
        "rfc", "pr", "pep", "issue", "ticket", "bug", "no", "number", "version", "port", "id",
    ];
    let word = word_before(sentence, at).1.to_lowercase();
    NAMES.contains(&word.as_str())
}

// A year is not part of an amount, a percentage, a code or a longer number:
// nothing is glued to it on either side.

/// Nothing glued before a year: "$2025", "~2000 changes", "#1931", "CVE-2021", "8859-2:1987".
pub(super) fn clear_before(sentence: &str, at: usize) -> bool {
    let mut before = sentence[..at].chars().rev();
    match before.next() {
        Some(c)
            if c.is_alphanumeric()
                || matches!(c, '$' | '€' | '£' | '+' | '.' | ',' | '~' | '#') =>
        {
            false
        }
        // "date(2002, 12, 4)": an argument in code.
        Some('-' | '_' | ':' | '(') => !before.next().is_some_and(char::is_alphanumeric),
        _ => true,
    }
}

/// Nothing glued after a year: "2025%", "2025,000", "2022-jp", "2001:4860::68".
pub(super) fn clear_after(sentence: &str, at: usize) -> bool {
    let rest = &sentence[at..];
    let mut after = rest.chars();
    match after.next() {
        Some(c) if c.is_alphanumeric() || matches!(c, '%' | '+') => false,
        Some('-' | '_' | ':') => !after.next().is_some_and(char::is_alphanumeric),
        _ => !continues_number(rest),
    }
}

/// "2025,000" or "2025.5": the digits go on after a separator.
pub(super) fn continues_number(rest: &str) -> bool {
    let mut chars = rest.chars();
    matches!(chars.next(), Some(',' | '.')) && chars.next().is_some_and(|c| c.is_ascii_digit())
}

/// Words that may stand capitalised before a year without naming anything:
/// "In 2021", "By 2030", "Spring 2024".
const LEADS: &[&str] = &[
    "a",
    "about",
    "after",
    "and",
    "around",
    "as",
    "at",
    "autumn",
    "before",
    "between",
    "beyond",
    "but",
    "by",
    "ca",
    "circa",
    "during",
    "early",
    "end",
    "fall",
    "for",
    "from",
    "in",
    "into",
    "its",
    "late",
    "mid",
    "of",
    "on",
    "or",
    "since",
    "spring",
    "summer",
    "than",
    "that",
    "the",
    "their",
    "this",
    "through",
    "throughout",
    "till",
    "to",
    "until",
    "up",
    "winter",
    "with",
    "within",
    "year",
];

/// A year that is part of a name: a standard ("IDNA 2003"), a product
/// ("Visual Studio 2019", "MSVC 2013"), a plan ("Kazakhstan 2050").
fn named_by(sentence: &str, at: usize) -> bool {
    let (start, word) = word_before(sentence, at);
    let lower = word.to_lowercase();
    // A sentence's first word is capitalised anyway ("Filed 2025-09-07"),
    // unless it is an acronym.
    let first = sentence[..start]
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .is_empty();
    let acronym = word.chars().count() >= 2 && word.chars().all(char::is_uppercase);
    word.chars().next().is_some_and(char::is_uppercase)
        && (!first || acronym)
        && !LEADS.contains(&lower.as_str())
        && !is_month(word)
}

/// A limit on what is accepted, not a happening: "older than 1980-01-01",
/// "years before 1902", "up to 2024", "range [1902; 2037]".
fn bound(sentence: &str, at: usize) -> bool {
    if sentence[..at].trim_end().ends_with('[') {
        return true;
    }
    let (start, word) = word_before(sentence, at);
    let word = word.to_lowercase();
    let (_, previous) = word_before(sentence, start);
    let previous = previous.to_lowercase();
    match word.as_str() {
        "than" | "beyond" => true,
        "to" => previous == "up",
        "before" | "after" => matches!(previous.as_str(), "year" | "years" | "date" | "dates"),
        _ => false,
    }
}

/// What a number right before it counts: "2024 bytes", "2000 years".
const UNITS: &[&str] = &[
    "bits",
    "bytes",
    "characters",
    "chars",
    "columns",
    "days",
    "digits",
    "elements",
    "entries",
    "files",
    "hours",
    "items",
    "kb",
    "lines",
    "mb",
    "minutes",
    "months",
    "ms",
    "pages",
    "pixels",
    "points",
    "rows",
    "seconds",
    "times",
    "tokens",
    "values",
    "weeks",
    "words",
    "years",
];

/// A count, not a year: the number is followed by what it counts.
fn counts(sentence: &str, end: usize) -> bool {
    let next = sentence[end..]
        .trim_start()
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("")
        .to_lowercase();
    UNITS.contains(&next.as_str())
}

static COMMON_ERA_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:BCE?|B\.C\.(?:E\.)?)(?:\W|$)").expect("valid regex"));

/// "24 November 4714 BC", "2000 BCE": never a date of the common era.
fn before_common_era(sentence: &str, end: usize) -> bool {
    COMMON_ERA_BEFORE.is_match(&sentence[end..])
}

/// A date in quotes or backticks is a literal, shown as an example:
/// "date(2002, 12, 4).isoformat() == '2002-12-04'".
fn quoted(sentence: &str, span: &Range<usize>) -> bool {
    let before = sentence[..span.start].chars().next_back();
    let after = sentence[span.end..].chars().next();
    matches!(
        (before, after),
        (Some('\''), Some('\'' | 'T' | ' '))
            | (Some('"'), Some('"'))
            | (Some('“'), Some('”'))
            | (Some('‘'), Some('’'))
            | (Some('`'), Some('`'))
    )
}
