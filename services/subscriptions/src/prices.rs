//! The `Prices` port: what each library paid for each product and when, and its trials, for
//! cost per use in `usage`. A subscription counts with its current term (an auto-renewed one
//! carries only the term it is in); a cancelled one with the days it gave access, at its full
//! price (what was agreed); one cancelled before it began not at all. An agreement counts
//! with each member's share.

use async_trait::async_trait;
use chrono::NaiveDate;
use sea_orm::DatabaseConnection;
use tilgang_kernel::ports::{EntitlementBasis, PortError, PricedPeriod, Prices};

use crate::domain::SubscriptionsError;
use crate::domain::time::day_of;
use crate::storage;

/// The port answered from the service's database.
pub struct StoredPrices {
    db: DatabaseConnection,
}

impl StoredPrices {
    /// Over `db`.
    pub fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone() }
    }

    async fn gather(
        &self,
        keys: Option<Vec<String>>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<PricedPeriod>, SubscriptionsError> {
        let wanted = |isil: &tilgang_kernel::Isil| {
            keys.as_ref().is_none_or(|keys| keys.contains(&isil.key()))
        };
        let overlaps =
            |start: NaiveDate, end: NaiveDate| start <= end && start <= to && end >= from;
        let mut periods = Vec::new();
        for s in storage::subscriptions::every(&self.db).await? {
            if wanted(&s.isil) && overlaps(s.starts_on, s.ends_on) {
                periods.push(PricedPeriod {
                    isil: s.isil,
                    product: s.product,
                    vendor: s.vendor,
                    basis: EntitlementBasis::Subscription,
                    starts_on: s.starts_on,
                    ends_on: s.ends_on,
                    price_minor: s.price_minor,
                    currency: Some(s.currency.as_str().to_owned()),
                });
            }
        }
        for a in storage::agreements::every(&self.db).await? {
            if !overlaps(a.starts_on, a.ends_on) {
                continue;
            }
            for share in a.shares().into_iter().filter(|s| wanted(&s.isil)) {
                periods.push(PricedPeriod {
                    isil: share.isil,
                    product: a.product,
                    vendor: a.vendor,
                    basis: EntitlementBasis::Agreement,
                    starts_on: a.starts_on,
                    ends_on: a.ends_on,
                    price_minor: share.price_minor,
                    currency: Some(a.currency.as_str().to_owned()),
                });
            }
        }
        for t in storage::trials::with_access(&self.db).await? {
            let (Some(starts), Some(ends)) = (t.starts_at, t.ends_at) else {
                continue;
            };
            let (first, last) = (day_of(starts), day_of(ends - chrono::Duration::seconds(1)));
            if wanted(&t.isil) && overlaps(first, last) {
                periods.push(PricedPeriod {
                    isil: t.isil,
                    product: t.product,
                    vendor: t.vendor,
                    basis: EntitlementBasis::Trial,
                    starts_on: first,
                    ends_on: last,
                    price_minor: 0,
                    currency: None,
                });
            }
        }
        Ok(periods)
    }
}

#[async_trait]
impl Prices for StoredPrices {
    async fn periods(
        &self,
        isil_keys: Option<Vec<String>>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<PricedPeriod>, PortError> {
        self.gather(isil_keys, from, to)
            .await
            .map_err(|e| PortError::new("subscriptions", e))
    }
}
