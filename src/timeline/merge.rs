//! Which reports tell the same happening. Two reports are one event when
//! they carry the same date and the same sentence (a repeated paragraph), or
//! when their dates agree and the words right around the date phrases
//! overlap enough, weighed by how rare each word is among all reports
//! ("withdrawn its troops from Afghanistan in 2021" and "its 2021
//! withdrawal from Afghanistan").

use std::collections::{HashMap, HashSet};

use super::Report;
use crate::corpus::letters_and_digits;
use crate::dates::PartialDate;

/// Share of the smaller report's word weight two reports must have in common.
const SAME_EVENT: f32 = 0.5;
/// And at least this many words: one shared word is a coincidence.
const MIN_SHARED: usize = 2;
/// The content words this close to the date phrase, either side, say what
/// happened at that date.
const NEAR_WORDS: usize = 3;
/// Words shorter than this carry little; longer ones are cut to this length,
/// a crude stem that makes "withdrawn" meet "withdrawal".
const WORD_PREFIX: usize = 6;
const MIN_WORD: usize = 4;
/// A word near this many dates of one year finds no partner worth the
/// comparisons; rarer shared words still do.
const COMMON_IN_YEAR: usize = 200;

/// Groups of report indices, each group one event.
pub fn group(reports: &[Report]) -> Vec<Vec<usize>> {
    let mut sets = DisjointSets::new(reports.len());
    let mut same_sentence: HashMap<(PartialDate, String), usize> = HashMap::new();
    let mut distinct = Vec::new();
    for (i, r) in reports.iter().enumerate() {
        let key = (r.mention.date, letters_and_digits(&r.sentence));
        match same_sentence.get(&key) {
            Some(&first) => sets.join(first, i),
            None => {
                same_sentence.insert(key, i);
                distinct.push(i);
            }
        }
    }
    // Two releases of one day are two releases, however alike their headings.
    distinct.retain(|&i| reports[i].release_changes.is_none());
    join_similar(reports, &distinct, &mut sets);
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..reports.len() {
        groups.entry(sets.root(i)).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = groups.into_values().collect();
    groups.sort_by_key(|g| g[0]);
    groups
}

/// Joins reports (of `distinct` sentences) told in different words.
fn join_similar(reports: &[Report], distinct: &[usize], sets: &mut DisjointSets) {
    let mut vocabulary: HashMap<String, u32> = HashMap::new();
    let words: Vec<Vec<u32>> = distinct
        .iter()
        .map(|&r| {
            let mut ids: Vec<u32> = words_around(&reports[r])
                .into_iter()
                .map(|w| {
                    let next = vocabulary.len() as u32;
                    *vocabulary.entry(w).or_insert(next)
                })
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        })
        .collect();
    let mut frequency = vec![0u32; vocabulary.len()];
    for ids in &words {
        for &w in ids {
            frequency[w as usize] += 1;
        }
    }
    let total = distinct.len() as f32 + 1.0;
    let weight: Vec<f32> = frequency
        .iter()
        .map(|&f| (total / f as f32).ln().max(0.0))
        .collect();
    let weight_of = |ids: &[u32]| ids.iter().map(|&w| weight[w as usize]).sum::<f32>();

    // Only reports of the same year can be the same event; within a year,
    // only those sharing a word that is not everywhere are compared.
    let year = |i: usize| reports[distinct[i]].mention.date.year;
    let mut by_year_word: HashMap<(i32, u32), Vec<usize>> = HashMap::new();
    for (i, ids) in words.iter().enumerate() {
        for &w in ids {
            by_year_word.entry((year(i), w)).or_default().push(i);
        }
    }
    for (i, ids) in words.iter().enumerate() {
        let mut compared = HashSet::new();
        let own = weight_of(ids);
        for &w in ids {
            let Some(others) = by_year_word.get(&(year(i), w)) else {
                continue;
            };
            if others.len() > COMMON_IN_YEAR {
                continue;
            }
            for &j in others.iter().filter(|&&j| j > i) {
                if !compared.insert(j) || !dates_agree(&reports[distinct[i]], &reports[distinct[j]])
                {
                    continue;
                }
                let shared: Vec<u32> = common(ids, &words[j]).collect();
                let smaller = own.min(weight_of(&words[j]));
                if shared.len() >= MIN_SHARED
                    && smaller > 0.0
                    && weight_of(&shared) / smaller >= SAME_EVENT
                {
                    sets.join(distinct[i], distinct[j]);
                }
            }
        }
    }
}

/// The same date, at the same precision, told the same way (a point, an
/// open range or a range). "September 2025" and "September 7, 2025" are
/// kept apart: a month holds too many happenings to guess which day is meant.
fn dates_agree(a: &Report, b: &Report) -> bool {
    let (a, b) = (&a.mention, &b.mention);
    a.date == b.date && a.kind == b.kind && a.end == b.end
}

/// The content words nearest the date phrase on each side, cut to a common prefix.
fn words_around(report: &Report) -> Vec<String> {
    let sentence = &report.sentence;
    let span = &report.mention.span;
    let content = |raw: &str| -> Option<String> {
        let word: String = raw
            .chars()
            .filter(|c| c.is_alphabetic())
            .flat_map(char::to_lowercase)
            .collect();
        (word.chars().count() >= MIN_WORD && !is_function_word(&word))
            .then(|| word.chars().take(WORD_PREFIX).collect())
    };
    let before = sentence[..span.start]
        .split_whitespace()
        .rev()
        .filter_map(content)
        .take(NEAR_WORDS);
    let after = sentence[span.end..]
        .split_whitespace()
        .filter_map(content)
        .take(NEAR_WORDS);
    before.chain(after).collect()
}

/// Frequent words that say nothing about what happened.
fn is_function_word(word: &str) -> bool {
    const WORDS: &[&str] = &[
        "about", "after", "also", "been", "before", "being", "both", "during", "each", "from",
        "have", "into", "more", "most", "over", "same", "since", "some", "such", "than", "that",
        "their", "them", "then", "there", "these", "they", "this", "those", "through", "under",
        "until", "very", "were", "what", "when", "where", "which", "while", "will", "with",
        "would", "year", "years", "month", "months", "week", "later", "earlier",
    ];
    WORDS.contains(&word)
}

/// Elements of two sorted lists present in both.
fn common<'a>(a: &'a [u32], b: &'a [u32]) -> impl Iterator<Item = u32> + 'a {
    a.iter().copied().filter(|w| b.binary_search(w).is_ok())
}

/// Union-find over report indices.
struct DisjointSets {
    parent: Vec<usize>,
}

impl DisjointSets {
    fn new(n: usize) -> DisjointSets {
        DisjointSets {
            parent: (0..n).collect(),
        }
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.root(a), self.root(b));
        if a != b {
            self.parent[a.max(b)] = a.min(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::{Anchor, Anchors, tag_dates};
    use crate::model::{Citation, EventCitation};

    /// Every dated report of `(file, sentence)` pairs, documents dated 2025-09.
    fn reports(sentences: &[(&str, &str)]) -> Vec<Report> {
        let anchors = Anchors {
            document: Some(Anchor {
                date: PartialDate::month(2025, 9).unwrap(),
                inferred: false,
            }),
            narrative: None,
        };
        let mut out = Vec::new();
        for (i, (file, sentence)) in sentences.iter().enumerate() {
            for mention in tag_dates(sentence, &anchors) {
                out.push(Report {
                    phrase: sentence[mention.span.clone()].to_string(),
                    sentence: sentence.to_string(),
                    citation: EventCitation {
                        text: sentence.to_string(),
                        citation: Citation {
                            file: file.to_string(),
                            line_start: i as u32 + 1,
                            line_end: i as u32 + 1,
                            title: String::new(),
                            url: None,
                            published: None,
                        },
                    },
                    mention,
                    places: vec![(i, 0)],
                    release_changes: None,
                });
            }
        }
        out
    }

    /// The files of each group of more than one report.
    fn merged(sentences: &[(&str, &str)]) -> Vec<Vec<String>> {
        let reports = reports(sentences);
        group(&reports)
            .into_iter()
            .filter(|g| g.len() > 1)
            .map(|g| {
                g.iter()
                    .map(|&i| reports[i].citation.citation.file.clone())
                    .collect()
            })
            .collect()
    }

    const BACKGROUND: &[(&str, &str)] = &[
        (
            "c.txt",
            "In 2023, the C5+1 ministers met in New York to discuss water.",
        ),
        (
            "c.txt",
            "Tariffs on steel rose in 2024 after a long review.",
        ),
        (
            "d.txt",
            "In 2022, Kazakhstan signed a uranium supply deal with France.",
        ),
        (
            "d.txt",
            "The summit in Astana was held in 2025 with all five presidents.",
        ),
    ];

    #[test]
    fn the_same_event_told_differently_in_two_files_is_one() {
        let mut sentences = BACKGROUND.to_vec();
        sentences.push((
            "000.txt",
            "The strategy focuses on Afghanistan, since the USA has withdrawn its troops from Afghanistan in 2021, and the United States has not recognized the Taliban.",
        ));
        sentences.push((
            "004.txt",
            "Until its 2021 withdrawal from Afghanistan, Washington viewed Central Asia as a logistical pathway.",
        ));
        assert_eq!(merged(&sentences), vec![vec!["000.txt", "004.txt"]]);
    }

    #[test]
    fn a_repeated_sentence_is_one_event() {
        let mut sentences = BACKGROUND.to_vec();
        let repeated = "In September, the US president held a brief meeting in New York.";
        sentences.push(("002.txt", repeated));
        sentences.push(("002.txt", repeated));
        assert_eq!(merged(&sentences), vec![vec!["002.txt", "002.txt"]]);
    }

    #[test]
    fn different_happenings_stay_apart() {
        let mut sentences = BACKGROUND.to_vec();
        sentences.extend([
            // Same date, different happenings.
            (
                "e.txt",
                "In April 2025, the EU unveiled a Global Gateway package in Samarkand.",
            ),
            (
                "f.txt",
                "In April 2025, Uzbekistan deported migrants under a new agreement.",
            ),
            // Same words, different dates.
            (
                "g.txt",
                "The withdrawal of troops from Afghanistan began in 2020.",
            ),
            (
                "h.txt",
                "The withdrawal of troops from Afghanistan ended in 2021.",
            ),
            // The same year as a point and as the start of an open range.
            (
                "i.txt",
                "Since 2017, the partnership with Kazakhstan has grown.",
            ),
            (
                "j.txt",
                "In 2017, the partnership with Kazakhstan was signed.",
            ),
        ]);
        assert!(merged(&sentences).is_empty(), "{:?}", merged(&sentences));
    }
}
