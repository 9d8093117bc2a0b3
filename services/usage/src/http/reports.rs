//! `/api/v1/usage/reports`: vendors push COUNTER R5.1 reports, one product and one library
//! (by ISIL in `Institution_ID`) each.

use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use tilgang_web::{ApiError, Authenticated};

use super::{State, caller_scope};
use crate::push::Accepted;
use crate::storage::counter_reports::{self, StoredReport};

/// Largest report accepted (32 MiB).
pub const LIMIT: usize = 32 << 20;

/// Which product a report is for.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PushQuery {
    /// The product: id or slug (one of the caller's).
    product: String,
}

/// Takes a COUNTER R5.1 report (PR, PR_P1, DR, DR_D1, TR, TR_B1, TR_B3 or IR) for one of the
/// vendor's products and one library, named by ISIL in `Report_Header.Institution_ID`. It is
/// checked against the COUNTER 5.1 schema (422 `counter_invalid` with every problem's JSON
/// pointer) and the register (422 with the `pointer` at fault: `library_unknown`, `no_access`,
/// `period_in_future`, `institution_without_isil`); nothing of a refused report is stored. A
/// report for a period already sent replaces it; the earlier one is kept for audit.
#[utoipa::path(
    post,
    path = "/api/v1/usage/reports",
    tag = "usage",
    params(PushQuery),
    request_body(content = Object, content_type = "application/json", description = "A COUNTER R5.1 report"),
    responses((status = 201, body = Accepted), (status = 400), (status = 403), (status = 404), (status = 413), (status = 422))
)]
pub async fn push(
    state: web::Data<State>,
    caller: Authenticated,
    query: web::Query<PushQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let accepted = state.push.receive(&caller, &query.product, &body).await?;
    Ok(HttpResponse::Created()
        .insert_header(("location", "/api/v1/usage/reports"))
        .json(accepted))
}

/// Which reports.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only this library.
    isil: Option<String>,
}

/// Reports received, newest first, replaced ones included: a vendor's own, a library admin's
/// libraries', or all for consortium admins.
#[utoipa::path(tag = "usage", params(ListQuery), responses((status = 200, body = Vec<StoredReport>), (status = 403)))]
#[get("/api/v1/usage/reports")]
pub async fn list(
    state: web::Data<State>,
    caller: Authenticated,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Vec<StoredReport>>, ApiError> {
    let (isil_keys, vendor) = caller_scope(&caller, query.isil.as_deref())?;
    Ok(web::Json(
        counter_reports::list(&state.db, isil_keys, vendor, None).await?,
    ))
}
