//! A fake of Discord's REST API and gateway, enough for serenity to connect,
//! register commands and answer interactions. Every REST request is
//! recorded so tests can check what the bot sent.
//!
//! Gateway: HELLO, IDENTIFY → READY, RESUME → RESUMED, heartbeats → ACK, and
//! dispatches pushed by the test. REST: `/gateway`, `/gateway/bot`, command
//! registration, interaction callbacks, webhook followups and edits, and
//! channel messages.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio::sync::{Mutex, Notify, mpsc};

pub const APP_ID: u64 = 900_000_000_000_000_001;
pub const BOT_ID: u64 = 900_000_000_000_000_002;
pub const GUILD_ID: u64 = 900_000_000_000_000_003;
pub const CHANNEL_ID: u64 = 900_000_000_000_000_004;

/// One REST request the bot made.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    pub path: String,
    pub body: Value,
    /// When the fake received it.
    pub at: std::time::Instant,
}

/// What the test asks the current gateway connection to do.
enum GatewayCommand {
    Dispatch { event: String, data: Value },
    Close { code: u16 },
}

#[derive(Default)]
struct Shared {
    requests: Mutex<Vec<Request>>,
    changed: Notify,
    connection: Mutex<Option<mpsc::UnboundedSender<GatewayCommand>>>,
    /// Gateway opcodes received from the bot, in order.
    opcodes: Mutex<Vec<u64>>,
    next_id: AtomicU64,
    base_url: std::sync::OnceLock<String>,
}

impl Shared {
    fn ws_url(&self) -> String {
        let base = self.base_url.get().expect("set at start");
        format!("{}/gateway-ws", base.replacen("http", "ws", 1))
    }

    fn id(&self) -> u64 {
        1_000_000 + self.next_id.fetch_add(1, Ordering::Relaxed)
    }
}

pub struct FakeDiscord {
    pub base_url: String,
    shared: Arc<Shared>,
}

impl FakeDiscord {
    pub async fn start() -> FakeDiscord {
        let shared = Arc::new(Shared::default());
        let app = Router::new()
            .route("/gateway-ws", get(gateway))
            .fallback(any(rest))
            .with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake");
        let base_url = format!("http://{}", listener.local_addr().expect("address"));
        shared.base_url.set(base_url.clone()).expect("set once");
        tokio::spawn(async move {
            axum::serve(listener, app).await.expect("fake serves");
        });
        FakeDiscord { base_url, shared }
    }

    pub async fn requests(&self) -> Vec<Request> {
        self.shared.requests.lock().await.clone()
    }

    pub async fn opcodes(&self) -> Vec<u64> {
        self.shared.opcodes.lock().await.clone()
    }

