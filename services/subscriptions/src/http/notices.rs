//! `GET /api/v1/notices`: trials and subscriptions about to end, for the libraries concerned.

use actix_web::{get, web};
use serde::Deserialize;
use tilgang_kernel::Principal;
use tilgang_web::{ApiError, Authenticated, PageParams};

use super::{State, caller_scope};
use crate::storage::notices::{self, Notice};

/// Which library.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoticeQuery {
    /// Only this library.
    isil: Option<String>,
}

/// The newest notices (`limit`, default 50): a library admin's libraries', or all for
/// consortium admins. A trial's library is told 7 days before it ends, a subscription's
/// 30 days before it ends without renewal.
#[utoipa::path(tag = "notices", params(NoticeQuery, PageParams), responses((status = 200, body = Vec<Notice>), (status = 403)))]
#[get("/api/v1/notices")]
pub async fn list(
    state: web::Data<State>,
    caller: Authenticated,
    query: web::Query<NoticeQuery>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Vec<Notice>>, ApiError> {
    if matches!(*caller, Principal::Vendor { .. }) {
        return Err(ApiError::forbidden("notices are for libraries"));
    }
    let scope = caller_scope(&state, &caller, query.isil.as_deref(), None).await?;
    Ok(web::Json(
        notices::list(&state.desk.db, scope.isil_keys, page.limit()).await?,
    ))
}
