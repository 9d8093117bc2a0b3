//! Who is calling, and what they may act for.

use serde::{Deserialize, Serialize};
use tilgang_isil::Isil;

use crate::ids::VendorId;

/// The kind of caller, as written in a token's `role` claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Keeps the register and acts for every library and vendor.
    ConsortiumAdmin,
    /// Acts for the libraries (ISILs) named in the token.
    LibraryAdmin,
    /// Acts for one vendor.
    Vendor,
    /// Another Tilgang service.
    Service,
}

/// An authenticated caller, with the scope every write of tenant data is checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// A consortium administrator.
    ConsortiumAdmin {
        /// Stable subject (staff account or token name).
        subject: String,
    },
    /// A library administrator for the listed ISILs only.
    LibraryAdmin {
        /// Stable subject.
        subject: String,
        /// The libraries this admin acts for.
        isils: Vec<Isil>,
    },
    /// A vendor's API client or staff member.
    Vendor {
        /// Stable subject.
        subject: String,
        /// The vendor acted for.
        vendor: VendorId,
    },
    /// Another Tilgang service.
    Service {
        /// The calling service's name.
        subject: String,
    },
}

impl Principal {
    /// The caller's subject, for audit trails.
    pub fn subject(&self) -> &str {
        match self {
            Self::ConsortiumAdmin { subject }
            | Self::LibraryAdmin { subject, .. }
            | Self::Vendor { subject, .. }
            | Self::Service { subject } => subject,
        }
    }

    /// The caller's role.
    pub fn role(&self) -> Role {
        match self {
            Self::ConsortiumAdmin { .. } => Role::ConsortiumAdmin,
            Self::LibraryAdmin { .. } => Role::LibraryAdmin,
            Self::Vendor { .. } => Role::Vendor,
            Self::Service { .. } => Role::Service,
        }
    }

    /// Consortium admins and services act for everyone.
    pub fn acts_for_all(&self) -> bool {
        matches!(self, Self::ConsortiumAdmin { .. } | Self::Service { .. })
    }

    /// Whether the caller may act for the library `isil` (as its admin or for everyone).
    pub fn acts_for_library(&self, isil: &Isil) -> bool {
        match self {
            Self::LibraryAdmin { isils, .. } => isils.contains(isil),
            other => other.acts_for_all(),
        }
    }

    /// Whether the caller may act for the vendor `vendor` (as that vendor or for everyone).
    pub fn acts_for_vendor(&self, vendor: VendorId) -> bool {
        match self {
            Self::Vendor { vendor: own, .. } => *own == vendor,
            other => other.acts_for_all(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_library_admin_acts_only_for_their_own_isils_in_any_letter_case() {
        let admin = Principal::LibraryAdmin {
            subject: "kari".into(),
            isils: vec!["FI-Ah".parse().unwrap()],
        };
        assert!(admin.acts_for_library(&"fi-AH".parse().unwrap()));
        assert!(!admin.acts_for_library(&"NO-2030000".parse().unwrap()));
        assert!(!admin.acts_for_vendor(VendorId::new()));
    }

    #[test]
    fn a_vendor_acts_only_for_itself() {
        let own = VendorId::new();
        let vendor = Principal::Vendor {
            subject: "api".into(),
            vendor: own,
        };
        assert!(vendor.acts_for_vendor(own));
        assert!(!vendor.acts_for_vendor(VendorId::new()));
        assert!(!vendor.acts_for_library(&"NO-2030000".parse().unwrap()));
    }
}
