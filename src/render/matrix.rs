//! Replies as Matrix messages: pure functions from reply models to a plain
//! `body` and an HTML `formatted_body` saying the same. Corpus text is
//! HTML-escaped in the one and shown as written in the other; `@room` is
//! broken with a word joiner so no client reads it as a room mention.

use crate::dates::Resolution;
use crate::model::{Answer, Citation, DocInfo, Quote, SearchHit, SourcePassage, Timeline};
use crate::render::text::{coverage_line, location};
use crate::render::{chronology_page, has_more_quotes, page_quotes, shorten, timeline_pages};

/// A quote is cut to this many characters.
const QUOTE_CHARS: usize = 900;
/// A search hit's passage is cut to this many characters.
const SEARCH_HIT_CHARS: usize = 600;
/// A source passage is cut to this many characters.
const SOURCE_CHARS: usize = 4000;
/// Documents listed by `docs`; a Matrix event must stay under 64 KiB.
const DOCS_LISTED: usize = 60;

/// One message: the plain text and its HTML form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Message {
    pub plain: String,
    pub html: String,
}

impl Message {
    /// Text written by Quarry: the same in both forms, escaped in HTML.
    fn text(&mut self, text: &str) -> &mut Self {
        self.plain.push_str(text);
        self.html.push_str(&escape(text));
        self
    }

    /// Corpus or user text: shown as written, escaped in HTML.
    fn quoted(&mut self, text: &str) -> &mut Self {
        let text = defuse(text);
        self.plain.push_str(&text);
        self.html.push_str(&escape(&text));
        self
    }

    /// Markup for the HTML form only.
    fn tag(&mut self, html: &str) -> &mut Self {
        self.html.push_str(html);
        self
    }

    /// Text for the plain form only.
    fn plain(&mut self, text: &str) -> &mut Self {
        self.plain.push_str(text);
        self
    }

    fn paragraph_end(&mut self) -> &mut Self {
        self.plain("\n\n").tag("</p>")
    }

    fn line_break(&mut self) -> &mut Self {
        self.plain("\n").tag("<br>")
    }

    fn strong(&mut self, text: &str, corpus: bool) -> &mut Self {
        self.tag("<strong>");
        if corpus {
            self.quoted(text);
        } else {
            self.text(text);
        }
        self.tag("</strong>")
    }

    fn code(&mut self, text: &str) -> &mut Self {
        self.tag("<code>").quoted(text).tag("</code>")
    }

    fn finish(mut self) -> Message {
        let trimmed = self.plain.trim_end().len();
        self.plain.truncate(trimmed);
        self
    }
}

/// HTML-escapes text for `formatted_body`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Corpus text as one line that mentions no one: line breaks become spaces
/// and `@room` gets a word joiner after its `@` (clients without
/// intentional mentions would otherwise notify the whole room).
fn defuse(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
        .replace("@room", "@\u{2060}room")
}

/// "Title · file:12 · 2025-11 · source"
fn citation(m: &mut Message, c: &Citation) {
    m.text("— ")
        .strong(&c.title, true)
        .text(" · ")
        .code(&location(c));
    if let Some(date) = c.published {
        m.text(&format!(" · {date}"));
    }
    if let Some(url) = c.url.as_deref().filter(|u| is_plain_url(u)) {
        m.plain(&format!(" · {url}"))
            .tag(&format!(" · <a href=\"{}\">source</a>", escape(url)));
    }
}

/// Only http(s) links without spaces or quotes.
fn is_plain_url(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains([' ', '"', '<', '>'])
}

fn quote_block(m: &mut Message, quote: &Quote) {
    m.plain("> ")
        .tag("<blockquote>")
        .quoted(&shorten(&quote.text, QUOTE_CHARS))
        .tag("</blockquote>")
        .plain("\n")
        .tag("<p>");
    citation(m, &quote.citation);
    m.paragraph_end();
}

