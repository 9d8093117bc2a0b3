//! Trials in `subscriptions_trials`.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use tilgang_isil::Isil;
use tilgang_kernel::{ProductId, TrialId, VendorId};

use super::entities::trial as row;
use super::{Scope, corrupt};
use crate::domain::SubscriptionsError;
use crate::domain::trial::{Trial, TrialState};

fn to_domain(m: row::Model) -> Result<Trial, SubscriptionsError> {
    Ok(Trial {
        id: TrialId(m.id),
        isil: Isil::parse(&m.isil).map_err(|_| corrupt("trial ISIL"))?,
        product: ProductId(m.product_id),
        vendor: VendorId(m.vendor_id),
        state: TrialState::parse(&m.state).ok_or_else(|| corrupt("trial state"))?,
        days: u16::try_from(m.days).map_err(|_| corrupt("trial length"))?,
        requested_at: m.requested_at,
        requested_by: m.requested_by,
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        updated_at: m.updated_at,
    })
}

fn to_row(t: &Trial) -> row::ActiveModel {
    row::ActiveModel {
        id: Set(t.id.0),
        isil: Set(t.isil.as_str().to_owned()),
        isil_key: Set(t.isil.key()),
        product_id: Set(t.product.0),
        vendor_id: Set(t.vendor.0),
        state: Set(t.state.as_str().to_owned()),
        days: Set(i32::from(t.days)),
        requested_at: Set(t.requested_at),
        requested_by: Set(t.requested_by.clone()),
        starts_at: Set(t.starts_at),
        ends_at: Set(t.ends_at),
        updated_at: Set(t.updated_at),
    }
}

fn all(models: Vec<row::Model>) -> Result<Vec<Trial>, SubscriptionsError> {
    models.into_iter().map(to_domain).collect()
}

/// Stores a new trial.
pub async fn insert(db: &impl ConnectionTrait, trial: &Trial) -> Result<(), SubscriptionsError> {
    row::Entity::insert(to_row(trial)).exec(db).await?;
    Ok(())
}

/// Stores a changed trial if it is still in state `was`; false when another replica or request
/// changed it first (then nothing is written).
pub async fn update_from(
    db: &impl ConnectionTrait,
    trial: &Trial,
    was: TrialState,
) -> Result<bool, SubscriptionsError> {
    let done = row::Entity::update_many()
        .set(to_row(trial))
        .filter(row::Column::Id.eq(trial.id.0))
        .filter(row::Column::State.eq(was.as_str()))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// The trial with this id.
pub async fn get(db: &impl ConnectionTrait, id: TrialId) -> Result<Trial, SubscriptionsError> {
    row::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .map(to_domain)
        .transpose()?
        .ok_or_else(|| SubscriptionsError::NotFound("trial", id.to_string()))
}

/// A library's trials of a product, oldest first.
pub async fn of(
    db: &impl ConnectionTrait,
    isil: &Isil,
    product: ProductId,
) -> Result<Vec<Trial>, SubscriptionsError> {
    all(row::Entity::find()
        .filter(row::Column::IsilKey.eq(isil.key()))
        .filter(row::Column::ProductId.eq(product.0))
        .order_by_asc(row::Column::RequestedAt)
        .all(db)
        .await?)
}

/// Trials within `scope` (in `state`, when given), newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    state: Option<TrialState>,
) -> Result<Vec<Trial>, SubscriptionsError> {
    let mut query = scope.limit(
        row::Entity::find().order_by_desc(row::Column::RequestedAt),
        Some(row::Column::IsilKey),
        row::Column::VendorId,
        row::Column::ProductId,
    );
    if let Some(state) = state {
        query = query.filter(row::Column::State.eq(state.as_str()));
    }
    all(query.all(db).await?)
}

/// Trials that give access at some time (the entitlement index is built from them).
pub async fn with_access(db: &impl ConnectionTrait) -> Result<Vec<Trial>, SubscriptionsError> {
    all(row::Entity::find()
        .filter(row::Column::StartsAt.is_not_null())
        .filter(row::Column::State.is_not_in([
            TrialState::Requested.as_str(),
            TrialState::Declined.as_str(),
        ]))
        .all(db)
        .await?)
}

/// Active trials whose time is up at `now`.
pub async fn due(
    db: &impl ConnectionTrait,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<Trial>, SubscriptionsError> {
    all(row::Entity::find()
        .filter(row::Column::State.eq(TrialState::Active.as_str()))
        .filter(row::Column::EndsAt.lte(now))
        .all(db)
        .await?)
}
