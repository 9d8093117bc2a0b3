//! The webhook outbox: endpoints in `subscriptions_webhook_endpoints`, and one row per event and
//! endpoint in `subscriptions_webhook_deliveries`, written in the transaction of the change so
//! that an event exists exactly when its change does.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use tilgang_kernel::{EndpointId, VendorId};
use uuid::Uuid;

use super::corrupt;
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
        insert(db, e.id, vendor, kind, &body, now).await?;
        queued += 1;
    }
    Ok(queued)
}

/// Queues `kind` with `data` for the endpoint `id` of `vendor` alone, whatever events it
/// asked for (the test event): the delivery.
pub async fn enqueue_to(
    db: &impl ConnectionTrait,
    id: EndpointId,
    vendor: VendorId,
    kind: EventType,
    data: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<Delivery, SubscriptionsError> {
    let row = insert(db, id.0, vendor, kind, &payload(kind, now, data), now).await?;
    Ok(delivery_of(row))
}

async fn insert(
    db: &impl ConnectionTrait,
    endpoint: Uuid,
    vendor: VendorId,
    kind: EventType,
    body: &str,
    now: DateTime<Utc>,
) -> Result<delivery::Model, SubscriptionsError> {
    let row = delivery::Model {
        id: Uuid::now_v7(),
        endpoint_id: endpoint,
        vendor_id: vendor.0,
        event_type: kind.as_str().to_owned(),
        payload: body.to_owned(),
        created_at: now,
        next_attempt_at: now,
        attempts: 0,
        state: PENDING.to_owned(),
        last_status: None,
        last_error: None,
        delivered_at: None,
    };
    delivery::Entity::insert(delivery::ActiveModel::from(row.clone()).reset_all())
        .exec(db)
        .await?;
    Ok(row)
}

/// A vendor's webhook endpoint.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Endpoint {
    /// Id.
    pub id: EndpointId,
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

/// A vendor's endpoints (every vendor's when `None`), oldest first.
pub async fn endpoints(
    db: &impl ConnectionTrait,
    vendor: Option<VendorId>,
) -> Result<Vec<Endpoint>, SubscriptionsError> {
    let mut query = endpoint::Entity::find().order_by_asc(endpoint::Column::Id);
    if let Some(vendor) = vendor {
        query = query.filter(endpoint::Column::VendorId.eq(vendor.0));
    }
    query.all(db).await?.into_iter().map(endpoint_of).collect()
}

/// The endpoint with this id.
pub async fn endpoint(
    db: &impl ConnectionTrait,
    id: EndpointId,
) -> Result<Endpoint, SubscriptionsError> {
    endpoint::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .map(endpoint_of)
        .transpose()?
        .ok_or_else(|| SubscriptionsError::NotFound("webhook endpoint", id.to_string()))
}

fn endpoint_of(m: endpoint::Model) -> Result<Endpoint, SubscriptionsError> {
    let names: Vec<String> =
        serde_json::from_value(m.events).map_err(|_| corrupt("endpoint's events"))?;
    Ok(Endpoint {
        id: EndpointId(m.id),
        vendor: VendorId(m.vendor_id),
        url: m.url,
        events: names
            .iter()
            .filter_map(|n| EventType::parse(n).ok())
            .collect(),
        secret_sealed: m.secret_sealed,
        created_at: m.created_at,
    })
}

/// Removes an endpoint; what was still waiting for it is marked failed.
pub async fn remove_endpoint(
    db: &impl ConnectionTrait,
    id: EndpointId,
    now: DateTime<Utc>,
) -> Result<(), SubscriptionsError> {
    delivery::Entity::update_many()
        .col_expr(delivery::Column::State, Expr::value(FAILED))
        .col_expr(
            delivery::Column::LastError,
            Expr::value("the endpoint was removed"),
        )
        .col_expr(delivery::Column::NextAttemptAt, Expr::value(now))
        .filter(delivery::Column::EndpointId.eq(id.0))
        .filter(delivery::Column::State.eq(PENDING))
        .exec(db)
        .await?;
    endpoint::Entity::delete_by_id(id.0).exec(db).await?;
    Ok(())
}

/// A delivery waiting to be sent.
pub const PENDING: &str = "pending";
/// A delivery the endpoint accepted.
pub const DELIVERED: &str = "delivered";
/// A delivery given up after the last retry.
pub const FAILED: &str = "failed";

/// One queued or finished delivery of an event to an endpoint.
pub use tilgang_kernel::ports::WebhookDelivery as Delivery;

fn delivery_of(m: delivery::Model) -> Delivery {
    Delivery {
        id: m.id,
        endpoint: EndpointId(m.endpoint_id),
        vendor: VendorId(m.vendor_id),
        event_type: m.event_type,
        payload: m.payload,
        state: m.state,
        attempts: m.attempts,
        created_at: m.created_at,
        next_attempt_at: m.next_attempt_at,
        last_status: m.last_status,
        last_error: m.last_error,
        delivered_at: m.delivered_at,
    }
}

/// Which deliveries to list.
#[derive(Debug, Default, Clone)]
pub struct DeliveryFilter {
    /// Only this vendor's.
    pub vendor: Option<VendorId>,
    /// Only in this state.
    pub state: Option<String>,
}

/// Deliveries matching `filter`, newest first, at most `limit`.
pub async fn deliveries(
    db: &impl ConnectionTrait,
    filter: &DeliveryFilter,
    limit: u64,
) -> Result<Vec<Delivery>, SubscriptionsError> {
    let mut query = delivery::Entity::find()
        .order_by_desc(delivery::Column::Id)
        .limit(limit);
    if let Some(vendor) = filter.vendor {
        query = query.filter(delivery::Column::VendorId.eq(vendor.0));
    }
    if let Some(state) = &filter.state {
        query = query.filter(delivery::Column::State.eq(state.as_str()));
    }
    Ok(query.all(db).await?.into_iter().map(delivery_of).collect())
}

/// A vendor's deliveries, oldest first.
pub async fn deliveries_of(
    db: &impl ConnectionTrait,
    vendor: VendorId,
) -> Result<Vec<Delivery>, SubscriptionsError> {
    let filter = DeliveryFilter {
        vendor: Some(vendor),
        state: None,
    };
    let mut all = deliveries(db, &filter, u64::MAX >> 1).await?;
    all.reverse();
    Ok(all)
}

/// Pending deliveries due at `now`, oldest first, at most `limit`.
pub async fn due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Delivery>, SubscriptionsError> {
    Ok(delivery::Entity::find()
        .filter(delivery::Column::State.eq(PENDING))
        .filter(delivery::Column::NextAttemptAt.lte(now))
        .order_by_asc(delivery::Column::NextAttemptAt)
        .order_by_asc(delivery::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(delivery_of)
        .collect())
}

/// Takes a due delivery for this process until `until`, if no other process took it since it
/// was read (its `next_attempt_at` is still what was read); true when this process has it.
pub async fn claim(
    db: &impl ConnectionTrait,
    d: &Delivery,
    until: DateTime<Utc>,
) -> Result<bool, SubscriptionsError> {
    let done = delivery::Entity::update_many()
        .col_expr(delivery::Column::NextAttemptAt, Expr::value(until))
        .filter(delivery::Column::Id.eq(d.id))
        .filter(delivery::Column::State.eq(PENDING))
        .filter(delivery::Column::NextAttemptAt.eq(d.next_attempt_at))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Records an attempt's outcome: its state, next time, HTTP status and error.
pub async fn record_attempt(
    db: &impl ConnectionTrait,
    d: &Delivery,
) -> Result<(), SubscriptionsError> {
    delivery::Entity::update_many()
        .col_expr(delivery::Column::State, Expr::value(d.state.clone()))
        .col_expr(delivery::Column::Attempts, Expr::value(d.attempts))
        .col_expr(
            delivery::Column::NextAttemptAt,
            Expr::value(d.next_attempt_at),
        )
        .col_expr(delivery::Column::LastStatus, Expr::value(d.last_status))
        .col_expr(
            delivery::Column::LastError,
            Expr::value(d.last_error.clone()),
        )
        .col_expr(delivery::Column::DeliveredAt, Expr::value(d.delivered_at))
        .filter(delivery::Column::Id.eq(d.id))
        .exec(db)
        .await?;
    Ok(())
}
