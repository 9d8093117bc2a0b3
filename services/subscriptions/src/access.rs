//! Which libraries have access to a vendor's products, with what a vendor needs to switch
//! access on at its end: IP ranges and websites. `GET /api/v1/entitlements` and the vendor
//! portal's list answer from here.

use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use tilgang_kernel::ports::{LibraryAccess, ProductSummary};
use tilgang_kernel::{Isil, ProductId, VendorId};

use crate::desk::Desk;
use crate::domain::SubscriptionsError;
use crate::domain::trial::TrialState;
use crate::storage::{Scope, audit, subscriptions, trials};

/// Most changes one `since` answer looks at.
const MOST_CHANGES: u64 = 10_000;

/// Every library with access to `vendor`'s products at `now`, product by product; with
/// `since`, every library and product whose access changed after it, with `access: false` for
/// those that lost it.
pub async fn libraries(
    desk: &Desk,
    vendor: VendorId,
    since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Vec<LibraryAccess>, SubscriptionsError> {
    let pairs = match since {
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
        if since.is_none() && !answer.granted() {
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
    Ok(items)
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
