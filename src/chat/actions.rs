//! Follow-ups on a reply: more sources, a vote, another timeline page. What
//! each does is decided here; adapters draw the outcome (a button click in
//! Discord, a command or reaction elsewhere).

use std::sync::Arc;

use super::sessions::Session;

/// A follow-up on the reply remembered under `key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The quotes of answer `key` from `from` on.
    More {
        key: u64,
        from: usize,
    },
    Vote {
        key: u64,
        up: bool,
    },
    /// Page `page` of timeline `key`.
    Page {
        key: u64,
        page: usize,
    },
}

impl Action {
    pub fn key(self) -> u64 {
        match self {
            Action::More { key, .. } | Action::Vote { key, .. } | Action::Page { key, .. } => key,
        }
    }

    /// A short text form (at most 100 characters), such as a button's id.
    pub fn encode(self) -> String {
        match self {
            Action::More { key, from } => format!("quarry:more:{key}:{from}"),
            Action::Vote { key, up } => {
                format!("quarry:vote:{key}:{}", if up { "up" } else { "down" })
            }
            Action::Page { key, page } => format!("quarry:page:{key}:{page}"),
        }
    }

    pub fn parse(id: &str) -> Option<Action> {
        let mut parts = id.strip_prefix("quarry:")?.split(':');
        let (kind, key, arg) = (parts.next()?, parts.next()?, parts.next()?);
        let key = key.parse().ok()?;
        match kind {
            "more" => Some(Action::More {
                key,
                from: arg.parse().ok()?,
            }),
            "vote" => Some(Action::Vote {
                key,
                up: match arg {
                    "up" => true,
                    "down" => false,
                    _ => return None,
                },
            }),
            "page" => Some(Action::Page {
                key,
                page: arg.parse().ok()?,
            }),
            _ => None,
        }
    }
}

/// What an action comes to, for the adapter to draw.
pub enum Outcome {
    /// The reply is no longer remembered.
    Expired,
    /// Only the asker may page through a reply.
    NotTheAsker,
    /// A vote was recorded, or could not be: the text to show the voter.
    Voted(&'static str),
    /// Quotes of the remembered answer from `from` on.
    More { session: Arc<Session>, from: usize },
    /// Page `page` of the remembered timeline.
    Page { session: Arc<Session>, page: usize },
}

pub const EXPIRED: &str = "This reply is too old for its buttons now. Ask again to get fresh ones.";
pub const NOT_THE_ASKER: &str =
    "Only the person who asked can use these buttons. Ask your own to page through it.";
pub const VOTE_SAVED: &str = "Thanks, your feedback is noted.";
pub const VOTE_FAILED: &str = "Sorry, I could not save your feedback this time.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_actions_round_trip_and_fit() {
        for action in [
            Action::More {
                key: u64::MAX,
                from: 3,
            },
            Action::Vote { key: 1, up: false },
            Action::Page { key: 99, page: 12 },
        ] {
            let id = action.encode();
            assert!(id.len() <= 100);
            assert_eq!(Action::parse(&id), Some(action));
        }
        for junk in [
            "",
            "quarry:",
            "quarry:more:x:1",
            "other:more:1:1",
            "quarry:vote:1:maybe",
        ] {
            assert_eq!(Action::parse(junk), None, "{junk}");
        }
    }
}
