//! Replies as Discord embeds: pure functions from reply models to message
//! parts, kept inside Discord's size limits. Corpus text is escaped so it
//! shows as written: no markdown, no mentions.

use std::fmt::Write as _;

use crate::dates::Resolution;
use crate::model::{Answer, Citation, DocInfo, Quote, SearchHit, SourcePassage, Timeline};
use crate::render::text::{coverage_line, location};
use crate::render::{chronology_page, page_quotes, shorten, timeline_pages};

/// Discord's limits, from its API reference.
pub mod limits {
    pub const CONTENT: usize = 2000;
    pub const EMBED_TITLE: usize = 256;
    pub const EMBED_DESCRIPTION: usize = 4096;
    pub const EMBED_FOOTER: usize = 2048;
    /// Characters across all embeds of one message.
    pub const EMBED_TOTAL: usize = 6000;
    pub const BUTTON_LABEL: usize = 80;
    pub const CHOICE_NAME: usize = 100;
    pub const CHOICES: usize = 25;
}

/// A single quote is cut to this many characters, so three fit in one embed.
const QUOTE_CHARS: usize = 900;
/// A search hit's passage is cut to this many characters.
const SEARCH_HIT_CHARS: usize = 600;

/// The parts of one embed; the adapter turns them into the platform's builder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EmbedParts {
    pub title: String,
    pub description: String,
    pub footer: Option<String>,
    /// Link the title points to, when there is one.
    pub url: Option<String>,
}

impl EmbedParts {
    fn new(title: &str, description: String, footer: Option<String>) -> EmbedParts {
        let title = shorten(title, limits::EMBED_TITLE);
        let footer = footer.map(|f| shorten(&f, limits::EMBED_FOOTER));
        // The description gives way so the whole embed fits in one message.
        let room = limits::EMBED_TOTAL
            - title.chars().count()
            - footer.as_deref().map_or(0, |f| f.chars().count());
        EmbedParts {
            description: shorten(&description, room.min(limits::EMBED_DESCRIPTION)),
            title,
            footer,
            url: None,
        }
    }

    /// Characters Discord counts against the 6000-per-message limit.
    pub fn chars(&self) -> usize {
        self.title.chars().count()
            + self.description.chars().count()
            + self.footer.as_deref().map_or(0, |f| f.chars().count())
    }
}

