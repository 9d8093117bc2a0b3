//! `/api/v1/subscriptions` with each role, the overlap and period rules, and the audit trail
//! each role may read.

mod support;

use serde_json::{Value, json};
use support::Hub;

fn terms(isil: &str, starts_on: &str, ends_on: &str) -> Value {
    json!({
        "isil": isil, "product": "nordlys-ebok", "starts_on": starts_on, "ends_on": ends_on,
        "price_minor": 1_250_000, "currency": "NOK", "renewal": "end"
    })
}

#[tokio::test]
async fn consortium_admins_record_subscriptions_and_libraries_and_vendors_cannot() {
    let hub = Hub::start(false).await;
    let ebook = hub.product("nordlys-ebok").await;
    let mut body = terms("NO-2030000", "2026-01-01", "2026-12-31");
    body["renewal"] = json!("auto");
    for token in [&hub.deichman, &ebook.vendor_token] {
        let refused = hub.app.post("/api/v1/subscriptions", token, &body).await;
        assert_eq!(refused.status, 403, "{}", refused.text);
    }
    let made = hub
        .app
        .post("/api/v1/subscriptions", &hub.consortium, &body)
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    assert_eq!(made.body["currency"], "NOK");
    assert_eq!(made.body["renewal"], "auto");
    assert_eq!(hub.audit_len().await, 1);
}

/// A subscription that renews by itself overlaps every later period; one that ends does not.
#[tokio::test]
async fn an_overlapping_period_is_refused_and_one_after_it_is_not() {
    let hub = Hub::start(false).await;
    let first = terms("NO-2030000", "2026-01-01", "2026-12-31");
    assert_eq!(
        hub.app
            .post("/api/v1/subscriptions", &hub.consortium, &first)
            .await
            .status,
        201
    );
    let overlapping = terms("NO-2030000", "2026-12-31", "2027-12-31");
    let refused = hub
        .app
        .post("/api/v1/subscriptions", &hub.consortium, &overlapping)
        .await;
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert_eq!(refused.code(), "subscription_overlaps");
    let next = terms("NO-2030000", "2027-01-01", "2027-12-31");
    let made = hub
        .app
        .post("/api/v1/subscriptions", &hub.consortium, &next)
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
}

#[tokio::test]
async fn bad_subscription_input_gets_a_clear_error_and_changes_nothing() {
    let hub = Hub::start(false).await;
    let mut no_start = terms("NO-2030000", "2026-01-01", "2026-12-31");
    no_start.as_object_mut().unwrap().remove("starts_on");
    let mut yen = terms("NO-2030000", "2026-01-01", "2026-12-31");
    yen["currency"] = json!("JPY");
    let cases = [
        (
            terms("NO-2030000", "2026-12-31", "2026-01-01"),
            422,
            "period_invalid",
        ),
        (
            terms("NO-2030000", "2026-01-01", "2046-01-01"),
            422,
            "period_invalid",
        ),
        (
            terms("NO-2030000", "2026-13-01", "2026-12-31"),
            400,
            "date_invalid",
        ),
        (
            terms("SE-0000000", "2026-01-01", "2026-12-31"),
            404,
            "library_not_found",
        ),
        (
            terms("XX-1", "2026-01-01", "2026-12-31"),
            400,
            "isil_invalid",
        ),
        (no_start, 400, "field_required"),
        (yen, 400, "invalid_body"),
    ];
    for (body, status, code) in cases {
        let refused = hub
            .app
            .post("/api/v1/subscriptions", &hub.consortium, &body)
            .await;
        assert_eq!(refused.status, status, "{body}: {}", refused.text);
        assert_eq!(refused.code(), code, "{body}: {}", refused.text);
    }
    let list = hub.app.get("/api/v1/subscriptions", &hub.consortium).await;
    assert_eq!(list.body["total"], 0);
    assert_eq!(hub.audit_len().await, 0);
}

#[tokio::test]
async fn each_role_sees_only_its_subscriptions_and_only_consortium_admins_cancel() {
    let hub = Hub::start(false).await;
    let ebook = hub.product("nordlys-ebok").await;
    let other_vendor = hub.product("avisarkivet").await;
    let made = hub
        .app
        .post(
            "/api/v1/subscriptions",
            &hub.consortium,
            &terms("NO-2030000", "2026-01-01", "2030-12-31"),
        )
        .await;
    let path = format!(
        "/api/v1/subscriptions/{}",
        made.body["id"].as_str().unwrap()
    );
    for (who, token, sees) in [
        ("Deichman's admin", &hub.deichman, true),
        ("the vendor", &ebook.vendor_token, true),
        ("Tampere's admin", &hub.tampere, false),
        ("another vendor", &other_vendor.vendor_token, false),
    ] {
        let one = hub.app.get(&path, token).await;
        let list = hub.app.get("/api/v1/subscriptions", token).await;
        assert_eq!(
            one.status,
            if sees { 200 } else { 404 },
            "{who}: {}",
            one.text
        );
        assert_eq!(list.body["total"], u64::from(sees), "{who}: {}", list.text);
    }
    let cancel = format!("{path}/cancel");
    for token in [&hub.deichman, &ebook.vendor_token] {
        let refused = hub.app.post(&cancel, token, &json!(null)).await;
        assert_eq!(refused.status, 403, "{}", refused.text);
    }
    let cancelled = hub.app.post(&cancel, &hub.consortium, &json!(null)).await;
    assert_eq!(cancelled.body["status"], "cancelled", "{}", cancelled.text);
}

#[tokio::test]
async fn the_audit_trail_shows_a_library_its_own_changes_and_vendors_none() {
    let hub = Hub::start(false).await;
    let ebook = hub.product("nordlys-ebok").await;
    hub.request_trial(&hub.deichman, "NO-2030000", "nordlys-ebok")
        .await;
    hub.request_trial(&hub.tampere, "FI-Tam", "nordlys-ebok")
        .await;

    let own = hub.app.get("/api/v1/audit", &hub.deichman).await;
    let entries = own.body.as_array().unwrap();
    assert_eq!(entries.len(), 1, "{}", own.text);
    assert_eq!(entries[0]["isil"], "NO-2030000");
    assert_eq!(entries[0]["action"], "trial.started");
    assert_eq!(entries[0]["actor"], "library-admin");
    let everything = hub.app.get("/api/v1/audit", &hub.consortium).await;
    assert_eq!(everything.body.as_array().unwrap().len(), 2);
    let elsewhere = hub
        .app
        .get("/api/v1/audit?isil=NO-2030000", &hub.tampere)
        .await;
    assert_eq!(elsewhere.status, 403, "{}", elsewhere.text);
    let vendor = hub.app.get("/api/v1/audit", &ebook.vendor_token).await;
    assert_eq!(vendor.status, 403, "{}", vendor.text);
}
