//! Vendors' OAuth clients: what they may ask for and where codes may go.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tilgang_kernel::{Principal, ProductId, VendorId};
use url::Url;

use super::SsoError;

/// Whether a client may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClientStatus {
    /// Registered by the vendor; waits for a consortium admin.
    Pending,
    /// Approved: the client works.
    Approved,
    /// Stopped by a consortium admin.
    Suspended,
}

impl ClientStatus {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Suspended => "suspended",
        }
    }

    /// The status of a stored text.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Pending, Self::Approved, Self::Suspended]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// The algorithm a client's ID tokens are signed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub enum SigningAlg {
    /// ECDSA P-256 with SHA-256 (the default).
    ES256,
    /// RSASSA-PKCS1-v1_5 with SHA-256, for clients that cannot do ES256.
    RS256,
}

impl SigningAlg {
    /// The JOSE name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ES256 => "ES256",
            Self::RS256 => "RS256",
        }
    }

    /// The algorithm of a JOSE name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "ES256" => Some(Self::ES256),
            "RS256" => Some(Self::RS256),
            _ => None,
        }
    }
}

/// The scopes a vendor's API client may be given with `client_credentials`.
pub const API_SCOPES: &[&str] = &["libraries:read", "entitlements:read", "usage:write"];

/// The scopes a patron login may carry.
pub const LOGIN_SCOPES: &[&str] = &["openid", "profile", "offline_access"];

/// A vendor's OAuth client.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct OAuthClient {
    /// The client id.
    pub client_id: String,
    /// The vendor owning it.
    pub vendor: VendorId,
    /// The product patrons log in to through it (none for API-only clients).
    pub product: Option<ProductId>,
    /// A name for people.
    pub name: String,
    /// SHA-256 of the secret (never shown).
    #[serde(skip)]
    pub secret_hash: String,
    /// Where codes may be sent (exact match).
    pub redirect_uris: Vec<String>,
    /// Where the patron may be sent after logout (exact match).
    pub post_logout_redirect_uris: Vec<String>,
    /// The vendor's third-party-initiated login URI (OIDC Core 4), used by `/go/{isil}/{product}`.
    pub initiate_login_uri: Option<String>,
    /// How ID tokens are signed.
    pub id_token_alg: SigningAlg,
    /// API scopes for `client_credentials`.
    pub scopes: Vec<String>,
    /// Whether the client works.
    pub status: ClientStatus,
    /// When registered.
    pub created_at: DateTime<Utc>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
}

impl OAuthClient {
    /// Whether `uri` is one of the registered redirect URIs (exact string match, RFC 9700).
    pub fn redirects_to(&self, uri: &str) -> bool {
        self.redirect_uris.iter().any(|r| r == uri)
    }

    /// Whether the client may be used now.
    pub fn usable(&self) -> bool {
        self.status == ClientStatus::Approved
    }

    /// Whether `principal` may see and change this client.
    pub fn owned_by(&self, principal: &Principal) -> bool {
        principal.acts_for_vendor(self.vendor)
    }
}

impl OAuthClient {
    /// The portal's client at `issuer`: built in rather than stored, its secret derived from
    /// the root secret (see [`tilgang_kernel::staff`]), codes sent only to the portal's
    /// callback and logouts back to the hub's front page.
    pub fn portal(issuer: &str, root_secret: &[u8], now: DateTime<Utc>) -> Self {
        use tilgang_kernel::staff::{PORTAL_CALLBACK_PATH, PORTAL_CLIENT_ID, portal_client_secret};
        Self {
            client_id: PORTAL_CLIENT_ID.to_owned(),
            vendor: VendorId(uuid::Uuid::nil()),
            product: None,
            name: "Tilgang portal".to_owned(),
            secret_hash: crate::crypto::digest(&portal_client_secret(root_secret)),
            redirect_uris: vec![format!("{issuer}{PORTAL_CALLBACK_PATH}")],
            post_logout_redirect_uris: vec![format!("{issuer}/")],
            initiate_login_uri: None,
            id_token_alg: SigningAlg::ES256,
            scopes: Vec::new(),
            status: ClientStatus::Approved,
            created_at: now,
            updated_at: now,
        }
    }
}

impl OAuthClient {
    /// The built-in client of the Tilgang service `name` (see [`tilgang_kernel::remote`]): it
    /// may only ask for service tokens with the client-credentials grant.
    pub fn service(name: &str, root_secret: &[u8], now: DateTime<Utc>) -> Self {
        use tilgang_kernel::remote::{INTERNAL_SCOPE, service_client_id, service_client_secret};
        Self {
            client_id: service_client_id(name),
            vendor: VendorId(uuid::Uuid::nil()),
            product: None,
            name: format!("Tilgang {name}"),
            secret_hash: crate::crypto::digest(&service_client_secret(root_secret, name)),
            redirect_uris: Vec::new(),
            post_logout_redirect_uris: Vec::new(),
            initiate_login_uri: None,
            id_token_alg: SigningAlg::ES256,
            scopes: vec![INTERNAL_SCOPE.to_owned()],
            status: ClientStatus::Approved,
            created_at: now,
            updated_at: now,
        }
    }

