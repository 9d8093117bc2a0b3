//! Ports: what one service asks of another, as traits over plain data.
//!
//! The owning service implements each port in-process; when services run in separate processes
//! the binary wires an HTTP client instead. Callers cannot tell the difference.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tilgang_isil::Isil;

use crate::ids::LibraryId;

/// Why a port call failed (the other service is down, or answered nonsense).
#[derive(Debug, thiserror::Error)]
#[error("{service} is unavailable: {reason}")]
pub struct PortError {
    /// The service that was asked.
    pub service: &'static str,
    /// What went wrong, free of secrets.
    pub reason: String,
}

/// What other services need to know about a library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibrarySummary {
    /// Internal id.
    pub id: LibraryId,
    /// The ISIL as registered.
    pub isil: Isil,
    /// Name in the library's default language.
    pub name: String,
    /// The library's default language (BCP 47, such as `nb`).
    pub language: String,
    /// Whether the library is active (suspended libraries get no access).
    pub active: bool,
    /// The library's website URLs.
    pub websites: Vec<String>,
    /// The library's IP ranges, as normalised CIDR.
    pub ip_ranges: Vec<String>,
}

/// The register of libraries, as seen by other services. Provided by `registry`.
#[async_trait]
pub trait LibraryDirectory: Send + Sync + 'static {
    /// The library with this ISIL (any letter case), if registered.
    async fn library(&self, isil: &Isil) -> Result<Option<LibrarySummary>, PortError>;
}
