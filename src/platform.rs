//! The chat platforms Quarry serves. Below both the chat layer and the live
//! status, which report per platform.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Discord,
    Matrix,
}

impl Platform {
    pub const ALL: [Platform; 2] = [Platform::Discord, Platform::Matrix];

    /// The name in metrics labels, health reports and the feedback file.
    pub fn name(self) -> &'static str {
        match self {
            Platform::Discord => "discord",
            Platform::Matrix => "matrix",
        }
    }

    /// What the bot connects to on this platform, for people reading `/healthz`.
    pub fn connection(self) -> &'static str {
        match self {
            Platform::Discord => "the Discord gateway",
            Platform::Matrix => "the Matrix homeserver",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One value per platform.
#[derive(Debug, Default)]
pub struct PerPlatform<T>([T; 2]);

impl<T> PerPlatform<T> {
    pub fn get(&self, platform: Platform) -> &T {
        &self.0[platform.index()]
    }
}
