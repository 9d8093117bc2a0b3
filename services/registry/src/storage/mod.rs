//! The register's tables (prefix `registry_`) and the repositories that map them to domain types.
//! sea-orm entities never leave this module.

pub mod consortia;
mod entities;
pub mod libraries;
pub mod logos;
mod migration;
pub mod products;
pub mod staff;
pub mod vendors;

pub use migration::Migrator;

use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryOrder, QuerySelect,
    Select,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::domain::RegistryError;
use crate::domain::common::WebUrl;

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

/// `text LIKE %query%` for a lower-case `text`, with wildcards in the query taken literally.
fn contains(text: Expr, query: &str) -> Expr {
    let escaped = query
        .trim()
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    text.like(LikeExpr::new(format!("%{escaped}%")).escape('\\'))
}

/// A stored URL as its domain value.
fn stored_url(text: Option<String>) -> Result<Option<WebUrl>, RegistryError> {
    text.map(|t| WebUrl::parse("stored", &t))
        .transpose()
        .map_err(|e| RegistryError::Storage(Box::new(e)))
}

/// One page of `select` in `order`, mapped to domain values, and the number of rows in all.
async fn page<E: EntityTrait, T>(
    db: &DatabaseConnection,
    select: Select<E>,
    order: impl ColumnTrait,
    limit: u64,
    offset: u64,
    to_domain: fn(E::Model) -> Result<T, RegistryError>,
) -> Result<(Vec<T>, u64), RegistryError>
where
    E::Model: Sync,
{
    let total = select.clone().count(db).await?;
    let rows = select
        .order_by_asc(order)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok((
        rows.into_iter().map(to_domain).collect::<Result<_, _>>()?,
        total,
    ))
}
