//! The register's REST API under `/api/v1`.

mod consortia;
pub(crate) mod input;
pub(crate) mod libraries;
pub(crate) mod products;
mod staff;
pub(crate) mod vendors;

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::web;
use sea_orm::DatabaseConnection;
use tilgang_kernel::Clock;
use tilgang_web::ApiError;
use utoipa::OpenApi;

use crate::domain::RegistryError;

/// What the handlers share.
pub struct State {
    /// The register's database.
    pub db: DatabaseConnection,
    /// The source of "now".
    pub clock: Arc<dyn Clock>,
}

impl From<RegistryError> for ApiError {
    fn from(e: RegistryError) -> Self {
        use RegistryError as E;
        let status = match &e {
            E::IsilInvalid { .. }
            | E::Invalid { .. }
            | E::UnknownMembers(_)
            | E::ImportUnreadable(_)
            | E::ImportInvalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            E::LibraryExists(_)
            | E::ProductSlugTaken(_)
            | E::VendorHasProducts(_)
            | E::StaffEmailTaken(_) => StatusCode::CONFLICT,
            E::LibraryNotFound(_)
            | E::VendorNotFound(_)
            | E::ProductNotFound(_)
            | E::ConsortiumNotFound(_)
            | E::StaffNotFound(_) => StatusCode::NOT_FOUND,
            E::Forbidden(_) | E::FieldNotOwned(_) => StatusCode::FORBIDDEN,
            E::Storage(_) => return ApiError::internal(e),
        };
        let mut problem = ApiError::new(status, e.code(), e.to_string());
        if let Some(field) = e.field() {
            problem = problem.with("field", field);
        }
        match &e {
            E::IsilInvalid { source, .. } => problem.with("rule", source.rule()),
            E::ImportInvalid(records) => {
                problem.with("errors", serde_json::to_value(records).unwrap_or_default())
            }
            E::UnknownMembers(isils) => {
                problem.with("isils", serde_json::to_value(isils).unwrap_or_default())
            }
            _ => problem,
        }
    }
}

/// The ISIL in a request path, recorded on the request's tracing span.
fn path_isil(text: &str) -> Result<tilgang_isil::Isil, RegistryError> {
    let isil = crate::domain::common::parse_isil("isil", text)?;
    tracing::Span::current().record("isil", isil.as_str());
    Ok(isil)
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig, state: web::Data<State>) {
    cfg.app_data(state)
        .service(
            web::resource("/api/v1/libraries:import")
                .app_data(web::PayloadConfig::new(libraries::IMPORT_LIMIT))
                .route(web::post().to(libraries::import)),
        )
        .service(libraries::list)
        .service(libraries::create)
        .service(libraries::get)
        .service(libraries::update)
        .service(libraries::remove)
        .service(vendors::list)
        .service(vendors::create)
        .service(vendors::get)
        .service(vendors::update)
        .service(vendors::remove)
        .service(products::list)
        .service(products::create)
        .service(products::get)
        .service(products::update)
        .service(products::remove)
        .service(consortia::list)
        .service(consortia::create)
        .service(consortia::get)
        .service(consortia::update)
        .service(consortia::set_members)
        .service(consortia::remove)
        .service(staff::create)
        .service(staff::list)
        .service(staff::update)
        .service(staff::reset_password);
}

/// The register's OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(
        libraries::list, libraries::create, libraries::get, libraries::update, libraries::remove, libraries::import,
        vendors::list, vendors::create, vendors::get, vendors::update, vendors::remove,
        products::list, products::create, products::get, products::update, products::remove,
        consortia::list, consortia::create, consortia::get, consortia::update, consortia::set_members, consortia::remove,
        staff::create, staff::list, staff::update, staff::reset_password,
    ),
    tags(
        (name = "libraries", description = "The register of libraries, keyed by ISIL"),
        (name = "vendors", description = "Content vendors"),
        (name = "products", description = "Vendors' products and how patrons reach them"),
        (name = "consortia", description = "Consortia and regions: named groups of libraries"),
        (name = "staff", description = "Staff accounts: who logs in to the portal, in which role"),
    ),
    security(("bearer" = []))
)]
pub struct RegistryApi;
