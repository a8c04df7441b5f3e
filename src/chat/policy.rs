//! Who may ask, and how often: the per-user rate limit every platform
//! shares, allow-lists of channels or rooms, and the refusals users read.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use super::ChatUser;
use crate::config::ConfigError;

/// A refusal the user should read: shown to the asker alone where the
/// platform allows, not logged as a failure.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("Easy there: you can ask again in {0} s.")]
    RateLimited(u64),
    /// Asked where the bot does not answer; names the platform's place ("channel", "room").
    #[error("I don't answer in this {0}. Ask me in one of the {0}s my admins chose.")]
    WrongPlace(&'static str),
    /// Names who may rebuild the index on this platform.
    #[error("Only {0} can rebuild the index.")]
    NotAdmin(&'static str),
    #[error("{0}")]
    BadInput(String),
}

/// Per-user limit of questions: `questions` per `seconds`, refilled evenly,
/// one budget per user of each platform.
pub struct RateLimiter {
    limiter: DefaultKeyedRateLimiter<ChatUser>,
}

impl RateLimiter {
    pub fn new(questions: u32, seconds: u64) -> Result<RateLimiter, ConfigError> {
        let invalid = || {
            ConfigError::Invalid(
                "discord.rate_limit_questions and rate_limit_seconds must be above 0".into(),
            )
        };
        let burst = NonZeroU32::new(questions).ok_or_else(invalid)?;
        if seconds == 0 {
            return Err(invalid());
        }
        let quota = Quota::with_period(Duration::from_secs(seconds) / questions)
            .ok_or_else(invalid)?
            .allow_burst(burst);
        Ok(RateLimiter {
            limiter: DefaultKeyedRateLimiter::keyed(quota),
        })
    }

    /// Counts one question from `user`, or says how long to wait.
    pub fn check(&self, user: &ChatUser) -> Result<(), Refusal> {
        // Forget users whose budget is full again, so the table stays small.
        if self.limiter.len() > 10_000 {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(user).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            Refusal::RateLimited(wait.as_secs_f64().ceil().max(1.0) as u64)
        })
    }
}

/// Whether `place` is on an allow-list; an empty list allows every place.
pub fn allowed<T: PartialEq>(list: &[T], place: &T) -> bool {
    list.is_empty() || list.contains(place)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::Platform;

    fn user(platform: Platform, id: &str) -> ChatUser {
        ChatUser::new(platform, id)
    }

    #[test]
    fn the_sixth_quick_question_waits() {
        let limiter = RateLimiter::new(5, 30).expect("valid");
        let asker = user(Platform::Discord, "7");
        for _ in 0..5 {
            assert!(limiter.check(&asker).is_ok());
        }
        match limiter.check(&asker) {
            Err(Refusal::RateLimited(wait)) => assert!((1..=6).contains(&wait), "{wait}"),
            other => panic!("expected a wait, got {other:?}"),
        }
        assert!(limiter.check(&user(Platform::Discord, "8")).is_ok());
    }

    #[test]
    fn a_zero_limit_is_a_config_error() {
        assert!(RateLimiter::new(0, 30).is_err());
        assert!(RateLimiter::new(5, 0).is_err());
    }

    #[test]
    fn an_empty_allow_list_allows_everywhere() {
        assert!(allowed(&[] as &[u64], &3));
        assert!(allowed(&[1, 2], &2));
        assert!(!allowed(&[1, 2], &3));
    }
}
