//! The bot's live state and counters, read by the health and metrics
//! listener: is the index loaded, is the gateway connected, how many
//! questions were answered and how fast.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use prometheus::{Histogram, HistogramOpts, IntCounter, IntGauge, Registry};

pub struct Status {
    gateway_connected: AtomicBool,
    /// Gateway connections made so far.
    connections: AtomicU64,
    index_loaded: AtomicBool,
    registry: Registry,
    pub questions_answered: IntCounter,
    pub questions_abstained: IntCounter,
    pub answer_seconds: Histogram,
    pub index_documents: IntGauge,
    pub reindexes: IntCounter,
    pub gateway_reconnects: IntCounter,
}

/// Why the bot is not healthy, for `/healthz`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unhealthy {
    IndexNotLoaded,
    GatewayDisconnected,
}

impl Unhealthy {
    pub fn reason(self) -> &'static str {
        match self {
            Unhealthy::IndexNotLoaded => "index not loaded",
            Unhealthy::GatewayDisconnected => "not connected to the Discord gateway",
        }
    }
}

impl Status {
    pub fn new() -> Status {
        let registry = Registry::new_custom(Some("quarry".into()), None)
            .expect("a constant prefix is a valid registry");
        let counter = |name: &str, help: &str| {
            let c = IntCounter::new(name, help).expect("valid metric name");
            registry
                .register(Box::new(c.clone()))
                .expect("unique metric");
            c
        };
        let questions_answered =
            counter("questions_answered_total", "Questions answered with quotes");
        let questions_abstained = counter(
            "questions_abstained_total",
            "Questions the corpus held no answer to",
        );
        let reindexes = counter("reindexes_total", "Index rebuilds requested with /reindex");
        let gateway_reconnects = counter(
            "gateway_reconnects_total",
            "Gateway connections re-established after a drop",
        );
        let answer_seconds = Histogram::with_opts(
            HistogramOpts::new("answer_seconds", "Time to answer one question").buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0,
            ]),
        )
        .expect("valid histogram");
        registry
            .register(Box::new(answer_seconds.clone()))
            .expect("unique metric");
        let index_documents =
            IntGauge::new("index_documents", "Documents in the loaded index").expect("valid");
        registry
            .register(Box::new(index_documents.clone()))
            .expect("unique metric");
        Status {
            gateway_connected: AtomicBool::new(false),
            connections: AtomicU64::new(0),
            index_loaded: AtomicBool::new(false),
            registry,
            questions_answered,
            questions_abstained,
            answer_seconds,
            index_documents,
            reindexes,
            gateway_reconnects,
        }
    }

    pub fn set_index_loaded(&self, documents: usize) {
        self.index_documents.set(documents as i64);
        self.index_loaded.store(true, Ordering::Relaxed);
    }

    /// Records the gateway's state; a connection after the first counts as a reconnect.
    pub fn set_gateway_connected(&self, connected: bool) {
        let was = self.gateway_connected.swap(connected, Ordering::Relaxed);
        if connected && !was && self.connections.fetch_add(1, Ordering::Relaxed) > 0 {
            self.gateway_reconnects.inc();
        }
    }

    pub fn health(&self) -> Result<(), Unhealthy> {
        if !self.index_loaded.load(Ordering::Relaxed) {
            Err(Unhealthy::IndexNotLoaded)
        } else if !self.gateway_connected.load(Ordering::Relaxed) {
            Err(Unhealthy::GatewayDisconnected)
        } else {
            Ok(())
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
