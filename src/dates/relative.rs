//! Dates told relative to another: the document's date ("November 6",
//! "last year") or the last date before them in the paragraph ("Two months later").

use chrono::{Datelike, Months, NaiveDate};
use regex::Captures;

use super::patterns::*;
use super::{Anchor, Anchors, DateMention, Resolution, word_before};
use crate::dates::{PartialDate, Precision};

pub(super) fn document_relative(
    sentence: &str,
    document: Anchor,
    narrative: Option<Anchor>,
) -> Vec<DateMention> {
    let doc = document.date;
    let mut found = Vec::new();
    let relative = |span, date: Option<PartialDate>, anchor| {
        date.map(|d| DateMention::relative(span, d, Resolution::DocumentRelative, anchor))
    };
    for (i, pattern) in MONTH_DAY.iter().enumerate() {
        for c in pattern.captures_iter(sentence) {
            let (month, day) = if i == 0 {
                (month_of(&c, 1), number(&c, 2) as u32)
            } else {
                (month_of(&c, 2), number(&c, 1) as u32)
            };
            if followed_by_year(sentence, whole(&c).end) {
                continue;
            }
            let date = PartialDate::day(year_not_after(doc, month), month, day);
            found.extend(named(relative(whole(&c), date, document)));
        }
    }
    for c in MONTH_ALONE.captures_iter(sentence) {
        // "since January 2022" is told in full; the year is not the document's.
        if followed_by_year(sentence, whole(&c).end) {
            continue;
        }
        let month = month_of(&c, 2);
        let word = c[1].to_lowercase();
        let (year, anchor) = match word.as_str() {
            "last" => (year_before(doc, month), document),
            "next" => (year_after(doc, month), document),
            "this" => (doc.year, document),
            // "that July": the July of the story being told, when there is one.
            "that" => match narrative {
                Some(n) => (n.date.year, n),
                None => (year_not_after(doc, month), document),
            },
            _ => (year_not_after(doc, month), document),
        };
        found.extend(relative(whole(&c), PartialDate::month(year, month), anchor));
    }
    for c in DOCUMENT_RELATIVE.captures_iter(sentence) {
        // "the last year of his term" is no date.
        let start = c.get(0).map_or(0, |m| m.start());
        if word_before(sentence, start).1.eq_ignore_ascii_case("the") {
            continue;
        }
        let date = if c.get(3).is_some() {
            shift(doc, Unit::Day, -1)
        } else {
            let step = match c.get(1).map(|m| m.as_str().to_lowercase()).as_deref() {
                Some("last") => -1,
                Some("next") => 1,
                _ => 0,
            };
            match c[2].to_lowercase().as_str() {
                "year" => Some(PartialDate::year(doc.year + step)),
                "month" => shift(doc, Unit::Month, step),
                // A week is told at the precision of its month.
                _ => shift(doc, Unit::Day, 7 * step).map(month_precision),
            }
        };
        found.extend(relative(whole(&c), date, document));
    }
    // "that same week" with no earlier date in the paragraph: the document's.
    if narrative.is_none() {
        for c in SAME_OR_NEXT.captures_iter(sentence) {
            if let Some(date) = same_or_next(&c, document.date) {
                found.extend(relative(whole(&c), Some(date), document));
            }
        }
    }
    found
}

