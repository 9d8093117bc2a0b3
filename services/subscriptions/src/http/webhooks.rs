//! `/api/v1/webhooks`: a vendor's endpoints, and the deliveries to them.

use actix_web::{HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};
use tilgang_kernel::{EndpointId, VendorId};
use tilgang_web::{ApiError, Authenticated, PageParams};

use super::State;
use crate::endpoints::acting_vendor;
use crate::storage::outbox::{self, Delivery, DeliveryFilter, Endpoint};

/// A new endpoint.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndpointInput {
    /// The vendor (consortium admins only; a vendor's own by default).
    vendor: Option<VendorId>,
    /// Where events are POSTed; https.
    #[schema(example = "https://vendor.example/hooks/tilgang")]
    url: String,
    /// The events wanted: `trial.requested`, `trial.started`, `trial.ended`,
    /// `trial.converted`, `subscription.started`, `subscription.ended`, `agreement.changed`,
    /// `library.updated`.
    #[schema(example = json!(["trial.started", "trial.ended"]))]
    events: Vec<String>,
}

/// A new endpoint, with the secret that signs its deliveries; the secret is shown only here.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NewEndpoint {
    /// The endpoint.
    #[serde(flatten)]
    endpoint: Endpoint,
    /// The signing secret (Standard Webhooks, `whsec_` and base64).
    secret: String,
}

/// Whose endpoints.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VendorQuery {
    /// The vendor (consortium admins; a vendor sees its own).
    vendor: Option<VendorId>,
}

/// The caller's endpoints (consortium admins: every vendor's, or one's).
#[utoipa::path(tag = "webhooks", params(VendorQuery), responses((status = 200, body = Vec<Endpoint>), (status = 403)))]
#[get("/api/v1/webhooks")]
pub async fn list(
    state: web::Data<State>,
    caller: Authenticated,
    query: web::Query<VendorQuery>,
) -> Result<web::Json<Vec<Endpoint>>, ApiError> {
    Ok(web::Json(
        state.endpoints.list(&caller, query.vendor).await?,
    ))
}

/// Adds an endpoint. Each delivery carries `webhook-id`, `webhook-timestamp` and
/// `webhook-signature` (HMAC-SHA256 of `id.timestamp.body` with the secret), is retried with
/// growing waits for more than 24 hours until the endpoint answers 2xx, and is then marked
/// failed.
#[utoipa::path(
    tag = "webhooks",
    request_body = EndpointInput,
    responses((status = 201, body = NewEndpoint), (status = 400), (status = 403), (status = 409, description = "too many endpoints"), (status = 422, description = "not https"))
)]
#[post("/api/v1/webhooks")]
pub async fn create(
    state: web::Data<State>,
    caller: Authenticated,
    body: web::Json<EndpointInput>,
) -> Result<HttpResponse, ApiError> {
    let added = state
        .endpoints
        .add(&caller, body.vendor, &body.url, &body.events)
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            "location",
            format!("/api/v1/webhooks/{}", added.endpoint.id),
        ))
        .json(NewEndpoint {
            endpoint: added.endpoint,
            secret: added.secret,
        }))
}

/// Removes an endpoint; deliveries still waiting for it are marked failed.
#[utoipa::path(tag = "webhooks", params(("id" = EndpointId, Path)), responses((status = 204), (status = 404)))]
#[delete("/api/v1/webhooks/{id}")]
pub async fn remove(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<EndpointId>,
) -> Result<HttpResponse, ApiError> {
    state.endpoints.remove(&caller, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Sends a `webhook.test` event to this endpoint alone, whatever events it asked for, so that
/// a vendor can check that it receives and verifies deliveries. The delivery is queued
/// (answered with it, `pending`), tried once, and appears in the delivery log; another test of
/// the endpoint is refused while one is on its way.
#[utoipa::path(tag = "webhooks", params(("id" = EndpointId, Path)), responses((status = 202, body = Delivery), (status = 404), (status = 409, description = "a test for this endpoint is still on its way")))]
#[post("/api/v1/webhooks/{id}/test")]
pub async fn test(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<EndpointId>,
) -> Result<HttpResponse, ApiError> {
    let delivery = state.endpoints.send_test(&caller, *id).await?;
    Ok(HttpResponse::Accepted().json(delivery))
}

/// Which deliveries.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// The vendor (consortium admins may leave it out to see every vendor's).
    vendor: Option<VendorId>,
    /// Only `pending`, `delivered` or `failed` ones.
    state: Option<String>,
}

/// The delivery log, newest first (`limit`, default 50): a vendor's own, or for consortium
/// admins every vendor's, such as all that failed.
#[utoipa::path(tag = "webhooks", params(DeliveryQuery, PageParams), responses((status = 200, body = Vec<Delivery>), (status = 403)))]
#[get("/api/v1/webhooks/deliveries")]
pub async fn deliveries(
    state: web::Data<State>,
    caller: Authenticated,
    query: web::Query<DeliveryQuery>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Vec<Delivery>>, ApiError> {
    let vendor = match query.vendor {
        None if caller.acts_for_all() => None,
        asked => Some(acting_vendor(&caller, asked)?),
    };
    let filter = DeliveryFilter {
        vendor,
        state: query.state.clone(),
    };
    Ok(web::Json(
        outbox::deliveries(&state.desk.db, &filter, page.limit()).await?,
    ))
}
