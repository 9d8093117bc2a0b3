//! Credentials of the hub's COUNTER API clients in `usage_sushi_credentials`: a requestor id,
//! the keyed hash of its API key, and the libraries it may harvest.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, QueryOrder};
use serde::Serialize;
use tilgang_kernel::Isil;

use super::entities::sushi_credential as row;
use crate::domain::UsageError;

/// A credential, without its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SushiCredential {
    /// The COUNTER API's `requestor_id`.
    pub requestor_id: String,
    /// What it is for, such as the harvesting tool's name.
    pub name: String,
    /// The libraries it may harvest; none: every library.
    #[schema(value_type = Option<Vec<String>>)]
    pub isils: Option<Vec<Isil>>,
    /// Who made it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl SushiCredential {
    /// Whether it may harvest `isil`.
    pub fn covers(&self, isil: &Isil) -> bool {
        self.isils.as_ref().is_none_or(|all| {
            all.iter()
                .any(|i| i.as_str().eq_ignore_ascii_case(isil.as_str()))
        })
    }
}

fn credential(m: row::Model) -> SushiCredential {
    SushiCredential {
        requestor_id: m.requestor_id,
        name: m.name,
        isils: m.isils.map(|text| {
            text.split_whitespace()
                .filter_map(|i| Isil::parse(i).ok())
                .collect()
        }),
        created_by: m.created_by,
        created_at: m.created_at,
    }
}

/// Stores a credential with the hash of its key.
pub async fn insert(
    db: &impl ConnectionTrait,
    c: &SushiCredential,
    key_hash: &str,
) -> Result<(), UsageError> {
    row::Entity::insert(row::ActiveModel {
        requestor_id: Set(c.requestor_id.clone()),
        key_hash: Set(key_hash.to_owned()),
        name: Set(c.name.clone()),
        isils: Set(c.isils.as_ref().map(|all| {
            all.iter()
                .map(|i| i.as_str().to_owned())
                .collect::<Vec<_>>()
                .join(" ")
        })),
        created_by: Set(c.created_by.clone()),
        created_at: Set(c.created_at),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The credential with this requestor id and the hash of its key.
pub async fn find(
    db: &impl ConnectionTrait,
    requestor_id: &str,
) -> Result<Option<(SushiCredential, String)>, UsageError> {
    Ok(row::Entity::find_by_id(requestor_id.to_owned())
        .one(db)
        .await?
        .map(|m| {
            let hash = m.key_hash.clone();
            (credential(m), hash)
        }))
}

/// Every credential, oldest first.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<SushiCredential>, UsageError> {
    Ok(row::Entity::find()
        .order_by_asc(row::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(credential)
        .collect())
}

/// Deletes a credential; whether there was one.
pub async fn delete(db: &impl ConnectionTrait, requestor_id: &str) -> Result<bool, UsageError> {
    Ok(row::Entity::delete_by_id(requestor_id.to_owned())
        .exec(db)
        .await?
        .rows_affected
        > 0)
}
