//! The internal port endpoints: `POST /internal/v1/{port}/{method}` answers another service's
//! port call (see [`tilgang_kernel::remote`]). Only service tokens (audience
//! [`INTERNAL_AUDIENCE`](tilgang_kernel::INTERNAL_AUDIENCE)) are accepted, and API tokens are
//! not, not even a consortium admin's; an ingress should not route `/internal/` at all.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use tilgang_kernel::remote::{CallError, Dispatch};
use tilgang_kernel::{Role, TokenVerifier};
use utoipa::openapi::OpenApi;

use crate::{ApiError, Module};

/// The largest call: a vendor's COUNTER report of up to 32 MiB, as a JSON string in which
/// quotes and line breaks take two bytes each.
pub const CALL_LIMIT: usize = 96 << 20;

/// The ports this process answers, and the verifier of service tokens.
struct Answering {
    ports: HashMap<&'static str, Arc<dyn Dispatch>>,
    verifier: Arc<dyn TokenVerifier>,
}

/// The ports this process answers for others.
pub struct Internal {
    answering: web::Data<Answering>,
}

impl Internal {
    /// Answers calls to `ports` that carry a service token `verifier` accepts.
    pub fn new(ports: Vec<Arc<dyn Dispatch>>, verifier: Arc<dyn TokenVerifier>) -> Self {
        let ports = ports.into_iter().map(|p| (p.port(), p)).collect();
        Self {
            answering: web::Data::new(Answering { ports, verifier }),
        }
    }
}

impl Module for Internal {
    fn name(&self) -> &'static str {
        "internal"
    }

    fn configure(&self, cfg: &mut web::ServiceConfig) {
        cfg.app_data(self.answering.clone())
            .route("/internal/v1/{port}/{method}", web::post().to(call));
    }

    fn openapi(&self) -> OpenApi {
        OpenApi::default()
    }
}

async fn call(
    req: HttpRequest,
    answering: web::Data<Answering>,
    path: web::Path<(String, String)>,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let caller = crate::auth::verified(&req, answering.verifier.as_ref())?;
    if caller.role() != Role::Service {
        return Err(ApiError::forbidden(
            "Only Tilgang services call internal ports.",
        ));
    }
    // Read only once the caller is known to be a service.
    let bytes = body.to_bytes_limited(CALL_LIMIT).await.map_err(|_| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("A port call is at most {CALL_LIMIT} bytes."),
        )
    })?;
    let bytes = bytes
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "body_unreadable", e.to_string()))?;
    let args: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "arguments_invalid", e.to_string()))?;
    let (port, method) = path.into_inner();
    let dispatch = answering
        .ports
        .get(port.as_str())
        .ok_or_else(|| ApiError::not_found("port_unknown", format!("No port {port} here.")))?;
    match dispatch.call(&method, args).await {
        Ok(answer) => Ok(HttpResponse::Ok().json(answer)),
        Err(CallError::UnknownMethod(m)) => Err(ApiError::not_found(
            "method_unknown",
            format!("The port {port} has no method {m}."),
        )),
        Err(CallError::BadArguments(why)) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "arguments_invalid",
            format!("{port}.{method}: {why}"),
        )),
        Err(CallError::Port(e)) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "port_unavailable",
            e.to_string(),
        )),
    }
}
