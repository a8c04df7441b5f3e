//! Settings: defaults < `config/quarry.toml` < `QUARRY_*` environment (a
//! `.env` file is read first) < command-line flags (applied by the binary).

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// The default config file, relative to the working directory.
pub const DEFAULT_CONFIG_FILE: &str = "config/quarry.toml";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Invalid(String),
    #[error("DISCORD_TOKEN is not set: put it in the environment or in .env")]
    MissingToken,
    #[error(
        "DISCORD_TOKEN is malformed: a bot token is three dot-separated parts of letters, digits, '-' and '_'"
    )]
    MalformedToken,
    #[error(
        "no chat platform is configured: set DISCORD_TOKEN for Discord, or QUARRY_MATRIX_HOMESERVER, QUARRY_MATRIX_USER and MATRIX_PASSWORD (or MATRIX_ACCESS_TOKEN) for Matrix"
    )]
    NoPlatform,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The folder of documents to answer from.
    pub corpus_dir: PathBuf,
    /// Where the index, the feedback file and other state live.
    pub data_dir: PathBuf,
    /// Overrides the index folder (default: `data_dir/index/<corpus key>`).
    pub index_dir: Option<PathBuf>,
    pub discord: DiscordSettings,
    pub matrix: MatrixSettings,
    pub http: HttpSettings,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DiscordSettings {
    /// Discord's base URL; tests point it at a local fake.
    pub api_url: String,
    /// Register commands in this guild only (instant, for development).
    pub guild_id: Option<u64>,
    /// Channels the bot answers in; empty means every channel it can see.
    pub channels: Vec<u64>,
    /// Channels where mentioning the bot is not answered.
    pub mention_off_channels: Vec<u64>,
    /// A role that may run `/reindex` besides members with Manage Server.
    pub admin_role: Option<u64>,
    /// Questions a user may ask per `rate_limit_seconds`.
    pub rate_limit_questions: u32,
    pub rate_limit_seconds: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MatrixSettings {
    /// The homeserver's URL (`https://matrix.example.org`); Matrix is off when unset.
    pub homeserver: Option<String>,
    /// The bot's account: `@quarry:example.org`, or its local part.
    pub user: Option<String>,
    /// What starts a command in a message: `!quarry ask ...`.
    pub command_prefix: String,
    /// Room ids (`!abc:example.org`) the bot answers in; empty means every joined room.
    pub rooms: Vec<String>,
    /// Whose invites are accepted: user ids (`@ana:example.org`) or whole
    /// servers (`:example.org`). Empty means no invite is accepted.
    pub allowed_inviters: Vec<String>,
    /// Users who may run `!quarry reindex` besides room admins (power level 50 or more).
    pub admins: Vec<String>,
    /// The name of the bot's device, shown to users who verify it.
    pub device_name: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct HttpSettings {
    /// Address of the health and metrics listener; off when unset.
    pub listen: Option<SocketAddr>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            corpus_dir: PathBuf::from("corpus"),
            data_dir: dirs::cache_dir()
                .map(|d| d.join("quarry"))
                .unwrap_or_else(|| PathBuf::from(".quarry")),
            index_dir: None,
            discord: DiscordSettings::default(),
            matrix: MatrixSettings::default(),
            http: HttpSettings::default(),
        }
    }
}

impl Default for DiscordSettings {
    fn default() -> Self {
        DiscordSettings {
            api_url: "https://discord.com".to_string(),
            guild_id: None,
            channels: Vec::new(),
            mention_off_channels: Vec::new(),
            admin_role: None,
            rate_limit_questions: 5,
            rate_limit_seconds: 30,
        }
    }
}

impl Default for MatrixSettings {
    fn default() -> Self {
        MatrixSettings {
            homeserver: None,
            user: None,
            command_prefix: "!quarry".to_string(),
            rooms: Vec::new(),
            allowed_inviters: Vec::new(),
            admins: Vec::new(),
            device_name: "Quarry".to_string(),
        }
    }
}

/// Sections of the config file; `QUARRY_DISCORD_API_URL` maps to `discord.api_url`.
const SECTIONS: &[&str] = &["discord", "matrix", "http"];

