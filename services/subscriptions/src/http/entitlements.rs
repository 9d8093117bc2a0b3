//! `GET /api/v1/entitlements`: for vendors that switch access on at their end (by IP address
//! or referrer) rather than through the hub's login, every library with access to their
//! products now, with its IP ranges and websites.

use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};

use actix_web::{get, web};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use tilgang_kernel::ports::ProductSummary;
use tilgang_kernel::{Isil, ProductId, VendorId};
use tilgang_web::{ApiError, Authenticated};

use super::State;
use crate::domain::SubscriptionsError;
use crate::domain::trial::TrialState;
use crate::endpoints::acting_vendor;
use crate::storage::{Scope, audit, subscriptions, trials};

/// How far back `next_since` reaches, so that a change committed while an answer was being
/// made is in the next answer too (items are the current state, so a repeat is harmless).
const OVERLAP: Duration = Duration::seconds(60);

/// Most changes one `since` answer looks at.
const MOST_CHANGES: u64 = 10_000;

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

/// One library's access to one product.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LibraryAccess {
    /// The library's ISIL.
    pub isil: String,
    /// Its name.
    pub name: String,
    /// Its website URLs (for referrer checks).
    pub websites: Vec<String>,
    /// Its IP ranges, as CIDR.
    pub ip_ranges: Vec<String>,
    /// The product.
    pub product: ProductId,
    /// The product's slug.
    pub product_slug: String,
    /// Whether the library may use the product now.
    pub access: bool,
    /// What grants it: `trial`, `subscription` or `agreement` (`none` without access).
    pub basis: String,
    /// When the access ends, if it does.
    pub until: Option<DateTime<Utc>>,
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
    let desk = &state.desk;
    let now = desk.clock.now();
    let pairs = match query.since {
        None => granted_pairs(&desk.db, vendor).await?,
        Some(since) => {
            let scope = Scope {
                vendor: Some(vendor),
                ..Scope::default()
            };
            audit::list(&desk.db, &scope, Some(since), MOST_CHANGES)
                .await?
                .into_iter()
                .filter_map(|e| Some((Isil::parse(&e.isil).ok()?, e.product)))
                .collect()
        }
    };
    let mut products: HashMap<ProductId, Option<ProductSummary>> = HashMap::new();
    let mut items = Vec::new();
    for (isil, product) in pairs {
        let answer = desk.index.answer(&isil, product, now);
        if query.since.is_none() && !answer.granted() {
            continue;
        }
        let Some(library) = desk
            .directory
            .library(&isil)
            .await
            .map_err(SubscriptionsError::from)?
        else {
            continue;
        };
        let summary = match products.entry(product) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(new) => new.insert(
                desk.catalogue
                    .product(product)
                    .await
                    .map_err(SubscriptionsError::from)?,
            ),
        };
        let Some(summary) = summary else {
            continue;
        };
        let basis = serde_json::to_value(answer.basis)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        items.push(LibraryAccess {
            isil: library.isil.to_string(),
            name: library.name,
            websites: library.websites,
            ip_ranges: library.ip_ranges,
            product,
            product_slug: summary.slug.clone(),
            access: answer.granted(),
            basis,
            until: answer.until,
        });
    }
    Ok(web::Json(EntitlementList {
        at: now,
        next_since: now - OVERLAP,
        items,
    }))
}

/// The libraries and products of the vendor's running trials and its subscriptions, by ISIL.
async fn granted_pairs(
    db: &sea_orm::DatabaseConnection,
    vendor: VendorId,
) -> Result<BTreeSet<(Isil, ProductId)>, SubscriptionsError> {
    let scope = Scope {
        vendor: Some(vendor),
        ..Scope::default()
    };
    let trials = trials::list(db, &scope, Some(TrialState::Active)).await?;
    let subscriptions = subscriptions::list(db, &scope).await?;
    Ok(trials
        .into_iter()
        .map(|t| (t.isil, t.product))
        .chain(subscriptions.into_iter().map(|s| (s.isil, s.product)))
        .collect())
}
