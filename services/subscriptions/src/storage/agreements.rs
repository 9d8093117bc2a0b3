//! Consortium agreements in `subscriptions_agreements`, their members in
//! `subscriptions_agreement_members`.

use std::collections::HashMap;

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use tilgang_isil::Isil;
use tilgang_kernel::{AgreementId, ProductId, VendorId};
use uuid::Uuid;

use super::entities::{agreement as row, agreement_member as member_row};
use super::{Scope, corrupt};
use crate::domain::SubscriptionsError;
use crate::domain::agreement::{Agreement, Member, Split};
use crate::domain::subscription::{Currency, SubscriptionStatus};

fn to_row(a: &Agreement) -> row::ActiveModel {
    row::ActiveModel {
        id: Set(a.id.0),
        name: Set(a.name.clone()),
        product_id: Set(a.product.0),
        vendor_id: Set(a.vendor.0),
        starts_on: Set(a.starts_on),
        ends_on: Set(a.ends_on),
        price_minor: Set(a.price_minor),
        currency: Set(a.currency.as_str().to_owned()),
        split: Set(a.split.as_str().to_owned()),
        status: Set(a.status.as_str().to_owned()),
        created_at: Set(a.created_at),
        updated_at: Set(a.updated_at),
    }
}

fn to_domain(m: row::Model, members: Vec<Member>) -> Result<Agreement, SubscriptionsError> {
    Ok(Agreement {
        id: AgreementId(m.id),
        name: m.name,
        product: ProductId(m.product_id),
        vendor: VendorId(m.vendor_id),
        members,
        starts_on: m.starts_on,
        ends_on: m.ends_on,
        price_minor: m.price_minor,
        currency: Currency::parse(&m.currency).ok_or_else(|| corrupt("currency"))?,
        split: Split::parse(&m.split).ok_or_else(|| corrupt("split"))?,
        status: SubscriptionStatus::parse(&m.status).ok_or_else(|| corrupt("agreement status"))?,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// Stores a new agreement and its members.
pub async fn insert(db: &impl ConnectionTrait, a: &Agreement) -> Result<(), SubscriptionsError> {
    row::Entity::insert(to_row(a)).exec(db).await?;
    let members = a.members.iter().map(|m| member_row::ActiveModel {
        agreement_id: Set(a.id.0),
        isil_key: Set(m.isil.key()),
        isil: Set(m.isil.as_str().to_owned()),
        population: Set(m.population.and_then(|p| i64::try_from(p).ok())),
    });
    member_row::Entity::insert_many(members).exec(db).await?;
    Ok(())
}

/// Stores a changed agreement (not its members) if nobody changed it since `was`.
pub async fn update_from(
    db: &impl ConnectionTrait,
    a: &Agreement,
    was: chrono::DateTime<chrono::Utc>,
) -> Result<bool, SubscriptionsError> {
    let done = row::Entity::update_many()
        .set(to_row(a))
        .filter(row::Column::Id.eq(a.id.0))
        .filter(row::Column::UpdatedAt.eq(was))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Agreements within `scope` (covering one of its libraries), newest first, with their
/// members.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
) -> Result<Vec<Agreement>, SubscriptionsError> {
    let mut query = scope.limit(
        row::Entity::find().order_by_desc(row::Column::CreatedAt),
        None,
        row::Column::VendorId,
        row::Column::ProductId,
    );
    if let Some(keys) = &scope.isil_keys {
        let ids: Vec<Uuid> = member_row::Entity::find()
            .filter(member_row::Column::IsilKey.is_in(keys.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|m| m.agreement_id)
            .collect();
        query = query.filter(row::Column::Id.is_in(ids));
    }
    with_members(db, query.all(db).await?).await
}

/// The agreement with this id.
pub async fn get(
    db: &impl ConnectionTrait,
    id: AgreementId,
) -> Result<Agreement, SubscriptionsError> {
    let found = row::Entity::find_by_id(id.0).one(db).await?;
    let found = found.ok_or_else(|| SubscriptionsError::NotFound("agreement", id.to_string()))?;
    with_members(db, vec![found])
        .await?
        .pop()
        .ok_or_else(|| corrupt("agreement"))
}

/// Every agreement (the index and the lifecycle read them all).
pub async fn every(db: &impl ConnectionTrait) -> Result<Vec<Agreement>, SubscriptionsError> {
    with_members(db, row::Entity::find().all(db).await?).await
}

async fn with_members(
    db: &impl ConnectionTrait,
    rows: Vec<row::Model>,
) -> Result<Vec<Agreement>, SubscriptionsError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut members: HashMap<Uuid, Vec<Member>> = HashMap::new();
    for m in member_row::Entity::find()
        .filter(member_row::Column::AgreementId.is_in(ids))
        .order_by_asc(member_row::Column::IsilKey)
        .all(db)
        .await?
    {
        members.entry(m.agreement_id).or_default().push(Member {
            isil: Isil::parse(&m.isil).map_err(|_| corrupt("member ISIL"))?,
            population: m.population.and_then(|p| u64::try_from(p).ok()),
        });
    }
    rows.into_iter()
        .map(|r| {
            let of = members.remove(&r.id).unwrap_or_default();
            to_domain(r, of)
        })
        .collect()
}
