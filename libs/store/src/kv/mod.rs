//! A small key-value store with expiry: the one place for short-lived shared state.
//!
//! One process uses [`MemoryKv`]; several replicas share [`RedisKv`]. Both pass the same contract
//! test suite (`tests/kv_contract.rs`).

mod memory;
mod redis_kv;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tilgang_kernel::ReadinessCheck;

pub use memory::MemoryKv;
pub use redis_kv::RedisKv;

/// Why the store did not answer.
#[derive(Debug, thiserror::Error)]
#[error("the key-value store failed: {0}")]
pub struct KvError(pub String);

/// Get, set with expiry, get-and-delete, and increment with expiry.
#[async_trait]
pub trait Kv: Send + Sync + 'static {
    /// The value of `key`, unless missing or expired.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, KvError>;
    /// Sets `key` to `value`, expiring after `ttl`.
    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), KvError>;
    /// Returns and deletes `key` in one step, so exactly one caller gets a single-use value.
    async fn take(&self, key: &str) -> Result<Option<Vec<u8>>, KvError>;
    /// Deletes `key`.
    async fn delete(&self, key: &str) -> Result<(), KvError>;
    /// Adds `by` to the counter at `key` and returns the new value; a new counter expires after
    /// `ttl` (a fixed window, as rate limits need).
    async fn incr(&self, key: &str, by: i64, ttl: Duration) -> Result<i64, KvError>;
    /// Whether the store answers.
    async fn ping(&self) -> Result<(), KvError>;
}

/// Opens the store at `url`: `memory` or `redis://...`. Every key gets `prefix`.
pub async fn connect_kv(url: &str, prefix: &str) -> Result<Arc<dyn Kv>, KvError> {
    if url == "memory" || url.is_empty() {
        Ok(Arc::new(MemoryKv::new()))
    } else if url.starts_with("redis://") || url.starts_with("rediss://") {
        Ok(Arc::new(RedisKv::connect(url, prefix).await?))
    } else {
        Err(KvError(format!(
            "cache.url must be 'memory' or 'redis://...', not '{}'",
            scrub(url)
        )))
    }
}

/// The scheme and host of a URL, without credentials, for messages.
pub(crate) fn scrub(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
            format!("{scheme}://{host}")
        }
        None => url.chars().take(16).collect(),
    }
}

/// Readiness of the key-value store.
pub struct KvCheck(pub Arc<dyn Kv>);

#[async_trait]
impl ReadinessCheck for KvCheck {
    fn name(&self) -> &'static str {
        "cache"
    }

    async fn check(&self) -> Result<(), String> {
        self.0.ping().await.map_err(|e| e.to_string())
    }
}
