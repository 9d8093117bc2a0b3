//! Subscriptions in `subscriptions_subscriptions`.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use tilgang_isil::Isil;
use tilgang_kernel::{ProductId, SubscriptionId, TrialId, VendorId};

use super::entities::subscription as row;
use super::{Scope, corrupt};
use crate::domain::SubscriptionsError;
use crate::domain::subscription::{Currency, Renewal, Subscription, SubscriptionStatus};

fn to_domain(m: row::Model) -> Result<Subscription, SubscriptionsError> {
    Ok(Subscription {
        id: SubscriptionId(m.id),
        isil: Isil::parse(&m.isil).map_err(|_| corrupt("subscription ISIL"))?,
        product: ProductId(m.product_id),
        vendor: VendorId(m.vendor_id),
        starts_on: m.starts_on,
        ends_on: m.ends_on,
        price_minor: m.price_minor,
        currency: Currency::parse(&m.currency).ok_or_else(|| corrupt("currency"))?,
        renewal: Renewal::parse(&m.renewal).ok_or_else(|| corrupt("renewal"))?,
        status: SubscriptionStatus::parse(&m.status)
            .ok_or_else(|| corrupt("subscription status"))?,
        from_trial: m.from_trial.map(TrialId),
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn to_row(s: &Subscription) -> row::ActiveModel {
    row::ActiveModel {
        id: Set(s.id.0),
        isil: Set(s.isil.as_str().to_owned()),
        isil_key: Set(s.isil.key()),
        product_id: Set(s.product.0),
        vendor_id: Set(s.vendor.0),
        starts_on: Set(s.starts_on),
        ends_on: Set(s.ends_on),
        price_minor: Set(s.price_minor),
        currency: Set(s.currency.as_str().to_owned()),
        renewal: Set(s.renewal.as_str().to_owned()),
        status: Set(s.status.as_str().to_owned()),
        from_trial: Set(s.from_trial.map(|t| t.0)),
        created_at: Set(s.created_at),
        updated_at: Set(s.updated_at),
    }
}

fn all(models: Vec<row::Model>) -> Result<Vec<Subscription>, SubscriptionsError> {
    models.into_iter().map(to_domain).collect()
}

/// Stores a new subscription.
pub async fn insert(db: &impl ConnectionTrait, s: &Subscription) -> Result<(), SubscriptionsError> {
    row::Entity::insert(to_row(s)).exec(db).await?;
    Ok(())
}

/// Stores a changed subscription if nobody changed it since `was` (its `updated_at` then);
/// false when another replica or request did.
pub async fn update_from(
    db: &impl ConnectionTrait,
    s: &Subscription,
    was: chrono::DateTime<chrono::Utc>,
) -> Result<bool, SubscriptionsError> {
    let done = row::Entity::update_many()
        .set(to_row(s))
        .filter(row::Column::Id.eq(s.id.0))
        .filter(row::Column::UpdatedAt.eq(was))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// The subscription with this id.
pub async fn get(
    db: &impl ConnectionTrait,
    id: SubscriptionId,
) -> Result<Subscription, SubscriptionsError> {
    row::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .map(to_domain)
        .transpose()?
        .ok_or_else(|| SubscriptionsError::NotFound("subscription", id.to_string()))
}

/// A library's subscriptions to a product.
pub async fn of(
    db: &impl ConnectionTrait,
    isil: &Isil,
    product: ProductId,
) -> Result<Vec<Subscription>, SubscriptionsError> {
    all(row::Entity::find()
        .filter(row::Column::IsilKey.eq(isil.key()))
        .filter(row::Column::ProductId.eq(product.0))
        .order_by_asc(row::Column::StartsOn)
        .all(db)
        .await?)
}

/// Every subscription (the entitlement index and the lifecycle job read them all; a consortium
/// has thousands, not millions).
pub async fn every(db: &impl ConnectionTrait) -> Result<Vec<Subscription>, SubscriptionsError> {
    all(row::Entity::find().all(db).await?)
}

/// Subscriptions within `scope`, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
) -> Result<Vec<Subscription>, SubscriptionsError> {
    let query = scope.limit(
        row::Entity::find().order_by_desc(row::Column::CreatedAt),
        Some(row::Column::IsilKey),
        row::Column::VendorId,
        row::Column::ProductId,
    );
    all(query.all(db).await?)
}
