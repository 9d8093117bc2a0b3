//! The in-process store.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use tokio::time::Instant;

use super::{Kv, KvError};

/// Sweep expired entries after this many writes.
const SWEEP_EVERY: u32 = 1024;

#[derive(Default)]
struct Entries {
    map: HashMap<String, (Vec<u8>, Instant)>,
    writes: u32,
}

impl Entries {
    fn live(&mut self, key: &str, now: Instant) -> Option<&mut (Vec<u8>, Instant)> {
        if self
            .map
            .get(key)
            .is_some_and(|(_, expires)| *expires <= now)
        {
            self.map.remove(key);
        }
        self.map.get_mut(key)
    }

    fn wrote(&mut self, now: Instant) {
        self.writes += 1;
        if self.writes >= SWEEP_EVERY {
            self.writes = 0;
            self.map.retain(|_, (_, expires)| *expires > now);
        }
    }
}

/// Keeps entries in this process's memory; expired ones vanish on read and in periodic sweeps.
#[derive(Default)]
pub struct MemoryKv(Mutex<Entries>);

impl MemoryKv {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[async_trait]
impl Kv for MemoryKv {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, KvError> {
        Ok(self
            .entries()
            .live(key, Instant::now())
            .map(|(value, _)| value.clone()))
    }

    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), KvError> {
        let now = Instant::now();
        let mut entries = self.entries();
        entries
            .map
            .insert(key.to_owned(), (value.to_vec(), now + ttl));
        entries.wrote(now);
        Ok(())
    }

    async fn take(&self, key: &str) -> Result<Option<Vec<u8>>, KvError> {
        let mut entries = self.entries();
        let live = entries.live(key, Instant::now()).is_some();
        Ok(if live {
            entries.map.remove(key).map(|(value, _)| value)
        } else {
            None
        })
    }

    async fn delete(&self, key: &str) -> Result<(), KvError> {
        self.entries().map.remove(key);
        Ok(())
    }

    async fn incr(&self, key: &str, by: i64, ttl: Duration) -> Result<i64, KvError> {
        let now = Instant::now();
        let mut entries = self.entries();
        let current = match entries.live(key, now) {
            Some((value, _)) => std::str::from_utf8(value)
                .ok()
                .and_then(|s| s.parse::<i64>().ok())
                .ok_or_else(|| KvError(format!("the value at {key} is not a counter")))?,
            None => {
                entries
                    .map
                    .insert(key.to_owned(), (b"0".to_vec(), now + ttl));
                0
            }
        };
        let next = current + by;
        if let Some(entry) = entries.map.get_mut(key) {
            entry.0 = next.to_string().into_bytes();
        }
        entries.wrote(now);
        Ok(next)
    }

    async fn ping(&self) -> Result<(), KvError> {
        Ok(())
    }
}
