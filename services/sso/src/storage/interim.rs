//! The interim answer to the `Entitlements` port: a table that tests and the demo fill, until
//! the `subscriptions` service answers it from trials, subscriptions and agreements.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{DatabaseConnection, EntityTrait, Set};
use tilgang_kernel::ports::{Entitlement, EntitlementBasis, Entitlements, PortError};
use tilgang_kernel::{Isil, ProductId};

use super::entities::interim_entitlement as row;
use crate::domain::SsoError;

/// Entitlements from `sso_interim_entitlements`.
pub struct InterimEntitlements {
    db: DatabaseConnection,
}

impl InterimEntitlements {
    /// Entitlements over `db`.
    pub fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone() }
    }

    /// Lets the library use the product until `until` (for ever when `None`).
    pub async fn grant(
        &self,
        isil: &Isil,
        product: ProductId,
        until: Option<DateTime<Utc>>,
    ) -> Result<(), SsoError> {
        row::Entity::insert(row::ActiveModel {
            isil_key: Set(isil.key()),
            product_id: Set(product.0),
            until: Set(until),
        })
        .on_conflict(
            OnConflict::columns([row::Column::IsilKey, row::Column::ProductId])
                .update_column(row::Column::Until)
                .to_owned(),
        )
        .exec(&self.db)
        .await?;
        Ok(())
    }
}

#[async_trait]
impl Entitlements for InterimEntitlements {
    async fn check(
        &self,
        isil: &Isil,
        product: ProductId,
        at: DateTime<Utc>,
    ) -> Result<Entitlement, PortError> {
        let found = row::Entity::find_by_id((isil.key(), product.0))
            .one(&self.db)
            .await
            .map_err(|e| PortError::new("entitlements", e))?;
        Ok(match found {
            Some(r) if r.until.is_none_or(|until| at < until) => Entitlement {
                basis: EntitlementBasis::Subscription,
                until: r.until,
            },
            _ => Entitlement::DENIED,
        })
    }
}
