//! The vendor's list of libraries with access (page and CSV) and its webhooks page: an
//! endpoint added with its secret shown once, a test event queued for it, refused forms that
//! change nothing, and no reach into another vendor's endpoints.

mod support;

use reqwest::StatusCode;
use serde_json::json;
use support::{Hub, follow, hub, log_in};
use tilgang_registry::demo::STAFF_PASSWORD;
use tilgang_testkit::browser::Browser;

async fn staff(hub: &Hub, email: &str) -> Browser {
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, email, STAFF_PASSWORD).await;
    follow(&mut browser, answer).await;
    browser
}

/// The deliveries the consortium admin sees through the API.
async fn deliveries(hub: &Hub) -> Vec<serde_json::Value> {
    let log = hub
        .app
        .get("/api/v1/webhooks/deliveries", &hub.app.consortium_admin())
        .await;
    log.body.as_array().unwrap().clone()
}

#[tokio::test]
async fn the_vendor_sees_the_libraries_with_access_and_downloads_them_as_csv() {
    let hub = hub().await;
    let settings = json!({"ip_ranges": ["193.157.0.0/16"], "websites": ["https://deichman.no"]});
    let changed = hub
        .app
        .patch(
            "/api/v1/libraries/NO-2030000",
            &hub.app.consortium_admin(),
            &settings,
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    let mut vendor = staff(&hub, "nordlys@tilgang.demo").await;

    let page = vendor.get("/vendor/libraries").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Deichman"), "{}", page.body);
    assert!(page.body.contains("193.157.0.0/16"));
    assert!(page.body.contains("Nordlys lydbøker"));
    assert!(
        !page.body.contains("Avisarkivet"),
        "another vendor's product"
    );
    let csv = vendor.get("/vendor/libraries.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    let mut lines = csv.body.lines();
    assert_eq!(
        lines.next(),
        Some("isil,library,product,basis,last_day,websites,ip_ranges")
    );
    let deichman: Vec<&str> = lines.filter(|l| l.starts_with("NO-2030000,")).collect();
    assert_eq!(
        deichman.len(),
        2,
        "nordlys-ebok and nordlys-lydbok: {}",
        csv.body
    );
    assert!(
        deichman
            .iter()
            .all(|l| l.ends_with(",https://deichman.no/,193.157.0.0/16")
                && l.contains(",subscription,")),
        "{deichman:?}"
    );
    assert!(!csv.body.contains("avisarkivet"));
}

#[tokio::test]
async fn a_library_admin_has_no_vendor_lists() {
    let hub = hub().await;
    let mut library = staff(&hub, "tampere@tilgang.demo").await;
    for path in [
        "/vendor/libraries",
        "/vendor/libraries.csv",
        "/vendor/webhooks",
    ] {
        assert_eq!(
            library.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_vendor_adds_an_endpoint_sees_its_secret_once_and_queues_a_test_event() {
    let hub = hub().await;
    let mut vendor = staff(&hub, "nordlys@tilgang.demo").await;
    let csrf = vendor.get("/vendor/webhooks").await.input("csrf");

    let added = vendor
        .post(
            "/vendor/webhooks",
            &[
                ("csrf", &csrf),
                ("url", "http://127.0.0.1:9/hooks"),
                ("event", "trial.started"),
                ("event", "trial.ended"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    assert!(added.body.contains("whsec_"), "{}", added.body);
    assert!(added.body.contains("trial.started, trial.ended"));
    let again = vendor.get("/vendor/webhooks").await;
    assert!(again.body.contains("http://127.0.0.1:9/hooks"));
    assert!(!again.body.contains("whsec_"), "the secret is shown once");

    let id = hub
        .app
        .get("/api/v1/webhooks", &hub.app.consortium_admin())
        .await
        .body[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let tested = vendor
        .post(&format!("/vendor/webhooks/{id}/test"), &[("csrf", &csrf)])
        .await;
    assert_eq!(tested.status, StatusCode::SEE_OTHER, "{}", tested.body);
    let after = follow(&mut vendor, tested).await;
    assert!(
        after.body.contains("A test event is on its way."),
        "{}",
        after.body
    );
    assert!(after.body.contains("webhook.test"));
    let queued = deliveries(&hub).await;
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0]["event_type"], "webhook.test");
    assert_eq!(queued[0]["state"], "pending");
    let again = vendor
        .post(&format!("/vendor/webhooks/{id}/test"), &[("csrf", &csrf)])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(again.body.contains("is still on its way"));
    assert_eq!(deliveries(&hub).await.len(), 1, "one test at a time");
}

#[tokio::test]
async fn a_refused_endpoint_is_explained_and_adds_nothing() {
    let hub = hub().await;
    let mut vendor = staff(&hub, "nordlys@tilgang.demo").await;
    let csrf = vendor.get("/vendor/webhooks").await.input("csrf");
    let cases: [(&[(&str, &str)], &str); 3] = [
        (
            &[
                ("url", "ftp://vendor.example/hooks"),
                ("event", "trial.started"),
            ],
            "The address must begin with https://.",
        ),
        (
            &[("url", "https://vendor.example/hooks")],
            "Choose at least one event.",
        ),
        (
            &[("url", "not a url"), ("event", "trial.started")],
            "That is not a web address with a host.",
        ),
    ];
    for (fields, says) in cases {
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        let refused = vendor.post("/vendor/webhooks", &form).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{fields:?}"
        );
        assert!(refused.body.contains(says), "{says}: {}", refused.body);
    }
    let forged = vendor
        .post(
            "/vendor/webhooks",
            &[
                ("csrf", "guessed"),
                ("url", "https://vendor.example/hooks"),
                ("event", "trial.started"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let listed = hub
        .app
        .get("/api/v1/webhooks", &hub.app.consortium_admin())
        .await;
    assert_eq!(listed.body, json!([]));
}

#[tokio::test]
async fn a_vendor_can_neither_test_nor_remove_another_vendor_s_endpoint() {
    let hub = hub().await;
    let admin = hub.app.consortium_admin();
    let products = hub.app.get("/api/v1/products?limit=50", &admin).await;
    let avisarkivet = products.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "avisarkivet")
        .unwrap()["vendor"]
        .clone();
    let theirs = hub
        .app
        .post(
            "/api/v1/webhooks",
            &admin,
            &json!({"vendor": avisarkivet, "url": "http://127.0.0.1:9/theirs", "events": ["trial.started"]}),
        )
        .await;
    assert_eq!(theirs.status, StatusCode::CREATED, "{}", theirs.text);
    let id = theirs.body["id"].as_str().unwrap();
    let mut vendor = staff(&hub, "nordlys@tilgang.demo").await;
    let page = vendor.get("/vendor/webhooks").await;
    assert!(!page.body.contains("/theirs"), "{}", page.body);
    let csrf = page.input("csrf");

    for action in ["test", "remove"] {
        let reached = vendor
            .post(
                &format!("/vendor/webhooks/{id}/{action}"),
                &[("csrf", &csrf)],
            )
            .await;
        assert_eq!(reached.status, StatusCode::NOT_FOUND, "{action}");
    }
    assert!(deliveries(&hub).await.is_empty());
    let still = hub.app.get("/api/v1/webhooks", &admin).await;
    assert_eq!(still.body.as_array().unwrap().len(), 1);
}
