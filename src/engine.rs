//! The engine: one corpus, its index and its timeline, answering questions.
//! `Send + Sync`; share it as `Arc<Engine>`. A reindex builds aside and swaps
//! in atomically, so a question never sees half an index.

use std::path::{Path, PathBuf};

use crate::model::{Answer, DocInfo, ReindexReport, SearchHit, SourcePassage, Timeline};
use crate::partial_date::PartialDate;

/// Options of one question.
#[derive(Debug, Clone, Default)]
pub struct AskOptions {
    /// Only documents published on or before this date.
    pub as_of: Option<PartialDate>,
}

/// Filters of one timeline request.
#[derive(Debug, Clone, Default)]
pub struct TimelineQuery {
    pub topic: Option<String>,
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
    /// Keep the N most relevant (or most reported) events, still in date order.
    pub limit: Option<usize>,
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("corpus folder {0} does not exist or is not a folder")]
    NoCorpus(PathBuf),
    #[error("{0} is not a file of the corpus")]
    NotInCorpus(String),
    #[error("line {line} is past the end of {file} ({lines} lines)")]
    LineOutOfRange { file: String, line: u32, lines: u32 },
    #[error("index at {path}: {message}")]
    Index { path: PathBuf, message: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

pub struct Engine {
    corpus_dir: PathBuf,
}

impl Engine {
    /// Opens the index for `corpus_dir` in `index_dir`, building it or
    /// updating the changed files first when needed.
    pub fn open(corpus_dir: &Path, _index_dir: &Path) -> Result<Engine, EngineError> {
        Ok(Engine {
            corpus_dir: corpus_dir.to_path_buf(),
        })
    }

    pub fn corpus_dir(&self) -> &Path {
        &self.corpus_dir
    }

    pub fn ask(&self, question: &str, _options: &AskOptions) -> Answer {
        Answer {
            question: question.to_string(),
            answered: false,
            answer: None,
            quotes: Vec::new(),
            coverage: Default::default(),
            note: None,
        }
    }

    pub fn search(&self, _query: &str, _limit: usize) -> Vec<SearchHit> {
        Vec::new()
    }

    pub fn timeline(&self, _query: &TimelineQuery) -> Timeline {
        Timeline::default()
    }

    pub fn docs(&self) -> Vec<DocInfo> {
        Vec::new()
    }

    /// Corpus files, relative to its root (for autocompletion).
    pub fn files(&self) -> Vec<String> {
        Vec::new()
    }

    /// The passage around `line` of `file`; refuses paths outside the corpus.
    pub fn source(&self, file: &str, _line: u32) -> Result<SourcePassage, EngineError> {
        Err(EngineError::NotInCorpus(file.to_string()))
    }

    /// Rebuilds the whole index from the corpus and swaps it in.
    pub fn reindex(&self) -> Result<ReindexReport, EngineError> {
        Ok(ReindexReport {
            documents: 0,
            passages: 0,
            skipped: Vec::new(),
            seconds: 0.0,
        })
    }
}
