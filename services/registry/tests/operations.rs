//! What the operator on call relies on: health, readiness, metrics, request ids, OpenAPI.

mod common;

use reqwest::StatusCode;

#[tokio::test]
async fn the_process_is_live_and_ready_when_database_and_cache_answer() {
    let (_env, app) = common::spawn().await;
    let live = app
        .send(reqwest::Method::GET, "/health/live", None, None)
        .await;
    assert_eq!(live.status, StatusCode::OK);
    let ready = app
        .send(reqwest::Method::GET, "/health/ready", None, None)
        .await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.text);
    assert_eq!(ready.body["checks"]["database"], "ok");
    assert_eq!(ready.body["checks"]["cache"], "ok");
}

#[tokio::test]
async fn readiness_fails_and_names_the_database_when_it_is_gone() {
    let (env, app) = common::spawn().await;
    env.db().clone().close().await.unwrap();
    let ready = app
        .send(reqwest::Method::GET, "/health/ready", None, None)
        .await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_ne!(ready.body["checks"]["database"], "ok");
}

#[tokio::test]
async fn metrics_count_requests_by_route_pattern() {
    let (_env, app) = common::spawn().await;
    app.get("/api/v1/libraries/NO-2030000", &app.consortium_admin())
        .await;
    let metrics = app.send(reqwest::Method::GET, "/metrics", None, None).await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert!(
        metrics.text.contains(r#"route="/api/v1/libraries/{isil}""#),
        "{}",
        metrics.text
    );
    assert!(
        !metrics.text.contains("NO-2030000"),
        "raw paths never become labels"
    );
}

#[tokio::test]
async fn a_well_formed_request_id_is_kept_and_returned() {
    let (_env, app) = common::spawn().await;
    let response = app
        .client
        .get(app.url("/api/v1/libraries/NO2030000"))
        .bearer_auth(app.consortium_admin())
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "abc-123");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["request_id"], "abc-123");
}

#[tokio::test]
async fn an_unknown_path_is_a_problem_document() {
    let (_env, app) = common::spawn().await;
    let missing = app.send(reqwest::Method::GET, "/nowhere", None, None).await;
    assert_eq!(
        (missing.status, missing.content_type.as_str()),
        (StatusCode::NOT_FOUND, "application/problem+json")
    );
}

#[tokio::test]
async fn the_openapi_document_describes_the_register() {
    let (_env, app) = common::spawn().await;
    let document = app
        .send(reqwest::Method::GET, "/openapi.json", None, None)
        .await
        .body;
    assert_eq!(document["openapi"], "3.1.0");
    assert!(document["paths"]["/api/v1/libraries/{isil}"]["patch"].is_object());
    assert!(document["paths"]["/api/v1/libraries:import"]["post"].is_object());
}
