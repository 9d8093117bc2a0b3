//! `/api/v1/audit`: who changed which trial or subscription, and when.

use actix_web::{get, web};
use serde::Deserialize;
use tilgang_kernel::Principal;
use tilgang_web::{ApiError, Authenticated, PageParams};

use super::{State, caller_scope};
use crate::storage::audit::{self, AuditEntry};

/// Filters for the audit trail.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only this library.
    isil: Option<String>,
    /// Only this product (id or slug).
    product: Option<String>,
    /// Only entries after this instant (RFC 3339).
    since: Option<chrono::DateTime<chrono::Utc>>,
}

/// The newest entries of the audit trail (`limit`, default 50): a library admin's libraries',
/// or everything for consortium admins. Vendors follow changes through webhooks and
/// `/api/v1/entitlements` instead.
#[utoipa::path(tag = "audit", params(AuditQuery, PageParams), responses((status = 200, body = Vec<AuditEntry>), (status = 403)))]
#[get("/api/v1/audit")]
pub async fn list(
    state: web::Data<State>,
    caller: Authenticated,
    query: web::Query<AuditQuery>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Vec<AuditEntry>>, ApiError> {
    if matches!(*caller, Principal::Vendor { .. }) {
        return Err(ApiError::forbidden(
            "the audit trail is for library and consortium admins",
        ));
    }
    let (isil, product) = (query.isil.as_deref(), query.product.as_deref());
    let scope = caller_scope(&state, &caller, isil, product).await?;
    Ok(web::Json(
        audit::list(&state.desk.db, &scope, query.since, page.limit()).await?,
    ))
}
