//! The staff login: the portal is an OpenID Connect client of the hub's own provider, and the
//! ID token it receives names the staff member's role and scope in these claims.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tilgang_isil::Isil;

use crate::ids::VendorId;
use crate::principal::{Principal, Role};
use crate::secrets::Keyed;

/// The portal's client id at the hub's provider.
pub const PORTAL_CLIENT_ID: &str = "tilgang-portal";

/// Where the provider sends the portal's codes (under the hub's public URL).
pub const PORTAL_CALLBACK_PATH: &str = "/admin/callback";

/// The portal's client secret, derived from the hub's root secret so that the provider and
/// the portal agree on it in any process without storing it.
pub fn portal_client_secret(root_secret: &[u8]) -> String {
    Keyed::derive(root_secret, "portal client").pseudonym(&["secret"])
}

/// A staff member as the ID token names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffIdentity {
    /// The staff account's stable subject.
    pub subject: String,
    /// Their name.
    pub name: String,
    /// Their role.
    pub role: Role,
    /// The libraries a library admin acts for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub isils: Vec<Isil>,
    /// The vendor a vendor's staff member acts for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<VendorId>,
}

impl StaffIdentity {
    /// The identity of a logged-in `principal` called `name`.
    pub fn new(principal: &Principal, name: &str) -> Self {
        let (isils, vendor) = match principal {
            Principal::LibraryAdmin { isils, .. } => (isils.clone(), None),
            Principal::Vendor { vendor, .. } => (Vec::new(), Some(*vendor)),
            _ => (Vec::new(), None),
        };
        Self {
            subject: principal.subject().to_owned(),
            name: name.to_owned(),
            role: principal.role(),
            isils,
            vendor,
        }
    }

    /// The principal they act as; `None` for a role staff cannot have or a scope that is
    /// missing (a library admin without libraries, a vendor's staff without a vendor).
    pub fn principal(&self) -> Option<Principal> {
        let subject = self.subject.clone();
        match (self.role, &self.vendor) {
            (Role::ConsortiumAdmin, _) => Some(Principal::ConsortiumAdmin { subject }),
            (Role::LibraryAdmin, _) if !self.isils.is_empty() => Some(Principal::LibraryAdmin {
                subject,
                isils: self.isils.clone(),
            }),
            (Role::Vendor, Some(vendor)) => Some(Principal::Vendor {
                subject,
                vendor: *vendor,
            }),
            _ => None,
        }
    }

    /// The ID token claims that carry it (besides `sub`).
    pub fn claims(&self) -> Map<String, Value> {
        let mut claims = Map::new();
        claims.insert("name".into(), self.name.clone().into());
        claims.insert(
            "tilgang_role".into(),
            serde_json::to_value(self.role).expect("roles serialise"),
        );
        if !self.isils.is_empty() {
            claims.insert(
                "tilgang_isils".into(),
                serde_json::to_value(&self.isils).expect("ISILs serialise"),
            );
        }
        if let Some(vendor) = self.vendor {
            claims.insert("tilgang_vendor".into(), vendor.0.to_string().into());
        }
        claims
    }

    /// The identity in a verified ID token's claims; `None` when they name no staff member.
    pub fn from_claims(claims: &Map<String, Value>) -> Option<Self> {
        Some(Self {
            subject: claims.get("sub")?.as_str()?.to_owned(),
            name: claims
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            role: serde_json::from_value(claims.get("tilgang_role")?.clone()).ok()?,
            isils: match claims.get("tilgang_isils") {
                Some(list) => serde_json::from_value(list.clone()).ok()?,
                None => Vec::new(),
            },
            vendor: match claims.get("tilgang_vendor") {
                Some(id) => Some(VendorId(id.as_str()?.parse().ok()?)),
                None => None,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_library_admin_survives_the_trip_through_id_token_claims() {
        let admin = Principal::LibraryAdmin {
            subject: "staff:1".into(),
            isils: vec![Isil::parse("NO-2030000").unwrap()],
        };
        let mut claims = StaffIdentity::new(&admin, "Kari").claims();
        claims.insert("sub".into(), "staff:1".into());
        let back = StaffIdentity::from_claims(&claims).unwrap();
        assert_eq!(back.name, "Kari");
        assert_eq!(back.principal(), Some(admin));
    }

    #[test]
    fn claims_without_a_role_or_scope_name_no_one() {
        let mut claims = Map::new();
        claims.insert("sub".into(), "x".into());
        assert_eq!(StaffIdentity::from_claims(&claims), None);
        claims.insert("tilgang_role".into(), "library_admin".into());
        let identity = StaffIdentity::from_claims(&claims).unwrap();
        assert_eq!(identity.principal(), None);
        claims.insert("tilgang_role".into(), "service".into());
        assert_eq!(
            StaffIdentity::from_claims(&claims).unwrap().principal(),
            None
        );
    }

    #[test]
    fn the_portal_secret_depends_on_the_root_secret() {
        assert_ne!(portal_client_secret(b"a"), portal_client_secret(b"b"));
        assert_eq!(portal_client_secret(b"a"), portal_client_secret(b"a"));
    }
}
