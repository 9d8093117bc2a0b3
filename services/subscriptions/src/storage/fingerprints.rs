//! What vendors were last told about each library with access, as a fingerprint, in
//! `subscriptions_library_fingerprints`.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::entities::fingerprint as row;
use crate::domain::SubscriptionsError;

/// The stored fingerprint of the library (ISIL key), if any.
pub async fn get(
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<String>, SubscriptionsError> {
    Ok(row::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .map(|m| m.fingerprint))
}

/// Replaces the fingerprint if it is still `was` (`None`: none stored); true when this call
/// did, so only one replica tells the vendors.
pub async fn replace(
    db: &impl ConnectionTrait,
    key: &str,
    was: Option<&str>,
    now_is: &str,
    at: DateTime<Utc>,
) -> Result<bool, SubscriptionsError> {
    let Some(was) = was else {
        let done = row::Entity::insert(row::ActiveModel {
            isil_key: Set(key.to_owned()),
            fingerprint: Set(now_is.to_owned()),
            seen_at: Set(at),
        })
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(row::Column::IsilKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
        return Ok(done == 1);
    };
    let done = row::Entity::update_many()
        .col_expr(
            row::Column::Fingerprint,
            sea_orm::sea_query::Expr::value(now_is),
        )
        .col_expr(row::Column::SeenAt, sea_orm::sea_query::Expr::value(at))
        .filter(row::Column::IsilKey.eq(key))
        .filter(row::Column::Fingerprint.eq(was))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}
