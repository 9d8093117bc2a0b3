//! The webhook outbox: endpoints in `subscriptions_webhook_endpoints`, and one row per event and
//! endpoint in `subscriptions_webhook_deliveries`, written in the transaction of the change so
//! that an event exists exactly when its change does.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use tilgang_kernel::VendorId;
use uuid::Uuid;

use super::entities::{delivery, endpoint};
use crate::domain::SubscriptionsError;
use crate::domain::webhook::{EventType, payload};

/// Queues `kind` with `data` for every endpoint of `vendor` that asked for it.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    vendor: VendorId,
    kind: EventType,
    data: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<usize, SubscriptionsError> {
    let endpoints = endpoint::Entity::find()
        .filter(endpoint::Column::VendorId.eq(vendor.0))
        .all(db)
        .await?;
    let body = payload(kind, now, data);
    let mut queued = 0;
    for e in endpoints {
        let wanted: Vec<String> = serde_json::from_value(e.events).unwrap_or_default();
        if !wanted.iter().any(|w| w == kind.as_str()) {
            continue;
        }
        delivery::Entity::insert(delivery::ActiveModel {
            id: Set(Uuid::now_v7()),
            endpoint_id: Set(e.id),
            vendor_id: Set(vendor.0),
            event_type: Set(kind.as_str().to_owned()),
            payload: Set(body.clone()),
            created_at: Set(now),
            next_attempt_at: Set(now),
            attempts: Set(0),
            state: Set("pending".to_owned()),
            last_status: Set(None),
            last_error: Set(None),
            delivered_at: Set(None),
        })
        .exec(db)
        .await?;
        queued += 1;
    }
    Ok(queued)
}

/// A vendor's webhook endpoint.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Endpoint {
    /// Id.
    pub id: tilgang_kernel::EndpointId,
    /// The vendor.
    pub vendor: VendorId,
    /// Where events are POSTed.
    pub url: String,
    /// The events it wants.
    pub events: Vec<EventType>,
    /// The signing secret, sealed; never shown after creation.
    #[serde(skip)]
    pub secret_sealed: String,
    /// Created.
    pub created_at: DateTime<Utc>,
}

/// Stores a new endpoint.
pub async fn add_endpoint(
    db: &impl ConnectionTrait,
    e: &Endpoint,
) -> Result<(), SubscriptionsError> {
    let events: Vec<&str> = e.events.iter().map(|k| k.as_str()).collect();
    endpoint::Entity::insert(endpoint::ActiveModel {
        id: Set(e.id.0),
        vendor_id: Set(e.vendor.0),
        url: Set(e.url.clone()),
        events: Set(serde_json::json!(events)),
        secret_sealed: Set(e.secret_sealed.clone()),
        created_at: Set(e.created_at),
        updated_at: Set(e.created_at),
    })
    .exec(db)
    .await?;
    Ok(())
}

/// One queued or finished delivery.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Delivery {
    /// The message id (`webhook-id`).
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    /// The endpoint.
    pub endpoint: tilgang_kernel::EndpointId,
    /// The event type.
    pub event_type: String,
    /// The body sent.
    pub payload: String,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    /// Attempts so far.
    pub attempts: i32,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
}

/// A vendor's deliveries, oldest first.
pub async fn deliveries_of(
    db: &impl ConnectionTrait,
    vendor: VendorId,
) -> Result<Vec<Delivery>, SubscriptionsError> {
    use sea_orm::QueryOrder;
    Ok(delivery::Entity::find()
        .filter(delivery::Column::VendorId.eq(vendor.0))
        .order_by_asc(delivery::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| Delivery {
            id: m.id,
            endpoint: tilgang_kernel::EndpointId(m.endpoint_id),
            event_type: m.event_type,
            payload: m.payload,
            state: m.state,
            attempts: m.attempts,
            created_at: m.created_at,
        })
        .collect())
}
