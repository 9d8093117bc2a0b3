//! The service's REST API: `/api/v1/usage/*`.

mod charts;
mod cost;
mod harvest;
mod hub;
mod institutions;
mod reports;
mod sushi_credentials;

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
    /// Takes vendors' reports.
    pub push: Arc<crate::push::Push>,
    /// The register of libraries.
    pub directory: Arc<dyn tilgang_kernel::ports::LibraryDirectory>,
    /// The product catalogue.
    pub catalogue: Arc<dyn tilgang_kernel::ports::Catalogue>,
    /// What libraries paid for what.
    pub prices: Arc<dyn tilgang_kernel::ports::Prices>,
    /// Hashes the COUNTER API's keys.
    pub api_keys: tilgang_kernel::secrets::Keyed,
    /// Seals libraries' API keys at vendors' COUNTER APIs.
    pub sealer: tilgang_kernel::secrets::Sealer,
    /// Whether vendors' COUNTER APIs may be plain http.
    pub allow_http_harvest: bool,
}

impl From<UsageError> for ApiError {
    fn from(e: UsageError) -> Self {
        match &e {
            UsageError::Invalid { field, .. } => {
                ApiError::new(StatusCode::BAD_REQUEST, e.code(), e.to_string())
                    .with("field", field.as_str())
            }
            UsageError::Forbidden(_) => ApiError::forbidden(e.to_string()),
            UsageError::NotFound(..) => ApiError::not_found(e.code(), e.to_string()),
            UsageError::CounterInvalid(problems) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), e.to_string())
                    .with("errors", serde_json::to_value(problems).unwrap_or_default())
            }
            UsageError::Refused { pointer, .. } => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), e.to_string())
                    .with("pointer", pointer.as_str())
            }
            UsageError::Unavailable(_) => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, e.code(), e.to_string())
            }
            UsageError::Storage(_) => ApiError::internal(e),
        }
    }
}

/// What a report shows the caller: the library asked for within the caller's reach (a library
/// admin's own by default; asking for another is refused), and a vendor's own products.
fn caller_scope(
    caller: &tilgang_kernel::Principal,
    isil: Option<&str>,
) -> Result<(Option<Vec<String>>, Option<uuid::Uuid>), ApiError> {
    use tilgang_kernel::Isil;
    let asked = isil
        .map(|text| {
            Isil::parse(text)
                .map_err(|e| UsageError::invalid("isil", "isil_invalid", e.to_string()))
        })
        .transpose()?;
    let isil_keys = caller
        .library_keys(asked)
        .map_err(|isil| ApiError::forbidden(format!("you do not act for {isil}")))?;
    let vendor = caller.own_vendor().map(|v| v.0);
    Ok((isil_keys, vendor))
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig, state: web::Data<State>) {
    cfg.app_data(state)
        .service(cost::report)
        .service(harvest::put_account)
        .service(harvest::accounts)
        .service(harvest::delete_account)
        .service(harvest::log)
        .service(charts::chart)
        .service(hub::totals)
        .service(hub::report)
        .service(institutions::list)
        .service(institutions::map)
        .service(reports::list)
        .service(sushi_credentials::create)
        .service(sushi_credentials::list)
        .service(sushi_credentials::remove)
        .configure(crate::sushi::configure)
        .service(
            web::resource("/api/v1/usage/reports")
                .app_data(web::PayloadConfig::new(reports::LIMIT))
                .route(web::post().to(reports::push)),
        );
}

/// The service's OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(
        hub::report,
        hub::totals,
        cost::report,
        charts::chart,
        harvest::put_account,
        harvest::accounts,
        harvest::delete_account,
        harvest::log,
        reports::push,
        reports::list,
        institutions::list,
        institutions::map,
        sushi_credentials::create,
        sushi_credentials::list,
        sushi_credentials::remove
    ),
    tags((name = "usage", description = "Usage statistics: the hub's own access events per library, product and period")),
    security(("bearer" = []))
)]
pub struct UsageApi;