pub(super) fn narrative(sentence: &str, anchors: &Anchors) -> Vec<DateMention> {
    let Some(anchor) = anchors.narrative else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for c in COUNTED.captures_iter(sentence) {
        let count = count_of(&c[1]);
        let word = c[3].to_lowercase();
        let direction = match word.as_str() {
            "earlier" | "before" => -1,
            _ => 1,
        };
        let unit = match c[2].to_lowercase().as_str() {
            "day" => Unit::Day,
            "week" => Unit::Week,
            "month" => Unit::Month,
            "year" => Unit::Year,
            _ => Unit::Decade,
        };
        // "two years after the war" counts from the war, not from the last date.
        let after = &sentence[c.get(0).map_or(0, |m| m.end())..];
        let ends_phrase = after
            .trim_start()
            .chars()
            .next()
            .is_none_or(|ch| !ch.is_alphanumeric());
        let counts_from_next_words = matches!(word.as_str(), "after" | "before");
        if counts_from_next_words && !ends_phrase {
            continue;
        }
        if let Some(date) = count.and_then(|n| counted(anchor.date, unit, direction * n)) {
            found.push(DateMention::relative(
                whole(&c),
                date,
                Resolution::Narrative,
                anchor,
            ));
        }
    }
    for c in SAME_OR_NEXT.captures_iter(sentence) {
        if let Some(date) = same_or_next(&c, anchor.date) {
            found.push(DateMention::relative(
                whole(&c),
                date,
                Resolution::Narrative,
                anchor,
            ));
        }
    }
    found
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Unit {
    Day,
    Week,
    Month,
    Year,
    Decade,
}

/// `anchor` moved by `count` units, at the precision both support: a
/// month-precise anchor gives months, not days.
pub(super) fn counted(anchor: PartialDate, unit: Unit, count: i32) -> Option<PartialDate> {
    match unit {
        Unit::Year => Some(PartialDate::year(anchor.year + count)),
        Unit::Decade => Some(PartialDate::year(anchor.year + 10 * count)),
        Unit::Month if anchor.precision() >= Precision::Month => {
            shift(month_precision(anchor), Unit::Month, count)
        }
        Unit::Day if anchor.precision() == Precision::Day => shift(anchor, Unit::Day, count),
        Unit::Week if anchor.precision() == Precision::Day => {
            shift(anchor, Unit::Day, 7 * count).map(month_precision)
        }
        _ => None,
    }
}

/// `date` moved by whole days or months, keeping its precision.
pub(super) fn shift(date: PartialDate, unit: Unit, count: i32) -> Option<PartialDate> {
    let first = date.first_day();
    let moved = match unit {
        Unit::Month if date.precision() >= Precision::Month => {
            let months = Months::new(count.unsigned_abs());
            if count >= 0 {
                first.checked_add_months(months)
            } else {
                first.checked_sub_months(months)
            }
        }
        Unit::Day if date.precision() == Precision::Day => {
            first.checked_add_signed(chrono::Duration::days(count as i64))
        }
        // Days off a month-precise date stay in that month, as told.
        Unit::Day if date.precision() == Precision::Month => Some(first),
        _ => None,
    }?;
    Some(at_precision(moved, date.precision()))
}

pub(super) fn at_precision(day: NaiveDate, precision: Precision) -> PartialDate {
    let (y, m, d) = (day.year(), day.month(), day.day());
    match precision {
        Precision::Day => PartialDate::day(y, m, d),
        Precision::Month => PartialDate::month(y, m),
        Precision::Year => Some(PartialDate::year(y)),
    }
    .unwrap_or(PartialDate::year(y))
}

pub(super) fn month_precision(date: PartialDate) -> PartialDate {
    PartialDate { day: None, ..date }
}

/// "the same year", "the following month", "that week" against `anchor`.
pub(super) fn same_or_next(c: &Captures, anchor: PartialDate) -> Option<PartialDate> {
    let step = match c.get(1).map(|m| m.as_str().to_lowercase()).as_deref() {
        Some("following" | "next") => 1,
        Some("previous" | "preceding") => -1,
        _ => 0,
    };
    match c[3].to_lowercase().as_str() {
        "year" => Some(PartialDate::year(anchor.year + step)),
        "month" => shift(month_precision(anchor), Unit::Month, step),
        _ => match anchor.precision() {
            Precision::Year => None,
            _ => shift(anchor, Unit::Day, 7 * step).map(month_precision),
        },
    }
}

/// A relative mention that names its month: "November 6", "in July".
pub(super) fn named(mention: Option<DateMention>) -> Option<DateMention> {
    mention.map(|m| DateMention { named: true, ..m })
}

/// News reports the past: a month without a year is the latest such month
/// not after the document's own.
pub(super) fn year_not_after(document: PartialDate, month: u32) -> i32 {
    match document.month {
        Some(m) if month > m as u32 => document.year - 1,
        _ => document.year,
    }
}

/// "last July": the latest July before the document's month.
pub(super) fn year_before(document: PartialDate, month: u32) -> i32 {
    match document.month {
        Some(m) if month < m as u32 => document.year,
        _ => document.year - 1,
    }
}

/// "next July": the first July after the document's month.
pub(super) fn year_after(document: PartialDate, month: u32) -> i32 {
    match document.month {
        Some(m) if month > m as u32 => document.year,
        _ => document.year + 1,
    }
}
