//! A real Matrix homeserver for the tests: Synapse from PyPI, in a virtual
//! environment made once and kept in the user's cache folder
//! (`QUARRY_SYNAPSE_VENV` overrides where), run on loopback with a generated
//! config: SQLite, registration by shared secret, relaxed rate limits, no
//! federation key servers.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Synapse's package on PyPI.
const PACKAGE: &str = "matrix-synapse";
/// The server name of the test homeserver: user ids end in `:localhost`.
pub const SERVER_NAME: &str = "localhost";

pub struct Synapse {
    child: Child,
    dir: tempfile::TempDir,
    venv: PathBuf,
    pub url: String,
}

/// Only one test at a time may create the virtual environment.
static VENV: Mutex<()> = Mutex::new(());

fn venv_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("QUARRY_SYNAPSE_VENV") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    home.join(".cache").join("quarry-synapse")
}

fn python(venv: &Path) -> PathBuf {
    venv.join("bin").join("python")
}

/// The virtual environment with Synapse, made when missing.
fn venv() -> PathBuf {
    let _guard = VENV.lock().unwrap_or_else(|p| p.into_inner());
    let venv = venv_dir();
    let works = |venv: &Path| {
        Command::new(python(venv))
            .args(["-c", "import synapse.app.homeserver"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if works(&venv) {
        return venv;
    }
    eprintln!("synapse: installing {PACKAGE} into {}", venv.display());
    let run = |command: &mut Command| {
        let status = command.status().expect("run a Python command");
        assert!(status.success(), "{command:?} failed: {status}");
    };
    run(Command::new("python3").arg("-m").arg("venv").arg(&venv));
    run(Command::new(python(&venv)).args(["-m", "pip", "install", "--quiet", PACKAGE]));
    assert!(works(&venv), "Synapse does not import after installing it");
    venv
}

/// A port nobody listens on now. Synapse binds it itself, so another
/// process could take it in between; on loopback in a test run that does
/// not happen in practice, and a failed start says so.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Rate limits far above what the tests do, and no key servers to reach.
const RELAXED: &str = "
trusted_key_servers: []
suppress_key_server_warning: true
enable_registration: false
rc_message: {per_second: 1000, burst_count: 1000}
rc_registration: {per_second: 1000, burst_count: 1000}
rc_login:
  address: {per_second: 1000, burst_count: 1000}
  account: {per_second: 1000, burst_count: 1000}
  failed_attempts: {per_second: 1000, burst_count: 1000}
rc_joins:
  local: {per_second: 1000, burst_count: 1000}
  remote: {per_second: 1000, burst_count: 1000}
rc_invites:
  per_room: {per_second: 1000, burst_count: 1000}
  per_user: {per_second: 1000, burst_count: 1000}
  per_issuer: {per_second: 1000, burst_count: 1000}
rc_key_requests: {per_second: 1000, burst_count: 1000}
";

impl Synapse {
    /// Generates a config and starts Synapse; returns once it answers.
    pub async fn start() -> Synapse {
        let venv = venv();
        let dir = tempfile::tempdir().expect("temp dir");
        let config = dir.path().join("homeserver.yaml");
        let generated = Command::new(python(&venv))
            .args(["-m", "synapse.app.homeserver", "--server-name", SERVER_NAME])
            .arg("--config-path")
            .arg(&config)
            .arg("--data-directory")
            .arg(dir.path())
            .args(["--generate-config", "--report-stats=no"])
            .current_dir(dir.path())
            .output()
            .expect("generate the Synapse config");
        assert!(generated.status.success(), "{generated:?}");
        let port = free_port();
        let text = std::fs::read_to_string(&config).expect("read the generated config");
        // Loopback over IPv4 only; the port chosen above.
        let mut text = text
            .replace("port: 8008", &format!("port: {port}"))
            .replace("    - ::1\n", "")
            .replace("trusted_key_servers:\n  - server_name: \"matrix.org\"", "");
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(RELAXED);
        std::fs::write(&config, text).expect("write the config");
        let child = run(&venv, dir.path());
        let mut synapse = Synapse {
            child,
            dir,
            venv,
            url: format!("http://127.0.0.1:{port}"),
        };
        synapse.wait_until_up().await;
        synapse
    }

    /// Kills Synapse, as a crash or an outage would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts Synapse again on the same port and database.
    pub async fn start_again(&mut self) {
        self.child = run(&self.venv, self.dir.path());
        self.wait_until_up().await;
    }

    async fn wait_until_up(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let versions = format!("{}/_matrix/client/versions", self.url);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("Synapse exited {status}:\n{}", self.log());
            }
            if reqwest::get(&versions)
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("Synapse did not answer within 60 s:\n{}", self.log());
    }

    /// Registers a user (not an admin) with the shared secret.
    pub fn register(&self, user: &str, password: &str) {
        self.register_as(user, password, "--no-admin");
    }

    /// `admin` is `--admin` or `--no-admin`.
    fn register_as(&self, user: &str, password: &str, admin: &str) {
        let output = Command::new(self.venv.join("bin").join("register_new_matrix_user"))
            .arg("-c")
            .arg(self.dir.path().join("homeserver.yaml"))
            .args(["-u", user, "-p", password, admin, &self.url])
            .output()
            .expect("run register_new_matrix_user");
        assert!(output.status.success(), "registering {user}: {output:?}");
    }

    /// Registers an admin and logs in as it: its access token.
    pub async fn admin_token(&self) -> String {
        const ADMIN: &str = "admin";
        const ADMIN_PASSWORD: &str = "admin-pass";
        self.register_as(ADMIN, ADMIN_PASSWORD, "--admin");
        let login: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/_matrix/client/v3/login", self.url))
            .json(&serde_json::json!({
                "type": "m.login.password",
                "identifier": {"type": "m.id.user", "user": ADMIN},
                "password": ADMIN_PASSWORD,
            }))
            .send()
            .await
            .expect("admin login")
            .json()
            .await
            .expect("login JSON");
        login["access_token"]
            .as_str()
            .expect("an access token")
            .to_string()
    }

    /// Limits what `user_id` may send to `per_second` messages, in bursts
    /// of `burst` (0 and 0: no limit), through Synapse's admin API.
    pub async fn limit_messages(
        &self,
        admin_token: &str,
        user_id: &str,
        per_second: u32,
        burst: u32,
    ) {
        let user = user_id.replace('@', "%40").replace(':', "%3A");
        let response = reqwest::Client::new()
            .post(format!(
                "{}/_synapse/admin/v1/users/{user}/override_ratelimit",
                self.url
            ))
            .bearer_auth(admin_token)
            .json(&serde_json::json!({"messages_per_second": per_second, "burst_count": burst}))
            .send()
            .await
            .expect("override_ratelimit");
        assert!(response.status().is_success(), "{response:?}");
    }

    /// Lines of Synapse's log holding every one of `parts`.
    pub fn log_lines_with(&self, parts: &[&str]) -> usize {
        std::fs::read_to_string(self.dir.path().join("homeserver.log"))
            .unwrap_or_default()
            .lines()
            .filter(|line| parts.iter().all(|p| line.contains(p)))
            .count()
    }

    /// Synapse's own log, for failures.
    pub fn log(&self) -> String {
        let out = std::fs::read_to_string(self.dir.path().join("synapse.out")).unwrap_or_default();
        let log =
            std::fs::read_to_string(self.dir.path().join("homeserver.log")).unwrap_or_default();
        let tail: String = log
            .lines()
            .rev()
            .take(60)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join("\n");
        format!("{out}\n{tail}")
    }
}

/// Synapse on the config in `dir`, its output appended to `synapse.out` there.
fn run(venv: &Path, dir: &Path) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("synapse.out"))
        .expect("log file");
    Command::new(python(venv))
        .args(["-m", "synapse.app.homeserver", "--config-path"])
        .arg(dir.join("homeserver.yaml"))
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("log file"))
        .stderr(log)
        .spawn()
        .expect("start Synapse")
}

impl Drop for Synapse {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
