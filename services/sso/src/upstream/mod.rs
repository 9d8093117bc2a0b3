//! Upstream OpenID Connect: a library (or the consortium's national e-ID broker) lets its
//! patrons log in at its own identity provider. The hub is the relying party, built on the
//! `openidconnect` crate: discovery, code flow with PKCE S256, `state` and `nonce`, and a
//! verified ID token. (The demo vendor site logs in at the hub with the same relying party.) The provider's subject (or a claim the library names) becomes a keyed
//! patron handle; a claim may name the patron's home library by ISIL.

pub mod http;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tilgang_web::error::cause_chain;

pub use self::http::OidcHttp;
use crate::domain::claims::PatronAttributes;

/// How long discovered provider metadata (and its keys) is trusted before it is fetched again.
const METADATA_TTL: Duration = Duration::from_secs(600);

/// The sealing context of a library's upstream client secret.
pub fn upstream_seal_context(isil: &tilgang_kernel::Isil) -> String {
    format!("upstream:{}", isil.key())
}

/// The client of a stored setup, its secret opened; `None` when the secret does not open.
pub fn client_of(
    sealer: &tilgang_kernel::secrets::Sealer,
    isil: &tilgang_kernel::Isil,
    setup: &crate::storage::setups::UpstreamSetup,
    redirect_uri: String,
) -> Option<UpstreamClient> {
    let sealed = setup.client_secret_sealed.as_deref()?;
    Some(UpstreamClient {
        issuer: setup.issuer.clone(),
        client_id: setup.client_id.clone(),
        client_secret: sealer
            .open_text(sealed, &upstream_seal_context(isil))
            .ok()?,
        scopes: setup.scopes.clone(),
        redirect_uri,
    })
}

/// A client built from discovery: authorization endpoint known, token and userinfo maybe.
type DiscoveredClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// What the hub needs to log a patron in at an upstream provider.
#[derive(Debug, Clone)]
pub struct UpstreamClient {
    /// The provider's issuer URL.
    pub issuer: String,
    /// The hub's client id there.
    pub client_id: String,
    /// The hub's client secret there.
    pub client_secret: String,
    /// Scopes to ask for besides `openid`.
    pub scopes: Vec<String>,
    /// The hub's callback URL.
    pub redirect_uri: String,
}

/// What a begun login keeps until the browser comes back (under its `state`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Secrets {
    /// The PKCE verifier.
    pub verifier: String,
    /// The nonce the ID token must carry.
    pub nonce: String,
}

/// What the upstream provider vouched for.
#[derive(Debug, Clone, PartialEq)]
pub struct UpstreamIdentity {
    /// The verified ID token's claims (signature, issuer, audience, expiry and nonce checked).
    pub claims: Map<String, Value>,
}

