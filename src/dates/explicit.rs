//! Dates the text states in full: days, months, years, ranges, decades, seasons.

use std::ops::Range;

use super::guards::{clear_after, clear_before};
use super::patterns::*;
use super::{DateMention, MentionKind};
use crate::dates::PartialDate;

pub(super) fn explicit(sentence: &str) -> Vec<DateMention> {
    let mut found = Vec::new();
    for (i, pattern) in FULL_DAY.iter().enumerate() {
        for c in pattern.captures_iter(sentence) {
            let date = match i {
                0 => PartialDate::day(number(&c, 3), month_of(&c, 1), number(&c, 2) as u32),
                1 => PartialDate::day(number(&c, 3), month_of(&c, 2), number(&c, 1) as u32),
                _ => PartialDate::day(number(&c, 1), number(&c, 2) as u32, number(&c, 3) as u32),
            };
            found.extend(date.map(|d| DateMention::explicit(whole(&c), d)));
        }
    }
    for c in MONTH_YEAR.captures_iter(sentence) {
        let date = PartialDate::month(number(&c, 2), month_of(&c, 1));
        found.extend(date.map(|d| DateMention::explicit(whole(&c), d)));
    }
    for c in YEAR_RANGE.captures_iter(sentence) {
        let (Some(first), Some(last)) = (c.get(2), c.get(4)) else {
            continue;
        };
        let opener = c.get(1).map(|m| m.as_str().to_lowercase());
        let separator = c[3].to_lowercase();
        // "in 2019 and 2025" are two dates; "between 2019 and 2025" is a range.
        let and_without_between = separator == "and" && opener.as_deref() != Some("between");
        // "2024-25" is a range; "from 2019 to 25 countries" is not.
        let short_without_dash = last.len() == 2 && !matches!(separator.as_str(), "-" | "–");
        if and_without_between
            || short_without_dash
            || !clear_before(sentence, first.start())
            || !clear_after(sentence, last.end())
        {
            continue;
        }
        let start: i32 = first.as_str().parse().unwrap_or(0);
        let end = match last.as_str().parse::<i32>().unwrap_or(0) {
            two if last.len() == 2 => start / 100 * 100 + two,
            four => four,
        };
        if end > start && end - start <= 100 {
            found.push(range(whole(&c), start, end));
        }
    }
    for c in DECADE.captures_iter(sentence) {
        let decade = number(&c, 2);
        let qualifier = c.get(1).map(|m| m.as_str().to_lowercase());
        found.push(match qualifier.as_deref() {
            Some("early") => range(whole(&c), decade, decade + 3),
            Some("mid") => DateMention::explicit(whole(&c), PartialDate::year(decade + 5)),
            Some(_) => range(whole(&c), decade + 7, decade + 9),
            None => range(whole(&c), decade, decade + 9),
        });
    }
    for c in SEASON.captures_iter(sentence) {
        found.push(DateMention::explicit(
            whole(&c),
            PartialDate::year(number(&c, 1)),
        ));
    }
    for c in YEAR_ALONE.captures_iter(sentence) {
        let Some(year) = c.get(1) else { continue };
        // "mid-2025": the qualifier, not the year, must stand clear.
        if clear_before(sentence, whole(&c).start) && clear_after(sentence, year.end()) {
            found.push(DateMention::explicit(
                whole(&c),
                PartialDate::year(number(&c, 1)),
            ));
        }
    }
    found
}

pub(super) fn range(span: Range<usize>, start: i32, end: i32) -> DateMention {
    DateMention {
        end: Some(PartialDate::year(end)),
        kind: MentionKind::Range,
        ..DateMention::explicit(span, PartialDate::year(start))
    }
}
