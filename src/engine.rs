//! The engine: one corpus, its index and its timeline, answering questions.
//! `Send + Sync`; share it as `Arc<Engine>`. A reindex builds aside and swaps
//! in atomically, so a question never sees half an index.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use arc_swap::ArcSwap;

use crate::answer;
use crate::answer::question::Question;
use crate::corpus::{BlockStatus, Document, Span};
use crate::dates::PartialDate;
use crate::index::analyzer::{analyze, analyzer};
use crate::index::{CorpusIndex, IndexError, QueryTerm, Refresh};
use crate::model::{
    Answer, DecodedFile, DocInfo, ReindexReport, SearchHit, SourcePassage, Timeline,
};
use crate::timeline::Chronology;
pub use crate::timeline::TimelineQuery;

/// Options of one question.
#[derive(Debug, Clone, Default)]
pub struct AskOptions {
    /// Only documents published on or before this date (undated ones are left out).
    pub as_of: Option<PartialDate>,
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error("{0} is not a file of the corpus")]
    NotInCorpus(String),
    #[error("line {line} is past the end of {file} ({lines} lines)")]
    LineOutOfRange { file: String, line: u32, lines: u32 },
}

pub struct Engine {
    corpus_dir: PathBuf,
    index_dir: PathBuf,
    loaded: ArcSwap<Loaded>,
}

/// One index and the chronology drawn from it, swapped in together.
struct Loaded {
    index: CorpusIndex,
    /// Built on the first timeline request, then kept until a reindex.
    chronology: OnceLock<Chronology>,
}

impl Loaded {
    fn new(index: CorpusIndex) -> Arc<Loaded> {
        Arc::new(Loaded {
            index,
            chronology: OnceLock::new(),
        })
    }

    fn chronology(&self) -> &Chronology {
        self.chronology.get_or_init(|| {
            Chronology::build(&self.index.documents(), |d| self.index.is_shadowed(d))
        })
    }
}

impl Engine {
    /// Opens the index for `corpus_dir` in `index_dir`, building it or
    /// updating the changed files first when needed.
    pub fn open(corpus_dir: &Path, index_dir: &Path) -> Result<Engine, EngineError> {
        let (index, _) = CorpusIndex::open(corpus_dir, index_dir)?;
        Ok(Engine::with_index(corpus_dir, index_dir, index))
    }

    fn with_index(corpus_dir: &Path, index_dir: &Path, index: CorpusIndex) -> Engine {
        Engine {
            corpus_dir: corpus_dir.to_path_buf(),
            index_dir: index_dir.to_path_buf(),
            loaded: ArcSwap::new(Loaded::new(index)),
        }
    }

    pub fn corpus_dir(&self) -> &Path {
        &self.corpus_dir
    }

    pub fn ask(&self, question: &str, options: &AskOptions) -> Answer {
        answer::answer(&self.loaded.load().index, question, options.as_of)
    }

    /// The ranking behind [`Engine::ask`]'s answer, feature by feature.
    pub fn explain(&self, question: &str, options: &AskOptions) -> answer::Explanation {
        answer::explain(&self.loaded.load().index, question, options.as_of)
    }

    /// Ranked passages for `query`, with the matching words marked.
    pub fn search(&self, query: &str, limit: usize) -> Vec<SearchHit> {
        let loaded = self.loaded.load();
        let index = &loaded.index;
        let question = Question::parse(query);
        let terms = QueryTerm::unweighted(&question.stems, &question.identifiers);
        let asked: HashSet<&str> = question.stems.iter().map(String::as_str).collect();
        let mut analyzer = analyzer();
        index
            .search(&terms, limit)
            .into_iter()
            .filter_map(|hit| {
                let document = index.document_at(hit.document)?;
                let span = passage_span(document, hit.passage)?;
                let text = document.slice(span).to_string();
                let highlights = analyze(&mut analyzer, &text)
                    .into_iter()
                    .filter(|w| asked.contains(w.stem.as_str()))
                    .map(|w| (w.start, w.end))
                    .collect();
                let citation = answer::quote::citation(document, span);
                Some(SearchHit {
                    text,
                    highlights,
                    citation,
                    score: hit.score,
                })
            })
            .collect()
    }

