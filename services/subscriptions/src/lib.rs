//! The `subscriptions` service: trials, subscriptions and (later) consortium agreements, the
//! entitlements derived from them, and the webhooks that tell vendors.
//!
//! [`desk::Desk`] makes every change; [`index::EntitlementIndex`] answers the `Entitlements`
//! port from memory; [`dispatch::Dispatcher`] delivers the webhook outbox; [`jobs`] runs the
//! lifecycle and the deliveries in the background.

pub mod access;
pub mod demo;
pub mod desk;
pub mod dispatch;
pub mod domain;
pub mod endpoints;
mod http;
pub mod index;
pub mod jobs;
pub mod mail;
pub mod oversight_port;
pub mod prices;
pub mod storage;
pub mod trials_port;

use std::sync::Arc;

use actix_web::web;
use sea_orm::{DatabaseConnection, DbErr};
use tilgang_kernel::ports::{Catalogue, Entitlements, LibraryDirectory};
use tilgang_kernel::secrets::{Keyed, Sealer};
use tilgang_store::ServiceContext;
use tilgang_web::Module;
use utoipa::OpenApi;

use crate::desk::Desk;
use crate::dispatch::Dispatcher;
use crate::domain::SubscriptionsError;
use crate::endpoints::Endpoints;
use crate::index::EntitlementIndex;

/// Brings the service's tables up to date.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    tilgang_store::migrate::<storage::Migrator>(db).await
}

/// The service's part of the OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    http::SubscriptionsApi::openapi()
}

/// The service's settings.
pub struct Settings {
    /// The hub's root secret; webhook signing secrets are sealed with a key derived from it.
    pub root_secret: Vec<u8>,
    /// Whether webhook URLs may use plain `http://`: only in development, when the hub itself
    /// is not served over HTTPS.
    pub allow_http_webhooks: bool,
    /// The SMTP server that e-mails notices (see [`mail`]), and the sender; none: notices
    /// are only shown.
    pub smtp: Option<Smtp>,
}

/// An SMTP server.
pub struct Smtp {
    /// `smtp://`, `smtp://…?tls=required` or `smtps://` URL.
    pub url: String,
    /// The sender, such as `Tilgang <noreply@tilgang.example>`.
    pub from: String,
}

/// The other services it asks.
pub struct Ports {
    /// The register of libraries.
    pub directory: Arc<dyn LibraryDirectory>,
    /// The product catalogue.
    pub catalogue: Arc<dyn Catalogue>,
}

/// The subscriptions service, ready to be mounted in a [`tilgang_web::Hub`].
pub struct Subscriptions {
    state: web::Data<http::State>,
    dispatcher: Arc<Dispatcher>,
}

impl Subscriptions {
    /// The service over the context's database, cache and clock. Call
    /// [`Subscriptions::start`] before serving.
    pub fn new(
        ctx: &ServiceContext,
        settings: Settings,
        ports: Ports,
    ) -> Result<Self, mail::MailError> {
        let mailer = match &settings.smtp {
            Some(smtp) => Some(Arc::new(mail::Mailer::new(&smtp.url, &smtp.from)?)),
            None => None,
        };
        let index = Arc::new(EntitlementIndex::new(&ctx.db, ctx.kv.clone()));
        let desk = Arc::new(Desk {
            db: ctx.db.clone(),
            clock: ctx.clock.clone(),
            directory: ports.directory,
            catalogue: ports.catalogue,
            index,
            mailer,
        });
        let sealer = Sealer::new(&Keyed::derive(
            &settings.root_secret,
            "subscriptions webhooks",
        ));
        let endpoints = Arc::new(Endpoints::new(
            &ctx.db,
            ctx.clock.clone(),
            sealer,
            settings.allow_http_webhooks,
        ));
        let dispatcher = Arc::new(Dispatcher::new(
            &ctx.db,
            ctx.clock.clone(),
            endpoints.clone(),
        ));
        Ok(Self {
            state: web::Data::new(http::State { desk, endpoints }),
            dispatcher,
        })
    }

    /// The desk that makes every change.
    pub fn desk(&self) -> Arc<Desk> {
        self.state.desk.clone()
    }

    /// The `Entitlements` port, answered from this process's index.
    pub fn entitlements(&self) -> Arc<dyn Entitlements> {
        self.state.desk.index.clone()
    }

    /// The `Trials` port, answered by this process's desk.
    pub fn trials(&self) -> Arc<dyn tilgang_kernel::ports::Trials> {
        Arc::new(trials_port::DeskTrials(self.state.desk.clone()))
    }

    /// The `Oversight` port, answered by this process's desk and endpoints.
    pub fn oversight(&self) -> Arc<dyn tilgang_kernel::ports::Oversight> {
        Arc::new(oversight_port::DeskOversight {
            desk: self.state.desk.clone(),
            endpoints: self.state.endpoints.clone(),
        })
    }

    /// The `Prices` port, answered from this service's database.
    pub fn prices(&self) -> Arc<dyn tilgang_kernel::ports::Prices> {
        Arc::new(prices::StoredPrices::new(&self.state.desk.db))
    }

    /// The webhook dispatcher (tests drive it directly).
    pub fn dispatcher(&self) -> Arc<Dispatcher> {
        self.dispatcher.clone()
    }

    /// Loads the entitlement index.
    pub async fn start(&self) -> Result<(), SubscriptionsError> {
        self.state.desk.index.rebuild().await
    }

    /// Starts the lifecycle, the webhook deliveries and the following of other processes'
    /// changes in the background.
    pub fn spawn_jobs(&self) {
        jobs::spawn(self.desk(), self.dispatcher());
    }
}

impl Module for Subscriptions {
    fn name(&self) -> &'static str {
        "subscriptions"
    }

    fn configure(&self, cfg: &mut web::ServiceConfig) {
        http::configure(cfg, self.state.clone());
    }

    fn openapi(&self) -> utoipa::openapi::OpenApi {
        openapi()
    }
}
