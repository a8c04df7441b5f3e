//! Quarry answers a team's questions from its own documents, with verbatim,
//! cited quotes, and builds a dated chronology of what the documents report.

pub mod answer;
mod chat;
pub mod config;
pub mod corpus;
pub mod dates;
mod discord;
pub mod engine;
pub mod health;
mod index;
mod matrix;
pub mod model;
mod platform;
pub mod render;
pub mod serve;
pub mod status;
mod timeline;

pub use config::Settings;
pub use engine::{AskOptions, Engine, EngineError, TimelineQuery};
