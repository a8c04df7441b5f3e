//! Markdown, parsed by pulldown-cmark. The text is the file itself, so every
//! block is a byte span of it: headings without their `#`, paragraphs, list
//! items with their continuation lines, table rows, code and definition
//! terms. Link reference definitions and raw HTML blocks are left out.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{Extracted, RawBlock, offset_in, trim_blocks};
use crate::corpus::meta::parse_front_matter;
use crate::corpus::{BlockKind, LineMap, Span};

pub fn extract(raw: &str) -> Extracted {
    let mut out = Extracted {
        text: raw.to_string(),
        line_map: LineMap::of_source(raw),
        ..Default::default()
    };
    let mut body_start = 0;
    if let Some((meta, end)) = parse_front_matter(raw) {
        out.front_matter = meta;
        body_start = end;
    }
    let body = &raw[body_start..];
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES;
    let mut leaf: Option<Leaf> = None;
    // Open items and definition lists, innermost last.
    let mut containers: Vec<Container> = Vec::new();
    let mut skipping = 0u32;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let (start, end) = (body_start + range.start, body_start + range.end);
        if skipping > 0 {
            match event {
                Event::Start(Tag::HtmlBlock | Tag::MetadataBlock(_)) => skipping += 1,
                Event::End(TagEnd::HtmlBlock | TagEnd::MetadataBlock(_)) => skipping -= 1,
                _ => {}
            }
            continue;
        }
        let depth = containers
            .iter()
            .filter(|c| **c == Container::DefinitionList)
            .count() as u8;
        match event {
            Event::Start(Tag::HtmlBlock | Tag::MetadataBlock(_)) => {
                finish(&mut leaf, &mut out.blocks);
                skipping = 1;
            }
            Event::Start(tag) => {
                let kind = match tag {
                    Tag::Heading { level, .. } => Some(BlockKind::Heading(level as u8)),
                    Tag::Paragraph if containers.last() == Some(&Container::Item) => {
                        Some(BlockKind::ListItem)
                    }
                    Tag::Paragraph | Tag::DefinitionListDefinition => Some(BlockKind::Paragraph),
                    Tag::DefinitionListTitle => Some(BlockKind::Term),
                    Tag::CodeBlock(_) => Some(BlockKind::Preformatted),
                    Tag::TableHead | Tag::TableRow => Some(BlockKind::TableRow),
                    _ => None,
                };
                match tag {
                    Tag::Item => containers.push(Container::Item),
                    Tag::DefinitionList => containers.push(Container::DefinitionList),
                    _ => {}
                }
                if let Some(kind) = kind {
                    finish(&mut leaf, &mut out.blocks);
                    let whole = kind == BlockKind::TableRow;
                    leaf = Some(Leaf {
                        kind,
                        depth,
                        span: whole.then(|| Span::new(start, end)),
                        whole,
                    });
                } else if matches!(tag, Tag::List(_) | Tag::BlockQuote(_) | Tag::Item) {
                    // A nested block ends the text of the item before it.
                    finish(&mut leaf, &mut out.blocks);
                } else if matches!(
                    tag,
                    Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. }
                ) {
                    extend(&mut leaf, &containers, depth, start, end);
                }
            }
            Event::End(tag) => match tag {
                TagEnd::Item | TagEnd::DefinitionList => {
                    finish(&mut leaf, &mut out.blocks);
                    containers.pop();
                }
                TagEnd::Heading(_)
                | TagEnd::Paragraph
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition
                | TagEnd::CodeBlock
                | TagEnd::TableHead
                | TagEnd::TableRow => {
                    if let Some(l) = &leaf
                        && let (BlockKind::Heading(1), Some(span)) = (l.kind, l.span)
                        && out.title.is_none()
                    {
                        out.title = Some(raw[span.range()].trim().to_string());
                    }
                    finish(&mut leaf, &mut out.blocks);
                }
                _ => {}
            },
            Event::Text(_)
            | Event::Code(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::FootnoteReference(_) => extend(&mut leaf, &containers, depth, start, end),
            _ => {}
        }
    }
    finish(&mut leaf, &mut out.blocks);
    tidy(raw, &mut out.blocks);
    out
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Container {
    Item,
    DefinitionList,
}

/// A block being read: its text runs from its first piece of text to its last.
struct Leaf {
    kind: BlockKind,
    depth: u8,
    span: Option<Span>,
    /// The whole source range is the block (a table row, pipes trimmed later).
    whole: bool,
}

