//! The `UsageReports` port: a library's months per product from the monthly roll-up, for the
//! portal's usage page.

use async_trait::async_trait;
use chrono::NaiveDate;
use sea_orm::DatabaseConnection;
use tilgang_kernel::Isil;
use tilgang_kernel::ports::{PortError, UsageMonth, UsageReports};

use crate::domain::report::Granularity;
use crate::storage::rollups::ReportFilter;

/// Reports from this service's database.
pub struct StoredReports {
    db: DatabaseConnection,
}

impl StoredReports {
    /// Reports from `db`.
    pub fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone() }
    }
}

#[async_trait]
impl UsageReports for StoredReports {
    async fn months(
        &self,
        isil: &Isil,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<UsageMonth>, PortError> {
        let filter = ReportFilter {
            isil_keys: Some(vec![isil.key()]),
            vendor: None,
            product: None,
            from,
            to,
        };
        let rows = crate::report::hub(&self.db, &filter, Granularity::Month)
            .await
            .map_err(|e| PortError::new("usage", e))?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(UsageMonth {
                    month: r.period,
                    product: r.product?,
                    sessions: r.sessions,
                    turnaways: r.turnaways,
                    unique_users: r.unique_users,
                })
            })
            .collect())
    }
}
