//! A folder of files becomes a list of [`Document`]s: clean text, blocks,
//! sentences and passages as byte spans of that text, and a map back to the
//! source file's lines.

pub mod clean;
pub mod encoding;
pub mod formats;
pub mod meta;
pub mod near_duplicates;
pub mod segment;

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::dates::PartialDate;

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
    /// The text a reader sees (for plain text and Markdown, the decoded file itself).
    pub text: String,
    pub line_map: LineMap,
    pub blocks: Vec<Block>,
    pub passages: Vec<Passage>,
    /// A changelog or release notes: several headings name versions
    /// ("Python 3.11.2 final", "Version 1.2 (2024-05-01)").
    pub release_history: bool,
    /// How the file was read when it is not plain UTF-8 (a legacy encoding,
    /// UTF-16); the text and its spans are of the decoded file.
    pub decoding: Option<encoding::Decoding>,
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
    #[error("no readable text")]
    NoText,
    #[error("cannot read: {0}")]
    Unreadable(std::io::Error),
    #[error("not a readable gzip file: {0}")]
    BadGzip(std::io::Error),
    #[error("decompresses to more than {} MiB", .limit >> 20)]
    TooLarge { limit: u64 },
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

/// File name extensions Quarry reads, plain or gzipped (`changelog.html.gz`).
pub const EXTENSIONS: &[&str] = &["txt", "md", "markdown", "html", "htm"];

/// The suffix of a gzipped file, read as the file its name has without it.
const GZIP_SUFFIX: &str = ".gz";

/// Most bytes a gzipped file may decompress to: a larger one is a
/// decompression bomb, or no document anyone reads.
pub const MAX_DECOMPRESSED: u64 = 64 << 20;

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
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return false;
    };
    Path::new(without_gzip_suffix(&name).unwrap_or(&name))
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// `name` without its `.gz` suffix (in any case), if it has one.
fn without_gzip_suffix(name: &str) -> Option<&str> {
    let cut = name.len().checked_sub(GZIP_SUFFIX.len())?;
    let suffix = name.get(cut..)?;
    suffix
        .eq_ignore_ascii_case(GZIP_SUFFIX)
        .then(|| &name[..cut])
}

/// The decompressed bytes of a gzip file (of all its members), refused when
/// they are not gzip, are cut short or corrupt, or exceed `limit` bytes.
fn gunzip(bytes: &[u8], limit: u64) -> Result<Vec<u8>, SkipReason> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(SkipReason::BadGzip)?;
    if out.len() as u64 > limit {
        return Err(SkipReason::TooLarge { limit });
    }
    Ok(out)
}

fn relative_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads, cleans and segments one file (decompressing a gzipped one).
pub fn read_document(
    root: &Path,
    file: &SourceFile,
    metadata: &meta::SourcesToml,
) -> Result<Document, SkipReason> {
    let bytes = std::fs::read(root.join(&file.path)).map_err(SkipReason::Unreadable)?;
    parse_document(&file.path, &bytes, metadata)
}

/// Builds a document from a file's bytes (`path` picks the format; a `.gz`
/// suffix says the bytes are gzipped, and the name before it gives the format).
pub fn parse_document(
    path: &str,
    bytes: &[u8],
    metadata: &meta::SourcesToml,
) -> Result<Document, SkipReason> {
    let on_disk = bytes.len() as u64;
    let decompressed;
    let (format_path, bytes) = match without_gzip_suffix(path) {
        Some(_) if bytes.is_empty() => return Err(SkipReason::Empty),
        Some(inner) => {
            decompressed = gunzip(bytes, MAX_DECOMPRESSED)?;
            (inner, decompressed.as_slice())
        }
        None => (path, bytes),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(SkipReason::Empty);
    }
    let lower = format_path.to_ascii_lowercase();
    let is_html = lower.ends_with(".html") || lower.ends_with(".htm");
    let encoding::Decoded {
        text: decoded,
        decoding,
    } = encoding::decode(bytes, is_html)?;
    let raw: &str = &decoded;
    let extracted = if is_html {
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
    let release_history = names_versions(&text, &blocks);
    let mut document = Document {
        path: path.to_string(),
        title: String::new(),
        published: given.published,
        url: given.url,
        author: given.author,
        bytes: on_disk,
        text,
        line_map,
        release_history,
        blocks,
        passages,
        decoding,
    };
    document.title = given
        .title
        .or(title)
        .unwrap_or_else(|| first_sentence_title(&document));
    Ok(document)
}

/// Headings naming a version that make a document a release history.
const RELEASE_HEADINGS: usize = 3;

/// A version number in a heading: `3.11.2`, `v1.2`, `15.4`.
static VERSION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?:^|[\s(v])\d+\.\d+(?:\.\d+)*(?:[\s):,]|$)").expect("valid regex")
});

