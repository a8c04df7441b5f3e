//! 👍/👎 on answers, appended as JSON Lines to a file in the data folder.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use serde::Serialize;

use super::Platform;
use crate::model::Quote;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Vote {
    Up,
    Down,
}

/// One line of the feedback file.
#[derive(Debug, Serialize)]
pub struct FeedbackEntry<'a> {
    pub time: String,
    pub platform: Platform,
    pub user_id: String,
    pub vote: Vote,
    pub question: &'a str,
    pub quotes: Vec<ShownQuote<'a>>,
}

#[derive(Debug, Serialize)]
pub struct ShownQuote<'a> {
    pub text: &'a str,
    pub file: &'a str,
    pub line_start: u32,
    pub line_end: u32,
}

impl<'a> From<&'a Quote> for ShownQuote<'a> {
    fn from(q: &'a Quote) -> Self {
        ShownQuote {
            text: &q.text,
            file: &q.citation.file,
            line_start: q.citation.line_start,
            line_end: q.citation.line_end,
        }
    }
}

pub struct FeedbackLog {
    path: Arc<Path>,
    /// Serializes appends so lines never interleave.
    write: Arc<Mutex<()>>,
}

impl FeedbackLog {
    pub fn new(path: PathBuf) -> FeedbackLog {
        FeedbackLog {
            path: path.into(),
            write: Arc::default(),
        }
    }

    /// Appends one line. The file is opened and written on tokio's blocking
    /// pool, so no handler's worker thread waits on the disk or the lock.
    pub async fn append(&self, entry: &FeedbackEntry<'_>) -> std::io::Result<()> {
        let mut line = serde_json::to_string(entry)?;
        line.push('\n');
        let path = Arc::clone(&self.path);
        let write = Arc::clone(&self.write);
        // The lock is taken inside the blocking task, so a handler dropped
        // mid-write cannot let another write in before this one ends.
        tokio::task::spawn_blocking(move || {
            let _guard = write.lock().unwrap_or_else(PoisonError::into_inner);
            append_line(&path, &line)
        })
        .await
        .map_err(std::io::Error::other)?
    }
}

fn append_line(path: &Path, line: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?
        .write_all(line.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(vote: Vote, question: &str) -> FeedbackEntry<'_> {
        FeedbackEntry {
            time: "2025-01-01T00:00:00Z".into(),
            platform: Platform::Discord,
            user_id: "42".into(),
            vote,
            question,
            quotes: Vec::new(),
        }
    }

    fn lines(path: &Path) -> Vec<serde_json::Value> {
        std::fs::read_to_string(path)
            .expect("read")
            .lines()
            .map(|l| serde_json::from_str(l).expect("a whole JSON line"))
            .collect()
    }

    #[tokio::test]
    async fn entries_are_appended_as_json_lines() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("data/feedback.jsonl");
        let log = FeedbackLog::new(path.clone());
        for vote in [Vote::Up, Vote::Down] {
            log.append(&entry(vote, "q?")).await.expect("append");
        }
        let votes: Vec<String> = lines(&path).iter().map(|l| l["vote"].to_string()).collect();
        assert_eq!(votes, ["\"up\"", "\"down\""]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_appends_write_whole_lines() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("feedback.jsonl");
        let log = Arc::new(FeedbackLog::new(path.clone()));
        // Long lines, so a write cut in two by another would show.
        let questions: Vec<String> = (0..64)
            .map(|i| format!("question {i} {}", "x".repeat(64 * 1024)))
            .collect();
        // All appends start together.
        let start = Arc::new(tokio::sync::Barrier::new(questions.len()));
        let tasks: Vec<_> = questions
            .iter()
            .cloned()
            .map(|question| {
                let log = Arc::clone(&log);
                let start = Arc::clone(&start);
                tokio::spawn(async move {
                    start.wait().await;
                    log.append(&entry(Vote::Up, &question)).await
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("task").expect("append");
        }
        let mut written: Vec<String> = lines(&path)
            .iter()
            .map(|l| l["question"].as_str().expect("question").to_string())
            .collect();
        written.sort();
        let mut expected = questions;
        expected.sort();
        assert_eq!(written, expected);
    }
}
