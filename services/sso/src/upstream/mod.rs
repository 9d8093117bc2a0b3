//! Upstream OpenID Connect: a library (or the consortium's national e-ID broker) lets its
//! patrons log in at its own identity provider, with the hub as relying party
//! ([`tilgang_rp`]). The provider's subject (or a claim the library names) becomes a keyed
//! patron handle; a claim may name the patron's home library by ISIL.

pub use tilgang_rp::{Identity, OidcHttp, ProviderClient, RelyingParty, RpError, Secrets};

use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use tilgang_store::Kv;

use crate::domain::claims::PatronAttributes;

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
) -> Option<ProviderClient> {
    let sealed = setup.client_secret_sealed.as_deref()?;
    Some(ProviderClient {
        issuer: setup.issuer.clone(),
        client_id: setup.client_id.clone(),
        client_secret: sealer
            .open_text(sealed, &upstream_seal_context(isil))
            .ok()?,
        scopes: setup.scopes.clone(),
        redirect_uri,
    })
}

/// The standard profile claims the hub may release as attributes: birth year from
/// `birthdate` and language from `locale`.
pub fn attributes(identity: &Identity) -> PatronAttributes {
    PatronAttributes {
        category: None,
        birth_year: identity
            .text("birthdate")
            .and_then(|d| d.get(..4).and_then(|y| y.parse().ok())),
        language: identity.text("locale"),
        municipality: None,
    }
}

/// How long a login may take at a provider.
const PENDING_TTL: Duration = Duration::from_secs(600);

/// The provider's answer at a callback.
#[derive(Debug, serde::Deserialize)]
pub struct Callback {
    /// The state the login began with.
    pub state: Option<String>,
    /// The code to exchange.
    pub code: Option<String>,
    /// Why there is no code.
    pub error: Option<String>,
}

fn pending_key(kind: &str, state: &str) -> String {
    format!("sso:{kind}:{}", crate::crypto::digest(state))
}

/// Keeps what a login of `kind` begun at a provider needs under its `state`, for ten minutes.
pub async fn keep<T: Serialize>(
    kv: &dyn Kv,
    kind: &str,
    state: &str,
    pending: &T,
) -> Result<(), String> {
    let bytes = serde_json::to_vec(pending).map_err(|e| e.to_string())?;
    kv.set(&pending_key(kind, state), &bytes, PENDING_TTL)
        .await
        .map_err(|e| e.to_string())
}

/// Takes, once, what was kept for the callback's state: none when it expired, was taken
/// already or never was.
pub async fn take<T: DeserializeOwned>(
    kv: &dyn Kv,
    kind: &str,
    state: Option<&str>,
) -> Result<Option<T>, String> {
    let Some(state) = state else {
        return Ok(None);
    };
    match kv.take(&pending_key(kind, state)).await {
        Ok(Some(bytes)) => serde_json::from_slice(&bytes).map_err(|e| e.to_string()),
        Ok(None) => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}
