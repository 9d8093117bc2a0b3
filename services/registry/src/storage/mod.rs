//! The register's tables (prefix `registry_`) and the repositories that map them to domain types.
//! sea-orm entities never leave this module.

pub mod consortia;
mod entities;
pub mod libraries;
mod migration;
pub mod products;
pub mod vendors;

pub use migration::Migrator;

use sea_orm::DbErr;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::domain::RegistryError;

impl From<DbErr> for RegistryError {
    fn from(e: DbErr) -> Self {
        RegistryError::Storage(Box::new(e))
    }
}

/// A value as a JSON column.
fn to_json<T: Serialize>(value: &T) -> sea_orm::prelude::Json {
    serde_json::to_value(value).expect("domain values serialise")
}

/// A JSON column as a value; a row that does not fit is a storage error.
fn from_json<T: DeserializeOwned>(value: sea_orm::prelude::Json) -> Result<T, RegistryError> {
    serde_json::from_value(value).map_err(|e| RegistryError::Storage(Box::new(e)))
}

/// A stored enum text as its domain value.
fn stored<T>(parsed: Result<T, RegistryError>) -> Result<T, RegistryError> {
    parsed.map_err(|e| RegistryError::Storage(format!("a stored value is not valid: {e}").into()))
}

/// The lower-case text that name and ISIL search runs against.
fn search_text<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    parts
        .into_iter()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A `LIKE` pattern that matches `query` anywhere, with wildcards in the query escaped.
fn contains_pattern(query: &str) -> String {
    let escaped = query
        .trim()
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}
