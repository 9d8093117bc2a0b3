//! Consortium agreements as staff pages see and make them, through `subscriptions`'s
//! [`Oversight`](super::Oversight) port.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{AgreementId, ConsortiumId, ProductId, VendorId};

/// A consortium agreement, with the shares of its price the caller may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementSummary {
    /// Id.
    pub id: AgreementId,
    /// Its name.
    pub name: String,
    /// The product.
    pub product: ProductId,
    /// The product's vendor.
    pub vendor: VendorId,
    /// The ISILs of the libraries it covers.
    pub members: Vec<String>,
    /// First day (Europe/Oslo).
    pub starts_on: NaiveDate,
    /// Last day, included.
    pub ends_on: NaiveDate,
    /// Price for the whole period and every member, in minor units.
    pub price_minor: i64,
    /// ISO 4217 currency code.
    pub currency: String,
    /// How the price is shared: `equal` or `population`.
    pub split: String,
    /// `scheduled`, `active`, `ended` or `cancelled`.
    pub status: String,
    /// The caller's libraries' shares of the price (ISIL, minor units): every one for a
    /// consortium admin.
    pub shares: Vec<(String, i64)>,
}

/// An agreement as a consortium admin asks for it, checked by `subscriptions` as the API is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementDraft {
    /// Its name.
    pub name: String,
    /// The product's slug.
    pub product: String,
    /// Every member of this consortium or region…
    pub group: Option<ConsortiumId>,
    /// …and these libraries, by ISIL as typed.
    pub isils: Vec<String>,
    /// The population each library serves, by ISIL as typed (for a split by population).
    pub populations: BTreeMap<String, u64>,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day, included.
    pub ends_on: NaiveDate,
    /// Price for the whole period and every member, in minor units.
    pub price_minor: i64,
    /// ISO 4217 currency code.
    pub currency: String,
    /// `equal` or `population`.
    pub split: String,
}
