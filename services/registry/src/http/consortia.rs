//! `/api/v1/consortia`: consortia and regions.

use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use tilgang_kernel::ConsortiumId;
use tilgang_web::{ApiError, Authenticated};

use super::State;
use super::input::{ConsortiumInput, MembersInput, required};
use crate::domain::common::parse_isil;
use crate::domain::consortium::{self, Consortium};
use crate::storage::consortia as repo;

/// Every consortium and region, by name, with members.
#[utoipa::path(tag = "consortia", responses((status = 200, body = Vec<Consortium>)))]
#[get("/api/v1/consortia")]
pub async fn list(
    state: web::Data<State>,
    _caller: Authenticated,
) -> Result<web::Json<Vec<Consortium>>, ApiError> {
    Ok(web::Json(repo::list(&state.db).await?))
}

/// Creates a consortium or region (consortium admins).
#[utoipa::path(tag = "consortia", request_body = ConsortiumInput, responses((status = 201, body = Consortium), (status = 403), (status = 422)))]
#[post("/api/v1/consortia")]
pub async fn create(
    state: web::Data<State>,
    caller: Authenticated,
    body: web::Json<ConsortiumInput>,
) -> Result<HttpResponse, ApiError> {
    consortium::authorize_write(&caller)?;
    let (name, kind) = body.into_inner().parse()?;
    let created = repo::create(
        &state.db,
        required("name", name)?,
        required("kind", kind)?,
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("location", format!("/api/v1/consortia/{}", created.id)))
        .json(created))
}

/// A consortium or region.
#[utoipa::path(tag = "consortia", params(("id" = ConsortiumId, Path)), responses((status = 200, body = Consortium), (status = 404)))]
#[get("/api/v1/consortia/{id}")]
pub async fn get(
    state: web::Data<State>,
    _caller: Authenticated,
    id: web::Path<ConsortiumId>,
) -> Result<web::Json<Consortium>, ApiError> {
    Ok(web::Json(repo::get(&state.db, *id).await?))
}

/// Renames a consortium or changes its kind (consortium admins).
#[utoipa::path(tag = "consortia", params(("id" = ConsortiumId, Path)), request_body = ConsortiumInput, responses((status = 200, body = Consortium), (status = 403), (status = 404)))]
#[patch("/api/v1/consortia/{id}")]
pub async fn update(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<ConsortiumId>,
    body: web::Json<ConsortiumInput>,
) -> Result<web::Json<Consortium>, ApiError> {
    consortium::authorize_write(&caller)?;
    let (name, kind) = body.into_inner().parse()?;
    Ok(web::Json(repo::update(&state.db, *id, name, kind).await?))
}

/// Replaces the member libraries (consortium admins). Every ISIL must be registered.
#[utoipa::path(
    tag = "consortia",
    params(("id" = ConsortiumId, Path)),
    request_body = MembersInput,
    responses((status = 200, body = Consortium), (status = 403), (status = 404), (status = 422, description = "An ISIL is invalid or not registered"))
)]
#[put("/api/v1/consortia/{id}/members")]
pub async fn set_members(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<ConsortiumId>,
    body: web::Json<MembersInput>,
) -> Result<web::Json<Consortium>, ApiError> {
    consortium::authorize_write(&caller)?;
    let isils = body
        .isils
        .iter()
        .enumerate()
        .map(|(i, text)| parse_isil(&format!("isils[{i}]"), text))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(web::Json(repo::set_members(&state.db, *id, &isils).await?))
}

/// Removes a consortium or region; its libraries stay registered (consortium admins).
#[utoipa::path(tag = "consortia", params(("id" = ConsortiumId, Path)), responses((status = 204), (status = 403), (status = 404)))]
#[delete("/api/v1/consortia/{id}")]
pub async fn remove(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<ConsortiumId>,
) -> Result<HttpResponse, ApiError> {
    consortium::authorize_write(&caller)?;
    repo::delete(&state.db, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}
