//! The provider's tables (prefix `sso_`) and the repositories over them. sea-orm entities never
//! leave this module.

pub mod clients;
mod entities;
pub mod grants;
pub mod keys;
mod migration;
pub mod patron_logins;
pub mod setups;
pub mod shared;

pub use migration::Migrator;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::domain::SsoError;

fn to_json<T: Serialize>(value: &T) -> sea_orm::prelude::Json {
    serde_json::to_value(value).expect("domain values serialise")
}

fn from_json<T: DeserializeOwned>(value: sea_orm::prelude::Json) -> Result<T, SsoError> {
    serde_json::from_value(value).map_err(|e| SsoError::Storage(Box::new(e)))
}

fn corrupt(what: &str) -> SsoError {
    SsoError::Storage(format!("a stored {what} is not valid").into())
}
