//! Vendors, and the products a consortium admin registers for them, as staff pages see and
//! type them; `registry` checks them as its API does.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::VendorId;

/// A vendor, as the register holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorSummary {
    /// Id.
    pub id: VendorId,
    /// Trading name.
    pub name: String,
    /// Organisation number in its home register.
    pub organisation_number: Option<String>,
    /// Where patrons and libraries get help.
    pub support_url: Option<String>,
    /// Its privacy statement.
    pub privacy_url: Option<String>,
    /// The data processing agreement libraries sign with it.
    pub dpa_url: Option<String>,
    /// The accessibility statement of its service.
    pub accessibility_url: Option<String>,
}

/// A vendor's details as a consortium admin types them; a blank optional field is cleared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorDraft {
    /// Trading name (required).
    pub name: String,
    /// Organisation number.
    pub organisation_number: String,
    /// Support page.
    pub support_url: String,
    /// Privacy statement.
    pub privacy_url: String,
    /// Data processing agreement.
    pub dpa_url: String,
    /// Accessibility statement.
    pub accessibility_url: String,
}

/// A new product as a consortium admin registers it for a vendor; the vendor's staff (or the
/// consortium admin) then write its descriptions, trial terms and release policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductDraft {
    /// The vendor offering it.
    pub vendor: VendorId,
    /// Short name for links (2 to 40 of a-z, 0-9 and '-').
    pub slug: String,
    /// Name per language (BCP 47 tag → text); blank ones are left out.
    pub names: BTreeMap<String, String>,
    /// What it is, such as `ebook`.
    pub kind: String,
    /// How patrons get in, such as `oidc`.
    pub integration: String,
    /// Where its usage statistics come from, such as `hub_events`.
    pub statistics: String,
    /// Where patrons enter it (blank: nowhere yet).
    pub access_url: String,
}