impl Settings {
    /// Loads `.env`, then the config file (`path`, or the default one when it
    /// exists), then `QUARRY_*` variables.
    pub fn load(path: Option<&Path>) -> Result<Settings, ConfigError> {
        // A missing .env is normal; a present one must not be silently ignored.
        if let Err(err) = dotenvy::dotenv()
            && !err.not_found()
        {
            return Err(ConfigError::Invalid(format!(".env: {err}")));
        }
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        match path {
            Some(path) if !path.is_file() => {
                return Err(ConfigError::Invalid(format!(
                    "{} is not a file",
                    path.display()
                )));
            }
            Some(path) => figment = figment.merge(Toml::file(path)),
            None => figment = figment.merge(Toml::file(DEFAULT_CONFIG_FILE)),
        }
        // Discord's usual name for the development guild, as well as ours;
        // left empty (as in .env.example) it is unset.
        if let Ok(guild) = std::env::var("DISCORD_GUILD_ID")
            && !guild.trim().is_empty()
        {
            let id: u64 = guild.trim().parse().map_err(|_| {
                ConfigError::Invalid("DISCORD_GUILD_ID must be a server id (a number)".into())
            })?;
            figment = figment.merge(Serialized::default("discord.guild_id", id));
        }
        figment = figment.merge(Env::prefixed("QUARRY_").map(|key| {
            let key = key.as_str().to_ascii_lowercase();
            match SECTIONS.iter().find(|s| key.starts_with(&format!("{s}_"))) {
                Some(section) => format!("{section}.{}", &key[section.len() + 1..]).into(),
                None => key.into(),
            }
        }));
        figment
            .extract()
            .map_err(|e| ConfigError::Invalid(e.to_string()))
    }

    /// The index folder for this corpus: `index_dir`, or one per corpus path
    /// under `data_dir`.
    pub fn index_dir(&self) -> PathBuf {
        if let Some(dir) = &self.index_dir {
            return dir.clone();
        }
        let corpus =
            std::fs::canonicalize(&self.corpus_dir).unwrap_or_else(|_| self.corpus_dir.clone());
        let key = blake3::hash(corpus.to_string_lossy().as_bytes()).to_hex();
        self.data_dir.join("index").join(&key.as_str()[..16])
    }

    /// The file where 👍/👎 feedback is appended.
    pub fn feedback_file(&self) -> PathBuf {
        self.data_dir.join("feedback.jsonl")
    }

    /// The Matrix client's stores (keys, room state) and its device id.
    pub fn matrix_dir(&self) -> PathBuf {
        self.data_dir.join("matrix")
    }
}

/// The bot token. Its `Debug` and `Display` never show it.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// Checks the shape of a `DISCORD_TOKEN` before any network use.
    pub fn parse(raw: &str) -> Result<Token, ConfigError> {
        let raw = raw.trim();
        let raw = raw.strip_prefix("Bot ").unwrap_or(raw);
        if raw.is_empty() {
            return Err(ConfigError::MissingToken);
        }
        let parts: Vec<&str> = raw.split('.').collect();
        let well_formed = parts.len() == 3
            && parts.iter().all(|p| {
                !p.is_empty()
                    && p.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            });
        if well_formed {
            Ok(Token(raw.to_string()))
        } else {
            Err(ConfigError::MalformedToken)
        }
    }

    /// The token itself, for the one place that sends it to Discord.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// How the Matrix account logs in: `MATRIX_PASSWORD` or `MATRIX_ACCESS_TOKEN`
/// (after `.env`). `Debug` never shows the secret.
#[derive(Clone)]
pub enum MatrixSecret {
    Password(String),
    AccessToken(String),
}

impl MatrixSecret {
    /// The secret from the environment, if one is set and not empty; the
    /// password wins when both are.
    pub fn from_env() -> Option<MatrixSecret> {
        let read = |name| {
            std::env::var(name)
                .ok()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        read("MATRIX_PASSWORD")
            .map(MatrixSecret::Password)
            .or_else(|| read("MATRIX_ACCESS_TOKEN").map(MatrixSecret::AccessToken))
    }
}

impl fmt::Debug for MatrixSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MatrixSecret::Password(_) => f.write_str("Password(<redacted>)"),
            MatrixSecret::AccessToken(_) => f.write_str("AccessToken(<redacted>)"),
        }
    }
}

/// What `quarry serve` connects to: every platform that is configured.
#[derive(Debug)]
pub struct Platforms {
    pub discord: Option<Token>,
    pub matrix: Option<MatrixLogin>,
}

/// A configured Matrix account.
#[derive(Debug, Clone)]
pub struct MatrixLogin {
    pub homeserver: String,
    /// For a password login; a token names its own user.
    pub user: Option<String>,
    pub secret: MatrixSecret,
}

