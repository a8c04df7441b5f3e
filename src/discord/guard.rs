//! Who may ask what, where, and how often: the channel list, the per-user
//! rate limit and the admin check for `/reindex`.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use poise::serenity_prelude as serenity;

use super::{Context, Error};
use crate::config::{ConfigError, DiscordSettings};

/// A refusal the user should read: shown ephemerally, not logged as a failure.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("Easy there: you can ask again in {0} s.")]
    RateLimited(u64),
    #[error("I don't answer in this channel. Ask me in one of the channels my admins chose.")]
    WrongChannel,
    #[error("Only members with Manage Server or the admin role can rebuild the index.")]
    NotAdmin,
    #[error("{0}")]
    BadInput(String),
}

/// Per-user limit of questions: `questions` per `seconds`, refilled evenly.
pub struct RateLimiter {
    limiter: DefaultKeyedRateLimiter<u64>,
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
    pub fn check(&self, user: serenity::UserId) -> Result<(), Refusal> {
        // Forget users whose budget is full again, so the table stays small.
        if self.limiter.len() > 10_000 {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&user.get()).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            Refusal::RateLimited(wait.as_secs_f64().ceil().max(1.0) as u64)
        })
    }
}

pub fn channel_allowed(settings: &DiscordSettings, channel: serenity::ChannelId) -> bool {
    settings.channels.is_empty() || settings.channels.contains(&channel.get())
}

/// Whether a message mentioning the bot in `channel` gets an answer.
pub fn mention_answered(settings: &DiscordSettings, channel: serenity::ChannelId) -> bool {
    channel_allowed(settings, channel) && !settings.mention_off_channels.contains(&channel.get())
}

/// Commands that ask the corpus something count against the rate limit.
const QUESTION_COMMANDS: &[&str] = &["ask", "search", "timeline"];

/// Runs before every command: the channel list, then the rate limit.
pub async fn command_check(ctx: Context<'_>) -> Result<bool, Error> {
    let bot = ctx.data();
    if !channel_allowed(&bot.settings, ctx.channel_id()) {
        return Err(Refusal::WrongChannel.into());
    }
    let name: &str = &ctx.command().name;
    if QUESTION_COMMANDS.contains(&name) {
        bot.limiter.check(ctx.author().id)?;
    }
    Ok(true)
}

/// Manage Server, or the configured admin role.
pub fn is_admin(settings: &DiscordSettings, member: Option<&serenity::Member>) -> bool {
    let Some(member) = member else {
        return false;
    };
    let manages = member
        .permissions
        .is_some_and(|p| p.manage_guild() || p.administrator());
    let has_role = settings
        .admin_role
        .is_some_and(|role| member.roles.iter().any(|r| r.get() == role));
    manages || has_role
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_quick_question_waits() {
        let limiter = RateLimiter::new(5, 30).expect("valid");
        let user = serenity::UserId::new(7);
        for _ in 0..5 {
            assert!(limiter.check(user).is_ok());
        }
        match limiter.check(user) {
            Err(Refusal::RateLimited(wait)) => assert!((1..=6).contains(&wait), "{wait}"),
            other => panic!("expected a wait, got {other:?}"),
        }
        assert!(limiter.check(serenity::UserId::new(8)).is_ok());
    }

    #[test]
    fn mentions_follow_the_channel_lists() {
        let settings = DiscordSettings {
            channels: vec![1, 2],
            mention_off_channels: vec![2],
            ..DiscordSettings::default()
        };
        let answered = |c| mention_answered(&settings, serenity::ChannelId::new(c));
        assert!(answered(1));
        assert!(!answered(2), "mentions off here");
        assert!(!answered(3), "not a bot channel");
        assert!(mention_answered(
            &DiscordSettings::default(),
            serenity::ChannelId::new(3)
        ));
    }

    #[test]
    fn a_zero_limit_is_a_config_error() {
        assert!(RateLimiter::new(0, 30).is_err());
        assert!(RateLimiter::new(5, 0).is_err());
    }
}
