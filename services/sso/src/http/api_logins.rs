//! `/api/v1/libraries/{isil}/patron-logins`: logins a library issues to patrons who cannot use
//! e-ID. Staff of that library (and consortium admins) only; the PIN is never shown again.

use actix_web::{HttpResponse, get, patch, post, web};
use serde::Deserialize;
use tilgang_kernel::{Isil, Principal};
use tilgang_web::{ApiError, Authenticated};
use uuid::Uuid;

use tilgang_kernel::ports::{IssuedLoginChange, NewIssuedLogin};

use super::State;
use crate::issued;
use crate::storage::patron_logins::{self as repo, PatronLogin};

/// A new login.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLogin {
    /// Card number or username (3 to 64 characters; case does not matter).
    pub username: String,
    /// The first PIN (4 to 64 characters).
    pub pin: String,
    /// Patron category, such as `adult` or `child`.
    pub category: Option<String>,
    /// Year of birth (only an age band is ever released).
    pub birth_year: Option<i32>,
}

impl std::fmt::Debug for NewLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewLogin { .. }")
    }
}

/// A change to a login: a new PIN, a category, or switching it off or on.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginChange {
    /// A new PIN.
    pub pin: Option<String>,
    /// Patron category.
    pub category: Option<String>,
    /// Year of birth.
    pub birth_year: Option<i32>,
    /// Whether the login is switched off.
    pub disabled: Option<bool>,
}

pub(super) fn library(caller: &Principal, text: &str) -> Result<Isil, ApiError> {
    let isil = Isil::parse(text).map_err(|e| {
        ApiError::new(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            "isil_invalid",
            e.to_string(),
        )
        .with("rule", e.rule())
    })?;
    if !issued::may_manage(caller, &isil) {
        return Err(ApiError::forbidden(
            "only this library's staff manage its patron logins",
        ));
    }
    Ok(isil)
}

/// The library's issued logins, newest first.
#[utoipa::path(tag = "sso", params(("isil" = String, Path)), responses((status = 200, body = Vec<PatronLogin>), (status = 403)))]
#[get("/api/v1/libraries/{isil}/patron-logins")]
pub async fn list(
    state: web::Data<State>,
    caller: Authenticated,
    isil: web::Path<String>,
) -> Result<web::Json<Vec<PatronLogin>>, ApiError> {
    let isil = library(&caller.0, &isil)?;
    Ok(web::Json(repo::list(&state.db, &isil).await?))
}

/// Issues a login.
#[utoipa::path(tag = "sso", params(("isil" = String, Path)), request_body = NewLogin, responses((status = 201, body = PatronLogin), (status = 403), (status = 409), (status = 422)))]
#[post("/api/v1/libraries/{isil}/patron-logins")]
pub async fn create(
    state: web::Data<State>,
    caller: Authenticated,
    isil: web::Path<String>,
    body: web::Json<NewLogin>,
) -> Result<HttpResponse, ApiError> {
    let isil = library(&caller.0, &isil)?;
    let input = body.into_inner();
    let new = NewIssuedLogin {
        username: input.username,
        pin: input.pin,
        category: input.category,
        birth_year: input.birth_year,
    };
    let login = issued::issue(&state, &isil, new).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            "location",
            format!("/api/v1/libraries/{isil}/patron-logins/{}", login.id),
        ))
        .json(login))
}

/// Resets the PIN, changes the category, or switches a login off or on.
#[utoipa::path(tag = "sso", params(("isil" = String, Path), ("id" = Uuid, Path)), request_body = LoginChange, responses((status = 200, body = PatronLogin), (status = 403), (status = 404), (status = 422)))]
#[patch("/api/v1/libraries/{isil}/patron-logins/{id}")]
pub async fn update(
    state: web::Data<State>,
    caller: Authenticated,
    path: web::Path<(String, Uuid)>,
    body: web::Json<LoginChange>,
) -> Result<web::Json<PatronLogin>, ApiError> {
    let (isil, id) = path.into_inner();
    let isil = library(&caller.0, &isil)?;
    let change = body.into_inner();
    let change = IssuedLoginChange {
        pin: change.pin,
        category: change.category,
        birth_year: change.birth_year,
        disabled: change.disabled,
    };
    let login = issued::change(&state, &isil, id, change).await?;
    Ok(web::Json(login))
}
