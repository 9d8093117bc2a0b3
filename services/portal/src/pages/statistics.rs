//! The template of the consortium's national statistics.

use askama::Template;
use tilgang_web::chrome::Chrome;

use super::StaffBar;

/// One group's numbers, formatted for the page.
pub struct StatisticsRow {
    /// The country, region or product.
    pub group: String,
    /// Libraries with numbers.
    pub libraries: String,
    /// Patron logins (empty for products).
    pub logins: String,
    /// Sessions.
    pub sessions: String,
    /// Turnaways.
    pub turnaways: String,
}

/// One table of the page.
pub struct StatisticsTable {
    /// Its heading's id.
    pub id: &'static str,
    /// Its heading, which also heads the first column.
    pub heading: String,
    /// Whether it has a logins column (not per product).
    pub with_logins: bool,
    /// Its rows.
    pub rows: Vec<StatisticsRow>,
}

/// `/admin/statistics`: the hub's counts per country, region and product over a period.
#[derive(Template)]
#[template(path = "admin_statistics.html")]
pub struct StatisticsPage {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// The first month, `YYYY-MM`.
    pub from: String,
    /// The last month, `YYYY-MM`.
    pub to: String,
    /// Per country, per region and per product.
    pub tables: Vec<StatisticsTable>,
    /// Why the period was refused.
    pub problem: Option<String>,
}
