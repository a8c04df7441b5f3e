//! Reply models drawn for each surface: pure functions, no I/O.

pub mod discord;
pub mod matrix;
pub mod text;
