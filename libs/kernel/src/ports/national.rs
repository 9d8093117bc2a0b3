//! The consortium's national statistics: the hub's own counts per country, region and product.

use serde::{Deserialize, Serialize};

use crate::ids::ProductId;

/// One group's numbers over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupUsage {
    /// The country code, the region's name, or the product's id.
    pub group: String,
    /// Libraries with numbers (in the busiest month, for countries and regions).
    pub libraries: i64,
    /// Patron logins (not counted per product: a login is to the hub).
    pub logins: i64,
    /// Patrons let into products.
    pub sessions: i64,
    /// Patrons turned away.
    pub turnaways: i64,
}

/// The hub's counts over a period, three ways.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NationalUsage {
    /// Per country (the ISIL's prefix), by code.
    pub countries: Vec<GroupUsage>,
    /// Per region (a library in several counts in each; one in none under `-`), by name.
    pub regions: Vec<GroupUsage>,
    /// Per product, most sessions first.
    pub products: Vec<(ProductId, GroupUsage)>,
}
