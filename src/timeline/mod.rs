//! Dates in running text, resolved and merged into events.

pub mod dates;
