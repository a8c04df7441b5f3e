//! Dates in running text: "September 7, 2025", "December 2024", "since
//! 2017", "in July", "November 6", "last year", resolved to [`PartialDate`]s
//! against the document's date when the text leaves the year out.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::partial_date::PartialDate;

/// What a sentence's dates are resolved against.
#[derive(Debug, Clone, Copy, Default)]
pub struct Anchors {
    /// The document's date (from metadata, or inferred from its text).
    pub document: Option<PartialDate>,
    /// True when `document` was inferred rather than given by metadata.
    pub document_inferred: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionKind {
    /// A date: "in 2021".
    Point,
    /// An open range from a date on: "since 2017".
    Since,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// The phrase carries its full date.
    Explicit,
    /// Completed from the document's date: "November 6", "in July", "last year".
    DocumentRelative,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DateMention {
    /// Byte span of the phrase in the sentence.
    pub span: Range<usize>,
    pub date: PartialDate,
    pub kind: MentionKind,
    pub resolution: Resolution,
    /// The date a relative phrase was resolved against.
    pub anchor: Option<PartialDate>,
    /// True when that anchor was itself inferred.
    pub inferred: bool,
}

const MONTH: &str = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?";

/// Month-day-year, day-month-year, ISO, month-year: complete dates.
static FULL: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        format!(r"\b{MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})\b"),
        format!(r"\b(\d{{1,2}})\s+{MONTH},?\s+(\d{{4}})\b"),
        r"\b(\d{4})-(\d{2})-(\d{2})\b".to_string(),
        format!(r"\b{MONTH},?\s+(\d{{4}})\b"),
    ]
    .iter()
    .map(|p| Regex::new(p).expect("valid regex"))
    .collect()
});

/// A year standing alone, optionally after "since": "in 2021", "since 2017".
static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(\bsince\s+)?(?:\b|mid-|late\s|early\s)((?:19|20)\d{2})\b")
        .expect("valid regex")
});

/// A month with a day and no year: "November 6".
static MONTH_DAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\b{MONTH}\s+(\d{{1,2}})\b")).expect("valid regex"));

/// A month alone after a preposition: "in July", "In September".
static MONTH_ALONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Ll]ate|[Ee]arly)\s+{MONTH}"
    ))
    .expect("valid regex")
});

static RELATIVE_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(last|this|next) year\b").expect("valid regex"));

/// All date mentions in `sentence`, in text order, longest match first where they overlap.
pub fn tag_dates(sentence: &str, anchors: &Anchors) -> Vec<DateMention> {
    let mut found: Vec<DateMention> = Vec::new();
    let explicit = |span: Range<usize>, date: Option<PartialDate>, kind| {
        date.map(|date| DateMention {
            span,
            date,
            kind,
            resolution: Resolution::Explicit,
            anchor: None,
            inferred: false,
        })
    };
    for (i, pattern) in FULL.iter().enumerate() {
        for c in pattern.captures_iter(sentence) {
            let num = |k: usize| {
                c.get(k)
                    .and_then(|m| m.as_str().parse::<u32>().ok())
                    .unwrap_or(0)
            };
            let name = |k: usize| c.get(k).map_or(0, |m| month_number(m.as_str()));
            let date = match i {
                0 => PartialDate::day(num(3) as i32, name(1), num(2)),
                1 => PartialDate::day(num(3) as i32, name(2), num(1)),
                2 => PartialDate::day(num(1) as i32, num(2), num(3)),
                _ => PartialDate::month(num(2) as i32, name(1)),
            };
            found.extend(explicit(
                c.get(0).map_or(0..0, |m| m.range()),
                date.filter(plausible),
                MentionKind::Point,
            ));
        }
    }
    for c in YEAR.captures_iter(sentence) {
        let (Some(all), Some(year)) = (c.get(0), c.get(2)) else {
            continue;
        };
        if !stands_alone(sentence, year.range()) {
            continue;
        }
        let kind = if c.get(1).is_some() {
            MentionKind::Since
        } else {
            MentionKind::Point
        };
        let date = year
            .as_str()
            .parse()
            .ok()
            .map(PartialDate::year)
            .filter(plausible);
        found.extend(explicit(all.range(), date, kind));
    }
    if let Some(document) = anchors.document {
        let relative = |span: Range<usize>, date: Option<PartialDate>| {
            date.map(|date| DateMention {
                span,
                date,
                kind: MentionKind::Point,
                resolution: Resolution::DocumentRelative,
                anchor: Some(document),
                inferred: anchors.document_inferred,
            })
        };
        for c in MONTH_DAY.captures_iter(sentence) {
            let (month, day) = (
                c.get(1).map_or(0, |m| month_number(m.as_str())),
                c.get(2).map_or(0, |m| m.as_str().parse().unwrap_or(0)),
            );
            let year = year_before(document, month);
            found.extend(relative(
                c.get(0).map_or(0..0, |m| m.range()),
                PartialDate::day(year, month, day),
            ));
        }
        for c in MONTH_ALONE.captures_iter(sentence) {
            let (Some(all), Some(name)) = (c.get(0), c.get(1)) else {
                continue;
            };
            let month = month_number(name.as_str());
            found.extend(relative(
                all.range(),
                PartialDate::month(year_before(document, month), month),
            ));
        }
        for c in RELATIVE_YEAR.captures_iter(sentence) {
            let shift = match c.get(1).map(|m| m.as_str().to_lowercase()).as_deref() {
                Some("last") => -1,
                Some("next") => 1,
                _ => 0,
            };
            found.extend(relative(
                c.get(0).map_or(0..0, |m| m.range()),
                Some(PartialDate::year(document.year + shift)),
            ));
        }
    }
    // Longest first, then keep those that do not overlap a kept one.
    found.sort_by_key(|m| (std::cmp::Reverse(m.span.len()), m.span.start));
    let mut kept: Vec<DateMention> = Vec::new();
    for m in found {
        if kept
            .iter()
            .all(|k| m.span.end <= k.span.start || m.span.start >= k.span.end)
        {
            kept.push(m);
        }
    }
    kept.sort_by_key(|m| m.span.start);
    kept
}

