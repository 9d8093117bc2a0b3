//! Cost per use: what a library paid for a product in a period, against how much it was used
//! (patrons let in by the hub, and the vendor's COUNTER `Unique_Item_Requests`), with the
//! product's trial use beside it.

use chrono::NaiveDate;
use serde::Serialize;
use tilgang_kernel::ProductId;
pub use tilgang_kernel::ports::PaidUse;

/// One library's cost per use of one product over the asked period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CostRow {
    /// The library.
    pub isil: String,
    /// The product.
    pub product: ProductId,
    /// What was paid in the period, per currency (none: nothing paid in the period).
    pub paid: Vec<PaidUse>,
    /// The trials in the period.
    pub trials: Vec<TrialUse>,
}

/// A trial and its use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TrialUse {
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Days of the trial within the period.
    pub days: i64,
    /// Patrons the hub let in on those days.
    pub sessions: i64,
    /// The vendor's `Unique_Item_Requests` in the trial's months, if reported.
    pub unique_item_requests: Option<i64>,
}

/// `a / b` rounded half up, none when `b` is 0.
pub fn per(a: i64, b: i64) -> Option<i64> {
    (b > 0).then(|| (2 * a + b) / (2 * b))
}

/// The share of `price` that falls on `days` of a period of `period_days`, rounded half up.
pub fn share(price: i64, days: i64, period_days: i64) -> i64 {
    per(price.saturating_mul(days), period_days).unwrap_or(0)
}
