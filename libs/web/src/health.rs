//! `/health/live` (the process runs) and `/health/ready` (its dependencies answer).

use std::sync::Arc;

use actix_web::{HttpResponse, get, web};
use futures_util::future::join_all;
use serde_json::{Map, Value, json};
use tilgang_kernel::ReadinessCheck;

/// The readiness checks of this process.
pub type Checks = Vec<Arc<dyn ReadinessCheck>>;

/// Liveness: the process answers.
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "live"}))
}

/// Readiness: every dependency answers. 503 names the ones that do not.
#[get("/health/ready")]
pub async fn ready(checks: web::Data<Checks>) -> HttpResponse {
    let results = join_all(checks.iter().map(|check| async move {
        let outcome = tokio::time::timeout(std::time::Duration::from_secs(2), check.check()).await;
        let outcome = outcome.unwrap_or_else(|_| Err("no answer within 2 s".to_owned()));
        (check.name(), outcome)
    }))
    .await;
    let ready = results.iter().all(|(_, r)| r.is_ok());
    let detail: Map<String, Value> = results
        .into_iter()
        .map(|(name, r)| (name.to_owned(), r.err().map_or(json!("ok"), Value::String)))
        .collect();
    let body = json!({"status": if ready { "ready" } else { "not_ready" }, "checks": detail});
    if ready {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}
