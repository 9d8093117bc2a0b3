//! Everything the usage service refuses, each with a stable code.

/// Why a request was refused.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    /// A field holds an invalid value (400).
    #[error("{field}: {reason}")]
    Invalid {
        /// The input field.
        field: String,
        /// Stable code.
        code: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The caller may not see this (403).
    #[error("{0}")]
    Forbidden(String),
    /// The database failed.
    #[error("storage failed")]
    Storage(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl UsageError {
    /// An invalid field.
    pub fn invalid(field: &str, code: &'static str, reason: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.to_owned(),
            code,
            reason: reason.into(),
        }
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid { code, .. } => code,
            Self::Forbidden(_) => "forbidden",
            Self::Storage(_) => "internal",
        }
    }
}

impl From<sea_orm::DbErr> for UsageError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Storage(Box::new(e))
    }
}
