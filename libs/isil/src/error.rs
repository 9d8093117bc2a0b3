//! Why a text is not an ISIL: one variant per rule of ISO 15511.

/// The rule of ISO 15511 that an input broke.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IsilError {
    /// The input was empty.
    #[error("an ISIL cannot be empty")]
    Empty,
    /// More than 16 characters.
    #[error("an ISIL has at most 16 characters, this one has {len}")]
    TooLong {
        /// Characters in the input.
        len: usize,
    },
    /// A character outside `A-Z a-z 0-9 / - :`.
    #[error(
        "{character:?} at position {position} is not allowed; an ISIL uses only A-Z, a-z, 0-9, '/', '-' and ':'"
    )]
    InvalidCharacter {
        /// The offending character.
        character: char,
        /// Its zero-based position.
        position: usize,
    },
    /// No hyphen between prefix and local identifier.
    #[error("an ISIL needs a hyphen between its prefix and its local identifier")]
    MissingHyphen,
    /// The prefix holds `/` or `:`.
    #[error("the prefix of an ISIL has only letters and digits")]
    PrefixNotAlphanumeric,
    /// A prefix that is neither a country code (2) nor a non-country prefix (1, 3 or 4).
    #[error(
        "the prefix of an ISIL is a 2-letter country code or 1, 3 or 4 letters and digits, not {len} characters"
    )]
    PrefixLength {
        /// Characters in the prefix.
        len: usize,
    },
    /// A two-character prefix that is not an assigned ISO 3166-1 alpha-2 code.
    #[error("{code} is not an ISO 3166-1 alpha-2 country code")]
    UnknownCountryCode {
        /// The prefix, in upper case.
        code: String,
    },
    /// Nothing after the hyphen.
    #[error("the local identifier after the prefix is empty")]
    LocalIdentifierEmpty,
    /// More than 11 characters after the hyphen.
    #[error("the local identifier has at most 11 characters, this one has {len}")]
    LocalIdentifierTooLong {
        /// Characters in the local identifier.
        len: usize,
    },
}

impl IsilError {
    /// A stable snake_case name of the rule, for API clients.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::TooLong { .. } => "too_long",
            Self::InvalidCharacter { .. } => "invalid_character",
            Self::MissingHyphen => "missing_hyphen",
            Self::PrefixNotAlphanumeric => "prefix_not_alphanumeric",
            Self::PrefixLength { .. } => "prefix_length",
            Self::UnknownCountryCode { .. } => "unknown_country_code",
            Self::LocalIdentifierEmpty => "local_identifier_empty",
            Self::LocalIdentifierTooLong { .. } => "local_identifier_too_long",
        }
    }
}
