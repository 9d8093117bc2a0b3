//! Everything the register refuses, each with a stable code.

use tilgang_isil::{Isil, IsilError};

/// A record of an import that could not be taken.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct RecordProblem {
    /// Position of the record in the file (1-based; for CSV, the line).
    pub record: usize,
    /// The record's ISIL as written, if it had one.
    pub isil: Option<String>,
    /// Stable code of the problem.
    pub code: String,
    /// What is wrong, for people.
    pub reason: String,
}

/// Why the register refused a request.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// A field holds something that is not an ISIL.
    #[error("{field}: {source}")]
    IsilInvalid {
        /// The input field.
        field: String,
        /// The ISO 15511 rule that failed.
        source: IsilError,
    },
    /// A field holds an invalid value.
    #[error("{field}: {reason}")]
    Invalid {
        /// The input field.
        field: String,
        /// Stable code (`ip_range_invalid`, `url_invalid`).
        code: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A library with this ISIL (in any letter case) is already registered.
    #[error("a library with ISIL {0} is already registered")]
    LibraryExists(Isil),
    /// No library has this ISIL.
    #[error("no library with ISIL {0} is registered")]
    LibraryNotFound(Isil),
    /// No vendor has this id.
    #[error("no vendor with id {0}")]
    VendorNotFound(String),
    /// No product has this id or slug.
    #[error("no product {0}")]
    ProductNotFound(String),
    /// No staff account has this id.
    #[error("no staff account {0}")]
    StaffNotFound(String),
    /// Another staff account logs in with this e-mail address.
    #[error("a staff account with e-mail {0} exists")]
    StaffEmailTaken(String),
    /// Another product already uses this slug.
    #[error("the product slug {0:?} is taken")]
    ProductSlugTaken(String),
    /// No consortium has this id.
    #[error("no consortium with id {0}")]
    ConsortiumNotFound(String),
    /// A vendor that still has products cannot be deleted.
    #[error("the vendor still has {0} product(s); delete or move them first")]
    VendorHasProducts(u64),
    /// Consortium members that are not registered.
    #[error("not registered: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))]
    UnknownMembers(Vec<Isil>),
    /// The caller may not do this at all.
    #[error("{0}")]
    Forbidden(String),
    /// A library admin tried to change a field that the consortium owns.
    #[error("library admins may change only websites, ip_ranges, contacts and language; not {0}")]
    FieldNotOwned(String),
    /// The import file could not be read at all.
    #[error("the file cannot be read: {0}")]
    ImportUnreadable(String),
    /// Records of the import are invalid; nothing was imported.
    #[error("{} record(s) are invalid; nothing was imported", .0.len())]
    ImportInvalid(Vec<RecordProblem>),
    /// The database failed.
    #[error("storage failed")]
    Storage(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl RegistryError {
    /// An invalid field value.
    pub fn invalid(field: &str, code: &'static str, reason: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.to_owned(),
            code,
            reason: reason.into(),
        }
    }

    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::IsilInvalid { .. } => "isil_invalid",
            Self::Invalid { code, .. } => code,
            Self::LibraryExists(_) => "library_exists",
            Self::LibraryNotFound(_) => "library_not_found",
            Self::VendorNotFound(_) => "vendor_not_found",
            Self::ProductNotFound(_) => "product_not_found",
            Self::ProductSlugTaken(_) => "product_slug_taken",
            Self::StaffNotFound(_) => "staff_not_found",
            Self::StaffEmailTaken(_) => "staff_email_taken",
            Self::ConsortiumNotFound(_) => "consortium_not_found",
            Self::VendorHasProducts(_) => "vendor_has_products",
            Self::UnknownMembers(_) => "members_not_registered",
            Self::Forbidden(_) => "forbidden",
            Self::FieldNotOwned(_) => "field_not_owned",
            Self::ImportUnreadable(_) => "import_unreadable",
            Self::ImportInvalid(_) => "import_invalid",
            Self::Storage(_) => "internal",
        }
    }

    /// The input field at fault, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::IsilInvalid { field, .. } | Self::Invalid { field, .. } => Some(field),
            Self::FieldNotOwned(field) => Some(field),
            _ => None,
        }
    }
}
