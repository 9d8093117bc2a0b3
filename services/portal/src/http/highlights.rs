//! `/admin/api/libraries/{isil}/highlights`: the products a library features first on its
//! e-library page, in order (at most 12). Its library admins and consortium admins set them.

use actix_web::{HttpResponse, get, put, web};
use serde::{Deserialize, Serialize};
use tilgang_kernel::{Isil, Principal};
use tilgang_web::{ApiError, Authenticated};

use super::State;

/// The most products a library may feature.
pub const MOST: usize = 12;

/// The featured products, in order.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Highlights {
    /// Product slugs (or ids, when setting).
    products: Vec<String>,
}

/// What a library features first.
#[utoipa::path(tag = "portal", params(("isil" = String, Path)), responses((status = 200, body = Highlights), (status = 403)))]
#[get("/admin/api/libraries/{isil}/highlights")]
pub async fn get(
    state: web::Data<State>,
    caller: Authenticated,
    isil: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let isil = acted_for(&caller, &isil)?;
    let ids = crate::storage::highlights(&state.db, &isil.key())
        .await
        .map_err(ApiError::internal)?;
    let products = state
        .ports
        .catalogue
        .products()
        .await
        .map_err(unavailable)?;
    let slugs = ids
        .iter()
        .filter_map(|id| products.iter().find(|p| p.id.0 == *id))
        .map(|p| p.slug.clone())
        .collect();
    Ok(HttpResponse::Ok().json(Highlights { products: slugs }))
}

/// Sets what a library features first (replacing what it featured).
#[utoipa::path(tag = "portal", params(("isil" = String, Path)), request_body = Highlights, responses((status = 200, body = Highlights), (status = 400), (status = 403), (status = 422)))]
#[put("/admin/api/libraries/{isil}/highlights")]
pub async fn put(
    state: web::Data<State>,
    caller: Authenticated,
    isil: web::Path<String>,
    body: web::Json<Highlights>,
) -> Result<HttpResponse, ApiError> {
    let isil = acted_for(&caller, &isil)?;
    let asked = body.into_inner().products;
    if asked.len() > MOST {
        return Err(invalid(
            "too_many",
            format!("feature at most {MOST} products"),
        ));
    }
    let products = state
        .ports
        .catalogue
        .products()
        .await
        .map_err(unavailable)?;
    let mut ids = Vec::new();
    let mut slugs = Vec::new();
    for key in &asked {
        let product = products
            .iter()
            .find(|p| p.slug == *key || p.id.0.to_string() == *key)
            .ok_or_else(|| {
                ApiError::new(
                    actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                    "product_unknown",
                    format!("no product {key}"),
                )
                .with("field", "products")
            })?;
        if ids.contains(&product.id.0) {
            return Err(invalid("duplicate", format!("{key} is listed twice")));
        }
        ids.push(product.id.0);
        slugs.push(product.slug.clone());
    }
    crate::storage::set_highlights(&state.db, &isil.key(), &ids)
        .await
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok().json(Highlights { products: slugs }))
}

/// The catalogue could not be asked: try again later.
fn unavailable(e: tilgang_kernel::ports::PortError) -> ApiError {
    ApiError::new(
        actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
        "service_unavailable",
        e.to_string(),
    )
}

fn invalid(code: &'static str, reason: String) -> ApiError {
    ApiError::new(actix_web::http::StatusCode::BAD_REQUEST, code, reason).with("field", "products")
}

/// The library in the path, if the caller acts for it.
fn acted_for(caller: &Principal, isil: &str) -> Result<Isil, ApiError> {
    let isil = Isil::parse(isil).map_err(|e| {
        ApiError::new(
            actix_web::http::StatusCode::BAD_REQUEST,
            "isil_invalid",
            e.to_string(),
        )
    })?;
    if !caller.acts_for_library(&isil) {
        return Err(ApiError::forbidden(format!("you do not act for {isil}")));
    }
    Ok(isil)
}
