//! `quarry serve`: every configured platform on one chat service and one
//! engine, the health listener, and a clean stop on SIGTERM or Ctrl-C. A
//! platform that fails is logged and the others keep answering.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::chat::policy::RateLimiter;
use crate::chat::{ChatService, Platform};
use crate::config::{Platforms, Settings};
use crate::engine::Engine;
use crate::status::Status;
use crate::{discord, health, matrix};

/// How long the platforms get to disconnect after a stop signal.
const STOP_GRACE: Duration = Duration::from_secs(10);

/// Runs until a stop signal (then `Ok`), or until every platform has
/// failed (then the last failure).
pub fn run(settings: &Settings, engine: Engine, platforms: Platforms) -> anyhow::Result<()> {
    let status = Arc::new(Status::new());
    status.set_index_loaded(engine.document_count());
    let discord_settings = &settings.discord;
    let limiter = RateLimiter::new(
        discord_settings.rate_limit_questions,
        discord_settings.rate_limit_seconds,
    )?;
    let chat = Arc::new(ChatService::new(
        Arc::new(engine),
        Arc::clone(&status),
        limiter,
        settings.feedback_file(),
    ));
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        if let Some(listen) = settings.http.listen {
            health::spawn(listen, Arc::clone(&status))
                .await
                .with_context(|| format!("listening on {listen} for health and metrics"))?;
        }
        let (stop, stopping) = watch::channel(false);
        let mut running = JoinSet::new();
        if let Some(token) = platforms.discord {
            let (discord, chat, stopping) = (
                settings.discord.clone(),
                Arc::clone(&chat),
                stopping.clone(),
            );
            running.spawn(async move {
                let result = discord::serve(discord, chat, &token, stopping).await;
                (Platform::Discord, result)
            });
        }
        if let Some(login) = platforms.matrix {
            let (matrix, dir, chat, stopping) = (
                settings.matrix.clone(),
                settings.matrix_dir(),
                Arc::clone(&chat),
                stopping.clone(),
            );
            running.spawn(async move {
                let result = matrix::serve(matrix, login, dir, chat, stopping).await;
                (Platform::Matrix, result)
            });
        }
        let mut last_failure = None;
        loop {
            tokio::select! {
                () = shutdown_signal() => break,
                done = running.join_next() => match done {
                    None => return Err(last_failure.unwrap_or_else(|| anyhow::anyhow!("no platform ran"))),
                    Some(Ok((platform, Ok(())))) => tracing::info!("{} stopped", platform.name()),
                    Some(Ok((platform, Err(err)))) => {
                        tracing::error!("{} stopped: {err:#}", platform.name());
                        status.set_connected(platform, false);
                        last_failure = Some(err.context(format!("{} stopped", platform.name())));
                    }
                    Some(Err(err)) => {
                        last_failure = Some(anyhow::anyhow!("a platform task failed: {err}"));
                    }
                },
            }
        }
        tracing::info!("shutting down");
        let _ = stop.send(true);
        if tokio::time::timeout(STOP_GRACE, async {
            while running.join_next().await.is_some() {}
        })
        .await
        .is_err()
        {
            tracing::warn!("a platform did not stop within {STOP_GRACE:?}; leaving it");
        }
        Ok(())
    })
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(err) => {
                    tracing::warn!("cannot listen for SIGTERM: {err}");
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
