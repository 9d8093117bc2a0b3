//! `/api/v1/vendors`: content vendors.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use tilgang_kernel::VendorId;
use tilgang_web::{ApiError, Authenticated, Page, PageParams};

use super::State;
use super::input::{VendorInput, required};
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
    vendor::authorize_register(&caller)?;
    let fields = VendorFields::try_from(body.into_inner())?;
    required("name", fields.name.as_ref())?;
    let vendor = repo::create(&state.db, fields, state.clock.now()).await?;
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
    vendor::authorize_update(&caller, *id)?;
    let fields = VendorFields::try_from(body.into_inner())?;
    let mut vendor = repo::get(&state.db, *id).await?;
    fields.apply(&mut vendor);
    vendor.updated_at = state.clock.now();
    repo::save(&state.db, &vendor).await?;
    Ok(web::Json(vendor))
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
