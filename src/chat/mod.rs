//! The chat layer every platform shares: the service that calls the
//! `Engine` off the async threads and counts metrics, the per-user rate
//! limit, remembered replies and their follow-ups, and the feedback log.
//! Platform adapters (`discord`, `matrix`) only translate events and draw
//! replies; one service is shared by all of them.

pub mod actions;
pub mod feedback;
pub mod policy;
pub mod sessions;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::dates::PartialDate;
use crate::engine::{AskOptions, Engine, TimelineQuery};
use crate::model::{Answer, Quote, Timeline};
use crate::status::Status;
use actions::{Action, Outcome};
use feedback::{FeedbackEntry, FeedbackLog, ShownQuote, Vote};
use policy::{RateLimiter, Refusal};
use sessions::{Session, Sessions};

pub type Error = Box<dyn std::error::Error + Send + Sync>;

pub use crate::platform::Platform;

/// A user as every platform names one: the platform and its own id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ChatUser {
    pub platform: Platform,
    pub id: String,
}

impl ChatUser {
    pub fn new(platform: Platform, id: impl Into<String>) -> ChatUser {
        ChatUser {
            platform,
            id: id.into(),
        }
    }
}

/// Everything the adapters share.
pub struct ChatService {
    engine: Arc<Engine>,
    pub status: Arc<Status>,
    limiter: RateLimiter,
    sessions: Sessions,
    feedback: FeedbackLog,
}

impl ChatService {
    pub fn new(
        engine: Arc<Engine>,
        status: Arc<Status>,
        limiter: RateLimiter,
        feedback_file: PathBuf,
    ) -> ChatService {
        ChatService {
            engine,
            status,
            limiter,
            sessions: Sessions::default(),
            feedback: FeedbackLog::new(feedback_file),
        }
    }

    /// Runs `work` on the engine off the async threads: a question is quick,
    /// but a reindex or a very large corpus is not.
    pub async fn with_engine<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Engine) -> T + Send + 'static,
    ) -> Result<T, Error> {
        let engine = Arc::clone(&self.engine);
        Ok(tokio::task::spawn_blocking(move || work(&engine)).await?)
    }

    /// Counts one question from `user` against the rate limit.
    pub fn check_question(&self, user: &ChatUser) -> Result<(), Refusal> {
        self.limiter.check(user)
    }

    /// Answers `question` from `asker`, counting it in their platform's metrics.
    pub async fn ask(
        &self,
        asker: &ChatUser,
        question: String,
        as_of: Option<PartialDate>,
    ) -> Result<Answer, Error> {
        let started = Instant::now();
        let answer = self
            .with_engine(move |engine| engine.ask(&question, &AskOptions { as_of }))
            .await?;
        self.status.count_answer(
            asker.platform,
            answer.answered,
            started.elapsed().as_secs_f64(),
        );
        Ok(answer)
    }

    /// The events `query` asks for, and their first `summary` most relevant.
    pub async fn timeline(
        &self,
        query: TimelineQuery,
        summary: usize,
    ) -> Result<(Timeline, Timeline), Error> {
        let summary_query = TimelineQuery {
            limit: Some(summary),
            ..query.clone()
        };
        self.with_engine(move |engine| (engine.timeline(&summary_query), engine.timeline(&query)))
            .await
    }

    /// Rebuilds the index, and says what it did in a line for the chat.
    pub async fn reindex(&self) -> Result<String, Error> {
        let report = self.with_engine(|engine| engine.reindex()).await??;
        self.status.reindexes.inc();
        self.status.set_index_loaded(report.documents);
        tracing::info!(
            documents = report.documents,
            passages = report.passages,
            seconds = report.seconds,
            "reindexed"
        );
        let mut text = format!(
            "Reindexed {} documents ({} passages) in {:.2} s.",
            report.documents, report.passages, report.seconds
        );
        if !report.skipped.is_empty() {
            text.push_str(&format!(
                " Skipped {} files; the log lists them.",
                report.skipped.len()
            ));
            for skipped in &report.skipped {
                tracing::warn!("skipped {skipped}");
            }
        }
        if !report.decoded.is_empty() {
            text.push_str(&format!(
                " Decoded {} files from other encodings than UTF-8; the log lists them.",
                report.decoded.len()
            ));
            for decoded in &report.decoded {
                tracing::info!("decoded from {}: {}", decoded.decoding, decoded.file);
            }
        }
        Ok(text)
    }

    /// Remembers a reply under `key` for its follow-ups.
    pub fn remember(&self, key: u64, session: Session) {
        self.remember_under(&[key], session);
    }

    /// Remembers a reply under several keys: a platform may name it by the
    /// question and by the reply.
    pub fn remember_under(&self, keys: &[u64], session: Session) {
        self.sessions.insert(keys, session);
    }

    /// The reply remembered under `key`, if it still is.
    pub fn recall(&self, key: u64) -> Option<Arc<Session>> {
        self.sessions.get(key)
    }

    /// What `action` by `user` comes to. A vote is anyone's; paging is the
    /// asker's. `shown` quotes of an answer count as what a voter saw.
    pub async fn act(&self, action: Action, user: &ChatUser, shown: usize) -> Outcome {
        let Some(session) = self.sessions.get(action.key()) else {
            return Outcome::Expired;
        };
        match (action, &*session) {
            (Action::Vote { up, .. }, Session::Answer { answer, .. }) => Outcome::Voted(
                self.vote(user, up, &answer.question, &answer.quotes, shown)
                    .await,
            ),
            (_, session) if session.asker() != user => Outcome::NotTheAsker,
            (Action::More { from, .. }, Session::Answer { .. }) => Outcome::More {
                session: Arc::clone(&session),
                from,
            },
            (Action::Page { page, .. }, Session::Timeline { .. }) => Outcome::Page {
                session: Arc::clone(&session),
                page,
            },
            _ => Outcome::Expired,
        }
    }

    async fn vote(
        &self,
        user: &ChatUser,
        up: bool,
        question: &str,
        quotes: &[Quote],
        shown: usize,
    ) -> &'static str {
        let entry = FeedbackEntry {
            time: chrono::Utc::now().to_rfc3339(),
            platform: user.platform,
            user_id: user.id.clone(),
            vote: if up { Vote::Up } else { Vote::Down },
            question,
            quotes: quotes.iter().take(shown).map(ShownQuote::from).collect(),
        };
        match self.feedback.append(&entry).await {
            Ok(()) => actions::VOTE_SAVED,
            Err(err) => {
                tracing::error!("writing feedback: {err}");
                actions::VOTE_FAILED
            }
        }
    }
}

/// A date typed by a user (2025, 2025-09 or 2025-09-08), or a refusal saying so.
pub fn parse_date(text: Option<String>) -> Result<Option<PartialDate>, Refusal> {
    text.map(|t| {
        PartialDate::parse_iso(t.trim()).ok_or_else(|| {
            Refusal::BadInput(format!(
                "`{}` is not a date: use 2025, 2025-09 or 2025-09-08.",
                crate::corpus::shorten(&t, 40).replace('`', "'")
            ))
        })
    })
    .transpose()
}
