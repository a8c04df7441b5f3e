//! Property: whatever a corpus holds and whatever is asked, Quarry never
//! panics, every quote is a verbatim slice of the file it cites, between its
//! `…`, and every line it names exists.
//!
//! Each case writes a small corpus of plain text, Markdown and HTML files
//! that mixes realistic sentences (names, dates, amounts, places) with odd
//! text: letters whose case changes their length (İ ı ẞ ß Σ ς Ⱥ ﬃ), combining
//! marks, right-to-left text and marks, emoji and ZWJ sequences, control
//! characters, NUL, lone CR, wide and no-break spaces, curly quotes, very
//! long words, date- and number-like fragments, Markdown and HTML syntax and
//! query syntax. It indexes the corpus with the real engine, then asks,
//! explains, searches, builds timelines and reads sources, and renders every
//! reply for the terminal and for Discord. A second property gives single
//! sentences straight to the short-answer and date finders, many per corpus.
//!
//! `QUARRY_FUZZ_CASES` sets the number of corpora (default 16; sixteen times
//! as many sentences); each corpus gets its own questions. A failure prints
//! its smallest corpus as files and questions; `PROPTEST_RNG_SEED` replays a run.

use std::path::Path;

use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use quarry::answer::question::Question as Parsed;
use quarry::answer::span::{first_date, short_answer};
use quarry::corpus::meta::SourcesToml;
use quarry::dates::PartialDate;
use quarry::dates::{Anchor, Anchors, tag_dates};
use quarry::engine::{AskOptions, Engine, EngineError, TimelineQuery};
use quarry::model::{Citation, Timeline};
use quarry::render;

/// Sentences of the kind the engine extracts answers and dates from.
const SENTENCES: &[&str] = &[
    "İlham Aliyev hosted “Tokayev” in Baku on May 5, 2025.",
    "The C5+1 summit at the White House was held on November 6, 2025.",
    "Two months later, the summit in Astana approved a €12 billion (US$13.2 billion) package.",
    "Since 2017, the two nations have traded uranium, and 83% of it went to China.",
    "The deportation of 131 Uzbek nationals in April was analyzed by Temur Umarov.",
    "Straße ẞ and ΣΊΣΥΦΟΣ met in Samarkand in the fall of 2024 because of tariffs.",
    "Michael Rossi is a Lecturer in Political Science at Rutgers University.",
    "The default is 4 workers unless max_workers is set in Cargo.toml.",
    "Between 2001 and 2005 the mid-1990s plan was revived by DİYARBAKIR officials.",
    "Last year, the Biden administration initiated talks; a year earlier they had failed.",
    "In July, Kazakhstan signed the 2019-2025 strategy at Mar-a-Lago.",
    "Version 1.2.0 (2024-05-01) fixed json.loads() when called with --release.",
    "Ⱥlmaty hosted the ﬃcial forum on 7 September 2025, said ǅemal İnce.",
    "Where was it held? In Tashkent, on Sept. 12, 2023, with 40 minutes of talks.",
    "How many troops? 1 BC and 2025-13-45 are not dates, but May 5, 2025 is.",
];

/// Words of those sentences and of typical questions, to ask with.
#[rustfmt::skip]
const WORDS: &[&str] = &[
    "Aliyev", "Tokayev", "Baku", "hosted", "summit", "held", "White", "House", "package",
    "uranium", "China", "nationals", "Uzbek", "deportation", "Umarov", "Samarkand", "tariffs",
    "Rossi", "Lecturer", "default", "workers", "max_workers", "Cargo.toml", "plan", "officials",
    "Biden", "talks", "Kazakhstan", "strategy", "json.loads", "--release", "forum", "Tashkent",
    "troops", "dates", "2025", "May", "November", "the", "of", "in", "by", "is", "İlham",
    "ΣΊΣΥΦΟΣ", "Straße", "Ⱥlmaty", "ﬃcial", "DİYARBAKIR",
];

