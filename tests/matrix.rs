//! The real `quarry serve` in Matrix rooms on a real Synapse (see
//! `support/synapse.rs`), with matrix-sdk as the human's client: invites,
//! an encrypted and a plain room, commands, mentions, threads, replies that
//! mention nobody and escape corpus text, feedback reactions, a restart on
//! the same device, a homeserver restart, and a clean stop.

// matrix-sdk's sync future is deep for the compiler's Send check.
#![recursion_limit = "256"]

// Each test uses only part of the support code.
#[allow(dead_code)]
mod support;
#[path = "support/synapse.rs"]
mod synapse;

use std::time::{Duration, Instant};

use matrix_sdk::Client;
use matrix_sdk::config::SyncSettings;
use matrix_sdk::deserialized_responses::EncryptionInfo;
use matrix_sdk::room::Room;
use matrix_sdk::ruma::api::client::room::create_room::v3::Request as CreateRoom;
use matrix_sdk::ruma::events::reaction::ReactionEventContent;
use matrix_sdk::ruma::events::relation::{Annotation, Thread};
use matrix_sdk::ruma::events::room::encryption::RoomEncryptionEventContent;
use matrix_sdk::ruma::events::room::member::MembershipState;
use matrix_sdk::ruma::events::room::message::{
    MessageType, OriginalSyncRoomMessageEvent, Relation, RoomMessageEventContent,
};
use matrix_sdk::ruma::events::{InitialStateEvent, Mentions};
use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId, OwnedUserId, UserId};
use serde_json::Value;
use support::bot_process::BotProcess;
use synapse::{SERVER_NAME, Synapse};
use tokio::sync::mpsc;

const BOT: &str = "quarry";
const BOT_PASSWORD: &str = "bot-secret-Zq93";
const ANA: &str = "ana";
const EVE: &str = "eve";
const PASSWORD: &str = "human-pass";

const SUMMIT: &str = "When was the C5+1 summit at the White House held?";
/// A document whose text must show as text: markup and a room mention.
const WIDGETS: &str = "# Zorblax widget notes\n\nThe Zorblax widget prints <script>alert(1)</script> and tells @room when its gauge passes forty units.\n";

fn user_id(name: &str) -> OwnedUserId {
    UserId::parse(format!("@{name}:{SERVER_NAME}")).expect("a user id")
}

/// One message the human's client saw, decrypted when it was encrypted.
struct Seen {
    room: OwnedRoomId,
    event: OriginalSyncRoomMessageEvent,
    encryption: Option<EncryptionInfo>,
}

/// A human's logged-in, syncing client and the messages it sees.
struct Human {
    client: Client,
    seen: mpsc::UnboundedReceiver<Seen>,
}

