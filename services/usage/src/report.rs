//! The hub report: the daily roll-up per day, or the monthly roll-up per month.

use tilgang_kernel::ProductId;
use crate::domain::UsageError;
use crate::domain::report::{Granularity, HubRow};
use crate::storage::rollups::{self, NO_PRODUCT, ReportFilter, Row};

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