    pub fn timeline(&self, query: &TimelineQuery) -> Timeline {
        let loaded = self.loaded.load();
        loaded.chronology().select(&loaded.index, query)
    }

    pub fn docs(&self) -> Vec<DocInfo> {
        let loaded = self.loaded.load();
        loaded
            .index
            .documents()
            .iter()
            .enumerate()
            .map(|(i, d)| DocInfo {
                file: d.path.clone(),
                title: d.title.clone(),
                published: d.published,
                url: d.url.clone(),
                author: d.author.clone(),
                bytes: d.bytes,
                passages: d.passages.len(),
                decoding: d.decoding.clone(),
                duplicate: loaded.index.is_shadowed(i),
            })
            .collect()
    }

    /// Number of documents indexed (without reading them).
    pub fn document_count(&self) -> usize {
        self.loaded.load().index.document_count()
    }

    /// Corpus files, relative to its root (for autocompletion).
    pub fn files(&self) -> Vec<String> {
        self.loaded
            .load()
            .index
            .paths()
            .map(str::to_string)
            .collect()
    }

    /// Files left out of the index, with the reason.
    pub fn skipped(&self) -> Vec<(String, String)> {
        self.loaded
            .load()
            .index
            .skipped()
            .iter()
            .map(|s| (s.file.path.clone(), s.reason.clone()))
            .collect()
    }

    /// The passage around `line` of `file`. Only files of the corpus are
    /// known, so a path outside it (`../../etc/passwd`) is refused.
    pub fn source(&self, file: &str, line: u32) -> Result<SourcePassage, EngineError> {
        let loaded = self.loaded.load();
        let index = &loaded.index;
        let path = file.trim().trim_start_matches("./").replace('\\', "/");
        let document = index
            .document(&path)
            .ok_or_else(|| EngineError::NotInCorpus(file.to_string()))?;
        let lines = document.source_lines();
        if line == 0 || line > lines {
            return Err(EngineError::LineOutOfRange {
                file: path,
                line,
                lines,
            });
        }
        let offset = document
            .line_map
            .offset_of_line(line)
            .unwrap_or(document.text.len());
        // The passage holding that line, or else the first one after it.
        let passage = (0..document.passages.len())
            .filter_map(|p| passage_span(document, p))
            .find(|span| span.end as usize > offset)
            .or_else(|| {
                document
                    .passages
                    .len()
                    .checked_sub(1)
                    .and_then(|p| passage_span(document, p))
            })
            .unwrap_or(Span::new(0, 0));
        Ok(SourcePassage {
            text: document.slice(passage).to_string(),
            citation: answer::quote::citation(document, passage),
        })
    }

    /// Brings the index up to date with the corpus (changed files only).
    pub fn refresh(&self) -> Result<Refresh, EngineError> {
        let (index, refresh) = CorpusIndex::open(&self.corpus_dir, &self.index_dir)?;
        self.loaded.store(Loaded::new(index));
        Ok(refresh)
    }

    /// Rebuilds the whole index from the corpus and swaps it in.
    pub fn reindex(&self) -> Result<ReindexReport, EngineError> {
        let started = Instant::now();
        let index = CorpusIndex::build(&self.corpus_dir, &self.index_dir)?;
        let report = ReindexReport {
            documents: index.document_count(),
            passages: index.passage_count(),
            skipped: index
                .skipped()
                .iter()
                .map(|s| format!("{}: {}", s.file.path, s.reason))
                .collect(),
            decoded: index
                .documents()
                .iter()
                .filter_map(|d| {
                    Some(DecodedFile {
                        file: d.path.clone(),
                        decoding: d.decoding.clone()?,
                    })
                })
                .collect(),
            seconds: started.elapsed().as_secs_f64(),
        };
        self.loaded.store(Loaded::new(index));
        Ok(report)
    }
}

/// The text span of one passage: from its first block to its last.
fn passage_span(document: &Document, passage: usize) -> Option<Span> {
    let blocks = &document.passages.get(passage)?.blocks;
    let first = document.blocks.get(*blocks.first()? as usize)?;
    let last = document.blocks.get(*blocks.last()? as usize)?;
    debug_assert!(first.status == BlockStatus::Text);
    Some(Span {
        start: first.span.start,
        end: last.span.end,
    })
}
