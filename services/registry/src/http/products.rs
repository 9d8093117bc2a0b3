//! `/api/v1/products`: vendors' products.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use tilgang_kernel::{Principal, ProductId, VendorId};
use tilgang_web::{ApiError, Authenticated, Page, PageParams};

use super::State;
use super::input::{ProductInput, required};
use crate::domain::RegistryError;
use crate::domain::product::{
    self, PriceModel, Product, ProductKind, StatisticsCapability, TrialTerms,
};
use crate::storage::{products as repo, vendors};

/// Filters for the product list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductQuery {
    /// Only this vendor's products.
    vendor: Option<VendorId>,
    /// Only this kind.
    kind: Option<String>,
    /// Text in the name or slug.
    q: Option<String>,
}

/// Lists products, by slug.
#[utoipa::path(tag = "products", params(ProductQuery, PageParams), responses((status = 200, body = Page<Product>)))]
#[get("/api/v1/products")]
pub async fn list(
    state: web::Data<State>,
    _caller: Authenticated,
    query: web::Query<ProductQuery>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<Product>>, ApiError> {
    let query = query.into_inner();
    let filter = repo::ProductFilter {
        vendor: query.vendor,
        kind: query
            .kind
            .map(|k| ProductKind::parse("kind", &k))
            .transpose()?,
        query: query.q,
    };
    let (items, total) = repo::list(&state.db, &filter, page.limit(), page.offset()).await?;
    Ok(web::Json(Page::new(items, total, *page)))
}

/// The vendor a new product belongs to: a vendor's own, or the one a consortium admin names.
fn owner(caller: &Principal, named: Option<VendorId>) -> Result<VendorId, RegistryError> {
    match (caller, named) {
        (Principal::Vendor { vendor, .. }, None) => Ok(*vendor),
        (_, Some(vendor)) => product::authorize_write(caller, vendor).map(|()| vendor),
        (_, None) => Err(RegistryError::invalid(
            "vendor",
            "value_missing",
            "name the vendor that offers the product",
        )),
    }
}

/// Registers a product (the vendor itself, or consortium admins naming the vendor).
#[utoipa::path(tag = "products", request_body = ProductInput, responses((status = 201, body = Product), (status = 403), (status = 409), (status = 422)))]
#[post("/api/v1/products")]
pub async fn create(
    state: web::Data<State>,
    caller: Authenticated,
    body: web::Json<ProductInput>,
) -> Result<HttpResponse, ApiError> {
    let product = register(&state.db, &caller, body.into_inner(), state.clock.now()).await?;
    Ok(HttpResponse::Created()
        .insert_header(("location", format!("/api/v1/products/{}", product.id)))
        .json(product))
}

/// Registers the product `input` describes, for `caller` (the vendor itself, or consortium
/// admins naming the vendor): the API's create, and the portal's vendor page.
pub(crate) async fn register(
    db: &sea_orm::DatabaseConnection,
    caller: &Principal,
    input: ProductInput,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<Product, RegistryError> {
    let vendor = owner(caller, input.vendor)?;
    let fields = input.fields(TrialTerms::default())?;
    vendors::get(db, vendor).await?;
    let mut product = Product {
        id: ProductId::new(),
        vendor,
        slug: required("slug", fields.slug.clone())?,
        name: required("name", fields.name.clone())?,
        description: None,
        kind: required("kind", fields.kind)?,
        integration: required("integration", fields.integration)?,
        trial: TrialTerms::default(),
        statistics: StatisticsCapability::HubEvents,
        price_model: PriceModel::OnRequest,
        sushi_url: None,
        my_pages_url: None,
        access_url: None,
        training: Vec::new(),
        claims: Vec::new(),
        created_at: at,
        updated_at: at,
    };
    fields.apply(&mut product);
    product::check_statistics(&product)?;
    repo::create(db, &product).await?;
    Ok(product)
}

/// A product, by id or slug.
#[utoipa::path(tag = "products", params(("id" = String, Path, description = "Product id or slug")), responses((status = 200, body = Product), (status = 404)))]
#[get("/api/v1/products/{id}")]
pub async fn get(
    state: web::Data<State>,
    _caller: Authenticated,
    id: web::Path<String>,
) -> Result<web::Json<Product>, ApiError> {
    Ok(web::Json(repo::get(&state.db, &id).await?))
}

/// Changes a product (its vendor, or consortium admins). The vendor cannot change.
#[utoipa::path(
    tag = "products",
    params(("id" = String, Path, description = "Product id or slug")),
    request_body = ProductInput,
    responses((status = 200, body = Product), (status = 403), (status = 404), (status = 409), (status = 422))
)]
#[patch("/api/v1/products/{id}")]
pub async fn update(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<String>,
    body: web::Json<ProductInput>,
) -> Result<web::Json<Product>, ApiError> {
    let changed = change(
        &state.db,
        &caller,
        &id,
        body.into_inner(),
        state.clock.now(),
    )
    .await?;
    Ok(web::Json(changed))
}

/// Changes the product `key` (id or slug) as `input` says, for `caller` (its vendor, or
/// consortium admins): the API's update, and the portal's product page.
pub(crate) async fn change(
    db: &sea_orm::DatabaseConnection,
    caller: &tilgang_kernel::Principal,
    key: &str,
    input: ProductInput,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<Product, RegistryError> {
    let mut product = repo::get(db, key).await?;
    product::authorize_write(caller, product.vendor)?;
    if input.vendor.is_some_and(|v| v != product.vendor) {
        return Err(RegistryError::invalid(
            "vendor",
            "value_invalid",
            "a product cannot move to another vendor",
        ));
    }
    let fields = input.fields(product.trial)?;
    fields.apply(&mut product);
    product::check_statistics(&product)?;
    product.updated_at = at;
    repo::save(db, &product).await?;
    Ok(product)
}

/// Removes a product (its vendor, or consortium admins).
#[utoipa::path(tag = "products", params(("id" = String, Path, description = "Product id or slug")), responses((status = 204), (status = 403), (status = 404)))]
#[delete("/api/v1/products/{id}")]
pub async fn remove(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let product = repo::get(&state.db, &id).await?;
    product::authorize_write(&caller, product.vendor)?;
    repo::delete(&state.db, product.id).await?;
    Ok(HttpResponse::NoContent().finish())
}
