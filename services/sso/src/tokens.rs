//! Tokens the provider issues: JWT access tokens (RFC 9068) that resource servers verify
//! against the JWKS, ID tokens, and refresh tokens (opaque, rotated); and their revocation.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tilgang_kernel::Clock;
use tilgang_store::Kv;
use uuid::Uuid;

use crate::crypto;
use crate::crypto::jws::{self, JwsHeader};
use crate::domain::SsoError;
use crate::domain::client::SigningAlg;
use crate::keyring::KeyRing;

/// How long things live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetimes {
    /// Access tokens.
    pub access: Duration,
    /// ID tokens.
    pub id_token: Duration,
    /// Refresh tokens (each rotation starts a new one).
    pub refresh: Duration,
    /// Authorization codes.
    pub code: Duration,
    /// Patron sessions on one browser.
    pub session: Duration,
}

impl Default for Lifetimes {
    /// Access 10 minutes, ID token 10 minutes, refresh 30 days, code 60 seconds, session 8
    /// hours (a working day at a shared library computer; logout ends it sooner).
    fn default() -> Self {
        Self {
            access: Duration::from_secs(600),
            id_token: Duration::from_secs(600),
            refresh: Duration::from_secs(30 * 86_400),
            code: Duration::from_secs(60),
            session: Duration::from_secs(8 * 3600),
        }
    }
}

/// The claims of an access token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessClaims {
    /// Issuer.
    pub iss: String,
    /// Pairwise subject of a patron, or the client id for `client_credentials`.
    pub sub: String,
    /// Audience: the hub's API.
    pub aud: String,
    /// Client.
    pub client_id: String,
    /// Scopes, space-separated.
    pub scope: String,
    /// Issued at.
    pub iat: i64,
    /// Expires.
    pub exp: i64,
    /// Token id.
    pub jti: String,
    /// The vendor owning the client.
    pub vendor: Uuid,
    /// The grant of a patron token.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub grant: Option<Uuid>,
    /// The patron's library, for patron tokens.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub isil: Option<String>,
}

/// The audience of access tokens.
pub const API_AUDIENCE: &str = "tilgang-api";

/// Issues and checks tokens.
pub struct Tokens {
    /// The signing keys.
    pub keys: Arc<KeyRing>,
    kv: Arc<dyn Kv>,
    clock: Arc<dyn Clock>,
    /// The issuer URL (no trailing slash).
    pub issuer: String,
    /// Lifetimes.
    pub lifetimes: Lifetimes,
}

impl Tokens {
    /// Tokens signed by `keys`, revocations kept in `kv`.
    pub fn new(
        keys: Arc<KeyRing>,
        kv: Arc<dyn Kv>,
        clock: Arc<dyn Clock>,
        issuer: String,
        lifetimes: Lifetimes,
    ) -> Self {
        Self {
            keys,
            kv,
            clock,
            issuer,
            lifetimes,
        }
    }

    fn sign(
        &self,
        alg: SigningAlg,
        typ: &str,
        claims: &impl Serialize,
    ) -> Result<String, SsoError> {
        let key = self
            .keys
            .signer(alg)
            .ok_or_else(|| SsoError::Storage("no signing key is active".into()))?;
        Ok(jws::encode(&key.key, &key.kid, typ, claims))
    }

    /// A new access token for `sub` at `client_id`.
    pub fn access_token(
        &self,
        sub: &str,
        client_id: &str,
        vendor: Uuid,
        scope: &str,
        grant: Option<Uuid>,
        isil: Option<&str>,
    ) -> Result<(String, AccessClaims), SsoError> {
        let now = self.clock.now().timestamp();
        let claims = AccessClaims {
            iss: self.issuer.clone(),
            sub: sub.to_owned(),
            aud: API_AUDIENCE.to_owned(),
            client_id: client_id.to_owned(),
            scope: scope.to_owned(),
            iat: now,
            exp: now + self.lifetimes.access.as_secs() as i64,
            jti: crypto::random_token(),
            vendor,
            grant,
            isil: isil.map(str::to_owned),
        };
        let token = self.sign(SigningAlg::ES256, "at+jwt", &claims)?;
        Ok((token, claims))
    }