/// Corpus text as plain text in Discord: markdown characters are
/// backslash-escaped and mentions broken with a zero-width space, so
/// `@everyone` or `<@123>` shows literally (and, with empty
/// `allowed_mentions`, could not ping anyway).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '[' | ']' | '<' => {
                out.push('\\');
                out.push(c);
            }
            '@' => out.push_str("@\u{200B}"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// "**Title** · `file:12` · 2025-11 · [source](url)"
fn citation_line(c: &Citation) -> String {
    let mut line = format!(
        "**{}** · `{}`",
        escape(&c.title),
        location(c).replace('`', "'")
    );
    if let Some(date) = c.published {
        let _ = write!(line, " · {date}");
    }
    if let Some(url) = c.url.as_deref().filter(|u| is_plain_url(u)) {
        let _ = write!(line, " · [source]({url})");
    }
    line
}

/// Only http(s) links without characters that would break the markdown link.
fn is_plain_url(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains([' ', '(', ')', '<', '>', '[', ']'])
}

fn quote_block(quote: &Quote) -> String {
    format!(
        "> {}\n— {}\n",
        escape(&shorten(&quote.text, QUOTE_CHARS)),
        citation_line(&quote.citation)
    )
}

/// The answer embed: the short answer, then quotes `from..from+3`, then the
/// coverage footer. An unanswered question gets a friendly "not in the corpus".
pub fn answer(answer: &Answer, from: usize) -> EmbedParts {
    let title = shorten(&answer.question, limits::EMBED_TITLE);
    if let Some(note) = &answer.note {
        return EmbedParts::new("I can't search for that", escape(note), None);
    }
    if !answer.answered {
        let mut description = "The corpus holds no answer to this. Try other words, or `/search` \
                               to see which passages mention them."
            .to_string();
        if let Some(closest) = answer.quotes.first() {
            let _ = write!(
                description,
                "\n\nClosest passage, which does not answer it:\n{}",
                quote_block(closest)
            );
        }
        return EmbedParts::new(
            &format!("Not in the corpus: {title}"),
            description,
            Some(coverage_line(answer)),
        );
    }
    let mut description = String::new();
    if from == 0
        && let Some(short) = &answer.answer
    {
        let _ = writeln!(description, "**Answer: {}**\n", escape(short));
    }
    for quote in page_quotes(answer, from) {
        let _ = writeln!(description, "{}", quote_block(quote));
    }
    let title = if from == 0 {
        title
    } else {
        format!("More sources: {title}")
    };
    EmbedParts::new(&title, description, Some(coverage_line(answer)))
}

/// Timeline pages: page 0 is the summary (the events that matter most, in
/// date order); pages 1.. walk the whole chronology, ten events each.
pub fn timeline_page(title: &str, summary: &Timeline, full: &Timeline, page: usize) -> EmbedParts {
    let pages = timeline_pages(full);
    if full.events.is_empty() {
        return EmbedParts::new(
            title,
            "The corpus reports no dated events for this.".to_string(),
            None,
        );
    }
    let (events, heading) = if page == 0 {
        (
            &summary.events[..],
            format!(
                "Summary: {} of {} events, in date order. ▶ for the full chronology.\n",
                summary.events.len(),
                full.total
            ),
        )
    } else {
        (chronology_page(full, page), String::new())
    };
    let mut description = heading;
    let mut year = None;
    for event in events {
        if year != Some(event.date.year) {
            year = Some(event.date.year);
            let _ = writeln!(description, "__**{}**__", event.date.year);
        }
        let sources: Vec<String> = event
            .citations
            .iter()
            .map(|c| format!("`{}`", location(&c.citation)))
            .collect();
        // A date worked out from another says from which words.
        let relative = match event.resolution {
            Resolution::Explicit => String::new(),
            _ => format!(" *(from “{}”)*", escape(&shorten(&event.phrase, 60))),
        };
        let _ = writeln!(
            description,
            "**{}**{relative} {}\n— {}",
            event.when(),
            escape(&shorten(&event.text, 300)),
            shorten(&sources.join(", "), 300)
        );
    }
    let footer = if page == 0 {
        format!("Summary · {} pages after it", pages)
    } else {
        format!("Page {page} of {pages} · {} events", full.total)
    };
    EmbedParts::new(title, description, Some(footer))
}

pub fn search(query: &str, hits: &[SearchHit]) -> EmbedParts {
    if hits.is_empty() {
        return EmbedParts::new(
            &format!("Search: {query}"),
            "No passage matches.".to_string(),
            None,
        );
    }
    let mut description = String::new();
    for hit in hits {
        let mut marked = String::new();
        let mut at = 0;
        let text = shorten(&hit.text, SEARCH_HIT_CHARS);
        // The highlights are offsets of the whole text: of the shortened one,
        // only the part before its `…` is that text.
        let kept = if text == hit.text {
            text.len()
        } else {
            text.len() - '…'.len_utf8()
        };
        for &(s, e) in &hit.highlights {
            if s < at || e > kept {
                continue;
            }
            marked.push_str(&escape(&text[at..s]));
            let _ = write!(marked, "**{}**", escape(&text[s..e]));
            at = e;
        }
        marked.push_str(&escape(&text[at..]));
        let _ = writeln!(
            description,
            "> {marked}\n— {}\n",
            citation_line(&hit.citation)
        );
    }
    EmbedParts::new(&format!("Search: {query}"), description, None)
}

pub fn source(passage: &SourcePassage) -> EmbedParts {
    EmbedParts::new(
        &location(&passage.citation),
        format!(
            "{}\n\n>>> {}",
            citation_line(&passage.citation),
            escape(&passage.text)
        ),
        None,
    )
}

pub fn docs(docs: &[DocInfo]) -> EmbedParts {
    let mut description = String::new();
    for (shown, d) in docs.iter().enumerate() {
        let date = d.published.map_or("undated".to_string(), |p| p.to_string());
        let line = format!(
            "`{}` · {} · {}\n",
            d.file.replace('`', "'"),
            escape(&shorten(&d.title, 120)),
            date
        );
        if description.len() + line.len() > limits::EMBED_DESCRIPTION - 40 {
            let _ = write!(description, "… and {} more", docs.len() - shown);
            break;
        }
        description.push_str(&line);
    }
    EmbedParts::new(
        &format!("{} documents in the corpus", docs.len()),
        description,
        None,
    )
}

pub fn help() -> EmbedParts {
    EmbedParts::new(
        "Quarry answers from your team's documents",
        "`/ask question:` a short answer with verbatim quotes and where each comes from. \
         `as_of:` limits it to documents published by that date.\n\
         `/timeline topic: from: to:` dated events the documents report, oldest first.\n\
         `/search query:` the passages that match, best first.\n\
         `/source file: line:` the text around a line of a document.\n\
         `/docs` every document, with its date.\n\
         `/reindex` rebuilds the index (Manage Server or the admin role).\n\
         Or mention me with a question."
            .to_string(),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Coverage;
    use crate::render::has_more_quotes;

    fn quote(text: &str) -> Quote {
        Quote {
            text: text.to_string(),
            citation: Citation {
                file: "a.txt".into(),
                line_start: 3,
                line_end: 3,
                title: "A *title*".into(),
                url: Some("https://example.org/a".into()),
                published: None,
            },
            score: 1.0,
        }
    }

    #[test]
    fn corpus_text_cannot_mention_or_format() {
        assert_eq!(escape("@everyone"), "@\u{200B}everyone");
        assert_eq!(
            escape("<@123> <@&9>"),
            "\\<@\u{200B}123\\> \\<@\u{200B}&9\\>"
        );
        assert_eq!(
            escape("**bold** `code` ||spoiler||"),
            "\\*\\*bold\\*\\* \\`code\\` \\|\\|spoiler\\|\\|"
        );
        assert_eq!(escape("[link](https://x.y)"), "\\[link\\](https://x.y)");
    }

    #[test]
    fn long_answers_stay_inside_embed_limits() {
        let answer = Answer {
            question: "q".repeat(10_000),
            answered: true,
            answer: Some("x".repeat(5000)),
            quotes: (0..10).map(|_| quote(&"word ".repeat(2000))).collect(),
            coverage: Coverage::default(),
            note: None,
        };
        let parts = super::answer(&answer, 0);
        let crowded = EmbedParts::new(&"t".repeat(300), "d".repeat(5000), Some("f".repeat(3000)));
        assert!(crowded.chars() <= limits::EMBED_TOTAL);
        assert!(parts.title.chars().count() <= limits::EMBED_TITLE);
        assert!(parts.description.chars().count() <= limits::EMBED_DESCRIPTION);
        assert!(parts.chars() <= limits::EMBED_TOTAL);
        assert!(parts.description.ends_with('…'));
        assert!(has_more_quotes(&answer, 0));
        assert!(!has_more_quotes(&answer, 9));
    }

    #[test]
    fn highlights_stop_where_a_passage_is_cut() {
        let text = format!("{}İlham Aliyev", "ẞ".repeat(SEARCH_HIT_CHARS - 3));
        let at = text.find("İlham").expect("name");
        let hit = SearchHit {
            text: text.clone(),
            // "İlham" ends where the shortened text's `…` does.
            highlights: vec![(0, "ẞ".len()), (at, at + "İlham".len())],
            citation: quote("").citation,
            score: 1.0,
        };
        let parts = search("İlham", &[hit]);
        assert!(
            parts.description.starts_with("> **ẞ**ẞ"),
            "{}",
            parts.description
        );
        assert!(parts.description.contains("İl…"), "{}", parts.description);
        assert!(!parts.description.contains("**İl"), "{}", parts.description);
    }

    #[test]
    fn shorten_counts_characters_not_bytes() {
        assert_eq!(shorten("ёжик", 10), "ёжик");
        assert_eq!(shorten("ёжики в тумане", 5), "ёжик…");
    }
}
