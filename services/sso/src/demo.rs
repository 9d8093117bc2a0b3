//! Demo data of the provider: which demo library may use which demo product, and a patron
//! login at two libraries, so a newcomer can click through a whole login.
//!
//! Demo patrons: card `demo`, PIN `2468`, at Deichman (NO-2030000) and Tampere (FI-Tam).
//! Every demo library (the register's demo gives the list) has `nordlys-ebok`; only Deichman and Malmö have `nordlys-lydbok`, so
//! the "not offered by your library" page can be seen too.

use chrono::{DateTime, Utc};
use tilgang_kernel::Isil;
use uuid::Uuid;

use crate::domain::SsoError;
use crate::http::State;
use crate::login::pin;
use crate::storage::interim::InterimEntitlements;
use crate::storage::patron_logins::{self, PatronLogin};

/// The demo patron's card and PIN.
pub const PATRON: (&str, &str) = ("demo", "2468");

pub(crate) async fn ensure(
    state: &State,
    entitlements: &InterimEntitlements,
    libraries: &[Isil],
    now: DateTime<Utc>,
) -> Result<(), SsoError> {
    let catalogue = &state.ports.catalogue;
    let ebook = catalogue.product_by_slug("nordlys-ebok").await?;
    let audio = catalogue.product_by_slug("nordlys-lydbok").await?;
    for isil in libraries {
        if let Some(p) = &ebook {
            entitlements.grant(isil, p.id, None).await?;
        }
        if let (Some(p), true) = (&audio, matches!(isil.as_str(), "NO-2030000" | "SE-3")) {
            entitlements.grant(isil, p.id, None).await?;
        }
    }
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
