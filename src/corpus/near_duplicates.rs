//! Documents that are the same page twice: a documentation build folder
//! holds every page rendered (`library/json.html`) and as its source
//! (`_sources/library/json.rst.txt`). Found by content, not by names: two
//! documents of similar size that share most of their word triples.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use super::{BlockStatus, Document};

/// One triple in this many is kept: enough to compare pages, cheap to count.
const SAMPLE: u64 = 4;
/// Triples found in more documents than this are common phrases, not evidence.
const COMMON: usize = 16;
/// Documents with fewer sampled triples are too short to judge.
const MIN_TRIPLES: usize = 4;
/// Share of the smaller document's distinctive triples the two must share.
/// A page and its source share 0.64 to 0.9 of them in the Python docs; two
/// pages on one topic ("First steps" and "Creating a new project") under 0.6.
const SAME_PAGE: f32 = 0.6;
/// The smaller document has at least this share of the larger one's
/// distinctive triples: a page and its source are of a size.
const SIMILAR_SIZE: f32 = 0.5;

/// Indices of the documents to leave out because another document is the
/// same page in a form readers see (HTML before Markdown before plain text;
/// then the larger, then the first by path).
pub fn shadowed(documents: &[&Document]) -> Vec<usize> {
    let triples: Vec<Vec<u64>> = documents.par_iter().map(|d| sampled_triples(d)).collect();
    let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
    for (d, set) in triples.iter().enumerate() {
        if set.len() >= MIN_TRIPLES {
            for &t in set {
                postings.entry(t).or_default().push(d as u32);
            }
        }
    }
    // Common phrases are left out of what a document is judged by, too.
    let mut distinctive = vec![0u32; documents.len()];
    let mut shared: HashMap<(u32, u32), u32> = HashMap::new();
    for docs in postings.values().filter(|d| d.len() <= COMMON) {
        for &d in docs {
            distinctive[d as usize] += 1;
        }
        for (i, &a) in docs.iter().enumerate() {
            for &b in &docs[i + 1..] {
                *shared.entry((a, b)).or_default() += 1;
            }
        }
    }
    let mut hidden: Vec<usize> = shared
        .into_iter()
        .filter(|&((a, b), n)| {
            let (a, b) = (distinctive[a as usize], distinctive[b as usize]);
            let (smaller, larger) = (a.min(b) as f32, a.max(b) as f32);
            smaller >= MIN_TRIPLES as f32
                && smaller >= SIMILAR_SIZE * larger
                && n as f32 >= SAME_PAGE * smaller
        })
        .map(|((a, b), _)| {
            let (a, b) = (a as usize, b as usize);
            if preference(documents[a]) <= preference(documents[b]) {
                b
            } else {
                a
            }
        })
        .collect();
    hidden.sort_unstable();
    hidden.dedup();
    hidden
}

/// Lower is kept: what a reader sees, then the fuller text, then the path.
fn preference(document: &Document) -> (u8, std::cmp::Reverse<usize>, &str) {
    let path = document.path.to_ascii_lowercase();
    let stem = path.strip_suffix(".gz").unwrap_or(&path);
    let format = if stem.ends_with(".html") || stem.ends_with(".htm") {
        0
    } else if stem.ends_with(".md") || stem.ends_with(".markdown") {
        1
    } else {
        2
    };
    (
        format,
        std::cmp::Reverse(document.text.len()),
        &document.path,
    )
}

/// Hashes of a sample of the document's word triples, sorted, without repeats.
fn sampled_triples(document: &Document) -> Vec<u64> {
    let mut words: Vec<String> = Vec::new();
    for block in document
        .blocks
        .iter()
        .filter(|b| b.status == BlockStatus::Text)
    {
        words.extend(
            document
                .slice(block.span)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase),
        );
    }
    let mut hashes: Vec<u64> = words
        .windows(3)
        .map(|triple| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            triple.hash(&mut hasher);
            hasher.finish()
        })
        .filter(|h| h % SAMPLE == 0)
        .collect();
    hashes.sort_unstable();
    hashes.dedup();
    hashes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::meta::SourcesToml;
    use crate::corpus::parse_document;

    fn page(words: usize, seed: usize) -> String {
        (0..words)
            .map(|i| format!("w{}", (i * 7919 + seed * 104_729) % 100_003))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn the_rendered_page_is_kept_and_its_source_left_out() {
        let none = SourcesToml::default();
        let body = page(2000, 1);
        let html = format!("<html><body><p>{body}.</p></body></html>");
        let rst = format!(".. function:: zip\n\n   {body}.\n\n:synopsis: extra words here.\n");
        let other = page(2000, 2);
        let documents = [
            parse_document("_sources/functions.rst.txt", rst.as_bytes(), &none).unwrap(),
            parse_document("functions.html", html.as_bytes(), &none).unwrap(),
            parse_document("other.txt", format!("{other}.").as_bytes(), &none).unwrap(),
        ];
        let documents: Vec<&Document> = documents.iter().collect();
        assert_eq!(shadowed(&documents), vec![0]);
    }

    #[test]
    fn two_pages_on_one_topic_both_stay() {
        let none = SourcesToml::default();
        let shared = page(1000, 3);
        let own = |name: &str| {
            (0..700)
                .map(|i| format!("{name}{i}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let first = format!("{shared} {}.", own("first"));
        let second = format!("{shared} {}.", own("second"));
        let documents = [
            parse_document("first-steps.md", first.as_bytes(), &none).unwrap(),
            parse_document("new-project.md", second.as_bytes(), &none).unwrap(),
        ];
        let documents: Vec<&Document> = documents.iter().collect();
        assert!(shadowed(&documents).is_empty());
    }

    #[test]
    fn a_source_with_markup_in_every_sentence_is_still_the_same_page() {
        let none = SourcesToml::default();
        let body = page(2000, 6);
        let marked: Vec<String> = body
            .split(' ')
            .enumerate()
            .map(|(i, w)| {
                if i % 12 == 0 {
                    format!(":func:`{w}`")
                } else {
                    w.to_string()
                }
            })
            .collect();
        let html = format!("<html><body><p>{body}.</p></body></html>");
        let rst = format!("{}.\n", marked.join(" "));
        let documents = [
            parse_document("_sources/os.rst.txt", rst.as_bytes(), &none).unwrap(),
            parse_document("os.html", html.as_bytes(), &none).unwrap(),
        ];
        let documents: Vec<&Document> = documents.iter().collect();
        assert_eq!(shadowed(&documents), vec![0]);
    }
}