/// The answer: the short answer, quotes `from..from+3`, the coverage line,
/// and how to follow up. An unanswered question gets a polite "not in the
/// corpus" with the closest passage.
pub fn answer(answer: &Answer, from: usize, prefix: &str) -> Message {
    let mut m = Message::default();
    if let Some(note) = &answer.note {
        m.tag("<p>")
            .strong("I can't search for that: ", false)
            .quoted(note)
            .paragraph_end();
        return m.finish();
    }
    if !answer.answered {
        m.tag("<p>")
            .text("Sorry, the documents hold no answer to “")
            .quoted(&shorten(&answer.question, 200))
            .text(&format!(
                "”. Try other words, or {prefix} search to see which passages mention them."
            ))
            .paragraph_end();
        if let Some(closest) = answer.quotes.first() {
            m.tag("<p>")
                .text("The closest passage, which does not answer it:")
                .paragraph_end();
            quote_block(&mut m, closest);
        }
        m.tag("<p><em>")
            .text(&coverage_line(answer))
            .tag("</em>")
            .paragraph_end();
        return m.finish();
    }
    if from == 0 {
        if let Some(short) = &answer.answer {
            m.tag("<p>")
                .strong("Answer: ", false)
                .strong(short, true)
                .paragraph_end();
        }
    } else {
        m.tag("<p>")
            .text("More sources for “")
            .quoted(&shorten(&answer.question, 200))
            .text("”:")
            .paragraph_end();
    }
    for quote in page_quotes(answer, from) {
        quote_block(&mut m, quote);
    }
    m.tag("<p><em>").text(&coverage_line(answer)).tag("</em>");
    let more = if has_more_quotes(answer, from) {
        format!(" {prefix} more in a thread on this answer shows more sources.")
    } else {
        String::new()
    };
    m.line_break()
        .text(&format!("React 👍 or 👎 to rate this answer.{more}"))
        .paragraph_end();
    m.finish()
}

/// Timeline pages: page 0 is the summary (the events that matter most, in
/// date order); pages 1.. walk the whole chronology, ten events each.
pub fn timeline_page(
    title: &str,
    summary: &Timeline,
    full: &Timeline,
    page: usize,
    prefix: &str,
) -> Message {
    let mut m = Message::default();
    let pages = timeline_pages(full);
    m.tag("<p>").strong(title, true).paragraph_end();
    if full.events.is_empty() {
        m.tag("<p>")
            .text("The documents report no dated events for this.")
            .paragraph_end();
        return m.finish();
    }
    let events = if page == 0 {
        m.tag("<p>")
            .text(&format!(
                "Summary: {} of {} events, in date order.",
                summary.events.len(),
                full.total
            ))
            .paragraph_end();
        &summary.events[..]
    } else {
        m.tag("<p>")
            .text(&format!("Page {page} of {pages} · {} events", full.total))
            .paragraph_end();
        chronology_page(full, page)
    };
    let mut year = None;
    for event in events {
        if year != Some(event.date.year) {
            year = Some(event.date.year);
            m.tag("<p>")
                .strong(&event.date.year.to_string(), false)
                .paragraph_end();
        }
        m.tag("<p>").strong(&event.when(), false);
        if !matches!(event.resolution, Resolution::Explicit) {
            m.tag(" <em>")
                .text(" (from “")
                .quoted(&shorten(&event.phrase, 60))
                .text("”)")
                .tag("</em>");
        }
        m.text(" ").quoted(&shorten(&event.text, 300)).line_break();
        let sources: Vec<String> = event
            .citations
            .iter()
            .map(|c| location(&c.citation))
            .collect();
        m.text("— ")
            .code(&shorten(&sources.join(", "), 300))
            .paragraph_end();
    }
    if page < pages {
        m.tag("<p><em>")
            .text(&format!(
                "{prefix} more in a thread on this message shows page {} of {pages}.",
                page + 1
            ))
            .tag("</em>")
            .paragraph_end();
    }
    m.finish()
}

pub fn search(query: &str, hits: &[SearchHit]) -> Message {
    let mut m = Message::default();
    m.tag("<p>")
        .strong("Search: ", false)
        .quoted(&shorten(query, 200))
        .paragraph_end();
    if hits.is_empty() {
        m.tag("<p>").text("No passage matches.").paragraph_end();
        return m.finish();
    }
    for hit in hits {
        let text = shorten(&hit.text, SEARCH_HIT_CHARS);
        // The highlights are offsets of the whole text: of the shortened one,
        // only the part before its `…` is that text.
        let kept = if text == hit.text {
            text.len()
        } else {
            text.len() - '…'.len_utf8()
        };
        m.plain("> ").tag("<blockquote>");
        let mut at = 0;
        for &(s, e) in &hit.highlights {
            if s < at || e > kept || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
                continue;
            }
            m.quoted(&text[at..s]).strong(&text[s..e], true);
            at = e;
        }
        m.quoted(&text[at..])
            .tag("</blockquote>")
            .plain("\n")
            .tag("<p>");
        citation(&mut m, &hit.citation);
        m.paragraph_end();
    }
    m.finish()
}

pub fn source(passage: &SourcePassage) -> Message {
    let mut m = Message::default();
    m.tag("<p>");
    citation(&mut m, &passage.citation);
    m.paragraph_end()
        .tag("<blockquote>")
        .plain("> ")
        .quoted(&shorten(&passage.text, SOURCE_CHARS))
        .tag("</blockquote>");
    m.finish()
}

