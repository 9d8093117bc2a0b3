//! What can go wrong in the provider's API, with stable codes.

/// A refusal or failure of the provider's REST API (not the OAuth endpoints, which answer in
/// RFC 6749 form).
#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    /// A field is missing or wrong.
    #[error("{field}: {detail}")]
    Invalid {
        /// The field, as a JSON path.
        field: String,
        /// A stable rule name.
        code: &'static str,
        /// What is wrong, for people.
        detail: String,
    },
    /// No such client.
    #[error("there is no OAuth client {0}")]
    ClientNotFound(String),
    /// No such library-issued login.
    #[error("there is no such patron login at this library")]
    LoginNotFound,
    /// A login with this username already exists at the library.
    #[error("this library already issued a login with that card number or username")]
    LoginExists,
    /// The caller may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The database or cache failed.
    #[error("storage failed: {0}")]
    Storage(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl SsoError {
    /// A refusal of `field`.
    pub fn invalid(field: &str, code: &'static str, detail: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.to_owned(),
            code,
            detail: detail.into(),
        }
    }

    /// The stable code in problem+json.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid { code, .. } => code,
            Self::ClientNotFound(_) => "client_not_found",
            Self::LoginNotFound => "patron_login_not_found",
            Self::LoginExists => "patron_login_exists",
            Self::Forbidden(_) => "forbidden",
            Self::Storage(_) => "internal",
        }
    }
}

impl From<sea_orm::DbErr> for SsoError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Storage(Box::new(e))
    }
}

impl From<tilgang_store::KvError> for SsoError {
    fn from(e: tilgang_store::KvError) -> Self {
        Self::Storage(Box::new(e))
    }
}

impl From<tilgang_kernel::ports::PortError> for SsoError {
    fn from(e: tilgang_kernel::ports::PortError) -> Self {
        Self::Storage(Box::new(e))
    }
}
