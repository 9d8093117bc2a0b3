//! The `portal` service: the pages people use. So far the front page (`/`, find your
//! library), the product catalogue (`/catalogue`), each library's e-library page
//! (`/l/{isil}`), what each vendor receives (`/l/{isil}/privacy`), an embeddable widget
//! (`/l/{isil}/widget`) and the highlights a library features first
//! (`/admin/api/libraries/{isil}/highlights`), and the staff pages under `/admin`: staff log
//! in through the hub's own OpenID Connect provider, and a library admin sees the library's
//! products and starts trials. Pages are rendered on the server in the reader's language,
//! with one stylesheet the hub serves itself: no scripts, fonts or images from elsewhere.

mod http;
pub mod pages;
pub mod storage;

use std::sync::Arc;

use actix_web::web;
use sea_orm::{DatabaseConnection, DbErr};
use tilgang_kernel::ports::{Catalogue, Entitlements, LibraryDirectory, LibrarySearch, Trials};
use tilgang_store::ServiceContext;
use tilgang_web::Module;
use utoipa::OpenApi;

/// Brings the service's tables up to date.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    tilgang_store::migrate::<storage::Migrator>(db).await
}

/// The service's part of the OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    http::PortalApi::openapi()
}

/// The other services it asks.
pub struct Ports {
    /// The register of libraries.
    pub directory: Arc<dyn LibraryDirectory>,
    /// The product catalogue.
    pub catalogue: Arc<dyn Catalogue>,
    /// Who may use what now.
    pub entitlements: Arc<dyn Entitlements>,
    /// Finds libraries by name, municipality or ISIL.
    pub search: Arc<dyn LibrarySearch>,
    /// Starts trials.
    pub trials: Arc<dyn Trials>,
    /// Access lists, webhooks and the audit trail.
    pub oversight: Arc<dyn tilgang_kernel::ports::Oversight>,
    /// Staff accounts: each staff page reads the account's role and scope as they are now.
    pub staff: Arc<dyn tilgang_kernel::ports::StaffDirectory>,
    /// Changes a library's own settings in the register.
    pub editor: Arc<dyn tilgang_kernel::ports::LibraryEditor>,
    /// The logins libraries issue to patrons without e-ID.
    pub logins: Arc<dyn tilgang_kernel::ports::PatronLogins>,
    /// How libraries' patrons log in (the SIP2 connection).
    pub setup: Arc<dyn tilgang_kernel::ports::LoginSetup>,
    /// Vendors' OpenID Connect clients.
    pub clients: Arc<dyn tilgang_kernel::ports::Clients>,
    /// Usage statistics, when `usage` runs in the process.
    pub usage: Option<Arc<dyn tilgang_kernel::ports::UsageReports>>,
}

/// How the portal reaches the hub's provider for its staff login.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The hub's public URL (the provider's issuer), without a trailing slash.
    pub issuer: String,
    /// Where this process reaches the provider's back channel (token endpoint, keys): the
    /// issuer itself, or an internal address when the public one is not reachable from here.
    pub provider_url: String,
    /// The hub's root secret, from which the portal's client secret is derived.
    pub root_secret: Vec<u8>,
}

/// The portal, ready to be mounted in a [`tilgang_web::Hub`].
pub struct Portal {
    state: web::Data<http::State>,
}

impl Portal {
    /// The portal over the context's database, cache and clock, asking other services through
    /// `ports` and logging staff in as `settings` say.
    pub fn new(ctx: &ServiceContext, ports: Ports, settings: Settings) -> Self {
        Self {
            state: web::Data::new(http::State {
                db: ctx.db.clone(),
                clock: ctx.clock.clone(),
                ports,
                catalog: Arc::new(pages::catalog()),
                kv: ctx.kv.clone(),
                staff_totp: tilgang_kernel::totp::SecretBox::new(&settings.root_secret),
                staff: http::staff::StaffLogin::new(
                    &settings.issuer,
                    &settings.provider_url,
                    &settings.root_secret,
                ),
            }),
        }
    }
}

impl Module for Portal {
    fn name(&self) -> &'static str {
        "portal"
    }

    fn configure(&self, cfg: &mut web::ServiceConfig) {
        http::configure(cfg, self.state.clone());
    }

    fn openapi(&self) -> utoipa::openapi::OpenApi {
        openapi()
    }
}