/// Odd characters and strings that have broken text code before.
#[rustfmt::skip]
const ODD: &[&str] = &[
    // Letters whose case changes their length or their number of chars.
    "İ", "ı", "ẞ", "ß", "Σ", "ς", "ΣΑΣ", "Ⱥ", "ⱥ", "Ⱦ", "ﬃ", "ﬀ", "ǅ", "ŉ", "ΐ", "\u{212a}",
    "\u{212b}", "ſ", "İstanbul", "DİYARBAKIR", "ıI", "ⅷ", "ꞵ", "Ꞵ", "ɐ", "Ɐ",
    // Combining marks, alone and stacked.
    "e\u{301}", "\u{301}", "a\u{308}\u{304}\u{30a}", "Z\u{336}\u{34c}\u{35b}\u{311}", "\u{20dd}",
    // Right-to-left text and marks.
    "مرحبا", "שלום", "\u{200f}", "\u{200e}", "\u{202e}", "\u{2067}", "\u{2069}", "٢٠٢٥",
    // Emoji, ZWJ sequences, flags, keycaps, variation selectors.
    "🙂", "👩\u{200d}👩\u{200d}👧\u{200d}👦", "🏳\u{fe0f}\u{200d}🌈", "🇰🇿", "1\u{fe0f}\u{20e3}",
    "\u{fe0f}", "\u{200d}",
    // Control characters, NUL, line and paragraph separators, lone CR.
    "\0", "\u{1}", "\u{7f}", "\u{85}", "\u{2028}", "\u{2029}", "\u{b}", "\u{c}", "\r",
    "\u{1b}[1m",
    // Spaces of more than one byte, zero-width ones, a BOM mid-text.
    "\u{a0}", "\u{202f}", "\u{3000}", "\u{2003}", "\u{200b}", "\u{feff}", "\u{2060}",
    // Quotes, dashes, ellipses.
    "“", "”", "‘", "’", "«", "»", "„", "–", "—", "…", "...",
    // Other scripts, wide digits, replacement and private-use chars.
    "в июле", "東京", "２０２５", "\u{fffd}", "\u{e000}", "\u{10ffff}", "𝔘𝔫𝔦",
];

/// Fragments that look like dates or numbers.
#[rustfmt::skip]
const DATES: &[&str] = &[
    "May 5, 2025", "5 May 2025", "2025-13-45", "2025-02-30", "1 BC", "2019–25", "2024-25",
    "the 1990s", "the mid-1990s", "mid-2025", "late 2024", "Two months later", "a year earlier",
    "last year", "this month", "yesterday", "in July", "last March", "that July", "since 2017",
    "from 2010 to 2014", "between 2001 and 2005", "1800", "2099", "$2025", "US$13.2 billion",
    "€12 billion", "83%", "131", "12,000", "3.5", "1e9", "-0", "99999999999999999999", "0x1F",
    "CVE-2021-44532", "RFC 2008", "https://example.org/2020/01/03/x", "Sept. 12, 2023",
    "September 31, 2025", "February 29, 2023", "November\u{a0}6,\u{a0}2025", "May\u{2003}5",
    "ten days later", "the following month", "2025-09-07T00:00Z",
];

/// Markdown, HTML and query syntax, alone or broken.
#[rustfmt::skip]
const SYNTAX: &[&str] = &[
    "# ", "## ", "###### ", "- ", "* ", "+ ", "• ", "1. ", "1) ", "> ", "```", "~~~", "|",
    "| a | b |", "|---|", "---", "+++", "[link](http://x.y)", "![img](a.png)", "`code`",
    "**bold**", "_em_", "[^1]", "[x]: http://x.y", ": ", "\\", "<b>", "</b>", "<p>", "</p>",
    "<br>", "<pre>", "</pre>", "<script>", "</script>", "<!--", "-->", "<![CDATA[", "]]>",
    "&nbsp;", "&amp;", "&lt;", "&#0;", "&#x10FFFF;", "&#xD800;", "&#8232;", "&#10;", "&", "<dl><dt>",
    "</dt><dd>", "<td>", "<tr>", "<title>", "<h1>", "<nav>", "<a href=\"#\">", "</a>",
    "<div class=\"sidebar\">", "<", ">", "\"", "'", "AND", "OR", "NOT", "(", ")", "~", "^", ":",
    "*", "?", "field:", "+-", "AND ( \"",
];

/// What joins two pieces of a line.
#[rustfmt::skip]
const SEPARATORS: &[&str] = &[
    " ", " ", " ", "", "\u{a0}", "\t", "\r", ", ", ". ", "\u{3000}", "  ", "\u{2028}", "\u{85}",
];

/// A file of the corpus; names with case-changing letters and emoji, in folders.
const TEXT_NAMES: &[&str] = &["notes.txt", "emoji 🙂 note.txt", "deep/ı/İ ﬃ.txt"];
const MARKDOWN_NAMES: &[&str] = &["guide.md", "İlham ﬃ.md", "deep/ẞ/x.markdown"];
const HTML_NAMES: &[&str] = &["page.html", "ΣΑΣ ς.html", "deep/Straße.htm"];

/// Question forms: each asks for a kind of answer.
const QUESTIONS: &[&str] = &[
    "Who {}?",
    "Who hosted {}?",
    "Who is {}?",
    "When was {}?",
    "When did {} happen?",
    "Since when {}?",
    "What year {}?",
    "Where was {}?",
    "How many {}?",
    "How much {}?",
    "Is there a limit on {}?",
    "Why {}?",
    "What is {}?",
    "What does {} do?",
    "If I leave {} unset, what happens?",
    "Show an example of {}",
    "{}",
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Text,
    Markdown,
    Html,
}

/// One way to change a sentence.
#[derive(Debug, Clone)]
enum Edit {
    /// Insert a piece at a char position (inside a word or a grapheme, too).
    Insert(Index, String),
    /// Replace the space-separated word at this position.
    Replace(Index, String),
    Uppercase,
    Lowercase,
}

