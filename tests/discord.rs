//! The real `quarry serve` against a fake Discord: registration, every
//! command, buttons, autocomplete, refusals, the rate limit, mentions and a
//! gateway resume.

// Each test uses only part of the support code.
#[allow(dead_code)]
mod support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use axum::http::Method;
use serde_json::{Value, json};
use support::bot_process::{BotProcess, TOKEN};
use support::fake_discord::{CHANNEL_ID, FakeDiscord, Member};
use support::made_up;

/// Interaction callback types, from Discord's API reference.
const REPLY: u64 = 4;
const DEFERRED: u64 = 5;
const UPDATE_MESSAGE: u64 = 7;
const AUTOCOMPLETE_RESULT: u64 = 8;
/// The "only you can see this" message flag.
const EPHEMERAL: u64 = 64;

const ALICE: u64 = 501;
const BOB: u64 = 502;
/// Made-up documents added before `/reindex`, so it takes a while.
const REINDEX_FILLERS: usize = 80;

async fn start(settings: &[(&str, &str)]) -> (FakeDiscord, BotProcess) {
    let fake = FakeDiscord::start().await;
    let bot = BotProcess::start(&fake.base_url, settings);
    fake.wait_until_ready().await;
    (fake, bot)
}

fn ask(question: &str) -> Value {
    json!([{"name": "question", "type": 3, "value": question}])
}

/// Asks `question` as `member`; returns the bot's callback.
async fn asked(
    fake: &FakeDiscord,
    member: &Member,
    question: &str,
) -> support::fake_discord::Request {
    let id = fake.slash_command(member, "ask", ask(question)).await;
    fake.callback(id).await
}

/// The callback's message data, checking it can never ping anyone.
fn message_data(callback: &support::fake_discord::Request) -> &Value {
    let data = &callback.body["data"];
    let mentions = &data["allowed_mentions"];
    assert_eq!(mentions["parse"], json!([]), "{callback:?}");
    assert_eq!(mentions["users"], json!([]), "{callback:?}");
    assert_eq!(mentions["roles"], json!([]), "{callback:?}");
    data
}

