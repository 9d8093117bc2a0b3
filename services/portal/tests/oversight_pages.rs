//! The consortium's watch pages: webhook deliveries that were given up, and the audit trail,
//! which a library admin sees for their own libraries only.

mod support;

use reqwest::StatusCode;
use support::{Hub, follow, hub, log_in};
use tilgang_registry::demo::STAFF_PASSWORD;
use tilgang_testkit::browser::Browser;

async fn staff(hub: &Hub, email: &str) -> Browser {
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, email, STAFF_PASSWORD).await;
    follow(&mut browser, answer).await;
    browser
}

#[tokio::test]
async fn the_consortium_admin_sees_a_delivery_that_was_given_up_with_its_vendor_and_reason() {
    let hub = hub().await;
    let mut vendor = staff(&hub, "nordlys@tilgang.demo").await;
    let csrf = vendor.get("/vendor/webhooks").await.input("csrf");
    vendor
        .post(
            "/vendor/webhooks",
            &[
                ("csrf", &csrf),
                ("url", "http://127.0.0.1:9/gone"),
                ("event", "trial.requested"),
            ],
        )
        .await;
    let admin = hub.app.consortium_admin();
    let id = hub.app.get("/api/v1/webhooks", &admin).await.body[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // A trial is asked for, and a test sent; removing the endpoint gives up both.
    let asked = hub
        .app
        .post(
            "/api/v1/trials",
            &admin,
            &serde_json::json!({"isil": "FI-Tam", "product": "nordlys-lydbok"}),
        )
        .await;
    assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.text);
    vendor
        .post(&format!("/vendor/webhooks/{id}/test"), &[("csrf", &csrf)])
        .await;
    let removed = vendor
        .post(&format!("/vendor/webhooks/{id}/remove"), &[("csrf", &csrf)])
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);

    let mut consortium = staff(&hub, "konsortium@tilgang.demo").await;
    let page = consortium.get("/admin/webhook-failures").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("trial.requested"), "{}", page.body);
    assert!(
        !page.body.contains("webhook.test"),
        "a vendor's failed test is its own business"
    );
    assert!(page.body.contains("the endpoint was removed"));
    assert!(page.body.contains("Given up"));
    assert!(page.body.contains("Nordlys"), "the vendor is named");
    let mut library = staff(&hub, "tampere@tilgang.demo").await;
    assert_eq!(
        library.get("/admin/webhook-failures").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_audit_trail_names_who_changed_what_and_a_library_admin_sees_only_their_library() {
    let hub = hub().await;
    let mut tampere = staff(&hub, "tampere@tilgang.demo").await;
    let home = tampere.get("/admin/libraries/FI-Tam").await;
    let csrf = home.input("csrf");
    let started = tampere
        .post(
            "/admin/libraries/FI-Tam/trial",
            &[("csrf", &csrf), ("product", "nordlys-lydbok")],
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);

    let page = tampere.get("/admin/audit").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Tuula Tampere"), "{}", page.body);
    assert!(page.body.contains("trial.requested") || page.body.contains("trial.started"));
    assert!(page.body.contains("Nordlys lydbøker"));
    assert!(page.body.contains("FI-Tam"));
    assert!(
        !page.body.contains("NO-2030000"),
        "another library's entries"
    );

    let mut consortium = staff(&hub, "konsortium@tilgang.demo").await;
    let all = consortium.get("/admin/audit").await;
    assert!(all.body.contains("NO-2030000") && all.body.contains("FI-Tam"));
    let mut vendor = staff(&hub, "nordlys@tilgang.demo").await;
    assert_eq!(
        vendor.get("/admin/audit").await.status,
        StatusCode::NOT_FOUND
    );
}
