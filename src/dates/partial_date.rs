//! A calendar date known to a year, a month or a day: what a text or a
//! `published` field actually supports.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How precisely a [`PartialDate`] is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// A date at year, month or day precision. Ordering is chronological, with a
/// less precise date sorting before the more precise dates it contains
/// (`2025` < `2025-01` < `2025-01-01`).
/// Serialized as its ISO form: `"2025"`, `"2025-09"`, `"2025-09-08"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    pub fn year(year: i32) -> Self {
        Self {
            year,
            month: None,
            day: None,
        }
    }

    /// `None` when the month is not 1..=12.
    pub fn month(year: i32, month: u32) -> Option<Self> {
        (1..=12).contains(&month).then_some(Self {
            year,
            month: Some(month as u8),
            day: None,
        })
    }

    /// `None` when the day does not exist in that month.
    pub fn day(year: i32, month: u32, day: u32) -> Option<Self> {
        chrono::NaiveDate::from_ymd_opt(year, month, day)?;
        Some(Self {
            year,
            month: Some(month as u8),
            day: Some(day as u8),
        })
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// The first calendar day this date covers.
    pub fn first_day(&self) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(
            self.year,
            self.month.unwrap_or(1) as u32,
            self.day.unwrap_or(1) as u32,
        )
        .unwrap_or(chrono::NaiveDate::MIN)
    }

    /// The last calendar day this date covers.
    pub fn last_day(&self) -> chrono::NaiveDate {
        match (self.month, self.day) {
            (Some(_), Some(_)) => self.first_day(),
            (Some(m), None) => {
                let (y, next) = if m == 12 {
                    (self.year + 1, 1)
                } else {
                    (self.year, m as u32 + 1)
                };
                chrono::NaiveDate::from_ymd_opt(y, next, 1)
                    .and_then(|d| d.pred_opt())
                    .unwrap_or(chrono::NaiveDate::MAX)
            }
            _ => {
                chrono::NaiveDate::from_ymd_opt(self.year, 12, 31).unwrap_or(chrono::NaiveDate::MAX)
            }
        }
    }

    /// Parses an ISO prefix: `2025`, `2025-09` or `2025-09-08`.
    pub fn parse_iso(text: &str) -> Option<Self> {
        let text = text.trim();
        let mut parts = text.split('-');
        let year_text = parts.next()?;
        if year_text.len() != 4 || !year_text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = year_text.parse().ok()?;
        let two_digits = |p: &str| -> Option<u32> {
            (p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse().ok())?
        };
        let date = match (parts.next(), parts.next()) {
            (None, _) => Self::year(year),
            (Some(m), None) => Self::month(year, two_digits(m)?)?,
            (Some(m), Some(d)) => Self::day(year, two_digits(m)?, two_digits(d)?)?,
        };
        parts.next().is_none().then_some(date)
    }
}

impl From<PartialDate> for String {
    fn from(date: PartialDate) -> String {
        date.to_string()
    }
}

impl TryFrom<String> for PartialDate {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        PartialDate::parse_iso(&text).ok_or_else(|| format!("not an ISO date: {text}"))
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_iso_prefixes() {
        assert_eq!(
            PartialDate::parse_iso("2025"),
            Some(PartialDate::year(2025))
        );
        assert_eq!(
            PartialDate::parse_iso("2025-09"),
            PartialDate::month(2025, 9)
        );
        assert_eq!(
            PartialDate::parse_iso("2025-09-08"),
            PartialDate::day(2025, 9, 8)
        );
        for bad in [
            "",
            "25",
            "2025-13",
            "2025-02-30",
            "2025-9",
            "2025-09-08-01",
            "abcd",
        ] {
            assert_eq!(PartialDate::parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn orders_less_precise_first() {
        let y = PartialDate::year(2025);
        let m = PartialDate::month(2025, 1).unwrap();
        let d = PartialDate::day(2025, 1, 1).unwrap();
        assert!(y < m && m < d);
        assert!(PartialDate::day(2024, 12, 31).unwrap() < y);
    }

    #[test]
    fn covers_its_days() {
        let feb = PartialDate::month(2024, 2).unwrap();
        assert_eq!(feb.last_day().to_string(), "2024-02-29");
        assert_eq!(PartialDate::year(2023).last_day().to_string(), "2023-12-31");
        assert_eq!(feb.to_string(), "2024-02");
    }
}
