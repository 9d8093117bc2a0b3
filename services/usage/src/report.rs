//! The hub report: the roll-ups read per day, or summed per month with that month's unique
//! users.

use std::collections::BTreeMap;

use chrono::Datelike;
use tilgang_kernel::ProductId;
use uuid::Uuid;

use crate::domain::UsageError;
use crate::domain::report::{Granularity, HubRow};
use crate::domain::time::month_of;
use crate::storage::rollups::{self, NO_PRODUCT, ReportFilter};

/// The report for `filter`, per day or month, by period, library and product.
pub async fn hub(
    db: &sea_orm::DatabaseConnection,
    filter: &ReportFilter,
    granularity: Granularity,
) -> Result<Vec<HubRow>, UsageError> {
    let days = rollups::days(db, filter).await?;
    let product = |p: Uuid| (p != NO_PRODUCT).then_some(ProductId(p));
    if granularity == Granularity::Day {
        return Ok(days
            .into_iter()
            .map(|d| HubRow {
                period: d.day.to_string(),
                isil: d.isil,
                product: product(d.product),
                logins: d.logins,
                sessions: d.sessions,
                turnaways: d.turnaways,
                unique_users: d.unique_users,
            })
            .collect());
    }
    let mut months: BTreeMap<(String, String, Uuid), HubRow> = BTreeMap::new();
    for d in days {
        let month = month_of(d.day.with_day(1).unwrap_or(d.day));
        let key = (month.clone(), d.isil.to_ascii_lowercase(), d.product);
        let row = months.entry(key).or_insert_with(|| HubRow {
            period: month,
            isil: d.isil.clone(),
            product: product(d.product),
            logins: 0,
            sessions: 0,
            turnaways: 0,
            unique_users: 0,
        });
        row.logins += d.logins;
        row.sessions += d.sessions;
        row.turnaways += d.turnaways;
    }
    let wanted: Vec<String> = months.keys().map(|k| k.0.clone()).collect();
    for (month, isil_key, product, users) in rollups::month_users(db, wanted).await? {
        if let Some(row) = months.get_mut(&(month, isil_key, product)) {
            row.unique_users = users;
        }
    }
    Ok(months.into_values().collect())
}
