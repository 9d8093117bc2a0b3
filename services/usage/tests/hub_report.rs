//! The hub's own usage: access events through the `UsageSink` port, rolled up, reported per
//! role as JSON and CSV, with unique users keyed per month and raw events forgotten after the
//! retention period.

use chrono::Duration;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;
use tilgang_kernel::ports::{AccessEvent, AccessOutcome, DenialReason};
use tilgang_kernel::{Clock, Isil, ProductId, VendorId};
use uuid::Uuid;

mod support;

use support::World;

/// A product and vendor that exist only in these events.
struct Ids {
    product: ProductId,
    vendor: VendorId,
}

async fn world() -> (World, Ids) {
    let w = support::world("2026-10-15T10:00:00Z").await;
    (
        w,
        Ids {
            product: ProductId::new(),
            vendor: VendorId::new(),
        },
    )
}

fn event(w: &(World, Ids), isil: &str, outcome: AccessOutcome, patron: &str) -> AccessEvent {
    let (w, ids) = w;
    AccessEvent {
        id: Uuid::now_v7(),
        at: w.env.clock.now(),
        isil: Isil::parse(isil).unwrap(),
        vendor: (outcome != AccessOutcome::Login).then_some(ids.vendor),
        product: (outcome != AccessOutcome::Login).then_some(ids.product),
        outcome,
        reason: (outcome == AccessOutcome::Denied).then_some(DenialReason::NotEntitled),
        pseudonym: patron.into(),
    }
}

async fn user_keys((w, _): &(World, Ids)) -> Vec<String> {
    let backend = w.env.db().get_database_backend();
    w.env
        .db()
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT user_key FROM usage_events ORDER BY at",
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<String>("", "user_key").unwrap())
        .collect()
}

#[tokio::test]
async fn events_are_counted_once_per_id_with_unique_users_per_month() {
    let w = world().await;
    let (hub, ids) = (&w.0, &w.1);
    let sink = hub.usage.sink();
    let visit = event(&w, "NO-2030000", AccessOutcome::Granted, "anna");
    sink.record(vec![
        visit.clone(),
        visit.clone(),
        event(&w, "NO-2030000", AccessOutcome::Granted, "anna"),
        event(&w, "NO-2030000", AccessOutcome::Granted, "bo"),
        event(&w, "NO-2030000", AccessOutcome::Denied, "cai"),
        event(&w, "NO-2030000", AccessOutcome::Login, "anna"),
    ])
    .await
    .unwrap();
    sink.record(vec![visit]).await.unwrap();
    hub.usage.rollup().run_once().await.unwrap();

    let report = hub
        .app
        .get(
            "/api/v1/usage/hub?isil=NO-2030000",
            &hub.app.consortium_admin(),
        )
        .await;
    assert_eq!(report.status, 200, "{}", report.text);
    let product = report
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["product"] == json!(ids.product))
        .unwrap()
        .clone();
    assert_eq!(product["period"], "2026-10");
    assert_eq!(product["sessions"], 3, "the repeated event counts once");
    assert_eq!(product["turnaways"], 1);
    assert_eq!(product["unique_users"], 2);
    let logins = report
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["product"].is_null())
        .unwrap()
        .clone();
    assert_eq!(logins["logins"], 1);
}

#[tokio::test]
async fn the_same_patron_has_unrelated_keys_in_different_months() {
    let w = world().await;
    let hub = &w.0;
    let sink = hub.usage.sink();
    sink.record(vec![event(
        &w,
        "NO-2030000",
        AccessOutcome::Granted,
        "anna",
    )])
    .await
    .unwrap();
    sink.record(vec![event(
        &w,
        "NO-2030000",
        AccessOutcome::Granted,
        "anna",
    )])
    .await
    .unwrap();
    hub.env.clock.advance(Duration::days(31));
    sink.record(vec![event(
        &w,
        "NO-2030000",
        AccessOutcome::Granted,
        "anna",
    )])
    .await
    .unwrap();
    let keys = user_keys(&w).await;
    assert_eq!(keys[0], keys[1], "one month, one key");
    assert_ne!(keys[1], keys[2], "another month, another key");
    assert!(keys.iter().all(|k| !k.contains("anna")));
}