#[derive(Debug, Clone)]
struct Line {
    text: String,
    /// Which wrapper of the format the line gets (a heading, a list item, ...).
    wrapper: Index,
}

#[derive(Debug, Clone)]
struct Doc {
    format: Format,
    name: Index,
    /// Markdown front matter or a `sources.toml` entry.
    published: Option<(i32, Option<u32>)>,
    title: Option<String>,
    lines: Vec<Line>,
    /// What ends a line (`\n`, a blank line, `\r\n`, a lone `\r`).
    line_break: Index,
    /// Whether the file starts with a byte order mark.
    bom: bool,
}

/// A piece of a word, question or line.
#[derive(Debug, Clone)]
enum Word {
    /// A word taken from the corpus's own files.
    FromCorpus(Index),
    Given(String),
}

#[derive(Debug, Clone)]
struct Question {
    form: Index,
    words: Vec<Word>,
    /// Asked as of this date, and the timeline up to it.
    as_of: Option<(i32, u32)>,
    /// The timeline from this date.
    from: Option<(i32, u32)>,
    limit: Option<usize>,
    /// The words repeated this many times: a question as long as a page.
    repeat: Option<usize>,
}

#[derive(Clone)]
struct Case {
    /// The first line of the first file: a realistic sentence as is, so that
    /// every corpus holds something to answer and date.
    anchor: Index,
    docs: Vec<Doc>,
    questions: Vec<Question>,
    /// Extra lines asked of `source`, past the ends included.
    source_lines: Vec<u32>,
}

fn text(list: &'static [&'static str]) -> BoxedStrategy<String> {
    select(list).prop_map(str::to_string).boxed()
}

/// Any chars at all, control and unassigned ones included.
fn any_chars(max: usize) -> BoxedStrategy<String> {
    proptest::collection::vec(any::<char>(), 0..max)
        .prop_map(|chars| chars.into_iter().collect())
        .boxed()
}

/// What a very long word is made of, repeated.
#[rustfmt::skip]
const LONG_WORD_UNITS: &[&str] = &[
    "x", "İ", "9", "ﬃ", "🙂", "a\u{301}", "-", "https://example.org/",
];

/// A very long word: of one letter, repeated, or a URL.
fn long_word() -> BoxedStrategy<String> {
    (select(LONG_WORD_UNITS), 40..700usize)
        .prop_map(|(unit, n)| unit.repeat(n.div_ceil(unit.chars().count())))
        .boxed()
}

fn piece() -> BoxedStrategy<String> {
    prop_oneof![
        4 => text(WORDS),
        4 => text(ODD),
        2 => text(DATES),
        2 => text(SYNTAX),
        1 => any_chars(12),
        1 => long_word(),
    ]
    .boxed()
}

fn edit() -> BoxedStrategy<Edit> {
    prop_oneof![
        4 => (any::<Index>(), piece()).prop_map(|(at, p)| Edit::Insert(at, p)),
        3 => (any::<Index>(), piece()).prop_map(|(at, p)| Edit::Replace(at, p)),
        1 => Just(Edit::Uppercase),
        1 => Just(Edit::Lowercase),
    ]
    .boxed()
}

fn apply(sentence: &str, edits: &[Edit]) -> String {
    let mut out = sentence.to_string();
    for edit in edits {
        match edit {
            Edit::Insert(at, piece) => {
                let bounds: Vec<usize> = out
                    .char_indices()
                    .map(|(i, _)| i)
                    .chain([out.len()])
                    .collect();
                out.insert_str(bounds[at.index(bounds.len())], piece);
            }
            Edit::Replace(at, piece) => {
                let mut words: Vec<&str> = out.split(' ').collect();
                let i = at.index(words.len());
                words[i] = piece;
                out = words.join(" ");
            }
            Edit::Uppercase => out = out.to_uppercase(),
            Edit::Lowercase => out = out.to_lowercase(),
        }
    }
    out
}

fn line_text() -> BoxedStrategy<String> {
    prop_oneof![
        // A realistic sentence, changed here and there.
        4 => (select(SENTENCES), proptest::collection::vec(edit(), 0..4))
            .prop_map(|(s, edits)| apply(s, &edits)),
        // Pieces of every kind, joined.
        3 => proptest::collection::vec((piece(), select(SEPARATORS)), 1..14).prop_map(|parts| {
            parts.into_iter().map(|(p, sep)| format!("{p}{sep}")).collect()
        }),
        1 => any_chars(60),
    ]
    .boxed()
}

fn line() -> BoxedStrategy<Line> {
    (line_text(), any::<Index>())
        .prop_map(|(text, wrapper)| Line { text, wrapper })
        .boxed()
}

fn doc() -> BoxedStrategy<Doc> {
    (
        select(&[Format::Text, Format::Markdown, Format::Html][..]),
        any::<Index>(),
        proptest::option::of((1990..2031i32, proptest::option::of(1..13u32))),
        proptest::option::of(piece()),
        proptest::collection::vec(line(), 1..12),
        any::<Index>(),
        proptest::bool::weighted(0.1),
    )
        .prop_map(
            |(format, name, published, title, lines, line_break, bom)| Doc {
                format,
                name,
                published,
                title,
                lines,
                line_break,
                bom,
            },
        )
        .boxed()
}

