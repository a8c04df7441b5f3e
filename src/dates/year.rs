//! Which four-digit numbers can be years of events: one rule for the
//! timeline and for short answers.

use std::sync::LazyLock;

use chrono::Datelike;

/// The earliest year a report is taken to name.
pub const FIRST: i32 = 1900;

/// How far ahead of today a text may plan: "by 2030", "the 2034 games".
const PLANNED_AHEAD: i32 = 9;

/// The latest year a report is taken to name, counted from today so the
/// rule does not age.
pub fn last() -> i32 {
    static LAST: LazyLock<i32> = LazyLock::new(|| chrono::Local::now().year() + PLANNED_AHEAD);
    *LAST
}

/// Whether `year` can be the year of an event.
pub fn plausible(year: i32) -> bool {
    (FIRST..=last()).contains(&year)
}

/// Whether `text` is a four-digit plausible year.
pub fn is_year(text: &str) -> bool {
    text.len() == 4 && text.parse::<i32>().is_ok_and(plausible)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_run_from_1900_to_a_decade_after_today() {
        let this_year = chrono::Local::now().year();
        assert!(plausible(1900) && plausible(this_year) && plausible(this_year + 9));
        assert!(!plausible(1899) && !plausible(this_year + 10));
        assert!(is_year("2021") && !is_year("20211") && !is_year("1800") && !is_year("two"));
    }
}
