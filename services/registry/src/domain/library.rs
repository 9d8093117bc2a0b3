//! Libraries: the tenants of the hub, each known by its ISIL.

use chrono::{DateTime, Utc};
use ipnet::IpNet;
use serde::Serialize;
use tilgang_isil::Isil;
use tilgang_kernel::{LibraryId, Principal};

use super::common::{Contact, Lang, LocalizedText, WebUrl, string_enum};
use super::error::RegistryError;

string_enum!(
    /// What kind of library this is.
    LibraryKind {
        /// A public (municipal or county) library.
        Public = "public",
        /// A school library.
        School = "school",
        /// A research, university or special library.
        Research = "research",
        /// A national library.
        National = "national",
        /// Anything else.
        Other = "other",
    }
);

string_enum!(
    /// Whether the library may use the hub.
    LibraryStatus {
        /// In service.
        Active = "active",
        /// Suspended by the consortium: its patrons get no access.
        Suspended = "suspended",
    }
);

/// A registered library.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Library {
    /// Internal id; never changes.
    pub id: LibraryId,
    /// The ISIL, as registered.
    pub isil: Isil,
    /// The library's name per language.
    pub name: LocalizedText,
    /// Kind of library.
    pub kind: LibraryKind,
    /// The main library, for a branch.
    pub parent: Option<Isil>,
    /// Official municipality code (Norwegian `kommunenummer`, etc.).
    pub municipality: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// The library's websites; vendors use them for referrer-based access.
    pub websites: Vec<WebUrl>,
    /// The library's public IP ranges, normalised CIDR.
    #[schema(value_type = Vec<String>, example = json!(["192.0.2.0/24"]))]
    pub ip_ranges: Vec<IpNet>,
    /// How to reach the library.
    pub contacts: Vec<Contact>,
    /// The language of the library's pages and notices.
    pub language: Lang,
    /// Active or suspended.
    pub status: LibraryStatus,
    /// When the library's logo was last set (none: it has no logo).
    pub logo_at: Option<DateTime<Utc>>,
    /// When the library was registered.
    pub created_at: DateTime<Utc>,
    /// When the library last changed.
    pub updated_at: DateTime<Utc>,
}

/// A library to register, fully validated.
#[derive(Debug, Clone, PartialEq)]
pub struct NewLibrary {
    /// The ISIL.
    pub isil: Isil,
    /// Name per language.
    pub name: LocalizedText,
    /// Kind.
    pub kind: LibraryKind,
    /// The main library, for a branch.
    pub parent: Option<Isil>,
    /// Municipality code.
    pub municipality: Option<String>,
    /// Country code.
    pub country: String,
    /// Websites.
    pub websites: Vec<WebUrl>,
    /// IP ranges.
    pub ip_ranges: Vec<IpNet>,
    /// Contacts.
    pub contacts: Vec<Contact>,
    /// Default language.
    pub language: Lang,
}

/// Changes to a library; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LibraryChanges {
    /// New names.
    pub name: Option<LocalizedText>,
    /// New kind.
    pub kind: Option<LibraryKind>,
    /// New main library (`Some(None)` makes it a main library).
    pub parent: Option<Option<Isil>>,
    /// New municipality code.
    pub municipality: Option<Option<String>>,
    /// New country.
    pub country: Option<String>,
    /// New websites.
    pub websites: Option<Vec<WebUrl>>,
    /// New IP ranges.
    pub ip_ranges: Option<Vec<IpNet>>,
    /// New contacts.
    pub contacts: Option<Vec<Contact>>,
    /// New default language.
    pub language: Option<Lang>,
    /// New status.
    pub status: Option<LibraryStatus>,
}

impl LibraryChanges {
    /// The fields set that only the consortium may change.
    fn consortium_fields(&self) -> Vec<&'static str> {
        [
            ("name", self.name.is_some()),
            ("kind", self.kind.is_some()),
            ("parent", self.parent.is_some()),
            ("municipality", self.municipality.is_some()),
            ("country", self.country.is_some()),
            ("status", self.status.is_some()),
        ]
        .into_iter()
        .filter_map(|(field, set)| set.then_some(field))
        .collect()
    }

    /// Checks that `principal` may make these changes to library `isil`.
    ///
    /// A library admin may change their own libraries' websites, IP ranges, contacts and
    /// language; consortium admins may change everything.
    pub fn authorize(&self, principal: &Principal, isil: &Isil) -> Result<(), RegistryError> {
        if principal.acts_for_all() {
            return Ok(());
        }
        if !matches!(principal, Principal::LibraryAdmin { .. }) || !principal.acts_for_library(isil)
        {
            return Err(RegistryError::Forbidden(format!(
                "you may not change library {isil}"
            )));
        }
        match self.consortium_fields().first() {
            Some(field) => Err(RegistryError::FieldNotOwned((*field).to_owned())),
            None => Ok(()),
        }
    }

    /// Applies the changes to `library`.
    pub fn apply(self, library: &mut Library) {
        let Self {
            name,
            kind,
            parent,
            municipality,
            country,
            websites,
            ip_ranges,
            contacts,
            language,
            status,
        } = self;
        if let Some(v) = name {
            library.name = v;
        }
        if let Some(v) = kind {
            library.kind = v;
        }
        if let Some(v) = parent {
            library.parent = v;
        }
        if let Some(v) = municipality {
            library.municipality = v;
        }
        if let Some(v) = country {
            library.country = v;
        }
        if let Some(v) = websites {
            library.websites = v;
        }
        if let Some(v) = ip_ranges {
            library.ip_ranges = v;
        }
        if let Some(v) = contacts {
            library.contacts = v;
        }
        if let Some(v) = language {
            library.language = v;
        }
        if let Some(v) = status {
            library.status = v;
        }
    }
}

