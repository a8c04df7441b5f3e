//! A timeline request: the events between two dates, about a topic, cut to
//! the most relevant, shown in date order.

use std::collections::HashMap;

use super::{Chronology, within};
use crate::answer::question::Question;
use crate::answer::term_weights;
use crate::dates::{PartialDate, Precision, Resolution};
use crate::index::{CorpusIndex, QueryTerm};
use crate::model::{Event, Timeline};

/// Filters of one timeline request.
#[derive(Debug, Clone, Default)]
pub struct TimelineQuery {
    pub topic: Option<String>,
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
    /// Keep the N most relevant (or most reported) events, still in date order.
    pub limit: Option<usize>,
}

/// Passages read for a topic: events elsewhere do not bear on it.
const TOPIC_PASSAGES: usize = 2000;
/// Share of the topic's weight an event's own words must cover.
const TOPIC_COVERAGE: f32 = 0.5;

impl Chronology {
    /// The events `query` asks for. With a topic they are ranked by the
    /// index's own retrieval (the passage's score, times how much of the
    /// topic the event's quote names); without one, by how often the corpus
    /// reports them and how precisely. `limit` keeps the best, still in date order.
    pub fn select(&self, index: &CorpusIndex, query: &TimelineQuery) -> Timeline {
        let in_range = |i: usize| within(self.events[i].date, query.from, query.to);
        let topic = query
            .topic
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let mut chosen: Vec<(usize, f32)> = match topic {
            None => (0..self.events.len())
                .filter(|&i| in_range(i))
                .map(|i| (i, reported(&self.events[i])))
                .collect(),
            Some(topic) => self
                .about(index, topic)
                .into_iter()
                .filter(|&(i, _)| in_range(i))
                .collect(),
        };
        let total = chosen.len();
        if let Some(limit) = query.limit {
            chosen.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            chosen.truncate(limit);
        }
        chosen.sort_by_key(|c| c.0);
        Timeline {
            events: chosen
                .into_iter()
                .map(|(i, _)| self.events[i].clone())
                .collect(),
            total,
        }
    }

    /// Events about `topic`, with their relevance.
    fn about(&self, index: &CorpusIndex, topic: &str) -> Vec<(usize, f32)> {
        let question = Question::parse(topic);
        let weights = term_weights(index, &question);
        // Sums run in the topic's order, so that a run gives what the last gave.
        let weight = |stem: &String| weights.get(stem).copied().unwrap_or(0.0);
        let total_weight: f32 = question.stems.iter().map(weight).sum();
        let terms = QueryTerm::unweighted(&question.stems, &question.identifiers);
        let mut best: HashMap<usize, f32> = HashMap::new();
        for hit in index.search(&terms, TOPIC_PASSAGES) {
            let Some(events) = self.by_place.get(&(hit.document, hit.passage)) else {
                continue;
            };
            for &e in events {
                let own = &self.stems[e];
                let covered: f32 = question
                    .stems
                    .iter()
                    .filter(|stem| own.binary_search(stem).is_ok())
                    .map(weight)
                    .sum();
                let coverage = covered / total_weight.max(f32::MIN_POSITIVE);
                if coverage >= TOPIC_COVERAGE {
                    let score = hit.score * coverage;
                    let slot = best.entry(e).or_insert(0.0);
                    *slot = slot.max(score);
                }
            }
        }
        best.into_iter().collect()
    }
}

/// How strongly the corpus reports an event: by how many places, then how
/// precisely and how plainly it is dated.
fn reported(event: &Event) -> f32 {
    let precision = match event.precision {
        Precision::Year => 0.0,
        Precision::Month => 1.0,
        Precision::Day => 2.0,
    };
    let explicit = if event.resolution == Resolution::Explicit {
        1.0
    } else {
        0.0
    };
    event.citations.len() as f32 * 10.0 + precision + explicit
}
