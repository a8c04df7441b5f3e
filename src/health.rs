//! The optional HTTP listener for operators: `/healthz` for container health
//! checks (each configured platform's connection listed) and `/metrics` in
//! the Prometheus text format, labelled by platform.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::status::Status;

pub fn router(status: Arc<Status>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .with_state(status)
}

/// Binds `listen` (so a taken port fails at startup), then serves in the
/// background until the process ends. The address bound is logged: with
/// port 0 the system picks a free one.
pub async fn spawn(listen: SocketAddr, status: Arc<Status>) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let listen = listener.local_addr()?;
    tracing::info!(%listen, "health and metrics listening");
    tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, router(status)).await {
            tracing::error!(%listen, "health listener stopped: {err}");
        }
    });
    Ok(())
}

async fn healthz(State(status): State<Arc<Status>>) -> impl IntoResponse {
    let platforms = status.platforms();
    let (code, body) = match status.health() {
        Ok(()) => (
            StatusCode::OK,
            serde_json::json!({"status": "ok", "platforms": platforms}),
        ),
        Err(why) => (
            StatusCode::SERVICE_UNAVAILABLE,
            serde_json::json!({"status": "unavailable", "reason": why.reason(), "platforms": platforms}),
        ),
    };
    (code, axum::Json(body))
}

async fn metrics(State(status): State<Arc<Status>>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, prometheus::TEXT_FORMAT)],
        status.metrics_text(),
    )
}