impl Human {
    async fn login(synapse: &Synapse, name: &str) -> Human {
        let client = Client::builder()
            .homeserver_url(&synapse.url)
            .build()
            .await
            .expect("client");
        client
            .matrix_auth()
            .login_username(name, PASSWORD)
            .send()
            .await
            .expect("log in");
        let (tx, seen) = mpsc::unbounded_channel();
        client.add_event_handler(
            move |event: OriginalSyncRoomMessageEvent,
                  room: Room,
                  encryption: Option<EncryptionInfo>| {
                let tx = tx.clone();
                async move {
                    let _ = tx.send(Seen {
                        room: room.room_id().to_owned(),
                        event,
                        encryption,
                    });
                }
            },
        );
        // A sync ends at its first error (the homeserver restarting): start
        // it again.
        let syncing = client.clone();
        tokio::spawn(async move {
            loop {
                let _ = syncing.sync(SyncSettings::default()).await;
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        });
        Human { client, seen }
    }

    async fn create_room(&self, name: &str, encrypted: bool) -> Room {
        let mut request = CreateRoom::new();
        request.name = Some(name.to_string());
        request.invite = vec![user_id(BOT)];
        if encrypted {
            request.initial_state = vec![
                InitialStateEvent::with_empty_state_key(
                    RoomEncryptionEventContent::with_recommended_defaults(),
                )
                .to_raw_any(),
            ];
        }
        self.client
            .create_room(request)
            .await
            .expect("create a room")
    }

    async fn send(&self, room: &Room, content: RoomMessageEventContent) -> OwnedEventId {
        room.send(content).await.expect("send").response.event_id
    }

    /// Sends `text` to `room` as a plain message; the bot's notice in reply
    /// (plain body and HTML) and the question's event id.
    async fn command(&mut self, room: &Room, text: &str) -> (OwnedEventId, String, String) {
        let asked = self
            .send(room, RoomMessageEventContent::text_plain(text))
            .await;
        let (body, html) = notice(&self.reply_to(room, &asked).await);
        (asked, body, html)
    }

    /// The bot's reply to `question`: a rich reply, or a reply in its thread.
    async fn reply_to(&mut self, room: &Room, question: &OwnedEventId) -> Seen {
        let mut replies = self.replies_to(room, std::slice::from_ref(question)).await;
        replies.pop().expect("one reply")
    }

    /// The bot's replies to each of `questions`, in the order they came.
    async fn replies_to(&mut self, room: &Room, questions: &[OwnedEventId]) -> Vec<Seen> {
        let deadline = Instant::now() + Duration::from_secs(90);
        let mut replies: Vec<Seen> = Vec::new();
        while replies.len() < questions.len() {
            let left = deadline.saturating_duration_since(Instant::now());
            let seen = tokio::time::timeout(left, self.seen.recv())
                .await
                .unwrap_or_else(|_| {
                    panic!(
                        "{} of {} questions answered within 90 s",
                        replies.len(),
                        questions.len()
                    )
                })
                .expect("the client is syncing");
            let answers = replied_to(&seen.event).is_some_and(|q| questions.contains(&q));
            if seen.room == room.room_id() && seen.event.sender == user_id(BOT) && answers {
                replies.push(seen);
            }
        }
        replies
    }
}

/// The event a message replies to, in a thread or not.
fn replied_to(event: &OriginalSyncRoomMessageEvent) -> Option<OwnedEventId> {
    match &event.content.relates_to {
        Some(Relation::Reply(reply)) => Some(reply.in_reply_to.event_id.clone()),
        Some(Relation::Thread(thread)) => thread.in_reply_to.as_ref().map(|r| r.event_id.clone()),
        _ => None,
    }
}

/// The plain body and HTML body of a bot reply, checking it is a notice
/// that mentions nobody.
fn notice(seen: &Seen) -> (String, String) {
    let content = &seen.event.content;
    let MessageType::Notice(notice) = &content.msgtype else {
        panic!("not an m.notice: {:?}", content.msgtype);
    };
    let mentions = content.mentions.as_ref().expect("an m.mentions");
    assert!(
        mentions.user_ids.is_empty() && !mentions.room,
        "an empty m.mentions: {mentions:?}"
    );
    let html = notice
        .formatted
        .as_ref()
        .map(|f| f.body.clone())
        .expect("an HTML formatted_body");
    (notice.body.clone(), html)
}

/// `file:line` of the first quote `quarry ask` gives for `question`, from
/// the command line on the same corpus.
fn expected_citation(bot: &BotProcess, question: &str) -> String {
    let data = tempfile::tempdir().expect("temp dir");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_quarry"))
        .args(["ask", "--json", question, "--corpus"])
        .arg(bot.corpus())
        .env("QUARRY_DATA_DIR", data.path())
        .output()
        .expect("run quarry ask");
    assert!(output.status.success(), "{output:?}");
    let answer: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let quote = &answer["quotes"][0];
    let (start, end) = (quote["line_start"].as_u64(), quote["line_end"].as_u64());
    let file = quote["file"].as_str().expect("a cited file");
    match (start, end) {
        (Some(s), Some(e)) if e > s => format!("{file}:{s}-{e}"),
        (Some(s), _) => format!("{file}:{s}"),
        _ => panic!("no line in {quote}"),
    }
}

/// Waits until `user` has `membership` in `room`, as the human's client sees it.
async fn wait_for_membership(room: &Room, user: &UserId, membership: MembershipState) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(Some(member)) = room.get_member_no_sync(user).await
            && *member.membership() == membership
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("{user} never got {membership:?} in {}", room.room_id());
}

fn device_id(bot: &BotProcess) -> String {
    let text = std::fs::read_to_string(bot.data_dir().join("matrix/device.json"))
        .expect("the bot keeps its device id");
    let device: Value = serde_json::from_str(&text).expect("JSON");
    device["device_id"].as_str().expect("device_id").to_string()
}

/// The bot's Prometheus metrics.
async fn read_metrics(bot: &BotProcess) -> String {
    reqwest::get(format!("http://{}/metrics", bot.health_address()))
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text")
}

