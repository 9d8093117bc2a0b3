//! `GET /api/v1/usage/cost`: cost per use per library and product, with trial use beside it.

use actix_web::{HttpResponse, get, web};
use tilgang_web::{ApiError, Authenticated};

use super::State;
use super::hub::{HubQuery, asked};
use crate::domain::cost::CostRow;

/// What each library paid for each product in the period (default: the last twelve months)
/// against its use: cost per session let in by the hub and per COUNTER `Unique_Item_Request`
/// the vendor reported, and the product's trials with their use, to decide whether to
/// convert. Scoped as `/api/v1/usage/hub`; `granularity` and `format` do not apply.
#[utoipa::path(tag = "usage", params(HubQuery), responses((status = 200, body = Vec<CostRow>), (status = 400), (status = 403)))]
#[get("/api/v1/usage/cost")]
pub async fn report(
    state: web::Data<State>,
    caller: Authenticated,
    query: web::Query<HubQuery>,
) -> Result<HttpResponse, ApiError> {
    let (filter, _) = asked(&state, &caller, &query)?;
    let rows = crate::cost::cost_per_use(&state.db, &*state.prices, &filter).await?;
    Ok(HttpResponse::Ok().json(rows))
}
