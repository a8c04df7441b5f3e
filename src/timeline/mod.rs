//! The chronology of a corpus: every sentence that reports something at a
//! date becomes a dated report; reports of the same happening, in one file
//! or several, merge into one event with several citations. Built once per
//! index, then filtered and ranked per request.

mod examples;
mod merge;
mod sections;
mod select;

pub use select::TimelineQuery;

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::answer::quote;
use crate::corpus::{BlockKind, BlockStatus, Document, Span};
use crate::dates::{self, Anchor, Anchors, DateMention, PartialDate, tag_dates};
use crate::index::analyzer::{analyze, analyzer};
use crate::model::{Event, EventCitation};
use sections::{DatedSection, dated_sections};

/// A passage of the corpus: (document, passage) indices as the index knows them.
type Place = (usize, usize);

/// Every dated event of a corpus, oldest first, with what a topic search needs.
pub struct Chronology {
    events: Vec<Event>,
    /// Stems of each event's quoted text, sorted, for topic matching.
    stems: Vec<Vec<String>>,
    /// The events each passage reports.
    by_place: HashMap<Place, Vec<usize>>,
}

/// One sentence's report of one date, before merging.
struct Report {
    mention: DateMention,
    citation: EventCitation,
    phrase: String,
    /// The whole sentence, for merging identical reports.
    sentence: String,
    /// The passages it stands for.
    places: Vec<Place>,
    /// For a release, its whole section: the changes a topic finds it by.
    /// A release merges only with the same release told elsewhere.
    release_changes: Option<String>,
}

impl Report {
    /// The words a topic finds it by: its sentence, or a release's changes.
    fn topic_text(&self) -> &str {
        self.release_changes.as_deref().unwrap_or(&self.sentence)
    }
}

impl Chronology {
    /// The chronology of `documents`, leaving out those `shadowed` says repeat another's page.
    pub fn build(documents: &[&Document], shadowed: impl Fn(usize) -> bool + Sync) -> Chronology {
        let reports: Vec<Report> = documents
            .par_iter()
            .enumerate()
            .filter(|(d, _)| !shadowed(*d))
            .flat_map_iter(|(d, document)| reports_of(document, d))
            .collect();
        let groups = merge::group(&reports);
        let mut analyzer = analyzer();
        let mut built: Vec<(Event, Vec<Place>, Vec<String>)> = groups
            .into_iter()
            .map(|members| {
                let event = event_of(&reports, &members);
                let texts: HashSet<&str> =
                    members.iter().map(|&m| reports[m].topic_text()).collect();
                let mut stems: Vec<String> = texts
                    .into_iter()
                    .flat_map(|text| analyze(&mut analyzer, text))
                    .map(|w| w.stem)
                    .collect();
                stems.sort();
                stems.dedup();
                let places = members
                    .iter()
                    .flat_map(|&m| reports[m].places.iter().copied())
                    .collect();
                (event, places, stems)
            })
            .collect();
        built.sort_by(|a, b| in_order(&a.0).cmp(&in_order(&b.0)));
        let mut chronology = Chronology {
            events: Vec::with_capacity(built.len()),
            stems: Vec::with_capacity(built.len()),
            by_place: HashMap::new(),
        };
        for (i, (event, places, stems)) in built.into_iter().enumerate() {
            for place in places {
                let at = chronology.by_place.entry(place).or_default();
                if at.last() != Some(&i) {
                    at.push(i);
                }
            }
            chronology.events.push(event);
            chronology.stems.push(stems);
        }
        chronology
    }
}

/// Chronological order; events of one date in the order their files tell them.
fn in_order(event: &Event) -> (PartialDate, &str, u32) {
    let first = &event.citations[0].citation;
    (event.date, first.file.as_str(), first.line_start)
}

/// The dated reports of one document, paragraph by paragraph: a narrative
/// date ("two months later") counts from the last date before it in the
/// same paragraph. A dated section is one report; a release's changes are
/// not events of their own, only words a topic can find it by.
fn reports_of(document: &Document, d: usize) -> Vec<Report> {
    // Each block's passage: the one holding it, or for a heading the first
    // one under it.
    let mut passage_of_block: HashMap<u32, usize> = HashMap::new();
    for (p, passage) in document.passages.iter().enumerate() {
        for &b in passage.blocks.iter().chain(&passage.context) {
            passage_of_block.entry(b).or_insert(p);
        }
    }
    let place_of = |b: usize| (d, passage_of_block.get(&(b as u32)).copied().unwrap_or(0));
    let sections = dated_sections(document);
    let mut reports: Vec<Report> = sections
        .iter()
        .map(|section| section_report(document, section, place_of))
        .collect();
    // The innermost dated section over each block.
    let mut section_of: Vec<Option<&DatedSection>> = vec![None; document.blocks.len()];
    for section in &sections {
        for slot in &mut section_of[section.blocks.clone()] {
            *slot = Some(section);
        }
    }
    let documentation = is_documentation(document);
    // A table's dates may be examples as well: no guess from a page with one.
    let has_table = document
        .blocks
        .iter()
        .any(|b| b.kind == BlockKind::TableRow);
    let document_anchor = document_date(document, !documentation && !has_table);
    for (b, block) in document.blocks.iter().enumerate() {
        let section = section_of[b];
        if section.is_some_and(|s| s.release || s.heading == b || s.line == Some(b)) {
            continue;
        }
        let place = place_of(b);
        // A heading dated in full ("Meeting of 2024-05-01") marks an event;
        // a relative date in a heading has no paragraph to read it by.
        if matches!(block.kind, BlockKind::Heading(_)) && block.status == BlockStatus::Label {
            let text = document.slice(block.span);
            for mention in tag_dates(text, &Anchors::default()) {
                reports.push(report(document, block.span, text, mention, place));
            }
            continue;
        }
        // A date in a code listing is an example, not an event; so is one
        // in a table of documentation (input and output formats).
        if block.status != BlockStatus::Text
            || block.kind == BlockKind::Preformatted
            || (documentation && block.kind == BlockKind::TableRow)
        {
            continue;
        }
        let mut anchors = Anchors {
            document: section.map_or(document_anchor, |s| {
                Some(Anchor {
                    date: s.date,
                    inferred: false,
                })
            }),
            narrative: None,
        };
        for &sentence in &block.sentences {
            let text = document.slice(sentence);
            let mentions = tag_dates(text, &anchors);
            if let Some(last) = mentions.last() {
                anchors.narrative = Some(Anchor {
                    date: last.date,
                    inferred: last.inferred,
                });
            }
            if examples::shows_examples(text, &mentions) {
                continue;
            }
            for mention in mentions {
                reports.push(report(document, sentence, text, mention, place));
            }
        }
    }
    reports
}

