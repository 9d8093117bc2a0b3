//! The entitlement index: every grant of access in memory, so a check is a hash lookup and an
//! interval test (no database, no network), and answers are right to the second because the
//! intervals, not a cache lifetime, decide.
//!
//! Freshness: a change made in this process rebuilds the index before the request that made it
//! returns. A change in another process bumps a generation in the shared Kv (Redis in
//! production); every process looks at it four times a second and rebuilds when it moved, so a
//! change is seen everywhere within about 250 ms plus one rebuild.

use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use tilgang_isil::Isil;
use tilgang_kernel::ProductId;
use tilgang_kernel::ports::{Entitlement, Entitlements, PortError};
use tilgang_store::Kv;

use crate::domain::SubscriptionsError;
use crate::domain::entitlement::{GrantIndex, decide};
use crate::storage;

/// The Kv key whose value changes whenever a grant changes anywhere.
const GENERATION: &str = "subscriptions:generation";
/// How often other processes' changes are looked for.
pub const FOLLOW_EVERY: Duration = Duration::from_millis(250);

/// Every grant, in memory.
pub struct EntitlementIndex {
    db: DatabaseConnection,
    kv: Arc<dyn Kv>,
    grants: RwLock<Arc<GrantIndex>>,
    seen: Mutex<Option<Vec<u8>>>,
}

impl EntitlementIndex {
    /// An empty index; call [`EntitlementIndex::rebuild`] before use.
    pub fn new(db: &DatabaseConnection, kv: Arc<dyn Kv>) -> Self {
        Self {
            db: db.clone(),
            kv,
            grants: RwLock::new(Arc::default()),
            seen: Mutex::new(None),
        }
    }

    /// Loads every grant from the database.
    pub async fn rebuild(&self) -> Result<(), SubscriptionsError> {
        let mut index = GrantIndex::new();
        for trial in storage::trials::with_access(&self.db).await? {
            if let Some(grant) = trial.grant() {
                index
                    .entry((trial.isil.key(), trial.product))
                    .or_default()
                    .push(grant);
            }
        }
        for s in storage::subscriptions::every(&self.db).await? {
            if let Some(grant) = s.grant() {
                index
                    .entry((s.isil.key(), s.product))
                    .or_default()
                    .push(grant);
            }
        }
        for a in storage::agreements::every(&self.db).await? {
            if let Some(grant) = a.grant() {
                for m in &a.members {
                    index
                        .entry((m.isil.key(), a.product))
                        .or_default()
                        .push(grant);
                }
            }
        }
        *self.grants.write().expect("entitlement index lock") = Arc::new(index);
        Ok(())
    }

    /// After a change here: rebuild now, and tell the other processes.
    pub async fn changed(&self) -> Result<(), SubscriptionsError> {
        let generation = uuid::Uuid::now_v7().as_bytes().to_vec();
        *self.seen.lock().expect("generation lock") = Some(generation.clone());
        self.kv
            .set(GENERATION, &generation, Duration::from_secs(365 * 86_400))
            .await
            .map_err(|e| SubscriptionsError::Storage(Box::new(e)))?;
        self.rebuild().await
    }

    /// Rebuilds when another process changed a grant since the last look; true when it did.
    pub async fn follow(&self) -> Result<bool, SubscriptionsError> {
        let now = self
            .kv
            .get(GENERATION)
            .await
            .map_err(|e| SubscriptionsError::Storage(Box::new(e)))?;
        if *self.seen.lock().expect("generation lock") == now {
            return Ok(false);
        }
        self.rebuild().await?;
        *self.seen.lock().expect("generation lock") = now;
        Ok(true)
    }

    /// The answer for `isil` and `product` at `at`, from memory.
    pub fn answer(&self, isil: &Isil, product: ProductId, at: DateTime<Utc>) -> Entitlement {
        let grants = self.grants.read().expect("entitlement index lock").clone();
        grants
            .get(&(isil.key(), product))
            .map_or(Entitlement::DENIED, |g| decide(g, at))
    }
}

#[async_trait]
impl Entitlements for EntitlementIndex {
    async fn check(
        &self,
        isil: &Isil,
        product: ProductId,
        at: DateTime<Utc>,
    ) -> Result<Entitlement, PortError> {
        Ok(self.answer(isil, product, at))
    }

    async fn granted(
        &self,
        isil: &Isil,
        at: DateTime<Utc>,
    ) -> Result<Vec<(ProductId, Entitlement)>, PortError> {
        let grants = self.grants.read().expect("entitlement index lock").clone();
        let key = isil.key();
        Ok(grants
            .iter()
            .filter(|((library, _), _)| *library == key)
            .map(|((_, product), g)| (*product, decide(g, at)))
            .filter(|(_, answer)| answer.granted())
            .collect())
    }
}
