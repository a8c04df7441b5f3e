//! 200 `/ask` interactions at once through the fake Discord: how many are
//! answered, and the time from dispatch to the bot's callback.
//!
//! `cargo bench --bench discord_load`

// The bench uses only part of the tests' support code.
#[allow(dead_code)]
#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::json;
use support::bot_process::BotProcess;
use support::fake_discord::{FakeDiscord, Member};

const INTERACTIONS: u64 = 200;

const QUESTIONS: &[&str] = &[
    "When was the C5+1 summit at the White House held?",
    "What is the C5+1?",
    "Who is Mirziyoyev?",
    "What did Trump say about Kazakhstan?",
    "What are the critical minerals deals with Central Asia?",
];

#[tokio::main]
async fn main() {
    let fake = FakeDiscord::start().await;
    let _bot = BotProcess::start(&fake.base_url, &[]);
    fake.wait_until_ready().await;

    let mut sent = HashMap::new();
    for n in 0..INTERACTIONS {
        // One user each, as on a busy server; the per-user rate limit holds.
        let user = Member::new(10_000 + n);
        let question = QUESTIONS[n as usize % QUESTIONS.len()];
        let options = json!([{"name": "question", "type": 3, "value": question}]);
        let at = Instant::now();
        let id = fake.slash_command(&user, "ask", options).await;
        sent.insert(format!("/api/v10/interactions/{id}/"), at);
    }

    let deadline = Instant::now() + Duration::from_secs(60);
    let mut latencies = Vec::new();
    while Instant::now() < deadline {
        latencies = fake
            .requests()
            .await
            .iter()
            .filter_map(|r| {
                let prefix = r.path.rsplitn(3, '/').nth(2)?;
                let sent_at = sent.get(&format!("{prefix}/"))?;
                Some(r.at.duration_since(*sent_at))
            })
            .collect();
        if latencies.len() as u64 == INTERACTIONS {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    latencies.sort();
    let pick = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q).ceil() as usize).saturating_sub(1))
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "discord load: {} of {INTERACTIONS} /ask answered; dispatch to callback p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        latencies.len(),
        pick(0.50),
        pick(0.99),
        pick(1.0)
    );
}
