//! The hub report: the daily roll-up per day, or the monthly roll-up per month; and totals
//! over all products per library, region or country.

use std::collections::{BTreeMap, HashMap};

use tilgang_kernel::ProductId;
use tilgang_kernel::ports::LibraryDirectory;

use crate::domain::UsageError;
use crate::domain::report::{Granularity, Grouping, HubRow, TotalRow};
use crate::storage::rollups::{self, NO_PRODUCT, ReportFilter, Row};
use crate::storage::totals;

/// The report for `filter`, per day or month, by period, library and product. Per month it
/// covers whole months: those of `filter.from` and `filter.to` and every one between.
pub async fn hub(
    db: &sea_orm::DatabaseConnection,
    filter: &ReportFilter,
    granularity: Granularity,
) -> Result<Vec<HubRow>, UsageError> {
    Ok(match granularity {
        Granularity::Day => rollups::days(db, filter)
            .await?
            .into_iter()
            .map(|r| hub_row(r.period.to_string(), r))
            .collect(),
        Granularity::Month => rollups::months(db, filter)
            .await?
            .into_iter()
            .map(|r| hub_row(r.period.clone(), r))
            .collect(),
    })
}

fn hub_row<P>(period: String, r: Row<P>) -> HubRow {
    HubRow {
        period,
        isil: r.isil,
        product: (r.product != NO_PRODUCT).then_some(ProductId(r.product)),
        logins: r.logins,
        sessions: r.sessions,
        turnaways: r.turnaways,
        unique_users: r.unique_users,
    }
}

/// The totals over all products for `filter`, per period and group of libraries.
pub async fn totals(
    db: &sea_orm::DatabaseConnection,
    directory: &dyn LibraryDirectory,
    filter: &ReportFilter,
    granularity: Granularity,
    by: Grouping,
) -> Result<Vec<TotalRow>, UsageError> {
    let libraries = totals::per_library(db, filter, granularity).await?;
    let every_product = filter.vendor.is_none() && filter.product.is_none();
    let regions = match by {
        Grouping::Region => region_names(directory).await?,
        _ => HashMap::new(),
    };
    let none = vec!["-".to_owned()];
    let mut rows: BTreeMap<(String, String), TotalRow> = BTreeMap::new();
    for t in libraries {
        let groups = match by {
            Grouping::Library => vec![t.isil.clone()],
            Grouping::Region => regions.get(&t.isil_key).unwrap_or(&none).clone(),
            Grouping::Country => vec![country(&t.isil)],
        };
        let unique = every_product.then_some(t.unique_users);
        for group in groups {
            let row = rows
                .entry((t.period.clone(), group.clone()))
                .or_insert_with(|| TotalRow {
                    period: t.period.clone(),
                    group,
                    libraries: 0,
                    logins: 0,
                    sessions: 0,
                    turnaways: 0,
                    unique_users: unique.map(|_| 0),
                });
            row.libraries += 1;
            row.logins += t.logins;
            row.sessions += t.sessions;
            row.turnaways += t.turnaways;
            row.unique_users = row.unique_users.zip(unique).map(|(a, b)| a + b);
        }
    }
    Ok(rows.into_values().collect())
}

/// The names of the regions each library (by ISIL key) belongs to.
async fn region_names(
    directory: &dyn LibraryDirectory,
) -> Result<HashMap<String, Vec<String>>, UsageError> {
    let mut names: HashMap<String, Vec<String>> = HashMap::new();
    for region in directory.regions().await.map_err(UsageError::unavailable)? {
        for isil in region.members {
            names
                .entry(isil.as_str().to_ascii_lowercase())
                .or_default()
                .push(region.name.clone());
        }
    }
    Ok(names)
}

/// The country (or other prefix) of an ISIL: the part before the first hyphen.
fn country(isil: &str) -> String {
    isil.split('-').next().unwrap_or(isil).to_ascii_uppercase()
}
