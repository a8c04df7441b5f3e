//! The bot's live state and counters, read by the health and metrics
//! listener: is the index loaded, is each configured platform connected, how
//! many questions each platform answered and how fast.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use prometheus::{
    HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
};
use serde::Serialize;

use crate::platform::{PerPlatform, Platform};

/// The connection of one platform.
#[derive(Debug, Default)]
struct Link {
    configured: AtomicBool,
    connected: AtomicBool,
    /// Connections made so far.
    connections: AtomicU64,
}

pub struct Status {
    index_loaded: AtomicBool,
    links: PerPlatform<Link>,
    registry: Registry,
    questions_answered: IntCounterVec,
    questions_abstained: IntCounterVec,
    answer_seconds: HistogramVec,
    connected: IntGaugeVec,
    reconnects: IntCounterVec,
    pub index_documents: IntGauge,
    pub reindexes: IntCounter,
}

/// Why the bot is not healthy, for `/healthz`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unhealthy {
    IndexNotLoaded,
    Disconnected(Platform),
}

impl Unhealthy {
    pub fn reason(self) -> String {
        match self {
            Unhealthy::IndexNotLoaded => "index not loaded".to_string(),
            Unhealthy::Disconnected(platform) => {
                format!("not connected to {}", platform.connection())
            }
        }
    }
}

/// A configured platform's state, as `/healthz` shows it.
#[derive(Debug, Serialize)]
pub struct PlatformState {
    pub platform: Platform,
    pub connected: bool,
}

impl Status {
    pub fn new() -> Status {
        let registry = Registry::new_custom(Some("quarry".into()), None)
            .expect("a constant prefix is a valid registry");
        let per_platform = |name: &str, help: &str| {
            let c = IntCounterVec::new(Opts::new(name, help), &["platform"])
                .expect("valid metric name");
            registry
                .register(Box::new(c.clone()))
                .expect("unique metric");
            c
        };
        let questions_answered =
            per_platform("questions_answered_total", "Questions answered with quotes");
        let questions_abstained = per_platform(
            "questions_abstained_total",
            "Questions the corpus held no answer to",
        );
        let reconnects = per_platform(
            "gateway_reconnects_total",
            "Connections to a platform re-established after a drop",
        );
        let answer_seconds = HistogramVec::new(
            HistogramOpts::new("answer_seconds", "Time to answer one question").buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0,
            ]),
            &["platform"],
        )
        .expect("valid histogram");
        registry
            .register(Box::new(answer_seconds.clone()))
            .expect("unique metric");
        let connected = IntGaugeVec::new(
            Opts::new(
                "platform_connected",
                "1 while the platform's connection is up",
            ),
            &["platform"],
        )
        .expect("valid gauge");
        registry
            .register(Box::new(connected.clone()))
            .expect("unique metric");
        let reindexes = IntCounter::new("reindexes_total", "Index rebuilds requested in a chat")
            .expect("valid metric name");
        registry
            .register(Box::new(reindexes.clone()))
            .expect("unique metric");
        let index_documents =
            IntGauge::new("index_documents", "Documents in the loaded index").expect("valid");
        registry
            .register(Box::new(index_documents.clone()))
            .expect("unique metric");
        Status {
            index_loaded: AtomicBool::new(false),
            links: PerPlatform::default(),
            registry,
            questions_answered,
            questions_abstained,
            answer_seconds,
            connected,
            reconnects,
            index_documents,
            reindexes,
        }
    }

    pub fn set_index_loaded(&self, documents: usize) {
        self.index_documents.set(documents as i64);
        self.index_loaded.store(true, Ordering::Relaxed);
    }

    /// Marks `platform` as one the bot serves: its metrics appear at zero and
    /// the health check waits for its connection.
    pub fn set_configured(&self, platform: Platform) {
        self.links
            .get(platform)
            .configured
            .store(true, Ordering::Relaxed);
        let label = [platform.name()];
        self.questions_answered.with_label_values(&label);
        self.questions_abstained.with_label_values(&label);
        self.answer_seconds.with_label_values(&label);
        self.reconnects.with_label_values(&label);
        self.connected.with_label_values(&label).set(0);
    }

    /// Records a platform's connection; a connection after the first counts
    /// as a reconnect.
    pub fn set_connected(&self, platform: Platform, connected: bool) {
        let link = self.links.get(platform);
        let was = link.connected.swap(connected, Ordering::Relaxed);
        self.connected
            .with_label_values(&[platform.name()])
            .set(i64::from(connected));
        if connected && !was && link.connections.fetch_add(1, Ordering::Relaxed) > 0 {
            self.reconnects.with_label_values(&[platform.name()]).inc();
        }
    }

    /// Counts one question `platform` answered (or abstained on) in `seconds`.
    pub fn count_answer(&self, platform: Platform, answered: bool, seconds: f64) {
        let label = [platform.name()];
        self.answer_seconds
            .with_label_values(&label)
            .observe(seconds);
        if answered {
            self.questions_answered.with_label_values(&label).inc();
        } else {
            self.questions_abstained.with_label_values(&label).inc();
        }
    }

    /// Every configured platform and whether it is connected.
    pub fn platforms(&self) -> Vec<PlatformState> {
        Platform::ALL
            .into_iter()
            .filter(|p| self.links.get(*p).configured.load(Ordering::Relaxed))
            .map(|platform| PlatformState {
                platform,
                connected: self.links.get(platform).connected.load(Ordering::Relaxed),
            })
            .collect()
    }

    /// Healthy when the index is loaded and every configured platform is connected.
    pub fn health(&self) -> Result<(), Unhealthy> {
        if !self.index_loaded.load(Ordering::Relaxed) {
            return Err(Unhealthy::IndexNotLoaded);
        }
        match self.platforms().into_iter().find(|p| !p.connected) {
            Some(down) => Err(Unhealthy::Disconnected(down.platform)),
            None => Ok(()),
        }
    }

    /// Every metric in the Prometheus text format.
    pub fn metrics_text(&self) -> String {
        let encoder = prometheus::TextEncoder::new();
        encoder
            .encode_to_string(&self.registry.gather())
            .unwrap_or_default()
    }
}

