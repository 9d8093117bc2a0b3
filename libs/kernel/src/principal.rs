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
/// Services pass it to each other as `{"role": ..., "subject": ..., ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case")]
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

    /// The vendor a vendor caller is (lists limit it to its own products).
    pub fn own_vendor(&self) -> Option<VendorId> {
        match self {
            Self::Vendor { vendor, .. } => Some(*vendor),
            _ => None,
        }
    }

    /// The libraries (ISIL keys) a list shows the caller when it asks for `asked`: a library
    /// admin's own by default; the one asked for if the caller may see it (vendors may name
    /// any, their lists being limited by vendor); `None` for no limit. A library outside the
    /// caller's reach is the error.
    pub fn library_keys(&self, asked: Option<Isil>) -> Result<Option<Vec<String>>, Isil> {
        match (self, asked) {
            (Self::LibraryAdmin { isils, .. }, None) => {
                Ok(Some(isils.iter().map(Isil::key).collect()))
            }
            (_, Some(isil)) if !self.acts_for_library(&isil) && self.own_vendor().is_none() => {
                Err(isil)
            }
            (_, Some(isil)) => Ok(Some(vec![isil.key()])),
            (_, None) => Ok(None),
        }
    }

    /// The vendor the caller acts for when it names `asked` (or none): a vendor's own, or the
    /// one a consortium admin names.
    pub fn vendor_acted_for(&self, asked: Option<VendorId>) -> Result<VendorId, VendorRefusal> {
        match (self.own_vendor(), asked) {
            (Some(own), None) => Ok(own),
            (_, Some(asked)) if self.acts_for_vendor(asked) => Ok(asked),
            (None, None) if self.acts_for_all() => Err(VendorRefusal::Unnamed),
            _ => Err(VendorRefusal::NotYours),
        }
    }
}

/// Why a caller cannot act for a vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VendorRefusal {
    /// A consortium admin named no vendor.
    Unnamed,
    /// Another vendor's, or the caller is no vendor.
    NotYours,
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

    #[test]
    fn a_list_shows_a_library_admin_their_libraries_and_refuses_another() {
        let admin = Principal::LibraryAdmin {
            subject: "a".into(),
            isils: vec![Isil::parse("NO-2030000").unwrap()],
        };
        assert_eq!(
            admin.library_keys(None),
            Ok(Some(vec!["no-2030000".into()]))
        );
        let other = Isil::parse("FI-Tam").unwrap();
        assert_eq!(admin.library_keys(Some(other.clone())), Err(other.clone()));
        let vendor = Principal::Vendor {
            subject: "v".into(),
            vendor: VendorId::new(),
        };
        assert_eq!(
            vendor.library_keys(Some(other)),
            Ok(Some(vec!["fi-tam".into()]))
        );
        assert_eq!(vendor.library_keys(None), Ok(None));
    }

    #[test]
    fn a_vendor_acts_for_itself_and_a_consortium_admin_names_the_vendor() {
        let own = VendorId::new();
        let vendor = Principal::Vendor {
            subject: "v".into(),
            vendor: own,
        };
        assert_eq!(vendor.vendor_acted_for(None), Ok(own));
        assert_eq!(
            vendor.vendor_acted_for(Some(VendorId::new())),
            Err(VendorRefusal::NotYours)
        );
        let admin = Principal::ConsortiumAdmin {
            subject: "c".into(),
        };
        assert_eq!(admin.vendor_acted_for(None), Err(VendorRefusal::Unnamed));
        assert_eq!(admin.vendor_acted_for(Some(own)), Ok(own));
    }
}
