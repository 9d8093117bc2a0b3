//! The `portal` service: the pages people use. So far the front page (`/`, find your
//! library), the product catalogue (`/catalogue`), each library's e-library page
//! (`/l/{isil}`), what each vendor receives (`/l/{isil}/privacy`), an embeddable widget
//! (`/l/{isil}/widget`) and the highlights a library features first
//! (`/admin/api/libraries/{isil}/highlights`). Pages are rendered on the server in the
//! patron's language, with one stylesheet the hub serves itself: no scripts, fonts or images
//! from elsewhere.

mod http;
pub mod pages;
pub mod storage;

use std::sync::Arc;

use actix_web::web;
use sea_orm::{DatabaseConnection, DbErr};
use tilgang_kernel::ports::{Catalogue, Entitlements, LibraryDirectory, LibrarySearch};
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
}

/// The portal, ready to be mounted in a [`tilgang_web::Hub`].
pub struct Portal {
    state: web::Data<http::State>,
}

impl Portal {
    /// The portal over the context's database and clock, asking other services through
    /// `ports`.
    pub fn new(ctx: &ServiceContext, ports: Ports) -> Self {
        Self {
            state: web::Data::new(http::State {
                db: ctx.db.clone(),
                clock: ctx.clock.clone(),
                ports,
                catalog: Arc::new(pages::catalog()),
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
