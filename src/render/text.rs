//! Replies as plain terminal text.
