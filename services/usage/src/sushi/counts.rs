//! The counts a library's platform report is built from: the vendors' own reports in force,
//! and the hub's numbers for each product and month no vendor reported on.
//!
//! For one product and month, the vendor's most complete report kind is used
//! ([`counter_reports::best_kind`]), its item metrics summed per platform, data type and access
//! method. Where no vendor report covers a product and month, the hub's
//! own numbers stand in: patrons let in count as `Total_Item_Investigations` and distinct
//! patrons as `Unique_Item_Investigations` (a patron let into a platform has at least looked at
//! it), under data type `Unspecified` and access method `Regular`.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use tilgang_counter::{DATA_TYPES, ITEM_METRICS, PlatformCount};
use tilgang_kernel::ProductId;
use tilgang_kernel::ports::Catalogue;
use uuid::Uuid;

use crate::domain::UsageError;
use crate::domain::time::month_of;
use crate::storage::counter_reports::{self, CurrentRow};
use crate::storage::rollups::{self, NO_PRODUCT, ReportFilter};

use super::request::PlatformRequest;

/// The counts for one library (`isil_key`) over the request's months.
pub async fn gather(
    db: &sea_orm::DatabaseConnection,
    catalogue: &dyn Catalogue,
    isil_key: &str,
    request: &PlatformRequest,
) -> Result<Vec<PlatformCount>, UsageError> {
    let (first, last) = (month_of(request.begin), month_of(request.end));
    let keys = [isil_key.to_owned()];
    let vendor_rows = counter_reports::current_rows(db, Some(&keys), &first, &last).await?;
    let mut counts = from_vendors(counter_reports::best_kind(vendor_rows));
    let covered: HashSet<(Uuid, String)> = counts.iter().map(|(k, _)| k.clone()).collect();
    let filter = ReportFilter {
        isil_keys: Some(vec![isil_key.to_owned()]),
        vendor: None,
        product: None,
        from: request.begin,
        to: request.end,
    };
    let mut names: HashMap<Uuid, String> = HashMap::new();
    for row in rollups::months(db, &filter).await? {
        if row.product == NO_PRODUCT
            || row.sessions == 0
            || covered.contains(&(row.product, row.period.clone()))
        {
            continue;
        }
        if let Entry::Vacant(slot) = names.entry(row.product) {
            slot.insert(platform_name(catalogue, row.product).await?);
        }
        let platform = names[&row.product].clone();
        for (metric, count) in [
            ("Total_Item_Investigations", row.sessions),
            ("Unique_Item_Investigations", row.unique_users),
        ] {
            counts.push((
                (row.product, row.period.clone()),
                PlatformCount {
                    platform: platform.clone(),
                    data_type: "Unspecified".into(),
                    access_method: "Regular".into(),
                    metric: metric.into(),
                    month: row.period.clone(),
                    count: u64::try_from(count).unwrap_or(0),
                },
            ));
        }
    }
    Ok(counts
        .into_iter()
        .map(|(_, c)| c)
        .filter(|c| request.keeps(&c.platform, &c.data_type, &c.access_method, &c.metric))
        .collect())
}

/// The vendors' counts (already of each month's best kind), keyed by (product, month).
fn from_vendors(rows: Vec<CurrentRow>) -> Vec<((Uuid, String), PlatformCount)> {
    rows.into_iter()
        .filter(|r| r.metric == "Searches_Platform" || ITEM_METRICS.contains(&r.metric.as_str()))
        .map(|r| {
            let data_type = match r.data_type.as_deref() {
                _ if r.metric == "Searches_Platform" => "Platform",
                Some(t) if DATA_TYPES.contains(&t) && t != "Platform" => t,
                _ => "Other",
            };
            (
                (r.product_id, r.month.clone()),
                PlatformCount {
                    platform: r.platform,
                    data_type: data_type.to_owned(),
                    access_method: r.access_method.unwrap_or_else(|| "Regular".into()),
                    metric: r.metric,
                    month: r.month,
                    count: u64::try_from(r.count).unwrap_or(0),
                },
            )
        })
        .collect()
}

/// The platform name the hub's numbers go under: the product's name in English (its slug if
/// the catalogue no longer knows it).
async fn platform_name(catalogue: &dyn Catalogue, product: Uuid) -> Result<String, UsageError> {
    Ok(catalogue
        .product(ProductId(product))
        .await
        .map_err(UsageError::unavailable)?
        .map(|p| p.name("en").to_owned())
        .unwrap_or_else(|| format!("product-{product}")))
}
