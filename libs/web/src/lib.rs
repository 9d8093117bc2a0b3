//! actix-web glue that every Tilgang service shares: errors as RFC 9457 problem+json, the bearer
//! token extractor, request ids with tracing and Prometheus metrics, health, pagination, and the
//! [`Hub`] that assembles services into one HTTP server — the same way in the binary and in tests.

pub mod auth;
pub mod chart;
pub mod chrome;
pub mod error;
pub mod extract;
pub mod health;
pub mod hub;
pub mod i18n;
pub mod internal;
pub mod metrics;
pub mod page;
pub mod request;
pub mod tls;

pub use auth::Authenticated;
pub use error::ApiError;
pub use hub::{Hub, Module};
pub use page::{Page, PageParams};
