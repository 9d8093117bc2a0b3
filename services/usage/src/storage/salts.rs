//! One random salt per month in `usage_salts`: a patron's pseudonym is hashed with the salt
//! of the month, so the same patron has unrelated keys in different months, and once a
//! month's salt is deleted (with its raw events) nobody can link its keys to anyone.

use base64::Engine;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::entities::salt as row;
use crate::domain::UsageError;

/// The salt of `month` (`YYYY-MM`), made on first use (whichever process makes it first wins).
pub async fn of(db: &impl ConnectionTrait, month: &str) -> Result<Vec<u8>, UsageError> {
    if let Some(found) = row::Entity::find_by_id(month.to_owned()).one(db).await? {
        return decode(&found.salt);
    }
    let mut fresh = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut fresh);
    row::Entity::insert(row::ActiveModel {
        month: Set(month.to_owned()),
        salt: Set(base64::engine::general_purpose::STANDARD.encode(fresh)),
    })
    .on_conflict(
        OnConflict::column(row::Column::Month)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let stored = row::Entity::find_by_id(month.to_owned())
        .one(db)
        .await?
        .ok_or_else(|| UsageError::Storage("a month's salt vanished".into()))?;
    decode(&stored.salt)
}

/// Deletes the salts of months before `month`.
pub async fn forget_before(db: &impl ConnectionTrait, month: &str) -> Result<u64, UsageError> {
    Ok(row::Entity::delete_many()
        .filter(row::Column::Month.lt(month))
        .exec(db)
        .await?
        .rows_affected)
}

fn decode(text: &str) -> Result<Vec<u8>, UsageError> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|_| UsageError::Storage("a stored salt is not valid".into()))
}
