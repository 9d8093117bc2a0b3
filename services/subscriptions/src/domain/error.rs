//! Everything the subscriptions service refuses, each with a stable code.

use tilgang_isil::Isil;

/// Why a request was refused.
#[derive(Debug, thiserror::Error)]
pub enum SubscriptionsError {
    /// A field holds an invalid value.
    #[error("{field}: {reason}")]
    Invalid {
        /// The input field.
        field: String,
        /// Stable code.
        code: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The rules do not allow this (422): a product without trials, end before start.
    #[error("{reason}")]
    Unprocessable {
        /// Stable code.
        code: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The request conflicts with what exists (409): overlapping subscriptions, a trial that
    /// is not in a state that allows this.
    #[error("{reason}")]
    Conflict {
        /// Stable code.
        code: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// No library has this ISIL.
    #[error("no library with ISIL {0} is registered")]
    LibraryNotFound(Isil),
    /// No product has this id or slug.
    #[error("no product {0}")]
    ProductNotFound(String),
    /// No such trial, subscription or webhook endpoint, or not one the caller may see.
    #[error("no {0} with id {1}")]
    NotFound(&'static str, String),
    /// The caller may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Another service did not answer.
    #[error("{0}")]
    Unavailable(#[from] tilgang_kernel::ports::PortError),
    /// The database failed.
    #[error("storage failed")]
    Storage(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl SubscriptionsError {
    /// An invalid field.
    pub fn invalid(field: &str, code: &'static str, reason: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.to_owned(),
            code,
            reason: reason.into(),
        }
    }

    /// A request the rules refuse (422).
    pub fn unprocessable(code: &'static str, reason: impl Into<String>) -> Self {
        Self::Unprocessable {
            code,
            reason: reason.into(),
        }
    }

    /// A conflict with what exists (409).
    pub fn conflict(code: &'static str, reason: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            reason: reason.into(),
        }
    }

    /// A trial or subscription that another request or replica changed between reading and
    /// writing (409 `trial_changed`, `subscription_changed`).
    pub fn changed_meanwhile(what: &'static str) -> Self {
        let code = match what {
            "trial" => "trial_changed",
            _ => "subscription_changed",
        };
        Self::conflict(
            code,
            format!("the {what} changed meanwhile; reload and try again"),
        )
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid { code, .. }
            | Self::Unprocessable { code, .. }
            | Self::Conflict { code, .. } => code,
            Self::LibraryNotFound(_) => "library_not_found",
            Self::ProductNotFound(_) => "product_not_found",
            Self::NotFound(..) => "not_found",
            Self::Forbidden(_) => "forbidden",
            Self::Unavailable(_) => "service_unavailable",
            Self::Storage(_) => "internal",
        }
    }
}

impl From<sea_orm::DbErr> for SubscriptionsError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Storage(Box::new(e))
    }
}