fn month_number(name: &str) -> u32 {
    let lower = name.trim_end_matches('.').to_lowercase();
    [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .position(|m| lower.starts_with(m))
    .map_or(0, |i| i as u32 + 1)
}

/// News reports the past: a month without a year is the latest such month
/// not after the document's own.
fn year_before(document: PartialDate, month: u32) -> i32 {
    match document.month {
        Some(m) if month > m as u32 => document.year - 1,
        _ => document.year,
    }
}

fn plausible(date: &PartialDate) -> bool {
    (1900..=2035).contains(&date.year)
}

/// A year is not part of an amount, a percentage, a code or a longer number.
fn stands_alone(sentence: &str, year: Range<usize>) -> bool {
    let before = sentence[..year.start].chars().next_back();
    let after = sentence[year.end..].chars().next();
    !before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '$' | '€' | '£' | '+' | '.' | ','))
        && !after.is_some_and(|c| c.is_alphanumeric() || matches!(c, '%' | '+'))
        && !continues_number(&sentence[year.end..])
}

/// "2025,000" or "2025.5": the digits go on after a separator.
fn continues_number(rest: &str) -> bool {
    let mut chars = rest.chars();
    matches!(chars.next(), Some(',' | '.')) && chars.next().is_some_and(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(sentence: &str, document: &str) -> Vec<(String, String)> {
        let anchors = Anchors {
            document: PartialDate::parse_iso(document),
            document_inferred: false,
        };
        tag_dates(sentence, &anchors)
            .into_iter()
            .map(|m| (sentence[m.span].to_string(), m.date.to_string()))
            .collect()
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    /// A sentence, its document's date, and the phrases with their dates.
    type Row = (
        &'static str,
        &'static str,
        &'static [(&'static str, &'static str)],
    );

    #[test]
    fn phrases_resolve() {
        let table: &[Row] = &[
            (
                "Trump on September 7, 2025, held a call",
                "2025-09",
                &[("September 7, 2025", "2025-09-07")],
            ),
            (
                "It opened on 7 September 2025.",
                "",
                &[("7 September 2025", "2025-09-07")],
            ),
            (
                "Filed 2025-09-07 by the clerk",
                "",
                &[("2025-09-07", "2025-09-07")],
            ),
            (
                "at the beginning of December 2024, during",
                "",
                &[("December 2024", "2024-12")],
            ),
            (
                "Established in 2015, the C5+1 platform",
                "2023-09",
                &[("2015", "2015")],
            ),
            (
                "Since 2017, the two nations",
                "2025-09",
                &[("Since 2017", "2017")],
            ),
            (
                "In late 2024, shortly before",
                "2025-09",
                &[("late 2024", "2024")],
            ),
            (
                "In mid-2025, tariffs – including a 25% duty",
                "2025-09",
                &[("mid-2025", "2025")],
            ),
            (
                "Tokayev had reached out in July, expressing",
                "2025-09",
                &[("in July", "2025-07")],
            ),
            (
                "In September, the US president held a meeting",
                "2025-11",
                &[("In September", "2025-09")],
            ),
            (
                "the milestone C5+1 summit on November 6 should",
                "2025-11",
                &[("November 6", "2025-11-06")],
            ),
            (
                "In December, he left.",
                "2025-11",
                &[("In December", "2024-12")],
            ),
            (
                "Last year, the Biden administration initiated",
                "2023-09",
                &[("Last year", "2022")],
            ),
            (
                "Rahmon last visited Washington in 2002, Mirziyoyev in 2018",
                "",
                &[("2002", "2002"), ("2018", "2018")],
            ),
            (
                "the deportation of 131 Uzbek nationals in April",
                "2025-09",
                &[("in April", "2025-04")],
            ),
            ("the first meeting last year", "", &[]),
            ("Central Asia may become a factor", "2025-09", &[]),
            ("a €12 billion (US$13.2 billion) package", "2025-09", &[]),
            ("83% of USAID programs and $2025 in fees", "", &[]),
            ("C5+1 and B5+1 and G20 and COVID-19", "", &[]),
            ("a code 20250 and ISO-2021x", "", &[]),
        ];
        for (sentence, document, expected) in table {
            assert_eq!(dates(sentence, document), pairs(expected), "{sentence}");
        }
    }

    #[test]
    fn since_is_an_open_range_and_relative_is_marked() {
        let anchors = Anchors {
            document: PartialDate::parse_iso("2025-09"),
            document_inferred: true,
        };
        let found = tag_dates("Since 2017 and in July", &anchors);
        assert_eq!(found[0].kind, MentionKind::Since);
        assert_eq!(found[1].resolution, Resolution::DocumentRelative);
        assert!(found[1].inferred);
    }

    #[test]
    fn hostile_text_yields_nothing_or_dates_only() {
        let anchors = Anchors::default();
        assert!(tag_dates(&"9".repeat(10_000), &anchors).is_empty());
        assert!(tag_dates("🙂 مرحبا \u{202e} \0", &anchors).is_empty());
    }
}
