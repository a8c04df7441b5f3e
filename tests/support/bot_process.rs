//! `quarry serve` as a child process, on a private copy of the bundled
//! corpus, talking to a fake Discord.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// Shaped like a bot token; the fake accepts anything.
pub const TOKEN: &str = "MTAxMDEwMTAxMDEw.R2Z4Yw.ZmFrZS10b2tlbi1mb3ItdGVzdHM";

pub struct BotProcess {
    child: Child,
    dir: tempfile::TempDir,
}

impl BotProcess {
    /// Starts the bot against `api_url` with extra `QUARRY_*` settings.
    pub fn start(api_url: &str, settings: &[(&str, &str)]) -> BotProcess {
        let dir = tempfile::tempdir().expect("temp dir");
        let corpus = dir.path().join("corpus");
        copy_dir(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("corpus")
                .as_path(),
            &corpus,
        );
        let log = std::fs::File::create(dir.path().join("bot.log")).expect("log file");
        let mut command = Command::new(env!("CARGO_BIN_EXE_quarry"));
        command
            .arg("serve")
            .arg("--corpus")
            .arg(&corpus)
            .env("DISCORD_TOKEN", TOKEN)
            .env("QUARRY_DISCORD_API_URL", api_url)
            .env("QUARRY_DATA_DIR", dir.path().join("data"))
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log);
        for (key, value) in settings {
            command.env(key, value);
        }
        let child = command.spawn().expect("start quarry serve");
        BotProcess { child, dir }
    }

    pub fn corpus(&self) -> PathBuf {
        self.dir.path().join("corpus")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Everything the bot logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("bot.log")).unwrap_or_default()
    }

    /// The address the health listener bound, from the log: started with
    /// `QUARRY_HTTP_LISTEN` on port 0, the bot takes a free port itself, so
    /// no other process can take it between a test's choice and the bind.
    /// Logged before the bot connects to Discord.
    pub fn health_address(&self) -> std::net::SocketAddr {
        let log = self.log();
        let colours = regex::Regex::new(r"\x1b\[[0-9;]*m").expect("pattern");
        let plain = colours.replace_all(&log, "");
        plain
            .lines()
            .filter(|line| line.contains("health and metrics listening"))
            .find_map(|line| line.split_once("listen=")?.1.split_whitespace().next())
            .and_then(|address| address.parse().ok())
            .unwrap_or_else(|| panic!("no health listener address in the log:\n{log}"))
    }

    /// Sends SIGTERM and waits for the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        self.child.wait().expect("wait for the bot")
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create corpus copy");
    for entry in std::fs::read_dir(from).expect("read corpus") {
        let entry = entry.expect("corpus entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy corpus file");
        }
    }
}
