//! Where `!quarry more` goes on from: the position last shown of each
//! remembered answer (its first quote) or timeline (its page), by the
//! chat layer's key. Kept for as many replies as the chat layer remembers.

use std::num::NonZeroUsize;
use std::sync::Mutex;

use lru::LruCache;

const REMEMBERED: usize = 1000;

pub struct Pages {
    shown: Mutex<LruCache<u64, usize>>,
}

impl Default for Pages {
    fn default() -> Self {
        Pages {
            shown: Mutex::new(LruCache::new(
                NonZeroUsize::new(REMEMBERED).expect("non-zero constant"),
            )),
        }
    }
}

impl Pages {
    /// The position after the one last shown of `key` (0 was shown first),
    /// `step` further on, now counted as shown.
    pub fn next(&self, key: u64, step: usize) -> usize {
        let mut shown = self.shown.lock().unwrap_or_else(|p| p.into_inner());
        let next = shown.get(&key).copied().unwrap_or(0) + step;
        shown.put(key, next);
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reply_pages_on_its_own() {
        let pages = Pages::default();
        assert_eq!(pages.next(1, 3), 3);
        assert_eq!(pages.next(1, 3), 6);
        assert_eq!(pages.next(2, 1), 1);
        assert_eq!(pages.next(2, 1), 2);
    }
}
