//! Consortia and regions: named groups of libraries.

use chrono::{DateTime, Utc};
use serde::Serialize;
use tilgang_isil::Isil;
use tilgang_kernel::{ConsortiumId, Principal};

use super::common::string_enum;
use super::error::RegistryError;

string_enum!(
    /// What the group is.
    ConsortiumKind {
        /// Libraries that buy together.
        Consortium = "consortium",
        /// A geographic region (a county, a country's part).
        Region = "region",
    }
);

/// A named group of libraries.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Consortium {
    /// Id.
    pub id: ConsortiumId,
    /// Name.
    pub name: String,
    /// Consortium or region.
    pub kind: ConsortiumKind,
    /// The member libraries' ISILs.
    pub members: Vec<Isil>,
    /// When created.
    pub created_at: DateTime<Utc>,
}

/// Only consortium admins manage consortia and regions.
pub fn authorize_write(principal: &Principal) -> Result<(), RegistryError> {
    if principal.acts_for_all() {
        Ok(())
    } else {
        Err(RegistryError::Forbidden(
            "only consortium admins manage consortia and regions".into(),
        ))
    }
}