    /// The service this built-in client stands for, if it is one.
    pub fn service_name(&self) -> Option<&str> {
        self.client_id.strip_prefix("tilgang-service-").filter(|_| {
            self.scopes
                .iter()
                .any(|s| s == tilgang_kernel::remote::INTERNAL_SCOPE)
        })
    }
}

/// The settable fields of a client.
#[derive(Debug, Clone, Default)]
pub struct ClientFields {
    /// Name.
    pub name: Option<String>,
    /// Product.
    pub product: Option<Option<ProductId>>,
    /// Redirect URIs.
    pub redirect_uris: Option<Vec<String>>,
    /// Post-logout redirect URIs.
    pub post_logout_redirect_uris: Option<Vec<String>>,
    /// Initiate-login URI.
    pub initiate_login_uri: Option<Option<String>>,
    /// ID token algorithm.
    pub id_token_alg: Option<SigningAlg>,
    /// API scopes.
    pub scopes: Option<Vec<String>>,
}

impl ClientFields {
    /// Checks every given field.
    pub fn validate(self) -> Result<Self, SsoError> {
        if let Some(name) = &self.name {
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 200 {
                return Err(SsoError::invalid(
                    "name",
                    "value_invalid",
                    "give a name of 1 to 200 characters",
                ));
            }
        }
        for (field, uris) in [
            ("redirect_uris", &self.redirect_uris),
            ("post_logout_redirect_uris", &self.post_logout_redirect_uris),
        ] {
            if let Some(uris) = uris {
                if uris.len() > 20 {
                    return Err(SsoError::invalid(field, "too_many", "at most 20 URIs"));
                }
                for (i, uri) in uris.iter().enumerate() {
                    check_uri(&format!("{field}[{i}]"), uri)?;
                }
            }
        }
        if let Some(Some(uri)) = &self.initiate_login_uri {
            check_uri("initiate_login_uri", uri)?;
        }
        if let Some(scopes) = &self.scopes
            && let Some(bad) = scopes.iter().find(|s| !API_SCOPES.contains(&s.as_str()))
        {
            return Err(SsoError::invalid(
                "scopes",
                "scope_unknown",
                format!(
                    "{bad:?} is not an API scope; known: {}",
                    API_SCOPES.join(", ")
                ),
            ));
        }
        Ok(self)
    }

    /// Applies the fields to `client`.
    pub fn apply(self, client: &mut OAuthClient) {
        if let Some(v) = self.name {
            client.name = v.trim().to_owned();
        }
        if let Some(v) = self.product {
            client.product = v;
        }
        if let Some(v) = self.redirect_uris {
            client.redirect_uris = v;
        }
        if let Some(v) = self.post_logout_redirect_uris {
            client.post_logout_redirect_uris = v;
        }
        if let Some(v) = self.initiate_login_uri {
            client.initiate_login_uri = v;
        }
        if let Some(v) = self.id_token_alg {
            client.id_token_alg = v;
        }
        if let Some(v) = self.scopes {
            client.scopes = v;
        }
    }
}

/// A redirect-type URI must be absolute, without a fragment, and use https — or http on the
/// loopback interface, for development (RFC 8252 §7.3).
fn check_uri(field: &str, text: &str) -> Result<(), SsoError> {
    let url = Url::parse(text).map_err(|_| {
        SsoError::invalid(
            field,
            "uri_invalid",
            format!("{text:?} is not an absolute URI"),
        )
    })?;
    if url.fragment().is_some() {
        return Err(SsoError::invalid(
            field,
            "uri_invalid",
            "a redirect URI may not have a fragment",
        ));
    }
    let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        _ => Err(SsoError::invalid(
            field,
            "uri_insecure",
            "use https (http only on localhost)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(uris: &[&str]) -> ClientFields {
        ClientFields {
            redirect_uris: Some(uris.iter().map(|u| u.to_string()).collect()),
            ..ClientFields::default()
        }
    }

    #[test]
    fn redirect_uris_must_be_https_except_on_loopback() {
        assert!(fields(&["https://vendor.example/cb"]).validate().is_ok());
        assert!(fields(&["http://127.0.0.1:9000/cb"]).validate().is_ok());
        assert!(fields(&["http://vendor.example/cb"]).validate().is_err());
        assert!(fields(&["https://vendor.example/cb#x"]).validate().is_err());
        assert!(fields(&["/cb"]).validate().is_err());
    }

    #[test]
    fn only_known_api_scopes_are_accepted() {
        let bad = ClientFields {
            scopes: Some(vec!["admin".into()]),
            ..ClientFields::default()
        };
        assert_eq!(bad.validate().unwrap_err().code(), "scope_unknown");
    }
}
