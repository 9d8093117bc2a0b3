//! What can go wrong when talking SIP2, in words a library's administrator understands.
//!
//! No message ever contains a card number, a PIN or the SIP2 login password: field problems name
//! the field, never its value, and malformed answers are described, never quoted.

use std::time::Duration;

/// A failure to reach the library system (ILS) or to understand it.
///
/// A patron who is unknown, gives a wrong PIN or is blocked is not an error: that is an answer,
/// reported in [`PatronCheck`](crate::PatronCheck).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Sip2Error {
    /// The TCP connection could not be opened.
    #[error(
        "could not connect to the library system at {address}: {source}; \
         check the SIP2 address and port, and that the library's firewall lets us in"
    )]
    Connect {
        /// The configured `host:port`.
        address: String,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The TLS settings are unusable, or the TLS handshake failed.
    #[error("the secure (TLS) connection to the library system at {address} failed: {reason}")]
    Tls {
        /// The configured `host:port`.
        address: String,
        /// What went wrong, e.g. the certificate is not trusted.
        reason: String,
    },
    /// The library system did not answer in time.
    #[error(
        "the library system at {address} did not answer in time \
         ({phase}, waited {} seconds)",
        after.as_secs_f64()
    )]
    Timeout {
        /// The configured `host:port`.
        address: String,
        /// What we were doing, e.g. "waiting for an answer".
        phase: &'static str,
        /// How long we waited.
        after: Duration,
    },
    /// The connection broke, or the library system closed it, in the middle of a request.
    #[error("the connection to the library system at {address} was lost ({reason})")]
    ConnectionLost {
        /// The configured `host:port`.
        address: String,
        /// What happened, e.g. "closed by the library system".
        reason: String,
    },
    /// The library system answered the SIP2 login (93) with "not ok".
    #[error(
        "the library system refused the SIP2 login; \
         check the SIP2 user name, password and location code"
    )]
    LoginRefused,
    /// The library system says it is offline (ACS status 98 with online status N).
    #[error("the library system answered, but says it is offline")]
    Offline,
    /// A message's checksum (AZ) did not match its content.
    #[error(
        "a message between us and the library system failed its checksum check \
         (the {direction} was damaged or the two sides count differently)"
    )]
    ChecksumMismatch {
        /// "answer" when the ILS's answer was damaged, "request" when the ILS kept asking for a
        /// resend of ours.
        direction: &'static str,
    },
    /// The library system sent something that is not the SIP2 answer we asked for.
    #[error("the library system sent an answer this SIP2 client cannot understand: {0}")]
    MalformedResponse(String),
    /// A setting in [`Sip2Config`](crate::Sip2Config) cannot work.
    #[error("the SIP2 setting \"{setting}\" is invalid: {problem}")]
    InvalidConfig {
        /// Which setting, e.g. "address".
        setting: &'static str,
        /// What is wrong with it.
        problem: String,
    },
    /// A value cannot be sent over SIP2 (it contains `|` or a control character, or is too long).
    #[error("the {field} cannot be sent over SIP2: it {problem}")]
    InvalidField {
        /// Which value, e.g. "card number" (never the value itself).
        field: &'static str,
        /// What is wrong with it.
        problem: &'static str,
    },
}

impl Sip2Error {
    /// A stable snake_case code for APIs and metrics.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Connect { .. } => "sip2_connect_failed",
            Self::Tls { .. } => "sip2_tls_failed",
            Self::Timeout { .. } => "sip2_timeout",
            Self::ConnectionLost { .. } => "sip2_connection_lost",
            Self::LoginRefused => "sip2_login_refused",
            Self::Offline => "sip2_offline",
            Self::ChecksumMismatch { .. } => "sip2_checksum_mismatch",
            Self::MalformedResponse(_) => "sip2_malformed_response",
            Self::InvalidConfig { .. } => "sip2_invalid_config",
            Self::InvalidField { .. } => "sip2_invalid_field",
        }
    }

    pub(crate) fn malformed(detail: impl Into<String>) -> Self {
        Self::MalformedResponse(detail.into())
    }

    /// Whether a fresh connection might succeed where a reused one failed.
    pub(crate) fn is_stale_connection(&self) -> bool {
        matches!(self, Self::ConnectionLost { .. })
    }
}
