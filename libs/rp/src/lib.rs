//! An OpenID Connect relying party built on the `openidconnect` crate: discovery (cached ten
//! minutes, fetched again once when a signature does not verify), the code flow with PKCE S256,
//! `state` and `nonce`, and a verified ID token. The hub uses it at libraries' upstream
//! identity providers, the portal at the hub's own provider, and the demo vendor site as a
//! vendor would.

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

/// How long discovered provider metadata (and its keys) is trusted before it is fetched again.
const METADATA_TTL: Duration = Duration::from_secs(600);

/// A client built from discovery: authorization endpoint known, token and userinfo maybe.
type DiscoveredClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A client registered at a provider: what logging in there needs.
#[derive(Debug, Clone)]
pub struct ProviderClient {
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

/// What the provider vouched for.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    /// The verified ID token's claims (signature, issuer, audience, expiry and nonce checked).
    pub claims: Map<String, Value>,
}

impl Identity {
    /// A claim as text (strings as they are, numbers written out).
    pub fn text(&self, name: &str) -> Option<String> {
        match self.claims.get(name)? {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

/// Why a login at a provider failed.
#[derive(Debug, thiserror::Error)]
pub enum RpError {
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

/// Logins at providers, with their metadata cached.
pub struct RelyingParty {
    http: OidcHttp,
    metadata: Mutex<HashMap<String, (Instant, CoreProviderMetadata)>>,
}

impl RelyingParty {
    /// Logins over `http`.
    pub fn new(http: OidcHttp) -> Self {
        Self {
            http,
            metadata: Mutex::new(HashMap::new()),
        }
    }

    async fn metadata(&self, issuer: &str, fresh: bool) -> Result<CoreProviderMetadata, RpError> {
        if !fresh
            && let Some((at, found)) = self.metadata.lock().expect("metadata lock").get(issuer)
            && at.elapsed() < METADATA_TTL
        {
            return Ok(found.clone());
        }
        let url = IssuerUrl::new(issuer.to_owned()).map_err(|e| RpError::Setup(e.to_string()))?;
        let found = CoreProviderMetadata::discover_async(url, &self.http)
            .await
            .map_err(|e| RpError::Discovery(cause_chain(&e)))?;
        self.metadata
            .lock()
            .expect("metadata lock")
            .insert(issuer.to_owned(), (Instant::now(), found.clone()));
        Ok(found)
    }

    /// Checks that the provider answers discovery (for the setup's "test" and for saving it).
    pub async fn check(&self, issuer: &str) -> Result<(), RpError> {
        self.metadata(issuer, true).await.map(|_| ())
    }

    async fn client(
        &self,
        setup: &ProviderClient,
        fresh: bool,
    ) -> Result<DiscoveredClient, RpError> {
        let metadata = self.metadata(&setup.issuer, fresh).await?;
        let redirect = RedirectUrl::new(setup.redirect_uri.clone())
            .map_err(|e| RpError::Setup(e.to_string()))?;
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
        setup: &ProviderClient,
        extra: &[(&str, String)],
    ) -> Result<(String, String, Secrets), RpError> {
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
        setup: &ProviderClient,
        secrets: &Secrets,
        code: &str,
    ) -> Result<Identity, RpError> {
        let client = self.client(setup, false).await?;
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| RpError::Setup(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(secrets.verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| RpError::Exchange(cause_chain(&e)))?;
        let token = response
            .id_token()
            .ok_or_else(|| RpError::IdToken("the token response has no ID token".into()))?;
        let nonce = Nonce::new(secrets.nonce.clone());
        if let Err(first) = token.claims(&client.id_token_verifier(), &nonce) {
            // The provider may have rotated its keys since we cached them: fetch once more.
            let client = self.client(setup, true).await?;
            token
                .claims(&client.id_token_verifier(), &nonce)
                .map_err(|e| RpError::IdToken(format!("{first}; after a refetch: {e}")))?;
        }
        // The signature is verified above, so the payload's other claims can be read as they are.
        let jwt = token.to_string();
        let payload = jwt
            .split('.')
            .nth(1)
            .and_then(|p| URL_SAFE_NO_PAD.decode(p).ok())
            .and_then(|bytes| serde_json::from_slice::<Map<String, Value>>(&bytes).ok())
            .ok_or_else(|| RpError::IdToken("the ID token payload is not JSON".into()))?;
        Ok(Identity { claims: payload })
    }
}