async fn health(bot: &BotProcess) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        // Read each time: a restarted bot logs its new address.
        if bot.log().contains("health and metrics listening") {
            let listen = bot.health_address();
            let response = reqwest::get(format!("http://{listen}/healthz")).await;
            if let Ok(response) = response
                && response.status() == 200
            {
                return response.json().await.expect("JSON");
            }
        }
        assert!(Instant::now() < deadline, "never healthy:\n{}", bot.log());
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_bot_answers_in_matrix_rooms() {
    let mut synapse = Synapse::start().await;
    synapse.register(BOT, BOT_PASSWORD);
    synapse.register(ANA, PASSWORD);
    synapse.register(EVE, PASSWORD);
    let inviters = format!("[\"@{ANA}:{SERVER_NAME}\"]");
    let mut bot = BotProcess::start_with(
        &[
            ("DISCORD_TOKEN", ""),
            ("QUARRY_MATRIX_HOMESERVER", &synapse.url),
            ("QUARRY_MATRIX_USER", BOT),
            ("MATRIX_PASSWORD", BOT_PASSWORD),
            ("QUARRY_MATRIX_ALLOWED_INVITERS", &inviters),
            ("QUARRY_HTTP_LISTEN", "127.0.0.1:0"),
            // More questions than the default limit allows in 30 s.
            ("QUARRY_DISCORD_RATE_LIMIT_QUESTIONS", "100"),
        ],
        &[("widgets.md", WIDGETS)],
    );
    let body = health(&bot).await;
    assert_eq!(body["platforms"][0]["platform"], "matrix", "{body}");

    let mut ana = Human::login(&synapse, ANA).await;
    let eve = Human::login(&synapse, EVE).await;
    let plain = ana.create_room("plain", false).await;
    let secret = ana.create_room("encrypted", true).await;
    let refused = eve.create_room("not allowed", false).await;
    for room in [&plain, &secret] {
        wait_for_membership(room, &user_id(BOT), MembershipState::Join).await;
    }
    wait_for_membership(&refused, &user_id(BOT), MembershipState::Leave).await;

    // `!quarry ask` in both rooms: the cited file and line, as a rich reply.
    let citation = expected_citation(&bot, SUMMIT);
    let mut devices = Vec::new();
    for room in [&plain, &secret] {
        let asked = ana
            .send(
                room,
                RoomMessageEventContent::text_plain(format!("!quarry ask {SUMMIT}")),
            )
            .await;
        let seen = ana.reply_to(room, &asked).await;
        assert!(
            matches!(seen.event.content.relates_to, Some(Relation::Reply(_))),
            "a rich reply"
        );
        let (plain_body, html) = notice(&seen);
        assert!(plain_body.contains(&citation), "{citation} in {plain_body}");
        assert!(html.contains(&format!("<code>{citation}</code>")), "{html}");
        assert!(html.contains("<blockquote>"), "{html}");
        if room.room_id() == secret.room_id() {
            let encryption = seen.encryption.as_ref().expect("the reply was encrypted");
            devices.push(encryption.sender_device.clone().expect("a sender device"));
        }
    }
    let device = device_id(&bot);
    assert_eq!(devices[0].as_str(), device);

    // A mention is a question.
    let mentioned = ana
        .send(
            &plain,
            RoomMessageEventContent::text_plain(format!("{BOT}: {SUMMIT}"))
                .add_mentions(Mentions::with_user_ids([user_id(BOT)])),
        )
        .await;
    let (body, _) = notice(&ana.reply_to(&plain, &mentioned).await);
    assert!(body.contains(&citation), "{body}");

    // A question in a thread is answered in that thread.
    let root = ana
        .send(
            &plain,
            RoomMessageEventContent::text_plain("Summit questions"),
        )
        .await;
    let mut in_thread = RoomMessageEventContent::text_plain(format!("!quarry ask {SUMMIT}"));
    in_thread.relates_to = Some(Relation::Thread(Thread::plain(root.clone(), root.clone())));
    let asked = ana.send(&plain, in_thread).await;
    let seen = ana.reply_to(&plain, &asked).await;
    match &seen.event.content.relates_to {
        Some(Relation::Thread(thread)) => {
            assert_eq!(thread.event_id, root);
            assert!(!thread.is_falling_back, "a real reply inside the thread");
        }
        other => panic!("not in the thread: {other:?}"),
    }

    // Corpus text shows as text: no markup, no room mention.
    let (_, body, html) = ana.command(&secret, "!quarry search Zorblax").await;
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(!html.contains("<script>"), "{html}");
    assert!(!body.contains("@room") && !html.contains("@room"), "{body}");
    assert!(body.contains("<script>alert(1)</script>"), "{body}");

    // A question the documents cannot answer gets a polite reply.
    let (_, body, _) = ana
        .command(
            &plain,
            "!quarry ask What is the airspeed velocity of an unladen swallow?",
        )
        .await;
    assert!(
        body.starts_with("Sorry, the documents hold no answer"),
        "{body}"
    );

    // 👍 on an answer is feedback, recorded with the platform.
    let asked = ana
        .send(
            &secret,
            RoomMessageEventContent::text_plain(format!("!quarry ask {SUMMIT}")),
        )
        .await;
    let answer = ana.reply_to(&secret, &asked).await.event.event_id;
    secret
        .send(ReactionEventContent::new(Annotation::new(
            answer,
            "👍".into(),
        )))
        .await
        .expect("react");
    let feedback = bot.data_dir().join("feedback.jsonl");
    let deadline = Instant::now() + Duration::from_secs(30);
    let line: Value = loop {
        if let Some(line) = std::fs::read_to_string(&feedback)
            .ok()
            .and_then(|text| text.lines().last().map(str::to_string))
        {
            break serde_json::from_str(&line).expect("a JSON line");
        }
        assert!(Instant::now() < deadline, "no feedback:\n{}", bot.log());
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert_eq!(line["platform"], "matrix");
    assert_eq!(line["vote"], "up");
    assert_eq!(line["user_id"], format!("@{ANA}:{SERVER_NAME}"));

    // A timeline, then its next page with `!quarry more` in the question's thread.
    let (asked, body, _) = ana.command(&plain, "!quarry timeline").await;
    assert!(body.contains("Summary:"), "{body}");
    let mut more = RoomMessageEventContent::text_plain("!quarry more");
    more.relates_to = Some(Relation::Thread(Thread::plain(
        asked.clone(),
        asked.clone(),
    )));
    let more = ana.send(&plain, more).await;
    let (body, _) = notice(&ana.reply_to(&plain, &more).await);
    assert!(body.contains("Page 1 of"), "{body}");

    // The homeserver lets the bot send one message a second: three questions
    // at once still get three answers, the later ones sent again after the
    // wait M_LIMIT_EXCEEDED asks for.
    let admin = synapse.admin_token().await;
    let bot_id = format!("@{BOT}:{SERVER_NAME}");
    synapse.limit_messages(&admin, &bot_id, 1, 1).await;
    let mut asked = Vec::new();
    for _ in 0..3 {
        let question = RoomMessageEventContent::text_plain(format!("!quarry ask {SUMMIT}"));
        asked.push(ana.send(&plain, question).await);
    }
    for seen in ana.replies_to(&plain, &asked).await {
        let (body, _) = notice(&seen);
        assert!(body.contains(&citation), "{body}");
    }
    let limited = synapse.log_lines_with(&[&bot_id, " 429 ", "/send/m.room.message/"]);
    assert!(limited > 0, "the homeserver never limited the bot");
    synapse.limit_messages(&admin, &bot_id, 0, 0).await;

    let metrics = read_metrics(&bot).await;
    assert!(
        metrics.contains("quarry_questions_answered_total{platform=\"matrix\"}"),
        "{metrics}"
    );

    // SIGTERM stops the bot cleanly; started again, it is the same device
    // with the same keys, and answers in the encrypted room.
    let status = bot.restart();
    assert!(status.success(), "SIGTERM exit: {status:?}\n{}", bot.log());
    health(&bot).await;
    assert_eq!(device_id(&bot), device, "the device id survives a restart");
    let asked = ana
        .send(
            &secret,
            RoomMessageEventContent::text_plain(format!("!quarry ask {SUMMIT}")),
        )
        .await;
    let seen = ana.reply_to(&secret, &asked).await;
    let (body, _) = notice(&seen);
    assert!(body.contains(&citation), "{body}");
    let encryption = seen.encryption.as_ref().expect("encrypted");
    assert_eq!(
        encryption.sender_device.as_ref().map(|d| d.as_str()),
        Some(device.as_str())
    );

    // The homeserver goes down: the bot reports the lost connection; it
    // comes back: the bot reconnects and answers again.
    synapse.kill();
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let response = reqwest::get(format!("http://{}/healthz", bot.health_address()))
            .await
            .expect("healthz");
        if response.status() == 503 {
            let body: Value = response.json().await.expect("JSON");
            assert_eq!(body["reason"], "not connected to the Matrix homeserver");
            break;
        }
        assert!(Instant::now() < deadline, "never noticed:\n{}", bot.log());
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    synapse.start_again().await;
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let metrics = read_metrics(&bot).await;
        if metrics.contains("quarry_gateway_reconnects_total{platform=\"matrix\"} 1") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no reconnect:\n{metrics}\n{}",
            bot.log()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    health(&bot).await;
    let (_, body, _) = ana.command(&plain, &format!("!quarry ask {SUMMIT}")).await;
    assert!(body.contains(&citation), "{body}");

    let log = bot.log();
    assert!(!log.contains(BOT_PASSWORD), "the password is never logged");
    let status = bot.terminate();
    assert!(status.success(), "SIGTERM exit: {status:?}");
}
