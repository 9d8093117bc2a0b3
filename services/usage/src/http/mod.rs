//! The service's REST API: `/api/v1/usage/*`.

mod hub;

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::web;
use tilgang_kernel::Clock;
use tilgang_web::ApiError;
use utoipa::OpenApi;

use crate::domain::UsageError;

/// What the handlers share.
pub struct State {
    /// The service's database.
    pub db: sea_orm::DatabaseConnection,
    /// The source of "now".
    pub clock: Arc<dyn Clock>,
}

impl From<UsageError> for ApiError {
    fn from(e: UsageError) -> Self {
        match &e {
            UsageError::Invalid { field, .. } => {
                ApiError::new(StatusCode::BAD_REQUEST, e.code(), e.to_string())
                    .with("field", field.as_str())
            }
            UsageError::Forbidden(_) => ApiError::forbidden(e.to_string()),
            UsageError::Storage(_) => ApiError::internal(e),
        }
    }
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig, state: web::Data<State>) {
    cfg.app_data(state).service(hub::report);
}

/// The service's OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(hub::report),
    tags((name = "usage", description = "Usage statistics: the hub's own access events per library, product and period")),
    security(("bearer" = []))
)]
pub struct UsageApi;