#[tokio::test]
async fn raw_events_are_forgotten_after_the_retention_period_and_the_numbers_stay() {
    let w = world().await;
    let hub = &w.0;
    hub.usage
        .sink()
        .record(vec![event(
            &w,
            "NO-2030000",
            AccessOutcome::Granted,
            "anna",
        )])
        .await
        .unwrap();
    hub.usage.rollup().run_once().await.unwrap();
    hub.env.clock.advance(Duration::days(89));
    assert_eq!(
        hub.usage.rollup().run_once().await.unwrap(),
        0,
        "kept 90 days"
    );
    hub.env.clock.advance(Duration::days(2));
    assert_eq!(hub.usage.rollup().run_once().await.unwrap(), 1);
    assert!(user_keys(&w).await.is_empty());

    let report = hub
        .app
        .get(
            "/api/v1/usage/hub?from=2026-10-01&to=2026-10-31",
            &hub.app.consortium_admin(),
        )
        .await;
    assert_eq!(report.body[0]["sessions"], 1, "{}", report.text);
    assert_eq!(report.body[0]["unique_users"], 1);
}

#[tokio::test]
async fn each_role_sees_only_its_own_numbers() {
    let w = world().await;
    let (hub, ids) = (&w.0, &w.1);
    hub.usage
        .sink()
        .record(vec![
            event(&w, "NO-2030000", AccessOutcome::Granted, "anna"),
            event(&w, "FI-Tam", AccessOutcome::Granted, "eero"),
        ])
        .await
        .unwrap();
    hub.usage.rollup().run_once().await.unwrap();
    let isils = |body: &serde_json::Value| -> Vec<String> {
        let mut all: Vec<String> = body
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["isil"].as_str().unwrap().to_owned())
            .collect();
        all.dedup();
        all
    };
    let deichman = hub.app.library_admin(&["NO-2030000"]);
    let own = hub.app.get("/api/v1/usage/hub", &deichman).await;
    assert_eq!(isils(&own.body), ["NO-2030000"]);
    let elsewhere = hub
        .app
        .get("/api/v1/usage/hub?isil=FI-Tam", &deichman)
        .await;
    assert_eq!(elsewhere.status, 403, "{}", elsewhere.text);
    let all = hub
        .app
        .get("/api/v1/usage/hub", &hub.app.consortium_admin())
        .await;
    assert_eq!(isils(&all.body).len(), 2);
    let vendor = hub
        .app
        .get("/api/v1/usage/hub", &hub.app.vendor(ids.vendor))
        .await;
    assert_eq!(isils(&vendor.body).len(), 2, "{}", vendor.text);
    let other_vendor = hub
        .app
        .get("/api/v1/usage/hub", &hub.app.vendor(VendorId::new()))
        .await;
    assert_eq!(other_vendor.body, json!([]));
}

