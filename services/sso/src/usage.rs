//! An interim [`UsageSink`] that keeps the latest access events in memory, until the `usage`
//! service takes them. Tests read it to check what events say (and what they never say).

use std::collections::VecDeque;
use std::sync::Mutex;

use async_trait::async_trait;
use tilgang_kernel::ports::{AccessEvent, PortError, UsageSink};

/// The most recent events, up to a bound.
pub struct RecentEvents {
    events: Mutex<VecDeque<AccessEvent>>,
    bound: usize,
}

impl RecentEvents {
    /// Keeps at most `bound` events.
    pub fn new(bound: usize) -> Self {
        Self {
            events: Mutex::new(VecDeque::new()),
            bound,
        }
    }

    /// The events kept, oldest first.
    pub fn events(&self) -> Vec<AccessEvent> {
        self.events
            .lock()
            .expect("events lock")
            .iter()
            .cloned()
            .collect()
    }
}

#[async_trait]
impl UsageSink for RecentEvents {
    async fn record(&self, events: Vec<AccessEvent>) -> Result<(), PortError> {
        let mut kept = self.events.lock().expect("events lock");
        for event in events {
            if kept.iter().any(|e| e.id == event.id) {
                continue;
            }
            if kept.len() == self.bound {
                kept.pop_front();
            }
            kept.push_back(event);
        }
        Ok(())
    }
}
