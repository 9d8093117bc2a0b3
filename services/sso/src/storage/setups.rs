//! How each library's patrons log in: the SIP2 connection to the library system and the
//! library's upstream OpenID Connect provider (e-ID).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{DatabaseConnection, EntityTrait, Set};
use serde::{Deserialize, Serialize};
use tilgang_kernel::Isil;

use super::entities::login_setup as row;
use super::{from_json, to_json};
use crate::domain::SsoError;

/// The SIP2 connection of a library, as stored (the password sealed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Sip2Setup {
    /// `host:port` of the library system's SIP2 service.
    pub address: String,
    /// The institution id (AO) the library system expects.
    pub institution_id: String,
    /// The SIP2 login user (CN), if the system wants a login.
    pub login_user: Option<String>,
    /// The SIP2 login password, sealed; never shown.
    #[serde(default, skip_serializing)]
    pub login_password_sealed: Option<String>,
    /// The location code (CP).
    pub location_code: Option<String>,
    /// Whether to use TLS.
    pub tls: bool,
    /// Extra CA certificates (PEM) for a self-signed library system.
    pub ca_pem: Option<String>,
    /// Seconds to wait for the library system (1 to 30).
    pub timeout_seconds: u64,
}

/// The library's upstream OpenID Connect provider, as stored (the client secret sealed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UpstreamSetup {
    /// The provider's issuer URL (https; http only on the loopback interface).
    pub issuer: String,
    /// The name on the login button, such as "BankID" or "Oslo kommune".
    pub display_name: String,
    /// The hub's client id at the provider.
    pub client_id: String,
    /// The hub's client secret, sealed; never shown.
    #[serde(default, skip_serializing)]
    pub client_secret_sealed: Option<String>,
    /// Scopes asked for besides `openid`.
    pub scopes: Vec<String>,
    /// The ID token claim that identifies the patron stably (default `sub`).
    pub patron_claim: String,
    /// An ID token claim holding the patron's home library's ISIL; when unset, the patron
    /// belongs to this library.
    pub library_claim: Option<String>,
}

/// A library's login setup.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LoginSetup {
    /// The SIP2 connection, if the library checks cards over SIP2.
    pub sip2: Option<Sip2Setup>,
    /// The upstream provider, if the library offers e-ID login.
    pub upstream: Option<UpstreamSetup>,
    /// When last changed.
    pub updated_at: Option<DateTime<Utc>>,
}

/// The setup of `isil` (empty when never set).
pub async fn get(db: &DatabaseConnection, isil: &Isil) -> Result<LoginSetup, SsoError> {
    let Some(found) = row::Entity::find_by_id(isil.key()).one(db).await? else {
        return Ok(LoginSetup::default());
    };
    Ok(LoginSetup {
        sip2: found.sip2.map(from_json).transpose()?,
        upstream: found.upstream.map(from_json).transpose()?,
        updated_at: Some(found.updated_at),
    })
}

/// Stores the setup of `isil`.
pub async fn put(
    db: &DatabaseConnection,
    isil: &Isil,
    setup: &LoginSetup,
    now: DateTime<Utc>,
) -> Result<(), SsoError> {
    // The sealed secrets are skipped by Serialize for API answers; store them explicitly.
    let sip2 = setup.sip2.as_ref().map(|s| {
        let mut value = to_json(s);
        value["login_password_sealed"] = s.login_password_sealed.clone().into();
        value
    });
    let upstream = setup.upstream.as_ref().map(|u| {
        let mut value = to_json(u);
        value["client_secret_sealed"] = u.client_secret_sealed.clone().into();
        value
    });
    row::Entity::insert(row::ActiveModel {
        isil_key: Set(isil.key()),
        issued_logins: Set(true),
        sip2: Set(sip2),
        upstream: Set(upstream),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(row::Column::IsilKey)
            .update_columns([
                row::Column::Sip2,
                row::Column::Upstream,
                row::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}
