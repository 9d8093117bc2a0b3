//! The `subscriptions` service: trials, subscriptions and (later) consortium agreements, the
//! entitlements derived from them, and the webhooks that tell vendors.
//!
//! [`desk::Desk`] makes every change; [`index::EntitlementIndex`] answers the `Entitlements`
//! port from memory.

pub mod desk;
pub mod domain;
pub mod index;
pub mod storage;

use sea_orm::{DatabaseConnection, DbErr};

/// Brings the service's tables up to date.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    tilgang_store::migrate::<storage::Migrator>(db).await
}
