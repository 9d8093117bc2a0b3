//! The register's types and rules. No actix, no sea-orm: requests become these types through
//! `TryFrom`, and storage maps them to rows.

pub mod common;
pub mod consortium;
pub mod error;
pub mod import;
pub mod library;
pub mod logo;
pub mod product;
pub mod staff;
pub mod vendor;

pub use error::RegistryError;