impl UpstreamIdentity {
    /// A claim as text (strings as they are, numbers written out).
    pub fn text(&self, name: &str) -> Option<String> {
        match self.claims.get(name)? {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// The standard profile claims the hub may release as attributes: birth year from
    /// `birthdate` and language from `locale`.
    pub fn attributes(&self) -> PatronAttributes {
        PatronAttributes {
            category: None,
            birth_year: self
                .text("birthdate")
                .and_then(|d| d.get(..4).and_then(|y| y.parse().ok())),
            language: self.text("locale"),
            municipality: None,
        }
    }
}

/// Why an upstream login failed.
#[derive(Debug, thiserror::Error)]
pub enum UpstreamError {
    /// The provider's discovery document or keys could not be fetched or read.
    #[error("the identity provider's configuration could not be read: {0}")]
    Discovery(String),
    /// The code exchange failed.
    #[error("the identity provider refused the code: {0}")]
    Exchange(String),
    /// The ID token is missing or did not verify.
    #[error("the identity provider's ID token did not verify: {0}")]
    IdToken(String),
    /// The setup is not usable (bad URL).
    #[error("the identity provider setup is not usable: {0}")]
    Setup(String),
}

/// Relying-party logins at upstream providers, with their metadata cached.
pub struct Upstreams {
    http: OidcHttp,
    metadata: Mutex<HashMap<String, (Instant, CoreProviderMetadata)>>,
}

impl Upstreams {
    /// Upstream logins over `http`.
    pub fn new(http: OidcHttp) -> Self {
        Self {
            http,
            metadata: Mutex::new(HashMap::new()),
        }
    }

    async fn metadata(
        &self,
        issuer: &str,
        fresh: bool,
    ) -> Result<CoreProviderMetadata, UpstreamError> {
        if !fresh
            && let Some((at, found)) = self.metadata.lock().expect("metadata lock").get(issuer)
            && at.elapsed() < METADATA_TTL
        {
            return Ok(found.clone());
        }
        let url =
            IssuerUrl::new(issuer.to_owned()).map_err(|e| UpstreamError::Setup(e.to_string()))?;
        let found = CoreProviderMetadata::discover_async(url, &self.http)
            .await
            .map_err(|e| UpstreamError::Discovery(cause_chain(&e)))?;
        self.metadata
            .lock()
            .expect("metadata lock")
            .insert(issuer.to_owned(), (Instant::now(), found.clone()));
        Ok(found)
    }

    /// Checks that the provider answers discovery (for the setup's "test" and for saving it).
    pub async fn check(&self, issuer: &str) -> Result<(), UpstreamError> {
        self.metadata(issuer, true).await.map(|_| ())
    }

    async fn client(
        &self,
        setup: &UpstreamClient,
        fresh: bool,
    ) -> Result<DiscoveredClient, UpstreamError> {
        let metadata = self.metadata(&setup.issuer, fresh).await?;
        let redirect = RedirectUrl::new(setup.redirect_uri.clone())
            .map_err(|e| UpstreamError::Setup(e.to_string()))?;
        Ok(CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(setup.client_id.clone()),
            Some(ClientSecret::new(setup.client_secret.clone())),
        )
        .set_redirect_uri(redirect))
    }

    /// The provider URL to send the browser to (with `extra` parameters such as `login_hint`),
    /// its `state`, and the secrets to keep under that state until the browser is back.
    pub async fn begin(
        &self,
        setup: &UpstreamClient,
        extra: &[(&str, String)],
    ) -> Result<(String, String, Secrets), UpstreamError> {
        let client = self.client(setup, false).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in &setup.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        for (name, value) in extra {
            request = request.add_extra_param(*name, value.clone());
        }
        let (url, state, nonce) = request.url();
        let secrets = Secrets {
            verifier: verifier.secret().clone(),
            nonce: nonce.secret().clone(),
        };
        Ok((url.to_string(), state.secret().clone(), secrets))
    }

    /// Exchanges the code the patron brought back and verifies the ID token.
    pub async fn finish(
        &self,
        setup: &UpstreamClient,
        secrets: &Secrets,
        code: &str,
    ) -> Result<UpstreamIdentity, UpstreamError> {
        let client = self.client(setup, false).await?;
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| UpstreamError::Setup(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(secrets.verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| UpstreamError::Exchange(cause_chain(&e)))?;
        let token = response
            .id_token()
            .ok_or_else(|| UpstreamError::IdToken("the token response has no ID token".into()))?;
        let nonce = Nonce::new(secrets.nonce.clone());
        if let Err(first) = token.claims(&client.id_token_verifier(), &nonce) {
            // The provider may have rotated its keys since we cached them: fetch once more.
            let client = self.client(setup, true).await?;
            token
                .claims(&client.id_token_verifier(), &nonce)
                .map_err(|e| UpstreamError::IdToken(format!("{first}; after a refetch: {e}")))?;
        }
        // The signature is verified above, so the payload's other claims can be read as they are.
        let jwt = token.to_string();
        let payload = jwt
            .split('.')
            .nth(1)
            .and_then(|p| URL_SAFE_NO_PAD.decode(p).ok())
            .and_then(|bytes| serde_json::from_slice::<Map<String, Value>>(&bytes).ok())
            .ok_or_else(|| UpstreamError::IdToken("the ID token payload is not JSON".into()))?;
        Ok(UpstreamIdentity { claims: payload })
    }
}
