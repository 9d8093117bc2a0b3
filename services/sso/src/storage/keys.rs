//! Signing keys, sealed at rest.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};

use super::corrupt;
use super::entities::signing_key;
use crate::domain::SsoError;
use crate::domain::client::SigningAlg;
use crate::domain::keys::KeyTimes;

/// A stored key: its times and its sealed private part.
pub struct StoredKey {
    /// When it signs and is published.
    pub times: KeyTimes,
    /// The private key, sealed with the data key (context: the kid).
    pub sealed: String,
}

/// Every stored key.
pub async fn all(db: &DatabaseConnection) -> Result<Vec<StoredKey>, SsoError> {
    signing_key::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|row| {
            Ok(StoredKey {
                times: KeyTimes {
                    alg: SigningAlg::parse(&row.alg).ok_or_else(|| corrupt("key algorithm"))?,
                    kid: row.kid,
                    created_at: row.created_at,
                    activates_at: row.activates_at,
                    retires_at: row.retires_at,
                    expires_at: row.expires_at,
                },
                sealed: row.sealed,
            })
        })
        .collect()
}

/// Stores a new key.
pub async fn create(db: &DatabaseConnection, key: &StoredKey) -> Result<(), SsoError> {
    let t = &key.times;
    signing_key::ActiveModel {
        kid: Set(t.kid.clone()),
        alg: Set(t.alg.as_str().to_owned()),
        sealed: Set(key.sealed.clone()),
        created_at: Set(t.created_at),
        activates_at: Set(t.activates_at),
        retires_at: Set(t.retires_at),
        expires_at: Set(t.expires_at),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Changes when a key stops signing and stops being published.
pub async fn retire(
    db: &DatabaseConnection,
    kid: &str,
    retires_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), SsoError> {
    signing_key::ActiveModel {
        kid: sea_orm::Unchanged(kid.to_owned()),
        retires_at: Set(retires_at),
        expires_at: Set(expires_at),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Deletes keys no longer published at `now`.
pub async fn purge(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<(), SsoError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    signing_key::Entity::delete_many()
        .filter(signing_key::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    Ok(())
}