impl Platforms {
    /// Discord when `DISCORD_TOKEN` is set (and well-formed), Matrix when a
    /// homeserver and credentials are; neither is an error, and so is half
    /// of either.
    pub fn from_env(matrix: &MatrixSettings) -> Result<Platforms, ConfigError> {
        let discord = match std::env::var("DISCORD_TOKEN") {
            Ok(raw) if !raw.trim().is_empty() => Some(Token::parse(&raw)?),
            _ => None,
        };
        let matrix = MatrixLogin::new(matrix, MatrixSecret::from_env())?;
        if discord.is_none() && matrix.is_none() {
            return Err(ConfigError::NoPlatform);
        }
        Ok(Platforms { discord, matrix })
    }
}

impl MatrixLogin {
    fn new(
        settings: &MatrixSettings,
        secret: Option<MatrixSecret>,
    ) -> Result<Option<MatrixLogin>, ConfigError> {
        let homeserver = settings
            .homeserver
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty());
        let user = settings
            .user
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_string);
        let invalid = |text: &str| Err(ConfigError::Invalid(text.to_string()));
        match (homeserver, secret) {
            (None, None) => Ok(None),
            (None, Some(_)) => invalid(
                "a Matrix password or access token is set but matrix.homeserver (QUARRY_MATRIX_HOMESERVER) is not",
            ),
            (Some(_), None) => invalid(
                "matrix.homeserver is set but neither MATRIX_PASSWORD nor MATRIX_ACCESS_TOKEN is",
            ),
            (Some(h), _) if !(h.starts_with("https://") || h.starts_with("http://")) => {
                invalid("matrix.homeserver must be a URL starting with https:// or http://")
            }
            (Some(_), Some(MatrixSecret::Password(_))) if user.is_none() => {
                invalid("MATRIX_PASSWORD is set but matrix.user (QUARRY_MATRIX_USER) is not")
            }
            (Some(homeserver), Some(secret)) => Ok(Some(MatrixLogin {
                homeserver: homeserver.to_string(),
                user,
                secret,
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_shape_is_checked_and_never_printed() {
        let token = Token::parse("MTIz.NDU2.Nzg5-_x").expect("well-formed");
        assert_eq!(format!("{token:?}"), "Token(<redacted>)");
        assert!(matches!(Token::parse(""), Err(ConfigError::MissingToken)));
        for bad in ["abc", "a.b", "a..c", "a.b.c d", "a.b.c.d"] {
            assert!(
                matches!(Token::parse(bad), Err(ConfigError::MalformedToken)),
                "{bad}"
            );
        }
    }

    #[test]
    fn matrix_needs_a_homeserver_and_credentials_and_never_prints_them() {
        let settings = |homeserver: Option<&str>, user: Option<&str>| MatrixSettings {
            homeserver: homeserver.map(str::to_string),
            user: user.map(str::to_string),
            ..MatrixSettings::default()
        };
        let password = || Some(MatrixSecret::Password("hunter2".into()));
        let token = || Some(MatrixSecret::AccessToken("syt_secret".into()));
        let hs = Some("https://matrix.example.org");
        assert!(matches!(
            MatrixLogin::new(&settings(None, None), None),
            Ok(None)
        ));
        for (s, secret) in [
            (settings(None, Some("@q:example.org")), password()),
            (settings(hs, Some("@q:example.org")), None),
            (settings(hs, None), password()),
            (settings(Some("matrix.example.org"), Some("q")), password()),
        ] {
            assert!(
                matches!(MatrixLogin::new(&s, secret), Err(ConfigError::Invalid(_))),
                "{s:?}"
            );
        }
        let login = MatrixLogin::new(&settings(hs, Some("q")), password())
            .expect("valid")
            .expect("configured");
        assert!(!format!("{login:?}").contains("hunter2"));
        let login = MatrixLogin::new(&settings(hs, None), token())
            .expect("a token names its user")
            .expect("configured");
        assert!(!format!("{login:?}").contains("syt_secret"));
    }

    #[test]
    fn index_dir_is_keyed_by_corpus() {
        let mut a = Settings {
            data_dir: PathBuf::from("/data"),
            ..Settings::default()
        };
        a.corpus_dir = PathBuf::from("/nonexistent/one");
        let mut b = a.clone();
        b.corpus_dir = PathBuf::from("/nonexistent/two");
        assert_ne!(a.index_dir(), b.index_dir());
        assert!(a.index_dir().starts_with("/data/index"));
        a.index_dir = Some(PathBuf::from("/elsewhere"));
        assert_eq!(a.index_dir(), PathBuf::from("/elsewhere"));
    }
}
