//! What a follow-up action (more sources, a vote, a page) needs to remember:
//! the answer or timeline it belongs to and who asked. Kept in memory for
//! the most recent replies; an action on an older reply is told to ask again.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use super::ChatUser;
use crate::model::{Answer, Timeline};
use lru::LruCache;

/// Replies whose buttons keep working.
const REMEMBERED: usize = 1000;

pub enum Session {
    Answer {
        asker: ChatUser,
        answer: Answer,
    },
    Timeline {
        asker: ChatUser,
        title: String,
        summary: Timeline,
        full: Timeline,
    },
}

impl Session {
    pub fn asker(&self) -> &ChatUser {
        match self {
            Session::Answer { asker, .. } | Session::Timeline { asker, .. } => asker,
        }
    }
}

pub struct Sessions {
    recent: Mutex<LruCache<u64, Arc<Session>>>,
}

impl Default for Sessions {
    fn default() -> Self {
        Sessions {
            recent: Mutex::new(LruCache::new(
                NonZeroUsize::new(REMEMBERED).expect("non-zero constant"),
            )),
        }
    }
}

impl Sessions {
    /// Remembers `session` under each of `keys` (the id of the interaction
    /// or message that asked, as the platform numbers it, and maybe others).
    pub fn insert(&self, keys: &[u64], session: Session) {
        let session = Arc::new(session);
        let mut recent = self.lock();
        for key in keys {
            recent.put(*key, Arc::clone(&session));
        }
    }

    pub fn get(&self, key: u64) -> Option<Arc<Session>> {
        self.lock().get(&key).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LruCache<u64, Arc<Session>>> {
        // A panic while holding the lock leaves the cache usable.
        self.recent
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
