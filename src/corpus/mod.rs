//! A folder of files becomes a list of [`Document`]s: clean text, blocks,
//! sentences and passages as byte spans of that text, and a map back to the
//! source file's lines.

pub mod clean;
pub mod formats;
pub mod meta;
pub mod near_duplicates;
pub mod segment;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::partial_date::PartialDate;

/// A byte range of [`Document::text`], always on char boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

/// What a block of text is, as the source marks it (or as its shape tells).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BlockKind {
    /// A heading of level 1..=6.
    Heading(u8),
    /// A term a definition list defines (`<dt>`): the name the definition
    /// under it is about, such as a function's signature or a setting.
    Term,
    Paragraph,
    ListItem,
    TableRow,
    Preformatted,
}

/// Whether a block may be quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BlockStatus {
    /// Running text: indexed and quotable.
    Text,
    /// A heading or a short line that is not a sentence: gives context to
    /// the passages under it, never quoted on its own.
    Label,
    /// Page chrome (breadcrumbs, share widgets, comment counters): dropped.
    Boilerplate,
    /// Repeats an earlier block of the same file: dropped.
    Duplicate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub span: Span,
    pub kind: BlockKind,
    pub status: BlockStatus,
    /// Sentences (or table rows, list items) of a `Text` block.
    pub sentences: Vec<Span>,
    /// How many definition lists the block sits in (0 outside any): a term
    /// names the blocks after it at its depth or deeper.
    pub depth: u8,
}

/// The unit of retrieval: one paragraph, or a run of list items or table
/// rows, with the headings above it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Passage {
    /// Indices into [`Document::blocks`] of its `Text` blocks.
    pub blocks: Vec<u32>,
    /// Indices of the headings, terms (and labels) it sits under, outermost first.
    pub context: Vec<u32>,
    /// Whether it is the first passage under its innermost heading or term:
    /// reference docs state what a thing is right under its name.
    pub lead: bool,
}

/// Maps byte offsets of a document's text to 1-based lines of its source file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LineMap {
    /// `(text offset, source line)` pairs, sorted by offset: the text from
    /// that offset on starts on that line.
    marks: Vec<(u32, u32)>,
}

impl LineMap {
    /// Marks `offset` of the text as starting source line `line`.
    pub fn mark(&mut self, offset: usize, line: u32) {
        match self.marks.last() {
            Some(&(o, l)) if l == line => {
                debug_assert!(o as usize <= offset);
            }
            Some(&(o, _)) if o as usize == offset => {
                self.marks.pop();
                self.marks.push((offset as u32, line));
            }
            _ => self.marks.push((offset as u32, line)),
        }
    }

    /// A line map for text that is the source itself: one mark per line.
    pub fn of_source(text: &str) -> LineMap {
        let mut map = LineMap::default();
        map.mark(0, 1);
        for (i, _) in text.match_indices('\n') {
            map.marks.push((i as u32 + 1, map.marks.len() as u32 + 1));
        }
        map
    }

    pub fn line_of(&self, offset: usize) -> u32 {
        let i = self.marks.partition_point(|&(o, _)| o as usize <= offset);
        if i == 0 { 1 } else { self.marks[i - 1].1 }
    }

    /// First and last source lines of a span.
    pub fn lines_of(&self, span: Span) -> (u32, u32) {
        let start = self.line_of(span.start as usize);
        let end = self.line_of(
            (span.end as usize)
                .saturating_sub(1)
                .max(span.start as usize),
        );
        (start, end.max(start))
    }

    /// The text offset where source line `line` starts, or the nearest mark after it.
    pub fn offset_of_line(&self, line: u32) -> Option<usize> {
        self.marks
            .iter()
            .find(|&&(_, l)| l >= line)
            .map(|&(o, _)| o as usize)
    }
}

/// One corpus file, read, cleaned and segmented.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Path relative to the corpus root, `/`-separated.
    pub path: String,
    pub title: String,
    pub published: Option<PartialDate>,
    pub url: Option<String>,
    pub author: Option<String>,
    /// Size of the source file in bytes.
    pub bytes: u64,
    /// The text a reader sees (for plain text and Markdown, the file itself).
    pub text: String,
    pub line_map: LineMap,
    pub blocks: Vec<Block>,
    pub passages: Vec<Passage>,
}

impl Document {
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// Number of lines in the source file.
    pub fn source_lines(&self) -> u32 {
        self.line_map.line_of(self.text.len())
    }
}

/// Why a file was left out of the corpus.
#[derive(Debug, thiserror::Error)]
pub enum SkipReason {
    #[error("empty file")]
    Empty,
    #[error("binary file")]
    Binary,
    #[error("not UTF-8 text")]
    NotUtf8,
    #[error("no readable text")]
    NoText,
    #[error("cannot read: {0}")]
    Unreadable(std::io::Error),
}

/// A corpus file found on disk, before reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    /// Path relative to the corpus root, `/`-separated.
    pub path: String,
    pub bytes: u64,
    /// Modification time, nanoseconds since the epoch.
    pub modified: u128,
}

/// File name extensions Quarry reads.
pub const EXTENSIONS: &[&str] = &["txt", "md", "markdown", "html", "htm"];

