//! Plain text. The text is the file itself, so quotes are verbatim lines of
//! it; blocks are found from the shape of the lines.

use super::{Extracted, RawBlock, offset_in, trim_blocks, trimmed};
use crate::corpus::{BlockKind, LineMap, Span};

/// A line classified by its shape.
#[derive(Debug, Clone, Copy, PartialEq)]
enum LineShape {
    Blank,
    /// `# Title` (level, offset of the title text).
    Heading(u8, usize),
    /// `- item`, `* item`, `1. item` (offset of the item text).
    ListItem(usize),
    TableRow,
    /// `|---|:--:|`, or a line of `---`.
    Rule,
    Fence,
    Text,
}

pub fn extract(raw: &str) -> Extracted {
    let mut out = Extracted {
        text: raw.to_string(),
        line_map: LineMap::of_source(raw),
        ..Default::default()
    };
    let lines: Vec<(usize, &str)> = line_spans(raw).collect();
    let mut paragraph: Option<Span> = None;
    let mut fence: Option<usize> = None;
    let mut underlines = UnderlineLevels::default();
    // The line under the last underlined title.
    let mut underline: Option<usize> = None;
    let flush = |paragraph: &mut Option<Span>, blocks: &mut Vec<RawBlock>| {
        if let Some(span) = paragraph.take() {
            blocks.push(RawBlock::new(span, BlockKind::Paragraph));
        }
    };
    for (i, &(start, line)) in lines.iter().enumerate() {
        let shape = line_shape(line);
        if let Some(fence_start) = fence {
            if shape == LineShape::Fence {
                let span = trimmed(raw, fence_start.min(start), start);
                out.blocks
                    .push(RawBlock::new(span, BlockKind::Preformatted));
                fence = None;
            }
            continue;
        }
        if underline == Some(i) {
            continue;
        }
        let next = lines.get(i + 1).map(|&(_, l)| l);
        match shape {
            LineShape::Text
                if let Some(mark) = next
                    .filter(|_| paragraph.is_none())
                    .and_then(|n| title_underline(line, n)) =>
            {
                let level = underlines.level(mark);
                let span = trimmed(raw, start, start + line.len());
                out.blocks
                    .push(RawBlock::new(span, BlockKind::Heading(level)));
                underline = Some(i + 1);
            }
            LineShape::Fence => {
                flush(&mut paragraph, &mut out.blocks);
                fence = Some(start + line.len() + 1);
            }
            LineShape::Blank | LineShape::Rule => flush(&mut paragraph, &mut out.blocks),
            LineShape::Heading(level, at) => {
                flush(&mut paragraph, &mut out.blocks);
                let text = line[at..].trim_end().trim_end_matches('#');
                let span = trimmed(raw, start + at, start + at + text.len());
                out.blocks
                    .push(RawBlock::new(span, BlockKind::Heading(level)));
            }
            LineShape::ListItem(at) => {
                flush(&mut paragraph, &mut out.blocks);
                let span = trimmed(raw, start + at, start + line.len());
                out.blocks.push(RawBlock::new(span, BlockKind::ListItem));
            }
            LineShape::TableRow => {
                flush(&mut paragraph, &mut out.blocks);
                let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
                let at = offset_in(line, inner);
                let span = trimmed(raw, start + at, start + at + inner.len());
                out.blocks.push(RawBlock::new(span, BlockKind::TableRow));
            }
            LineShape::Text => {
                let end = start + line.len();
                paragraph = Some(match paragraph {
                    Some(open) => Span::new(open.start as usize, end),
                    None => trimmed(raw, start, end),
                });
                if ends_block(line, next) {
                    flush(&mut paragraph, &mut out.blocks);
                }
            }
        }
    }
    flush(&mut paragraph, &mut out.blocks);
    // A fence never closed runs to the end of the file, as in CommonMark.
    if let Some(fence_start) = fence.filter(|&at| at < raw.len()) {
        let span = trimmed(raw, fence_start, raw.len());
        out.blocks
            .push(RawBlock::new(span, BlockKind::Preformatted));
    }
    trim_blocks(raw, &mut out.blocks);
    out
}

