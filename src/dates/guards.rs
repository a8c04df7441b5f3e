//! Numbers that look like dates and are not: parts of links, codes, amounts.

use super::word_before;
use crate::partial_date::PartialDate;

pub(super) fn plausible(date: PartialDate) -> bool {
    super::year::plausible(date.year)
}

/// Inside a web address: "blog.rust-lang.org/2020/01/03/…" dates a link, not an event.
pub(super) fn in_link(sentence: &str, at: usize) -> bool {
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
pub(super) fn numbered_by(sentence: &str, at: usize) -> bool {
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
        Some('-' | '_' | ':') => !before.next().is_some_and(char::is_alphanumeric),
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