pub fn docs(docs: &[DocInfo]) -> Message {
    let mut m = Message::default();
    m.tag("<p>")
        .strong(&format!("{} documents in the corpus", docs.len()), false)
        .paragraph_end()
        .tag("<ul>");
    for d in docs.iter().take(DOCS_LISTED) {
        let date = d.published.map_or("undated".to_string(), |p| p.to_string());
        m.plain("- ")
            .tag("<li>")
            .code(&d.file)
            .text(" · ")
            .quoted(&shorten(&d.title, 120))
            .text(&format!(" · {date}"))
            .tag("</li>")
            .plain("\n");
    }
    m.tag("</ul>");
    if docs.len() > DOCS_LISTED {
        m.tag("<p>")
            .text(&format!("… and {} more.", docs.len() - DOCS_LISTED))
            .tag("</p>");
    }
    m.finish()
}

pub fn help(prefix: &str) -> Message {
    let mut m = Message::default();
    m.tag("<p>")
        .strong("Quarry answers from your team's documents.", false)
        .paragraph_end()
        .tag("<ul>");
    for (command, what) in [
        (
            "ask QUESTION",
            "a short answer with verbatim quotes and where each comes from",
        ),
        (
            "timeline [TOPIC] [from:DATE] [to:DATE]",
            "dated events the documents report, oldest first",
        ),
        ("search WORDS", "the passages that match, best first"),
        ("source FILE[:LINE]", "the text around a line of a document"),
        ("docs", "every document, with its date"),
        (
            "more",
            "in a thread on an answer or timeline: the next sources or page",
        ),
        (
            "reindex",
            "rebuild the index (room admins and the configured admins)",
        ),
        ("help", "this list"),
    ] {
        m.plain("- ")
            .tag("<li>")
            .code(&format!("{prefix} {command}"))
            .text(&format!(": {what}"))
            .tag("</li>")
            .plain("\n");
    }
    m.tag("</ul><p>")
        .plain("\n")
        .text("Or mention me with a question. React 👍 or 👎 to an answer to rate it.")
        .tag("</p>");
    m.finish()
}

/// A short line from Quarry: a refusal, a confirmation, an error.
pub fn notice(text: &str) -> Message {
    let mut m = Message::default();
    m.text(text);
    m.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Coverage;

    fn quote(text: &str) -> Quote {
        Quote {
            text: text.to_string(),
            citation: Citation {
                file: "a<b>.md".into(),
                line_start: 7,
                line_end: 7,
                title: "T & <i>".into(),
                url: Some("https://example.org/x".into()),
                published: None,
            },
            score: 1.0,
        }
    }

    fn answered(quotes: Vec<Quote>) -> Answer {
        Answer {
            question: "what <b>?".into(),
            answered: true,
            answer: Some("42".into()),
            quotes,
            coverage: Coverage::default(),
            note: None,
        }
    }

    #[test]
    fn corpus_text_is_escaped_and_mentions_nobody() {
        let m = answer(
            &answered(vec![quote("<script>alert(1)</script> @room & co")]),
            0,
            "!quarry",
        );
        assert!(
            m.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{}",
            m.html
        );
        assert!(!m.html.contains("<script>"));
        assert!(m.html.contains("<blockquote>"));
        assert!(
            m.html.contains("<code>a&lt;b&gt;.md:7</code>"),
            "{}",
            m.html
        );
        assert!(m.html.contains("T &amp; &lt;i&gt;"));
        assert!(!m.html.contains("@room") && !m.plain.contains("@room"));
        assert!(
            m.plain
                .contains("<script>alert(1)</script> @\u{2060}room & co")
        );
        assert!(m.plain.contains("a<b>.md:7"), "{}", m.plain);
        assert!(m.plain.starts_with("Answer: 42"), "{}", m.plain);
    }

    #[test]
    fn more_sources_are_offered_only_when_there_are_more() {
        let three = answered(vec![quote("a"), quote("b"), quote("c")]);
        assert!(!answer(&three, 0, "!q").plain.contains("!q more"));
        let four = answered(vec![quote("a"), quote("b"), quote("c"), quote("d")]);
        assert!(answer(&four, 0, "!q").plain.contains("!q more"));
        let second = answer(&four, 3, "!q");
        assert!(second.plain.contains("> d"), "{}", second.plain);
        assert!(!second.plain.contains("> a"));
    }

    #[test]
    fn an_unanswered_question_is_told_politely() {
        let mut none = answered(vec![quote("near")]);
        none.answered = false;
        let m = answer(&none, 0, "!quarry");
        assert!(m.plain.starts_with("Sorry, the documents hold no answer"));
        assert!(m.plain.contains("closest passage"));
        assert!(m.html.contains("what &lt;b&gt;?"));
    }

    #[test]
    fn every_help_line_names_the_prefix() {
        let m = help("!kb");
        assert!(m.plain.contains("!kb ask QUESTION"));
        assert!(m.html.contains("<code>!kb reindex</code>"));
    }
}
