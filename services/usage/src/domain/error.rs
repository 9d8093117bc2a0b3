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
    /// The caller may not see or do this (403).
    #[error("{0}")]
    Forbidden(String),
    /// No such product or library (404), with a stable code.
    #[error("{1}")]
    NotFound(&'static str, String),
    /// The report is not valid COUNTER 5.1 (422), each problem with its JSON pointer.
    #[error("the report is not valid COUNTER 5.1 ({} problems)", .0.len())]
    CounterInvalid(Vec<tilgang_counter::Problem>),
    /// The report is valid COUNTER but the hub cannot take it (422): `pointer` names the value.
    #[error("{reason}")]
    Refused {
        /// JSON pointer into the report.
        pointer: String,
        /// Stable code.
        code: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// Another service did not answer.
    #[error("{0}")]
    Unavailable(tilgang_kernel::ports::PortError),
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

    /// A report the hub cannot take, because of the value at `pointer`.
    pub fn refused(pointer: &str, code: &'static str, reason: impl Into<String>) -> Self {
        Self::Refused {
            pointer: pointer.to_owned(),
            code,
            reason: reason.into(),
        }
    }

    /// Another service failed.
    pub fn unavailable(e: tilgang_kernel::ports::PortError) -> Self {
        Self::Unavailable(e)
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid { code, .. } | Self::Refused { code, .. } => code,
            Self::Forbidden(_) => "forbidden",
            Self::NotFound(code, _) => code,
            Self::CounterInvalid(_) => "counter_invalid",
            Self::Unavailable(_) => "service_unavailable",
            Self::Storage(_) => "internal",
        }
    }
}

impl From<sea_orm::DbErr> for UsageError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Storage(Box::new(e))
    }
}
