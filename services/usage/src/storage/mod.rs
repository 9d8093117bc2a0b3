//! The service's tables (prefix `usage_`) and the repositories over them. sea-orm entities
//! never leave this module.

pub mod counter_reports;
mod entities;
pub mod events;
pub mod harvests;
pub mod institutions;
mod migration;
pub mod rollups;
pub mod salts;
pub mod sushi_credentials;
pub mod totals;

pub use migration::Migrator;
