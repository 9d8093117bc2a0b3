//! Client authentication at the token, introspection and revocation endpoints:
//! `client_secret_basic` and `client_secret_post`, against a short-lived in-memory cache of
//! clients so the token endpoint does not hit the database on every call.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use actix_web::HttpRequest;
use actix_web::http::header::AUTHORIZATION;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sea_orm::DatabaseConnection;

use super::oauth_error::OAuthError;
use crate::crypto;
use crate::domain::SsoError;
use crate::domain::client::OAuthClient;
use crate::storage;

/// How long a cached client is trusted; a change made on another replica takes effect after
/// at most this long.
const FRESH_FOR: Duration = Duration::from_secs(30);

/// A cached lookup: when it was made, and what it found.
type Cached = (Instant, Option<Arc<OAuthClient>>);

/// Clients by id, cached; built-in clients (the portal's, the services') are never stored.
#[derive(Default)]
pub struct ClientCache {
    entries: RwLock<HashMap<String, Cached>>,
    builtin: Vec<Arc<OAuthClient>>,
}

impl ClientCache {
    /// A cache that also knows the `builtin` clients.
    pub fn with_builtin(builtin: Vec<OAuthClient>) -> Self {
        Self {
            entries: RwLock::default(),
            builtin: builtin.into_iter().map(Arc::new).collect(),
        }
    }

    /// The client with this id.
    pub async fn get(
        &self,
        db: &DatabaseConnection,
        client_id: &str,
    ) -> Result<Option<Arc<OAuthClient>>, SsoError> {
        if let Some(builtin) = self.builtin.iter().find(|b| b.client_id == client_id) {
            return Ok(Some(builtin.clone()));
        }
        if let Some((at, client)) = self.entries.read().expect("client cache").get(client_id)
            && at.elapsed() < FRESH_FOR
        {
            return Ok(client.clone());
        }
        let client = storage::clients::find(db, client_id).await?.map(Arc::new);
        let mut entries = self.entries.write().expect("client cache");
        if entries.len() > 10_000 {
            entries.clear();
        }
        entries.insert(client_id.to_owned(), (Instant::now(), client.clone()));
        Ok(client)
    }

    /// Forgets a client after a change.
    pub fn forget(&self, client_id: &str) {
        self.entries
            .write()
            .expect("client cache")
            .remove(client_id);
    }
}

/// The credentials a request carries.
struct Credentials {
    /// Client id.
    pub client_id: String,
    /// Secret.
    secret: String,
    /// Whether they came by HTTP Basic.
    pub basic: bool,
}

/// The client credentials of a request: HTTP Basic, else `client_id` and `client_secret` in
/// the form; both at once is an error (RFC 6749 §2.3).
fn credentials(
    req: &HttpRequest,
    form_id: Option<&str>,
    form_secret: Option<&str>,
) -> Result<Credentials, OAuthError> {
    let basic = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "));
    match (basic, form_secret) {
        (Some(_), Some(_)) => Err(OAuthError::bad(
            "invalid_request",
            "use one client authentication method, not two",
        )),
        (Some(encoded), None) => {
            let decoded = STANDARD
                .decode(encoded.trim())
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(|| OAuthError::invalid_client(true))?;
            let (id, secret) = decoded
                .split_once(':')
                .ok_or_else(|| OAuthError::invalid_client(true))?;
            Ok(Credentials {
                client_id: form_urldecode(id),
                secret: form_urldecode(secret),
                basic: true,
            })
        }
        (None, Some(secret)) => Ok(Credentials {
            client_id: form_id.unwrap_or_default().to_owned(),
            secret: secret.to_owned(),
            basic: false,
        }),
        (None, None) => Err(OAuthError::invalid_client(false)),
    }
}

/// RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64.
fn form_urldecode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={text}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// The approved client that the request authenticates as (HTTP Basic, or `client_id` and
/// `client_secret` from the form).
pub async fn authenticate(
    cache: &ClientCache,
    db: &DatabaseConnection,
    req: &HttpRequest,
    form_id: Option<&str>,
    form_secret: Option<&str>,
) -> Result<Arc<OAuthClient>, OAuthError> {
    let creds = credentials(req, form_id, form_secret)?;
    let client = cache.get(db, &creds.client_id).await?;
    match client {
        Some(client)
            if client.usable()
                && crypto::same(&client.secret_hash, &crypto::digest(&creds.secret)) =>
        {
            Ok(client)
        }
        _ => Err(OAuthError::invalid_client(creds.basic)),
    }
}