    /// A signed ID token with `claims` added to the standard ones.
    #[allow(clippy::too_many_arguments)]
    pub fn id_token(
        &self,
        alg: SigningAlg,
        client_id: &str,
        sub: &str,
        auth_time: DateTime<Utc>,
        nonce: Option<&str>,
        access_token: &str,
        sid: Option<&str>,
        amr: &str,
        claims: &Map<String, Value>,
    ) -> Result<String, SsoError> {
        let now = self.clock.now().timestamp();
        let mut body = claims.clone();
        body.insert("iss".into(), self.issuer.clone().into());
        body.insert("sub".into(), sub.into());
        body.insert("aud".into(), client_id.into());
        body.insert("azp".into(), client_id.into());
        body.insert("iat".into(), now.into());
        body.insert(
            "exp".into(),
            (now + self.lifetimes.id_token.as_secs() as i64).into(),
        );
        body.insert("auth_time".into(), auth_time.timestamp().into());
        body.insert("at_hash".into(), crypto::at_hash(access_token).into());
        body.insert("amr".into(), serde_json::json!([amr]));
        if let Some(nonce) = nonce {
            body.insert("nonce".into(), nonce.into());
        }
        if let Some(sid) = sid {
            body.insert("sid".into(), sid.into());
        }
        self.sign(alg, "JWT", &body)
    }

    /// A JWT of `claims` with `iss`, `iat`, `exp` (`seconds` from now) and a fresh `jti` added,
    /// signed with the current ES256 key.
    pub fn signed(
        &self,
        claims: &Map<String, Value>,
        seconds: i64,
        typ: &str,
    ) -> Result<String, SsoError> {
        let now = self.clock.now().timestamp();
        let mut body = claims.clone();
        body.insert("iss".into(), self.issuer.clone().into());
        body.insert("iat".into(), now.into());
        body.insert("exp".into(), (now + seconds).into());
        body.insert("jti".into(), crypto::random_token().into());
        self.sign(SigningAlg::ES256, typ, &body)
    }

    /// The claims of a valid, unrevoked access token issued here.
    pub async fn verify_access(&self, token: &str) -> Result<Option<AccessClaims>, SsoError> {
        let Some(claims) = self.decode_access(token) else {
            return Ok(None);
        };
        if self.kv.get(&revoked_token(&claims.jti)).await?.is_some() {
            return Ok(None);
        }
        if let Some(grant) = claims.grant
            && self.kv.get(&revoked_grant(grant)).await?.is_some()
        {
            return Ok(None);
        }
        Ok(Some(claims))
    }

    /// Signature, issuer, audience and expiry of an access token; revocation not checked.
    pub fn decode_access(&self, token: &str) -> Option<AccessClaims> {
        let (header, claims) = self.decode::<AccessClaims>(token)?;
        let ours = header.typ.as_deref() == Some("at+jwt") && claims.aud == API_AUDIENCE;
        (ours && claims.iss == self.issuer && claims.exp > self.clock.now().timestamp())
            .then_some(claims)
    }

    /// The header and claims of a token signed by one of the published keys, expired or not.
    pub fn decode<T: DeserializeOwned>(&self, token: &str) -> Option<(JwsHeader, T)> {
        jws::decode(token, |kid| self.keys.verifier(kid).map(|k| k.key.clone()))
    }

    /// Revokes one access token until it would have expired.
    pub async fn revoke_access(&self, claims: &AccessClaims) -> Result<(), SsoError> {
        let left = claims.exp - self.clock.now().timestamp();
        if left > 0 {
            self.kv
                .set(
                    &revoked_token(&claims.jti),
                    b"1",
                    Duration::from_secs(left as u64),
                )
                .await?;
        }
        Ok(())
    }

    /// Marks every access token of `grant` revoked (its refresh tokens are revoked in the
    /// database).
    pub async fn revoke_grant_tokens(&self, grant: Uuid) -> Result<(), SsoError> {
        self.kv
            .set(&revoked_grant(grant), b"1", self.lifetimes.access)
            .await?;
        Ok(())
    }
}

fn revoked_token(jti: &str) -> String {
    format!("sso:revoked:at:{jti}")
}

fn revoked_grant(grant: Uuid) -> String {
    format!("sso:revoked:grant:{grant}")
}
