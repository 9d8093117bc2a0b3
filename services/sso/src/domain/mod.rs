//! The provider's types and rules: clients, the records of a login flow, claims release and
//! login throttling. No actix, no sea-orm.

pub mod claims;
pub mod client;
pub mod error;
pub mod flow;
pub mod keys;
pub mod throttle;

pub use error::SsoError;