fn word() -> BoxedStrategy<Word> {
    prop_oneof![
        3 => any::<Index>().prop_map(Word::FromCorpus),
        2 => piece().prop_map(Word::Given),
    ]
    .boxed()
}

fn question() -> BoxedStrategy<Question> {
    (
        any::<Index>(),
        proptest::collection::vec(word(), 0..6),
        proptest::option::of((1990..2031i32, 1..13u32)),
        proptest::option::of((1990..2031i32, 1..13u32)),
        proptest::option::of(0..6usize),
        proptest::option::weighted(0.05, 2..400usize),
    )
        .prop_map(|(form, words, as_of, from, limit, repeat)| Question {
            form,
            words,
            as_of,
            from,
            limit,
            repeat,
        })
        .boxed()
}

fn case() -> BoxedStrategy<Case> {
    (
        any::<Index>(),
        proptest::collection::vec(doc(), 1..4),
        proptest::collection::vec(question(), 1..6),
        proptest::collection::vec(0..40u32, 0..3),
    )
        .prop_map(|(anchor, docs, questions, source_lines)| Case {
            anchor,
            docs,
            questions,
            source_lines,
        })
        .boxed()
}

/// Wrappers of a line: shapes of plain-text lines, Markdown prefixes, HTML
/// elements (opening, closing).
const TEXT_WRAPPERS: &[(&str, &str)] = &[
    ("", ""),
    ("", ""),
    ("", ""),
    ("# ", ""),
    ("### ", " ###"),
    ("- ", ""),
    ("• ", ""),
    ("\u{a0}• ", ""),
    ("12) ", ""),
    ("| ", " | x |"),
    ("|---|\n", ""),
    ("```\n", ""),
    ("---\n", ""),
    ("    ", ""),
];
const MARKDOWN_WRAPPERS: &[(&str, &str)] = &[
    ("", ""),
    ("", ""),
    ("# ", ""),
    ("## ", ""),
    ("- ", ""),
    ("1. ", ""),
    ("> ", ""),
    ("| ", " |"),
    ("```\n", "\n```"),
    ("Term\n: ", ""),
    ("• ", ""),
    ("+++\n", ""),
    ("[^1]: ", ""),
    ("<div>\n", "\n</div>"),
    ("    ", ""),
    ("**", "**"),
];
const HTML_WRAPPERS: &[(&str, &str)] = &[
    ("<p>", "</p>"),
    ("<p>", "</p>"),
    ("<li>", ""),
    ("<h1>", "</h1>"),
    ("<h3>", "</h3>"),
    ("<dl><dt>", "</dt><dd>"),
    ("<pre>", "</pre>"),
    ("<table><tr><td>", "</td><td>x</td></tr></table>"),
    ("<div class=\"sidebar\">", "</div>"),
    ("<a href=\"#\">", "</a>"),
    ("<script>", "</script>"),
    ("", ""),
    ("<br>", ""),
    ("<span>", "</span>"),
    ("<!--", "-->"),
    ("<p>&amp; ", " &lt;&#8232;&nbsp;</p>"),
];

/// The file name and the bytes of one document.
fn render_doc(doc: &Doc, anchor: Option<&str>, taken: &[String]) -> (String, String) {
    let names = match doc.format {
        Format::Text => TEXT_NAMES,
        Format::Markdown => MARKDOWN_NAMES,
        Format::Html => HTML_NAMES,
    };
    // Distinct names: the first free one from the chosen one on.
    let start = doc.name.index(names.len());
    let name = (0..names.len())
        .map(|i| names[(start + i) % names.len()].to_string())
        .find(|n| !taken.contains(n))
        .unwrap_or_else(|| format!("extra-{}.txt", taken.len()));
    let mut lines: Vec<(usize, &str)> = doc
        .lines
        .iter()
        .map(|l| (l.wrapper.index(64), l.text.as_str()))
        .collect();
    if let Some(anchor) = anchor {
        lines.insert(0, (0, anchor));
    }
    let mut out = String::new();
    if doc.bom {
        out.push('\u{feff}');
    }
    match doc.format {
        Format::Text => {
            let brk = ["\n", "\n\n", "\r\n", "\n\n\n", "\r"][doc.line_break.index(5)];
            if let Some(title) = &doc.title {
                out.push_str(title);
                out.push_str(brk);
            }
            for (w, l) in lines {
                let (open, close) = TEXT_WRAPPERS[w % TEXT_WRAPPERS.len()];
                out.push_str(&format!("{open}{l}{close}{brk}"));
            }
        }
        Format::Markdown => {
            let brk = ["\n\n", "\n", "\r\n\r\n", "\r\r"][doc.line_break.index(4)];
            if doc.title.is_some() || doc.published.is_some() {
                out.push_str("---\n");
                if let Some(title) = &doc.title {
                    out.push_str(&format!("title: {}\n", title.replace('\n', " ")));
                }
                match (doc.published, &doc.title) {
                    (Some(date), _) => out.push_str(&format!("date: {}\n", iso(date))),
                    (None, Some(title)) => out.push_str(&format!("date: {title}\n")),
                    (None, None) => {}
                }
                out.push_str("---\n");
            }
            for (w, l) in lines {
                let (open, close) = MARKDOWN_WRAPPERS[w % MARKDOWN_WRAPPERS.len()];
                out.push_str(&format!("{open}{l}{close}{brk}"));
            }
        }
        Format::Html => {
            out.push_str("<!DOCTYPE html>\n<html><head>");
            if let Some(title) = &doc.title {
                out.push_str(&format!("<title>{title}</title>"));
            }
            out.push_str("</head>\n<body>\n");
            let brk = ["\n", "", "\r", "\r\n"][doc.line_break.index(4)];
            for (w, l) in lines {
                let (open, close) = HTML_WRAPPERS[w % HTML_WRAPPERS.len()];
                out.push_str(&format!("{open}{l}{close}{brk}"));
            }
            out.push_str("</body></html>\n");
        }
    }
    (name, out)
}

