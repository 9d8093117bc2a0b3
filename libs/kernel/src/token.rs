//! Bearer tokens that carry a [`Principal`].
//!
//! Until the `sso` service issues tokens, the hub signs its own API tokens with a shared secret
//! (HS256). `tilgang token create` mints them for bootstrapping, and tests mint them with
//! [`SharedSecretTokens::mint`]. Services only see the [`TokenVerifier`] trait, so a verifier for
//! `sso`-issued tokens can stand beside this one later.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use tilgang_isil::Isil;
use uuid::Uuid;

use crate::ids::VendorId;
use crate::principal::{Principal, Role};

/// The audience of hub API tokens.
pub const API_AUDIENCE: &str = "tilgang-api";

/// The audience of service tokens: they open the internal port endpoints and nothing else,
/// so a service token that leaks is no API token.
pub const INTERNAL_AUDIENCE: &str = "tilgang-internal";

/// Why a bearer token was refused. The message never contains the token.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    /// Signature, format, issuer or audience is wrong.
    #[error("the access token is not valid")]
    Invalid,
    /// The token has expired.
    #[error("the access token has expired")]
    Expired,
    /// The claims do not describe a principal (for example a library admin without ISILs).
    #[error("the access token does not name a valid role and scope")]
    BadScope,
}

/// Turns a bearer token into the principal it was issued to.
pub trait TokenVerifier: Send + Sync + 'static {
    /// Verifies `token` and returns its principal.
    fn verify(&self, token: &str) -> Result<Principal, TokenError>;
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    iss: String,
    sub: String,
    aud: String,
    iat: i64,
    exp: i64,
    jti: String,
    role: Role,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    isils: Vec<Isil>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    vendor: Option<VendorId>,
}

/// HS256 API tokens signed with a secret the hub keeps.
pub struct SharedSecretTokens {
    issuer: String,
    audience: &'static str,
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl SharedSecretTokens {
    /// API tokens issued by `issuer` (the hub's public URL) and signed with `secret` (at least
    /// 32 bytes).
    pub fn new(issuer: &str, secret: &[u8]) -> Self {
        Self::for_audience(issuer, secret, API_AUDIENCE)
    }

    /// Service tokens ([`INTERNAL_AUDIENCE`]) issued by `issuer` and signed with `secret`.
    pub fn internal(issuer: &str, secret: &[u8]) -> Self {
        Self::for_audience(issuer, secret, INTERNAL_AUDIENCE)
    }

    fn for_audience(issuer: &str, secret: &[u8], audience: &'static str) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.leeway = 30;
        Self {
            issuer: issuer.to_owned(),
            audience,
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    /// Signs a token for `principal`, issued at `now` and valid for `ttl`.
    pub fn mint(&self, principal: &Principal, now: DateTime<Utc>, ttl: Duration) -> String {
        let (isils, vendor) = match principal {
            Principal::LibraryAdmin { isils, .. } => (isils.clone(), None),
            Principal::Vendor { vendor, .. } => (Vec::new(), Some(*vendor)),
            _ => (Vec::new(), None),
        };
        let claims = Claims {
            iss: self.issuer.clone(),
            sub: principal.subject().to_owned(),
            aud: self.audience.to_owned(),
            iat: now.timestamp(),
            exp: (now + ttl).timestamp(),
            jti: Uuid::new_v4().to_string(),
            role: principal.role(),
            isils,
            vendor,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 signing of plain claims cannot fail")
    }
}

impl TokenVerifier for SharedSecretTokens {
    fn verify(&self, token: &str) -> Result<Principal, TokenError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            })?;
        let Claims {
            sub: subject,
            role,
            isils,
            vendor,
            ..
        } = data.claims;
        match (role, vendor) {
            (Role::ConsortiumAdmin, None) => Ok(Principal::ConsortiumAdmin { subject }),
            (Role::Service, None) => Ok(Principal::Service { subject }),
            (Role::LibraryAdmin, None) if !isils.is_empty() => {
                Ok(Principal::LibraryAdmin { subject, isils })
            }
            (Role::Vendor, Some(vendor)) => Ok(Principal::Vendor { subject, vendor }),
            _ => Err(TokenError::BadScope),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens() -> SharedSecretTokens {
        SharedSecretTokens::new("http://hub.test", b"0123456789abcdef0123456789abcdef")
    }

    #[test]
    fn a_minted_token_verifies_to_the_same_principal() {
        let principal = Principal::LibraryAdmin {
            subject: "kari".into(),
            isils: vec!["NO-2030000".parse().unwrap()],
        };
        let token = tokens().mint(&principal, Utc::now(), Duration::hours(1));
        assert_eq!(tokens().verify(&token), Ok(principal));
    }

    #[test]
    fn an_expired_token_is_refused() {
        let principal = Principal::ConsortiumAdmin {
            subject: "ola".into(),
        };
        let token = tokens().mint(
            &principal,
            Utc::now() - Duration::hours(2),
            Duration::hours(1),
        );
        assert_eq!(tokens().verify(&token), Err(TokenError::Expired));
    }

    #[test]
    fn a_token_signed_with_another_secret_is_refused() {
        let other = SharedSecretTokens::new("http://hub.test", b"another secret of thirty-two byt");
        let token = other.mint(
            &Principal::Service {
                subject: "x".into(),
            },
            Utc::now(),
            Duration::hours(1),
        );
        assert_eq!(tokens().verify(&token), Err(TokenError::Invalid));
        assert_eq!(tokens().verify("not a token"), Err(TokenError::Invalid));
    }

    #[test]
    fn a_service_token_is_no_api_token_and_an_api_token_no_service_token() {
        let internal =
            SharedSecretTokens::internal("http://hub.test", b"0123456789abcdef0123456789abcdef");
        let service = Principal::Service {
            subject: "portal".into(),
        };
        let token = internal.mint(&service, Utc::now(), Duration::minutes(5));
        assert_eq!(internal.verify(&token), Ok(service.clone()));
        assert_eq!(tokens().verify(&token), Err(TokenError::Invalid));
        let api = tokens().mint(&service, Utc::now(), Duration::minutes(5));
        assert_eq!(internal.verify(&api), Err(TokenError::Invalid));
    }
}
