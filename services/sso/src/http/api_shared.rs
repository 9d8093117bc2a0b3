//! `/api/v1/libraries/{isil}/shared-credentials`: the login a library holds for a product whose
//! vendor gives one login per library. Library staff set it, or the product's vendor for a
//! library that has access (provisioning); the password is write-only here and shown only to
//! the library's own logged-in patrons at `/go/{isil}/{product}`.

use actix_web::{HttpResponse, delete, get, put, web};
use serde::Deserialize;
use tilgang_kernel::{Principal, ProductId};
use tilgang_web::{ApiError, Authenticated};
use uuid::Uuid;

use super::State;
use super::api_logins::library;
use crate::domain::SsoError;
use crate::storage::shared::{self, SharedCredential, seal_context};

/// A library's login for a product, as staff send it.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SharedInput {
    /// The username (1 to 200 characters).
    pub username: String,
    /// The password (1 to 200 characters); leave out to keep the stored one.
    pub password: Option<String>,
    /// A line shown to patrons beside the login (up to 500 characters).
    pub note: Option<String>,
}

impl std::fmt::Debug for SharedInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedInput { .. }")
    }
}

/// The library's shared credentials (without passwords).
#[utoipa::path(tag = "sso", params(("isil" = String, Path)), responses((status = 200, body = Vec<SharedCredential>), (status = 403)))]
#[get("/api/v1/libraries/{isil}/shared-credentials")]
pub async fn list(
    state: web::Data<State>,
    caller: Authenticated,
    isil: web::Path<String>,
) -> Result<web::Json<Vec<SharedCredential>>, ApiError> {
    let isil = library(&caller.0, &isil)?;
    Ok(web::Json(shared::list(&state.db, &isil).await?))
}

/// Sets the library's login for a shared-credential product.
#[utoipa::path(tag = "sso", params(("isil" = String, Path), ("product" = Uuid, Path)), request_body = SharedInput, responses((status = 200, body = SharedCredential), (status = 403), (status = 404), (status = 422)))]
#[put("/api/v1/libraries/{isil}/shared-credentials/{product}")]
pub async fn put(
    state: web::Data<State>,
    caller: Authenticated,
    path: web::Path<(String, Uuid)>,
    body: web::Json<SharedInput>,
) -> Result<web::Json<SharedCredential>, ApiError> {
    let (isil, product) = path.into_inner();
    let product = ProductId(product);
    let isil = writer(&state, &caller, &isil, product).await?;
    let found = state
        .ports
        .catalogue
        .product(product)
        .await
        .map_err(SsoError::from)?;
    if found.is_none_or(|p| p.integration != "shared_credentials") {
        return Err(ApiError::not_found(
            "product_not_found",
            "there is no shared-credential product with this id",
        ));
    }
    let input = body.into_inner();
    let bounded = |field: &str, text: &str, max: usize| {
        if text.trim().is_empty() || text.chars().count() > max {
            Err(SsoError::invalid(
                field,
                "value_length",
                format!("1 to {max} characters"),
            ))
        } else {
            Ok(())
        }
    };
    bounded("username", &input.username, 200)?;
    if let Some(note) = &input.note {
        bounded("note", note, 500)?;
    }
    let password_sealed = match &input.password {
        Some(password) => {
            bounded("password", password, 200)?;
            state
                .logins
                .sealer()
                .seal(password.as_bytes(), &seal_context(&isil, product))
        }
        None => shared::get(&state.db, &isil, product)
            .await?
            .map(|c| c.password_sealed)
            .ok_or_else(|| {
                SsoError::invalid("password", "required", "a new login needs a password")
            })?,
    };
    let credential = SharedCredential {
        product: product.0,
        username: input.username.trim().to_owned(),
        password_sealed,
        note: input.note.map(|n| n.trim().to_owned()),
        updated_at: state.clock.now(),
    };
    shared::put(&state.db, &isil, &credential).await?;
    Ok(web::Json(credential))
}

/// Removes the library's login for a product.
#[utoipa::path(tag = "sso", params(("isil" = String, Path), ("product" = Uuid, Path)), responses((status = 204), (status = 403), (status = 404)))]
#[delete("/api/v1/libraries/{isil}/shared-credentials/{product}")]
pub async fn remove(
    state: web::Data<State>,
    caller: Authenticated,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (isil, product) = path.into_inner();
    let isil = writer(&state, &caller, &isil, ProductId(product)).await?;
    if shared::delete(&state.db, &isil, ProductId(product)).await? {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::not_found(
            "shared_credential_not_found",
            "this library has no login for that product",
        ))
    }
}

/// The library whose login the caller may set or remove: its staff and consortium admins may;
/// so may the product's vendor while the library has access to the product.
async fn writer(
    state: &State,
    caller: &Authenticated,
    isil: &str,
    product: ProductId,
) -> Result<tilgang_kernel::Isil, ApiError> {
    let Principal::Vendor { vendor, .. } = &caller.0 else {
        return library(&caller.0, isil);
    };
    let isil = library(
        &Principal::Service {
            subject: String::new(),
        },
        isil,
    )?;
    let offered = state
        .ports
        .catalogue
        .product(product)
        .await
        .map_err(SsoError::from)?;
    if offered.is_none_or(|p| p.vendor != *vendor) {
        return Err(ApiError::forbidden(
            "a vendor provisions only its own products",
        ));
    }
    let access = state
        .ports
        .entitlements
        .check(&isil, product, state.clock.now())
        .await
        .map_err(SsoError::from)?;
    if !access.granted() {
        return Err(ApiError::new(
            actix_web::http::StatusCode::CONFLICT,
            "no_access",
            format!("{isil} has no access to this product"),
        ));
    }
    Ok(isil)
}
