//! The audit trail in `subscriptions_audit`: who changed what, when.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use tilgang_isil::Isil;
use tilgang_kernel::{ProductId, VendorId};
use uuid::Uuid;

use super::Scope;
use super::entities::audit as row;
use crate::domain::SubscriptionsError;

/// One entry of the audit trail.
pub use tilgang_kernel::ports::AuditEntry;

/// What a change is about.
#[derive(Debug, Clone)]
pub struct Subject {
    /// The library.
    pub isil: Isil,
    /// The product's vendor.
    pub vendor: VendorId,
    /// The product.
    pub product: ProductId,
    /// `trial` or `subscription`.
    pub kind: &'static str,
    /// Its id.
    pub id: Uuid,
}

/// Records an entry.
pub async fn record(
    db: &impl ConnectionTrait,
    at: DateTime<Utc>,
    actor: &str,
    subject: &Subject,
    action: &str,
    detail: serde_json::Value,
) -> Result<(), SubscriptionsError> {
    row::Entity::insert(row::ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(at),
        actor: Set(actor.to_owned()),
        isil: Set(subject.isil.as_str().to_owned()),
        isil_key: Set(subject.isil.key()),
        vendor_id: Set(subject.vendor.0),
        product_id: Set(subject.product.0),
        subject_kind: Set(subject.kind.to_owned()),
        subject_id: Set(subject.id),
        action: Set(action.to_owned()),
        detail: Set(detail),
    })
    .exec(db)
    .await?;
    Ok(())
}

/// The newest entries within `scope` (after `since`, when given), at most `limit`.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    since: Option<DateTime<Utc>>,
    limit: u64,
) -> Result<Vec<AuditEntry>, SubscriptionsError> {
    let mut query = scope.limit(
        row::Entity::find()
            .order_by_desc(row::Column::At)
            .limit(limit),
        Some(row::Column::IsilKey),
        row::Column::VendorId,
        row::Column::ProductId,
    );
    if let Some(since) = since {
        query = query.filter(row::Column::At.gt(since));
    }
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(|m| AuditEntry {
            at: m.at,
            actor: m.actor,
            isil: m.isil,
            vendor: VendorId(m.vendor_id),
            product: ProductId(m.product_id),
            subject_kind: m.subject_kind,
            subject_id: m.subject_id,
            action: m.action,
            detail: m.detail,
        })
        .collect())
}
