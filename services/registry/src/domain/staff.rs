//! Staff accounts: the people who log in to the portal. Each has one role: a consortium
//! admin, a library admin for some libraries, or a vendor's staff member.
//!
//! Who manages whom (decided where the issue was silent): consortium admins manage every
//! account; a library admin manages library admin accounts of their own libraries only; a
//! vendor's staff manage their own vendor's accounts. A new account, and a reset, get a
//! one-time password shown once, which must be changed at the first login. Five wrong
//! passwords in a row lock the account for 15 minutes.

use chrono::{DateTime, Utc};
use serde::Serialize;
use tilgang_isil::Isil;
use tilgang_kernel::{Principal, VendorId};
use uuid::Uuid;

use super::RegistryError;
use super::common::string_enum;

/// Wrong passwords in a row before an account is locked.
pub const MOST_FAILURES: i32 = 5;

/// How long a locked account stays locked, in minutes.
pub const LOCK_MINUTES: i64 = 15;

string_enum!(
    /// What a staff member does.
    StaffRole {
        /// Keeps the register and acts for every library and vendor.
        ConsortiumAdmin = "consortium_admin",
        /// Acts for the libraries listed.
        LibraryAdmin = "library_admin",
        /// Acts for one vendor.
        Vendor = "vendor",
    }
);

/// A staff account (its password hash never leaves storage).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Staff {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    /// The e-mail address they log in with (lower case).
    pub email: String,
    /// Their name.
    pub name: String,
    /// What they do.
    pub role: StaffRole,
    /// The libraries a library admin acts for.
    #[schema(value_type = Vec<String>)]
    pub isils: Vec<Isil>,
    /// The vendor a vendor's staff member acts for.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub vendor: Option<VendorId>,
    /// Whether they may log in.
    pub active: bool,
    /// Whether the next login must set a new password.
    pub must_change_password: bool,
    /// Made.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl Staff {
    /// Checks that the role's scope is complete and nothing more: a library admin names at
    /// least one library, a vendor's staff member a vendor, a consortium admin neither.
    pub fn check(&self) -> Result<(), RegistryError> {
        let fits = match self.role {
            StaffRole::ConsortiumAdmin => self.isils.is_empty() && self.vendor.is_none(),
            StaffRole::LibraryAdmin => !self.isils.is_empty() && self.vendor.is_none(),
            StaffRole::Vendor => self.isils.is_empty() && self.vendor.is_some(),
        };
        if fits {
            Ok(())
        } else {
            Err(RegistryError::invalid(
                "role",
                "scope_invalid",
                "a library admin names isils, a vendor's staff member a vendor, a consortium admin neither",
            ))
        }
    }

    /// Whether `caller` manages this account.
    pub fn managed_by(&self, caller: &Principal) -> bool {
        match (caller, self.role) {
            (Principal::ConsortiumAdmin { .. } | Principal::Service { .. }, _) => true,
            (Principal::LibraryAdmin { .. }, StaffRole::LibraryAdmin) => {
                self.isils.iter().all(|i| caller.acts_for_library(i))
            }
            (Principal::Vendor { vendor, .. }, StaffRole::Vendor) => self.vendor == Some(*vendor),
            _ => false,
        }
    }

    /// Who they are to the other services.
    pub fn principal(&self) -> Principal {
        let subject = format!("staff:{}", self.id);
        match (self.role, self.vendor) {
            (StaffRole::ConsortiumAdmin, _) => Principal::ConsortiumAdmin { subject },
            (StaffRole::LibraryAdmin, _) => Principal::LibraryAdmin {
                subject,
                isils: self.isils.clone(),
            },
            (StaffRole::Vendor, Some(vendor)) => Principal::Vendor { subject, vendor },
            (StaffRole::Vendor, None) => Principal::LibraryAdmin {
                subject,
                isils: Vec::new(),
            },
        }
    }
}

/// An e-mail address to log in with: trimmed, lower case, one `@` with text on both sides
/// and a dot in the domain, at most 254 characters.
pub fn parse_email(text: &str) -> Result<String, RegistryError> {
    let email = text.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.contains('@')
        });
    if valid {
        Ok(email)
    } else {
        Err(RegistryError::invalid(
            "email",
            "email_invalid",
            "an e-mail address such as kari@deichman.no",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(role: StaffRole, isils: &[&str], vendor: Option<VendorId>) -> Staff {
        Staff {
            id: Uuid::now_v7(),
            email: "kari@deichman.no".into(),
            name: "Kari".into(),
            role,
            isils: isils.iter().map(|i| Isil::parse(i).unwrap()).collect(),
            vendor,
            active: true,
            must_change_password: true,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn e_mail_addresses_are_lower_case_and_plausible() {
        assert_eq!(
            parse_email(" Kari@Deichman.NO ").unwrap(),
            "kari@deichman.no"
        );
        for bad in [
            "kari",
            "kari@",
            "@deichman.no",
            "kari@deichman",
            "ka ri@deichman.no",
            "a@b@c.no",
        ] {
            assert!(parse_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn each_role_names_exactly_its_scope() {
        assert!(
            staff(StaffRole::LibraryAdmin, &["NO-2030000"], None)
                .check()
                .is_ok()
        );
        assert!(staff(StaffRole::LibraryAdmin, &[], None).check().is_err());
        assert!(
            staff(StaffRole::Vendor, &[], Some(VendorId::new()))
                .check()
                .is_ok()
        );
        assert!(
            staff(StaffRole::Vendor, &["NO-2030000"], Some(VendorId::new()))
                .check()
                .is_err()
        );
        assert!(staff(StaffRole::ConsortiumAdmin, &[], None).check().is_ok());
    }

    #[test]
    fn a_library_admin_manages_only_admins_of_their_own_libraries() {
        let deichman = Principal::LibraryAdmin {
            subject: "a".into(),
            isils: vec![Isil::parse("NO-2030000").unwrap()],
        };
        assert!(staff(StaffRole::LibraryAdmin, &["NO-2030000"], None).managed_by(&deichman));
        assert!(
            !staff(StaffRole::LibraryAdmin, &["NO-2030000", "FI-Tam"], None).managed_by(&deichman)
        );
        assert!(!staff(StaffRole::ConsortiumAdmin, &[], None).managed_by(&deichman));
    }
}
