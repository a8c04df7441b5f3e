//! 👍/👎 on answers, appended as JSON Lines to a file in the data folder.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

use serde::Serialize;

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
    path: PathBuf,
    /// Serializes appends so lines never interleave.
    write: Mutex<()>,
}

impl FeedbackLog {
    pub fn new(path: PathBuf) -> FeedbackLog {
        FeedbackLog {
            path,
            write: Mutex::new(()),
        }
    }

    pub fn append(&self, entry: &FeedbackEntry<'_>) -> std::io::Result<()> {
        let mut line = serde_json::to_string(entry)?;
        line.push('\n');
        let _guard = self.write.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?
            .write_all(line.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_appended_as_json_lines() {
        let dir = tempfile::tempdir().expect("temp dir");
        let log = FeedbackLog::new(dir.path().join("data/feedback.jsonl"));
        for vote in [Vote::Up, Vote::Down] {
            log.append(&FeedbackEntry {
                time: "2025-01-01T00:00:00Z".into(),
                user_id: "42".into(),
                vote,
                question: "q?",
                quotes: Vec::new(),
            })
            .expect("append");
        }
        let text = std::fs::read_to_string(dir.path().join("data/feedback.jsonl")).expect("read");
        let votes: Vec<String> = text
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).expect("json")["vote"].to_string()
            })
            .collect();
        assert_eq!(votes, ["\"up\"", "\"down\""]);
    }
}
