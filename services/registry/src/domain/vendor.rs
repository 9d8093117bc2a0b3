//! Vendors: the companies whose content libraries pay for.

use chrono::{DateTime, Utc};
use serde::Serialize;
use tilgang_kernel::{Principal, VendorId};

use super::common::{Contact, WebUrl};
use super::error::RegistryError;

/// A content vendor.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Vendor {
    /// Id.
    pub id: VendorId,
    /// Trading name.
    pub name: String,
    /// Organisation number in its home register.
    pub organisation_number: Option<String>,
    /// Support and account contacts.
    pub contacts: Vec<Contact>,
    /// Where patrons and libraries get help.
    pub support_url: Option<WebUrl>,
    /// The vendor's privacy statement.
    pub privacy_url: Option<WebUrl>,
    /// The data processing agreement libraries sign with the vendor.
    pub dpa_url: Option<WebUrl>,
    /// The accessibility statement of the vendor's service.
    pub accessibility_url: Option<WebUrl>,
    /// When registered.
    pub created_at: DateTime<Utc>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
}

/// The fields of a vendor that callers set (on creation all of them, on update the given ones).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VendorFields {
    /// Trading name.
    pub name: Option<String>,
    /// Organisation number (`Some(None)` clears it).
    pub organisation_number: Option<Option<String>>,
    /// Contacts.
    pub contacts: Option<Vec<Contact>>,
    /// Support URL.
    pub support_url: Option<Option<WebUrl>>,
    /// Privacy statement URL.
    pub privacy_url: Option<Option<WebUrl>>,
    /// Data processing agreement URL.
    pub dpa_url: Option<Option<WebUrl>>,
    /// Accessibility statement URL.
    pub accessibility_url: Option<Option<WebUrl>>,
}

impl VendorFields {
    /// Applies the fields to `vendor`.
    pub fn apply(self, vendor: &mut Vendor) {
        let Self {
            name,
            organisation_number,
            contacts,
            support_url,
            privacy_url,
            dpa_url,
            accessibility_url,
        } = self;
        if let Some(v) = name {
            vendor.name = v;
        }
        if let Some(v) = organisation_number {
            vendor.organisation_number = v;
        }
        if let Some(v) = contacts {
            vendor.contacts = v;
        }
        if let Some(v) = support_url {
            vendor.support_url = v;
        }
        if let Some(v) = privacy_url {
            vendor.privacy_url = v;
        }
        if let Some(v) = dpa_url {
            vendor.dpa_url = v;
        }
        if let Some(v) = accessibility_url {
            vendor.accessibility_url = v;
        }
    }
}

/// Only consortium admins register and remove vendors.
pub fn authorize_register(principal: &Principal) -> Result<(), RegistryError> {
    if principal.acts_for_all() {
        Ok(())
    } else {
        Err(RegistryError::Forbidden(
            "only consortium admins register and remove vendors".into(),
        ))
    }
}

/// A vendor may update its own details; consortium admins any vendor's.
pub fn authorize_update(principal: &Principal, vendor: VendorId) -> Result<(), RegistryError> {
    if principal.acts_for_vendor(vendor) {
        Ok(())
    } else {
        Err(RegistryError::Forbidden(
            "you may change only your own vendor's details".into(),
        ))
    }
}
