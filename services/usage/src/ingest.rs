//! The `UsageSink` port: access events from `sso`, stored in batches with the patron's
//! pseudonym re-keyed with the month's salt, so keys of different months cannot be linked.

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use tilgang_kernel::Clock;
use tilgang_kernel::ports::{AccessEvent, AccessOutcome, DenialReason, PortError, UsageSink};
use tilgang_kernel::secrets::Keyed;

use crate::domain::UsageError;
use crate::domain::time::{day_of, month_of};
use crate::storage::events::{self, StoredEvent};
use crate::storage::{rollups, salts};

/// Stores access events.
pub struct Ingest {
    db: sea_orm::DatabaseConnection,
    clock: Arc<dyn Clock>,
}

impl Ingest {
    /// Events into `db`.
    pub fn new(db: &sea_orm::DatabaseConnection, clock: Arc<dyn Clock>) -> Self {
        Self {
            db: db.clone(),
            clock,
        }
    }

    /// Stores `events` (a repeated id is ignored); returns how many were new. An event of a
    /// day the roll-up has passed moves the roll-up back to that day.
    pub async fn store(&self, events: Vec<AccessEvent>) -> Result<u64, UsageError> {
        let mut keys: HashMap<String, Keyed> = HashMap::new();
        let mut stored = Vec::with_capacity(events.len());
        for e in events {
            let day = day_of(e.at);
            let month = month_of(day);
            if !keys.contains_key(&month) {
                let salt = salts::of(&self.db, &month).await?;
                keys.insert(month.clone(), Keyed::derive(&salt, "usage month"));
            }
            let key = &keys[&month];
            stored.push(StoredEvent {
                id: e.id,
                at: e.at,
                day,
                isil: e.isil.as_str().to_owned(),
                vendor: e.vendor.map(|v| v.0),
                product: e.product.map(|p| p.0),
                outcome: outcome(e.outcome),
                reason: e.reason.map(reason),
                user_key: key.pseudonym(&[&e.pseudonym]),
            });
        }
        let earliest = stored.iter().map(|e| e.day).min();
        let new = events::insert(&self.db, &stored).await?;
        if let (Some(earliest), Some(mark)) = (earliest, rollups::watermark(&self.db).await?)
            && earliest <= mark
            && earliest < day_of(self.clock.now())
        {
            rollups::set_watermark(&self.db, earliest.pred_opt().unwrap_or(earliest)).await?;
        }
        Ok(new)
    }
}

fn outcome(o: AccessOutcome) -> &'static str {
    match o {
        AccessOutcome::Login => "login",
        AccessOutcome::Granted => "granted",
        AccessOutcome::Denied => "denied",
    }
}

fn reason(r: DenialReason) -> &'static str {
    match r {
        DenialReason::NotEntitled => "not_entitled",
        DenialReason::Blocked => "blocked",
        DenialReason::WrongPin => "wrong_pin",
        DenialReason::Throttled => "throttled",
    }
}

#[async_trait]
impl UsageSink for Ingest {
    async fn record(&self, events: Vec<AccessEvent>) -> Result<(), PortError> {
        self.store(events)
            .await
            .map(|_| ())
            .map_err(|e| PortError::new("usage", e))
    }
}
