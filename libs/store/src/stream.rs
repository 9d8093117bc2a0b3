//! Event streams across processes: a Redis stream per kind of event, read by consumer groups.
//!
//! Delivery is at least once. A consumer acknowledges an event only after it has handled it; an
//! event read by a consumer that died stays pending and is claimed by another one after
//! [`EventStream::reclaim`]'s idle time. Consumers are idempotent (events carry ids), so an
//! event handled twice counts once.

use std::time::Duration;

use async_trait::async_trait;
use redis::AsyncCommands;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::streams::{
    StreamAutoClaimOptions, StreamId, StreamMaxlen, StreamReadOptions, StreamReadReply,
};
use tilgang_kernel::ports::{AccessEvent, PortError, UsageSink};

use crate::kv::{KvError, scrub};

/// The stream of access events, from `sso` to `usage`.
pub const ACCESS_EVENTS: &str = "events:access";

/// The field of a stream entry that holds the event (JSON).
const FIELD: &str = "event";

/// Entries kept in a stream at most (roughly): a consumer that is away for days loses the
/// oldest, rather than Redis its memory.
const MAX_ENTRIES: usize = 5_000_000;

/// One event as a consumer receives it.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The stream's id of the entry, to acknowledge it with.
    pub id: String,
    /// The event as published.
    pub payload: Vec<u8>,
}

/// One Redis stream. A consumer should have its own [`EventStream`], as a blocking read holds
/// the connection.
#[derive(Clone)]
pub struct EventStream {
    connection: ConnectionManager,
    key: String,
}

fn failed(e: redis::RedisError) -> KvError {
    KvError(e.to_string())
}

/// Every entry, an empty payload for one without the event field (the consumer drops and
/// acknowledges it, so it cannot come back forever).
fn deliveries(ids: Vec<StreamId>) -> Vec<Delivery> {
    ids.into_iter()
        .map(|entry| Delivery {
            payload: entry.get(FIELD).unwrap_or_default(),
            id: entry.id,
        })
        .collect()
}

impl EventStream {
    /// The stream `name` in the Redis at `url`, under the key prefix `prefix`.
    pub async fn connect(url: &str, prefix: &str, name: &str) -> Result<Self, KvError> {
        let client =
            redis::Client::open(url).map_err(|e| KvError(format!("{}: {e}", scrub(url))))?;
        // A blocking read waits up to a few seconds; the answer must be allowed that long.
        let config =
            ConnectionManagerConfig::new().set_response_timeout(Some(Duration::from_secs(15)));
        let connection = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(|e| KvError(format!("cannot reach Redis at {}: {e}", scrub(url))))?;
        Ok(Self {
            connection,
            key: format!("{prefix}{name}"),
        })
    }

    /// Appends `payload`.
    pub async fn publish(&self, payload: &[u8]) -> Result<(), KvError> {
        let _: Option<String> = self
            .connection
            .clone()
            .xadd_maxlen(
                &self.key,
                StreamMaxlen::Approx(MAX_ENTRIES),
                "*",
                &[(FIELD, payload)],
            )
            .await
            .map_err(failed)?;
        Ok(())
    }

    /// Makes sure the consumer group `group` exists; a new group starts at the stream's
    /// beginning, so nothing published before the first consumer came is lost.
    pub async fn join(&self, group: &str) -> Result<(), KvError> {
        let created: Result<(), _> = self
            .connection
            .clone()
            .xgroup_create_mkstream(&self.key, group, "0")
            .await;
        match created {
            Err(e) if e.code() == Some("BUSYGROUP") => Ok(()),
            other => other.map_err(failed),
        }
    }

    /// Up to `count` events not yet given to anyone in `group`, waiting up to `wait` for one.
    pub async fn read(
        &self,
        group: &str,
        consumer: &str,
        count: usize,
        wait: Duration,
    ) -> Result<Vec<Delivery>, KvError> {
        let options = StreamReadOptions::default()
            .group(group, consumer)
            .count(count)
            .block(usize::try_from(wait.as_millis()).unwrap_or(usize::MAX));
        let reply: Option<StreamReadReply> = self
            .connection
            .clone()
            .xread_options(&[&self.key], &[">"], &options)
            .await
            .map_err(failed)?;
        Ok(reply
            .map(|r| r.keys.into_iter().flat_map(|k| deliveries(k.ids)).collect())
            .unwrap_or_default())
    }

    /// Takes over up to `count` events that another consumer of `group` read but has not
    /// acknowledged for `idle` (it died, or hangs).
    pub async fn reclaim(
        &self,
        group: &str,
        consumer: &str,
        idle: Duration,
        count: usize,
    ) -> Result<Vec<Delivery>, KvError> {
        let idle = u64::try_from(idle.as_millis()).unwrap_or(u64::MAX);
        let reply: redis::streams::StreamAutoClaimReply = self
            .connection
            .clone()
            .xautoclaim_options(
                &self.key,
                group,
                consumer,
                idle,
                "0-0",
                StreamAutoClaimOptions::default().count(count),
            )
            .await
            .map_err(failed)?;
        Ok(deliveries(reply.claimed))
    }

    /// Acknowledges handled events.
    pub async fn ack(&self, group: &str, ids: &[String]) -> Result<(), KvError> {
        if ids.is_empty() {
            return Ok(());
        }
        let _: usize = self
            .connection
            .clone()
            .xack(&self.key, group, ids)
            .await
            .map_err(failed)?;
        Ok(())
    }

    /// Events of `group` read but not yet acknowledged.
    pub async fn pending(&self, group: &str) -> Result<u64, KvError> {
        let reply: redis::streams::StreamPendingReply = self
            .connection
            .clone()
            .xpending(&self.key, group)
            .await
            .map_err(failed)?;
        Ok(reply.count() as u64)
    }
}

/// The usage sink of a process without `usage`: access events go onto the
/// [`ACCESS_EVENTS`] stream, where `usage` reads them.
pub struct StreamSink(pub EventStream);

#[async_trait]
impl UsageSink for StreamSink {
    async fn record(&self, events: Vec<AccessEvent>) -> Result<(), PortError> {
        for event in events {
            let payload = serde_json::to_vec(&event).map_err(|e| PortError::new("usage", e))?;
            self.0
                .publish(&payload)
                .await
                .map_err(|e| PortError::new("usage", e))?;
        }
        Ok(())
    }
}
