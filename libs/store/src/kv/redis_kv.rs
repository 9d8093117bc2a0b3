//! The Redis store, shared by every replica.

use std::time::Duration;

use async_trait::async_trait;
use redis::aio::ConnectionManager;
use redis::{AsyncCommands, Script};

use super::{Kv, KvError, scrub};

/// INCRBY that sets the expiry only when it creates the counter (a fixed window).
const INCR_WITH_TTL: &str = r"
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if value == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value";

/// Keys live in Redis under a prefix; the connection reconnects by itself.
pub struct RedisKv {
    connection: ConnectionManager,
    prefix: String,
    incr: Script,
}

fn failed(e: redis::RedisError) -> KvError {
    KvError(e.to_string())
}

fn millis(ttl: Duration) -> u64 {
    u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1)
}

impl RedisKv {
    /// Connects to `url`; every key gets `prefix` in front.
    pub async fn connect(url: &str, prefix: &str) -> Result<Self, KvError> {
        let client =
            redis::Client::open(url).map_err(|e| KvError(format!("{}: {e}", scrub(url))))?;
        let connection = ConnectionManager::new(client)
            .await
            .map_err(|e| KvError(format!("cannot reach Redis at {}: {e}", scrub(url))))?;
        Ok(Self {
            connection,
            prefix: prefix.to_owned(),
            incr: Script::new(INCR_WITH_TTL),
        })
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }
}

#[async_trait]
impl Kv for RedisKv {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, KvError> {
        self.connection
            .clone()
            .get(self.key(key))
            .await
            .map_err(failed)
    }

    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), KvError> {
        let mut connection = self.connection.clone();
        redis::cmd("SET")
            .arg(self.key(key))
            .arg(value)
            .arg("PX")
            .arg(millis(ttl))
            .query_async::<()>(&mut connection)
            .await
            .map_err(failed)
    }

    async fn take(&self, key: &str) -> Result<Option<Vec<u8>>, KvError> {
        self.connection
            .clone()
            .get_del(self.key(key))
            .await
            .map_err(failed)
    }

    async fn delete(&self, key: &str) -> Result<(), KvError> {
        self.connection
            .clone()
            .del::<_, ()>(self.key(key))
            .await
            .map_err(failed)
    }

    async fn incr(&self, key: &str, by: i64, ttl: Duration) -> Result<i64, KvError> {
        let mut connection = self.connection.clone();
        self.incr
            .key(self.key(key))
            .arg(by)
            .arg(millis(ttl))
            .invoke_async(&mut connection)
            .await
            .map_err(failed)
    }

    async fn ping(&self) -> Result<(), KvError> {
        let mut connection = self.connection.clone();
        redis::cmd("PING")
            .query_async::<String>(&mut connection)
            .await
            .map(|_| ())
            .map_err(failed)
    }
}
