//! The service's REST API under `/api/v1`: trials, subscriptions, consortium agreements,
//! entitlements for vendors,
//! webhook endpoints and deliveries, and the audit trail.

mod agreements;
mod audit;
mod entitlements;
mod notices;
mod subscriptions;
mod trials;
mod webhooks;

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::web;
use chrono::NaiveDate;
use tilgang_isil::Isil;
use tilgang_kernel::Principal;
use tilgang_web::ApiError;
use utoipa::OpenApi;

use crate::desk::Desk;
use crate::domain::SubscriptionsError;
use crate::endpoints::Endpoints;
use crate::storage::Scope;

/// What the handlers share.
pub struct State {
    /// Every change goes through the desk.
    pub desk: Arc<Desk>,
    /// Webhook endpoints.
    pub endpoints: Arc<Endpoints>,
}

impl From<SubscriptionsError> for ApiError {
    fn from(e: SubscriptionsError) -> Self {
        use SubscriptionsError as E;
        let status = match &e {
            E::Invalid { .. } => StatusCode::BAD_REQUEST,
            E::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            E::Conflict { .. } => StatusCode::CONFLICT,
            E::LibraryNotFound(_) | E::ProductNotFound(_) | E::NotFound(..) => {
                StatusCode::NOT_FOUND
            }
            E::Forbidden(_) => StatusCode::FORBIDDEN,
            E::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            E::Storage(_) => return ApiError::internal(e),
        };
        let problem = ApiError::new(status, e.code(), e.to_string());
        match &e {
            E::Invalid { field, .. } => problem.with("field", field.as_str()),
            _ => problem,
        }
    }
}

/// An ISIL given in a request, parsed (400 `isil_invalid` naming the rule when it is not one).
fn parse_isil(field: &str, text: &str) -> Result<Isil, ApiError> {
    Isil::parse(text).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "isil_invalid",
            format!("{field}: {e}"),
        )
        .with("field", field)
        .with("rule", e.rule())
    })
}

/// A date given in a request (`YYYY-MM-DD`).
fn parse_date(field: &str, text: &str) -> Result<NaiveDate, SubscriptionsError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        SubscriptionsError::invalid(field, "date_invalid", "a date is written YYYY-MM-DD")
    })
}

/// What a list shows the caller: the library and product asked for (id or slug), within the
/// caller's reach. A library admin sees their libraries (asking for another is refused), a
/// vendor its own products, consortium admins everything.
async fn caller_scope(
    state: &State,
    caller: &Principal,
    isil: Option<&str>,
    product: Option<&str>,
) -> Result<Scope, ApiError> {
    let asked = isil.map(|text| parse_isil("isil", text)).transpose()?;
    let isil_keys = caller
        .library_keys(asked)
        .map_err(|isil| ApiError::forbidden(format!("you do not act for {isil}")))?;
    let vendor = caller.own_vendor();
    let product = match product {
        Some(text) => Some(state.desk.product_ref(text).await?),
        None => None,
    };
    Ok(Scope {
        isil_keys,
        vendor,
        product,
    })
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig, state: web::Data<State>) {
    cfg.app_data(state)
        .service(trials::list)
        .service(trials::request)
        .service(trials::get)
        .service(trials::confirm)
        .service(trials::decline)
        .service(trials::cancel)
        .service(trials::convert)
        .service(subscriptions::list)
        .service(subscriptions::create)
        .service(subscriptions::get)
        .service(subscriptions::cancel)
        .service(agreements::list)
        .service(agreements::create)
        .service(agreements::get)
        .service(agreements::cancel)
        .service(entitlements::list)
        .service(webhooks::list)
        .service(webhooks::create)
        .service(webhooks::deliveries)
        .service(webhooks::remove)
        .service(webhooks::test)
        .service(notices::list)
        .service(audit::list);
}

/// The service's OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(
        trials::list, trials::request, trials::get, trials::confirm, trials::decline, trials::cancel, trials::convert,
        subscriptions::list, subscriptions::create, subscriptions::get, subscriptions::cancel,
        agreements::list, agreements::create, agreements::get, agreements::cancel,
        entitlements::list,
        webhooks::list, webhooks::create, webhooks::deliveries, webhooks::remove, webhooks::test,
        notices::list,
        audit::list,
    ),
    tags(
        (name = "trials", description = "Trial periods: requested by a library, confirmed by the vendor when the product asks for it, ended by the calendar"),
        (name = "subscriptions", description = "Subscriptions of a library to a product"),
        (name = "agreements", description = "Consortium agreements: one product for many libraries, the price split equally or by population"),
        (name = "entitlements", description = "Which libraries may use a vendor's products now, for vendors that switch access on by IP address or referrer"),
        (name = "webhooks", description = "Vendors' webhook endpoints and the deliveries to them (Standard Webhooks signatures)"),
        (name = "notices", description = "Trials and subscriptions about to end, for their libraries"),
        (name = "audit", description = "Who changed which trial or subscription, and when"),
    ),
    security(("bearer" = []))
)]
pub struct SubscriptionsApi;
