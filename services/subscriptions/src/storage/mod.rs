//! The service's tables (prefix `subscriptions_`) and the repositories over them. sea-orm
//! entities never leave this module.

pub mod agreements;
pub mod audit;
mod entities;
pub mod fingerprints;
mod migration;
pub mod notices;
pub mod outbox;
pub mod subscriptions;
pub mod trials;

pub use migration::Migrator;

use crate::domain::SubscriptionsError;

fn corrupt(what: &str) -> SubscriptionsError {
    SubscriptionsError::Storage(format!("a stored {what} is not valid").into())
}