    /// Waits until a recorded request satisfies `matches`, returning it.
    pub async fn wait_for(
        &self,
        what: &str,
        timeout: Duration,
        matches: impl Fn(&Request) -> bool,
    ) -> Request {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let changed = self.shared.changed.notified();
            if let Some(found) = self
                .shared
                .requests
                .lock()
                .await
                .iter()
                .find(|r| matches(r))
            {
                return found.clone();
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                let seen: Vec<String> = self
                    .requests()
                    .await
                    .iter()
                    .map(|r| format!("{} {}", r.method, r.path))
                    .collect();
                panic!("timed out waiting for {what}; requests seen: {seen:#?}");
            }
        }
    }

    /// Waits until the bot is connected (READY sent) and has registered its commands.
    pub async fn wait_until_ready(&self) -> Request {
        self.wait_for("command registration", Duration::from_secs(60), |r| {
            r.method == Method::PUT && r.path.ends_with("/commands")
        })
        .await
    }

    /// Hands `command` to the current gateway connection, waiting for one
    /// while the bot is (re)connecting.
    async fn send(&self, mut command: GatewayCommand) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let connection = self.shared.connection.lock().await.clone();
            if let Some(tx) = connection {
                match tx.send(command) {
                    Ok(()) => return,
                    Err(mpsc::error::SendError(unsent)) => command = unsent,
                }
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no gateway connection"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn dispatch(&self, event: &str, data: Value) {
        self.send(GatewayCommand::Dispatch {
            event: event.to_string(),
            data,
        })
        .await;
    }

    /// Closes the gateway connection with `code` (4000 is resumable). Later
    /// dispatches wait for the bot to connect again.
    pub async fn close_gateway(&self, code: u16) {
        let connection = self.shared.connection.lock().await.take();
        let tx = connection.expect("a gateway connection to close");
        tx.send(GatewayCommand::Close { code })
            .expect("the connection is open");
    }

    /// Sends a slash command; returns the interaction id.
    pub async fn slash_command(&self, user: &Member, name: &str, options: Value) -> u64 {
        let id = self.shared.id();
        let data = json!({"id": "800", "name": name, "type": 1, "options": options});
        self.dispatch("INTERACTION_CREATE", interaction(id, 2, data, user, None))
            .await;
        id
    }

    /// Sends an autocomplete request for `option` of `command`; returns its id.
    pub async fn autocomplete(
        &self,
        user: &Member,
        command: &str,
        option: &str,
        typed: &str,
    ) -> u64 {
        let id = self.shared.id();
        let data = json!({"id": "800", "name": command, "type": 1, "options": [
            {"name": option, "type": 3, "value": typed, "focused": true}
        ]});
        self.dispatch("INTERACTION_CREATE", interaction(id, 4, data, user, None))
            .await;
        id
    }

    /// Clicks button `custom_id` on `message` (a message object the bot sent).
    pub async fn click(&self, user: &Member, message: Value, custom_id: &str) -> u64 {
        let id = self.shared.id();
        let data = json!({"custom_id": custom_id, "component_type": 2});
        self.dispatch(
            "INTERACTION_CREATE",
            interaction(id, 3, data, user, Some(message)),
        )
        .await;
        id
    }

    /// Posts a channel message from `user`, mentioning the bot when `mention`.
    pub async fn message(&self, user: &Member, content: &str, mention: bool) -> u64 {
        let id = self.shared.id();
        let mentions = if mention {
            vec![bot_user()]
        } else {
            Vec::new()
        };
        let mut data = message_object(id, &user.user(), json!({"content": content}));
        data["mentions"] = json!(mentions);
        data["guild_id"] = json!(GUILD_ID.to_string());
        self.dispatch("MESSAGE_CREATE", data).await;
        id
    }

    /// The response the bot gave to interaction `id`.
    pub async fn callback(&self, id: u64) -> Request {
        let path = format!("/api/v10/interactions/{id}/");
        self.wait_for(&format!("callback to {id}"), Duration::from_secs(20), |r| {
            r.path.starts_with(&path)
        })
        .await
    }

    /// A message object as Discord would hold it after the bot sent `data`.
    pub fn sent_message(&self, data: &Value) -> Value {
        message_object(self.shared.id(), &bot_user(), data.clone())
    }
}

/// A guild member the test acts as.
#[derive(Clone)]
pub struct Member {
    pub id: u64,
    /// Permission bits as Discord sends them ("32" is Manage Server).
    pub permissions: &'static str,
    pub roles: Vec<u64>,
}

impl Member {
    pub fn new(id: u64) -> Member {
        Member {
            id,
            permissions: "0",
            roles: Vec::new(),
        }
    }

    fn user(&self) -> Value {
        json!({"id": self.id.to_string(), "username": format!("user{}", self.id),
               "discriminator": "0", "global_name": null, "avatar": null})
    }

    fn object(&self) -> Value {
        json!({"user": self.user(), "roles": self.roles.iter().map(u64::to_string).collect::<Vec<_>>(),
               "joined_at": "2024-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false,
               "flags": 0, "permissions": self.permissions})
    }
}

fn bot_user() -> Value {
    json!({"id": BOT_ID.to_string(), "username": "Quarry", "discriminator": "0",
           "global_name": null, "avatar": null, "bot": true})
}

fn interaction(id: u64, kind: u8, data: Value, user: &Member, message: Option<Value>) -> Value {
    let mut interaction = json!({
        "id": id.to_string(), "application_id": APP_ID.to_string(), "type": kind,
        "data": data, "guild_id": GUILD_ID.to_string(), "channel_id": CHANNEL_ID.to_string(),
        "member": user.object(), "token": format!("itoken{id}"), "version": 1,
        "app_permissions": "0", "locale": "en-US", "guild_locale": "en-US",
        "entitlements": [], "authorizing_integration_owners": {}, "context": 0,
        "attachment_size_limit": 8_388_608
    });
    if let Some(message) = message {
        interaction["message"] = message;
    }
    interaction
}

fn message_object(id: u64, author: &Value, sent: Value) -> Value {
    let field = |name: &str, default: Value| sent.get(name).cloned().unwrap_or(default);
    json!({
        "id": id.to_string(), "channel_id": CHANNEL_ID.to_string(), "author": author,
        "content": field("content", json!("")), "timestamp": "2025-01-01T00:00:00.000000+00:00",
        "edited_timestamp": null, "tts": false, "mention_everyone": false, "mentions": [],
        "mention_roles": [], "attachments": [], "embeds": field("embeds", json!([])),
        "pinned": false, "type": 0, "components": field("components", json!([])),
        "flags": field("flags", json!(0)), "application_id": APP_ID.to_string()
    })
}