fn iso((year, month): (i32, Option<u32>)) -> String {
    match month {
        Some(m) => format!("{year}-{m:02}"),
        None => format!("{year}"),
    }
}

/// A generated corpus as files, and the questions asked of it.
struct Corpus {
    files: Vec<File>,
    sources_toml: Option<String>,
    questions: Vec<Asked>,
}

struct File {
    name: String,
    raw: String,
    format: Format,
    /// `Document::text`, or `None` for a file Quarry skips.
    text: Option<String>,
}

/// A question with the date it is asked as of and the timeline limit.
struct Asked {
    text: String,
    as_of: Option<PartialDate>,
    from: Option<PartialDate>,
    limit: Option<usize>,
}

impl Corpus {
    fn of(case: &Case) -> Corpus {
        let mut files: Vec<File> = Vec::new();
        let mut sources = String::new();
        let anchor = SENTENCES[case.anchor.index(SENTENCES.len())];
        for (i, doc) in case.docs.iter().enumerate() {
            let taken: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
            let (name, raw) = render_doc(doc, (i == 0).then_some(anchor), &taken);
            if let (Some(date), false) = (doc.published, doc.format == Format::Markdown) {
                sources.push_str(&format!("[\"{name}\"]\npublished = \"{}\"\n", iso(date)));
            }
            let text =
                quarry::corpus::parse_document(&name, raw.as_bytes(), &SourcesToml::default())
                    .ok()
                    .map(|d| d.text);
            files.push(File {
                name,
                raw,
                format: doc.format,
                text,
            });
        }
        let mut words: Vec<&str> = files
            .iter()
            .flat_map(|f| f.raw.split_whitespace())
            .collect();
        words.sort();
        // The sentence itself, asked as "when" and "who", reaches dates and spans.
        let probes = [format!("When did {anchor}"), format!("Who {anchor}")];
        let questions = case
            .questions
            .iter()
            .map(|q| Asked {
                text: question_text(q, &words),
                as_of: q.as_of.and_then(|(y, m)| PartialDate::month(y, m)),
                from: q.from.and_then(|(y, m)| PartialDate::month(y, m)),
                limit: q.limit,
            })
            .chain(probes.into_iter().map(|text| Asked {
                text,
                as_of: None,
                from: None,
                limit: Some(3),
            }))
            .collect();
        Corpus {
            files,
            sources_toml: (!sources.is_empty()).then_some(sources),
            questions,
        }
    }

    fn file(&self, name: &str) -> Option<&File> {
        self.files.iter().find(|f| f.name == name)
    }

    fn write(&self, dir: &Path) {
        for file in &self.files {
            let path = dir.join(&file.name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, &file.raw).expect("write");
        }
        if let Some(sources) = &self.sources_toml {
            std::fs::write(dir.join("sources.toml"), sources).expect("write");
        }
    }
}

/// A failing case shows as the files it writes and the questions it asks.
impl std::fmt::Debug for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let corpus = Corpus::of(self);
        let mut out = f.debug_struct("Corpus");
        for file in &corpus.files {
            out.field(&file.name, &file.raw);
        }
        if let Some(sources) = &corpus.sources_toml {
            out.field("sources.toml", sources);
        }
        for q in &corpus.questions {
            out.field(
                "question",
                &format_args!(
                    "{:?} as_of {:?} from {:?} limit {:?}",
                    q.text, q.as_of, q.from, q.limit
                ),
            );
        }
        out.field("source_lines", &self.source_lines).finish()
    }
}

