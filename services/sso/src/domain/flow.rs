//! The records of a patron's login flow, kept in the key-value store between requests.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tilgang_kernel::{Isil, ProductId};
use uuid::Uuid;

use super::claims::PatronAttributes;

/// What the vendor asked for at `/oauth2/authorize`, waiting for the patron to log in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthRequest {
    /// The asking client.
    pub client_id: String,
    /// Where the answer goes (one of the client's registered URIs).
    pub redirect_uri: String,
    /// Scopes granted (a subset of the login scopes).
    pub scope: Vec<String>,
    /// The client's `state`, returned as given.
    pub state: Option<String>,
    /// The client's `nonce`, put in the ID token.
    pub nonce: Option<String>,
    /// The PKCE S256 challenge.
    pub code_challenge: String,
    /// The library the vendor named (`login_hint` or `isil`), if any.
    pub isil: Option<Isil>,
    /// The product the client logs patrons in to (nil for the portal's staff logins).
    pub product: ProductId,
    /// `prompt=login` or `max_age` demanded a fresh login.
    pub fresh_login: bool,
    /// `max_age` in seconds.
    pub max_age: Option<i64>,
    /// The patron's preferred languages from `ui_locales`.
    pub ui_locales: Option<String>,
    /// A secret also set as a cookie on the patron's browser: the flow continues only there.
    pub browser_secret: String,
    /// What happens once the patron is logged in and the library has access.
    #[serde(default)]
    pub then: Then,
}

/// What a login flow ends with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Then {
    /// An authorization code for the client (a vendor's `/oauth2/authorize`).
    #[default]
    Code,
    /// A hand-off to the product by its integration method (`/go/{isil}/{product}`). The
    /// request's `client_id` is then `go:{product id}`, which keys the patron's notice, and
    /// its OAuth fields are empty.
    Handoff,
}

impl AuthRequest {
    /// The flow of a `/go/{isil}/{product}` link.
    pub fn handoff(
        isil: Isil,
        product: ProductId,
        ui_locales: Option<String>,
        browser_secret: String,
    ) -> Self {
        Self {
            client_id: format!("go:{}", product.0),
            redirect_uri: String::new(),
            scope: Vec::new(),
            state: None,
            nonce: None,
            code_challenge: String::new(),
            isil: Some(isil),
            product,
            fresh_login: false,
            max_age: None,
            ui_locales,
            browser_secret,
            then: Then::Handoff,
        }
    }
}

/// How a patron proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginMethod {
    /// A login the library issued (card or username and PIN, checked here).
    Issued,
    /// Card and PIN checked with the library system over SIP2.
    Sip2,
    /// The library's upstream identity provider (e-ID).
    Upstream,
}

impl LoginMethod {
    /// The `amr` value (RFC 8176) of the method.
    pub fn amr(self) -> &'static str {
        match self {
            Self::Issued | Self::Sip2 => "pwd",
            Self::Upstream => "fed",
        }
    }
}

/// A logged-in patron on one browser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatronSession {
    /// The session id (also the OIDC `sid`).
    pub id: String,
    /// A keyed hash of the patron's identity at the library: never a card number.
    pub patron: String,
    /// The patron's library.
    pub isil: Isil,
    /// The library's name.
    pub library_name: String,
    /// How the patron logged in.
    pub method: LoginMethod,
    /// When the patron logged in.
    pub auth_time: DateTime<Utc>,
    /// What the library system said about the patron (released only as policy allows).
    pub attributes: PatronAttributes,
    /// Clients whose notice the patron has seen in this session.
    pub acknowledged: Vec<String>,
}

/// A code waiting to be exchanged at the token endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeRecord {
    /// The grant the code creates.
    pub grant: Uuid,
    /// The client it was issued to.
    pub client_id: String,
    /// The redirect URI it was sent to.
    pub redirect_uri: String,
    /// The PKCE S256 challenge.
    pub code_challenge: String,
    /// The nonce for the ID token.
    pub nonce: Option<String>,
    /// Scopes granted.
    pub scope: Vec<String>,
    /// The pairwise subject.
    pub subject: String,
    /// The patron's library.
    pub isil: Isil,
    /// Claims released to the client.
    pub claims: serde_json::Map<String, serde_json::Value>,
    /// When the patron logged in.
    pub auth_time: DateTime<Utc>,
    /// The session id.
    pub sid: String,
    /// How the patron logged in.
    pub method: LoginMethod,
}
