//! HTML: the text a reader sees. Scripts, styles and navigation chrome are
//! left out, block elements become blocks, and every piece of text keeps the
//! source line it came from.

use std::cell::RefCell;
use std::sync::LazyLock;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use regex::Regex;

use super::{Extracted, RawBlock};
use crate::corpus::{BlockKind, Span};

/// Elements whose content a reader never sees as text, or that hold page chrome.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "nav", "aside", "footer", "header",
    "form", "button", "select", "textarea", "iframe", "object", "canvas",
];

/// Elements that start and end a block of text.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "ul",
    "ol",
    "dl",
    "pre",
    "blockquote",
    "section",
    "article",
    "main",
    "br",
    "hr",
    "figcaption",
    "caption",
    "details",
    "summary",
    "body",
    "address",
    "center",
    "td",
    "th",
];

/// Class or id names of navigation chrome, across common site generators.
static CHROME_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(nav\w*|\w*-?nav(bar|igation)?|breadcrumbs?|\w*sidebar\w*|menu\w*|footer\w*|related|headerlink|skip-?link|cookie\w*|share\w*|social\w*|toc-?nav)$",
    )
    .expect("valid regex")
});

/// Roles of chrome landmarks.
const CHROME_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "search",
    "complementary",
];

pub fn extract(raw: &str) -> Extracted {
    let sink = Sink {
        state: RefCell::new(State {
            lines: SourceLines::of(raw),
            ..State::default()
        }),
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(raw));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let state = tokenizer.sink.state.into_inner();
    let mut out = state.out;
    let title = clean_title(&state.title).or_else(|| clean_title(&state.first_h1));
    out.title = title;
    out
}

/// The character encoding a page declares in a `<meta charset>` or a
/// `<meta http-equiv="Content-Type" content="…; charset=…">` among the
/// start of its source (the label as written, such as `iso-8859-1`). Read
/// with the tokenizer, so a `<meta>` inside a comment or a script is no
/// declaration.
pub fn declared_charset(head: &str) -> Option<String> {
    let tokenizer = Tokenizer::new(CharsetSink::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(head));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.charset.into_inner()
}

/// `charset=…` inside a `Content-Type` value: `text/html; charset="windows-1251"`.
static CONTENT_TYPE_CHARSET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)charset\s*=\s*["']?([^\s"';]+)"#).expect("valid regex"));

/// Finds the first `<meta>` that declares a charset.
#[derive(Default)]
struct CharsetSink {
    charset: RefCell<Option<String>>,
}

impl TokenSink for CharsetSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        let start = tag.kind == TagKind::StartTag;
        let mut charset = self.charset.borrow_mut();
        if start && charset.is_none() && &*tag.name == "meta" {
            *charset = meta_charset(&tag);
        }
        // A script's or style's text is not markup.
        raw_kind(&tag.name, start)
    }
}

fn meta_charset(tag: &Tag) -> Option<String> {
    let attr = |name: &str| {
        tag.attrs
            .iter()
            .find(|a| &*a.name.local == name)
            .map(|a| a.value.trim())
    };
    if let Some(charset) = attr("charset").filter(|c| !c.is_empty()) {
        return Some(charset.to_string());
    }
    if !attr("http-equiv")?.eq_ignore_ascii_case("content-type") {
        return None;
    }
    let content = attr("content")?;
    let label = CONTENT_TYPE_CHARSET.captures(content)?.get(1)?;
    Some(label.as_str().to_string())
}

/// `<title>Data model — Python 3.11 documentation</title>` → `Data model`.
fn clean_title(raw: &str) -> Option<String> {
    let collapsed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let first = [" — ", " | ", " – ", " :: "]
        .iter()
        .fold(collapsed.as_str(), |t, sep| {
            t.split(sep).next().unwrap_or(t)
        })
        .trim()
        .trim_end_matches('¶')
        .trim();
    (!first.is_empty()).then(|| first.to_string())
}

struct Sink {
    state: RefCell<State>,
}

/// The file's lines as every other format and a reader count them, at
/// each `\n`, for the tokenizer's, which also end at a lone `\r`.
#[derive(Default)]
struct SourceLines {
    /// The file's line of each tokenizer line, from line 1.
    of_tokenizer_line: Vec<u32>,
}