impl Default for Status {
    fn default() -> Self {
        Status::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_and_metrics_are_per_platform() {
        let status = Status::new();
        assert_eq!(status.health(), Err(Unhealthy::IndexNotLoaded));
        status.set_index_loaded(3);
        status.set_configured(Platform::Discord);
        status.set_configured(Platform::Matrix);
        status.set_connected(Platform::Discord, true);
        assert_eq!(
            status.health(),
            Err(Unhealthy::Disconnected(Platform::Matrix))
        );
        assert_eq!(
            Unhealthy::Disconnected(Platform::Matrix).reason(),
            "not connected to the Matrix homeserver"
        );
        status.set_connected(Platform::Matrix, true);
        assert_eq!(status.health(), Ok(()));
        status.count_answer(Platform::Matrix, true, 0.01);
        status.set_connected(Platform::Matrix, false);
        status.set_connected(Platform::Matrix, true);
        let text = status.metrics_text();
        for line in [
            "quarry_questions_answered_total{platform=\"matrix\"} 1",
            "quarry_questions_answered_total{platform=\"discord\"} 0",
            "quarry_gateway_reconnects_total{platform=\"matrix\"} 1",
            "quarry_gateway_reconnects_total{platform=\"discord\"} 0",
            "quarry_platform_connected{platform=\"matrix\"} 1",
        ] {
            assert!(text.contains(line), "{line} in {text}");
        }
    }

    #[test]
    fn an_unconfigured_platform_is_not_waited_for() {
        let status = Status::new();
        status.set_index_loaded(1);
        status.set_configured(Platform::Matrix);
        status.set_connected(Platform::Matrix, true);
        assert_eq!(status.health(), Ok(()));
        assert_eq!(status.platforms().len(), 1);
    }
}
