//! Demo data of the provider: a patron login at two libraries, so a newcomer can click through
//! a whole login (which library may use which product is the `subscriptions` demo's).
//!
//! Demo patrons: card `demo`, PIN `2468`, at Deichman (NO-2030000) and Tampere (FI-Tam).

use chrono::{DateTime, Utc};
use tilgang_kernel::Isil;
use uuid::Uuid;

use crate::crypto;
use crate::domain::SsoError;
use crate::domain::client::{ClientStatus, OAuthClient, SigningAlg};
use crate::http::State;
use crate::login::pin;
use crate::storage::clients;
use crate::storage::patron_logins::{self, PatronLogin};

/// The OAuth client id of the demo vendor site (`tilgang demo` mounts it at `/demo/vendor`)
/// for the product `slug`: one client per product, as the register models them.
pub fn vendor_client_id(slug: &str) -> String {
    format!("demo-vendor-site:{slug}")
}

/// Registers (or refreshes) the demo vendor site's client for the product `slug` with the
/// site's URLs under `site`, with a fresh secret, which it returns. The client is an ordinary
/// approved client: nothing in the provider treats it differently.
pub(crate) async fn vendor_client(
    state: &State,
    slug: &str,
    site: &str,
) -> Result<Option<String>, SsoError> {
    let client_id = vendor_client_id(slug);
    let Some(product) = state.ports.catalogue.product_by_slug(slug).await? else {
        return Ok(None);
    };
    let secret = crypto::random_token();
    let now = state.clock.now();
    let existing = clients::find(&state.db, &client_id).await?;
    let client = OAuthClient {
        client_id: client_id.clone(),
        vendor: product.vendor,
        product: Some(product.id),
        name: "Demo vendor site".into(),
        secret_hash: crypto::digest(&secret),
        redirect_uris: vec![format!("{site}/callback")],
        post_logout_redirect_uris: vec![format!("{site}/")],
        initiate_login_uri: Some(format!("{site}/login")),
        id_token_alg: SigningAlg::ES256,
        scopes: Vec::new(),
        status: ClientStatus::Approved,
        created_at: existing.as_ref().map_or(now, |c| c.created_at),
        updated_at: now,
    };
    match existing {
        Some(_) => clients::save(&state.db, &client).await?,
        None => clients::create(&state.db, &client).await?,
    }
    state.clients.forget(&client_id);
    Ok(Some(secret))
}

/// The demo patron's card and PIN.
pub const PATRON: (&str, &str) = ("demo", "2468");

pub(crate) async fn ensure(state: &State, now: DateTime<Utc>) -> Result<(), SsoError> {
    for text in ["NO-2030000", "FI-Tam"] {
        let isil = Isil::parse(text).expect("demo ISILs are valid");
        let key = state.logins.login_key(&isil, PATRON.0);
        if patron_logins::find_by_key(&state.db, &key).await?.is_some() {
            continue;
        }
        let login = PatronLogin {
            id: Uuid::now_v7(),
            hint: "…emo".into(),
            pin_hash: pin::hash(PATRON.1.into()).await?,
            category: Some("adult".into()),
            birth_year: Some(1990),
            disabled: false,
            created_at: now,
            updated_at: now,
        };
        patron_logins::create(&state.db, &isil, &key, &login).await?;
    }
    Ok(())
}
