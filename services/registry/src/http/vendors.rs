//! `/api/v1/vendors`: content vendors.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use tilgang_kernel::{Principal, VendorId};
use tilgang_web::{ApiError, Authenticated, Page, PageParams};

use super::State;
use super::input::{VendorInput, required};
use crate::domain::error::RegistryError;
use crate::domain::vendor::{self, Vendor, VendorFields};
use crate::storage::vendors as repo;

/// Filters for the vendor list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VendorQuery {
    /// Text in the vendor's name.
    q: Option<String>,
}

/// Lists vendors, by name.
#[utoipa::path(tag = "vendors", params(VendorQuery, PageParams), responses((status = 200, body = Page<Vendor>)))]
#[get("/api/v1/vendors")]
pub async fn list(
    state: web::Data<State>,
    _caller: Authenticated,
    query: web::Query<VendorQuery>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<Vendor>>, ApiError> {
    let (items, total) =
        repo::list(&state.db, query.q.as_deref(), page.limit(), page.offset()).await?;
    Ok(web::Json(Page::new(items, total, *page)))
}

/// Registers a vendor (consortium admins).
#[utoipa::path(tag = "vendors", request_body = VendorInput, responses((status = 201, body = Vendor), (status = 403), (status = 422)))]
#[post("/api/v1/vendors")]
pub async fn create(
    state: web::Data<State>,
    caller: Authenticated,
    body: web::Json<VendorInput>,
) -> Result<HttpResponse, ApiError> {
    let vendor = register(&state.db, &caller, body.into_inner(), state.clock.now()).await?;
    Ok(HttpResponse::Created()
        .insert_header(("location", format!("/api/v1/vendors/{}", vendor.id)))
        .json(vendor))
}

/// A vendor.
#[utoipa::path(tag = "vendors", params(("id" = VendorId, Path)), responses((status = 200, body = Vendor), (status = 404)))]
#[get("/api/v1/vendors/{id}")]
pub async fn get(
    state: web::Data<State>,
    _caller: Authenticated,
    id: web::Path<VendorId>,
) -> Result<web::Json<Vendor>, ApiError> {
    Ok(web::Json(repo::get(&state.db, *id).await?))
}

/// Changes a vendor's details (the vendor itself, or consortium admins).
#[utoipa::path(
    tag = "vendors",
    params(("id" = VendorId, Path)),
    request_body = VendorInput,
    responses((status = 200, body = Vendor), (status = 403), (status = 404), (status = 422))
)]
#[patch("/api/v1/vendors/{id}")]
pub async fn update(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<VendorId>,
    body: web::Json<VendorInput>,
) -> Result<web::Json<Vendor>, ApiError> {
    let changed = change(
        &state.db,
        &caller,
        *id,
        body.into_inner(),
        state.clock.now(),
    )
    .await?;
    Ok(web::Json(changed))
}

/// Registers the vendor `input` describes, for `caller` (consortium admins): the API's create,
/// and the portal's vendor page.
pub(crate) async fn register(
    db: &sea_orm::DatabaseConnection,
    caller: &Principal,
    input: VendorInput,
    at: DateTime<Utc>,
) -> Result<Vendor, RegistryError> {
    vendor::authorize_register(caller)?;
    let fields = VendorFields::try_from(input)?;
    required("name", fields.name.as_ref())?;
    repo::create(db, fields, at).await
}

/// Changes the vendor `id` as `input` says, for `caller` (the vendor itself, or consortium
/// admins): the API's update, and the portal's vendor page.
pub(crate) async fn change(
    db: &sea_orm::DatabaseConnection,
    caller: &Principal,
    id: VendorId,
    input: VendorInput,
    at: DateTime<Utc>,
) -> Result<Vendor, RegistryError> {
    vendor::authorize_update(caller, id)?;
    let fields = VendorFields::try_from(input)?;
    let mut vendor = repo::get(db, id).await?;
    fields.apply(&mut vendor);
    vendor.updated_at = at;
    repo::save(db, &vendor).await?;
    Ok(vendor)
}

/// Removes a vendor that has no products (consortium admins).
#[utoipa::path(tag = "vendors", params(("id" = VendorId, Path)), responses((status = 204), (status = 403), (status = 404), (status = 409)))]
#[delete("/api/v1/vendors/{id}")]
pub async fn remove(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<VendorId>,
) -> Result<HttpResponse, ApiError> {
    vendor::authorize_register(&caller)?;
    repo::delete(&state.db, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}
