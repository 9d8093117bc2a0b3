//! Types and rules of usage statistics; no actix, no sea-orm.

pub mod cost;
pub mod error;
pub mod harvest;
pub mod report;
pub mod time;

pub use error::UsageError;