fn question_text(q: &Question, words: &[&str]) -> String {
    let parts: Vec<&str> = q
        .words
        .iter()
        .map(|w| match w {
            Word::FromCorpus(i) if !words.is_empty() => words[i.index(words.len())],
            Word::FromCorpus(_) => "",
            Word::Given(s) => s.as_str(),
        })
        .collect();
    let words = parts.join(" ");
    let words = match q.repeat {
        Some(n) => vec![words.as_str(); n].join(" "),
        None => words,
    };
    QUESTIONS[q.form.index(QUESTIONS.len())].replace("{}", &words)
}

/// What the run reached, to show the generated text gets past the checks at
/// the door into answers, dates and spans.
#[derive(Debug, Default)]
struct Reached {
    corpora: usize,
    questions: usize,
    answered: usize,
    short_answers: usize,
    quotes: usize,
    shortened_quotes: usize,
    search_hits: usize,
    events: usize,
    sources: usize,
}

/// `quote` without the `… ` and ` …` a shortened quote gets at its cuts.
fn without_cuts(quote: &str) -> &str {
    let quote = quote.strip_prefix("… ").unwrap_or(quote);
    quote.strip_suffix(" …").unwrap_or(quote)
}

/// Whether the pieces of `quote` between its inner ` … ` (a dated section
/// is quoted as its heading … its date line) are slices of `text`, in order.
fn in_order(text: &str, quote: &str) -> bool {
    let mut rest = text;
    quote.split(" … ").all(|piece| match rest.find(piece) {
        Some(at) => {
            rest = &rest[at + piece.len()..];
            true
        }
        None => false,
    })
}

/// The quote is a slice of the file's text (or slices of it, in order, between
/// inner ` … `), at the lines it cites, which exist.
fn check_cited(corpus: &Corpus, quote: &str, citation: &Citation) -> Result<(), TestCaseError> {
    let file = corpus.file(&citation.file);
    prop_assert!(
        file.is_some(),
        "cites {:?}, not a corpus file",
        citation.file
    );
    let file = file.expect("checked");
    let text = file.text.as_deref();
    prop_assert!(text.is_some(), "cites {:?}, a skipped file", citation.file);
    let lines: Vec<&str> = file.raw.split('\n').collect();
    let (a, b) = (citation.line_start as usize, citation.line_end as usize);
    prop_assert!(
        1 <= a && a <= b && b <= lines.len(),
        "{}:{a}-{b} but the file has {} lines",
        citation.file,
        lines.len()
    );
    let core = without_cuts(quote);
    prop_assert!(!core.is_empty(), "an empty quote from {}", citation.file);
    match file.format {
        // The text is the file itself: the quote lies within its lines.
        Format::Text | Format::Markdown => {
            let cited = lines[a - 1..b].join("\n");
            prop_assert!(
                in_order(&cited, core),
                "{core:?} is not at {}:{a}-{b}: {cited:?}",
                citation.file
            );
        }
        // The text is what a reader sees.
        Format::Html => {
            prop_assert!(
                text.is_some_and(|t| in_order(t, core)),
                "{core:?} is not in the text of {}",
                citation.file
            );
        }
    }
    Ok(())
}

fn check_timeline(
    corpus: &Corpus,
    timeline: &Timeline,
    query: &TimelineQuery,
    reached: &mut Reached,
) -> Result<(), TestCaseError> {
    prop_assert!(timeline.total >= timeline.events.len());
    if let Some(limit) = query.limit {
        prop_assert!(timeline.events.len() <= limit);
    }
    for pair in timeline.events.windows(2) {
        prop_assert!(pair[0].date <= pair[1].date, "events out of date order");
    }
    for event in &timeline.events {
        prop_assert!(!event.citations.is_empty());
        prop_assert!(event.end.is_none_or(|end| end > event.date));
        if let Some(from) = query.from {
            prop_assert!(event.date.last_day() >= from.first_day());
        }
        if let Some(to) = query.to {
            prop_assert!(event.date.first_day() <= to.last_day());
        }
        check_cited(corpus, &event.text, &event.citations[0].citation)?;
        for c in &event.citations {
            check_cited(corpus, &c.text, &c.citation)?;
        }
    }
    reached.events += timeline.events.len();
    let _ = render::text::timeline(timeline);
    let full = timeline;
    for page in 0..=render::timeline_pages(full) + 1 {
        let parts = render::discord::timeline_page("Timeline", timeline, full, page);
        prop_assert!(parts.chars() <= render::discord::limits::EMBED_TOTAL);
    }
    Ok(())
}

