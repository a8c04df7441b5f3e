//! Who may ask what, and where, in Discord: the channel lists, the rate
//! limit before questions, and the admin check for `/reindex`.

use poise::serenity_prelude as serenity;

use super::{Context, Error, user};
use crate::chat::policy::{Refusal, allowed};
use crate::config::DiscordSettings;

/// How Discord refers to the place a question is asked.
pub const PLACE: &str = "channel";
/// Who may rebuild the index in Discord.
pub const ADMINS: &str = "members with Manage Server or the admin role";

pub fn channel_allowed(settings: &DiscordSettings, channel: serenity::ChannelId) -> bool {
    allowed(&settings.channels, &channel.get())
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
        return Err(Refusal::WrongPlace(PLACE).into());
    }
    let name: &str = &ctx.command().name;
    if QUESTION_COMMANDS.contains(&name) {
        bot.chat.check_question(&user(ctx.author().id))?;
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
}
