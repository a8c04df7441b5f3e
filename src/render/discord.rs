//! Answer, search and timeline replies as Discord messages and embeds.
