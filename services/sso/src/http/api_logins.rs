//! `/api/v1/libraries/{isil}/patron-logins`: logins a library issues to patrons who cannot use
//! e-ID. Staff of that library (and consortium admins) only; the PIN is never shown again.

use actix_web::{HttpResponse, get, patch, post, web};
use serde::Deserialize;
use tilgang_kernel::{Isil, Principal};
use tilgang_web::{ApiError, Authenticated};
use uuid::Uuid;

use super::State;
use crate::domain::SsoError;
use crate::login::{normalise, pin};
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
    if !(caller.acts_for_all()
        || matches!(caller, Principal::LibraryAdmin { .. }) && caller.acts_for_library(&isil))
    {
        return Err(ApiError::forbidden(
            "only this library's staff manage its patron logins",
        ));
    }
    Ok(isil)
}

fn check_birth_year(year: Option<i32>, now: chrono::DateTime<chrono::Utc>) -> Result<(), SsoError> {
    use chrono::Datelike;
    match year {
        Some(y) if !(1900..=now.year()).contains(&y) => Err(SsoError::invalid(
            "birth_year",
            "value_out_of_range",
            "a year from 1900 to this year",
        )),
        _ => Ok(()),
    }
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
    let username = normalise(&input.username);
    if !(3..=64).contains(&username.chars().count()) {
        return Err(SsoError::invalid(
            "username",
            "value_invalid",
            "a card number or username has 3 to 64 characters",
        )
        .into());
    }
    pin::validate(&input.pin)?;
    let now = state.clock.now();
    check_birth_year(input.birth_year, now)?;
    let hint: String = {
        let chars: Vec<char> = username.chars().collect();
        let tail: String = chars[chars.len().saturating_sub(3)..].iter().collect();
        format!("…{tail}")
    };
    let login = PatronLogin {
        id: Uuid::now_v7(),
        hint,
        pin_hash: pin::hash(input.pin).await?,
        category: input.category,
        birth_year: input.birth_year,
        disabled: false,
        created_at: now,
        updated_at: now,
    };
    repo::create(
        &state.db,
        &isil,
        &state.logins.login_key(&isil, &username),
        &login,
    )
    .await?;
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
    let mut login = repo::get(&state.db, &isil, id).await?;
    let change = body.into_inner();
    let now = state.clock.now();
    check_birth_year(change.birth_year, now)?;
    if let Some(new_pin) = change.pin {
        pin::validate(&new_pin)?;
        login.pin_hash = pin::hash(new_pin).await?;
    }
    if let Some(category) = change.category {
        login.category = Some(category);
    }
    if let Some(year) = change.birth_year {
        login.birth_year = Some(year);
    }
    if let Some(disabled) = change.disabled {
        login.disabled = disabled;
    }
    login.updated_at = now;
    repo::save(&state.db, &login).await?;
    Ok(web::Json(login))
}
