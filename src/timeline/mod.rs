//! Dates in running text, resolved against each document's date, and the
//! sentences that report them as dated events, merged where the same
//! sentence reports the same date in several places.

pub mod dates;

use std::collections::{HashMap, HashSet};

use crate::answer::quote;
use crate::corpus::{BlockStatus, Document, Span};
use crate::index::analyzer::{analyze, analyzer};
use crate::model::{Event, EventCitation, Timeline};
use crate::partial_date::PartialDate;
use dates::{Anchors, tag_dates};

/// Every dated event of the corpus, oldest first.
pub fn events(documents: &[Document]) -> Vec<Event> {
    let mut events: Vec<Event> = Vec::new();
    let mut by_key: HashMap<(PartialDate, String), usize> = HashMap::new();
    for document in documents {
        let anchors = anchors_of(document);
        for sentence in sentences(document) {
            let text = document.slice(sentence);
            for mention in tag_dates(text, &anchors) {
                let offset = sentence.start as usize;
                let q = quote::quote(
                    document,
                    sentence,
                    &[(offset + mention.span.start, offset + mention.span.end)],
                    0.0,
                );
                let citation = EventCitation {
                    text: q.text.clone(),
                    citation: q.citation,
                };
                let key = (mention.date, normalized(text));
                if let Some(&i) = by_key.get(&key) {
                    if !events[i]
                        .citations
                        .iter()
                        .any(|c| c.citation.file == citation.citation.file)
                    {
                        events[i].citations.push(citation);
                    }
                    continue;
                }
                by_key.insert(key, events.len());
                events.push(Event {
                    date: mention.date,
                    precision: mention.date.precision(),
                    kind: mention.kind,
                    text: q.text,
                    phrase: text[mention.span.clone()].to_string(),
                    resolution: mention.resolution,
                    anchor: mention.anchor,
                    inferred: mention.inferred,
                    citations: vec![citation],
                });
            }
        }
    }
    events.sort_by(|a, b| {
        a.date.to_string().cmp(&b.date.to_string()).then_with(|| {
            a.citations[0]
                .citation
                .file
                .cmp(&b.citations[0].citation.file)
        })
    });
    events
}

/// The document's date from metadata, or else the latest date its text
/// states in full (marked as inferred).
fn anchors_of(document: &Document) -> Anchors {
    if let Some(published) = document.published {
        return Anchors {
            document: Some(published),
            document_inferred: false,
        };
    }
    let latest = sentences(document)
        .flat_map(|s| tag_dates(document.slice(s), &Anchors::default()))
        .map(|m| m.date)
        .max_by_key(|d| d.to_string());
    Anchors {
        document: latest,
        document_inferred: true,
    }
}

fn sentences(document: &Document) -> impl Iterator<Item = Span> + '_ {
    document
        .blocks
        .iter()
        .filter(|b| b.status == BlockStatus::Text)
        .flat_map(|b| b.sentences.iter().copied())
}

fn normalized(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The events between `from` and `to` (ISO prefixes, inclusive), about
/// `topic` when given, cut to the `limit` most relevant (most reported
/// without a topic), in date order.
pub fn select(
    all: &[Event],
    topic: Option<&str>,
    from: Option<PartialDate>,
    to: Option<PartialDate>,
    limit: Option<usize>,
) -> Timeline {
    let mut analyzer = analyzer();
    let topic_stems: HashSet<String> = topic
        .map(|t| {
            analyze(&mut analyzer, t)
                .into_iter()
                .map(|w| w.stem)
                .collect()
        })
        .unwrap_or_default();
    let mut chosen: Vec<(usize, f32)> = all
        .iter()
        .enumerate()
        .filter(|(_, e)| from.is_none_or(|f| e.date.last_day() >= f.first_day()))
        .filter(|(_, e)| to.is_none_or(|t| e.date.first_day() <= t.last_day()))
        .filter_map(|(i, e)| {
            if topic_stems.is_empty() {
                return Some((i, e.citations.len() as f32));
            }
            let stems: HashSet<String> = analyze(&mut analyzer, &e.text)
                .into_iter()
                .map(|w| w.stem)
                .collect();
            let shared = topic_stems.intersection(&stems).count();
            (shared > 0).then_some((i, shared as f32 + 0.1 * e.citations.len() as f32))
        })
        .collect();
    let total = chosen.len();
    if let Some(limit) = limit {
        chosen.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        chosen.truncate(limit);
        chosen.sort_by_key(|c| c.0);
    }
    Timeline {
        events: chosen.into_iter().map(|(i, _)| all[i].clone()).collect(),
        total,
    }
}