fn run_case(case: &Case, reached: &mut Reached) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().expect("tempdir");
    let index = tempfile::tempdir().expect("tempdir");
    let corpus = Corpus::of(case);
    corpus.write(dir.path());
    let engine = Engine::open(dir.path(), &index.path().join("index"));
    prop_assert!(
        engine.is_ok(),
        "the corpus is not indexed: {:?}",
        engine.err()
    );
    let engine = engine.expect("checked");
    reached.corpora += 1;

    let docs = engine.docs();
    let _ = render::text::docs(&docs);
    prop_assert!(render::discord::docs(&docs).chars() <= render::discord::limits::EMBED_TOTAL);
    for d in &docs {
        prop_assert!(corpus.file(&d.file).is_some_and(|f| f.text.is_some()));
    }

    let mut cited: Vec<Citation> = Vec::new();
    for asked in &corpus.questions {
        let text = &asked.text;
        reached.questions += 1;
        let options = AskOptions { as_of: asked.as_of };
        for options in [AskOptions::default(), options] {
            let answer = engine.ask(text, &options);
            prop_assert_eq!(&answer.question, text);
            prop_assert!(answer.answered || answer.quotes.len() <= 1);
            prop_assert!(answer.quotes.len() <= quarry::answer::MAX_QUOTES);
            if answer.answered {
                reached.answered += 1;
            }
            if let Some(short) = &answer.answer {
                reached.short_answers += 1;
                prop_assert!(answer.answered);
                // Lifted from the sentence the first quote is cut from.
                let first = answer.quotes.first().map(|q| q.citation.file.as_str());
                let text = first.and_then(|f| corpus.file(f)?.text.as_deref());
                prop_assert!(
                    text.is_some_and(|t| t.contains(short.as_str())),
                    "{short:?} is not in {first:?}"
                );
            }
            for quote in &answer.quotes {
                check_cited(&corpus, &quote.text, &quote.citation)?;
                reached.quotes += 1;
                if quote.text.starts_with("… ") || quote.text.ends_with(" …") {
                    reached.shortened_quotes += 1;
                }
                if let Some(limit) = options.as_of {
                    prop_assert!(quote.citation.published.is_some_and(|p| p <= limit));
                }
                cited.push(quote.citation.clone());
            }
            let _ = render::text::answer(&answer);
            for from in [0, 3, 6] {
                let parts = render::discord::answer(&answer, from);
                prop_assert!(parts.chars() <= render::discord::limits::EMBED_TOTAL);
                let _ = render::has_more_quotes(&answer, from);
            }
        }
        let explanation = engine.explain(text, &AskOptions::default());
        for c in &explanation.candidates {
            prop_assert!(corpus.file(&c.file).is_some());
        }
        let _ = serde_json::to_string(&explanation).expect("explanation serializes");

        let hits = engine.search(text, 10);
        for hit in &hits {
            check_cited(&corpus, &hit.text, &hit.citation)?;
            let mut at = 0;
            for &(s, e) in &hit.highlights {
                prop_assert!(at <= s && s < e && e <= hit.text.len());
                prop_assert!(hit.text.is_char_boundary(s) && hit.text.is_char_boundary(e));
                at = e;
            }
            cited.push(hit.citation.clone());
        }
        reached.search_hits += hits.len();
        let _ = render::text::search(&hits, false);
        let _ = render::text::search(&hits, true);
        let parts = render::discord::search(text, &hits);
        prop_assert!(parts.chars() <= render::discord::limits::EMBED_TOTAL);

        let query = TimelineQuery {
            topic: Some(text.clone()),
            from: asked.from,
            to: asked.as_of,
            limit: asked.limit,
        };
        check_timeline(&corpus, &engine.timeline(&query), &query, reached)?;
    }

    // The whole chronology, and a window of it.
    let whole = TimelineQuery::default();
    let timeline = engine.timeline(&whole);
    check_timeline(&corpus, &timeline, &whole, reached)?;
    let window = TimelineQuery {
        from: PartialDate::month(2024, 5),
        to: Some(PartialDate::year(2025)),
        limit: Some(4),
        ..TimelineQuery::default()
    };
    check_timeline(&corpus, &engine.timeline(&window), &window, reached)?;
    for event in &timeline.events {
        cited.extend(event.citations.iter().map(|c| c.citation.clone()));
    }

    // Sources: every cited line, every file's first and last lines and past them.
    let mut asked_lines: Vec<(String, u32)> = cited
        .iter()
        .flat_map(|c| [(c.file.clone(), c.line_start), (c.file.clone(), c.line_end)])
        .collect();
    for file in &corpus.files {
        let name = &file.name;
        let lines = file.raw.split('\n').count() as u32;
        for line in [0, 1, lines, lines + 1, u32::MAX] {
            asked_lines.push((name.clone(), line));
        }
        for &line in &case.source_lines {
            asked_lines.push((name.clone(), line));
        }
    }
    asked_lines.sort();
    asked_lines.dedup();
    for (file, line) in asked_lines {
        let parsed = corpus.file(&file).is_some_and(|f| f.text.is_some());
        match engine.source(&file, line) {
            Ok(passage) => {
                prop_assert!(parsed && line >= 1);
                check_cited(&corpus, &passage.text, &passage.citation)?;
                let _ = render::text::source(&passage);
                let parts = render::discord::source(&passage);
                prop_assert!(parts.chars() <= render::discord::limits::EMBED_TOTAL);
                reached.sources += 1;
            }
            Err(EngineError::NotInCorpus(_)) => prop_assert!(!parsed, "{file} is in the corpus"),
            Err(EngineError::LineOutOfRange { lines, .. }) => {
                prop_assert!(
                    line == 0 || line > lines,
                    "{file}:{line} of {lines} refused"
                );
            }
            Err(e) => prop_assert!(false, "source {file}:{line}: {e}"),
        }
    }
    for odd in [
        "",
        "../etc/passwd",
        "/etc/passwd",
        "İ",
        "\0",
        "notes.txt\0",
        "ﬃ.md",
        " ",
        "./",
    ] {
        prop_assert!(engine.source(odd, 1).is_err() || corpus.file(odd).is_some());
    }
    Ok(())
}

