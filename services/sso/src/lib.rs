//! The `sso` service: an OpenID Connect provider that logs patrons in as patrons of their
//! library and gives vendors a pseudonymous, signed identity with the library's ISIL.
//!
//! It answers `/.well-known/openid-configuration`, `/oauth2/*`, `/login/*` and the client and
//! patron-login API under `/api/v1`. What it needs of other services comes through the ports in
//! [`Ports`]: the library register, the product catalogue, entitlements and the usage sink.

pub mod clients_port;
pub mod crypto;
mod demo;
pub mod domain;
mod http;
pub mod issued;
pub mod keyring;
pub mod login;
pub mod setup_port;
pub mod storage;
pub mod tokens;
pub mod upstream;
pub mod usage;

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use sea_orm::{DatabaseConnection, DbErr};
use tilgang_store::ServiceContext;
use tilgang_web::Module;
use utoipa::OpenApi;

pub use http::Ports;

use crate::crypto::Keyed;
use crate::domain::keys::RotationPolicy;
use crate::domain::throttle::Limits;
use crate::keyring::KeyRing;
use crate::tokens::{Lifetimes, Tokens};
use tilgang_kernel::secrets::Sealer;

/// Brings the provider's tables up to date.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    tilgang_store::migrate::<storage::Migrator>(db).await
}

/// The provider's part of the OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    http::SsoApi::openapi()
}

/// How the provider runs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The issuer: the hub's public base URL, without a trailing slash.
    pub issuer: String,
    /// The hub's root secret; the keys that seal stored secrets and make pseudonyms derive
    /// from it, so it must be kept (and backed up) as long as the data.
    pub root_secret: Vec<u8>,
    /// Signing key rotation.
    pub rotation: RotationPolicy,
    /// Token and session lifetimes.
    pub lifetimes: Lifetimes,
    /// Login throttling.
    pub limits: Limits,
    /// The consortium's own OpenID Connect provider for staff, when staff may log in there
    /// instead of with a password.
    pub staff_idp: Option<StaffIdp>,
}

/// The consortium's identity provider for staff: its ID token's e-mail claim names the staff
/// account (which must exist in the register and be active).
#[derive(Clone)]
pub struct StaffIdp {
    /// Its issuer URL.
    pub issuer: String,
    /// The name on the login button, such as "Konsortiet (Entra ID)".
    pub display_name: String,
    /// The hub's client id there.
    pub client_id: String,
    /// The hub's client secret there.
    pub client_secret: String,
    /// The claim with the staff member's e-mail address (default `email`).
    pub email_claim: String,
    /// Whether the claim is trusted without `email_verified: true` (only for a claim users
    /// cannot change, such as a directory's `upn`).
    pub trust_email: bool,
}

impl std::fmt::Debug for StaffIdp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaffIdp")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl Settings {
    /// Defaults for `issuer` and `root_secret`.
    pub fn new(issuer: &str, root_secret: &[u8]) -> Self {
        Self {
            issuer: issuer.trim_end_matches('/').to_owned(),
            root_secret: root_secret.to_vec(),
            rotation: RotationPolicy::default(),
            lifetimes: Lifetimes::default(),
            limits: Limits::default(),
            staff_idp: None,
        }
    }
}

/// The services that may ask for service tokens.
pub const SERVICES: &[&str] = &["registry", "subscriptions", "usage", "sso", "portal"];

