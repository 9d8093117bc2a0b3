//! The `registry` service: the register of libraries (by ISIL), consortia and regions, vendors
//! and products, which every other service reads.
//!
//! It answers `/api/v1/libraries`, `/api/v1/vendors`, `/api/v1/products` and `/api/v1/consortia`,
//! and provides the [`LibraryDirectory`] port to other services in the same process.

pub mod demo;
pub mod domain;
mod http;
pub mod import;
pub mod storage;

use std::sync::Arc;

use actix_web::web;
use async_trait::async_trait;
use sea_orm::{DatabaseConnection, DbErr};
use tilgang_isil::Isil;
use tilgang_kernel::ports::{LibraryDirectory, LibrarySummary, PortError};
use tilgang_store::ServiceContext;
use tilgang_web::Module;
use utoipa::OpenApi;

use crate::domain::library::LibraryStatus;

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
        Arc::new(Directory {
            db: self.state.db.clone(),
        })
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

struct Directory {
    db: DatabaseConnection,
}

#[async_trait]
impl LibraryDirectory for Directory {
    async fn library(&self, isil: &Isil) -> Result<Option<LibrarySummary>, PortError> {
        let found = storage::libraries::find(&self.db, isil)
            .await
            .map_err(|e| PortError {
                service: "registry",
                reason: e.to_string(),
            })?;
        Ok(found.map(|l| LibrarySummary {
            id: l.id,
            name: l.name.get(l.language).to_owned(),
            language: l.language.as_str().to_owned(),
            active: l.status == LibraryStatus::Active,
            websites: l.websites.iter().map(|w| w.as_str().to_owned()).collect(),
            ip_ranges: l.ip_ranges.iter().map(ToString::to_string).collect(),
            isil: l.isil,
        }))
    }
}
