//! Sections a date belongs to as a whole: a release in release notes
//! ("Python 3.11.2 final" over "Release date: 2023-02-07", or "Version
//! 1.0.0 (2015-05-15)"), or a page under a "Published: …" line.

use std::ops::Range;

use crate::corpus::{BlockKind, BlockStatus, Document, names_version};
use crate::dates::field_line::field_line;
use crate::dates::{PartialDate, Precision, single_date};

/// How many blocks under a heading a field line may stand: a date line
/// comes first, maybe after a subtitle or a byline.
const FIELD_LINE_WITHIN: usize = 3;

/// A section with a date of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct DatedSection {
    /// Its heading block.
    pub heading: usize,
    /// The field line that dates it, or none when the heading does.
    pub line: Option<usize>,
    pub date: PartialDate,
    /// A release: what it lists are its changes, not events of their own.
    pub release: bool,
    /// The blocks it holds, its heading first.
    pub blocks: Range<usize>,
}

/// The dated sections of `document`, in document order.
pub fn dated_sections(document: &Document) -> Vec<DatedSection> {
    let blocks = &document.blocks;
    let mut sections = Vec::new();
    for (h, heading) in blocks.iter().enumerate() {
        let BlockKind::Heading(level) = heading.kind else {
            continue;
        };
        if heading.status != BlockStatus::Label {
            continue;
        }
        let title = document.slice(heading.span);
        let end = blocks[h + 1..]
            .iter()
            .position(|b| matches!(b.kind, BlockKind::Heading(l) if l <= level))
            .map_or(blocks.len(), |i| h + 1 + i);
        let under = blocks[h + 1..end]
            .iter()
            .enumerate()
            .take_while(|(_, b)| !matches!(b.kind, BlockKind::Heading(_)))
            .filter(|(_, b)| matches!(b.status, BlockStatus::Text | BlockStatus::Label))
            .take(FIELD_LINE_WITHIN)
            .filter(|(_, b)| b.kind == BlockKind::Paragraph && b.status == BlockStatus::Text)
            .find_map(|(i, b)| field_line(document.slice(b.span)).map(|f| (h + 1 + i, f)));
        let versioned = names_version(title);
        let dated = match under {
            Some((line, field)) => Some((Some(line), field.date, field.release || versioned)),
            // A version heading dated in full is a release of its own.
            None if versioned => single_date(title, Precision::Month).map(|m| (None, m.date, true)),
            None => None,
        };
        if let Some((line, date, release)) = dated {
            sections.push(DatedSection {
                heading: h,
                line,
                date,
                release,
                blocks: h..end,
            });
        }
    }
    sections
}
