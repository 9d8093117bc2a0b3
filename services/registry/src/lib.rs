//! The `registry` service: the register of libraries (by ISIL), consortia and regions, vendors
//! and products, which every other service reads.
//!
//! It answers `/api/v1/libraries`, `/api/v1/vendors`, `/api/v1/products` and `/api/v1/consortia`,
//! and provides the [`LibraryDirectory`], [`LibrarySearch`] and [`Catalogue`] ports to other services in the same process.

pub mod demo;
pub mod domain;
mod hashing;
mod http;
pub mod import;
mod ports;
pub mod storage;

use std::sync::Arc;

use actix_web::web;
use sea_orm::{DatabaseConnection, DbErr};
use tilgang_kernel::ports::{Catalogue, LibraryDirectory, LibrarySearch};
use tilgang_store::ServiceContext;
use tilgang_web::Module;
use utoipa::OpenApi;

/// Brings the register's tables up to date.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    tilgang_store::migrate::<storage::Migrator>(db).await
}

/// The register's part of the OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    http::RegistryApi::openapi()
}

/// The registry service, ready to be mounted in a [`tilgang_web::Hub`].
pub struct Registry {
    state: web::Data<http::State>,
}

impl Registry {
    /// The service over the context's database and clock.
    pub fn new(ctx: &ServiceContext) -> Self {
        Self {
            state: web::Data::new(http::State {
                db: ctx.db.clone(),
                clock: ctx.clock.clone(),
            }),
        }
    }

    /// The [`LibraryDirectory`] port, answered in-process.
    pub fn directory(&self) -> Arc<dyn LibraryDirectory> {
        Arc::new(ports::InProcess::new(&self.state.db))
    }

    /// The [`LibrarySearch`] port, answered in-process.
    pub fn library_search(&self) -> Arc<dyn LibrarySearch> {
        Arc::new(ports::InProcess::new(&self.state.db))
    }

    /// The [`Catalogue`] port, answered in-process.
    pub fn catalogue(&self) -> Arc<dyn Catalogue> {
        Arc::new(ports::InProcess::new(&self.state.db))
    }

    /// The [`LibraryEditor`](tilgang_kernel::ports::LibraryEditor) port (staff changing
    /// their library), answered in-process.
    pub fn editor(&self) -> Arc<dyn tilgang_kernel::ports::LibraryEditor> {
        Arc::new(ports::InProcess::new(&self.state.db))
    }

    /// The `StaffDirectory` port (staff logins), answered in-process.
    pub fn staff(&self) -> Arc<dyn tilgang_kernel::ports::StaffDirectory> {
        Arc::new(ports::InProcess::new(&self.state.db))
    }
}

impl Module for Registry {
    fn name(&self) -> &'static str {
        "registry"
    }

    fn configure(&self, cfg: &mut web::ServiceConfig) {
        http::configure(cfg, self.state.clone());
    }

    fn openapi(&self) -> utoipa::openapi::OpenApi {
        openapi()
    }
}
