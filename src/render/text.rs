//! Replies as plain terminal text.

use std::fmt::Write as _;

use crate::model::{Answer, Citation, DocInfo, SearchHit, SourcePassage};

/// Quotes shown as the answer; the rest are in the JSON output.
const SHOWN_QUOTES: usize = 3;

/// `file:line` (or `file:start-end`).
pub fn location(c: &Citation) -> String {
    if c.line_end > c.line_start {
        format!("{}:{}-{}", c.file, c.line_start, c.line_end)
    } else {
        format!("{}:{}", c.file, c.line_start)
    }
}

/// `002.txt:6 · Title · published 2025-11`
pub fn citation_line(c: &Citation) -> String {
    let mut line = format!("{} · {}", location(c), c.title);
    if let Some(date) = c.published {
        let _ = write!(line, " · published {date}");
    }
    if let Some(url) = &c.url {
        let _ = write!(line, " · {url}");
    }
    line
}

pub fn answer(answer: &Answer) -> String {
    let mut out = String::new();
    if let Some(note) = &answer.note {
        let _ = writeln!(out, "{note}");
        return out;
    }
    if !answer.answered {
        let _ = writeln!(out, "The corpus holds no answer to this question.");
        if let Some(closest) = answer.quotes.first() {
            let _ = writeln!(
                out,
                "\nClosest passage (not an answer):\n  “{}”\n  {}",
                closest.text,
                citation_line(&closest.citation)
            );
        }
        return out;
    }
    if let Some(short) = &answer.answer {
        let _ = writeln!(out, "Answer: {short}\n");
    }
    for (i, quote) in answer.quotes.iter().take(SHOWN_QUOTES).enumerate() {
        let _ = writeln!(
            out,
            "{}. “{}”\n   {}",
            i + 1,
            quote.text,
            citation_line(&quote.citation)
        );
    }
    let _ = writeln!(out, "\n{}", coverage_line(answer));
    out
}

/// "Matched 4 documents, published 2023-09 to 2025-11."
pub fn coverage_line(answer: &Answer) -> String {
    let c = &answer.coverage;
    let documents = if c.documents_matched == 1 {
        "document"
    } else {
        "documents"
    };
    match (c.earliest, c.latest) {
        (Some(a), Some(b)) if a == b => format!(
            "Matched {} {documents}, published {a}.",
            c.documents_matched
        ),
        (Some(a), Some(b)) => format!(
            "Matched {} {documents}, published {a} to {b}.",
            c.documents_matched
        ),
        _ => format!("Matched {} {documents}.", c.documents_matched),
    }
}

/// Passages with their matched words marked `[like this]` (bold on a terminal).
pub fn search(hits: &[SearchHit], color: bool) -> String {
    if hits.is_empty() {
        return "No passage matches.\n".to_string();
    }
    let (open, close) = if color {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    let mut out = String::new();
    for (i, hit) in hits.iter().enumerate() {
        let mut marked = String::new();
        let mut at = 0;
        for &(s, e) in &hit.highlights {
            if s < at || e > hit.text.len() {
                continue;
            }
            marked.push_str(&hit.text[at..s]);
            let _ = write!(marked, "{open}{}{close}", &hit.text[s..e]);
            at = e;
        }
        marked.push_str(&hit.text[at..]);
        let _ = writeln!(
            out,
            "{}. {}  ({:.1})\n   {}\n",
            i + 1,
            citation_line(&hit.citation),
            hit.score,
            marked.replace('\n', "\n   ")
        );
    }
    out
}

pub fn docs(docs: &[DocInfo]) -> String {
    let mut out = String::new();
    for d in docs {
        let date = d.published.map_or("-".to_string(), |p| p.to_string());
        let decoded = d
            .decoding
            .as_ref()
            .map_or(String::new(), |how| format!(", decoded from {how}"));
        let duplicate = if d.duplicate {
            ", left out: the same page as another document"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{} bytes{decoded}{duplicate}",
            d.file, date, d.title, d.bytes
        );
    }
    let _ = writeln!(out, "{} documents", docs.len());
    out
}

pub fn source(passage: &SourcePassage) -> String {
    format!("{}\n\n{}\n", citation_line(&passage.citation), passage.text)
}

/// Events grouped by year, each with its date, quote and sources; a date
/// worked out from another says how.
pub fn timeline(timeline: &crate::model::Timeline) -> String {
    let mut out = String::new();
    let mut year = None;
    for event in &timeline.events {
        if year != Some(event.date.year) {
            year = Some(event.date.year);
            let _ = writeln!(out, "\n{}", event.date.year);
        }
        let _ = writeln!(out, "  {}: “{}”", event.when(), event.text);
        if let Some(how) = event.resolved_from() {
            let _ = writeln!(out, "      ({how})");
        }
        for c in &event.citations {
            let _ = writeln!(out, "      {}", citation_line(&c.citation));
        }
    }
    let _ = writeln!(
        out,
        "\n{} of {} events.",
        timeline.events.len(),
        timeline.total
    );
    out
}