/// Checks an ISO 3166-1 alpha-2 country code (any case in, upper case out).
pub fn parse_country(field: &str, text: &str) -> Result<String, RegistryError> {
    let code = text.trim().to_ascii_uppercase();
    // An ISIL with this code as prefix validates the code against the ISO 3166 list.
    match Isil::parse(&format!("{code}-1")) {
        Ok(isil) if isil.country().is_some() => Ok(code),
        _ => Err(RegistryError::invalid(
            field,
            "country_invalid",
            format!("{text:?} is not an ISO 3166-1 alpha-2 country code"),
        )),
    }
}

/// The library's country: the one given, else the ISIL's country prefix.
pub fn country_of(isil: &Isil, given: Option<&str>) -> Result<String, RegistryError> {
    match given {
        Some(code) => parse_country("country", code),
        None => isil.country().map(str::to_owned).ok_or_else(|| {
            RegistryError::invalid(
                "country",
                "value_missing",
                "give the country of a library whose ISIL has no country prefix",
            )
        }),
    }
}

/// Checks a municipality code: 1 to 8 letters and digits.
pub fn parse_municipality(field: &str, text: &str) -> Result<String, RegistryError> {
    let code = text.trim();
    if code.is_empty() || code.len() > 8 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(RegistryError::invalid(
            field,
            "municipality_invalid",
            format!("{text:?} is not a municipality code"),
        ));
    }
    Ok(code.to_owned())
}

/// Only consortium admins create and delete libraries.
pub fn authorize_register(principal: &Principal) -> Result<(), RegistryError> {
    if principal.acts_for_all() {
        Ok(())
    } else {
        Err(RegistryError::Forbidden(
            "only consortium admins register and remove libraries".into(),
        ))
    }
}

/// Everyone may look a library up by ISIL; vendors may not list the register (they will see the
/// libraries that have access to their products once subscriptions exist).
pub fn authorize_list(principal: &Principal) -> Result<(), RegistryError> {
    match principal {
        Principal::Vendor { .. } => Err(RegistryError::Forbidden(
            "vendors look libraries up by ISIL; the full register is for libraries and the consortium".into(),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admin_of(isil: &str) -> Principal {
        Principal::LibraryAdmin {
            subject: "kari".into(),
            isils: vec![isil.parse().unwrap()],
        }
    }

    #[test]
    fn a_library_admin_may_change_what_the_library_owns() {
        let changes = LibraryChanges {
            websites: Some(vec![]),
            language: Some(Lang::Nn),
            ..Default::default()
        };
        assert!(
            changes
                .authorize(&admin_of("NO-2030000"), &"no-2030000".parse().unwrap())
                .is_ok()
        );
    }

    #[test]
    fn a_library_admin_may_not_change_what_the_consortium_owns() {
        let changes = LibraryChanges {
            status: Some(LibraryStatus::Active),
            ..Default::default()
        };
        let err = changes
            .authorize(&admin_of("NO-2030000"), &"NO-2030000".parse().unwrap())
            .unwrap_err();
        assert_eq!(err.code(), "field_not_owned");
    }

    #[test]
    fn a_library_admin_may_not_touch_another_library() {
        let changes = LibraryChanges {
            websites: Some(vec![]),
            ..Default::default()
        };
        let err = changes
            .authorize(&admin_of("NO-2030000"), &"NO-2060200".parse().unwrap())
            .unwrap_err();
        assert_eq!(err.code(), "forbidden");
    }

    #[test]
    fn country_codes_are_checked_against_iso_3166() {
        assert_eq!(parse_country("c", "no").unwrap(), "NO");
        assert_eq!(
            parse_country("c", "XX").unwrap_err().code(),
            "country_invalid"
        );
    }
}
