//! Who may do what, and where, in Matrix: the room list, whose invites are
//! accepted, and who may rebuild the index.

use matrix_sdk::room::Room;
use matrix_sdk::ruma::UserId;
use matrix_sdk::ruma::events::room::power_levels::UserPowerLevel;

use crate::chat::policy::allowed;
use crate::config::MatrixSettings;

/// How Matrix refers to the place a question is asked.
pub const PLACE: &str = "room";
/// Who may rebuild the index in Matrix.
pub const ADMINS: &str = "room admins (power level 50 or more) and the configured admins";
/// The power level from which a room member may rebuild the index.
const ADMIN_LEVEL: i64 = 50;

pub fn room_allowed(settings: &MatrixSettings, room: &Room) -> bool {
    allowed(&settings.rooms, &room.room_id().as_str().to_string())
}

/// Whether an invite from `inviter` is accepted: the user is listed, or
/// their server is (as `:example.org`).
pub fn inviter_allowed(settings: &MatrixSettings, inviter: &UserId) -> bool {
    settings.allowed_inviters.iter().any(|entry| {
        let entry = entry.trim();
        match entry.strip_prefix(':') {
            Some(server) => inviter.server_name().as_str() == server,
            None => entry == inviter.as_str(),
        }
    })
}

/// A configured admin, or a room member with power level 50 or more.
pub async fn is_admin(settings: &MatrixSettings, room: &Room, user: &UserId) -> bool {
    if settings.admins.iter().any(|a| a.trim() == user.as_str()) {
        return true;
    }
    match room.get_member(user).await {
        Ok(Some(member)) => match member.normalized_power_level() {
            UserPowerLevel::Infinite => true,
            UserPowerLevel::Int(level) => i64::from(level) >= ADMIN_LEVEL,
            _ => false,
        },
        Ok(None) => false,
        Err(err) => {
            tracing::warn!("reading the power level of {user}: {err}");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inviters_are_listed_by_user_or_by_server() {
        let settings = MatrixSettings {
            allowed_inviters: vec!["@ana:example.org".into(), ":team.example".into()],
            ..MatrixSettings::default()
        };
        let allowed = |id: &str| inviter_allowed(&settings, &UserId::parse(id).expect("a user id"));
        assert!(allowed("@ana:example.org"));
        assert!(allowed("@bo:team.example"));
        assert!(!allowed("@bo:example.org"));
        assert!(!allowed("@ana:example.org.evil"));
        assert!(!allowed("@x:evil.team.example"));
        assert!(!inviter_allowed(
            &MatrixSettings::default(),
            &UserId::parse("@ana:example.org").expect("a user id")
        ));
    }
}