fn description(data: &Value) -> String {
    data["embeds"][0]["description"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn content(data: &Value) -> &str {
    data["content"].as_str().unwrap_or_default()
}

fn is_ephemeral(data: &Value) -> bool {
    data["flags"].as_u64().unwrap_or(0) & EPHEMERAL != 0
}

fn button_ids(data: &Value) -> Vec<String> {
    data["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn registers_all_commands_and_answers_with_a_cited_quote() {
    let (fake, bot) = start(&[]).await;
    let registration = fake.wait_until_ready().await;
    let names: BTreeSet<&str> = registration
        .body
        .as_array()
        .expect("a list of commands")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from([
            "ask", "docs", "help", "reindex", "search", "source", "timeline"
        ])
    );
    assert!(
        registration
            .path
            .ends_with("/applications/900000000000000001/commands"),
        "global registration by default: {}",
        registration.path
    );

    let alice = Member::new(ALICE);
    let callback = asked(
        &fake,
        &alice,
        "When was the C5+1 summit at the White House held?",
    )
    .await;
    assert_eq!(callback.body["type"], REPLY);
    let data = message_data(&callback);
    let text = description(data);
    assert!(text.contains("November 6"), "{text}");
    assert!(text.contains("002_d0b6e18816bb1e79.txt:"), "{text}");
    assert!(!is_ephemeral(data));
    let footer = data["embeds"][0]["footer"]["text"]
        .as_str()
        .unwrap_or_default();
    assert!(footer.starts_with("Matched "), "{footer}");

    // The quoted line is in the cited file, as written.
    let quoted = text
        .lines()
        .find_map(|l| l.strip_prefix("> "))
        .expect("a block quote");
    let unescaped = quoted.replace(['\\', '…'], "");
    let file =
        std::fs::read_to_string(bot.corpus().join("002_d0b6e18816bb1e79.txt")).expect("read");
    let flat = file.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(unescaped.trim()), "{unescaped}");

    assert!(!bot.log().contains(TOKEN), "the token must never be logged");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unanswerable_question_is_a_friendly_reply() {
    let (fake, _bot) = start(&[]).await;
    let callback = asked(
        &fake,
        &Member::new(ALICE),
        "What is the boiling point of liquid nitrogen on Mars?",
    )
    .await;
    let data = message_data(&callback);
    let title = data["embeds"][0]["title"].as_str().unwrap_or_default();
    assert!(title.starts_with("Not in the corpus"), "{title}");
    assert!(button_ids(data).is_empty(), "no buttons on a non-answer");
}

#[tokio::test(flavor = "multi_thread")]
async fn more_sources_and_feedback_buttons() {
    let (fake, bot) = start(&[]).await;
    let alice = Member::new(ALICE);
    let callback = asked(&fake, &alice, "What is the C5+1?").await;
    let data = message_data(&callback).clone();
    let ids = button_ids(&data);
    let more = ids
        .iter()
        .find(|i| i.contains(":more:"))
        .expect("a More sources button");
    let up = ids
        .iter()
        .find(|i| i.ends_with(":up"))
        .expect("a 👍 button");
    let message = fake.sent_message(&data);

    let by_bob = fake.click(&Member::new(BOB), message.clone(), more).await;
    let refusal = fake.callback(by_bob).await;
    let refusal = message_data(&refusal);
    assert!(is_ephemeral(refusal));
    assert!(content(refusal).contains("Only the person who asked"));

    let by_alice = fake.click(&alice, message.clone(), more).await;
    let more_sources = fake.callback(by_alice).await;
    assert_eq!(more_sources.body["type"], REPLY);
    let more_data = message_data(&more_sources);
    assert!(is_ephemeral(more_data));
    let title = more_data["embeds"][0]["title"].as_str().unwrap_or_default();
    assert!(title.starts_with("More sources"), "{title}");
    assert_ne!(description(more_data), description(&data));

    let vote = fake.click(&Member::new(BOB), message, up).await;
    let thanks = fake.callback(vote).await;
    assert!(is_ephemeral(message_data(&thanks)));
    let feedback =
        std::fs::read_to_string(bot.data_dir().join("feedback.jsonl")).expect("feedback file");
    let entry: Value =
        serde_json::from_str(feedback.lines().next().expect("a line")).expect("json");
    assert_eq!(entry["vote"], "up");
    assert_eq!(entry["user_id"], BOB.to_string());
    assert!(
        entry["question"]
            .as_str()
            .unwrap_or_default()
            .contains("C5+1")
    );
    assert!(!entry["quotes"].as_array().expect("quotes").is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn timeline_pages_belong_to_the_caller() {
    let (fake, _bot) = start(&[]).await;
    let alice = Member::new(ALICE);
    let id = fake.slash_command(&alice, "timeline", json!([])).await;
    let callback = fake.callback(id).await;
    let data = message_data(&callback).clone();
    assert!(
        description(&data).starts_with("Summary:"),
        "{}",
        description(&data)
    );
    let next = button_ids(&data)
        .into_iter()
        .find(|i| i.ends_with(":1"))
        .expect("a ▶ button to page 1");
    let message = fake.sent_message(&data);

    let by_bob = fake.click(&Member::new(BOB), message.clone(), &next).await;
    assert!(is_ephemeral(message_data(&fake.callback(by_bob).await)));

    let by_alice = fake.click(&alice, message, &next).await;
    let page = fake.callback(by_alice).await;
    assert_eq!(page.body["type"], UPDATE_MESSAGE);
    let footer = page.body["data"]["embeds"][0]["footer"]["text"]
        .as_str()
        .unwrap_or_default();
    assert!(footer.starts_with("Page 1 of"), "{footer}");
    let page_text = description(message_data(&page));
    assert!(
        page_text.matches("\n— ").count() <= 10,
        "ten events per page"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn source_autocompletes_files_and_refuses_paths_outside_the_corpus() {
    let (fake, _bot) = start(&[]).await;
    let alice = Member::new(ALICE);
    let id = fake.autocomplete(&alice, "source", "file", "002").await;
    let callback = fake.callback(id).await;
    assert_eq!(callback.body["type"], AUTOCOMPLETE_RESULT);
    let choices = callback.body["data"]["choices"]
        .as_array()
        .expect("choices");
    assert!(!choices.is_empty() && choices.len() <= 25);
    assert!(
        choices
            .iter()
            .all(|c| c["value"].as_str().unwrap_or_default().contains("002"))
    );

    let options = json!([{"name": "file", "type": 3, "value": "../../etc/passwd"}]);
    let id = fake.slash_command(&alice, "source", options).await;
    let data = message_data(&fake.callback(id).await).clone();
    assert!(is_ephemeral(&data));
    let content = content(&data);
    assert!(content.contains("is not a file of the corpus"), "{content}");
    assert!(!content.contains("root:"), "nothing of the file is shown");

    let options = json!([
        {"name": "file", "type": 3, "value": "002_d0b6e18816bb1e79.txt"},
        {"name": "line", "type": 4, "value": 6}
    ]);
    let id = fake.slash_command(&alice, "source", options).await;
    let data = message_data(&fake.callback(id).await).clone();
    assert!(description(&data).contains("November 6"));
}

#[tokio::test(flavor = "multi_thread")]
async fn reindex_is_for_admins_and_defers_first() {
    let (fake, _bot) = start(&[]).await;
    let id = fake
        .slash_command(&Member::new(BOB), "reindex", json!([]))
        .await;
    let data = message_data(&fake.callback(id).await).clone();
    assert!(is_ephemeral(&data));
    assert!(content(&data).contains("Manage Server"));

    let admin = Member {
        permissions: "32",
        ..Member::new(ALICE)
    };
    let id = fake.slash_command(&admin, "reindex", json!([])).await;
    let deferred = fake.callback(id).await;
    assert_eq!(deferred.body["type"], DEFERRED);
    let token = format!("itoken{id}");
    let followup = fake
        .wait_for("the reindex report", Duration::from_secs(30), |r| {
            r.path.starts_with("/api/v10/webhooks/")
                && r.path.contains(&token)
                && r.method != Method::GET
        })
        .await;
    assert!(deferred.at <= followup.at, "deferred before the slow work");
    let content = content(&followup.body);
    assert!(content.starts_with("Reindexed 5 documents"), "{content}");
}

#[tokio::test(flavor = "multi_thread")]
async fn questions_asked_during_a_reindex_are_all_answered() {
    let (fake, bot) = start(&[]).await;
    // Enough made-up documents for the rebuild to take a while, and one new
    // fact that only the rebuilt index knows.
    for f in 0..REINDEX_FILLERS {
        std::fs::write(
            bot.corpus().join(format!("filler-{f:03}.txt")),
            made_up::document(100_000 + f * 1_000, 40),
        )
        .expect("write a filler");
    }
    std::fs::write(
        bot.corpus().join("harbor.txt"),
        "Harbor bulletin\n\nThe Kestrel Point lighthouse was relit on April 14, 2025, after repairs.\n",
    )
    .expect("write a corpus file");
    let admin = Member {
        permissions: "32",
        ..Member::new(ALICE)
    };
    let reindex = fake.slash_command(&admin, "reindex", json!([])).await;
    assert_eq!(fake.callback(reindex).await.body["type"], DEFERRED);
    let token = format!("itoken{reindex}");
    let is_report = |r: &support::fake_discord::Request| {
        r.path.starts_with("/api/v10/webhooks/")
            && r.path.contains(&token)
            && r.method != Method::GET
    };

    // Questions in a stream, each from its own user (no rate limit), until
    // two rounds after the report: every one gets an answer.
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut user = 10_000;
    let mut rounds_after = 0;
    let mut answered_at = Vec::new();
    while rounds_after < 2 {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for the reindex report"
        );
        let reported = fake.requests().await.iter().any(is_report);
        if reported {
            rounds_after += 1;
        }
        user += 2;
        let known = asked(
            &fake,
            &Member::new(user),
            "When was the C5+1 summit at the White House held?",
        )
        .await;
        let new = asked(
            &fake,
            &Member::new(user + 1),
            "When was the Kestrel Point lighthouse relit?",
        )
        .await;
        assert_eq!(known.body["type"], REPLY, "{known:?}");
        assert_eq!(new.body["type"], REPLY, "{new:?}");
        let known_data = message_data(&known);
        assert!(!is_ephemeral(known_data), "an error: {known_data}");
        assert!(
            description(known_data).contains("November 6"),
            "{known_data}"
        );
        let new_data = message_data(&new);
        assert!(!is_ephemeral(new_data), "an error: {new_data}");
        let title = new_data["embeds"][0]["title"].as_str().unwrap_or_default();
        let from_new_index = description(new_data).contains("April 14, 2025");
        assert!(
            from_new_index || title.starts_with("Not in the corpus"),
            "{new_data}"
        );
        // Asked once the report was out, it is answered from the new index.
        assert!(!reported || from_new_index, "{new_data}");
        answered_at.extend([known.at, new.at]);
    }
    let report = fake
        .requests()
        .await
        .into_iter()
        .find(is_report)
        .expect("the reindex report");
    assert!(
        answered_at.iter().any(|&at| at < report.at),
        "no question was answered while the index was rebuilt"
    );
    let content = content(&report.body);
    let documents = 5 + REINDEX_FILLERS + 1;
    assert!(
        content.starts_with(&format!("Reindexed {documents} documents")),
        "{content}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn questions_past_the_rate_limit_get_a_polite_wait() {
    let (fake, _bot) = start(&[
        ("QUARRY_DISCORD_RATE_LIMIT_QUESTIONS", "2"),
        ("QUARRY_DISCORD_RATE_LIMIT_SECONDS", "60"),
    ])
    .await;
    let alice = Member::new(ALICE);
    let mut replies = Vec::new();
    for _ in 0..3 {
        let id = fake
            .slash_command(&alice, "ask", ask("Who is Mirziyoyev?"))
            .await;
        replies.push(fake.callback(id).await);
    }
    assert!(!is_ephemeral(message_data(&replies[0])));
    assert!(!is_ephemeral(message_data(&replies[1])));
    let third = message_data(&replies[2]);
    assert!(is_ephemeral(third));
    assert!(content(third).contains("you can ask again in"));
    // Another user is not affected.
    let id = fake
        .slash_command(&Member::new(BOB), "docs", json!([]))
        .await;
    assert!(!is_ephemeral(message_data(&fake.callback(id).await)));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mention_is_answered_as_a_reply_that_pings_no_one() {
    let (fake, bot) = start(&[]).await;
    std::fs::write(
        bot.corpus().join("notice.txt"),
        "Staff notice\n\nThe cafeteria reopening was announced to @everyone and <@123> on March 3, 2025.\n",
    )
    .expect("write a corpus file");
    let admin = Member {
        permissions: "32",
        ..Member::new(ALICE)
    };
    let id = fake.slash_command(&admin, "reindex", json!([])).await;
    let token = format!("itoken{id}");
    fake.wait_for("reindex", Duration::from_secs(30), |r| {
        r.path.starts_with("/api/v10/webhooks/") && r.path.contains(&token)
    })
    .await;

    let question = fake
        .message(
            &Member::new(BOB),
            "<@900000000000000002> when was the cafeteria reopening announced?",
            true,
        )
        .await;
    let path = format!("/api/v10/channels/{CHANNEL_ID}/messages");
    let sent = fake
        .wait_for("the reply", Duration::from_secs(20), |r| r.path == path)
        .await;
    assert_eq!(
        sent.body["message_reference"]["message_id"],
        question.to_string()
    );
    let mentions = &sent.body["allowed_mentions"];
    assert_eq!(mentions["parse"], json!([]));
    assert_eq!(mentions["replied_user"], json!(false));
    let text = description(&sent.body);
    assert!(text.contains("March 3, 2025"), "{text}");
    assert!(
        !text.contains("@everyone") && !text.contains("<@123>"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_bot_resumes_after_the_gateway_drops() {
    let (fake, bot) = start(&[]).await;
    fake.close_gateway(4000).await;
    let callback = asked(
        &fake,
        &Member::new(ALICE),
        "When was the C5+1 summit at the White House held?",
    )
    .await;
    assert!(description(message_data(&callback)).contains("November 6"));
    let opcodes = fake.opcodes().await;
    assert_eq!(
        opcodes.iter().filter(|&&op| op == 2).count(),
        1,
        "identified once: {opcodes:?}"
    );
    assert!(opcodes.contains(&6), "resumed: {opcodes:?}");
    let status = bot.terminate();
    assert!(status.success(), "clean shutdown on SIGTERM: {status:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_gets_a_clear_message() {
    let (fake, _bot) = start(&[]).await;
    let alice = Member::new(ALICE);
    let options = json!([
        {"name": "question", "type": 3, "value": "When was the C5+1 summit?"},
        {"name": "as_of", "type": 3, "value": "last Tuesday"}
    ]);
    let id = fake.slash_command(&alice, "ask", options).await;
    let data = message_data(&fake.callback(id).await).clone();
    assert!(is_ephemeral(&data));
    assert!(content(&data).contains("is not a date"));

    for question in ["   ", "AND ( \"", &"why ".repeat(1500)] {
        let id = fake.slash_command(&alice, "ask", ask(question)).await;
        let callback = fake.callback(id).await;
        assert_eq!(callback.body["type"], REPLY, "{question:.20}");
        let data = message_data(&callback);
        assert!(data["embeds"][0]["title"].as_str().is_some(), "{data}");
    }

    let options = json!([{"name": "query", "type": 3, "value": "AND ( \""}]);
    let id = fake.slash_command(&alice, "search", options).await;
    assert_eq!(fake.callback(id).await.body["type"], REPLY);
}

#[tokio::test(flavor = "multi_thread")]
async fn guild_registration_channel_list_health_and_metrics() {
    let other_channel = (CHANNEL_ID + 1).to_string();
    let (fake, bot) = start(&[
        ("DISCORD_GUILD_ID", "900000000000000003"),
        ("QUARRY_DISCORD_CHANNELS", &format!("[{other_channel}]")),
        ("QUARRY_HTTP_LISTEN", "127.0.0.1:0"),
    ])
    .await;
    let listen = bot.health_address().to_string();
    let registration = fake.wait_until_ready().await;
    assert!(
        registration
            .path
            .ends_with("/applications/900000000000000001/guilds/900000000000000003/commands"),
        "{}",
        registration.path
    );

    let id = fake
        .slash_command(&Member::new(ALICE), "ask", ask("What is the C5+1?"))
        .await;
    let data = message_data(&fake.callback(id).await).clone();
    assert!(is_ephemeral(&data), "not a configured channel");
    assert!(content(&data).contains("this channel"));

    let health = reqwest::get(format!("http://{listen}/healthz"))
        .await
        .expect("health endpoint");
    assert_eq!(health.status(), 200);
    let body: Value = health.json().await.expect("json");
    assert_eq!(body["status"], "ok");
    // The container health check's command sees the same.
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_quarry"))
        .arg("health")
        .env("QUARRY_HTTP_LISTEN", &listen)
        .output()
        .expect("run quarry health");
    assert!(check.status.success(), "{check:?}");
    assert!(String::from_utf8_lossy(&check.stdout).starts_with("200 "));
    let metrics = reqwest::get(format!("http://{listen}/metrics"))
        .await
        .expect("metrics endpoint")
        .text()
        .await
        .expect("text");
    for name in [
        "quarry_questions_answered_total",
        "quarry_questions_abstained_total",
        "quarry_answer_seconds_bucket",
        "quarry_index_documents 5",
        "quarry_reindexes_total",
        "quarry_gateway_reconnects_total",
    ] {
        assert!(metrics.contains(name), "{name} in {metrics}");
    }
}