async fn rest(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    let at = std::time::Instant::now();
    let path = uri.path().to_string();
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let response = route(&shared, &method, &path, &body);
    shared.requests.lock().await.push(Request {
        method,
        path,
        body,
        at,
    });
    shared.changed.notify_waiters();
    response
}

fn route(shared: &Shared, method: &Method, path: &str, body: &Value) -> Response {
    let ws_url = shared.ws_url();
    let segments: Vec<&str> = path.trim_start_matches("/api/v10/").split('/').collect();
    match (method.as_str(), segments.as_slice()) {
        ("GET", ["gateway"]) => axum::Json(json!({"url": ws_url})).into_response(),
        ("GET", ["gateway", "bot"]) => axum::Json(json!({
            "url": ws_url, "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        }))
        .into_response(),
        ("PUT", ["applications", _, "commands"])
        | ("PUT", ["applications", _, "guilds", _, "commands"]) => {
            let commands: Vec<Value> = body
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|mut c| {
                    c["id"] = json!(shared.id().to_string());
                    c["application_id"] = json!(APP_ID.to_string());
                    c["version"] = json!("1");
                    if c.get("type").is_none() {
                        c["type"] = json!(1);
                    }
                    c
                })
                .collect();
            axum::Json(Value::Array(commands)).into_response()
        }
        ("POST", ["interactions", _, _, "callback"]) => StatusCode::NO_CONTENT.into_response(),
        ("POST", ["webhooks", _, _]) | ("PATCH", ["webhooks", _, _, "messages", _]) => {
            axum::Json(message_object(shared.id(), &bot_user(), body.clone())).into_response()
        }
        ("GET", ["webhooks", _, _, "messages", _]) => {
            axum::Json(message_object(shared.id(), &bot_user(), json!({}))).into_response()
        }
        ("POST", ["channels", _, "messages"]) => {
            axum::Json(message_object(shared.id(), &bot_user(), body.clone())).into_response()
        }
        _ => (
            StatusCode::NOT_FOUND,
            axum::Json(json!({"message": "Unknown route in the fake", "code": 0})),
        )
            .into_response(),
    }
}

async fn gateway(State(shared): State<Arc<Shared>>, upgrade: WebSocketUpgrade) -> Response {
    upgrade.on_upgrade(move |socket| connection(shared, socket))
}

/// One gateway connection, from HELLO until the bot or the test closes it.
async fn connection(shared: Arc<Shared>, mut socket: WebSocket) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let hello = json!({"op": 10, "d": {"heartbeat_interval": 41250}});
    if socket
        .send(Message::Text(hello.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    let mut seq = 0u64;
    loop {
        tokio::select! {
            incoming = socket.next() => {
                let Some(Ok(Message::Text(text))) = incoming else { break };
                let Ok(payload) = serde_json::from_str::<Value>(&text) else { continue };
                let op = payload["op"].as_u64().unwrap_or(u64::MAX);
                shared.opcodes.lock().await.push(op);
                let reply = match op {
                    1 => Some(json!({"op": 11})),
                    2 => {
                        seq += 1;
                        Some(json!({"op": 0, "t": "READY", "s": seq, "d": {
                            "v": 10, "user": bot_user(), "guilds": [],
                            "session_id": "fake-session", "resume_gateway_url": shared.ws_url(),
                            "shard": [0, 1], "application": {"id": APP_ID.to_string(), "flags": 0}
                        }}))
                    }
                    6 => {
                        seq += 1;
                        Some(json!({"op": 0, "t": "RESUMED", "s": seq, "d": {}}))
                    }
                    _ => None,
                };
                if let Some(reply) = reply {
                    if socket.send(Message::Text(reply.to_string().into())).await.is_err() {
                        break;
                    }
                    if op == 2 || op == 6 {
                        *shared.connection.lock().await = Some(tx.clone());
                    }
                }
            }
            command = rx.recv() => match command {
                Some(GatewayCommand::Dispatch { event, data }) => {
                    seq += 1;
                    let payload = json!({"op": 0, "t": event, "s": seq, "d": data});
                    if socket.send(Message::Text(payload.to_string().into())).await.is_err() {
                        break;
                    }
                }
                Some(GatewayCommand::Close { code }) => {
                    let frame = CloseFrame { code, reason: "closed by the test".into() };
                    let _ = socket.send(Message::Close(Some(frame))).await;
                    break;
                }
                None => break,
            }
        }
    }
}
