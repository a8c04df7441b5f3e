//! Platform-neutral reply models: what the engine returns and every renderer
//! (terminal, JSON, Discord) draws from.

use serde::Serialize;

use crate::corpus::encoding::Decoding;
use crate::dates::PartialDate;

/// Where a quote comes from: a corpus file, its lines and the document's metadata.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Citation {
    /// Path relative to the corpus root, `/`-separated.
    pub file: String,
    pub line_start: u32,
    pub line_end: u32,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<PartialDate>,
}

/// A verbatim piece of a document: every fragment between `…` is a slice of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    pub text: String,
    #[serde(flatten)]
    pub citation: Citation,
    pub score: f32,
}

/// What the corpus holds on a question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub question: String,
    /// False when nothing in the corpus answers; `quotes` then holds at most
    /// the closest passage, to be labelled as such.
    pub answered: bool,
    /// A short span (date, number, name, place) lifted from the best quote.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    /// Best first. The first three are "the answer"; the rest are "more sources".
    pub quotes: Vec<Quote>,
    pub coverage: Coverage,
    /// Why nothing was searched (an empty question, say), for the reader.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How much of the corpus bore on the question.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Coverage {
    /// Documents with at least one passage matching the question.
    pub documents_matched: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub earliest: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest: Option<PartialDate>,
}

/// One ranked passage for `search`, with the matched words marked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    pub text: String,
    /// Byte ranges of `text` that matched the query.
    pub highlights: Vec<(usize, usize)>,
    #[serde(flatten)]
    pub citation: Citation,
    pub score: f32,
}

/// One corpus document, for `docs`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocInfo {
    pub file: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    pub bytes: u64,
    pub passages: usize,
    /// How the file was read when it is not plain UTF-8.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decoding: Option<Decoding>,
    /// Left out of answers and the timeline: another document is the same
    /// page in the form readers see.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub duplicate: bool,
}

/// The text around one line of a document, for `source`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourcePassage {
    pub text: String,
    #[serde(flatten)]
    pub citation: Citation,
}

/// What a rebuild did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReindexReport {
    pub documents: usize,
    pub passages: usize,
    /// Files skipped with a warning (binary, empty, no text, unreadable).
    pub skipped: Vec<String>,
    /// Files read from another encoding than UTF-8.
    pub decoded: Vec<DecodedFile>,
    pub seconds: f64,
}

/// A corpus file read from another encoding than UTF-8.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecodedFile {
    pub file: String,
    pub decoding: Decoding,
}

/// A dated chronology of what the corpus reports, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Timeline {
    pub events: Vec<Event>,
    /// Events matching the filters before `limit` cut them.
    pub total: usize,
}

/// One happening at one date, with every place in the corpus that reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// The resolved date at the precision the text supports.
    pub date: PartialDate,
    pub precision: crate::dates::Precision,
    /// The last year of a range ("the 2019-2025 period").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<PartialDate>,
    /// `point`, `since` for an open range ("since 2017") or `range`.
    pub kind: crate::dates::MentionKind,
    /// A verbatim quote reporting the event (from the first citation).
    pub text: String,
    /// The date phrase as written ("Two months later").
    pub phrase: String,
    /// How the phrase became a date: `explicit`, `document_relative` (from
    /// the document's date) or `narrative` (from the date before it).
    pub resolution: crate::dates::Resolution,
    /// The date a relative phrase was resolved against.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor: Option<PartialDate>,
    /// True when the anchor was itself inferred (no `published` date known).
    pub inferred: bool,
    pub citations: Vec<EventCitation>,
}

impl Event {
    /// The date as a reader should see it: "2025-06", "since 2017", "2019 to 2025".
    pub fn when(&self) -> String {
        use crate::dates::MentionKind;
        match (self.kind, self.end) {
            (MentionKind::Since, _) => format!("since {}", self.date),
            (MentionKind::Range, Some(end)) => format!("{} to {end}", self.date),
            _ => self.date.to_string(),
        }
    }

    /// How a relative date was worked out, for a reader to judge it
    /// ("“Two months later” read against the date before it, 2025-04"), or
    /// `None` for a date the text states in full.
    pub fn resolved_from(&self) -> Option<String> {
        use crate::dates::Resolution;
        let anchor = self.anchor?;
        let against = match self.resolution {
            Resolution::Explicit => return None,
            Resolution::DocumentRelative => "the document's date",
            Resolution::Narrative => "the date before it",
        };
        let inferred = if self.inferred {
            ", itself inferred"
        } else {
            ""
        };
        Some(format!(
            "“{}” read against {against}, {anchor}{inferred}",
            self.phrase
        ))
    }
}

/// One report of an event: its own verbatim text and where it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventCitation {
    pub text: String,
    #[serde(flatten)]
    pub citation: Citation,
}
