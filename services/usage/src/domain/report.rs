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

/// How a totals report groups libraries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    /// One row per library (the default).
    #[default]
    Library,
    /// One row per region (a library in several regions counts in each; one in none counts
    /// under `-`).
    Region,
    /// One row per country (the ISIL's prefix).
    Country,
}

/// One row of a totals report: a group's numbers over all products in one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TotalRow {
    /// `YYYY-MM-DD` or `YYYY-MM`.
    pub period: String,
    /// The ISIL, the region's name or the country code.
    pub group: String,
    /// How many libraries had numbers in the period.
    pub libraries: i64,
    /// Patron logins.
    pub logins: i64,
    /// Patrons let into products.
    pub sessions: i64,
    /// Patrons turned away.
    pub turnaways: i64,
    /// Distinct patrons who logged in. Left out when the report is limited to a vendor or
    /// product: distinct patrons cannot be added up across products.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique_users: Option<i64>,
}

impl TotalRow {
    /// The CSV header line.
    pub const CSV_HEADER: &'static str =
        "period,group,libraries,logins,sessions,turnaways,unique_users\n";

    /// The row as a CSV line.
    pub fn csv(&self) -> String {
        format!(
            "{},{},{},{},{},{},{}\n",
            self.period,
            self.group,
            self.libraries,
            self.logins,
            self.sessions,
            self.turnaways,
            self.unique_users.map(|n| n.to_string()).unwrap_or_default()
        )
    }
}
