//! The hub's own usage report: logins, sessions (patrons let into a product), turnaways and
//! unique users per library, product and day or month.

use serde::{Deserialize, Serialize};
use tilgang_kernel::ProductId;

/// Per day or per month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    /// One row per day.
    Day,
    /// One row per month (the default).
    #[default]
    Month,
}

/// One row of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HubRow {
    /// `YYYY-MM-DD` or `YYYY-MM`.
    pub period: String,
    /// The library.
    pub isil: String,
    /// The product (none for logins without a product).
    pub product: Option<ProductId>,
    /// Patron logins.
    pub logins: i64,
    /// Patrons let into the product.
    pub sessions: i64,
    /// Patrons turned away (not entitled, blocked, wrong PIN, throttled).
    pub turnaways: i64,
    /// Distinct patrons let in (or logged in, for the row without a product) in the period.
    pub unique_users: i64,
}

impl HubRow {
    /// The CSV header line.
    pub const CSV_HEADER: &'static str =
        "period,isil,product,logins,sessions,turnaways,unique_users\n";

    /// The row as a CSV line.
    pub fn csv(&self) -> String {
        format!(
            "{},{},{},{},{},{},{}\n",
            self.period,
            self.isil,
            self.product.map(|p| p.to_string()).unwrap_or_default(),
            self.logins,
            self.sessions,
            self.turnaways,
            self.unique_users
        )
    }
}
