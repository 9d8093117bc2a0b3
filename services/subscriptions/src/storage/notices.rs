//! Notices in `subscriptions_notices`: a library is told that a trial or subscription is about
//! to end. Each is made once (a unique index on subject, kind and end), whichever replica gets
//! there first; a new end (a renewal) makes a new notice.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;
use tilgang_kernel::ProductId;
use uuid::Uuid;

use super::entities::notice as row;
use crate::domain::SubscriptionsError;

/// A notice to a library.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Notice {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    /// The library.
    pub isil: String,
    /// The product.
    pub product: ProductId,
    /// `trial` or `subscription`.
    pub subject_kind: String,
    /// The trial's or subscription's id.
    #[schema(value_type = String, format = Uuid)]
    pub subject_id: Uuid,
    /// `trial_ending` or `subscription_ending`.
    pub kind: String,
    /// When the access ends.
    pub ends_at: DateTime<Utc>,
    /// When the notice was made.
    pub created_at: DateTime<Utc>,
    /// When it was e-mailed to the library's contacts, if it was.
    pub emailed_at: Option<DateTime<Utc>>,
}

/// Stores the notice unless it exists; true when this call made it.
pub async fn remember(db: &impl ConnectionTrait, n: &Notice) -> Result<bool, SubscriptionsError> {
    let done = row::Entity::insert(row::ActiveModel {
        id: Set(n.id),
        isil: Set(n.isil.clone()),
        isil_key: Set(n.isil.to_ascii_lowercase()),
        product_id: Set(n.product.0),
        subject_kind: Set(n.subject_kind.clone()),
        subject_id: Set(n.subject_id),
        kind: Set(n.kind.clone()),
        ends_at: Set(n.ends_at),
        created_at: Set(n.created_at),
        emailed_at: Set(n.emailed_at),
    })
    .on_conflict(
        OnConflict::columns([
            row::Column::SubjectId,
            row::Column::Kind,
            row::Column::EndsAt,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(done == 1)
}

/// Takes the notice for e-mailing at `at` unless another process did; true when this one has it.
pub async fn claim_mail(
    db: &impl ConnectionTrait,
    id: Uuid,
    at: DateTime<Utc>,
) -> Result<bool, SubscriptionsError> {
    let done = row::Entity::update_many()
        .col_expr(row::Column::EmailedAt, Expr::value(Some(at)))
        .filter(row::Column::Id.eq(id))
        .filter(row::Column::EmailedAt.is_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Gives a claimed notice back when sending failed, so a later run tries again.
pub async fn unclaim(db: &impl ConnectionTrait, id: Uuid) -> Result<(), SubscriptionsError> {
    row::Entity::update_many()
        .col_expr(
            row::Column::EmailedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(row::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Notices made after `since` and not e-mailed yet.
pub async fn unsent(
    db: &impl ConnectionTrait,
    since: DateTime<Utc>,
) -> Result<Vec<Notice>, SubscriptionsError> {
    Ok(row::Entity::find()
        .filter(row::Column::EmailedAt.is_null())
        .filter(row::Column::CreatedAt.gt(since))
        .order_by_asc(row::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(notice_of)
        .collect())
}

fn notice_of(m: row::Model) -> Notice {
    Notice {
        id: m.id,
        isil: m.isil,
        product: ProductId(m.product_id),
        subject_kind: m.subject_kind,
        subject_id: m.subject_id,
        kind: m.kind,
        ends_at: m.ends_at,
        created_at: m.created_at,
        emailed_at: m.emailed_at,
    }
}

/// The newest notices of these libraries (ISIL keys; `None` for all), at most `limit`.
pub async fn list(
    db: &impl ConnectionTrait,
    isil_keys: Option<Vec<String>>,
    limit: u64,
) -> Result<Vec<Notice>, SubscriptionsError> {
    let mut query = row::Entity::find()
        .order_by_desc(row::Column::CreatedAt)
        .limit(limit);
    if let Some(keys) = isil_keys {
        query = query.filter(row::Column::IsilKey.is_in(keys));
    }
    Ok(query.all(db).await?.into_iter().map(notice_of).collect())
}
