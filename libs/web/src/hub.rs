//! The [`Hub`]: the services a process runs, assembled into one actix app with the shared routes.
//! The binary and the test harness build it the same way, so tests run the real thing.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{App, HttpResponse, HttpServer, middleware, web};
use tilgang_kernel::{ReadinessCheck, TokenVerifier};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ComponentsBuilder, InfoBuilder, OpenApi, OpenApiBuilder};

use crate::{extract, health, metrics, request};

/// A service: its routes and its OpenAPI document.
pub trait Module: Send + Sync + 'static {
    /// The service name (`registry`, `sso`), as given to `--services`.
    fn name(&self) -> &'static str;
    /// Registers the service's routes and data.
    fn configure(&self, cfg: &mut web::ServiceConfig);
    /// The service's part of the OpenAPI document.
    fn openapi(&self) -> OpenApi;
}

/// The services of one process and what they share.
pub struct Hub {
    modules: Vec<Arc<dyn Module>>,
    verifier: web::Data<Arc<dyn TokenVerifier>>,
    checks: web::Data<health::Checks>,
    openapi: web::Data<serde_json::Value>,
}

impl Hub {
    /// Assembles `modules`, authenticating callers with `verifier` and readying on `checks`.
    pub fn new(
        modules: Vec<Arc<dyn Module>>,
        verifier: Arc<dyn TokenVerifier>,
        checks: Vec<Arc<dyn ReadinessCheck>>,
    ) -> Self {
        let document = openapi(modules.iter().map(|m| m.openapi()));
        let document = serde_json::to_value(document).expect("OpenAPI serialises");
        Self {
            modules,
            verifier: web::Data::new(verifier),
            checks: web::Data::new(checks),
            openapi: web::Data::new(document),
        }
    }

    /// Serves `document` at `/openapi.json` instead of the document of this process's own
    /// services, so a process that runs one service still describes the whole hub.
    pub fn describing(mut self, document: OpenApi) -> Self {
        let document = serde_json::to_value(document).expect("OpenAPI serialises");
        self.openapi = web::Data::new(document);
        self
    }

    /// Registers the shared routes and every module on an app.
    pub fn configure(&self, cfg: &mut web::ServiceConfig) {
        extract::configure(cfg);
        cfg.app_data(self.verifier.clone())
            .app_data(self.checks.clone())
            .app_data(self.openapi.clone())
            .service(health::live)
            .service(health::ready)
            .service(metrics::serve_metrics)
            .route("/openapi.json", web::get().to(serve_openapi));
        for module in &self.modules {
            module.configure(cfg);
        }
    }

    /// Starts an HTTP server on `listener` with `workers` worker threads. On SIGTERM or SIGINT
    /// it stops accepting connections and gives in-flight requests up to `grace` to finish.
    pub fn serve(
        self: Arc<Self>,
        listener: TcpListener,
        workers: usize,
        grace: std::time::Duration,
    ) -> std::io::Result<Server> {
        let server = HttpServer::new(move || {
            let hub = self.clone();
            App::new()
                .wrap(middleware::from_fn(request::observe))
                .configure(move |cfg| hub.configure(cfg))
                .default_service(web::to(not_found))
        })
        .workers(workers)
        .shutdown_timeout(grace.as_secs())
        .listen(listener)?
        .run();
        Ok(server)
    }
}

async fn serve_openapi(document: web::Data<serde_json::Value>) -> HttpResponse {
    HttpResponse::Ok().json(document.get_ref())
}

async fn not_found() -> Result<HttpResponse, crate::ApiError> {
    Err(crate::ApiError::not_found(
        "not_found",
        "There is nothing at this address.",
    ))
}

/// The OpenAPI document of the hub, from the documents of its services.
pub fn openapi(parts: impl IntoIterator<Item = OpenApi>) -> OpenApi {
    let mut document = OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Tilgang")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "The shared e-library and vendor access hub of a Nordic library consortium. \
                     Errors are RFC 9457 problem details with a stable `code`.",
                ))
                .build(),
        )
        .components(Some(
            ComponentsBuilder::new()
                .security_scheme(
                    "bearer",
                    SecurityScheme::Http(
                        HttpBuilder::new()
                            .scheme(HttpAuthScheme::Bearer)
                            .bearer_format("JWT")
                            .build(),
                    ),
                )
                .build(),
        ))
        .build();
    for part in parts {
        document.merge(part);
    }
    document
}
