//! Field lines: a short line that states a date as a fact about the section
//! it stands under: "Release date: 2023-02-07", "Published: May 5, 2025",
//! "Version 1.2 (2024-05-01)", or a date alone on its line.

use std::sync::LazyLock;

use regex::Regex;

use super::single_date;
use crate::dates::{PartialDate, Precision};

/// Longer lines are sentences, not fields.
const MAX_FIELD_LINE: usize = 80;

/// An optional label, then the rest of the line.
static LABELLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(release\s+date|released(?:\s+on)?|date\s+released|publication\s+date|published(?:\s+on)?|date|updated(?:\s+on)?|last\s+updated)\s*[:\-–—]?\s*)?(.+?)[\s.]*$",
    )
    .expect("valid regex")
});

/// "Version 1.2 (2024-05-01)", "v2.0.1 – 2024-05-01", "1.4.0, May 5, 2025".
static VERSIONED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:version|release|v)?\s*\d+(?:\.\d+)+\S*\s*(?:\(|[-–—,:]\s*)(.+?)\)?[\s.]*$")
        .expect("valid regex")
});

/// What a field line states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldLine {
    pub date: PartialDate,
    /// The line dates a release ("Release date: …", "Version 1.2 (…)"), not a page.
    pub release: bool,
}

/// The date `line` states as a field, if it is one.
pub fn field_line(line: &str) -> Option<FieldLine> {
    // Markdown emphasis around the whole line: "*Release date: 2023-02-07*".
    let line = line.trim().trim_matches(|c| c == '*' || c == '_').trim();
    if line.len() > MAX_FIELD_LINE {
        return None;
    }
    if let Some(c) = VERSIONED.captures(line) {
        return whole_date(c.get(1)?.as_str(), Precision::Month).map(|date| FieldLine {
            date,
            release: true,
        });
    }
    let c = LABELLED.captures(line)?;
    let label = c.get(1).map(|m| m.as_str().to_lowercase());
    // A date alone on its line must say more than a year, which is as often a number.
    let least = if label.is_some() {
        Precision::Year
    } else {
        Precision::Month
    };
    whole_date(c.get(2)?.as_str(), least).map(|date| FieldLine {
        date,
        release: label.is_some_and(|l| l.contains("release")),
    })
}

/// The date `text` is, when it is exactly one date told in full.
fn whole_date(text: &str, least: Precision) -> Option<PartialDate> {
    single_date(text, least)
        .filter(|m| m.span == (0..text.len()))
        .map(|m| m.date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str) -> Option<(String, bool)> {
        field_line(line).map(|f| (f.date.to_string(), f.release))
    }

    #[test]
    fn field_lines_state_a_date() {
        let yes = |line: &str, date: &str, release: bool| {
            assert_eq!(read(line), Some((date.to_string(), release)), "{line}");
        };
        yes("Release date: 2023-02-07", "2023-02-07", true);
        yes("*Release date: 2023-02-07*", "2023-02-07", true);
        yes("Released: May 5, 2025.", "2025-05-05", true);
        yes("Published: 7 September 2025", "2025-09-07", false);
        yes("Date: May 2024", "2024-05", false);
        yes("Last updated — March 2024", "2024-03", false);
        yes("April 2, 2024", "2024-04-02", false);
        yes("Version 1.2 (2024-05-01)", "2024-05-01", true);
        yes("v2.0.1 – 2024-05-01", "2024-05-01", true);
    }

    #[test]
    fn sentences_and_bare_numbers_are_not_field_lines() {
        for line in [
            "The release date was moved to 2023-02-07 after review",
            "2024",
            "Date: sometime soon",
            "Released: 2023-02-07 and 2023-03-01",
            "Fix time.localtime() to support years before 1902.",
            "Version 1.2 is the last to support Python 2",
            "",
        ] {
            assert_eq!(read(line), None, "{line}");
        }
    }
}
