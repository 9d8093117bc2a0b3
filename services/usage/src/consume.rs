//! The usage service's side of the access-event stream: when `sso` runs in another process it
//! puts access events on a Redis stream ([`tilgang_store::stream`]), and every `usage` process
//! reads them as one consumer group.
//!
//! An event is acknowledged only once it is stored; storing is idempotent (event ids), so an
//! event read twice, after a crash between storing and acknowledging, counts once. Events that
//! a consumer read and never acknowledged (it was killed) are claimed by a live consumer after
//! [`RECLAIM_IDLE`].

use std::sync::Arc;
use std::time::Duration;

use tilgang_kernel::ports::AccessEvent;
use tilgang_store::stream::{Delivery, EventStream};
use tokio::sync::watch;

use crate::ingest::Ingest;

/// The consumer group of every `usage` process.
pub const GROUP: &str = "usage";

/// How long an event may stay unacknowledged before another consumer takes it over.
pub const RECLAIM_IDLE: Duration = Duration::from_secs(15);

/// Events read at a time.
const BATCH: usize = 500;

/// How long a read waits for new events (and so how soon a stop is noticed).
const WAIT: Duration = Duration::from_secs(1);

/// Reads the access-event stream into the usage tables.
pub struct Consumer {
    stream: EventStream,
    ingest: Arc<Ingest>,
    name: String,
    idle: Duration,
}

impl Consumer {
    /// A consumer called `name` (unique per process) of `stream`.
    pub fn new(stream: EventStream, ingest: Arc<Ingest>, name: String) -> Self {
        Self {
            stream,
            ingest,
            name,
            idle: RECLAIM_IDLE,
        }
    }

    /// Takes over other consumers' events after `idle` instead of [`RECLAIM_IDLE`].
    pub fn reclaiming_after(mut self, idle: Duration) -> Self {
        self.idle = idle;
        self
    }

    /// Reads until `stop` turns true; the batch in hand is stored and acknowledged first.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let mut joined = false;
        let mut last_reclaim = tokio::time::Instant::now() - self.idle;
        while !*stop.borrow() {
            if !joined {
                match self.stream.join(GROUP).await {
                    Ok(()) => joined = true,
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot join the access-event stream");
                        pause(&mut stop).await;
                        continue;
                    }
                }
            }
            let deliveries = if last_reclaim.elapsed() >= self.idle {
                last_reclaim = tokio::time::Instant::now();
                self.stream
                    .reclaim(GROUP, &self.name, self.idle, BATCH)
                    .await
            } else {
                self.stream.read(GROUP, &self.name, BATCH, WAIT).await
            };
            match deliveries {
                Ok(deliveries) if deliveries.is_empty() => {}
                Ok(deliveries) => {
                    if let Err(e) = self.handle(deliveries).await {
                        tracing::warn!(error = %e, "access events were not stored; they will be retried");
                        pause(&mut stop).await;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read the access-event stream");
                    pause(&mut stop).await;
                }
            }
        }
        tracing::info!(consumer = %self.name, "the access-event consumer stopped");
    }

    /// Stores one batch and acknowledges it. An entry that is not an event is acknowledged
    /// (and logged) so that it cannot block the stream. When the batch cannot be stored as
    /// one, each event is tried alone, so one that fails keeps only itself pending.
    async fn handle(&self, deliveries: Vec<Delivery>) -> Result<(), String> {
        let mut events = Vec::with_capacity(deliveries.len());
        let mut dropped = Vec::new();
        for delivery in deliveries {
            match serde_json::from_slice::<AccessEvent>(&delivery.payload) {
                Ok(event) => events.push((delivery.id, event)),
                Err(e) => {
                    tracing::error!(entry = %delivery.id, error = %e, "a stream entry is not an access event; it is dropped");
                    dropped.push(delivery.id);
                }
            }
        }
        self.ack(&dropped).await?;
        if events.is_empty() {
            return Ok(());
        }
        let batch: Vec<AccessEvent> = events.iter().map(|(_, e)| e.clone()).collect();
        if self.ingest.store(batch).await.is_ok() {
            let ids: Vec<String> = events.into_iter().map(|(id, _)| id).collect();
            return self.ack(&ids).await;
        }
        let mut failed = None;
        for (id, event) in events {
            match self.ingest.store(vec![event]).await {
                Ok(_) => self.ack(std::slice::from_ref(&id)).await?,
                Err(e) => failed = Some(e.to_string()),
            }
        }
        failed.map_or(Ok(()), Err)
    }

    async fn ack(&self, ids: &[String]) -> Result<(), String> {
        self.stream.ack(GROUP, ids).await.map_err(|e| e.to_string())
    }
}

/// Waits a second, or until a stop.
async fn pause(stop: &mut watch::Receiver<bool>) {
    let _ = tokio::time::timeout(Duration::from_secs(1), stop.changed()).await;
}