/// What a sentence alone gives: a short answer, a first date and all its dates.
#[derive(Debug, Default)]
struct SentenceReached {
    sentences: usize,
    short_answers: usize,
    dates: usize,
}

/// One sentence, questions made of its words, and its document's date.
#[derive(Clone)]
struct SentenceCase {
    sentence: String,
    questions: Vec<Question>,
    published: Option<(i32, Option<u32>)>,
}

impl SentenceCase {
    fn questions(&self) -> Vec<String> {
        let words: Vec<&str> = self.sentence.split_whitespace().collect();
        self.questions
            .iter()
            .map(|q| question_text(q, &words))
            .collect()
    }

    fn published(&self) -> Option<PartialDate> {
        self.published.and_then(|d| PartialDate::parse_iso(&iso(d)))
    }
}

/// A failing sentence shows as itself, its questions and its date.
impl std::fmt::Debug for SentenceCase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SentenceCase")
            .field("sentence", &self.sentence)
            .field("questions", &self.questions())
            .field("published", &self.published())
            .finish()
    }
}

fn sentence_case() -> BoxedStrategy<SentenceCase> {
    (
        line_text(),
        proptest::collection::vec(question(), 1..4),
        proptest::option::of((1990..2031i32, proptest::option::of(1..13u32))),
    )
        .prop_map(|(sentence, questions, published)| SentenceCase {
            sentence,
            questions,
            published,
        })
        .boxed()
}

/// The short answer and the dates of one sentence are slices of it.
fn check_sentence(case: &SentenceCase, reached: &mut SentenceReached) -> Result<(), TestCaseError> {
    reached.sentences += 1;
    let sentence = case.sentence.as_str();
    let published = case.published();
    for text in case.questions() {
        let question = Parsed::parse(&text);
        if let Some(short) = short_answer(&question, sentence, published) {
            prop_assert!(sentence.contains(short.as_str()), "{short:?}");
            reached.short_answers += 1;
        }
        if let Some(first) = first_date(sentence, published) {
            prop_assert!(sentence.get(first.span.clone()).is_some());
        }
    }
    let narrative = published.map(|date| Anchor {
        date,
        inferred: false,
    });
    for anchors in [
        Anchors::default(),
        Anchors {
            document: narrative,
            narrative,
        },
    ] {
        let mut end = 0;
        for m in tag_dates(sentence, &anchors) {
            prop_assert!(end <= m.span.start && m.span.start < m.span.end);
            prop_assert!(sentence.get(m.span.clone()).is_some(), "{:?}", m.span);
            end = m.span.end;
            reached.dates += 1;
        }
    }
    Ok(())
}

/// Corpora indexed and asked per run; `QUARRY_FUZZ_CASES` sets it.
fn cases() -> u32 {
    std::env::var("QUARRY_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(16)
}

/// Runs `check` on `cases` values of `strategy`, counting in one `R` what
/// the cases reached; panics with the (shrunk) failing case, if any.
fn run_all<T: std::fmt::Debug, R: Default + std::fmt::Debug>(
    cases: u32,
    strategy: &BoxedStrategy<T>,
    check: impl Fn(&T, &mut R) -> Result<(), TestCaseError>,
) -> R {
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 4096,
        ..Config::default()
    });
    let reached = std::cell::RefCell::new(R::default());
    let result = runner.run(strategy, |case| check(&case, &mut reached.borrow_mut()));
    let reached = reached.into_inner();
    eprintln!("{reached:?}");
    if let Err(failure) = result {
        panic!("{failure}");
    }
    reached
}

/// Sentences are cheap: many of them for each corpus.
#[test]
fn short_answers_and_dates_are_slices_of_their_sentence() {
    let reached: SentenceReached = run_all(cases() * 16, &sentence_case(), check_sentence);
    assert!(
        reached.short_answers > 0 && reached.dates > 0,
        "{reached:?}"
    );
}

#[test]
fn odd_text_never_panics_and_quotes_stay_verbatim() {
    let reached: Reached = run_all(cases(), &case(), run_case);
    // Every corpus holds a realistic sentence and is asked about it: the
    // generated text must reach answers, dates and quotes, not only refusals.
    assert!(
        reached.answered > 0 && reached.short_answers > 0,
        "{reached:?}"
    );
    assert!(reached.quotes > 0 && reached.search_hits > 0, "{reached:?}");
    assert!(reached.events > 0 && reached.sources > 0, "{reached:?}");
}
