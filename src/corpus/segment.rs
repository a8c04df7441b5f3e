//! Sentences and passages, as byte spans of a document's text.

use super::{Block, BlockKind, BlockStatus, Passage, Span};

/// Words that end with a period without ending the sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "cf", "no",
    "nos", "vol", "fig", "figs", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "inc", "ltd", "co", "corp", "gen", "gov", "sen", "rep", "pres", "approx",
    "dept", "est", "mt", "ft", "al", "ch", "sec", "p", "pp", "op", "ed", "eds", "rev", "col", "lt",
    "capt", "ave", "blvd", "univ", "assn", "bros", "u.s", "u.n", "u.k", "e.u", "a.m", "p.m",
];

const CLOSERS: &[char] = &['"', '”', '’', '\'', '»', ')', ']'];
const OPENERS: &[char] = &['"', '“', '‘', '«', '(', '[', '\''];

/// The sentences of a block: paragraphs and list items are split at
/// sentence ends, code at lines; a table row or a term is one "sentence".
pub fn segment_sentences(text: &str, span: Span, kind: BlockKind) -> Vec<Span> {
    let at = span.start as usize;
    match kind {
        BlockKind::Paragraph | BlockKind::ListItem => split_sentences(&text[span.range()])
            .into_iter()
            .map(|(s, e)| Span::new(at + s, at + e))
            .collect(),
        BlockKind::Preformatted => {
            let mut lines = Vec::new();
            let mut offset = at;
            for line in text[span.range()].split('\n') {
                push_trimmed(&mut lines, text, offset, offset + line.len());
                offset += line.len() + 1;
            }
            lines.into_iter().map(|(s, e)| Span::new(s, e)).collect()
        }
        _ => vec![span],
    }
}

/// Sentence spans `(start, end)` of `text`, trimmed.
pub fn split_sentences(text: &str) -> Vec<(usize, usize)> {
    let mut sentences = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if !matches!(c, '.' | '!' | '?' | '…') {
            i += 1;
            continue;
        }
        // Take the whole run of terminators and closing quotes: `?!`, `.”`, `...)`.
        let mut j = i + 1;
        while j < chars.len()
            && (matches!(chars[j].1, '.' | '!' | '?' | '…') || CLOSERS.contains(&chars[j].1))
        {
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |&(o, _)| o);
        let mut k = j;
        while k < chars.len() && chars[k].1.is_whitespace() {
            k += 1;
        }
        let at_end = k == chars.len();
        let spaced = k > j;
        let next_starts = chars
            .get(k)
            .is_some_and(|&(_, n)| n.is_uppercase() || n.is_ascii_digit() || OPENERS.contains(&n));
        if at_end || (spaced && next_starts && !(c == '.' && is_abbreviation(&text[start..at]))) {
            push_trimmed(&mut sentences, text, start, end);
            start = chars.get(k).map_or(text.len(), |&(o, _)| o);
        }
        i = j;
    }
    push_trimmed(&mut sentences, text, start, text.len());
    sentences
}

/// Whether the word before a period is an abbreviation or an initial.
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || OPENERS.contains(&c))
        .next()
        .unwrap_or("");
    let lower = word.to_lowercase();
    let letters = lower.chars().filter(|c| c.is_alphabetic()).count();
    (letters == 1 && lower.chars().all(|c| c.is_alphabetic() || c == '.'))
        || ABBREVIATIONS.contains(&lower.as_str())
        || (lower.contains('.') && lower.split('.').all(|p| p.chars().count() <= 2))
}

fn push_trimmed(out: &mut Vec<(usize, usize)>, text: &str, start: usize, end: usize) {
    let slice = &text[start..end];
    let lead = slice.len() - slice.trim_start().len();
    let len = slice.trim().len();
    if len > 0 {
        out.push((start + lead, start + lead + len));
    }
}

/// Most rows or items in one passage: enough for context, small enough to rank.
const MAX_GROUP: usize = 8;

/// Groups text blocks into passages: one per paragraph; runs of list items
/// or table rows together (with a lead-in line ending in `:`), each under
/// the headings, definition terms and labels above it.
pub fn group_passages(text: &str, blocks: &[Block]) -> Vec<Passage> {
    let mut passages: Vec<Passage> = Vec::new();
    let mut headings: Vec<(u8, u32)> = Vec::new();
    // Terms of the open definition lists: (depth, block).
    let mut terms: Vec<(u8, u32)> = Vec::new();
    let mut label: Option<u32> = None;
    let mut previous_text: Option<(u32, BlockKind)> = None;
    // The next passage is the first under its innermost heading or term.
    let mut lead = true;
    for (i, block) in blocks.iter().enumerate() {
        let i = i as u32;
        // A term names nothing after its definition list has closed.
        terms.retain(|&(depth, _)| depth <= block.depth);
        match (block.status, block.kind) {
            (BlockStatus::Label, BlockKind::Heading(level)) => {
                headings.retain(|&(l, _)| l < level);
                headings.push((level, i));
                terms.clear();
                label = None;
                previous_text = None;
                lead = true;
            }
            (BlockStatus::Label, BlockKind::Term) => {
                terms.retain(|&(depth, _)| depth < block.depth);
                terms.push((block.depth, i));
                label = None;
                previous_text = None;
                lead = true;
            }
            (BlockStatus::Label, _) => {
                label = Some(i);
                previous_text = None;
            }
            (BlockStatus::Text, kind) => {
                let joins = previous_text.is_some_and(|(prev, prev_kind)| {
                    let grouped = matches!(kind, BlockKind::ListItem | BlockKind::TableRow);
                    let lead_in = prev_kind == BlockKind::Paragraph
                        && ends_with_colon(text, &blocks[prev as usize]);
                    grouped
                        && passages.last().is_some_and(|p| p.blocks.len() < MAX_GROUP)
                        && (prev_kind == kind || lead_in)
                });
                if joins && let Some(last) = passages.last_mut() {
                    last.blocks.push(i);
                } else {
                    let mut context: Vec<u32> = headings.iter().map(|&(_, h)| h).collect();
                    context.extend(terms.iter().map(|&(_, t)| t));
                    context.extend(label);
                    passages.push(Passage {
                        blocks: vec![i],
                        context,
                        lead,
                    });
                    lead = false;
                }
                previous_text = Some((i, kind));
            }
            _ => previous_text = None,
        }
    }
    passages
}