/// Adds a piece of inline text to the block being read. Text of a tight
/// list item comes without a paragraph, so it starts one.
fn extend(leaf: &mut Option<Leaf>, containers: &[Container], depth: u8, start: usize, end: usize) {
    let leaf = leaf.get_or_insert(Leaf {
        kind: if containers.last() == Some(&Container::DefinitionList) {
            BlockKind::Paragraph
        } else {
            BlockKind::ListItem
        },
        depth,
        span: None,
        whole: false,
    });
    if !leaf.whole {
        leaf.span = Some(match leaf.span {
            Some(s) => Span::new(s.start as usize, end.max(s.end as usize)),
            None => Span::new(start, end),
        });
    }
}

fn finish(leaf: &mut Option<Leaf>, blocks: &mut Vec<RawBlock>) {
    let Some(leaf) = leaf.take() else { return };
    let Some(span) = leaf.span else { return };
    blocks.push(RawBlock {
        depth: leaf.depth,
        ..RawBlock::new(span, leaf.kind)
    });
}

/// Trims a table row's outer pipes, then whitespace, off each block's span.
fn tidy(raw: &str, blocks: &mut Vec<RawBlock>) {
    for block in blocks.iter_mut().filter(|b| b.kind == BlockKind::TableRow) {
        let (start, end) = (block.span.start as usize, block.span.end as usize);
        let slice = &raw[start..end];
        let inner = slice.trim().trim_start_matches('|').trim_end_matches('|');
        let at = start + offset_in(slice, inner);
        block.span = Span::new(at, at + inner.len());
    }
    trim_blocks(raw, blocks);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(raw: &str) -> Vec<(BlockKind, u8, String)> {
        let out = extract(raw);
        out.blocks
            .iter()
            .map(|b| (b.kind, b.depth, raw[b.span.range()].to_string()))
            .collect()
    }

    #[test]
    fn headings_lists_with_continuations_code_and_link_definitions() {
        let raw = "# Profiles\n\n### codegen-units\n\nThe `codegen-units` setting controls\nthe flag.\n\n\
                   * `false`: Performs thin local LTO\n  across its codegen units.\n* `\"off\"`: Disables LTO.\n\n\
                   ```toml\n[profile.dev]\n```\n\n[`-C lto`]: ../rustc/index.html#lto\n";
        let got = blocks(raw);
        assert_eq!(
            got,
            vec![
                (BlockKind::Heading(1), 0, "Profiles".into()),
                (BlockKind::Heading(3), 0, "codegen-units".into()),
                (
                    BlockKind::Paragraph,
                    0,
                    "The `codegen-units` setting controls\nthe flag.".into()
                ),
                (
                    BlockKind::ListItem,
                    0,
                    "`false`: Performs thin local LTO\n  across its codegen units.".into()
                ),
                (BlockKind::ListItem, 0, "`\"off\"`: Disables LTO.".into()),
                (BlockKind::Preformatted, 0, "[profile.dev]".into()),
            ]
        );
        assert_eq!(extract(raw).title.as_deref(), Some("Profiles"));
    }

    #[test]
    fn blockquotes_tables_and_definition_lists() {
        let raw = "> **Note**: Cargo caches\n> the index.\n\n| Key | Default |\n|---|---|\n| `debug` | `false` |\n\n\
                   `opt-level`\n: Sets the optimization level.\n";
        let got = blocks(raw);
        assert_eq!(
            got,
            vec![
                (
                    BlockKind::Paragraph,
                    0,
                    "**Note**: Cargo caches\n> the index.".into()
                ),
                (BlockKind::TableRow, 0, "Key | Default".into()),
                (BlockKind::TableRow, 0, "`debug` | `false`".into()),
                (BlockKind::Term, 1, "`opt-level`".into()),
                (
                    BlockKind::Paragraph,
                    1,
                    "Sets the optimization level.".into()
                ),
            ]
        );
    }

    #[test]
    fn front_matter_is_not_text() {
        let raw = "---\ntitle: Guide\npublished: 2024-05\n---\n# Install\n\nRun it.\n";
        let out = extract(raw);
        assert_eq!(out.front_matter.title.as_deref(), Some("Guide"));
        assert_eq!(
            blocks(raw),
            vec![
                (BlockKind::Heading(1), 0, "Install".into()),
                (BlockKind::Paragraph, 0, "Run it.".into())
            ]
        );
    }
}