/// The clients that are built in rather than stored: the portal's, and one per service.
fn builtin_clients(
    settings: &Settings,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<domain::client::OAuthClient> {
    use domain::client::OAuthClient;
    let mut clients = vec![OAuthClient::portal(
        &settings.issuer,
        &settings.root_secret,
        now,
    )];
    clients.extend(
        SERVICES
            .iter()
            .map(|name| OAuthClient::service(name, &settings.root_secret, now)),
    );
    clients
}

/// Makes the first signing keys, if there are none (`tilgang migrate` runs it). Replicas that
/// start together on a new database then find the keys made, rather than each making its own
/// and signing with a key the others do not publish yet.
pub async fn prepare_keys(
    ctx: &ServiceContext,
    settings: &Settings,
) -> Result<(), domain::SsoError> {
    let sealer = Sealer::new(&Keyed::derive(&settings.root_secret, "sso seal"));
    KeyRing::new(&ctx.db, sealer, ctx.clock.clone(), settings.rotation)
        .maintain()
        .await
}

/// The sso service, ready to be mounted in a [`tilgang_web::Hub`].
pub struct Sso {
    state: web::Data<http::State>,
}

impl Sso {
    /// The service over the context's database and cache, asking other services through
    /// `ports`. Call [`Sso::start`] before serving.
    pub fn new(ctx: &ServiceContext, settings: Settings, ports: Ports) -> Self {
        let sealer = Sealer::new(&Keyed::derive(&settings.root_secret, "sso seal"));
        let keys = Arc::new(KeyRing::new(
            &ctx.db,
            sealer.clone(),
            ctx.clock.clone(),
            settings.rotation,
        ));
        let tokens = Tokens::new(
            keys,
            ctx.kv.clone(),
            ctx.clock.clone(),
            settings.issuer.clone(),
            settings.lifetimes,
        );
        let logins = login::Logins::new(
            &ctx.db,
            ctx.kv.clone(),
            Keyed::derive(&settings.root_secret, "sso logins"),
            settings.limits,
            sealer,
        );
        Self {
            state: web::Data::new(http::State {
                db: ctx.db.clone(),
                kv: ctx.kv.clone(),
                clock: ctx.clock.clone(),
                tokens,
                logins,
                pseudonyms: Keyed::derive(&settings.root_secret, "sso pseudonyms"),
                ports,
                catalog: Arc::new(http::pages_catalog()),
                secure_cookies: settings.issuer.starts_with("https://"),
                clients: http::client_auth::ClientCache::with_builtin(builtin_clients(
                    &settings,
                    ctx.clock.now(),
                )),
                service_tokens: tilgang_kernel::SharedSecretTokens::internal(
                    &settings.issuer,
                    &settings.root_secret,
                ),
                upstreams: upstream::RelyingParty::new(upstream::OidcHttp::new(
                    Duration::from_secs(10),
                )),
                staff_totp: tilgang_kernel::totp::SecretBox::new(&settings.root_secret),
                staff_idp: settings.staff_idp.clone(),
            }),
        }
    }

    /// Makes sure signing keys exist, and keeps rotating them every minute in the background.
    pub async fn start(&self) -> Result<(), domain::SsoError> {
        self.state.tokens.keys.maintain().await?;
        let keys = self.state.tokens.keys.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            tick.tick().await;
            loop {
                tick.tick().await;
                if let Err(e) = keys.maintain().await {
                    tracing::error!(error = %e, "signing key maintenance failed");
                }
            }
        });
        Ok(())
    }

    /// Registers the demo vendor site (served under `site`) as the approved client of product
    /// `slug`, and returns its client id and a fresh secret; `None` when the product is missing.
    pub async fn demo_vendor_client(
        &self,
        slug: &str,
        site: &str,
    ) -> Result<Option<(String, String)>, domain::SsoError> {
        Ok(demo::vendor_client(&self.state, slug, site)
            .await?
            .map(|secret| (demo::vendor_client_id(slug), secret)))
    }

    /// The [`PatronLogins`](tilgang_kernel::ports::PatronLogins) port (staff managing the
    /// logins their library issues), answered in-process.
    pub fn patron_logins(&self) -> Arc<dyn tilgang_kernel::ports::PatronLogins> {
        Arc::new(issued::InProcess(self.state.clone()))
    }

    /// The [`LoginSetup`](tilgang_kernel::ports::LoginSetup) port (staff setting up how their
    /// patrons log in), answered in-process.
    pub fn login_setup(&self) -> Arc<dyn tilgang_kernel::ports::LoginSetup> {
        Arc::new(setup_port::InProcess(self.state.clone()))
    }

    /// The [`Clients`](tilgang_kernel::ports::Clients) port (vendors' OpenID Connect clients,
    /// registered by vendors' staff and approved by consortium admins), answered in-process.
    pub fn clients(&self) -> Arc<dyn tilgang_kernel::ports::Clients> {
        Arc::new(clients_port::InProcess(self.state.clone()))
    }

    /// Loads the demo patron logins (see [`demo`](crate::demo)); running it again changes
    /// nothing.
    pub async fn load_demo(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), domain::SsoError> {
        demo::ensure(&self.state, now).await
    }
}

impl Module for Sso {
    fn name(&self) -> &'static str {
        "sso"
    }

    fn configure(&self, cfg: &mut web::ServiceConfig) {
        http::configure(cfg, self.state.clone());
    }

    fn openapi(&self) -> utoipa::openapi::OpenApi {
        openapi()
    }
}
