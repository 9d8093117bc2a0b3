//! ISO 15511 International Standard Identifier for Libraries and Related Organizations (ISIL).
//!
//! An [`Isil`] is the key that vendors, statistics and contracts share. It is parsed once, at the
//! edge, and then trusted everywhere:
//!
//! - at most 16 characters of `A-Z a-z 0-9 / - :`;
//! - the first hyphen separates the prefix from the local identifier;
//! - the prefix is an ISO 3166-1 alpha-2 country code (stored in upper case) or a registered
//!   non-country prefix of 1, 3 or 4 letters and digits (`OCLC`, `ZDB`);
//! - the local identifier has 1 to 11 characters and keeps the case it was registered with
//!   (`FI-Ah`), while equality, ordering and hashing ignore case (`FI-Ah` and `fi-AH` are one ISIL).
//!
//! ```
//! use tilgang_isil::Isil;
//! let isil: Isil = "no-2030000".parse().unwrap();
//! assert_eq!(isil.as_str(), "NO-2030000");
//! assert_eq!(isil, "NO-2030000".parse::<Isil>().unwrap());
//! ```

mod country;
mod error;

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

pub use error::IsilError;

/// Maximum length of a whole ISIL.
pub const MAX_LEN: usize = 16;
/// Maximum length of the local identifier (after the prefix and its hyphen).
pub const MAX_LOCAL_LEN: usize = 11;

/// A valid ISIL, as registered. Compare with `==`, which ignores letter case.
///
/// As a database column it is stored as text, as registered; a column that must be unique
/// regardless of case stores [`Isil::key`] beside it.
#[derive(Clone)]
#[cfg_attr(feature = "sea-orm", derive(sea_orm::DeriveValueType))]
#[cfg_attr(feature = "sea-orm", sea_orm(value_type = "String"))]
pub struct Isil {
    text: String,
    prefix_len: usize,
}

impl Isil {
    /// Parses and validates an ISIL given in any letter case.
    pub fn parse(input: &str) -> Result<Self, IsilError> {
        if input.is_empty() {
            return Err(IsilError::Empty);
        }
        let len = input.chars().count();
        if len > MAX_LEN {
            return Err(IsilError::TooLong { len });
        }
        if let Some((position, character)) = input
            .chars()
            .enumerate()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | ':')))
        {
            return Err(IsilError::InvalidCharacter {
                character,
                position,
            });
        }
        let (prefix, local) = input.split_once('-').ok_or(IsilError::MissingHyphen)?;
        let prefix = Prefix::parse(prefix)?;
        if local.is_empty() {
            return Err(IsilError::LocalIdentifierEmpty);
        }
        if local.len() > MAX_LOCAL_LEN {
            return Err(IsilError::LocalIdentifierTooLong { len: local.len() });
        }
        let prefix = match prefix {
            Prefix::Country(code) => code.to_ascii_uppercase(),
            Prefix::Other(other) => other.to_owned(),
        };
        Ok(Self {
            prefix_len: prefix.len(),
            text: format!("{prefix}-{local}"),
        })
    }

    /// The ISIL as registered, with a country prefix in upper case.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The prefix: a country code such as `NO`, or a non-country prefix such as `OCLC`.
    pub fn prefix(&self) -> &str {
        &self.text[..self.prefix_len]
    }

    /// The local identifier after the first hyphen, in its registered case.
    pub fn local(&self) -> &str {
        &self.text[self.prefix_len + 1..]
    }

    /// The ISO 3166-1 alpha-2 country code, when the prefix is one.
    pub fn country(&self) -> Option<&str> {
        (self.prefix_len == 2).then(|| self.prefix())
    }

    /// The case-folded form used for uniqueness and look-up (`fi-ah`).
    pub fn key(&self) -> String {
        self.text.to_ascii_lowercase()
    }
}

/// The part of an ISIL before its first hyphen.
enum Prefix<'a> {
    Country(&'a str),
    Other(&'a str),
}

impl<'a> Prefix<'a> {
    fn parse(prefix: &'a str) -> Result<Self, IsilError> {
        if !prefix.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(IsilError::PrefixNotAlphanumeric);
        }
        match prefix.len() {
            2 if country::is_assigned(&prefix.to_ascii_uppercase()) => Ok(Self::Country(prefix)),
            2 => Err(IsilError::UnknownCountryCode {
                code: prefix.to_ascii_uppercase(),
            }),
            1 | 3 | 4 => Ok(Self::Other(prefix)),
            len => Err(IsilError::PrefixLength { len }),
        }
    }
}

impl FromStr for Isil {
    type Err = IsilError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Isil {
    type Error = IsilError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Isil> for String {
    fn from(isil: Isil) -> Self {
        isil.text
    }
}

impl AsRef<str> for Isil {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Isil {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Isil {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Isil({})", self.text)
    }
}

impl PartialEq for Isil {
    fn eq(&self, other: &Self) -> bool {
        self.text.eq_ignore_ascii_case(&other.text)
    }
}

impl Eq for Isil {}

impl Hash for Isil {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for byte in self.text.bytes() {
            state.write_u8(byte.to_ascii_lowercase());
        }
        state.write_u8(0xff);
    }
}

impl Ord for Isil {
    fn cmp(&self, other: &Self) -> Ordering {
        let fold = |s: &str| {
            s.bytes()
                .map(|b| b.to_ascii_lowercase())
                .collect::<Vec<_>>()
        };
        fold(&self.text).cmp(&fold(&other.text))
    }
}

impl PartialOrd for Isil {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl serde::Serialize for Isil {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for Isil {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Isil::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "utoipa")]
impl utoipa::PartialSchema for Isil {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .description(Some(
                "ISO 15511 ISIL: country or other prefix, a hyphen, a local identifier",
            ))
            .max_length(Some(MAX_LEN))
            .pattern(Some("^[A-Za-z0-9]{1,4}-[A-Za-z0-9/:-]{1,11}$"))
            .examples(["NO-2030000"])
            .into()
    }
}

#[cfg(feature = "utoipa")]
impl utoipa::ToSchema for Isil {}