fn report(
    document: &Document,
    sentence: Span,
    text: &str,
    mention: DateMention,
    place: Place,
) -> Report {
    let offset = sentence.start as usize;
    let phrase_at = (offset + mention.span.start, offset + mention.span.end);
    let q = quote::quote(document, sentence, &[phrase_at], 0.0);
    Report {
        phrase: text[mention.span.clone()].to_string(),
        sentence: text.to_string(),
        citation: EventCitation {
            text: q.text,
            citation: q.citation,
        },
        mention,
        places: vec![place],
        release_changes: None,
    }
}

/// A dated section told as its heading and its date line
/// ("Python 3.11.2 final … Release date: 2023-02-07"), cited from the one
/// to the other; a release is found by the words of all it lists.
fn section_report(
    document: &Document,
    section: &DatedSection,
    place_of: impl Fn(usize) -> Place,
) -> Report {
    let heading = document.blocks[section.heading].span;
    let (text, cited, phrase) = match section.line {
        Some(line) => {
            let line = document.blocks[line].span;
            let (title, date) = (document.slice(heading), document.slice(line));
            (
                format!("{title} … {date}"),
                Span::new(heading.start as usize, line.end as usize),
                date.trim().to_string(),
            )
        }
        None => {
            let title = document.slice(heading).to_string();
            (title.clone(), heading, title)
        }
    };
    let last = section.blocks.end - 1;
    let whole = Span::new(
        heading.start as usize,
        document.blocks[last].span.end as usize,
    );
    let places = if section.release {
        section.blocks.clone().map(&place_of).collect()
    } else {
        vec![place_of(section.heading)]
    };
    Report {
        mention: DateMention::explicit(0..text.len(), section.date),
        citation: EventCitation {
            text: text.clone(),
            citation: quote::citation(document, cited),
        },
        phrase,
        sentence: text,
        places,
        release_changes: section.release.then(|| document.slice(whole).to_string()),
    }
}

/// The document's date from metadata, or else (when `guess`) the latest
/// date its text states in full, marked as inferred.
fn document_date(document: &Document, guess: bool) -> Option<Anchor> {
    if let Some(date) = document.published {
        return Some(Anchor {
            date,
            inferred: false,
        });
    }
    if !guess {
        return None;
    }
    document
        .blocks
        .iter()
        .filter(|b| b.status == BlockStatus::Text)
        .flat_map(|b| b.sentences.iter())
        .flat_map(|&s| tag_dates(document.slice(s), &Anchors::default()))
        .map(|m| m.end.unwrap_or(m.date))
        .max()
        .map(|date| Anchor {
            date,
            inferred: true,
        })
}

/// Documentation (code listings, definition lists, or a release history)
/// shows dates as examples: no date of its own is guessed from them, and
/// its tables are formats, not chronologies.
fn is_documentation(document: &Document) -> bool {
    document.release_history
        || document
            .blocks
            .iter()
            .any(|b| matches!(b.kind, BlockKind::Preformatted | BlockKind::Term))
}

/// One event from a group of reports: told as its most precise, most
/// explicit report, cited by every report at a distinct place.
fn event_of(reports: &[Report], members: &[usize]) -> Event {
    let primary = members
        .iter()
        .copied()
        .max_by_key(|&m| {
            let r = &reports[m].mention;
            (
                r.date.precision(),
                r.resolution == dates::Resolution::Explicit,
                std::cmp::Reverse(m),
            )
        })
        .unwrap_or(members[0]);
    let lead = &reports[primary];
    let mut cited = HashSet::new();
    let citations = std::iter::once(primary)
        .chain(members.iter().copied())
        .map(|m| &reports[m].citation)
        .filter(|c| cited.insert((c.citation.file.as_str(), c.citation.line_start)))
        .cloned()
        .collect();
    Event {
        date: lead.mention.date,
        precision: lead.mention.date.precision(),
        end: lead.mention.end,
        kind: lead.mention.kind,
        text: lead.citation.text.clone(),
        phrase: lead.phrase.clone(),
        resolution: lead.mention.resolution,
        anchor: lead.mention.anchor,
        inferred: lead.mention.inferred,
        citations,
    }
}

/// Does `date` fall between `from` and `to`, both inclusive at their own precision?
fn within(date: PartialDate, from: Option<PartialDate>, to: Option<PartialDate>) -> bool {
    from.is_none_or(|f| date.last_day() >= f.first_day())
        && to.is_none_or(|t| date.first_day() <= t.last_day())
}
