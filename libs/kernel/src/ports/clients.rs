//! Vendors' OpenID Connect clients as staff pages manage them: a vendor registers its own, a
//! consortium admin approves or suspends them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{PortError, Refusal};
use crate::ids::{ProductId, VendorId};
use crate::principal::Principal;

/// A client, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSummary {
    /// The client id.
    pub client_id: String,
    /// The vendor owning it.
    pub vendor: VendorId,
    /// The product patrons log in to through it (none for API-only clients).
    pub product: Option<ProductId>,
    /// A name for people.
    pub name: String,
    /// Where codes may be sent.
    pub redirect_uris: Vec<String>,
    /// The vendor's initiate-login URI, used by `/go/{isil}/{product}`.
    pub initiate_login_uri: Option<String>,
    /// `pending` (waiting for a consortium admin), `approved` or `suspended`.
    pub status: String,
    /// When registered.
    pub created_at: DateTime<Utc>,
}

/// A client a vendor's staff register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewClient {
    /// A name for people.
    pub name: String,
    /// The product patrons log in to (one of the vendor's), if any.
    pub product: Option<ProductId>,
    /// Redirect URIs (https, or http on loopback).
    pub redirect_uris: Vec<String>,
    /// The vendor's initiate-login URI, if any.
    pub initiate_login_uri: Option<String>,
}

/// A registered client and its secret, shown this once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredClient {
    /// The client.
    pub client: ClientSummary,
    /// Its secret.
    pub secret: String,
}

impl std::fmt::Debug for RegisteredClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegisteredClient")
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

/// OpenID Connect clients for staff pages, with the API's rules (`caller` is the staff member
/// the calling service authenticated). Provided by `sso`.
#[async_trait]
pub trait Clients: Send + Sync + 'static {
    /// The clients the caller manages: a vendor's own, or every vendor's for a consortium
    /// admin.
    async fn clients(
        &self,
        caller: &Principal,
    ) -> Result<Result<Vec<ClientSummary>, Refusal>, PortError>;

    /// A vendor registers a client, which then waits for a consortium admin's approval.
    async fn register(
        &self,
        caller: &Principal,
        client: NewClient,
    ) -> Result<Result<RegisteredClient, Refusal>, PortError>;

    /// A consortium admin approves (`approve`) or suspends the client `client_id`.
    async fn decide(
        &self,
        caller: &Principal,
        client_id: &str,
        approve: bool,
    ) -> Result<Result<ClientSummary, Refusal>, PortError>;
}
