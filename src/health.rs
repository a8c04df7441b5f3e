//! Optional HTTP listener: /healthz and Prometheus /metrics.
//!
//! `Health` is the bot's live state and counters; the Discord layer and the
//! engine's callers update it, the listener reports it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Live state and counters, shared as `Arc<Health>`.
#[derive(Debug, Default)]
pub struct Health {
    index_loaded: AtomicBool,
    index_documents: AtomicU64,
    gateway_connected: AtomicBool,
    answered: AtomicU64,
    abstained: AtomicU64,
    reindexes: AtomicU64,
    gateway_reconnects: AtomicU64,
}

impl Health {
    pub fn new() -> Arc<Health> {
        Arc::new(Health::default())
    }

    /// The index is open and holds `documents` documents.
    pub fn set_index_loaded(&self, documents: usize) {
        self.index_documents
            .store(documents as u64, Ordering::Relaxed);
        self.index_loaded.store(true, Ordering::Relaxed);
    }

    pub fn set_gateway_connected(&self, connected: bool) {
        self.gateway_connected.store(connected, Ordering::Relaxed);
    }

    /// One question handled: answered or abstained, in `seconds`.
    pub fn record_answer(&self, answered: bool, _seconds: f64) {
        let counter = if answered {
            &self.answered
        } else {
            &self.abstained
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn record_reindex(&self, documents: usize) {
        self.reindexes.fetch_add(1, Ordering::Relaxed);
        self.set_index_loaded(documents);
    }

    pub fn record_gateway_reconnect(&self) {
        self.gateway_reconnects.fetch_add(1, Ordering::Relaxed);
    }
}
