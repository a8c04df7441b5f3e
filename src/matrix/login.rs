//! The bot's Matrix client and its one device: the SQLite stores (room
//! state, end-to-end keys) live in the data folder, and the device id is
//! kept beside them, so a restart logs in as the same device with the same
//! keys instead of adding a new one.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail};
use matrix_sdk::authentication::matrix::MatrixSession;
use matrix_sdk::config::RequestConfig;
use matrix_sdk::ruma::{OwnedDeviceId, OwnedUserId};
use matrix_sdk::{Client, SessionMeta, SessionTokens};
use serde::{Deserialize, Serialize};

use crate::config::{MatrixLogin, MatrixSecret, MatrixSettings};

/// The device's identity, kept in the data folder. Not a secret: the
/// password or token is never written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Device {
    user_id: OwnedUserId,
    device_id: OwnedDeviceId,
}

const DEVICE_FILE: &str = "device.json";

/// How long one request may take. A sync long-polls for 30 s within it.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(90);
/// Attempts of a request that failed on the network before the error is
/// returned; the sync loop then waits and tries again. An
/// `M_LIMIT_EXCEEDED` answer is retried after its `retry_after_ms`.
const RETRIES: usize = 4;

/// Logs in (with the password) or restores the session (with the access
/// token), on the stores in `dir`.
pub async fn connect(
    login: &MatrixLogin,
    settings: &MatrixSettings,
    dir: &Path,
) -> anyhow::Result<Client> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("creating the Matrix folder {}", dir.display()))?;
    let saved = read_device(dir)?;
    let client = Client::builder()
        .homeserver_url(&login.homeserver)
        .sqlite_store(dir.join("store"), None)
        .request_config(
            RequestConfig::new()
                .timeout(REQUEST_TIMEOUT)
                .retry_limit(RETRIES),
        )
        .build()
        .await
        .context("setting up the Matrix client and its stores")?;
    let device = match &login.secret {
        MatrixSecret::Password(password) => {
            let Some(user) = login.user.as_deref() else {
                bail!("matrix.user is not set");
            };
            let mut request = client
                .matrix_auth()
                .login_username(user, password)
                .initial_device_display_name(&settings.device_name);
            // The same device again, unless the account changed (checked below).
            if let Some(saved) = &saved
                && same_user(&saved.user_id, user)
            {
                request = request.device_id(saved.device_id.as_str());
            }
            let response = request
                .send()
                .await
                .context("logging in to the Matrix homeserver")?;
            Device {
                user_id: response.user_id,
                device_id: response.device_id,
            }
        }
        MatrixSecret::AccessToken(token) => {
            let device = whoami(&login.homeserver, token).await?;
            client
                .restore_session(MatrixSession {
                    meta: SessionMeta {
                        user_id: device.user_id.clone(),
                        device_id: device.device_id.clone(),
                    },
                    tokens: SessionTokens {
                        access_token: token.clone(),
                        refresh_token: None,
                    },
                })
                .await
                .context("restoring the Matrix session of the access token")?;
            device
        }
    };
    if let Some(saved) = &saved
        && saved.user_id != device.user_id
    {
        bail!(
            "the Matrix store in {} belongs to {}, not {}: move it away to start the new account afresh",
            dir.display(),
            saved.user_id,
            device.user_id
        );
    }
    if saved.as_ref() != Some(&device) {
        write_device(dir, &device)?;
    }
    tracing::info!(user = %device.user_id, device = %device.device_id, "logged in to Matrix");
    Ok(client)
}

/// Whether `configured` (a full id or a local part) names `saved`.
fn same_user(saved: &OwnedUserId, configured: &str) -> bool {
    let configured = configured.trim();
    saved.as_str() == configured || saved.localpart() == configured.trim_start_matches('@').trim()
}

fn read_device(dir: &Path) -> anyhow::Result<Option<Device>> {
    let path = dir.join(DEVICE_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .with_context(|| format!("reading {}", path.display())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err).with_context(|| format!("reading {}", path.display())),
    }
}

fn write_device(dir: &Path, device: &Device) -> anyhow::Result<()> {
    let path = dir.join(DEVICE_FILE);
    let text = serde_json::to_string_pretty(device)?;
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
}

#[derive(Deserialize)]
struct WhoAmI {
    user_id: OwnedUserId,
    device_id: Option<OwnedDeviceId>,
}

/// The user and device an access token belongs to.
async fn whoami(homeserver: &str, token: &str) -> anyhow::Result<Device> {
    let url = format!(
        "{}/_matrix/client/v3/account/whoami",
        homeserver.trim_end_matches('/')
    );
    let response = matrix_sdk::reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?
        .get(&url)
        .bearer_auth(token)
        .send()
        .await
        .context("asking the homeserver whose access token MATRIX_ACCESS_TOKEN is")?;
    let status = response.status();
    let body = response.bytes().await?;
    if !status.is_success() {
        bail!("the homeserver refused MATRIX_ACCESS_TOKEN ({status})");
    }
    let who: WhoAmI =
        serde_json::from_slice(&body).context("reading the homeserver's whoami answer")?;
    let Some(device_id) = who.device_id else {
        bail!(
            "MATRIX_ACCESS_TOKEN belongs to no device, and encryption needs one: log in with MATRIX_PASSWORD instead"
        );
    };
    Ok(Device {
        user_id: who.user_id,
        device_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_device_file_round_trips_and_names_its_user() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(read_device(dir.path()).expect("no file is fine"), None);
        let device = Device {
            user_id: "@quarry:example.org".try_into().expect("user id"),
            device_id: "ABCDEFGHIJ".into(),
        };
        write_device(dir.path(), &device).expect("write");
        assert_eq!(read_device(dir.path()).expect("read"), Some(device.clone()));
        assert!(same_user(&device.user_id, "@quarry:example.org"));
        assert!(same_user(&device.user_id, "quarry"));
        assert!(!same_user(&device.user_id, "@other:example.org"));
        std::fs::write(dir.path().join(DEVICE_FILE), "{").expect("write");
        assert!(read_device(dir.path()).is_err());
    }
}
