//! The `usage` service: the hub's access events (from `sso` through the `UsageSink` port),
//! rolled up per library, product and day, kept raw only for the retention period, and
//! reported per library (`/api/v1/usage/hub`); vendors' COUNTER R5.1 reports pushed to
//! `/api/v1/usage/reports`, checked against the schema and the register; and the hub's own
//! COUNTER API at `/sushi/r51`, per library.

pub mod consume;
pub mod cost;
pub mod domain;
pub mod harvest;
mod http;
pub mod ingest;
pub mod push;
pub mod report;
pub mod reports_port;
pub mod rollup;
pub mod storage;
mod sushi;

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use sea_orm::{DatabaseConnection, DbErr};
use tilgang_kernel::ports::{Catalogue, Entitlements, LibraryDirectory, Prices, UsageSink};
use tilgang_kernel::secrets::{Keyed, Sealer};
use tilgang_store::ServiceContext;
use tilgang_web::Module;
use utoipa::OpenApi;

use crate::harvest::Harvester;
use crate::ingest::Ingest;
use crate::rollup::Rollup;

/// Brings the service's tables up to date.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    tilgang_store::migrate::<storage::Migrator>(db).await
}

/// The service's part of the OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    http::UsageApi::openapi()
}

/// How often the roll-up runs.
pub const ROLLUP_EVERY: Duration = Duration::from_secs(30);

/// How often the harvester looks for months due.
pub const HARVEST_EVERY: Duration = Duration::from_secs(60);

/// The service's settings.
#[derive(Clone)]
pub struct Settings {
    /// How many days raw events are kept (default 90); roll-ups are kept for good.
    pub retention_days: u64,
    /// The hub's root secret: the COUNTER API's keys are hashed, and vendors' credentials
    /// sealed, with keys derived from it.
    pub root_secret: Vec<u8>,
    /// Whether vendors' COUNTER APIs may be plain http (development and tests only).
    pub allow_http_harvest: bool,
}

/// The other services it asks.
pub struct Ports {
    /// The register of libraries.
    pub directory: Arc<dyn LibraryDirectory>,
    /// The product catalogue.
    pub catalogue: Arc<dyn Catalogue>,
    /// Who may use what when.
    pub entitlements: Arc<dyn Entitlements>,
    /// What libraries paid for what, and their trials.
    pub prices: Arc<dyn Prices>,
}

/// The usage service, ready to be mounted in a [`tilgang_web::Hub`].
pub struct Usage {
    state: web::Data<http::State>,
    ingest: Arc<Ingest>,
    rollup: Arc<Rollup>,
    harvester: Arc<Harvester>,
}

impl Usage {
    /// The service over the context's database and clock, asking other services through
    /// `ports`.
    pub fn new(ctx: &ServiceContext, settings: Settings, ports: Ports) -> Self {
        let push = Arc::new(push::Push {
            db: ctx.db.clone(),
            clock: ctx.clock.clone(),
            directory: ports.directory.clone(),
            catalogue: ports.catalogue.clone(),
            entitlements: ports.entitlements,
        });
        let sealer = Sealer::new(&Keyed::derive(&settings.root_secret, "usage/harvest-keys"));
        Self {
            harvester: Arc::new(Harvester::new(
                push.clone(),
                sealer.clone(),
                settings.allow_http_harvest,
            )),
            state: web::Data::new(http::State {
                db: ctx.db.clone(),
                clock: ctx.clock.clone(),
                push,
                directory: ports.directory,
                catalogue: ports.catalogue,
                prices: ports.prices,
                api_keys: Keyed::derive(&settings.root_secret, "usage/sushi-api-keys"),
                sealer,
                allow_http_harvest: settings.allow_http_harvest,
            }),
            ingest: Arc::new(Ingest::new(&ctx.db, ctx.clock.clone())),
            rollup: Arc::new(Rollup::new(
                &ctx.db,
                ctx.clock.clone(),
                settings.retention_days,
            )),
        }
    }

    /// The `UsageSink` port, answered in-process.
    pub fn sink(&self) -> Arc<dyn UsageSink> {
        self.ingest.clone()
    }

    /// The `UsageReports` port, answered from this service's database.
    pub fn reports(&self) -> Arc<dyn tilgang_kernel::ports::UsageReports> {
        Arc::new(reports_port::StoredReports::new(
            &self.state.db,
            self.state.push.clone(),
            self.state.prices.clone(),
        ))
    }

    /// Starts reading access events from `stream` (see [`consume`]) as the consumer `name`,
    /// until `stop` turns true.
    pub fn consume(
        &self,
        stream: tilgang_store::stream::EventStream,
        name: String,
        stop: tokio::sync::watch::Receiver<bool>,
    ) -> tokio::task::JoinHandle<()> {
        let consumer = consume::Consumer::new(stream, self.ingest.clone(), name);
        tokio::spawn(consumer.run(stop))
    }

    /// The roll-up (tests drive it directly).
    pub fn rollup(&self) -> Arc<Rollup> {
        self.rollup.clone()
    }

    /// The harvester (tests drive it directly).
    pub fn harvester(&self) -> Arc<Harvester> {
        self.harvester.clone()
    }

    /// Starts the roll-up (every 30 seconds) and the harvester (every minute) in the
    /// background.
    pub fn spawn_jobs(&self) {
        let rollup = self.rollup.clone();
        every(ROLLUP_EVERY, "the usage roll-up", move || {
            let rollup = rollup.clone();
            async move { rollup.run_once().await.map(|_| ()) }
        });
        let harvester = self.harvester.clone();
        every(HARVEST_EVERY, "COUNTER harvesting", move || {
            let harvester = harvester.clone();
            async move { harvester.run_once().await.map(|_| ()) }
        });
    }
}

/// Runs `job` every `period`, logging (and surviving) its failures.
fn every<F, Fut>(period: Duration, what: &'static str, job: F)
where
    F: Fn() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<(), domain::UsageError>> + Send,
{
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(period);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(e) = job().await {
                tracing::warn!(error = %tilgang_web::error::cause_chain(&e), "{what} failed");
            }
        }
    });
}

impl Module for Usage {
    fn name(&self) -> &'static str {
        "usage"
    }

    fn configure(&self, cfg: &mut web::ServiceConfig) {
        http::configure(cfg, self.state.clone());
    }

    fn openapi(&self) -> utoipa::openapi::OpenApi {
        openapi()
    }
}