#[tokio::test]
async fn consortium_totals_come_per_library_region_and_country() {
    let w = world().await;
    let hub = &w.0;
    hub.usage
        .sink()
        .record(vec![
            event(&w, "NO-2030000", AccessOutcome::Login, "anna"),
            event(&w, "NO-2030000", AccessOutcome::Granted, "anna"),
            event(&w, "NO-2060200", AccessOutcome::Login, "bo"),
            event(&w, "NO-2060200", AccessOutcome::Granted, "bo"),
            event(&w, "NO-2060200", AccessOutcome::Denied, "bo"),
            event(&w, "FI-Tam", AccessOutcome::Granted, "eero"),
        ])
        .await
        .unwrap();
    hub.usage.rollup().run_once().await.unwrap();
    let admin = hub.app.consortium_admin();
    let totals = |by: &'static str| {
        let app = &hub.app;
        let admin = admin.clone();
        async move {
            let answer = app
                .get(&format!("/api/v1/usage/hub/totals?by={by}"), &admin)
                .await;
            assert_eq!(answer.status, 200, "{}", answer.text);
            answer.body
        }
    };
    let regions = totals("region").await;
    assert_eq!(
        regions,
        json!([
            {"period": "2026-10", "group": "Norge", "libraries": 2, "logins": 2, "sessions": 2,
             "turnaways": 1, "unique_users": 2},
            {"period": "2026-10", "group": "Suomi", "libraries": 1, "logins": 0, "sessions": 1,
             "turnaways": 0, "unique_users": 0},
        ])
    );
    let countries = totals("country").await;
    let groups: Vec<&str> = countries
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["group"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["FI", "NO"]);
    let libraries = totals("library").await;
    assert_eq!(libraries.as_array().unwrap().len(), 3);
    let per_day = totals("country&granularity=day").await;
    assert_eq!(per_day[1]["group"], "NO");
    assert_eq!(per_day[1]["period"], "2026-10-15");
    assert_eq!(
        per_day[1]["unique_users"], 2,
        "anna and bo logged in: {per_day}"
    );

    let deichman = hub.app.library_admin(&["NO-2030000"]);
    let own = hub
        .app
        .get("/api/v1/usage/hub/totals?by=country", &deichman)
        .await;
    assert_eq!(
        own.body[0]["sessions"], 1,
        "a library admin's totals are their own"
    );
    let vendor = hub
        .app
        .get("/api/v1/usage/hub/totals", &hub.app.vendor(w.1.vendor))
        .await;
    assert!(
        vendor.body[0].get("unique_users").is_none(),
        "patrons cannot be added up across a vendor's products: {}",
        vendor.text
    );
    let refused = hub
        .app
        .get("/api/v1/usage/hub/totals?by=planet", &admin)
        .await;
    assert_eq!(refused.status, 400);
}

#[tokio::test]
async fn the_report_comes_as_csv_per_day_too() {
    let w = world().await;
    let (hub, ids) = (&w.0, &w.1);
    hub.usage
        .sink()
        .record(vec![event(
            &w,
            "NO-2030000",
            AccessOutcome::Granted,
            "anna",
        )])
        .await
        .unwrap();
    hub.usage.rollup().run_once().await.unwrap();
    let response = hub
        .app
        .client
        .get(hub.app.url("/api/v1/usage/hub?granularity=day&format=csv"))
        .bearer_auth(hub.app.consortium_admin())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let body = response.text().await.unwrap();
    let mut lines = body.lines();
    assert_eq!(
        lines.next(),
        Some("period,isil,product,logins,sessions,turnaways,unique_users")
    );
    assert_eq!(
        lines.next().unwrap(),
        format!("2026-10-15,NO-2030000,{},0,1,0,1", ids.product)
    );
}

#[tokio::test]
async fn bad_report_requests_get_a_clear_error() {
    let w = world().await;
    let hub = &w.0;
    let admin = hub.app.consortium_admin();
    for (query, code) in [
        ("from=2026-10-02&to=2026-10-01", "period_invalid"),
        ("from=yesterday", "date_invalid"),
        (
            "granularity=day&from=2025-01-01&to=2026-10-01",
            "period_too_long",
        ),
        ("isil=NO-", "isil_invalid"),
        ("from=0001-01-01", "period_too_long"),
    ] {
        let refused = hub
            .app
            .get(&format!("/api/v1/usage/hub?{query}"), &admin)
            .await;
        assert_eq!(refused.status, 400, "{query}: {}", refused.text);
        assert_eq!(refused.code(), code, "{query}");
    }
    let unknown = hub
        .app
        .get("/api/v1/usage/hub?granularity=hour", &admin)
        .await;
    assert_eq!(unknown.status, 400);
}