/// Whether a heading names a version: "Python 3.11.2 final", "Release 15.2".
pub fn names_version(heading: &str) -> bool {
    VERSION.is_match(heading)
}

/// Whether several headings name versions, as in a changelog.
fn names_versions(text: &str, blocks: &[Block]) -> bool {
    blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Heading(_)))
        .filter(|b| names_version(&text[b.span.range()]))
        .take(RELEASE_HEADINGS)
        .count()
        == RELEASE_HEADINGS
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
    fn changelogs_are_release_histories() {
        let none = meta::SourcesToml::default();
        let changelog = "# Changelog\n\n## Python 3.11.2 final\n\nRelease date: 2023-02-07\n\n\
                         - Fixed a crash.\n\n## Python 3.11.1 final\n\n- Fixed a leak.\n\n\
                         ## Version 3.11.0 (2022-10-24)\n\n- First release.\n";
        assert!(
            parse_document("changelog.md", changelog.as_bytes(), &none)
                .unwrap()
                .release_history
        );
        let guide = "# What's New In Python 3.10\n\n## Pattern matching\n\nIt matches.\n\n## Errors\n\nBetter.\n";
        assert!(
            !parse_document("3.10.md", guide.as_bytes(), &none)
                .unwrap()
                .release_history
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
            parse_document("a.html", b"<script>x()</script>", &none),
            Err(SkipReason::NoText)
        ));
    }

    #[test]
    fn legacy_encodings_are_decoded_and_recorded() {
        let none = meta::SourcesToml::default();
        let bytes = b"Old notes\r\n\r\nThe caf\xe9 reopened in 1998.\r\n\r\n\
                      The owner said \x93we kept the cr\xe8me br\xfbl\xe9e\x94 on the menu.\r\n";
        let plain = parse_document("notes/old.txt", bytes, &none).expect("decoded");
        let decoding = plain.decoding.clone().expect("recorded");
        assert_eq!(decoding.to_string(), "windows-1252 (detected)");
        let quote = "The owner said “we kept the crème brûlée” on the menu.";
        let at = plain.text.find(quote).expect("decoded text");
        assert_eq!(
            plain.line_map.lines_of(Span::new(at, at + quote.len())),
            (5, 5)
        );
        assert_eq!(plain.source_lines(), 6);
        let sentences: Vec<&str> = plain
            .blocks
            .iter()
            .flat_map(|b| &b.sentences)
            .map(|s| plain.slice(*s))
            .collect();
        assert!(sentences.contains(&quote), "{sentences:?}");

        let gzipped = parse_document("notes/old.txt.gz", &gzip(bytes), &none).expect("gzipped");
        assert_eq!(
            (&gzipped.text, &gzipped.decoding),
            (&plain.text, &plain.decoding)
        );

        let utf8 = parse_document("a.txt", "The café reopened.".as_bytes(), &none).expect("utf-8");
        assert_eq!(utf8.decoding, None);
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).expect("compress");
        encoder.finish().expect("compress")
    }

    #[test]
    fn gzipped_files_read_like_their_plain_forms() {
        let none = meta::SourcesToml::default();
        let markdown = "# Kettles\n\nThe blue kettle boils water in ninety seconds.\n";
        let html = "<html><head><title>Changelog</title></head><body>\n\
                    <h1>Python 3.11</h1>\n<p>The parser reads gzipped pages.</p>\n</body></html>\n";
        for (path, text) in [
            ("notes/kettle.md", markdown),
            ("whatsnew/changelog.html", html),
            ("a.txt", "Plain text, gzipped.\n"),
        ] {
            let plain = parse_document(path, text.as_bytes(), &none).expect("plain");
            let compressed = gzip(text.as_bytes());
            for gz_path in [format!("{path}.gz"), format!("{path}.GZ")] {
                let document = parse_document(&gz_path, &compressed, &none).expect("gzipped");
                assert_eq!(document.path, gz_path, "cited as the file on disk");
                assert_eq!(document.bytes, compressed.len() as u64);
                assert_eq!(
                    Document {
                        path: plain.path.clone(),
                        bytes: plain.bytes,
                        ..document
                    },
                    plain,
                    "{gz_path}"
                );
            }
        }
        let html = parse_document("changelog.html.gz", &gzip(html.as_bytes()), &none);
        assert_eq!(html.expect("html").title, "Changelog", "read as HTML");
    }

    #[test]
    fn bad_gzip_files_are_skipped_with_a_reason() {
        let none = meta::SourcesToml::default();
        let text = "The blue kettle boils water in ninety seconds.\n";
        let compressed = gzip(text.as_bytes());
        assert!(matches!(
            parse_document("a.txt.gz", text.as_bytes(), &none),
            Err(SkipReason::BadGzip(_))
        ));
        assert!(matches!(
            parse_document("a.txt.gz", &compressed[..compressed.len() - 6], &none),
            Err(SkipReason::BadGzip(_))
        ));
        let mut corrupt = compressed.clone();
        let last = corrupt.len() - 5;
        corrupt[last] ^= 0xff;
        assert!(matches!(
            parse_document("a.txt.gz", &corrupt, &none),
            Err(SkipReason::BadGzip(_))
        ));
        assert!(matches!(
            parse_document("a.txt.gz", b"", &none),
            Err(SkipReason::Empty)
        ));
        assert!(matches!(
            parse_document("a.txt.gz", &gzip(b"ab\0cd"), &none),
            Err(SkipReason::Binary)
        ));
        let reason = parse_document("a.md.gz", b"# Not gzip", &none)
            .expect_err("skipped")
            .to_string();
        assert!(reason.contains("gzip"), "{reason}");
    }

    #[test]
    fn gzip_bombs_are_skipped() {
        let none = meta::SourcesToml::default();
        assert!(matches!(
            gunzip(&gzip(&[b'a'; 1001]), 1000),
            Err(SkipReason::TooLarge { limit: 1000 })
        ));
        assert_eq!(
            gunzip(&gzip(&[b'a'; 1000]), 1000)
                .expect("at the limit")
                .len(),
            1000
        );
        // Many small members add up past the limit: 65 MiB from a few kilobytes.
        let member = gzip(&vec![b'a'; 1 << 20]);
        let bomb: Vec<u8> = std::iter::repeat_n(member.as_slice(), 65)
            .flatten()
            .copied()
            .collect();
        assert!(bomb.len() < 100_000);
        let skipped = parse_document("bomb.txt.gz", &bomb, &none).expect_err("a bomb");
        assert!(matches!(skipped, SkipReason::TooLarge { .. }));
        assert_eq!(skipped.to_string(), "decompresses to more than 64 MiB");
    }

    #[test]
    fn gzipped_corpus_files_are_listed() {
        for (name, listed) in [
            ("changelog.html.gz", true),
            ("notes.MD.GZ", true),
            ("a.markdown.gz", true),
            ("a.htm.gz", true),
            ("a.txt.gz", true),
            ("a.txt", true),
            ("a.gz", false),
            ("archive.tar.gz", false),
            ("python3.11.devhelp.gz", false),
            ("a.html.gz.bak", false),
        ] {
            assert_eq!(has_corpus_extension(Path::new(name)), listed, "{name}");
        }
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("whatsnew")).expect("mkdir");
        let compressed = gzip(b"Gzipped text.\n");
        std::fs::write(dir.path().join("whatsnew/changelog.html.gz"), &compressed).expect("write");
        std::fs::write(dir.path().join("index.devhelp.gz"), &compressed).expect("write");
        let files = list_files(dir.path()).expect("list");
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, "whatsnew/changelog.html.gz");
        assert_eq!(files[0].bytes, compressed.len() as u64);
    }
}
