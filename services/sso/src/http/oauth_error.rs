//! Errors of the OAuth endpoints, in RFC 6749 §5.2 form.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, WWW_AUTHENTICATE};
use actix_web::{HttpResponse, ResponseError};

use crate::domain::SsoError;

/// An OAuth error answer.
#[derive(Debug)]
pub struct OAuthError {
    status: StatusCode,
    code: &'static str,
    description: String,
    basic: bool,
}

impl OAuthError {
    /// A 400 with `code` and a description for the developer.
    pub fn bad(code: &'static str, description: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code,
            description: description.into(),
            basic: false,
        }
    }

    /// `invalid_client` (401); `basic` when the client tried HTTP Basic.
    pub fn invalid_client(basic: bool) -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            code: "invalid_client",
            description: "client authentication failed".into(),
            basic,
        }
    }

    /// `invalid_grant`.
    pub fn invalid_grant(description: impl Into<String>) -> Self {
        Self::bad("invalid_grant", description)
    }
}

impl std::fmt::Display for OAuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.description)
    }
}

impl ResponseError for OAuthError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.insert_header((CACHE_CONTROL, "no-store"));
        if self.basic {
            response.insert_header((WWW_AUTHENTICATE, "Basic realm=\"tilgang\""));
        }
        response.json(serde_json::json!({
            "error": self.code,
            "error_description": self.description,
        }))
    }
}

impl From<SsoError> for OAuthError {
    fn from(e: SsoError) -> Self {
        tracing::error!(error = %e, "token endpoint failed");
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "server_error",
            description: "the server failed; try again".into(),
            basic: false,
        }
    }
}
