//! Types and rules of trials, subscriptions, entitlements and webhooks; no actix, no sea-orm.

pub mod agreement;
pub mod entitlement;
pub mod error;
pub mod subscription;
pub mod time;
pub mod trial;
pub mod webhook;

pub use error::SubscriptionsError;
