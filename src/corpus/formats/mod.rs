//! File formats: a `.txt`, `.md` or `.html` file becomes clean text,
//! blocks of it and a map back to the file's lines.

pub mod html;
pub mod markdown;
pub mod text;

use super::{BlockKind, LineMap, Span};
use crate::corpus::meta::SourceMeta;

/// A block as the format found it, before cleaning.
#[derive(Debug, Clone, PartialEq)]
pub struct RawBlock {
    pub span: Span,
    pub kind: BlockKind,
    /// Share of the block's text inside links (HTML); high in navigation.
    pub link_share: f32,
    /// Definition-list nesting depth (see [`crate::corpus::Block::depth`]).
    pub depth: u8,
}

impl RawBlock {
    pub fn new(span: Span, kind: BlockKind) -> RawBlock {
        RawBlock {
            span,
            kind,
            link_share: 0.0,
            depth: 0,
        }
    }
}

/// What a format extracts from one file.
#[derive(Debug, Default)]
pub struct Extracted {
    pub text: String,
    pub line_map: LineMap,
    pub blocks: Vec<RawBlock>,
    /// The title the file itself declares (`<title>`, `<h1>`, a leading `# `).
    pub title: Option<String>,
    /// Markdown front matter.
    pub front_matter: SourceMeta,
}

/// Where `part`, a subslice of `whole`, starts in it. Offsets taken from the
/// slices themselves stay on char boundaries whatever the chars' widths
/// (a `•` bullet is three bytes).
pub fn offset_in(whole: &str, part: &str) -> usize {
    let at = (part.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
    debug_assert!(at + part.len() <= whole.len(), "not a subslice");
    at
}

/// `start..end` of `raw` without surrounding whitespace.
pub fn trimmed(raw: &str, start: usize, end: usize) -> Span {
    let slice = &raw[start..end.min(raw.len())];
    let lead = slice.len() - slice.trim_start().len();
    Span::new(start + lead, start + lead + slice.trim().len())
}

/// Trims whitespace off every block's span and drops the blocks left empty.
pub fn trim_blocks(raw: &str, blocks: &mut Vec<RawBlock>) {
    for block in blocks.iter_mut() {
        block.span = trimmed(raw, block.span.start as usize, block.span.end as usize);
    }
    blocks.retain(|b| !b.span.is_empty());
}