fn ends_with_colon(text: &str, block: &Block) -> bool {
    text[block.span.range()].trim_end().ends_with(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        split_sentences(text)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        assert_eq!(
            sentences(
                "The U.S. President met the U.N. envoy. Mr. Smith agreed, e.g. on trade. It ended."
            ),
            vec![
                "The U.S. President met the U.N. envoy.",
                "Mr. Smith agreed, e.g. on trade.",
                "It ended."
            ]
        );
        assert_eq!(
            sentences("Sept. 7 was a Monday. J. R. Tolkien wrote it."),
            vec!["Sept. 7 was a Monday.", "J. R. Tolkien wrote it."]
        );
    }

    #[test]
    fn quotes_close_sentences() {
        assert_eq!(
            sentences(
                "Trump said “We had a great conversation.” Tokayev agreed. He called it «a dinner.» Then left."
            ),
            vec![
                "Trump said “We had a great conversation.”",
                "Tokayev agreed.",
                "He called it «a dinner.»",
                "Then left."
            ]
        );
        assert_eq!(
            sentences("“Why now?” he asked. Nobody knew!"),
            vec!["“Why now?” he asked.", "Nobody knew!"]
        );
    }

    #[test]
    fn numbers_and_ellipses() {
        assert_eq!(
            sentences("It grew 3.5 percent in 2024. In 2025... it fell."),
            vec!["It grew 3.5 percent in 2024.", "In 2025... it fell."]
        );
        assert_eq!(sentences("No end punctuation"), vec!["No end punctuation"]);
        assert!(sentences("   ").is_empty());
    }

    #[test]
    fn rows_are_one_sentence_items_split_code_by_line() {
        let text = "Russia | Military alliances, Security guarantees. Preserving dominance";
        let span = Span::new(0, text.len());
        assert_eq!(
            segment_sentences(text, span, BlockKind::TableRow),
            vec![span]
        );
        let item = "Stops early. It ignores the rest.";
        assert_eq!(
            segment_sentences(item, Span::new(0, item.len()), BlockKind::ListItem).len(),
            2
        );
        let code = ">>> round(2.5)\n\n  2";
        let lines: Vec<&str> =
            segment_sentences(code, Span::new(0, code.len()), BlockKind::Preformatted)
                .iter()
                .map(|s| &code[s.range()])
                .collect();
        assert_eq!(lines, vec![">>> round(2.5)", "2"]);
    }

    fn block(text: &str, at: &mut usize, kind: BlockKind, status: BlockStatus, depth: u8) -> Block {
        let span = Span::new(*at, *at + text.len());
        *at += text.len() + 1;
        Block {
            span,
            kind,
            status,
            sentences: vec![span],
            depth,
        }
    }

    #[test]
    fn passages_sit_under_heading_paths_and_definition_terms() {
        use BlockKind::*;
        use BlockStatus::*;
        let parts = [
            ("Built-in Functions", Heading(1), Label, 0),
            ("Intro text.", Paragraph, Text, 0),
            ("zip(*iterables)", Term, Label, 1),
            ("Iterate in parallel.", Paragraph, Text, 1),
            ("strict", Term, Label, 2),
            ("Checks lengths.", Paragraph, Text, 2),
            ("By default it stops.", Paragraph, Text, 1),
            ("After the list.", Paragraph, Text, 0),
        ];
        let text = parts.iter().map(|p| p.0).collect::<Vec<_>>().join("\n");
        let mut at = 0;
        let blocks: Vec<Block> = parts
            .iter()
            .map(|&(t, k, s, d)| block(t, &mut at, k, s, d))
            .collect();
        let got: Vec<(Vec<u32>, bool)> = group_passages(&text, &blocks)
            .into_iter()
            .map(|p| (p.context, p.lead))
            .collect();
        assert_eq!(
            got,
            vec![
                (vec![0], true),
                (vec![0, 2], true),
                (vec![0, 2, 4], true),
                (vec![0, 2], false),
                (vec![0], false),
            ]
        );
    }
}
