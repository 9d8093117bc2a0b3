//! What a service is built from.

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use tilgang_kernel::Clock;

use crate::kv::Kv;

/// The shared resources a service is constructed with.
#[derive(Clone)]
pub struct ServiceContext {
    /// The service's database.
    pub db: DatabaseConnection,
    /// Short-lived state: sessions, codes, rate limits, caches.
    pub kv: Arc<dyn Kv>,
    /// The source of "now".
    pub clock: Arc<dyn Clock>,
}
