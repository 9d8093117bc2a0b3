//! The vendor's pages: its staff answer the trial requests of its products, one button each;
//! a library admin has no vendor pages, and a vendor cannot answer another vendor's request.

mod support;

use reqwest::StatusCode;
use serde_json::json;
use support::{Hub, follow, hub, log_in};
use tilgang_registry::demo::STAFF_PASSWORD;
use tilgang_testkit::browser::Browser;

/// Makes `slug`'s vendor confirm each trial, and has the library `isil` ask for one: its id.
async fn requested(hub: &Hub, slug: &str, isil: &str) -> String {
    let admin = hub.app.consortium_admin();
    let terms = json!({"trial": {"available": true, "days": 30, "needs_vendor_confirmation": true, "waiting_days": 365}});
    let patched = hub
        .app
        .patch(&format!("/api/v1/products/{slug}"), &admin, &terms)
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text);
    let asked = hub
        .app
        .post(
            "/api/v1/trials",
            &admin,
            &json!({"isil": isil, "product": slug}),
        )
        .await;
    assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.text);
    assert_eq!(asked.body["state"], "requested");
    asked.body["id"].as_str().unwrap().to_owned()
}

async fn staff(hub: &Hub, email: &str) -> Browser {
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, email, STAFF_PASSWORD).await;
    follow(&mut browser, answer).await;
    browser
}

async fn trial_state(hub: &Hub, id: &str) -> String {
    let admin = hub.app.consortium_admin();
    let trial = hub.app.get(&format!("/api/v1/trials/{id}"), &admin).await;
    trial.body["state"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn the_vendor_confirms_a_requested_trial_and_the_library_has_it_at_once() {
    let hub = hub().await;
    let id = requested(&hub, "nordlys-lydbok", "FI-Tam").await;
    let mut vendor = staff(&hub, "nordlys@tilgang.demo").await;

    let home = vendor.get("/admin").await;
    assert_eq!(home.location.as_deref(), Some("/vendor?lang=en"));
    let page = vendor.get("/vendor").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("Tampereen kaupunginkirjasto"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("Confirm the trial of Nordlys lydbøker at")
    );
    let csrf = page.input("csrf");
    let done = vendor
        .post(
            &format!("/vendor/trials/{id}"),
            &[("csrf", &csrf), ("decision", "confirm")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let after = follow(&mut vendor, done).await;
    assert!(
        after
            .body
            .contains("The trial at Tampereen kaupunginkirjasto has started."),
        "{}",
        after.body
    );
    assert!(after.body.contains("No library is waiting for an answer."));
    assert_eq!(trial_state(&hub, &id).await, "active");
}

#[tokio::test]
async fn the_vendor_declines_and_a_forged_or_repeated_answer_changes_nothing() {
    let hub = hub().await;
    let id = requested(&hub, "nordlys-lydbok", "FI-Tam").await;
    let mut vendor = staff(&hub, "nordlys@tilgang.demo").await;
    let csrf = vendor.get("/vendor").await.input("csrf");
    let path = format!("/vendor/trials/{id}");

    let forged = vendor
        .post(&path, &[("csrf", "guessed"), ("decision", "confirm")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(trial_state(&hub, &id).await, "requested");
    let declined = vendor
        .post(&path, &[("csrf", &csrf), ("decision", "decline")])
        .await;
    assert_eq!(declined.status, StatusCode::SEE_OTHER, "{}", declined.body);
    assert_eq!(trial_state(&hub, &id).await, "declined");
    let again = vendor
        .post(&path, &[("csrf", &csrf), ("decision", "confirm")])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert_eq!(trial_state(&hub, &id).await, "declined");
}

#[tokio::test]
async fn a_library_admin_has_no_vendor_pages_and_a_vendor_no_other_vendor_s_requests() {
    let hub = hub().await;
    let products = hub
        .app
        .get("/api/v1/products?limit=50", &hub.app.consortium_admin())
        .await;
    let nordlys = products.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "nordlys-lydbok")
        .unwrap()["vendor"]
        .clone();
    let other = products.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["vendor"] != nordlys)
        .expect("a product of the other demo vendor")["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    // A new library, which has none of the demo's products yet.
    let new = json!({"isil": "NO-2999999", "name": {"nb": "Prøvebiblioteket"}});
    let registered = hub
        .app
        .post("/api/v1/libraries", &hub.app.consortium_admin(), &new)
        .await;
    assert_eq!(
        registered.status,
        StatusCode::CREATED,
        "{}",
        registered.text
    );
    let theirs = requested(&hub, &other, "NO-2999999").await;

    let mut library = staff(&hub, "tampere@tilgang.demo").await;
    assert_eq!(library.get("/vendor").await.status, StatusCode::NOT_FOUND);
    let mut vendor = staff(&hub, "nordlys@tilgang.demo").await;
    let page = vendor.get("/vendor").await;
    assert!(
        page.body.contains("No library is waiting for an answer."),
        "{}",
        page.body
    );
    let csrf = page.input("csrf");
    let reached = vendor
        .post(
            &format!("/vendor/trials/{theirs}"),
            &[("csrf", &csrf), ("decision", "confirm")],
        )
        .await;
    assert_eq!(reached.status, StatusCode::NOT_FOUND);
    assert_eq!(trial_state(&hub, &theirs).await, "requested");
}
