//! `GET /api/v1/entitlements`: for vendors that switch access on at their end (by IP address
//! or referrer) rather than through the hub's login, every library with access to their
//! products now, with its IP ranges and websites.

use actix_web::{get, web};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use tilgang_kernel::VendorId;
use tilgang_kernel::ports::LibraryAccess;
use tilgang_web::{ApiError, Authenticated};

use super::State;
use crate::endpoints::acting_vendor;

/// How far back `next_since` reaches, so that a change committed while an answer was being
/// made is in the next answer too (items are the current state, so a repeat is harmless).
const OVERLAP: Duration = Duration::seconds(60);

/// Which vendor, and since when.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntitlementQuery {
    /// The vendor (a vendor's own by default; consortium admins must name one).
    vendor: Option<VendorId>,
    /// Only libraries and products whose access changed after this instant (RFC 3339), with
    /// `access: false` for those that lost it; pass the previous answer's `next_since`.
    since: Option<DateTime<Utc>>,
}

/// The answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EntitlementList {
    /// The instant the answer holds for.
    pub at: DateTime<Utc>,
    /// What to pass as `since` next time.
    pub next_since: DateTime<Utc>,
    /// Library by library, product by product.
    pub items: Vec<LibraryAccess>,
}

/// Every library with access to the vendor's products now (or, with `since`, every one whose
/// access changed), with IP ranges and websites.
#[utoipa::path(
    tag = "entitlements",
    params(EntitlementQuery),
    responses((status = 200, body = EntitlementList), (status = 400, description = "a consortium admin named no vendor"), (status = 403, description = "another vendor's, or not a vendor"))
)]
#[get("/api/v1/entitlements")]
pub async fn list(
    state: web::Data<State>,
    caller: Authenticated,
    query: web::Query<EntitlementQuery>,
) -> Result<web::Json<EntitlementList>, ApiError> {
    let vendor = acting_vendor(&caller, query.vendor)?;
    let now = state.desk.clock.now();
    let items = crate::access::libraries(&state.desk, vendor, query.since, now).await?;
    Ok(web::Json(EntitlementList {
        at: now,
        next_since: now - OVERLAP,
        items,
    }))
}