/// Characters reStructuredText and setext Markdown underline titles with.
const ADORNMENTS: &[char] = &[
    '=', '-', '~', '^', '*', '+', '#', '"', '\'', '`', ':', '.', '_',
];

/// The character of a line that is one adornment repeated, at least three
/// times from its first column: `=====`, `~~~~~`.
fn adornment(line: &str) -> Option<char> {
    let line = line.trim_end();
    let first = line.chars().next().filter(|c| ADORNMENTS.contains(c))?;
    (line.len() >= 3 && line.chars().all(|c| c == first)).then_some(first)
}

/// The adornment of `next` when the text line `line` is a title it
/// underlines ("Usage" over "-----"): a short line of words, flush left,
/// directly over an adornment at least half as long ("Example:" over a
/// `~~~` fence is no title).
fn title_underline(line: &str, next: &str) -> Option<char> {
    let title = line.trim_end();
    let mark = adornment(next)?;
    (next.trim_end().len() * 2 >= title.chars().count()
        && !line.starts_with(char::is_whitespace)
        && title.chars().count() <= MAX_TITLE_CHARS
        && adornment(title).is_none())
    .then_some(mark)
}

/// Longest line read as an underlined title.
const MAX_TITLE_CHARS: usize = 100;

/// Heading levels of underlined titles: as in reStructuredText, each
/// adornment takes the next level the first time it is used (Markdown's
/// setext `=` then `-` come out as levels 1 and 2).
#[derive(Default)]
struct UnderlineLevels(Vec<char>);

impl UnderlineLevels {
    fn level(&mut self, c: char) -> u8 {
        let at = match self.0.iter().position(|&seen| seen == c) {
            Some(at) => at,
            None => {
                self.0.push(c);
                self.0.len() - 1
            }
        };
        (at + 1).min(6) as u8
    }
}

/// Lines with their byte offsets, without the line break (`\r` included).
fn line_spans(raw: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    raw.split('\n').map(move |line| {
        let at = start;
        start += line.len() + 1;
        (at, line.strip_suffix('\r').unwrap_or(line))
    })
}

fn line_shape(line: &str) -> LineShape {
    let trimmed = line.trim_start();
    if trimmed.trim().is_empty() {
        return LineShape::Blank;
    }
    if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
        return LineShape::Fence;
    }
    let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes)
        && let Some(title) = trimmed[hashes..].strip_prefix(' ')
    {
        return LineShape::Heading(hashes as u8, offset_in(line, title));
    }
    if trimmed.starts_with('|') || trimmed.matches('|').count() >= 2 && !trimmed.contains(". ") {
        let is_rule = trimmed
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'));
        return if is_rule {
            LineShape::Rule
        } else {
            LineShape::TableRow
        };
    }
    if adornment(trimmed) == Some('-') {
        return LineShape::Rule;
    }
    if let Some(item) = trimmed
        .strip_prefix(['-', '*', '+', '•'])
        .and_then(|rest| rest.strip_prefix(' '))
    {
        return LineShape::ListItem(offset_in(line, item));
    }
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits)
        && let Some(item) = trimmed[digits..]
            .strip_prefix(['.', ')'])
            .and_then(|rest| rest.strip_prefix(' '))
    {
        return LineShape::ListItem(offset_in(line, item));
    }
    LineShape::Text
}