/// Lists the corpus files below `root`, sorted, skipping hidden entries and
/// symbolic links that leave the corpus.
pub fn list_files(root: &Path) -> std::io::Result<Vec<SourceFile>> {
    let canonical_root = root.canonicalize()?;
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker.filter_map(Result::ok) {
        if !entry.file_type().is_file() || !has_corpus_extension(entry.path()) {
            continue;
        }
        let Ok(real) = entry.path().canonicalize() else {
            continue;
        };
        if !real.starts_with(&canonical_root) {
            tracing::warn!(file = %entry.path().display(), "skipped: links outside the corpus");
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        let Ok(relative) = entry.path().strip_prefix(root) else {
            continue;
        };
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        files.push(SourceFile {
            path: relative_path(relative),
            bytes: meta.len(),
            modified,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn has_corpus_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

fn relative_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Resolves a user-given corpus path (`002.txt`, `./docs/a.html`) to a corpus
/// file, refusing anything that would leave the corpus.
pub fn resolve_in_corpus(root: &Path, file: &str) -> Option<PathBuf> {
    let candidate = root.join(file.trim());
    let real = candidate.canonicalize().ok()?;
    (real.starts_with(root.canonicalize().ok()?) && real.is_file()).then_some(real)
}

/// Reads, cleans and segments one file.
pub fn read_document(
    root: &Path,
    file: &SourceFile,
    metadata: &meta::SourcesToml,
) -> Result<Document, SkipReason> {
    let bytes = std::fs::read(root.join(&file.path)).map_err(SkipReason::Unreadable)?;
    parse_document(&file.path, &bytes, metadata)
}

/// Builds a document from a file's bytes (`path` picks the format).
pub fn parse_document(
    path: &str,
    bytes: &[u8],
    metadata: &meta::SourcesToml,
) -> Result<Document, SkipReason> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(SkipReason::Empty);
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(SkipReason::Binary);
    }
    let raw = std::str::from_utf8(bytes).map_err(|_| SkipReason::NotUtf8)?;
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    let lower = path.to_ascii_lowercase();
    let extracted = if lower.ends_with(".html") || lower.ends_with(".htm") {
        formats::html::extract(raw)
    } else if lower.ends_with(".md") || lower.ends_with(".markdown") {
        formats::markdown::extract(raw)
    } else {
        formats::text::extract(raw)
    };
    let formats::Extracted {
        text,
        line_map,
        blocks,
        title,
        front_matter,
    } = extracted;
    let mut blocks = clean::classify_blocks(&text, blocks);
    for block in &mut blocks {
        if block.status == BlockStatus::Text {
            block.sentences = segment::segment_sentences(&text, block.span, block.kind);
        }
    }
    let passages = segment::group_passages(&text, &blocks);
    if passages.is_empty() {
        return Err(SkipReason::NoText);
    }
    let given = metadata
        .get(path)
        .cloned()
        .unwrap_or_default()
        .or(front_matter);
    let mut document = Document {
        path: path.to_string(),
        title: String::new(),
        published: given.published,
        url: given.url,
        author: given.author,
        bytes: bytes.len() as u64,
        text,
        line_map,
        blocks,
        passages,
    };
    document.title = given
        .title
        .or(title)
        .unwrap_or_else(|| first_sentence_title(&document));
    Ok(document)
}

/// The first sentence of the document, shortened, for documents with no title.
fn first_sentence_title(document: &Document) -> String {
    let first = document
        .blocks
        .iter()
        .find_map(|b| b.sentences.first())
        .map(|s| document.slice(*s))
        .unwrap_or(&document.path);
    shorten(first, 80)
}

/// The letters and digits of `text`, lowercased: texts that differ only in
/// spacing, punctuation or case share this key.
pub fn letters_and_digits(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Cuts `text` to at most `max` chars at a word boundary, adding `…`.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut = text.char_indices().nth(max).map_or(text.len(), |(i, _)| i);
    let head = &text[..cut];
    let head = head.rfind(char::is_whitespace).map_or(head, |i| &head[..i]);
    format!(
        "{}…",
        head.trim_end_matches(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == ':')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_map_of_source_maps_every_line() {
        let text = "one\ntwo\n\nfour";
        let map = LineMap::of_source(text);
        assert_eq!(map.line_of(0), 1);
        assert_eq!(map.line_of(4), 2);
        assert_eq!(map.line_of(9), 4);
        assert_eq!(map.lines_of(Span::new(0, 7)), (1, 2));
        assert_eq!(
            map.lines_of(Span::new(4, 8)),
            (2, 2),
            "a trailing newline stays on its line"
        );
        assert_eq!(map.offset_of_line(4), Some(9));
    }

    #[test]
    fn shorten_cuts_at_a_word() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(
            shorten("The new U.S. administration may extract benefits", 20),
            "The new U.S.…"
        );
    }

    #[test]
    fn bad_files_are_skipped_with_a_reason() {
        let none = meta::SourcesToml::default();
        assert!(matches!(
            parse_document("a.txt", b"  \n", &none),
            Err(SkipReason::Empty)
        ));
        assert!(matches!(
            parse_document("a.txt", b"ab\0cd", &none),
            Err(SkipReason::Binary)
        ));
        assert!(matches!(
            parse_document("a.txt", b"caf\xe9 au lait", &none),
            Err(SkipReason::NotUtf8)
        ));
        assert!(matches!(
            parse_document("a.html", b"<script>x()</script>", &none),
            Err(SkipReason::NoText)
        ));
    }
}
