//! `/api/v1/staff`: staff accounts (who manages whom: [`crate::domain::staff`]). A new account
//! and a password reset answer a one-time password, shown this once.

use actix_web::{HttpResponse, get, patch, post, web};
use rand::Rng;
use serde::{Deserialize, Serialize};
use tilgang_kernel::{Principal, VendorId};
use tilgang_web::{ApiError, Authenticated};
use uuid::Uuid;

use super::State;
use crate::domain::RegistryError;
use crate::domain::common::parse_isil;
use crate::domain::staff::{Staff, StaffRole, parse_email};
use crate::storage;

/// A new account.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStaff {
    /// The e-mail address they log in with.
    email: String,
    /// Their name.
    name: String,
    /// `consortium_admin`, `library_admin` or `vendor`.
    role: StaffRole,
    /// A library admin's libraries.
    #[serde(default)]
    isils: Vec<String>,
    /// A vendor's staff member's vendor (default: the caller's own).
    vendor: Option<Uuid>,
}

/// Changes to an account.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffChange {
    /// Their name.
    name: Option<String>,
    /// Whether they may log in.
    active: Option<bool>,
    /// A library admin's libraries.
    isils: Option<Vec<String>>,
}

/// An account with its one-time password.
#[derive(Serialize, utoipa::ToSchema)]
pub struct WithPassword {
    /// The account.
    #[serde(flatten)]
    staff: Staff,
    /// The one-time password, to be changed at the first login; shown this once.
    password: String,
}

/// Makes an account.
#[utoipa::path(tag = "staff", request_body = NewStaff, responses((status = 201, body = WithPassword), (status = 403), (status = 409), (status = 422)))]
#[post("/api/v1/staff")]
pub async fn create(
    state: web::Data<State>,
    caller: Authenticated,
    body: web::Json<NewStaff>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    let now = state.clock.now();
    let vendor = match (input.role, input.vendor, caller.own_vendor()) {
        (StaffRole::Vendor, None, Some(own)) => Some(own),
        (_, given, _) => given.map(VendorId),
    };
    let mut staff = Staff {
        id: Uuid::now_v7(),
        email: parse_email(&input.email)?,
        name: name(&input.name)?,
        role: input.role,
        isils: parsed(&input.isils)?,
        vendor,
        active: true,
        must_change_password: true,
        created_at: now,
        updated_at: now,
    };
    staff.check()?;
    allowed(&caller, &staff)?;
    staff.isils = registered(&state, &input.isils).await?;
    if let Some(vendor) = vendor {
        storage::vendors::get(&state.db, vendor).await?;
    }
    let password = one_time_password();
    let hash = hashed(password.clone()).await?;
    storage::staff::create(&state.db, &staff, hash).await?;
    Ok(HttpResponse::Created().json(WithPassword { staff, password }))
}

/// The accounts the caller manages.
#[utoipa::path(tag = "staff", responses((status = 200, body = Vec<Staff>)))]
#[get("/api/v1/staff")]
pub async fn list(
    state: web::Data<State>,
    caller: Authenticated,
) -> Result<web::Json<Vec<Staff>>, ApiError> {
    let all = storage::staff::list(&state.db).await?;
    Ok(web::Json(
        all.into_iter().filter(|s| s.managed_by(&caller)).collect(),
    ))
}

/// Changes an account's name, libraries, or whether it may log in.
#[utoipa::path(tag = "staff", params(("id" = String, Path)), request_body = StaffChange, responses((status = 200, body = Staff), (status = 403), (status = 404), (status = 422)))]
#[patch("/api/v1/staff/{id}")]
pub async fn update(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<Uuid>,
    body: web::Json<StaffChange>,
) -> Result<web::Json<Staff>, ApiError> {
    let mut staff = managed(&state, &caller, *id).await?;
    let change = body.into_inner();
    if let Some(text) = change.name {
        staff.name = name(&text)?;
    }
    if let Some(active) = change.active {
        staff.active = active;
    }
    if let Some(isils) = change.isils {
        staff.isils = registered(&state, &isils).await?;
    }
    staff.check()?;
    allowed(&caller, &staff)?;
    staff.updated_at = state.clock.now();
    storage::staff::save(&state.db, &staff).await?;
    Ok(web::Json(staff))
}

/// Gives an account a new one-time password (and unlocks it).
#[utoipa::path(tag = "staff", params(("id" = String, Path)), responses((status = 200, body = WithPassword), (status = 403), (status = 404)))]
#[post("/api/v1/staff/{id}/password")]
pub async fn reset_password(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let mut staff = managed(&state, &caller, *id).await?;
    let password = one_time_password();
    let hash = hashed(password.clone()).await?;
    let now = state.clock.now();
    storage::staff::set_password(&state.db, staff.id, hash, true, now).await?;
    staff.must_change_password = true;
    staff.updated_at = now;
    Ok(HttpResponse::Ok().json(WithPassword { staff, password }))
}

/// The account, if the caller manages it (an account the caller does not manage is not found).
async fn managed(state: &State, caller: &Principal, id: Uuid) -> Result<Staff, ApiError> {
    let staff = storage::staff::get(&state.db, id).await?;
    if staff.managed_by(caller) {
        Ok(staff)
    } else {
        Err(RegistryError::StaffNotFound(id.to_string()).into())
    }
}

fn allowed(caller: &Principal, staff: &Staff) -> Result<(), ApiError> {
    if staff.managed_by(caller) {
        Ok(())
    } else {
        Err(RegistryError::Forbidden(
            "consortium admins manage every account; library admins their libraries' admins; vendors their own staff".into(),
        )
        .into())
    }
}

fn name(text: &str) -> Result<String, RegistryError> {
    let name = text.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(RegistryError::invalid(
            "name",
            "value_length",
            "1 to 200 characters",
        ));
    }
    Ok(name.to_owned())
}

/// The ISILs, checked for form only (before the caller's rights are, so that nothing about
/// the register is told to someone who may not ask).
fn parsed(texts: &[String]) -> Result<Vec<tilgang_kernel::Isil>, RegistryError> {
    texts.iter().map(|t| parse_isil("isils", t)).collect()
}

/// The ISILs as registered (404 for one that is not).
async fn registered(
    state: &State,
    texts: &[String],
) -> Result<Vec<tilgang_kernel::Isil>, RegistryError> {
    let mut isils = Vec::new();
    for text in texts {
        let isil = parse_isil("isils", text)?;
        let library = storage::libraries::find(&state.db, &isil)
            .await?
            .ok_or(RegistryError::LibraryNotFound(isil))?;
        if !isils.contains(&library.isil) {
            isils.push(library.isil);
        }
    }
    Ok(isils)
}

/// Sixteen letters and digits that cannot be mistaken for one another, in groups of four.
fn one_time_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    let letters: Vec<char> = (0..16)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    letters
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

async fn hashed(password: String) -> Result<String, RegistryError> {
    Ok(crate::hashing::hash(password).await)
}