/// Whether a text line ends its block. Plain text comes either as one line
/// per paragraph or hard-wrapped; a wrapped line is long and runs on into a
/// next line, anything else (a short heading, a finished sentence) ends.
fn ends_block(line: &str, next: Option<&str>) -> bool {
    let Some(next) = next else { return true };
    if line_shape(next) != LineShape::Text {
        return true;
    }
    let line = line.trim_end();
    let finished = line.ends_with(['.', '!', '?', ':', '"', '”', '»', ')']);
    let runs_on = next.trim_start().starts_with(|c: char| c.is_lowercase());
    line.chars().count() < 40 || (finished && !runs_on) || line.chars().count() > 200
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(raw: &str) -> Vec<(BlockKind, String)> {
        let out = extract(raw);
        out.blocks
            .iter()
            .map(|b| (b.kind, raw[b.span.range()].to_string()))
            .collect()
    }

    #[test]
    fn one_line_paragraphs_headings_lists_and_tables() {
        let raw = "An Ideological Shift\nAttention from Washington has always been valuable. It adds weight.\n\
                   Key objectives include:\n- Enhancing energy partnerships\n- Expanding cooperation\n\
                   | Country | Interest |\n|---|---|\n| Kazakhstan | Energy & Trade |\n";
        let got = blocks(raw);
        assert_eq!(
            got[0],
            (BlockKind::Paragraph, "An Ideological Shift".into())
        );
        assert_eq!(
            got[1].1,
            "Attention from Washington has always been valuable. It adds weight."
        );
        assert_eq!(
            got[3],
            (BlockKind::ListItem, "Enhancing energy partnerships".into())
        );
        assert_eq!(got[5], (BlockKind::TableRow, "Country | Interest".into()));
        assert_eq!(
            got[6],
            (BlockKind::TableRow, "Kazakhstan | Energy & Trade".into())
        );
        assert_eq!(got.len(), 7);
    }

    #[test]
    fn bullets_of_any_width() {
        let got = blocks(
            "• Hello, a bullet of three bytes.\n  – not a list\n 12) Twelfth item.\n## Heading ##\n",
        );
        assert_eq!(
            got,
            vec![
                (
                    BlockKind::ListItem,
                    "Hello, a bullet of three bytes.".into()
                ),
                (BlockKind::Paragraph, "– not a list".into()),
                (BlockKind::ListItem, "Twelfth item.".into()),
                (BlockKind::Heading(2), "Heading".into()),
            ]
        );
    }

    #[test]
    fn hard_wrapped_lines_join_into_one_paragraph() {
        let raw = "This paragraph was wrapped by an editor at a fixed width of\nabout sixty characters, so its lines run on.\n\nNext one.";
        let got = blocks(raw);
        assert_eq!(got.len(), 2);
        assert!(got[0].1.ends_with("run on."));
    }

    #[test]
    fn underlined_titles_are_headings_by_order_of_adornment() {
        let raw = "What's New\n==========\n\nSummary\n-------\n\nThe release adds pattern matching.\n\n\
                   Parenthesized context managers\n~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n\n\
                   Using enclosing parentheses is now supported.\n\nOther\n-----\n\nLast words.\n";
        assert_eq!(
            blocks(raw),
            vec![
                (BlockKind::Heading(1), "What's New".into()),
                (BlockKind::Heading(2), "Summary".into()),
                (
                    BlockKind::Paragraph,
                    "The release adds pattern matching.".into()
                ),
                (
                    BlockKind::Heading(3),
                    "Parenthesized context managers".into()
                ),
                (
                    BlockKind::Paragraph,
                    "Using enclosing parentheses is now supported.".into()
                ),
                (BlockKind::Heading(2), "Other".into()),
                (BlockKind::Paragraph, "Last words.".into()),
            ]
        );
    }

    #[test]
    fn a_fence_never_closed_keeps_the_rest_of_the_file() {
        let got = blocks("Intro text.\n\n```\nfn main() {}\n\nMore text after it.\n");
        assert_eq!(got[0], (BlockKind::Paragraph, "Intro text.".into()));
        assert_eq!(
            got[1],
            (
                BlockKind::Preformatted,
                "fn main() {}\n\nMore text after it.".into()
            )
        );
    }

    #[test]
    fn a_fence_after_a_label_is_still_a_fence() {
        let got = blocks("Example:\n~~~\nlet x = 1;\n~~~\n");
        assert_eq!(
            got,
            vec![
                (BlockKind::Paragraph, "Example:".into()),
                (BlockKind::Preformatted, "let x = 1;".into()),
            ]
        );
    }
}
