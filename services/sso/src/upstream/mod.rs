//! Upstream OpenID Connect: a library (or the consortium's national e-ID broker) lets its
//! patrons log in at its own identity provider, with the hub as relying party
//! ([`tilgang_rp`]). The provider's subject (or a claim the library names) becomes a keyed
//! patron handle; a claim may name the patron's home library by ISIL.

pub use tilgang_rp::{Identity, OidcHttp, ProviderClient, RelyingParty, RpError, Secrets};

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
