//! Service tokens: each service is a built-in client of `sso` (`tilgang-service-{name}`, its
//! secret derived from the root secret, as the portal's is) and asks its token endpoint for a
//! short-lived token with the client-credentials grant.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::ports::PortError;
use crate::secrets::Keyed;

/// How long before its expiry a cached token is replaced.
const RENEW_BEFORE: Duration = Duration::from_secs(30);

/// The client id of the service `name` at `sso`.
pub fn service_client_id(name: &str) -> String {
    format!("tilgang-service-{name}")
}

/// The client secret of the service `name`, derived from the hub's root secret so that `sso`
/// and the service know it without being told.
pub fn service_client_secret(root_secret: &[u8], name: &str) -> String {
    Keyed::derive(root_secret, "service client").pseudonym(&[name])
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    expires_in: u64,
}

/// The service tokens of one service, fetched from `sso` when needed and cached until shortly
/// before they expire.
pub struct ServiceTokens {
    token_url: String,
    client_id: String,
    client_secret: String,
    http: reqwest::Client,
    cached: Mutex<Option<(String, Instant)>>,
}

impl ServiceTokens {
    /// Tokens for the service `name` from the provider at `sso` (its base URL).
    pub fn new(sso: &str, name: &str, root_secret: &[u8]) -> Self {
        Self {
            token_url: format!("{}/oauth2/token", sso.trim_end_matches('/')),
            client_id: service_client_id(name),
            client_secret: service_client_secret(root_secret, name),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .expect("an HTTP client without TLS settings builds"),
            cached: Mutex::new(None),
        }
    }

    /// A token that is valid for at least half a minute more.
    pub async fn bearer(&self) -> Result<String, PortError> {
        if let Some((token, until)) = self.cached.lock().expect("token cache").as_ref()
            && Instant::now() < *until
        {
            return Ok(token.clone());
        }
        let failed = |reason: String| PortError::new("sso", reason);
        let response = self
            .http
            .post(&self.token_url)
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .form(&[
                ("grant_type", "client_credentials"),
                ("scope", super::INTERNAL_SCOPE),
            ])
            .send()
            .await
            .map_err(|e| failed(format!("no service token: {}", super::without_url(&e))))?;
        if !response.status().is_success() {
            return Err(failed(format!(
                "the token endpoint refused the service client: {}",
                response.status()
            )));
        }
        let answer: TokenAnswer = response
            .json()
            .await
            .map_err(|e| failed(format!("the token endpoint answered nonsense: {e}")))?;
        let until =
            Instant::now() + Duration::from_secs(answer.expires_in).saturating_sub(RENEW_BEFORE);
        *self.cached.lock().expect("token cache") = Some((answer.access_token.clone(), until));
        Ok(answer.access_token)
    }

    /// Drops `token` from the cache (a peer refused it).
    pub fn forget(&self, token: &str) {
        let mut cached = self.cached.lock().expect("token cache");
        if cached.as_ref().is_some_and(|(t, _)| t == token) {
            *cached = None;
        }
    }
}
