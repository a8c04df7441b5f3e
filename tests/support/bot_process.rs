//! `quarry serve` as a child process, on a private copy of the bundled
//! corpus, talking to a fake Discord.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// Shaped like a bot token; the fake accepts anything.
pub const TOKEN: &str = "MTAxMDEwMTAxMDEw.R2Z4Yw.ZmFrZS10b2tlbi1mb3ItdGVzdHM";

pub struct BotProcess {
    child: Child,
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
}

impl BotProcess {
    /// Starts the bot against `api_url` with extra `QUARRY_*` settings.
    pub fn start(api_url: &str, settings: &[(&str, &str)]) -> BotProcess {
        let mut env = vec![
            ("DISCORD_TOKEN", TOKEN),
            ("QUARRY_DISCORD_API_URL", api_url),
        ];
        env.extend_from_slice(settings);
        BotProcess::start_with(&env, &[])
    }

    /// Starts the bot with only these environment variables set for it,
    /// on the bundled corpus plus `documents` (name, text).
    pub fn start_with(env: &[(&str, &str)], documents: &[(&str, &str)]) -> BotProcess {
        let dir = tempfile::tempdir().expect("temp dir");
        let corpus = dir.path().join("corpus");
        copy_dir(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("corpus")
                .as_path(),
            &corpus,
        );
        for (name, text) in documents {
            std::fs::write(corpus.join(name), text).expect("write a document");
        }
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let child = spawn(dir.path(), &env);
        BotProcess { child, dir, env }
    }

    /// Stops the bot with SIGTERM and starts it again on the same data.
    pub fn restart(&mut self) -> std::process::ExitStatus {
        let status = self.stop();
        self.child = spawn(self.dir.path(), &self.env);
        status
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
    /// Logged before the bot connects to a platform; after a restart, the
    /// latest.
    pub fn health_address(&self) -> std::net::SocketAddr {
        let log = self.log();
        let colours = regex::Regex::new(r"\x1b\[[0-9;]*m").expect("pattern");
        let plain = colours.replace_all(&log, "");
        plain
            .lines()
            .rev()
            .filter(|line| line.contains("health and metrics listening"))
            .filter_map(|line| line.split_once("listen=")?.1.split_whitespace().next())
            .find_map(|address| address.parse().ok())
            .unwrap_or_else(|| panic!("no health listener address in the log:\n{log}"))
    }

    /// Sends SIGTERM and waits for the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        self.stop()
    }

    fn stop(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        self.child.wait().expect("wait for the bot")
    }
}

/// `quarry serve` on the corpus in `dir`, its data there too, logging
/// (appending) to `bot.log`. The bot runs in `dir`, so no `.env` of the
/// checkout is read.
fn spawn(dir: &Path, env: &[(String, String)]) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("bot.log"))
        .expect("log file");
    let mut command = Command::new(env!("CARGO_BIN_EXE_quarry"));
    command
        .arg("serve")
        .arg("--corpus")
        .arg(dir.join("corpus"))
        .current_dir(dir)
        .env("QUARRY_DATA_DIR", dir.join("data"))
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log);
    for (key, value) in env {
        command.env(key, value);
    }
    command.spawn().expect("start quarry serve")
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