impl SourceLines {
    fn of(raw: &str) -> SourceLines {
        let mut line = 1;
        let mut of_tokenizer_line = vec![line];
        let mut bytes = raw.bytes().peekable();
        while let Some(b) = bytes.next() {
            match b {
                b'\n' => {
                    line += 1;
                    of_tokenizer_line.push(line);
                }
                b'\r' if bytes.peek() != Some(&b'\n') => of_tokenizer_line.push(line),
                _ => {}
            }
        }
        SourceLines { of_tokenizer_line }
    }

    fn source_line(&self, tokenizer_line: u32) -> u32 {
        let i = (tokenizer_line as usize).saturating_sub(1);
        self.of_tokenizer_line
            .get(i)
            .or(self.of_tokenizer_line.last())
            .copied()
            .unwrap_or(1)
    }
}

#[derive(Default)]
struct State {
    out: Extracted,
    lines: SourceLines,
    /// The element being skipped and how deep inside it we are.
    skipping: Option<(String, u32)>,
    /// Open block elements, innermost last.
    open_blocks: Vec<BlockKind>,
    block_start: usize,
    link_chars: usize,
    in_link: u32,
    in_pre: u32,
    /// Definition lists open around the current text.
    dl_depth: u8,
    in_title: bool,
    title: String,
    in_h1: bool,
    first_h1: String,
    started: bool,
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        let line = line as u32;
        match token {
            Token::TagToken(tag) => return state.tag(&tag),
            Token::CharacterTokens(text) => state.characters(&text, line),
            Token::EOFToken => state.end_block(),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl State {
    fn tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        let start = tag.kind == TagKind::StartTag;
        if let Some((skipped, depth)) = &mut self.skipping {
            if skipped == name && !tag.self_closing {
                if start {
                    *depth += 1;
                } else {
                    *depth -= 1;
                    if *depth == 0 {
                        self.skipping = None;
                    }
                }
            }
            return raw_kind(name, start);
        }
        if name == "title" {
            self.in_title = start;
            return raw_kind(name, start);
        }
        if start && !tag.self_closing && (SKIPPED.contains(&name) || is_chrome(tag)) {
            self.end_block();
            self.skipping = Some((name.to_string(), 1));
            return raw_kind(name, start);
        }
        match name {
            "a" => {
                self.in_link = if start {
                    self.in_link + 1
                } else {
                    self.in_link.saturating_sub(1)
                }
            }
            "pre" => {
                self.in_pre = if start {
                    self.in_pre + 1
                } else {
                    self.in_pre.saturating_sub(1)
                }
            }
            "h1" => self.in_h1 = start && self.first_h1.is_empty(),
            "dl" if !tag.self_closing => {
                self.end_block();
                self.dl_depth = if start {
                    self.dl_depth.saturating_add(1)
                } else {
                    self.dl_depth.saturating_sub(1)
                };
            }
            _ => {}
        }
        if BLOCKS.contains(&name) {
            // Cells of one row stay in one block, apart by a space.
            if matches!(name, "td" | "th") {
                if !self.out.text.ends_with([' ', '\n']) && !self.out.text.is_empty() {
                    self.out.text.push(' ');
                }
                return TokenSinkResult::Continue;
            }
            self.end_block();
            if tag.self_closing || matches!(name, "br" | "hr") {
                return TokenSinkResult::Continue;
            }
            if start {
                self.open_blocks.push(block_kind(name));
            } else {
                self.open_blocks.pop();
            }
        }
        TokenSinkResult::Continue
    }

    fn characters(&mut self, chunk: &str, line: u32) {
        if self.skipping.is_some() {
            return;
        }
        if self.in_title {
            self.title.push_str(chunk);
            return;
        }
        if self.in_h1 {
            self.first_h1.push_str(chunk);
        }
        // The tokenizer reports the line where the chunk ends.
        let mut line = line
            .saturating_sub(chunk.matches('\n').count() as u32)
            .max(1);
        let text = &mut self.out.text;
        let before = text.len();
        if self.in_pre > 0 {
            for (i, piece) in chunk.split('\n').enumerate() {
                if i > 0 {
                    text.push('\n');
                    line += 1;
                }
                self.out
                    .line_map
                    .mark(text.len(), self.lines.source_line(line));
                text.push_str(piece);
            }
        } else {
            // Inline elements split text without a space (`<span>json.</span><span>loads</span>`):
            // a space goes in only where the source has whitespace.
            let mut space_before = chunk.starts_with(char::is_whitespace);
            for piece in chunk.split('\n') {
                for word in piece.split_whitespace() {
                    if space_before && !text.is_empty() && !text.ends_with([' ', '\n']) {
                        text.push(' ');
                    }
                    space_before = true;
                    if !self.started || text.ends_with('\n') {
                        self.block_start = text.len();
                        self.started = true;
                    }
                    self.out
                        .line_map
                        .mark(text.len(), self.lines.source_line(line));
                    text.push_str(word);
                }
                line += 1;
            }
            // Keep the word break the source had at the chunk's end.
            if chunk.ends_with(char::is_whitespace)
                && self.started
                && !text.is_empty()
                && !text.ends_with([' ', '\n'])
            {
                text.push(' ');
            }
        }
        if self.in_link > 0 {
            self.link_chars += self.out.text.len() - before;
        }
        if !self.started && self.out.text.len() > before {
            self.block_start = before;
            self.started = true;
        }
    }

    fn end_block(&mut self) {
        let text = &mut self.out.text;
        while text.ends_with(' ') {
            text.pop();
        }
        if self.started && text.len() > self.block_start {
            let slice = &text[self.block_start..];
            let lead = slice.len() - slice.trim_start().len();
            let span = Span::new(self.block_start + lead, text.len());
            let kind = self
                .open_blocks
                .last()
                .copied()
                .unwrap_or(BlockKind::Paragraph);
            let link_share = self.link_chars as f32 / span.len().max(1) as f32;
            if !span.is_empty() {
                self.out.blocks.push(RawBlock {
                    span,
                    kind,
                    link_share,
                    depth: self.dl_depth,
                });
            }
        }
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        self.started = false;
        self.link_chars = 0;
    }
}

/// Tells the tokenizer to read the inside of `<script>`, `<style>` and
/// `<title>` as text rather than markup, as a browser does.
fn raw_kind(name: &str, start: bool) -> TokenSinkResult<()> {
    if !start {
        return TokenSinkResult::Continue;
    }
    match name {
        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
        "style" | "noscript" | "iframe" => TokenSinkResult::RawData(RawKind::Rawtext),
        "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
        _ => TokenSinkResult::Continue,
    }
}

fn is_chrome(tag: &Tag) -> bool {
    tag.attrs.iter().any(|attr| match &*attr.name.local {
        "role" => CHROME_ROLES.contains(&attr.value.trim()),
        "class" | "id" => attr
            .value
            .split_whitespace()
            .any(|n| CHROME_NAME.is_match(n)),
        "hidden" => true,
        "aria-hidden" => &*attr.value == "true",
        _ => false,
    })
}

fn block_kind(name: &str) -> BlockKind {
    match name {
        "h1" => BlockKind::Heading(1),
        "h2" => BlockKind::Heading(2),
        "h3" => BlockKind::Heading(3),
        "h4" => BlockKind::Heading(4),
        "h5" => BlockKind::Heading(5),
        "h6" => BlockKind::Heading(6),
        "li" => BlockKind::ListItem,
        "dt" => BlockKind::Term,
        "tr" => BlockKind::TableRow,
        "pre" => BlockKind::Preformatted,
        _ => BlockKind::Paragraph,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<!DOCTYPE html>\n<html><head><title>VACUUM — PostgreSQL docs</title>\n\
        <style>p { color: red }</style><script>var x = '<p>not text</p>';</script></head>\n<body>\n\
        <div class=\"navheader\"><a href=\"a.html\">Prev</a> <a href=\"b.html\">Next</a></div>\n\
        <h1>VACUUM<a class=\"headerlink\" href=\"#\">¶</a></h1>\n\
        <p>VACUUM reclaims storage occupied\n by dead tuples &amp; more.</p>\n\
        <table><tr><td>FULL</td><td>rewrites the table</td></tr></table>\n\
        <pre>VACUUM (VERBOSE) t;\nANALYZE t;</pre>\n<footer>Copyright</footer></body></html>";

    #[test]
    fn keeps_reader_text_and_drops_chrome() {
        let out = extract(PAGE);
        let blocks: Vec<(BlockKind, &str)> = out
            .blocks
            .iter()
            .map(|b| (b.kind, &out.text[b.span.range()]))
            .collect();
        assert_eq!(
            blocks,
            vec![
                (BlockKind::Heading(1), "VACUUM"),
                (
                    BlockKind::Paragraph,
                    "VACUUM reclaims storage occupied by dead tuples & more."
                ),
                (BlockKind::TableRow, "FULL rewrites the table"),
                (BlockKind::Preformatted, "VACUUM (VERBOSE) t;\nANALYZE t;"),
            ]
        );
        assert_eq!(out.title.as_deref(), Some("VACUUM"));
        assert!(
            !out.text.contains("not text")
                && !out.text.contains("Prev")
                && !out.text.contains("Copyright")
        );
    }

    #[test]
    fn text_maps_to_source_lines() {
        let out = extract(PAGE);
        let at = |needle: &str| out.line_map.line_of(out.text.find(needle).expect(needle));
        assert_eq!(at("VACUUM reclaims"), 7);
        assert_eq!(at("by dead"), 8);
        assert_eq!(at("FULL"), 9);
        assert_eq!(at("ANALYZE"), 11);
    }

    #[test]
    fn lines_end_at_line_feeds_as_in_other_formats() {
        // A lone CR ends a line for the tokenizer, not for a reader of the file.
        let out = extract("<p>one</p>\r<p>two</p>\r\n<p>three\rfour</p>\n<pre>a\rb\nc</pre>");
        let at = |needle: &str| out.line_map.line_of(out.text.find(needle).expect(needle));
        assert_eq!(
            [
                at("one"),
                at("two"),
                at("three"),
                at("four"),
                at("a"),
                at("c")
            ],
            [1, 1, 2, 2, 3, 4]
        );
    }

    #[test]
    fn inline_elements_join_without_spaces() {
        let out = extract(
            "<dl><dt><span>json.</span><span>loads</span>(<em>s</em>, <em>cls</em>)</dt>\n<dd><p>Deserialize <em>s</em> (a <code>str</code>).</p></dd></dl>",
        );
        let blocks: Vec<(BlockKind, u8, &str)> = out
            .blocks
            .iter()
            .map(|b| (b.kind, b.depth, &out.text[b.span.range()]))
            .collect();
        assert_eq!(
            blocks,
            vec![
                (BlockKind::Term, 1, "json.loads(s, cls)"),
                (BlockKind::Paragraph, 1, "Deserialize s (a str)."),
            ]
        );
    }

    #[test]
    fn meta_declares_the_charset() {
        for (head, label) in [
            (
                "<html><head><meta charset=\"windows-1252\"><title>T</title>",
                Some("windows-1252"),
            ),
            ("<META CHARSET=ISO-8859-1>", Some("ISO-8859-1")),
            (
                "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">",
                Some("Shift_JIS"),
            ),
            (
                "<meta content='text/html;charset=\"koi8-r\"' http-equiv=content-type>",
                Some("koi8-r"),
            ),
            ("<meta name=\"viewport\" content=\"charset=utf-8\">", None),
            ("<!-- <meta charset=\"big5\"> --><p>Text", None),
            ("<script>'<meta charset=big5>'</script>", None),
            (
                "<meta http-equiv=\"refresh\" content=\"5\"><meta charset=utf-8>",
                Some("utf-8"),
            ),
            ("<p>No declaration", None),
        ] {
            assert_eq!(declared_charset(head).as_deref(), label, "{head}");
        }
    }

    #[test]
    fn title_falls_back_to_h1() {
        let out = extract("<h1>Install  guide</h1><p>Run make.</p>");
        assert_eq!(out.title.as_deref(), Some("Install guide"));
    }
}
