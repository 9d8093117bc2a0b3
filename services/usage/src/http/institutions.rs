//! `/api/v1/usage/institutions`: a vendor's own ids for libraries (COUNTER `Institution_ID`
//! of type `Proprietary`), mapped to ISILs, so its reports can name libraries its own way.

use actix_web::{get, put, web};
use serde::Deserialize;
use tilgang_kernel::VendorId;
use tilgang_web::{ApiError, Authenticated};

use super::State;
use crate::storage::institutions::Mapping;

/// Whose mappings.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VendorQuery {
    /// The vendor (consortium admins; a vendor manages its own).
    vendor: Option<VendorId>,
}

/// The library an id stands for.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MappingInput {
    /// The library's ISIL.
    #[schema(example = "NO-2030000")]
    isil: String,
}

/// The vendor's ids and the ISILs they stand for.
#[utoipa::path(tag = "usage", params(VendorQuery), responses((status = 200, body = Vec<Mapping>), (status = 400), (status = 403)))]
#[get("/api/v1/usage/institutions")]
pub async fn list(
    state: web::Data<State>,
    caller: Authenticated,
    query: web::Query<VendorQuery>,
) -> Result<web::Json<Vec<Mapping>>, ApiError> {
    Ok(web::Json(
        state.push.institutions(&caller, query.vendor).await?,
    ))
}

/// Maps one of the vendor's ids (as its reports write it in `Institution_ID.Proprietary`,
/// such as `nordlys:4711`) to a registered library.
#[utoipa::path(
    tag = "usage",
    params(("id" = String, Path), VendorQuery),
    request_body = MappingInput,
    responses((status = 200, body = Mapping), (status = 400), (status = 403), (status = 404))
)]
#[put("/api/v1/usage/institutions/{id}")]
pub async fn map(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<String>,
    query: web::Query<VendorQuery>,
    body: web::Json<MappingInput>,
) -> Result<web::Json<Mapping>, ApiError> {
    Ok(web::Json(
        state
            .push
            .map_institution(&caller, query.vendor, &id, &body.isil)
            .await?,
    ))
}
