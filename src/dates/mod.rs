//! Dates in running text, resolved to [`PartialDate`]s: full and partial
//! dates ("September 7, 2025", "December 2024", "in 2021", "late 2024"),
//! ranges and decades ("the 2019-2025 period", "the mid-1990s"), dates
//! completed from the document's date ("November 6", "in July", "last
//! year", "this month"), and narrative dates resolved against the last date
//! before them in the paragraph ("Two months later", "That same year").

use std::ops::Range;

use serde::Serialize;

mod explicit;
pub mod field_line;
mod guards;
mod partial_date;
mod patterns;
mod relative;
pub mod year;

pub use partial_date::{PartialDate, Precision};

use guards::{plausible, reports_nothing};
use patterns::DATE_WORDS;

/// A date a relative phrase can be resolved against, and whether that date
/// was itself inferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    pub date: PartialDate,
    pub inferred: bool,
}

/// What a sentence's dates are resolved against.
#[derive(Debug, Clone, Copy, Default)]
pub struct Anchors {
    /// The document's date (from metadata, or inferred from its text).
    pub document: Option<Anchor>,
    /// The last date mentioned before this sentence in the same paragraph.
    pub narrative: Option<Anchor>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionKind {
    /// A date: "in 2021".
    Point,
    /// An open range from a date on: "since 2017".
    Since,
    /// A closed range: "the 2019-2025 period", "the 1990s".
    Range,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// The phrase carries its full date.
    Explicit,
    /// Completed from the document's date: "November 6", "in July", "last year".
    DocumentRelative,
    /// Counted from the last date before it in the paragraph: "Two months later".
    Narrative,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DateMention {
    /// Byte span of the phrase in the sentence.
    pub span: Range<usize>,
    pub date: PartialDate,
    /// The last year of a range.
    pub end: Option<PartialDate>,
    pub kind: MentionKind,
    pub resolution: Resolution,
    /// The date a relative phrase was resolved against.
    pub anchor: Option<PartialDate>,
    /// True when that anchor was itself inferred.
    pub inferred: bool,
    /// The phrase names its month or year ("November 6", "in 2021") rather
    /// than pointing at one ("this month", "two years later").
    pub named: bool,
}

impl DateMention {
    pub fn explicit(span: Range<usize>, date: PartialDate) -> DateMention {
        DateMention {
            span,
            date,
            end: None,
            kind: MentionKind::Point,
            resolution: Resolution::Explicit,
            anchor: None,
            inferred: false,
            named: true,
        }
    }

    fn relative(
        span: Range<usize>,
        date: PartialDate,
        resolution: Resolution,
        anchor: Anchor,
    ) -> DateMention {
        DateMention {
            span,
            date,
            end: None,
            kind: MentionKind::Point,
            resolution,
            anchor: Some(anchor.date),
            inferred: anchor.inferred,
            named: false,
        }
    }
}

/// The one date `text` states in full, a point in time at `least` precision
/// or better, when it states exactly one.
pub fn single_date(text: &str, least: Precision) -> Option<DateMention> {
    match tag_dates(text, &Anchors::default()).as_slice() {
        [m] if m.kind == MentionKind::Point && m.date.precision() >= least => Some(m.clone()),
        _ => None,
    }
}

/// All date mentions in `sentence`, in text order; where two overlap the
/// longer one wins.
pub fn tag_dates(sentence: &str, anchors: &Anchors) -> Vec<DateMention> {
    let has_digits = sentence.bytes().any(|b| b.is_ascii_digit());
    let has_words = DATE_WORDS.is_match(sentence);
    if !has_digits && !has_words {
        return Vec::new();
    }
    let mut found = if has_digits {
        explicit::explicit(sentence)
    } else {
        Vec::new()
    };
    if has_words {
        if let Some(document) = anchors.document {
            found.extend(relative::document_relative(
                sentence,
                document,
                anchors.narrative,
            ));
        }
        found.extend(relative::narrative(sentence, anchors));
    }
    found.retain(|m| plausible(m.date) && m.end.is_none_or(plausible));
    // Judged whole: a quoted "May 5, 2025" leaves no "2025" behind.
    let mut kept = longest_without_overlap(found);
    kept.retain(|m| !reports_nothing(sentence, &m.span));
    for mention in &mut kept {
        mark_since(sentence, mention);
    }
    kept
}

/// "Since 2017", "since the mid-1990s": an open range from that date.
fn mark_since(sentence: &str, mention: &mut DateMention) {
    if mention.kind == MentionKind::Range {
        return;
    }
    let (word_start, word) = word_before(sentence, mention.span.start);
    if word.eq_ignore_ascii_case("since") {
        mention.kind = MentionKind::Since;
        mention.span.start = word_start;
    } else if sentence[mention.span.clone()]
        .get(..5)
        .is_some_and(|w| w.eq_ignore_ascii_case("since"))
    {
        mention.kind = MentionKind::Since;
    }
}

/// The word just before byte `at` of `sentence`, and where it starts.
fn word_before(sentence: &str, at: usize) -> (usize, &str) {
    let before = sentence[..at].trim_end();
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(0, |(i, c)| i + c.len_utf8());
    (start, &before[start..])
}

fn longest_without_overlap(mut found: Vec<DateMention>) -> Vec<DateMention> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn anchor(iso: &str) -> Option<Anchor> {
        PartialDate::parse_iso(iso).map(|date| Anchor {
            date,
            inferred: false,
        })
    }

    fn dates(sentence: &str, document: &str, narrative: &str) -> Vec<(String, String)> {
        let anchors = Anchors {
            document: anchor(document),
            narrative: anchor(narrative),
        };
        tag_dates(sentence, &anchors)
            .into_iter()
            .map(|m| (sentence[m.span].to_string(), m.date.to_string()))
            .collect()
    }

    /// A sentence, its document's date, the last date before it in its
    /// paragraph, and the phrases found with their dates.
    type Row = (
        &'static str,
        &'static str,
        &'static str,
        &'static [(&'static str, &'static str)],
    );

    #[rustfmt::skip]
    const PHRASES: &[Row] = &[
        // Dates told in full.
        ("Trump on September 7, 2025, held a call", "2025-09", "", &[("September 7, 2025", "2025-09-07")]),
        ("It opened on 7 September 2025.", "", "", &[("7 September 2025", "2025-09-07")]),
        ("Filed 2025-09-07 by the clerk", "", "", &[("2025-09-07", "2025-09-07")]),
        ("Signed on the 3rd of March, 2021.", "", "", &[("3rd of March, 2021", "2021-03-03")]),
        ("Sept. 12, 2023 was the date", "", "", &[("Sept. 12, 2023", "2023-09-12")]),
        ("In Jan 2020 the office opened", "", "", &[("Jan 2020", "2020-01")]),
        ("at the beginning of December 2024, during", "", "", &[("December 2024", "2024-12")]),
        ("Since January 2022, the framework", "2025", "", &[("Since January 2022", "2022-01")]),
        ("Established in 2015, the C5+1 platform", "2023-09", "", &[("2015", "2015")]),
        ("Since 2017, the two nations", "2025-09", "", &[("Since 2017", "2017")]),
        ("In late 2024, shortly before", "2025-09", "", &[("late 2024", "2024")]),
        ("In mid-2025, tariffs – including a 25% duty", "2025-09", "", &[("mid-2025", "2025")]),
        ("early 2025 saw growth", "", "", &[("early 2025", "2025")]),
        ("by the end of 2026 the line opens", "", "", &[("the end of 2026", "2026")]),
        ("Central Asia in the fall of 2025: focus", "2025-11", "", &[("the fall of 2025", "2025")]),
        ("In the autumn of 2024 talks resumed", "", "", &[("the autumn of 2024", "2024")]),
        ("spring 2023 was wet", "", "", &[("spring 2023", "2023")]),
        ("the 2021 withdrawal from Afghanistan", "", "", &[("2021", "2021")]),
        ("in 1999's budget", "", "", &[("1999", "1999")]),
        ("Rahmon last visited Washington in 2002, Mirziyoyev in 2018", "", "", &[("2002", "2002"), ("2018", "2018")]),
        ("in 2019 and 2025 alike", "", "", &[("2019", "2019"), ("2025", "2025")]),
        ("from 2019 to 25 countries", "", "", &[("2019", "2019")]),
        ("a meeting at Mar-a-Lago in 2025", "", "", &[("2025", "2025")]),
        // Ranges and decades, at their start.
        ("the strategy for the 2019-2025 period", "", "", &[("2019-2025", "2019")]),
        ("the 2024–25 season", "", "", &[("2024–25", "2024")]),
        ("from 2010 to 2014 it grew", "", "", &[("from 2010 to 2014", "2010")]),
        ("between 2001 and 2005 it shrank", "", "", &[("between 2001 and 2005", "2001")]),
        ("trade under agreements since the mid-1990s", "", "", &[("since the mid-1990s", "1995")]),
        ("the 1990s were hard", "", "", &[("the 1990s", "1990")]),
        ("in the early 2000s", "", "", &[("the early 2000s", "2000")]),
        ("in the late 1980s", "", "", &[("the late 1980s", "1987")]),
        // Completed from the document's date.
        ("Tokayev had reached out in July, expressing", "2025-09", "", &[("in July", "2025-07")]),
        ("In September, the US president held a meeting", "2025-11", "", &[("In September", "2025-09")]),
        ("the milestone C5+1 summit on November 6 should", "2025-11", "", &[("November 6", "2025-11-06")]),
        ("on 6 November the summit opens", "2025-11", "", &[("6 November", "2025-11-06")]),
        ("In December, he left.", "2025-11", "", &[("In December", "2024-12")]),
        ("the deportation of 131 Uzbek nationals in April", "2025-09", "", &[("in April", "2025-04")]),
        ("since May the price fell", "2025-09", "", &[("since May", "2025-05")]),
        ("by mid-June the talks stalled", "2025-09", "", &[("mid-June", "2025-06")]),
        ("last March the rule changed", "2025-03", "", &[("last March", "2024-03")]),
        ("talks resume next July", "2025-03", "", &[("next July", "2025-07")]),
        ("In that July letter, Tokayev committed", "2025-09", "2025-07", &[("that July", "2025-07")]),
        ("Last year, the Biden administration initiated", "2023-09", "", &[("Last year", "2022")]),
        ("This year, exports grew", "2025-03", "", &[("This year", "2025")]),
        ("next year the plant opens", "2025", "", &[("next year", "2026")]),
        ("earlier this year the plan changed", "2025-06", "", &[("earlier this year", "2025")]),
        ("summit this month presents an opportunity", "2023-09", "", &[("this month", "2023-09")]),
        ("prices rose last month", "2025-01", "", &[("last month", "2024-12")]),
        ("the vote is next month", "2025-12", "", &[("next month", "2026-01")]),
        ("Earlier in the week, Trump also spoke", "2025-09-10", "", &[("Earlier in the week", "2025-09")]),
        ("last week officials met", "2025-09-15", "", &[("last week", "2025-09")]),
        ("the ministry said yesterday", "2025-03-01", "", &[("yesterday", "2025-02-28")]),
        ("Earlier the same week, Trump agreed", "2025-09", "", &[("Earlier the same week", "2025-09")]),
        // Counted from the last date before them in the paragraph.
        ("Two months later, the summit in Astana", "2025-09", "2025-04", &[("Two months later", "2025-06")]),
        ("That same year, officials underscored", "2025-09", "2024", &[("That same year", "2024")]),
        ("A year later the line opened", "", "2019-05", &[("A year later", "2020")]),
        ("three weeks later it closed", "", "2025-09-07", &[("three weeks later", "2025-09")]),
        ("ten days later the deal fell through", "", "2025-09-25", &[("ten days later", "2025-10-05")]),
        ("The following month, prices rose", "", "2025-12", &[("The following month", "2026-01")]),
        ("two years earlier, the plan failed", "", "2020", &[("two years earlier", "2018")]),
        ("Later that year, talks resumed", "", "2024-03", &[("Later that year", "2024")]),
        ("six months after, nothing had changed", "", "2025-01", &[("six months after", "2025-07")]),
        ("a decade later it was gone", "", "2001", &[("a decade later", "2011")]),
        // Relative phrases with nothing to resolve them against.
        ("the first meeting last year", "", "", &[]),
        ("Two months later, the summit", "2025", "", &[]),
        ("three weeks later it closed", "", "2025-09", &[]),
        ("two years after the war, trade grew", "", "2020", &[]),
        ("in the last year of his term", "2025", "", &[]),
        // Not dates.
        ("Central Asia may become a factor", "2025-09", "", &[]),
        ("a €12 billion (US$13.2 billion) package", "2025-09", "", &[]),
        ("83% of USAID programs and $2025 in fees", "", "", &[]),
        ("C5+1 and B5+1 and G20 and COVID-19", "", "", &[]),
        ("a code 20250 and ISO-2021x", "", "", &[]),
        ("the deportation of 131 Uzbek nationals", "2025-09", "", &[]),
        ("a meeting of 40 minutes", "2025-09", "", &[]),
        ("revenue of 2,025 units and 2025.5 tons", "", "", &[]),
        ("versions 3.10 and 2.7 differ", "", "", &[]),
        ("1800 troops and a plan for 2099", "", "", &[]),
        ("fixed in CVE-2021-44532 and ansi_x3.4-1968", "", "", &[]),
        ("the iso-2022-jp and ks_c_5601-1987 encodings", "", "", &[]),
        ("at 1970-01-01T00:00Z", "", "", &[]),
        ("iso_8859-2:1987 and '2001:4860:a005::68'", "", "", &[]),
        ("~2000 changes, see #1931 and RFC 2008 or PEP 2026", "", "", &[]),
        ("see https://blog.rust-lang.org/2020/01/03/post and www.example.com/2019", "", "", &[]),
        // Whitespace of more than one byte before a date.
        ("Released\u{a0}May 5, 2025 to all", "", "", &[("May 5, 2025", "2025-05-05")]),
        ("see\u{a0}2019 and\u{3000}2020", "", "", &[("2019", "2019"), ("2020", "2020")]),
        ("see\u{2003}www.example.com/2019", "", "", &[]),
        // Names of standards and products, bounds, counts, eras and examples.
        ("Add test cases for IDNA 2003 and 2008 host names.", "", "", &[]),
        ("Update Windows release build machines to Visual Studio 2019 (MSVC 14.2).", "", "", &[]),
        ("Fix build on MSVC 2013; the Kazakhstan 2050 strategy", "", "", &[]),
        ("ZipFile can zip files older than 1980-01-01 and newer than 2107-12-31", "", "", &[]),
        ("Fix time.localtime() to support years before 1902 and after 2038.", "", "", &[]),
        ("Fix time.mktime() error handling on AIX for year before 1970.", "", "", &[]),
        ("raises an OverflowError for year outside range [1902; 2037].", "", "", &[]),
        ("a key between 1 and 2024 bytes long, up to 2000 rows", "", "", &[]),
        ("it lasted 2000 years", "", "", &[]),
        ("JD 0 is 24 November 4714 BC in the Gregorian calendar", "2020", "", &[]),
        ("founded in 2000 BCE, the city", "", "", &[]),
        ("date(2002, 12, 4).isoformat() == '2002-12-04' and `2001-05-06`", "", "", &[]),
        ("In 2021 and By 2030, after 2022 and before the 2019 vote", "", "", &[("2021", "2021"), ("2030", "2030"), ("2022", "2022"), ("2019", "2019")]),
        ("the U.N. General Assembly this month", "2023-09", "", &[("this month", "2023-09")]),
        ("So, 1700, 1800, 1900, 2100, and 2200 are not leap years.", "", "", &[]),
        ("used by the Census in 1880, 1900, and 1910", "", "", &[]),
        ("used by the Census in 1990, 2000, and 2010", "", "", &[("1990", "1990"), ("2000", "2000"), ("2010", "2010")]),
        ("Released “May 5, 2025” was a song, released on May 6, 2025", "", "", &[("May 6, 2025", "2025-05-06")]),
    ];

    #[test]
    fn phrases_resolve() {
        assert!(PHRASES.len() >= 60);
        for (sentence, document, narrative, expected) in PHRASES {
            let want: Vec<(String, String)> = expected
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
            assert_eq!(dates(sentence, document, narrative), want, "{sentence}");
        }
    }

    #[test]
    fn kinds_and_resolutions_are_kept() {
        let anchors = Anchors {
            document: Some(Anchor {
                date: PartialDate::month(2025, 9).unwrap(),
                inferred: true,
            }),
            narrative: None,
        };
        let found = tag_dates("Since 2017 and in July, the 2019-2025 plan", &anchors);
        assert_eq!(found[0].kind, MentionKind::Since);
        assert_eq!(found[1].resolution, Resolution::DocumentRelative);
        assert_eq!(found[1].anchor, PartialDate::month(2025, 9));
        assert!(found[1].inferred, "resolved against an inferred date");
        assert_eq!(found[2].kind, MentionKind::Range);
        assert_eq!(found[2].end, Some(PartialDate::year(2025)));

        let anchors = Anchors {
            narrative: anchor("2025-04"),
            ..anchors
        };
        let later = &tag_dates("Two months later, it ended", &anchors)[0];
        assert_eq!(later.resolution, Resolution::Narrative);
        assert_eq!(later.anchor, PartialDate::month(2025, 4));
        assert!(!later.inferred);
    }

    #[test]
    fn hostile_text_yields_nothing_or_dates_only() {
        let anchors = Anchors {
            document: anchor("2025-09"),
            narrative: anchor("2025-09-07"),
        };
        assert!(tag_dates(&"9".repeat(10_000), &anchors).is_empty());
        assert!(tag_dates("🙂 مرحبا \u{202e} \0 в июле", &anchors).is_empty());
        for m in tag_dates(&"in July 2025, ".repeat(1000), &anchors) {
            assert_eq!(m.date, PartialDate::month(2025, 7).unwrap());
        }
    }

    proptest::proptest! {
        /// Any mix of date words, numbers and other scripts: spans in order,
        /// on character boundaries, never overlapping; years plausible;
        /// ranges ending after they start.
        #[test]
        fn mentions_are_well_formed(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "in", "July", "2025", "since", "the", "mid-1990s", "Two", "months", "later",
                    "last", "year", "week", "–", "-", "2019", "25", "November", "6,", "that",
                    "same", "€12", "25%", "C5+1", "в", "июле", "🙂", "between", "and", "1800",
                    "\u{a0}", "\u{3000}May", "İlham",
                ]),
                0..24,
            ),
            document in proptest::option::of("(19|20)[0-9]{2}(-0[1-9])?"),
        ) {
            let sentence = words.join(" ");
            let anchors = Anchors {
                document: document.as_deref().and_then(anchor),
                narrative: anchor("2024-05-10"),
            };
            let found = tag_dates(&sentence, &anchors);
            let mut end = 0;
            for m in &found {
                proptest::prop_assert!(m.span.start >= end && m.span.start < m.span.end);
                proptest::prop_assert!(sentence.is_char_boundary(m.span.start));
                proptest::prop_assert!(sentence.is_char_boundary(m.span.end));
                proptest::prop_assert!(year::plausible(m.date.year));
                if let Some(last) = m.end {
                    proptest::prop_assert!(last > m.date);
                }
                end = m.span.end;
            }
        }
    }
}
